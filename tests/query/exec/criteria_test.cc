// Field criteria on single values: any-element semantics, UNKNOWN for absent
// fields and incompatible elements, datetime instants only on datetime fields.
#include "query/exec/criteria.h"

#include "gtest/gtest.h"
#include "query/parse/parser.h"

namespace loom::query::exec {
namespace {

Truth Eval(const char* criteria, const Value* v) {
  Json where = Json::parse(std::string(R"({"f": )") + criteria + "}");
  auto w = ParseWhere(where, "/where");
  EXPECT_TRUE(w.ok()) << w.status();
  return EvalCriterion(w->entries.at(0).criterion, v);
}

Value Strs(std::vector<std::string> items, PropType type = PropType::kString) {
  std::vector<Scalar> s(items.begin(), items.end());
  return Value::Array(type, s);
}

constexpr Truth T = Truth::kTrue, F = Truth::kFalse, U = Truth::kUnknown;

TEST(CriteriaTest, AnyElementAndMissing) {
  Value tags = Strs({"manufacturing", "priority"});
  Value empty = Strs({});
  EXPECT_EQ(Eval(R"("priority")", &tags), T);
  EXPECT_EQ(Eval(R"({"$ne": "priority"})", &tags), T);
  EXPECT_EQ(Eval(R"({"$nin": ["priority"]})", &tags), F);
  EXPECT_EQ(Eval(R"({"$nin": ["priority"]})", &empty), T);
  EXPECT_EQ(Eval(R"({"$ne": "x"})", &empty), F);
  EXPECT_EQ(Eval(R"("x")", nullptr), U);
  EXPECT_EQ(Eval(R"({"$not": {"$eq": "x"}})", nullptr), U);
  EXPECT_EQ(Eval(R"(null)", nullptr), T);
  EXPECT_EQ(Eval(R"({"$in": ["a", null]})", nullptr), T);
  EXPECT_EQ(Eval(R"({"$nin": ["a", null]})", nullptr), F);
  EXPECT_EQ(Eval(R"({"$exists": false})", nullptr), T);
  EXPECT_EQ(Eval(R"({"$type": "null"})", nullptr), T);
  EXPECT_EQ(Eval(R"({"$type": "string"})", nullptr), U);
  EXPECT_EQ(Eval(R"({"$type": "string"})", &empty), T);
}

TEST(CriteriaTest, TypesAndStrings) {
  Value n = Value::Of(PropType::kNumber, 1200.0);
  Value s = Value::Of(PropType::kString, std::string("Renewal Reminder"));
  EXPECT_EQ(Eval("1200", &n), T);
  EXPECT_EQ(Eval(R"("1200")", &n), F);
  EXPECT_EQ(Eval(R"({"$gt": 5})", &s), U);
  EXPECT_EQ(Eval(R"({"$gte": 1200, "$lt": 1201})", &n), T);
  EXPECT_EQ(Eval(R"({"$contains": "RENEWAL"})", &s), T);
  EXPECT_EQ(Eval(R"({"$contains": "Re.ewal"})", &s), F);  // literal (D5)
  EXPECT_EQ(Eval(R"({"$startsWith": "renewal"})", &s), F);
  EXPECT_EQ(Eval(R"({"$endsWith": "Reminder"})", &s), T);
  EXPECT_EQ(Eval(R"({"$contains": "x"})", &n), U);
  EXPECT_EQ(Eval(R"({"$xor": [{"$gt": 1000}, {"$lt": 2000}, {"$eq": 1200}]})", &n), T);
}

TEST(CriteriaTest, Datetimes) {
  Value dt = Value::Of(PropType::kDatetime, std::string("2024-02-29T09:30:00Z"));
  Value str = Value::Of(PropType::kString, std::string("2024-02-29T09:30:00Z"));
  EXPECT_EQ(Eval(R"({"$gte": "2024-02-29T09:00:00Z", "$lt": "2024-03-01"})", &dt), T);
  EXPECT_EQ(Eval(R"({"$gte": "2024-02-29T09:00:00Z"})", &str), F);  // not datetime-typed
  EXPECT_EQ(Eval(R"({"$year": 2024, "$month": 2, "$day": 29})", &dt), F);
  EXPECT_EQ(Eval(R"({"$gte": {"$year": 2024}, "$lt": {"$year": 2025}})", &dt), T);
  EXPECT_EQ(Eval(R"("2024-02-29T09:30:00Z")", &dt), T);  // text equality
  EXPECT_EQ(Eval(R"({"$type": "datetime"})", &dt), T);
}

}  // namespace
}  // namespace loom::query::exec
