// SearchQuery parser. Recursion below is bounded: every entry point first
// checks the Json's nesting iteratively (CheckDepth), so the recursive walk
// never goes deeper than max_json_depth.
#include "query/parse/parser.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "loom/datetime.h"
#include "loom/status.h"
#include "query/parse/select_parser.h"
#include "query/parse/str_cat.h"
#include "query/functions/where_ops.h"

namespace loom::query {
namespace {


using ast::Argument;
using ast::Criterion;
using ast::WhereNode;

std::string Child(std::string_view path, std::string_view key) {
  return Cat(path, "/", EscapePointerToken(key));
}
std::string Child(std::string_view path, size_t index) { return Cat(path, "/", index); }

// Quotes a key for messages without dumping huge or odd text.
std::string Quote(std::string_view s) {
  if (s.size() > 64) return Cat("\"", s.substr(0, 64), "...\"");
  return Cat("\"", s, "\"");
}

const char* KindName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    case Json::value_t::binary: return "binary data";
    case Json::value_t::discarded: return "a discarded value";
    default: return "a number";
  }
}

bool IsPrimitive(const Json& v) {
  return v.is_null() || v.is_string() || v.is_number() || v.is_boolean();
}

// Integral JSON number → int64 exactly; nullopt for non-integers, non-finite
// values and anything outside int64 (1.5, 1e300, 2^63, 2^64 + 1).
std::optional<int64_t> ExactInt64(const Json& v) {
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || std::trunc(d) != d) return std::nullopt;
    if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) return std::nullopt;
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

// Whether `a` is within two single-character edits of `b` (a typo).
bool EditDistanceAtMost2(std::string_view a, std::string_view b) {
  if (a.size() > b.size() + 2 || b.size() > a.size() + 2) return false;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({sub, prev[j] + 1, cur[j - 1] + 1});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()] <= 2;
}

const WhereOpSpec* OpOf(std::string_view key) {
  if (key.empty() || key.front() != '$') return nullptr;
  return FindWhereOp(key);
}

bool IsCriteriaKeyGroup(WhereOpGroup g) {
  return g == WhereOpGroup::kComparison || g == WhereOpGroup::kComponent ||
         g == WhereOpGroup::kType || g == WhereOpGroup::kLogical;
}

// query.md §3 "criteria value".
bool IsCriteriaValue(const Json& v) {
  if (IsPrimitive(v)) return true;
  if (v.is_array()) {
    for (const Json& e : v) {
      if (!IsCriteriaValue(e)) return false;
    }
    return true;
  }
  if (!v.is_object() || v.empty()) return false;
  for (const auto& [key, value] : v.items()) {
    const WhereOpSpec* op = OpOf(key);
    if (op == nullptr || !IsCriteriaKeyGroup(op->group)) return false;
    if (!IsCriteriaValue(value)) return false;
  }
  return true;
}

bool IsComponentObject(const Json& v) {
  if (!v.is_object() || v.empty()) return false;
  for (const auto& [key, value] : v.items()) {
    const WhereOpSpec* op = OpOf(key);
    if (op == nullptr || op->group != WhereOpGroup::kComponent) return false;
  }
  return true;
}

// Iterative nesting check: nothing after it recurses deeper than `max_depth`.
absl::Status CheckDepth(const Json& root, std::string_view base_path, int max_depth) {
  struct Item {
    const Json* value;
    int depth;
    std::string path;
  };
  std::vector<Item> stack;
  stack.push_back({&root, 1, std::string(base_path)});
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    const Json& v = *item.value;
    if (!v.is_structured()) continue;
    if (item.depth > max_depth) {
      return InvalidQuery(item.path,
                          Cat("JSON nesting deeper than ", max_depth, " levels"));
    }
    if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i].is_structured()) stack.push_back({&v[i], item.depth + 1, Child(item.path, i)});
      }
    } else {
      for (const auto& [key, value] : v.items()) {
        if (value.is_structured()) stack.push_back({&value, item.depth + 1, Child(item.path, key)});
      }
    }
  }
  return absl::OkStatus();
}

class Parser {
 public:
  explicit Parser(const ParseOptions& opts) : opts_(opts) {}

  // A where-object at one level. `depth` = block depth of that level (0 =
  // root). `block` is non-null when the object is a block body ($relation and
  // $alias are then accepted).
  absl::StatusOr<ast::Where> ParseWhereObject(const Json& v, const std::string& path, int depth,
                                              ast::Block* block) {
    if (!v.is_object()) {
      return InvalidQuery(path, Cat("where must be an object, not ", KindName(v)));
    }
    ast::Where where;
    where.path = path;
    for (const auto& [key, value] : v.items()) {
      std::string p = Child(path, key);
      if (block != nullptr && key == "$relation") {
        LOOM_ASSIGN_OR_RETURN(block->relation, ParseRelation(value, p));
        continue;
      }
      if (block != nullptr && key == "$alias") {
        LOOM_RETURN_IF_ERROR(ParseAlias(value, p, block));
        continue;
      }
      LOOM_ASSIGN_OR_RETURN(std::optional<WhereNode> node, ParseEntry(key, value, p, depth));
      if (node.has_value()) where.entries.push_back(std::move(*node));
    }
    return where;
  }

