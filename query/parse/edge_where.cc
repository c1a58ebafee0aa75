#include "query/parse/edge_where.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "loom/status.h"
#include "query/parse/parser.h"

namespace loom::query {
namespace {

using ast::EdgePredicate;

constexpr int kMaxDepth = 64;

absl::StatusOr<EdgePredicate> ParseObject(const Json& where, const std::string& path, const ParseOptions& opts,
                                          int depth);

// The elements of a logical operator: an array of where-objects, or an
// object whose members are single-key where-objects.
absl::StatusOr<std::vector<EdgePredicate>> ParseGroup(const Json& value, const std::string& path,
                                                      const ParseOptions& opts, int depth) {
  std::vector<EdgePredicate> out;
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      LOOM_ASSIGN_OR_RETURN(EdgePredicate p, ParseObject(value[i], JsonPointerChild(path, i), opts, depth + 1));
      out.push_back(std::move(p));
    }
  } else if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      LOOM_ASSIGN_OR_RETURN(EdgePredicate p, ParseObject(Json{{key, member}}, path, opts, depth + 1));
      out.push_back(std::move(p));
    }
  } else {
    return InvalidQuery(path, "expected an array or an object of conditions");
  }
  return out;
}

absl::StatusOr<EdgePredicate> ParseObject(const Json& where, const std::string& path, const ParseOptions& opts,
                                          int depth) {
  if (depth > kMaxDepth) return InvalidQuery(path, "where is nested too deeply");
  if (!where.is_object()) return InvalidQuery(path, "expected an object of conditions");
  EdgePredicate out;  // kAnd of the entries
  for (const auto& [key, value] : where.items()) {
    const std::string child_path = JsonPointerChild(path, key);
    if (!key.empty() && key[0] == '$') {
      static constexpr std::pair<std::string_view, EdgePredicate::Kind> kGroups[] = {
          {"$and", EdgePredicate::Kind::kAnd}, {"$or", EdgePredicate::Kind::kOr}, {"$not", EdgePredicate::Kind::kNot},
          {"$nor", EdgePredicate::Kind::kNor}, {"$xor", EdgePredicate::Kind::kXor}};
      const auto* group_kind = std::find_if(std::begin(kGroups), std::end(kGroups),
                                            [&](const auto& g) { return g.first == key; });
      if (group_kind == std::end(kGroups)) {
        return InvalidQuery(child_path, "unknown operator " + key + " in a relationship where");
      }
      EdgePredicate group;
      group.kind = group_kind->second;
      if (key == "$not" && value.is_object()) {
        LOOM_ASSIGN_OR_RETURN(EdgePredicate inner, ParseObject(value, child_path, opts, depth + 1));
        group.children.push_back(std::move(inner));
      } else {
        LOOM_ASSIGN_OR_RETURN(group.children, ParseGroup(value, child_path, opts, depth));
      }
      out.children.push_back(std::move(group));
      continue;
    }
    EdgePredicate field;
    field.field = key;
    if (value.is_array()) {
      field.kind = EdgePredicate::Kind::kList;
      field.list = value;
    } else {
      // One field through the record where parser: primitives, null and
      // operator objects have the record meaning.
      LOOM_ASSIGN_OR_RETURN(ast::Where parsed, ParseWhere(Json{{key, value}}, path, opts));
      if (parsed.entries.size() != 1 || parsed.entries[0].kind != ast::WhereNode::Kind::kField) {
        return InvalidQuery(child_path, "not a relationship predicate: give `type` or an edge property");
      }
      field.kind = EdgePredicate::Kind::kField;
      field.criterion = std::move(parsed.entries[0].criterion);
    }
    out.children.push_back(std::move(field));
  }
  return out;
}

}  // namespace

absl::StatusOr<ast::EdgePredicate> ParseEdgeWhere(const Json& where, std::string_view path, const ParseOptions& opts) {
  return ParseObject(where, std::string(path), opts, 0);
}

absl::StatusOr<std::vector<ast::EdgeOrderKey>> ParseEdgeOrderBy(const Json* order) {
  std::vector<ast::EdgeOrderKey> out;
  if (order == nullptr) return out;
  if (!order->is_object()) return InvalidQuery("/orderBy", "orderBy must be an object {key: \"asc\" | \"desc\"}");
  for (const auto& [key, dir] : order->items()) {
    std::string d = dir.is_string() ? dir.get<std::string>() : "";
    std::transform(d.begin(), d.end(), d.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (d != "asc" && d != "desc") return InvalidQuery(JsonPointerChild("/orderBy", key), "expected \"asc\" or \"desc\"");
    out.push_back({key, d == "desc"});
  }
  return out;
}

}  // namespace loom::query
