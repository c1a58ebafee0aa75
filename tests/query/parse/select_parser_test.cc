// select / groupBy / aggregate parsing (spec/query.md §11, §12, §15): the
// AST it builds and every error of the §18 catalogue with the JSON Pointer
// of the offending node.
#include "query/parse/select_parser.h"

#include <string>

#include "gtest/gtest.h"
#include "loom/status.h"
#include "query/functions/aggregates.h"
#include "query/parse/parser.h"
#include "query/parse/select_ast.h"

namespace loom::query {
namespace {

using ast::Expr;

absl::StatusOr<ast::Query> Parse(const std::string& text) { return ParseQuery(Json::parse(text)); }

const ast::Select& SelectOf(const absl::StatusOr<ast::Query>& q) {
  static const ast::Select kNone;
  EXPECT_TRUE(q.ok()) << q.status();
  if (!q.ok() || q->output == nullptr) return kNone;
  return *q->output;
}

TEST(SelectParserTest, ListingQueriesHaveNoOutputClause) {
  auto q = Parse(R"({"labels": ["A"], "select": {}, "groupBy": ["$record.x"]})");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->output, nullptr);  // an empty select counts as absent; groupBy alone is ignored
}

TEST(SelectParserTest, ExpressionKindsAndEvaluationOrder) {
  auto q = Parse(R"({"where": {"USER": {"$alias": "$u"}}, "select": {
      "half": {"$divide": [{"$ref": "n"}, 2]}, "n": {"$count": "*"}, "name": "$u.name", "u": "$u",
      "one": 1, "avg": {"$avg": "$record.x", "$precision": 2},
      "b": {"$timeBucket": {"field": "$record.at", "unit": "months", "size": 3}},
      "c": {"$collect": {"from": "$u", "select": {"n": "$u.name"}, "limit": 5000, "skip": -2}}}})");
  const ast::Select& s = SelectOf(q);
  ASSERT_EQ(s.items.size(), 8u);
  EXPECT_EQ(s.items[0].expr.kind, Expr::Kind::kMath);
  EXPECT_TRUE(s.items[0].expr.aggregate_level);  // math over a $ref to an aggregate
  EXPECT_EQ(s.items[1].expr.function, FindAggregate("$count"));
  EXPECT_TRUE(s.items[1].expr.args.empty());     // "*"
  EXPECT_TRUE(s.items[2].plain_ref);
  EXPECT_EQ(s.items[2].expr.alias, "$u");
  EXPECT_EQ(s.items[2].expr.field, "name");
  EXPECT_EQ(s.items[3].expr.kind, Expr::Kind::kRecord);
  EXPECT_TRUE(s.items[4].expr.literal.is_number_integer());
  EXPECT_EQ(s.items[5].expr.precision, 2);
  EXPECT_EQ(s.items[6].expr.unit, ast::TimeUnit::kMonth);
  EXPECT_EQ(s.items[6].expr.size, 3);
  const ast::Collect& c = s.items[7].expr.collect[0];
  EXPECT_EQ(c.limit, 100);  // the helper pagination: > 1000 becomes 100
  EXPECT_EQ(c.skip, 0);     // negative becomes 0
  EXPECT_TRUE(c.unique);
  // `half` refers forward to `n`: evaluated after it.
  ASSERT_EQ(s.eval_order.size(), 8u);
  EXPECT_EQ(s.eval_order[0], 1);
  EXPECT_EQ(s.eval_order[1], 0);
  EXPECT_TRUE(s.has_aggregates);
  EXPECT_FALSE(s.grouped);
}

TEST(SelectParserTest, GroupByEntries) {
  auto q = Parse(R"({"select": {"total": {"$sum": "$record.mrr"}, "region": "$record.region"},
                     "groupBy": ["region", "total", "$record.plan"]})");
  const ast::Select& s = SelectOf(q);
  ASSERT_TRUE(s.grouped);
  ASSERT_EQ(s.group_by.size(), 3u);
  EXPECT_EQ(s.group_by[0].kind, ast::GroupEntry::Kind::kDimension);  // D1
  EXPECT_EQ(s.group_by[0].output_key, "region");
  EXPECT_EQ(s.group_by[1].kind, ast::GroupEntry::Kind::kMarker);
  EXPECT_EQ(s.group_by[2].kind, ast::GroupEntry::Kind::kDimension);
  EXPECT_EQ(s.group_by[2].output_key, "plan");
}

TEST(SelectParserTest, LegacyAggregateBecomesTheSameAst) {
  auto q = Parse(R"({"aggregate": {"sim": {"fn": "vector.similarity.euclidean", "field": "v", "query": [1, 2]},
      "n": {"fn": "count", "unique": false}, "tb": {"fn": "timeBucket", "field": "at", "granularity": "week"},
      "names": {"fn": "collect", "field": "name"}, "name": "$record.name"}})");
  const ast::Select& s = SelectOf(q);
  ASSERT_EQ(s.items.size(), 5u);
  EXPECT_TRUE(s.legacy);
  EXPECT_EQ(s.items[0].expr.kind, Expr::Kind::kSimilarity);
  EXPECT_EQ(s.items[0].expr.similarity, ast::Similarity::kEuclidean);
  EXPECT_FALSE(s.items[1].expr.distinct_rows);
  EXPECT_TRUE(s.items[2].expr.iso_output);
  EXPECT_EQ(s.items[3].expr.collect[0].values_of, std::optional<std::string>("name"));
  EXPECT_TRUE(s.items[4].plain_ref);
}