  absl::StatusOr<ast::Query> ParseTop(const Json& q);

 private:
  absl::StatusOr<std::optional<WhereNode>> ParseEntry(const std::string& key, const Json& value,
                                                      const std::string& p, int depth) {
    const WhereOpSpec* op = OpOf(key);
    if (op != nullptr && op->group == WhereOpGroup::kLogical) {
      return ParseRecordGroup(*op, value, p, depth);
    }
    if (key == "$id" || key == "__id") {
      LOOM_ASSIGN_OR_RETURN(std::optional<Criterion> c, ParseCriteriaValue(value, p));
      if (!c.has_value()) return std::optional<WhereNode>();
      WhereNode node;
      node.kind = WhereNode::Kind::kId;
      node.criterion = std::move(*c);
      node.path = p;
      return std::optional<WhereNode>(std::move(node));
    }
    if (key == "$cycle") {
      WhereNode node;
      node.kind = WhereNode::Kind::kCycle;
      LOOM_ASSIGN_OR_RETURN(node.cycle, ParseCycle(value, p));
      node.path = p;
      return std::optional<WhereNode>(std::move(node));
    }
    if (key == "$relation" || key == "$alias") {
      return InvalidQuery(p, Cat(key, " is only valid directly inside a traversal block"));
    }
    if (!key.empty() && key.front() == '$') {
      if (op != nullptr) {
        return InvalidQuery(p, Cat(key, " is a field operator; it must be inside a "
                                                 "field's criteria object"));
      }
      return InvalidQuery(p, Cat("unknown operator ", Quote(key)));
    }
    if (value.is_array() && value.empty()) {
      return InvalidQuery(p, "an empty array is not a valid condition");
    }
    if (IsCriteriaValue(value)) {
      LOOM_ASSIGN_OR_RETURN(std::optional<Criterion> c, ParseCriteriaValue(value, p));
      if (!c.has_value()) return std::optional<WhereNode>();
      WhereNode node;
      node.kind = WhereNode::Kind::kField;
      node.field = key;
      node.criterion = std::move(*c);
      node.path = p;
      return std::optional<WhereNode>(std::move(node));
    }
    if (value.is_array()) {
      // An array holding a non-criteria element (e.g. a non-operator object).
      for (size_t i = 0; i < value.size(); ++i) {
        if (!IsCriteriaValue(value[i])) {
          return InvalidQuery(Child(p, i), "array elements must be values or criteria objects");
        }
      }
    }
    // Rule 9: a traversal block. An object that mixes operator keys with
    // non-operator keys or carries a bad operator argument is reported at the
    // offending key rather than silently becoming a traversal.
    LOOM_RETURN_IF_ERROR(RejectMisplacedOperators(value, p));
    WhereNode node;
    node.kind = WhereNode::Kind::kBlock;
    node.path = p;
    LOOM_ASSIGN_OR_RETURN(ast::Block block, ParseBlock(key, value, p, depth + 1));
    node.block.push_back(std::move(block));
    return std::optional<WhereNode>(std::move(node));
  }

  // A block body may not contain comparison/component/type keys: they mean a
  // misspelt operator or an invalid argument in a criteria object.
  absl::Status RejectMisplacedOperators(const Json& v, const std::string& p) {
    const std::string* misplaced = nullptr;
    for (const auto& [key, value] : v.items()) {
      if (key.empty() || key.front() != '$') continue;
      const WhereOpSpec* op = OpOf(key);
      if (op == nullptr) return InvalidQuery(Child(p, key), Cat("unknown operator ", Quote(key)));
      if (op->group != WhereOpGroup::kLogical && op->group != WhereOpGroup::kStructural &&
          misplaced == nullptr) {
        misplaced = &key;
      }
    }
    if (misplaced == nullptr) return absl::OkStatus();
    const std::string mp = Child(p, *misplaced);
    const Json& arg = v.at(*misplaced);
    if (!IsCriteriaValue(arg)) {
      return InvalidQuery(mp, Cat("invalid argument for ", *misplaced, ": ", KindName(arg)));
    }
    return InvalidQuery(mp, Cat(*misplaced,
                                         " cannot be combined with field names or traversal "
                                         "blocks in one object"));
  }

