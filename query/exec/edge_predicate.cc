#include "query/exec/edge_predicate.h"

#include <cctype>
#include <optional>
#include <string>

namespace loom::query::exec {
namespace {

using ast::EdgePredicate;

// A string that starts like a datetime ("YYYY-MM-DDT").
bool LooksLikeDatetime(std::string_view s) {
  if (s.size() < 11) return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return s[4] == '-' && s[7] == '-' && s[10] == 'T';
}

std::optional<Scalar> JsonToScalar(const Json& j) {
  if (j.is_boolean()) return Scalar(j.get<bool>());
  if (j.is_number()) return Scalar(j.get<double>());
  if (j.is_string()) return Scalar(j.get<std::string>());
  return std::nullopt;
}

PropType TypeOfScalar(const Scalar& s) {
  if (std::holds_alternative<bool>(s)) return PropType::kBoolean;
  if (std::holds_alternative<double>(s)) return PropType::kNumber;
  return LooksLikeDatetime(std::get<std::string>(s)) ? PropType::kDatetime : PropType::kString;
}

// An (untyped) edge property as a typed value: the type is that of its
// (first non-null) element. nullopt for null / absent.
std::optional<Value> EdgeValue(const Json& j) {
  if (j.is_array()) {
    Value v;
    v.is_array = true;
    bool typed = false;
    for (const Json& e : j) {
      std::optional<Scalar> s = JsonToScalar(e);
      if (!s) continue;
      if (!typed) {
        v.type = TypeOfScalar(*s);
        typed = true;
      }
      v.items.push_back(std::move(*s));
    }
    return v;
  }
  std::optional<Scalar> s = JsonToScalar(j);
  if (!s) return std::nullopt;
  const PropType type = TypeOfScalar(*s);
  return Value::Of(type, std::move(*s));
}

bool IsStringOp(ast::CompareOp op) {
  return op == ast::CompareOp::kContains || op == ast::CompareOp::kStartsWith || op == ast::CompareOp::kEndsWith;
}

// A criterion on an edge value: like a record field, except that the string
// operators apply to the string form of any element.
Truth EvalEdgeCriterion(const ast::Criterion& c, const Value* v) {
  using Kind = ast::Criterion::Kind;
  switch (c.kind) {
    case Kind::kCompare:
      if (IsStringOp(c.op) && v != nullptr && v->type != PropType::kString && v->type != PropType::kDatetime) {
        Value text;
        text.is_array = v->is_array;
        for (const Scalar& s : v->items) text.items.push_back(ScalarToString(s));
        return EvalCriterion(c, &text);
      }
      return EvalCriterion(c, v);
    case Kind::kAnd:
    case Kind::kNot: {
      Truth t = Truth::kTrue;
      for (const ast::Criterion& child : c.children) t = And3(t, EvalEdgeCriterion(child, v));
      return c.kind == Kind::kNot ? Not3(t) : t;
    }
    case Kind::kOr:
    case Kind::kNor: {
      Truth t = Truth::kFalse;
      for (const ast::Criterion& child : c.children) t = Or3(t, EvalEdgeCriterion(child, v));
      return c.kind == Kind::kNor ? Not3(t) : t;
    }
    case Kind::kXor: {
      Truth t = Truth::kFalse;
      for (const ast::Criterion& child : c.children) t = Xor3(t, EvalEdgeCriterion(child, v));
      return t;
    }
  }
  return Truth::kUnknown;
}

}  // namespace

Truth EvalEdgePredicate(const EdgePredicate& pred, const EdgeFacts& edge) {
  using Kind = EdgePredicate::Kind;
  switch (pred.kind) {
    case Kind::kField:
    case Kind::kList: {
      const Json* raw = nullptr;
      Json type_json;
      if (pred.field == "type") {
        type_json = std::string(edge.type);
        raw = &type_json;
      } else if (edge.properties != nullptr) {
        auto it = edge.properties->find(pred.field);
        if (it != edge.properties->end() && !it->is_null()) raw = &*it;
      }
      if (pred.kind == Kind::kList) {
        if (raw == nullptr) return Truth::kUnknown;
        return FromBool(*raw == pred.list);
      }
      std::optional<Value> value;
      if (raw != nullptr) {
        value = pred.field == "type" ? Value::Of(PropType::kString, std::string(edge.type)) : EdgeValue(*raw);
      }
      return EvalEdgeCriterion(pred.criterion, value ? &*value : nullptr);
    }
    case Kind::kAnd:
    case Kind::kNot: {
      Truth t = Truth::kTrue;
      for (const EdgePredicate& child : pred.children) t = And3(t, EvalEdgePredicate(child, edge));
      return pred.kind == Kind::kNot ? Not3(t) : t;
    }
    case Kind::kOr:
    case Kind::kNor: {
      Truth t = Truth::kFalse;
      for (const EdgePredicate& child : pred.children) t = Or3(t, EvalEdgePredicate(child, edge));
      return pred.kind == Kind::kNor ? Not3(t) : t;
    }
    case Kind::kXor: {
      Truth t = Truth::kFalse;
      for (const EdgePredicate& child : pred.children) t = Xor3(t, EvalEdgePredicate(child, edge));
      return t;
    }
  }
  return Truth::kUnknown;
}

bool ReadsEdgeProperties(const EdgePredicate& pred) {
  if (pred.kind == EdgePredicate::Kind::kField || pred.kind == EdgePredicate::Kind::kList) return pred.field != "type";
  for (const EdgePredicate& child : pred.children) {
    if (ReadsEdgeProperties(child)) return true;
  }
  return false;
}

}  // namespace loom::query::exec
