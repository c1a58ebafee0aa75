#include "storage/dictionary.h"

namespace loom::storage {

std::optional<NameId> Dictionary::Find(std::string_view name) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = ids_.find(absl::string_view(name.data(), name.size()));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

std::string Dictionary::Name(NameId id) const {
  absl::ReaderMutexLock lock(&mu_);
  return id < names_.size() ? names_[id] : std::string();
}

absl::StatusOr<NameId> Dictionary::Intern(std::string_view name) {
  if (auto id = Find(name)) return *id;
  absl::MutexLock lock(&mu_);
  if (auto it = ids_.find(absl::string_view(name.data(), name.size())); it != ids_.end()) return it->second;
  if (names_.empty()) names_.emplace_back();
  NameId id = static_cast<NameId>(names_.size());
  // Persist first: a name is only usable once it survives a restart.
  if (absl::Status s = persist_(kind_, name, id); !s.ok()) return s;
  names_.emplace_back(name);
  ids_.emplace(std::string(name), id);
  return id;
}

std::vector<std::pair<NameId, std::string>> Dictionary::Entries() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::pair<NameId, std::string>> out;
  for (NameId id = 1; id < names_.size(); ++id) {
    if (!names_[id].empty()) out.emplace_back(id, names_[id]);
  }
  return out;
}

void Dictionary::Load(std::string_view name, NameId id) {
  absl::MutexLock lock(&mu_);
  if (names_.size() <= id) names_.resize(id + 1);
  names_[id] = std::string(name);
  ids_[std::string(name)] = id;
}

}  // namespace loom::storage
