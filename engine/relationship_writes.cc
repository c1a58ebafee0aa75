// engine/relationship_writes.cc: records.attach / records.detach (api.md
// §1.10, §1.11) and relationships.createMany / deleteMany (§3.2, §3.3): pairs
// joined on keys, or every pair (manyToMany); a `where` on either endpoint
// restricts its records through the query seam (MatchRecords).
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "absl/container/flat_hash_set.h"
#include "engine/database_impl.h"
#include "engine/import/relationship_typing.h"
#include "engine/import/write_typing.h"
#include "engine/query_seam.h"
#include "engine/record_mapper.h"
#include "loom/status.h"

namespace loom::engine {
namespace {

struct Endpoints {
  std::string source;
  std::vector<std::string> targets;
  bool targets_is_array = false;  // error pointers then name the element
  const Json* options = nullptr;
};

absl::StatusOr<Endpoints> ParseEndpoints(const Json& args) {
  if (!args.is_object()) return InvalidArgument("", "expected an object of arguments");
  Endpoints out;
  out.options = Member(args, "options");
  if (out.options != nullptr) {
    if (!out.options->is_object()) return InvalidArgument("/options", "options must be an object");
    LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(*out.options, "/options"));
  }
  const Json* source = Member(args, "source");
  if (source == nullptr) return InvalidArgument("/source", "a source record is required");
  LOOM_ASSIGN_OR_RETURN(out.source, ParseTarget(*source, "/source"));
  if (const Json* target = Member(args, "target")) {
    LOOM_ASSIGN_OR_RETURN(out.targets, ParseTargets(*target, "/target"));
    out.targets_is_array = target->is_array();
  }
  if (out.targets.empty()) return MakeError(ErrorCode::kEmptyTarget, "no target records given", "/target");
  return out;
}

// Edges between `self` and `other` seen from `self`, each edge once.
absl::StatusOr<std::vector<storage::EdgeRef>> EdgesBetween(storage::ReadView& view, storage::Rid self,
                                                           storage::Rid other,
                                                           const storage::EdgeFilter& filter) {
  std::vector<storage::EdgeRef> out;
  absl::flat_hash_set<storage::Eid> seen;
  LOOM_RETURN_IF_ERROR(view.Expand(self, filter, [&](const storage::EdgeRef& e) {
    if (e.nbr == other && seen.insert(e.eid).second) out.push_back(e);
    return true;
  }));
  return out;
}

// A record as an edge endpoint: rid and label, without decoding properties.
struct Endpoint {
  storage::Rid rid = 0;
  storage::NameId label = storage::kNoName;
};

absl::StatusOr<std::optional<Endpoint>> FindEndpoint(storage::ReadView& view, const std::string& id) {
  LOOM_ASSIGN_OR_RETURN(std::optional<storage::Rid> rid, view.LookupId(id));
  if (!rid) return std::optional<Endpoint>();
  Endpoint out{*rid, storage::kNoName};
  std::string stored_id;
  LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecordHeader(*rid, &out.label, &stored_id));
  if (!found) return std::optional<Endpoint>();
  return std::optional<Endpoint>(out);
}

