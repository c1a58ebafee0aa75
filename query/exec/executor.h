// query/exec/executor.h: runs queries (records.find in every mode,
// records.delete's match set, labels.find and properties.find with a where)
// over one ReadView: plan from the view's statistics, map the plan to an
// operator tree (plan_mapper.h), run it, and write the result.
//
// Operators pass vectors of rids. `total` is counted from rids; in listing
// mode only the page's records are read and serialised. Functions are
// stateless; `view` is used by the calling thread only for the duration of
// the call.
#ifndef LOOM_QUERY_EXEC_EXECUTOR_H_
#define LOOM_QUERY_EXEC_EXECUTOR_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "query/exec/operator.h"
#include "query/exec/plan_mapper.h"
#include "query/parse/ast.h"
#include "query/plan/logical_plan.h"
#include "query/plan/planner.h"
#include "storage/store.h"

namespace loom::query::exec {

struct FindResult {
  Json data = Json::array();  // serialised records, or select rows (§13)
  uint64_t total = 0;         // matching roots
};

// Runs an operator tree made for `query` (plan_mapper.h) over `view` and
// writes the result: the page's serialised records, or the select rows.
absl::StatusOr<FindResult> Run(const PhysicalPlan& physical, const ast::Query& query, storage::ReadView& view,
                               const ExecOptions& options = {});

// records.find: PlanFor, MapToPhysical and Run in one call. Listing, flat
// select and grouped modes. Errors: storage
// errors, ErrorCode::kTimeout from path searches and budgets,
// ErrorCode::kTypeError from select arithmetic and aggregates.
absl::StatusOr<FindResult> Execute(const ast::Query& query, storage::ReadView& view,
                                   const ExecOptions& options = {});

// The rids of every matching root (labels + where + related id), ascending;
// ignores orderBy/skip/limit/select (records.delete, labels.find, ...).
absl::StatusOr<std::vector<storage::Rid>> MatchingRoots(const ast::Query& query, storage::ReadView& view,
                                                        const ExecOptions& options = {});

// labels.find: (label, count) among the matching records, by label name;
// unlabeled records are not counted (D7).
absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>> CountLabels(const ast::Query& query,
                                                                         storage::ReadView& view,
                                                                         const ExecOptions& options = {});

// properties.find: the property names present on at least one matching
// record, sorted.
absl::StatusOr<std::vector<std::string>> FindPropertyNames(const ast::Query& query, storage::ReadView& view,
                                                           const ExecOptions& options = {});

// The chosen plan without running it, or (analyze) after running it with the
// actual rows per operator: {"text": "...", "plan": {...}}.
absl::StatusOr<Json> ExplainQuery(const ast::Query& query, storage::ReadView& view, bool analyze,
                                  const ExecOptions& options = {});

// The plan the executor would run for `query` on `view`.
plan::LogicalPlan PlanFor(const ast::Query& query, storage::ReadView& view, const ExecOptions& options = {});

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_EXECUTOR_H_
