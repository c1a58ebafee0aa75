// query/exec/criteria.h: three-valued evaluation of field criteria on one
// value (query.md §4): any-element semantics, type strictness, datetime
// instants only for datetime-typed fields, `$contains` ASCII-case-insensitive
// and literal (D5). Pure functions over values; thread-safe.
#ifndef LOOM_QUERY_EXEC_CRITERIA_H_
#define LOOM_QUERY_EXEC_CRITERIA_H_

#include <cstdint>

#include "loom/value.h"
#include "query/parse/ast.h"

namespace loom::query::exec {

enum class Truth : uint8_t { kTrue = 1, kFalse = 2, kUnknown = 4 };

Truth And3(Truth a, Truth b);
Truth Or3(Truth a, Truth b);
Truth Xor3(Truth a, Truth b);
Truth Not3(Truth a);

// `criterion` applied to a field whose value is `value` (nullptr = absent).
Truth EvalCriterion(const ast::Criterion& criterion, const Value* value);

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_CRITERIA_H_
