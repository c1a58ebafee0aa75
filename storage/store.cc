// The RocksDB store: open/recovery, snapshot reads, batched writes with index
// maintenance and counters, and the invariant checker.
#include "storage/store.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <type_traits>
#include <set>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/write_batch_with_index.h"
#include "storage/key_codec.h"
#include "storage/rocks_status.h"
#include "storage/sst_ingest.h"
#include "storage/value_codec.h"
#include "storage/write_buffer.h"

namespace loom::storage {
namespace {

enum Cf : int { kRecords = 0, kIds, kLabels, kProps, kEdges, kMeta, kNumCfs };
constexpr const char* kCfNames[kNumCfs] = {"records", "ids", "labels", "props", "edges", "meta"};

Direction Flip(Direction d) { return d == Direction::kOut ? Direction::kIn : Direction::kOut; }

std::string EncodeI64(int64_t v) {
  std::string s;
  AppendU64(&s, static_cast<uint64_t>(v));
  return s;
}

// A counter a write changes, before it is encoded as its meta key: bulk
// writes bump several per record, and hashing a few integers costs far less
// than building and hashing a key string each time.
struct CounterId {
  enum class Kind : uint8_t { kTotal, kLabel, kProperty, kEdge };
  Kind kind = Kind::kTotal;
  uint8_t tag = 0;  // PropType (kProperty) or Direction (kEdge)
  NameId label = 0, a = 0, b = 0;

  static CounterId Total() { return {}; }
  static CounterId Label(NameId label) { return {Kind::kLabel, 0, label, 0, 0}; }
  static CounterId Property(NameId label, NameId prop, PropType type) {
    return {Kind::kProperty, static_cast<uint8_t>(type), label, prop, 0};
  }
  static CounterId Edge(NameId label, Direction dir, NameId type, NameId nbr_label) {
    return {Kind::kEdge, static_cast<uint8_t>(dir), label, type, nbr_label};
  }
  std::string Key() const {
    switch (kind) {
      case Kind::kTotal: return CounterKeyTotal();
      case Kind::kLabel: return CounterKeyLabel(label);
      case Kind::kProperty: return CounterKeyProperty(label, a, static_cast<PropType>(tag));
      case Kind::kEdge: return CounterKeyEdge(label, static_cast<Direction>(tag), a, b);
    }
    return {};
  }
  bool operator==(const CounterId&) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const CounterId& c) {
    return H::combine(std::move(h), c.kind, c.tag, c.label, c.a, c.b);
  }
};

std::string UserMetaKey(std::string_view key) {
  std::string k(1, kUserMetaTag);
  k.append(key);
  return k;
}

int64_t DecodeI64(std::string_view s) {
  return s.size() == 8 ? static_cast<int64_t>(DecodeU64(s.data())) : 0;
}

}  // namespace

// Shared state of an open store.
class StoreImpl {
 public:
  std::string path;
  Options options;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;  // owned; destroyed before db
  std::shared_ptr<rocksdb::Cache> cache;
  Dictionaries dicts{
      Dictionary(DictKind::kLabel, [this](DictKind k, std::string_view n, NameId id) { return PersistName(k, n, id); }),
      Dictionary(DictKind::kProperty, [this](DictKind k, std::string_view n, NameId id) { return PersistName(k, n, id); }),
      Dictionary(DictKind::kRelType, [this](DictKind k, std::string_view n, NameId id) { return PersistName(k, n, id); })};

  std::atomic<uint64_t> next_rid{1};
  std::atomic<uint64_t> next_eid{1};

  // Index-entry estimates of committed data, by range: reused while the
  // property's holder count stays within 10 % of what it was (the estimates
  // guide plans, never answers).
  struct Estimate {
    uint64_t entries = 0;
    uint64_t holding = 0;
  };
  absl::Mutex estimates_mu;
  absl::flat_hash_map<std::string, Estimate> estimates ABSL_GUARDED_BY(estimates_mu);

  std::optional<uint64_t> CachedEstimate(const std::string& key, uint64_t holding) ABSL_LOCKS_EXCLUDED(estimates_mu) {
    absl::MutexLock lock(&estimates_mu);
    auto it = estimates.find(key);
    if (it == estimates.end() || MovedMoreThanTenPercent(it->second.holding, holding)) return std::nullopt;
    return it->second.entries;
  }
  void RememberEstimate(std::string key, uint64_t entries, uint64_t holding) ABSL_LOCKS_EXCLUDED(estimates_mu) {
    absl::MutexLock lock(&estimates_mu);
    if (estimates.size() >= 4096) estimates.clear();  // bounded; rebuilt as plans ask
    estimates[std::move(key)] = Estimate{entries, holding};
  }

  absl::Mutex mu;  // guards the fields below and serialises commits
  absl::btree_map<std::string, int64_t> counters ABSL_GUARDED_BY(mu);
  std::string max_id ABSL_GUARDED_BY(mu);
  bool id_order_broken ABSL_GUARDED_BY(mu) = false;

  ~StoreImpl() {
    for (auto* h : cfs) {
      if (h != nullptr && db != nullptr) db->DestroyColumnFamilyHandle(h);
    }
    cfs.clear();
    if (db != nullptr) db->Close().PermitUncheckedError();
    db.reset();
  }

  // Where a kIngest write builds its SST files before they are moved in
  // (inside the database directory: same file system, so moves are links).
  std::string IngestScratchDir() const { return path + "/bulk-ingest"; }

  absl::Status PersistName(DictKind kind, std::string_view name, NameId id) {
    if (options.read_only) return MakeError(ErrorCode::kInvalidArgument, "the database is open read-only");
    std::string value;
    AppendU32(&value, id);
    rocksdb::WriteOptions wo;
    wo.sync = options.durability == Durability::kSync;
    return FromRocks(db->Put(wo, cfs[kMeta], DictKey(static_cast<uint8_t>(kind), name), value));
  }

  int64_t Counter(const std::string& key) ABSL_LOCKS_EXCLUDED(mu) {
    absl::ReaderMutexLock lock(&mu);
    auto it = counters.find(key);
    return it == counters.end() ? 0 : it->second;
  }

  // Sums counters whose key starts with `prefix` and satisfies `keep`.
  template <typename Keep>
  int64_t SumCounters(const std::string& prefix, Keep keep) ABSL_LOCKS_EXCLUDED(mu) {
    absl::ReaderMutexLock lock(&mu);
    int64_t total = 0;
    for (auto it = counters.lower_bound(prefix); it != counters.end() && it->first.starts_with(prefix); ++it) {
      if (keep(it->first)) total += it->second;
    }
    return total;
  }
};

