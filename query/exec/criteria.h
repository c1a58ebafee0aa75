// query/exec/criteria.h: three-valued evaluation of field criteria on one
// value (query.md §4-§5 at field level). Each comparison is evaluated by its
// operator's row in the where-operator registry. Pure functions over values;
// thread-safe.
#ifndef LOOM_QUERY_EXEC_CRITERIA_H_
#define LOOM_QUERY_EXEC_CRITERIA_H_

#include <cstdint>

#include "loom/value.h"
#include "query/functions/truth.h"
#include "query/parse/ast.h"

namespace loom::query::exec {

using query::And3;
using query::Not3;
using query::Or3;
using query::Truth;
using query::Xor3;

// `criterion` applied to a field whose value is `value` (nullptr = absent):
// comparisons by their registry row (query/functions/where_ops.h), field-level
// logical groups combined here.
Truth EvalCriterion(const ast::Criterion& criterion, const Value* value);

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_CRITERIA_H_
