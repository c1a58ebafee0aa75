// query/exec/executor.h: runs listing queries (records.find in listing mode,
// records.delete's match set, labels.find and properties.find with a where)
// over one ReadView: plan from the view's statistics, produce candidate
// roots, keep the exact matches (Matcher), order, page, serialise the page.
//
// Stages pass batches of rids (vectors). `total` is counted from rids; only
// the page's records are read and serialised. Functions are stateless;
// `view` is used by the calling thread only for the duration of the call.
#ifndef LOOM_QUERY_EXEC_EXECUTOR_H_
#define LOOM_QUERY_EXEC_EXECUTOR_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "query/parse/ast.h"
#include "query/plan/logical_plan.h"
#include "query/plan/planner.h"
#include "storage/store.h"

namespace loom::query::exec {

struct ExecOptions {
  // Forces a candidate source (index vs scan, top-down vs bottom-up semi-join)
  // for differential tests; answers never depend on it.
  plan::SourceChoice force_source = plan::SourceChoice::kAuto;
  // Relationship visits allowed to `hops` and `$cycle` path searches per
  // query; past it the query fails with ErrorCode::kTimeout.
  uint64_t max_traversal_steps = 20'000'000;
};

struct FindResult {
  Json data = Json::array();  // serialised records of the page (data-model §9)
  uint64_t total = 0;         // matching roots
  plan::LogicalPlan plan;     // as run, with actual rows per operator
};

// records.find in listing mode. `select`/`groupBy`/`aggregate` →
// INVALID_QUERY "/select" (not supported yet). Errors: storage errors,
// ErrorCode::kTimeout from path searches.
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
