// query/plan/planner.h: ast::Query -> LogicalPlan, choosing the candidate-root
// source by estimated cost from PlanStats.
//
// Alternatives: scan the root labels (or all records); look up `$id`/`__id`
// equality or `$in`; range-scan the props index for a top-level ANDed root
// criterion (equality, `$in`, number/datetime ranges, `$startsWith`); or a
// bottom-up semi-join through a positively used top-level block (seek the
// most selective criterion of the block chain, expand backwards). Every
// alternative yields a superset of the matching roots and the Filter decides,
// so the choice never changes an answer. Stateless; thread-safe.
#ifndef LOOM_QUERY_PLAN_PLANNER_H_
#define LOOM_QUERY_PLAN_PLANNER_H_

#include <optional>
#include <string>

#include "query/parse/ast.h"
#include "query/plan/logical_plan.h"
#include "query/plan/plan_stats.h"

namespace loom::query::plan {

// Forces one kind of source (differential tests, benchmarks). When the forced
// kind is impossible for the query the planner falls back to the scan.
enum class SourceChoice { kAuto, kScan, kIdLookup, kIndex, kSemiJoin };

struct PlanOptions {
  SourceChoice force = SourceChoice::kAuto;
  // Whether ascending rid order equals ascending `__id` order (the default
  // ordering then needs no record reads).
  bool rid_order_is_id_order = true;
};

LogicalPlan PlanQuery(const ast::Query& query, PlanStats& stats, const PlanOptions& options = {});

// The index ranges that answer `criterion` on `field` (a superset of the
// records for which it is TRUE), or nullopt when no index range can.
// Exposed for tests.
std::optional<Access> IndexAccessFor(const std::string& field, const ast::Criterion& criterion);

}  // namespace loom::query::plan

#endif  // LOOM_QUERY_PLAN_PLANNER_H_
