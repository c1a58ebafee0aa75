#include "engine/bulk/bundle_entry.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/bulk/bulk_records.h"
#include "engine/bulk/json_element.h"
#include "engine/import/import_typing.h"
#include "engine/import/json_import_plan.h"
#include "engine/import/relationship_typing.h"
#include "engine/import/write_typing.h"
#include "loom/status.h"

namespace loom::engine::bulk {

absl::Status EntryOrigin::Error(std::string_view at, std::string_view message) const {
  std::string path = absl::StrCat(pointer, Sv(at));
  if (line > 0) return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("line ", line, ": ", Sv(message)), path);
  return InvalidArgument(path, message);
}

absl::Status EntryOrigin::Wrap(const absl::Status& status) const {
  if (line <= 0) return status;
  return MakeError(GetErrorCode(status), absl::StrCat("line ", line, ": ", Sv(MessageOf(status))),
                   ErrorPath(status).value_or(""));
}

namespace {

struct KeyStyle {
  std::string_view id, label, types, project;
};
constexpr KeyStyle kPublicKeys{"__id", "__label", "__proptypes", "__projectId"};
constexpr KeyStyle kInternalKeys{"__RUSHDB__KEY__ID__", "__RUSHDB__KEY__LABEL__",
                                 "__RUSHDB__KEY__PROPERTIES__META__", "__RUSHDB__KEY__PROJECT__ID__"};
constexpr std::string_view kInternalPrefix = "__RUSHDB__KEY__";


using Element = simdjson::dom::element;
using ElementType = simdjson::dom::element_type;

bool IsString(Element v, std::string_view text) {
  return v.type() == ElementType::STRING && std::string_view(v) == text;
}

using Field = BundleEntryReader::Field;

// The fields of an object entry; of a repeated key the last value is kept,
// in the first one's place (as a JSON object reader would).
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
absl::StatusOr<std::optional<Value>> DeclaredValue(Element v, PropType type, const EntryOrigin& origin,
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
absl::StatusOr<std::optional<Value>> InferredValue(Element v, const EntryOrigin& origin, std::string_view key) {
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

bool LooksLikeRelationship(const std::vector<Field>& fields) {
  if (FindField(fields, "__id") != nullptr || FindField(fields, "__RUSHDB__KEY__ID__") != nullptr) return false;
  return FindValue(fields, "sourceId", "source") != nullptr && FindValue(fields, "targetId", "target") != nullptr &&
         FindValue(fields, "type") != nullptr;
}

}  // namespace

// Declared types (`__proptypes`, an object or its JSON text) as
// (property, type name) pairs.
absl::Status BundleEntryReader::ReadDeclaredTypes(std::string_view types_key, const EntryOrigin& origin,
                                                  std::vector<Field>* types) {
  types->clear();
  const Field* declared = FindValue(fields_, types_key);
  if (declared == nullptr) return absl::OkStatus();
  Element object = declared->value;
  if (object.type() == ElementType::STRING) {
    std::string_view text(object);
    if (types_parser_.parse(text.data(), text.size()).get(object) != simdjson::SUCCESS) {
      object = Element();  // not JSON: reported below
    }
  }
  if (object.type() != ElementType::OBJECT) {
    return origin.Error(JsonPointerChild("", types_key), "declared types must be an object or its JSON text");
  }
  UniqueFields(simdjson::dom::object(object), types);
  return absl::OkStatus();
}

absl::Status BundleEntryReader::ReadRecordFields(const EntryOrigin& origin, RecordEntry* out) {
  const std::vector<Field>& fields = fields_;
  const KeyStyle& keys = IsInternalStyle(fields) ? kInternalKeys : kPublicKeys;
  std::vector<Field>& types = declared_types_;
  LOOM_RETURN_IF_ERROR(ReadDeclaredTypes(keys.types, origin, &types));
  const std::string types_at = types.empty() ? std::string() : JsonPointerChild("", keys.types);

  out->id.reset();
  out->id_key = keys.id;
  out->label.reset();
  std::vector<Property>& properties = out->properties;
  properties.clear();
  for (const auto& [key, v] : fields) {
    if (key == keys.types || key == keys.project) continue;
    if (key == keys.id) {
      if (v.type() != ElementType::STRING) return origin.Error(JsonPointerChild("", key), "id must be a string");
      out->id = std::string(std::string_view(v));
      continue;
    }
    if (key == keys.label) {
      if (v.is_null()) continue;
      if (v.type() != ElementType::STRING) return origin.Error(JsonPointerChild("", key), "label must be a string");
      if (!std::string_view(v).empty()) out->label = std::string(std::string_view(v));
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
  return absl::OkStatus();
}


absl::Status BundleEntryReader::ReadRelationshipFields(const EntryOrigin& origin, RelationshipEntry* out) {
  const Field* source = FindValue(fields_, "sourceId", "source");
  const Field* dest = FindValue(fields_, "targetId", "target");
  const Field* type = FindValue(fields_, "type");
  if (source == nullptr || source->value.type() != ElementType::STRING) {
    return origin.Error("/sourceId", "sourceId must be a string");
  }
  if (dest == nullptr || dest->value.type() != ElementType::STRING) {
    return origin.Error("/targetId", "targetId must be a string");
  }
  if (type == nullptr || type->value.type() != ElementType::STRING) return origin.Error("/type", "type must be a string");
  std::string_view type_name(type->value);
  if (type_name == kDefaultRelationAlias) type_name = kDefaultRelationType;
  if (absl::Status valid = ValidateRelTypeName(type_name, absl::StrCat(origin.pointer, "/type")); !valid.ok()) {
    return origin.Wrap(valid);
  }
  out->source = std::string_view(source->value);
  out->target = std::string_view(dest->value);
  out->type = type_name;
  out->properties.clear();
  if (const Field* properties = FindValue(fields_, "properties"); properties != nullptr) {
    // As relationship writes through the API (§6.3 rule 6): rare, so through JSON.
    Json json = ElementToJson(properties->value);
    absl::StatusOr<std::string> text = EdgePropertiesText(&json, absl::StrCat(origin.pointer, "/properties"));
    if (!text.ok()) return origin.Wrap(text.status());
    out->properties = *std::move(text);
  }
  return absl::OkStatus();
}

absl::Status BundleEntryReader::ReadRecord(simdjson::dom::element entry, const EntryOrigin& origin, RecordEntry* out) {
  if (entry.type() != ElementType::OBJECT) return origin.Error("", "a record entry must be an object");
  UniqueFields(simdjson::dom::object(entry), &fields_);
  return ReadRecordFields(origin, out);
}

absl::Status BundleEntryReader::ReadRelationship(Element entry, const EntryOrigin& origin, RelationshipEntry* out) {
  if (entry.type() != ElementType::OBJECT) return origin.Error("", "a relationship entry must be an object");
  UniqueFields(simdjson::dom::object(entry), &fields_);
  return ReadRelationshipFields(origin, out);
}

absl::Status BundleEntryReader::ReadLine(Element entry, const EntryOrigin& origin, BundleEntry* out) {
  if (entry.type() != ElementType::OBJECT) return origin.Error("", "each line must be a JSON object");
  UniqueFields(simdjson::dom::object(entry), &fields_);
  const Field* kind = FindField(fields_, "kind");
  bool is_relationship = kind != nullptr && IsString(kind->value, "relationship") ? true
                         : kind != nullptr && IsString(kind->value, "record")     ? false
                                                                                  : LooksLikeRelationship(fields_);
  if (is_relationship) return ReadRelationshipFields(origin, &out->emplace<RelationshipEntry>());
  return ReadRecordFields(origin, &out->emplace<RecordEntry>());
}

}  // namespace loom::engine::bulk
