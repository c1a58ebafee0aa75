// Planner: source choice from statistics (no storage), the rendered plan, the
// forced alternatives and the index ranges a criterion allows.
#include "query/plan/planner.h"

#include <map>
#include <string>
#include <tuple>

#include "gtest/gtest.h"
#include "query/parse/parser.h"

namespace loom::query::plan {
namespace {

class FakeStats : public PlanStats {
 public:
  uint64_t RecordCount() override { return records; }
  uint64_t LabelCount(std::string_view label) override { return Get(labels, std::string(label)); }
  uint64_t PropertyCount(std::string_view label, std::string_view property) override {
    return Get(props, {std::string(label), std::string(property)});
  }
  uint64_t EdgeCount(std::string_view label, EdgeDir dir, std::string_view type, std::string_view nbr) override {
    if (!type.empty()) return Get(edges, {std::string(label), dir, std::string(type), std::string(nbr)});
    uint64_t any = 0;  // "" = any type
    for (const auto& [key, n] : edges) {
      if (std::get<0>(key) == label && std::get<1>(key) == dir && std::get<3>(key) == nbr) any += n;
    }
    return any;
  }
  // Value counts for string equalities when `values` is not empty (as the
  // storage's index dives give them); otherwise no value statistics.
  std::optional<uint64_t> RangeEntries(std::string_view label, std::string_view property, const KeyRange& range,
                                       uint64_t) override {
    if (values.empty() || !range.low || range.low != range.high) return std::nullopt;
    return Get(values, {std::string(label), std::string(property), std::get<std::string>(*range.low)});
  }

  uint64_t records = 0;
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> values;
  std::map<std::string, uint64_t> labels;
  std::map<std::pair<std::string, std::string>, uint64_t> props;
  std::map<std::tuple<std::string, EdgeDir, std::string, std::string>, uint64_t> edges;

 private:
  template <typename M>
  static uint64_t Get(const M& m, const typename M::key_type& k) {
    auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
  }
};

ast::Query Parse(const char* text) {
  auto json = ReadQueryJson(text);
  EXPECT_TRUE(json.ok()) << json.status();
  auto q = ParseQuery(*json);
  EXPECT_TRUE(q.ok()) << q.status();
  return *q;
}

// A customer-360 shaped catalogue: accounts -> subscriptions -> invoices.
FakeStats Catalogue(uint64_t accounts) {
  FakeStats s;
  s.labels = {{"ACCOUNT", accounts}, {"SUBSCRIPTION", 100000}, {"INVOICE", 1000000}};
  s.records = accounts + 100000 + 1000000;
  s.props[{"ACCOUNT", "email"}] = accounts;
  s.props[{"ACCOUNT", "plan"}] = accounts;
  s.props[{"INVOICE", "status"}] = 1000000;
  s.props[{"INVOICE", "rare"}] = 20;
  s.edges[{"INVOICE", EdgeDir::kIn, "HAS_INVOICE", "SUBSCRIPTION"}] = 1000000;
  s.edges[{"SUBSCRIPTION", EdgeDir::kOut, "HAS_INVOICE", "INVOICE"}] = 1000000;
  s.edges[{"SUBSCRIPTION", EdgeDir::kIn, "HAS_SUBSCRIPTION", "ACCOUNT"}] = 100000;
  s.edges[{"ACCOUNT", EdgeDir::kOut, "HAS_SUBSCRIPTION", "SUBSCRIPTION"}] = 100000;
  return s;
}

constexpr const char* kOverdue =
    R"({"labels": ["ACCOUNT"], "where": {"SUBSCRIPTION": {"$relation": {"type": "HAS_SUBSCRIPTION", "direction": "out"},
        "INVOICE": {"$relation": {"type": "HAS_INVOICE", "direction": "out"}, "status": "overdue"}}}})";

TEST(PlannerTest, SelectiveEqualityUsesTheIndex) {
  FakeStats s = Catalogue(1000000);
  LogicalPlan p = PlanQuery(Parse(R"({"labels": ["ACCOUNT"], "where": {"email": "a@b.c"}})"), s);
  EXPECT_EQ(p.ToText(), R"(Limit(100)<Sort(__id desc, rid order)<Filter(/where)<IndexScan(ACCOUNT.email = "a@b.c"))");
  EXPECT_EQ(p.source.access.kind, Access::Kind::kIndexScan);
  ASSERT_EQ(p.source.access.ranges.size(), 1u);
  EXPECT_EQ(p.source.access.ranges[0].tag, KeyRange::Tag::kString);
}

