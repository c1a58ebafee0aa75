#include "engine/import/write_typing.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/engine/import/test_util.h"

namespace loom::engine {
namespace {

TEST(CheckForbiddenKeysTest, ReportsThePointerAtAnyDepth) {
  struct Case {
    const char* body;
    const char* path;  // nullptr = accepted
  } cases[] = {
      {R"({"data":{"__id":1}})", "/data/__id"},
      {R"({"options":{"$and":[]}})", "/options/$and"},
      {R"({"data":{"a":[{"b":{"$relation":1}}]}})", "/data/a/0/b/$relation"},
      {R"({"properties":[{"name":"__label","type":"string","value":"x"}]})", "/properties/0/name"},
      {R"({"a/b":{"x~y":{"__score":1}}})", "/a~1b/x~0y/__score"},
      {R"({"data":[[{"__RUSHDB__KEY__LABEL__":1}]]})", "/data/0/0/__RUSHDB__KEY__LABEL__"},
      {R"({"data":{"name":"$id","$idx":1,"_id":2}})", nullptr},
      {R"({"data":{"tags":["__id"]}})", nullptr},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    absl::Status s = CheckForbiddenKeys(Json::parse(c.body), "");
    if (c.path == nullptr) {
      EXPECT_TRUE(s.ok()) << s;
    } else {
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(GetErrorCode(s), ErrorCode::kInvalidArgument);
      EXPECT_EQ(PathOf(s), c.path);
    }
  }
}

TEST(CheckForbiddenKeysTest, BasePathPrefixesAndEveryListedKeyIsForbidden) {
  absl::Status s = CheckForbiddenKeys(Json::parse(R"({"$vectors":1,"x":{"$exists":1}})"), "/data");
  EXPECT_EQ(PathOf(s), "/data/x/$exists");
  for (const char* k : {"$xor", "$nor", "$not", "$eq", "$in", "$ne", "$nin", "$gte", "$gt", "$lte",
                        "$lt", "$contains", "$startsWith", "$endsWith", "$day", "$hour",
                        "$microsecond", "$millisecond", "$minute", "$month", "$nanosecond",
                        "$second", "$year", "$type", "$alias", "__projectId", "__proptypes",
                        "__RUSHDB__KEY__ID__", "__RUSHDB__KEY__PROJECT__ID__",
                        "__RUSHDB__KEY__PROPERTIES__META__"}) {
    EXPECT_TRUE(IsForbiddenKey(k)) << k;
  }
  EXPECT_FALSE(IsForbiddenKey("$vectors"));
  EXPECT_FALSE(IsForbiddenKey("id"));
}

TEST(CheckForbiddenKeysTest, DeepNestingDoesNotRecurse) {
  Json j = Json::object();
  Json* cur = &j;
  for (int i = 0; i < 20000; ++i) cur = &((*cur)["a"] = Json::object());
  (*cur)["$or"] = 1;
  absl::Status s = CheckForbiddenKeys(j, "");
  EXPECT_FALSE(s.ok());
  // Free iteratively: nlohmann's destructor handles depth itself.
}

struct DataCase {
  const char* data;
  const char* options;  // JSON or nullptr
  const char* expect;   // rendered properties, or nullptr when an error is expected
  const char* error_path;
};

TEST(TypeWritePayloadTest, DataForm) {
  const DataCase cases[] = {
      {R"({"name":"Acme","n":1200,"ok":true,"d":"2024-01-15","tags":["a","b"],"e":[],"z":null})",
       nullptr,
       R"(name:string="Acme";n:number=1200;ok:boolean=true;d:datetime="2024-01-15";tags:string=["a","b"];e:string=[])",
       nullptr},
      {R"({"n":1200,"ok":true,"d":"2024-01-15","f":0.1,"tags":[1,2]})", R"({"suggestTypes":false})",
       R"(n:string="1200";ok:string="true";d:string="2024-01-15";f:string="0.1";tags:string=["1","2"])",
       nullptr},
      // Numeric-looking strings stay strings on this path.
      {R"({"n":"42"})", R"({"suggestTypes":true})", R"(n:string="42")", nullptr},
      // suggestTypes defaults to true even when other options are given.
      {R"({"n":1})", R"({"skipEmptyValues":false})", "n:number=1", nullptr},
      {R"({"a":"","b":[],"c":["x",""],"d":0,"e":false,"f":[""]})", R"({"skipEmptyValues":true})",
       R"(c:string=["x"];d:number=0;e:boolean=false)", nullptr},
      {R"({"a":"","b":[]})", nullptr, R"(a:string="";b:string=[])", nullptr},
      {R"({"a":[null,null],"b":null})", nullptr, "", nullptr},
      {R"({"d":["2024-01-15","2024-02-01"]})", nullptr, R"(d:datetime=["2024-01-15","2024-02-01"])",
       nullptr},
      {R"({"b":[true,false]})", nullptr, "b:boolean=[true,false]", nullptr},
      {R"({"tags":["a",""]})", nullptr, nullptr, "/data/tags/1"},
      {R"({"o":{"x":1}})", nullptr, nullptr, "/data/o"},
      {R"({"m":[1,"a"]})", nullptr, nullptr, "/data/m/1"},
      {R"({"m":[null,"a"]})", nullptr, nullptr, "/data/m/1"},
      {R"({"n":[[1]]})", nullptr, nullptr, "/data/n/0"},
      {R"({"n":[{"a":1}]})", nullptr, nullptr, "/data/n/0"},
      {R"({"":1})", nullptr, nullptr, "/data/"},
      {R"({"__id":"x"})", nullptr, nullptr, "/data/__id"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.data);
    Json data = Json::parse(c.data);
    Json opt_json = c.options ? Json::parse(c.options) : Json();
    absl::StatusOr<WriteOptions> options = ParseWriteOptions(c.options ? &opt_json : nullptr, "/options");
    ASSERT_TRUE(options.ok()) << options.status();
    auto got = TypeWritePayload(&data, nullptr, *options, "");
    if (c.expect != nullptr) {
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(Render(*got), c.expect);
    } else {
      ASSERT_FALSE(got.ok());
      EXPECT_EQ(GetErrorCode(got.status()), ErrorCode::kInvalidArgument);
      EXPECT_EQ(PathOf(got.status()), c.error_path);
    }
  }
}

TEST(TypeWritePayloadTest, NameLengthCountsUtf16Units) {
  Json ok = {{std::string(100, 'a'), 1}};
  EXPECT_TRUE(TypeWritePayload(&ok, nullptr, {}, "").ok());
  Json too_long = {{std::string(101, 'a'), 1}};
  auto s = TypeWritePayload(&too_long, nullptr, {}, "");
  EXPECT_EQ(PathOf(s.status()), "/data/" + std::string(101, 'a'));
  std::string emoji;  // 50 x U+1F600 = 100 UTF-16 units
  for (int i = 0; i < 50; ++i) emoji += "\xF0\x9F\x98\x80";
  Json e = {{emoji, 1}};
  EXPECT_TRUE(TypeWritePayload(&e, nullptr, {}, "").ok());
  Json e2 = {{emoji + "x", 1}};
  EXPECT_FALSE(TypeWritePayload(&e2, nullptr, {}, "").ok());
}

TEST(TypeWritePayloadTest, ExactlyOneOfDataAndProperties) {
  Json data = Json::object();
  Json props = Json::array();
  Json null_json;
  EXPECT_EQ(PathOf(TypeWritePayload(nullptr, nullptr, {}, "").status()), "<none>");  // the root
  EXPECT_EQ(PathOf(TypeWritePayload(&data, &props, {}, "/x").status()), "/x");
  EXPECT_FALSE(TypeWritePayload(&null_json, nullptr, {}, "").ok());
  EXPECT_TRUE(TypeWritePayload(&data, nullptr, {}, "").ok());
  EXPECT_TRUE(TypeWritePayload(nullptr, &props, {}, "").ok());
  Json arr = Json::array();
  EXPECT_EQ(PathOf(TypeWritePayload(&arr, nullptr, {}, "").status()), "/data");
}

TEST(TypeWritePayloadTest, PropertyDrafts) {
  struct Case {
    const char* drafts;
    const char* expect;
    const char* error_path;
  } cases[] = {
      {R"([{"name":"tags","type":"string","value":" a, b ,,c ","valueSeparator":","}])",
       R"(tags:string=["a","b","c"])", nullptr},
      {R"([{"name":"n","type":"number","value":"1;2; 3","valueSeparator":";"}])",
       "n:number=[1,2,3]", nullptr},
      {R"([{"name":"x","type":"number","value":1},{"name":"y","type":"string","value":"s"},{"name":"x","type":"number","value":["2",3]}])",
       R"(x:number=[1,2,3];y:string="s")", nullptr},
      {R"([{"name":"x","type":"number","value":1},{"name":"x","type":"string","value":"a"}])",
       nullptr, "/properties/1/type"},
      {R"([{"name":"b","type":"boolean","value":"false"},{"name":"c","type":"boolean","value":0},{"name":"d","type":"boolean","value":""},{"name":"e","type":"boolean","value":[1,"x",false]}])",
       "b:boolean=true;c:boolean=false;d:boolean=false;e:boolean=[true,true,false]", nullptr},
      {R"([{"name":"s","type":"string","value":12.5},{"name":"t","type":"string","value":true}])",
       R"(s:string="12.5";t:string="true")", nullptr},
      {R"([{"name":"d","type":"datetime","value":"2024-02-29T09:30:00Z","metadata":{"x":1}}])",
       R"(d:datetime="2024-02-29T09:30:00Z")", nullptr},
      {R"([{"name":"d","type":"datetime","value":"2025-02-30"}])", nullptr, "/properties/0/value"},
      {R"([{"name":"d","type":"datetime","value":["2025-01-01","nope"]}])", nullptr,
       "/properties/0/value/1"},
      {R"([{"name":"n","type":"number","value":"abc"}])", nullptr, "/properties/0/value"},
      {R"([{"name":"n","type":"number","value":" 0x10 "}])", "n:number=16", nullptr},
      {R"([{"name":"n","type":"string","value":null},{"name":"m","type":"string","value":[null]}])",
       "", nullptr},
      {R"([{"name":"s","type":"string","value":["a",null,"b"]}])", R"(s:string=["a","b"])", nullptr},
      {R"([{"name":"s","type":"string","value":["a",""]}])", nullptr, "/properties/0/value/1"},
      {R"([{"name":"s","type":"vector","value":[1]}])", nullptr, "/properties/0/type"},
      {R"([{"name":"s","type":"string","value":{"a":1}}])", nullptr, "/properties/0/value"},
      {R"([{"type":"string","value":"a"}])", nullptr, "/properties/0/name"},
      {R"([{"name":"$id","type":"string","value":"a"}])", nullptr, "/properties/0/name"},
      {R"({"name":"a"})", nullptr, "/properties"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.drafts);
    Json drafts = Json::parse(c.drafts);
    auto got = TypeWritePayload(nullptr, &drafts, {}, "");
    if (c.expect != nullptr) {
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(Render(*got), c.expect);
    } else {
      ASSERT_FALSE(got.ok());
      EXPECT_EQ(PathOf(got.status()), c.error_path);
    }
  }
}

TEST(ParseWriteOptionsTest, DefaultsAndErrors) {
  auto absent = ParseWriteOptions(nullptr, "/options");
  ASSERT_TRUE(absent.ok());
  EXPECT_TRUE(absent->suggest_types);
  EXPECT_FALSE(absent->upsert);

  Json j = Json::parse(R"({"skipEmptyValues":true,"mergeBy":["a"],"unknown":5})");
  auto got = ParseWriteOptions(&j, "/options");
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->suggest_types);
  EXPECT_TRUE(got->skip_empty_values);
  EXPECT_TRUE(got->upsert);
  EXPECT_EQ(got->merge_by, std::vector<std::string>{"a"});
  EXPECT_FALSE(got->merge_rewrite);

