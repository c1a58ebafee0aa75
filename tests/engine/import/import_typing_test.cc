#include "engine/import/import_typing.h"

#include <cmath>

#include "gtest/gtest.h"
#include "tests/engine/import/test_util.h"

namespace loom::engine {
namespace {

TEST(EcmaNumberTest, NumericStrings) {
  struct Case {
    const char* text;
    bool numeric;
    double value;  // checked when numeric
  } cases[] = {
      {"12", true, 12},          {" 12 ", true, 12},       {"1e3", true, 1000},
      {".5", true, 0.5},         {"5.", true, 5},          {"+5", true, 5},
      {"-2.5E-1", true, -0.25},  {"0x1F", true, 31},       {"0X1f", true, 31},
      {"0o17", true, 15},        {"0b101", true, 5},       {"\t7\n", true, 7},
      {"\xC2\xA0" "42\xE3\x80\x80", true, 42},            {"00012", true, 12},
      {"12px", false, 0},        {"1,000", false, 0},      {"Infinity", false, 0},
      {"-Infinity", false, 0},   {"", false, 0},           {"   ", false, 0},
      {"-0x10", false, 0},       {"0x", false, 0},         {"1e400", false, 0},
      {"1_000", false, 0},       {"e5", false, 0},         {".", false, 0},
      {"1e", false, 0},          {"NaN", false, 0},        {"inf", false, 0},
      {"0x1p3", false, 0},       {"--1", false, 0},        {"1 2", false, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(IsEcmaNumeric(c.text), c.numeric);
    if (c.numeric) {
      EXPECT_DOUBLE_EQ(EcmaToNumber(c.text), c.value);
    }
  }
  EXPECT_EQ(EcmaToNumber("  "), 0);
  EXPECT_TRUE(std::isnan(EcmaToNumber("12px")));
  EXPECT_TRUE(std::isinf(EcmaToNumber("-Infinity")));
}

TEST(ParseImportOptionsTest, AbsentPresentTrap) {
  auto absent = ParseImportOptions(nullptr, "/options");
  ASSERT_TRUE(absent.ok());
  EXPECT_TRUE(absent->suggest_types);
  EXPECT_FALSE(absent->options_present);
  EXPECT_EQ(absent->relationship_type, "__RUSHDB__RELATION__DEFAULT__");

  struct Case {
    const char* options;
    bool suggest;
  } trap[] = {{"{}", false},
              {R"({"returnResult":true})", false},
              {R"({"relationshipType":"R"})", false},
              {R"({"suggestTypes":true})", true},
              {R"({"suggestTypes":false})", false},
              {"null", true}};
  for (const auto& c : trap) {
    SCOPED_TRACE(c.options);
    Json o = Json::parse(c.options);
    auto got = ParseImportOptions(&o, "/options");
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->suggest_types, c.suggest);
  }
}

TEST(ParseImportOptionsTest, EveryOption) {
  Json o = Json::parse(R"({"suggestTypes":true,"convertNumericValuesToNumbers":true,
      "capitalizeLabels":true,"skipEmptyValues":true,"relationshipType":"  HAS  ",
      "returnResult":true,"mergeBy":["a","b"],"mergeStrategy":"rewrite",
      "castNumberArraysToVectors":true,"somethingElse":{"x":1}})");
  auto got = ParseImportOptions(&o, "/options");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->suggest_types);
  EXPECT_TRUE(got->convert_numeric);
  EXPECT_TRUE(got->capitalize_labels);
  EXPECT_TRUE(got->skip_empty_values);
  EXPECT_EQ(got->relationship_type, "HAS");
  EXPECT_TRUE(got->return_result);
  EXPECT_TRUE(got->upsert);
  EXPECT_EQ(got->merge_by, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(got->merge_rewrite);
  EXPECT_TRUE(got->cast_vectors);

  struct Case {
    const char* options;
    bool upsert;
    bool rewrite;
    const char* rel;
  } cases[] = {
      {R"({"mergeBy":[]})", true, false, "__RUSHDB__RELATION__DEFAULT__"},
      {R"({"mergeStrategy":"append"})", true, false, "__RUSHDB__RELATION__DEFAULT__"},
      {R"({"relationshipType":"   "})", false, false, "__RUSHDB__RELATION__DEFAULT__"},
      {R"({"relationshipType":""})", false, false, "__RUSHDB__RELATION__DEFAULT__"},
      {R"({})", false, false, "__RUSHDB__RELATION__DEFAULT__"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.options);
    Json j = Json::parse(c.options);
    auto r = ParseImportOptions(&j, "/options");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->upsert, c.upsert);
    EXPECT_EQ(r->merge_rewrite, c.rewrite);
    EXPECT_EQ(r->relationship_type, c.rel);
  }
}

TEST(ParseImportOptionsTest, Errors) {
  struct Case {
    const char* options;
    const char* path;
  } cases[] = {{R"({"suggestTypes":1})", "/options/suggestTypes"},
               {R"({"capitalizeLabels":"yes"})", "/options/capitalizeLabels"},
               {R"({"relationshipType":5})", "/options/relationshipType"},
               {R"({"mergeBy":"a"})", "/options/mergeBy"},
               {R"({"mergeBy":[true]})", "/options/mergeBy/0"},
               {R"({"mergeStrategy":"replace"})", "/options/mergeStrategy"},
               {R"("x")", "/options"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.options);
    Json j = Json::parse(c.options);
    auto r = ParseImportOptions(&j, "/options");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(PathOf(r.status()), c.path);
  }
}

