// storage/write_buffer.h: the writes of one column family in a bulk write,
// kept compactly and sorted by key before they reach RocksDB.
//
// A bulk write (WriteMode kBlind / kIngest) touches millions of keys. Keeping
// each as two std::strings costs two allocations and ~100 bytes of overhead;
// here keys and values share arena blocks (never moved, so the buffer grows
// without copying) and an entry is 32 bytes. Sorting is a most-significant-
// digit sort with 16-byte digits cached in the entries: each round sorts by
// integers only, and only runs that tie go on to the next 16 bytes. Index
// keys share long prefixes (label, property, common values), where plain
// key comparisons would spend their time in memcmp on cold memory. Input
// already in key order (rids, UUIDv7 ids) is detected and not sorted at all.
//
// Not thread-safe; one buffer is sorted and read by one thread at a time.
#ifndef LOOM_STORAGE_WRITE_BUFFER_H_
#define LOOM_STORAGE_WRITE_BUFFER_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace loom::storage {

class WriteBuffer {
 public:
  void Put(std::string_view key, std::string_view value) { Add(key, value, false); }
  void Delete(std::string_view key) { Add(key, {}, true); }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Bytes held (arena plus entries), for chunking decisions.
  size_t ApproximateBytes() const { return arena_bytes_ + entries_.capacity() * sizeof(Entry); }

  // Orders the entries by key; of several writes to one key the last one
  // made is the only one ForEach reports. Idempotent.
  void Sort();

  // The same in parts that can run on several threads: Partition cuts the
  // entries into key-disjoint ranges of about `target_entries` each (all
  // writes of one key in one range), then SortRange orders each range; the
  // buffer is sorted once every returned range is. SortRange calls on
  // different ranges may run concurrently.
  struct Range {
    size_t begin = 0, end = 0;
    bool needs_sort = false;  // false: already in order
  };
  std::vector<Range> Partition(size_t target_entries);
  void SortRange(Range range);

  // Calls fn(key, value, is_delete) for each key of `range` in ascending
  // order (once sorted) and stops at the first false; returns whether it ran
  // to the end.
  template <typename Fn>
  bool ForEach(Fn&& fn) const {
    return ForEach(Range{0, entries_.size(), false}, fn);
  }
  template <typename Fn>
  bool ForEach(Range range, Fn&& fn) const {
    for (size_t i = range.begin; i < range.end; ++i) {
      // Keys are read in key order but were stored in write order: fetch ahead.
      if (i + kPrefetchDistance < range.end) __builtin_prefetch(Data(entries_[i + kPrefetchDistance]));
      const Entry& e = entries_[i];
      if (e.superseded) continue;
      if (!fn(Key(e), Value(e), e.is_delete)) return false;
    }
    return true;
  }

  void Clear();

 private:
  struct Entry {
    // 16 key bytes from the offset the sort is at (0 outside Sort), big-endian, zero padded.
    uint64_t prefix_hi;
    uint64_t prefix_lo;
    uint64_t location;  // block << kBlockShift | offset of the key; the value follows it.
                        // Grows with every write, so it is also the write order.
    uint32_t key_size : 31;
    uint32_t superseded : 1;  // a later write has the same key
    uint32_t value_size : 31;
    uint32_t is_delete : 1;
  };
  static_assert(sizeof(Entry) == 32);

  void Add(std::string_view key, std::string_view value, bool is_delete);
  void LoadPrefix(Entry& e, size_t offset) const;
  const char* Data(const Entry& e) const {
    return blocks_[e.location >> kBlockShift].get() + (e.location & ((uint64_t{1} << kBlockShift) - 1));
  }
  std::string_view Key(const Entry& e) const { return {Data(e), e.key_size}; }
  std::string_view Value(const Entry& e) const { return {Data(e) + e.key_size, e.value_size}; }
  // Full key comparison (<0, 0, >0), prefixes taken at offset 0.
  int Compare(const Entry& a, const Entry& b) const;

  static constexpr int kBlockShift = 40;
  static constexpr size_t kPrefetchDistance = 8;
  static constexpr size_t kBlockSize = size_t{4} << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0;      // in blocks_.back()
  size_t block_capacity_ = 0;  // of blocks_.back()
  size_t arena_bytes_ = 0;
  std::vector<Entry> entries_;
  bool sorted_ = true;
  bool stale_prefixes_ = false;  // prefixes of a past Sort, except the last entry's
};

}  // namespace loom::storage

#endif  // LOOM_STORAGE_WRITE_BUFFER_H_
