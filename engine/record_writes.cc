// engine/record_writes.cc: records.create / upsert / set / update / deleteById
// (api.md §1.1, §1.5-§1.7, §1.9). Validation runs inside the write so that a
// bad argument inside an explicit transaction rolls it back (api.md §0.3).
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/database_impl.h"
#include "engine/import/write_typing.h"
#include "engine/record_mapper.h"
#include "loom/status.h"
#include "storage/record_json.h"

namespace loom::engine {
namespace {

absl::Status RequireObject(const Json& args) {
  if (!args.is_object()) return InvalidArgument("", "expected an object of arguments");
  return absl::OkStatus();
}

struct TypedWrite {
  std::optional<std::string> label;
  WriteOptions options;
  std::vector<Property> properties;
};

// Forbidden keys everywhere except `target` (a record target legitimately
// holds "__id"), then label, options and the typed payload.
absl::StatusOr<TypedWrite> ParseTypedWrite(const Json& args) {
  LOOM_RETURN_IF_ERROR(RequireObject(args));
  if (args.contains("target")) {
    Json body = args;
    body.erase("target");
    LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(body, ""));
  } else {
    LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(args, ""));
  }
  TypedWrite out;
  LOOM_ASSIGN_OR_RETURN(out.label, ParseLabel(args, "label"));
  LOOM_ASSIGN_OR_RETURN(out.options, ParseWriteOptions(Member(args, "options"), "/options"));
  LOOM_ASSIGN_OR_RETURN(out.properties,
                        TypeWritePayload(Member(args, "data"), Member(args, "properties"), out.options, ""));
  return out;
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::Create(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    LOOM_ASSIGN_OR_RETURN(TypedWrite w, ParseTypedWrite(args));
    storage::StoredRecord record;
    if (w.options.upsert) {
      LOOM_ASSIGN_OR_RETURN(record, UpsertRecord(scope, w.label, w.properties, w.options.merge_by,
                                                 w.options.merge_rewrite, /*any_label=*/true));
    } else {
      LOOM_ASSIGN_OR_RETURN(record, CreateRecord(scope, w.label, w.properties));
    }
    return storage::StoredRecordToJson(store().dictionaries(), record);
  });
}

absl::StatusOr<Json> DatabaseImpl::Upsert(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    LOOM_ASSIGN_OR_RETURN(TypedWrite w, ParseTypedWrite(args));
    LOOM_ASSIGN_OR_RETURN(storage::StoredRecord record,
                          UpsertRecord(scope, w.label, w.properties, w.options.merge_by,
                                       w.options.merge_rewrite, /*any_label=*/true));
    return storage::StoredRecordToJson(store().dictionaries(), record);
  });
}

namespace {

enum class EditMode { kSet, kUpdate };

absl::StatusOr<Json> Edit(DatabaseImpl& db, WriteScope& scope, const Json& args, EditMode mode) {
  LOOM_ASSIGN_OR_RETURN(TypedWrite w, ParseTypedWrite(args));
  const Json* target = Member(args, "target");
  if (target == nullptr) return InvalidArgument("/target", "a target record is required");
  LOOM_ASSIGN_OR_RETURN(std::string id, ParseTarget(*target, "/target"));
  LOOM_ASSIGN_OR_RETURN(std::optional<storage::StoredRecord> old, db.LoadById(*scope.txn, id));
  if (!old) return MakeError(ErrorCode::kNotFound, "record " + id + " not found");
  storage::Dictionaries& dicts = db.store().dictionaries();
  std::vector<Property> properties = w.properties;
  if (mode == EditMode::kUpdate) {
    // api.md §1.7: current values re-typed with default inference, then overlaid.
    properties = Overlay(RetypeForUpdate(ToRecord(dicts, *old).properties), w.properties);
  }
  std::optional<std::string> label = w.label;
  if (!label && old->label != storage::kNoName) label = dicts.labels.Name(old->label);
  LOOM_ASSIGN_OR_RETURN(storage::StoredRecord updated, ToStored(dicts, *old, label, properties));
  LOOM_RETURN_IF_ERROR(db.PutRecord(scope, updated, &*old));
  return storage::StoredRecordToJson(dicts, updated);
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::Set(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) { return Edit(*this, scope, args, EditMode::kSet); });
}

absl::StatusOr<Json> DatabaseImpl::Update(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) { return Edit(*this, scope, args, EditMode::kUpdate); });
}

absl::StatusOr<Json> DatabaseImpl::DeleteById(const Json& ids, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    LOOM_ASSIGN_OR_RETURN(std::vector<std::string> list, ParseTargets(ids, ""));
    size_t deleted = 0;
    for (const std::string& id : list) {
      LOOM_ASSIGN_OR_RETURN(std::optional<storage::StoredRecord> record, LoadById(*scope.txn, id));
      if (!record) continue;  // a missing id is not an error (api.md §1.9)
      LOOM_RETURN_IF_ERROR(scope.txn->DeleteRecord(*record));
      ++deleted;
    }
    if (!ids.is_array()) return Json{{"message", "This record has been successfully deleted."}};
    return Json{{"message", absl::StrCat(deleted, " record(s) have been successfully deleted.")}};
  });
}

}  // namespace loom::engine
