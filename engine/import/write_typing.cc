// Typing of create/set/update/upsert payloads (spec/api.md §1.1) and the
// forbidden-key guard (data-model.md §2.4).
#include "engine/import/write_typing.h"

#include <cmath>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/import/import_typing.h"
#include "loom/datetime.h"
#include "loom/status.h"

namespace loom::engine {
namespace {

constexpr std::string_view kForbiddenKeys[] = {
    "$and", "$or", "$xor", "$nor", "$not",
    "$eq", "$in", "$ne", "$nin", "$gte", "$gt", "$lte", "$lt", "$contains", "$startsWith",
    "$endsWith", "$exists",
    "$day", "$hour", "$microsecond", "$millisecond", "$minute", "$month", "$nanosecond",
    "$second", "$year",
    "$type", "$relation", "$id", "$alias",
    "__score", "__id", "__projectId", "__proptypes", "__label",
    "__RUSHDB__KEY__ID__", "__RUSHDB__KEY__PROJECT__ID__", "__RUSHDB__KEY__PROPERTIES__META__",
    "__RUSHDB__KEY__LABEL__",
};

constexpr size_t kMaxNameUnits = 100;

// Length in UTF-16 code units (JavaScript's String#length) of UTF-8 text.
size_t Utf16Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) n += (c >= 0xF0) ? 2 : 1;
  }
  return n;
}

bool IsScalarJson(const Json& v) { return v.is_string() || v.is_number() || v.is_boolean(); }

Scalar JsonToScalar(const Json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>();
  return v.get<std::string>();
}

// 0 null, 1 string, 2 number, 3 boolean, 4 other.
int JsonKind(const Json& v) {
  if (v.is_null()) return 0;
  if (v.is_string()) return 1;
  if (v.is_number()) return 2;
  if (v.is_boolean()) return 3;
  return 4;
}

Value TypedScalar(const Scalar& s, bool suggest) {
  if (!suggest) return Value::Of(PropType::kString, ScalarToString(s));
  return Value::Of(InferScalarType(s), s);
}

Value TypedArray(std::vector<Scalar> items, bool suggest) {
  if (!suggest) {
    std::vector<Scalar> strings;
    strings.reserve(items.size());
    for (const Scalar& s : items) strings.emplace_back(ScalarToString(s));
    return Value::Array(PropType::kString, std::move(strings));
  }
  PropType type = items.empty() ? PropType::kString : InferScalarType(items.front());
  return Value::Array(type, std::move(items));
}

// One `data` entry (api.md §1.1). nullopt = dropped.
absl::StatusOr<std::optional<Value>> TypeDataValue(const Json& v, const WriteOptions& options,
                                                   const std::string& path) {
  if (v.is_null()) return std::nullopt;
  if (IsScalarJson(v)) {
    if (options.skip_empty_values && v.is_string() && v.get_ref<const std::string&>().empty()) {
      return std::nullopt;
    }
    return TypedScalar(JsonToScalar(v), options.suggest_types);
  }
  if (!v.is_array()) {
    return InvalidArgument(path, "value must be a string, number, boolean, null or array "
                                 "(use importJson for nested JSON)");
  }
  // Homogeneous arrays only: all strings, all numbers, all booleans or all nulls.
  int kind = -1;
  std::vector<Scalar> items;
  bool had_elements = !v.empty();
  for (size_t i = 0; i < v.size(); ++i) {
    const Json& e = v[i];
    int k = JsonKind(e);
    std::string epath = JsonPointerChild(path, i);
    if (k == 4) return InvalidArgument(epath, "array elements must be primitives");
    if (k == 1 && e.get_ref<const std::string&>().empty()) {
      if (options.skip_empty_values) continue;
      return InvalidArgument(epath, "array elements must be non-empty strings");
    }
    if (kind == -1) {
      kind = k;
    } else if (k != kind) {
      return InvalidArgument(epath, "array elements must all have the same type");
    }
    if (k != 0) items.push_back(JsonToScalar(e));
  }
  if (had_elements && items.empty()) {
    // Only nulls (or only "" removed by skipEmptyValues): nothing to store.
    return std::nullopt;
  }
  if (items.empty() && options.skip_empty_values) return std::nullopt;
  return TypedArray(std::move(items), options.suggest_types);
}

// ECMAScript truthiness of a draft element.
bool Truthy(const Json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) {
    double d = v.get<double>();
    return d != 0 && !std::isnan(d);
  }
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  return !v.is_null();
}

