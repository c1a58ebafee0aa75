#include "engine/import/relationship_typing.h"

#include <cctype>
#include <optional>

#include "loom/status.h"

namespace loom::engine {

absl::Status ValidateRelType(const Json& type, std::string_view path) {
  if (!type.is_string()) return InvalidArgument(path, "relationship type must be a string");
  return ValidateRelTypeName(type.get_ref<const std::string&>(), path);
}

absl::Status ValidateRelTypeName(std::string_view text, std::string_view path) {
  if (text.empty()) return InvalidArgument(path, "relationship type must not be empty");
  if (text == "__RUSHDB__RELATION__VALUE__") {
    return InvalidArgument(path, "relationship type __RUSHDB__RELATION__VALUE__ is internal");
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool ok = c == '_' || std::isalpha(c) || (i > 0 && std::isdigit(c));
    if (!ok) {
      return InvalidArgument(path, "relationship type must look like an identifier ([A-Za-z_][A-Za-z0-9_]*)");
    }
  }
  return absl::OkStatus();
}

namespace {

bool IsReservedEdgeProperty(std::string_view name) {
  static constexpr std::string_view kReserved[] = {"sourceId", "targetId",  "sourceLabel",
                                                   "targetLabel", "type",    "direction",
                                                   "id",       "elementId", "projectId"};
  for (std::string_view r : kReserved) {
    if (name == r) return true;
  }
  return name.substr(0, 10) == "__RUSHDB__";
}

}  // namespace

absl::StatusOr<std::string> EdgePropertiesText(const Json* properties, std::string_view path) {
  if (properties == nullptr) return std::string();
  if (!properties->is_object()) return InvalidArgument(path, "relationship properties must be an object");
  Json out = Json::object();
  for (const auto& [key, value] : properties->items()) {
    const std::string at = JsonPointerChild(path, key);
    if (key.empty()) return InvalidArgument(at, "relationship property names must not be empty");
    if (IsReservedEdgeProperty(key)) {
      return InvalidArgument(at, "\"" + key + "\" is a reserved relationship property name");
    }
    if (value.is_null()) continue;  // null means unset
    if (value.is_primitive()) {
      out[key] = value;
      continue;
    }
    if (!value.is_array()) {
      return InvalidArgument(at, "relationship property values must be primitives or arrays of primitives");
    }
    Json cleaned = Json::array();
    std::optional<Json::value_t> kind;
    for (size_t i = 0; i < value.size(); ++i) {
      const Json& e = value[i];
      if (e.is_null()) continue;
      if (!e.is_primitive()) {
        return InvalidArgument(JsonPointerChild(at, i), "array elements must be primitives");
      }
      Json::value_t k = e.is_number() ? Json::value_t::number_float : e.type();
      if (kind && *kind != k) {
        return InvalidArgument(JsonPointerChild(at, i), "array elements must all have one type");
      }
      kind = k;
      cleaned.push_back(e);
    }
    out[key] = std::move(cleaned);
  }
  if (out.empty()) return std::string();
  return out.dump();
}

}  // namespace loom::engine
