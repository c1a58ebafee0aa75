// engine/relationship_reads.cc: relationships.find (api.md §3.1).
//
// Endpoint filters (`source` / `target`: labels + record where) select rid
// sets through the query seam; edges are enumerated from the smaller known
// side (or scanned once from their start records when neither side is
// restricted), filtered by the edge where, ordered (edge creation order by
// default, or `orderBy`), paged with the unvalidated pagination helper
// (query.md §9) and rendered as Relation JSON with the physical endpoints.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "engine/database_impl.h"
#include "engine/import/write_typing.h"
#include "engine/query_seam.h"
#include "engine/record_mapper.h"
#include "loom/datetime.h"
#include "loom/status.h"
#include "query/exec/criteria.h"
#include "query/parse/parser.h"

namespace loom::engine {
namespace {

using query::exec::Truth;
namespace ast = query::ast;

constexpr std::string_view kDefaultRelAlias = "RUSHDB_DEFAULT_RELATION";

// An endpoint filter; nullopt = any record.
using RidSet = std::optional<absl::flat_hash_set<storage::Rid>>;

absl::StatusOr<RidSet> ParseEndpoint(DatabaseImpl& db, storage::ReadView& view, const Json& args,
                                     std::string_view name) {
  const std::string path = "/" + std::string(name);
  const Json* side = Member(args, name);
  if (side == nullptr) return RidSet();
  if (!side->is_object()) return InvalidQuery(path, "expected an object {labels?, where?}");
  const Json* labels = Member(*side, "labels");
  const Json* where = Member(*side, "where");
  const bool has_labels = labels != nullptr && !(labels->is_array() && labels->empty());
  const bool has_where = where != nullptr && !(where->is_object() && where->empty());
  if (!has_labels && !has_where) return RidSet();
  LOOM_ASSIGN_OR_RETURN(std::vector<storage::Rid> rids, MatchRecords(db, view, labels, where, path));
  return RidSet(absl::flat_hash_set<storage::Rid>(rids.begin(), rids.end()));
}

// --- Edge where (api.md §3.1) ---

// A string that starts like a datetime ("YYYY-MM-DDT").
bool LooksLikeDatetime(std::string_view s) {
  if (s.size() < 11) return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return s[4] == '-' && s[7] == '-' && s[10] == 'T';
}

std::optional<Scalar> JsonToScalar(const Json& j) {
  if (j.is_boolean()) return Scalar(j.get<bool>());
  if (j.is_number()) return Scalar(j.get<double>());
  if (j.is_string()) return Scalar(j.get<std::string>());
  return std::nullopt;
}

PropType TypeOfScalar(const Scalar& s) {
  if (std::holds_alternative<bool>(s)) return PropType::kBoolean;
  if (std::holds_alternative<double>(s)) return PropType::kNumber;
  return LooksLikeDatetime(std::get<std::string>(s)) ? PropType::kDatetime : PropType::kString;
}

// An (untyped) edge property as a typed value: the type is that of its
// (first non-null) element; a string starting like a datetime is a datetime.
// nullopt for null / absent.
std::optional<Value> EdgeValue(const Json& j) {
  if (j.is_array()) {
    Value v;
    v.is_array = true;
    bool typed = false;
    for (const Json& e : j) {
      std::optional<Scalar> s = JsonToScalar(e);
      if (!s) continue;
      if (!typed) {
        v.type = TypeOfScalar(*s);
        typed = true;
      }
      v.items.push_back(std::move(*s));
    }
    return v;
  }
  std::optional<Scalar> s = JsonToScalar(j);
  if (!s) return std::nullopt;
  const PropType type = TypeOfScalar(*s);
  return Value::Of(type, std::move(*s));
}

bool IsStringOp(ast::CompareOp op) {
  return op == ast::CompareOp::kContains || op == ast::CompareOp::kStartsWith ||
         op == ast::CompareOp::kEndsWith;
}

// A criterion on an edge value: like a record field, except that the string
// operators apply to the string form of any element.
Truth EvalEdgeCriterion(const ast::Criterion& c, const Value* v) {
  using Kind = ast::Criterion::Kind;
  switch (c.kind) {
    case Kind::kCompare:
      if (IsStringOp(c.op) && v != nullptr && v->type != PropType::kString && v->type != PropType::kDatetime) {
        Value text;
        text.is_array = v->is_array;
        for (const Scalar& s : v->items) text.items.push_back(ScalarToString(s));
        return query::exec::EvalCriterion(c, &text);
      }
      return query::exec::EvalCriterion(c, v);
    case Kind::kAnd:
    case Kind::kNot: {
      Truth t = Truth::kTrue;
      for (const ast::Criterion& child : c.children) t = query::exec::And3(t, EvalEdgeCriterion(child, v));
      return c.kind == Kind::kNot ? query::exec::Not3(t) : t;
    }
    case Kind::kOr:
    case Kind::kNor: {
      Truth t = Truth::kFalse;
      for (const ast::Criterion& child : c.children) t = query::exec::Or3(t, EvalEdgeCriterion(child, v));
      return c.kind == Kind::kNor ? query::exec::Not3(t) : t;
    }
    case Kind::kXor: {
      Truth t = Truth::kFalse;
      for (const ast::Criterion& child : c.children) t = query::exec::Xor3(t, EvalEdgeCriterion(child, v));
      return t;
    }
  }
  return Truth::kUnknown;
}

// What a predicate sees of one edge.
struct EdgeFacts {
  std::string_view type;             // stored (canonical) type name
  const Json* properties = nullptr;  // object or nullptr
};

// A parsed edge where: logical nodes over field criteria. A field given an
// array is an exact list equality (not the record form's AND of elements).
struct EdgePred {
  enum class Kind { kAnd, kOr, kNot, kNor, kXor, kField, kList };
  Kind kind = Kind::kAnd;
  std::vector<EdgePred> children;
  std::string field;
  ast::Criterion criterion;  // kField
  Json list;                 // kList
};

absl::StatusOr<EdgePred> ParseEdgeWhere(const Json& where, const std::string& path, const query::ParseOptions& options,
                                        int depth);

// The elements of a logical operator: an array of where-objects, or an
// object whose members are single-key where-objects.
absl::StatusOr<std::vector<EdgePred>> ParseEdgeGroup(const Json& value, const std::string& path,
                                                     const query::ParseOptions& options, int depth) {
  std::vector<EdgePred> out;
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      LOOM_ASSIGN_OR_RETURN(EdgePred p, ParseEdgeWhere(value[i], JsonPointerChild(path, i), options, depth + 1));
      out.push_back(std::move(p));
    }
  } else if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      LOOM_ASSIGN_OR_RETURN(EdgePred p, ParseEdgeWhere(Json{{key, member}}, path, options, depth + 1));
      out.push_back(std::move(p));
    }
  } else {
    return InvalidQuery(path, "expected an array or an object of conditions");
  }
  return out;
}

