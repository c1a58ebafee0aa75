// query/exec/match_operators.h: the operators that find the matching roots
// (spec/query.md §2 steps 1-4): read candidates (a scan, id lookups, an index
// range), expand them bottom-up through a semi-join, restrict them to the
// neighbours of a related-search entry (§16), intersect them with exactly
// answered root criteria, and keep the exact matches (the Filter). Each
// leaves ascending, distinct rids in ExecContext::rids. They refer to the
// LogicalPlan they were mapped from, which must outlive them.
#ifndef LOOM_QUERY_EXEC_MATCH_OPERATORS_H_
#define LOOM_QUERY_EXEC_MATCH_OPERATORS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "query/exec/operator.h"
#include "query/plan/logical_plan.h"

namespace loom::query::exec {

// The dictionary ids of the label names the database knows (others dropped).
std::vector<storage::NameId> LabelIds(const std::vector<std::string>& names, storage::ReadView& view);

// The storage form of a planner's index range.
storage::IndexRange ToIndexRange(const plan::KeyRange& range);

// The rids an access produces, ascending and distinct.
absl::StatusOr<std::vector<storage::Rid>> ReadAccess(const plan::Access& access, storage::ReadView& view);

// Candidates from one access; first reads the binding sets of the blocks
// the plan answers from an index, so every matcher of the run knows them.
class AccessOperator : public PhysicalOperator {
 public:
  AccessOperator(std::string name, double estimated_rows, const plan::Access& access,
                 const std::vector<plan::Access>& binding_sets);

 protected:
  absl::Status Run(ExecContext& ctx) const override;

 private:
  const plan::Access& access_;
  const std::vector<plan::Access>& binding_sets_;
};

// Expands the seeked records of the innermost block back to the root level.
// Too many paths for the traversal budget: the root labels' scan instead.
class SemiJoinOperator : public PhysicalOperator {
 public:
  SemiJoinOperator(double estimated_rows, const plan::Source& source);

 protected:
  absl::Status Run(ExecContext& ctx) const override;

 private:
  absl::Status Expand(ExecContext& ctx, std::vector<storage::Rid>* rids) const;
  const plan::Source& source_;
};

class RelatedOperator : public PhysicalOperator {
 public:
  RelatedOperator(double estimated_rows, std::string entry_id);

 protected:
  absl::Status Run(ExecContext& ctx) const override;

 private:
  std::string entry_id_;
};

class IntersectOperator : public PhysicalOperator {
 public:
  IntersectOperator(std::string detail, double estimated_rows, const std::vector<plan::Access>& accesses);

 protected:
  absl::Status Run(ExecContext& ctx) const override;

 private:
  const std::vector<plan::Access>& accesses_;
};

// The exact where-predicate (Matcher); entries known TRUE are skipped.
class FilterOperator : public PhysicalOperator {
 public:
  FilterOperator(std::string detail, double estimated_rows) : PhysicalOperator("Filter", std::move(detail), estimated_rows) {}

 protected:
  absl::Status Run(ExecContext& ctx) const override;
};

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_MATCH_OPERATORS_H_
