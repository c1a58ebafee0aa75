// storage/store.h: loom's RocksDB store: typed access to records, the id map,
// label and property indexes, adjacency and statistics. The key layout is in
// storage/key_codec.h; nothing outside storage/ sees RocksDB or raw keys.
//
// Thread safety: a Store is safe to share. ReadViews are cheap snapshots, used
// by one thread at a time. A WriteTxn is one logical write (a WriteBatch whose
// reads see its own writes over a snapshot); the caller serialises writers
// (engine's writer gate), and a WriteTxn is used by one thread at a time.
#ifndef LOOM_STORAGE_STORE_H_
#define LOOM_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "loom/datetime.h"
#include "loom/options.h"
#include "loom/value.h"
#include "storage/dictionary.h"
#include "storage/types.h"

namespace loom::storage {

class StoreImpl;

// Equality / range / prefix over one (label, property) in the props index.
// Bounds are scalars; the index keeps elements of arrays one entry each, so a
// record may be reported once per matching element (callers dedupe).
struct IndexRange {
  IndexTag tag = IndexTag::kString;
  std::optional<Scalar> low;   // for kInstant: unused, use low_instant
  bool low_inclusive = true;
  std::optional<Scalar> high;
  bool high_inclusive = true;
  std::optional<Instant> low_instant, high_instant;  // tag kInstant only
  std::optional<std::string> prefix;                 // tag kString only
};

// Whether a count has moved by more than 10 % since `then`: the rule by which
// estimates and plans made from statistics are remade.
inline bool MovedMoreThanTenPercent(uint64_t then, uint64_t now) {
  const uint64_t drift = now > then ? now - then : then - now;
  return drift * 10 > then;
}

// Read access over one consistent snapshot (or a WriteTxn's own writes).
class ReadView {
 public:
  virtual ~ReadView() = default;

  // Whole record; false when no record has this rid.
  virtual absl::StatusOr<bool> GetRecord(Rid rid, StoredRecord* out) = 0;
  // The records of `rids` in one batched read: (*out)[i] and (*found)[i]
  // for rids[i] (found false when no record has that rid).
  virtual absl::Status GetRecords(const std::vector<Rid>& rids, std::vector<StoredRecord>* out,
                                  std::vector<bool>* found);
  // Only the label and id, without decoding properties.
  virtual absl::StatusOr<bool> GetRecordHeader(Rid rid, NameId* label, std::string* id) = 0;
  // One property (lazily decoded); nullopt when absent or no such record.
  virtual absl::StatusOr<std::optional<Value>> GetProperty(Rid rid, NameId property) = 0;
  virtual absl::StatusOr<std::optional<Rid>> LookupId(std::string_view id) = 0;

  // Scans; the callback returns false to stop early.
  // Records carrying `label` (kNoLabel = unlabeled records) by ascending rid.
  virtual absl::Status ScanLabel(NameId label, const std::function<bool(Rid)>& fn) = 0;
  // Every record, ascending rid.
  virtual absl::Status ScanRecords(const std::function<bool(Rid)>& fn) = 0;
  // Every record with its contents, ascending rid: one pass over the stored
  // records instead of a point read each (dumps and exports of everything).
  virtual absl::Status ScanRecordContents(const std::function<bool(const StoredRecord&)>& fn) = 0;
  // Every record in `__id` string order (descending when `reverse`).
  virtual absl::Status ScanIds(bool reverse, const std::function<bool(std::string_view, Rid)>& fn) = 0;
  // Records of `label` having an element of `property` in `range`, in index order.
  virtual absl::Status ScanIndex(NameId label, NameId property, const IndexRange& range,
                                 const std::function<bool(Rid)>& fn) = 0;
  // Index entries ScanIndex would visit, counted exactly up to
  // `exact_up_to`; past that estimated from the range's share of the
  // property's index bytes (at least `exact_up_to`). The planner's value
  // statistics: exact where a predicate is selective, cheap where not.
  virtual uint64_t EstimateIndexEntries(NameId label, NameId property, const IndexRange& range,
                                        uint64_t exact_up_to) = 0;
  // Adjacency of `rid`, filtered inside the key: direction, type and
  // neighbour label when given. In key order (direction, type, label, rid, eid).
  virtual absl::Status Expand(Rid rid, const EdgeFilter& filter,
                              const std::function<bool(const EdgeRef&)>& fn) = 0;
  // Appends neighbour rids of `rid` matching `filter` (the hot path: no callback per edge).
  virtual absl::Status ExpandRids(Rid rid, const EdgeFilter& filter, std::vector<Rid>* out) = 0;
  // Edge properties (JSON object text as written; "" when none).
  virtual absl::StatusOr<std::string> GetEdgeProperties(const EdgeRef& edge) = 0;
  // Every edge once, from its start record (direction kOut), ascending (rid, ..., eid).
  virtual absl::Status ScanEdges(const std::function<bool(const EdgeRef&)>& fn) = 0;
  // The same with each edge's properties (as GetEdgeProperties) read on the way.
  virtual absl::Status ScanEdgesWithProperties(
      const std::function<bool(const EdgeRef&, std::string_view properties)>& fn) = 0;

