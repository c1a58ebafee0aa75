// query/exec/order_operators.h: ordering and pagination, of root records
// (listing and early ordering, §8-§9) and of output rows (late ordering and
// grouped results, §8.4, §12.4).
#ifndef LOOM_QUERY_EXEC_ORDER_OPERATORS_H_
#define LOOM_QUERY_EXEC_ORDER_OPERATORS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "query/exec/operator.h"

namespace loom::query::exec {

// Orders the matching roots by `keys` read from the root records (ties
// `__id` descending, D6); with `top` only the first `top` positions need to
// be exact (a partial sort). Counts the matching roots into `total` first.
class SortOperator : public PhysicalOperator {
 public:
  SortOperator(std::string detail, double estimated_rows, std::vector<ast::OrderKey> keys, bool by_rid,
               uint64_t top);  // keys are few: copied

 protected:
  absl::Status Run(ExecContext& ctx) const override;

 private:
  std::vector<ast::OrderKey> keys_;
  bool by_rid_;
  uint64_t top_;
};

// Roots [skip, skip + limit) of the ordered roots.
class LimitOperator : public PhysicalOperator {
 public:
  LimitOperator(std::string detail, double estimated_rows, int64_t skip, int64_t limit);

 protected:
  absl::Status Run(ExecContext& ctx) const override;

 private:
  int64_t skip_, limit_;
};

// Orders the output rows by the values of `keys` (ties keep their order);
// only the first `top` are kept (a top-K selection below a limit).
class RowSortOperator : public PhysicalOperator {
 public:
  RowSortOperator(std::string detail, double estimated_rows, std::vector<ast::OrderKey> keys, uint64_t top)
      : PhysicalOperator("SortRows", std::move(detail), estimated_rows), keys_(std::move(keys)), top_(top) {}

 protected:
  absl::Status Run(ExecContext& ctx) const override;
  uint64_t OutputRows(const ExecContext& ctx) const override { return ctx.rows.size(); }

 private:
  std::vector<ast::OrderKey> keys_;
  uint64_t top_;
};

// Output rows [skip, skip + limit).
class RowLimitOperator : public PhysicalOperator {
 public:
  RowLimitOperator(std::string detail, double estimated_rows, int64_t skip, int64_t limit)
      : PhysicalOperator("LimitRows", std::move(detail), estimated_rows), skip_(skip), limit_(limit) {}

 protected:
  absl::Status Run(ExecContext& ctx) const override;
  uint64_t OutputRows(const ExecContext& ctx) const override { return ctx.rows.size(); }

 private:
  int64_t skip_, limit_;
};

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_ORDER_OPERATORS_H_
