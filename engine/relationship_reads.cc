// engine/relationship_reads.cc: relationships.find (api.md §3.1). Its edge
// predicates and ordering are parsed and evaluated by query/ (parse/edge_where,
// exec/edge_predicate) with the record path's criteria; this file reads the
// edges.
//
// Endpoint filters (`source` / `target`: labels + record where) select rid
// sets through the query seam; edges are enumerated from the smaller known
// side (or scanned once from their start records when neither side is
// restricted), filtered by the edge where, ordered (edge creation order by
// default, or `orderBy`), paged with the unvalidated pagination helper
// (query.md §9) and rendered as Relation JSON with the physical endpoints.
#include <algorithm>
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
#include "loom/status.h"
#include "query/exec/edge_predicate.h"
#include "query/functions/output_values.h"
#include "query/parse/edge_where.h"

namespace loom::engine {
namespace {

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
    std::optional<ast::EdgePredicate> edge_where;
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
        LOOM_ASSIGN_OR_RETURN(edge_where, query::ParseEdgeWhere(predicates, "/where", options));
      }
    }
    LOOM_ASSIGN_OR_RETURN(std::vector<ast::EdgeOrderKey> order, query::ParseEdgeOrderBy(Member(args, "orderBy")));
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
    const bool needs_properties = edge_where && query::exec::ReadsEdgeProperties(*edge_where);

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
        const query::exec::EdgeFacts facts{type_name(hit.type),
                                           hit.properties.is_object() ? &hit.properties : nullptr};
        if (query::exec::EvalEdgePredicate(*edge_where, facts) != query::Truth::kTrue) return true;
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
      const auto key_of = [&](const Hit& h, const ast::EdgeOrderKey& k) -> Json {
        if (k.key == "type") return Json(DisplayType(type_name(h.type)));
        if (!h.properties.is_object()) return null_json;
        auto it = h.properties.find(k.key);
        return it == h.properties.end() ? null_json : *it;
      };
      std::stable_sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
        for (const ast::EdgeOrderKey& k : order) {
          // Values in the order of data-model §10, as records sort; absent
          // last when ascending.
          int c = query::CompareOutputValues(key_of(a, k), key_of(b, k));
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