// Edges between `self` and `other` seen from `self`, each edge once. With
// types in `filter` this is a point seek per (direction, type): the adjacency
// key starts with (self, dir, type, other's label, other).
absl::StatusOr<std::vector<storage::EdgeRef>> EdgesBetween(storage::ReadView& view, storage::Rid self,
                                                           const Endpoint& other, storage::EdgeFilter filter) {
  filter.nbr_label = other.label;
  filter.nbr = other.rid;
  std::vector<storage::EdgeRef> out;
  LOOM_RETURN_IF_ERROR(view.Expand(self, filter, [&](const storage::EdgeRef& e) {
    // A self-loop appears once per direction.
    bool seen = false;
    for (const storage::EdgeRef& o : out) seen = seen || o.eid == e.eid;
    if (!seen) out.push_back(e);
    return true;
  }));
  return out;
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::Attach(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    LOOM_ASSIGN_OR_RETURN(Endpoints ends, ParseEndpoints(args));
    const Json empty = Json::object();
    const Json& options = ends.options != nullptr ? *ends.options : empty;
    std::string type(kDefaultRelType);
    if (const Json* t = Member(options, "type")) {
      LOOM_RETURN_IF_ERROR(ValidateRelType(*t, "/options/type"));
      type = t->get<std::string>();
    }
    LOOM_ASSIGN_OR_RETURN(bool is_in, ParseDirectionIsIn(Member(options, "direction"), "/options/direction"));
    LOOM_ASSIGN_OR_RETURN(std::string properties,
                          EdgePropertiesText(Member(options, "properties"), "/options/properties"));

    storage::WriteTxn& txn = *scope.txn;
    // A missing endpoint is an error, not a skipped pair: RushDB answers
    // "successfully created" and creates nothing (docs/spec-notes.md). Every
    // endpoint is checked before the first edge is written.
    LOOM_ASSIGN_OR_RETURN(std::optional<Endpoint> source, FindEndpoint(txn, ends.source));
    if (!source) return MakeError(ErrorCode::kNotFound, "no record has the source id " + ends.source, "/source");
    std::vector<Endpoint> targets;
    absl::flat_hash_set<std::string> seen;
    for (size_t i = 0; i < ends.targets.size(); ++i) {
      const std::string& id = ends.targets[i];
      // Each pair once: the write is blind (it cannot see its own edges), and
      // a repeated target ends with one edge anyway.
      if (!seen.insert(id).second) continue;
      LOOM_ASSIGN_OR_RETURN(std::optional<Endpoint> target, FindEndpoint(txn, id));
      if (!target) {
        return MakeError(ErrorCode::kNotFound, "no record has the target id " + id,
                         ends.targets.size() == 1 && !ends.targets_is_array ? "/target" : JsonPointerChild("/target", i));
      }
      targets.push_back(*target);
    }
    LOOM_ASSIGN_OR_RETURN(storage::NameId type_id, store().dictionaries().rel_types.Intern(type));
    storage::EdgeFilter same_type;
    same_type.types = {type_id};
    for (const Endpoint& target : targets) {
      LOOM_ASSIGN_OR_RETURN(std::vector<storage::EdgeRef> old, EdgesBetween(txn, source->rid, target, same_type));
      for (const storage::EdgeRef& e : old) LOOM_RETURN_IF_ERROR(txn.DeleteEdge(e));
      const Endpoint& start = is_in ? target : *source;
      const Endpoint& end = is_in ? *source : target;
      LOOM_RETURN_IF_ERROR(txn.AddEdge(start.rid, start.label, end.rid, end.label, type_id, properties).status());
    }
    return Json{{"message", "Relationships have been successfully created."}};
  }, storage::Store::WriteMode::kBlind);
}

absl::StatusOr<Json> DatabaseImpl::Detach(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    LOOM_ASSIGN_OR_RETURN(Endpoints ends, ParseEndpoints(args));
    const Json empty = Json::object();
    const Json& options = ends.options != nullptr ? *ends.options : empty;
    storage::EdgeFilter filter;
    bool any_type_known = true;
    if (const Json* types = Member(options, "typeOrTypes")) {
      std::vector<std::pair<const Json*, std::string>> names;
      if (types->is_array()) {
        for (size_t i = 0; i < types->size(); ++i) {
          names.push_back({&(*types)[i], JsonPointerChild("/options/typeOrTypes", i)});
        }
      } else {
        names.push_back({types, "/options/typeOrTypes"});
      }
      for (const auto& [name, path] : names) {
        if (!name->is_string()) return InvalidArgument(path, "relationship type must be a string");
        if (auto id = store().dictionaries().rel_types.Find(name->get<std::string>())) {
          filter.types.push_back(*id);
        }
      }
      // Named types that were never used match nothing.
      any_type_known = !filter.types.empty() || names.empty();
    }
    if (const Json* direction = Member(options, "direction")) {
      LOOM_ASSIGN_OR_RETURN(bool is_in, ParseDirectionIsIn(direction, "/options/direction"));
      filter.dir = is_in ? storage::Direction::kIn : storage::Direction::kOut;
    }
    storage::WriteTxn& txn = *scope.txn;
    LOOM_ASSIGN_OR_RETURN(std::optional<Endpoint> source, FindEndpoint(txn, ends.source));
    if (source && any_type_known) {
      for (const std::string& id : ends.targets) {
        LOOM_ASSIGN_OR_RETURN(std::optional<Endpoint> target, FindEndpoint(txn, id));
        if (!target) continue;
        LOOM_ASSIGN_OR_RETURN(std::vector<storage::EdgeRef> edges, EdgesBetween(txn, source->rid, *target, filter));
        for (const storage::EdgeRef& e : edges) LOOM_RETURN_IF_ERROR(txn.DeleteEdge(e));
      }
    }
    return Json{{"message", "Relationships have been successfully deleted."}};
  });
}

