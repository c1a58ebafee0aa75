// Tests for ParseQuery / ParseWhere: the bad-input catalogue (RELIABILITY.md
// §3) with exact JSON Pointers, and the AST shape of the examples.md queries.
#include "query/parse/parser.h"

#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loom/datetime.h"
#include "loom/status.h"
#include "query/parse/json_reader.h"
#include "query/functions/where_ops.h"

namespace loom::query {
namespace {

using ast::Argument;
using ast::CompareOp;
using ast::Criterion;
using ast::Direction;
using ast::WhereNode;

std::string PathOf(const absl::Status& s) { return ErrorPath(s).value_or(""); }

absl::StatusOr<ast::Query> Parse(const std::string& text, const ParseOptions& opts = {}) {
  absl::StatusOr<Json> json = ReadQueryJson(text, opts);
  if (!json.ok()) return json.status();
  return ParseQuery(*json, opts);
}

ast::Query MustParse(const std::string& text, const ParseOptions& opts = {}) {
  absl::StatusOr<ast::Query> q = Parse(text, opts);
  EXPECT_TRUE(q.ok()) << text << " → " << q.status();
  return q.ok() ? std::move(*q) : ast::Query{};
}

Instant At(const char* text) { return *ParseDatetimeInstant(text); }

struct BadCase {
  std::string query;
  std::string path;
};

void ExpectErrors(const std::vector<BadCase>& cases, const ParseOptions& opts = {}) {
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.query);
    absl::StatusOr<ast::Query> q = Parse(c.query, opts);
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(GetErrorCode(q.status()), ErrorCode::kInvalidQuery) << q.status();
    EXPECT_EQ(PathOf(q.status()), c.path) << q.status();
    EXPECT_FALSE(q.status().message().empty());
  }
}

TEST(ParserErrorsTest, NotAQueryAndTopLevel) {
  ExpectErrors({
      {"[]", ""},
      {R"("x")", ""},
      {"1", ""},
      {"null", ""},
      {R"({"limit":"10"})", "/limit"},
      {R"({"limit":1.5})", "/limit"},
      {R"({"limit":1e300})", "/limit"},
      {R"({"limit":0})", "/limit"},
      {R"({"limit":-1})", "/limit"},
      {R"({"limit":9223372036854775808})", "/limit"},  // 2^63
      {R"({"limit":18446744073709551617})", "/limit"},  // 2^64 + 1
      {R"({"limit":true})", "/limit"},
      {R"({"skip":-1})", "/skip"},
      {R"({"skip":0.5})", "/skip"},
      {R"({"skip":"0"})", "/skip"},
      {R"({"skip":1e19})", "/skip"},
      {R"({"labels":"User"})", "/labels"},
      {R"({"labels":["User",""]})", "/labels/1"},
      {R"({"labels":["User",1]})", "/labels/1"},
      {R"({"where":[]})", "/where"},
      {R"({"where":"x"})", "/where"},
      {R"({"orderBy":"up"})", "/orderBy"},
      {R"({"orderBy":"ASC"})", "/orderBy"},
      {R"({"orderBy":5})", "/orderBy"},
      {R"({"orderBy":{"name":"asc","age":"ascending"}})", "/orderBy/age"},
      {R"({"orderBy":{"a/b":1}})", "/orderBy/a~1b"},
      {R"({"select":{"a":"$record.x"},"aggregate":{"b":"$record.y"}})", "/select"},
      {R"({"select":[1]})", "/select"},
      {R"({"aggregate":"x"})", "/aggregate"},
      {R"({"groupBy":"x"})", "/groupBy"},
      {R"({"groupBy":["a",""]})", "/groupBy/1"},
      {R"({"groupBy":[null]})", "/groupBy/0"},
      {R"({"id":5})", "/id"},
  });
}

TEST(ParserErrorsTest, FieldOperatorArguments) {
  ExpectErrors({
      {R"({"where":{"age":{"$gte":"ten"}}})", "/where/age/$gte"},
      {R"({"where":{"mrr":{"$gt":"1000"}}})", "/where/mrr/$gt"},
      {R"({"where":{"month":{"$gte":"2025-02"}}})", "/where/month/$gte"},
      {R"({"where":{"a":{"$gte":"M"}}})", "/where/a/$gte"},
      {R"({"where":{"a":{"$lt":true}}})", "/where/a/$lt"},
      {R"({"where":{"a":{"$lte":null}}})", "/where/a/$lte"},
      {R"({"where":{"a":{"$gt":[1]}}})", "/where/a/$gt"},
      {R"({"where":{"a":{"$gt":{"x":1}}}})", "/where/a/$gt"},
      {R"({"where":{"amount":{"$in":[800,"800"]}}})", "/where/amount/$in/1"},
      {R"({"where":{"amount":{"$in":[true,null,1]}}})", "/where/amount/$in/2"},
      {R"({"where":{"amount":{"$in":[]}}})", "/where/amount/$in"},
      {R"({"where":{"amount":{"$in":5}}})", "/where/amount/$in"},
      {R"({"where":{"amount":{"$nin":"a"}}})", "/where/amount/$nin"},
      {R"({"where":{"amount":{"$in":[[1]]}}})", "/where/amount/$in/0"},
      {R"({"where":{"d":{"$in":[{"$year":2024},"2024"]}}})", "/where/d/$in/1"},
      {R"({"where":{"a":{"$contains":5}}})", "/where/a/$contains"},
      {R"({"where":{"a":{"$startsWith":null}}})", "/where/a/$startsWith"},
      {R"({"where":{"a":{"$endsWith":["x"]}}})", "/where/a/$endsWith"},
      {R"({"where":{"a":{"$type":1}}})", "/where/a/$type"},
      {R"({"where":{"a":{"$exists":"yes"}}})", "/where/a/$exists"},
      {R"({"where":{"a":{"$exists":1}}})", "/where/a/$exists"},
      {R"({"where":{"a":{"$eq":[1]}}})", "/where/a/$eq"},
      {R"({"where":{"a":{"$ne":{"x":1}}}})", "/where/a/$ne"},
      {R"({"where":{"a":{"$gt":1,"$eq":{"$month":1}}}})", "/where/a/$eq"},
      {R"({"where":{"tags":[]}})", "/where/tags"},
      {R"({"where":{"tags":["a",[]]}})", "/where/tags/1"},
      {R"({"where":{"a":{"$or":5}}})", "/where/a/$or"},
      {R"({"where":{"a":{"$or":[1,{"$gt":"x"}]}}})", "/where/a/$or/1/$gt"},
      {R"({"where":{"a":{"$not":{"$gte":"x"}}}})", "/where/a/$not/$gte"},
  });
}

