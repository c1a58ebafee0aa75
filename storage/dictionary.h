// storage/dictionary.h: name <-> small id maps for labels, property names and
// relationship types. Loaded at open; new names are written durably on first
// use, outside any transaction (an unused entry is harmless).
// Thread-safe.
#ifndef LOOM_STORAGE_DICTIONARY_H_
#define LOOM_STORAGE_DICTIONARY_H_

#include <functional>
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

  Dictionary(DictKind kind, Persist persist) : kind_(kind), persist_(std::move(persist)) {}

  std::optional<NameId> Find(std::string_view name) const;
  // The name of `id`; "" for kNoName or an unknown id.
  std::string Name(NameId id) const;
  // Finds or creates the id of `name` (ids start at 1).
  absl::StatusOr<NameId> Intern(std::string_view name);
  // Every (id, name), ascending id.
  std::vector<std::pair<NameId, std::string>> Entries() const;

  // Used while loading at open.
  void Load(std::string_view name, NameId id);

 private:
  const DictKind kind_;
  const Persist persist_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, NameId> ids_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> names_ ABSL_GUARDED_BY(mu_);  // names_[id]; names_[0] = ""
};

struct Dictionaries {
  Dictionary labels;
  Dictionary properties;
  Dictionary rel_types;
};

}  // namespace loom::storage

#endif  // LOOM_STORAGE_DICTIONARY_H_