TEST(PlannerTest, UnindexablePredicateScansTheLabel) {
  FakeStats s = Catalogue(1000000);
  LogicalPlan p = PlanQuery(Parse(R"({"labels": ["ACCOUNT"], "where": {"email": {"$ne": "a@b.c"}}})"), s);
  EXPECT_EQ(p.ToText(), "Limit(100)<Sort(__id desc, rid order)<Filter(/where)<LabelScan(ACCOUNT)");
}

TEST(PlannerTest, NoLabelsNoWhereReadsAllRecords) {
  FakeStats s = Catalogue(10);
  LogicalPlan p = PlanQuery(Parse(R"({"orderBy": {"plan": "asc"}, "skip": 5, "limit": 10})"), s);
  EXPECT_EQ(p.ToText(), "Limit(10, skip 5)<Sort(plan asc)<AllRecords");
  EXPECT_FALSE(p.order_by_rid);
}

TEST(PlannerTest, IdEqualityIsALookup) {
  FakeStats s = Catalogue(1000000);
  LogicalPlan p = PlanQuery(Parse(R"({"labels": ["ACCOUNT"], "where": {"$id": "x", "plan": "pro"}})"), s);
  EXPECT_EQ(p.ToText(), R"(Limit(100)<Sort(__id desc, rid order)<Filter(/where)<IdLookup(__id = "x"))");
  LogicalPlan q = PlanQuery(Parse(R"({"where": {"__id": {"$in": ["x", "y"]}}})"), s);
  EXPECT_EQ(q.source.access.kind, Access::Kind::kIdLookup);
  EXPECT_EQ(q.source.access.ids, (std::vector<std::string>{"x", "y"}));
}

TEST(PlannerTest, SelectiveNestedCriterionRunsBottomUp) {
  FakeStats s = Catalogue(1000000);
  LogicalPlan p = PlanQuery(Parse(kOverdue), s);
  EXPECT_EQ(p.ToText(),
            R"(Limit(100)<Sort(__id desc, rid order)<Filter(/where)<SemiJoin(/where/SUBSCRIPTION, bottom-up)<IndexScan(INVOICE.status = "overdue"))");
  ASSERT_EQ(p.source.steps.size(), 2u);
  EXPECT_EQ(p.source.steps[0].block_label, "INVOICE");
  EXPECT_EQ(p.source.steps[0].direction, ast::Direction::kIn);
  EXPECT_EQ(p.source.steps[0].parent_labels, std::vector<std::string>{"SUBSCRIPTION"});
  EXPECT_EQ(p.source.steps[1].block_label, "SUBSCRIPTION");
  EXPECT_EQ(p.source.steps[1].parent_labels, std::vector<std::string>{"ACCOUNT"});
}

TEST(PlannerTest, FewRootsRunTopDown) {
  FakeStats s = Catalogue(50);
  LogicalPlan p = PlanQuery(Parse(kOverdue), s);
  // 2000 subscriptions per account here: the invoices' status is read as a set.
  EXPECT_EQ(p.ToText(),
            R"(Limit(100)<Sort(__id desc, rid order)<Filter(/where, sets: INVOICE.status = "overdue")<LabelScan(ACCOUNT))");
  // Unselective nested criterion: bottom-up would expand from every invoice.
  FakeStats big = Catalogue(100000);
  LogicalPlan q = PlanQuery(
      Parse(R"({"labels": ["ACCOUNT"], "where": {"SUBSCRIPTION": {"INVOICE": {"status": {"$ne": "paid"}}}}})"), big);
  EXPECT_FALSE(q.source.semi_join) << q.ToText();
}

TEST(PlannerTest, NegatedOrAlternativeBlocksAreNotSemiJoined) {
  FakeStats s = Catalogue(1000000);
  LogicalPlan p = PlanQuery(
      Parse(R"({"labels": ["ACCOUNT"], "where": {"$not": {"SUBSCRIPTION": {"INVOICE": {"rare": "x"}}}}})"), s);
  EXPECT_FALSE(p.source.semi_join);
  LogicalPlan q = PlanQuery(
      Parse(R"({"labels": ["ACCOUNT"], "where": {"$or": [{"SUBSCRIPTION": {"INVOICE": {"rare": "x"}}}, {"plan": "x"}]}})"),
      s);
  EXPECT_FALSE(q.source.semi_join);
  // Positive through $and.
  LogicalPlan r = PlanQuery(
      Parse(R"({"labels": ["ACCOUNT"], "where": {"$and": [{"SUBSCRIPTION": {"INVOICE": {"rare": "x"}}}]}})"), s);
  EXPECT_TRUE(r.source.semi_join) << r.ToText();
}

