#include "engine/bulk/dataset_loader.h"

#include <simdjson.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/bulk/json_element.h"
#include "engine/bulk/whole_file.h"
#include "engine/import/csv_import_plan.h"
#include "engine/import/import_typing.h"
#include "engine/import/json_import_plan.h"
#include "engine/import/write_typing.h"
#include "loom/status.h"

namespace loom::engine::bulk {
namespace {

struct KeyStyle {
  std::string_view id, label, types, project;
};
constexpr KeyStyle kPublicKeys{"__id", "__label", "__proptypes", "__projectId"};
constexpr KeyStyle kInternalKeys{"__RUSHDB__KEY__ID__", "__RUSHDB__KEY__LABEL__",
                                 "__RUSHDB__KEY__PROPERTIES__META__", "__RUSHDB__KEY__PROJECT__ID__"};
constexpr std::string_view kInternalPrefix = "__RUSHDB__KEY__";

// Where an entry came from, for error messages: a JSON Pointer base
// ("/records/3") or a line of a JSON-lines bundle.
struct Origin {
  std::string pointer;  // pointer of the entry inside the bundle / line
  int64_t line = 0;     // > 0 for JSON lines

  absl::Status Error(std::string_view at, std::string_view message) const {
    std::string path = absl::StrCat(pointer, Sv(at));
    if (line > 0) return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("line ", line, ": ", Sv(message)), path);
    return InvalidArgument(path, message);
  }
  absl::Status Wrap(const absl::Status& status) const {
    if (line <= 0) return status;
    return MakeError(GetErrorCode(status),
                     absl::StrCat("line ", line, ": ", Sv(MessageOf(status))),
                     ErrorPath(status).value_or(""));
  }
};

using Element = simdjson::dom::element;
using ElementType = simdjson::dom::element_type;

bool IsString(Element v, std::string_view text) {
  return v.type() == ElementType::STRING && std::string_view(v) == text;
}

// The fields of an object entry; of a repeated key the last value is kept,
// in the first one's place (as a JSON object reader would).
struct Field {
  std::string_view key;
  Element value;
};
void UniqueFields(simdjson::dom::object object, std::vector<Field>* out) {
  out->clear();
  for (simdjson::dom::key_value_pair kv : object) {
    bool repeated = false;
    for (Field& f : *out) {  // entries are short; a long one pays a scan per key
      if (f.key == kv.key) {
        f.value = kv.value;
        repeated = true;
        break;
      }
    }
    if (!repeated) out->push_back(Field{kv.key, kv.value});
  }
}

const Field* FindField(const std::vector<Field>& fields, std::string_view key) {
  for (const Field& f : fields) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

// The first of `a`, `b` that is present and not null.
const Field* FindValue(const std::vector<Field>& fields, std::string_view a, std::string_view b = {}) {
  const Field* f = FindField(fields, a);
  if ((f == nullptr || f->value.is_null()) && !b.empty()) f = FindField(fields, b);
  return f == nullptr || f->value.is_null() ? nullptr : f;
}

bool IsInternalStyle(const std::vector<Field>& fields) {
  for (const Field& f : fields) {
    if (f.key.starts_with(kInternalPrefix)) return true;
  }
  return false;
}

Scalar ToScalar(Element v) {
  if (v.type() == ElementType::BOOL) return bool(v);
  if (v.type() == ElementType::STRING) return std::string(std::string_view(v));
  return double(v);
}

bool IsPrimitive(Element v) { return v.type() != ElementType::ARRAY && v.type() != ElementType::OBJECT; }

// A declared-type value (D19): no inference, nulls dropped, sentinels mapped.
absl::StatusOr<std::optional<Value>> DeclaredValue(Element v, PropType type, const Origin& origin,
                                                   std::string_view key) {
  if (v.is_null()) return std::nullopt;
  if (v.type() == ElementType::STRING) {
    std::string_view s(v);
    if (s == kNullSentinel) return std::nullopt;
    if (s == kEmptyArraySentinel) return Value::Array(type, {});
  }
  if (v.type() == ElementType::OBJECT) {
    return origin.Error(JsonPointerChild("", key), "nested objects are not property values");
  }
  if (v.type() != ElementType::ARRAY) return Value::Of(type, ToScalar(v));
  std::vector<Scalar> items;
  simdjson::dom::array array(v);
  for (Element e : array) {
    if (e.is_null()) continue;
    if (!IsPrimitive(e)) return origin.Error(JsonPointerChild("", key), "array elements must be primitives");
    items.push_back(ToScalar(e));
  }
  if (items.empty() && array.size() != 0) return std::nullopt;  // all null
  return Value::Array(type, std::move(items));
}

// An undeclared value, typed as JSON import with suggestTypes (§2.5).
absl::StatusOr<std::optional<Value>> InferredValue(Element v, const Origin& origin, std::string_view key) {
  Json json;
  switch (v.type()) {
    case ElementType::NULL_VALUE: return std::nullopt;
    case ElementType::BOOL: json = bool(v); break;
    case ElementType::STRING: json = std::string(std::string_view(v)); break;
    case ElementType::INT64: case ElementType::UINT64: case ElementType::DOUBLE: json = double(v); break;
    default: json = ElementToJson(v);  // arrays and objects: rare, checked in full there
  }
  absl::StatusOr<std::optional<Value>> typed =
      TypeImportValue(json, ImportOptions{}, JsonPointerChild(origin.pointer, key));
  if (!typed.ok()) return origin.Wrap(typed.status());
  return typed;
}

// A record written by this load, as a relationship endpoint.
struct Loaded {
  storage::Rid rid = 0;
  storage::NameId label = storage::kNoName;
};

// A relationship entry checked and waiting for all records (§6.3 rule 6).
struct PendingRelationship {
  std::string source, target;
  storage::NameId type = 0;
  std::string properties;  // JSON object text, "" for none
};

// The load is one blind WriteTxn (nothing written is read back): the
// bundle's own records are remembered in `loaded`, existing ones are read
// from the snapshot the load started from.
struct LoadState {
  std::unique_ptr<storage::WriteTxn> txn;
  absl::flat_hash_map<std::string, Loaded> loaded;  // ids of this bundle
  bool store_empty = false;                         // no existing record to conflict with or link to
  absl::flat_hash_map<std::string, storage::NameId> rel_types;
  std::vector<PendingRelationship> relationships_pending;
  uint64_t records = 0;
  uint64_t relationships = 0;
  uint64_t skipped = 0;
  absl::flat_hash_map<std::string, storage::NameId> label_ids, property_ids;  // CachedIntern
  // Scratch space reused by every entry.
  storage::StoredRecord record;
  std::vector<Field> fields, declared_types;
  std::vector<Property> properties;
  simdjson::dom::parser types_parser;  // declared types given as JSON text
};

std::unique_ptr<LoadState> NewLoadState(const BulkTarget& target) {
  auto state = std::make_unique<LoadState>();
  state->txn = target.store->BeginWrite(storage::Store::WriteMode::kIngest);
  state->store_empty = state->txn->RecordCount() == 0;
  return state;
}

// An endpoint among the loaded records, else among the existing ones.
absl::StatusOr<std::optional<Loaded>> FindEndpoint(LoadState& state, const std::string& id) {
  if (auto it = state.loaded.find(id); it != state.loaded.end()) return std::optional<Loaded>(it->second);
  if (state.store_empty) return std::optional<Loaded>();
  LOOM_ASSIGN_OR_RETURN(std::optional<storage::Rid> rid, state.txn->LookupId(id));
  if (!rid) return std::optional<Loaded>();
  Loaded out{*rid, storage::kNoName};
  std::string stored_id;
  LOOM_ASSIGN_OR_RETURN(bool found, state.txn->GetRecordHeader(*rid, &out.label, &stored_id));
  if (!found) return std::optional<Loaded>();
  return std::optional<Loaded>(out);
}

// Creates the pending relationships in entry order, then commits the load.
absl::Status FinishLoad(const BulkTarget& target, LoadState& state) {
  for (const PendingRelationship& r : state.relationships_pending) {
    LOOM_ASSIGN_OR_RETURN(std::optional<Loaded> start, FindEndpoint(state, r.source));
    LOOM_ASSIGN_OR_RETURN(std::optional<Loaded> end, FindEndpoint(state, r.target));
    if (!start || !end) {
      ++state.skipped;
      continue;
    }
    LOOM_RETURN_IF_ERROR(state.txn->AddEdge(start->rid, start->label, end->rid, end->label, r.type, r.properties).status());
    ++state.relationships;
  }
  state.relationships_pending.clear();
  return state.txn->Commit(target.durability);
}

// Names interned through a per-load cache: the dictionary takes a lock per call.
absl::StatusOr<storage::NameId> CachedIntern(storage::Dictionary& dictionary,
                                             absl::flat_hash_map<std::string, storage::NameId>& cache,
                                             std::string_view name) {
  if (auto it = cache.find(Sv(name)); it != cache.end()) return it->second;
  LOOM_ASSIGN_OR_RETURN(storage::NameId id, dictionary.Intern(name));
  cache.emplace(std::string(name), id);
  return id;
}

// Writes one record; its property values are moved out of `properties`.
// `id_key` names the entry's id field for errors.
absl::Status PutLoadedRecord(const BulkTarget& target, LoadState& state, std::optional<std::string> id,
                             const std::optional<std::string>& label, std::vector<Property>& properties,
                             const Origin& origin, std::string_view id_key) {
  storage::Dictionaries& dicts = target.store->dictionaries();
  if (!id) {
    id = target.next_id();
  } else if (id->empty()) {
    return origin.Error(JsonPointerChild("", id_key), "id must be a non-empty string");
  }
  storage::StoredRecord& record = state.record;
  record.rid = state.txn->NewRid();
  record.label = storage::kNoName;
  if (label && !label->empty()) {
    LOOM_ASSIGN_OR_RETURN(record.label, CachedIntern(dicts.labels, state.label_ids, *label));
  }
  bool repeated = !state.loaded.try_emplace(*id, Loaded{record.rid, record.label}).second;
  std::optional<storage::Rid> existing;
  if (!repeated && !state.store_empty) {
    LOOM_ASSIGN_OR_RETURN(existing, state.txn->LookupId(*id));
  }
  if (repeated || existing) {
    return MakeError(ErrorCode::kIdConflict,
                     absl::StrCat(origin.line > 0 ? absl::StrCat("line ", origin.line, ": ") : "", "id ", *id,
                                  repeated ? " appears twice in the bundle" : " already exists"),
                     JsonPointerChild(origin.pointer, id_key));
  }
  record.id = std::move(*id);
  record.properties.clear();
  for (Property& p : properties) {
    LOOM_ASSIGN_OR_RETURN(storage::NameId name, CachedIntern(dicts.properties, state.property_ids, p.name));
    record.properties.push_back(storage::StoredProperty{name, std::move(p.value)});
  }
  LOOM_RETURN_IF_ERROR(state.txn->PutRecord(record, nullptr));
  ++state.records;
  return absl::OkStatus();
}

// Declared types (`__proptypes`, an object or its JSON text) as
// (property, type name) pairs.
absl::Status ReadDeclaredTypes(LoadState& state, const std::vector<Field>& fields, const KeyStyle& keys,
                               const Origin& origin, std::vector<Field>* types) {
  types->clear();
  const Field* declared = FindValue(fields, keys.types);
  if (declared == nullptr) return absl::OkStatus();
  Element object = declared->value;
  if (object.type() == ElementType::STRING) {
    std::string_view text(object);
    if (state.types_parser.parse(text.data(), text.size()).get(object) != simdjson::SUCCESS) {
      object = Element();  // not JSON: reported below
    }
  }
  if (object.type() != ElementType::OBJECT) {
    return origin.Error(JsonPointerChild("", keys.types), "declared types must be an object or its JSON text");
  }
  UniqueFields(simdjson::dom::object(object), types);
  return absl::OkStatus();
}

absl::Status LoadRecord(const BulkTarget& target, LoadState& state, const std::vector<Field>& fields,
                        const Origin& origin) {
  const KeyStyle& keys = IsInternalStyle(fields) ? kInternalKeys : kPublicKeys;
  std::vector<Field>& types = state.declared_types;
  LOOM_RETURN_IF_ERROR(ReadDeclaredTypes(state, fields, keys, origin, &types));
  const std::string types_at = types.empty() ? std::string() : JsonPointerChild("", keys.types);

  std::optional<std::string> id;
  std::optional<std::string> label;
  std::vector<Property>& properties = state.properties;
  properties.clear();
  for (const auto& [key, v] : fields) {
    if (key == keys.types || key == keys.project) continue;
    if (key == keys.id) {
      if (v.type() != ElementType::STRING) return origin.Error(JsonPointerChild("", key), "id must be a string");
      id = std::string(std::string_view(v));
      continue;
    }
    if (key == keys.label) {
      if (v.is_null()) continue;
      if (v.type() != ElementType::STRING) return origin.Error(JsonPointerChild("", key), "label must be a string");
      if (!std::string_view(v).empty()) label = std::string(std::string_view(v));
      continue;
    }
    const Field* declared = FindField(types, key);
    // "kind" is the JSON-lines discriminator unless declared as a property.
    if (key == "kind" && declared == nullptr && (IsString(v, "record") || IsString(v, "relationship"))) continue;
    if (IsForbiddenKey(key)) {
      return origin.Error(JsonPointerChild("", key), absl::StrCat("property name ", Sv(key), " is not allowed"));
    }
    std::optional<Value> value;
    if (declared != nullptr) {
      if (declared->value.type() != ElementType::STRING) {
        return origin.Error(types_at, absl::StrCat("type of ", Sv(key), " must be a string"));
      }
      std::string_view type_name(declared->value);
      if (type_name == "null") continue;  // legacy null-typed property
      std::optional<PropType> type = ParsePropType(type_name);
      if (!type) return origin.Error(types_at, absl::StrCat("unknown type ", Sv(type_name), " of ", Sv(key)));
      LOOM_ASSIGN_OR_RETURN(value, DeclaredValue(v, *type, origin, key));
    } else if (IsString(v, kNullSentinel)) {
      continue;
    } else if (IsString(v, kEmptyArraySentinel)) {
      value = Value::Array(PropType::kString, {});
    } else {
      LOOM_ASSIGN_OR_RETURN(value, InferredValue(v, origin, key));
    }
    if (value) properties.push_back(Property{std::string(key), std::move(*value)});
  }
  return PutLoadedRecord(target, state, std::move(id), label, properties, origin, keys.id);
}

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!(alpha || (i > 0 && digit))) return false;
  }
  return true;
}

