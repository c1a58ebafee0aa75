// engine/metadata_reads.cc: records.findById, labels.find and the properties
// API (api.md §2.4, §4, §5) without `where` (with one they go through the query
// seam). Outside a transaction counts come from the store's statistics; inside
// one (uncommitted writes, stale statistics) they are recounted by a scan.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/database_impl.h"
#include "engine/import/write_typing.h"
#include "engine/query_seam.h"
#include "engine/record_mapper.h"
#include "loom/datetime.h"
#include "loom/status.h"
#include "storage/record_json.h"

namespace loom::engine {
namespace {

bool HasWhere(const Json& args) {
  const Json* where = Member(args, "where");
  return where != nullptr && !(where->is_object() && where->empty());
}

// Optional `labels` filter: an array of strings.
absl::StatusOr<std::optional<std::set<std::string>>> ParseLabelsFilter(const Json& args) {
  const Json* labels = Member(args, "labels");
  if (labels == nullptr) return std::optional<std::set<std::string>>();
  if (!labels->is_array()) return InvalidArgument("/labels", "labels must be an array of strings");
  std::set<std::string> out;
  for (size_t i = 0; i < labels->size(); ++i) {
    if (!(*labels)[i].is_string()) {
      return InvalidArgument(JsonPointerChild("/labels", i), "labels must be strings");
    }
    out.insert((*labels)[i].get<std::string>());
  }
  return std::optional<std::set<std::string>>(std::move(out));
}

struct PairCount {
  std::string name;
  storage::NameId name_id = 0;
  PropType type = PropType::kString;
  uint64_t count = 0;
};

// Every (name, type) whose name some record (of `labels`, when given) holds,
// ordered by name then type, with its database-wide recordsCount (api.md
// §5.1: the filter selects names; every type of a selected name is listed).
absl::StatusOr<std::vector<PairCount>> ListPairs(storage::ReadView& view, bool in_tx,
                                                 const std::optional<std::set<storage::NameId>>& labels) {
  const storage::Dictionaries& dicts = view.dictionaries();
  std::map<std::pair<storage::NameId, PropType>, uint64_t> counts;
  std::set<storage::NameId> wanted;  // names held by a selected record
  if (!in_tx) {
    LOOM_RETURN_IF_ERROR(view.ListPropertyCounts(
        [&](storage::NameId label, storage::NameId property, PropType type, uint64_t count) {
          if (count == 0) return;
          counts[{property, type}] = 0;
          if (!labels || labels->count(label)) wanted.insert(property);
        }));
    for (auto& [key, count] : counts) count = view.PropertyTypeCount(key.first, key.second);
  } else {
    RecordVisitor count(view, [&](storage::StoredRecord& record) {
      const bool selected = !labels || labels->count(record.label);
      for (const storage::StoredProperty& p : record.properties) {
        ++counts[{p.name, p.value.type}];
        if (selected) wanted.insert(p.name);
      }
      return true;
    });
    LOOM_RETURN_IF_ERROR(view.ScanRecords(count.ByRid()));
    LOOM_RETURN_IF_ERROR(count.status());
  }
  for (auto it = counts.begin(); it != counts.end();) {
    it = wanted.count(it->first.first) ? std::next(it) : counts.erase(it);
  }
  std::vector<PairCount> out;
  for (const auto& [key, count] : counts) {
    if (count == 0) continue;
    out.push_back({dicts.properties.Name(key.first), key.first, key.second, count});
  }
  std::sort(out.begin(), out.end(), [](const PairCount& a, const PairCount& b) {
    if (a.name != b.name) return a.name < b.name;
    return PropTypeName(a.type) < PropTypeName(b.type);
  });
  return out;
}

absl::StatusOr<Json> PropertyJson(PropertyIds& ids, const PairCount& pair) {
  LOOM_ASSIGN_OR_RETURN(std::string id, ids.Current(pair.name, pair.type));
  return Json{{"id", id},
              {"name", pair.name},
              {"type", std::string(PropTypeName(pair.type))},
              {"metadata", ""},
              {"recordsCount", pair.count}};
}

// The live (name, type) of property `id`, or NOT_FOUND.
absl::StatusOr<PairCount> ResolveProperty(DatabaseImpl& db, storage::ReadView& view, bool in_tx,
                                          std::string_view id) {
  auto not_found = MakeError(ErrorCode::kNotFound, "property " + std::string(id) + " not found");
  std::optional<std::pair<std::string, PropType>> pair = db.property_ids().Lookup(id);
  if (!pair) return not_found;
  std::optional<storage::NameId> name_id = view.dictionaries().properties.Find(pair->first);
  if (!name_id) return not_found;
  LOOM_ASSIGN_OR_RETURN(std::vector<PairCount> pairs, ListPairs(view, in_tx, std::nullopt));
  for (const PairCount& p : pairs) {
    if (p.name_id == *name_id && p.type == pair->second) {
      LOOM_ASSIGN_OR_RETURN(std::string current, db.property_ids().Current(p.name, p.type));
      if (current != id) return not_found;
      return p;
    }
  }
  return not_found;
}

absl::StatusOr<int64_t> ParseCount(const Json& args, std::string_view key, int64_t fallback) {
  const Json* v = Member(args, key);
  if (v == nullptr) return fallback;
  const std::string path = JsonPointerChild("", key);
  if (!v->is_number()) return InvalidArgument(path, std::string(key) + " must be a non-negative integer");
  const double d = v->get<double>();
  if (!(d >= 0) || d != static_cast<double>(static_cast<int64_t>(d))) {
    return InvalidArgument(path, std::string(key) + " must be a non-negative integer");
  }
  return static_cast<int64_t>(d);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::FindById(const Json& ids, TxId tx) {
  return RunRead(tx, [&](storage::ReadView& view, bool) -> absl::StatusOr<Json> {
    const storage::Dictionaries& dicts = view.dictionaries();
    if (!ids.is_array()) {
      LOOM_ASSIGN_OR_RETURN(std::string id, ParseTarget(ids, ""));
      LOOM_ASSIGN_OR_RETURN(std::optional<storage::StoredRecord> record, LoadById(view, id));
      if (!record) return MakeError(ErrorCode::kNotFound, "record " + id + " not found");
      return storage::StoredRecordToJson(dicts, *record);
    }
    LOOM_ASSIGN_OR_RETURN(std::vector<std::string> list, ParseTargets(ids, ""));
    Json data = Json::array();
    for (const std::string& id : list) {
      LOOM_ASSIGN_OR_RETURN(std::optional<storage::StoredRecord> record, LoadById(view, id));
      if (record) data.push_back(storage::StoredRecordToJson(dicts, *record));
    }
    const size_t total = data.size();
    return Json{{"data", std::move(data)}, {"total", total}};
  });
}

absl::StatusOr<Json> DatabaseImpl::QueryRead(std::string_view method, const Json& query, TxId tx) {
  return RunRead(tx, [&](storage::ReadView& view, bool) { return RunQuery(*this, view, method, query); });
}

absl::StatusOr<Json> DatabaseImpl::QueryWrite(std::string_view method, const Json& query, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) { return RunQueryWrite(*this, scope, method, query); });
}

absl::StatusOr<Json> DatabaseImpl::LabelsFind(const Json& args, TxId tx) {
  return RunRead(tx, [&](storage::ReadView& view, bool in_tx) -> absl::StatusOr<Json> {
    if (!args.is_null() && !args.is_object()) return InvalidArgument("", "expected a search query object");
    if (HasWhere(args)) return RunQuery(*this, view, "labels.find", args);
    LOOM_ASSIGN_OR_RETURN(auto filter, ParseLabelsFilter(args));
    const storage::Dictionaries& dicts = view.dictionaries();
    std::map<std::string, uint64_t> counts;  // sorted by label
    if (!in_tx) {
      LOOM_RETURN_IF_ERROR(view.ListLabelCounts([&](storage::NameId label, uint64_t count) {
        if (label != storage::kNoName && count > 0) counts[dicts.labels.Name(label)] += count;
      }));
    } else {
      absl::flat_hash_map<storage::NameId, uint64_t> by_id;
      absl::Status inner;
      LOOM_RETURN_IF_ERROR(view.ScanRecords([&](storage::Rid rid) {
        storage::NameId label;
        std::string id;
        absl::StatusOr<bool> found = view.GetRecordHeader(rid, &label, &id);
        if (!found.ok()) {
          inner = found.status();
          return false;
        }
        if (*found && label != storage::kNoName) ++by_id[label];
        return true;
      }));
      LOOM_RETURN_IF_ERROR(inner);
      for (const auto& [label, count] : by_id) counts[dicts.labels.Name(label)] += count;
    }
    Json out = Json::object();
    for (const auto& [label, count] : counts) {
      if (filter && !filter->count(label)) continue;
      out[label] = count;
    }
    return out;
  });
}

absl::StatusOr<Json> DatabaseImpl::PropertiesFind(const Json& args, TxId tx) {
  return RunRead(tx, [&](storage::ReadView& view, bool in_tx) -> absl::StatusOr<Json> {
    if (!args.is_null() && !args.is_object()) return InvalidArgument("", "expected a search query object");
    if (HasWhere(args)) return RunQuery(*this, view, "properties.find", args);
    LOOM_ASSIGN_OR_RETURN(auto filter, ParseLabelsFilter(args));
    std::optional<std::set<storage::NameId>> label_ids;
    if (filter) {
      label_ids.emplace();
      for (const std::string& label : *filter) {
        if (auto id = view.dictionaries().labels.Find(label)) label_ids->insert(*id);
      }
    }
    LOOM_ASSIGN_OR_RETURN(std::vector<PairCount> pairs, ListPairs(view, in_tx, label_ids));
    Json out = Json::array();
    for (const PairCount& pair : pairs) {
      LOOM_ASSIGN_OR_RETURN(Json property, PropertyJson(property_ids(), pair));
      out.push_back(std::move(property));
    }
    return out;
  });
}

absl::StatusOr<Json> DatabaseImpl::PropertiesFindById(std::string_view id, TxId tx) {
  return RunRead(tx, [&](storage::ReadView& view, bool in_tx) -> absl::StatusOr<Json> {
    LOOM_ASSIGN_OR_RETURN(PairCount pair, ResolveProperty(*this, view, in_tx, id));
    return PropertyJson(property_ids(), pair);
  });
}

absl::StatusOr<Json> DatabaseImpl::PropertiesValues(std::string_view id, const Json& args, TxId tx) {
  return RunRead(tx, [&](storage::ReadView& view, bool in_tx) -> absl::StatusOr<Json> {
    if (!args.is_null() && !args.is_object()) return InvalidArgument("", "expected an object of arguments");
    LOOM_ASSIGN_OR_RETURN(PairCount pair, ResolveProperty(*this, view, in_tx, id));
    std::optional<std::string> query;
    if (const Json* q = Member(args, "query")) {
      if (!q->is_string()) return InvalidArgument("/query", "query must be a string");
      query = Lower(q->get<std::string>());
    }
    int order = 0;  // 0 = by __id, 1 = asc, -1 = desc
    if (const Json* o = Member(args, "orderBy")) {
      const std::string dir = o->is_string() ? Lower(o->get<std::string>()) : "";
      if (dir == "asc") {
        order = 1;
      } else if (dir == "desc") {
        order = -1;
      } else {
        return InvalidArgument("/orderBy", "orderBy must be \"asc\" or \"desc\"");
      }
    }
    LOOM_ASSIGN_OR_RETURN(int64_t skip, ParseCount(args, "skip", 0));
    LOOM_ASSIGN_OR_RETURN(int64_t limit, ParseCount(args, "limit", 100));
    LOOM_ASSIGN_OR_RETURN(auto filter, ParseLabelsFilter(args));

    // 1-2: source records holding (name, type), optionally filtered.
    struct Source {
      std::string id;
      Value value;
    };
    std::vector<Source> sources;
    RecordVisitor visitor(view, [&](storage::StoredRecord& record) {
      const Value* v = record.Find(pair.name_id);
      if (v == nullptr || v->type != pair.type) return true;
      if (query) {
        bool hit = false;
        for (const Scalar& s : v->items) hit = hit || Lower(ScalarToString(s)).find(*query) != std::string::npos;
        if (!hit) return true;
      }
      sources.push_back({record.id, *v});
      return true;
    });
    auto visit = visitor.ByRid();
    if (HasWhere(args)) {
      // labels + where restrict the source records through the query engine.
      LOOM_ASSIGN_OR_RETURN(std::vector<storage::Rid> rids,
                            MatchRecords(*this, view, Member(args, "labels"), Member(args, "where"), ""));
      for (storage::Rid rid : rids) {
        if (!visit(rid)) break;
      }
    } else if (filter) {
      for (const std::string& label : *filter) {
        if (auto label_id = view.dictionaries().labels.Find(label)) {
          LOOM_RETURN_IF_ERROR(view.ScanLabel(*label_id, visit));
        }
      }
    } else {
      LOOM_RETURN_IF_ERROR(view.ScanRecords(visit));
    }
    LOOM_RETURN_IF_ERROR(visitor.status());
    if (sources.empty()) return Json::object();

    // 3: order, flatten, de-duplicate.
    std::stable_sort(sources.begin(), sources.end(), [&](const Source& a, const Source& b) {
      if (order != 0) {
        const int c = CompareValues(&a.value, &b.value);
        if (c != 0) return order > 0 ? c < 0 : c > 0;
      }
      return a.id < b.id;
    });
    std::vector<Scalar> values;
    for (const Source& s : sources) {
      for (const Scalar& item : s.value.items) {
        bool seen = false;
        for (const Scalar& v : values) seen = seen || (v.index() == item.index() && ScalarEquals(v, item));
        if (!seen) values.push_back(item);
      }
    }
    // 4: the page.
    Json page = Json::array();
    for (size_t i = static_cast<size_t>(std::min<int64_t>(skip, static_cast<int64_t>(values.size())));
         i < values.size() && static_cast<int64_t>(page.size()) < limit; ++i) {
      page.push_back(ScalarToJson(values[i]));
    }
    Json out{{"values", std::move(page)}};
    // 5: min / max over all values.
    if (pair.type == PropType::kNumber || pair.type == PropType::kVector) {
      std::optional<double> lo, hi;
      for (const Scalar& v : values) {
        if (const double* d = std::get_if<double>(&v)) {
          lo = lo ? std::min(*lo, *d) : *d;
          hi = hi ? std::max(*hi, *d) : *d;
        }
      }
      if (lo) out["min"] = ScalarToJson(*lo);
      if (hi) out["max"] = ScalarToJson(*hi);
    } else if (pair.type == PropType::kDatetime) {
      std::optional<Instant> lo, hi;
      for (const Scalar& v : values) {
        const std::string* text = std::get_if<std::string>(&v);
        if (text == nullptr) continue;
        std::optional<Instant> t = ParseDatetimeInstant(*text);
        if (!t) continue;
        if (!lo || *t < *lo) lo = t;
        if (!hi || *t > *hi) hi = t;
      }
      if (lo) out["min"] = FormatInstantUtc(*lo);
      if (hi) out["max"] = FormatInstantUtc(*hi);
    }
    out["type"] = std::string(PropTypeName(pair.type));
    return out;
  });
}

absl::StatusOr<Json> DatabaseImpl::PropertiesDelete(std::string_view id, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    storage::WriteTxn& txn = *scope.txn;
    LOOM_ASSIGN_OR_RETURN(PairCount pair, ResolveProperty(*this, txn, !tx.empty(), id));
    std::vector<storage::StoredRecord> holders;
    RecordVisitor collect(txn, [&](storage::StoredRecord& record) {
      const Value* v = record.Find(pair.name_id);
      if (v != nullptr && v->type == pair.type) holders.push_back(std::move(record));
      return true;
    });
    LOOM_RETURN_IF_ERROR(txn.ScanRecords(collect.ByRid()));
    LOOM_RETURN_IF_ERROR(collect.status());
    for (const storage::StoredRecord& old : holders) {
      storage::StoredRecord updated = old;
      std::erase_if(updated.properties,
                    [&](const storage::StoredProperty& p) { return p.name == pair.name_id; });
      LOOM_RETURN_IF_ERROR(PutRecord(scope, updated, &old));
    }
    return Json{{"message", "Property (" + std::string(id) + ") has been successfully deleted."}};
  });
}

}  // namespace loom::engine