TEST(ParserErrorsTest, DatetimeComponents) {
  ExpectErrors({
      {R"({"where":{"d":{"$year":2024,"$month":13}}})", "/where/d/$month"},
      {R"({"where":{"d":{"$year":2024,"$month":0}}})", "/where/d/$month"},
      {R"({"where":{"d":{"$year":2024,"$hour":24}}})", "/where/d/$hour"},
      {R"({"where":{"d":{"$year":2024,"$minute":60}}})", "/where/d/$minute"},
      {R"({"where":{"d":{"$year":2024,"$second":60}}})", "/where/d/$second"},
      {R"({"where":{"d":{"$year":2024,"$millisecond":1000}}})", "/where/d/$millisecond"},
      {R"({"where":{"d":{"$year":2024,"$millisecond":1,"$microsecond":1000}}})",
       "/where/d/$microsecond"},
      {R"({"where":{"d":{"$year":2024,"$microsecond":1,"$nanosecond":1000}}})",
       "/where/d/$nanosecond"},
      {R"({"where":{"d":{"$year":10000}}})", "/where/d/$year"},
      {R"({"where":{"d":{"$year":-1}}})", "/where/d/$year"},
      {R"({"where":{"d":{"$year":2024.5}}})", "/where/d/$year"},
      {R"({"where":{"d":{"$year":"2024"}}})", "/where/d/$year"},
      {R"({"where":{"d":{"$month":2}}})", "/where/d"},
      {R"({"where":{"d":{"$gte":{"$month":1}}}})", "/where/d/$gte"},
      {R"({"where":{"d":{"$in":[{"$day":1}]}}})", "/where/d/$in/0"},
      {R"({"where":{"d":{"$year":2023,"$month":2,"$day":29}}})", "/where/d/$day"},
      {R"({"where":{"d":{"$year":2024,"$month":4,"$day":31}}})", "/where/d/$day"},
      {R"({"where":{"d":{"$year":1900,"$month":2,"$day":29}}})", "/where/d/$day"},
  });
}

TEST(ParserErrorsTest, UnknownAndMisplacedNames) {
  ExpectErrors({
      {R"({"where":{"$foo":1}})", "/where/$foo"},
      {R"({"where":{"$regex":"x"}})", "/where/$regex"},
      {R"({"where":{"name":{"$regex":"x"}}})", "/where/name/$regex"},
      {R"({"where":{"age":{"$gte":1,"$lts":5}}})", "/where/age/$lts"},
      {R"({"where":{"age":{"$gte":1,"other":5}}})", "/where/age/$gte"},
      {R"({"where":{"ACCOUNT":{"$realtion":{"type":"X"}}}})", "/where/ACCOUNT/$realtion"},
      {R"({"where":{"$relation":"X"}})", "/where/$relation"},
      {R"({"where":{"$alias":"$a"}})", "/where/$alias"},
      {R"({"where":{"$gte":1}})", "/where/$gte"},
      {R"({"where":{"$year":2024}})", "/where/$year"},
      {R"({"where":{"A":{"$or":[{"$relation":"X"}]}}})", "/where/A/$or/0/$relation"},
      {R"({"where":{"A":{"$or":{"$alias":"$x"}}}})", "/where/A/$or/$alias"},
      {R"({"where":{"A":{"B":{"$foo":1}}}})", "/where/A/B/$foo"},
      {R"({"where":{"$or":5}})", "/where/$or"},
      {R"({"where":{"$or":[1]}})", "/where/$or/0"},
      {R"({"where":{"$and":[{"a":1},[]]}})", "/where/$and/1"},
      {R"({"where":{"$not":"x"}})", "/where/$not"},
  });
}

TEST(ParserErrorsTest, TraversalHopsAndCycles) {
  ExpectErrors({
      {R"({"where":{"A":{"$relation":5}}})", "/where/A/$relation"},
      {R"({"where":{"A":{"$relation":["X"]}}})", "/where/A/$relation"},
      {R"({"where":{"A":{"$relation":{"type":5}}}})", "/where/A/$relation/type"},
      {R"({"where":{"A":{"$relation":{"hops":0}}}})", "/where/A/$relation/hops"},
      {R"({"where":{"A":{"$relation":{"hops":-1}}}})", "/where/A/$relation/hops"},
      {R"({"where":{"A":{"$relation":{"hops":1.5}}}})", "/where/A/$relation/hops"},
      {R"({"where":{"A":{"$relation":{"hops":"2"}}}})", "/where/A/$relation/hops"},
      {R"({"where":{"A":{"$relation":{"hops":true}}}})", "/where/A/$relation/hops"},
      {R"({"where":{"A":{"$relation":{"hops":11}}}})", "/where/A/$relation/hops"},
      {R"({"where":{"A":{"$relation":{"hops":{"min":3,"max":2}}}}})", "/where/A/$relation/hops"},
      {R"({"where":{"A":{"$relation":{"hops":{"max":11}}}}})", "/where/A/$relation/hops/max"},
      {R"({"where":{"A":{"$relation":{"hops":{"min":1}}}}})", "/where/A/$relation/hops"},
      {R"({"where":{"A":{"$relation":{"hops":{"min":0,"max":2}}}}})",
       "/where/A/$relation/hops/min"},
      {R"({"where":{"A":{"$relation":{"hops":{"min":1,"max":"3"}}}}})",
       "/where/A/$relation/hops/max"},
      {R"({"where":{"A":{"$relation":{"hops":2,"direction":"sideways"}}}})",
       "/where/A/$relation/direction"},
      {R"({"where":{"A":{"$relation":{"hops":2,"direction":"OUT"}}}})",
       "/where/A/$relation/direction"},
      // Without hops too: a typo would silently mean "either direction".
      {R"({"where":{"A":{"$relation":{"direction":"sideways"}}}})", "/where/A/$relation/direction"},
      {R"({"where":{"A":{"$relation":{"type":"T","direction":"IN"}}}})", "/where/A/$relation/direction"},
      {R"({"where":{"A":{"$relation":{"hops":2,"direction":1}}}})",
       "/where/A/$relation/direction"},
      {R"({"where":{"$cycle":true}})", "/where/$cycle"},
      {R"({"where":{"$cycle":"RESELLS_TO"}})", "/where/$cycle"},
      {R"({"where":{"$cycle":{"type":"RESELLS_TO"}}})", "/where/$cycle"},
      {R"({"where":{"$cycle":{"type":"R","hops":{"min":1,"max":3}}}})", "/where/$cycle/hops/min"},
      {R"({"where":{"$cycle":{"hops":1}}})", "/where/$cycle/hops"},
      {R"({"where":{"$cycle":{"hops":{"min":2}}}})", "/where/$cycle/hops"},
      {R"({"where":{"$cycle":{"hops":{"max":11}}}})", "/where/$cycle/hops/max"},
      {R"({"where":{"$cycle":{"hops":3,"direction":"up"}}})", "/where/$cycle/direction"},
      {R"({"where":{"$cycle":{"hops":3,"$alias":"$c"}}})", "/where/$cycle/$alias"},
      {R"({"where":{"$cycle":{"hops":3,"name":"x"}}})", "/where/$cycle/name"},
      {R"({"where":{"A":{"$cycle":{"hops":{"min":4,"max":3}}}}})", "/where/A/$cycle/hops"},
      {R"({"where":{"A":{"$alias":"a"}}})", "/where/A/$alias"},
      {R"({"where":{"A":{"$alias":"$"}}})", "/where/A/$alias"},
      {R"({"where":{"A":{"$alias":5}}})", "/where/A/$alias"},
      {R"({"where":{"A":{"$alias":"$record"}}})", "/where/A/$alias"},
      {R"({"where":{"A":{"$alias":"$self"}}})", "/where/A/$alias"},
      {R"({"where":{"A":{"$alias":"$a"},"B":{"$alias":"$a"}}})", "/where/B/$alias"},
      {R"({"where":{"A":{"$alias":"$a","B":{"$alias":"$a"}}}})", "/where/A/B/$alias"},
      {R"({"where":{"$or":[{"A":{"$alias":"$a"}},{"A":{"$alias":"$a"}}]}})",
       "/where/$or/1/A/$alias"},
  });
}

