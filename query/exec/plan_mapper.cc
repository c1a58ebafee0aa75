#include "query/exec/plan_mapper.h"

#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "query/exec/match_operators.h"
#include "query/exec/order_operators.h"
#include "query/exec/select_operators.h"
#include "query/functions/aggregates.h"
#include "query/parse/select_ast.h"

namespace loom::query::exec {
namespace {

using plan::PlanOp;

const PlanOp* OpOf(const plan::LogicalPlan& plan, PlanOp::Role role) {
  for (const PlanOp& op : plan.ops) {
    if (op.role == role) return &op;
  }
  return nullptr;
}

double EstimateOf(const plan::LogicalPlan& plan, PlanOp::Role role, double otherwise = 0) {
  const PlanOp* op = OpOf(plan, role);
  return op != nullptr ? op->estimated_rows : otherwise;
}

std::string DetailOf(const plan::LogicalPlan& plan, PlanOp::Role role) {
  const PlanOp* op = OpOf(plan, role);
  return op != nullptr ? op->detail : std::string();
}

// A compact text of a select expression for explain.
std::string ExprText(const ast::Expr& e) {
  using Kind = ast::Expr::Kind;
  switch (e.kind) {
    case Kind::kField:
      return absl::StrCat(e.alias, ".", e.field);
    case Kind::kRecord:
      return e.alias;
    case Kind::kLiteral:
      return e.literal.dump();
    case Kind::kRef:
      return absl::StrCat("$ref(", e.field, ")");
    case Kind::kAggregate:
      return absl::StrCat(std::string(e.function->name), "(", e.args.empty() ? "*" : ExprText(e.args[0]), ")");
    case Kind::kMath: {
      static constexpr const char* kNames[] = {"$add", "$subtract", "$multiply", "$divide"};
      return absl::StrCat(kNames[static_cast<int>(e.math)], "(", ExprText(e.args[0]), ", ", ExprText(e.args[1]), ")");
    }
    case Kind::kCollect: {
      const ast::Collect& c = e.collect[0];
      return absl::StrCat("$collect(", c.label_form ? c.label : c.from, ")");
    }
    case Kind::kTimeBucket:
      return absl::StrCat("$timeBucket(", ExprText(e.args[0]), ")");
    case Kind::kSimilarity:
      return absl::StrCat(e.similarity == ast::Similarity::kCosine ? "cosine(" : "euclidean(", ExprText(e.args[0]),
                          ")");
  }
  return "";
}

std::string SelectText(const ast::Select& select) {
  std::vector<std::string> parts;
  for (const ast::SelectItem& item : select.items) parts.push_back(absl::StrCat(item.key, "=", ExprText(item.expr)));
  return absl::StrJoin(parts, ", ");
}

std::string KeysText(const std::vector<ast::OrderKey>& keys) {
  std::vector<std::string> parts;
  for (const ast::OrderKey& k : keys) parts.push_back(absl::StrCat(k.key, k.descending ? " desc" : " asc"));
  return absl::StrJoin(parts, ", ");
}

std::string PageText(int64_t skip, int64_t limit) {
  return skip > 0 ? absl::StrCat(limit, ", skip ", skip) : absl::StrCat(limit);
}

uint64_t SaturatingTop(int64_t skip, int64_t limit) {
  const uint64_t s = static_cast<uint64_t>(std::max<int64_t>(0, skip));
  const uint64_t l = static_cast<uint64_t>(std::max<int64_t>(0, limit));
  return s > std::numeric_limits<uint64_t>::max() - l ? std::numeric_limits<uint64_t>::max() : s + l;
}

class TreeBuilder {
 public:
  void Push(std::unique_ptr<PhysicalOperator> op) {
    op->set_id(count_++);
    if (top_ != nullptr) op->SetChild(std::move(top_));
    top_ = std::move(op);
  }
  PhysicalPlan Finish(const plan::LogicalPlan& plan) {
    PhysicalPlan out;
    out.root = std::move(top_);
    out.operator_count = count_;
    out.estimated_cost = plan.estimated_cost;
    out.alternatives = plan.alternatives;
    return out;
  }

