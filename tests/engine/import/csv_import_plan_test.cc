#include "engine/import/csv_import_plan.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/engine/import/test_util.h"

namespace loom::engine {
namespace {

std::vector<std::string> Rows(const ImportPlan& plan) {
  std::vector<std::string> out;
  for (const DraftRecord& r : plan.records) {
    EXPECT_EQ(r.parent, -1);
    out.push_back(r.label.value_or("-") + "{" + Render(r.properties) + "}");
  }
  return out;
}

using Strings = std::vector<std::string>;

constexpr const char* kMatrixCsv =
    "name,seats,active,startedAt\nNova,12,true,2025-01-01\nOrion,,false,2025-02-30\n";

// import-export.md §3.6, all three rows.
TEST(PlanCsvImportTest, TypingMatrix) {
  struct Case {
    const char* options;  // nullptr = absent
    Strings expect;
  } cases[] = {
      {nullptr,
       {R"(T{name:string="Nova";seats:string="12";active:string="true";startedAt:datetime="2025-01-01"})",
        R"(T{name:string="Orion";seats:string="";active:string="false";startedAt:string="2025-02-30"})"}},
      {R"({"suggestTypes":true})",
       {R"(T{name:string="Nova";seats:number=12;active:boolean=true;startedAt:datetime="2025-01-01"})",
        R"(T{name:string="Orion";active:boolean=false;startedAt:string="2025-02-30"})"}},
      {R"({"returnResult":true})",
       {R"(T{name:string="Nova";seats:string="12";active:string="true";startedAt:string="2025-01-01"})",
        R"(T{name:string="Orion";seats:string="";active:string="false";startedAt:string="2025-02-30"})"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.options ? c.options : "<absent>");
    Json args = {{"label", "T"}, {"data", kMatrixCsv}};
    if (c.options) args["options"] = Json::parse(c.options);
    auto plan = PlanCsvImport(args);
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_EQ(Rows(*plan), c.expect);
  }
}

TEST(PlanCsvImportTest, ParseConfigAndOptions) {
  struct Case {
    const char* name;
    std::string data;
    const char* options;
    const char* parse_config;
    Strings expect;
  } cases[] = {
      {"dynamicTyping false beats suggestTypes", "a,b\n12,true", R"({"suggestTypes":true})",
       R"({"dynamicTyping":false})", {R"(T{a:string="12";b:string="true"})"}},
      {"dynamicTyping true without options", "a,b\n12,", nullptr, R"({"dynamicTyping":true})",
       {"T{a:number=12}"}},
      {"dynamic datetime with zone", "at\n2025-01-01T10:00:00+02:00", R"({"suggestTypes":true})",
       nullptr, {R"(T{at:datetime="2025-01-01T08:00:00.000Z"})"}},
      {"header false", "1,x\n2", R"({"suggestTypes":true})", R"({"header":false})",
       {R"(T{column_1:number=1;column_2:string="x"})", "T{column_1:number=2}"}},
      {"delimiter", "a;b\n1;2", nullptr, R"({"delimiter":";"})", {R"(T{a:string="1";b:string="2"})"}},
      {"quoteChar", "a,b\n'x,y',2", nullptr, R"({"quoteChar":"'","escapeChar":"'"})",
       {R"(T{a:string="x,y";b:string="2"})"}},
      {"skipEmptyLines default drops empty lines", "a,b\n\n1,2\n\n", nullptr, nullptr,
       {R"(T{a:string="1";b:string="2"})"}},
      {"greedy drops whitespace-only lines", "a,b\n , \n1,2", nullptr, R"({"skipEmptyLines":"greedy"})",
       {R"(T{a:string="1";b:string="2"})"}},
      {"true keeps whitespace-only lines", "a,b\n , \n1,2", nullptr, R"({"skipEmptyLines":true})",
       {R"(T{a:string=" ";b:string=" "})", R"(T{a:string="1";b:string="2"})"}},
      {"header after skipped lines", "\n\na\nx", nullptr, nullptr, {R"(T{a:string="x"})"}},
      {"no data rows", "a,b\n", nullptr, nullptr, {}},
      {"empty text", "", nullptr, nullptr, {}},
      {"capitalizeLabels", "a\nx", R"({"capitalizeLabels":true})", nullptr, {R"(T{a:string="x"})"}},
      {"convertNumericValuesToNumbers", "a\n 0x10 ", R"({"suggestTypes":true,"convertNumericValuesToNumbers":true})",
       R"({"dynamicTyping":false})", {"T{a:number=16}"}},
      {"skipEmptyValues keeps other cells", "a,b\n,x", R"({"suggestTypes":false,"skipEmptyValues":true})",
       nullptr, {R"(T{b:string="x"})"}},
      {"sanitised header", "2024, my  col ,$id,a,a,\nw,x,y,z,q,r", nullptr, nullptr,
       {R"(T{_2024:string="w";my_col:string="x";_$id:string="y";a:string="z";a_2:string="q";column_6:string="r"})"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Json args = {{"label", "t"}, {"data", c.data}};
    if (std::string(c.name) != "capitalizeLabels") args["label"] = "T";
    if (c.options) args["options"] = Json::parse(c.options);
    if (c.parse_config) args["parseConfig"] = Json::parse(c.parse_config);
    auto plan = PlanCsvImport(args);
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_EQ(Rows(*plan), c.expect);
  }
}

TEST(PlanCsvImportTest, Errors) {
  struct Case {
    const char* name;
    std::string data;
    const char* parse_config;
    const char* label;  // nullptr = absent
    const char* path;
    const char* message_part;
  } cases[] = {
      {"too few fields", "a,b\n1,2\n3\n", nullptr, "T", "/data", "CSV parse error: line 3: too few"},
      {"too many fields", "a,b\n1,2,3", nullptr, "T", "/data", "CSV parse error: line 2: too many"},
      {"trailing line break without skipEmptyLines", "a,b\n1,2\n", R"({"skipEmptyLines":false})",
       "T", "/data", "line 3"},
      {"unterminated quote", "a\n\"x\n", nullptr, "T", "/data", "line 2"},
      {"missing label", "a\n1", nullptr, nullptr, "/label", "label"},
      {"blank label", "a\n1", nullptr, " ", "/label", "label"},
      {"delimiter too long", "a", R"({"delimiter":"abcdef"})", "T", "/parseConfig/delimiter", "1-5"},
      {"empty delimiter", "a", R"({"delimiter":""})", "T", "/parseConfig/delimiter", "1-5"},
      {"bad skipEmptyLines", "a", R"({"skipEmptyLines":"all"})", "T", "/parseConfig/skipEmptyLines", "greedy"},
      {"bad header", "a", R"({"header":"yes"})", "T", "/parseConfig/header", "boolean"},
      {"bad quoteChar", "a", R"({"quoteChar":"''"})", "T", "/parseConfig/quoteChar", "single"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Json args = {{"data", c.data}};
    if (c.label) args["label"] = c.label;
    if (c.parse_config) args["parseConfig"] = Json::parse(c.parse_config);
    auto plan = PlanCsvImport(args);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(GetErrorCode(plan.status()), ErrorCode::kInvalidArgument);
    EXPECT_EQ(PathOf(plan.status()), c.path);
    EXPECT_NE(plan.status().message().find(c.message_part), std::string::npos) << plan.status();
  }
  auto not_text = PlanCsvImport(Json::parse(R"({"label":"T","data":[1]})"));
  EXPECT_EQ(PathOf(not_text.status()), "/data");
  auto forbidden = PlanCsvImport(Json::parse(R"({"label":"T","data":"a","options":{"$in":[]}})"));
  EXPECT_EQ(PathOf(forbidden.status()), "/options/$in");
}

TEST(SanitizeHeadersTest, Section33) {
  struct Case {
    Strings in;
    Strings out;
  } cases[] = {
      {{"", "  ", "a"}, {"column_1", "column_2", "a"}},
      {{"2024"}, {"_2024"}},
      {{"$id"}, {"_$id"}},
      {{"_x", "X"}, {"_x", "X"}},
      {{"a", "a", "a"}, {"a", "a_2", "a_3"}},
      {{"a", "a_2", "a"}, {"a", "a_2", "a_3"}},
      {{"a_2", "a", "a"}, {"a_2", "a", "a_3"}},
      {{" first \t name\n"}, {"first_name"}},
      {{"a\xC2\xA0\xC2\xA0" "b"}, {"a_b"}},
      {{std::string("n\0m", 3)}, {"nm"}},
      {{std::string("\0", 1)}, {"column_1"}},
      {{"\xC3\xA9t\xC3\xA9"}, {"_\xC3\xA9t\xC3\xA9"}},
      {{"1 2"}, {"_1_2"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in.empty() ? "" : c.in[0]);
    EXPECT_EQ(SanitizeHeaders(c.in), c.out);
  }
}

TEST(DynamicTypeCellTest, PapaParseRules) {
  struct Case {
    const char* cell;
    const char* json;
  } cases[] = {
      {"true", "true"},
      {"TRUE", "true"},
      {"false", "false"},
      {"FALSE", "false"},
      {"True", R"("True")"},
      {"yes", R"("yes")"},
      {"12", "12"},
      {" 12 ", "12"},
      {"-1.5e3", "-1500.0"},
      {".5", "0.5"},
      {"12.", "12"},
      {"+5", R"("+5")"},
      {"0x1F", R"("0x1F")"},
      {"1,5", R"("1,5")"},
      {"9007199254740991", "9007199254740991"},
      {"9007199254740992", R"("9007199254740992")"},
      {"-9007199254740992", R"("-9007199254740992")"},
      {"2026-06-02T08:14:00Z", R"("2026-06-02T08:14:00.000Z")"},
      {"2025-01-01T10:00:00+02:00", R"("2025-01-01T08:00:00.000Z")"},
      {"2025-01-01T00:30-01:00", R"("2025-01-01T01:30:00.000Z")"},
      {"2025-01-01T10:00:00.123456Z", R"("2025-01-01T10:00:00.123Z")"},
      {"2025-01-01T10:00:00.5Z", R"("2025-01-01T10:00:00.500Z")"},
      {"2024-12-31T23:30:00-01:00", R"("2025-01-01T00:30:00.000Z")"},
      {"2025-02-30T10:00:00Z", R"("2025-03-02T10:00:00.000Z")"},
      {"2025-01-01T24:00:00Z", R"("2025-01-02T00:00:00.000Z")"},
      {"2025-13-01T10:00:00Z", R"("2025-13-01T10:00:00Z")"},
      {"2025-01-01T10:00:00", R"("2025-01-01T10:00:00")"},
      {"2025-01-01T10:00:00.Z", R"("2025-01-01T10:00:00.Z")"},
      {"2025-01-01T10:00.5Z", R"("2025-01-01T10:00.5Z")"},
      {"2025-01-15", R"("2025-01-15")"},
      {"", "null"},
      {" ", R"(" ")"},
      {"abc", R"("abc")"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.cell);
    Json got = DynamicTypeCell(c.cell);
    Json want = Json::parse(c.json);
    EXPECT_EQ(got.type_name(), std::string(want.type_name()));
    if (want.is_number()) {
      EXPECT_DOUBLE_EQ(got.get<double>(), want.get<double>());
    } else {
      EXPECT_EQ(got, want);
    }
  }
}

TEST(CsvRecordStreamTest, TypesRowByRow) {
  std::istringstream in("id,name\n1,a\n2,b\n");
  auto config = ParseCsvParseConfig(nullptr, nullptr, "/parseConfig");
  ASSERT_TRUE(config.ok());
  config->dynamic_typing = true;
  auto options = ParseImportOptions(nullptr, "/options");
  CsvRecordStream stream(&in, *config, *options, "/data");
  std::vector<Property> props;
  std::vector<std::string> seen;
  while (true) {
    auto more = stream.Next(&props);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    seen.push_back(Render(props));
  }
  EXPECT_EQ(seen, (Strings{R"(id:number=1;name:string="a")", R"(id:number=2;name:string="b")"}));
  EXPECT_EQ(stream.columns(), (Strings{"id", "name"}));
}

}  // namespace
}  // namespace loom::engine