absl::StatusOr<EdgePred> ParseEdgeWhere(const Json& where, const std::string& path, const query::ParseOptions& options,
                                        int depth) {
  if (depth > 64) return InvalidQuery(path, "where is nested too deeply");
  if (!where.is_object()) return InvalidQuery(path, "expected an object of conditions");
  EdgePred out;  // kAnd of the entries
  for (const auto& [key, value] : where.items()) {
    const std::string child_path = JsonPointerChild(path, key);
    if (!key.empty() && key[0] == '$') {
      EdgePred group;
      if (key == "$and") {
        group.kind = EdgePred::Kind::kAnd;
      } else if (key == "$or") {
        group.kind = EdgePred::Kind::kOr;
      } else if (key == "$not") {
        group.kind = EdgePred::Kind::kNot;
      } else if (key == "$nor") {
        group.kind = EdgePred::Kind::kNor;
      } else if (key == "$xor") {
        group.kind = EdgePred::Kind::kXor;
      } else {
        return InvalidQuery(child_path, "unknown operator " + key + " in a relationship where");
      }
      if (key == "$not" && value.is_object()) {
        LOOM_ASSIGN_OR_RETURN(EdgePred inner, ParseEdgeWhere(value, child_path, options, depth + 1));
        group.children.push_back(std::move(inner));
      } else {
        LOOM_ASSIGN_OR_RETURN(group.children, ParseEdgeGroup(value, child_path, options, depth));
      }
      out.children.push_back(std::move(group));
      continue;
    }
    EdgePred field;
    field.field = key;
    if (value.is_array()) {
      field.kind = EdgePred::Kind::kList;
      field.list = value;
    } else {
      // One field through the record where parser: primitives, null and
      // operator objects have the record meaning.
      LOOM_ASSIGN_OR_RETURN(ast::Where parsed, query::ParseWhere(Json{{key, value}}, path, options));
      if (parsed.entries.size() != 1 || parsed.entries[0].kind != ast::WhereNode::Kind::kField) {
        return InvalidQuery(child_path, "not a relationship predicate: give `type` or an edge property");
      }
      field.kind = EdgePred::Kind::kField;
      field.criterion = std::move(parsed.entries[0].criterion);
    }
    out.children.push_back(std::move(field));
  }
  return out;
}

