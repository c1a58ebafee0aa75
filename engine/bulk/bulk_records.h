// engine/bulk/bulk_records.h: the small pieces shared by the bulk writers:
// API records <-> stored records over the store's dictionaries, and
// simdjson elements -> loom::Json with a nesting limit.
// Pure functions over the given dictionaries; thread-safe.
#ifndef LOOM_ENGINE_BULK_BULK_RECORDS_H_
#define LOOM_ENGINE_BULK_BULK_RECORDS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "loom/options.h"
#include "loom/value.h"
#include "storage/store.h"

namespace loom::engine::bulk {

// Where bulk writers write: the store, the generator of new `__id`s (UUIDv7,
// increasing) and the durability of each batch commit. The caller serialises
// writers (one bulk operation at a time, no other writer meanwhile).
struct BulkTarget {
  storage::Store* store = nullptr;
  std::function<std::string()> next_id;
  Durability durability = Durability::kBuffered;
};

// Debian's Abseil has its own string_view: adapters for absl::StrCat and
// for status messages.
inline absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view MessageOf(const absl::Status& status) {
  return std::string_view(status.message().data(), status.message().size());
}

// Interns the label and property names; rid and id as given.
[[nodiscard]] absl::StatusOr<storage::StoredRecord> MakeStoredRecord(
    storage::Dictionaries& dicts, storage::Rid rid, std::string id,
    const std::optional<std::string>& label, const std::vector<Property>& properties);

// The API view of a stored record (names from the dictionaries).
Record ToApiRecord(const storage::Dictionaries& dicts, const storage::StoredRecord& stored);

}  // namespace loom::engine::bulk

#endif  // LOOM_ENGINE_BULK_BULK_RECORDS_H_
