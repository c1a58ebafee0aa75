#include "engine/property_ids.h"

#include "loom/status.h"

namespace loom::engine {
namespace {

constexpr std::string_view kPrefix = "\x01pid:";
constexpr size_t kUuidLen = 36;

std::string PairKey(std::string_view name, PropType type) {
  std::string key(PropTypeName(type));
  key.push_back('\0');
  key.append(name);
  return key;
}

}  // namespace

bool PropertyIds::IsIdEntry(std::string_view name) { return name.substr(0, kPrefix.size()) == kPrefix; }

PropertyIds::PropertyIds(storage::Dictionary* dict, IdGenerator* ids) : dict_(dict), ids_(ids) {
  absl::MutexLock lock(&mu_);
  for (const auto& [unused, entry] : dict_->Entries()) {
    std::string_view rest(entry);
    if (!IsIdEntry(rest)) continue;
    rest.remove_prefix(kPrefix.size());
    if (rest.size() < kUuidLen + 1 || rest[kUuidLen] != ':') continue;
    std::string id(rest.substr(0, kUuidLen));
    rest.remove_prefix(kUuidLen + 1);
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) continue;
    std::optional<PropType> type = ParsePropType(rest.substr(0, colon));
    if (!type) continue;
    ids_->SeedAfter(id);
    InstallLocked(std::move(id), std::string(rest.substr(colon + 1)), *type);
  }
}

void PropertyIds::InstallLocked(std::string id, std::string name, PropType type) {
  std::string key = PairKey(name, type);
  auto it = current_.find(key);
  if (it != current_.end()) {
    if (it->second >= id) return;  // an older generation
    by_id_.erase(it->second);
    it->second = id;
  } else {
    current_.emplace(key, id);
  }
  by_id_[id] = {std::move(name), type};
}

absl::StatusOr<std::string> PropertyIds::RenewLocked(std::string_view name, PropType type,
                                                      bool must_persist) {
  std::string id = ids_->Next();
  std::string entry(kPrefix);
  entry.append(id).append(":").append(PropTypeName(type)).append(":").append(name);
  absl::StatusOr<storage::NameId> interned = dict_->Intern(entry);
  // A read-only database cannot persist the id of a pair written without one
  // (e.g. by a dataset load); it then lives in memory for this open only.
  if (!interned.ok() && must_persist) return interned.status();
  InstallLocked(id, std::string(name), type);
  return id;
}

absl::StatusOr<std::string> PropertyIds::Current(std::string_view name, PropType type) {
  absl::MutexLock lock(&mu_);
  auto it = current_.find(PairKey(name, type));
  if (it != current_.end()) return it->second;
  return RenewLocked(name, type, /*must_persist=*/false);
}

absl::Status PropertyIds::Renew(std::string_view name, PropType type) {
  absl::MutexLock lock(&mu_);
  return RenewLocked(name, type, /*must_persist=*/true).status();
}

std::optional<std::pair<std::string, PropType>> PropertyIds::Lookup(std::string_view id) {
  absl::MutexLock lock(&mu_);
  auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

}  // namespace loom::engine
