#include "engine/import/csv_export.h"

#include <string>

#include "gtest/gtest.h"

namespace loom::engine {
namespace {

TEST(CsvQuoteTest, PapaParseRules) {
  struct Case {
    std::string cell;
    std::string expect;
  } cases[] = {
      {"a", "a"},
      {"", ""},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {" x", "\" x\""},
      {"x ", "\"x \""},
      {"x y", "x y"},
      {"a\nb", "\"a\nb\""},
      {"a\rb", "\"a\rb\""},
      {"\xEF\xBB\xBFx", "\"\xEF\xBB\xBFx\""},
      {"tab\there", "tab\there"},
      {"semi;colon", "semi;colon"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.cell);
    EXPECT_EQ(CsvQuote(c.cell), c.expect);
  }
}

TEST(ExportCsvTest, Empty) { EXPECT_EQ(ExportCsv({}), ""); }

TEST(ExportCsvTest, ColumnsCellsAndSeparators) {
  Record a;
  a.id = "id-1";
  a.label = "ACCOUNT";
  a.properties = {{"name", Value::Of(PropType::kString, std::string("Acme, Inc."))},
                  {"mrr", Value::Of(PropType::kNumber, 0.1)},
                  {"Zeta", Value::Of(PropType::kBoolean, true)},
                  {"tags", Value::Array(PropType::kString, {std::string("a"), std::string("b")})}};
  Record b;
  b.id = "id-2";
  b.properties = {{"mrr", Value::Of(PropType::kNumber, 1200.0)},
                  {"d", Value::Of(PropType::kDatetime, std::string("2024-01-15"))},
                  {"e", Value::Array(PropType::kString, {})},
                  {"n", Value::Array(PropType::kNumber, {1.0, 2.5})}};
  EXPECT_EQ(ExportCsv({a, b}),
            "__id,__label,Zeta,d,e,mrr,n,name,tags\r\n"
            "id-1,ACCOUNT,true,,,0.1,,\"Acme, Inc.\",\"a,b\"\r\n"
            "id-2,,,2024-01-15,,1200,\"1,2.5\",,");
}

TEST(ExportCsvTest, NoLabelColumnWithoutLabels) {
  Record a;
  a.id = "x";
  a.properties = {{"b", Value::Of(PropType::kString, std::string(" padded"))}};
  EXPECT_EQ(ExportCsv({a}), "__id,b\r\nx,\" padded\"");
}

TEST(ExportCsvTest, NamesSortByUtf16CodeUnits) {
  Record a;
  a.id = "x";
  // U+FF61 (UTF-8 EF BD A1) sorts after U+1F600 (surrogate D83D) in UTF-16,
  // although its UTF-8 bytes sort first.
  a.properties = {{"\xEF\xBD\xA1", Value::Of(PropType::kNumber, 1.0)},
                  {"\xF0\x9F\x98\x80", Value::Of(PropType::kNumber, 2.0)},
                  {"B", Value::Of(PropType::kNumber, 3.0)},
                  {"a", Value::Of(PropType::kNumber, 4.0)}};
  EXPECT_EQ(ExportCsv({a}), "__id,B,a,\xF0\x9F\x98\x80,\xEF\xBD\xA1\r\nx,3,4,2,1");
}

}  // namespace
}  // namespace loom::engine