namespace {

// An iterator over [lower, upper) that owns its bound.
class BoundedIterator {
 public:
  BoundedIterator(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const rocksdb::Snapshot* snapshot,
                  rocksdb::WriteBatchWithIndex* batch, std::string lower, std::string upper)
      : lower_(std::move(lower)), upper_(std::move(upper)), upper_slice_(upper_), check_upper_(batch != nullptr) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    if (!upper_.empty()) ro.iterate_upper_bound = &upper_slice_;
    rocksdb::Iterator* base = db->NewIterator(ro, cf);
    it_.reset(batch != nullptr ? batch->NewIteratorWithBase(cf, base) : base);
    raw_ = it_.get();
  }
  // Over a borrowed iterator that has no bounds of its own (checked here).
  BoundedIterator(rocksdb::Iterator* borrowed, std::string lower, std::string upper)
      : lower_(std::move(lower)), upper_(std::move(upper)), upper_slice_(upper_), check_upper_(true),
        raw_(borrowed) {}

  // Forward from `lower`: keys stay >= lower, and without a batch RocksDB
  // enforces the upper bound itself, so Valid() needs no comparisons.
  void SeekFirst() { raw_->Seek(lower_); }
  void SeekLast() {
    check_lower_ = true;
    if (upper_.empty()) {
      raw_->SeekToLast();
    } else {
      raw_->SeekForPrev(upper_);
      if (raw_->Valid() && raw_->key().compare(upper_slice_) >= 0) raw_->Prev();
    }
  }
  // Valid and inside [lower, upper): the batch iterator ignores the base's bound.
  bool Valid() const {
    if (!raw_->Valid()) return false;
    if (!check_upper_ && !check_lower_) return true;
    rocksdb::Slice k = raw_->key();
    if (!upper_.empty() && k.compare(upper_slice_) >= 0) return false;
    return !check_lower_ || k.compare(rocksdb::Slice(lower_)) >= 0;
  }
  void Next() { raw_->Next(); }
  void Prev() { raw_->Prev(); }
  std::string_view key() const { return std::string_view(raw_->key().data(), raw_->key().size()); }
  std::string_view value() const { return std::string_view(raw_->value().data(), raw_->value().size()); }
  absl::Status status() const { return FromRocks(raw_->status()); }

 private:
  std::string lower_;
  std::string upper_;
  rocksdb::Slice upper_slice_;
  const bool check_upper_;   // a batch iterator does not honour iterate_upper_bound
  bool check_lower_ = false;  // set once iterating backwards
  std::unique_ptr<rocksdb::Iterator> it_;  // null when borrowed
  rocksdb::Iterator* raw_ = nullptr;
};

// ReadView over a snapshot, optionally overlaid by a write batch (Base is
// ReadView or WriteTxn).
template <typename Base>
class ReadViewBase : public Base {
 public:
  explicit ReadViewBase(StoreImpl* store) : store_(store), snapshot_(store->db->GetSnapshot()) {}
  ~ReadViewBase() override {
    edge_iter_.reset();
    store_->db->ReleaseSnapshot(snapshot_);
  }

  absl::StatusOr<bool> GetRecord(Rid rid, StoredRecord* out) override {
    std::string bytes;
    LOOM_ASSIGN_OR_RETURN(bool found, Get(kRecords, RecordKey(rid), &bytes));
    if (!found) return false;
    if (!DecodeRecord(bytes, out)) return Corrupt("record", rid);
    out->rid = rid;
    return true;
  }

