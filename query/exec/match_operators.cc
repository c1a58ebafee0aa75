#include "query/exec/match_operators.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "loom/status.h"

namespace loom::query::exec {
namespace {

using plan::Access;
using plan::KeyRange;
using storage::NameId;
using storage::ReadView;
using storage::Rid;

void SortUnique(std::vector<Rid>* rids) {
  std::sort(rids->begin(), rids->end());
  rids->erase(std::unique(rids->begin(), rids->end()), rids->end());
}


// Keeps the rids that satisfy `block`'s local criteria.
absl::Status KeepBinding(Matcher& matcher, const ast::Block& block, std::vector<Rid>* rids) {
  if (block.local.entries.empty()) return absl::OkStatus();
  size_t kept = 0;
  for (Rid r : *rids) {
    LOOM_ASSIGN_OR_RETURN(bool ok, matcher.Binds(block, r));
    if (ok) (*rids)[kept++] = r;
  }
  rids->resize(kept);
  return absl::OkStatus();
}

// The where entry holding `block`, searched through logical groups.
const ast::WhereNode* EntryOf(const std::vector<ast::WhereNode>& entries, const ast::Block* block) {
  for (const ast::WhereNode& node : entries) {
    if (node.kind == ast::WhereNode::Kind::kBlock) {
      if (&node.AsBlock() == block) return &node;
    } else if (const ast::WhereNode* found = EntryOf(node.children, block)) {
      return found;
    }
  }
  return nullptr;
}

void Intersect(std::vector<Rid>* rids, const std::vector<Rid>& other) {
  std::vector<Rid> both;
  std::set_intersection(rids->begin(), rids->end(), other.begin(), other.end(), std::back_inserter(both));
  *rids = std::move(both);
}

}  // namespace

storage::IndexRange ToIndexRange(const KeyRange& r) {
  storage::IndexRange out;
  switch (r.tag) {
    case KeyRange::Tag::kFalse:
      out.tag = storage::IndexTag::kFalse;
      break;
    case KeyRange::Tag::kTrue:
      out.tag = storage::IndexTag::kTrue;
      break;
    case KeyRange::Tag::kNumber:
      out.tag = storage::IndexTag::kNumber;
      break;
    case KeyRange::Tag::kString:
      out.tag = storage::IndexTag::kString;
      break;
    case KeyRange::Tag::kInstant:
      out.tag = storage::IndexTag::kInstant;
      break;
  }
  out.low = r.low;
  out.low_inclusive = r.low_inclusive;
  out.high = r.high;
  out.high_inclusive = r.high_inclusive;
  out.low_instant = r.low_instant;
  out.high_instant = r.high_instant;
  out.prefix = r.prefix;
  return out;
}

std::vector<NameId> LabelIds(const std::vector<std::string>& names, ReadView& view) {
  std::vector<NameId> ids;
  for (const std::string& n : names) {
    if (auto id = view.dictionaries().labels.Find(n)) ids.push_back(*id);
  }
  return ids;
}

absl::StatusOr<std::vector<Rid>> ReadAccess(const Access& a, ReadView& view) {
  std::vector<Rid> out;
  auto push = [&](Rid r) {
    out.push_back(r);
    return true;
  };
  switch (a.kind) {
    case Access::Kind::kAllRecords:
      LOOM_RETURN_IF_ERROR(view.ScanRecords(push));
      break;
    case Access::Kind::kLabelScan:
      for (NameId l : LabelIds(a.labels, view)) LOOM_RETURN_IF_ERROR(view.ScanLabel(l, push));
      break;
    case Access::Kind::kIdLookup: {
      const std::vector<NameId> labels = LabelIds(a.labels, view);
      if (!a.labels.empty() && labels.empty()) break;
      for (const std::string& id : a.ids) {
        LOOM_ASSIGN_OR_RETURN(auto rid, view.LookupId(id));
        if (!rid) continue;
        if (!a.labels.empty()) {
          NameId label = 0;
          std::string ignored;
          LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecordHeader(*rid, &label, &ignored));
          if (!found || std::find(labels.begin(), labels.end(), label) == labels.end()) continue;
        }
        out.push_back(*rid);
      }
      break;
    }
    case Access::Kind::kIndexScan: {
      auto prop = view.dictionaries().properties.Find(a.property);
      if (!prop) break;
      for (NameId l : LabelIds(a.labels, view)) {
        for (const KeyRange& r : a.ranges) LOOM_RETURN_IF_ERROR(view.ScanIndex(l, *prop, ToIndexRange(r), push));
      }
      break;
    }
  }
  SortUnique(&out);
  return out;
}

AccessOperator::AccessOperator(std::string name, double estimated_rows, const Access& access,
                               const std::vector<Access>& binding_sets)
    : PhysicalOperator(std::move(name), access.detail, estimated_rows), access_(access), binding_sets_(binding_sets) {}

absl::Status AccessOperator::Run(ExecContext& ctx) const {
  for (const Access& a : binding_sets_) {
    if (a.block == nullptr) continue;
    LOOM_ASSIGN_OR_RETURN(std::vector<Rid> set, ReadAccess(a, ctx.view));
    ctx.binding_sets.emplace_back(a.block, std::move(set));
  }
  if (!binding_sets_.empty()) ctx.ResetMatcher();
  LOOM_ASSIGN_OR_RETURN(ctx.rids, ReadAccess(access_, ctx.view));
  // Without a semi-join above, an access that answers a root criterion
  // exactly makes it known TRUE for the Filter.
  if (access_.node_exact && access_.node != nullptr) ctx.known_true.push_back(access_.node);
  return absl::OkStatus();
}

