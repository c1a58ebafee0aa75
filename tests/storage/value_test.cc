#include "loom/value.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace loom {
namespace {

TEST(ValueTest, FormatNumberFollowsEcmaScript) {
  struct {
    double in;
    const char* out;
  } cases[] = {{0, "0"}, {-0.0, "0"}, {1200, "1200"}, {0.1, "0.1"}, {-2.5, "-2.5"}, {1e21, "1e+21"},
               {1e20, "100000000000000000000"}, {1e-7, "1e-7"}, {0.000001, "0.000001"}, {123.456, "123.456"},
               {1.5e-10, "1.5e-10"}, {9007199254740993.0, "9007199254740992"}, {0.30000000000000004, "0.30000000000000004"},
               {std::numeric_limits<double>::infinity(), "Infinity"}, {NAN, "NaN"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.out);
    EXPECT_EQ(FormatNumber(c.in), c.out);
  }
}

TEST(ValueTest, JsonOutputWritesIntegralNumbersAsIntegers) {
  EXPECT_EQ(ScalarToJson(1200.0).dump(), "1200");
  EXPECT_EQ(ScalarToJson(1.5).dump(), "1.5");
  EXPECT_EQ(ScalarToJson(1e300).dump(), "1e+300");
  Record r{"id1", "ACCOUNT",
           {{"name", Value::Of(PropType::kString, std::string("Acme"))},
            {"tags", Value::Array(PropType::kString, {})},
            {"mrr", Value::Of(PropType::kNumber, 1200.0)}}};
  EXPECT_EQ(RecordToJson(r).dump(),
            R"({"__id":"id1","__label":"ACCOUNT","__proptypes":{"name":"string","tags":"string","mrr":"number"},"name":"Acme","tags":[],"mrr":1200})");
  Record bare{"id2", std::nullopt, {}};
  EXPECT_EQ(RecordToJson(bare).dump(), R"({"__id":"id2","__proptypes":{}})");
}

TEST(ValueTest, OrderAcrossTypesAndWithinStrings) {
  // list < string < boolean < number < absent
  Value list = Value::Array(PropType::kString, {std::string("z")});
  Value str = Value::Of(PropType::kString, std::string("a"));
  Value boolean = Value::Of(PropType::kBoolean, false);
  Value num = Value::Of(PropType::kNumber, -5.0);
  std::vector<const Value*> ordered = {&list, &str, &boolean, &num, nullptr};
  for (size_t i = 0; i < ordered.size(); ++i) {
    for (size_t j = 0; j < ordered.size(); ++j) {
      int c = CompareValues(ordered[i], ordered[j]);
      EXPECT_EQ(c < 0, i < j) << i << " " << j;
      EXPECT_EQ(c == 0, i == j) << i << " " << j;
    }
  }
  Value shorter = Value::Array(PropType::kNumber, {1.0});
  Value longer = Value::Array(PropType::kNumber, {1.0, 0.0});
  EXPECT_LT(CompareValues(&shorter, &longer), 0);
  // UTF-16 order: U+FF5E (3 bytes) sorts after U+1F600 (a surrogate pair) in UTF-16.
  EXPECT_GT(CompareUtf16("\xef\xbd\x9e", "\xf0\x9f\x98\x80"), 0);
  EXPECT_LT(CompareUtf16("B", "a"), 0);
  EXPECT_LT(CompareUtf16("a", "ab"), 0);
  EXPECT_TRUE(ScalarEquals(30.0, 30.0));
  EXPECT_FALSE(ScalarEquals(std::string("1200"), 1200.0));
  EXPECT_FALSE(ScalarEquals(std::string("true"), true));
}

}  // namespace
}  // namespace loom
