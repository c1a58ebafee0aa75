// query/exec/operator.h: the physical operator tree that runs a query, and
// the per-run state it works on.
//
// Operators are built once by the plan mapper and are const while running:
// everything a run changes lives in ExecContext (duckdb keeps per-run state
// in OperatorState for the same reason: one tree could serve several runs).
// Operators work set-at-a-time: a run passes a vector of root rids up the
// tree (ascending until an ordering operator sorts it), and the output
// operators turn it into output rows. Each operator records the rows it
// produced and its own time, which `explain --analyze` shows on the very
// tree that ran.
#ifndef LOOM_QUERY_EXEC_OPERATOR_H_
#define LOOM_QUERY_EXEC_OPERATOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "loom/json.h"
#include "query/exec/matcher.h"
#include "query/exec/stop_check.h"
#include "query/parse/ast.h"
#include "query/plan/planner.h"
#include "storage/store.h"

namespace loom::query::exec {

struct ExecOptions {
  // Forces a candidate source (index vs scan, top-down vs bottom-up semi-join)
  // for differential tests; answers never depend on it.
  plan::SourceChoice force_source = plan::SourceChoice::kAuto;
  // Relationship visits allowed to `hops` and `$cycle` path searches per
  // query; past it the query fails with ErrorCode::kTimeout.  Default: 20M
  uint64_t max_traversal_steps = 20'000'000;
  // Binding rows one root record may have before the where filters them
  // (select over traversals); past it RESOURCE_EXHAUSTED.  Default: 1M
  uint64_t max_rows_per_root = 1'000'000;
  // Output rows (groups, or flat select rows) one query may hold.
  // Default: 10M
  uint64_t max_groups = 10'000'000;
  // Estimated bytes a select evaluation may hold (groups, aggregate states,
  // collected items, output rows).  Default: 1 GiB
  uint64_t max_memory_bytes = uint64_t{1} << 30;
  // Wall-clock budget of a select evaluation in milliseconds; 0 = none.
  // Default: 0 (the engine passes Options::operation_timeout_ms)
  int64_t timeout_ms = 0;
  // Bumped by Database::Interrupt: a run that sees it change stops with
  // INTERRUPTED. nullptr = never.
  const std::atomic<uint64_t>* interrupts = nullptr;
};

// The state of one run of an operator tree.
struct ExecContext {
  ExecContext(const ast::Query& q, storage::ReadView& v, const ExecOptions& o);

  const ast::Query& query;
  storage::ReadView& view;
  const ExecOptions& options;
  StopCheck stop;  // interrupts and the deadline, from the run's start
  std::unique_ptr<Matcher> matcher;
  // Blocks whose bindings an index read gives exactly (set on every matcher).
  std::vector<std::pair<const ast::Block*, std::vector<storage::Rid>>> binding_sets;
  // Entries of the root's AND chain already known TRUE for every candidate.
  std::vector<const ast::WhereNode*> known_true;
  std::vector<storage::Rid> rids;  // root records flowing up the tree
  uint64_t total = 0;              // matching roots (§10)
  Json rows = Json::array();       // output rows of select modes

  // Whether operators record their rows and time (explain --analyze);
  // off for ordinary runs, where the clock reads would cost more than a
  // point lookup's operators.
  bool profile = false;
  struct Run {
    bool ran = false;
    uint64_t rows = 0;
    int64_t nanos = 0;
  };
  std::vector<Run> runs;  // by operator id, when profiling

  // A fresh matcher that knows the binding sets.
  void ResetMatcher();
};

class PhysicalOperator {
 public:
  PhysicalOperator(std::string name, std::string detail, double estimated_rows)
      : name_(std::move(name)), detail_(std::move(detail)), estimated_rows_(estimated_rows) {}
  virtual ~PhysicalOperator() = default;
  PhysicalOperator(const PhysicalOperator&) = delete;
  PhysicalOperator& operator=(const PhysicalOperator&) = delete;

  const std::string& name() const { return name_; }
  const std::string& detail() const { return detail_; }
  double estimated_rows() const { return estimated_rows_; }
  int id() const { return id_; }
  const PhysicalOperator* child() const { return child_.get(); }

  // Takes `child` as input; returns this operator's id in the tree.
  void SetChild(std::unique_ptr<PhysicalOperator> child) { child_ = std::move(child); }
  void set_id(int id) { id_ = id; }

  // Runs the subtree: the input first, then this operator.
  absl::Status Execute(ExecContext& ctx) const;

 protected:
  virtual absl::Status Run(ExecContext& ctx) const = 0;
  // The rows this operator produced (root rids unless it outputs rows).
  virtual uint64_t OutputRows(const ExecContext& ctx) const { return ctx.rids.size(); }

 private:
  std::string name_;
  std::string detail_;
  double estimated_rows_;
  int id_ = 0;
  std::unique_ptr<PhysicalOperator> child_;
};

// An operator tree with what explain shows beside it.
struct PhysicalPlan {
  std::unique_ptr<PhysicalOperator> root;
  int operator_count = 0;
  double estimated_cost = 0;
  std::vector<plan::Alternative> alternatives;

  // `Limit(100)<Sort(__id desc)<Filter(/where)<IndexScan(...)`, top first;
  // with `ran`: `[est=3, rows=2, time=0.01ms]` after each operator.
  std::string ToText(const ExecContext* ran = nullptr) const;
  // {"plan", "cost", "root": {"op", "detail", "estimatedRows", "actualRows"?,
  // "timeMs"?, "input"?}, "alternatives"}.
  Json ToJson(const ExecContext* ran = nullptr) const;
};

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_OPERATOR_H_
