// query/functions/row_functions.h: the per-row select functions of
// spec/query.md: arithmetic with the number kinds of §11.5, `$timeBucket`
// (§11.9) and the legacy vector similarities (§15). Pure; thread-safe.
#ifndef LOOM_QUERY_FUNCTIONS_ROW_FUNCTIONS_H_
#define LOOM_QUERY_FUNCTIONS_ROW_FUNCTIONS_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "loom/value.h"
#include "query/parse/select_ast.h"

namespace loom::query {

// `a op b`: null if either is null; int op int -> int (division truncates,
// by zero -> TYPE_ERROR); a float -> float (division by zero -> ±inf/NaN);
// `$add` with a string concatenates; anything else -> TYPE_ERROR at `path`.
absl::StatusOr<Json> ApplyMath(ast::MathOp op, const Json& a, const Json& b, std::string_view path);

// The start of the bucket of datetime text `value` (null unless `type` is
// datetime and the text has an instant): epoch milliseconds, or ISO-8601
// text when `iso`.
Json TimeBucket(const Json& value, std::optional<PropType> type, ast::TimeUnit unit, int64_t size, bool iso);

// (1 + cos)/2 or 1/(1 + squared distance) between `value` and `query`; null
// unless `value` is a number array of the same length (and, for cosine,
// both norms are non-zero).
Json VectorSimilarity(ast::Similarity kind, const Json& value, const std::vector<double>& query);

}  // namespace loom::query

#endif  // LOOM_QUERY_FUNCTIONS_ROW_FUNCTIONS_H_