  Json rewrite = Json::parse(R"({"mergeStrategy":"rewrite"})");
  auto r = ParseWriteOptions(&rewrite, "/options");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->upsert && r->merge_rewrite);

  struct Case {
    const char* options;
    const char* path;
  } bad[] = {{R"({"suggestTypes":"yes"})", "/options/suggestTypes"},
             {R"({"skipEmptyValues":1})", "/options/skipEmptyValues"},
             {R"({"mergeBy":"a"})", "/options/mergeBy"},
             {R"({"mergeBy":["a",1]})", "/options/mergeBy/1"},
             {R"({"mergeStrategy":"merge"})", "/options/mergeStrategy"},
             {R"([])", "/options"}};
  for (const auto& c : bad) {
    SCOPED_TRACE(c.options);
    Json o = Json::parse(c.options);
    EXPECT_EQ(PathOf(ParseWriteOptions(&o, "/options").status()), c.path);
  }
}

TEST(RetypeForUpdateTest, ReinfersWithDefaultInference) {
  std::vector<Property> current = {
      {"d", Value::Of(PropType::kString, std::string("2024-01-15"))},
      {"e", Value::Array(PropType::kNumber, {})},
      {"v", Value::Array(PropType::kVector, {1.0, 2.0})},
      {"s", Value::Of(PropType::kString, std::string("x"))},
      {"b", Value::Of(PropType::kString, true)},
  };
  EXPECT_EQ(Render(RetypeForUpdate(current)),
            R"(d:datetime="2024-01-15";e:string=[];v:number=[1,2];s:string="x";b:boolean=true)");
}

}  // namespace
}  // namespace loom::engine
