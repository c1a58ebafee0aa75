#include "query/exec/select_operators.h"

#include "absl/time/clock.h"
#include "loom/status.h"
#include "query/exec/binding_rows.h"
#include "query/exec/record_source.h"
#include "query/exec/select_evaluator.h"

namespace loom::query::exec {

SelectOutputOperator::SelectOutputOperator(Mode mode, std::string detail, double estimated_rows,
                                           const ast::Select& select)
    : PhysicalOperator(mode == Mode::kFlat ? "Project" : "Aggregate", std::move(detail), estimated_rows),
      mode_(mode),
      select_(select) {}

absl::Status SelectOutputOperator::Run(ExecContext& ctx) const {
  RecordSource records(ctx.view);
  BindingRows rows(ctx.query.where, *ctx.matcher, ctx.options.max_rows_per_root);
  SelectBudget budget;
  budget.max_groups = ctx.options.max_groups;
  budget.max_memory_bytes = ctx.options.max_memory_bytes;
  budget.stop = &ctx.stop;
  SelectEvaluator evaluator(select_, records, rows, *ctx.matcher, budget);
  ctx.rows = Json::array();
  if (mode_ == Mode::kFlat) return evaluator.Flat(ctx.rids, &ctx.rows);
  return evaluator.Grouped(ctx.rids, &ctx.rows);
}

}  // namespace loom::query::exec
