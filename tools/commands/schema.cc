// tools/commands/schema.cc: `loom schema`, `loom check`, `loom stats` and the
// shell's `.labels`. Everything goes through the public operations.
#include <filesystem>
#include <iostream>
#include <map>

#include "loom/status.h"
#include "tools/commands/commands.h"

namespace loom::cli {
namespace {

// Relationship counts per type by paging relationships.find; stops after
// `cap` edges so that schema stays quick on a large graph.
struct TypeCounts {
  std::map<std::string, int64_t> counts;
  int64_t total = 0;
  bool complete = true;
};

absl::StatusOr<TypeCounts> CountRelationshipTypes(Database& db, int64_t cap) {
  TypeCounts out;
  constexpr int64_t kPage = 1000;
  for (int64_t skip = 0;; skip += kPage) {
    LOOM_ASSIGN_OR_RETURN(Json page, SafeCall(db, "relationships.find", Json{{"skip", skip}, {"limit", kPage}}));
    if (page.contains("total") && page["total"].is_number()) out.total = page["total"].get<int64_t>();
    const Json& data = page.contains("data") ? page["data"] : Json::array();
    for (const Json& rel : data) {
      if (rel.contains("type") && rel["type"].is_string()) ++out.counts[rel["type"].get<std::string>()];
    }
    if (static_cast<int64_t>(data.size()) < kPage || skip + kPage >= out.total) break;
    if (skip + kPage >= cap) {
      out.complete = false;
      break;
    }
  }
  return out;
}

uint64_t DirectoryBytes(const std::string& path) {
  uint64_t bytes = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) bytes += it->file_size(ec);
  }
  return bytes;
}

Json AsRows(const Json& object, const char* key_name, const char* value_name) {
  Json rows = Json::array();
  for (const auto& [key, value] : object.items()) rows.push_back({{key_name, key}, {value_name, value}});
  return rows;
}

}  // namespace

int RunLabels(const Context& ctx, Database& db, std::ostream& out) {
  absl::StatusOr<Json> labels = SafeCall(db, "labels.find", Json::object());
  if (!labels.ok()) return ReportError(ctx, labels.status());
  RenderOptions options;
  options.terminal = ctx.stdout_is_tty;
  if (ctx.ResolvedFormat() == OutputFormat::kJson) {
    RenderValue(out, *labels, OutputFormat::kJson);
  } else {
    RenderRows(out, AsRows(*labels, "label", "count"), ctx.ResolvedFormat(), options);
  }
  return kExitOk;
}

int RunSchema(const Context& ctx, Database& db, std::ostream& out) {
  absl::StatusOr<Json> labels = SafeCall(db, "labels.find", Json::object());
  if (!labels.ok()) return ReportError(ctx, labels.status());
  absl::StatusOr<Json> properties = SafeCall(db, "properties.find", Json::object());
  if (!properties.ok()) return ReportError(ctx, properties.status());
  constexpr int64_t kCap = 100000;
  absl::StatusOr<TypeCounts> types = CountRelationshipTypes(db, kCap);

  Json props = Json::array();
  const Json& list = properties->is_array() ? *properties
                     : properties->contains("data") ? (*properties)["data"] : Json::array();
  for (const Json& p : list) {
    Json row = Json::object();
    for (const char* key : {"name", "type", "recordsCount"}) {
      if (p.contains(key)) row[key] = p[key];
    }
    props.push_back(std::move(row));
  }
  Json rel_rows = Json::array();
  if (types.ok()) {
    for (const auto& [type, count] : types->counts) {
      rel_rows.push_back({{"type", type}, {"count", count}});
    }
  }

  const OutputFormat format = ctx.ResolvedFormat();
  if (format == OutputFormat::kJson || format == OutputFormat::kJsonl) {
    Json schema = {{"labels", *labels}, {"properties", props}};
    if (types.ok()) {
      Json counts = Json::object();
      for (const auto& [type, count] : types->counts) counts[type] = count;
      schema["relationships"] = {{"total", types->total}, {"types", counts}, {"complete", types->complete}};
    } else {
      schema["relationships"] = {{"error", ErrorObject(types.status())}};
    }
    RenderValue(out, schema, format);
    return kExitOk;
  }
  RenderOptions options;
  options.terminal = ctx.stdout_is_tty;
  out << "Labels\n";
  RenderRows(out, AsRows(*labels, "label", "count"), format, options);
  out << "\nProperties\n";
  RenderRows(out, props, format, options);
  out << "\nRelationship types\n";
  if (types.ok()) {
    RenderRows(out, rel_rows, format, options);
    if (!types->complete) out << "(counted the first " << kCap << " of " << types->total << " relationships)\n";
  } else {
    out << "(unavailable: " << types.status().message() << ")\n";
  }
  return kExitOk;
}

int RunCheck(const Context& ctx, Database& db, std::ostream& out) {
  absl::StatusOr<Json> report;
  try {
    report = Check(db);
  } catch (const std::exception& e) {
    report = MakeError(ErrorCode::kInternal, std::string("check failed: ") + e.what());
  }
  if (!report.ok()) return ReportError(ctx, report.status());
  const bool ok = report->value("ok", false);
  const OutputFormat format = ctx.ResolvedFormat();
  if (format == OutputFormat::kJson || format == OutputFormat::kJsonl) {
    RenderValue(out, *report, format);
  } else {
    out << (ok ? "ok" : "PROBLEMS FOUND") << ": " << report->value("records", Json(0)).dump() << " records, "
        << report->value("relationships", Json(0)).dump() << " relationships\n";
    if (report->contains("problems")) {
      for (const Json& p : (*report)["problems"]) out << "  " << (p.is_string() ? p.get<std::string>() : p.dump()) << '\n';
    }
  }
  return ok ? kExitOk : kExitError;
}

int RunStats(const Context& ctx, Database& db, std::ostream& out) {
  absl::StatusOr<Json> labels = SafeCall(db, "labels.find", Json::object());
  if (!labels.ok()) return ReportError(ctx, labels.status());
  int64_t records = 0;
  for (const auto& [label, count] : labels->items()) {
    if (count.is_number()) records += count.get<int64_t>();
  }
  Json stats = Json::object();
  // Unlabeled records are not in labels.find: count them with a find total.
  if (absl::StatusOr<Json> all = SafeCall(db, "records.find", Json{{"limit", 1}});
      all.ok() && all->contains("total")) {
    stats["records"] = (*all)["total"];
  } else {
    stats["records"] = records;
  }
  if (absl::StatusOr<Json> rels = SafeCall(db, "relationships.find", Json{{"limit", 1}});
      rels.ok() && rels->contains("total")) {
    stats["relationships"] = (*rels)["total"];
  }
  stats["labels"] = labels->size();
  if (absl::StatusOr<Json> props = SafeCall(db, "properties.find", Json::object()); props.ok()) {
    stats["properties"] = props->is_array() ? props->size() : props->value("total", Json(0)).get<size_t>();
  }
  stats["diskBytes"] = DirectoryBytes(ctx.db_path);
  stats["path"] = ctx.db_path;
  const OutputFormat format = ctx.ResolvedFormat();
  RenderOptions options;
  options.terminal = ctx.stdout_is_tty;
  if (format == OutputFormat::kJson || format == OutputFormat::kJsonl) {
    RenderValue(out, stats, format);
  } else {
    RenderValue(out, stats, format == OutputFormat::kTable ? OutputFormat::kTable : format, options);
  }
  return kExitOk;
}

}  // namespace loom::cli
