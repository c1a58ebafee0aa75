// engine/import/json_import_plan.h: records.importJson / records.createMany as
// a plan of draft records and parent → child edges (spec/import-export.md
// §2.1-§2.3, api.md §1.2, §1.3).
//
// Planning is pure: it validates and types the whole payload and fixes the
// breadth-first creation order; the engine assigns ids in `records` order and
// persists. Thread-safe.
#ifndef LOOM_ENGINE_IMPORT_JSON_IMPORT_PLAN_H_
#define LOOM_ENGINE_IMPORT_JSON_IMPORT_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/import/import_typing.h"
#include "loom/json.h"
#include "loom/value.h"

namespace loom::engine {

// Maximum JSON nesting accepted when `data` is JSON text (RELIABILITY.md §3).
inline constexpr int kMaxJsonTextDepth = 64;

struct DraftRecord {
  std::optional<std::string> label;
  std::vector<Property> properties;
  int64_t parent = -1;  // index of the parent draft; edge parent -> this
};

struct ImportPlan {
  std::vector<DraftRecord> records;  // BFS order = id order
  std::string relationship_type;     // type of every parent -> child edge
  ImportOptions options;
};

// records.importJson arguments {label?, data, format?, options?}.
// INVALID_ARGUMENT (with a JSON Pointer) for: bad argument types, forbidden
// keys, unparsable JSON/JSONL text (the message names the 1-based line for
// JSON lines), a missing label where §2.2 requires one, arrays mixing objects
// with primitives or arrays (D16), bad options.
[[nodiscard]] absl::StatusOr<ImportPlan> PlanJsonImport(const Json& args);

// records.createMany arguments {label, data: [flat object...], options?}:
// the same plan, but every element must be flat ("use importJson for nested
// JSON") and `label` is required.
[[nodiscard]] absl::StatusOr<ImportPlan> PlanCreateMany(const Json& args);

// Parses JSON text for import: BOM removed, text trimmed, nesting limited to
// kMaxJsonTextDepth during parsing. `format` is "json" (retry as JSON lines on
// failure), "jsonl" or "ndjson". JSON lines yield an array of objects.
[[nodiscard]] absl::StatusOr<Json> ParseImportText(std::string_view text,
                                                   std::string_view format,
                                                   std::string_view path);

// `label` upper-cased as ECMAScript toUpperCase would for ASCII and Latin-1
// letters (capitalizeLabels).
std::string UpperCaseLabel(std::string_view label);

}  // namespace loom::engine

#endif  // LOOM_ENGINE_IMPORT_JSON_IMPORT_PLAN_H_