 private:
  std::unique_ptr<PhysicalOperator> top_;
  int count_ = 0;
};

}  // namespace

bool OrdersOutputRows(const ast::Query& query) {
  const ast::Select* select = query.output.get();
  if (select == nullptr) return false;
  if (select->grouped) return true;  // D23
  const std::vector<ast::OrderKey>& keys = query.order_by.keys;
  if (!query.order_by.explicit_keys || keys.size() != 1) return false;
  for (const ast::SelectItem& item : select->items) {
    if (item.key != keys[0].key) continue;
    if (select->legacy) return true;
    return item.expr.kind != ast::Expr::Kind::kField && item.expr.kind != ast::Expr::Kind::kRecord;
  }
  return false;
}

PhysicalPlan MapToPhysical(const ast::Query& query, const plan::LogicalPlan& plan, bool match_only) {
  TreeBuilder tree;
  const plan::Source& source = plan.source;
  const PlanOp* access = OpOf(plan, PlanOp::Role::kAccess);
  tree.Push(std::make_unique<AccessOperator>(access != nullptr ? access->name : "Scan",
                                             EstimateOf(plan, PlanOp::Role::kAccess), source.access,
                                             source.binding_sets));
  if (source.semi_join) tree.Push(std::make_unique<SemiJoinOperator>(EstimateOf(plan, PlanOp::Role::kSemiJoin), source));
  if (plan.related_id) {
    tree.Push(std::make_unique<RelatedOperator>(EstimateOf(plan, PlanOp::Role::kRelated), *plan.related_id));
  }
  if (!source.intersect.empty()) {
    tree.Push(std::make_unique<IntersectOperator>(DetailOf(plan, PlanOp::Role::kIntersect),
                                                  EstimateOf(plan, PlanOp::Role::kIntersect), source.intersect));
  }
  if (plan.has_filter) {
    tree.Push(std::make_unique<FilterOperator>(DetailOf(plan, PlanOp::Role::kFilter),
                                               EstimateOf(plan, PlanOp::Role::kFilter)));
  }
  if (match_only) return tree.Finish(plan);

  const double matches = EstimateOf(plan, PlanOp::Role::kSort);
  const double page = EstimateOf(plan, PlanOp::Role::kLimit);
  const ast::Select* select = query.output.get();
  if (select == nullptr || !OrdersOutputRows(query)) {
    tree.Push(std::make_unique<SortOperator>(DetailOf(plan, PlanOp::Role::kSort), matches, plan.order,
                                             plan.order_by_rid, SaturatingTop(plan.skip, plan.limit)));
    tree.Push(std::make_unique<LimitOperator>(DetailOf(plan, PlanOp::Role::kLimit), page, plan.skip, plan.limit));
    if (select != nullptr) {
      tree.Push(std::make_unique<SelectOutputOperator>(SelectOutputOperator::Mode::kFlat, SelectText(*select), page,
                                                       *select));
    }
    return tree.Finish(plan);
  }
  // Late ordering and grouped mode: every matching root in `__id`
  // descending order (the order of first appearance, D6), then the rows.
  tree.Push(std::make_unique<SortOperator>("__id desc", matches, std::vector<ast::OrderKey>{{"__id", true, ""}},
                                           /*by_rid=*/false, std::numeric_limits<uint64_t>::max()));
  if (select->grouped) {
    std::vector<std::string> keys;
    for (const ast::GroupEntry& g : select->group_by) keys.push_back(g.output_key);
    tree.Push(std::make_unique<SelectOutputOperator>(
        SelectOutputOperator::Mode::kGrouped, absl::StrCat("by ", absl::StrJoin(keys, ", "), ": ", SelectText(*select)),
        matches, *select));
    if (query.order_by.explicit_keys) {
      tree.Push(std::make_unique<RowSortOperator>(KeysText(query.order_by.keys), matches, query.order_by.keys,
                                                  SaturatingTop(plan.skip, plan.limit)));
    }
  } else {
    tree.Push(std::make_unique<SelectOutputOperator>(SelectOutputOperator::Mode::kFlat, SelectText(*select), matches,
                                                     *select));
    tree.Push(std::make_unique<RowSortOperator>(KeysText(query.order_by.keys), matches, query.order_by.keys,
                                                SaturatingTop(plan.skip, plan.limit)));
  }
  tree.Push(std::make_unique<RowLimitOperator>(PageText(plan.skip, plan.limit), page,
                                               plan.skip, plan.limit));
  return tree.Finish(plan);
}

}  // namespace loom::query::exec
