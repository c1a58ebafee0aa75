// engine/bulk_ops.cc: the bulk operations of engine/bulk behind the Database:
// records.load (dataset bundles and CSV exports, import-export.md §6),
// records.importFile (JSON-lines / JSON / CSV files of any size, §2, §3;
// RELIABILITY.md I6) and db.dump (§5.3). Writers run under RunBulk (writer
// role, property ids, `__id`s from this database's generator); the resume
// marker of a file import is engine metadata written into each batch's own
// WriteTxn, so marker and batch commit together. A bulk write ends with
// FlushAndSync, the barrier that makes it durable at every durability level.
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/bulk/dataset_dumper.h"
#include "engine/bulk/dataset_loader.h"
#include "engine/bulk/file_importer.h"
#include "engine/bulk/graph_csv_loader.h"
#include "engine/bulk/whole_file.h"
#include "engine/database_impl.h"
#include "engine/import/write_typing.h"
#include "engine/record_mapper.h"
#include "loom/status.h"

namespace loom::engine {
namespace {

absl::Status NotInTransaction(TxId tx, std::string_view method) {
  if (tx.empty()) return absl::OkStatus();
  return InvalidArgument("", absl::StrCat(absl::string_view(method.data(), method.size()),
                                          " commits in batches of its own and cannot run inside a transaction"));
}

absl::StatusOr<std::optional<std::string>> OptionalString(const Json& args, std::string_view key) {
  const Json* v = Member(args, key);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return InvalidArgument(JsonPointerChild("", key), "expected a string");
  return std::optional<std::string>(v->get<std::string>());
}

Json StatsJson(const bulk::ImportStats& s) {
  return Json{{"records", s.records},   {"relationships", s.relationships}, {"rejected", s.rejected},
              {"bytes", s.bytes},       {"lines", s.lines},                 {"batches", s.batches},
              {"resumed", s.resumed}};
}

// The graph tables of records.load: {"nodes": [{label, path, key?}],
// "edges": [{type, path, from?, to?}]}; every member a string.
absl::Status ParseGraphTables(const Json& args, std::vector<bulk::NodeTable>* nodes,
                              std::vector<bulk::EdgeTable>* edges) {
  for (const char* kind : {"nodes", "edges"}) {
    const Json* list = Member(args, kind);
    if (list == nullptr) continue;
    const std::string list_path = JsonPointerChild("", kind);
    if (!list->is_array()) return InvalidArgument(list_path, absl::StrCat(kind, " must be an array of tables"));
    for (size_t i = 0; i < list->size(); ++i) {
      const Json& table = (*list)[i];
      const std::string at = absl::StrCat(list_path, "/", i);
      if (!table.is_object()) return InvalidArgument(at, "a table is an object");
      const bool is_node = std::string_view(kind) == "nodes";
      std::map<std::string, std::string> fields;
      for (const auto& [key, value] : table.items()) {
        const bool known = key == "path" || (is_node ? key == "label" || key == "key"
                                                     : key == "type" || key == "from" || key == "to");
        if (!known) return InvalidArgument(JsonPointerChild(at, key), "unknown member of a " + std::string(is_node ? "node" : "edge") + " table");
        if (!value.is_string()) return InvalidArgument(JsonPointerChild(at, key), "expected a string");
        fields[key] = value.get<std::string>();
      }
      const char* name_key = is_node ? "label" : "type";
      if (fields["path"].empty()) return InvalidArgument(JsonPointerChild(at, "path"), "a table needs a path");
      if (fields[name_key].empty()) {
        return InvalidArgument(JsonPointerChild(at, name_key), absl::StrCat("a table needs a ", name_key));
      }
      if (is_node) {
        nodes->push_back({fields["label"], fields["path"], fields["key"]});
      } else {
        edges->push_back({fields["type"], fields["path"], fields["from"], fields["to"]});
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::LoadDataset(const Json& args, TxId tx, const ImportProgress& progress) {
  LOOM_RETURN_IF_ERROR(NotInTransaction(tx, "records.load"));
  if (!args.is_object()) return InvalidArgument("", "expected {\"data\": text} or {\"path\": file}");
  if (args.contains("nodes") || args.contains("edges")) return LoadGraph(args, progress);
  LOOM_ASSIGN_OR_RETURN(std::optional<std::string> data, OptionalString(args, "data"));
  LOOM_ASSIGN_OR_RETURN(std::optional<std::string> path, OptionalString(args, "path"));
  LOOM_ASSIGN_OR_RETURN(std::optional<std::string> format, OptionalString(args, "format"));
  LOOM_ASSIGN_OR_RETURN(std::optional<std::string> label, OptionalString(args, "label"));
  if (data.has_value() == path.has_value()) {
    return InvalidArgument("", "records.load takes either \"data\" (bundle text) or \"path\" (a file)");
  }
  bulk::BundleFormat bundle_format = bulk::BundleFormat::kAuto;
  bool csv = false;
  const std::string f = format ? absl::AsciiStrToLower(*format) : "";
  if (f == "json") {
    bundle_format = bulk::BundleFormat::kJson;
  } else if (f == "jsonl" || f == "ndjson") {
    bundle_format = bulk::BundleFormat::kJsonl;
  } else if (f == "csv") {
    csv = true;
  } else if (!f.empty() && f != "auto") {
    return InvalidArgument("/format", "format must be \"auto\", \"json\", \"jsonl\" or \"csv\"");
  }
  if (f.empty() && path && absl::EndsWith(absl::AsciiStrToLower(*path), ".csv")) csv = true;

  Json result;
  LOOM_RETURN_IF_ERROR(RunBulk([&](storage::Store& store, const std::function<std::string()>& next_id) -> absl::Status {
    bulk::BulkTarget target{&store, next_id, options().durability};
    absl::StatusOr<Json> loaded;
    if (csv && path) {
      loaded = bulk::LoadCsvExportFile(target, *path, label);
    } else if (csv) {
      std::istringstream in(*data);
      loaded = bulk::LoadCsvExport(target, in, label);
    } else if (path) {
      loaded = bulk::LoadDatasetFile(target, *path, bundle_format, progress);
    } else {
      loaded = bulk::LoadDatasetText(target, *data, bundle_format, progress);
    }
    if (!loaded.ok()) return loaded.status();
    result = *std::move(loaded);
    return absl::OkStatus();
  }));
  // Loaded ids may sort after every id the generator would produce next.
  LOOM_ASSIGN_OR_RETURN(std::string max_id, store().MaxId());
  ids().SeedAfter(max_id);
  LOOM_RETURN_IF_ERROR(FlushAndSync());
  return result;
}

absl::StatusOr<Json> DatabaseImpl::LoadGraph(const Json& args, const ImportProgress& progress) {
  for (const auto& [key, value] : args.items()) {
    if (key != "nodes" && key != "edges") {
      return InvalidArgument(JsonPointerChild("", key), "a graph load takes only \"nodes\" and \"edges\"");
    }
  }
  std::vector<bulk::NodeTable> nodes;
  std::vector<bulk::EdgeTable> edges;
  LOOM_RETURN_IF_ERROR(ParseGraphTables(args, &nodes, &edges));
  Json result;
  LOOM_RETURN_IF_ERROR(RunBulk([&](storage::Store& store, const std::function<std::string()>& next_id) -> absl::Status {
    bulk::BulkTarget target{&store, next_id, options().durability};
    LOOM_ASSIGN_OR_RETURN(result, bulk::LoadGraphCsv(target, nodes, edges, progress));
    return absl::OkStatus();
  }));
  LOOM_RETURN_IF_ERROR(FlushAndSync());
  return result;
}

absl::StatusOr<Json> DatabaseImpl::ImportFile(const Json& args, TxId tx, const BulkCommitHook& after_commit,
                                              const ImportProgress& progress) {
  LOOM_RETURN_IF_ERROR(NotInTransaction(tx, "records.importFile"));
  if (!args.is_object()) return InvalidArgument("", "expected an object of arguments");
  LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(args, ""));
  LOOM_ASSIGN_OR_RETURN(std::optional<std::string> path, OptionalString(args, "path"));
  if (!path || path->empty()) return InvalidArgument("/path", "a file path is required");
  LOOM_ASSIGN_OR_RETURN(std::optional<std::string> label, OptionalString(args, "label"));
  if (label && label->empty()) label.reset();
  LOOM_ASSIGN_OR_RETURN(std::optional<std::string> format, OptionalString(args, "format"));
  std::string f = format ? absl::AsciiStrToLower(*format) : "";
  if (f.empty()) {
    const std::string name = absl::AsciiStrToLower(*path);
    if (absl::EndsWith(name, ".csv")) {
      f = "csv";
    } else if (absl::EndsWith(name, ".tsv")) {
      f = "tsv";
    } else if (absl::EndsWith(name, ".json")) {
      f = "json";
    } else {
      f = "jsonl";
    }
  }
  if (f == "ndjson") f = "jsonl";
  if (f != "jsonl" && f != "json" && f != "csv" && f != "tsv") {
    return InvalidArgument("/format", "format must be \"jsonl\", \"json\", \"csv\" or \"tsv\"");
  }
  const Json* options_arg = Member(args, "options");
  const Json* parse_config = Member(args, "parseConfig");

  if (f == "json") {
    // One JSON document: records.importJson over the whole file (one write).
    absl::StatusOr<std::string> text = bulk::ReadWholeFile(*path);
    if (!text.ok()) return InvalidArgument("/path", bulk::MessageOf(text.status()));
    Json data = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (data.is_discarded()) return InvalidArgument("/path", *path + " is not valid JSON");
    Json import_args = Json{{"data", std::move(data)}};
    if (label) import_args["label"] = *label;
    if (options_arg != nullptr) import_args["options"] = *options_arg;
    const uint64_t before = store().NewReadView()->RecordCount();
    LOOM_RETURN_IF_ERROR(ImportJson(import_args, tx).status());
    bulk::ImportStats stats;
    stats.records = store().NewReadView()->RecordCount() - before;  // the writer role is released: approximate
    stats.batches = 1;
    LOOM_RETURN_IF_ERROR(FlushAndSync());
    return StatsJson(stats);
  }

  bulk::ImportConfig config;
  if (const Json* v = Member(args, "onError")) {
    if (!v->is_string() || (*v != "abort" && *v != "skip")) {
      return InvalidArgument("/onError", "onError must be \"abort\" or \"skip\"");
    }
    config.on_error = *v == "skip" ? bulk::OnError::kSkip : bulk::OnError::kAbort;
  }
  LOOM_ASSIGN_OR_RETURN(std::optional<std::string> reject, OptionalString(args, "rejectFile"));
  if (reject) config.reject_path = *reject;
  if (const Json* v = Member(args, "resume")) {
    if (!v->is_boolean()) return InvalidArgument("/resume", "resume must be a boolean");
    config.resume = v->get<bool>();
  }
  if (const Json* v = Member(args, "restart")) {
    if (!v->is_boolean()) return InvalidArgument("/restart", "restart must be a boolean");
    config.restart = v->get<bool>();
  }
  if (config.resume && config.restart) return InvalidArgument("/restart", "resume and restart exclude each other");
  if (const Json* v = Member(args, "batchRecords")) {
    if (!v->is_number_integer() || v->get<int64_t>() <= 0) {
      return InvalidArgument("/batchRecords", "batchRecords must be a positive integer");
    }
    config.batch_records = v->get<size_t>();
  }
  config.marker.put = [](storage::WriteTxn& txn, std::string_view key, std::string_view value) {
    return txn.PutMeta(key, value);
  };
  config.marker.get = [](storage::ReadView& view, std::string_view key) { return view.GetMeta(key); };
  if (after_commit) {
    config.after_commit = [&](const bulk::ImportStats& stats) { return after_commit(stats.batches); };
  }
  if (progress) {
    config.progress = [&](const bulk::ImportStats& stats) { progress(stats.bytes, stats.records); };
  }
  Json tsv_config;
  if (f == "tsv") {
    tsv_config = parse_config != nullptr ? *parse_config : Json::object();
    if (tsv_config.is_object() && !tsv_config.contains("delimiter")) tsv_config["delimiter"] = "\t";
    parse_config = &tsv_config;
  }

  bulk::ImportStats stats;
  absl::Status status =
      RunBulk([&](storage::Store& store, const std::function<std::string()>& next_id) -> absl::Status {
        bulk::BulkTarget target{&store, next_id, options().durability};
        if (f == "jsonl") return bulk::ImportJsonLinesFile(target, *path, label, options_arg, config, &stats);
        if (!label) return InvalidArgument("/label", "a CSV import needs a label");
        return bulk::ImportCsvFile(target, *path, *label, options_arg, parse_config, config, &stats);
      });
  // What was committed stays (and is made durable) also when the import stops early.
  LOOM_RETURN_IF_ERROR(FlushAndSync());
  LOOM_RETURN_IF_ERROR(status);
  return StatsJson(stats);
}

absl::StatusOr<Json> DatabaseImpl::Dump(const Json& args, TxId tx, const DumpProgress& progress) {
  std::optional<std::string> path;
  if (args.is_string()) {
    path = args.get<std::string>();
  } else if (args.is_object()) {
    LOOM_ASSIGN_OR_RETURN(path, OptionalString(args, "path"));
  } else if (!args.is_null()) {
    return InvalidArgument("", "db.dump takes {\"path\"?: file}");
  }
  std::function<void(const bulk::DumpStats&)> report;
  if (progress) report = [&](const bulk::DumpStats& s) { progress(s.bytes, s.records + s.relationships); };
  return RunRead(tx, [&](storage::ReadView& view, bool) -> absl::StatusOr<Json> {
    bulk::DumpStats stats;
    Json out;
    if (path && !path->empty()) {
      std::ofstream file(*path, std::ios::binary | std::ios::trunc);
      if (!file) return InvalidArgument("/path", "cannot write " + *path);
      LOOM_RETURN_IF_ERROR(bulk::DumpDataset(view, file, &stats, report));
      file.close();
      if (!file) return MakeError(ErrorCode::kInternal, "writing " + *path + " failed");
      out["path"] = *path;
    } else {
      std::ostringstream text;
      LOOM_RETURN_IF_ERROR(bulk::DumpDataset(view, text, &stats, report));
      out["fileContent"] = text.str();
    }
    out["records"] = stats.records;
    out["relationships"] = stats.relationships;
    return out;
  });
}

}  // namespace loom::engine
