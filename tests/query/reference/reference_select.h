// tests/query/reference/reference_select.h: the oracle's select, groupBy and
// legacy aggregate evaluation (spec/query.md §8.4, §11-§15), written from the
// spec straight over the RAW JSON of those clauses. It shares no code with
// the engine's select parser or evaluator; it is slow on purpose.
#ifndef LOOM_TESTS_QUERY_REFERENCE_REFERENCE_SELECT_H_
#define LOOM_TESTS_QUERY_REFERENCE_REFERENCE_SELECT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "query/parse/ast.h"
#include "tests/query/reference/reference_evaluator.h"

namespace loom::reference {

// What the where evaluation hands over, as record indexes into `graph`.
struct SelectInput {
  const RefGraph* graph = nullptr;
  std::vector<int> roots_by_id_desc;  // matching roots, __id descending
  std::vector<int> roots_ordered;     // matching roots in orderBy order (ties __id desc)
  // Every TRUE binding row of a matching root, with multiplicity: alias ->
  // bound record (an unbound alias is absent).
  std::map<int, std::vector<std::map<std::string, int>>> rows;
  // One entry per relationship touching a record (the other end).
  std::map<int, std::vector<int>> neighbours;
};

// The `data` rows of the query.
absl::StatusOr<Json> EvaluateSelect(const SelectInput& in, const query::ast::Query& q);

}  // namespace loom::reference

#endif  // LOOM_TESTS_QUERY_REFERENCE_REFERENCE_SELECT_H_
