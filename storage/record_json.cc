#include "storage/record_json.h"

namespace loom::storage {

Json StoredRecordToJson(const Dictionaries& dicts, const StoredRecord& stored) {
  Json types = Json::object();
  auto& type_map = types.get_ref<Json::object_t&>();
  type_map.reserve(stored.properties.size());
  for (const StoredProperty& p : stored.properties) {
    type_map.emplace_back(dicts.properties.NameRef(p.name), PropTypeName(p.value.type));
  }
  Json out = Json::object();
  auto& map = out.get_ref<Json::object_t&>();
  map.reserve(3 + stored.properties.size());
  map.emplace_back("__id", stored.id);
  if (stored.label != kNoName) map.emplace_back("__label", dicts.labels.NameRef(stored.label));
  map.emplace_back("__proptypes", std::move(types));
  for (const StoredProperty& p : stored.properties) {
    map.emplace_back(dicts.properties.NameRef(p.name), ValueToJson(p.value));
  }
  return out;
}

}  // namespace loom::storage
