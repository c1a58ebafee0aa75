// query/parse/select_parser.h: `select`, `groupBy` and the legacy `aggregate`
// clause (spec/query.md §11, §12, §15) → ast::Select, with the §18 select and
// groupBy errors (ErrorCode::kInvalidQuery with the JSON Pointer of the bad
// node). Called by ParseQuery once `where` is parsed, because select
// expressions may name the where's `$alias`es. Thread-safe.
#ifndef LOOM_QUERY_PARSE_SELECT_PARSER_H_
#define LOOM_QUERY_PARSE_SELECT_PARSER_H_

#include <optional>

#include "absl/status/statusor.h"
#include "query/parse/ast.h"
#include "query/parse/json_reader.h"
#include "query/parse/select_ast.h"

namespace loom::query {

// nullopt when the query has neither a non-empty select nor an aggregate.
absl::StatusOr<std::optional<ast::Select>> ParseSelect(const ast::Query& query, const ParseOptions& opts);

}  // namespace loom::query

#endif  // LOOM_QUERY_PARSE_SELECT_PARSER_H_