namespace {

// api.md §3.2 step 1: trim, drop backticks and backslashes, whitespace runs
// -> "_", then drop everything outside [A-Za-z0-9_-].
std::string SanitizeName(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  size_t b = 0, e = text.size();
  while (b < e && is_space(text[b])) ++b;
  while (e > b && is_space(text[e - 1])) --e;
  std::string spaced;
  for (size_t i = b; i < e; ++i) {
    const char c = text[i];
    if (c == '`' || c == '\\') continue;
    if (is_space(c)) {
      if (!is_space(text[i - 1])) spaced.push_back('_');  // i > b: text is trimmed
      continue;
    }
    spaced.push_back(c);
  }
  std::string out;
  for (char c : spaced) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') out.push_back(c);
  }
  return out;
}

struct Side {
  std::string label;
  std::optional<std::string> key;
  const Json* where = nullptr;  // into the arguments; set when non-empty
  bool has_where = false;
};

absl::StatusOr<Side> ParseSide(const Json& args, std::string_view name) {
  const std::string path = JsonPointerChild("", name);
  const Json* side = Member(args, name);
  if (side == nullptr || !side->is_object()) return InvalidArgument(path, "expected an object with a label");
  Side out;
  const Json* label = Member(*side, "label");
  if (label == nullptr || !label->is_string()) {
    return InvalidArgument(JsonPointerChild(path, "label"), "label must be a string");
  }
  out.label = SanitizeName(label->get<std::string>());
  if (out.label.empty()) return InvalidArgument(JsonPointerChild(path, "label"), "label must not be empty");
  if (const Json* key = Member(*side, "key")) {
    if (!key->is_string()) return InvalidArgument(JsonPointerChild(path, "key"), "key must be a string");
    std::string k = SanitizeName(key->get<std::string>());
    if (!k.empty()) out.key = std::move(k);
  }
  const Json* where = Member(*side, "where");
  out.has_where = where != nullptr && !(where->is_object() && where->empty());
  if (out.has_where) out.where = where;
  return out;
}

struct PairPlan {
  Side source, target;
  std::string type;
  bool is_in = false;
  std::string properties;  // JSON object text, "" for none
};

// The records of a side selected by its `where` (nullopt: every record of the label).
using Selection = std::optional<absl::flat_hash_set<storage::Rid>>;

absl::StatusOr<PairPlan> ParsePairPlan(const Json& args, bool with_properties) {
  if (!args.is_object()) return InvalidArgument("", "expected an object of arguments");
  PairPlan plan;
  LOOM_ASSIGN_OR_RETURN(plan.source, ParseSide(args, "source"));
  LOOM_ASSIGN_OR_RETURN(plan.target, ParseSide(args, "target"));
  plan.type = std::string(kDefaultRelType);
  if (const Json* t = Member(args, "type")) {
    LOOM_RETURN_IF_ERROR(ValidateRelType(*t, "/type"));
    plan.type = t->get<std::string>();
  }
  LOOM_ASSIGN_OR_RETURN(plan.is_in, ParseDirectionIsIn(Member(args, "direction"), "/direction"));
  if (with_properties) {
    LOOM_ASSIGN_OR_RETURN(plan.properties, EdgePropertiesText(Member(args, "properties"), "/properties"));
  }
  bool many_to_many = false;
  if (const Json* m = Member(args, "manyToMany")) {
    if (!m->is_boolean()) return InvalidArgument("/manyToMany", "manyToMany must be a boolean");
    many_to_many = m->get<bool>();
  }
  const bool keys = plan.source.key.has_value() && plan.target.key.has_value();
  if (!keys) {
    if (!many_to_many) {
      return InvalidArgument("", "give source.key and target.key, or manyToMany with both where filters");
    }
    if (!plan.source.has_where) return InvalidArgument("/source/where", "manyToMany needs a non-empty where");
    if (!plan.target.has_where) return InvalidArgument("/target/where", "manyToMany needs a non-empty where");
  }
  return plan;
}

