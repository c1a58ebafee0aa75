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
  if (sorted_) return;
  if (stale_prefixes_) {
    for (Entry& e : entries_) LoadPrefix(e, 0);
    stale_prefixes_ = false;
  }
  // Every run of entries below shares its keys' first `offset` bytes, and
  // their prefixes hold the next kDigit bytes.
  struct Run {
    size_t begin, end, offset;
  };
  std::vector<Run> runs = {{0, entries_.size(), 0}};
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
  // later Add makes another Sort necessary.
  if (!entries_.empty()) LoadPrefix(entries_.back(), 0);
  stale_prefixes_ = true;
  sorted_ = true;
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