TEST(ParserErrorsTest, HopCapIsAnOption) {
  ParseOptions unlimited;
  unlimited.max_traversal_hops = 0;
  ast::Query q = MustParse(R"({"where":{"A":{"$relation":{"hops":{"min":2}}}}})", unlimited);
  ASSERT_EQ(q.where.entries.size(), 1u);
  ASSERT_TRUE(q.where.entries[0].AsBlock().relation.hops.has_value());
  EXPECT_EQ(q.where.entries[0].AsBlock().relation.hops->min, 2);
  EXPECT_EQ(q.where.entries[0].AsBlock().relation.hops->max, -1);
  q = MustParse(R"({"where":{"A":{"$relation":{"hops":50}}}})", unlimited);
  EXPECT_EQ(q.where.entries[0].AsBlock().relation.hops->max, 50);

  ParseOptions three;
  three.max_traversal_hops = 3;
  ExpectErrors({{R"({"where":{"A":{"$relation":{"hops":4}}}})", "/where/A/$relation/hops"}}, three);
}

TEST(ParserErrorsTest, SizeAndDepthLimits) {
  // Traversal nesting: 16 levels pass, the 17th block is reported.
  auto nested = [](int levels) {
    std::string text = R"({"where":)";
    for (int i = 0; i < levels; ++i) text += R"({"L":)";
    text += "{}";
    for (int i = 0; i < levels; ++i) text += "}";
    return text + "}";
  };
  MustParse(nested(16));
  std::string path = "/where";
  for (int i = 0; i < 17; ++i) path += "/L";
  ExpectErrors({{nested(17), path}});

  // $in size cap.
  std::string in = R"({"where":{"x":{"$in":[)";
  for (int i = 0; i <= 10000; ++i) in += (i ? ",1" : "1");
  in += "]}}}";
  ParseOptions big;
  big.max_query_bytes = 1 << 22;
  ExpectErrors({{in, "/where/x/$in"}}, big);

  // labels count cap.
  std::string labels = R"({"labels":[)";
  for (int i = 0; i <= 10000; ++i) labels += (i ? ",\"L\"" : "\"L\"");
  labels += "]}";
  ExpectErrors({{labels, "/labels"}}, big);

  // A 10^4-deep $and built by a C++ caller: rejected before any recursion.
  Json deep = Json::object();
  for (int i = 0; i < 10000; ++i) {
    Json wrapper = Json::object();
    wrapper["$and"] = Json::array({std::move(deep)});
    deep = std::move(wrapper);
  }
  Json query = {{"where", std::move(deep)}};
  absl::StatusOr<ast::Query> q = ParseQuery(query);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(GetErrorCode(q.status()), ErrorCode::kInvalidQuery);
  EXPECT_EQ(PathOf(q.status()).rfind("/where/$and/0/$and/0", 0), 0u) << PathOf(q.status());
  // nlohmann's own destructor recurses; unwind the chain iteratively.
  std::vector<Json> parts;
  parts.push_back(std::move(query));
  while (!parts.empty()) {
    Json j = std::move(parts.back());
    parts.pop_back();
    if (j.is_structured()) {
      for (Json& child : j) parts.push_back(std::move(child));
    }
  }

  absl::StatusOr<ast::Where> w = ParseWhere(Json::array(), "/source/where");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(PathOf(w.status()), "/source/where");
}

TEST(ParserErrorsTest, NonFiniteNumbersFromCxxCallers) {
  Json nan_query = {{"where", {{"x", std::nan("")}}}};
  absl::StatusOr<ast::Query> q = ParseQuery(nan_query);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(PathOf(q.status()), "/where/x");
  Json inf_query = {{"where", {{"x", {{"$gt", INFINITY}}}}}};
  q = ParseQuery(inf_query);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(PathOf(q.status()), "/where/x/$gt");
  Json inf_limit = {{"limit", INFINITY}};
  q = ParseQuery(inf_limit);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(PathOf(q.status()), "/limit");
}

// ---------------------------------------------------------------- positive

TEST(ParserTest, Defaults) {
  ast::Query q = MustParse("{}");
  EXPECT_TRUE(q.labels.empty());
  EXPECT_TRUE(q.where.entries.empty());
  EXPECT_EQ(q.where.path, "/where");
  EXPECT_EQ(q.limit, 100);
  EXPECT_EQ(q.skip, 0);
  ASSERT_EQ(q.order_by.keys.size(), 1u);
  EXPECT_EQ(q.order_by.keys[0].key, "__id");
  EXPECT_TRUE(q.order_by.keys[0].descending);
  EXPECT_FALSE(q.order_by.explicit_keys);
  EXPECT_TRUE(q.order_by.raw.is_null());
  EXPECT_FALSE(q.has_select);
  EXPECT_TRUE(q.select.is_null());
  EXPECT_TRUE(q.group_by.is_null());
  EXPECT_TRUE(q.aggregate.is_null());
  EXPECT_FALSE(q.related_id.has_value());
}

TEST(ParserTest, TopLevelForms) {
  ast::Query q = MustParse(
      R"({"labels":["A",null,"B"],"limit":1e3,"skip":9223372036854775807,"orderBy":"asc",
          "select":{},"unknownKey":[1,2],"id":"abc","where":{}})");
  EXPECT_EQ(q.labels, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(q.limit, 1000);
  EXPECT_EQ(q.skip, 9223372036854775807);
  ASSERT_EQ(q.order_by.keys.size(), 1u);
  EXPECT_EQ(q.order_by.keys[0].key, "__id");
  EXPECT_FALSE(q.order_by.keys[0].descending);
  EXPECT_FALSE(q.order_by.explicit_keys);
  EXPECT_EQ(q.order_by.raw, "asc");
  EXPECT_FALSE(q.has_select);  // {} counts as absent
  EXPECT_EQ(q.related_id, "abc");

  q = MustParse(R"({"orderBy":{"name":"asc","__id":"desc"},"limit":null,"labels":null})");
  ASSERT_EQ(q.order_by.keys.size(), 2u);
  EXPECT_EQ(q.order_by.keys[0].key, "name");
  EXPECT_FALSE(q.order_by.keys[0].descending);
  EXPECT_EQ(q.order_by.keys[0].path, "/orderBy/name");
  EXPECT_EQ(q.order_by.keys[1].key, "__id");
  EXPECT_TRUE(q.order_by.keys[1].descending);
  EXPECT_TRUE(q.order_by.explicit_keys);
  EXPECT_EQ(q.limit, 100);

  q = MustParse(R"({"orderBy":{}})");
  EXPECT_EQ(q.order_by.keys[0].key, "__id");
  EXPECT_TRUE(q.order_by.keys[0].descending);
  EXPECT_FALSE(q.order_by.explicit_keys);
  EXPECT_TRUE(q.order_by.raw.is_object());

  // select + empty aggregate is fine; aggregate alone is kept.
  q = MustParse(R"({"select":{"n":{"$count":"*"}},"aggregate":{}})");
  EXPECT_TRUE(q.has_select);
  q = MustParse(R"({"aggregate":{"s":{"fn":"sum","field":"x"}}})");
  EXPECT_FALSE(q.has_select);
  EXPECT_EQ(q.aggregate["s"]["fn"], "sum");
}