  // Statistics as of the last commit (not the caller's uncommitted writes).
  virtual const Dictionaries& dictionaries() const = 0;
  virtual uint64_t RecordCount() = 0;
  virtual uint64_t LabelCount(NameId label) = 0;
  // Records of `label` holding `property` (any type when type == nullopt).
  virtual uint64_t PropertyCount(NameId label, NameId property, std::optional<PropType> type) = 0;
  // Adjacency entries from records of `label` in `dir` with `type` to `nbr_label`;
  // zeros in type / nbr_label mean "any".
  virtual uint64_t EdgeCount(NameId label, Direction dir, NameId type, NameId nbr_label) = 0;
  // Records holding (property, type) over all labels: properties.find's recordsCount.
  virtual uint64_t PropertyTypeCount(NameId property, PropType type) = 0;
  // Every (label, property, type) with a non-zero count; every label with a non-zero count.
  virtual absl::Status ListPropertyCounts(
      const std::function<void(NameId label, NameId property, PropType type, uint64_t count)>& fn) = 0;
  virtual absl::Status ListLabelCounts(const std::function<void(NameId label, uint64_t count)>& fn) = 0;
  // Engine-owned metadata (e.g. an import's resume marker); keys live in
  // their own namespace of the meta column family.
  virtual absl::StatusOr<std::optional<std::string>> GetMeta(std::string_view key) = 0;

  // Whether rid order equals `__id` order for every record (true unless a
  // dataset load brought ids out of order); lets `__id` ordering use rids.
  virtual bool RidOrderIsIdOrder() = 0;
};

// One logical write. Nothing is visible to others until Commit; destroying an
// uncommitted WriteTxn discards it.
class WriteTxn : public ReadView {
 public:
  // Fresh ids (allocation is not rolled back; gaps are harmless).
  virtual Rid NewRid() = 0;
  virtual Eid NewEid() = 0;

  // Writes `record` (rid set by the caller) and its id / label / property index
  // entries and counters. `old` is the record's previous state, or nullptr for a
  // new record. A label change also rewrites the neighbours' adjacency keys.
  virtual absl::Status PutRecord(const StoredRecord& record, const StoredRecord* old) = 0;
  // Removes the record, its index entries and every edge touching it.
  virtual absl::Status DeleteRecord(const StoredRecord& record) = 0;
  // Adds start -[type]-> end with both adjacency entries; returns the edge id.
  // `properties` is a JSON object text ("" for none).
  virtual absl::StatusOr<Eid> AddEdge(Rid start, Rid end, NameId type, std::string_view properties) = 0;
  // The same when the caller already knows both endpoints' labels (bulk paths).
  virtual absl::StatusOr<Eid> AddEdge(Rid start, NameId start_label, Rid end, NameId end_label, NameId type,
                                      std::string_view properties) = 0;
  // Removes both adjacency entries of the edge `edge` names (from either side).
  virtual absl::Status DeleteEdge(const EdgeRef& edge) = 0;

  // Written with the batch, so a marker lands together with the data it marks.
  virtual absl::Status PutMeta(std::string_view key, std::string_view value) = 0;
  virtual absl::Status DeleteMeta(std::string_view key) = 0;

  // Applies everything atomically with `durability`.
  virtual absl::Status Commit(Durability durability) = 0;
  // Bytes buffered so far (bulk writers commit in chunks).
  virtual size_t ApproximateSize() const = 0;
};

// Result of a full invariant check (RELIABILITY.md I3-I5).
struct CheckReport {
  uint64_t records = 0;
  uint64_t edges = 0;
  std::vector<std::string> problems;  // empty = consistent
};

class Store {
 public:
  // Opens or creates the store at `path`. Errors name the problem in one
  // sentence: locked by another process, not a loom database, other format version.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path, const Options& options);
  ~Store();

  std::unique_ptr<ReadView> NewReadView();
  // kIndexed: reads through the WriteTxn see its own writes (transactions,
  // upserts). kBlind: reads see only the snapshot the write started from;
  // about twice as fast for bulk inserts that never read what they wrote.
  // kIngest: blind, and Commit writes sorted SST files and ingests them
  // (storage/sst_ingest.h) instead of going through the memtables: for
  // commits of millions of keys. Durable when Commit returns, whatever the
  // durability asked for.
  enum class WriteMode { kIndexed, kBlind, kIngest };
  std::unique_ptr<WriteTxn> BeginWrite(WriteMode mode = WriteMode::kIndexed);
  Dictionaries& dictionaries();
  const Options& options() const;

  // Recounts everything from the records and edges and compares it with the
  // id map, indexes, reverse adjacency and counters.
  absl::StatusOr<CheckReport> Check();
  // Flushes memtables and syncs the WAL (the barrier after bulk writes).
  absl::Status FlushAndSync();
  // Largest record id in `__id` order, or "" when empty (id generator restart).
  absl::StatusOr<std::string> MaxId();

 private:
  explicit Store(std::unique_ptr<StoreImpl> impl);
  std::unique_ptr<StoreImpl> impl_;
};

}  // namespace loom::storage

#endif  // LOOM_STORAGE_STORE_H_
