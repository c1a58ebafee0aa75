// engine/call_dispatch.cc: Database::Call, the dotted-name dispatcher used by
// the CLI and `loom serve --stdio`.
//
// Parameter shapes (params is always the JSON value given to Call):
//
//   method                     params
//   records.create             {label?, data?|properties?, options?}        (api.md §1.1)
//   records.createMany         {label, data: [...], options?}
//   records.importJson         {label?, data, format?, options?}
//   records.importCsv          {label, data, options?, parseConfig?}
//   records.upsert             {label?, data?|properties?, options?}
//   records.set / update       {target, label?, data?|properties?, options?}
//   records.delete             SearchQuery
//   records.deleteById         {"id": id | [ids]}   or the id / array itself
//   records.load               {data: bundle text | path: file, format?, label?}  (import-export.md §6)
//                              or {nodes: [{label, path, key?}], edges?: [{type, path, from?, to?}]}: graph CSV tables
//   records.importFile         {path, label?, format?, options?, parseConfig?, onError?,
//                               rejectFile?, resume?, batchRecords?}          (§2, §3; I6)
//   db.dump / records.dump     {path?}: a dataset bundle (§5.3) to the file, or as fileContent
//   records.attach / detach    {source, target, options?}
//   records.find / findOne /
//   records.findUniq           SearchQuery (+ "id" for related-records search)
//   records.findById           {"id": id | [ids]}   or the id / array itself
//   records.explain / export   {"query": SearchQuery, "options"?: {...}}
//   relationships.find /
//   createMany / deleteMany    their argument object (api.md §3)
//   labels.find                {where?, labels?}
//   properties.find            SearchQuery
//   properties.findById        {"id": id}           or the id string itself
//   properties.values          {"id": id, query?, orderBy?, skip?, limit?, labels?, where?}
//   properties.delete          {"id": id}           or the id string itself
//   db.stats                   {}: {"planCache": {entries, hits, misses}}
//   tx.begin                   {ttl?}
//   tx.get / commit / rollback {"id": id}           or the id string itself
//
// An unknown method is INVALID_ARGUMENT at "/method"; a missing or non-string
// id is INVALID_ARGUMENT at "/id".
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "engine/database_impl.h"
#include "engine/record_mapper.h"
#include "loom/status.h"

namespace loom::engine {
namespace {

// {"id": x} -> x; anything else is the ids value itself.
const Json& IdsParam(const Json& params) {
  if (params.is_object() && !params.contains("__id") && params.contains("id")) return params["id"];
  return params;
}

absl::StatusOr<std::string> IdParam(const Json& params) {
  const Json& id = IdsParam(params);
  if (!id.is_string()) return InvalidArgument("/id", "expected a string id");
  return id.get<std::string>();
}

Json Without(const Json& params, std::string_view key) {
  Json out = params;
  if (out.is_object()) out.erase(std::string(key));
  return out;
}


using Handler = std::function<absl::StatusOr<Json>(DatabaseImpl&, const Json&, TxId)>;

const absl::flat_hash_map<std::string, Handler>& Handlers() {
  static const auto* handlers = new absl::flat_hash_map<std::string, Handler>{
      {"records.create", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.Create(p, tx); }},
      {"records.createMany", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.CreateMany(p, tx); }},
      {"records.importJson", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.ImportJson(p, tx); }},
      {"records.importCsv", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.ImportCsv(p, tx); }},
      {"records.upsert", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.Upsert(p, tx); }},
      {"records.set", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.Set(p, tx); }},
      {"records.update", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.Update(p, tx); }},
      {"records.delete",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.QueryWrite("records.delete", p, tx); }},
      {"records.deleteById",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.DeleteById(IdsParam(p), tx); }},
      {"records.load", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.LoadDataset(p, tx); }},
      {"records.importFile", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.ImportFile(p, tx); }},
      {"records.dump", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.Dump(p, tx); }},
      {"db.dump", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.Dump(p, tx); }},
      {"db.stats",
       [](DatabaseImpl& db, const Json&, TxId) -> absl::StatusOr<Json> {
         return Json{{"planCache", db.plan_cache().Stats()}};
       }},
      {"records.attach", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.Attach(p, tx); }},
      {"records.detach", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.Detach(p, tx); }},
      {"records.find",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.QueryRead("records.find", p, tx); }},
      {"records.findOne",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.QueryRead("records.findOne", p, tx); }},
      {"records.findUniq",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.QueryRead("records.findUniq", p, tx); }},
      {"records.findById",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.FindById(IdsParam(p), tx); }},
      {"records.explain",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.QueryRead("records.explain", p, tx); }},
      {"records.export",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.QueryRead("records.export", p, tx); }},
      {"relationships.find",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.RelationshipsFind(p, tx); }},
      {"relationships.createMany",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.RelationshipsCreateMany(p, tx); }},
      {"relationships.deleteMany",
       [](DatabaseImpl& db, const Json& p, TxId tx) { return db.RelationshipsDeleteMany(p, tx); }},
      {"labels.find", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.LabelsFind(p, tx); }},
      {"properties.find", [](DatabaseImpl& db, const Json& p, TxId tx) { return db.PropertiesFind(p, tx); }},
      {"properties.findById",
       [](DatabaseImpl& db, const Json& p, TxId tx) -> absl::StatusOr<Json> {
         LOOM_ASSIGN_OR_RETURN(std::string id, IdParam(p));
         return db.PropertiesFindById(id, tx);
       }},
      {"properties.values",
       [](DatabaseImpl& db, const Json& p, TxId tx) -> absl::StatusOr<Json> {
         LOOM_ASSIGN_OR_RETURN(std::string id, IdParam(p));
         return db.PropertiesValues(id, p.is_object() ? Without(p, "id") : Json::object(), tx);
       }},
      {"properties.delete",
       [](DatabaseImpl& db, const Json& p, TxId tx) -> absl::StatusOr<Json> {
         LOOM_ASSIGN_OR_RETURN(std::string id, IdParam(p));
         return db.PropertiesDelete(id, tx);
       }},
      {"tx.begin", [](DatabaseImpl& db, const Json& p, TxId) { return db.TxBegin(p); }},
      {"tx.get",
       [](DatabaseImpl& db, const Json& p, TxId) -> absl::StatusOr<Json> {
         LOOM_ASSIGN_OR_RETURN(std::string id, IdParam(p));
         return db.TxGet(id);
       }},
      {"tx.commit",
       [](DatabaseImpl& db, const Json& p, TxId) -> absl::StatusOr<Json> {
         LOOM_ASSIGN_OR_RETURN(std::string id, IdParam(p));
         return db.TxCommit(id);
       }},
      {"tx.rollback",
       [](DatabaseImpl& db, const Json& p, TxId) -> absl::StatusOr<Json> {
         LOOM_ASSIGN_OR_RETURN(std::string id, IdParam(p));
         return db.TxRollback(id);
       }},
  };
  return *handlers;
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::Call(std::string_view method, const Json& params, TxId tx) {
  const auto& handlers = Handlers();
  auto it = handlers.find(std::string(method));
  if (it == handlers.end()) {
    return InvalidArgument("/method", "unknown method \"" + std::string(method) + "\"");
  }
  return it->second(*this, params, tx);
}

}  // namespace loom::engine