TEST(ParserTest, E1InList) {
  ast::Query q = MustParse(
      R"({"labels": ["USER"], "where": {"email": {"$in": ["alice@acme.com", "bob@acme.com"]}}})");
  EXPECT_EQ(q.labels, std::vector<std::string>{"USER"});
  ASSERT_EQ(q.where.entries.size(), 1u);
  const WhereNode& n = q.where.entries[0];
  EXPECT_EQ(n.kind, WhereNode::Kind::kField);
  EXPECT_EQ(n.field, "email");
  EXPECT_EQ(n.path, "/where/email");
  EXPECT_EQ(n.criterion.kind, Criterion::Kind::kCompare);
  EXPECT_EQ(n.criterion.op, CompareOp::kIn);
  EXPECT_EQ(n.criterion.path, "/where/email/$in");
  ASSERT_EQ(n.criterion.arg.kind, Argument::Kind::kList);
  ASSERT_EQ(n.criterion.arg.items.size(), 2u);
  EXPECT_EQ(n.criterion.arg.items[1].string, "bob@acme.com");
  EXPECT_FALSE(n.criterion.arg.contains_null);
}

TEST(ParserTest, E3NestedTypedTraversal) {
  ast::Query q = MustParse(R"({"labels": ["ACCOUNT"],
 "where": {"plan": "enterprise",
           "SUBSCRIPTION": {"$relation": {"type": "HAS_SUBSCRIPTION", "direction": "out"},
                            "INVOICE": {"$relation": {"type": "HAS_INVOICE", "direction": "out"}, "status": "overdue"}}}})");
  ASSERT_EQ(q.where.entries.size(), 2u);
  EXPECT_EQ(q.where.entries[0].kind, WhereNode::Kind::kField);
  EXPECT_EQ(q.where.entries[0].criterion.arg.string, "enterprise");
  ASSERT_EQ(q.where.entries[1].kind, WhereNode::Kind::kBlock);
  const ast::Block& sub = q.where.entries[1].AsBlock();
  EXPECT_EQ(sub.label, "SUBSCRIPTION");
  EXPECT_EQ(sub.path, "/where/SUBSCRIPTION");
  EXPECT_EQ(sub.depth, 1);
  EXPECT_EQ(sub.relation.types, std::vector<std::string>{"HAS_SUBSCRIPTION"});
  EXPECT_EQ(sub.relation.direction, Direction::kOut);
  EXPECT_FALSE(sub.relation.hops.has_value());
  EXPECT_EQ(sub.relation.path, "/where/SUBSCRIPTION/$relation");
  EXPECT_EQ(sub.relation.raw["type"], "HAS_SUBSCRIPTION");
  EXPECT_TRUE(sub.local.entries.empty());
  ASSERT_EQ(sub.row_level.entries.size(), 1u);
  const ast::Block& inv = sub.row_level.entries[0].AsBlock();
  EXPECT_EQ(inv.label, "INVOICE");
  EXPECT_EQ(inv.depth, 2);
  EXPECT_EQ(inv.path, "/where/SUBSCRIPTION/INVOICE");
  EXPECT_EQ(inv.relation.types, std::vector<std::string>{"HAS_INVOICE"});
  EXPECT_EQ(inv.relation.direction, Direction::kOut);
  ASSERT_EQ(inv.local.entries.size(), 1u);
  EXPECT_EQ(inv.local.entries[0].field, "status");
  EXPECT_EQ(inv.local.entries[0].criterion.arg.string, "overdue");
  EXPECT_TRUE(inv.row_level.entries.empty());

  std::vector<const ast::Block*> blocks;
  ast::CollectBlocks(q.where, &blocks);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0], &sub);
}

TEST(ParserTest, E4SelectGroupByKeptRaw) {
  ast::Query q = MustParse(R"({"labels": ["ACCOUNT"],
 "where": {"SUBSCRIPTION": {"$relation": {"type": "HAS_SUBSCRIPTION", "direction": "out"}, "status": "active"}},
 "select": {"totalMrr": {"$sum": "$record.mrr"}, "region": "$record.region"},
 "groupBy": ["region", "totalMrr"],
 "orderBy": {"totalMrr": "desc"}})");
  const ast::Block& sub = q.where.entries[0].AsBlock();
  ASSERT_EQ(sub.local.entries.size(), 1u);
  EXPECT_EQ(sub.local.entries[0].field, "status");
  EXPECT_TRUE(q.has_select);
  EXPECT_EQ(q.select.begin().key(), "totalMrr");  // order preserved
  EXPECT_EQ(q.group_by, Json::parse(R"(["region","totalMrr"])"));
  ASSERT_EQ(q.order_by.keys.size(), 1u);
  EXPECT_EQ(q.order_by.keys[0].key, "totalMrr");
  EXPECT_TRUE(q.order_by.explicit_keys);
}

TEST(ParserTest, E5IdCriteria) {
  for (const char* key : {"$id", "__id"}) {
    SCOPED_TRACE(key);
    ast::Query q = MustParse(std::string(R"({"labels":["ACCOUNT"],"where":{")") + key +
                             R"(":"@acme"}})");
    ASSERT_EQ(q.where.entries.size(), 1u);
    EXPECT_EQ(q.where.entries[0].kind, WhereNode::Kind::kId);
    EXPECT_EQ(q.where.entries[0].criterion.op, CompareOp::kEq);
    EXPECT_EQ(q.where.entries[0].criterion.arg.string, "@acme");
  }
  // (b) and (c): $id inside blocks is a local criterion.
  ast::Query q = MustParse(R"({"labels": ["INVOICE"],
 "where": {"SUBSCRIPTION": {"$relation": {"type": "HAS_INVOICE", "direction": "in"},
                            "ACCOUNT": {"$relation": {"type": "HAS_SUBSCRIPTION", "direction": "in"}, "$id": "@acme"}},
           "status": "overdue"}})");
  ASSERT_EQ(q.where.entries.size(), 2u);
  const ast::Block& sub = q.where.entries[0].AsBlock();
  EXPECT_EQ(sub.relation.direction, Direction::kIn);
  const ast::Block& acc = sub.row_level.entries[0].AsBlock();
  EXPECT_EQ(acc.relation.direction, Direction::kIn);
  ASSERT_EQ(acc.local.entries.size(), 1u);
  EXPECT_EQ(acc.local.entries[0].kind, WhereNode::Kind::kId);
  EXPECT_EQ(acc.local.entries[0].path, "/where/SUBSCRIPTION/ACCOUNT/$id");
  EXPECT_EQ(q.where.entries[1].field, "status");

  q = MustParse(R"({"where":{"$id":{"$in":["a","b"]},"__id":{"$startsWith":"0195"}}})");
  ASSERT_EQ(q.where.entries.size(), 2u);
  EXPECT_EQ(q.where.entries[0].criterion.op, CompareOp::kIn);
  EXPECT_EQ(q.where.entries[1].criterion.op, CompareOp::kStartsWith);
}