  absl::StatusOr<ast::Block> ParseBlock(const std::string& label, const Json& v,
                                        const std::string& p, int depth) {
    if (opts_.max_traversal_depth > 0 && depth > opts_.max_traversal_depth) {
      return InvalidQuery(p, Cat("traversal blocks nested deeper than ",
                                          opts_.max_traversal_depth, " levels"));
    }
    ast::Block block;
    block.label = label;
    block.depth = depth;
    block.path = p;
    block.relation.path = Child(p, "$relation");
    LOOM_ASSIGN_OR_RETURN(ast::Where all, ParseWhereObject(v, p, depth, &block));
    block.local.path = p;
    block.row_level.path = p;
    for (WhereNode& node : all.entries) {
      if (IsLocal(node)) {
        block.local.entries.push_back(std::move(node));
      } else {
        block.row_level.entries.push_back(std::move(node));
      }
    }
    return block;
  }

  // §6.4: field criteria, $id and logical groups of those only.
  static bool IsLocal(const WhereNode& node) {
    switch (node.kind) {
      case WhereNode::Kind::kField:
      case WhereNode::Kind::kId:
        return true;
      case WhereNode::Kind::kCycle:
      case WhereNode::Kind::kBlock:
        return false;
      default:
        for (const WhereNode& child : node.children) {
          if (!IsLocal(child)) return false;
        }
        return true;
    }
  }

