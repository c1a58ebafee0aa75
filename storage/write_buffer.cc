#include "storage/write_buffer.h"

#include <cassert>
#include <cstring>

namespace loom::storage {
namespace {

constexpr size_t kDigit = 16;  // key bytes per sort round

uint64_t LoadBigEndian(const char* key, size_t size, size_t from) {
  if (from + 8 <= size) {
    uint64_t v;
    std::memcpy(&v, key + from, 8);
    return __builtin_bswap64(v);
  }
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) {
    v <<= 8;
    if (from + i < size) v |= static_cast<unsigned char>(key[from + i]);
  }
  return v;
}

}  // namespace

void WriteBuffer::LoadPrefix(Entry& e, size_t offset) const {
  const char* key = Data(e);
  e.prefix_hi = LoadBigEndian(key, e.key_size, offset);
  e.prefix_lo = LoadBigEndian(key, e.key_size, offset + 8);
}

void WriteBuffer::Add(std::string_view key, std::string_view value, bool is_delete) {
  assert(key.size() < (size_t{1} << 31) && value.size() < (size_t{1} << 31));
  size_t need = key.size() + value.size();
  if (blocks_.empty() || block_capacity_ - block_used_ < need) {
    block_capacity_ = std::max(kBlockSize, need);
    blocks_.push_back(std::make_unique<char[]>(block_capacity_));
    block_used_ = 0;
  }
  char* at = blocks_.back().get() + block_used_;
  if (!key.empty()) std::memcpy(at, key.data(), key.size());
  if (!value.empty()) std::memcpy(at + key.size(), value.data(), value.size());
  Entry e;
  e.location = (static_cast<uint64_t>(blocks_.size() - 1) << kBlockShift) | block_used_;
  e.key_size = static_cast<uint32_t>(key.size());
  e.superseded = 0;
  e.value_size = static_cast<uint32_t>(value.size());
  e.is_delete = is_delete ? 1 : 0;
  LoadPrefix(e, 0);
  block_used_ += need;
  arena_bytes_ += need;
  if (sorted_ && !entries_.empty()) {
    int c = Compare(entries_.back(), e);
    if (c > 0) sorted_ = false;
    if (c == 0) entries_.back().superseded = 1;
  }
  entries_.push_back(e);
}

int WriteBuffer::Compare(const Entry& a, const Entry& b) const {
  if (a.prefix_hi != b.prefix_hi) return a.prefix_hi < b.prefix_hi ? -1 : 1;
  if (a.prefix_lo != b.prefix_lo) return a.prefix_lo < b.prefix_lo ? -1 : 1;
  if (a.key_size <= kDigit && b.key_size <= kDigit) {
    return a.key_size == b.key_size ? 0 : (a.key_size < b.key_size ? -1 : 1);
  }
  return Key(a).compare(Key(b));
}

void WriteBuffer::Sort() {
  for (Range range : Partition(SIZE_MAX)) SortRange(range);
}