TEST(PlannerTest, ForcedAlternatives) {
  FakeStats s = Catalogue(50);
  PlanOptions o;
  o.force = SourceChoice::kSemiJoin;
  EXPECT_TRUE(PlanQuery(Parse(kOverdue), s, o).source.semi_join);
  o.force = SourceChoice::kIndex;  // impossible: falls back to the scan
  EXPECT_EQ(PlanQuery(Parse(kOverdue), s, o).source.access.kind, Access::Kind::kLabelScan);
  FakeStats big = Catalogue(1000000);
  o.force = SourceChoice::kScan;
  EXPECT_EQ(PlanQuery(Parse(R"({"labels": ["ACCOUNT"], "where": {"email": "a"}})"), big, o).source.access.kind,
            Access::Kind::kLabelScan);
}

TEST(PlannerTest, HopsBlocksWithSelectiveCriteriaRunBottomUp) {
  FakeStats s = Catalogue(100000);
  LogicalPlan p = PlanQuery(
      Parse(R"({"where": {"ACCOUNT": {"$relation": {"hops": {"min": 1, "max": 4}}, "$id": "x"}}, "limit": 1000})"), s);
  ASSERT_TRUE(p.source.semi_join) << p.ToText();
  EXPECT_TRUE(p.source.exact);
  EXPECT_TRUE(p.source.access.exact);
  ASSERT_EQ(p.source.steps.size(), 1u);
  ASSERT_TRUE(p.source.steps[0].hops.has_value());
  EXPECT_EQ(p.source.steps[0].hops->max, 4);
  EXPECT_TRUE(p.source.steps[0].parent_labels.empty());
}

TEST(PlannerTest, OnlyPlainPositiveChainsAreExact) {
  FakeStats s = Catalogue(1000000);
  PlanOptions o;
  o.force = SourceChoice::kSemiJoin;
  LogicalPlan p = PlanQuery(Parse(kOverdue), s, o);
  ASSERT_TRUE(p.source.semi_join);
  EXPECT_TRUE(p.source.exact);
  // A second row-level entry in the chain: the block must be re-verified.
  LogicalPlan q = PlanQuery(
      Parse(R"({"labels": ["ACCOUNT"], "where": {"SUBSCRIPTION": {"$cycle": {"hops": 2},
          "INVOICE": {"status": "overdue"}}}})"),
      s, o);
  ASSERT_TRUE(q.source.semi_join);
  EXPECT_FALSE(q.source.exact);
  // Nested row-level parts under the seeked block.
  LogicalPlan r = PlanQuery(
      Parse(R"({"labels": ["ACCOUNT"], "where": {"SUBSCRIPTION": {"INVOICE": {"status": "overdue",
          "$cycle": {"hops": 2}}}}})"),
      s, o);
  ASSERT_TRUE(r.source.semi_join);
  EXPECT_FALSE(r.source.exact);
  // Several local criteria: the access answers one, so it is not exact itself.
  LogicalPlan t = PlanQuery(
      Parse(R"({"labels": ["ACCOUNT"], "where": {"SUBSCRIPTION": {"INVOICE": {"status": "overdue", "n": 1}}}})"), s, o);
  ASSERT_TRUE(t.source.semi_join);
  EXPECT_TRUE(t.source.exact);
  EXPECT_FALSE(t.source.access.exact);
}

TEST(PlannerTest, ExactIndexCriteriaAreIntersectedOrBoundAsSets) {
  FakeStats s = Catalogue(100000);
  // `plan` answers the source, `email` is intersected.
  LogicalPlan p = PlanQuery(Parse(R"({"labels": ["ACCOUNT"], "where": {"plan": "x", "email": {"$in": ["a", "b"]}}})"), s);
  EXPECT_EQ(p.source.access.kind, Access::Kind::kIndexScan);
  EXPECT_TRUE(p.source.access.node_exact);
  ASSERT_EQ(p.source.intersect.size(), 1u) << p.ToText();
  // Ranges are not exact (array elements): evaluated per candidate.
  LogicalPlan q = PlanQuery(Parse(R"({"labels": ["ACCOUNT"], "where": {"plan": "x", "email": {"$gt": 1}}})"), s);
  EXPECT_TRUE(q.source.intersect.empty()) << q.ToText();
  // Top-down over many accounts: the invoices' status is read once as a set.
  PlanOptions o;
  o.force = SourceChoice::kScan;
  LogicalPlan r = PlanQuery(Parse(kOverdue), s, o);
  ASSERT_EQ(r.source.binding_sets.size(), 1u) << r.ToText();
  EXPECT_EQ(r.source.binding_sets[0].criterion_path, "/where/SUBSCRIPTION/INVOICE");
  EXPECT_NE(r.ToText().find(R"(Filter(/where, sets: INVOICE.status = "overdue"))"), std::string::npos) << r.ToText();
}