TEST(ParserTest, E6E7RelationForms) {
  struct {
    const char* x;
    std::vector<std::string> types;
    Direction direction;
  } cases[] = {
      {R"({"$relation": {"type": "BELONGS_TO", "direction": "out"}})", {"BELONGS_TO"}, Direction::kOut},
      {R"({"$relation": {"type": "BELONGS_TO", "direction": "in"}})", {"BELONGS_TO"}, Direction::kIn},
      {R"({"$relation": "BELONGS_TO"})", {"BELONGS_TO"}, Direction::kAny},
      {R"({"$relation": {"direction": "in"}})", {}, Direction::kIn},
      {R"({})", {}, Direction::kAny},
      {R"({"$relation": {"type": "A|B"}})", {"A", "B"}, Direction::kAny},
      {R"({"$relation": "A||B|"})", {"A", "B"}, Direction::kAny},
      {R"({"$relation": null})", {}, Direction::kAny},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.x);
    ast::Query q = MustParse(std::string(R"({"labels": ["USER"], "where": {"ACCOUNT": )") + c.x + "}}");
    ASSERT_EQ(q.where.entries.size(), 1u);
    ASSERT_EQ(q.where.entries[0].kind, WhereNode::Kind::kBlock);
    const ast::Block& b = q.where.entries[0].AsBlock();
    EXPECT_EQ(b.label, "ACCOUNT");
    EXPECT_EQ(b.relation.types, c.types);
    EXPECT_EQ(b.relation.direction, c.direction);
    EXPECT_FALSE(b.relation.hops.has_value());
    EXPECT_TRUE(b.local.entries.empty());
    EXPECT_TRUE(b.row_level.entries.empty());
  }
  ast::Query q = MustParse(R"({"id": "@acme", "labels": ["USER"]})");
  EXPECT_EQ(q.related_id, "@acme");
}

TEST(ParserTest, E8toE13FieldOperators) {
  struct {
    const char* where;
    CompareOp op;
    Argument::Kind kind;
  } cases[] = {
      {R"({"subject": {"$contains": "RENEWAL"}})", CompareOp::kContains, Argument::Kind::kString},
      {R"({"subject": {"$startsWith": "renewal"}})", CompareOp::kStartsWith, Argument::Kind::kString},
      {R"({"subject": {"$endsWith": "DEMO"}})", CompareOp::kEndsWith, Argument::Kind::kString},
      {R"({"channel": "email"})", CompareOp::kEq, Argument::Kind::kString},
      {R"({"tags": {"$ne": "priority"}})", CompareOp::kNe, Argument::Kind::kString},
      {R"({"tags": {"$nin": ["priority"]}})", CompareOp::kNin, Argument::Kind::kList},
      {R"({"tags": {"$exists": true}})", CompareOp::kExists, Argument::Kind::kBoolean},
      {R"({"region": {"$exists": false}})", CompareOp::kExists, Argument::Kind::kBoolean},
      {R"({"region": null})", CompareOp::kEq, Argument::Kind::kNull},
      {R"({"region": {"$eq": null}})", CompareOp::kEq, Argument::Kind::kNull},
      {R"({"region": {"$ne": null}})", CompareOp::kNe, Argument::Kind::kNull},
      {R"({"mrr": 1200})", CompareOp::kEq, Argument::Kind::kNumber},
      {R"({"mrr": "1200"})", CompareOp::kEq, Argument::Kind::kString},
      {R"({"active": true})", CompareOp::kEq, Argument::Kind::kBoolean},
      {R"({"mrr": {"$gt": 1000}})", CompareOp::kGt, Argument::Kind::kNumber},
      {R"({"month": {"$in": ["2025-02", "2025-03"]}})", CompareOp::kIn, Argument::Kind::kList},
      {R"({"renewsAt": {"$lt": "2026-01-01"}})", CompareOp::kLt, Argument::Kind::kInstant},
      {R"({"createdAt": "2024-01-15"})", CompareOp::kEq, Argument::Kind::kString},
      {R"({"createdAt": {"$type": "datetime"}})", CompareOp::kType, Argument::Kind::kString},
      {R"({"paidAt": {"$type": "null"}})", CompareOp::kType, Argument::Kind::kString},
      {R"({"createdAt": {"$eq": {"$year": 2024}}})", CompareOp::kEq, Argument::Kind::kInstant},
      {R"({"createdAt": {"$ne": {"$year": 2024}}})", CompareOp::kNe, Argument::Kind::kInstant},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.where);
    ast::Query q = MustParse(std::string(R"({"where": )") + c.where + "}");
    ASSERT_EQ(q.where.entries.size(), 1u);
    const WhereNode& n = q.where.entries[0];
    EXPECT_EQ(n.kind, WhereNode::Kind::kField);
    EXPECT_EQ(n.criterion.kind, Criterion::Kind::kCompare);
    EXPECT_EQ(n.criterion.op, c.op);
    EXPECT_EQ(n.criterion.arg.kind, c.kind);
  }
}

TEST(ParserTest, E9ArrayLiteralIsAnd) {
  ast::Query q = MustParse(R"({"where": {"tags": ["software", "priority"]}})");
  const Criterion& c = q.where.entries[0].criterion;
  ASSERT_EQ(c.kind, Criterion::Kind::kAnd);
  ASSERT_EQ(c.children.size(), 2u);
  EXPECT_EQ(c.children[0].op, CompareOp::kEq);
  EXPECT_EQ(c.children[0].arg.string, "software");
  EXPECT_EQ(c.children[1].arg.string, "priority");
  EXPECT_EQ(c.children[1].path, "/where/tags/1");
}