std::string ScalarKey(const Scalar& s) {
  if (const double* d = std::get_if<double>(&s)) return "n" + FormatNumber(*d);
  if (const bool* b = std::get_if<bool>(&s)) return *b ? "bt" : "bf";
  return "s" + std::get<std::string>(s);
}

// Pairs (s, t) of §3.2 step 3 for the key join, in (s, t) rid order; only
// selected records take part.
absl::StatusOr<std::set<std::pair<storage::Rid, storage::Rid>>> KeyPairs(storage::ReadView& view,
                                                                          const PairPlan& plan,
                                                                          const Selection& sources,
                                                                          const Selection& targets) {
  std::set<std::pair<storage::Rid, storage::Rid>> pairs;
  const storage::Dictionaries& dicts = view.dictionaries();
  auto source_label = dicts.labels.Find(plan.source.label);
  auto target_label = dicts.labels.Find(plan.target.label);
  auto source_key = dicts.properties.Find(*plan.source.key);
  auto target_key = dicts.properties.Find(*plan.target.key);
  if (!source_label || !target_label || !source_key || !target_key) return pairs;
  absl::Status inner;
  // Elements of t[target.key] -> t.
  absl::flat_hash_map<std::string, std::vector<storage::Rid>> by_value;
  LOOM_RETURN_IF_ERROR(view.ScanLabel(*target_label, [&](storage::Rid rid) {
    if (targets && !targets->contains(rid)) return true;
    absl::StatusOr<std::optional<Value>> v = view.GetProperty(rid, *target_key);
    if (!v.ok()) {
      inner = v.status();
      return false;
    }
    if (*v) {
      std::set<std::string> seen;
      for (const Scalar& s : (*v)->items) {
        std::string k = ScalarKey(s);
        if (seen.insert(k).second) by_value[k].push_back(rid);
      }
    }
    return true;
  }));
  LOOM_RETURN_IF_ERROR(inner);
  const bool same_label = plan.source.label == plan.target.label;
  LOOM_RETURN_IF_ERROR(view.ScanLabel(*source_label, [&](storage::Rid rid) {
    if (sources && !sources->contains(rid)) return true;
    absl::StatusOr<std::optional<Value>> v = view.GetProperty(rid, *source_key);
    if (!v.ok()) {
      inner = v.status();
      return false;
    }
    if (*v) {
      for (const Scalar& s : (*v)->items) {
        auto it = by_value.find(ScalarKey(s));
        if (it == by_value.end()) continue;
        for (storage::Rid t : it->second) {
          if (same_label && t == rid) continue;
          pairs.insert({rid, t});
        }
      }
    }
    return true;
  }));
  LOOM_RETURN_IF_ERROR(inner);
  return pairs;
}

absl::StatusOr<Selection> SelectSide(DatabaseImpl& db, storage::ReadView& view, const Side& side,
                                     std::string_view name) {
  if (!side.has_where) return Selection();
  const Json labels = Json::array({side.label});
  LOOM_ASSIGN_OR_RETURN(std::vector<storage::Rid> rids,
                        MatchRecords(db, view, &labels, side.where, JsonPointerChild("", name)));
  return Selection(absl::flat_hash_set<storage::Rid>(rids.begin(), rids.end()));
}

