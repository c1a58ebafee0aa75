#include "engine/import/json_import_plan.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/engine/import/test_util.h"

namespace loom::engine {
namespace {

// One line per draft: "LABEL{props}" plus "<-N" when the draft has parent N.
std::vector<std::string> Lines(const ImportPlan& plan) {
  std::vector<std::string> out;
  for (const DraftRecord& r : plan.records) {
    std::string line = r.label.value_or("-") + "{" + Render(r.properties) + "}";
    if (r.parent >= 0) line += "<-" + std::to_string(r.parent);
    out.push_back(line);
  }
  return out;
}

using Lines_ = std::vector<std::string>;

TEST(PlanJsonImportTest, Section29Example) {
  const char* data = R"({"name": "Stark Industries", "plan": "enterprise", "mrr": 3000, "createdAt": "2024-09-01",
      "FEATURE_USAGE": [{"feature": "dashboards", "count": 40}, {"feature": "exports", "count": 12}]})";
  Json args = {{"label", "ACCOUNT"}, {"data", Json::parse(data)},
               {"options", {{"suggestTypes", true}, {"relationshipType", "USES_FEATURE"}}}};
  auto plan = PlanJsonImport(args);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(Lines(*plan),
            (Lines_{R"(ACCOUNT{name:string="Stark Industries";plan:string="enterprise";mrr:number=3000;createdAt:datetime="2024-09-01"})",
                    R"(FEATURE_USAGE{feature:string="dashboards";count:number=40}<-0)",
                    R"(FEATURE_USAGE{feature:string="exports";count:number=12}<-0)"}));
  EXPECT_EQ(plan->relationship_type, "USES_FEATURE");

  args.erase("options");
  plan = PlanJsonImport(args);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->relationship_type, "__RUSHDB__RELATION__DEFAULT__");
  EXPECT_EQ(Render(plan->records[0].properties),
            R"(name:string="Stark Industries";plan:string="enterprise";mrr:number=3000;createdAt:datetime="2024-09-01")");

  args["options"] = {{"relationshipType", "USES_FEATURE"}};
  plan = PlanJsonImport(args);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Render(plan->records[0].properties),
            R"(name:string="Stark Industries";plan:string="enterprise";mrr:string="3000";createdAt:string="2024-09-01")");
  EXPECT_EQ(Render(plan->records[1].properties), R"(feature:string="dashboards";count:string="40")");
}

TEST(PlanJsonImportTest, BreadthFirstOrder) {
  Json args = {{"label", "T"},
               {"data", Json::parse(R"([{"name":"A","ITEM":[{"x":1},{"x":2}]},{"name":"B"}])")}};
  auto plan = PlanJsonImport(args);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(Lines(*plan), (Lines_{R"(T{name:string="A"})", R"(T{name:string="B"})",
                                  "ITEM{x:number=1}<-0", "ITEM{x:number=2}<-0"}));
}