struct ErrorCase {
  const char* query;
  const char* path;
};

// §18: select and groupBy errors, each with the pointer of the bad node.
TEST(SelectParserTest, ErrorCatalogue) {
  const ErrorCase cases[] = {
      {R"({"select": {"a": "name"}})", "/select/a"},                               // string literal
      {R"({"select": {"a": "$nobody.name"}})", "/select/a"},                       // unknown alias
      {R"({"select": {"a": "$record."}})", "/select/a"},                           // empty field
      {R"({"select": {"a": {"$median": "$record.x"}}})", "/select/a/$median"},     // unknown operator
      {R"({"select": {"a": {"$add": ["$record.x"]}}})", "/select/a/$add"},         // one operand
      {R"({"select": {"a": {"$add": [1, 2, 3]}}})", "/select/a/$add"},             // three operands
      {R"({"select": {"a": {"$avg": "$record.x", "$precision": -1}}})", "/select/a/$precision"},
      {R"({"select": {"a": {"$avg": "$record.x", "$precision": 1.5}}})", "/select/a/$precision"},
      {R"({"select": {"a": {"$sum": "$record.x", "$precision": 1}}})", "/select/a/$precision"},
      {R"({"select": {"a": {"$ref": "b"}}})", "/select/a/$ref"},                   // unknown key
      {R"({"select": {"a": {"$ref": "b"}, "b": {"$ref": "a"}}})", "/select/a"},    // cycle
      {R"({"select": {"a": {"$sum": {"$count": "*"}}}})", "/select/a/$sum"},       // nested aggregate
      {R"({"select": {"a": {"$sum": "*"}}})", "/select/a/$sum"},
      {R"({"select": {"a": {"$collect": {}}}})", "/select/a/$collect"},            // neither from nor label
      {R"({"select": {"a": {"$collect": {"from": "$u"}}}})", "/select/a/$collect/from"},
      {R"({"where": {"USER": {"$alias": "$u"}}, "select": {"a": {"$collect": {"from": "$u", "select": {"k": 1}}}}})",
       "/select/a/$collect/select/k"},                                            // non-ref in alias form
      {R"({"select": {"a": {"$collect": {"label": "T", "where": {"U": {}}}}}})", "/select/a/$collect/where/U"},
      {R"({"select": {"a": {"$timeBucket": {"field": "$record.at", "unit": "fortnight"}}}})",
       "/select/a/$timeBucket/unit"},
      {R"({"select": {"a": {"$timeBucket": {"field": "$record.at", "unit": "hours"}}}})", "/select/a/$timeBucket/size"},
      {R"({"select": {"a": {"$timeBucket": {"field": "$record.at", "unit": "days", "size": 2}}}})",
       "/select/a/$timeBucket/unit"},                                             // no sized days in §11.9
      {R"({"select": {"a": {"$timeBucket": {"field": "$record", "unit": "day"}}}})", "/select/a/$timeBucket/field"},
      {R"({"select": {"a": {"$collect": {"label": "T"}}}, "groupBy": ["a"]})", "/groupBy"},
      {R"({"select": {"a": {"$count": "*"}}, "groupBy": ["$record"]})", "/groupBy/0"},      // alias only
      {R"({"select": {"a": {"$count": "*"}}, "groupBy": ["$x.y"]})", "/groupBy/0"},         // unknown alias
      {R"({"select": {"a": {"$count": "*"}}, "groupBy": ["b"]})", "/groupBy/0"},            // not a select key
      {R"({"where": {"U": {"$alias": "$u"}}, "select": {"a": {"$count": "*"}},
           "groupBy": ["$record.name", "$u.name"]})", "/groupBy/1"},                       // duplicate output key
      {R"({"select": {"a": {"$count": "*"}}, "aggregate": {"b": "$record.x"}})", "/select"},
      {R"({"aggregate": {"b": {"fn": "median", "field": "x"}}})", "/aggregate/b/fn"},
      {R"({"aggregate": {"b": {"fn": "sum"}}})", "/aggregate/b/field"},
      {R"({"aggregate": {"b": {"fn": "vector.similarity.cosine", "field": "v", "query": ["a"]}}})",
       "/aggregate/b/query/0"},
  };
  for (const ErrorCase& c : cases) {
    auto q = Parse(c.query);
    EXPECT_EQ(GetErrorCode(q.status()), ErrorCode::kInvalidQuery) << c.query << " -> " << q.status();
    EXPECT_EQ(ErrorPath(q.status()).value_or("<none>"), c.path) << c.query << " -> " << q.status();
  }
}

}  // namespace
}  // namespace loom::query
