#include "engine/bulk/load_transaction.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "loom/status.h"

namespace loom::engine::bulk {
namespace {

// An endpoint among the loaded records, else among the existing ones.
absl::StatusOr<std::optional<Loaded>> FindEndpoint(LoadState& state, const std::string& id) {
  if (auto it = state.loaded.find(id); it != state.loaded.end()) return std::optional<Loaded>(it->second);
  if (state.store_empty) return std::optional<Loaded>();
  LOOM_ASSIGN_OR_RETURN(std::optional<storage::Rid> rid, state.txn->LookupId(id));
  if (!rid) return std::optional<Loaded>();
  Loaded out{*rid, storage::kNoName};
  std::string stored_id;
  LOOM_ASSIGN_OR_RETURN(bool found, state.txn->GetRecordHeader(*rid, &out.label, &stored_id));
  if (!found) return std::optional<Loaded>();
  return std::optional<Loaded>(out);
}

}  // namespace

std::unique_ptr<LoadState> NewLoadState(const BulkTarget& target) {
  auto state = std::make_unique<LoadState>();
  state->txn = target.store->BeginWrite(storage::Store::WriteMode::kIngest);
  state->store_empty = state->txn->RecordCount() == 0;
  return state;
}

absl::Status FinishLoad(const BulkTarget& target, LoadState& state) {
  for (const PendingRelationship& r : state.relationships_pending) {
    LOOM_ASSIGN_OR_RETURN(std::optional<Loaded> start, FindEndpoint(state, r.source));
    LOOM_ASSIGN_OR_RETURN(std::optional<Loaded> end, FindEndpoint(state, r.target));
    if (!start || !end) {
      ++state.skipped;
      continue;
    }
    LOOM_RETURN_IF_ERROR(state.txn->AddEdge(start->rid, start->label, end->rid, end->label, r.type, r.properties).status());
    ++state.relationships;
  }
  state.relationships_pending.clear();
  return state.txn->Commit(target.durability);
}

absl::StatusOr<storage::NameId> CachedIntern(storage::Dictionary& dictionary,
                                             absl::flat_hash_map<std::string, storage::NameId>& cache,
                                             std::string_view name) {
  if (auto it = cache.find(Sv(name)); it != cache.end()) return it->second;
  LOOM_ASSIGN_OR_RETURN(storage::NameId id, dictionary.Intern(name));
  cache.emplace(std::string(name), id);
  return id;
}

absl::Status PutLoadedRecord(const BulkTarget& target, LoadState& state, RecordEntry& entry,
                             const EntryOrigin& origin) {
  storage::Dictionaries& dicts = target.store->dictionaries();
  if (!entry.id) {
    entry.id = target.next_id();
  } else if (entry.id->empty()) {
    return origin.Error(JsonPointerChild("", entry.id_key), "id must be a non-empty string");
  }
  const std::string& id = *entry.id;
  storage::StoredRecord& record = state.record;
  record.rid = state.txn->NewRid();
  record.label = storage::kNoName;
  if (entry.label && !entry.label->empty()) {
    LOOM_ASSIGN_OR_RETURN(record.label, CachedIntern(dicts.labels, state.label_ids, *entry.label));
  }
  bool repeated = !state.loaded.try_emplace(id, Loaded{record.rid, record.label}).second;
  std::optional<storage::Rid> existing;
  if (!repeated && !state.store_empty) {
    LOOM_ASSIGN_OR_RETURN(existing, state.txn->LookupId(id));
  }
  if (repeated || existing) {
    return MakeError(ErrorCode::kIdConflict,
                     absl::StrCat(origin.line > 0 ? absl::StrCat("line ", origin.line, ": ") : "", "id ", id,
                                  repeated ? " appears twice in the bundle" : " already exists"),
                     JsonPointerChild(origin.pointer, entry.id_key));
  }
  record.id = std::move(*entry.id);
  record.properties.clear();
  for (Property& p : entry.properties) {
    LOOM_ASSIGN_OR_RETURN(storage::NameId name, CachedIntern(dicts.properties, state.property_ids, p.name));
    record.properties.push_back(storage::StoredProperty{name, std::move(p.value)});
  }
  LOOM_RETURN_IF_ERROR(state.txn->PutRecord(record, nullptr));
  ++state.records;
  return absl::OkStatus();
}


Json Result(const LoadState& state) {
  Json out = Json::object();
  out["records"] = state.records;
  out["relationships"] = state.relationships;
  out["skippedRelationships"] = state.skipped;
  return out;
}

}  // namespace loom::engine::bulk
