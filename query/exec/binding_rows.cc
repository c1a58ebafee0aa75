#include "query/exec/binding_rows.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "loom/status.h"

namespace loom::query::exec {

using ast::Block;
using ast::WhereNode;
using storage::Rid;

namespace {

bool HasBlockOrCycle(const WhereNode& node) {
  if (node.kind == WhereNode::Kind::kBlock || node.kind == WhereNode::Kind::kCycle) return true;
  for (const WhereNode& child : node.children) {
    if (HasBlockOrCycle(child)) return true;
  }
  return false;
}

}  // namespace

BindingRows::BindingRows(const ast::Where& where, Matcher& matcher, uint64_t max_rows)
    : where_(where), matcher_(matcher), max_rows_(max_rows) {
  ast::CollectBlocks(where, &top_);
  // Slots in depth-first document order: a block, then its descendants.
  std::function<void(const Block*)> visit = [&](const Block* b) {
    slots_.emplace(b, static_cast<int>(blocks_.size()));
    if (b->alias) alias_slots_.emplace(*b->alias, static_cast<int>(blocks_.size()));
    blocks_.push_back(b);
    std::vector<const Block*> children;
    ast::CollectBlocks(b->row_level, &children);
    for (const Block* c : children) visit(c);
  };
  for (const Block* b : top_) visit(b);
}

int BindingRows::SlotOfAlias(const std::string& alias) const {
  auto it = alias_slots_.find(alias);
  return it == alias_slots_.end() ? -1 : it->second;
}

absl::Status BindingRows::CheckBudget(size_t rows) const {
  if (rows <= max_rows_) return absl::OkStatus();
  return MakeError(ErrorCode::kResourceExhausted,
                   absl::StrCat("one root record has more than ", max_rows_,
                                " binding rows (Options::max_rows_per_root); narrow the where or raise the budget"));
}

void BindingRows::Product(std::vector<BindingRow>* rows, const std::vector<BindingRow>& with) {
  std::vector<BindingRow> out;
  out.reserve(rows->size() * with.size());
  for (const BindingRow& a : *rows) {
    for (const BindingRow& b : with) {
      BindingRow merged = a;
      for (size_t s = 0; s < b.size(); ++s) {
        if (b[s] != kUnbound) merged[s] = b[s];
      }
      out.push_back(std::move(merged));
    }
  }
  *rows = std::move(out);
}

absl::Status BindingRows::BlockRows(const Block& block, Rid parent, std::vector<BindingRow>* out) {
  std::vector<Rid> binds;
  LOOM_RETURN_IF_ERROR(matcher_.Bindings(block, parent, &binds));
  out->clear();
  const BindingRow empty(blocks_.size(), kUnbound);
  if (binds.empty()) {
    out->push_back(empty);  // the block and its descendants are null
    return absl::OkStatus();
  }
  const int slot = slots_.at(&block);
  std::vector<const Block*> children;
  ast::CollectBlocks(block.row_level, &children);
  std::vector<BindingRow> child_rows;
  for (Rid b : binds) {
    std::vector<BindingRow> sub{empty};
    sub[0][slot] = b;
    for (const Block* child : children) {
      LOOM_RETURN_IF_ERROR(BlockRows(*child, b, &child_rows));
      Product(&sub, child_rows);
      LOOM_RETURN_IF_ERROR(CheckBudget(sub.size()));
    }
    for (BindingRow& r : sub) out->push_back(std::move(r));
    LOOM_RETURN_IF_ERROR(CheckBudget(out->size()));
  }
  return absl::OkStatus();
}

absl::Status BindingRows::RowsOf(Rid root, std::vector<BindingRow>* out) {
  out->clear();
  std::vector<BindingRow> rows{BindingRow(blocks_.size(), kUnbound)};
  std::vector<BindingRow> block_rows;
  for (const Block* b : top_) {
    LOOM_RETURN_IF_ERROR(BlockRows(*b, root, &block_rows));
    Product(&rows, block_rows);
    LOOM_RETURN_IF_ERROR(CheckBudget(rows.size()));
  }
  for (BindingRow& row : rows) {
    LOOM_ASSIGN_OR_RETURN(Truth t, Eval(where_.entries, root, row));
    if (t == Truth::kTrue) out->push_back(std::move(row));
  }
  return absl::OkStatus();
}

absl::StatusOr<Truth> BindingRows::Eval(const std::vector<WhereNode>& entries, Rid level, const BindingRow& row) {
  Truth acc = Truth::kTrue;
  for (const WhereNode& node : entries) {
    LOOM_ASSIGN_OR_RETURN(Truth t, EvalNode(node, level, row));
    acc = And3(acc, t);
    if (acc == Truth::kFalse) break;
  }
  return acc;
}

absl::StatusOr<Truth> BindingRows::EvalNode(const WhereNode& node, Rid level, const BindingRow& row) {
  using Kind = WhereNode::Kind;
  if (node.kind == Kind::kBlock) {
    const Block& b = node.AsBlock();
    const Rid bound = row[slots_.at(&b)];
    if (bound == kUnbound) return Truth::kFalse;
    return Eval(b.row_level.entries, bound, row);
  }
  if (!HasBlockOrCycle(node) || node.kind == Kind::kCycle) {
    auto key = std::make_pair(&node, level);
    if (auto it = truth_cache_.find(key); it != truth_cache_.end()) return it->second;
    Truth t;
    if (node.kind == Kind::kCycle) {
      LOOM_ASSIGN_OR_RETURN(bool on, matcher_.OnCycle(node.cycle, level));
      t = on ? Truth::kTrue : Truth::kFalse;
    } else {
      LOOM_ASSIGN_OR_RETURN(t, matcher_.EvalFieldNode(node, level));
    }
    if (truth_cache_.size() > (1u << 20)) truth_cache_.clear();
    truth_cache_.emplace(key, t);
    return t;
  }
  switch (node.kind) {
    case Kind::kAnd:
      return Eval(node.children, level, row);
    case Kind::kNot: {
      LOOM_ASSIGN_OR_RETURN(Truth t, Eval(node.children, level, row));
      return Not3(t);
    }
    case Kind::kOr:
    case Kind::kNor: {
      Truth acc = Truth::kFalse;
      for (const WhereNode& child : node.children) {
        LOOM_ASSIGN_OR_RETURN(Truth t, EvalNode(child, level, row));
        acc = Or3(acc, t);
      }
      return node.kind == Kind::kNor ? Not3(acc) : acc;
    }
    case Kind::kXor: {
      Truth acc = Truth::kFalse;
      for (size_t i = 0; i < node.children.size(); ++i) {
        LOOM_ASSIGN_OR_RETURN(Truth t, EvalNode(node.children[i], level, row));
        acc = i == 0 ? t : Xor3(acc, t);
      }
      return acc;
    }
    default:
      return absl::InternalError("unexpected where entry");
  }
}

}  // namespace loom::query::exec
