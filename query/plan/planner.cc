#include "query/plan/planner.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "query/functions/where_ops.h"

namespace loom::query::plan {
namespace {

using ast::Argument;
using ast::CompareOp;
using ast::Criterion;
using ast::WhereNode;

// Cost units: one record read and predicate evaluation is 1.
constexpr double kScanKeyCost = 0.1;     // one labels-CF key
constexpr double kIndexEntryCost = 0.2;  // one props-CF key
constexpr double kSeekCost = 2;          // positioning an iterator
constexpr double kIdLookupCost = 1;
constexpr double kExpandCost = 0.5;      // one adjacency prefix scan
constexpr double kEdgeCost = 0.05;       // one adjacency entry
// Index entries counted exactly when estimating an index access (an index
// dive); past it the storage estimates from the range's share of the index.
constexpr uint64_t kExactIndexEntries = 128;
// Selectivities of one index range among the records holding the property,
// for statistics without value counts.
constexpr double kEqSelectivity = 0.05;
constexpr double kPrefixSelectivity = 0.1;
constexpr double kRangeSelectivity = 0.3;

std::string ArgText(const Argument& arg) {
  switch (arg.kind) {
    case Argument::Kind::kString:
      return Json(arg.string).dump();
    case Argument::Kind::kNumber:
      return FormatNumber(arg.number);
    case Argument::Kind::kBoolean:
      return arg.boolean ? "true" : "false";
    case Argument::Kind::kInstant:
      if (arg.instant) return FormatInstantUtc(*arg.instant);
      return Json(arg.string).dump();
    case Argument::Kind::kNull:
      return "null";
    case Argument::Kind::kList: {
      std::vector<std::string> parts;
      for (const Argument& item : arg.items) parts.push_back(ArgText(item));
      return absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
    }
  }
  return "";
}

// The index access of a comparison, from its operator's registry row.
std::optional<Access> CompareAccess(const std::string& field, const Criterion& c) {
  const WhereOpSpec& spec = CompareOpSpec(c.op);
  if (spec.index_ranges == nullptr) return std::nullopt;
  IndexRanges ranges;
  if (!spec.index_ranges(c, &ranges)) return std::nullopt;
  Access a;
  a.kind = Access::Kind::kIndexScan;
  a.property = field;
  a.criterion_path = c.path;
  a.ranges = std::move(ranges.ranges);
  a.exact_ranges = ranges.exact;
  a.detail = absl::StrCat(field, " ", std::string(spec.symbol), " ", ArgText(c.arg));
  return a;
}

double RangeSelectivity(const Access& a) {
  double s = 0;
  for (const KeyRange& r : a.ranges) {
    if (r.prefix) {
      s += kPrefixSelectivity;
    } else if (r.tag == KeyRange::Tag::kFalse || r.tag == KeyRange::Tag::kTrue) {
      s += 0.5;
    } else if ((r.low && r.high) || (r.low_instant && r.high_instant)) {
      s += kEqSelectivity;
    } else {
      s += kRangeSelectivity;
    }
  }
  return std::min(1.0, s);
}

// Id equality / $in on the record id (null members never match an id).
std::optional<std::vector<std::string>> IdsFor(const Criterion& c) {
  if (c.kind == Criterion::Kind::kAnd) {
    std::optional<std::vector<std::string>> best;
    for (const Criterion& child : c.children) {
      auto ids = IdsFor(child);
      if (ids && (!best || ids->size() < best->size())) best = std::move(ids);
    }
    return best;
  }
  if (c.kind != Criterion::Kind::kCompare) return std::nullopt;
  if (c.op == CompareOp::kEq && c.arg.kind == Argument::Kind::kString) {
    return std::vector<std::string>{c.arg.string};
  }
  if (c.op == CompareOp::kIn) {
    std::vector<std::string> ids;
    for (const Argument& item : c.arg.items) {
      if (item.kind != Argument::Kind::kString) return std::vector<std::string>{};
      ids.push_back(item.string);
    }
    return ids;
  }
  return std::nullopt;
}

// Entries of a where-object that are ANDed with it (through nested $and).
void CollectAnded(const std::vector<WhereNode>& entries, std::vector<const WhereNode*>* out) {
  for (const WhereNode& node : entries) {
    if (node.kind == WhereNode::Kind::kAnd) {
      for (const WhereNode& element : node.children) {
        if (element.kind == WhereNode::Kind::kAnd) {
          CollectAnded(element.children, out);
        } else {
          out->push_back(&element);
        }
      }
    } else {
      out->push_back(&node);
    }
  }
}

int CountBlocks(const ast::Where& where);
int CountBlocks(const WhereNode& node) {
  if (node.kind == WhereNode::Kind::kBlock) {
    const ast::Block& b = node.AsBlock();
    return 1 + CountBlocks(b.row_level);
  }
  if (node.kind == WhereNode::Kind::kCycle) return 1;
  int n = 0;
  for (const WhereNode& child : node.children) n += CountBlocks(child);
  return n;
}
int CountBlocks(const ast::Where& where) {
  int n = 0;
  for (const WhereNode& node : where.entries) n += CountBlocks(node);
  return n;
}

// Seeks usable on the records of one level (index or id), with estimates.
struct Seek {
  Access access;
  double rows = 0;
  double cost = 0;
  const WhereNode* node = nullptr;  // the criterion the access answers
};

// Id equality / $in answered by the id map exactly.
bool ExactIdCriterion(const Criterion& c) {
  return c.kind == Criterion::Kind::kCompare && (c.op == CompareOp::kEq || c.op == CompareOp::kIn);
}


struct JoinAlt {
  Source source;
  double cost = 0;
  double rows = 0;       // roots reached
  double seek_rows = 0;  // records the seek produces
  double eval_saving = 0;  // per-root evaluation an exact join makes unnecessary
};

class Planner {
 public:
  Planner(const ast::Query& q, PlanStats& stats, const PlanOptions& options)
      : q_(q), stats_(stats), options_(options) {}