std::vector<WriteBuffer::Range> WriteBuffer::Partition(size_t target_entries) {
  const size_t n = entries_.size();
  size_t parts = target_entries == 0 ? 1 : std::max<size_t>(1, (n + target_entries - 1) / target_entries);
  if (sorted_) {
    // Already in order: cut by position. A key's writes may straddle a cut;
    // harmless, as all but the last are marked superseded.
    std::vector<Range> out;
    for (size_t p = 0; p < parts; ++p) out.push_back({n * p / parts, n * (p + 1) / parts, false});
    return out;
  }
  if (stale_prefixes_) {
    for (Entry& e : entries_) LoadPrefix(e, 0);
    stale_prefixes_ = false;
  }
  sorted_ = true;          // once the caller sorts every range
  stale_prefixes_ = true;  // SortRange moves prefixes to later digits
  if (parts == 1) return {Range{0, n, true}};

  // Splitters from an even sample of first digits; equal digits fall into one
  // range, so all writes of a key stay together (skewed keys make uneven ranges).
  using Digit = std::pair<uint64_t, uint64_t>;
  std::vector<Digit> sample;
  const size_t sample_size = std::min(n, parts * 64);
  for (size_t i = 0; i < sample_size; ++i) {
    const Entry& e = entries_[i * n / sample_size];
    sample.emplace_back(e.prefix_hi, e.prefix_lo);
  }
  std::sort(sample.begin(), sample.end());
  std::vector<Digit> splitters;
  for (size_t p = 1; p < parts; ++p) splitters.push_back(sample[p * sample.size() / parts]);
  splitters.erase(std::unique(splitters.begin(), splitters.end()), splitters.end());
  auto range_of = [&](const Entry& e) {
    return static_cast<size_t>(std::upper_bound(splitters.begin(), splitters.end(), Digit(e.prefix_hi, e.prefix_lo)) -
                               splitters.begin());
  };
  std::vector<size_t> starts(splitters.size() + 2, 0);
  for (const Entry& e : entries_) ++starts[range_of(e) + 1];
  for (size_t r = 1; r < starts.size(); ++r) starts[r] += starts[r - 1];
  std::vector<Entry> scattered(n);
  std::vector<size_t> next(starts.begin(), starts.end() - 1);
  for (const Entry& e : entries_) scattered[next[range_of(e)]++] = e;
  entries_ = std::move(scattered);
  std::vector<Range> out;
  for (size_t r = 0; r + 1 < starts.size(); ++r) {
    if (starts[r] < starts[r + 1]) out.push_back({starts[r], starts[r + 1], true});
  }
  return out;
}

void WriteBuffer::SortRange(Range range) {
  if (!range.needs_sort) return;
  // Every run of entries below shares its keys' first `offset` bytes, and
  // their prefixes hold the next kDigit bytes.
  struct Run {
    size_t begin, end, offset;
  };
  std::vector<Run> runs = {{range.begin, range.end, 0}};
  while (!runs.empty()) {
    Run run = runs.back();
    runs.pop_back();
    const size_t window_end = run.offset + kDigit;
    auto reach = [window_end](const Entry& e) { return std::min<size_t>(e.key_size, window_end); };
    auto begin = entries_.begin() + run.begin, end = entries_.begin() + run.end;
    if (run.offset > 0) {
      for (auto it = begin; it != end; ++it) LoadPrefix(*it, run.offset);
    }
    // Within a digit, a key ending inside the window precedes a longer one
    // with the same (zero padded) bytes; write order breaks the last ties.
    std::sort(begin, end, [&](const Entry& a, const Entry& b) {
      if (a.prefix_hi != b.prefix_hi) return a.prefix_hi < b.prefix_hi;
      if (a.prefix_lo != b.prefix_lo) return a.prefix_lo < b.prefix_lo;
      if (reach(a) != reach(b)) return reach(a) < reach(b);
      return a.location < b.location;
    });
    for (size_t i = run.begin; i < run.end;) {
      const Entry& first = entries_[i];
      size_t j = i + 1;
      while (j < run.end && entries_[j].prefix_hi == first.prefix_hi && entries_[j].prefix_lo == first.prefix_lo &&
             reach(entries_[j]) == reach(first)) {
        ++j;
      }
      if (j - i > 1) {
        if (reach(first) == window_end) {
          runs.push_back({i, j, window_end});  // the keys go on: next digit
        } else {
          for (size_t k = i; k + 1 < j; ++k) entries_[k].superseded = 1;  // one key, oldest first
        }
      }
      i = j;
    }
  }
  // Add compares with the last entry only; the others are reloaded if a
  // later Add makes another Partition necessary.
  if (range.end == entries_.size() && range.end > range.begin) LoadPrefix(entries_.back(), 0);
}

void WriteBuffer::Clear() {
  blocks_.clear();
  entries_.clear();
  entries_.shrink_to_fit();
  block_used_ = block_capacity_ = arena_bytes_ = 0;
  sorted_ = true;
  stale_prefixes_ = false;
}

}  // namespace loom::storage
