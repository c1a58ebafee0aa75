// query/plan/logical_plan.h: the plan the planner chooses for a listing query
// and that query/exec runs: how candidate roots are produced (a scan, id
// lookups, an index range scan or a bottom-up semi-join through a traversal
// block), then Filter (the exact where-predicate) < Sort < Limit.
//
// Storage-free: names, not dictionary ids; index ranges mirror
// storage::IndexRange. A plan points into the AST it came from (the where
// nodes and blocks it decided about), so it must not outlive the query.
// Plain values; thread-compatible. query/exec/plan_mapper turns it into the
// operator tree that runs.
#ifndef LOOM_QUERY_PLAN_LOGICAL_PLAN_H_
#define LOOM_QUERY_PLAN_LOGICAL_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loom/datetime.h"
#include "loom/json.h"
#include "loom/value.h"
#include "query/functions/index_range.h"
#include "query/parse/ast.h"

namespace loom::query::plan {

// One range over the props index of (label, property) (query/functions).
using KeyRange = query::KeyRange;

// How a set of records is read.
//  kAllRecords  every record.
//  kLabelScan   records of any of `labels` (ascending rid).
//  kIdLookup    the records with these `ids` (the id map), kept when their
//               label is one of `labels` (any label when empty).
//  kIndexScan   records of `labels` with an element of `property` in one of
//               `ranges` (the props index); `ranges` empty = nothing.
struct Access {
  enum class Kind { kAllRecords, kLabelScan, kIdLookup, kIndexScan };
  Kind kind = Kind::kAllRecords;
  std::vector<std::string> labels;
  std::vector<std::string> ids;
  std::string property;
  std::vector<KeyRange> ranges;
  bool exact_ranges = false;  // the ranges hold exactly the records whose criterion is TRUE
  std::string detail;         // `INVOICE.status = "overdue"` for explain
  std::string criterion_path; // the where node the access answers
  // The AST nodes behind it (pointers into the query the plan was made
  // from): the root where entry it answers, or the block a binding set is for.
  const ast::WhereNode* node = nullptr;
  const ast::Block* block = nullptr;
  // The records produced are exactly those of `labels` satisfying the whole
  // where-object the access was taken from (not only a superset).
  bool exact = false;
  // The records produced are exactly those of `labels` for which the
  // criterion at `criterion_path` is TRUE.
  bool node_exact = false;
};

// One backwards expansion of a semi-join: from the records bound at a block
// to the records at its parent level. `direction` is already reversed (as
// seen from the block's record).
struct SemiJoinStep {
  std::string block_label;             // label of the records expanded from
  std::string block_path;              // the block whose records are expanded from
  const ast::Block* block = nullptr;    // that block in the query's AST
  std::vector<std::string> types;      // empty = any type
  ast::Direction direction = ast::Direction::kAny;
  std::vector<std::string> parent_labels;  // empty = any label
  // Variable-length block: the parent-level records are the ends of trails
  // of [min, max] reversed hops (intermediate records of any label).
  std::optional<ast::Hops> hops;
};

// Candidate roots. Without `semi_join` the roots come from `access`; with it,
// `access` seeks records of the innermost block and `steps` (innermost first)
// expand them back to the root level. Either way the candidates are a
// superset of the matching roots: the Filter decides.
//
// `exact`: the chain from the top-level block down to the seeked one is
// positive and plain (every block's row-level part is just the next block of
// the chain, the innermost has none), so once the executor keeps, at every
// level, only the records that satisfy that block's local criteria, the
// candidates are exactly the roots for which the top-level block is TRUE;
// the Filter then only evaluates the rest of the where.
struct Source {
  Access access;
  bool semi_join = false;
  bool exact = false;
  std::string block_path;  // top-level block the semi-join starts from
  const ast::Block* top_block = nullptr;
  std::vector<SemiJoinStep> steps;
  // Root criteria of the where's AND chain answered exactly by an index:
  // the candidates are intersected with their records (ascending rid sets)
  // instead of evaluating the criterion per candidate.
  std::vector<Access> intersect;
  // Blocks whose local criteria an index answers exactly, read once as a rid
  // set (`criterion_path` = the block's path) so that binding a record to the
  // block is a set lookup instead of a record read.
  std::vector<Access> binding_sets;
};

// One step of the listing chain the planner decided, top (Limit) first, with
// its estimate; the plan mapper names the physical operators after them.
struct PlanOp {
  enum class Role { kLimit, kSort, kFilter, kIntersect, kRelated, kSemiJoin, kAccess };
  Role role = Role::kAccess;
  std::string name;    // "Limit", "Sort", "Filter", "Related", "SemiJoin", "IndexScan", ...
  std::string detail;  // inside the parentheses in the text form
  double estimated_rows = 0;
};

// An alternative the planner costed (kept for explain).
struct Alternative {
  std::string description;  // the source part of the text form
  double cost = 0;
  double rows = 0;
};

struct LogicalPlan {
  Source source;
  bool has_filter = false;                 // where is not empty
  std::optional<std::string> related_id;   // §16 entry record
  std::vector<std::string> root_labels;    // `labels` (empty = all)
  std::vector<ast::OrderKey> order;        // never empty
  bool order_by_rid = false;  // default `__id` order answered by rid order
  int64_t skip = 0;
  int64_t limit = 100;
  std::vector<PlanOp> ops;  // rendered chain, top first
  std::vector<Alternative> alternatives;
  double estimated_cost = 0;

  PlanOp* FindOp(PlanOp::Role role);
  // `Limit(100)<Sort(__id desc)<Filter(/where)<IndexScan(INVOICE.status = "overdue")`
  // (explain shows the operator tree instead: exec::PhysicalPlan).
  std::string ToText() const;
};

// `"overdue"`, `1200`, `true`, `2024-01-01T00:00:00Z` as written in explain details.
std::string FormatScalarForPlan(const Scalar& scalar);

}  // namespace loom::query::plan

#endif  // LOOM_QUERY_PLAN_LOGICAL_PLAN_H_
