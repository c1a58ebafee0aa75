// The where-operator registry. Adding an operator = one row here, one
// evaluator in exec/, rows in the operator contract tests.
#include "query/parse/where_ops.h"

#include <array>

namespace loom::query {
namespace {

using ast::CompareOp;
using CK = ast::Criterion::Kind;
using DC = DatetimeComponent;
using G = WhereOpGroup;
using O = Operand;
using I = IndexUse;

constexpr WhereOpSpec Cmp(std::string_view name, O operand, I index, CompareOp op) {
  return {name, G::kComparison, operand, index, op, CK::kCompare, DC::kNone, 0, 0};
}
constexpr WhereOpSpec Comp(std::string_view name, DC c, int lo, int hi) {
  return {name, G::kComponent, O::kComponent, I::kNone, CompareOp::kEq, CK::kCompare, c, lo, hi};
}
constexpr WhereOpSpec Logic(std::string_view name, CK kind) {
  return {name, G::kLogical, O::kLogical, I::kNone, CompareOp::kEq, kind, DC::kNone, 0, 0};
}
constexpr WhereOpSpec Structural(std::string_view name) {
  return {name, G::kStructural, O::kSpecial, I::kNone, CompareOp::kEq, CK::kCompare, DC::kNone, 0, 0};
}

constexpr std::array kWhereOps = {
    Cmp("$eq", O::kEquatable, I::kEquality, CompareOp::kEq),
    Cmp("$ne", O::kEquatable, I::kNone, CompareOp::kNe),
    Cmp("$in", O::kList, I::kInSet, CompareOp::kIn),
    Cmp("$nin", O::kList, I::kNone, CompareOp::kNin),
    Cmp("$gt", O::kRange, I::kRangeLow, CompareOp::kGt),
    Cmp("$gte", O::kRange, I::kRangeLow, CompareOp::kGte),
    Cmp("$lt", O::kRange, I::kRangeHigh, CompareOp::kLt),
    Cmp("$lte", O::kRange, I::kRangeHigh, CompareOp::kLte),
    Cmp("$contains", O::kString, I::kNone, CompareOp::kContains),
    Cmp("$startsWith", O::kString, I::kPrefix, CompareOp::kStartsWith),
    Cmp("$endsWith", O::kString, I::kNone, CompareOp::kEndsWith),
    Cmp("$exists", O::kBoolean, I::kExistence, CompareOp::kExists),
    Comp("$year", DC::kYear, 0, 9999),
    Comp("$month", DC::kMonth, 1, 12),
    Comp("$day", DC::kDay, 1, 31),
    Comp("$hour", DC::kHour, 0, 23),
    Comp("$minute", DC::kMinute, 0, 59),
    Comp("$second", DC::kSecond, 0, 59),
    Comp("$millisecond", DC::kMillisecond, 0, 999),
    Comp("$microsecond", DC::kMicrosecond, 0, 999999),
    Comp("$nanosecond", DC::kNanosecond, 0, 999999999),
    WhereOpSpec{"$type", G::kType, O::kString, I::kNone, CompareOp::kType, CK::kCompare,
                DC::kNone, 0, 0},
    Logic("$and", CK::kAnd),
    Logic("$or", CK::kOr),
    Logic("$not", CK::kNot),
    Logic("$nor", CK::kNor),
    Logic("$xor", CK::kXor),
    Structural("$id"),
    Structural("$cycle"),
    Structural("$relation"),
    Structural("$alias"),
};

}  // namespace

const WhereOpSpec* FindWhereOp(std::string_view name) {
  for (const WhereOpSpec& spec : kWhereOps) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::span<const WhereOpSpec> AllWhereOps() { return kWhereOps; }

}  // namespace loom::query
