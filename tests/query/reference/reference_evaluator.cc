// tests/query/reference/reference_evaluator.cc: see the header. Every rule
// cites the spec section it implements; nothing here is optimised beyond
// memoising per-query path sets.
#include "tests/query/reference/reference_evaluator.h"
#include "tests/query/reference/reference_select.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "loom/datetime.h"

namespace loom::reference {
namespace {

using query::ast::Argument;
using query::ast::Block;
using query::ast::CompareOp;
using query::ast::Criterion;
using query::ast::Direction;
using query::ast::Where;
using query::ast::WhereNode;

// --- §5.4 three-valued logic ---------------------------------------------

Truth And(Truth a, Truth b) {
  if (a == Truth::kFalse || b == Truth::kFalse) return Truth::kFalse;
  if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
  return Truth::kTrue;
}
Truth Or(Truth a, Truth b) {
  if (a == Truth::kTrue || b == Truth::kTrue) return Truth::kTrue;
  if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
  return Truth::kFalse;
}
Truth Not(Truth a) {
  if (a == Truth::kTrue) return Truth::kFalse;
  if (a == Truth::kFalse) return Truth::kTrue;
  return Truth::kUnknown;
}
Truth Xor(Truth a, Truth b) {
  if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
  return (a == Truth::kTrue) != (b == Truth::kTrue) ? Truth::kTrue : Truth::kFalse;
}
Truth Of(bool b) { return b ? Truth::kTrue : Truth::kFalse; }

// --- scalars ----------------------------------------------------------------

const std::string* AsString(const Scalar& s) { return std::get_if<std::string>(&s); }
const double* AsNumber(const Scalar& s) { return std::get_if<double>(&s); }
const bool* AsBool(const Scalar& s) { return std::get_if<bool>(&s); }

// Type-strict equality of a stored element with a primitive argument (§4.4,
// data-model §10): numbers numerically, strings by text, booleans by value.
bool ElementEquals(const Scalar& e, const Argument& a) {
  switch (a.kind) {
    case Argument::Kind::kString:
      return AsString(e) != nullptr && *AsString(e) == a.string;
    case Argument::Kind::kNumber:
      return AsNumber(e) != nullptr && *AsNumber(e) == a.number;
    case Argument::Kind::kBoolean:
      return AsBool(e) != nullptr && *AsBool(e) == a.boolean;
    default:
      return false;
  }
}

std::optional<Instant> ElementInstant(const Scalar& e) {
  const std::string* s = AsString(e);
  if (s == nullptr) return std::nullopt;
  return ParseDatetimeInstant(*s);
}

bool RangeHolds(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kGt:
      return c > 0;
    case CompareOp::kGte:
      return c >= 0;
    case CompareOp::kLt:
      return c < 0;
    case CompareOp::kLte:
      return c <= 0;
    default:
      return false;
  }
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLowerString(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

std::string_view TypeName(PropType t) {
  switch (t) {
    case PropType::kString:
      return "string";
    case PropType::kNumber:
      return "number";
    case PropType::kBoolean:
      return "boolean";
    case PropType::kDatetime:
      return "datetime";
    case PropType::kVector:
      return "vector";
  }
  return "?";
}

// Any-element test (§4.3): TRUE if some element is TRUE, else UNKNOWN if some
// element is UNKNOWN, else FALSE. An empty list gives FALSE.
Truth AnyElement(const Value& v, const std::function<Truth(const Scalar&)>& f) {
  bool unknown = false;
  for (const Scalar& e : v.items) {
    Truth t = f(e);
    if (t == Truth::kTrue) return Truth::kTrue;
    if (t == Truth::kUnknown) unknown = true;
  }
  return unknown ? Truth::kUnknown : Truth::kFalse;
}

bool IsInstantList(const Argument& a) {
  return !a.items.empty() && a.items.front().kind == Argument::Kind::kInstant;
}

// One comparison (§4.4) on a value; `v` is nullptr when the field is absent.
Truth Compare(const Value* v, CompareOp op, const Argument& arg) {
  const bool is_datetime = v != nullptr && v->type == PropType::kDatetime;
  switch (op) {
    case CompareOp::kEq:
      if (arg.kind == Argument::Kind::kNull) return Of(v == nullptr);
      if (v == nullptr) return Truth::kUnknown;
      if (arg.kind == Argument::Kind::kInstant) {
        if (!is_datetime || !arg.instant) return Truth::kFalse;
        return AnyElement(*v, [&](const Scalar& e) {
          std::optional<Instant> i = ElementInstant(e);
          return Of(i && *i == *arg.instant);
        });
      }
      return AnyElement(*v, [&](const Scalar& e) { return Of(ElementEquals(e, arg)); });

    case CompareOp::kNe:
      if (arg.kind == Argument::Kind::kNull) return Of(v != nullptr);
      if (v == nullptr) return Truth::kUnknown;
      if (arg.kind == Argument::Kind::kInstant) {
        if (!is_datetime || !arg.instant) return Truth::kFalse;
        return AnyElement(*v, [&](const Scalar& e) {
          std::optional<Instant> i = ElementInstant(e);
          return Of(i && *i != *arg.instant);
        });
      }
      return AnyElement(*v, [&](const Scalar& e) { return Of(!ElementEquals(e, arg)); });

    case CompareOp::kIn: {
      // some element in the set; with a null member: OR field absent.
      Truth base;
      if (v == nullptr) {
        base = Truth::kUnknown;
      } else if (IsInstantList(arg)) {
        if (!is_datetime) {
          base = Truth::kFalse;
        } else {
          base = AnyElement(*v, [&](const Scalar& e) {
            std::optional<Instant> i = ElementInstant(e);
            if (!i) return Truth::kFalse;
            for (const Argument& m : arg.items) {
              if (m.instant && *m.instant == *i) return Truth::kTrue;
            }
            return Truth::kFalse;
          });
        }
      } else {
        base = AnyElement(*v, [&](const Scalar& e) {
          for (const Argument& m : arg.items) {
            if (ElementEquals(e, m)) return Truth::kTrue;
          }
          return Truth::kFalse;
        });
      }
      if (arg.contains_null) base = Or(base, Of(v == nullptr));
      return base;
    }

    case CompareOp::kNin: {
      // no element in the set; with a null member: AND field present.
      Truth base;
      if (v == nullptr) {
        base = Truth::kUnknown;
      } else if (IsInstantList(arg)) {
        if (!is_datetime) {
          base = Truth::kFalse;
        } else {
          bool found = false;
          for (const Scalar& e : v->items) {
            std::optional<Instant> i = ElementInstant(e);
            for (const Argument& m : arg.items) {
              if (i && m.instant && *m.instant == *i) found = true;
            }
          }
          base = Of(!found);
        }
      } else {
        bool found = false;
        for (const Scalar& e : v->items) {
          for (const Argument& m : arg.items) {
            if (ElementEquals(e, m)) found = true;
          }
        }
        base = Of(!found);
      }
      if (arg.contains_null) base = And(base, Of(v != nullptr));
      return base;
    }

    case CompareOp::kGt:
    case CompareOp::kGte:
    case CompareOp::kLt:
    case CompareOp::kLte:
      if (v == nullptr) return Truth::kUnknown;
      if (arg.kind == Argument::Kind::kNumber) {
        // numeric; any other element kind is incomparable (UNKNOWN).
        return AnyElement(*v, [&](const Scalar& e) {
          const double* d = AsNumber(e);
          if (d == nullptr) return Truth::kUnknown;
          int c = *d < arg.number ? -1 : (*d > arg.number ? 1 : 0);
          return Of(RangeHolds(op, c));
        });
      }
      // datetime argument: only datetime-typed fields; instants compared.
      if (!is_datetime || !arg.instant) return Truth::kFalse;
      return AnyElement(*v, [&](const Scalar& e) {
        std::optional<Instant> i = ElementInstant(e);
        if (!i) return Truth::kFalse;  // D15
        int c = *i < *arg.instant ? -1 : (*i > *arg.instant ? 1 : 0);
        return Of(RangeHolds(op, c));
      });

    case CompareOp::kContains:
    case CompareOp::kStartsWith:
    case CompareOp::kEndsWith:
      if (v == nullptr) return Truth::kUnknown;
      return AnyElement(*v, [&](const Scalar& e) {
        const std::string* s = AsString(e);
        if (s == nullptr) return Truth::kUnknown;
        const std::string& x = arg.string;
        if (op == CompareOp::kContains) {
          return Of(AsciiLowerString(*s).find(AsciiLowerString(x)) != std::string::npos);
        }
        if (op == CompareOp::kStartsWith) {
          return Of(s->size() >= x.size() && s->compare(0, x.size(), x) == 0);
        }
        return Of(s->size() >= x.size() && s->compare(s->size() - x.size(), x.size(), x) == 0);
      });

    case CompareOp::kExists:
      return Of(arg.boolean ? v != nullptr : v == nullptr);

    case CompareOp::kType:
      if (arg.string == "null") return Of(v == nullptr);
      if (v == nullptr) return Truth::kUnknown;
      return Of(TypeName(v->type) == arg.string);
  }
  return Truth::kUnknown;
}

Truth EvalCriterion(const Value* v, const Criterion& c) {
  switch (c.kind) {
    case Criterion::Kind::kCompare:
      return Compare(v, c.op, c.arg);
    case Criterion::Kind::kAnd: {
      Truth t = Truth::kTrue;
      for (const Criterion& ch : c.children) t = And(t, EvalCriterion(v, ch));
      return t;
    }
    case Criterion::Kind::kNot: {
      Truth t = Truth::kTrue;
      for (const Criterion& ch : c.children) t = And(t, EvalCriterion(v, ch));
      return Not(t);
    }
    case Criterion::Kind::kOr: {
      Truth t = Truth::kFalse;
      for (const Criterion& ch : c.children) t = Or(t, EvalCriterion(v, ch));
      return t;
    }
    case Criterion::Kind::kNor: {
      Truth t = Truth::kFalse;
      for (const Criterion& ch : c.children) t = Or(t, EvalCriterion(v, ch));
      return Not(t);
    }
    case Criterion::Kind::kXor: {
      Truth t = Truth::kFalse;
      for (const Criterion& ch : c.children) t = Xor(t, EvalCriterion(v, ch));
      return t;
    }
  }
  return Truth::kUnknown;
}

// --- ordering (data-model §10, query.md §8.2) --------------------------------

int Sign(bool less, bool greater) { return less ? -1 : (greater ? 1 : 0); }

// string < boolean < number; within a kind by value.
int RankOf(const Scalar& s) {
  if (AsString(s)) return 1;
  if (AsBool(s)) return 2;
  return 3;
}

int OrderScalars(const Scalar& a, const Scalar& b) {
  int ra = RankOf(a), rb = RankOf(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 1) {
    std::u16string x = ToUtf16(*AsString(a)), y = ToUtf16(*AsString(b));
    return Sign(x < y, y < x);
  }
  if (ra == 2) return Sign(*AsBool(a) < *AsBool(b), *AsBool(b) < *AsBool(a));
  return Sign(*AsNumber(a) < *AsNumber(b), *AsNumber(b) < *AsNumber(a));
}

// list < scalar kinds < absent; lists element-wise, a proper prefix first.
int OrderValues(const Value* a, const Value* b) {
  if (a == nullptr || b == nullptr) return Sign(a != nullptr, b != nullptr);
  if (a->is_array != b->is_array) return a->is_array ? -1 : 1;
  if (!a->is_array) return OrderScalars(a->items.front(), b->items.front());
  size_t n = std::min(a->items.size(), b->items.size());
  for (size_t i = 0; i < n; ++i) {
    int c = OrderScalars(a->items[i], b->items[i]);
    if (c != 0) return c;
  }
  return Sign(a->items.size() < b->items.size(), a->items.size() > b->items.size());
}

// --- graph evaluation ---------------------------------------------------------

using Row = std::vector<std::pair<const Block*, int>>;

struct TooManyRows {};

class Evaluator {
 public:
  Evaluator(const RefGraph& g, int64_t max_rows) : g_(g), max_rows_(max_rows) {
    for (size_t i = 0; i < g.records.size(); ++i) index_[g.records[i].id] = static_cast<int>(i);
    for (const RefGraph::Edge& e : g.edges) {
      auto s = index_.find(e.start), t = index_.find(e.end);
      if (s == index_.end() || t == index_.end()) continue;  // dangling: ignored
      edges_.push_back({s->second, t->second, e.type});
    }
  }

  absl::StatusOr<RefResult> Run(const query::ast::Query& q) {
    const bool select = q.has_select || (q.aggregate.is_object() && !q.aggregate.empty());
    multiplicity_ = select;
    // §2 step 1: candidate roots.
    std::vector<int> roots;
    std::optional<int> entry;
    if (q.related_id) {
      auto it = index_.find(*q.related_id);
      entry = it == index_.end() ? -1 : it->second;
    }
    for (size_t i = 0; i < g_.records.size(); ++i) {
      const Record& r = g_.records[i];
      if (!q.labels.empty()) {
        if (!r.label || std::find(q.labels.begin(), q.labels.end(), *r.label) == q.labels.end()) {
          continue;
        }
      }
      if (entry && !Adjacent(*entry, static_cast<int>(i))) continue;
      roots.push_back(static_cast<int>(i));
    }
    // §2 steps 2-4: rows, filter, matching roots.
    std::vector<const Block*> top;
    query::ast::CollectBlocks(q.where, &top);
    std::vector<int> matching;
    std::map<int, std::vector<Row>> true_rows;  // select: every TRUE row of a matching root
    try {
      for (int r : roots) {
        std::vector<Row> rows{Row{}};
        for (const Block* b : top) rows = Product(rows, Bind(*b, r));
        for (const Row& row : rows) {
          if (EvalWhere(q.where, r, row) == Truth::kTrue) {
            if (!select) {
              matching.push_back(r);
              break;
            }
            if (true_rows[r].empty()) matching.push_back(r);
            true_rows[r].push_back(row);
          }
        }
      }
    } catch (const TooManyRows&) {
      return absl::ResourceExhaustedError("too many binding rows for the reference evaluator");
    }
    std::vector<int> by_id_desc = matching;  // select's first-appearance order (D6)
    std::sort(by_id_desc.begin(), by_id_desc.end(),
              [&](int a, int b) { return g_.records[a].id > g_.records[b].id; });
    // §8: sort keys, ties by __id descending.
    std::stable_sort(matching.begin(), matching.end(), [&](int a, int b) {
      const Record& ra = g_.records[a];
      const Record& rb = g_.records[b];
      for (const query::ast::OrderKey& k : q.order_by.keys) {
        int c;
        if (k.key == "__id") {
          c = Sign(ra.id < rb.id, rb.id < ra.id);
        } else {
          c = OrderValues(ra.Find(k.key), rb.Find(k.key));
        }
        if (k.descending) c = -c;
        if (c != 0) return c < 0;
      }
      return ra.id > rb.id;
    });
    if (select) {
      SelectInput in;
      in.graph = &g_;
      in.roots_by_id_desc = by_id_desc;
      in.roots_ordered = matching;
      for (const auto& [r, rows] : true_rows) {
        for (const Row& row : rows) {
          std::map<std::string, int> aliases;
          for (const auto& [block, rec] : row) {
            if (block->alias) aliases[*block->alias] = rec;
          }
          in.rows[r].push_back(std::move(aliases));
        }
      }
      for (const IEdge& e : edges_) {
        in.neighbours[e.start].push_back(e.end);
        if (e.end != e.start) in.neighbours[e.end].push_back(e.start);
      }
      absl::StatusOr<Json> data = EvaluateSelect(in, q);
      if (!data.ok()) return data.status();
      RefResult out;
      out.total = static_cast<int64_t>(matching.size());
      out.data = std::move(*data);
      return out;
    }
    // §9 / D2: skip and limit count roots.
    RefResult out;
    out.total = static_cast<int64_t>(matching.size());
    for (int64_t i = q.skip; i < out.total && i < q.skip + q.limit; ++i) {
      out.ids.push_back(g_.records[matching[i]].id);
    }
    return out;
  }

 private:
  struct IEdge {
    int start, end;
    std::string type;
  };

  // §16: connected through at least one relationship (any type/direction).
  bool Adjacent(int entry, int r) const {
    for (const IEdge& e : edges_) {
      if ((e.start == entry && e.end == r) || (e.end == entry && e.start == r)) return true;
    }
    return false;
  }

  // All relationship-unique paths (trails) from `from` with a length in
  // [min, max] whose every hop matches `types`/`dir` (§6.9, §6.10); collects
  // their end records.
  void Trails(int node, int depth, int min, int max, const std::vector<std::string>& types,
              Direction dir, std::vector<bool>* used, std::multiset<int>* ends) const {
    if (depth >= min && depth >= 1) ends->insert(node);
    if (max >= 0 && depth == max) return;
    for (size_t i = 0; i < edges_.size(); ++i) {
      if ((*used)[i]) continue;
      const IEdge& e = edges_[i];
      if (!types.empty() && std::find(types.begin(), types.end(), e.type) == types.end()) continue;
      int next;
      if (dir != Direction::kIn && e.start == node) {
        next = e.end;
      } else if (dir != Direction::kOut && e.end == node) {
        next = e.start;
      } else {
        continue;
      }
      (*used)[i] = true;
      Trails(next, depth + 1, min, max, types, dir, used, ends);
      (*used)[i] = false;
    }
  }

  // The end of every trail (one entry per path: §2.1 multiplicity).
  std::multiset<int> PathEnds(int from, int min, int max, const std::vector<std::string>& types,
                              Direction dir) const {
    std::vector<bool> used(edges_.size(), false);
    std::multiset<int> ends;
    if (max < 0) max = static_cast<int>(edges_.size());
    Trails(from, 0, min, max, types, dir, &used, &ends);
    return ends;
  }

  std::set<int> EndsFrom(int from, int min, int max, const std::vector<std::string>& types,
                         Direction dir) const {
    std::multiset<int> ends = PathEnds(from, min, max, types, dir);
    return std::set<int>(ends.begin(), ends.end());
  }

  // §2.1: records a block can bind from parent `p`: path ends with the label
  // that satisfy the block's local criteria; ascending by __id.
  const std::vector<int>& Candidates(const Block& b, int p) {
    auto key = std::make_pair(&b, p);
    auto it = candidates_.find(key);
    if (it != candidates_.end()) return it->second;
    int min = 1, max = 1;
    if (b.relation.hops) min = b.relation.hops->min, max = b.relation.hops->max;
    std::vector<int> out;
    const std::multiset<int> paths = PathEnds(p, min, max, b.relation.types, b.relation.direction);
    std::vector<int> ends(paths.begin(), paths.end());
    if (!multiplicity_) ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
    for (int end : ends) {
      const Record& r = g_.records[end];
      if (!r.label || *r.label != b.label) continue;
      if (EvalWhere(b.local, end, Row{}) != Truth::kTrue) continue;
      out.push_back(end);
    }
    std::stable_sort(out.begin(), out.end(),
                     [&](int x, int y) { return g_.records[x].id < g_.records[y].id; });
    return candidates_.emplace(key, std::move(out)).first->second;
  }

  std::vector<Row> Product(const std::vector<Row>& a, const std::vector<Row>& b) {
    if (static_cast<int64_t>(a.size()) * static_cast<int64_t>(b.size()) > max_rows_) {
      throw TooManyRows{};
    }
    std::vector<Row> out;
    out.reserve(a.size() * b.size());
    for (const Row& x : a) {
      for (const Row& y : b) {
        Row r = x;
        r.insert(r.end(), y.begin(), y.end());
        out.push_back(std::move(r));
      }
    }
    return out;
  }

  // Bind(B, p) of §2.1. Unbound blocks are simply missing from the row.
  std::vector<Row> Bind(const Block& b, int p) {
    if (p < 0) return {Row{}};
    const std::vector<int>& m = Candidates(b, p);
    if (m.empty()) return {Row{}};
    std::vector<const Block*> children;
    query::ast::CollectBlocks(b.row_level, &children);
    std::vector<Row> out;
    for (int end : m) {
      std::vector<Row> part{Row{{&b, end}}};
      for (const Block* child : children) part = Product(part, Bind(*child, end));
      out.insert(out.end(), part.begin(), part.end());
      if (static_cast<int64_t>(out.size()) > max_rows_) throw TooManyRows{};
    }
    return out;
  }

  static int Lookup(const Row& row, const Block* b) {
    for (const auto& [block, rec] : row) {
      if (block == b) return rec;
    }
    return -1;
  }

  bool OnCycle(const query::ast::Cycle& c, int v) {
    auto key = std::make_pair(&c, v);
    auto it = cycles_.find(key);
    if (it != cycles_.end()) return it->second;
    std::set<int> ends = EndsFrom(v, c.hops.min, c.hops.max, c.types, c.direction);
    bool on = ends.count(v) > 0;
    cycles_.emplace(key, on);
    return on;
  }

  // §2.2 at the level whose record is `cur`.
  Truth EvalWhere(const Where& w, int cur, const Row& row) {
    Truth t = Truth::kTrue;
    for (const WhereNode& n : w.entries) t = And(t, EvalNode(n, cur, row));
    return t;
  }

  Truth EvalNode(const WhereNode& n, int cur, const Row& row) {
    switch (n.kind) {
      case WhereNode::Kind::kAnd:
      case WhereNode::Kind::kNot: {
        Truth t = Truth::kTrue;
        for (const WhereNode& c : n.children) t = And(t, EvalNode(c, cur, row));
        return n.kind == WhereNode::Kind::kNot ? Not(t) : t;
      }
      case WhereNode::Kind::kOr:
      case WhereNode::Kind::kNor: {
        Truth t = Truth::kFalse;
        for (const WhereNode& c : n.children) t = Or(t, EvalNode(c, cur, row));
        return n.kind == WhereNode::Kind::kNor ? Not(t) : t;
      }
      case WhereNode::Kind::kXor: {
        Truth t = Truth::kFalse;
        for (const WhereNode& c : n.children) t = Xor(t, EvalNode(c, cur, row));
        return t;
      }
      case WhereNode::Kind::kField:
        return EvalCriterion(g_.records[cur].Find(n.field), n.criterion);
      case WhereNode::Kind::kId: {
        Value id = Value::Of(PropType::kString, g_.records[cur].id);
        return EvalCriterion(&id, n.criterion);
      }
      case WhereNode::Kind::kCycle:
        return Of(OnCycle(n.cycle, cur));
      case WhereNode::Kind::kBlock: {
        const Block& b = n.AsBlock();
        int bound = Lookup(row, &b);
        if (bound < 0) return Truth::kFalse;
        return EvalWhere(b.row_level, bound, row);
      }
    }
    return Truth::kUnknown;
  }

  const RefGraph& g_;
  int64_t max_rows_;
  bool multiplicity_ = false;  // one binding per path (select); else per record
  std::map<std::string, int> index_;
  std::vector<IEdge> edges_;
  std::map<std::pair<const Block*, int>, std::vector<int>> candidates_;
  std::map<std::pair<const query::ast::Cycle*, int>, bool> cycles_;
};

std::optional<PropType> TypeFromName(std::string_view name) {
  if (name == "string") return PropType::kString;
  if (name == "number") return PropType::kNumber;
  if (name == "boolean") return PropType::kBoolean;
  if (name == "datetime") return PropType::kDatetime;
  if (name == "vector") return PropType::kVector;
  return std::nullopt;
}

absl::StatusOr<Scalar> ScalarFromJson(const Json& j) {
  if (j.is_string()) return Scalar(j.get<std::string>());
  if (j.is_boolean()) return Scalar(j.get<bool>());
  if (j.is_number()) return Scalar(j.get<double>());
  return absl::InvalidArgumentError("not a scalar: " + j.dump());
}

}  // namespace

std::u16string ToUtf16(std::string_view s) {
  std::u16string out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    int len;
    if (c < 0x80) {
      cp = c, len = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1f, len = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0f, len = 3;
    } else {
      cp = c & 0x07, len = 4;
    }
    for (int k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

absl::StatusOr<RefResult> Evaluate(const RefGraph& graph, const query::ast::Query& query,
                                   int64_t max_rows_per_root) {
  Evaluator e(graph, max_rows_per_root);
  return e.Run(query);
}

Truth EvaluateCriterion(const Record& record, const std::string& field,
                        const query::ast::Criterion& criterion) {
  return EvalCriterion(record.Find(field), criterion);
}

absl::StatusOr<Record> RecordFromJson(const Json& json) {
  if (!json.is_object() || !json.contains("__id") || !json["__id"].is_string()) {
    return absl::InvalidArgumentError("not a record: " + json.dump());
  }
  Record r;
  r.id = json["__id"].get<std::string>();
  if (json.contains("__label")) r.label = json["__label"].get<std::string>();
  Json types = json.value("__proptypes", Json::object());
  for (const auto& [name, value] : json.items()) {
    if (name == "__id" || name == "__label" || name == "__proptypes") continue;
    if (!types.contains(name) || !types[name].is_string()) {
      return absl::InvalidArgumentError("no __proptypes entry for " + name);
    }
    std::optional<PropType> type = TypeFromName(types[name].get<std::string>());
    if (!type) return absl::InvalidArgumentError("unknown type for " + name);
    Value v;
    v.type = *type;
    if (value.is_array()) {
      v.is_array = true;
      for (const Json& e : value) {
        absl::StatusOr<Scalar> s = ScalarFromJson(e);
        if (!s.ok()) return s.status();
        v.items.push_back(*s);
      }
    } else {
      absl::StatusOr<Scalar> s = ScalarFromJson(value);
      if (!s.ok()) return s.status();
      v.items.push_back(*s);
    }
    r.properties.push_back({name, std::move(v)});
  }
  return r;
}

}  // namespace loom::reference