TEST(ParserTest, E10NullsAndNot) {
  ast::Query q = MustParse(R"({"where": {"region": {"$in": ["EU", null]}}})");
  const Argument& a = q.where.entries[0].criterion.arg;
  EXPECT_TRUE(a.contains_null);
  ASSERT_EQ(a.items.size(), 1u);
  EXPECT_EQ(a.items[0].string, "EU");

  q = MustParse(R"({"where": {"x": {"$in": [null]}}})");
  EXPECT_TRUE(q.where.entries[0].criterion.arg.contains_null);
  EXPECT_TRUE(q.where.entries[0].criterion.arg.items.empty());

  q = MustParse(R"({"where": {"$not": {"region": "EU"}}})");
  ASSERT_EQ(q.where.entries.size(), 1u);
  const WhereNode& n = q.where.entries[0];
  EXPECT_EQ(n.kind, WhereNode::Kind::kNot);
  ASSERT_EQ(n.children.size(), 1u);
  EXPECT_EQ(n.children[0].kind, WhereNode::Kind::kAnd);
  EXPECT_EQ(n.children[0].path, "/where/$not/region");
  ASSERT_EQ(n.children[0].children.size(), 1u);
  EXPECT_EQ(n.children[0].children[0].field, "region");
}

TEST(ParserTest, E12DatetimeArguments) {
  ast::Query q = MustParse(R"({"where": {"createdAt": {"$gte": {"$year": 2024}, "$lt": {"$year": 2025}}}})");
  const Criterion& c = q.where.entries[0].criterion;
  ASSERT_EQ(c.kind, Criterion::Kind::kAnd);
  ASSERT_EQ(c.children.size(), 2u);
  EXPECT_EQ(c.children[0].op, CompareOp::kGte);
  EXPECT_EQ(c.children[0].arg.instant, At("2024-01-01"));
  EXPECT_EQ(c.children[1].op, CompareOp::kLt);
  EXPECT_EQ(c.children[1].arg.instant, At("2025-01-01"));

  q = MustParse(R"({"where": {"createdAt": {"$year": 2024, "$month": 2, "$day": 29}}})");
  const Criterion& eq = q.where.entries[0].criterion;
  EXPECT_EQ(eq.kind, Criterion::Kind::kCompare);
  EXPECT_EQ(eq.op, CompareOp::kEq);
  EXPECT_EQ(eq.arg.kind, Argument::Kind::kInstant);
  EXPECT_EQ(eq.arg.instant, At("2024-02-29"));
  EXPECT_EQ(eq.path, "/where/createdAt");

  q = MustParse(R"({"where": {"createdAt": {"$year": 2024, "$month": 3, "$day": 5, "$hour": 6,
      "$minute": 7, "$second": 8, "$millisecond": 9, "$microsecond": 10, "$nanosecond": 11}}})");
  EXPECT_EQ(q.where.entries[0].criterion.arg.instant, At("2024-03-05T06:07:08.009010011Z"));

  q = MustParse(R"({"where": {"createdAt": {"$gte": "2024-02-29T09:00:00Z", "$lt": "2024-03-01"}}})");
  const Criterion& range = q.where.entries[0].criterion;
  EXPECT_EQ(range.children[0].arg.string, "2024-02-29T09:00:00Z");
  EXPECT_EQ(range.children[0].arg.instant, At("2024-02-29T09:00:00Z"));
  EXPECT_EQ(range.children[1].arg.instant, At("2024-03-01"));

  // Grammar-valid but unparsable: accepted, never satisfied (D15).
  q = MustParse(R"({"where": {"t": {"$lt": "2024-01-15T10:00:"}}})");
  EXPECT_EQ(q.where.entries[0].criterion.arg.kind, Argument::Kind::kInstant);
  EXPECT_FALSE(q.where.entries[0].criterion.arg.instant.has_value());

  q = MustParse(R"({"where": {"t": {"$in": [{"$year": 2024}, {"$year": 2025, "$month": 6}]}}})");
  const Argument& list = q.where.entries[0].criterion.arg;
  ASSERT_EQ(list.items.size(), 2u);
  EXPECT_EQ(list.items[1].instant, At("2025-06-01"));
}

TEST(ParserTest, E14E15E16LogicalGroups) {
  ast::Query q = MustParse(
      R"({"where": {"$xor": [{"plan": "enterprise"}, {"region": "EU"}, {"mrr": {"$gte": 1000}}]}})");
  const WhereNode& x = q.where.entries[0];
  EXPECT_EQ(x.kind, WhereNode::Kind::kXor);
  ASSERT_EQ(x.children.size(), 3u);
  EXPECT_EQ(x.children[2].path, "/where/$xor/2");
  EXPECT_EQ(x.children[2].children[0].criterion.path, "/where/$xor/2/mrr/$gte");

  q = MustParse(
      R"({"where": {"$or": [{"TOUCHPOINT": {"channel": "demo"}}, {"SUBSCRIPTION": {"status": "trial"}}]}})");
  const WhereNode& o = q.where.entries[0];
  EXPECT_EQ(o.kind, WhereNode::Kind::kOr);
  ASSERT_EQ(o.children.size(), 2u);
  EXPECT_EQ(o.children[0].children[0].kind, WhereNode::Kind::kBlock);
  EXPECT_EQ(o.children[0].children[0].AsBlock().path, "/where/$or/0/TOUCHPOINT");
  EXPECT_EQ(o.children[0].children[0].AsBlock().depth, 1);
  std::vector<const ast::Block*> blocks;
  ast::CollectBlocks(q.where, &blocks);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0]->label, "TOUCHPOINT");
  EXPECT_EQ(blocks[1]->label, "SUBSCRIPTION");
  EXPECT_EQ(blocks[1]->local.entries[0].field, "status");

  q = MustParse(R"({"where": {"$nor": [{"SUBSCRIPTION": {"status": "active"}}, {"mrr": {"$lt": 200}}]}})");
  EXPECT_EQ(q.where.entries[0].kind, WhereNode::Kind::kNor);
  EXPECT_EQ(q.where.entries[0].children[1].children[0].kind, WhereNode::Kind::kField);

  // Object form → one-key elements in key order; empty groups vanish.
  q = MustParse(R"({"where": {"$or": {"a": 1, "b": 2}, "$and": [], "$nor": {}, "c": {"$or": []}}})");
  ASSERT_EQ(q.where.entries.size(), 1u);
  ASSERT_EQ(q.where.entries[0].children.size(), 2u);
  EXPECT_EQ(q.where.entries[0].children[0].path, "/where/$or/a");
  EXPECT_EQ(q.where.entries[0].children[1].children[0].field, "b");

  // An empty element object is kept (TRUE).
  q = MustParse(R"({"where": {"$or": [{}, {"a": 1}]}})");
  ASSERT_EQ(q.where.entries[0].children.size(), 2u);
  EXPECT_TRUE(q.where.entries[0].children[0].children.empty());
}