// With value counts, an unselective equality (873 of 1,000) neither drives
// the access nor is intersected; the selective one drives it, estimated exactly.
TEST(PlannerTest, ValueCountsDecideWhichEqualityDrivesTheAccess) {
  FakeStats s;
  s.records = 1000;
  s.labels = {{"SUBSCRIPTION", 1000}};
  s.props[{"SUBSCRIPTION", "status"}] = 1000;
  s.props[{"SUBSCRIPTION", "plan"}] = 1000;
  s.values[{"SUBSCRIPTION", "status", "active"}] = 873;
  s.values[{"SUBSCRIPTION", "plan", "enterprise"}] = 30;
  LogicalPlan p = PlanQuery(
      Parse(R"({"labels": ["SUBSCRIPTION"], "where": {"status": "active", "plan": "enterprise"}})"), s);
  EXPECT_EQ(p.ToText(),
            R"(Limit(100)<Sort(__id desc, rid order)<Filter(/where)<IndexScan(SUBSCRIPTION.plan = "enterprise"))");
  EXPECT_TRUE(p.source.intersect.empty());
  EXPECT_EQ(p.ops.back().estimated_rows, 30);
  // A value no record holds is estimated at nothing, not 5 % of the label.
  LogicalPlan q = PlanQuery(Parse(R"({"labels": ["SUBSCRIPTION"], "where": {"plan": "none"}})"), s);
  EXPECT_EQ(q.ops.back().estimated_rows, 0);
}

TEST(PlannerTest, IndexRangesAreSupersets) {
  // AND of two bounds: one side only (different array elements may satisfy each).
  ast::Query q = Parse(R"({"labels": ["A"], "where": {"n": {"$gte": 1, "$lt": 5}}})");
  auto a = IndexAccessFor("n", q.where.entries[0].criterion);
  ASSERT_TRUE(a.has_value());
  ASSERT_EQ(a->ranges.size(), 1u);
  EXPECT_TRUE(a->ranges[0].low.has_value() != a->ranges[0].high.has_value());
  // $in with null also matches absent fields: not indexable.
  q = Parse(R"({"labels": ["A"], "where": {"n": {"$in": ["a", null]}}})");
  EXPECT_FALSE(IndexAccessFor("n", q.where.entries[0].criterion).has_value());
  // Datetime range: instants.
  q = Parse(R"({"labels": ["A"], "where": {"d": {"$lt": "2026-01-01"}}})");
  a = IndexAccessFor("d", q.where.entries[0].criterion);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->ranges[0].tag, KeyRange::Tag::kInstant);
  EXPECT_TRUE(a->ranges[0].high_instant.has_value());
  // Prefix.
  q = Parse(R"({"labels": ["A"], "where": {"s": {"$startsWith": "ab"}}})");
  a = IndexAccessFor("s", q.where.entries[0].criterion);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->ranges[0].prefix, std::optional<std::string>("ab"));
  // Not indexable.
  q = Parse(R"({"labels": ["A"], "where": {"s": {"$contains": "ab"}}})");
  EXPECT_FALSE(IndexAccessFor("s", q.where.entries[0].criterion).has_value());
}

TEST(PlannerTest, PlanCarriesEstimatesAndAlternatives) {
  FakeStats s = Catalogue(1000000);
  LogicalPlan p = PlanQuery(Parse(kOverdue), s);
  ASSERT_GE(p.ops.size(), 2u);
  EXPECT_EQ(p.ops[0].role, PlanOp::Role::kLimit);
  EXPECT_EQ(p.ops[1].role, PlanOp::Role::kSort);
  for (const PlanOp& op : p.ops) EXPECT_GT(op.estimated_rows, 0) << op.name;
  EXPECT_GE(p.alternatives.size(), 3u);  // scan, two seeks per chain level at least
  EXPECT_GT(p.estimated_cost, 0);
}

}  // namespace
}  // namespace loom::query::plan
