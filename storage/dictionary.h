// storage/dictionary.h: name <-> small id maps for labels, property names and
// relationship types. Loaded at open; new names are written durably on first
// use, outside any transaction (an unused entry is harmless).
// Thread-safe.
#ifndef LOOM_STORAGE_DICTIONARY_H_
#define LOOM_STORAGE_DICTIONARY_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "storage/types.h"

namespace loom::storage {

enum class DictKind : uint8_t { kLabel = 1, kProperty = 2, kRelType = 3 };

class Dictionary {
 public:
  // Persists a new (name, id) pair; installed by the store.
  using Persist = std::function<absl::Status(DictKind, std::string_view, NameId)>;

  Dictionary(DictKind kind, Persist persist);
  ~Dictionary();

  std::optional<NameId> Find(std::string_view name) const;
  // The name of `id`; "" for kNoName or an unknown id.
  std::string Name(NameId id) const { return NameRef(id); }
  // The same without a copy or a lock (hot read paths): a published name
  // never changes or moves, so the reference stays valid with the store.
  const std::string& NameRef(NameId id) const;
  // Finds or creates the id of `name` (ids start at 1).
  absl::StatusOr<NameId> Intern(std::string_view name);
  // Every (id, name), ascending id.
  std::vector<std::pair<NameId, std::string>> Entries() const;
  // Names known so far (a cheap change detector: names are never removed).
  uint32_t size() const { return size_.load(std::memory_order_acquire) - 1; }

  // Used while loading at open.
  void Load(std::string_view name, NameId id);

 private:
  // Sets the name of `id` (under mu_), allocating its chunk; false when id is too large.
  bool Place(NameId id, std::string_view name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  static constexpr uint32_t kChunkBits = 10;
  static constexpr uint32_t kChunkSize = 1u << kChunkBits;
  static constexpr uint32_t kMaxChunks = 4096;  // 4M names per dictionary

  const DictKind kind_;
  const Persist persist_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, NameId> ids_ ABSL_GUARDED_BY(mu_);
  // names by id in fixed chunks that never move: readers index them without
  // the mutex; `size_` (release/acquire) publishes ids below it.
  std::unique_ptr<std::atomic<std::string*>[]> chunks_;
  std::atomic<uint32_t> size_{1};  // id 0 = kNoName = ""
};

struct Dictionaries {
  Dictionary labels;
  Dictionary properties;
  Dictionary rel_types;
};

}  // namespace loom::storage

#endif  // LOOM_STORAGE_DICTIONARY_H_
