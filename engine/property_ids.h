// engine/property_ids.h: stable UUIDv7 ids of properties, i.e. (name, type)
// pairs (data-model.md §7).
//
// Persistence: the storage interface has no table for them, so each id is an
// entry of the property-name dictionary (which is durable, never shrinks and
// tolerates unused entries) spelled
//     "\x01pid:" <uuidv7:36> ":" <type name> ":" <property name>
// A pair's current id is its entry with the largest uuid. When a write makes a
// pair appear while no committed record holds it (first appearance, or
// reappearance after it vanished), the engine renews it: a new entry with a
// fresh, larger uuid, written before the write commits. Pairs with no entry at
// all (e.g. written by a dataset load) get one on first read (in memory only
// when the database is open read-only). No user property
// name can clash unless it starts with "\x01pid:" and embeds a uuid and a
// type. Thread-safe.
#ifndef LOOM_ENGINE_PROPERTY_IDS_H_
#define LOOM_ENGINE_PROPERTY_IDS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "engine/id_generator.h"
#include "loom/value.h"
#include "storage/dictionary.h"

namespace loom::engine {

class PropertyIds {
 public:
  // Loads the existing entries of `dict`.
  PropertyIds(storage::Dictionary* dict, IdGenerator* ids);

  // True for dictionary names that are id entries, not property names.
  static bool IsIdEntry(std::string_view dictionary_name);

  // The current id of (name, type), created when there is none.
  [[nodiscard]] absl::StatusOr<std::string> Current(std::string_view name, PropType type);
  // Gives (name, type) a new id (it appears afresh).
  [[nodiscard]] absl::Status Renew(std::string_view name, PropType type);
  // The pair whose current id is `id`.
  std::optional<std::pair<std::string, PropType>> Lookup(std::string_view id);

 private:
  [[nodiscard]] absl::StatusOr<std::string> RenewLocked(std::string_view name, PropType type,
                                                        bool must_persist) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void InstallLocked(std::string id, std::string name, PropType type)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  storage::Dictionary* dict_;
  IdGenerator* ids_;
  absl::Mutex mu_;
  // key = type name + '\0' + property name
  absl::flat_hash_map<std::string, std::string> current_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::pair<std::string, PropType>> by_id_ ABSL_GUARDED_BY(mu_);
};

}  // namespace loom::engine

#endif  // LOOM_ENGINE_PROPERTY_IDS_H_
