// engine/import/import_typing.h: import options and per-value typing of the
// import path (spec/import-export.md §2.4, §2.5), shared by JSON and CSV import.
//
// Pure functions; thread-safe.
#ifndef LOOM_ENGINE_IMPORT_IMPORT_TYPING_H_
#define LOOM_ENGINE_IMPORT_IMPORT_TYPING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "loom/value.h"

namespace loom::engine {

inline constexpr std::string_view kDefaultRelationType = "__RUSHDB__RELATION__DEFAULT__";

// ImportOptions after the absent/present defaults rule (data-model.md §4):
// with `options` absent suggest_types is true; with any options object given
// it is false unless the object says `suggestTypes: true`.
struct ImportOptions {
  bool suggest_types = true;
  bool convert_numeric = false;    // convertNumericValuesToNumbers
  bool capitalize_labels = false;  // capitalizeLabels
  bool skip_empty_values = false;  // skipEmptyValues
  std::string relationship_type = std::string(kDefaultRelationType);  // trimmed
  bool return_result = false;  // returnResult
  bool upsert = false;         // mergeStrategy given or mergeBy an array
  std::vector<std::string> merge_by;
  bool merge_rewrite = false;  // mergeStrategy "rewrite" (else "append")
  bool cast_vectors = false;   // castNumberArraysToVectors (legacy)
  bool options_present = false;  // an options object was given
};

// Parses `options` (nullptr or JSON null = absent). Unknown keys are ignored;
// wrongly typed known keys → INVALID_ARGUMENT at `path`/key.
[[nodiscard]] absl::StatusOr<ImportOptions> ParseImportOptions(const Json* options,
                                                               std::string_view path);

// §2.5: the typed value of one property, or nullopt when no property results
// (null, all-null array, empties with skip_empty_values). `v` must be a
// primitive or an array of primitives; anything else → INVALID_ARGUMENT at `path`.
[[nodiscard]] absl::StatusOr<std::optional<Value>> TypeImportValue(
    const Json& v, const ImportOptions& options, std::string_view path);

// ECMAScript Number(text) semantics: surrounding whitespace ignored; decimal
// literals with optional sign, fraction and exponent; 0x/0o/0b integers
// (unsigned). IsEcmaNumeric is true iff the text is not blank and converts to
// a finite number ("Infinity", "12px", "1,000", "" are not numeric).
bool IsEcmaNumeric(std::string_view text);
// NaN for non-numeric text, 0 for blank text (as ECMAScript).
double EcmaToNumber(std::string_view text);

// ECMAScript String.prototype.trim whitespace (ASCII and Unicode spaces,
// line terminators, BOM) removed from both ends of UTF-8 text.
std::string_view TrimEcmaWhitespace(std::string_view text);
// True iff `text` starts with an ECMAScript whitespace character; sets *len
// to its UTF-8 length.
bool StartsWithEcmaWhitespace(std::string_view text, size_t* len);

// ECMAScript String(x) of a JSON primitive ("1200", "true", "0.1").
std::string JsonPrimitiveToString(const Json& v);

}  // namespace loom::engine

#endif  // LOOM_ENGINE_IMPORT_IMPORT_TYPING_H_