  absl::StatusOr<std::optional<WhereNode>> ParseRecordGroup(const WhereOpSpec& op,
                                                            const Json& value,
                                                            const std::string& p, int depth) {
    WhereNode group;
    group.kind = GroupKind(op.logical);
    group.path = p;
    if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        std::string ep = Child(p, i);
        if (!value[i].is_object()) {
          return InvalidQuery(ep, Cat("elements of ", op.name,
                                               " must be objects, not ", KindName(value[i])));
        }
        LOOM_ASSIGN_OR_RETURN(ast::Where w, ParseWhereObject(value[i], ep, depth, nullptr));
        WhereNode element;
        element.kind = WhereNode::Kind::kAnd;
        element.children = std::move(w.entries);
        element.path = ep;
        group.children.push_back(std::move(element));
      }
    } else if (value.is_object()) {
      // {$or: {a: 1, b: 2}} ≡ {$or: [{a: 1}, {b: 2}]} (query.md §3).
      for (const auto& [key, inner] : value.items()) {
        std::string ep = Child(p, key);
        if (key == "$relation" || key == "$alias") {
          return InvalidQuery(ep, Cat(key, " is only valid directly inside a traversal block"));
        }
        LOOM_ASSIGN_OR_RETURN(std::optional<WhereNode> node, ParseEntry(key, inner, ep, depth));
        WhereNode element;
        element.kind = WhereNode::Kind::kAnd;
        element.path = ep;
        if (node.has_value()) element.children.push_back(std::move(*node));
        group.children.push_back(std::move(element));
      }
    } else {
      return InvalidQuery(p, Cat(op.name, " takes an array or an object, not ",
                                          KindName(value)));
    }
    if (group.children.empty()) return std::optional<WhereNode>();  // §5.1: dropped
    return std::optional<WhereNode>(std::move(group));
  }

  static WhereNode::Kind GroupKind(Criterion::Kind k) {
    switch (k) {
      case Criterion::Kind::kOr: return WhereNode::Kind::kOr;
      case Criterion::Kind::kNot: return WhereNode::Kind::kNot;
      case Criterion::Kind::kNor: return WhereNode::Kind::kNor;
      case Criterion::Kind::kXor: return WhereNode::Kind::kXor;
      default: return WhereNode::Kind::kAnd;
    }
  }

  // A criteria value (§3) for one field. nullopt when it reduces to nothing
  // (only empty logical groups).
  absl::StatusOr<std::optional<Criterion>> ParseCriteriaValue(const Json& v, const std::string& p) {
    if (IsPrimitive(v)) {
      Criterion c;
      c.kind = Criterion::Kind::kCompare;
      c.op = ast::CompareOp::kEq;
      c.path = p;
      LOOM_ASSIGN_OR_RETURN(c.arg, ParseScalar(v, p));
      return std::optional<Criterion>(std::move(c));
    }
    if (v.is_array()) {
      if (v.empty()) return InvalidQuery(p, "an empty array is not a valid condition");
      Criterion all;
      all.kind = Criterion::Kind::kAnd;
      all.path = p;
      for (size_t i = 0; i < v.size(); ++i) {
        LOOM_ASSIGN_OR_RETURN(std::optional<Criterion> c, ParseCriteriaValue(v[i], Child(p, i)));
        if (c.has_value()) all.children.push_back(std::move(*c));
      }
      return Simplify(std::move(all));
    }
    if (!IsCriteriaValue(v)) {
      return InvalidQuery(p, "expected a value or a criteria object");
    }
    // A criteria object: the AND of its keys (D8 for mixed comparison and
    // logical keys). The component keys together are one instant equality.
    Criterion all;
    all.kind = Criterion::Kind::kAnd;
    all.path = p;
    bool components_done = false;
    for (const auto& [key, value] : v.items()) {
      const WhereOpSpec& op = *OpOf(key);
      const std::string kp = Child(p, key);
      switch (op.group) {
        case WhereOpGroup::kComponent: {
          if (components_done) break;
          components_done = true;
          Json components = Json::object();
          for (const auto& [k2, v2] : v.items()) {
            if (OpOf(k2)->group == WhereOpGroup::kComponent) components[k2] = v2;
          }
          Criterion c;
          c.kind = Criterion::Kind::kCompare;
          c.op = ast::CompareOp::kEq;
          c.path = p;
          LOOM_ASSIGN_OR_RETURN(c.arg, ParseComponents(components, p));
          all.children.push_back(std::move(c));
          break;
        }
        case WhereOpGroup::kLogical: {
          LOOM_ASSIGN_OR_RETURN(std::optional<Criterion> c, ParseFieldGroup(op, value, kp));
          if (c.has_value()) all.children.push_back(std::move(*c));
          break;
        }
        default: {
          Criterion c;
          c.kind = Criterion::Kind::kCompare;
          c.op = op.compare;
          c.path = kp;
          LOOM_ASSIGN_OR_RETURN(c.arg, ParseOperand(op, value, kp));
          all.children.push_back(std::move(c));
          break;
        }
      }
    }
    return Simplify(std::move(all));
  }

  static std::optional<Criterion> Simplify(Criterion all) {
    if (all.children.empty()) return std::nullopt;
    if (all.children.size() == 1) return std::move(all.children.front());
    return all;
  }

  // Field-level logical group: elements are criteria values of the field.
  absl::StatusOr<std::optional<Criterion>> ParseFieldGroup(const WhereOpSpec& op, const Json& value,
                                                           const std::string& p) {
    Criterion group;
    group.kind = op.logical;
    group.path = p;
    if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        LOOM_ASSIGN_OR_RETURN(std::optional<Criterion> c, ParseCriteriaValue(value[i], Child(p, i)));
        if (c.has_value()) group.children.push_back(std::move(*c));
      }
    } else if (value.is_object()) {
      // Object form → one element per key; component keys stay together as
      // one instant (splitting them would leave elements without $year).
      bool components_done = false;
      for (const auto& [key, inner] : value.items()) {
        const WhereOpSpec& inner_op = *OpOf(key);
        Json element = Json::object();
        if (inner_op.group == WhereOpGroup::kComponent) {
          if (components_done) continue;
          components_done = true;
          for (const auto& [k2, v2] : value.items()) {
            if (OpOf(k2)->group == WhereOpGroup::kComponent) element[k2] = v2;
          }
          LOOM_ASSIGN_OR_RETURN(std::optional<Criterion> c, ParseCriteriaValue(element, p));
          if (c.has_value()) group.children.push_back(std::move(*c));
          continue;
        }
        element[key] = inner;
        LOOM_ASSIGN_OR_RETURN(std::optional<Criterion> c, ParseCriteriaValue(element, p));
        if (c.has_value()) group.children.push_back(std::move(*c));
      }
    } else {
      return InvalidQuery(p, Cat(op.name, " takes an array or an object, not ",
                                          KindName(value)));
    }
    if (group.children.empty()) return std::optional<Criterion>();
    return std::optional<Criterion>(std::move(group));
  }

  absl::StatusOr<Argument> ParseScalar(const Json& v, const std::string& p) {
    Argument a;
    if (v.is_null()) {
      a.kind = Argument::Kind::kNull;
    } else if (v.is_string()) {
      a.kind = Argument::Kind::kString;
      a.string = v.get<std::string>();
    } else if (v.is_boolean()) {
      a.kind = Argument::Kind::kBoolean;
      a.boolean = v.get<bool>();
    } else if (v.is_number()) {
      a.kind = Argument::Kind::kNumber;
      a.number = v.get<double>();
      if (!std::isfinite(a.number)) return InvalidQuery(p, "numbers must be finite");
    } else {
      return InvalidQuery(p, Cat("expected a string, number, boolean or null, not ",
                                          KindName(v)));
    }
    return a;
  }

  absl::StatusOr<Argument> ParseOperand(const WhereOpSpec& op, const Json& v, const std::string& p) {
    switch (op.operand) {
      case Operand::kEquatable:
        if (IsComponentObject(v)) return ParseComponents(v, p);
        if (!IsPrimitive(v)) {
          return InvalidQuery(p, Cat(op.name, " takes a string, number, boolean, null "
                                                       "or a datetime component object, not ",
                                              KindName(v)));
        }
        return ParseScalar(v, p);
      case Operand::kList:
        return ParseList(op, v, p);
      case Operand::kRange: {
        if (IsComponentObject(v)) return ParseComponents(v, p);
        if (v.is_number()) return ParseScalar(v, p);
        if (v.is_string()) {
          const std::string text = v.get<std::string>();
          if (!IsDatetimeText(text)) {
            return InvalidQuery(p, Cat(op.name, " takes a number, a datetime string or a "
                                                         "component object; ",
                                                Quote(text), " is not a datetime"));
          }
          Argument a;
          a.kind = Argument::Kind::kInstant;
          a.string = text;
          a.instant = ParseDatetimeInstant(text);  // nullopt: never satisfied (D15)
          return a;
        }
        return InvalidQuery(p, Cat(op.name, " takes a number, a datetime string or a "
                                                     "component object, not ",
                                            KindName(v)));
      }
      case Operand::kString:
        if (!v.is_string()) {
          return InvalidQuery(p, Cat(op.name, " takes a string, not ", KindName(v)));
        }
        return ParseScalar(v, p);
      case Operand::kBoolean:
        if (!v.is_boolean()) {
          return InvalidQuery(p, Cat(op.name, " takes a boolean, not ", KindName(v)));
        }
        return ParseScalar(v, p);
      default:
        return InvalidQuery(p, Cat("unexpected operator ", op.name));
    }
  }

  absl::StatusOr<Argument> ParseList(const WhereOpSpec& op, const Json& v, const std::string& p) {
    if (!v.is_array() || v.empty()) {
      return InvalidQuery(p, Cat(op.name, " takes a non-empty array"));
    }
    if (v.size() > opts_.max_in_items) {
      return InvalidQuery(p, Cat(op.name, " has ", v.size(), " items, more than the limit of ",
                                          opts_.max_in_items));
    }
    Argument list;
    list.kind = Argument::Kind::kList;
    std::optional<Argument::Kind> member_kind;
    for (size_t i = 0; i < v.size(); ++i) {
      const Json& m = v[i];
      const std::string mp = Child(p, i);
      if (m.is_null()) {
        list.contains_null = true;
        continue;
      }
      Argument a;
      if (IsComponentObject(m)) {
        LOOM_ASSIGN_OR_RETURN(a, ParseComponents(m, mp));
      } else if (IsPrimitive(m)) {
        LOOM_ASSIGN_OR_RETURN(a, ParseScalar(m, mp));
      } else {
        return InvalidQuery(mp, Cat(op.name, " members must be strings, numbers, booleans, "
                                                      "null or component objects, not ",
                                             KindName(m)));
      }
      if (member_kind.has_value() && *member_kind != a.kind) {
        return InvalidQuery(mp, Cat(op.name, " members must all have the same type"));
      }
      member_kind = a.kind;
      list.items.push_back(std::move(a));
    }
    return list;
  }

  // A datetime component object (§4.6) → one UTC instant.
  absl::StatusOr<Argument> ParseComponents(const Json& v, const std::string& p) {
    if (!v.contains("$year")) {
      return InvalidQuery(p, "a datetime component object needs $year");
    }
    int64_t values[10] = {0, 0, 1, 1, 0, 0, 0, 0, 0, 0};  // indexed by DatetimeComponent
    for (const auto& [key, value] : v.items()) {
      const WhereOpSpec& op = *OpOf(key);
      const std::string kp = Child(p, key);
      std::optional<int64_t> n = ExactInt64(value);
      if (!n.has_value()) {
        return InvalidQuery(kp, Cat(key, " must be an integer, not ", KindName(value)));
      }
      int64_t max = op.max_value;
      // Sub-second components combine as in Neo4j: a finer unit next to a
      // coarser one only fills the remainder.
      if (op.component == DatetimeComponent::kMicrosecond &&
          v.contains("$millisecond")) {
        max = 999;
      }
      if (op.component == DatetimeComponent::kNanosecond) {
        if (v.contains("$microsecond")) {
          max = 999;
        } else if (v.contains("$millisecond")) {
          max = 999999;
        }
      }
      if (*n < op.min_value || *n > max) {
        return InvalidQuery(kp, Cat(key, " must be between ", op.min_value, " and ", max));
      }
      values[static_cast<int>(op.component)] = *n;
    }
    using DC = DatetimeComponent;
    auto at = [&](DC c) { return values[static_cast<int>(c)]; };
    const std::string text =
        absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02dZ", at(DC::kYear), at(DC::kMonth),
                        at(DC::kDay), at(DC::kHour), at(DC::kMinute), at(DC::kSecond));
    std::optional<Instant> instant = ParseDatetimeInstant(text);
    if (!instant.has_value()) {
      return InvalidQuery(Child(p, "$day"), Cat("$day ", at(DC::kDay),
                                                         " does not exist in that month"));
    }
    instant->nanos = static_cast<int32_t>(at(DC::kMillisecond) * 1000000 +
                                          at(DC::kMicrosecond) * 1000 + at(DC::kNanosecond));
    Argument a;
    a.kind = Argument::Kind::kInstant;
    a.instant = instant;
    return a;
  }

  static ast::Direction DirectionOf(const Json& v) {
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      if (s == "out") return ast::Direction::kOut;
      if (s == "in") return ast::Direction::kIn;
    }
    return ast::Direction::kAny;
  }

  static bool IsStrictDirection(const Json& v) {
    return v.is_string() && (v == "in" || v == "out");
  }

  static std::vector<std::string> SplitTypes(std::string_view s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
      size_t bar = s.find('|', start);
      if (bar == std::string_view::npos) bar = s.size();
      if (bar > start) out.emplace_back(s.substr(start, bar - start));
      start = bar + 1;
    }
    return out;
  }

  absl::StatusOr<std::vector<std::string>> ParseTypes(const Json& obj, const std::string& p) {
    if (!obj.contains("type") || obj.at("type").is_null()) return std::vector<std::string>();
    const Json& t = obj.at("type");
    if (!t.is_string()) {
      return InvalidQuery(Child(p, "type"), Cat("type must be a string, not ", KindName(t)));
    }
    return SplitTypes(t.get_ref<const std::string&>());
  }

  absl::StatusOr<ast::RelationSpec> ParseRelation(const Json& v, const std::string& p) {
    ast::RelationSpec spec;
    spec.raw = v;
    spec.path = p;
    if (v.is_null()) return spec;
    if (v.is_string()) {
      spec.types = SplitTypes(v.get_ref<const std::string&>());
      return spec;
    }
    if (!v.is_object()) {
      return InvalidQuery(p, Cat("$relation must be a string or an object, not ",
                                          KindName(v)));
    }
    LOOM_ASSIGN_OR_RETURN(spec.types, ParseTypes(v, p));
    const bool has_direction = v.contains("direction") && !v.at("direction").is_null();
    // RushDB reads any other direction as "either"; a typo there silently
    // widens the answer, so loom rejects it (docs/spec-notes.md).
    if (has_direction && !IsStrictDirection(v.at("direction"))) {
      return InvalidQuery(Child(p, "direction"), Cat("direction must be \"in\" or \"out\" (omit it for either), not ",
                                                     v.at("direction").dump()));
    }
    if (v.contains("hops") && !v.at("hops").is_null()) {
      LOOM_ASSIGN_OR_RETURN(spec.hops, ParseHops(v.at("hops"), Child(p, "hops"), /*floor=*/1));
    }
    if (has_direction) spec.direction = DirectionOf(v.at("direction"));
    return spec;
  }

  // §6.9 hops (floor 1) and §6.10 cycle hops (floor 2, min defaults to 2).
  absl::StatusOr<ast::Hops> ParseHops(const Json& v, const std::string& p, int floor) {
    const int cap = opts_.max_traversal_hops;
    auto value = [&](const Json& n, const std::string& np, std::string_view what) -> absl::StatusOr<int> {
      std::optional<int64_t> i = ExactInt64(n);
      if (!i.has_value()) {
        return InvalidQuery(np, Cat(what, " must be an integer, not ",
                                             n.is_number() ? "a fraction or out-of-range number"
                                                           : KindName(n)));
      }
      if (*i < floor) return InvalidQuery(np, Cat(what, " must be at least ", floor));
      if (cap > 0 && *i > cap) {
        return InvalidQuery(np, Cat(what, " ", *i, " exceeds the hop limit of ", cap));
      }
      if (*i > std::numeric_limits<int>::max()) {
        return InvalidQuery(np, Cat(what, " is too large"));
      }
      return static_cast<int>(*i);
    };
    ast::Hops hops;
    if (v.is_number()) {
      LOOM_ASSIGN_OR_RETURN(hops.min, value(v, p, "hops"));
      hops.max = hops.min;
      return hops;
    }
    if (!v.is_object()) {
      return InvalidQuery(p, Cat("hops must be an integer or {min, max}, not ", KindName(v)));
    }
    hops.min = floor;
    if (v.contains("min") && !v.at("min").is_null()) {
      LOOM_ASSIGN_OR_RETURN(hops.min, value(v.at("min"), Child(p, "min"), "hops.min"));
    }
    if (v.contains("max") && !v.at("max").is_null()) {
      LOOM_ASSIGN_OR_RETURN(hops.max, value(v.at("max"), Child(p, "max"), "hops.max"));
    } else if (cap > 0) {
      return InvalidQuery(p, Cat("hops.max is required (hop limit ", cap, ")"));
    } else {
      hops.max = -1;
    }
    if (hops.max != -1 && hops.min > hops.max) {
      return InvalidQuery(p, Cat("hops.min ", hops.min, " is greater than hops.max ", hops.max));
    }
    return hops;
  }

  absl::StatusOr<ast::Cycle> ParseCycle(const Json& v, const std::string& p) {
    if (!v.is_object()) {
      return InvalidQuery(p, Cat("$cycle must be an object, not ", KindName(v)));
    }
    for (const auto& [key, value] : v.items()) {
      if (key != "type" && key != "direction" && key != "hops") {
        return InvalidQuery(Child(p, key), Cat("unknown $cycle key ", Quote(key),
                                                        " (allowed: type, direction, hops)"));
      }
    }
    ast::Cycle cycle;
    cycle.path = p;
    LOOM_ASSIGN_OR_RETURN(cycle.types, ParseTypes(v, p));
    if (!v.contains("hops") || v.at("hops").is_null()) {
      return InvalidQuery(p, "$cycle needs hops");
    }
    LOOM_ASSIGN_OR_RETURN(cycle.hops, ParseHops(v.at("hops"), Child(p, "hops"), /*floor=*/2));
    if (v.contains("direction") && !v.at("direction").is_null()) {
      if (!IsStrictDirection(v.at("direction"))) {
        return InvalidQuery(Child(p, "direction"), "direction must be \"in\" or \"out\"");
      }
      cycle.direction = DirectionOf(v.at("direction"));
    }
    return cycle;
  }

  absl::Status ParseAlias(const Json& v, const std::string& p, ast::Block* block) {
    if (!v.is_string()) {
      return InvalidQuery(p, Cat("$alias must be a string, not ", KindName(v)));
    }
    const std::string& name = v.get_ref<const std::string&>();
    if (name.size() < 2 || name.front() != '$') {
      return InvalidQuery(p, Cat("alias ", Quote(name), " must start with $ and name something"));
    }
    if (name == "$record" || name == "$self") {
      return InvalidQuery(p, Cat("alias ", name, " is reserved"));
    }
    if (!aliases_.insert(name).second) {
      return InvalidQuery(p, Cat("alias ", name, " is used twice"));
    }
    block->alias = name;
    return absl::OkStatus();
  }

  absl::Status ParseStringArray(const Json& v, const std::string& p, bool allow_nulls,
                                std::vector<std::string>* out) {
    if (!v.is_array()) {
      return InvalidQuery(p, Cat("expected an array of strings, not ", KindName(v)));
    }
    if (v.size() > opts_.max_in_items) {
      return InvalidQuery(p, Cat("array has ", v.size(), " items, more than the limit of ",
                                          opts_.max_in_items));
    }
    for (size_t i = 0; i < v.size(); ++i) {
      if (allow_nulls && v[i].is_null()) continue;
      if (!v[i].is_string() || v[i].get_ref<const std::string&>().empty()) {
        return InvalidQuery(Child(p, i), "expected a non-empty string");
      }
      out->push_back(v[i].get<std::string>());
    }
    return absl::OkStatus();
  }

  const ParseOptions& opts_;
  std::set<std::string> aliases_;
};

