// The where-operator registry: names and argument rules (parser), evaluators
// (query.md §4; the executor's Matcher and relationships.find) and
// index-range builders (the planner).
#include "query/functions/where_ops.h"

#include <array>
#include <cmath>
#include <optional>
#include <string_view>

#include "loom/datetime.h"

namespace loom::query {
namespace {

using ast::Argument;
using ast::CompareOp;
using ast::Criterion;
using CK = ast::Criterion::Kind;
using DC = DatetimeComponent;
using G = WhereOpGroup;
using O = Operand;
using I = IndexUse;

constexpr Truth T = Truth::kTrue;
constexpr Truth F = Truth::kFalse;
constexpr Truth U = Truth::kUnknown;

// --- evaluation helpers (§4.2, §4.3) -------------------------------------------

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

// Whether element `e` of `value` equals list member `m` ($in / $nin).
bool MemberMatches(const Value& value, const Scalar& e, const Argument& m) {
  if (m.kind == Argument::Kind::kInstant) {
    if (!IsDatetime(value) || !m.instant) return false;
    auto inst = ElementInstant(e);
    return inst && *inst == *m.instant;
  }
  auto x = ScalarArg(m);
  return x && ScalarEquals(e, *x);
}

bool HasInstantMember(const Argument& list) {
  for (const Argument& m : list.items) {
    if (m.kind == Argument::Kind::kInstant) return true;
  }
  return false;
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

// --- evaluators (§4.4) ---------------------------------------------------------

// `$eq` / `$ne` (and the `field: x` shorthand).
Truth EvalEquality(const Criterion& c, const Value* v) {
  const Argument& arg = c.arg;
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

// `$in` (any element in the set) / `$nin` (no element in the set).
Truth EvalMembership(const Criterion& c, const Value* v) {
  const Argument& arg = c.arg;
  const bool in = c.op == CompareOp::kIn;
  if (v == nullptr) return arg.contains_null ? FromBool(in) : U;
  if (!in && HasInstantMember(arg) && !IsDatetime(*v)) return F;
  for (const Scalar& e : v->items) {
    for (const Argument& m : arg.items) {
      if (MemberMatches(*v, e, m)) return FromBool(in);
    }
  }
  return FromBool(!in);
}

// `$gt $gte $lt $lte`: numbers numerically; datetimes as instants, only on
// datetime-typed fields (§4.6).
Truth EvalRange(const Criterion& c, const Value* v) {
  const Argument& arg = c.arg;
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

// `$contains` (literal, ASCII-case-insensitive, D5), `$startsWith`,
// `$endsWith` (case-sensitive).
Truth EvalText(const Criterion& c, const Value* v) {
  if (v == nullptr) return U;
  const std::string& x = c.arg.string;
  return AnyElement(*v, [&](const Scalar& e) {
    const auto* s = std::get_if<std::string>(&e);
    if (s == nullptr) return U;
    if (c.op == CompareOp::kContains) return FromBool(ContainsIgnoringAsciiCase(*s, x));
    if (c.op == CompareOp::kStartsWith) return FromBool(std::string_view(*s).substr(0, x.size()) == x);
    return FromBool(s->size() >= x.size() && std::string_view(*s).substr(s->size() - x.size()) == x);
  });
}

Truth EvalExists(const Criterion& c, const Value* v) { return FromBool((v != nullptr) == c.arg.boolean); }

// `$type` reads the declared type (§4.7); "null" means absent.
Truth EvalType(const Criterion& c, const Value* v) {
  if (c.arg.string == "null") return FromBool(v == nullptr);
  if (v == nullptr) return U;
  return FromBool(PropTypeName(v->type) == c.arg.string);
}

// --- index ranges ---------------------------------------------------------------

bool IsScalarArg(const Argument& a) {
  return a.kind == Argument::Kind::kString || a.kind == Argument::Kind::kNumber || a.kind == Argument::Kind::kBoolean;
}

// One value's range; false when it has none. A datetime without an instant
// can match nothing (D15): no range, but answerable.
bool EqualityRange(const Argument& arg, IndexRanges* out) {
  KeyRange r;
  switch (arg.kind) {
    case Argument::Kind::kString:
      r.tag = KeyRange::Tag::kString;
      r.low = r.high = Scalar(arg.string);
      break;
    case Argument::Kind::kNumber:
      r.tag = KeyRange::Tag::kNumber;
      r.low = r.high = Scalar(arg.number);
      break;
    case Argument::Kind::kBoolean:
      r.tag = arg.boolean ? KeyRange::Tag::kTrue : KeyRange::Tag::kFalse;
      break;
    case Argument::Kind::kInstant:
      if (!arg.instant) return true;
      r.tag = KeyRange::Tag::kInstant;
      r.low_instant = r.high_instant = *arg.instant;
      break;
    default:
      return false;
  }
  out->ranges.push_back(r);
  return true;
}

// Every element of every property is indexed under its scalar tag, so
// equality on a scalar is exact.
bool EqualityIndex(const Criterion& c, IndexRanges* out) {
  if (!EqualityRange(c.arg, out)) return false;
  out->exact = IsScalarArg(c.arg);
  return true;
}

bool MembershipIndex(const Criterion& c, IndexRanges* out) {
  if (c.arg.contains_null) return false;  // absent records match too
  out->exact = true;
  for (const Argument& item : c.arg.items) {
    if (!EqualityRange(item, out)) return false;
    out->exact = out->exact && IsScalarArg(item);
  }
  return true;
}

// Only number elements compare TRUE with a number, and every datetime
// element with an instant is indexed as one, so both are exact.
bool RangeIndex(const Criterion& c, IndexRanges* out) {
  KeyRange r;
  const bool lower = c.op == CompareOp::kGt || c.op == CompareOp::kGte;
  const bool inclusive = c.op == CompareOp::kGte || c.op == CompareOp::kLte;
  if (c.arg.kind == Argument::Kind::kNumber) {
    r.tag = KeyRange::Tag::kNumber;
    (lower ? r.low : r.high) = Scalar(c.arg.number);
  } else if (c.arg.kind == Argument::Kind::kInstant) {
    if (!c.arg.instant) return true;  // D15: nothing matches
    r.tag = KeyRange::Tag::kInstant;
    (lower ? r.low_instant : r.high_instant) = *c.arg.instant;
  } else {
    return false;
  }
  (lower ? r.low_inclusive : r.high_inclusive) = inclusive;
  out->ranges.push_back(r);
  out->exact = true;
  return true;
}

// String elements in index order, compared case-sensitively as the index is.
bool PrefixIndex(const Criterion& c, IndexRanges* out) {
  if (c.arg.kind != Argument::Kind::kString) return false;
  KeyRange r;
  r.tag = KeyRange::Tag::kString;
  r.prefix = c.arg.string;
  out->ranges.push_back(r);
  out->exact = true;
  return true;
}

// --- the registry -----------------------------------------------------------------

using Eval = Truth (*)(const Criterion&, const Value*);
using Index = bool (*)(const Criterion&, IndexRanges*);

constexpr WhereOpSpec Cmp(std::string_view name, O operand, I index_use, CompareOp op, Eval eval, Index index,
                          std::string_view symbol) {
  return {name, G::kComparison, operand, index_use, op, CK::kCompare, DC::kNone, 0, 0, eval, index, symbol};
}
constexpr WhereOpSpec Comp(std::string_view name, DC c, int lo, int hi) {
  return {name, G::kComponent, O::kComponent, I::kNone, CompareOp::kEq, CK::kCompare, c, lo, hi, nullptr, nullptr, ""};
}
constexpr WhereOpSpec Logic(std::string_view name, CK kind) {
  return {name, G::kLogical, O::kLogical, I::kNone, CompareOp::kEq, kind, DC::kNone, 0, 0, nullptr, nullptr, ""};
}
constexpr WhereOpSpec Structural(std::string_view name) {
  return {name, G::kStructural, O::kSpecial, I::kNone, CompareOp::kEq, CK::kCompare, DC::kNone, 0, 0, nullptr, nullptr,
          ""};
}

constexpr std::array kWhereOps = {
    Cmp("$eq", O::kEquatable, I::kEquality, CompareOp::kEq, EvalEquality, EqualityIndex, "="),
    Cmp("$ne", O::kEquatable, I::kNone, CompareOp::kNe, EvalEquality, nullptr, "!="),
    Cmp("$in", O::kList, I::kInSet, CompareOp::kIn, EvalMembership, MembershipIndex, "in"),
    Cmp("$nin", O::kList, I::kNone, CompareOp::kNin, EvalMembership, nullptr, "not in"),
    Cmp("$gt", O::kRange, I::kRangeLow, CompareOp::kGt, EvalRange, RangeIndex, ">"),
    Cmp("$gte", O::kRange, I::kRangeLow, CompareOp::kGte, EvalRange, RangeIndex, ">="),
    Cmp("$lt", O::kRange, I::kRangeHigh, CompareOp::kLt, EvalRange, RangeIndex, "<"),
    Cmp("$lte", O::kRange, I::kRangeHigh, CompareOp::kLte, EvalRange, RangeIndex, "<="),
    Cmp("$contains", O::kString, I::kNone, CompareOp::kContains, EvalText, nullptr, "contains"),
    Cmp("$startsWith", O::kString, I::kPrefix, CompareOp::kStartsWith, EvalText, PrefixIndex, "startsWith"),
    Cmp("$endsWith", O::kString, I::kNone, CompareOp::kEndsWith, EvalText, nullptr, "endsWith"),
    Cmp("$exists", O::kBoolean, I::kExistence, CompareOp::kExists, EvalExists, nullptr, "exists"),
    Comp("$year", DC::kYear, 0, 9999),
    Comp("$month", DC::kMonth, 1, 12),
    Comp("$day", DC::kDay, 1, 31),
    Comp("$hour", DC::kHour, 0, 23),
    Comp("$minute", DC::kMinute, 0, 59),
    Comp("$second", DC::kSecond, 0, 59),
    Comp("$millisecond", DC::kMillisecond, 0, 999),
    Comp("$microsecond", DC::kMicrosecond, 0, 999999),
    Comp("$nanosecond", DC::kNanosecond, 0, 999999999),
    WhereOpSpec{"$type", G::kType, O::kString, I::kNone, CompareOp::kType, CK::kCompare, DC::kNone, 0, 0, EvalType,
                nullptr, "type"},
    Logic("$and", CK::kAnd),
    Logic("$or", CK::kOr),
    Logic("$not", CK::kNot),
    Logic("$nor", CK::kNor),
    Logic("$xor", CK::kXor),
    Structural("$id"),
    Structural("$cycle"),
    Structural("$relation"),
    Structural("$alias"),
};

}  // namespace

const WhereOpSpec* FindWhereOp(std::string_view name) {
  for (const WhereOpSpec& spec : kWhereOps) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const WhereOpSpec& CompareOpSpec(ast::CompareOp op) {
  for (const WhereOpSpec& spec : kWhereOps) {
    if (spec.evaluate != nullptr && spec.compare == op) return spec;
  }
  return kWhereOps[0];  // unreachable: every CompareOp has a row
}

std::span<const WhereOpSpec> AllWhereOps() { return kWhereOps; }

}  // namespace loom::query
