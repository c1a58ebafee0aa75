// query/parse/parser.h: SearchQuery JSON → validated ast::Query.
//
// The second stage of the query pipeline (after ReadQueryJson). All the
// validation of spec/query.md §1, §3-§6, §9 happens here; later stages trust
// the AST. Errors are ErrorCode::kInvalidQuery carrying the RFC 6901 JSON
// Pointer of the offending node ("/where/age/$gte"). Safe on any Json, also
// one built by a C++ caller: nesting is checked iteratively before any
// recursive walk. Never throws. Thread-safe (no shared state).
#ifndef LOOM_QUERY_PARSE_PARSER_H_
#define LOOM_QUERY_PARSE_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "query/parse/ast.h"
#include "query/parse/json_reader.h"

namespace loom::query {

// Validates and converts a SearchQuery document. `select`, `groupBy` and
// `aggregate` are kept raw (only the §1 top-level rules are checked).
absl::StatusOr<ast::Query> ParseQuery(const Json& query, const ParseOptions& opts = {});

// Parses just a where-object (labels.find, properties.find, relationships.find
// source/target ...). Error paths are prefixed by `base_path` (e.g. "/where").
absl::StatusOr<ast::Where> ParseWhere(const Json& where, std::string_view base_path,
                                      const ParseOptions& opts = {});

}  // namespace loom::query

#endif  // LOOM_QUERY_PARSE_PARSER_H_