TEST(TypeImportValueTest, Section25) {
  struct Case {
    const char* options;  // nullptr = absent
    const char* value;
    const char* expect;  // "x:type=json", "" = no property
  } cases[] = {
      {nullptr, "1200", "x:number=1200"},
      {nullptr, R"("2024-01-01")", R"(x:datetime="2024-01-01")"},
      {nullptr, R"("2025-02-30")", R"(x:string="2025-02-30")"},
      {nullptr, R"("42")", R"(x:string="42")"},
      {nullptr, "true", "x:boolean=true"},
      {nullptr, "null", ""},
      {nullptr, R"("")", R"(x:string="")"},
      {nullptr, "[]", "x:string=[]"},
      {nullptr, "[null]", ""},
      {nullptr, "[null,1,null]", "x:number=[1]"},
      {nullptr, R"([1,"2"])", R"(x:number=[1,"2"])"},
      {nullptr, R"(["2024-01-01","x"])", R"(x:datetime=["2024-01-01","x"])"},
      {nullptr, R"(["x","2024-01-01"])", R"(x:string=["x","2024-01-01"])"},
      {nullptr, "[1,true]", R"(x:string=["1","true"])"},
      {nullptr, "[1,2.5]", "x:number=[1,2.5]"},
      {nullptr, "[true,false]", "x:boolean=[true,false]"},
      {nullptr, R"(["a",""])", R"(x:string=["a",""])"},
      {"{}", "1200", R"(x:string="1200")"},
      {"{}", "0.1", R"(x:string="0.1")"},
      {"{}", "true", R"(x:string="true")"},
      {"{}", R"("2024-01-01")", R"(x:string="2024-01-01")"},
      {"{}", "[1,2]", R"(x:string=["1","2"])"},
      {"{}", "[]", "x:string=[]"},
      {"{}", "[null]", ""},
      {R"({"suggestTypes":false,"convertNumericValuesToNumbers":true})", R"("42")", R"(x:string="42")"},
      {R"({"suggestTypes":true,"convertNumericValuesToNumbers":true})", R"("42")", "x:number=42"},
      {R"({"suggestTypes":true,"convertNumericValuesToNumbers":true})", R"(" 12 ")", "x:number=12"},
      {R"({"suggestTypes":true,"convertNumericValuesToNumbers":true})", R"("0x1F")", "x:number=31"},
      {R"({"suggestTypes":true,"convertNumericValuesToNumbers":true})", R"("12px")", R"(x:string="12px")"},
      {R"({"suggestTypes":true,"convertNumericValuesToNumbers":true})", R"(["1",2])", "x:number=[1,2]"},
      {R"({"suggestTypes":true,"convertNumericValuesToNumbers":true})", R"(["1","a"])", R"(x:string=["1","a"])"},
      {R"({"suggestTypes":true,"convertNumericValuesToNumbers":true})", "true", "x:boolean=true"},
      {R"({"suggestTypes":true,"castNumberArraysToVectors":true})", R"([1,"2"])", "x:vector=[1,2]"},
      {R"({"suggestTypes":true,"castNumberArraysToVectors":true})", "[1.5]", "x:vector=[1.5]"},
      {R"({"suggestTypes":true,"castNumberArraysToVectors":true})", "[]", "x:string=[]"},
      {R"({"suggestTypes":true,"castNumberArraysToVectors":true})", "3", "x:number=3"},
      {R"({"suggestTypes":true,"skipEmptyValues":true})", R"("")", ""},
      {R"({"suggestTypes":true,"skipEmptyValues":true})", R"(["","a"])", R"(x:string=["a"])"},
      {R"({"suggestTypes":true,"skipEmptyValues":true})", R"([""])", ""},
      {R"({"suggestTypes":true,"skipEmptyValues":true})", "[]", ""},
      {R"({"suggestTypes":true,"skipEmptyValues":true})", "0", "x:number=0"},
      {R"({"suggestTypes":true,"skipEmptyValues":true})", "false", "x:boolean=false"},
      {R"({"skipEmptyValues":true})", "[1]", R"(x:string=["1"])"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.options ? c.options : "<absent>") + " " + c.value);
    Json o = c.options ? Json::parse(c.options) : Json();
    auto options = ParseImportOptions(c.options ? &o : nullptr, "/options");
    ASSERT_TRUE(options.ok());
    auto got = TypeImportValue(Json::parse(c.value), *options, "/data/x");
    ASSERT_TRUE(got.ok()) << got.status();
    std::string rendered = got->has_value() ? Render(Property{"x", **got}) : "";
    EXPECT_EQ(rendered, c.expect);
  }
}

TEST(TypeImportValueTest, RejectsStructuredValues) {
  auto options = ParseImportOptions(nullptr, "");
  EXPECT_EQ(PathOf(TypeImportValue(Json::parse(R"({"a":1})"), *options, "/data/x").status()), "/data/x");
  EXPECT_EQ(PathOf(TypeImportValue(Json::parse("[1,[2]]"), *options, "/data/x").status()), "/data/x/1");
}

TEST(JsonPrimitiveToStringTest, EcmaStringForms) {
  EXPECT_EQ(JsonPrimitiveToString(Json(1200)), "1200");
  EXPECT_EQ(JsonPrimitiveToString(Json(0.1)), "0.1");
  EXPECT_EQ(JsonPrimitiveToString(Json(-3.0)), "-3");
  EXPECT_EQ(JsonPrimitiveToString(Json(true)), "true");
  EXPECT_EQ(JsonPrimitiveToString(Json("s")), "s");
}

}  // namespace
}  // namespace loom::engine
