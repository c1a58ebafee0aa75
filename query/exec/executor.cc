#include "query/exec/executor.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "loom/status.h"
#include "query/exec/matcher.h"
#include "query/exec/storage_stats.h"

namespace loom::query::exec {
namespace {

using plan::Access;
using plan::KeyRange;
using plan::LogicalPlan;
using plan::PlanOp;
using storage::NameId;
using storage::ReadView;
using storage::Rid;

void SortUnique(std::vector<Rid>* rids) {
  std::sort(rids->begin(), rids->end());
  rids->erase(std::unique(rids->begin(), rids->end()), rids->end());
}

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

// The rids an access produces, ascending and distinct.
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

void SetActual(LogicalPlan* plan, PlanOp::Role role, uint64_t rows) {
  if (PlanOp* op = plan->FindOp(role)) op->actual_rows = rows;
}

// The block entry at `path` in the where-tree (nullptr when absent).
const ast::WhereNode* FindBlockNode(const std::vector<ast::WhereNode>& entries, const std::string& path) {
  for (const ast::WhereNode& node : entries) {
    if (node.kind == ast::WhereNode::Kind::kBlock) {
      const ast::Block& b = node.AsBlock();
      if (b.path == path) return &node;
      if (path.starts_with(b.path)) {
        if (const ast::WhereNode* found = FindBlockNode(b.row_level.entries, path)) return found;
      }
    } else if (const ast::WhereNode* found = FindBlockNode(node.children, path)) {
      return found;
    }
  }
  return nullptr;
}

// The entry at `path` of the root's AND chain (through $and), or nullptr.
const ast::WhereNode* FindAnded(const std::vector<ast::WhereNode>& entries, const std::string& path) {
  for (const ast::WhereNode& node : entries) {
    if (node.path == path) return &node;
    if (node.kind != ast::WhereNode::Kind::kAnd) continue;
    for (const ast::WhereNode& element : node.children) {
      if (element.path == path) return &element;
      if (element.kind == ast::WhereNode::Kind::kAnd) {
        if (const ast::WhereNode* found = FindAnded(element.children, path)) return found;
      }
    }
  }
  return nullptr;
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

// Runs the semi-join of `source` from the seeked records `*rids` up to the
// root level. For an exact source every level keeps only the records that
// satisfy their block's local criteria. A path search over budget returns
// ErrorCode::kTimeout (the caller falls back to the scan).
absl::Status RunSemiJoin(const ast::Query& query, const plan::Source& source, Matcher& matcher, ReadView& view,
                         std::vector<Rid>* rids) {
  const bool exact = source.exact;
  if (exact && !source.access.exact && !source.steps.empty()) {
    const ast::WhereNode* inner = FindBlockNode(query.where.entries, source.steps[0].block_path);
    if (inner == nullptr) return absl::InternalError("semi-join block not found");
    LOOM_RETURN_IF_ERROR(KeepBinding(matcher, inner->AsBlock(), rids));
  }
  for (size_t i = 0; i < source.steps.size(); ++i) {
    const plan::SemiJoinStep& step = source.steps[i];
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
    if (exact && i + 1 < source.steps.size()) {
      const ast::WhereNode* parent = FindBlockNode(query.where.entries, source.steps[i + 1].block_path);
      if (parent == nullptr) return absl::InternalError("semi-join block not found");
      LOOM_RETURN_IF_ERROR(KeepBinding(matcher, parent->AsBlock(), rids));
    }
  }
  return absl::OkStatus();
}

// Candidate roots of `plan` (a superset of the matches), then the matches,
// ascending. Fills the actual rows of the operators below Sort.
absl::StatusOr<std::vector<Rid>> RunMatch(const ast::Query& query, LogicalPlan* plan, ReadView& view,
                                          const ExecOptions& options) {
  LOOM_ASSIGN_OR_RETURN(std::vector<Rid> rids, ReadAccess(plan->source.access, view));
  SetActual(plan, PlanOp::Role::kAccess, rids.size());
  // Binding sets of blocks read from an index (the plan chose them).
  std::vector<std::pair<const ast::Block*, std::vector<Rid>>> binding_sets;
  for (const plan::Access& a : plan->source.binding_sets) {
    const ast::WhereNode* node = FindBlockNode(query.where.entries, a.criterion_path);
    if (node == nullptr) continue;
    LOOM_ASSIGN_OR_RETURN(std::vector<Rid> set, ReadAccess(a, view));
    binding_sets.emplace_back(&node->AsBlock(), std::move(set));
  }
  auto new_matcher = [&] {
    auto m = std::make_unique<Matcher>(view, options.max_traversal_steps);
    for (const auto& [block, set] : binding_sets) m->SetBindingSet(*block, set);
    return m;
  };
  std::unique_ptr<Matcher> matcher = new_matcher();
  std::vector<const ast::WhereNode*> known_true;
  auto know = [&](const ast::WhereNode* node) {
    if (node != nullptr) known_true.push_back(node);
  };
  if (!plan->source.semi_join && plan->source.access.node_exact) {
    know(FindAnded(query.where.entries, plan->source.access.criterion_path));
  }
  if (plan->source.semi_join) {
    absl::Status joined = RunSemiJoin(query, plan->source, *matcher, view, &rids);
    if (joined.ok()) {
      if (plan->source.exact) know(FindBlockNode(query.where.entries, plan->source.block_path));
    } else if (GetErrorCode(joined) == ErrorCode::kTimeout) {
      // Too many paths bottom-up: the roots from their labels instead (the
      // Filter decides, under its own budget).
      plan::Access scan;
      scan.kind = query.labels.empty() ? Access::Kind::kAllRecords : Access::Kind::kLabelScan;
      scan.labels = query.labels;
      LOOM_ASSIGN_OR_RETURN(rids, ReadAccess(scan, view));
      matcher = new_matcher();
    } else {
      return joined;
    }
    SetActual(plan, PlanOp::Role::kSemiJoin, rids.size());
  }
  if (query.related_id) {
    std::vector<Rid> neighbours;
    LOOM_ASSIGN_OR_RETURN(auto entry, view.LookupId(*query.related_id));
    if (entry) LOOM_RETURN_IF_ERROR(view.ExpandRids(*entry, storage::EdgeFilter{}, &neighbours));
    SortUnique(&neighbours);
    std::vector<Rid> both;
    std::set_intersection(rids.begin(), rids.end(), neighbours.begin(), neighbours.end(), std::back_inserter(both));
    rids = std::move(both);
    SetActual(plan, PlanOp::Role::kRelated, rids.size());
  }
  for (const plan::Access& a : plan->source.intersect) {
    const ast::WhereNode* node = FindAnded(query.where.entries, a.criterion_path);
    if (node == nullptr) continue;
    LOOM_ASSIGN_OR_RETURN(std::vector<Rid> other, ReadAccess(a, view));
    std::vector<Rid> both;
    std::set_intersection(rids.begin(), rids.end(), other.begin(), other.end(), std::back_inserter(both));
    rids = std::move(both);
    know(node);
  }
  if (!plan->source.intersect.empty()) SetActual(plan, PlanOp::Role::kIntersect, rids.size());
  if (!query.where.entries.empty()) {
    LOOM_RETURN_IF_ERROR(matcher->Filter(query.where, &rids, known_true));
    SetActual(plan, PlanOp::Role::kFilter, rids.size());
  }
  return rids;
}

// Orders `matches` (ascending rids) by the plan's keys and returns the rids
// of positions [skip, skip + limit).
absl::StatusOr<std::vector<Rid>> SortAndPage(const LogicalPlan& plan, std::vector<Rid> matches, ReadView& view) {
  const uint64_t n = matches.size();
  const uint64_t skip = static_cast<uint64_t>(std::max<int64_t>(0, plan.skip));
  const uint64_t limit = static_cast<uint64_t>(std::max<int64_t>(0, plan.limit));
  if (skip >= n) return std::vector<Rid>{};
  const uint64_t end = n - skip < limit ? n : skip + limit;

  if (plan.order_by_rid) {
    if (plan.order[0].descending) std::reverse(matches.begin(), matches.end());
    return std::vector<Rid>(matches.begin() + static_cast<ptrdiff_t>(skip),
                            matches.begin() + static_cast<ptrdiff_t>(end));
  }

  const bool rid_is_id = view.RidOrderIsIdOrder();
  std::vector<NameId> prop_ids;  // per key; 0 for __id or an unknown name
  int property_keys = 0;
  bool need_id = !rid_is_id;
  for (const ast::OrderKey& k : plan.order) {
    if (k.key == "__id") {
      prop_ids.push_back(0);
      continue;
    }
    auto id = view.dictionaries().properties.Find(k.key);
    prop_ids.push_back(id.value_or(0));
    if (id) ++property_keys;
  }
  struct Row {
    Rid rid;
    std::vector<std::optional<Value>> keys;
    std::string id;
  };
  std::vector<Row> rows(n);
  storage::StoredRecord record;
  for (uint64_t i = 0; i < n; ++i) {
    Row& row = rows[i];
    row.rid = matches[i];
    row.keys.resize(prop_ids.size());
    if (property_keys >= 2) {
      LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecord(row.rid, &record));
      if (found) {
        for (size_t k = 0; k < prop_ids.size(); ++k) {
          if (prop_ids[k] == 0) continue;
          if (const Value* v = record.Find(prop_ids[k])) row.keys[k] = *v;
        }
        row.id = record.id;
      }
    } else {
      for (size_t k = 0; k < prop_ids.size(); ++k) {
        if (prop_ids[k] == 0) continue;
        LOOM_ASSIGN_OR_RETURN(row.keys[k], view.GetProperty(row.rid, prop_ids[k]));
      }
      if (need_id) {
        NameId label = 0;
        LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecordHeader(row.rid, &label, &row.id));
        (void)found;
      }
    }
  }
  auto id_cmp = [&](const Row& a, const Row& b) -> int {
    if (rid_is_id) return a.rid < b.rid ? -1 : (a.rid > b.rid ? 1 : 0);
    return CompareUtf16(a.id, b.id);
  };
  auto less = [&](const Row& a, const Row& b) {
    for (size_t k = 0; k < plan.order.size(); ++k) {
      int c;
      if (plan.order[k].key == "__id") {
        c = id_cmp(a, b);
      } else {
        c = CompareValues(a.keys[k] ? &*a.keys[k] : nullptr, b.keys[k] ? &*b.keys[k] : nullptr);
      }
      if (plan.order[k].descending) c = -c;
      if (c != 0) return c < 0;
    }
    return id_cmp(a, b) > 0;  // ties: __id descending (D6)
  };
  if (end < n) {
    std::partial_sort(rows.begin(), rows.begin() + static_cast<ptrdiff_t>(end), rows.end(), less);
  } else {
    std::sort(rows.begin(), rows.end(), less);
  }
  std::vector<Rid> page;
  for (uint64_t i = skip; i < end; ++i) page.push_back(rows[i].rid);
  return page;
}

Record ToRecord(const storage::StoredRecord& stored, const storage::Dictionaries& dicts) {
  Record r;
  r.id = stored.id;
  if (stored.label != storage::kNoName) r.label = dicts.labels.Name(stored.label);
  for (const storage::StoredProperty& p : stored.properties) {
    r.properties.push_back({dicts.properties.Name(p.name), p.value});
  }
  return r;
}

absl::Status RunPlan(const ast::Query& query, LogicalPlan plan, ReadView& view, const ExecOptions& options,
                     FindResult* out) {
  LOOM_ASSIGN_OR_RETURN(std::vector<Rid> matches, RunMatch(query, &plan, view, options));
  out->total = matches.size();
  SetActual(&plan, PlanOp::Role::kSort, matches.size());
  LOOM_ASSIGN_OR_RETURN(std::vector<Rid> page, SortAndPage(plan, std::move(matches), view));
  SetActual(&plan, PlanOp::Role::kLimit, page.size());
  out->data = Json::array();
  std::vector<storage::StoredRecord> records;
  std::vector<bool> found;
  LOOM_RETURN_IF_ERROR(view.GetRecords(page, &records, &found));
  for (size_t i = 0; i < page.size(); ++i) {
    if (!found[i]) continue;
    out->data.push_back(RecordToJson(ToRecord(records[i], view.dictionaries())));
  }
  out->plan = std::move(plan);
  return absl::OkStatus();
}

}  // namespace

