#include "query/exec/criteria.h"

#include "query/functions/where_ops.h"

namespace loom::query::exec {

using ast::Criterion;

Truth EvalCriterion(const Criterion& c, const Value* value) {
  constexpr Truth T = Truth::kTrue, F = Truth::kFalse;
  switch (c.kind) {
    case Criterion::Kind::kCompare:
      return CompareOpSpec(c.op).evaluate(c, value);
    case Criterion::Kind::kAnd:
    case Criterion::Kind::kNot: {
      Truth t = T;
      for (const Criterion& child : c.children) {
        t = And3(t, EvalCriterion(child, value));
        if (t == F) break;
      }
      return c.kind == Criterion::Kind::kNot ? Not3(t) : t;
    }
    case Criterion::Kind::kOr:
    case Criterion::Kind::kNor: {
      Truth t = F;
      for (const Criterion& child : c.children) {
        t = Or3(t, EvalCriterion(child, value));
        if (t == T) break;
      }
      return c.kind == Criterion::Kind::kNor ? Not3(t) : t;
    }
    case Criterion::Kind::kXor: {
      if (c.children.empty()) return F;
      Truth t = EvalCriterion(c.children[0], value);
      for (size_t i = 1; i < c.children.size(); ++i) t = Xor3(t, EvalCriterion(c.children[i], value));
      return t;
    }
  }
  return Truth::kUnknown;
}

}  // namespace loom::query::exec
