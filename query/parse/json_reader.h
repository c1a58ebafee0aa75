// query/parse/json_reader.h: reading untrusted query text into loom::Json.
//
// The first stage of the query pipeline (text → Json → ast::Query). Safe on
// hostile input: the size and nesting limits are enforced while parsing (so
// 10^6 nested brackets never build a deep tree), duplicate object keys are
// rejected (nlohmann would keep the last one), invalid UTF-8, lone surrogates
// and numbers that overflow a double are rejected. Never throws. Thread-safe.
#ifndef LOOM_QUERY_PARSE_JSON_READER_H_
#define LOOM_QUERY_PARSE_JSON_READER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "loom/status.h"

namespace loom::query {

// Limits of the query parser (RELIABILITY.md §3 defaults).
struct ParseOptions {
  // Largest `hops` value (also `$cycle`); 0 = unlimited (D18).  Default: 10
  int max_traversal_hops = 10;
  // Longest accepted query text in bytes.  Default: 1 MiB
  size_t max_query_bytes = 1 << 20;
  // Deepest JSON nesting (objects and arrays; the top-level value is depth 1).
  // Default: 64
  int max_json_depth = 64;
  // Deepest traversal block nesting in `where`.  Default: 16
  int max_traversal_depth = 16;
  // Most members of `$in`/`$nin` (also `labels`, `groupBy`).  Default: 10000
  size_t max_in_items = 10000;
  // Unknown top-level keys are errors (INVALID_QUERY) instead of warnings;
  // a query can also ask for this with the loom extension key `"strict": true`.
  // Default: false
  bool strict = false;
};

// Parses JSON text into an order-preserving Json. A leading UTF-8 byte order
// mark is skipped. Errors (ErrorCode::kInvalidQuery): syntax errors, empty
// input, trailing garbage, invalid UTF-8 and lone surrogates (message with the
// byte offset, no path); text over max_query_bytes; nesting deeper than
// max_json_depth (path: pointer of the container that is too deep); a duplicate
// key (path: pointer of the second occurrence); a number that overflows a
// double (1e400).
absl::StatusOr<Json> ReadQueryJson(std::string_view text, const ParseOptions& opts = {});

// RFC 6901 escaping of one path token (from loom/status.h).
using ::loom::EscapePointerToken;

}  // namespace loom::query

#endif  // LOOM_QUERY_PARSE_JSON_READER_H_