// data-model.md §6.4.
absl::StatusOr<std::string> RelationshipPropertiesText(const Json* properties, const Origin& origin) {
  if (properties == nullptr) return std::string();
  if (!properties->is_object()) return origin.Error("/properties", "properties must be an object");
  static const absl::flat_hash_set<std::string_view> kReserved = {
      "sourceId", "targetId", "sourceLabel", "targetLabel", "type", "direction", "id", "elementId", "projectId"};
  for (const auto& [key, v] : properties->items()) {
    std::string at = JsonPointerChild("/properties", key);
    if (kReserved.contains(key) || std::string_view(key).starts_with("__RUSHDB__")) {
      return origin.Error(at, absl::StrCat("relationship property name ", key, " is reserved"));
    }
    if (v.is_object()) return origin.Error(at, "relationship property values must be primitives");
    if (v.is_array()) {
      std::optional<Json::value_t> kind;
      for (const Json& e : v) {
        if (e.is_null()) continue;
        if (e.is_object() || e.is_array()) return origin.Error(at, "array elements must be primitives");
        Json::value_t k = e.is_number() ? Json::value_t::number_float : e.type();
        if (kind && *kind != k) return origin.Error(at, "array elements must share one type");
        kind = k;
      }
    }
  }
  if (properties->empty()) return std::string();
  return properties->dump(-1, ' ', false, Json::error_handler_t::replace);
}

