#include "engine/bulk/bulk_records.h"

#include <string>
#include <utility>

#include "engine/bulk/json_element.h"
#include "loom/status.h"

namespace loom::engine::bulk {

absl::StatusOr<storage::StoredRecord> MakeStoredRecord(storage::Dictionaries& dicts,
                                                       storage::Rid rid, std::string id,
                                                       const std::optional<std::string>& label,
                                                       const std::vector<Property>& properties) {
  storage::StoredRecord out;
  out.rid = rid;
  out.id = std::move(id);
  if (label && !label->empty()) {
    LOOM_ASSIGN_OR_RETURN(out.label, dicts.labels.Intern(*label));
  }
  out.properties.reserve(properties.size());
  for (const Property& p : properties) {
    LOOM_ASSIGN_OR_RETURN(storage::NameId name, dicts.properties.Intern(p.name));
    out.properties.push_back(storage::StoredProperty{name, p.value});
  }
  return out;
}

Record ToApiRecord(const storage::Dictionaries& dicts, const storage::StoredRecord& stored) {
  Record out;
  out.id = stored.id;
  if (stored.label != storage::kNoName) out.label = dicts.labels.NameRef(stored.label);
  out.properties.reserve(stored.properties.size());
  for (const storage::StoredProperty& p : stored.properties) {
    out.properties.push_back(Property{dicts.properties.NameRef(p.name), p.value});
  }
  return out;
}

// --- json_element.h ---


Json ElementToJson(simdjson::dom::element element) {
  switch (element.type()) {
    case simdjson::dom::element_type::ARRAY: {
      Json out = Json::array();
      for (simdjson::dom::element child : simdjson::dom::array(element)) {
        out.push_back(ElementToJson(child));
      }
      return out;
    }
    case simdjson::dom::element_type::OBJECT: {
      Json out = Json::object();
      for (simdjson::dom::key_value_pair field : simdjson::dom::object(element)) {
        out[std::string(field.key)] = ElementToJson(field.value);
      }
      return out;
    }
    case simdjson::dom::element_type::INT64:
      return Json(int64_t(element));
    case simdjson::dom::element_type::UINT64:
      return Json(uint64_t(element));
    case simdjson::dom::element_type::DOUBLE:
      return Json(double(element));
    case simdjson::dom::element_type::STRING:
      return Json(std::string(std::string_view(element)));
    case simdjson::dom::element_type::BOOL:
      return Json(bool(element));
    case simdjson::dom::element_type::NULL_VALUE:
      return Json(nullptr);
  }
  return Json(nullptr);
}

std::string SimdjsonErrorText(simdjson::error_code code) { return simdjson::error_message(code); }

}  // namespace loom::engine::bulk