  LogicalPlan Run();

 private:
  double LabelsCount(const std::vector<std::string>& labels) {
    if (labels.empty()) return static_cast<double>(stats_.RecordCount());
    double n = 0;
    for (const std::string& l : labels) n += static_cast<double>(stats_.LabelCount(l));
    return n;
  }

  // Index and id seeks over the records of `labels` answering criteria in
  // `entries`; remembered per where-object (always asked with the same labels).
  std::vector<Seek> SeeksFor(const std::vector<WhereNode>& entries, const std::vector<std::string>& labels) {
    for (const auto& [e, seeks] : seeks_) {
      if (e == &entries) return seeks;
    }
    std::vector<Seek> seeks = ComputeSeeks(entries, labels);
    seeks_.emplace_back(&entries, seeks);
    return seeks;
  }

  std::vector<Seek> ComputeSeeks(const std::vector<WhereNode>& entries, const std::vector<std::string>& labels) {
    std::vector<const WhereNode*> anded;
    CollectAnded(entries, &anded);
    std::vector<Seek> out;
    for (const WhereNode* node : anded) {
      if (node->kind == WhereNode::Kind::kId) {
        auto ids = IdsFor(node->criterion);
        if (!ids) continue;
        Seek s;
        s.access.kind = Access::Kind::kIdLookup;
        s.access.labels = labels;
        s.access.ids = *ids;
        s.access.criterion_path = node->path;
        s.access.detail = ids->size() == 1 ? absl::StrCat("__id = ", Json((*ids)[0]).dump())
                                           : absl::StrCat(ids->size(), " ids");
        s.rows = static_cast<double>(ids->size());
        s.cost = s.rows * kIdLookupCost;
        s.node = node;
        s.access.node = node;
        s.access.node_exact = ExactIdCriterion(node->criterion);
        s.access.exact = entries.size() == 1 && &entries[0] == node && s.access.node_exact;
        out.push_back(std::move(s));
      } else if (node->kind == WhereNode::Kind::kField && !labels.empty()) {
        auto access = IndexAccessFor(node->field, node->criterion);
        if (!access) continue;
        Seek s;
        s.access = std::move(*access);
        s.access.labels = labels;
        s.rows = IndexRows(labels, node->field, s.access);
        s.cost = kSeekCost * static_cast<double>(labels.size() * std::max<size_t>(1, s.access.ranges.size())) +
                 s.rows * kIndexEntryCost;
        s.access.detail = absl::StrCat(absl::StrJoin(labels, "|"), ".", s.access.detail);
        s.node = node;
        s.access.node = node;
        s.access.node_exact = node->criterion.kind == Criterion::Kind::kCompare && s.access.exact_ranges;
        s.access.exact = entries.size() == 1 && &entries[0] == node && s.access.node_exact;
        out.push_back(std::move(s));
      }
    }
    return out;
  }