absl::Status LoadRelationship(const BulkTarget& target, LoadState& state, const std::vector<Field>& fields,
                              const Origin& origin) {
  const Field* source = FindValue(fields, "sourceId", "source");
  const Field* dest = FindValue(fields, "targetId", "target");
  const Field* type = FindValue(fields, "type");
  if (source == nullptr || source->value.type() != ElementType::STRING) {
    return origin.Error("/sourceId", "sourceId must be a string");
  }
  if (dest == nullptr || dest->value.type() != ElementType::STRING) {
    return origin.Error("/targetId", "targetId must be a string");
  }
  if (type == nullptr || type->value.type() != ElementType::STRING) return origin.Error("/type", "type must be a string");
  std::string_view type_name(type->value);
  if (type_name == kDefaultRelationAlias) type_name = kDefaultRelationType;
  storage::NameId type_id;
  if (auto cached = state.rel_types.find(Sv(type_name)); cached != state.rel_types.end()) {
    type_id = cached->second;
  } else {
    if (!IsIdentifier(type_name) || type_name == "__RUSHDB__RELATION__VALUE__") {
      return origin.Error("/type", absl::StrCat("invalid relationship type ", Sv(type_name)));
    }
    LOOM_ASSIGN_OR_RETURN(type_id, target.store->dictionaries().rel_types.Intern(type_name));
    state.rel_types.emplace(std::string(type_name), type_id);
  }
  std::string props;
  if (const Field* properties = FindValue(fields, "properties"); properties != nullptr) {
    Json json = ElementToJson(properties->value);  // rare: validated and stored as canonical text
    LOOM_ASSIGN_OR_RETURN(props, RelationshipPropertiesText(&json, origin));
  }
  std::string_view source_id(source->value), target_id(dest->value);
  auto start = state.loaded.find(Sv(source_id));
  auto end = state.loaded.find(Sv(target_id));
  if (state.relationships_pending.empty() && start != state.loaded.end() && end != state.loaded.end()) {
    // Both endpoints are loaded and no earlier entry waits: created now, the
    // same edge (and edge order) as at the end.
    const Loaded& from = start->second;
    const Loaded& to = end->second;
    LOOM_RETURN_IF_ERROR(state.txn->AddEdge(from.rid, from.label, to.rid, to.label, type_id, props).status());
    ++state.relationships;
    return absl::OkStatus();
  }
  // Created once every record is written (endpoints may come later in the bundle).
  state.relationships_pending.push_back(
      PendingRelationship{std::string(source_id), std::string(target_id), type_id, std::move(props)});
  return absl::OkStatus();
}

