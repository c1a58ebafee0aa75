// engine/imports.cc: records.createMany / importJson / importCsv (api.md
// §1.2-§1.4). engine/import/ turns the arguments into an ImportPlan of drafts
// in BFS order; this file persists it in one write: records in plan order
// (fresh ids in that order, or upserts per import-export.md §2.7), then one
// parent -> child edge per nested draft, then the result of §2.8.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/database_impl.h"
#include "engine/import/csv_import_plan.h"
#include "engine/import/json_import_plan.h"
#include "engine/import/write_typing.h"
#include "engine/record_mapper.h"
#include "loom/status.h"

namespace loom::engine {
namespace {

constexpr size_t kMaxReturnedRecords = 1000;

struct Persisted {
  size_t count = 0;
  std::vector<Json> records;  // filled while count <= kMaxReturnedRecords and wanted
};

absl::StatusOr<Persisted> PersistPlan(DatabaseImpl& db, WriteScope& scope, const ImportPlan& plan) {
  storage::Dictionaries& dicts = db.store().dictionaries();
  const ImportOptions& options = plan.options;
  Persisted out;
  std::vector<storage::Rid> rids;
  rids.reserve(plan.records.size());
  for (const DraftRecord& draft : plan.records) {
    storage::StoredRecord record;
    if (options.upsert) {
      LOOM_ASSIGN_OR_RETURN(record, db.UpsertRecord(scope, draft.label, draft.properties, options.merge_by,
                                                    options.merge_rewrite, /*any_label=*/false));
    } else {
      LOOM_ASSIGN_OR_RETURN(record, db.CreateRecord(scope, draft.label, draft.properties));
    }
    rids.push_back(record.rid);
    ++out.count;
    if (options.return_result && out.count <= kMaxReturnedRecords) {
      out.records.push_back(ToJson(dicts, record));
    }
  }
  std::optional<storage::NameId> type_id;
  for (size_t i = 0; i < plan.records.size(); ++i) {
    const int64_t parent = plan.records[i].parent;
    if (parent < 0) continue;
    if (!type_id) {
      std::string type = plan.relationship_type.empty() ? std::string(kDefaultRelType) : plan.relationship_type;
      LOOM_ASSIGN_OR_RETURN(type_id, dicts.rel_types.Intern(type));
    }
    LOOM_RETURN_IF_ERROR(
        scope.txn->AddEdge(rids[static_cast<size_t>(parent)], rids[i], *type_id, "").status());
  }
  return out;
}

// import-export.md §2.8.
Json ImportResult(const ImportPlan& plan, Persisted persisted) {
  if (!plan.options.return_result) return true;
  if (persisted.count > kMaxReturnedRecords) {
    return Json{{"message", absl::StrCat(persisted.count, " records have been imported.")},
                {"count", persisted.count}};
  }
  Json out = Json::array();
  for (Json& r : persisted.records) out.push_back(std::move(r));
  return out;
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::ImportJson(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    if (!args.is_object()) return InvalidArgument("", "expected an object of arguments");
    LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(args, ""));
    LOOM_ASSIGN_OR_RETURN(ImportPlan plan, PlanJsonImport(args));
    LOOM_ASSIGN_OR_RETURN(Persisted persisted, PersistPlan(*this, scope, plan));
    return ImportResult(plan, std::move(persisted));
  });
}

absl::StatusOr<Json> DatabaseImpl::ImportCsv(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    if (!args.is_object()) return InvalidArgument("", "expected an object of arguments");
    LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(args, ""));
    LOOM_ASSIGN_OR_RETURN(ImportPlan plan, PlanCsvImport(args));
    LOOM_ASSIGN_OR_RETURN(Persisted persisted, PersistPlan(*this, scope, plan));
    return ImportResult(plan, std::move(persisted));
  });
}

absl::StatusOr<Json> DatabaseImpl::CreateMany(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    if (!args.is_object()) return InvalidArgument("", "expected an object of arguments");
    LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(args, ""));
    LOOM_ASSIGN_OR_RETURN(ImportPlan plan, PlanCreateMany(args));
    LOOM_ASSIGN_OR_RETURN(Persisted persisted, PersistPlan(*this, scope, plan));
    // api.md §1.2: the JS SDK turns a non-array import result into [].
    Json data = Json::array();
    if (plan.options.return_result && persisted.count <= kMaxReturnedRecords) {
      for (Json& r : persisted.records) data.push_back(std::move(r));
    }
    return Json{{"data", std::move(data)}, {"total", 0}};
  });
}

}  // namespace loom::engine
