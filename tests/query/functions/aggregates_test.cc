// The aggregate registry (spec/query.md §11.4): each function's result over
// values, empty input, type errors, and that merging two partitions' states
// equals taking every value into one state.
#include "query/functions/aggregates.h"

#include <vector>

#include "gtest/gtest.h"
#include "loom/status.h"

namespace loom::query {
namespace {

Json Aggregate(std::string_view name, const std::vector<Json>& values, AggregateOptions options = {}) {
  const AggregateFunction* fn = FindAggregate(name);
  EXPECT_NE(fn, nullptr) << name;
  AggregateState state;
  for (const Json& v : values) EXPECT_TRUE(fn->add(state, v, "/select/x").ok()) << v;
  return fn->finish(state, options);
}

TEST(AggregatesTest, RegistryKnowsTheFiveFunctionsAndNothingElse) {
  for (const char* name : {"$sum", "$avg", "$count", "$min", "$max"}) EXPECT_NE(FindAggregate(name), nullptr) << name;
  EXPECT_EQ(FindAggregate("$median"), nullptr);
  EXPECT_EQ(FindAggregate("sum"), nullptr);
  EXPECT_TRUE(FindAggregate("$count")->star_argument);
  EXPECT_FALSE(FindAggregate("$sum")->star_argument);
  EXPECT_TRUE(FindAggregate("$avg")->takes_precision);
}

TEST(AggregatesTest, SumKeepsIntegersIntegralAndFloatsFloat) {
  EXPECT_TRUE(Aggregate("$sum", {Json(1), Json(2), Json(3)}).is_number_integer());
  EXPECT_EQ(Aggregate("$sum", {Json(1), Json(2), Json(3)}), 6);
  const Json mixed = Aggregate("$sum", {Json(1), Json(2.5)});
  EXPECT_TRUE(mixed.is_number_float());
  EXPECT_DOUBLE_EQ(mixed.get<double>(), 3.5);
  EXPECT_EQ(Aggregate("$sum", {}), 0);  // empty input sums to 0
}

TEST(AggregatesTest, SumOfNonNumbersIsATypeError) {
  const AggregateFunction* sum = FindAggregate("$sum");
  AggregateState state;
  absl::Status s = sum->add(state, Json("12"), "/select/total/$sum");
  EXPECT_EQ(GetErrorCode(s), ErrorCode::kTypeError);
  EXPECT_EQ(ErrorPath(s), std::optional<std::string>("/select/total/$sum"));
}

TEST(AggregatesTest, AvgAndItsPrecision) {
  EXPECT_TRUE(Aggregate("$avg", {}).is_null());  // empty: absent
  EXPECT_DOUBLE_EQ(Aggregate("$avg", {Json(1), Json(2)}).get<double>(), 1.5);
  AggregateOptions two;
  two.precision = 2;
  EXPECT_DOUBLE_EQ(Aggregate("$avg", {Json(1.0), Json(1.0), Json(2.0)}, two).get<double>(), 1.33);
  EXPECT_DOUBLE_EQ(Aggregate("$avg", {Json(-2.5), Json(-2.51)}, two).get<double>(), -2.51);  // ties away from zero
  AggregateOptions zero;
  zero.precision = 0;
  const Json truncated = Aggregate("$avg", {Json(2.0), Json(3.4)}, zero);  // 2.7 -> 2 (truncated, not rounded)
  EXPECT_TRUE(truncated.is_number_integer());
  EXPECT_EQ(truncated, 2);
  EXPECT_EQ(Aggregate("$avg", {Json(-2.0), Json(-3.4)}, zero), -2);  // toward zero
}

TEST(AggregatesTest, CountIsDistinctValuesOrDistinctRoots) {
  // 1 and 1.0 are one value; an array is one value; strings differ from numbers.
  EXPECT_EQ(Aggregate("$count", {Json(1), Json(1.0), Json("1"), Json::array({1, 2}), Json::array({1, 2})}), 3);
  EXPECT_EQ(Aggregate("$count", {}), 0);
  AggregateState roots;
  AddRoot(roots, 7);
  AddRoot(roots, 7);
  AddRoot(roots, 9);
  EXPECT_EQ(FindAggregate("$count")->finish(roots, {}), 2);
}

TEST(AggregatesTest, MinMaxFollowTheCrossTypeOrder) {
  // lists < strings < booleans < numbers; strings by code units.
  EXPECT_EQ(Aggregate("$min", {Json(3), Json("b"), Json(true), Json("a")}), "a");
  EXPECT_EQ(Aggregate("$max", {Json(3), Json("b"), Json(true), Json(2.5)}), 3);
  EXPECT_EQ(Aggregate("$max", {Json("2025-01-10"), Json("2025-03-01")}), "2025-03-01");
  EXPECT_TRUE(Aggregate("$min", {}).is_null());
}

TEST(AggregatesTest, MergingPartitionsEqualsOneState) {
  const std::vector<Json> values = {Json(5), Json(2.5), Json(-1), Json(7), Json(2.5)};
  for (const char* name : {"$sum", "$avg", "$count", "$min", "$max"}) {
    const AggregateFunction* fn = FindAggregate(name);
    AggregateState whole, left, right;
    for (size_t i = 0; i < values.size(); ++i) {
      ASSERT_TRUE(fn->add(whole, values[i], "").ok());
      ASSERT_TRUE(fn->add(i % 2 == 0 ? left : right, values[i], "").ok());
    }
    fn->merge(left, right);
    EXPECT_EQ(fn->finish(left, {}), fn->finish(whole, {})) << name;
  }
}

}  // namespace
}  // namespace loom::query
