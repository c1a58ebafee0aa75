#include "engine/record_mapper.h"

#include <algorithm>
#include <cctype>

#include "engine/bulk/bulk_records.h"
#include "engine/import/write_typing.h"
#include "loom/status.h"

namespace loom::engine {

bool RecordVisitor::Visit(storage::Rid rid) {
  storage::StoredRecord record;
  absl::StatusOr<bool> found = view_.GetRecord(rid, &record);
  if (!found.ok()) {
    status_ = found.status();
    return false;
  }
  return !*found || fn_(record);
}

const Json* Member(const Json& args, std::string_view key) {
  if (!args.is_object()) return nullptr;
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) return nullptr;
  return &*it;
}

Record ToRecord(const storage::Dictionaries& dicts, const storage::StoredRecord& stored) {
  return bulk::ToApiRecord(dicts, stored);
}

absl::StatusOr<storage::StoredRecord> ToStored(storage::Dictionaries& dicts,
                                               const storage::StoredRecord& base,
                                               const std::optional<std::string>& label,
                                               const std::vector<Property>& properties) {
  storage::StoredRecord out;
  out.rid = base.rid;
  out.id = base.id;
  out.label = storage::kNoName;
  if (label.has_value() && !label->empty()) {
    LOOM_ASSIGN_OR_RETURN(out.label, dicts.labels.Intern(*label));
  }
  out.properties.reserve(properties.size());
  for (const Property& p : properties) {
    LOOM_ASSIGN_OR_RETURN(storage::NameId name, dicts.properties.Intern(p.name));
    out.properties.push_back({name, p.value});
  }
  return out;
}

std::vector<Property> Overlay(std::vector<Property> current, const std::vector<Property>& incoming) {
  for (const Property& p : incoming) {
    auto it = std::find_if(current.begin(), current.end(),
                           [&](const Property& c) { return c.name == p.name; });
    if (it != current.end()) {
      it->value = p.value;
    } else {
      current.push_back(p);
    }
  }
  return current;
}

namespace {

absl::Status AppendTarget(const Json& t, const std::string& path, std::vector<std::string>* out) {
  if (t.is_string()) {
    out->push_back(t.get<std::string>());
    return absl::OkStatus();
  }
  if (t.is_object()) {
    auto it = t.find("__id");
    if (it != t.end() && it->is_string()) {
      out->push_back(it->get<std::string>());
      return absl::OkStatus();
    }
    return InvalidArgument(path, "a record target object must hold a string \"__id\"");
  }
  return InvalidArgument(path, "expected a record id or a record with \"__id\"");
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseTargets(const Json& targets, std::string_view path) {
  std::vector<std::string> out;
  const Json* list = &targets;
  std::string base(path);
  if (targets.is_object() && !targets.contains("__id") && targets.contains("data")) {
    list = &targets["data"];
    base = JsonPointerChild(path, "data");
    if (!list->is_array()) return InvalidArgument(base, "expected an array of records");
  }
  if (list->is_array()) {
    for (size_t i = 0; i < list->size(); ++i) {
      LOOM_RETURN_IF_ERROR(AppendTarget((*list)[i], JsonPointerChild(base, i), &out));
    }
    return out;
  }
  LOOM_RETURN_IF_ERROR(AppendTarget(targets, std::string(path), &out));
  return out;
}

absl::StatusOr<std::string> ParseTarget(const Json& target, std::string_view path) {
  std::vector<std::string> out;
  LOOM_RETURN_IF_ERROR(AppendTarget(target, std::string(path), &out));
  return out.front();
}

absl::StatusOr<std::optional<std::string>> ParseLabel(const Json& args, std::string_view key) {
  const Json* label = Member(args, key);
  if (label == nullptr) return std::optional<std::string>();
  if (!label->is_string()) return InvalidArgument(JsonPointerChild("", key), "label must be a string");
  std::string text = label->get<std::string>();
  if (text.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(text));
}

absl::StatusOr<bool> ParseDirectionIsIn(const Json* direction, std::string_view path) {
  if (direction == nullptr) return false;
  if (direction->is_string()) {
    std::string text = direction->get<std::string>();
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (text == "in") return true;
    if (text == "out") return false;
  }
  return InvalidArgument(path, "direction must be \"in\" or \"out\"");
}


}  // namespace loom::engine