  absl::Status GetRecords(const std::vector<Rid>& rids, std::vector<StoredRecord>* out,
                          std::vector<bool>* found) override {
    if (batch_ != nullptr) return ReadView::GetRecords(rids, out, found);
    const size_t n = rids.size();
    out->assign(n, StoredRecord{});
    found->assign(n, false);
    std::vector<std::string> keys;
    keys.reserve(n);
    for (Rid r : rids) keys.push_back(RecordKey(r));
    std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(n);
    std::vector<rocksdb::Status> statuses(n);
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    store_->db->MultiGet(ro, store_->cfs[kRecords], n, slices.data(), values.data(), statuses.data());
    for (size_t i = 0; i < n; ++i) {
      if (statuses[i].IsNotFound()) continue;
      LOOM_RETURN_IF_ERROR(FromRocks(statuses[i]));
      if (!DecodeRecord(std::string_view(values[i].data(), values[i].size()), &(*out)[i])) {
        return Corrupt("record", rids[i]);
      }
      (*out)[i].rid = rids[i];
      (*found)[i] = true;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<bool> GetRecordHeader(Rid rid, NameId* label, std::string* id) override {
    std::string bytes;
    LOOM_ASSIGN_OR_RETURN(bool found, Get(kRecords, RecordKey(rid), &bytes));
    if (!found) return false;
    if (!DecodeRecordHeader(bytes, label, id)) return Corrupt("record", rid);
    return true;
  }

  absl::StatusOr<std::optional<Value>> GetProperty(Rid rid, NameId property) override {
    std::string bytes;
    LOOM_ASSIGN_OR_RETURN(bool found, Get(kRecords, RecordKey(rid), &bytes));
    if (!found) return std::nullopt;
    Value v;
    bool has = false;
    if (!DecodeRecordProperty(bytes, property, &has, &v)) return Corrupt("record", rid);
    if (!has) return std::nullopt;
    return v;
  }

  absl::StatusOr<std::optional<Rid>> LookupId(std::string_view id) override {
    std::string bytes;
    LOOM_ASSIGN_OR_RETURN(bool found, Get(kIds, std::string(id), &bytes));
    if (!found || bytes.size() != 8) return std::nullopt;
    return DecodeU64(bytes.data());
  }

  absl::Status ScanLabel(NameId label, const std::function<bool(Rid)>& fn) override {
    std::string prefix = LabelPrefix(label);
    BoundedIterator it = Iter(kLabels, prefix, PrefixSuccessor(prefix));
    for (it.SeekFirst(); it.Valid(); it.Next()) {
      if (!fn(DecodeU64(it.key().data() + 4))) break;
    }
    return it.status();
  }

  absl::Status ScanRecords(const std::function<bool(Rid)>& fn) override {
    BoundedIterator it = Iter(kRecords, "", "");
    for (it.SeekFirst(); it.Valid(); it.Next()) {
      if (!fn(DecodeU64(it.key().data()))) break;
    }
    return it.status();
  }

  absl::Status ScanRecordContents(const std::function<bool(const StoredRecord&)>& fn) override {
    BoundedIterator it = Iter(kRecords, "", "");
    StoredRecord record;
    for (it.SeekFirst(); it.Valid(); it.Next()) {
      Rid rid = DecodeU64(it.key().data());
      if (!DecodeRecord(it.value(), &record)) return Corrupt("record", rid);
      record.rid = rid;
      if (!fn(record)) break;
    }
    return it.status();
  }

  absl::Status ScanIds(bool reverse, const std::function<bool(std::string_view, Rid)>& fn) override {
    BoundedIterator it = Iter(kIds, "", "");
    if (reverse) {
      for (it.SeekLast(); it.Valid(); it.Prev()) {
        if (it.value().size() == 8 && !fn(it.key(), DecodeU64(it.value().data()))) break;
      }
    } else {
      for (it.SeekFirst(); it.Valid(); it.Next()) {
        if (it.value().size() == 8 && !fn(it.key(), DecodeU64(it.value().data()))) break;
      }
    }
    return it.status();
  }

  absl::Status ScanIndex(NameId label, NameId property, const IndexRange& range,
                         const std::function<bool(Rid)>& fn) override {
    return ScanBounds(BoundsOf(label, property, range), fn);
  }

  uint64_t EstimateIndexEntries(NameId label, NameId property, const IndexRange& range,
                                uint64_t exact_up_to) override {
    const IndexBounds b = BoundsOf(label, property, range);
    const uint64_t holding = PropertyCount(label, property, std::nullopt);
    // Committed data only: a transaction's own writes are not remembered.
    std::string key;
    if (batch_ == nullptr) {
      key = absl::StrCat(b.lower, absl::string_view("\0", 1), b.upper, b.skip_low_value ? "x" : "i", exact_up_to);
      if (std::optional<uint64_t> cached = store_->CachedEstimate(key, holding)) return *cached;
    }
    uint64_t entries = 0;
    absl::Status status = ScanBounds(b, [&](Rid) { return ++entries < exact_up_to; });
    if (status.ok() && entries >= exact_up_to) {
      // Past the dive: the range's share of the property's index bytes (SST
      // and memtable estimates, a few index-block reads) times its holders.
      std::string whole_lower = PropPrefix(label, property, IndexTag::kFalse);
      whole_lower.pop_back();
      const double range_bytes = ApproximateBytes(b.lower, b.upper);
      const double whole_bytes = ApproximateBytes(whole_lower, PrefixSuccessor(whole_lower));
      if (whole_bytes <= 0 || holding <= exact_up_to) {
        entries = std::max(entries, holding);
      } else {
        const double share = std::min(1.0, range_bytes / whole_bytes);
        entries = std::max<uint64_t>(entries, static_cast<uint64_t>(share * static_cast<double>(holding)));
      }
    }
    if (status.ok() && batch_ == nullptr) store_->RememberEstimate(std::move(key), entries, holding);
    return entries;
  }

  absl::Status Expand(Rid rid, const EdgeFilter& filter,
                      const std::function<bool(const EdgeRef&)>& fn) override {
    bool stop = false;
    return ForEachEdgePrefix(rid, filter, [&](BoundedIterator& it) -> bool {
      for (it.SeekFirst(); it.Valid(); it.Next()) {
        EdgeRef e;
        if (!DecodeEdgeKey(it.key(), &e)) continue;
        if (filter.nbr_label && e.nbr_label != *filter.nbr_label) continue;
        if (filter.nbr && e.nbr != *filter.nbr) continue;
        if (!fn(e)) {
          stop = true;
          return false;
        }
      }
      return !stop;
    });
  }

  absl::Status ExpandRids(Rid rid, const EdgeFilter& filter, std::vector<Rid>* out) override {
    // With types given, the neighbour label is part of every scanned prefix.
    const bool check_label = filter.nbr_label && filter.types.empty();
    return ForEachEdgePrefix(rid, filter, [&](BoundedIterator& it) -> bool {
      for (it.SeekFirst(); it.Valid(); it.Next()) {
        std::string_view key = it.key();
        if (key.size() != kEdgeKeySize) continue;
        if (check_label && DecodeU32(key.data() + 13) != *filter.nbr_label) continue;
        Rid nbr = DecodeU64(key.data() + 17);
        if (filter.nbr && nbr != *filter.nbr) continue;
        out->push_back(nbr);
      }
      return true;
    });
  }

  absl::StatusOr<std::string> GetEdgeProperties(const EdgeRef& edge) override {
    std::string bytes;
    LOOM_ASSIGN_OR_RETURN(bool found, Get(kEdges, EdgeKey(edge), &bytes));
    if (!found) return std::string();
    return bytes;
  }

  absl::Status ScanEdges(const std::function<bool(const EdgeRef&)>& fn) override {
    return ScanEdgesWithProperties([&](const EdgeRef& e, std::string_view) { return fn(e); });
  }

  absl::Status ScanEdgesWithProperties(
      const std::function<bool(const EdgeRef&, std::string_view properties)>& fn) override {
    BoundedIterator it = Iter(kEdges, "", "");
    for (it.SeekFirst(); it.Valid(); it.Next()) {
      EdgeRef e;
      if (!DecodeEdgeKey(it.key(), &e) || e.dir != Direction::kOut) continue;
      if (!fn(e, it.value())) break;
    }
    return it.status();
  }

  const Dictionaries& dictionaries() const override { return store_->dicts; }
  uint64_t RecordCount() override { return Clamp(store_->Counter(CounterKeyTotal())); }
  uint64_t LabelCount(NameId label) override { return Clamp(store_->Counter(CounterKeyLabel(label))); }
  uint64_t PropertyCount(NameId label, NameId property, std::optional<PropType> type) override {
    if (type) return Clamp(store_->Counter(CounterKeyProperty(label, property, *type)));
    std::string prefix = CounterKeyProperty(label, property, PropType::kString);
    prefix.pop_back();
    return Clamp(store_->SumCounters(prefix, [](const std::string&) { return true; }));
  }
  uint64_t EdgeCount(NameId label, Direction dir, NameId type, NameId nbr_label) override {
    if (type != 0 && nbr_label != 0) return Clamp(store_->Counter(CounterKeyEdge(label, dir, type, nbr_label)));
    std::string prefix = CounterKeyEdge(label, dir, type, nbr_label).substr(0, 2 + 4 + 1);
    if (type != 0) AppendU32(&prefix, type);
    return Clamp(store_->SumCounters(prefix, [&](const std::string& k) {
      return nbr_label == 0 || DecodeU32(k.data() + k.size() - 4) == nbr_label;
    }));
  }
  uint64_t PropertyTypeCount(NameId property, PropType type) override {
    return Clamp(store_->SumCounters(std::string{kCounterTag, '\x02'}, [&](const std::string& k) {
      return DecodeU32(k.data() + 6) == property && static_cast<PropType>(k[10]) == type;
    }));
  }
  absl::Status ListPropertyCounts(
      const std::function<void(NameId, NameId, PropType, uint64_t)>& fn) override {
    absl::ReaderMutexLock lock(&store_->mu);
    std::string prefix{kCounterTag, '\x02'};
    for (auto it = store_->counters.lower_bound(prefix);
         it != store_->counters.end() && it->first.starts_with(prefix); ++it) {
      if (it->second <= 0) continue;
      const std::string& k = it->first;
      fn(DecodeU32(k.data() + 2), DecodeU32(k.data() + 6), static_cast<PropType>(k[10]),
         static_cast<uint64_t>(it->second));
    }
    return absl::OkStatus();
  }
  absl::Status ListLabelCounts(const std::function<void(NameId, uint64_t)>& fn) override {
    absl::ReaderMutexLock lock(&store_->mu);
    std::string prefix{kCounterTag, '\x01'};
    for (auto it = store_->counters.lower_bound(prefix);
         it != store_->counters.end() && it->first.starts_with(prefix); ++it) {
      if (it->second > 0) fn(DecodeU32(it->first.data() + 2), static_cast<uint64_t>(it->second));
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<std::string>> GetMeta(std::string_view key) override {
    std::string value;
    LOOM_ASSIGN_OR_RETURN(bool found, Get(kMeta, UserMetaKey(key), &value));
    if (!found) return std::nullopt;
    return value;
  }

  bool RidOrderIsIdOrder() override {
    absl::ReaderMutexLock lock(&store_->mu);
    return !store_->id_order_broken;
  }

 protected:
  static uint64_t Clamp(int64_t v) { return v < 0 ? 0 : static_cast<uint64_t>(v); }

  absl::Status Corrupt(std::string_view what, Rid rid) {
    return MakeError(ErrorCode::kInternal,
                     absl::StrCat("corrupted ", std::string(what), " ", rid, " in ", store_->path, ": run `loom check`"));
  }

  absl::StatusOr<bool> Get(Cf cf, const std::string& key, std::string* value) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    rocksdb::Status s = batch_ != nullptr
                            ? batch_->GetFromBatchAndDB(store_->db.get(), ro, store_->cfs[cf], key, value)
                            : store_->db->Get(ro, store_->cfs[cf], key, value);
    if (s.IsNotFound()) return false;
    LOOM_RETURN_IF_ERROR(FromRocks(s));
    return true;
  }

  // The props-CF keys of `range`: [lower, upper), minus the low value's own
  // keys when the low bound is exclusive.
  struct IndexBounds {
    std::string lower, upper;
    std::string low_value;  // prefix + the low bound's ordered bytes
    bool skip_low_value = false;
  };
  static IndexBounds BoundsOf(NameId label, NameId property, const IndexRange& range) {
    const std::string prefix = PropPrefix(label, property, range.tag);
    IndexBounds b;
    b.lower = prefix;
    std::string low_bytes, high_bytes;
    auto ordered = [&](const Scalar& s) { return IndexEntryForScalar(s).ordered; };
    if (range.tag == IndexTag::kInstant) {
      if (range.low_instant) AppendOrderedInstant(&low_bytes, *range.low_instant);
      if (range.high_instant) AppendOrderedInstant(&high_bytes, *range.high_instant);
    } else {
      if (range.low) low_bytes = ordered(*range.low);
      if (range.high) high_bytes = ordered(*range.high);
    }
    b.low_value = prefix + low_bytes;
    if (range.prefix) {
      std::string p = prefix;
      AppendStr0Prefix(&p, *range.prefix);
      b.lower = p;
      b.upper = PrefixSuccessor(p);
      return b;
    }
    if (!low_bytes.empty()) {
      b.lower = b.low_value;
      b.skip_low_value = !range.low_inclusive;
    }
    if (high_bytes.empty()) {
      b.upper = PrefixSuccessor(prefix);
    } else {
      // Keys are value || rid, so every key of the high value sorts below
      // value || 0xff..: use the value's successor as the bound when inclusive.
      b.upper = range.high_inclusive ? PrefixSuccessor(prefix + high_bytes) : prefix + high_bytes;
    }
    return b;
  }

  absl::Status ScanBounds(const IndexBounds& b, const std::function<bool(Rid)>& fn) {
    BoundedIterator it = Iter(kProps, b.lower, b.upper);
    for (it.SeekFirst(); it.Valid(); it.Next()) {
      std::string_view key = it.key();
      if (b.skip_low_value && key.size() >= 8 && key.substr(0, key.size() - 8) == std::string_view(b.low_value)) {
        continue;
      }
      if (!fn(PropKeyRid(key))) break;
    }
    return it.status();
  }

  // Bytes the props CF holds in [lower, upper), files and memtables.
  double ApproximateBytes(const std::string& lower, const std::string& upper) {
    rocksdb::Range r(lower, upper);
    rocksdb::SizeApproximationOptions options;
    options.include_memtables = true;
    options.include_files = true;
    uint64_t bytes = 0;
    if (!store_->db->GetApproximateSizes(options, store_->cfs[kProps], &r, 1, &bytes).ok()) return 0;
    return static_cast<double>(bytes);
  }

  BoundedIterator Iter(Cf cf, std::string lower, std::string upper) {
    return BoundedIterator(store_->db.get(), store_->cfs[cf], snapshot_, batch_, std::move(lower),
                           std::move(upper));
  }

  // Runs `scan` over the key ranges that cover `filter` for `rid`.
  template <typename Scan>
  absl::Status ForEachEdgePrefix(Rid rid, const EdgeFilter& filter, Scan scan) {
    std::vector<std::string> prefixes;
    if (!filter.dir && filter.types.empty()) {
      prefixes.push_back(EdgePrefix(rid));
    } else {
      for (Direction d : {Direction::kOut, Direction::kIn}) {
        if (filter.dir && *filter.dir != d) continue;
        if (filter.types.empty()) {
          prefixes.push_back(EdgePrefix(rid, d));
          continue;
        }
        for (NameId t : filter.types) {
          if (!filter.nbr_label) {
            prefixes.push_back(EdgePrefix(rid, d, t));
            continue;
          }
          prefixes.push_back(EdgePrefix(rid, d, t, *filter.nbr_label));
          if (filter.nbr) AppendU64(&prefixes.back(), *filter.nbr);
        }
      }
    }
    // A view without a batch overlay (read-only, or a blind write) reuses one
    // edges iterator: creating a RocksDB iterator costs more than the seek of
    // a typical expansion. A nested expansion (from inside a callback) gets
    // its own. A blind writer drops it when its snapshot moves (Commit).
    const bool reuse = batch_ == nullptr && !edge_iter_busy_;
    if (reuse && edge_iter_ == nullptr) {
      rocksdb::ReadOptions ro;
      ro.snapshot = snapshot_;
      edge_iter_.reset(store_->db->NewIterator(ro, store_->cfs[kEdges]));
    }
    struct Busy {
      bool* flag;
      bool set;
      ~Busy() {
        if (set) *flag = false;
      }
    } busy{&edge_iter_busy_, reuse};
    if (reuse) edge_iter_busy_ = true;
    for (std::string& p : prefixes) {
      std::string upper = PrefixSuccessor(p);
      BoundedIterator it = reuse ? BoundedIterator(edge_iter_.get(), std::move(p), std::move(upper))
                                 : Iter(kEdges, std::move(p), std::move(upper));
      bool go_on = scan(it);
      LOOM_RETURN_IF_ERROR(it.status());
      if (!go_on) break;
    }
    return absl::OkStatus();
  }

  StoreImpl* store_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::WriteBatchWithIndex* batch_ = nullptr;
  std::unique_ptr<rocksdb::Iterator> edge_iter_;  // see ForEachEdgePrefix
  bool edge_iter_busy_ = false;
};

using ReadViewImpl = ReadViewBase<ReadView>;

class WriteTxnImpl : public ReadViewBase<WriteTxn> {
 public:
  WriteTxnImpl(StoreImpl* store, Store::WriteMode mode)
      : ReadViewBase<WriteTxn>(store), own_batch_(rocksdb::BytewiseComparator(), 0, true), mode_(mode) {
    if (mode_ == Store::WriteMode::kIndexed) batch_ = &own_batch_;
  }

  Rid NewRid() override { return store_->next_rid.fetch_add(1); }
  Eid NewEid() override { return store_->next_eid.fetch_add(1); }

  absl::Status PutRecord(const StoredRecord& record, const StoredRecord* old) override {
    if (old != nullptr) {
      RemoveIndexEntries(*old);
      if (old->label != record.label) LOOM_RETURN_IF_ERROR(Relabel(record.rid, old->label, record.label));
      if (old->id != record.id) LOOM_RETURN_IF_ERROR(Delete(kIds, old->id));
    } else {
      NoteNewId(record.id);
    }
    record_bytes_.clear();
    EncodeRecord(record, &record_bytes_);
    LOOM_RETURN_IF_ERROR(Put(kRecords, RecordKey(record.rid), record_bytes_));
    std::string rid_bytes;
    AppendU64(&rid_bytes, record.rid);
    LOOM_RETURN_IF_ERROR(Put(kIds, record.id, rid_bytes));
    return AddIndexEntries(record);
  }

  absl::Status DeleteRecord(const StoredRecord& record) override {
    std::vector<EdgeRef> edges;
    LOOM_RETURN_IF_ERROR(Expand(record.rid, {}, [&](const EdgeRef& e) {
      edges.push_back(e);
      return true;
    }));
    for (const EdgeRef& e : edges) {
      LOOM_RETURN_IF_ERROR(Delete(kEdges, EdgeKey(e)));
      Count(CounterId::Edge(record.label, e.dir, e.type, e.nbr_label), -1);
      if (e.nbr != e.self) {
        EdgeRef mirror{e.nbr, Flip(e.dir), e.type, record.label, e.self, e.eid};
        LOOM_RETURN_IF_ERROR(Delete(kEdges, EdgeKey(mirror)));
        Count(CounterId::Edge(e.nbr_label, mirror.dir, e.type, record.label), -1);
      }
    }
    RemoveIndexEntries(record);
    LOOM_RETURN_IF_ERROR(Delete(kRecords, RecordKey(record.rid)));
    return Delete(kIds, record.id);
  }

  absl::StatusOr<Eid> AddEdge(Rid start, Rid end, NameId type, std::string_view properties) override {
    NameId start_label, end_label;
    std::string id;
    LOOM_ASSIGN_OR_RETURN(bool has_start, GetRecordHeader(start, &start_label, &id));
    LOOM_ASSIGN_OR_RETURN(bool has_end, GetRecordHeader(end, &end_label, &id));
    if (!has_start || !has_end) return MakeError(ErrorCode::kNotFound, "edge endpoint does not exist");
    return AddEdge(start, start_label, end, end_label, type, properties);
  }

  absl::StatusOr<Eid> AddEdge(Rid start, NameId start_label, Rid end, NameId end_label, NameId type,
                              std::string_view properties) override {
    Eid eid = NewEid();
    EdgeRef out{start, Direction::kOut, type, end_label, end, eid};
    EdgeRef in{end, Direction::kIn, type, start_label, start, eid};
    LOOM_RETURN_IF_ERROR(Put(kEdges, EdgeKey(out), properties));
    LOOM_RETURN_IF_ERROR(Put(kEdges, EdgeKey(in), properties));
    Count(CounterId::Edge(start_label, Direction::kOut, type, end_label), 1);
    Count(CounterId::Edge(end_label, Direction::kIn, type, start_label), 1);
    return eid;
  }

  absl::Status DeleteEdge(const EdgeRef& edge) override {
    NameId self_label;
    std::string id;
    LOOM_ASSIGN_OR_RETURN(bool found, GetRecordHeader(edge.self, &self_label, &id));
    if (!found) return absl::OkStatus();
    std::string probe;
    LOOM_ASSIGN_OR_RETURN(bool exists, Get(kEdges, EdgeKey(edge), &probe));
    if (!exists) return absl::OkStatus();
    EdgeRef mirror{edge.nbr, Flip(edge.dir), edge.type, self_label, edge.self, edge.eid};
    LOOM_RETURN_IF_ERROR(Delete(kEdges, EdgeKey(edge)));
    LOOM_RETURN_IF_ERROR(Delete(kEdges, EdgeKey(mirror)));
    Count(CounterId::Edge(self_label, edge.dir, edge.type, edge.nbr_label), -1);
    Count(CounterId::Edge(edge.nbr_label, mirror.dir, edge.type, self_label), -1);
    return absl::OkStatus();
  }

  absl::Status PutMeta(std::string_view key, std::string_view value) override {
    return Put(kMeta, UserMetaKey(key), value);
  }
  absl::Status DeleteMeta(std::string_view key) override { return Delete(kMeta, UserMetaKey(key)); }

  absl::Status Commit(Durability durability) override {
    if (store_->options.read_only) {
      return MakeError(ErrorCode::kInvalidArgument, "the database is open read-only");
    }
    // The bulk of an ingesting write is sorted and written to files before
    // the commit lock (readers of the counters wait on it); the meta keys
    // follow under the lock, and everything is ingested together.
    std::optional<SstIngestion> ingestion;
    if (mode_ == Store::WriteMode::kIngest) {
      ingestion.emplace(store_->db.get(), store_->IngestScratchDir());
      std::vector<IngestTarget> data;
      for (int cf = 0; cf < kNumCfs; ++cf) {
        if (cf != kMeta) data.push_back(IngestTarget{store_->cfs[cf], &buffers_[cf]});
      }
      LOOM_RETURN_IF_ERROR(ingestion->Write(data));
    }
    absl::MutexLock lock(&store_->mu);
    std::vector<std::pair<std::string, int64_t>> updated;
    for (const auto& [counter, delta] : deltas_) {
      if (delta == 0) continue;
      std::string key = counter.Key();
      auto it = store_->counters.find(key);
      int64_t value = (it == store_->counters.end() ? 0 : it->second) + delta;
      updated.emplace_back(key, value);
      LOOM_RETURN_IF_ERROR(Put(kMeta, key, EncodeI64(value)));
    }
    std::string max_id = store_->max_id;
    bool broken = store_->id_order_broken;
    if (new_ids_.count > 0) {
      // Still in order iff the new ids increase and the first follows every stored one.
      if (!new_ids_.increasing || (!max_id.empty() && new_ids_.first <= max_id)) broken = true;
      if (new_ids_.max > max_id) max_id = new_ids_.max;
    }
    if (broken && !store_->id_order_broken) LOOM_RETURN_IF_ERROR(Put(kMeta, std::string(kIdOrderBrokenKey), ""));
    std::string next;
    AppendU64(&next, store_->next_rid.load());
    LOOM_RETURN_IF_ERROR(Put(kMeta, std::string(kNextRidKey), next));
    next.clear();
    AppendU64(&next, store_->next_eid.load());
    LOOM_RETURN_IF_ERROR(Put(kMeta, std::string(kNextEidKey), next));

    LOOM_RETURN_IF_ERROR(Apply(durability, ingestion ? &*ingestion : nullptr));
    for (auto& [key, value] : updated) store_->counters[key] = value;
    store_->max_id = std::move(max_id);
    store_->id_order_broken = broken;
    own_batch_.Clear();
    for (WriteBuffer& b : buffers_) b.Clear();
    deltas_.clear();
    new_ids_ = NewIds();
    // Later reads of this writer (chunked bulk writes) must see what it committed.
    edge_iter_.reset();  // pinned to the old snapshot
    store_->db->ReleaseSnapshot(snapshot_);
    snapshot_ = store_->db->GetSnapshot();
    return absl::OkStatus();
  }

  size_t ApproximateSize() const override {
    if (mode_ == Store::WriteMode::kIndexed) {
      return const_cast<rocksdb::WriteBatchWithIndex&>(own_batch_).GetWriteBatch()->GetDataSize();
    }
    size_t bytes = 0;
    for (const WriteBuffer& b : buffers_) bytes += b.ApproximateBytes();
    return bytes;
  }

 private:
  absl::Status Put(Cf cf, std::string_view key, std::string_view value) {
    if (mode_ == Store::WriteMode::kIndexed) {
      return FromRocks(own_batch_.Put(store_->cfs[cf], rocksdb::Slice(key.data(), key.size()),
                                      rocksdb::Slice(value.data(), value.size())));
    }
    buffers_[cf].Put(key, value);
    return absl::OkStatus();
  }
  absl::Status Delete(Cf cf, std::string_view key) {
    if (mode_ == Store::WriteMode::kIndexed) {
      return FromRocks(own_batch_.Delete(store_->cfs[cf], rocksdb::Slice(key.data(), key.size())));
    }
    buffers_[cf].Delete(key);
    return absl::OkStatus();
  }

  // Writes everything buffered; `ingestion` (kIngest) already holds all
  // column families but meta.
  absl::Status Apply(Durability durability, SstIngestion* ingestion) {
    rocksdb::WriteOptions wo;
    wo.sync = durability == Durability::kSync;
    wo.disableWAL = durability == Durability::kUnsafeFast;
    switch (mode_) {
      case Store::WriteMode::kIndexed:
        return FromRocks(store_->db->Write(wo, own_batch_.GetWriteBatch()));
      case Store::WriteMode::kBlind: {
        // Sorted by (column family, key): the memtable skip lists then insert
        // sequentially (their remembered splice), far cheaper than random
        // inserts into a large memtable.
        rocksdb::WriteBatch batch;
        rocksdb::Status st;
        for (int cf = 0; cf < kNumCfs; ++cf) {
          buffers_[cf].Sort();
          buffers_[cf].ForEach([&](std::string_view key, std::string_view value, bool is_delete) {
            rocksdb::Slice k(key.data(), key.size());
            st = is_delete ? batch.Delete(store_->cfs[cf], k)
                           : batch.Put(store_->cfs[cf], k, rocksdb::Slice(value.data(), value.size()));
            return st.ok();
          });
          LOOM_RETURN_IF_ERROR(FromRocks(st));
        }
        return FromRocks(store_->db->Write(wo, &batch));
      }
      case Store::WriteMode::kIngest:
        LOOM_RETURN_IF_ERROR(ingestion->Write({IngestTarget{store_->cfs[kMeta], &buffers_[kMeta]}}));
        return ingestion->Ingest();
    }
    return absl::OkStatus();
  }

  void Count(const CounterId& counter, int64_t delta) { deltas_[counter] += delta; }

  // fn(key) for each props index key of `record` (bulk writes call this
  // millions of times: the scratch strings keep their capacity).
  template <typename Fn>
  void ForEachIndexKey(const StoredRecord& record, Fn&& fn) {
    for (const StoredProperty& p : record.properties) {
      index_entries_.clear();
      IndexEntriesFor(p.value, &index_entries_);
      for (const IndexEntry& e : index_entries_) {
        index_key_.clear();
        AppendPropKey(&index_key_, record.label, p.name, e.tag, e.ordered, record.rid);
        fn(index_key_);
      }
    }
  }

  absl::Status AddIndexEntries(const StoredRecord& record) {
    absl::Status status;
    LOOM_RETURN_IF_ERROR(Put(kLabels, LabelKey(record.label, record.rid), ""));
    ForEachIndexKey(record, [&](const std::string& k) { status.Update(Put(kProps, k, "")); });
    Count(CounterId::Total(), 1);
    Count(CounterId::Label(record.label), 1);
    for (const StoredProperty& p : record.properties) Count(CounterId::Property(record.label, p.name, p.value.type), 1);
    return status;
  }

  void RemoveIndexEntries(const StoredRecord& record) {
    Delete(kLabels, LabelKey(record.label, record.rid)).IgnoreError();
    ForEachIndexKey(record, [&](const std::string& k) { Delete(kProps, k).IgnoreError(); });
    Count(CounterId::Total(), -1);
    Count(CounterId::Label(record.label), -1);
    for (const StoredProperty& p : record.properties) Count(CounterId::Property(record.label, p.name, p.value.type), -1);
  }

  // The neighbours' adjacency keys carry this record's label: rewrite them.
  absl::Status Relabel(Rid rid, NameId old_label, NameId new_label) {
    std::vector<std::pair<EdgeRef, std::string>> edges;
    LOOM_RETURN_IF_ERROR(Expand(rid, {}, [&](const EdgeRef& e) {
      edges.emplace_back(e, std::string());
      return true;
    }));
    for (auto& [e, props] : edges) {
      LOOM_ASSIGN_OR_RETURN(props, GetEdgeProperties(e));
    }
    for (const auto& [e, props] : edges) {
      Count(CounterId::Edge(old_label, e.dir, e.type, e.nbr_label), -1);
      if (e.nbr == e.self) {
        EdgeRef moved = e;
        moved.nbr_label = new_label;
        LOOM_RETURN_IF_ERROR(Delete(kEdges, EdgeKey(e)));
        LOOM_RETURN_IF_ERROR(Put(kEdges, EdgeKey(moved), props));
        Count(CounterId::Edge(new_label, e.dir, e.type, new_label), 1);
        continue;
      }
      Count(CounterId::Edge(new_label, e.dir, e.type, e.nbr_label), 1);
      EdgeRef mirror{e.nbr, Flip(e.dir), e.type, old_label, e.self, e.eid};
      LOOM_RETURN_IF_ERROR(Delete(kEdges, EdgeKey(mirror)));
      Count(CounterId::Edge(e.nbr_label, mirror.dir, e.type, old_label), -1);
      mirror.nbr_label = new_label;
      LOOM_RETURN_IF_ERROR(Put(kEdges, EdgeKey(mirror), props));
      Count(CounterId::Edge(e.nbr_label, mirror.dir, e.type, new_label), 1);
    }
    return absl::OkStatus();
  }

  rocksdb::WriteBatchWithIndex own_batch_;  // kIndexed
  WriteBuffer buffers_[kNumCfs];            // kBlind / kIngest, per column family
  std::vector<IndexEntry> index_entries_;   // ForEachIndexKey scratch
  std::string index_key_;
  std::string record_bytes_;                // PutRecord scratch
  const Store::WriteMode mode_;
  absl::flat_hash_map<CounterId, int64_t> deltas_;
  // What Commit needs of the new records' ids (kept as they come: a bulk
  // write adds millions): whether they continue `__id` order (RidOrderIsIdOrder).
  struct NewIds {
    uint64_t count = 0;
    std::string first, last, max;
    bool increasing = true;
  } new_ids_;
  void NoteNewId(const std::string& id) {
    if (new_ids_.count++ == 0) {
      new_ids_.first = id;
    } else if (id <= new_ids_.last) {
      new_ids_.increasing = false;
    }
    new_ids_.last = id;
    if (id > new_ids_.max) new_ids_.max = id;
  }
};

rocksdb::ColumnFamilyOptions CfOptions(const Options& options, const std::shared_ptr<rocksdb::Cache>& cache,
                                       bool point_lookups) {
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = options.write_buffer_bytes;
  cf.compression = rocksdb::kLZ4Compression;
  cf.bottommost_compression = rocksdb::kZSTD;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.format_version = 5;
  if (point_lookups) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  }
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

absl::Status OpenError(const std::string& path, const rocksdb::Status& s) {
  std::string msg = s.ToString();
  if (s.IsIOError() && msg.find("lock") != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("database '", path,
                                  "' is in use by another process (its lock is held); close that process "
                                  "or open the database read-only"));
  }
  if (s.IsCorruption()) {
    return MakeError(ErrorCode::kInternal,
                     absl::StrCat("database '", path, "' is corrupted (", msg, "); run `loom check` or restore a backup"));
  }
  return MakeError(ErrorCode::kInternal, absl::StrCat("cannot open database '", path, "': ", msg));
}

}  // namespace

Store::Store(std::unique_ptr<StoreImpl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path, const Options& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool exists = fs::exists(path, ec);
  if (exists && !fs::is_directory(path, ec)) {
    return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("'", path, "' is a file, not a loom database directory"));
  }
  bool has_current = fs::exists(fs::path(path) / "CURRENT", ec);
  if (exists && !has_current && !fs::is_empty(path, ec)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("'", path, "' is not a loom database (a non-empty directory without one)"));
  }
  if (!has_current && (!options.create_if_missing || options.read_only)) {
    return MakeError(ErrorCode::kNotFound, absl::StrCat("no loom database at '", path, "'"));
  }

  auto impl = std::make_unique<StoreImpl>();
  impl->path = path;
  impl->options = options;
  impl->cache = rocksdb::NewLRUCache(options.block_cache_bytes);

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.atomic_flush = true;  // several column families written by one batch
  db_options.max_background_jobs = 2;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.keep_log_file_num = 2;
  // Point lookups (findById: the id map, then the record) come from a row cache when warm.
  // Not in read-only instances: there a key served from the row cache a second
  // time read as missing (DatabaseTest.ReadOnlyOpenFindsARecordEveryTime).
  if (!options.read_only) db_options.row_cache = rocksdb::NewLRUCache(options.block_cache_bytes / 4);

  if (has_current) {
    std::vector<std::string> existing;
    rocksdb::Status ls = rocksdb::DB::ListColumnFamilies(db_options, path, &existing);
    if (!ls.ok()) return OpenError(path, ls);
    std::set<std::string> names(existing.begin(), existing.end());
    for (const char* name : kCfNames) {
      if (!names.count(name)) {
        return MakeError(ErrorCode::kInvalidArgument,
                         absl::StrCat("'", path, "' is a RocksDB database but not a loom database"));
      }
    }
  }

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (int i = 0; i < kNumCfs; ++i) {
    bool point = i == kRecords || i == kIds;
    descriptors.emplace_back(kCfNames[i], CfOptions(options, impl->cache, point));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = options.read_only
                          ? rocksdb::DB::OpenForReadOnly(db_options, path, descriptors, &handles, &raw)
                          : rocksdb::DB::Open(db_options, path, descriptors, &handles, &raw);
  if (!s.ok()) return OpenError(path, s);
  impl->db.reset(raw);
  impl->db->DestroyColumnFamilyHandle(handles[0]);
  impl->cfs.assign(handles.begin() + 1, handles.end());

  // A kIngest write cut short by a crash leaves its unfinished files behind.
  if (!options.read_only) std::filesystem::remove_all(impl->IngestScratchDir(), ec);

  // Format version: written at creation, checked at every open.
  std::string version;
  rocksdb::Status vs = impl->db->Get(rocksdb::ReadOptions(), impl->cfs[kMeta], kFormatVersionKey, &version);
  if (vs.IsNotFound()) {
    if (options.read_only) return MakeError(ErrorCode::kInvalidArgument, "not a loom database: no format version");
    std::string v;
    AppendU32(&v, kFormatVersion);
    rocksdb::WriteOptions wo;
    wo.sync = true;
    LOOM_RETURN_IF_ERROR(FromRocks(impl->db->Put(wo, impl->cfs[kMeta], kFormatVersionKey, v)));
  } else if (!vs.ok()) {
    return OpenError(path, vs);
  } else if (version.size() != 4 || DecodeU32(version.data()) != kFormatVersion) {
    uint32_t found = version.size() == 4 ? DecodeU32(version.data()) : 0;
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("database '", path, "' uses storage format version ", found,
                                  " but this loom reads version ", kFormatVersion));
  }

  // Load dictionaries, counters and allocation marks from meta.
  {
    std::unique_ptr<rocksdb::Iterator> it(impl->db->NewIterator(rocksdb::ReadOptions(), impl->cfs[kMeta]));
    absl::MutexLock lock(&impl->mu);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      std::string_view value(it->value().data(), it->value().size());
      if (key.size() >= 2 && key[0] == kDictTag && value.size() == 4) {
        NameId id = DecodeU32(value.data());
        std::string_view name = key.substr(2);
        switch (static_cast<DictKind>(key[1])) {
          case DictKind::kLabel: impl->dicts.labels.Load(name, id); break;
          case DictKind::kProperty: impl->dicts.properties.Load(name, id); break;
          case DictKind::kRelType: impl->dicts.rel_types.Load(name, id); break;
        }
      } else if (!key.empty() && key[0] == kCounterTag) {
        impl->counters[std::string(key)] = DecodeI64(value);
      } else if (key == kNextRidKey && value.size() == 8) {
        impl->next_rid = DecodeU64(value.data());
      } else if (key == kNextEidKey && value.size() == 8) {
        impl->next_eid = DecodeU64(value.data());
      } else if (key == kIdOrderBrokenKey) {
        impl->id_order_broken = true;
      }
    }
    LOOM_RETURN_IF_ERROR(FromRocks(it->status()));
    std::unique_ptr<rocksdb::Iterator> ids(impl->db->NewIterator(rocksdb::ReadOptions(), impl->cfs[kIds]));
    ids->SeekToLast();
    if (ids->Valid()) impl->max_id = ids->key().ToString();
    // Never reuse a rid, even if the allocation mark lags (kUnsafeFast writes).
    std::unique_ptr<rocksdb::Iterator> recs(impl->db->NewIterator(rocksdb::ReadOptions(), impl->cfs[kRecords]));
    recs->SeekToLast();
    if (recs->Valid() && recs->key().size() == 8) {
      uint64_t last = DecodeU64(recs->key().data());
      if (impl->next_rid <= last) impl->next_rid = last + 1;
    }
  }
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

