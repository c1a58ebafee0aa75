// tests/query/reference/reference_evaluator.h: a naive, obviously-correct
// evaluator of SearchQuery listing mode (spec/query.md §2, §4-§10, §16) over an
// in-memory graph. It is the oracle of the differential tests.
//
// Written straight from the spec and deliberately slow: it enumerates binding
// rows per root (§2.1) and evaluates the three-valued where-predicate (§2.2) on
// each row. It shares no code with the real planner/executor; the only loom
// code it uses is the parser's AST (its input) and ParseDatetimeInstant (the
// instant of a stored datetime text).
//
// Rows hold only the bound records. In listing mode two paths that end on
// the same record give identical rows and the evaluator keeps one of them
// (truth does not depend on multiplicity); with a select every path is a
// row of its own (§2.1, §6.7), as aggregates count them.
//
// Thread-compatible: plain functions over const inputs.
#ifndef LOOM_TESTS_QUERY_REFERENCE_REFERENCE_EVALUATOR_H_
#define LOOM_TESTS_QUERY_REFERENCE_REFERENCE_EVALUATOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "loom/value.h"
#include "query/parse/ast.h"

namespace loom::reference {

// A graph as plain data: records (any order) and edges in creation order.
struct RefGraph {
  struct Edge {
    std::string start, end, type;
  };
  std::vector<Record> records;
  std::vector<Edge> edges;
};

// The result of a query: listing mode gives the ids of `data` in order;
// select modes give the rows themselves in `data`. And `total`.
struct RefResult {
  std::vector<std::string> ids;
  Json data;  // select / aggregate rows (null in listing mode)
  int64_t total = 0;
};

// Three-valued truth (§5.4).
enum class Truth { kFalse, kTrue, kUnknown };

// Evaluates a query: listing mode, or select / groupBy / aggregate from the
// raw JSON of those clauses (reference_select.h). Errors: kResourceExhausted
// when one root has more than `max_rows_per_root` binding rows (callers skip
// such queries); select errors as the engine reports them (TYPE_ERROR ...).
absl::StatusOr<RefResult> Evaluate(const RefGraph& graph, const query::ast::Query& query,
                                   int64_t max_rows_per_root = 200000);

// One field criterion (§4) on one record, e.g. for partition checks.
Truth EvaluateCriterion(const Record& record, const std::string& field,
                        const query::ast::Criterion& criterion);

// The record of a serialised record JSON (data-model.md §9); element kinds are
// taken from the JSON, the declared type from `__proptypes`.
absl::StatusOr<Record> RecordFromJson(const Json& json);

// UTF-16 code units of a UTF-8 string: strings order by them (data-model §10).
std::u16string ToUtf16(std::string_view s);

}  // namespace loom::reference

#endif  // LOOM_TESTS_QUERY_REFERENCE_REFERENCE_EVALUATOR_H_