Truth EvalEdgePred(const EdgePred& pred, const EdgeFacts& edge) {
  using Kind = EdgePred::Kind;
  switch (pred.kind) {
    case Kind::kField:
    case Kind::kList: {
      const Json* raw = nullptr;
      std::optional<Value> value;
      Json type_json;
      if (pred.field == "type") {
        type_json = std::string(edge.type);
        raw = &type_json;
      } else if (edge.properties != nullptr) {
        auto it = edge.properties->find(pred.field);
        if (it != edge.properties->end() && !it->is_null()) raw = &*it;
      }
      if (pred.kind == Kind::kList) {
        if (raw == nullptr) return Truth::kUnknown;
        return *raw == pred.list ? Truth::kTrue : Truth::kFalse;
      }
      if (raw != nullptr) value = pred.field == "type" ? Value::Of(PropType::kString, std::string(edge.type))
                                                        : EdgeValue(*raw);
      return EvalEdgeCriterion(pred.criterion, value ? &*value : nullptr);
    }
    case Kind::kAnd:
    case Kind::kNot: {
      Truth t = Truth::kTrue;
      for (const EdgePred& child : pred.children) t = query::exec::And3(t, EvalEdgePred(child, edge));
      return pred.kind == Kind::kNot ? query::exec::Not3(t) : t;
    }
    case Kind::kOr:
    case Kind::kNor: {
      Truth t = Truth::kFalse;
      for (const EdgePred& child : pred.children) t = query::exec::Or3(t, EvalEdgePred(child, edge));
      return pred.kind == Kind::kNor ? query::exec::Not3(t) : t;
    }
    case Kind::kXor: {
      Truth t = Truth::kFalse;
      for (const EdgePred& child : pred.children) t = query::exec::Xor3(t, EvalEdgePred(child, edge));
      return t;
    }
  }
  return Truth::kUnknown;
}

// Whether the predicate reads edge properties (anything but `type`).
bool ReadsProperties(const EdgePred& pred) {
  if (pred.kind == EdgePred::Kind::kField || pred.kind == EdgePred::Kind::kList) return pred.field != "type";
  for (const EdgePred& child : pred.children) {
    if (ReadsProperties(child)) return true;
  }
  return false;
}

// --- Order ---

struct OrderKey {
  std::string key;  // "type" or an edge property
  bool descending = false;
};

absl::StatusOr<std::vector<OrderKey>> ParseOrderBy(const Json& args) {
  std::vector<OrderKey> out;
  const Json* order = Member(args, "orderBy");
  if (order == nullptr) return out;
  if (!order->is_object()) return InvalidQuery("/orderBy", "orderBy must be an object {key: \"asc\" | \"desc\"}");
  for (const auto& [key, dir] : order->items()) {
    std::string d = dir.is_string() ? dir.get<std::string>() : "";
    std::transform(d.begin(), d.end(), d.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (d != "asc" && d != "desc") {
      return InvalidQuery(JsonPointerChild("/orderBy", key), "expected \"asc\" or \"desc\"");
    }
    out.push_back({key, d == "desc"});
  }
  return out;
}

// Type rank for ordering mixed JSON values: numbers, strings, booleans, other.
int Rank(const Json& j) {
  if (j.is_number()) return 0;
  if (j.is_string()) return 1;
  if (j.is_boolean()) return 2;
  return 3;
}

int CompareJson(const Json& a, const Json& b) {
  const int ra = Rank(a), rb = Rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (a.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.is_string()) return a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>()) < 0
                                 ? -1
                                 : (a == b ? 0 : 1);
  if (a.is_boolean()) return static_cast<int>(a.get<bool>()) - static_cast<int>(b.get<bool>());
  const std::string x = a.dump(), y = b.dump();
  return x < y ? -1 : (x > y ? 1 : 0);
}

