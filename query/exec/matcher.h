// query/exec/matcher.h: decides whether a root record matches a where-tree
// under the binding-row semantics of query.md §2, without enumerating rows.
//
// Every block occurs once in the where-tree and rows are products of
// independent per-block binding sets, so each subtree has a *set* of
// achievable truth values (a mask over {TRUE, FALSE, UNKNOWN}); a block's set
// is the union over its bindings of its row-level part's set, or {FALSE}
// when it has no binding. Masks combine pairwise through AND/OR/NOT/NOR/XOR
// and a root matches iff TRUE is achievable at the top. Each evaluation is
// asked only for the bits its caller needs, which is what lets a positive
// block stop at its first good binding. Blocks expand with the neighbour
// label filtered inside the adjacency key; only the properties a criterion
// names are decoded (the whole record once a second one is needed).
//
// A Matcher caches per-record block results and, for `hops` and `$cycle`
// path searches, each record's adjacency; it can be told that a block binds
// exactly the records of an index rid set (SetBindingSet) or that entries of
// the root's AND chain are known TRUE (Filter). It is bound to one ReadView
// and is used by one thread at a time.
#ifndef LOOM_QUERY_EXEC_MATCHER_H_
#define LOOM_QUERY_EXEC_MATCHER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "query/exec/criteria.h"
#include "query/exec/stop_check.h"
#include "query/parse/ast.h"
#include "storage/store.h"

namespace loom::query::exec {

class MatcherImpl;

class Matcher {
 public:
  // `max_traversal_steps`: adjacency entries that `hops` and `$cycle` path
  // searches may visit over the Matcher's life; past it evaluation fails with
  // ErrorCode::kTimeout.
  Matcher(storage::ReadView& view, uint64_t max_traversal_steps);
  ~Matcher();

  // Whether some binding row of `rid` makes `where` TRUE.
  absl::StatusOr<bool> Matches(const ast::Where& where, storage::Rid rid);
  // Keeps the rids of `*rids` that match, in order. `known_true`: entries of
  // the root's AND chain (through $and) already known to be TRUE for every
  // rid (an exact semi-join or index produced them); they are not evaluated.
  // `stop`, when given, is checked per record.
  absl::Status Filter(const ast::Where& where, std::vector<storage::Rid>* rids,
                      const std::vector<const ast::WhereNode*>& known_true = {}, StopCheck* stop = nullptr);
  // From now on a record binds to `block` iff it is in `rids` (ascending):
  // the caller read the block's local criteria exactly from an index.
  void SetBindingSet(const ast::Block& block, std::vector<storage::Rid> rids);
  // Whether `rid` satisfies the local criteria of `block` (§6.4; its label
  // and relation are not checked).
  absl::StatusOr<bool> Binds(const ast::Block& block, storage::Rid rid);
  // Appends every binding of `block` under the parent record `parent` with
  // its multiplicity (§2.1: one per relationship, or per trail for `hops`
  // blocks) in rid order, keeping only records that satisfy the block's
  // local criteria.
  absl::Status Bindings(const ast::Block& block, storage::Rid parent, std::vector<storage::Rid>* out);
  // The truth of a where entry without blocks or `$cycle` on record `rid`.
  absl::StatusOr<Truth> EvalFieldNode(const ast::WhereNode& node, storage::Rid rid);
  // Whether `rid` lies on a cycle as `cycle` describes (§6.10).
  absl::StatusOr<bool> OnCycle(const ast::Cycle& cycle, storage::Rid rid);
  // Appends the ends of relationship-unique paths from `start` following
  // `filter` (its neighbour label is ignored) with a length in [min, max]
  // whose last record has one of `end_labels` (any when empty). Counts
  // against the traversal budget (ErrorCode::kTimeout past it).
  absl::Status TrailEnds(storage::Rid start, const storage::EdgeFilter& filter, const ast::Hops& hops,
                         const std::vector<storage::NameId>& end_labels, std::vector<storage::Rid>* out);

 private:
  std::unique_ptr<MatcherImpl> impl_;
};

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_MATCHER_H_
