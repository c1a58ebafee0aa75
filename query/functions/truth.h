// query/functions/truth.h: three-valued truth (spec/query.md §5.4) and its
// connectives. Header-only; thread-safe.
#ifndef LOOM_QUERY_FUNCTIONS_TRUTH_H_
#define LOOM_QUERY_FUNCTIONS_TRUTH_H_

#include <cstdint>

namespace loom::query {

enum class Truth : uint8_t { kTrue = 1, kFalse = 2, kUnknown = 4 };

inline Truth FromBool(bool b) { return b ? Truth::kTrue : Truth::kFalse; }

inline Truth And3(Truth a, Truth b) {
  if (a == Truth::kFalse || b == Truth::kFalse) return Truth::kFalse;
  if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
  return Truth::kTrue;
}
inline Truth Or3(Truth a, Truth b) {
  if (a == Truth::kTrue || b == Truth::kTrue) return Truth::kTrue;
  if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
  return Truth::kFalse;
}
inline Truth Xor3(Truth a, Truth b) {
  if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
  return FromBool((a == Truth::kTrue) != (b == Truth::kTrue));
}
inline Truth Not3(Truth a) {
  if (a == Truth::kUnknown) return a;
  return a == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
}

}  // namespace loom::query

#endif  // LOOM_QUERY_FUNCTIONS_TRUTH_H_