  // Records of `labels` an index access yields: index dives where the
  // statistics count values, else the property's holders times a fixed
  // selectivity.
  double IndexRows(const std::vector<std::string>& labels, const std::string& field, const Access& a) {
    double holding = 0;
    for (const std::string& l : labels) holding += static_cast<double>(stats_.PropertyCount(l, field));
    if (holding == 0) return 0;
    double entries = 0;
    for (const std::string& l : labels) {
      for (const KeyRange& r : a.ranges) {
        std::optional<uint64_t> n = stats_.RangeEntries(l, field, r, kExactIndexEntries);
        if (!n) return std::max(1.0, holding * RangeSelectivity(a));
        entries += static_cast<double>(*n);
      }
    }
    return std::min(entries, holding);  // array elements have an entry each
  }

  // Average adjacency entries per record of `label` for the reversed step.
  // Fanout, remembered per step for the life of the planner (every seek of
  // a chain and the binding-set estimate ask for the same steps).
  double Fanout(const SemiJoinStep& step) {
    for (const auto& [s, fan] : fanouts_) {
      if (s.block_label == step.block_label && s.direction == step.direction && s.types == step.types &&
          s.parent_labels == step.parent_labels) {
        return fan;
      }
    }
    const double fan = ComputeFanout(step);
    SemiJoinStep key;
    key.block_label = step.block_label;
    key.direction = step.direction;
    key.types = step.types;
    key.parent_labels = step.parent_labels;
    fanouts_.emplace_back(std::move(key), fan);
    return fan;
  }

  double ComputeFanout(const SemiJoinStep& step) {
    const double from = static_cast<double>(stats_.LabelCount(step.block_label));
    if (from == 0) return 0;
    std::vector<EdgeDir> dirs;
    if (step.direction != ast::Direction::kIn) dirs.push_back(EdgeDir::kOut);
    if (step.direction != ast::Direction::kOut) dirs.push_back(EdgeDir::kIn);
    std::vector<std::string> types = step.types;
    if (types.empty()) types.push_back("");
    std::vector<std::string> parents = step.parent_labels;
    double edges = 0;
    for (EdgeDir d : dirs) {
      for (const std::string& t : types) {
        if (parents.empty()) {
          // Any parent label: sum over nothing known; use the total of the
          // direction/type by asking with an empty label.
          edges += static_cast<double>(stats_.EdgeCount(step.block_label, d, t, ""));
        } else {
          for (const std::string& p : parents) {
            edges += static_cast<double>(stats_.EdgeCount(step.block_label, d, t, p));
          }
        }
      }
    }
    return edges / from;
  }

  // Average adjacency entries per record for one hop of a variable-length
  // step (any label at either end).
  double HopFanout(const SemiJoinStep& step) {
    const double records = static_cast<double>(stats_.RecordCount());
    if (records == 0) return 0;
    std::vector<EdgeDir> dirs;
    if (step.direction != ast::Direction::kIn) dirs.push_back(EdgeDir::kOut);
    if (step.direction != ast::Direction::kOut) dirs.push_back(EdgeDir::kIn);
    // EdgeCount is per label; approximate the all-label degree by the block
    // label's (the seeds') degree, at least 1.
    SemiJoinStep any = step;
    any.parent_labels.clear();
    return std::max(1.0, Fanout(any));
  }

