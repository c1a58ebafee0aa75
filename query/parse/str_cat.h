// query/parse/str_cat.h: Cat(...), string concatenation for error messages.
// The packaged Abseil's string_view is its own type, so absl::StrCat does not
// take std::string_view; this does (strings, string_views and numbers).
#ifndef LOOM_QUERY_PARSE_STR_CAT_H_
#define LOOM_QUERY_PARSE_STR_CAT_H_

#include <string>
#include <string_view>
#include <type_traits>

namespace loom::query {

inline void AppendPiece(std::string* out, std::string_view s) { out->append(s); }
template <typename T>
  requires std::is_arithmetic_v<T>
void AppendPiece(std::string* out, T v) {
  out->append(std::to_string(v));
}
template <typename... Args>
std::string Cat(const Args&... args) {
  std::string out;
  (AppendPiece(&out, args), ...);
  return out;
}

}  // namespace loom::query

#endif  // LOOM_QUERY_PARSE_STR_CAT_H_