std::unique_ptr<ReadView> Store::NewReadView() { return std::make_unique<ReadViewImpl>(impl_.get()); }
std::unique_ptr<WriteTxn> Store::BeginWrite(WriteMode mode) {
  return std::make_unique<WriteTxnImpl>(impl_.get(), mode);
}
Dictionaries& Store::dictionaries() { return impl_->dicts; }
const Options& Store::options() const { return impl_->options; }

absl::Status Store::FlushAndSync() {
  if (impl_->options.read_only) return absl::OkStatus();
  rocksdb::FlushOptions fo;
  fo.wait = true;
  LOOM_RETURN_IF_ERROR(FromRocks(impl_->db->Flush(fo, impl_->cfs)));
  return FromRocks(impl_->db->SyncWAL());
}

absl::StatusOr<std::string> Store::MaxId() {
  absl::ReaderMutexLock lock(&impl_->mu);
  return impl_->max_id;
}

absl::StatusOr<CheckReport> Store::Check() {
  CheckReport report;
  auto problem = [&](std::string text) {
    if (report.problems.size() < 100) report.problems.push_back(std::move(text));
  };
  const rocksdb::Snapshot* snap = impl_->db->GetSnapshot();
  struct Release {
    StoreImpl* s;
    const rocksdb::Snapshot* snap;
    ~Release() { s->db->ReleaseSnapshot(snap); }
  } release{impl_.get(), snap};
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  auto iter = [&](Cf cf) { return std::unique_ptr<rocksdb::Iterator>(impl_->db->NewIterator(ro, impl_->cfs[cf])); };

  std::map<std::string, int64_t> recount;
  std::set<std::string> want_labels, want_props;
  absl::flat_hash_map<Rid, NameId> labels_of;
  auto rec = iter(kRecords);
  for (rec->SeekToFirst(); rec->Valid(); rec->Next()) {
    StoredRecord r;
    if (rec->key().size() != 8 || !DecodeRecord(std::string_view(rec->value().data(), rec->value().size()), &r)) {
      problem("undecodable record entry");
      continue;
    }
    r.rid = DecodeU64(rec->key().data());
    ++report.records;
    labels_of[r.rid] = r.label;
    std::string rid_bytes;
    if (!impl_->db->Get(ro, impl_->cfs[kIds], r.id, &rid_bytes).ok() || rid_bytes.size() != 8 ||
        DecodeU64(rid_bytes.data()) != r.rid) {
      problem(absl::StrCat("id map does not lead to record ", r.id));
    }
    want_labels.insert(LabelKey(r.label, r.rid));
    recount[CounterKeyTotal()]++;
    recount[CounterKeyLabel(r.label)]++;
    std::vector<IndexEntry> entries;
    for (const StoredProperty& p : r.properties) {
      recount[CounterKeyProperty(r.label, p.name, p.value.type)]++;
      entries.clear();
      IndexEntriesFor(p.value, &entries);
      for (const IndexEntry& e : entries) want_props.insert(PropKey(r.label, p.name, e.tag, e.ordered, r.rid));
    }
  }
  LOOM_RETURN_IF_ERROR(FromRocks(rec->status()));

  auto ids = iter(kIds);
  uint64_t id_entries = 0;
  for (ids->SeekToFirst(); ids->Valid(); ids->Next()) ++id_entries;
  if (id_entries != report.records) {
    problem(absl::StrCat("id map has ", id_entries, " entries for ", report.records, " records"));
  }

  auto compare_set = [&](Cf cf, const std::set<std::string>& want, std::string_view what) {
    auto it = iter(cf);
    std::set<std::string> have;
    for (it->SeekToFirst(); it->Valid(); it->Next()) have.insert(it->key().ToString());
    for (const std::string& k : want) {
      if (!have.count(k)) problem(std::string(what) + " index misses an entry");
    }
    for (const std::string& k : have) {
      if (!want.count(k)) problem(std::string(what) + " index has a stale entry");
    }
  };
  compare_set(kLabels, want_labels, "label");
  compare_set(kProps, want_props, "property");

  auto edges = iter(kEdges);
  for (edges->SeekToFirst(); edges->Valid(); edges->Next()) {
    EdgeRef e;
    if (!DecodeEdgeKey(std::string_view(edges->key().data(), edges->key().size()), &e)) {
      problem("undecodable edge entry");
      continue;
    }
    auto self = labels_of.find(e.self);
    auto nbr = labels_of.find(e.nbr);
    if (self == labels_of.end() || nbr == labels_of.end()) {
      problem(absl::StrCat("edge ", e.eid, " points to a missing record"));
      continue;
    }
    if (nbr->second != e.nbr_label) problem(absl::StrCat("edge ", e.eid, " carries a stale neighbour label"));
    EdgeRef mirror{e.nbr, Flip(e.dir), e.type, self->second, e.self, e.eid};
    std::string mirror_props;
    if (!impl_->db->Get(ro, impl_->cfs[kEdges], EdgeKey(mirror), &mirror_props).ok()) {
      problem(absl::StrCat("edge ", e.eid, " has no mirror entry (asymmetric adjacency)"));
    } else if (mirror_props != edges->value().ToString()) {
      problem(absl::StrCat("edge ", e.eid, " has different properties on its two entries"));
    }
    if (e.dir == Direction::kOut) ++report.edges;
    recount[CounterKeyEdge(self->second, e.dir, e.type, e.nbr_label)]++;
  }

  // Counters: stored (meta) and in memory must both equal the recount.
  std::map<std::string, int64_t> stored;
  auto meta = iter(kMeta);
  std::string counter_prefix(1, kCounterTag);
  for (meta->Seek(counter_prefix); meta->Valid() && meta->key().starts_with(counter_prefix); meta->Next()) {
    int64_t v = DecodeI64(std::string_view(meta->value().data(), meta->value().size()));
    if (v != 0) stored[meta->key().ToString()] = v;
  }
  if (stored != recount) problem("stored counters differ from a recount");
  {
    absl::ReaderMutexLock lock(&impl_->mu);
    std::map<std::string, int64_t> memory;
    for (const auto& [k, v] : impl_->counters) {
      if (v != 0) memory[k] = v;
    }
    if (memory != recount) problem("in-memory counters differ from a recount");
  }
  return report;
}

absl::Status ReadView::GetRecords(const std::vector<Rid>& rids, std::vector<StoredRecord>* out,
                                  std::vector<bool>* found) {
  out->assign(rids.size(), StoredRecord{});
  found->assign(rids.size(), false);
  for (size_t i = 0; i < rids.size(); ++i) {
    LOOM_ASSIGN_OR_RETURN(bool f, GetRecord(rids[i], &(*out)[i]));
    (*found)[i] = f;
  }
  return absl::OkStatus();
}

}  // namespace loom::storage