  // Semi-join alternatives through the chain of positive blocks starting at
  // `b`. `plain_above`: every block above `b` in the chain has only the next
  // chain block as its row-level part.
  void SemiJoins(const ast::Block& top, const ast::Block& b, std::vector<SemiJoinStep> steps_down,
                 bool plain_above, std::vector<JoinAlt>* out) {
    SemiJoinStep step;
    step.block_label = b.label;
    step.block_path = b.path;
    step.block = &b;
    step.types = b.relation.types;
    step.hops = b.relation.hops;
    step.direction = b.relation.direction == ast::Direction::kOut  ? ast::Direction::kIn
                     : b.relation.direction == ast::Direction::kIn ? ast::Direction::kOut
                                                                   : ast::Direction::kAny;
    steps_down.push_back(step);
    // Parent labels: the previous block's label, or the root labels.
    std::vector<SemiJoinStep> steps = steps_down;  // top first
    for (size_t i = 0; i < steps.size(); ++i) {
      steps[i].parent_labels = i == 0 ? q_.labels : std::vector<std::string>{steps[i - 1].block_label};
    }
    std::vector<SemiJoinStep> inner_first(steps.rbegin(), steps.rend());
    const bool exact = plain_above && b.row_level.entries.empty();

    std::vector<Seek> seeks = SeeksFor(b.local.entries, {b.label});
    {
      Seek scan;
      scan.access.kind = Access::Kind::kLabelScan;
      scan.access.labels = {b.label};
      scan.access.detail = b.label;
      scan.access.exact = b.local.entries.empty();
      scan.rows = static_cast<double>(stats_.LabelCount(b.label));
      scan.cost = kSeekCost + scan.rows * kScanKeyCost;
      seeks.push_back(std::move(scan));
    }
    std::vector<double> fans;
    for (const SemiJoinStep& s : inner_first) fans.push_back(s.hops ? HopFanout(s) : Fanout(s));
    for (Seek& seek : seeks) {
      double rows = seek.rows;
      double cost = seek.cost;
      // An exact chain checks the local criteria the access does not answer.
      if (exact && !seek.access.exact) cost += rows;
      for (size_t i = 0; i < inner_first.size(); ++i) {
        const SemiJoinStep& s = inner_first[i];
        const double fan = fans[i];
        if (s.hops) {
          double level = rows, reached = 0;
          const int max = s.hops->max < 0 ? 10 : s.hops->max;
          for (int h = 1; h <= max; ++h) {
            cost += level * (kExpandCost + fan * kEdgeCost);
            level *= fan;
            if (h >= s.hops->min) reached += level;
          }
          rows = reached;
          if (!s.parent_labels.empty() && stats_.RecordCount() > 0) {
            rows *= std::min(1.0, LabelsCount(s.parent_labels) / static_cast<double>(stats_.RecordCount()));
          }
        } else {
          cost += rows * (kExpandCost + fan * kEdgeCost);
          rows *= fan;
        }
      }
      Source src;
      src.access = std::move(seek.access);
      src.semi_join = true;
      src.exact = exact;
      src.block_path = top.path;
      src.top_block = &top;
      src.steps = inner_first;
      const double saving = exact ? 2.0 * (1 + CountBlocks(top.row_level)) : 0;
      out->push_back({std::move(src), cost, rows, seek.rows, saving});
    }
    std::vector<const WhereNode*> nested;
    CollectAnded(b.row_level.entries, &nested);
    const bool plain = plain_above && nested.size() == 1;
    for (const WhereNode* node : nested) {
      if (node->kind == WhereNode::Kind::kBlock) SemiJoins(top, node->AsBlock(), steps_down, plain, out);
    }
  }

  // Adjacency entries per record of `parent_labels` (any label when empty)
  // to records of the block, along the block's relation (top-down).
  double ForwardFanout(const std::vector<std::string>& parent_labels, const ast::Block& b) {
    SemiJoinStep reversed;  // from the block's records back to the parents
    reversed.block_label = b.label;
    reversed.types = b.relation.types;
    reversed.direction = b.relation.direction == ast::Direction::kOut  ? ast::Direction::kIn
                         : b.relation.direction == ast::Direction::kIn ? ast::Direction::kOut
                                                                       : ast::Direction::kAny;
    reversed.parent_labels = parent_labels;
    const double edges = Fanout(reversed) * static_cast<double>(stats_.LabelCount(b.label));
    const double parents = LabelsCount(parent_labels);
    return parents == 0 ? 0 : edges / parents;
  }

  // Blocks (at any depth and polarity) whose single local criterion an index
  // answers exactly and whose set is cheaper to read than the records the
  // top-down evaluation would bind: `reach` records at `parent_labels` per
  // query. Skips the blocks under `skip_path` (an exact semi-join's block).
  void BindingSets(const std::vector<WhereNode>& entries, const std::vector<std::string>& parent_labels,
                   double reach, const std::string& skip_path, std::vector<Access>* out) {
    for (const WhereNode& node : entries) {
      if (node.kind != WhereNode::Kind::kBlock) {
        BindingSets(node.children, parent_labels, reach, skip_path, out);
        continue;
      }
      const ast::Block& b = node.AsBlock();
      if (!skip_path.empty() && b.path == skip_path) continue;
      if (b.relation.hops) continue;
      const double calls = reach * ForwardFanout(parent_labels, b);
      if (b.local.entries.size() == 1) {
        for (Seek& seek : SeeksFor(b.local.entries, {b.label})) {
          if (!seek.access.exact) continue;
          if (kSeekCost + seek.rows * kIndexEntryCost >= calls) continue;
          seek.access.criterion_path = b.path;
          seek.access.block = &b;
          out->push_back(std::move(seek.access));
          break;
        }
      }
      BindingSets(b.row_level.entries, {b.label}, calls, skip_path, out);
    }
  }