struct DraftOut {
  std::string name;
  PropType type;
  bool is_array = false;
  std::vector<Scalar> items;
};

// Converts one PropertyDraft element per its declared type.
absl::StatusOr<Scalar> ConvertDraftElement(const Json& e, PropType type, bool in_array,
                                           const std::string& path) {
  if (!IsScalarJson(e)) return InvalidArgument(path, "draft values must be primitives");
  switch (type) {
    case PropType::kNumber: {
      if (e.is_number()) return Scalar(e.get<double>());
      if (e.is_string() && IsEcmaNumeric(e.get_ref<const std::string&>())) {
        return Scalar(EcmaToNumber(e.get_ref<const std::string&>()));
      }
      return InvalidArgument(path, "value of a number property must be numeric");
    }
    case PropType::kBoolean:
      return Scalar(Truthy(e));
    case PropType::kDatetime: {
      std::string s = JsonPrimitiveToString(e);
      if (!IsDatetimeText(s)) return InvalidArgument(path, "value is not a datetime string");
      return Scalar(std::move(s));
    }
    default: {
      std::string s = JsonPrimitiveToString(e);
      if (in_array && s.empty()) {
        return InvalidArgument(path, "array elements must be non-empty strings");
      }
      return Scalar(std::move(s));
    }
  }
}

absl::StatusOr<std::vector<Property>> TypeDrafts(const Json& drafts, const WriteOptions& options,
                                                 const std::string& path) {
  if (!drafts.is_array()) return InvalidArgument(path, "properties must be an array");
  std::vector<DraftOut> out;
  for (size_t i = 0; i < drafts.size(); ++i) {
    const Json& d = drafts[i];
    std::string dpath = JsonPointerChild(path, i);
    if (!d.is_object()) return InvalidArgument(dpath, "a property draft must be an object");
    auto name_it = d.find("name");
    if (name_it == d.end() || !name_it->is_string() ||
        name_it->get_ref<const std::string&>().empty()) {
      return InvalidArgument(JsonPointerChild(dpath, "name"), "name must be a non-empty string");
    }
    const std::string& name = name_it->get_ref<const std::string&>();
    if (IsForbiddenKey(name)) {
      return InvalidArgument(JsonPointerChild(dpath, "name"), absl::StrCat("forbidden key: ", name));
    }
    auto type_it = d.find("type");
    std::optional<PropType> type;
    if (type_it != d.end() && type_it->is_string()) {
      type = ParsePropType(type_it->get_ref<const std::string&>());
    }
    if (!type || *type == PropType::kVector) {
      return InvalidArgument(JsonPointerChild(dpath, "type"),
                             "type must be string, number, boolean or datetime");
    }
    auto value_it = d.find("value");
    std::string vpath = JsonPointerChild(dpath, "value");
    if (value_it == d.end() || value_it->is_null()) continue;  // null drafts are dropped
    const Json& value = *value_it;

    std::vector<Json> elements;
    bool is_array = false;
    auto sep_it = d.find("valueSeparator");
    if (sep_it != d.end() && !sep_it->is_null()) {
      if (!sep_it->is_string()) {
        return InvalidArgument(JsonPointerChild(dpath, "valueSeparator"),
                               "valueSeparator must be a string");
      }
      const std::string& sep = sep_it->get_ref<const std::string&>();
      std::string text;
      if (value.is_array()) {
        // ECMAScript String(array): elements joined with "," (null → "").
        for (size_t j = 0; j < value.size(); ++j) {
          if (j) text += ',';
          if (!value[j].is_null()) {
            if (!IsScalarJson(value[j])) {
              return InvalidArgument(JsonPointerChild(vpath, j), "draft values must be primitives");
            }
            text += JsonPrimitiveToString(value[j]);
          }
        }
      } else if (IsScalarJson(value)) {
        text = JsonPrimitiveToString(value);
      } else {
        return InvalidArgument(vpath, "draft values must be primitives");
      }
      std::string_view rest = TrimEcmaWhitespace(text);
      is_array = true;
      if (sep.empty()) {
        // "abc".split("") splits into characters; keep it simple: bytes of ASCII,
        // whole code points otherwise.
        size_t k = 0;
        while (k < rest.size()) {
          size_t len = 1;
          unsigned char c = rest[k];
          if (c >= 0xF0) len = 4; else if (c >= 0xE0) len = 3; else if (c >= 0xC0) len = 2;
          std::string_view piece = TrimEcmaWhitespace(rest.substr(k, len));
          if (!piece.empty()) elements.emplace_back(std::string(piece));
          k += len;
        }
      } else {
        size_t start = 0;
        while (true) {
          size_t at = rest.find(sep, start);
          std::string_view piece =
              TrimEcmaWhitespace(rest.substr(start, at == std::string_view::npos ? rest.size() - start : at - start));
          if (!piece.empty()) elements.emplace_back(std::string(piece));
          if (at == std::string_view::npos) break;
          start = at + sep.size();
        }
      }
    } else if (value.is_array()) {
      is_array = true;
      for (size_t j = 0; j < value.size(); ++j) {
        if (value[j].is_null()) continue;
        if (!IsScalarJson(value[j])) {
          return InvalidArgument(JsonPointerChild(vpath, j), "draft values must be primitives");
        }
        elements.push_back(value[j]);
      }
      if (!value.empty() && elements.empty()) continue;  // all-null array: dropped
    } else if (IsScalarJson(value)) {
      elements.push_back(value);
    } else {
      return InvalidArgument(vpath, "draft values must be primitives");
    }

    std::vector<Scalar> items;
    for (size_t j = 0; j < elements.size(); ++j) {
      const Json& e = elements[j];
      if (options.skip_empty_values && e.is_string() && e.get_ref<const std::string&>().empty()) {
        continue;
      }
      std::string epath = is_array && sep_it == d.end() ? JsonPointerChild(vpath, j) : vpath;
      LOOM_ASSIGN_OR_RETURN(Scalar s, ConvertDraftElement(e, *type, is_array, epath));
      items.push_back(std::move(s));
    }
    if (options.skip_empty_values && items.empty()) continue;

    DraftOut* same = nullptr;
    for (DraftOut& o : out) {
      if (o.name == name) same = &o;
    }
    if (same != nullptr) {
      if (same->type != *type) {
        return InvalidArgument(JsonPointerChild(dpath, "type"),
                               absl::StrCat("property \"", name, "\" given with two types"));
      }
      same->is_array = true;
      for (Scalar& s : items) same->items.push_back(std::move(s));
      continue;
    }
    out.push_back(DraftOut{name, *type, is_array, std::move(items)});
  }
  std::vector<Property> props;
  props.reserve(out.size());
  for (DraftOut& o : out) {
    Value v;
    v.type = o.type;
    v.is_array = o.is_array;
    v.items = std::move(o.items);
    // Drafts carry their type explicitly; suggestTypes does not apply.
    props.push_back(Property{std::move(o.name), std::move(v)});
  }
  return props;
}

}  // namespace