plan::LogicalPlan PlanFor(const ast::Query& query, storage::ReadView& view, const ExecOptions& options) {
  StorageStats stats(view);
  plan::PlanOptions plan_options;
  plan_options.force = options.force_source;
  plan_options.rid_order_is_id_order = view.RidOrderIsIdOrder();
  return plan::PlanQuery(query, stats, plan_options);
}

absl::StatusOr<FindResult> Execute(const ast::Query& query, storage::ReadView& view, const ExecOptions& options) {
  if (query.has_select || !query.aggregate.is_null()) {
    return InvalidQuery("/select", "select is not supported yet");
  }
  FindResult result;
  LOOM_RETURN_IF_ERROR(RunPlan(query, PlanFor(query, view, options), view, options, &result));
  return result;
}

absl::StatusOr<std::vector<storage::Rid>> MatchingRoots(const ast::Query& query, storage::ReadView& view,
                                                        const ExecOptions& options) {
  LogicalPlan plan = PlanFor(query, view, options);
  return RunMatch(query, &plan, view, options);
}

absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>> CountLabels(const ast::Query& query,
                                                                         storage::ReadView& view,
                                                                         const ExecOptions& options) {
  std::map<std::string, uint64_t> counts;
  if (query.where.entries.empty() && !query.related_id) {
    // Straight from the counters.
    std::vector<NameId> wanted = LabelIds(query.labels, view);
    LOOM_RETURN_IF_ERROR(view.ListLabelCounts([&](NameId label, uint64_t count) {
      if (label == storage::kNoName || count == 0) return;
      if (!query.labels.empty() && std::find(wanted.begin(), wanted.end(), label) == wanted.end()) return;
      counts[view.dictionaries().labels.Name(label)] += count;
    }));
  } else {
    LOOM_ASSIGN_OR_RETURN(std::vector<Rid> rids, MatchingRoots(query, view, options));
    absl::flat_hash_map<NameId, uint64_t> by_id;
    for (Rid rid : rids) {
      NameId label = 0;
      std::string id;
      LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecordHeader(rid, &label, &id));
      if (found && label != storage::kNoName) ++by_id[label];
    }
    for (const auto& [label, count] : by_id) counts[view.dictionaries().labels.Name(label)] += count;
  }
  return std::vector<std::pair<std::string, uint64_t>>(counts.begin(), counts.end());
}

absl::StatusOr<std::vector<std::string>> FindPropertyNames(const ast::Query& query, storage::ReadView& view,
                                                           const ExecOptions& options) {
  LOOM_ASSIGN_OR_RETURN(std::vector<Rid> rids, MatchingRoots(query, view, options));
  absl::flat_hash_map<NameId, bool> seen;
  storage::StoredRecord record;
  for (Rid rid : rids) {
    LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecord(rid, &record));
    if (!found) continue;
    for (const storage::StoredProperty& p : record.properties) seen[p.name] = true;
  }
  std::vector<std::string> names;
  for (const auto& [id, unused] : seen) names.push_back(view.dictionaries().properties.Name(id));
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<Json> ExplainQuery(const ast::Query& query, storage::ReadView& view, bool analyze,
                                  const ExecOptions& options) {
  LogicalPlan plan = PlanFor(query, view, options);
  if (analyze) {
    FindResult result;
    LOOM_RETURN_IF_ERROR(RunPlan(query, std::move(plan), view, options, &result));
    plan = std::move(result.plan);
  }
  Json out = Json::object();
  out["text"] = plan.ToText(analyze);
  out["plan"] = plan.ToJson();
  return out;
}

}  // namespace loom::query::exec
