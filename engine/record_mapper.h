// engine/record_mapper.h: conversions between storage::StoredRecord (dictionary
// ids) and the API's Record / JSON, plus the argument helpers every write
// shares: record targets (api.md §0.1), labels, relationship types and
// properties (data-model.md §6.3, §6.4). Pure functions over the given
// dictionaries; thread-safe.
#ifndef LOOM_ENGINE_RECORD_MAPPER_H_
#define LOOM_ENGINE_RECORD_MAPPER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "loom/value.h"
#include "storage/store.h"

namespace loom::engine {

inline constexpr std::string_view kDefaultRelType = "__RUSHDB__RELATION__DEFAULT__";

Record ToRecord(const storage::Dictionaries& dicts, const storage::StoredRecord& stored);

// Interns label and property names. Keeps `rid` and `id` of `base`.
[[nodiscard]] absl::StatusOr<storage::StoredRecord> ToStored(storage::Dictionaries& dicts,
                                                             const storage::StoredRecord& base,
                                                             const std::optional<std::string>& label,
                                                             const std::vector<Property>& properties);

// Overlays `incoming` on `current`: same names replaced in place, new ones appended.
std::vector<Property> Overlay(std::vector<Property> current, const std::vector<Property>& incoming);

// The ids named by record targets: an id string, an object with "__id", an
// array of those, or a find result {"data": [...]}. INVALID_ARGUMENT at `path`.
[[nodiscard]] absl::StatusOr<std::vector<std::string>> ParseTargets(const Json& targets,
                                                                    std::string_view path);
// Exactly one record target.
[[nodiscard]] absl::StatusOr<std::string> ParseTarget(const Json& target, std::string_view path);

// `args[key]` as an optional label: absent/null/"" = none; other non-strings
// are INVALID_ARGUMENT at "/key".
[[nodiscard]] absl::StatusOr<std::optional<std::string>> ParseLabel(const Json& args,
                                                                    std::string_view key);

// "in"/"out" in any case → true for "in". Absent → `out`.
[[nodiscard]] absl::StatusOr<bool> ParseDirectionIsIn(const Json* direction, std::string_view path);

// Adapts a per-record callback to the per-rid callbacks of ReadView scans:
// each rid is read, missing ones are skipped, and a read error stops the scan
// and is kept for status(). Pass ByRid() to ScanRecords / ScanLabel / ...
class RecordVisitor {
 public:
  RecordVisitor(storage::ReadView& view, std::function<bool(storage::StoredRecord&)> fn)
      : view_(view), fn_(std::move(fn)) {}
  std::function<bool(storage::Rid)> ByRid() {
    return [this](storage::Rid rid) { return Visit(rid); };
  }
  bool Visit(storage::Rid rid);
  const absl::Status& status() const { return status_; }

 private:
  storage::ReadView& view_;
  std::function<bool(storage::StoredRecord&)> fn_;
  absl::Status status_;
};

// `args[key]` when args is an object holding it (not null), else nullptr.
const Json* Member(const Json& args, std::string_view key);

}  // namespace loom::engine

#endif  // LOOM_ENGINE_RECORD_MAPPER_H_