TEST(ParserTest, FieldLevelLogic) {
  // parseQuery.spec.ts case 2.
  ast::Query q = MustParse(
      R"({"where": {"rating": {"$or": [{"$and": [{"$gt": 4.5}, {"$lt": 6}]}, {"$ne": 3}, {"$not": {"$gte": 4}}]}}})");
  const Criterion& c = q.where.entries[0].criterion;
  ASSERT_EQ(c.kind, Criterion::Kind::kOr);
  EXPECT_EQ(c.path, "/where/rating/$or");
  ASSERT_EQ(c.children.size(), 3u);
  EXPECT_EQ(c.children[0].kind, Criterion::Kind::kAnd);
  ASSERT_EQ(c.children[0].children.size(), 2u);
  EXPECT_EQ(c.children[0].children[0].op, CompareOp::kGt);
  EXPECT_EQ(c.children[0].children[0].arg.number, 4.5);
  EXPECT_EQ(c.children[1].op, CompareOp::kNe);
  EXPECT_EQ(c.children[2].kind, Criterion::Kind::kNot);
  ASSERT_EQ(c.children[2].children.size(), 1u);
  EXPECT_EQ(c.children[2].children[0].op, CompareOp::kGte);
  EXPECT_EQ(c.children[2].children[0].path, "/where/rating/$or/2/$not/$gte");

  q = MustParse(R"({"where": {"budget": {"$xor": {"$lte": 10, "$gte": 15}}, "stage": {"$or": ["seed", "roundA"]}}})");
  const Criterion& xr = q.where.entries[0].criterion;
  ASSERT_EQ(xr.kind, Criterion::Kind::kXor);
  ASSERT_EQ(xr.children.size(), 2u);
  EXPECT_EQ(xr.children[0].op, CompareOp::kLte);
  EXPECT_EQ(xr.children[0].path, "/where/budget/$xor/$lte");
  EXPECT_EQ(xr.children[1].op, CompareOp::kGte);
  const Criterion& st = q.where.entries[1].criterion;
  ASSERT_EQ(st.kind, Criterion::Kind::kOr);
  EXPECT_EQ(st.children[1].arg.string, "roundA");

  // Mixed comparison + logical keys = AND of all (D8).
  q = MustParse(R"({"where": {"x": {"$gt": 1, "$or": [{"$lt": 0}, 5], "$exists": true}}})");
  const Criterion& m = q.where.entries[0].criterion;
  ASSERT_EQ(m.kind, Criterion::Kind::kAnd);
  ASSERT_EQ(m.children.size(), 3u);
  EXPECT_EQ(m.children[0].op, CompareOp::kGt);
  EXPECT_EQ(m.children[1].kind, Criterion::Kind::kOr);
  EXPECT_EQ(m.children[2].op, CompareOp::kExists);

  // $not with a component object in object form keeps the instant together.
  q = MustParse(R"({"where": {"d": {"$not": {"$year": 2024, "$month": 5}}}})");
  const Criterion& nd = q.where.entries[0].criterion;
  ASSERT_EQ(nd.kind, Criterion::Kind::kNot);
  ASSERT_EQ(nd.children.size(), 1u);
  EXPECT_EQ(nd.children[0].arg.instant, At("2024-05-01"));
}

TEST(ParserTest, E17NegatedNestedBlock) {
  ast::Query q = MustParse(
      R"({"labels": ["ACCOUNT"], "where": {"$not": {"USER": {"SUPPORT_TICKET": {"status": "open"}}}}})");
  const WhereNode& n = q.where.entries[0];
  ASSERT_EQ(n.kind, WhereNode::Kind::kNot);
  const WhereNode& user_node = n.children[0].children[0];
  ASSERT_EQ(user_node.kind, WhereNode::Kind::kBlock);
  const ast::Block& user = user_node.AsBlock();
  EXPECT_EQ(user.path, "/where/$not/USER");
  EXPECT_TRUE(user.local.entries.empty());
  ASSERT_EQ(user.row_level.entries.size(), 1u);
  const ast::Block& ticket = user.row_level.entries[0].AsBlock();
  EXPECT_EQ(ticket.label, "SUPPORT_TICKET");
  EXPECT_EQ(ticket.depth, 2);
  ASSERT_EQ(ticket.local.entries.size(), 1u);

  q = MustParse(
      R"({"labels": ["ACCOUNT"], "where": {"$not": {"SUPPORT_TICKET": {"$relation": {"hops": 2}, "status": "open"}}}})");
  const ast::Block& b = q.where.entries[0].children[0].children[0].AsBlock();
  ASSERT_TRUE(b.relation.hops.has_value());
  EXPECT_EQ(b.relation.hops->min, 2);
  EXPECT_EQ(b.relation.hops->max, 2);
  EXPECT_TRUE(b.relation.types.empty());
  EXPECT_EQ(b.relation.direction, Direction::kAny);
}

TEST(ParserTest, E18Hops) {
  struct {
    const char* h;
    int min, max;
  } cases[] = {{R"({"max": 2})", 1, 2}, {"3", 3, 3}, {R"({"min": 2, "max": 3})", 2, 3},
               {R"({"min": 10, "max": 10.0})", 10, 10}, {"1", 1, 1}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.h);
    ast::Query q = MustParse(
        std::string(R"({"labels": ["ACCOUNT"], "where": {"ACCOUNT": {"$relation": {"type": "REFERRED", "direction": "out", "hops": )") +
        c.h + R"(}, "name": "Hooli"}}})");
    const ast::Block& b = q.where.entries[0].AsBlock();
    ASSERT_TRUE(b.relation.hops.has_value());
    EXPECT_EQ(b.relation.hops->min, c.min);
    EXPECT_EQ(b.relation.hops->max, c.max);
    EXPECT_EQ(b.relation.direction, Direction::kOut);
    EXPECT_EQ(b.relation.types, std::vector<std::string>{"REFERRED"});
    EXPECT_EQ(b.local.entries[0].field, "name");
  }
  // An unknown direction is an error with or without hops (RushDB reads it
  // as "either direction" without hops; loom refuses the silent widening).
  auto bad = ParseQuery(Json::parse(R"({"where": {"ACCOUNT": {"$relation": {"type": "REFERRED", "direction": "OUT"}}}})"));
  EXPECT_EQ(GetErrorCode(bad.status()), ErrorCode::kInvalidQuery);
  EXPECT_EQ(ErrorPath(bad.status()), std::optional<std::string>("/where/ACCOUNT/$relation/direction"));
}

TEST(ParserTest, E19Cycles) {
  ast::Query q = MustParse(
      R"({"labels": ["ACCOUNT"], "where": {"$cycle": {"type": "RESELLS_TO", "direction": "out", "hops": {"max": 4}}}})");
  const WhereNode& n = q.where.entries[0];
  ASSERT_EQ(n.kind, WhereNode::Kind::kCycle);
  EXPECT_EQ(n.cycle.types, std::vector<std::string>{"RESELLS_TO"});
  EXPECT_EQ(n.cycle.direction, Direction::kOut);
  EXPECT_EQ(n.cycle.hops.min, 2);
  EXPECT_EQ(n.cycle.hops.max, 4);
  EXPECT_EQ(n.cycle.path, "/where/$cycle");

  q = MustParse(R"({"where": {"$not": {"$cycle": {"hops": {"min": 2, "max": 2}}}}})");
  EXPECT_EQ(q.where.entries[0].children[0].children[0].kind, WhereNode::Kind::kCycle);
  EXPECT_EQ(q.where.entries[0].children[0].children[0].cycle.direction, Direction::kAny);

  q = MustParse(
      R"({"labels": ["USER"], "where": {"ACCOUNT": {"$cycle": {"type": "RESELLS_TO", "direction": "out", "hops": {"max": 4}}}}})");
  const ast::Block& acc = q.where.entries[0].AsBlock();
  EXPECT_TRUE(acc.local.entries.empty());
  ASSERT_EQ(acc.row_level.entries.size(), 1u);
  EXPECT_EQ(acc.row_level.entries[0].kind, WhereNode::Kind::kCycle);
  EXPECT_EQ(acc.row_level.entries[0].cycle.path, "/where/ACCOUNT/$cycle");

  q = MustParse(R"({"where": {"$and": [{"$cycle": {"hops": 3}}, {"$cycle": {"hops": {"min": 5, "max": 6}}}]}})");
  ASSERT_EQ(q.where.entries[0].children.size(), 2u);
  EXPECT_EQ(q.where.entries[0].children[0].children[0].cycle.hops.max, 3);
  EXPECT_EQ(q.where.entries[0].children[0].children[0].cycle.hops.min, 3);
}

