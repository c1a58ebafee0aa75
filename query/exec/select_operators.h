// query/exec/select_operators.h: the operators that turn the selected roots
// into select output rows (spec/query.md §11-§13): Project for flat mode
// (one row per root and distinct row-level combination) and Aggregate for
// grouped mode (a hash aggregate over every row of every root, groups in
// order of first appearance).
#ifndef LOOM_QUERY_EXEC_SELECT_OPERATORS_H_
#define LOOM_QUERY_EXEC_SELECT_OPERATORS_H_

#include <string>

#include "query/exec/operator.h"
#include "query/parse/select_ast.h"

namespace loom::query::exec {

class SelectOutputOperator : public PhysicalOperator {
 public:
  enum class Mode { kFlat, kGrouped };
  SelectOutputOperator(Mode mode, std::string detail, double estimated_rows, const ast::Select& select);

 protected:
  absl::Status Run(ExecContext& ctx) const override;
  uint64_t OutputRows(const ExecContext& ctx) const override { return ctx.rows.size(); }

 private:
  Mode mode_;
  const ast::Select& select_;
};

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_SELECT_OPERATORS_H_
