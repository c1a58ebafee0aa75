#include "storage/dictionary.h"

#include "loom/status.h"

namespace loom::storage {

Dictionary::Dictionary(DictKind kind, Persist persist)
    : kind_(kind), persist_(std::move(persist)), chunks_(new std::atomic<std::string*>[kMaxChunks]) {
  for (uint32_t i = 0; i < kMaxChunks; ++i) chunks_[i].store(nullptr, std::memory_order_relaxed);
}

Dictionary::~Dictionary() {
  for (uint32_t i = 0; i < kMaxChunks; ++i) delete[] chunks_[i].load(std::memory_order_relaxed);
}

std::optional<NameId> Dictionary::Find(std::string_view name) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = ids_.find(absl::string_view(name.data(), name.size()));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

const std::string& Dictionary::NameRef(NameId id) const {
  static const std::string* const kEmpty = new std::string();
  if (id == kNoName || id >= size_.load(std::memory_order_acquire)) return *kEmpty;
  const std::string* chunk = chunks_[id >> kChunkBits].load(std::memory_order_acquire);
  return chunk == nullptr ? *kEmpty : chunk[id & (kChunkSize - 1)];
}

bool Dictionary::Place(NameId id, std::string_view name) {
  if ((id >> kChunkBits) >= kMaxChunks) return false;
  std::atomic<std::string*>& slot = chunks_[id >> kChunkBits];
  std::string* chunk = slot.load(std::memory_order_relaxed);
  if (chunk == nullptr) {
    chunk = new std::string[kChunkSize];
    slot.store(chunk, std::memory_order_release);
  }
  chunk[id & (kChunkSize - 1)] = std::string(name);
  if (id >= size_.load(std::memory_order_relaxed)) size_.store(id + 1, std::memory_order_release);
  return true;
}

absl::StatusOr<NameId> Dictionary::Intern(std::string_view name) {
  if (auto id = Find(name)) return *id;
  absl::MutexLock lock(&mu_);
  if (auto it = ids_.find(absl::string_view(name.data(), name.size())); it != ids_.end()) return it->second;
  NameId id = size_.load(std::memory_order_relaxed);
  if ((id >> kChunkBits) >= kMaxChunks) {
    return MakeError(ErrorCode::kInvalidArgument, "too many distinct names in one dictionary");
  }
  // Persist first: a name is only usable once it survives a restart.
  if (absl::Status s = persist_(kind_, name, id); !s.ok()) return s;
  Place(id, name);
  ids_.emplace(std::string(name), id);
  return id;
}

std::vector<std::pair<NameId, std::string>> Dictionary::Entries() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::pair<NameId, std::string>> out;
  const NameId size = size_.load(std::memory_order_acquire);
  for (NameId id = 1; id < size; ++id) {
    const std::string& name = NameRef(id);
    if (!name.empty()) out.emplace_back(id, name);
  }
  return out;
}

void Dictionary::Load(std::string_view name, NameId id) {
  absl::MutexLock lock(&mu_);
  if (id == kNoName || !Place(id, name)) return;  // ids past the bound cannot be written by this version
  ids_[std::string(name)] = id;
}

}  // namespace loom::storage