  static std::string AccessName(const Access& a) {
    switch (a.kind) {
      case Access::Kind::kAllRecords:
        return "AllRecords";
      case Access::Kind::kLabelScan:
        return "LabelScan";
      case Access::Kind::kIdLookup:
        return "IdLookup";
      case Access::Kind::kIndexScan:
        return "IndexScan";
    }
    return "";
  }
  static std::string Describe(const Source& s) {
    std::string access = s.access.detail.empty() ? AccessName(s.access)
                                                 : absl::StrCat(AccessName(s.access), "(", s.access.detail, ")");
    if (!s.semi_join) return access;
    return absl::StrCat("SemiJoin(", s.block_path, ", bottom-up)<", access);
  }

  const ast::Query& q_;
  PlanStats& stats_;
  const PlanOptions& options_;
  std::vector<std::pair<SemiJoinStep, double>> fanouts_;
  std::vector<std::pair<const std::vector<WhereNode>*, std::vector<Seek>>> seeks_;
};

LogicalPlan Planner::Run() {
  LogicalPlan plan;
  plan.root_labels = q_.labels;
  plan.related_id = q_.related_id;
  plan.has_filter = !q_.where.entries.empty();
  plan.order = q_.order_by.keys;
  plan.skip = q_.skip;
  plan.limit = q_.limit;
  plan.order_by_rid = options_.rid_order_is_id_order && plan.order.size() == 1 && plan.order[0].key == "__id";

  const double eval_cost = 1 + 2.0 * CountBlocks(q_.where);
  const double roots = LabelsCount(q_.labels);

  struct Candidate {
    Source source;
    double access_cost;
    double rows;
    SourceChoice kind;
    double access_rows;
    double eval_saving = 0;
  };
  std::vector<Candidate> candidates;
  {
    Source scan;
    scan.access.kind = q_.labels.empty() ? Access::Kind::kAllRecords : Access::Kind::kLabelScan;
    scan.access.labels = q_.labels;
    scan.access.detail = absl::StrJoin(q_.labels, "|");
    candidates.push_back({std::move(scan), kSeekCost + roots * kScanKeyCost, roots, SourceChoice::kScan, roots});
  }
  std::vector<Seek> root_seeks = SeeksFor(q_.where.entries, q_.labels);
  for (const Seek& seek : root_seeks) {
    SourceChoice kind =
        seek.access.kind == Access::Kind::kIdLookup ? SourceChoice::kIdLookup : SourceChoice::kIndex;
    Source src;
    src.access = seek.access;
    const double rows = std::min(seek.rows, roots);
    candidates.push_back({std::move(src), seek.cost, rows, kind, rows});
  }
  {
    std::vector<const WhereNode*> anded;
    CollectAnded(q_.where.entries, &anded);
    std::vector<JoinAlt> joins;
    for (const WhereNode* node : anded) {
      if (node->kind == WhereNode::Kind::kBlock) SemiJoins(node->AsBlock(), node->AsBlock(), {}, true, &joins);
    }
    for (JoinAlt& j : joins) {
      const double rows = std::min(j.rows, roots);
      // Deduplicating the reached roots costs about one unit per entry.
      candidates.push_back({std::move(j.source), j.cost + j.rows * kEdgeCost, rows, SourceChoice::kSemiJoin,
                            j.seek_rows, j.eval_saving});
    }
  }

  int best = -1;
  double best_cost = std::numeric_limits<double>::infinity();
  double tightest_rows = roots;
  for (size_t i = 0; i < candidates.size(); ++i) {
    Candidate& c = candidates[i];
    const double total = c.access_cost + c.rows * std::max(0.0, eval_cost - c.eval_saving);
    plan.alternatives.push_back({Describe(c.source), total, c.rows});
    tightest_rows = std::min(tightest_rows, c.rows);
    if (options_.force != SourceChoice::kAuto && c.kind != options_.force) continue;
    if (total < best_cost) {
      best_cost = total;
      best = static_cast<int>(i);
    }
  }
  if (best < 0) {  // forced kind impossible here: scan
    best = 0;
    best_cost = candidates[0].access_cost + candidates[0].rows * eval_cost;
  }
  Candidate& chosen = candidates[best];
  plan.source = chosen.source;
  plan.estimated_cost = best_cost;
  BindingSets(q_.where.entries, q_.labels, chosen.rows,
              plan.source.semi_join && plan.source.exact ? plan.source.block_path : std::string(),
              &plan.source.binding_sets);
  // Root criteria cheaper to intersect (an index range read) than to
  // evaluate on every candidate (a record read each).
  for (const Seek& seek : root_seeks) {
    if (!seek.access.node_exact || seek.access.kind != Access::Kind::kIndexScan) continue;
    if (!plan.source.semi_join && seek.access.criterion_path == plan.source.access.criterion_path) continue;
    if (kSeekCost + seek.rows * kIndexEntryCost >= chosen.rows) continue;
    plan.source.intersect.push_back(seek.access);
  }

  // Render the operator chain, top first.
  const double matches = plan.has_filter ? tightest_rows : chosen.rows;
  const double page = std::max(0.0, std::min(static_cast<double>(q_.limit), matches - static_cast<double>(q_.skip)));
  plan.ops.push_back({PlanOp::Role::kLimit, "Limit",
                      q_.skip > 0 ? absl::StrCat(q_.limit, ", skip ", q_.skip) : absl::StrCat(q_.limit), page});
  std::vector<std::string> keys;
  for (const ast::OrderKey& k : plan.order) keys.push_back(absl::StrCat(k.key, k.descending ? " desc" : " asc"));
  std::string sort_detail = absl::StrJoin(keys, ", ");
  if (plan.order_by_rid) sort_detail += ", rid order";
  plan.ops.push_back({PlanOp::Role::kSort, "Sort", sort_detail, matches});
  if (plan.has_filter) {
    std::string detail = q_.where.path;
    if (!plan.source.binding_sets.empty()) {
      std::vector<std::string> parts;
      for (const Access& a : plan.source.binding_sets) parts.push_back(a.detail);
      absl::StrAppend(&detail, ", sets: ", absl::StrJoin(parts, ", "));
    }
    plan.ops.push_back({PlanOp::Role::kFilter, "Filter", std::move(detail), matches});
  }
  if (!plan.source.intersect.empty()) {
    std::vector<std::string> parts;
    for (const Access& a : plan.source.intersect) parts.push_back(a.detail);
    plan.ops.push_back({PlanOp::Role::kIntersect, "Intersect", absl::StrJoin(parts, ", "), matches});
  }
  if (q_.related_id) {
    plan.ops.push_back({PlanOp::Role::kRelated, "Related", Json(*q_.related_id).dump(), chosen.rows});
  }
  if (plan.source.semi_join) {
    plan.ops.push_back({PlanOp::Role::kSemiJoin, "SemiJoin", absl::StrCat(plan.source.block_path, ", bottom-up"),
                        chosen.rows});
  }
  const double access_rows = chosen.access_rows;
  plan.ops.push_back({PlanOp::Role::kAccess, AccessName(plan.source.access), plan.source.access.detail, access_rows});
  return plan;
}

}  // namespace

std::optional<Access> IndexAccessFor(const std::string& field, const Criterion& criterion) {
  if (criterion.kind == Criterion::Kind::kCompare) return CompareAccess(field, criterion);
  if (criterion.kind != Criterion::Kind::kAnd) return std::nullopt;
  // AND of conditions on one field: one child's ranges are a superset. Ranges
  // of two children must not be intersected: with arrays, different elements
  // may satisfy `$gte` and `$lt`.
  std::optional<Access> best;
  double best_sel = 2;
  for (const Criterion& child : criterion.children) {
    auto a = IndexAccessFor(field, child);
    if (!a) continue;
    const double sel = RangeSelectivity(*a);
    if (sel < best_sel) {
      best_sel = sel;
      best = std::move(a);
    }
  }
  return best;
}

LogicalPlan PlanQuery(const ast::Query& query, PlanStats& stats, const PlanOptions& options) {
  return Planner(query, stats, options).Run();
}

}  // namespace loom::query::plan
