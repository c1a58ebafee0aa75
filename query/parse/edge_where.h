// query/parse/edge_where.h: the edge predicates and ordering of
// relationships.find (spec/api.md §3.1) → AST. Field criteria go through the
// record where parser, so operators, arguments and errors (with their JSON
// Pointers) are the record path's; what differs for edges is stated here:
// an array value is an exact list equality, and `type` names the
// relationship type. Thread-safe.
#ifndef LOOM_QUERY_PARSE_EDGE_WHERE_H_
#define LOOM_QUERY_PARSE_EDGE_WHERE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "query/parse/ast.h"
#include "query/parse/json_reader.h"

namespace loom::query::ast {

// Logical nodes over edge field criteria. kAnd/kOr/kNot/kNor/kXor combine
// `children` (kNot = NOT of their AND); kField is `criterion` on `field`
// ("type" or an edge property); kList is exact equality with the array
// `list`.
struct EdgePredicate {
  enum class Kind { kAnd, kOr, kNot, kNor, kXor, kField, kList };
  Kind kind = Kind::kAnd;
  std::vector<EdgePredicate> children;
  std::string field;
  Criterion criterion;
  Json list;
};

struct EdgeOrderKey {
  std::string key;  // "type" or an edge property
  bool descending = false;
};

}  // namespace loom::query::ast

namespace loom::query {

// `where` without its `direction` member. Errors: INVALID_QUERY at `path`.
absl::StatusOr<ast::EdgePredicate> ParseEdgeWhere(const Json& where, std::string_view path,
                                                  const ParseOptions& opts = {});

// `orderBy` (nullptr = none): an object of "asc" / "desc" (any case).
absl::StatusOr<std::vector<ast::EdgeOrderKey>> ParseEdgeOrderBy(const Json* order_by);

}  // namespace loom::query

#endif  // LOOM_QUERY_PARSE_EDGE_WHERE_H_
