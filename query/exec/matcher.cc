#include "query/exec/matcher.h"

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "loom/status.h"
#include "query/exec/criteria.h"

namespace loom::query::exec {

using ast::Block;
using ast::Where;
using ast::WhereNode;
using storage::EdgeFilter;
using storage::EdgeRef;
using storage::NameId;
using storage::Rid;

namespace {

using Mask = uint8_t;
constexpr Mask kT = 1, kF = 2, kU = 4, kAll = 7;

Mask Bit(Truth t) { return static_cast<Mask>(t); }

template <typename Op>
Mask Combine(Mask a, Mask b, Op op) {
  Mask out = 0;
  for (Mask x = 1; x <= 4; x <<= 1) {
    if (!(a & x)) continue;
    for (Mask y = 1; y <= 4; y <<= 1) {
      if (b & y) out |= Bit(op(static_cast<Truth>(x), static_cast<Truth>(y)));
    }
  }
  return out;
}

Mask Negate(Mask m) {
  return static_cast<Mask>(((m & kT) ? kF : 0) | ((m & kF) ? kT : 0) | (m & kU));
}

// Bits the children of an AND (or OR) must report exactly for the result to
// be exact on `need`: T and F follow from the children's T and F bits alone;
// U needs everything.
Mask ChildNeedAndOr(Mask need) {
  if (need & kU) return kAll;
  return need;
}
Mask ChildNeedXor(Mask need) {
  Mask out = 0;
  if (need & (kT | kF)) out |= kT | kF;
  if (need & kU) out |= kU;
  return out;
}

bool IsCheap(const WhereNode& node) {
  switch (node.kind) {
    case WhereNode::Kind::kField:
    case WhereNode::Kind::kId:
      return true;
    case WhereNode::Kind::kBlock:
    case WhereNode::Kind::kCycle:
      return false;
    default:
      for (const WhereNode& child : node.children) {
        if (!IsCheap(child)) return false;
      }
      return true;
  }
}

storage::Direction ToStorage(ast::Direction d) {
  return d == ast::Direction::kIn ? storage::Direction::kIn : storage::Direction::kOut;
}

// The record at one level, decoded lazily.
struct Level {
  explicit Level(Rid r) : rid(r) {}
  Rid rid;
  bool have_record = false;
  storage::StoredRecord record;
  std::optional<std::string> id;
  // Single properties read before the whole record was.
  std::vector<std::pair<NameId, std::optional<Value>>> props;
};

}  // namespace

class MatcherImpl {
 public:
  MatcherImpl(storage::ReadView& view, uint64_t max_steps) : view_(view), max_steps_(max_steps) {}

  absl::StatusOr<bool> Matches(const Where& where, Rid rid, const std::vector<const WhereNode*>* known_true) {
    known_true_ = known_true;
    Level level(rid);
    LOOM_ASSIGN_OR_RETURN(Mask m, EvalEntries(where.entries, level, kT));
    if (memo_.size() > kMaxMemo) memo_.clear();
    return (m & kT) != 0;
  }

