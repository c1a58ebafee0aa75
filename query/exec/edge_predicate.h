// query/exec/edge_predicate.h: evaluating relationships.find's edge
// predicates (spec/api.md §3.1) on one relationship, with the record path's
// three-valued criteria (criteria.h); what differs for edges: properties are
// untyped JSON (a string starting like a datetime is a datetime) and the
// string operators read any element's string form. Pure; thread-safe.
#ifndef LOOM_QUERY_EXEC_EDGE_PREDICATE_H_
#define LOOM_QUERY_EXEC_EDGE_PREDICATE_H_

#include <string_view>

#include "loom/json.h"
#include "query/exec/criteria.h"
#include "query/parse/edge_where.h"

namespace loom::query::exec {

// What a predicate sees of one relationship.
struct EdgeFacts {
  std::string_view type;             // stored (canonical) type name
  const Json* properties = nullptr;  // an object, or nullptr for none
};

Truth EvalEdgePredicate(const ast::EdgePredicate& predicate, const EdgeFacts& edge);

// Whether the predicate reads edge properties (anything but `type`).
bool ReadsEdgeProperties(const ast::EdgePredicate& predicate);

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_EDGE_PREDICATE_H_
