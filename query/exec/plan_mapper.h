// query/exec/plan_mapper.h: LogicalPlan → the physical operator tree that
// runs it (kuzu's PlanMapper has the same job). The planner decides how the
// matching roots are found; the mapper adds what the query's mode needs on
// top (spec/query.md §2 steps 5-8):
//
//   listing     Limit < Sort < match
//   flat early  Project < Limit < Sort < match
//   flat late   LimitRows < SortRows < Project < Sort(__id desc) < match
//   grouped     LimitRows < [SortRows <] Aggregate < Sort(__id desc) < match
//
// where match = [Filter <] [Intersect <] [Related <] [SemiJoin <] Access.
// The tree points into the query's AST and into `plan`, and must outlive
// neither.
#ifndef LOOM_QUERY_EXEC_PLAN_MAPPER_H_
#define LOOM_QUERY_EXEC_PLAN_MAPPER_H_

#include "query/exec/operator.h"
#include "query/parse/ast.h"
#include "query/plan/logical_plan.h"

namespace loom::query::exec {

// Whether ordering and pagination apply to output rows after projection
// (§8.4 late ordering, and every grouped query by D23).
bool OrdersOutputRows(const ast::Query& query);

// The whole query, or (`match_only`) just the operators that find the
// matching roots (records.delete, labels.find, ...).
PhysicalPlan MapToPhysical(const ast::Query& query, const plan::LogicalPlan& plan, bool match_only = false);

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_PLAN_MAPPER_H_