TEST(PlanJsonImportTest, NestedVsFlatTable) {
  struct Case {
    const char* name;
    const char* args;
    Lines_ expect;
  } cases[] = {
      {"array of flat objects + label", R"({"label":"P","data":[{"a":1},{"a":2}]})",
       {"P{a:number=1}", "P{a:number=2}"}},
      {"object with primitives + label",
       R"({"label":"MOVIE","data":{"title":"Inception","ACTOR":[{"n":"a"},{"n":"b"}]}})",
       {R"(MOVIE{title:string="Inception"})", R"(ACTOR{n:string="a"}<-0)", R"(ACTOR{n:string="b"}<-0)"}},
      {"container object without label",
       R"({"data":{"ITEM":[{"name":"Sprocket","PART":{"n":1}}],"SUPPLIER":[{"name":"Acme Parts"}]}})",
       {R"(ITEM{name:string="Sprocket"})", R"(SUPPLIER{name:string="Acme Parts"})", "PART{n:number=1}<-0"}},
      {"label, no primitives, exactly one nested key (root skipped)",
       R"({"label":"X","data":{"PART":[{"n":1},{"n":2,"SUB":{"s":true}}]}})",
       {"PART{n:number=1}", "PART{n:number=2}", "SUB{s:boolean=true}<-1"}},
      {"label, no primitives, two nested keys (empty root)",
       R"({"label":"X","data":{"A":{"a":1},"B":[{"b":1}]}})",
       {"X{}", "A{a:number=1}<-0", "B{b:number=1}<-0"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto plan = PlanJsonImport(Json::parse(c.args));
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_EQ(Lines(*plan), c.expect);
  }
}

TEST(PlanJsonImportTest, MiscShapes) {
  struct Case {
    const char* name;
    const char* args;
    Lines_ expect;
  } cases[] = {
      {"empty nested object creates a record", R"({"label":"T","data":{"name":"x","META":{}}})",
       {R"(T{name:string="x"})", "META{}<-0"}},
      {"$vectors removed", R"({"label":"T","data":{"name":"x","$vectors":[{"a":1}]}})",
       {R"(T{name:string="x"})"}},
      {"$vectors removed in nested records",
       R"({"label":"T","data":[{"n":1,"C":[{"$vectors":{"v":[1]},"m":2}]}]})",
       {"T{n:number=1}", "C{m:number=2}<-0"}},
      {"empty array", R"({"label":"T","data":[]})", {}},
      {"empty object with label is skipped", R"({"label":"T","data":{}})", {}},
      {"array of primitives is a property", R"({"label":"T","data":{"tags":["a","b"],"e":[]}})",
       {R"(T{tags:string=["a","b"];e:string=[]})"}},
      {"nulls dropped", R"({"label":"T","data":[{"a":null,"b":[null]}]})", {"T{}"}},
      {"capitalizeLabels on label and keys",
       R"({"label":"movie","data":{"t":"x","actor":[{"n":1}]},"options":{"suggestTypes":true,"capitalizeLabels":true}})",
       {R"(MOVIE{t:string="x"})", "ACTOR{n:number=1}<-0"}},
      {"keys stay as written without capitalizeLabels",
       R"({"label":"company","data":{"t":"x","department":[{"n":1}]}})",
       {R"(company{t:string="x"})", "department{n:number=1}<-0"}},
      {"skipEmptyValues", R"({"label":"T","data":[{"a":"","b":[],"c":"x"}],"options":{"suggestTypes":true,"skipEmptyValues":true}})",
       {R"(T{c:string="x"})"}},
      {"convertNumericValuesToNumbers", R"({"label":"T","data":[{"a":"42"}],"options":{"suggestTypes":true,"convertNumericValuesToNumbers":true}})",
       {"T{a:number=42}"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto plan = PlanJsonImport(Json::parse(c.args));
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_EQ(Lines(*plan), c.expect);
  }
}

TEST(PlanJsonImportTest, Errors) {
  struct Case {
    const char* name;
    const char* args;
    const char* path;
  } cases[] = {
      {"top-level array needs a label", R"({"data":[{"name":"x"}]})", "/label"},
      {"blank label", R"({"label":"  ","data":[{"name":"x"}]})", "/label"},
      {"primitive at top needs a label", R"({"data":{"name":"x","PART":[{"n":1}]}})", "/label"},
      {"empty object needs a label", R"({"data":{}})", "/label"},
      {"array of primitives needs a label", R"({"data":{"A":[1,2]}})", "/label"},
      {"empty array needs a label", R"({"data":{"A":[]}})", "/label"},
      {"D16 object then primitive", R"({"label":"T","data":{"A":[{"x":1},2]}})", "/data/A/1"},
      {"D16 object then array", R"({"label":"T","data":[{"A":[{"x":1},[1]]}]})", "/data/0/A/1"},
      {"D16 arrays only", R"({"label":"T","data":{"n":1,"A":[[1],[2]]}})", "/data/A/0"},
      {"top-level array of primitives", R"({"label":"T","data":[1]})", "/data/0"},
      {"data number", R"({"label":"T","data":5})", "/data"},
      {"data null", R"({"label":"T","data":null})", "/data"},
      {"data missing", R"({"label":"T"})", "/data"},
      {"label not a string", R"({"label":5,"data":[{"a":1}]})", "/label"},
      {"bad format", R"({"label":"T","data":"{}","format":"xml"})", "/format"},
      {"bad option", R"({"label":"T","data":[{"a":1}],"options":{"returnResult":"yes"}})",
       "/options/returnResult"},
      {"forbidden key deep", R"({"label":"T","data":[{"a":{"__label":1}}]})", "/data/0/a/__label"},
      {"forbidden key in options", R"({"label":"T","data":[],"options":{"$or":1}})", "/options/$or"},
      {"forbidden key inside JSON text", R"({"label":"T","data":"[{\"x\":{\"$id\":1}}]"})",
       "/data/0/x/$id"},
      {"arguments not an object", R"([])", "<none>"},  // the root has no pointer
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto plan = PlanJsonImport(Json::parse(c.args));
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(GetErrorCode(plan.status()), ErrorCode::kInvalidArgument);
    EXPECT_EQ(PathOf(plan.status()), c.path) << plan.status();
  }
}

TEST(PlanJsonImportTest, TextData) {
  struct Case {
    const char* name;
    std::string data;
    const char* format;  // nullptr = absent
    Lines_ expect;
  } cases[] = {
      {"BOM and whitespace", "\xEF\xBB\xBF \n [{\"a\":1}] \n", nullptr, {"T{a:number=1}"}},
      {"object text", "{\"a\":\"x\"}", "json", {R"(T{a:string="x"})"}},
      {"jsonl", "{\"a\":1}\n\n  \n{\"a\":2}\r\n", "jsonl", {"T{a:number=1}", "T{a:number=2}"}},
      {"ndjson", "{\"a\":1}\n{\"a\":2}", "ndjson", {"T{a:number=1}", "T{a:number=2}"}},
      {"json retried as lines", "{\"a\":1}\n{\"a\":2}", nullptr, {"T{a:number=1}", "T{a:number=2}"}},
      {"63 levels are fine", std::string(62, '[') + "{\"x\":1}" + std::string(62, ']'), nullptr, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Json args = {{"label", "T"}, {"data", c.data}};
    if (c.format) args["format"] = c.format;
    auto plan = PlanJsonImport(args);
    if (std::string(c.name) == "63 levels are fine") {
      // Parsed fine; fails later only because the elements are arrays.
      ASSERT_FALSE(plan.ok());
      EXPECT_EQ(PathOf(plan.status()), "/data/0");
      continue;
    }
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_EQ(Lines(*plan), c.expect);
  }
}

TEST(PlanJsonImportTest, TextDataErrors) {
  struct Case {
    const char* name;
    std::string data;
    const char* format;
    const char* message_part;
  } cases[] = {
      {"empty", "", nullptr, "empty"},
      {"blank with BOM", "\xEF\xBB\xBF  \n", nullptr, "empty"},
      {"jsonl line not an object", "{\"a\":1}\n[1]", "jsonl", "line 2"},
      {"jsonl bad line", "{\"a\":1}\n\n{\"a\":", "ndjson", "line 3"},
      {"garbage", "{nope", nullptr, "JSON"},
      {"too deep", std::string(65, '[') + std::string(65, ']'), nullptr, "64"},
      {"hostile depth", std::string(1000000, '['), nullptr, "64"},
      {"primitive JSON text", "42", nullptr, "data must be"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Json args = {{"label", "T"}, {"data", c.data}};
    if (c.format) args["format"] = c.format;
    auto plan = PlanJsonImport(args);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(GetErrorCode(plan.status()), ErrorCode::kInvalidArgument);
    EXPECT_EQ(PathOf(plan.status()), "/data");
    EXPECT_NE(plan.status().message().find(c.message_part), std::string::npos) << plan.status();
  }
}

// examples.md E39: the import options trap.
TEST(PlanJsonImportTest, ExampleE39) {
  const char* data = R"([{"n": 1, "d": "2025-01-01", "ok": true}])";
  struct Case {
    const char* options;
    const char* expect;
  } cases[] = {
      {R"({"returnResult":true})", R"(TMP{n:string="1";d:string="2025-01-01";ok:string="true"})"},
      {R"({"returnResult":true,"suggestTypes":true})",
       R"(TMP{n:number=1;d:datetime="2025-01-01";ok:boolean=true})"},
      {nullptr, R"(TMP{n:number=1;d:datetime="2025-01-01";ok:boolean=true})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.options ? c.options : "<absent>");
    Json args = {{"label", "TMP"}, {"data", Json::parse(data)}};
    if (c.options) args["options"] = Json::parse(c.options);
    auto plan = PlanJsonImport(args);
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_EQ(Lines(*plan), Lines_{c.expect});
    EXPECT_EQ(plan->options.return_result, c.options != nullptr);
  }
}

// examples.md E40: container import, capitalised labels, default relationship type.
TEST(PlanJsonImportTest, ExampleE40) {
  auto plan = PlanJsonImport(Json::parse(
      R"({"data": {"vendor": [{"name": "Wayne Enterprises", "contact": {"email": "lucius@wayne.com"}}]},
          "options": {"suggestTypes": true, "capitalizeLabels": true}})"));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(Lines(*plan), (Lines_{R"(VENDOR{name:string="Wayne Enterprises"})",
                                  R"(CONTACT{email:string="lucius@wayne.com"}<-0)"}));
  EXPECT_EQ(plan->relationship_type, "__RUSHDB__RELATION__DEFAULT__");
  auto bad = PlanJsonImport(Json::parse(R"({"data": [{"name": "x"}]})"));
  EXPECT_EQ(PathOf(bad.status()), "/label");
}

TEST(PlanCreateManyTest, FlatRowsOnly) {
  auto plan = PlanCreateMany(Json::parse(
      R"({"label":"P","data":[{"a":1,"t":["x"]},{"a":2,"n":null}],"options":{"returnResult":true}})"));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(Lines(*plan), (Lines_{R"(P{a:string="1";t:string=["x"]})", R"(P{a:string="2"})"}));

  struct Case {
    const char* args;
    const char* path;
  } cases[] = {
      {R"({"label":"P","data":[{"a":{"b":1}}]})", "/data/0/a"},
      {R"({"label":"P","data":[{"a":1},{"c":[{"b":1}]}]})", "/data/1/c"},
      {R"({"label":"P","data":[{"a":[[1]]}]})", "/data/0/a"},
      {R"({"data":[{"a":1}]})", "/label"},
      {R"({"label":"","data":[{"a":1}]})", "/label"},
      {R"({"label":"P","data":{"a":1}})", "/data"},
      {R"({"label":"P","data":[1]})", "/data/0"},
      {R"({"label":"P","data":[{"__id":"x"}]})", "/data/0/__id"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    auto r = PlanCreateMany(Json::parse(c.args));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(PathOf(r.status()), c.path);
  }
  auto nested = PlanCreateMany(Json::parse(R"({"label":"P","data":[{"a":{"b":1}}]})"));
  EXPECT_NE(nested.status().message().find("importJson"), std::string::npos);
}

TEST(UpperCaseLabelTest, AsciiAndLatin1) {
  EXPECT_EQ(UpperCaseLabel("department_2x"), "DEPARTMENT_2X");
  EXPECT_EQ(UpperCaseLabel("caf\xC3\xA9"), "CAF\xC3\x89");
  EXPECT_EQ(UpperCaseLabel("stra\xC3\x9F" "e"), "STRASSE");
  EXPECT_EQ(UpperCaseLabel("\xE6\x97\xA5"), "\xE6\x97\xA5");
}

}  // namespace
}  // namespace loom::engine