absl::StatusOr<ast::Query> Parser::ParseTop(const Json& q) {
  if (!q.is_object()) {
    return InvalidQuery("", Cat("query must be an object, not ", KindName(q)));
  }
  ast::Query query;
  query.where.path = "/where";
  // Unknown top-level keys: RushDB ignores them, so a typo (`wher`) silently
  // answers a different question. loom warns, or fails when strict.
  static constexpr std::string_view kKnownKeys[] = {"labels", "where",     "select", "groupBy", "orderBy",
                                                    "limit",  "skip",      "aggregate", "id",  "strict"};
  bool strict = opts_.strict;
  if (auto it = q.find("strict"); it != q.end()) {
    if (!it->is_boolean()) return InvalidQuery("/strict", "strict must be a boolean");
    strict = strict || it->get<bool>();
  }
  for (const auto& [key, unused] : q.items()) {
    if (std::find(std::begin(kKnownKeys), std::end(kKnownKeys), key) != std::end(kKnownKeys)) continue;
    std::string message = Cat("unknown key ", Quote(key), " is ignored");
    for (std::string_view known : kKnownKeys) {
      if (EditDistanceAtMost2(key, known)) {
        message += Cat(" (did you mean \"", known, "\"?)");
        break;
      }
    }
    if (strict) return InvalidQuery(Child("", key), Cat("unknown key ", Quote(key), message.substr(message.find(" is ignored") + 11)));
    query.warnings.push_back({Child("", key), std::move(message)});
  }
  auto get = [&](const char* key) -> const Json* {
    auto it = q.find(key);
    if (it == q.end() || it->is_null()) return nullptr;
    return &*it;
  };
  if (const Json* labels = get("labels")) {
    LOOM_RETURN_IF_ERROR(ParseStringArray(*labels, "/labels", /*allow_nulls=*/true, &query.labels));
  }
  if (const Json* where = get("where")) {
    LOOM_ASSIGN_OR_RETURN(query.where, ParseWhereObject(*where, "/where", 0, nullptr));
  }
  // orderBy (§8.1).
  query.order_by.keys = {{"__id", true, "/orderBy"}};
  if (const Json* order = get("orderBy")) {
    query.order_by.raw = *order;
    if (order->is_string()) {
      if (*order != "asc" && *order != "desc") {
        return InvalidQuery("/orderBy", "orderBy must be \"asc\", \"desc\" or an object");
      }
      query.order_by.keys.front().descending = *order == "desc";
    } else if (order->is_object()) {
      if (!order->empty()) {
        query.order_by.keys.clear();
        query.order_by.explicit_keys = true;
      }
      for (const auto& [key, dir] : order->items()) {
        std::string kp = Child("/orderBy", key);
        if (!dir.is_string() || (dir != "asc" && dir != "desc")) {
          return InvalidQuery(kp, "sort direction must be \"asc\" or \"desc\"");
        }
        query.order_by.keys.push_back({key, dir == "desc", kp});
      }
    } else {
      return InvalidQuery("/orderBy", Cat("orderBy must be \"asc\", \"desc\" or an object, not ",
                                                   KindName(*order)));
    }
  }
  // limit / skip (§1, §9): exact integers.
  if (const Json* limit = get("limit")) {
    std::optional<int64_t> n = ExactInt64(*limit);
    if (!n.has_value()) return InvalidQuery("/limit", "limit must be an integer");
    if (*n < 1) return InvalidQuery("/limit", "limit must be at least 1");
    query.limit = *n;
  }
  if (const Json* skip = get("skip")) {
    std::optional<int64_t> n = ExactInt64(*skip);
    if (!n.has_value()) return InvalidQuery("/skip", "skip must be an integer");
    if (*n < 0) return InvalidQuery("/skip", "skip must not be negative");
    query.skip = *n;
  }
  if (const Json* select = get("select")) {
    if (!select->is_object()) {
      return InvalidQuery("/select", Cat("select must be an object, not ", KindName(*select)));
    }
    if (!select->empty()) {
      query.has_select = true;
      query.select = *select;
    }
  }
  if (const Json* aggregate = get("aggregate")) {
    if (!aggregate->is_object()) {
      return InvalidQuery("/aggregate",
                          Cat("aggregate must be an object, not ", KindName(*aggregate)));
    }
    if (!aggregate->empty() && query.has_select) {
      return InvalidQuery("/select", "select and aggregate cannot both be given");
    }
    query.aggregate = *aggregate;
  }
  if (const Json* group_by = get("groupBy")) {
    std::vector<std::string> names;
    LOOM_RETURN_IF_ERROR(ParseStringArray(*group_by, "/groupBy", /*allow_nulls=*/false, &names));
    query.group_by = *group_by;
  }
  if (const Json* id = get("id")) {
    if (!id->is_string() || id->get_ref<const std::string&>().empty()) {
      return InvalidQuery("/id", "id must be a non-empty string");
    }
    query.related_id = id->get<std::string>();
  }
  return query;
}

}  // namespace

absl::StatusOr<ast::Query> ParseQuery(const Json& query, const ParseOptions& opts) {
  LOOM_RETURN_IF_ERROR(CheckDepth(query, "", opts.max_json_depth));
  try {
    Parser parser(opts);
    LOOM_ASSIGN_OR_RETURN(ast::Query parsed, parser.ParseTop(query));
    LOOM_ASSIGN_OR_RETURN(std::optional<ast::Select> select, ParseSelect(parsed, opts));
    if (select) parsed.output = std::make_shared<const ast::Select>(std::move(*select));
    return parsed;
  } catch (const std::exception& e) {
    return InvalidQuery("", Cat("invalid query: ", e.what()));
  }
}

absl::StatusOr<ast::Where> ParseWhere(const Json& where, std::string_view base_path,
                                      const ParseOptions& opts) {
  LOOM_RETURN_IF_ERROR(CheckDepth(where, base_path, opts.max_json_depth));
  try {
    Parser parser(opts);
    return parser.ParseWhereObject(where, std::string(base_path), 0, nullptr);
  } catch (const std::exception& e) {
    return InvalidQuery(base_path, Cat("invalid where: ", e.what()));
  }
}

}  // namespace loom::query
