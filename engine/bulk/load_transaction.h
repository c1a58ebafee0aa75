// engine/bulk/load_transaction.h: the one ingesting WriteTxn of an atomic
// load (records.load: dataset bundles, CSV exports, graph CSV tables) and
// the steps every loader shares: writing a record with its id checked,
// interning names through a per-load cache, creating relationships whose
// endpoints come later, committing, and the result object.
//
// Private to loom_bulk. Not thread-safe: one loader thread per state.
#ifndef LOOM_ENGINE_BULK_LOAD_TRANSACTION_H_
#define LOOM_ENGINE_BULK_LOAD_TRANSACTION_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "engine/bulk/bulk_records.h"
#include "engine/bulk/bundle_entry.h"
#include "loom/json.h"
#include "storage/store.h"

namespace loom::engine::bulk {

// A record written by this load, as a relationship endpoint.
struct Loaded {
  storage::Rid rid = 0;
  storage::NameId label = storage::kNoName;
};

// A relationship entry checked and waiting for all records (§6.3 rule 6).
struct PendingRelationship {
  std::string source, target;
  storage::NameId type = 0;
  std::string properties;  // JSON object text, "" for none
};

// The load is one ingesting WriteTxn (nothing written is read back): the
// bundle's own records are remembered in `loaded`, existing ones are read
// from the snapshot the load started from.
struct LoadState {
  std::unique_ptr<storage::WriteTxn> txn;
  absl::flat_hash_map<std::string, Loaded> loaded;  // ids of this bundle
  bool store_empty = false;                         // no existing record to conflict with or link to
  std::vector<PendingRelationship> relationships_pending;
  uint64_t records = 0;
  uint64_t relationships = 0;
  uint64_t skipped = 0;
  absl::flat_hash_map<std::string, storage::NameId> label_ids, property_ids, rel_type_ids;  // CachedIntern
  storage::StoredRecord record;  // scratch
};

std::unique_ptr<LoadState> NewLoadState(const BulkTarget& target);

// Names interned through a per-load cache: the dictionary takes a lock per call.
absl::StatusOr<storage::NameId> CachedIntern(storage::Dictionary& dictionary,
                                             absl::flat_hash_map<std::string, storage::NameId>& cache,
                                             std::string_view name);

// Writes one record (ID_CONFLICT for a repeated or existing id; a new id
// when the entry has none); its id and property values are moved out of
// `entry`. Afterwards state.record holds the record written (its rid).
absl::Status PutLoadedRecord(const BulkTarget& target, LoadState& state, RecordEntry& entry,
                             const EntryOrigin& origin);

// Creates the pending relationships in entry order (those with a missing
// endpoint are counted as skipped), then commits the load.
absl::Status FinishLoad(const BulkTarget& target, LoadState& state);

// {"records": n, "relationships": m, "skippedRelationships": k}.
Json Result(const LoadState& state);

}  // namespace loom::engine::bulk

#endif  // LOOM_ENGINE_BULK_LOAD_TRANSACTION_H_