bool IsForbiddenKey(std::string_view key) {
  static const auto* const kSet =
      new absl::flat_hash_set<std::string_view>(std::begin(kForbiddenKeys), std::end(kForbiddenKeys));
  return kSet->contains(key);
}

absl::Status CheckForbiddenKeys(const Json& body, std::string_view base_path) {
  struct Item {
    const Json* node;
    std::string path;
    bool drafts;  // node is the value of a "properties" key
  };
  std::vector<Item> stack;
  stack.push_back(Item{&body, std::string(base_path), false});
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    const Json& node = *item.node;
    if (node.is_object()) {
      // Push in reverse so the first offending key in document order is reported.
      std::vector<Item> children;
      for (auto it = node.begin(); it != node.end(); ++it) {
        std::string path = JsonPointerChild(item.path, it.key());
        if (IsForbiddenKey(it.key())) {
          return InvalidArgument(path, absl::StrCat("forbidden key: ", it.key()));
        }
        if (it->is_structured()) children.push_back(Item{&*it, std::move(path), it.key() == "properties"});
      }
      for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(std::move(*it));
    } else if (node.is_array()) {
      std::vector<Item> children;
      for (size_t i = 0; i < node.size(); ++i) {
        const Json& e = node[i];
        std::string path = JsonPointerChild(item.path, i);
        if (item.drafts && e.is_object()) {
          auto name = e.find("name");
          if (name != e.end() && name->is_string() &&
              IsForbiddenKey(name->get_ref<const std::string&>())) {
            return InvalidArgument(JsonPointerChild(path, "name"),
                                   absl::StrCat("forbidden key: ", name->get_ref<const std::string&>()));
          }
        }
        if (e.is_structured()) children.push_back(Item{&e, std::move(path), false});
      }
      for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(std::move(*it));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadOptionalBool(const Json& options, const char* key, std::string_view path, bool* dst) {
  auto it = options.find(key);
  if (it == options.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_boolean()) return InvalidArgument(JsonPointerChild(path, key), "must be a boolean");
  *dst = it->get<bool>();
  return absl::OkStatus();
}

absl::StatusOr<MergeOptions> ParseMergeOptions(const Json& options, std::string_view path) {
  MergeOptions out;
  if (auto it = options.find("mergeBy"); it != options.end() && !it->is_null()) {
    std::string mpath = JsonPointerChild(path, "mergeBy");
    if (!it->is_array()) return InvalidArgument(mpath, "mergeBy must be an array of strings");
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        return InvalidArgument(JsonPointerChild(mpath, i), "mergeBy must be an array of strings");
      }
      out.merge_by.push_back((*it)[i].get<std::string>());
    }
    out.upsert = true;
  }
  if (auto it = options.find("mergeStrategy"); it != options.end() && !it->is_null()) {
    if (!it->is_string() || (*it != "append" && *it != "rewrite")) {
      return InvalidArgument(JsonPointerChild(path, "mergeStrategy"),
                             "mergeStrategy must be \"append\" or \"rewrite\"");
    }
    out.merge_rewrite = *it == "rewrite";
    out.upsert = true;
  }
  return out;
}