bool LooksLikeRelationship(const std::vector<Field>& fields) {
  if (FindField(fields, kPublicKeys.id) != nullptr || FindField(fields, kInternalKeys.id) != nullptr) return false;
  return FindValue(fields, "sourceId", "source") != nullptr && FindValue(fields, "targetId", "target") != nullptr &&
         FindValue(fields, "type") != nullptr;
}

// Entries of a bundle object ("/records/3") or of JSON lines ("line 12").
absl::Status LoadRecordEntry(const BulkTarget& target, LoadState& state, Element entry, const Origin& origin) {
  if (entry.type() != ElementType::OBJECT) return origin.Error("", "a record entry must be an object");
  UniqueFields(simdjson::dom::object(entry), &state.fields);
  return LoadRecord(target, state, state.fields, origin);
}
absl::Status LoadRelationshipEntry(const BulkTarget& target, LoadState& state, Element entry,
                                   const Origin& origin) {
  if (entry.type() != ElementType::OBJECT) return origin.Error("", "a relationship entry must be an object");
  UniqueFields(simdjson::dom::object(entry), &state.fields);
  return LoadRelationship(target, state, state.fields, origin);
}
// A JSON-lines entry: "kind" names it, else its shape does.
absl::Status LoadLineEntry(const BulkTarget& target, LoadState& state, Element entry, const Origin& origin) {
  if (entry.type() != ElementType::OBJECT) return origin.Error("", "each line must be a JSON object");
  UniqueFields(simdjson::dom::object(entry), &state.fields);
  const Field* kind = FindField(state.fields, "kind");
  bool is_relationship = kind != nullptr && IsString(kind->value, "relationship") ? true
                         : kind != nullptr && IsString(kind->value, "record")     ? false
                                                                                  : LooksLikeRelationship(state.fields);
  return is_relationship ? LoadRelationship(target, state, state.fields, origin)
                         : LoadRecord(target, state, state.fields, origin);
}

