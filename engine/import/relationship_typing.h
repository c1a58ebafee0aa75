// engine/import/relationship_typing.h: validation of relationship payloads
// (data-model.md §6.3 types, §6.4 properties), shared by the API's
// relationship writes and the dataset loader (import-export.md §6.3 rule 6).
//
// Pure functions over JSON; thread-safe. Errors are INVALID_ARGUMENT at the
// JSON Pointer of the offending node.
#ifndef LOOM_ENGINE_IMPORT_RELATIONSHIP_TYPING_H_
#define LOOM_ENGINE_IMPORT_RELATIONSHIP_TYPING_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "loom/json.h"

namespace loom::engine {

// Relationship type of data-model §6.3: identifier-like, not the internal
// __RUSHDB__RELATION__VALUE__. The first form also requires a string.
[[nodiscard]] absl::Status ValidateRelType(const Json& type, std::string_view path);
[[nodiscard]] absl::Status ValidateRelTypeName(std::string_view name, std::string_view path);

// Relationship properties of data-model §6.4 → JSON object text ("" for none):
// reserved names rejected, nulls dropped, arrays of one primitive type.
[[nodiscard]] absl::StatusOr<std::string> EdgePropertiesText(const Json* properties,
                                                             std::string_view path);

}  // namespace loom::engine

#endif  // LOOM_ENGINE_IMPORT_RELATIONSHIP_TYPING_H_