  absl::Status BindingsPublic(const Block& b, Rid parent, std::vector<Rid>* out) {
    if (memo_.size() > kMaxMemo) memo_.clear();
    const ResolvedBlock& rb = Resolve(b);
    if (!rb.possible) return absl::OkStatus();
    std::vector<Rid> ends;
    if (b.relation.hops) {
      LOOM_RETURN_IF_ERROR(TrailEnds(parent, rb, *b.relation.hops, &ends));
    } else {
      // One binding per relationship: a self-loop is listed in both
      // directions of the adjacency but is one relationship.
      LOOM_RETURN_IF_ERROR(view_.Expand(parent, rb.filter, [&](const EdgeRef& e) {
        if (e.nbr != parent || e.dir == storage::Direction::kOut || rb.filter.dir.has_value()) ends.push_back(e.nbr);
        return true;
      }));
    }
    std::stable_sort(ends.begin(), ends.end());
    for (Rid end : ends) {
      LOOM_ASSIGN_OR_RETURN(bool bound, Binds(b, end));
      if (bound) out->push_back(end);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Truth> EvalFieldNodePublic(const WhereNode& node, Rid rid) {
    known_true_ = nullptr;
    Level level(rid);
    LOOM_ASSIGN_OR_RETURN(Mask m, EvalNode(node, level, kAll));
    return (m & kT) ? Truth::kTrue : ((m & kF) ? Truth::kFalse : Truth::kUnknown);
  }

  absl::StatusOr<bool> OnCyclePublic(const ast::Cycle& cycle, Rid rid) { return OnCycle(cycle, rid); }

  absl::StatusOr<bool> BindsPublic(const Block& b, Rid rid) {
    if (memo_.size() > kMaxMemo) memo_.clear();
    return Binds(b, rid);
  }

  // Ends of trails from `start` under `filter` (no neighbour label) whose
  // length is in [min, max] and whose last record has one of `end_labels`
  // (any label when empty).
  absl::Status TrailEndsAny(Rid start, const EdgeFilter& filter, const ast::Hops& hops,
                            const std::vector<NameId>& end_labels, std::vector<Rid>* out) {
    std::vector<storage::Eid> used;
    return Trails(start, 0, hops, filter, &used, [&](const EdgeRef& last, int depth) {
      if (depth >= hops.min &&
          (end_labels.empty() || std::find(end_labels.begin(), end_labels.end(), last.nbr_label) != end_labels.end())) {
        out->push_back(last.nbr);
      }
      return false;
    });
  }

 private:
  static constexpr size_t kMaxMemo = 1 << 20;

  // --- names -------------------------------------------------------------
  std::optional<NameId> PropertyId(const std::string& name) {
    auto it = prop_ids_.find(&name);
    if (it != prop_ids_.end()) return it->second;
    auto id = view_.dictionaries().properties.Find(name);
    prop_ids_.emplace(&name, id);
    return id;
  }

  struct ResolvedBlock {
    bool possible = true;  // false when the label or every type is unknown
    EdgeFilter filter;     // direction, types and neighbour label
    NameId label = 0;
  };
  const ResolvedBlock& Resolve(const Block& b) {
    auto it = blocks_.find(&b);
    if (it != blocks_.end()) return it->second;
    ResolvedBlock r;
    auto label = view_.dictionaries().labels.Find(b.label);
    if (!label) r.possible = false;
    r.label = label.value_or(0);
    r.filter.nbr_label = r.label;
    if (b.relation.direction != ast::Direction::kAny) r.filter.dir = ToStorage(b.relation.direction);
    if (!ResolveTypes(b.relation.types, &r.filter.types)) r.possible = false;
    return blocks_.emplace(&b, std::move(r)).first->second;
  }
  bool ResolveTypes(const std::vector<std::string>& names, std::vector<NameId>* out) {
    for (const std::string& t : names) {
      if (auto id = view_.dictionaries().rel_types.Find(t)) out->push_back(*id);
    }
    return names.empty() || !out->empty();
  }

  // --- record access -----------------------------------------------------
  absl::StatusOr<const Value*> Field(Level& level, const std::string& name) {
    auto prop = PropertyId(name);
    if (!prop) return nullptr;
    if (level.have_record) return level.record.Find(*prop);
    for (auto& [n, v] : level.props) {
      if (n == *prop) return v ? &*v : nullptr;
    }
    if (level.props.empty()) {
      LOOM_ASSIGN_OR_RETURN(auto v, view_.GetProperty(level.rid, *prop));
      level.props.emplace_back(*prop, std::move(v));
      return level.props.back().second ? &*level.props.back().second : nullptr;
    }
    // A second property at this level: decode the record once.
    LOOM_ASSIGN_OR_RETURN(bool found, view_.GetRecord(level.rid, &level.record));
    level.have_record = true;
    if (!found) level.record = storage::StoredRecord{};
    level.props.clear();
    return level.record.Find(*prop);
  }

  absl::StatusOr<const std::string*> Id(Level& level) {
    if (level.have_record) return &level.record.id;
    if (!level.id) {
      NameId label = 0;
      std::string id;
      LOOM_ASSIGN_OR_RETURN(bool found, view_.GetRecordHeader(level.rid, &label, &id));
      (void)found;
      level.id = std::move(id);
    }
    return &*level.id;
  }

  // --- evaluation --------------------------------------------------------
  absl::StatusOr<Mask> EvalEntries(const std::vector<WhereNode>& entries, Level& level, Mask need) {
    const Mask child_need = ChildNeedAndOr(need);
    Mask acc = kT;
    for (int pass = 0; pass < 2; ++pass) {  // cheap criteria first
      for (const WhereNode& node : entries) {
        if (IsCheap(node) != (pass == 0)) continue;
        LOOM_ASSIGN_OR_RETURN(Mask m, EvalNode(node, level, child_need));
        acc = Combine(acc, m, And3);
        if (need == kT && !(acc & kT)) return acc;
      }
    }
    return acc;
  }

  absl::StatusOr<Mask> EvalOr(const std::vector<WhereNode>& elements, Level& level, Mask need) {
    const Mask child_need = ChildNeedAndOr(need);
    Mask acc = kF;
    for (int pass = 0; pass < 2; ++pass) {
      for (const WhereNode& node : elements) {
        if (IsCheap(node) != (pass == 0)) continue;
        LOOM_ASSIGN_OR_RETURN(Mask m, EvalNode(node, level, child_need));
        acc = Combine(acc, m, Or3);
        if (need == kT && (acc & kT)) return acc;
      }
    }
    return acc;
  }

  absl::StatusOr<Mask> EvalNode(const WhereNode& node, Level& level, Mask need) {
    // Known TRUE for this root (an exact semi-join computed it); it sits in
    // the root's AND chain, where only the T bit is ever asked for.
    if (known_true_ != nullptr && std::find(known_true_->begin(), known_true_->end(), &node) != known_true_->end()) {
      return kT;
    }
    switch (node.kind) {
      case WhereNode::Kind::kAnd:
        return EvalEntries(node.children, level, need);
      case WhereNode::Kind::kNot: {
        LOOM_ASSIGN_OR_RETURN(Mask m, EvalEntries(node.children, level, Negate(need)));
        return Negate(m);
      }
      case WhereNode::Kind::kOr:
        return EvalOr(node.children, level, need);
      case WhereNode::Kind::kNor: {
        LOOM_ASSIGN_OR_RETURN(Mask m, EvalOr(node.children, level, Negate(need)));
        return Negate(m);
      }
      case WhereNode::Kind::kXor: {
        if (node.children.empty()) return kF;
        const Mask child_need = ChildNeedXor(need);
        LOOM_ASSIGN_OR_RETURN(Mask acc, EvalNode(node.children[0], level, child_need));
        for (size_t i = 1; i < node.children.size(); ++i) {
          LOOM_ASSIGN_OR_RETURN(Mask m, EvalNode(node.children[i], level, child_need));
          acc = Combine(acc, m, Xor3);
        }
        return acc;
      }
      case WhereNode::Kind::kField: {
        LOOM_ASSIGN_OR_RETURN(const Value* v, Field(level, node.field));
        return Bit(EvalCriterion(node.criterion, v));
      }
      case WhereNode::Kind::kId: {
        LOOM_ASSIGN_OR_RETURN(const std::string* id, Id(level));
        const Value v = Value::Of(PropType::kString, *id);
        return Bit(EvalCriterion(node.criterion, &v));
      }
      case WhereNode::Kind::kCycle: {
        LOOM_ASSIGN_OR_RETURN(bool on_cycle, OnCycle(node.cycle, level.rid));
        return on_cycle ? kT : kF;
      }
      case WhereNode::Kind::kBlock:
        return EvalBlock(node.AsBlock(), level.rid, need);
    }
    return kU;
  }

  // E(B) for the parent record `parent`: {F} without bindings, else the union
  // of the row-level masks of the bindings.
  absl::StatusOr<Mask> EvalBlock(const Block& b, Rid parent, Mask need) {
    const ResolvedBlock& rb = Resolve(b);
    if (!rb.possible) return kF;
    auto key = std::make_tuple(static_cast<const void*>(&b), parent, need);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;

    std::vector<Rid> ends;
    if (b.relation.hops) {
      LOOM_RETURN_IF_ERROR(TrailEnds(parent, rb, *b.relation.hops, &ends));
    } else {
      LOOM_RETURN_IF_ERROR(view_.ExpandRids(parent, rb.filter, &ends));
    }
    std::sort(ends.begin(), ends.end());
    ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
    Mask acc = 0;
    for (Rid end : ends) {
      LOOM_ASSIGN_OR_RETURN(bool bound, Binds(b, end));
      if (!bound) continue;
      Mask row = kT;
      if (!b.row_level.entries.empty()) {
        auto row_key = std::make_tuple(static_cast<const void*>(&b.row_level), end, need);
        if (auto it = memo_.find(row_key); it != memo_.end()) {
          row = it->second;
        } else {
          Level level(end);
          LOOM_ASSIGN_OR_RETURN(row, EvalEntries(b.row_level.entries, level, need));
          memo_.emplace(row_key, row);
        }
      }
      acc |= row;
      if ((acc & need) == need) break;
    }
    if (acc == 0) acc = kF;
    memo_.emplace(key, acc);
    return acc;
  }

  // Whether `end` satisfies the block's local criteria (label and relation
  // were checked by the expansion).
  absl::StatusOr<bool> Binds(const Block& b, Rid end) {
    if (b.local.entries.empty()) return true;
    if (!binding_sets_.empty()) {
      auto it = binding_sets_.find(&b);
      if (it != binding_sets_.end()) return std::binary_search(it->second.begin(), it->second.end(), end);
    }
    auto key = std::make_tuple(static_cast<const void*>(&b.local), end, Mask{0});
    if (auto it = memo_.find(key); it != memo_.end()) return it->second == kT;
    Level level(end);
    LOOM_ASSIGN_OR_RETURN(Mask m, EvalEntries(b.local.entries, level, kT));
    const bool ok = (m & kT) != 0;
    memo_.emplace(key, ok ? kT : kF);
    return ok;
  }

  absl::Status Step() {
    if (++steps_ > max_steps_) {
      return MakeError(ErrorCode::kTimeout,
                       absl::StrCat("variable-length traversal exceeded the budget of ", max_steps_,
                                    " relationship visits"));
    }
    return absl::OkStatus();
  }

  // The records ending a relationship-unique path (trail) from `start` whose
  // length is in [min, max] and whose last record has the block's label.
  absl::Status TrailEnds(Rid start, const ResolvedBlock& rb, const ast::Hops& hops, std::vector<Rid>* out) {
    EdgeFilter filter = rb.filter;
    filter.nbr_label.reset();  // intermediate records have any label
    std::vector<storage::Eid> used;
    return Trails(start, 0, hops, filter, &used, [&](const EdgeRef& last, int depth) {
      if (depth >= hops.min && last.nbr_label == rb.label) out->push_back(last.nbr);
      return false;
    });
  }

  absl::StatusOr<bool> OnCycle(const ast::Cycle& cycle, Rid rid) {
    auto key = std::make_tuple(static_cast<const void*>(&cycle), rid, Mask{0});
    if (auto it = memo_.find(key); it != memo_.end()) return it->second == kT;
    EdgeFilter filter;
    if (cycle.direction != ast::Direction::kAny) filter.dir = ToStorage(cycle.direction);
    if (!ResolveTypes(cycle.types, &filter.types)) return false;
    std::vector<storage::Eid> used;
    bool found = false;
    LOOM_RETURN_IF_ERROR(Trails(rid, 0, cycle.hops, filter, &used, [&](const EdgeRef& last, int depth) {
      if (depth >= cycle.hops.min && last.nbr == rid) found = true;
      return found;
    }));
    memo_.emplace(key, found ? kT : kF);
    return found;
  }

  // Depth-first enumeration of trails from `at`; `visit(edge, depth)` is
  // called for each extension and returns true to stop everything.
  template <typename Visit>
  absl::Status Trails(Rid at, int depth, const ast::Hops& hops, const EdgeFilter& filter,
                      std::vector<storage::Eid>* used, Visit&& visit) {
    bool stop = false;
    const uint32_t filter_key = FilterKey(filter);
    return TrailsImpl(at, depth, hops, filter, filter_key, used, visit, &stop);
  }

  // A small id per distinct (direction, types) filter, for the adjacency cache.
  uint32_t FilterKey(const EdgeFilter& filter) {
    std::string key;
    key.push_back(filter.dir ? static_cast<char>('0' + static_cast<int>(*filter.dir)) : 'a');
    for (NameId t : filter.types) absl::StrAppend(&key, ",", t);
    auto it = filter_keys_.find(key);
    if (it != filter_keys_.end()) return it->second;
    const uint32_t id = static_cast<uint32_t>(filter_keys_.size());
    filter_keys_.emplace(std::move(key), id);
    return id;
  }

  // The adjacency of `at` under `filter` (no neighbour label), read once per
  // Matcher: path searches revisit the same records many times.
  absl::StatusOr<const std::vector<EdgeRef>*> Adjacency(Rid at, const EdgeFilter& filter, uint32_t filter_key) {
    auto key = std::make_pair(at, filter_key);
    auto it = adjacency_.find(key);
    if (it != adjacency_.end()) return &it->second;
    if (adjacency_.size() > kMaxAdjacency) adjacency_.clear();
    std::vector<EdgeRef> edges;
    LOOM_RETURN_IF_ERROR(view_.Expand(at, filter, [&](const EdgeRef& e) {
      edges.push_back(e);
      return true;
    }));
    return &adjacency_.emplace(key, std::move(edges)).first->second;
  }
  template <typename Visit>
  absl::Status TrailsImpl(Rid at, int depth, const ast::Hops& hops, const EdgeFilter& filter, uint32_t filter_key,
                          std::vector<storage::Eid>* used, Visit& visit, bool* stop) {
    if (hops.max >= 0 && depth >= hops.max) return absl::OkStatus();
    LOOM_ASSIGN_OR_RETURN(const std::vector<EdgeRef>* cached, Adjacency(at, filter, filter_key));
    // A copy: deeper levels may evict the cache.
    const std::vector<EdgeRef> edges = *cached;
    for (const EdgeRef& e : edges) {
      if (std::find(used->begin(), used->end(), e.eid) != used->end()) continue;
      // Either direction lists a self-loop twice; it is one relationship, so
      // one path.
      if (!filter.dir && e.nbr == at && e.dir == storage::Direction::kIn) continue;
      LOOM_RETURN_IF_ERROR(Step());
      if (visit(e, depth + 1)) {
        *stop = true;
        return absl::OkStatus();
      }
      used->push_back(e.eid);
      LOOM_RETURN_IF_ERROR(TrailsImpl(e.nbr, depth + 1, hops, filter, filter_key, used, visit, stop));
      used->pop_back();
      if (*stop) return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  storage::ReadView& view_;
  const uint64_t max_steps_;
  uint64_t steps_ = 0;
  absl::flat_hash_map<const std::string*, std::optional<NameId>> prop_ids_;
  absl::flat_hash_map<const Block*, ResolvedBlock> blocks_;
  absl::flat_hash_map<std::tuple<const void*, Rid, Mask>, Mask> memo_;
  static constexpr size_t kMaxAdjacency = 1 << 16;  // records whose adjacency is kept
  absl::flat_hash_map<std::string, uint32_t> filter_keys_;
  absl::flat_hash_map<std::pair<Rid, uint32_t>, std::vector<EdgeRef>> adjacency_;
  const std::vector<const WhereNode*>* known_true_ = nullptr;

 public:
  absl::flat_hash_map<const Block*, std::vector<Rid>> binding_sets_;
};

Matcher::Matcher(storage::ReadView& view, uint64_t max_traversal_steps)
    : impl_(std::make_unique<MatcherImpl>(view, max_traversal_steps)) {}
Matcher::~Matcher() = default;

absl::StatusOr<bool> Matcher::Matches(const ast::Where& where, storage::Rid rid) {
  return impl_->Matches(where, rid, nullptr);
}

void Matcher::SetBindingSet(const ast::Block& block, std::vector<storage::Rid> rids) {
  impl_->binding_sets_[&block] = std::move(rids);
}

absl::Status Matcher::Bindings(const ast::Block& block, storage::Rid parent, std::vector<storage::Rid>* out) {
  return impl_->BindingsPublic(block, parent, out);
}

absl::StatusOr<Truth> Matcher::EvalFieldNode(const ast::WhereNode& node, storage::Rid rid) {
  return impl_->EvalFieldNodePublic(node, rid);
}

absl::StatusOr<bool> Matcher::OnCycle(const ast::Cycle& cycle, storage::Rid rid) {
  return impl_->OnCyclePublic(cycle, rid);
}

absl::StatusOr<bool> Matcher::Binds(const ast::Block& block, storage::Rid rid) {
  return impl_->BindsPublic(block, rid);
}

absl::Status Matcher::TrailEnds(storage::Rid start, const storage::EdgeFilter& filter, const ast::Hops& hops,
                                const std::vector<storage::NameId>& end_labels, std::vector<storage::Rid>* out) {
  return impl_->TrailEndsAny(start, filter, hops, end_labels, out);
}

absl::Status Matcher::Filter(const ast::Where& where, std::vector<storage::Rid>* rids,
                             const std::vector<const ast::WhereNode*>& known_true, StopCheck* stop) {
  bool all_known = true;
  for (const WhereNode& node : where.entries) {
    if (std::find(known_true.begin(), known_true.end(), &node) == known_true.end()) all_known = false;
  }
  if (all_known) return absl::OkStatus();
  const std::vector<const WhereNode*>* known = known_true.empty() ? nullptr : &known_true;
  size_t kept = 0;
  for (size_t i = 0; i < rids->size(); ++i) {
    if (stop != nullptr) LOOM_RETURN_IF_ERROR(stop->Check());
    LOOM_ASSIGN_OR_RETURN(bool ok, impl_->Matches(where, (*rids)[i], known));
    if (ok) (*rids)[kept++] = (*rids)[i];
  }
  rids->resize(kept);
  return absl::OkStatus();
}

}  // namespace loom::query::exec
