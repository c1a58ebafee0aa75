// engine/query_seam.cc: SearchQuery methods through the query engine
// (query::ParseQuery -> query::exec). Methods the query engine does not serve
// yet (records.export, relationships.*, properties.values with a where)
// answer INTERNAL "not available"; see query_seam.h.
#include "engine/query_seam.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/database_impl.h"
#include "loom/status.h"
#include "query/exec/executor.h"
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
  LOOM_ASSIGN_OR_RETURN(query::ast::Query q, query::ParseQuery(json.is_null() ? Json::object() : json, options));
  if (db.options().max_limit > 0 && q.limit > db.options().max_limit) {
    return InvalidQuery("/limit", absl::StrCat("limit must be at most ", db.options().max_limit));
  }
  return q;
}

query::exec::ExecOptions ExecOptionsFor(const Json& options) {
  query::exec::ExecOptions out;
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

absl::StatusOr<Json> Find(DatabaseImpl& db, storage::ReadView& view, std::string_view method, const Json& json) {
  LOOM_ASSIGN_OR_RETURN(query::ast::Query q, Parse(db, json));
  if (method == "records.findOne" || method == "records.findUniq") {
    q.limit = 1;
    q.skip = 0;
  }
  LOOM_ASSIGN_OR_RETURN(query::exec::FindResult result, query::exec::Execute(q, view));
  if (method == "records.find") return Json{{"data", std::move(result.data)}, {"total", result.total}};
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
  return query::exec::ExplainQuery(q, view, analyze, ExecOptionsFor(options));
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

absl::StatusOr<Json> RunQuery(DatabaseImpl& db, storage::ReadView& view, std::string_view method,
                              const Json& query) {
  if (method == "records.find" || method == "records.findOne" || method == "records.findUniq") {
    return Find(db, view, method, query);
  }
  if (method == "records.explain") return Explain(db, view, query);
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