// --- The edges ---

struct Hit {
  storage::EdgeRef ref;  // as enumerated (either side)
  storage::Rid start = 0, end = 0;
  storage::NameId type = 0;
  storage::Eid eid = 0;
  Json properties;  // object, or null when not loaded / none
  bool loaded = false;
};

absl::Status LoadProperties(storage::ReadView& view, Hit& hit) {
  if (hit.loaded) return absl::OkStatus();
  hit.loaded = true;
  LOOM_ASSIGN_OR_RETURN(std::string text, view.GetEdgeProperties(hit.ref));
  if (text.empty()) return absl::OkStatus();
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) hit.properties = std::move(parsed);
  return absl::OkStatus();
}

std::string DisplayType(const std::string& type) {
  return type == kDefaultRelType ? std::string(kDefaultRelAlias) : type;
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::RelationshipsFind(const Json& args_in, TxId tx) {
  return RunRead(tx, [&](storage::ReadView& view, bool) -> absl::StatusOr<Json> {
    if (!args_in.is_null() && !args_in.is_object()) return InvalidQuery("", "expected a search query object");
    const Json args = args_in.is_null() ? Json::object() : args_in;

    // Edge where: `direction` chooses the pattern, everything else filters.
    bool is_in = false;
    std::optional<EdgePred> edge_where;
    if (const Json* where = Member(args, "where")) {
      if (!where->is_object()) return InvalidQuery("/where", "where must be an object");
      Json predicates = *where;
      if (const Json* direction = Member(*where, "direction")) {
        LOOM_ASSIGN_OR_RETURN(is_in, ParseDirectionIsIn(direction, "/where/direction"));
      }
      predicates.erase("direction");
      if (!predicates.empty()) {
        query::ParseOptions options;
        options.max_traversal_hops = this->options().max_traversal_hops;
        LOOM_ASSIGN_OR_RETURN(edge_where, ParseEdgeWhere(predicates, "/where", options, 0));
      }
    }
    LOOM_ASSIGN_OR_RETURN(std::vector<OrderKey> order, ParseOrderBy(args));
    const int64_t limit = [&]() -> int64_t {
      const Json* l = Member(args, "limit");
      if (l == nullptr) return 1000;
      if (!l->is_number()) return 100;
      const double d = l->get<double>();
      return (d >= 1 && d <= 1000) ? static_cast<int64_t>(d) : 100;
    }();
    const uint64_t skip = [&]() -> uint64_t {
      const Json* s = Member(args, "skip");
      if (s == nullptr || !s->is_number()) return 0;
      const double d = s->get<double>();
      return d > 0 ? (d >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(d)) : 0;
    }();

    LOOM_ASSIGN_OR_RETURN(RidSet source, ParseEndpoint(*this, view, args, "source"));
    LOOM_ASSIGN_OR_RETURN(RidSet target, ParseEndpoint(*this, view, args, "target"));
    // (source)-[r]->(target), or (source)<-[r]-(target) for direction "in".
    const RidSet& starts = is_in ? target : source;
    const RidSet& ends = is_in ? source : target;

    const storage::Dictionaries& dicts = view.dictionaries();
    const bool needs_properties = edge_where && ReadsProperties(*edge_where);

    std::vector<Hit> hits;
    absl::flat_hash_set<storage::Eid> seen;
    absl::flat_hash_map<storage::NameId, std::string> type_names;
    const auto type_name = [&](storage::NameId id) -> const std::string& {
      auto it = type_names.find(id);
      if (it == type_names.end()) it = type_names.emplace(id, dicts.rel_types.Name(id)).first;
      return it->second;
    };
    absl::Status inner;
    // `ref` seen from its start (dir kOut) or its end (dir kIn).
    const auto consider = [&](const storage::EdgeRef& ref) -> bool {
      Hit hit;
      hit.ref = ref;
      const bool from_start = ref.dir == storage::Direction::kOut;
      hit.start = from_start ? ref.self : ref.nbr;
      hit.end = from_start ? ref.nbr : ref.self;
      hit.type = ref.type;
      hit.eid = ref.eid;
      if (starts && !starts->contains(hit.start)) return true;
      if (ends && !ends->contains(hit.end)) return true;
      if (!seen.insert(hit.eid).second) return true;
      if (edge_where) {
        if (needs_properties) {
          if (absl::Status s = LoadProperties(view, hit); !s.ok()) {
            inner = s;
            return false;
          }
        }
        EdgeFacts facts{type_name(hit.type), hit.properties.is_object() ? &hit.properties : nullptr};
        if (EvalEdgePred(*edge_where, facts) != Truth::kTrue) return true;
      }
      hits.push_back(std::move(hit));
      return true;
    };
    const auto expand_all = [&](const absl::flat_hash_set<storage::Rid>& rids, storage::Direction dir) -> absl::Status {
      std::vector<storage::Rid> sorted(rids.begin(), rids.end());
      std::sort(sorted.begin(), sorted.end());
      storage::EdgeFilter filter;
      filter.dir = dir;
      for (storage::Rid rid : sorted) {
        LOOM_RETURN_IF_ERROR(view.Expand(rid, filter, consider));
        LOOM_RETURN_IF_ERROR(inner);
      }
      return absl::OkStatus();
    };
    if (starts && (!ends || starts->size() <= ends->size())) {
      LOOM_RETURN_IF_ERROR(expand_all(*starts, storage::Direction::kOut));
    } else if (ends) {
      LOOM_RETURN_IF_ERROR(expand_all(*ends, storage::Direction::kIn));
    } else {
      LOOM_RETURN_IF_ERROR(view.ScanEdges(consider));
    }
    LOOM_RETURN_IF_ERROR(inner);

    // Order: creation order, or the orderBy keys with creation order for ties.
    if (!order.empty()) {
      for (Hit& hit : hits) LOOM_RETURN_IF_ERROR(LoadProperties(view, hit));
      const Json null_json;
      const auto key_of = [&](const Hit& h, const OrderKey& k) -> Json {
        if (k.key == "type") return Json(DisplayType(type_name(h.type)));
        if (!h.properties.is_object()) return null_json;
        auto it = h.properties.find(k.key);
        return it == h.properties.end() ? null_json : *it;
      };
      std::stable_sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
        for (const OrderKey& k : order) {
          const Json x = key_of(a, k), y = key_of(b, k);
          int c;
          if (x.is_null() || y.is_null()) {
            c = x.is_null() == y.is_null() ? 0 : (x.is_null() ? 1 : -1);  // absent last when ascending
          } else {
            c = CompareJson(x, y);
          }
          if (k.descending) c = -c;
          if (c != 0) return c < 0;
        }
        return a.eid < b.eid;
      });
    } else {
      std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.eid < b.eid; });
    }

    // The page.
    struct Header {
      storage::NameId label = storage::kNoName;
      std::string id;
    };
    // Node-based: the start's header must stay valid while the end's is added.
    std::unordered_map<storage::Rid, Header> headers;
    const auto header_of = [&](storage::Rid rid) -> absl::StatusOr<const Header*> {
      auto it = headers.find(rid);
      if (it == headers.end()) {
        Header h;
        LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecordHeader(rid, &h.label, &h.id));
        (void)found;
        it = headers.emplace(rid, std::move(h)).first;
      }
      return &it->second;
    };
    Json data = Json::array();
    for (uint64_t i = std::min<uint64_t>(skip, hits.size());
         i < hits.size() && static_cast<int64_t>(data.size()) < limit; ++i) {
      Hit& hit = hits[i];
      LOOM_RETURN_IF_ERROR(LoadProperties(view, hit));
      LOOM_ASSIGN_OR_RETURN(const Header* start, header_of(hit.start));
      LOOM_ASSIGN_OR_RETURN(const Header* end, header_of(hit.end));
      Json rel = Json::object();
      rel["sourceId"] = start->id;
      if (start->label != storage::kNoName) rel["sourceLabel"] = dicts.labels.Name(start->label);
      rel["targetId"] = end->id;
      if (end->label != storage::kNoName) rel["targetLabel"] = dicts.labels.Name(end->label);
      rel["type"] = DisplayType(type_name(hit.type));
      rel["direction"] = is_in ? "in" : "out";
      rel["properties"] = hit.properties.is_object() ? hit.properties : Json::object();
      data.push_back(std::move(rel));
    }
    return Json{{"data", std::move(data)}, {"total", hits.size()}};
  });
}

}  // namespace loom::engine