SemiJoinOperator::SemiJoinOperator(double estimated_rows, const plan::Source& source)
    : PhysicalOperator("SemiJoin", source.block_path + ", bottom-up", estimated_rows), source_(source) {}

absl::Status SemiJoinOperator::Expand(ExecContext& ctx, std::vector<Rid>* rids) const {
  Matcher& matcher = *ctx.matcher;
  ReadView& view = ctx.view;
  const bool exact = source_.exact;
  if (exact && !source_.access.exact && !source_.steps.empty()) {
    LOOM_RETURN_IF_ERROR(KeepBinding(matcher, *source_.steps[0].block, rids));
  }
  for (size_t i = 0; i < source_.steps.size(); ++i) {
    const plan::SemiJoinStep& step = source_.steps[i];
    storage::EdgeFilter filter;
    if (step.direction != ast::Direction::kAny) {
      filter.dir = step.direction == ast::Direction::kIn ? storage::Direction::kIn : storage::Direction::kOut;
    }
    bool possible = true;
    for (const std::string& t : step.types) {
      if (auto id = view.dictionaries().rel_types.Find(t)) filter.types.push_back(*id);
    }
    if (!step.types.empty() && filter.types.empty()) possible = false;
    std::vector<NameId> parents = LabelIds(step.parent_labels, view);
    if (!step.parent_labels.empty() && parents.empty()) possible = false;
    std::vector<Rid> next;
    if (possible) {
      for (Rid r : *rids) {
        if (step.hops) {
          LOOM_RETURN_IF_ERROR(matcher.TrailEnds(r, filter, *step.hops, parents, &next));
        } else if (parents.empty()) {
          LOOM_RETURN_IF_ERROR(view.ExpandRids(r, filter, &next));
        } else {
          for (NameId p : parents) {
            filter.nbr_label = p;
            LOOM_RETURN_IF_ERROR(view.ExpandRids(r, filter, &next));
          }
        }
      }
    }
    SortUnique(&next);
    *rids = std::move(next);
    if (exact && i + 1 < source_.steps.size()) {
      LOOM_RETURN_IF_ERROR(KeepBinding(matcher, *source_.steps[i + 1].block, rids));
    }
  }
  return absl::OkStatus();
}

absl::Status SemiJoinOperator::Run(ExecContext& ctx) const {
  // The access below answered a criterion of the innermost block, not of
  // the root: nothing is known TRUE at the root level from it.
  ctx.known_true.clear();
  std::vector<Rid> rids = std::move(ctx.rids);
  // An exact seek read every record the innermost block binds: a select
  // that enumerates binding rows later looks bindings up in it.
  if (ctx.query.output != nullptr && source_.access.exact && !source_.steps.empty() &&
      source_.steps[0].block != nullptr) {
    ctx.binding_sets.emplace_back(source_.steps[0].block, rids);
    ctx.matcher->SetBindingSet(*source_.steps[0].block, rids);
  }
  absl::Status joined = Expand(ctx, &rids);
  if (joined.ok()) {
    if (source_.exact && source_.top_block != nullptr) {
      if (const ast::WhereNode* node = EntryOf(ctx.query.where.entries, source_.top_block)) {
        ctx.known_true.push_back(node);
      }
    }
    ctx.rids = std::move(rids);
    return absl::OkStatus();
  }
  if (GetErrorCode(joined) != ErrorCode::kTimeout) return joined;
  // Too many paths bottom-up: the roots from their labels instead (the
  // Filter decides, under its own budget).
  Access scan;
  scan.kind = ctx.query.labels.empty() ? Access::Kind::kAllRecords : Access::Kind::kLabelScan;
  scan.labels = ctx.query.labels;
  LOOM_ASSIGN_OR_RETURN(ctx.rids, ReadAccess(scan, ctx.view));
  ctx.ResetMatcher();
  return absl::OkStatus();
}

RelatedOperator::RelatedOperator(double estimated_rows, std::string entry_id)
    : PhysicalOperator("Related", Json(entry_id).dump(), estimated_rows), entry_id_(std::move(entry_id)) {}

absl::Status RelatedOperator::Run(ExecContext& ctx) const {
  std::vector<Rid> neighbours;
  LOOM_ASSIGN_OR_RETURN(auto entry, ctx.view.LookupId(entry_id_));
  if (entry) LOOM_RETURN_IF_ERROR(ctx.view.ExpandRids(*entry, storage::EdgeFilter{}, &neighbours));
  SortUnique(&neighbours);
  Intersect(&ctx.rids, neighbours);
  return absl::OkStatus();
}

IntersectOperator::IntersectOperator(std::string detail, double estimated_rows, const std::vector<Access>& accesses)
    : PhysicalOperator("Intersect", std::move(detail), estimated_rows), accesses_(accesses) {}

absl::Status IntersectOperator::Run(ExecContext& ctx) const {
  for (const Access& a : accesses_) {
    if (a.node == nullptr) continue;
    LOOM_ASSIGN_OR_RETURN(std::vector<Rid> other, ReadAccess(a, ctx.view));
    Intersect(&ctx.rids, other);
    ctx.known_true.push_back(a.node);
  }
  return absl::OkStatus();
}

absl::Status FilterOperator::Run(ExecContext& ctx) const {
  return ctx.matcher->Filter(ctx.query.where, &ctx.rids, ctx.known_true, &ctx.stop);
}

}  // namespace loom::query::exec