TEST(ParserTest, LocalVersusRowLevelSplit) {
  // parseQuery.spec.ts case 7 (§6.4).
  ast::Query q = MustParse(
      R"({"where": {"CAR": {"color": "red", "$alias": "$car",
                            "$xor": [{"SPOUSE": {"name": "x"}}, {"title": {"$ne": "Forest"}}],
                            "$or": [{"a": 1}, {"$and": [{"b": 2}, {"$id": "z"}]}],
                            "$nor": [{"$cycle": {"hops": 3}}],
                            "$id": {"$in": ["q"]},
                            "ENGINE": {}}}})");
  const ast::Block& car = q.where.entries[0].AsBlock();
  EXPECT_EQ(car.alias, "$car");
  ASSERT_EQ(car.local.entries.size(), 3u);
  EXPECT_EQ(car.local.entries[0].field, "color");
  EXPECT_EQ(car.local.entries[1].kind, WhereNode::Kind::kOr);
  EXPECT_EQ(car.local.entries[2].kind, WhereNode::Kind::kId);
  ASSERT_EQ(car.row_level.entries.size(), 3u);
  EXPECT_EQ(car.row_level.entries[0].kind, WhereNode::Kind::kXor);
  EXPECT_EQ(car.row_level.entries[1].kind, WhereNode::Kind::kNor);
  EXPECT_EQ(car.row_level.entries[2].kind, WhereNode::Kind::kBlock);
  std::vector<const ast::Block*> children;
  ast::CollectBlocks(car.row_level, &children);
  ASSERT_EQ(children.size(), 2u);
  EXPECT_EQ(children[0]->label, "SPOUSE");
  EXPECT_EQ(children[0]->path, "/where/CAR/$xor/0/SPOUSE");
  EXPECT_EQ(children[0]->depth, 2);
  EXPECT_EQ(children[1]->label, "ENGINE");
}

TEST(ParserTest, NonCriteriaObjectsAreTraversals) {
  // §3 consequence: address: {city: "X"} is a block labelled "address".
  ast::Query q = MustParse(R"({"where": {"address": {"city": "X"}, "empty": {}}})");
  ASSERT_EQ(q.where.entries.size(), 2u);
  EXPECT_EQ(q.where.entries[0].kind, WhereNode::Kind::kBlock);
  EXPECT_EQ(q.where.entries[0].AsBlock().label, "address");
  EXPECT_EQ(q.where.entries[1].AsBlock().label, "empty");
  // Aliases on distinct blocks, including inside logical groups.
  q = MustParse(R"({"where": {"A": {"$alias": "$a"}, "$or": [{"B": {"$alias": "$b"}}]}})");
  EXPECT_EQ(q.where.entries[0].AsBlock().alias, "$a");
}

TEST(ParserTest, ParseWhereAtBasePath) {
  absl::StatusOr<Json> j = ReadQueryJson(R"({"name": {"$gte": true}})");
  ASSERT_TRUE(j.ok());
  absl::StatusOr<ast::Where> w = ParseWhere(*j, "/source/where");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(PathOf(w.status()), "/source/where/name/$gte");

  j = ReadQueryJson(R"({"name": "x", "USER": {"age": 3}})");
  w = ParseWhere(*j, "/where");
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->path, "/where");
  ASSERT_EQ(w->entries.size(), 2u);
  EXPECT_EQ(w->entries[1].AsBlock().path, "/where/USER");
}

TEST(WhereOpsTest, RegistryCoversTheVocabulary) {
  for (const char* name : {"$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "$contains",
                           "$startsWith", "$endsWith", "$exists", "$year", "$month", "$day",
                           "$hour", "$minute", "$second", "$millisecond", "$microsecond",
                           "$nanosecond", "$type", "$and", "$or", "$not", "$nor", "$xor", "$id",
                           "$cycle", "$relation", "$alias"}) {
    SCOPED_TRACE(name);
    ASSERT_NE(FindWhereOp(name), nullptr);
    EXPECT_EQ(FindWhereOp(name)->name, name);
  }
  EXPECT_EQ(AllWhereOps().size(), 31u);
  EXPECT_EQ(FindWhereOp("$regex"), nullptr);
  EXPECT_EQ(FindWhereOp("$GTE"), nullptr);
  EXPECT_EQ(FindWhereOp("$gte")->index_use, IndexUse::kRangeLow);
  EXPECT_EQ(FindWhereOp("$startsWith")->index_use, IndexUse::kPrefix);
  EXPECT_EQ(FindWhereOp("$xor")->logical, Criterion::Kind::kXor);
}

}  // namespace

TEST(ParserTest, UnknownTopLevelKeysWarnOrFailWhenStrict) {
  ast::Query q = MustParse(R"({"labels": ["A"], "wher": {"n": 1}, "limt": 3, "page": 2})");
  ASSERT_EQ(q.warnings.size(), 3u);
  EXPECT_EQ(q.warnings[0].path, "/wher");
  EXPECT_EQ(q.warnings[0].message, R"(unknown key "wher" is ignored (did you mean "where"?))");
  EXPECT_EQ(q.warnings[1].message, R"(unknown key "limt" is ignored (did you mean "limit"?))");
  EXPECT_EQ(q.warnings[2].message, R"(unknown key "page" is ignored)");
  EXPECT_TRUE(MustParse(R"({"labels": ["A"], "where": {}})").warnings.empty());
  ParseOptions strict;
  strict.strict = true;
  auto s = ParseQuery(Json::parse(R"({"wher": {}})"), strict);
  EXPECT_EQ(GetErrorCode(s.status()), ErrorCode::kInvalidQuery);
  EXPECT_EQ(ErrorPath(s.status()), std::optional<std::string>("/wher"));
  auto in_query = ParseQuery(Json::parse(R"({"strict": true, "wher": {}})"));  // a query may ask for it
  EXPECT_EQ(ErrorPath(in_query.status()), std::optional<std::string>("/wher"));
  EXPECT_EQ(ErrorPath(ParseQuery(Json::parse(R"({"strict": "yes"})")).status()), std::optional<std::string>("/strict"));
}

}  // namespace loom::query