absl::StatusOr<WriteOptions> ParseWriteOptions(const Json* options, std::string_view path) {
  WriteOptions out;
  if (options == nullptr || options->is_null()) return out;
  if (!options->is_object()) return InvalidArgument(path, "options must be an object");
  auto get_bool = [&](const char* key, bool* dst) { return ReadOptionalBool(*options, key, path, dst); };
  LOOM_RETURN_IF_ERROR(get_bool("suggestTypes", &out.suggest_types));
  LOOM_RETURN_IF_ERROR(get_bool("skipEmptyValues", &out.skip_empty_values));
  LOOM_ASSIGN_OR_RETURN(MergeOptions merge, ParseMergeOptions(*options, path));
  out.upsert = merge.upsert;
  out.merge_by = std::move(merge.merge_by);
  out.merge_rewrite = merge.merge_rewrite;
  return out;
}

absl::StatusOr<std::vector<Property>> TypeWritePayload(const Json* data, const Json* properties,
                                                      const WriteOptions& options,
                                                      std::string_view base_path) {
  if (data != nullptr && data->is_null()) data = nullptr;
  if (properties != nullptr && properties->is_null()) properties = nullptr;
  if ((data == nullptr) == (properties == nullptr)) {
    return InvalidArgument(base_path, "exactly one of data and properties must be given");
  }
  if (properties != nullptr) {
    return TypeDrafts(*properties, options, JsonPointerChild(base_path, "properties"));
  }
  std::string data_path = JsonPointerChild(base_path, "data");
  if (!data->is_object()) return InvalidArgument(data_path, "data must be an object");
  std::vector<Property> out;
  for (auto it = data->begin(); it != data->end(); ++it) {
    std::string path = JsonPointerChild(data_path, it.key());
    size_t units = Utf16Length(it.key());
    if (units == 0 || units > kMaxNameUnits) {
      return InvalidArgument(path, "property names must be 1-100 characters");
    }
    if (IsForbiddenKey(it.key())) {
      return InvalidArgument(path, absl::StrCat("forbidden key: ", it.key()));
    }
    LOOM_ASSIGN_OR_RETURN(std::optional<Value> value, TypeDataValue(*it, options, path));
    if (value) out.push_back(Property{it.key(), std::move(*value)});
  }
  return out;
}

PropType InferScalarType(const Scalar& scalar) {
  if (std::holds_alternative<bool>(scalar)) return PropType::kBoolean;
  if (std::holds_alternative<double>(scalar)) return PropType::kNumber;
  return IsDatetimeText(std::get<std::string>(scalar)) ? PropType::kDatetime : PropType::kString;
}

std::vector<Property> RetypeForUpdate(const std::vector<Property>& current) {
  std::vector<Property> out = current;
  for (Property& p : out) {
    p.value.type =
        p.value.items.empty() ? PropType::kString : InferScalarType(p.value.items.front());
  }
  return out;
}

}  // namespace loom::engine