Json Result(const LoadState& state) {
  Json out = Json::object();
  out["records"] = state.records;
  out["relationships"] = state.relationships;
  out["skippedRelationships"] = state.skipped;
  return out;
}

absl::StatusOr<Json> LoadBundleObject(const BulkTarget& target, LoadState& state, simdjson::dom::object bundle) {
  std::optional<simdjson::dom::array> parts[2];  // absent parts stay empty
  const std::string_view names[2] = {"records", "relationships"};
  std::vector<Field> top;
  UniqueFields(bundle, &top);
  for (int i = 0; i < 2; ++i) {
    const Field* field = FindValue(top, names[i]);
    if (field == nullptr) continue;
    Element part = field->value;
    if (part.type() != ElementType::ARRAY) {
      return InvalidArgument(absl::StrCat("/", Sv(names[i])), absl::StrCat(Sv(names[i]), " must be an array"));
    }
    parts[i] = simdjson::dom::array(part);
  }
  size_t i = 0;
  if (parts[0]) {
    for (Element entry : *parts[0]) {
      LOOM_RETURN_IF_ERROR(LoadRecordEntry(target, state, entry, Origin{JsonPointerChild("/records", i++)}));
    }
  }
  i = 0;
  if (parts[1]) {
    for (Element entry : *parts[1]) {
      LOOM_RETURN_IF_ERROR(
          LoadRelationshipEntry(target, state, entry, Origin{JsonPointerChild("/relationships", i++)}));
    }
  }
  LOOM_RETURN_IF_ERROR(FinishLoad(target, state));
  return Result(state);
}

