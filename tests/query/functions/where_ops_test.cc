// The where-operator registry: every comparison has one row with its
// evaluator, and the index builders say exactly when their ranges are exact.
#include "query/functions/where_ops.h"

#include "gtest/gtest.h"

namespace loom::query {
namespace {

using ast::Argument;
using ast::CompareOp;
using ast::Criterion;

Criterion Compare(CompareOp op, Argument arg) {
  Criterion c;
  c.op = op;
  c.arg = std::move(arg);
  return c;
}
Argument Number(double n) {
  Argument a;
  a.kind = Argument::Kind::kNumber;
  a.number = n;
  return a;
}
Argument Text(std::string s) {
  Argument a;
  a.kind = Argument::Kind::kString;
  a.string = std::move(s);
  return a;
}

TEST(WhereOpsTest, EveryComparisonHasOneRowWithAnEvaluator) {
  for (CompareOp op : {CompareOp::kEq, CompareOp::kNe, CompareOp::kIn, CompareOp::kNin, CompareOp::kGt,
                       CompareOp::kGte, CompareOp::kLt, CompareOp::kLte, CompareOp::kContains, CompareOp::kStartsWith,
                       CompareOp::kEndsWith, CompareOp::kExists, CompareOp::kType}) {
    const WhereOpSpec& spec = CompareOpSpec(op);
    EXPECT_EQ(spec.compare, op) << spec.name;
    EXPECT_NE(spec.evaluate, nullptr) << spec.name;
    EXPECT_FALSE(spec.symbol.empty()) << spec.name;
    EXPECT_EQ(FindWhereOp(spec.name), &spec);
  }
}

TEST(WhereOpsTest, EvaluatorsAreThreeValued) {
  const Value nums = Value::Array(PropType::kNumber, {1.0, 5.0});
  const Value text = Value::Of(PropType::kString, std::string("Hello"));
  auto eval = [](const Criterion& c, const Value* v) { return CompareOpSpec(c.op).evaluate(c, v); };
  EXPECT_EQ(eval(Compare(CompareOp::kGt, Number(4)), &nums), Truth::kTrue);  // any element
  EXPECT_EQ(eval(Compare(CompareOp::kGt, Number(4)), nullptr), Truth::kUnknown);
  EXPECT_EQ(eval(Compare(CompareOp::kGt, Number(4)), &text), Truth::kUnknown);  // incompatible types
  EXPECT_EQ(eval(Compare(CompareOp::kEq, Number(5)), &text), Truth::kFalse);    // type-strict
  EXPECT_EQ(eval(Compare(CompareOp::kContains, Text("ELL")), &text), Truth::kTrue);
  EXPECT_EQ(eval(Compare(CompareOp::kStartsWith, Text("he")), &text), Truth::kFalse);  // case-sensitive
}

TEST(WhereOpsTest, IndexRangesAndTheirExactness) {
  struct Row {
    Criterion c;
    bool answerable;
    bool exact;
  };
  Argument instant_text;
  instant_text.kind = Argument::Kind::kInstant;
  instant_text.instant = Instant{1700000000, 0};
  const Row rows[] = {
      {Compare(CompareOp::kEq, Number(3)), true, true},
      {Compare(CompareOp::kEq, instant_text), true, false},  // component equality: the index has no types
      {Compare(CompareOp::kGte, Number(3)), true, true},
      {Compare(CompareOp::kLt, instant_text), true, true},
      {Compare(CompareOp::kStartsWith, Text("ab")), true, true},
      {Compare(CompareOp::kNe, Number(3)), false, false},
      {Compare(CompareOp::kContains, Text("ab")), false, false},
      {Compare(CompareOp::kExists, Argument{}), false, false},
  };
  for (const Row& row : rows) {
    const WhereOpSpec& spec = CompareOpSpec(row.c.op);
    IndexRanges out;
    const bool answerable = spec.index_ranges != nullptr && spec.index_ranges(row.c, &out);
    EXPECT_EQ(answerable, row.answerable) << spec.name;
    if (answerable) EXPECT_EQ(out.exact, row.exact) << spec.name;
  }
}

}  // namespace
}  // namespace loom::query