// The pairs (s, t) of §3.2 steps 2-3, in (s, t) rid order.
absl::StatusOr<std::set<std::pair<storage::Rid, storage::Rid>>> Pairs(DatabaseImpl& db, storage::ReadView& view,
                                                                       const PairPlan& plan) {
  LOOM_ASSIGN_OR_RETURN(Selection sources, SelectSide(db, view, plan.source, "source"));
  LOOM_ASSIGN_OR_RETURN(Selection targets, SelectSide(db, view, plan.target, "target"));
  if (plan.source.key && plan.target.key) return KeyPairs(view, plan, sources, targets);
  // manyToMany without keys: ParsePairPlan made sure both sides have a where.
  std::set<std::pair<storage::Rid, storage::Rid>> pairs;
  if (!sources || !targets) return pairs;
  std::vector<storage::Rid> s_list(sources->begin(), sources->end());
  std::vector<storage::Rid> t_list(targets->begin(), targets->end());
  const bool same_label = plan.source.label == plan.target.label;
  for (storage::Rid s : s_list) {
    for (storage::Rid t : t_list) {
      if (same_label && s == t) continue;
      pairs.insert({s, t});
    }
  }
  return pairs;
}

// Edges start -[type]-> end, each once.
absl::StatusOr<std::vector<storage::EdgeRef>> DirectedEdges(storage::ReadView& view, storage::Rid start,
                                                            storage::Rid end, storage::NameId type) {
  storage::EdgeFilter filter;
  filter.dir = storage::Direction::kOut;
  filter.types = {type};
  return EdgesBetween(view, start, end, filter);
}

std::string MergeEdgeProperties(const std::string& old_text, const std::string& add_text) {
  if (add_text.empty()) return old_text;
  if (old_text.empty()) return add_text;
  Json merged = Json::parse(old_text, nullptr, /*allow_exceptions=*/false);
  if (!merged.is_object()) merged = Json::object();
  const Json added = Json::parse(add_text);  // our own EdgePropertiesText output
  for (const auto& [k, v] : added.items()) merged[k] = v;
  return merged.dump();
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::RelationshipsCreateMany(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    LOOM_ASSIGN_OR_RETURN(PairPlan plan, ParsePairPlan(args, /*with_properties=*/true));
    storage::WriteTxn& txn = *scope.txn;
    LOOM_ASSIGN_OR_RETURN(auto pairs, Pairs(*this, txn, plan));
    if (!pairs.empty()) {
      LOOM_ASSIGN_OR_RETURN(storage::NameId type_id, store().dictionaries().rel_types.Intern(plan.type));
      for (const auto& [s, t] : pairs) {
        const storage::Rid start = plan.is_in ? t : s;
        const storage::Rid end = plan.is_in ? s : t;
        LOOM_ASSIGN_OR_RETURN(std::vector<storage::EdgeRef> existing, DirectedEdges(txn, start, end, type_id));
        if (existing.empty()) {
          LOOM_RETURN_IF_ERROR(txn.AddEdge(start, end, type_id, plan.properties).status());
          continue;
        }
        if (plan.properties.empty()) continue;
        // Merge the properties into every matching edge (re-added with the merged map).
        for (const storage::EdgeRef& e : existing) {
          LOOM_ASSIGN_OR_RETURN(std::string old_text, txn.GetEdgeProperties(e));
          LOOM_RETURN_IF_ERROR(txn.DeleteEdge(e));
          LOOM_RETURN_IF_ERROR(
              txn.AddEdge(start, end, type_id, MergeEdgeProperties(old_text, plan.properties)).status());
        }
      }
    }
    return Json{{"message", "Relationships have been successfully created."}};
  });
}

absl::StatusOr<Json> DatabaseImpl::RelationshipsDeleteMany(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    LOOM_ASSIGN_OR_RETURN(PairPlan plan, ParsePairPlan(args, /*with_properties=*/false));
    storage::WriteTxn& txn = *scope.txn;
    std::optional<storage::NameId> type_id = store().dictionaries().rel_types.Find(plan.type);
    if (type_id) {
      LOOM_ASSIGN_OR_RETURN(auto pairs, Pairs(*this, txn, plan));
      for (const auto& [s, t] : pairs) {
        LOOM_ASSIGN_OR_RETURN(std::vector<storage::EdgeRef> edges,
                              DirectedEdges(txn, plan.is_in ? t : s, plan.is_in ? s : t, *type_id));
        for (const storage::EdgeRef& e : edges) LOOM_RETURN_IF_ERROR(txn.DeleteEdge(e));
      }
    }
    return Json{{"message", "Relationships have been successfully deleted."}};
  });
}

}  // namespace loom::engine