absl::StatusOr<Json> LoadBundleLines(const BulkTarget& target, LoadState& state, std::string_view text) {
  simdjson::dom::parser parser;
  if (auto err = parser.allocate(4096, kMaxJsonTextDepth); err) {
    return MakeError(ErrorCode::kInternal, SimdjsonErrorText(err));
  }
  int64_t line_no = 0;
  size_t pos = 0;
  if (text.starts_with("\xEF\xBB\xBF")) pos = 3;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Origin origin{"", line_no};
    Element element;
    if (auto err = parser.parse(line.data(), line.size(), /*realloc_if_needed=*/true).get(element); err) {
      return origin.Error("", absl::StrCat("invalid JSON (", SimdjsonErrorText(err), ")"));
    }
    LOOM_RETURN_IF_ERROR(LoadLineEntry(target, state, element, origin));
  }
  LOOM_RETURN_IF_ERROR(FinishLoad(target, state));
  return Result(state);
}

// Whether `body` is JSON lines by its first line: a whole JSON value with
// more text after it. A bundle object spans the whole text, so checking the
// first line spares parsing a large JSON-lines file as one document first.
bool StartsWithWholeLine(std::string_view body) {
  size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  size_t nl = body.find('\n', start);
  if (nl == std::string_view::npos || body.find_first_not_of(" \t\r\n", nl) == std::string_view::npos) return false;
  simdjson::dom::parser parser;
  simdjson::dom::element first;
  return parser.parse(body.data() + start, nl - start, /*realloc_if_needed=*/true).get(first) == simdjson::SUCCESS;
}

}  // namespace

