// query/exec/select_evaluator.h: evaluates a parsed select (spec/query.md
// §11-§13, §15) over the binding rows of root records: row-level
// expressions per row, aggregates in mergeable states per output row, then
// the aggregate-level expressions once per output row.
//
// Flat mode yields one output row per root and distinct combination of its
// row-level values (§11.2); grouped mode hashes every row into its group
// (§12.2) and keeps groups in order of first appearance (D6). Records are
// read through RecordSource only. Budgets (rows per root, groups, deadline)
// fail the query cleanly instead of growing without bound.
//
// Bound to one query run; used by one thread at a time.
#ifndef LOOM_QUERY_EXEC_SELECT_EVALUATOR_H_
#define LOOM_QUERY_EXEC_SELECT_EVALUATOR_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "loom/json.h"
#include "query/exec/binding_rows.h"
#include "query/exec/matcher.h"
#include "query/exec/record_source.h"
#include "query/exec/stop_check.h"
#include "query/functions/aggregates.h"
#include "query/parse/select_ast.h"

namespace loom::query::exec {

struct SelectBudget {
  uint64_t max_groups = 10'000'000;           // output rows held at once
  uint64_t max_memory_bytes = uint64_t{1} << 30;  // estimated bytes held
  StopCheck* stop = nullptr;  // interrupts and the deadline; nullptr = none
};

class SelectEvaluator {
 public:
  SelectEvaluator(const ast::Select& select, RecordSource& records, BindingRows& rows, Matcher& matcher,
                  SelectBudget budget);

  // Flat mode: the output rows of `roots`, in their order, appended to `*out`.
  absl::Status Flat(const std::vector<storage::Rid>& roots, Json* out);
  // Grouped mode: one output row per group of the rows of `roots` (taken in
  // this order for the order of first appearance), appended to `*out`.
  absl::Status Grouped(const std::vector<storage::Rid>& roots, Json* out);

 private:
  struct CollectItem {
    Json item;
    std::string id;  // of the record it came from (default order)
  };
  struct CollectState {
    std::vector<CollectItem> items;
    absl::flat_hash_map<std::string, bool> seen;  // unique: canonical keys
  };
  struct Group {
    std::vector<AggregateState> aggregates;
    std::vector<CollectState> collects;
    std::vector<Json> row_values;    // row-level item values (first row)
    std::vector<Json> dimensions;    // groupBy dimension values
    storage::Rid first_root = 0;
    BindingRow first_row;
    bool has_rows = false;
  };
  struct Scope {
    storage::Rid root;
    const BindingRow* row;
    storage::Rid self;
  };

  void IndexAggregates(const ast::Expr& e);
  storage::Rid Resolve(const std::string& alias, const Scope& scope) const;
  absl::StatusOr<Json> EvalRow(const ast::Expr& e, const Scope& scope, const std::vector<Json>& items);
  absl::StatusOr<Json> EvalFinal(const ast::Expr& e, Group& group, const std::vector<Json>& items);
  // Values of a root that do not vary by row (label-form collects), by item.
  using RootValues = std::vector<std::optional<Json>>;
  // The row-level item values of one binding row; `per_root` starts empty
  // for each root.
  absl::Status RowValues(const Scope& scope, RootValues* per_root, std::vector<Json>* items);
  absl::Status Accumulate(Group& group, const Scope& scope, const std::vector<Json>& items);
  Group NewGroup() const;
  absl::StatusOr<std::vector<Json>> FinalValues(Group& group);
  absl::StatusOr<Json> LabelCollect(const ast::Collect& c, storage::Rid at, const Scope& outer);
  absl::StatusOr<CollectItem> CollectedItem(const ast::Collect& c, storage::Rid rid, const Scope& scope);
  static Json FinishCollect(const ast::Collect& c, std::vector<CollectItem> items);
  absl::Status RowsOf(storage::Rid root, std::vector<BindingRow>* rows);
  // Calls `fn` with each root (in order) and its TRUE rows, reading the
  // roots' records in batches and keeping to the deadline.
  absl::Status ForEachRoot(const std::vector<storage::Rid>& roots,
                           const std::function<absl::Status(storage::Rid, const std::vector<BindingRow>&)>& fn);
  absl::Status CheckStop();
  // Counts `bytes` against the memory budget.
  absl::Status Charge(uint64_t bytes);

  const ast::Select& select_;
  RecordSource& records_;
  BindingRows& rows_;
  Matcher& matcher_;
  SelectBudget budget_;
  std::vector<const ast::Expr*> aggregates_;  // aggregate nodes, by index
  std::vector<const ast::Expr*> collects_;    // alias-form collect nodes
  absl::flat_hash_map<const ast::Expr*, int> node_index_;
  uint64_t memory_ = 0;  // estimated bytes held
};

// Late ordering (§8.4, §12.4): orders output rows by the values of `keys`
// (absent values last in asc, first in desc; ties keep their order) and
// keeps the first `top` (a top-K selection when that is fewer).
void SortRows(const std::vector<ast::OrderKey>& keys, uint64_t top, Json* rows);
// Output rows [skip, skip + limit).
void PageRows(int64_t skip, int64_t limit, Json* rows);

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_SELECT_EVALUATOR_H_
