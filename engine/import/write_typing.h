// engine/import/write_typing.h: validation and typing of the write payloads of
// records.create / set / update / upsert (spec/api.md §1.1, §1.5-§1.7) and the
// forbidden-key guard shared by every write (data-model.md §2.4).
//
// Pure functions over JSON; no storage access. Thread-safe. Errors are
// INVALID_ARGUMENT carrying the JSON Pointer of the offending node.
#ifndef LOOM_ENGINE_IMPORT_WRITE_TYPING_H_
#define LOOM_ENGINE_IMPORT_WRITE_TYPING_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "loom/json.h"
#include "loom/status.h"
#include "loom/value.h"

namespace loom::engine {

// `base` + "/" + `token` or index, RFC 6901 escaped (from loom/status.h).
using ::loom::JsonPointerChild;

// True for the keys of data-model.md §2.4 ($and, $id, __id, __proptypes, ...).
bool IsForbiddenKey(std::string_view key);

// Rejects `body` if any object at any depth has a forbidden key, or if a
// property draft (an object inside a "properties" array) has a forbidden
// `name`. The error path is `base_path` + the pointer of the offending key.
// Iterative: safe on deeply nested input.
[[nodiscard]] absl::Status CheckForbiddenKeys(const Json& body,
                                              std::string_view base_path);

// Options of the create/set/update/upsert path (api.md §1.1). Unlike imports,
// suggest_types defaults to true even when an options object is given.
struct WriteOptions {
  // Infer string/datetime/number/boolean types.  Default: true
  bool suggest_types = true;
  // Treat "" and [] as unset; drop "" elements of arrays.  Default: false
  bool skip_empty_values = false;
  // The call is an upsert: `mergeBy` was an array or `mergeStrategy` was given.
  bool upsert = false;
  // Upsert match keys; empty = all incoming property names.
  std::vector<std::string> merge_by;
  // mergeStrategy "rewrite" (replace all properties); false = "append".
  bool merge_rewrite = false;
};

// options[key] into *dst when it is a boolean; absent or null leaves *dst;
// anything else is INVALID_ARGUMENT at path/key.
absl::Status ReadOptionalBool(const Json& options, const char* key, std::string_view path, bool* dst);

// mergeBy / mergeStrategy, shared by write and import options (api.md §1.5,
// import-export.md §2.7): upsert when either is given.
struct MergeOptions {
  bool upsert = false;
  std::vector<std::string> merge_by;
  bool merge_rewrite = false;
};
absl::StatusOr<MergeOptions> ParseMergeOptions(const Json& options, std::string_view path);

// Parses `options` (nullptr or JSON null = absent). Unknown keys are ignored;
// wrongly typed known keys are INVALID_ARGUMENT at `path`/key.
[[nodiscard]] absl::StatusOr<WriteOptions> ParseWriteOptions(
    const Json* options, std::string_view path);

// Validates and types a write payload: exactly one of `data` (a flat object)
// and `properties` (PropertyDraft array) must be non-null. `base_path` is the
// pointer of the enclosing arguments object ("" for the root), so errors read
// like "/data/tags/1". Properties come back in input order; dropped values
// (null, all-null arrays, empties with skip_empty_values) are left out.
[[nodiscard]] absl::StatusOr<std::vector<Property>> TypeWritePayload(
    const Json* data, const Json* properties, const WriteOptions& options,
    std::string_view base_path);

// records.update step 2 (api.md §1.7): the current properties re-typed from
// their values with default inference (a `string` "2024-01-15" becomes
// `datetime`, [] becomes `string`, a vector becomes `number`).
std::vector<Property> RetypeForUpdate(const std::vector<Property>& current);

// Default inference of one scalar: datetime-grammar strings → datetime, other
// strings → string, numbers → number, booleans → boolean.
PropType InferScalarType(const Scalar& scalar);

}  // namespace loom::engine

#endif  // LOOM_ENGINE_IMPORT_WRITE_TYPING_H_
