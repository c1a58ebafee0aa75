// engine/query_seam.cc: SearchQuery methods through the query engine
// (query::ParseQuery -> query::exec): records.find / findOne / findUniq /
// explain / export / delete, labels.find and properties.find with a where,
// and MatchRecords for the callers that restrict records by labels + where
// (relationships.find / createMany / deleteMany, properties.values).
#include "engine/query_seam.h"

#include <algorithm>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/database_impl.h"
#include "engine/import/csv_export.h"
#include "engine/plan_cache.h"
#include "engine/record_mapper.h"
#include "loom/status.h"
#include "query/exec/executor.h"
#include "query/parse/pagination_helper.h"
#include "query/parse/parser.h"

namespace loom::engine {
namespace {

absl::Status NotAvailable(std::string_view method) {
  return MakeError(ErrorCode::kInternal, std::string(method) + " is not available in this build");
}

absl::StatusOr<query::ast::Query> Parse(DatabaseImpl& db, const Json& json) {
  if (!json.is_null() && !json.is_object()) return InvalidQuery("", "expected a search query object");
  query::ParseOptions options;
  options.max_traversal_hops = db.options().max_traversal_hops;
  options.strict = db.options().strict_queries;
  LOOM_ASSIGN_OR_RETURN(query::ast::Query q, query::ParseQuery(json.is_null() ? Json::object() : json, options));
  if (db.options().max_limit > 0 && q.limit > db.options().max_limit) {
    return InvalidQuery("/limit", absl::StrCat("limit must be at most ", db.options().max_limit));
  }
  return q;
}

query::exec::ExecOptions ExecOptionsFor(DatabaseImpl& db, const Json& options) {
  query::exec::ExecOptions out;
  out.timeout_ms = db.options().operation_timeout_ms;
  out.interrupts = &db.interrupts();
  out.max_memory_bytes = static_cast<uint64_t>(std::max<int64_t>(0, db.options().max_query_memory_bytes));
  out.max_rows_per_root = static_cast<uint64_t>(std::max<int64_t>(1, db.options().max_rows_per_root));
  if (!options.is_object()) return out;
  auto it = options.find("source");  // "scan" | "index" | "id" | "semiJoin" (tests, benchmarks)
  if (it != options.end() && it->is_string()) {
    const std::string s = it->get<std::string>();
    if (s == "scan") out.force_source = query::plan::SourceChoice::kScan;
    if (s == "index") out.force_source = query::plan::SourceChoice::kIndex;
    if (s == "id") out.force_source = query::plan::SourceChoice::kIdLookup;
    if (s == "semiJoin") out.force_source = query::plan::SourceChoice::kSemiJoin;
  }
  return out;
}

// The cache key of a query: the method and the query's JSON text; nullopt
// for queries not worth keeping (very large) or that cannot be serialised
// exactly (strings that are not UTF-8).
std::optional<std::string> PlanKey(std::string_view method, const Json& json) {
  constexpr size_t kMaxKeyBytes = 64 << 10;
  try {
    std::string key(method);
    key += '\n';
    key += json.dump();
    if (key.size() > kMaxKeyBytes) return std::nullopt;
    return key;
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

// parse -> plan -> map, or the same query's plan from the cache.
absl::StatusOr<std::shared_ptr<const PreparedPlan>> PlanOf(DatabaseImpl& db, storage::ReadView& view,
                                                           std::string_view method, const Json& json,
                                                           const query::exec::ExecOptions& options) {
  std::optional<std::string> key = PlanKey(method, json);
  if (key) {
    if (std::shared_ptr<const PreparedPlan> cached = db.plan_cache().Find(*key, view)) return cached;
  }
  auto plan = std::make_shared<PreparedPlan>();
  LOOM_ASSIGN_OR_RETURN(plan->query, Parse(db, json));
  if (method == "records.findOne" || method == "records.findUniq") {
    plan->query.limit = 1;
    plan->query.skip = 0;
  }
  plan->logical = query::exec::PlanFor(plan->query, view, options);
  plan->physical = query::exec::MapToPhysical(plan->query, plan->logical);
  NotePlanInputs(view, plan.get());
  if (key) db.plan_cache().Put(*std::move(key), plan);
  return plan;
}

absl::StatusOr<Json> Find(DatabaseImpl& db, storage::ReadView& view, std::string_view method, const Json& json) {
  const query::exec::ExecOptions options = ExecOptionsFor(db, Json());
  LOOM_ASSIGN_OR_RETURN(std::shared_ptr<const PreparedPlan> plan, PlanOf(db, view, method, json, options));
  const query::ast::Query& q = plan->query;
  LOOM_ASSIGN_OR_RETURN(query::exec::FindResult result, query::exec::Run(plan->physical, q, view, options));
  if (method == "records.find") {
    Json out = {{"data", std::move(result.data)}, {"total", result.total}};
    if (!q.warnings.empty()) {  // only when there are some: RushDB's shape otherwise
      Json warnings = Json::array();
      for (const auto& w : q.warnings) warnings.push_back({{"path", w.path}, {"message", w.message}});
      out["warnings"] = std::move(warnings);
    }
    return out;
  }
  if (method == "records.findUniq" && result.total > 1) {
    return MakeError(ErrorCode::kNonUniqueResult,
                     absl::StrCat("expected at most one record, found ", result.total));
  }
  if (result.data.empty()) return Json(nullptr);
  return std::move(result.data[0]);
}

absl::StatusOr<Json> Explain(DatabaseImpl& db, storage::ReadView& view, const Json& params) {
  // params: {"query": SearchQuery, "options": {"analyze"?: bool, "source"?: ...}}
  const Json query = params.is_object() && params.contains("query") ? params["query"] : Json::object();
  const Json options = params.is_object() && params.contains("options") ? params["options"] : Json::object();
  LOOM_ASSIGN_OR_RETURN(query::ast::Query q, Parse(db, query));
  const bool analyze = options.is_object() && options.value("analyze", false);
  return query::exec::ExplainQuery(q, view, analyze, ExecOptionsFor(db, options));
}

absl::StatusOr<Json> LabelsFind(DatabaseImpl& db, storage::ReadView& view, const Json& json) {
  LOOM_ASSIGN_OR_RETURN(query::ast::Query q, Parse(db, json));
  LOOM_ASSIGN_OR_RETURN(auto counts, query::exec::CountLabels(q, view));
  Json out = Json::object();
  for (const auto& [label, count] : counts) out[label] = count;
  return out;
}

absl::StatusOr<Json> PropertiesFind(DatabaseImpl& db, storage::ReadView& view, const Json& json) {
  LOOM_ASSIGN_OR_RETURN(query::ast::Query q, Parse(db, json));
  LOOM_ASSIGN_OR_RETURN(std::vector<std::string> names, query::exec::FindPropertyNames(q, view));
  // Every (name, type) of a found name, with its database-wide recordsCount.
  struct Pair {
    std::string name;
    PropType type;
    uint64_t count;
  };
  std::vector<Pair> pairs;
  for (const std::string& name : names) {
    auto name_id = view.dictionaries().properties.Find(name);
    if (!name_id) continue;
    for (PropType type : {PropType::kString, PropType::kNumber, PropType::kBoolean, PropType::kDatetime,
                          PropType::kVector}) {
      const uint64_t count = view.PropertyTypeCount(*name_id, type);
      if (count > 0) pairs.push_back({name, type, count});
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    if (a.name != b.name) return a.name < b.name;
    return PropTypeName(a.type) < PropTypeName(b.type);
  });
  Json out = Json::array();
  for (const Pair& p : pairs) {
    LOOM_ASSIGN_OR_RETURN(std::string id, db.property_ids().Current(p.name, p.type));
    out.push_back(Json{{"id", id},
                       {"name", p.name},
                       {"type", std::string(PropTypeName(p.type))},
                       {"metadata", ""},
                       {"recordsCount", p.count}});
  }
  return out;
}

// records.export (api.md §2.5, import-export.md §5.1, §5.2):
// params {"query": SearchQuery, "options"?: {"format"?: "csv" | "json" | "jsonl"}}.
absl::StatusOr<Json> Export(DatabaseImpl& db, storage::ReadView& view, const Json& params) {
  if (!params.is_null() && !params.is_object()) return InvalidArgument("", "expected {query, options}");
  const Json* query_json = Member(params, "query");
  const Json* options = Member(params, "options");
  std::string format = "csv";
  // loom extension: {"all": true} exports every matching record, or exactly
  // the query's `limit` when given, instead of RushDB's pagination helper
  // (whose default and cap are 100 rows for CSV). The CLI uses it.
  bool all = false;
  if (options != nullptr) {
    if (!options->is_object()) return InvalidArgument("/options", "options must be an object");
    if (const Json* a = Member(*options, "all")) {
      if (!a->is_boolean()) return InvalidArgument("/options/all", "all must be a boolean");
      all = a->get<bool>();
    }
    if (const Json* f = Member(*options, "format")) {
      format = f->is_string() ? f->get<std::string>() : "";
      if (format != "csv" && format != "json" && format != "jsonl") {
        return InvalidArgument("/options/format", "format must be \"csv\", \"json\" or \"jsonl\"");
      }
    }
  }
  Json query = query_json != nullptr ? *query_json : Json::object();
  if (!query.is_object()) return InvalidQuery("", "expected a search query object");
  // select / groupBy / aggregate are ignored; limit and skip follow the
  // unvalidated pagination helper (an absent limit: 100 for CSV, all
  // matching records for json / jsonl).
  for (const char* key : {"select", "groupBy", "aggregate"}) query.erase(key);
  int64_t limit = format == "csv" && !all ? 100 : std::numeric_limits<int64_t>::max();
  int64_t skip = 0;
  if (const Json* l = Member(query, "limit")) {
    if (all && l->is_number_integer() && l->get<int64_t>() >= 1) {
      limit = l->get<int64_t>();
    } else {
      limit = query::HelperLimit(l);
    }
  }
  skip = query::HelperSkip(Member(query, "skip"));
  query.erase("limit");
  query.erase("skip");
  query::ParseOptions parse_options;
  parse_options.max_traversal_hops = db.options().max_traversal_hops;
  LOOM_ASSIGN_OR_RETURN(query::ast::Query q, query::ParseQuery(query, parse_options));
  q.limit = limit;
  q.skip = skip;
  LOOM_ASSIGN_OR_RETURN(query::exec::FindResult result, query::exec::Execute(q, view, ExecOptionsFor(db, Json())));

  std::string content;
  const auto dump = [](const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); };
  if (format == "json") {
    content = "[";
    for (size_t i = 0; i < result.data.size(); ++i) {
      if (i > 0) content += ',';
      content += dump(result.data[i]);
    }
    content += ']';
  } else if (format == "jsonl") {
    for (const Json& record : result.data) {
      content += dump(record);
      content += '\n';
    }
  } else {
    std::vector<Record> records;
    records.reserve(result.data.size());
    storage::StoredRecord stored;
    for (const Json& record : result.data) {
      LOOM_ASSIGN_OR_RETURN(std::optional<storage::Rid> rid,
                            view.LookupId(record["__id"].get<std::string>()));
      if (!rid) continue;
      LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecord(*rid, &stored));
      if (found) records.push_back(ToRecord(view.dictionaries(), stored));
    }
    content = ExportCsv(records);
  }
  std::string now = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  return Json{{"fileContent", std::move(content)}, {"dateTime", std::move(now)}};
}

absl::StatusOr<Json> Delete(DatabaseImpl& db, WriteScope& scope, const Json& json) {
  const bool empty_where = !json.is_object() || !json.contains("where") ||
                           (json["where"].is_object() && json["where"].empty());
  if (empty_where && !db.options().allow_force_delete) {
    return MakeError(ErrorCode::kEmptyTarget, "records.delete needs a non-empty where (or allow_force_delete)",
                     "/where");
  }
  LOOM_ASSIGN_OR_RETURN(query::ast::Query q, Parse(db, json));
  LOOM_ASSIGN_OR_RETURN(std::vector<storage::Rid> rids, query::exec::MatchingRoots(q, *scope.txn));
  storage::StoredRecord record;
  size_t deleted = 0;
  for (storage::Rid rid : rids) {
    LOOM_ASSIGN_OR_RETURN(bool found, scope.txn->GetRecord(rid, &record));
    if (!found) continue;
    LOOM_RETURN_IF_ERROR(scope.txn->DeleteRecord(record));
    ++deleted;
  }
  return Json{{"message", absl::StrCat(deleted, " record(s) have been successfully deleted.")}};
}

}  // namespace

absl::StatusOr<std::vector<storage::Rid>> MatchRecords(DatabaseImpl& db, storage::ReadView& view,
                                                       const Json* labels, const Json* where,
                                                       std::string_view path) {
  query::ast::Query q;
  const std::string labels_path = std::string(path) + "/labels";
  if (labels != nullptr && !labels->is_null()) {
    if (!labels->is_array()) return InvalidQuery(labels_path, "labels must be an array of strings");
    for (size_t i = 0; i < labels->size(); ++i) {
      const Json& label = (*labels)[i];
      if (label.is_null()) continue;
      if (!label.is_string()) return InvalidQuery(absl::StrCat(labels_path, "/", i), "labels must be strings");
      q.labels.push_back(label.get<std::string>());
    }
  }
  if (where != nullptr && !where->is_null()) {
    query::ParseOptions options;
    options.max_traversal_hops = db.options().max_traversal_hops;
    LOOM_ASSIGN_OR_RETURN(q.where, query::ParseWhere(*where, std::string(path) + "/where", options));
  }
  return query::exec::MatchingRoots(q, view);
}

absl::StatusOr<Json> RunQuery(DatabaseImpl& db, storage::ReadView& view, std::string_view method,
                              const Json& query) {
  if (method == "records.find" || method == "records.findOne" || method == "records.findUniq") {
    return Find(db, view, method, query);
  }
  if (method == "records.explain") return Explain(db, view, query);
  if (method == "records.export") return Export(db, view, query);
  if (method == "labels.find") return LabelsFind(db, view, query);
  if (method == "properties.find") return PropertiesFind(db, view, query);
  return NotAvailable(method);
}

absl::StatusOr<Json> RunQueryWrite(DatabaseImpl& db, WriteScope& scope, std::string_view method,
                                   const Json& query) {
  if (method == "records.delete") return Delete(db, scope, query);
  return NotAvailable(method);
}

}  // namespace loom::engine