absl::StatusOr<Json> LoadDatasetText(const BulkTarget& target, std::string_view text, BundleFormat format) {
  std::unique_ptr<LoadState> owned = NewLoadState(target);
  LoadState& state = *owned;
  std::string_view body = text;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  if (format == BundleFormat::kJson || (format == BundleFormat::kAuto && !StartsWithWholeLine(body))) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(body);
    simdjson::dom::element element;
    simdjson::error_code err = parser.allocate(padded.size() + 64, kMaxJsonTextDepth);
    if (!err) err = parser.parse(padded).get(element);
    bool bundle = !err && element.is_object() &&
                  (element["records"].error() == simdjson::SUCCESS ||
                   element["relationships"].error() == simdjson::SUCCESS);
    if (bundle || format == BundleFormat::kJson) {  // else one line of JSON lines
      if (err) return InvalidArgument("", absl::StrCat("invalid JSON (", SimdjsonErrorText(err), ")"));
      if (!element.is_object()) return InvalidArgument("", "a dataset bundle must be a JSON object");
      return LoadBundleObject(target, state, simdjson::dom::object(element));
    }
  }
  return LoadBundleLines(target, state, text);
}

absl::StatusOr<Json> LoadDatasetFile(const BulkTarget& target, const std::string& path, BundleFormat format) {
  LOOM_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  return LoadDatasetText(target, text, format);
}

absl::StatusOr<Json> LoadCsvExport(const BulkTarget& target, std::istream& in,
                                   const std::optional<std::string>& label, std::string_view source_name) {
  const Json options = {{"suggestTypes", true}};
  LOOM_ASSIGN_OR_RETURN(ImportOptions import_options, ParseImportOptions(&options, "/options"));
  LOOM_ASSIGN_OR_RETURN(CsvParseConfig config, ParseCsvParseConfig(nullptr, &options, "/parseConfig"));
  std::unique_ptr<LoadState> owned = NewLoadState(target);
  LoadState& state = *owned;
  CsvRecordStream rows(&in, config, import_options, "/data");
  std::vector<Property> properties;
  while (true) {
    absl::StatusOr<bool> more = rows.Next(&properties);
    if (!more.ok()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat(Sv(source_name), ":", rows.line(), ": ", Sv(MessageOf(more.status()))));
    }
    if (!*more) break;
    std::optional<std::string> id;
    std::optional<std::string> row_label = label;
    std::vector<Property> rest;
    for (Property& p : properties) {
      if ((p.name == "__id" || p.name == "__label") && !p.value.is_array && !p.value.items.empty()) {
        std::string text = ScalarToString(p.value.items[0]);
        if (p.name == "__id") {
          id = std::move(text);
        } else if (!text.empty()) {
          row_label = std::move(text);
        }
        continue;
      }
      rest.push_back(std::move(p));
    }
    Origin origin{"", rows.line()};
    LOOM_RETURN_IF_ERROR(PutLoadedRecord(target, state, std::move(id), row_label, rest, origin, "__id"));
  }
  LOOM_RETURN_IF_ERROR(FinishLoad(target, state));
  return Result(state);
}

absl::StatusOr<Json> LoadCsvExportFile(const BulkTarget& target, const std::string& path,
                                       const std::optional<std::string>& label) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("cannot open ", path));
  return LoadCsvExport(target, in, label, path);
}

}  // namespace loom::engine::bulk
