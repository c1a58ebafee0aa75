// query/parse/pagination_helper.h: RushDB's pagination helper (query.md §9),
// used without request validation by `$collect`, the legacy `collect`,
// records.export and other places that page: a limit that is not a number,
// below 1 or above 1000 becomes 100; a skip that is not a positive number
// becomes 0. Header-only; thread-safe.
#ifndef LOOM_QUERY_PARSE_PAGINATION_HELPER_H_
#define LOOM_QUERY_PARSE_PAGINATION_HELPER_H_

#include <cstdint>
#include <limits>

#include "loom/json.h"

namespace loom::query {

// `limit` may be nullptr (absent).
inline int64_t HelperLimit(const Json* limit) {
  if (limit == nullptr || !limit->is_number()) return 100;
  const double d = limit->get<double>();
  if (!(d >= 1) || d > 1000) return 100;
  return static_cast<int64_t>(d);
}

inline int64_t HelperSkip(const Json* skip) {
  if (skip == nullptr || !skip->is_number()) return 0;
  const double d = skip->get<double>();
  if (!(d > 0)) return 0;
  return d >= 9e18 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(d);
}

}  // namespace loom::query

#endif  // LOOM_QUERY_PARSE_PAGINATION_HELPER_H_
