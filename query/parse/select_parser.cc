// Select parser. Recursion is bounded by the query's JSON depth, which
// ParseQuery checked before calling in.
#include "query/parse/select_parser.h"

#include <algorithm>
#include <functional>
#include <cmath>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loom/status.h"
#include "query/functions/aggregates.h"
#include "query/parse/pagination_helper.h"
#include "query/parse/parser.h"
#include "query/parse/str_cat.h"

namespace loom::query {
namespace {

using ast::Collect;
using ast::Expr;
using ast::GroupEntry;
using ast::Select;
using ast::SelectItem;

std::string Child(std::string_view path, std::string_view key) {
  return Cat(path, "/", EscapePointerToken(key));
}

const Json* Member(const Json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

void CollectAliases(const ast::Where& where, std::set<std::string>* out);
void CollectAliases(const ast::WhereNode& node, std::set<std::string>* out) {
  if (node.kind == ast::WhereNode::Kind::kBlock) {
    const ast::Block& b = node.AsBlock();
    if (b.alias) out->insert(*b.alias);
    CollectAliases(b.row_level, out);
    return;
  }
  for (const ast::WhereNode& child : node.children) CollectAliases(child, out);
}
void CollectAliases(const ast::Where& where, std::set<std::string>* out) {
  for (const ast::WhereNode& node : where.entries) CollectAliases(node, out);
}

struct TimeUnitName {
  std::string_view name;
  ast::TimeUnit unit;
  bool sized;
};
constexpr TimeUnitName kTimeUnits[] = {
    {"second", ast::TimeUnit::kSecond, false}, {"seconds", ast::TimeUnit::kSecond, true},
    {"minute", ast::TimeUnit::kMinute, false}, {"minutes", ast::TimeUnit::kMinute, true},
    {"hour", ast::TimeUnit::kHour, false},     {"hours", ast::TimeUnit::kHour, true},
    {"day", ast::TimeUnit::kDay, false},       {"week", ast::TimeUnit::kWeek, false},
    {"month", ast::TimeUnit::kMonth, false},   {"months", ast::TimeUnit::kMonth, true},
    {"quarter", ast::TimeUnit::kQuarter, false}, {"year", ast::TimeUnit::kYear, false},
    {"years", ast::TimeUnit::kYear, true},
};

class SelectParser {
 public:
  SelectParser(const ast::Query& query, const ParseOptions& opts) : query_(query), opts_(opts) {
    aliases_.insert("$record");
    CollectAliases(query.where, &aliases_);
  }

  absl::StatusOr<std::optional<Select>> Run() {
    Select select;
    if (query_.has_select) {
      LOOM_RETURN_IF_ERROR(ParseMap(query_.select, "/select", &select.items, /*label_collect=*/false));
    } else if (query_.aggregate.is_object() && !query_.aggregate.empty()) {
      select.legacy = true;
      LOOM_RETURN_IF_ERROR(ParseLegacy(query_.aggregate, &select.items));
    } else {
      return std::optional<Select>();
    }
    LOOM_RETURN_IF_ERROR(ResolveRefs(&select, select.legacy ? "/aggregate" : "/select"));
    for (const SelectItem& item : select.items) {
      if (item.expr.aggregate_level) select.has_aggregates = true;
      if (HasLabelCollect(item.expr)) select.has_label_collect = true;
    }
    if (query_.group_by.is_array() && !query_.group_by.empty()) {
      select.grouped = true;
      LOOM_RETURN_IF_ERROR(ParseGroupBy(&select));
      if (select.has_label_collect) {
        return InvalidQuery("/groupBy", "a label-form $collect cannot be combined with groupBy");
      }
    }
    return std::optional<Select>(std::move(select));
  }

 private:
  // --- select maps ---------------------------------------------------------
  absl::Status ParseMap(const Json& map, const std::string& path, std::vector<SelectItem>* out, bool label_collect) {
    for (const auto& [key, value] : map.items()) {
      SelectItem item;
      item.key = key;
      const std::string p = Child(path, key);
      LOOM_ASSIGN_OR_RETURN(item.expr, ParseExpr(value, p, label_collect));
      item.plain_ref = item.expr.kind == Expr::Kind::kField;
      out->push_back(std::move(item));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Expr> ParseRef(std::string_view text, const std::string& path, bool label_collect) {
    Expr e;
    e.path = path;
    if (text.empty() || text.front() != '$') {
      return InvalidQuery(path, Cat("\"", text, "\" is not an alias reference: string literals are not supported ",
                                    "(write \"$record.field\" or \"$alias.field\")"));
    }
    const size_t dot = text.find('.');
    e.alias = std::string(text.substr(0, dot));
    const bool self = e.alias == "$self";
    if (self ? !label_collect : aliases_.count(e.alias) == 0) {
      return InvalidQuery(path, Cat("unknown alias ", e.alias, self ? " ($self is only valid inside a label-form $collect)"
                                                                     : " (define it with $alias in a where block)"));
    }
    if (dot == std::string_view::npos) {
      e.kind = Expr::Kind::kRecord;
      return e;
    }
    e.field = std::string(text.substr(dot + 1));
    if (e.field.empty()) return InvalidQuery(path, Cat("\"", text, "\" names no field"));
    e.kind = Expr::Kind::kField;
    return e;
  }

  absl::StatusOr<Expr> ParseExpr(const Json& value, const std::string& path, bool label_collect) {
    if (value.is_string()) return ParseRef(value.get_ref<const std::string&>(), path, label_collect);
    if (value.is_number() || value.is_boolean()) {
      Expr e;
      e.kind = Expr::Kind::kLiteral;
      e.literal = value;
      if (value.is_number_unsigned()) {  // JSON text gives positive integers as unsigned
        const uint64_t u = value.get<uint64_t>();
        e.literal = u <= static_cast<uint64_t>(INT64_MAX) ? Json(static_cast<int64_t>(u)) : Json(static_cast<double>(u));
      }
      e.path = path;
      return e;
    }
    if (!value.is_object() || value.empty()) {
      return InvalidQuery(path, "a select expression is an alias reference, a number, a boolean or an operator object");
    }
    // `$avg` may carry `$precision` beside it; every other operator is alone.
    std::string op;
    for (const auto& [key, unused] : value.items()) {
      if (key == "$precision") continue;
      if (!op.empty()) return InvalidQuery(Child(path, key), Cat("one operator per expression object (found ", op, " and ", key, ")"));
      op = key;
    }
    if (op.empty()) return InvalidQuery(Child(path, "$precision"), "$precision needs $avg");
    const Json& arg = value[op];
    const std::string arg_path = Child(path, op);
    Expr e;
    e.path = path;
    if (const AggregateFunction* fn = FindAggregate(op)) {
      e.kind = Expr::Kind::kAggregate;
      e.function = fn;
      e.aggregate_level = true;
      if (const Json* precision = Member(value, "$precision")) {
        if (!fn->takes_precision) return InvalidQuery(Child(path, "$precision"), Cat("$precision only goes with $avg, not ", op));
        if (!precision->is_number_integer() || precision->get<int64_t>() < 0 || precision->get<int64_t>() > 15) {
          return InvalidQuery(Child(path, "$precision"), "$precision must be an integer from 0 to 15");
        }
        e.precision = static_cast<int>(precision->get<int64_t>());
      }
      if (arg.is_string() && arg == "*") {
        if (!fn->star_argument) return InvalidQuery(arg_path, Cat(op, " does not take \"*\""));
        return e;
      }
      LOOM_ASSIGN_OR_RETURN(Expr inner, ParseExpr(arg, arg_path, label_collect));
      if (inner.aggregate_level || inner.kind == Expr::Kind::kRef) {
        return InvalidQuery(arg_path, "aggregates cannot be nested (and $ref is not allowed inside one)");
      }
      if (inner.kind == Expr::Kind::kCollect) return InvalidQuery(arg_path, "$collect cannot be aggregated");
      e.args.push_back(std::move(inner));
      return e;
    }
    if (Member(value, "$precision") != nullptr) return InvalidQuery(Child(path, "$precision"), "$precision needs $avg");
    if (op == "$ref") {
      if (!arg.is_string()) return InvalidQuery(arg_path, "$ref names a select key (a string)");
      e.kind = Expr::Kind::kRef;
      e.field = arg.get<std::string>();  // resolved to ref_index by ResolveRefs
      return e;
    }
    static constexpr std::pair<std::string_view, ast::MathOp> kMath[] = {
        {"$add", ast::MathOp::kAdd}, {"$subtract", ast::MathOp::kSubtract},
        {"$multiply", ast::MathOp::kMultiply}, {"$divide", ast::MathOp::kDivide}};
    for (const auto& [name, math] : kMath) {
      if (op != name) continue;
      if (!arg.is_array() || arg.size() != 2) return InvalidQuery(arg_path, Cat(op, " takes exactly two operands"));
      e.kind = Expr::Kind::kMath;
      e.math = math;
      for (size_t i = 0; i < 2; ++i) {
        LOOM_ASSIGN_OR_RETURN(Expr operand, ParseExpr(arg[i], Cat(arg_path, "/", i), label_collect));
        if (operand.kind == Expr::Kind::kCollect) return InvalidQuery(Cat(arg_path, "/", i), "$collect is not a number");
        e.aggregate_level = e.aggregate_level || operand.aggregate_level;
        e.args.push_back(std::move(operand));
      }
      return e;
    }
    if (op == "$collect") return ParseCollect(arg, arg_path, path, label_collect);
    if (op == "$timeBucket") return ParseTimeBucket(arg, arg_path, path, label_collect);
    return InvalidQuery(arg_path, Cat("unknown select operator ", op));
  }

  absl::StatusOr<Expr> ParseTimeBucket(const Json& spec, const std::string& path, const std::string& expr_path,
                                       bool label_collect) {
    if (!spec.is_object()) return InvalidQuery(path, "$timeBucket takes {field, unit, size?}");
    const Json* field = Member(spec, "field");
    if (field == nullptr || !field->is_string()) return InvalidQuery(Child(path, "field"), "$timeBucket needs a field \"$alias.field\"");
    LOOM_ASSIGN_OR_RETURN(Expr target, ParseRef(field->get_ref<const std::string&>(), Child(path, "field"), label_collect));
    if (target.kind != Expr::Kind::kField) return InvalidQuery(Child(path, "field"), "$timeBucket needs a property (\"$alias.field\")");
    const Json* unit = Member(spec, "unit");
    Expr e;
    e.kind = Expr::Kind::kTimeBucket;
    e.path = expr_path;
    LOOM_RETURN_IF_ERROR(ParseUnit(unit, Member(spec, "size"), path, "unit", &e));
    e.args.push_back(std::move(target));
    return e;
  }

  absl::Status ParseUnit(const Json* unit, const Json* size, const std::string& path, std::string_view unit_key, Expr* e) {
    const TimeUnitName* found = nullptr;
    if (unit != nullptr && unit->is_string()) {
      for (const TimeUnitName& u : kTimeUnits) {
        if (u.name == unit->get_ref<const std::string&>()) found = &u;
      }
    }
    if (found == nullptr) {
      return InvalidQuery(Child(path, unit_key), "unit must be one of second(s), minute(s), hour(s), day, week, month(s), quarter, year(s)");
    }
    e->unit = found->unit;
    e->size = 1;
    if (found->sized) {
      if (size == nullptr || !size->is_number_integer() || size->get<int64_t>() < 1) {
        return InvalidQuery(Child(path, "size"), Cat("unit \"", found->name, "\" needs size, a positive integer"));
      }
      e->size = size->get<int64_t>();
    }
    return absl::OkStatus();
  }

  absl::Status ParseOrder(const Json* order, const std::string& path, std::vector<ast::OrderKey>* out) {
    if (order == nullptr || order->is_null()) return absl::OkStatus();
    if (!order->is_object()) return InvalidQuery(path, "orderBy must be an object {key: \"asc\" | \"desc\"}");
    for (const auto& [key, dir] : order->items()) {
      if (!dir.is_string() || (dir != "asc" && dir != "desc")) {
        return InvalidQuery(Child(path, key), "sort direction must be \"asc\" or \"desc\"");
      }
      out->push_back({key, dir == "desc", Child(path, key)});
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Expr> ParseCollect(const Json& spec, const std::string& path, const std::string& expr_path,
                                    bool label_collect) {
    if (!spec.is_object()) return InvalidQuery(path, "$collect takes an object with from (an alias) or label");
    Collect c;
    c.path = path;
    const Json* from = Member(spec, "from");
    const Json* label = Member(spec, "label");
    if (from != nullptr) {
      if (!from->is_string()) return InvalidQuery(Child(path, "from"), "from must be an alias (\"$name\")");
      c.from = from->get<std::string>();
      if (aliases_.count(c.from) == 0) return InvalidQuery(Child(path, "from"), Cat("unknown alias ", c.from));
    } else if (label != nullptr) {
      if (!label->is_string() || label->get_ref<const std::string&>().empty()) {
        return InvalidQuery(Child(path, "label"), "label must be a non-empty string");
      }
      c.label_form = true;
      c.label = label->get<std::string>();
    } else {
      return InvalidQuery(path, "$collect needs from (an alias) or label");
    }
    if (const Json* select = Member(spec, "select"); select != nullptr && !select->is_null()) {
      if (!select->is_object()) return InvalidQuery(Child(path, "select"), "select must be an object");
      c.has_select = true;
      for (const auto& [key, value] : select->items()) {
        const std::string p = Child(Child(path, "select"), key);
        if (c.label_form) {
          // Field refs ($self or an outer alias) and nested label collects;
          // anything else is dropped (§11.8, faithful).
          const bool nested = value.is_object() && value.size() == 1 && value.contains("$collect") &&
                              value["$collect"].is_object() && value["$collect"].contains("label");
          if (!value.is_string() && !nested) continue;
          if (value.is_string() && value.get_ref<const std::string&>().find('.') == std::string::npos) continue;
        } else if (!value.is_string()) {
          return InvalidQuery(p, "alias-form $collect select values must be \"$alias.field\" references");
        }
        SelectItem item;
        item.key = key;
        LOOM_ASSIGN_OR_RETURN(item.expr, ParseExpr(value, p, c.label_form));
        if (!c.label_form && item.expr.kind != Expr::Kind::kField) {
          return InvalidQuery(p, "alias-form $collect select values must be \"$alias.field\" references");
        }
        item.plain_ref = item.expr.kind == Expr::Kind::kField;
        c.select.push_back(std::move(item));
      }
    }
    LOOM_RETURN_IF_ERROR(ParseOrder(Member(spec, "orderBy"), Child(path, "orderBy"), &c.order));
    c.limit = HelperLimit(Member(spec, "limit"));
    c.skip = HelperSkip(Member(spec, "skip"));
    if (const Json* unique = Member(spec, "unique"); unique != nullptr && !unique->is_null()) {
      if (!unique->is_boolean()) return InvalidQuery(Child(path, "unique"), "unique must be a boolean");
      c.unique = unique->get<bool>();
    }
    if (c.label_form) {
      if (const Json* where = Member(spec, "where"); where != nullptr && !where->is_null()) {
        LOOM_ASSIGN_OR_RETURN(c.where, ParseWhere(*where, Child(path, "where"), opts_));
        LOOM_RETURN_IF_ERROR(CheckFieldOnly(c.where));
      }
    }
    Expr e;
    e.kind = Expr::Kind::kCollect;
    e.path = expr_path;
    e.aggregate_level = !c.label_form;
    e.collect.push_back(std::move(c));
    return e;
  }

  static absl::Status CheckFieldOnly(const ast::Where& where) {
    for (const ast::WhereNode& node : where.entries) LOOM_RETURN_IF_ERROR(CheckFieldOnly(node));
    return absl::OkStatus();
  }
  static absl::Status CheckFieldOnly(const ast::WhereNode& node) {
    if (node.kind == ast::WhereNode::Kind::kBlock || node.kind == ast::WhereNode::Kind::kCycle) {
      return InvalidQuery(node.path, "a $collect where takes field criteria only, not traversal blocks or $cycle");
    }
    for (const ast::WhereNode& child : node.children) LOOM_RETURN_IF_ERROR(CheckFieldOnly(child));
    return absl::OkStatus();
  }

  static bool HasLabelCollect(const Expr& e) {
    if (e.kind == Expr::Kind::kCollect && e.collect[0].label_form) return true;
    for (const Expr& a : e.args) {
      if (HasLabelCollect(a)) return true;
    }
    return false;
  }

  // --- $ref ------------------------------------------------------------------
  absl::Status BindRefs(Expr& e, const Select& select) {
    if (e.kind == Expr::Kind::kRef) {
      for (size_t i = 0; i < select.items.size(); ++i) {
        if (select.items[i].key == e.field) e.ref_index = static_cast<int>(i);
      }
      if (e.ref_index < 0) return InvalidQuery(Child(e.path, "$ref"), Cat("$ref names no select key \"", e.field, "\""));
    }
    for (Expr& a : e.args) LOOM_RETURN_IF_ERROR(BindRefs(a, select));
    return absl::OkStatus();
  }
  static void RefsOf(const Expr& e, std::vector<int>* out) {
    if (e.kind == Expr::Kind::kRef) out->push_back(e.ref_index);
    for (const Expr& a : e.args) RefsOf(a, out);
  }
  static void MarkAggregateLevel(Expr& e, const Select& select) {
    for (Expr& a : e.args) MarkAggregateLevel(a, select);
    if (e.kind == Expr::Kind::kRef) e.aggregate_level = select.items[e.ref_index].expr.aggregate_level;
    if (e.kind == Expr::Kind::kMath) e.aggregate_level = e.args[0].aggregate_level || e.args[1].aggregate_level;
  }

  // Binds every $ref, orders the items so that each follows what it refers
  // to (declaration order otherwise) and rejects cycles.
  absl::Status ResolveRefs(Select* select, const std::string& base) {
    const size_t n = select->items.size();
    std::vector<std::vector<int>> deps(n);
    for (size_t i = 0; i < n; ++i) {
      LOOM_RETURN_IF_ERROR(BindRefs(select->items[i].expr, *select));
      RefsOf(select->items[i].expr, &deps[i]);
    }
    std::vector<int> state(n, 0);  // 0 new, 1 visiting, 2 done
    std::vector<int> order;
    std::function<absl::Status(int)> visit = [&](int i) -> absl::Status {
      if (state[i] == 2) return absl::OkStatus();
      if (state[i] == 1) {
        return InvalidQuery(Child(base, select->items[i].key), Cat("$ref cycle through \"", select->items[i].key, "\""));
      }
      state[i] = 1;
      for (int d : deps[i]) LOOM_RETURN_IF_ERROR(visit(d));
      state[i] = 2;
      order.push_back(i);
      return absl::OkStatus();
    };
    for (size_t i = 0; i < n; ++i) LOOM_RETURN_IF_ERROR(visit(static_cast<int>(i)));
    select->eval_order = std::move(order);
    for (int i : select->eval_order) MarkAggregateLevel(select->items[i].expr, *select);
    return absl::OkStatus();
  }

  // --- groupBy -----------------------------------------------------------------
  absl::Status ParseGroupBy(Select* select) {
    std::set<std::string> outputs;
    for (size_t i = 0; i < query_.group_by.size(); ++i) {
      const std::string entry = query_.group_by[i].get<std::string>();
      const std::string path = Cat("/groupBy/", i);
      GroupEntry g;
      g.path = path;
      if (entry.front() == '$') {
        if (entry.find('.') == std::string::npos) {
          return InvalidQuery(path, Cat("\"", entry, "\" names an alias without a field (write \"", entry, ".field\")"));
        }
        LOOM_ASSIGN_OR_RETURN(g.dimension, ParseRef(entry, path, false));
        g.kind = GroupEntry::Kind::kDimension;
        g.output_key = g.dimension.field;
      } else {
        for (size_t k = 0; k < select->items.size(); ++k) {
          if (select->items[k].key == entry) g.select_index = static_cast<int>(k);
        }
        if (g.select_index < 0) {
          return InvalidQuery(path, Cat("\"", entry, "\" is neither \"$alias.field\" nor a select key"));
        }
        const SelectItem& item = select->items[g.select_index];
        g.output_key = entry;
        if (item.plain_ref) {
          g.kind = GroupEntry::Kind::kDimension;  // D1
          g.dimension = item.expr;
        } else {
          g.kind = GroupEntry::Kind::kMarker;
        }
      }
      if (!outputs.insert(g.output_key).second) {
        return InvalidQuery(path, Cat("two groupBy entries give the output key \"", g.output_key, "\""));
      }
      select->group_by.push_back(std::move(g));
    }
    // Select keys that are output (not plain refs, not listed) must not clash.
    for (const SelectItem& item : select->items) {
      if (item.plain_ref) continue;
      bool listed = false;
      for (const GroupEntry& g : select->group_by) listed = listed || (g.select_index >= 0 && select->items[g.select_index].key == item.key);
      if (!listed && outputs.count(item.key)) {
        return InvalidQuery(Child("/select", item.key), Cat("select key \"", item.key, "\" clashes with a groupBy output key"));
      }
    }
    return absl::OkStatus();
  }

  // --- legacy aggregate (§15) ---------------------------------------------------
  absl::StatusOr<Expr> LegacyField(const Json& spec, const std::string& path, const std::string& alias, bool required) {
    const Json* field = Member(spec, "field");
    if (field == nullptr || field->is_null()) {
      if (required) return InvalidQuery(Child(path, "field"), "this aggregate needs a field");
      return ParseRef(alias, Child(path, "alias"), false);
    }
    if (!field->is_string() || field->get_ref<const std::string&>().empty()) {
      return InvalidQuery(Child(path, "field"), "field must be a property name");
    }
    LOOM_ASSIGN_OR_RETURN(Expr e, ParseRef(alias, Child(path, "alias"), false));
    e.kind = Expr::Kind::kField;
    e.field = field->get<std::string>();
    e.path = Child(path, "field");
    return e;
  }

  absl::Status ParseLegacy(const Json& aggregate, std::vector<SelectItem>* out) {
    for (const auto& [key, spec] : aggregate.items()) {
      const std::string path = Child("/aggregate", key);
      SelectItem item;
      item.key = key;
      if (spec.is_string()) {
        LOOM_ASSIGN_OR_RETURN(item.expr, ParseRef(spec.get_ref<const std::string&>(), path, false));
        item.plain_ref = item.expr.kind == Expr::Kind::kField;
        out->push_back(std::move(item));
        continue;
      }
      if (!spec.is_object() || !spec.contains("fn") || !spec["fn"].is_string()) {
        return InvalidQuery(path, "an aggregate instruction is \"$alias.field\" or an object with fn");
      }
      const std::string fn = spec["fn"].get<std::string>();
      std::string alias = "$record";
      if (const Json* a = Member(spec, "alias"); a != nullptr && !a->is_null()) {
        if (!a->is_string()) return InvalidQuery(Child(path, "alias"), "alias must be a string");
        alias = a->get<std::string>();
      }
      Expr& e = item.expr;
      e.path = path;
      if (fn == "vector.similarity.cosine" || fn == "vector.similarity.euclidean") {
        e.kind = Expr::Kind::kSimilarity;
        e.similarity = fn == "vector.similarity.cosine" ? ast::Similarity::kCosine : ast::Similarity::kEuclidean;
        LOOM_ASSIGN_OR_RETURN(Expr target, LegacyField(spec, path, alias, true));
        e.args.push_back(std::move(target));
        const Json* q = Member(spec, "query");
        if (q == nullptr || !q->is_array() || q->empty()) return InvalidQuery(Child(path, "query"), "query must be a non-empty array of numbers");
        for (size_t i = 0; i < q->size(); ++i) {
          if (!(*q)[i].is_number()) return InvalidQuery(Cat(Child(path, "query"), "/", i), "query must hold numbers");
          e.vector.push_back((*q)[i].get<double>());
        }
      } else if (fn == "count" || fn == "sum" || fn == "avg" || fn == "min" || fn == "max") {
        e.kind = Expr::Kind::kAggregate;
        e.aggregate_level = true;
        e.function = FindAggregate(Cat("$", fn));
        LOOM_ASSIGN_OR_RETURN(Expr target, LegacyField(spec, path, alias, fn != "count"));
        if (fn == "count") {
          const Json* unique = Member(spec, "unique");
          e.distinct_rows = unique == nullptr || !unique->is_boolean() || unique->get<bool>();
        }
        if (const Json* precision = Member(spec, "precision"); precision != nullptr && !precision->is_null()) {
          if (!precision->is_number_integer() || precision->get<int64_t>() < 0 || precision->get<int64_t>() > 15) {
            return InvalidQuery(Child(path, "precision"), "precision must be an integer from 0 to 15");
          }
          e.precision = static_cast<int>(precision->get<int64_t>());
        }
        e.args.push_back(std::move(target));
      } else if (fn == "collect") {
        Collect c;
        c.path = path;
        c.from = alias;
        if (aliases_.count(alias) == 0) return InvalidQuery(Child(path, "alias"), Cat("unknown alias ", alias));
        if (const Json* field = Member(spec, "field"); field != nullptr && !field->is_null()) {
          if (!field->is_string()) return InvalidQuery(Child(path, "field"), "field must be a property name");
          c.values_of = field->get<std::string>();
        } else {
          LOOM_RETURN_IF_ERROR(ParseOrder(Member(spec, "orderBy"), Child(path, "orderBy"), &c.order));
        }
        if (Member(spec, "aggregate") != nullptr) {
          return InvalidQuery(Child(path, "aggregate"), "nested legacy aggregates are not supported; use a label-form $collect");
        }
        c.limit = HelperLimit(Member(spec, "limit"));
        c.skip = HelperSkip(Member(spec, "skip"));
        if (const Json* unique = Member(spec, "unique"); unique != nullptr && unique->is_boolean()) c.unique = unique->get<bool>();
        e.kind = Expr::Kind::kCollect;
        e.aggregate_level = true;
        e.collect.push_back(std::move(c));
      } else if (fn == "timeBucket") {
        e.kind = Expr::Kind::kTimeBucket;
        e.iso_output = true;
        LOOM_ASSIGN_OR_RETURN(Expr target, LegacyField(spec, path, alias, true));
        LOOM_RETURN_IF_ERROR(ParseUnit(Member(spec, "granularity"), Member(spec, "size"), path, "granularity", &e));
        e.args.push_back(std::move(target));
      } else {
        return InvalidQuery(Child(path, "fn"), Cat("unknown aggregate function \"", fn, "\""));
      }
      out->push_back(std::move(item));
    }
    return absl::OkStatus();
  }

  const ast::Query& query_;
  const ParseOptions& opts_;
  std::set<std::string> aliases_;
};

}  // namespace

absl::StatusOr<std::optional<ast::Select>> ParseSelect(const ast::Query& query, const ParseOptions& opts) {
  try {
    SelectParser parser(query, opts);
    return parser.Run();
  } catch (const std::exception& e) {
    return InvalidQuery("/select", Cat("invalid select: ", e.what()));
  }
}

}  // namespace loom::query
