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
#include "storage/record_json.h"

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
  std::vector<storage::NameId> labels;
  rids.reserve(plan.records.size());
  labels.reserve(plan.records.size());
  for (const DraftRecord& draft : plan.records) {
    storage::StoredRecord record;
    if (options.upsert) {
      LOOM_ASSIGN_OR_RETURN(record, db.UpsertRecord(scope, draft.label, draft.properties, options.merge_by,
                                                    options.merge_rewrite, /*any_label=*/false));
    } else {
      LOOM_ASSIGN_OR_RETURN(record, db.CreateRecord(scope, draft.label, draft.properties));
    }
    rids.push_back(record.rid);
    labels.push_back(record.label);
    ++out.count;
    if (options.return_result && out.count <= kMaxReturnedRecords) {
      out.records.push_back(storage::StoredRecordToJson(dicts, record));
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
    // Both endpoints were just written and their labels are known: no record
    // reads (which a blind write could not answer anyway).
    const size_t p = static_cast<size_t>(parent);
    LOOM_RETURN_IF_ERROR(scope.txn->AddEdge(rids[p], labels[p], rids[i], labels[i], *type_id, "").status());
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

using PlanFn = absl::StatusOr<ImportPlan> (*)(const Json& args);
using ResultFn = Json (*)(const ImportPlan& plan, Persisted persisted);

absl::StatusOr<ImportPlan> CheckedPlan(const Json& args, PlanFn plan_fn) {
  if (!args.is_object()) return InvalidArgument("", "expected an object of arguments");
  LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(args, ""));
  return plan_fn(args);
}

// Inside an explicit transaction the arguments are checked within the write
// (a bad argument rolls the transaction back, api.md §0.3). Outside one the
// plan is built first: without upsert nothing is read back, so the write is
// blind (Store::WriteMode::kBlind, no indexed batch).
absl::StatusOr<Json> RunImport(DatabaseImpl& db, const Json& args, TxId tx, PlanFn plan_fn, ResultFn result_fn) {
  if (!tx.empty()) {
    return db.RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
      LOOM_ASSIGN_OR_RETURN(ImportPlan plan, CheckedPlan(args, plan_fn));
      LOOM_ASSIGN_OR_RETURN(Persisted persisted, PersistPlan(db, scope, plan));
      return result_fn(plan, std::move(persisted));
    });
  }
  LOOM_ASSIGN_OR_RETURN(ImportPlan plan, CheckedPlan(args, plan_fn));
  const auto mode = plan.options.upsert ? storage::Store::WriteMode::kIndexed : storage::Store::WriteMode::kBlind;
  return db.RunWrite(
      tx,
      [&](WriteScope& scope) -> absl::StatusOr<Json> {
        LOOM_ASSIGN_OR_RETURN(Persisted persisted, PersistPlan(db, scope, plan));
        return result_fn(plan, std::move(persisted));
      },
      mode);
}

// api.md §1.2: the JS SDK turns a non-array import result into [].
Json CreateManyResult(const ImportPlan& plan, Persisted persisted) {
  Json data = Json::array();
  if (plan.options.return_result && persisted.count <= kMaxReturnedRecords) {
    for (Json& r : persisted.records) data.push_back(std::move(r));
  }
  return Json{{"data", std::move(data)}, {"total", 0}};
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::ImportJson(const Json& args, TxId tx) {
  return RunImport(*this, args, tx, &PlanJsonImport, &ImportResult);
}

absl::StatusOr<Json> DatabaseImpl::ImportCsv(const Json& args, TxId tx) {
  return RunImport(*this, args, tx, &PlanCsvImport, &ImportResult);
}

absl::StatusOr<Json> DatabaseImpl::CreateMany(const Json& args, TxId tx) {
  return RunImport(*this, args, tx, &PlanCreateMany, &CreateManyResult);
}

}  // namespace loom::engine
