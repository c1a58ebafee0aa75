#include "query/exec/record_source.h"

#include "loom/status.h"
#include "query/functions/output_values.h"
#include "storage/record_json.h"

namespace loom::query::exec {

using storage::Rid;
using storage::StoredRecord;

namespace {
// Records kept between reads; past it the cache starts over (roots are
// visited in order, so old entries are rarely wanted again).
constexpr size_t kMaxCached = 1 << 16;
}  // namespace

absl::Status RecordSource::Prefetch(const std::vector<Rid>& rids) {
  if (records_.size() + rids.size() > kMaxCached) records_.clear();
  std::vector<Rid> missing;
  for (Rid r : rids) {
    if (!records_.contains(r)) missing.push_back(r);
  }
  if (missing.empty()) return absl::OkStatus();
  std::vector<StoredRecord> out;
  std::vector<bool> found;
  LOOM_RETURN_IF_ERROR(view_.GetRecords(missing, &out, &found));
  for (size_t i = 0; i < missing.size(); ++i) {
    if (found[i]) {
      records_.emplace(missing[i], std::move(out[i]));
    } else {
      records_.emplace(missing[i], std::nullopt);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<const StoredRecord*> RecordSource::Get(Rid rid) {
  auto it = records_.find(rid);
  if (it == records_.end()) {
    if (records_.size() >= kMaxCached) records_.clear();
    StoredRecord record;
    LOOM_ASSIGN_OR_RETURN(bool found, view_.GetRecord(rid, &record));
    it = records_.emplace(rid, found ? std::optional<StoredRecord>(std::move(record)) : std::nullopt).first;
  }
  return it->second ? &*it->second : nullptr;
}

std::optional<storage::NameId> RecordSource::PropertyId(const std::string& name) {
  auto it = property_ids_.find(name);
  if (it != property_ids_.end()) return it->second;
  auto id = view_.dictionaries().properties.Find(name);
  property_ids_.emplace(name, id);
  return id;
}

absl::StatusOr<Json> RecordSource::Field(Rid rid, const std::string& field, std::optional<PropType>* type) {
  LOOM_ASSIGN_OR_RETURN(const StoredRecord* record, Get(rid));
  if (record == nullptr) return Json(nullptr);
  if (field == "__id") return Json(record->id);
  auto id = PropertyId(field);
  if (!id) return Json(nullptr);
  const Value* value = record->Find(*id);
  if (value == nullptr) return Json(nullptr);
  if (type != nullptr) *type = value->type;
  return PropertyToValue(*value);
}

absl::StatusOr<Json> RecordSource::RecordJson(Rid rid) {
  LOOM_ASSIGN_OR_RETURN(const StoredRecord* stored, Get(rid));
  if (stored == nullptr) return Json(nullptr);
  return storage::StoredRecordToJson(view_.dictionaries(), *stored);
}

absl::StatusOr<std::string> RecordSource::Label(Rid rid) {
  LOOM_ASSIGN_OR_RETURN(const StoredRecord* stored, Get(rid));
  if (stored == nullptr || stored->label == storage::kNoName) return std::string();
  return std::string(view_.dictionaries().labels.Name(stored->label));
}

}  // namespace loom::query::exec
