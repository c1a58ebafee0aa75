#include "query/exec/criteria.h"

#include <cmath>
#include <optional>
#include <string_view>

#include "loom/datetime.h"

namespace loom::query::exec {
namespace {

using ast::Argument;
using ast::CompareOp;
using ast::Criterion;

constexpr Truth T = Truth::kTrue;
constexpr Truth F = Truth::kFalse;
constexpr Truth U = Truth::kUnknown;

Truth FromBool(bool b) { return b ? T : F; }

// Any-element test: TRUE if some element is TRUE, else UNKNOWN if some is
// UNKNOWN, else FALSE (an empty list is FALSE).
template <typename Fn>
Truth AnyElement(const Value& value, Fn&& fn) {
  Truth result = F;
  for (const Scalar& e : value.items) {
    const Truth t = fn(e);
    if (t == T) return T;
    if (t == U) result = U;
  }
  return result;
}

std::optional<Instant> ElementInstant(const Scalar& e) {
  const auto* s = std::get_if<std::string>(&e);
  if (s == nullptr) return std::nullopt;
  return ParseDatetimeInstant(*s);
}

bool IsDatetime(const Value& v) { return v.type == PropType::kDatetime; }

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool ContainsIgnoringAsciiCase(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && LowerAscii(hay[i + j]) == LowerAscii(needle[j])) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

// Whether element `e` of `value` equals list member `m` ($in / $nin).
bool MemberMatches(const Value& value, const Scalar& e, const Argument& m) {
  switch (m.kind) {
    case Argument::Kind::kString:
      return ScalarEquals(e, Scalar(m.string));
    case Argument::Kind::kNumber:
      return ScalarEquals(e, Scalar(m.number));
    case Argument::Kind::kBoolean:
      return ScalarEquals(e, Scalar(m.boolean));
    case Argument::Kind::kInstant: {
      if (!IsDatetime(value) || !m.instant) return false;
      auto inst = ElementInstant(e);
      return inst && *inst == *m.instant;
    }
    default:
      return false;
  }
}

bool HasInstantMember(const Argument& list) {
  for (const Argument& m : list.items) {
    if (m.kind == Argument::Kind::kInstant) return true;
  }
  return false;
}

std::optional<Scalar> ScalarArg(const Argument& a) {
  switch (a.kind) {
    case Argument::Kind::kString:
      return Scalar(a.string);
    case Argument::Kind::kNumber:
      return Scalar(a.number);
    case Argument::Kind::kBoolean:
      return Scalar(a.boolean);
    default:
      return std::nullopt;
  }
}

bool CompareOrdered(CompareOp op, int cmp) {
  switch (op) {
    case CompareOp::kGt:
      return cmp > 0;
    case CompareOp::kGte:
      return cmp >= 0;
    case CompareOp::kLt:
      return cmp < 0;
    default:
      return cmp <= 0;
  }
}

Truth EvalCompare(const Criterion& c, const Value* v) {
  const Argument& arg = c.arg;
  switch (c.op) {
    case CompareOp::kEq:
    case CompareOp::kNe: {
      const bool eq = c.op == CompareOp::kEq;
      if (arg.kind == Argument::Kind::kNull) return FromBool((v == nullptr) == eq);
      if (v == nullptr) return U;
      if (arg.kind == Argument::Kind::kInstant) {
        if (!IsDatetime(*v) || !arg.instant) return F;
        return AnyElement(*v, [&](const Scalar& e) {
          auto inst = ElementInstant(e);
          if (!inst) return F;
          return FromBool((*inst == *arg.instant) == eq);
        });
      }
      auto x = ScalarArg(arg);
      if (!x) return F;
      return AnyElement(*v, [&](const Scalar& e) { return FromBool(ScalarEquals(e, *x) == eq); });
    }
    case CompareOp::kIn:
    case CompareOp::kNin: {
      const bool in = c.op == CompareOp::kIn;
      if (v == nullptr) {
        if (arg.contains_null) return FromBool(in);
        return U;
      }
      if (!in && HasInstantMember(arg) && !IsDatetime(*v)) return F;
      bool found = false;
      for (const Scalar& e : v->items) {
        for (const Argument& m : arg.items) {
          if (MemberMatches(*v, e, m)) {
            found = true;
            break;
          }
        }
        if (found) break;
      }
      return FromBool(found == in);
    }
    case CompareOp::kGt:
    case CompareOp::kGte:
    case CompareOp::kLt:
    case CompareOp::kLte: {
      if (v == nullptr) return U;
      if (arg.kind == Argument::Kind::kInstant) {
        if (!IsDatetime(*v) || !arg.instant) return F;
        return AnyElement(*v, [&](const Scalar& e) {
          auto inst = ElementInstant(e);
          if (!inst) return F;
          const int cmp = *inst < *arg.instant ? -1 : (*inst == *arg.instant ? 0 : 1);
          return FromBool(CompareOrdered(c.op, cmp));
        });
      }
      if (arg.kind != Argument::Kind::kNumber) return U;
      return AnyElement(*v, [&](const Scalar& e) {
        const auto* d = std::get_if<double>(&e);
        if (d == nullptr) return U;
        if (std::isnan(*d) || std::isnan(arg.number)) return F;
        const int cmp = *d < arg.number ? -1 : (*d == arg.number ? 0 : 1);
        return FromBool(CompareOrdered(c.op, cmp));
      });
    }
    case CompareOp::kContains:
    case CompareOp::kStartsWith:
    case CompareOp::kEndsWith: {
      if (v == nullptr) return U;
      const std::string& x = arg.string;
      return AnyElement(*v, [&](const Scalar& e) {
        const auto* s = std::get_if<std::string>(&e);
        if (s == nullptr) return U;
        if (c.op == CompareOp::kContains) return FromBool(ContainsIgnoringAsciiCase(*s, x));
        if (c.op == CompareOp::kStartsWith) return FromBool(std::string_view(*s).substr(0, x.size()) == x);
        return FromBool(s->size() >= x.size() && std::string_view(*s).substr(s->size() - x.size()) == x);
      });
    }
    case CompareOp::kExists:
      return FromBool((v != nullptr) == arg.boolean);
    case CompareOp::kType:
      if (arg.string == "null") return FromBool(v == nullptr);
      if (v == nullptr) return U;
      return FromBool(PropTypeName(v->type) == arg.string);
  }
  return U;
}

}  // namespace

Truth And3(Truth a, Truth b) {
  if (a == F || b == F) return F;
  if (a == U || b == U) return U;
  return T;
}
Truth Or3(Truth a, Truth b) {
  if (a == T || b == T) return T;
  if (a == U || b == U) return U;
  return F;
}
Truth Xor3(Truth a, Truth b) {
  if (a == U || b == U) return U;
  return FromBool((a == T) != (b == T));
}
Truth Not3(Truth a) {
  if (a == U) return U;
  return a == T ? F : T;
}

Truth EvalCriterion(const Criterion& c, const Value* value) {
  switch (c.kind) {
    case Criterion::Kind::kCompare:
      return EvalCompare(c, value);
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
  return U;
}

}  // namespace loom::query::exec
