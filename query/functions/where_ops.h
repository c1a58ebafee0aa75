// query/functions/where_ops.h: the registry of `where` operators (query.md §3
// vocabulary, §4.4 arguments and semantics). One row per operator carries its
// name, its argument rule (the parser looks every `$` key up here, so an
// unknown name fails with its path), its evaluator (three-valued, on a
// field's value) and its index-range builder (how the planner answers it from
// the props index). A new operator is one row plus its tests. Immutable
// static data, thread-safe.
#ifndef LOOM_QUERY_FUNCTIONS_WHERE_OPS_H_
#define LOOM_QUERY_FUNCTIONS_WHERE_OPS_H_

#include <span>
#include <string_view>

#include "loom/value.h"
#include "query/functions/index_range.h"
#include "query/functions/truth.h"
#include "query/parse/ast.h"

namespace loom::query {

// The vocabulary groups of query.md §3.
enum class WhereOpGroup {
  kComparison,  // $eq ... $exists
  kComponent,   // $year ... $nanosecond
  kType,        // $type
  kLogical,     // $and $or $not $nor $xor
  kStructural,  // $id $cycle $relation $alias
};

// What argument an operator takes (validated by the parser, §4.4).
enum class Operand {
  kEquatable,  // string, number, boolean, null or a component object
  kList,       // non-empty array of one member kind (nulls allowed)
  kRange,      // number, datetime string or component object
  kString,     // string
  kBoolean,    // boolean
  kComponent,  // integer datetime component
  kLogical,    // array (or object, rewritten to an array)
  kSpecial,    // structural keys: parsed by dedicated code
};

// How a property index (ordered by value) could serve a comparison.
enum class IndexUse { kNone, kEquality, kInSet, kRangeLow, kRangeHigh, kPrefix, kExistence };

// Component fields of a datetime component object (§4.6).
enum class DatetimeComponent {
  kNone,
  kYear,
  kMonth,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond,
  kNanosecond,
};

struct WhereOpSpec {
  std::string_view name;
  WhereOpGroup group;
  Operand operand;
  IndexUse index_use;
  ast::CompareOp compare;          // kComparison / kType
  ast::Criterion::Kind logical;    // kLogical (kAnd..kXor)
  DatetimeComponent component;     // kComponent
  int min_value;                   // kComponent: valid range
  int max_value;
  // kComparison / kType: the truth of a criterion with this operator on a
  // field whose value is `value` (nullptr = absent), §4.2-§4.7.
  Truth (*evaluate)(const ast::Criterion& criterion, const Value* value);
  // Index ranges answering the criterion; false when no index range can
  // (the planner then reads records instead).
  bool (*index_ranges)(const ast::Criterion& criterion, IndexRanges* out);
  std::string_view symbol;  // in explain details: "=", ">=", "in", ...
};

// The spec of `name` (e.g. "$gte"), or nullptr when `name` is not an operator.
const WhereOpSpec* FindWhereOp(std::string_view name);
// The comparison row of `op` (never nullptr).
const WhereOpSpec& CompareOpSpec(ast::CompareOp op);

// Every registered operator, in vocabulary order.
std::span<const WhereOpSpec> AllWhereOps();

}  // namespace loom::query

#endif  // LOOM_QUERY_FUNCTIONS_WHERE_OPS_H_
