// Tests for ReadQueryJson: hostile JSON text (RELIABILITY.md §3).
#include "query/parse/json_reader.h"

#include <string>

#include "gtest/gtest.h"
#include "loom/status.h"

namespace loom::query {
namespace {

std::string PathOf(const absl::Status& s) { return ErrorPath(s).value_or(""); }

TEST(JsonReaderTest, ReadsObjectsInOrder) {
  absl::StatusOr<Json> j = ReadQueryJson(R"({"b":1,"a":[true,null,"x",1.5,-0],"c":{"z":1,"y":2}})");
  ASSERT_TRUE(j.ok()) << j.status();
  EXPECT_EQ(j->dump(), R"({"b":1,"a":[true,null,"x",1.5,0],"c":{"z":1,"y":2}})");
  std::string keys;
  for (const auto& [k, v] : j->at("c").items()) keys += k;
  EXPECT_EQ(keys, "zy");
  // Lookups still work after the fast append.
  EXPECT_EQ(j->at("c").at("y"), 2);
}

TEST(JsonReaderTest, AcceptsWhatJsonAllows) {
  const char* cases[] = {
      "{}", "[]", "\"x\"", "1", "null", " {\"a\" : 1 } \n",
      "\xEF\xBB\xBF{\"a\":1}",  // a UTF-8 byte order mark is skipped
      R"({"s":"\u0000"})",      // embedded NUL is valid JSON
      R"({"s":"\ud83d\ude00 \u00e9 é"})",
      R"({"n":18446744073709551617})",  // 2^64 + 1 becomes a (finite) double
      R"({"n":1e300})",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(ReadQueryJson(text).ok()) << ReadQueryJson(text).status();
  }
}

TEST(JsonReaderTest, RejectsBadText) {
  struct {
    std::string text;
    std::string path;
    std::string message_part;
  } cases[] = {
      {"", "", "byte"},
      {"   ", "", "byte"},
      {"{", "", "byte"},
      {R"({"a":1} x)", "", "byte 9"},
      {R"({"a":1}{})", "", "byte"},
      {"{'a':1}", "", "byte"},
      {R"({"a":NaN})", "", "byte"},
      {R"({"a":Infinity})", "", "byte"},
      {R"({"a":-Infinity})", "", "byte"},
      {R"({"a":1e400})", "", "byte"},
      {R"({"a":-1e400})", "", "byte"},
      {"{\"a\":\"\xff\"}", "", "byte"},            // invalid UTF-8
      {"{\"a\":\"\xc0\xaf\"}", "", "byte"},        // overlong encoding
      {"{\"a\":\"\xed\xa0\x80\"}", "", "byte"},    // encoded surrogate
      {"{\"a\":\"\xe2\x82\"}", "", "byte"},        // truncated sequence
      {"{\"\xff\":1}", "", "byte"},                // invalid UTF-8 in a key
      {R"({"a":"\ud800"})", "", "byte"},           // lone high surrogate
      {R"({"a":"\udc00"})", "", "byte"},           // lone low surrogate
      {R"({"a":"x\ud800y"})", "", "byte"},
      {R"({"limit":1,"limit":1000})", "/limit", "duplicate key"},
      {R"({"where":{},"where":{}})", "/where", "duplicate key"},
      {R"({"where":{"a":{"b/c":1,"b/c":2}}})", "/where/a/b~1c", "duplicate key"},
      {R"({"where":{"$or":[{"x":1},{"x":1,"y":2,"x":3}]}})", "/where/$or/1/x", "duplicate key"},
      {R"({"a":[1,2,{"k":1,"k":2}]})", "/a/2/k", "duplicate key"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<Json> j = ReadQueryJson(c.text);
    ASSERT_FALSE(j.ok());
    EXPECT_EQ(GetErrorCode(j.status()), ErrorCode::kInvalidQuery);
    EXPECT_EQ(PathOf(j.status()), c.path);
    EXPECT_NE(j.status().message().find(c.message_part), std::string::npos) << j.status();
  }
}

TEST(JsonReaderTest, DepthLimitStopsDeepInputEarly) {
  // 10^6 nested arrays: must stop at the limit, never building the tree.
  std::string deep(1000000, '[');
  absl::StatusOr<Json> j = ReadQueryJson(deep);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(GetErrorCode(j.status()), ErrorCode::kInvalidQuery);
  EXPECT_NE(j.status().message().find("nesting"), std::string::npos) << j.status();

  // Exactly at the limit is fine; one more level is not.
  ParseOptions opts;
  opts.max_json_depth = 4;
  EXPECT_TRUE(ReadQueryJson("[[[[1]]]]", opts).ok());
  absl::StatusOr<Json> over = ReadQueryJson(R"({"a":[{"b":[1]}]})", opts);
  EXPECT_TRUE(over.ok());
  over = ReadQueryJson(R"({"a":[{"b":[[1]]}]})", opts);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(PathOf(over.status()), "/a/0/b/0");

  // 10^4-deep $and chain.
  std::string chain;
  for (int i = 0; i < 10000; ++i) chain += R"({"$and":[)";
  chain += "{}";
  for (int i = 0; i < 10000; ++i) chain += "]}";
  j = ReadQueryJson(chain);
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.status().message().find("nesting"), std::string::npos);
}

TEST(JsonReaderTest, SizeLimit) {
  ParseOptions opts;
  opts.max_query_bytes = 16;
  EXPECT_TRUE(ReadQueryJson(R"({"limit":1})", opts).ok());
  absl::StatusOr<Json> j = ReadQueryJson(R"({"limit":1,"skip":22})", opts);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(GetErrorCode(j.status()), ErrorCode::kInvalidQuery);
  EXPECT_NE(j.status().message().find("bytes"), std::string::npos);
}

TEST(JsonReaderTest, WideObjectsAreNotQuadratic) {
  std::string text = "{";
  for (int i = 0; i < 200000; ++i) {
    if (i) text += ',';
    text += "\"k" + std::to_string(i) + "\":1";
  }
  text += "}";
  ParseOptions opts;
  opts.max_query_bytes = 10 << 20;
  absl::StatusOr<Json> j = ReadQueryJson(text, opts);
  ASSERT_TRUE(j.ok()) << j.status();
  EXPECT_EQ(j->size(), 200000u);
}

TEST(JsonReaderTest, EscapePointerToken) {
  EXPECT_EQ(EscapePointerToken("a/b~c"), "a~1b~0c");
  EXPECT_EQ(EscapePointerToken("$gte"), "$gte");
}

}  // namespace
}  // namespace loom::query
