// Per-row select functions: arithmetic number kinds (§11.5), every
// $timeBucket unit (§11.9) and the vector similarities (§15).
#include "query/functions/row_functions.h"

#include <cmath>

#include "gtest/gtest.h"
#include "loom/status.h"

namespace loom::query {
namespace {

using ast::MathOp;
using ast::TimeUnit;

Json Math(MathOp op, Json a, Json b) {
  absl::StatusOr<Json> r = ApplyMath(op, a, b, "/select/m");
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : Json();
}

TEST(RowFunctionsTest, IntegerArithmeticStaysIntegralAndDivisionTruncates) {
  EXPECT_EQ(Math(MathOp::kDivide, Json(7), Json(2)), 3);
  EXPECT_TRUE(Math(MathOp::kDivide, Json(7), Json(2)).is_number_integer());
  EXPECT_EQ(Math(MathOp::kDivide, Json(-7), Json(2)), -3);  // toward zero
  EXPECT_EQ(Math(MathOp::kMultiply, Json(6), Json(7)), 42);
  EXPECT_EQ(Math(MathOp::kSubtract, Json(1), Json(3)), -2);
  // A float on either side gives a float.
  const Json f = Math(MathOp::kDivide, Json(7700.0), Json(7));
  EXPECT_TRUE(f.is_number_float());
  EXPECT_DOUBLE_EQ(f.get<double>(), 1100.0);
}

TEST(RowFunctionsTest, DivisionByZero) {
  absl::StatusOr<Json> r = ApplyMath(MathOp::kDivide, Json(1), Json(0), "/select/m/$divide");
  EXPECT_EQ(GetErrorCode(r.status()), ErrorCode::kTypeError);
  EXPECT_EQ(ErrorPath(r.status()), std::optional<std::string>("/select/m/$divide"));
  const Json inf = Math(MathOp::kDivide, Json(1.5), Json(0));
  EXPECT_TRUE(std::isinf(inf.get<double>()));
}

TEST(RowFunctionsTest, NullsStringsAndTypeErrors) {
  EXPECT_TRUE(Math(MathOp::kAdd, Json(), Json(1)).is_null());
  EXPECT_EQ(Math(MathOp::kAdd, Json("a"), Json("b")), "ab");
  EXPECT_EQ(Math(MathOp::kAdd, Json("n="), Json(2)), "n=2");
  EXPECT_EQ(GetErrorCode(ApplyMath(MathOp::kSubtract, Json("a"), Json(1), "").status()), ErrorCode::kTypeError);
  EXPECT_EQ(GetErrorCode(ApplyMath(MathOp::kAdd, Json(true), Json(1), "").status()), ErrorCode::kTypeError);
}

int64_t Bucket(const char* text, TimeUnit unit, int64_t size = 1) {
  Json r = TimeBucket(Json(text), PropType::kDatetime, unit, size, false);
  EXPECT_TRUE(r.is_number_integer()) << text;
  return r.is_number_integer() ? r.get<int64_t>() : -1;
}

TEST(RowFunctionsTest, TimeBucketEveryUnit) {
  // 2025-03-02T13:47:29.5Z is a Sunday.
  const char* t = "2025-03-02T13:47:29.500Z";
  EXPECT_EQ(Bucket(t, TimeUnit::kSecond), 1740923249000);          // 13:47:29
  EXPECT_EQ(Bucket(t, TimeUnit::kSecond, 15), 1740923235000);      // 13:47:15
  EXPECT_EQ(Bucket(t, TimeUnit::kMinute), 1740923220000);          // 13:47
  EXPECT_EQ(Bucket(t, TimeUnit::kMinute, 10), 1740922800000);      // 13:40
  EXPECT_EQ(Bucket(t, TimeUnit::kHour), 1740920400000);            // 13:00
  EXPECT_EQ(Bucket(t, TimeUnit::kHour, 6), 1740916800000);         // 12:00
  EXPECT_EQ(Bucket(t, TimeUnit::kDay), 1740873600000);             // 03-02
  EXPECT_EQ(Bucket(t, TimeUnit::kWeek), 1740355200000);            // Monday 02-24
  EXPECT_EQ(Bucket("2025-03-03", TimeUnit::kWeek), 1740960000000);  // a Monday is its own week
  EXPECT_EQ(Bucket(t, TimeUnit::kMonth), 1740787200000);           // 03-01
  EXPECT_EQ(Bucket(t, TimeUnit::kMonth, 2), 1740787200000);        // 03-01 (Jan-Feb, Mar-Apr, ...)
  EXPECT_EQ(Bucket("2025-02-20", TimeUnit::kMonth, 2), 1735689600000);  // 01-01
  EXPECT_EQ(Bucket(t, TimeUnit::kQuarter), 1735689600000);         // 01-01
  EXPECT_EQ(Bucket("2025-08-15", TimeUnit::kQuarter), 1751328000000);  // 07-01
  EXPECT_EQ(Bucket(t, TimeUnit::kYear), 1735689600000);            // 2025-01-01
  EXPECT_EQ(Bucket(t, TimeUnit::kYear, 10), 1577836800000);        // 2020-01-01
}

TEST(RowFunctionsTest, TimeBucketUsesTheValuesOwnOffsetThenReadsItAsUtc) {
  // 23:30 at -05:00 is the next day in UTC, but buckets by its own calendar day.
  EXPECT_EQ(Bucket("2025-01-31T23:30:00-05:00", TimeUnit::kDay), 1738281600000);    // 2025-01-31
  EXPECT_EQ(Bucket("2025-01-31T23:30:00-05:00", TimeUnit::kMonth), 1735689600000);  // 2025-01-01
}

TEST(RowFunctionsTest, TimeBucketIsNullUnlessTheFieldIsADatetime) {
  EXPECT_TRUE(TimeBucket(Json("2025-01-01"), PropType::kString, TimeUnit::kDay, 1, false).is_null());
  EXPECT_TRUE(TimeBucket(Json(), PropType::kDatetime, TimeUnit::kDay, 1, false).is_null());
  EXPECT_TRUE(TimeBucket(Json("2025-01-01"), std::nullopt, TimeUnit::kDay, 1, false).is_null());
  EXPECT_EQ(TimeBucket(Json("2025-02-14T10:00:00Z"), PropType::kDatetime, TimeUnit::kMonth, 1, true),
            "2025-02-01T00:00:00Z");
}

TEST(RowFunctionsTest, VectorSimilarities) {
  const std::vector<double> q = {1, 1, 0, 0};
  EXPECT_DOUBLE_EQ(VectorSimilarity(ast::Similarity::kCosine, Json::array({2, 2, 0, 0}), q).get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(VectorSimilarity(ast::Similarity::kCosine, Json::array({1, 0, 0, 0}), q).get<double>(),
                   (1 + 1 / std::sqrt(2.0)) / 2);
  EXPECT_NEAR(VectorSimilarity(ast::Similarity::kCosine, Json::array({-1, -1, 0, 0}), q).get<double>(), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(VectorSimilarity(ast::Similarity::kEuclidean, Json::array({1, 1, 0, 1}), q).get<double>(), 0.5);
  EXPECT_TRUE(VectorSimilarity(ast::Similarity::kCosine, Json::array({0, 0, 0, 0}), q).is_null());  // zero norm
  EXPECT_TRUE(VectorSimilarity(ast::Similarity::kCosine, Json::array({1, 1}), q).is_null());        // length
  EXPECT_TRUE(VectorSimilarity(ast::Similarity::kCosine, Json("x"), q).is_null());
}

}  // namespace
}  // namespace loom::query
