// query/exec/binding_rows.h: the binding rows of a root record (spec/query.md
// §2.1) on which the where-predicate is TRUE (§2.2), with their multiplicity:
// one row per combination of bindings of every traversal block, two
// relationships to one record being two bindings (§6.7). Aggregates and flat
// select need them; listing and existence queries never enumerate rows (the
// Matcher decides truth on sets).
//
// A row holds one rid per block ("slot", blocks numbered depth-first in
// document order) or kUnbound. Bound to one Matcher (and so one ReadView);
// used by one thread at a time.
#ifndef LOOM_QUERY_EXEC_BINDING_ROWS_H_
#define LOOM_QUERY_EXEC_BINDING_ROWS_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "query/exec/matcher.h"
#include "query/parse/ast.h"
#include "storage/store.h"

namespace loom::query::exec {

constexpr storage::Rid kUnbound = std::numeric_limits<storage::Rid>::max();

using BindingRow = std::vector<storage::Rid>;

class BindingRows {
 public:
  // `max_rows`: rows one root may have before filtering; past it RowsOf
  // fails with ErrorCode::kResourceExhausted naming the budget.
  BindingRows(const ast::Where& where, Matcher& matcher, uint64_t max_rows);

  int slot_count() const { return static_cast<int>(blocks_.size()); }
  // The slot of the block carrying `alias` ("$user"), or -1.
  int SlotOfAlias(const std::string& alias) const;
  // Whether the where has traversal blocks (else every root has one row).
  bool has_blocks() const { return !blocks_.empty(); }

  // Replaces `*out` with the rows of `root` on which the where is TRUE, in
  // the enumeration order of §2.1.
  absl::Status RowsOf(storage::Rid root, std::vector<BindingRow>* out);

 private:
  absl::Status BlockRows(const ast::Block& block, storage::Rid parent, std::vector<BindingRow>* out);
  void Product(std::vector<BindingRow>* rows, const std::vector<BindingRow>& with);
  absl::StatusOr<Truth> Eval(const std::vector<ast::WhereNode>& entries, storage::Rid level, const BindingRow& row);
  absl::StatusOr<Truth> EvalNode(const ast::WhereNode& node, storage::Rid level, const BindingRow& row);
  absl::Status CheckBudget(size_t rows) const;

  const ast::Where& where_;
  Matcher& matcher_;
  uint64_t max_rows_;
  std::vector<const ast::Block*> blocks_;
  absl::flat_hash_map<const ast::Block*, int> slots_;
  absl::flat_hash_map<std::string, int> alias_slots_;  // the first block with each alias
  std::vector<const ast::Block*> top_;
  // Field entries and cycles are evaluated once per (entry, record).
  absl::flat_hash_map<std::pair<const ast::WhereNode*, storage::Rid>, Truth> truth_cache_;
};

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_BINDING_ROWS_H_
