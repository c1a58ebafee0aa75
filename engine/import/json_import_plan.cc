// records.importJson / createMany planning (spec/import-export.md §2.1-§2.3).
#include "engine/import/json_import_plan.h"

#include <deque>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/import/write_typing.h"
#include "loom/status.h"

namespace loom::engine {
namespace {

// Thrown by the parser callback to stop nlohmann before it nests any deeper;
// caught in ParseLimited, never escapes this file.
struct DepthExceeded {};

absl::StatusOr<Json> ParseLimited(std::string_view text, std::string_view path,
                                  std::string_view what) {
  auto callback = [](int depth, Json::parse_event_t event, Json&) -> bool {
    if ((event == Json::parse_event_t::object_start ||
         event == Json::parse_event_t::array_start) &&
        depth >= kMaxJsonTextDepth) {
      throw DepthExceeded{};
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), callback);
  } catch (const DepthExceeded&) {
    return InvalidArgument(path, absl::StrCat(std::string(what), "nesting deeper than ", kMaxJsonTextDepth,
                                              " levels"));
  } catch (const Json::exception& e) {
    return InvalidArgument(path, absl::StrCat(std::string(what), "invalid JSON: ", e.what()));
  }
}

absl::StatusOr<Json> ParseJsonLines(std::string_view text, std::string_view path) {
  Json out = Json::array();
  int64_t line_no = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    ++line_no;
    start = end + 1;
    line = TrimEcmaWhitespace(line);
    if (line.empty()) continue;
    LOOM_ASSIGN_OR_RETURN(Json value,
                          ParseLimited(line, path, absl::StrCat("JSON lines: line ", line_no, ": ")));
    if (!value.is_object()) {
      return InvalidArgument(path,
                             absl::StrCat("JSON lines: line ", line_no, ": not a JSON object"));
    }
    out.push_back(std::move(value));
  }
  return out;
}

bool IsPrimitive(const Json& v) {
  return v.is_null() || v.is_string() || v.is_number() || v.is_boolean();
}

// An array holding at least one non-primitive element becomes child records.
bool IsNestedArray(const Json& v) {
  if (!v.is_array()) return false;
  for (const Json& e : v) {
    if (!IsPrimitive(e)) return true;
  }
  return false;
}

bool IsNestedValue(const Json& v) { return v.is_object() || IsNestedArray(v); }

std::optional<std::string> K(const std::optional<std::string>& key, const ImportOptions& options) {
  if (!key || !options.capitalize_labels) return key;
  return UpperCaseLabel(*key);
}

struct Item {
  std::optional<std::string> label;  // already K()
  const Json* value;
  int64_t parent;
  bool skip;
  std::string path;
};

// §2.2 + §2.3 over an already validated argument set.
absl::StatusOr<ImportPlan> BuildPlan(const Json& data, const std::optional<std::string>& label,
                                     const ImportOptions& options, const std::string& data_path) {
  const bool has_label = label && !TrimEcmaWhitespace(*label).empty();
  if (!data.is_object() && !data.is_array()) {
    return InvalidArgument(data_path, "data must be an object, an array of objects or JSON text");
  }
  if (!has_label) {
    bool container = data.is_object() && !data.empty();
    if (container) {
      for (const auto& [k, v] : data.items()) {
        if (!IsNestedValue(v)) container = false;
      }
    }
    if (!container) {
      return InvalidArgument("/label",
                             "label is required unless data is an object whose every value is "
                             "an object or an array of objects");
    }
  }
  ImportPlan plan;
  plan.options = options;
  plan.relationship_type = options.relationship_type;
  const std::optional<std::string> root_label = has_label ? K(label, options) : std::nullopt;

  std::deque<Item> queue;
  if (data.is_array() && !data.empty()) {
    for (size_t i = 0; i < data.size(); ++i) {
      if (!data[i].is_object()) {
        return InvalidArgument(JsonPointerChild(data_path, i), "array elements must be objects");
      }
      queue.push_back(Item{root_label, &data[i], -1, false, JsonPointerChild(data_path, i)});
    }
  } else {
    bool skip = !has_label;
    if (!skip) {
      bool has_primitive = false;
      int nested = 0;
      if (data.is_object()) {
        for (const auto& [k, v] : data.items()) {
          if (IsNestedValue(v)) {
            ++nested;
          } else {
            has_primitive = true;
          }
        }
      }
      skip = !has_primitive && nested <= 1;
    }
    queue.push_back(Item{root_label, &data, -1, skip, data_path});
  }

  while (!queue.empty()) {
    Item item = std::move(queue.front());
    queue.pop_front();
    int64_t self = -1;
    if (!item.skip) {
      self = static_cast<int64_t>(plan.records.size());
      plan.records.push_back(DraftRecord{item.label, {}, item.parent});
    }
    const int64_t child_parent = item.skip ? item.parent : self;
    if (!item.value->is_object()) continue;  // an empty top-level array
    for (auto it = item.value->begin(); it != item.value->end(); ++it) {
      const std::string& k = it.key();
      if (k == "$vectors") continue;  // inline embeddings are out of scope
      const Json& v = *it;
      std::string path = JsonPointerChild(item.path, k);
      if (v.is_object()) {
        queue.push_back(Item{K(k, options), &v, child_parent, false, std::move(path)});
      } else if (IsNestedArray(v)) {
        for (size_t i = 0; i < v.size(); ++i) {
          std::string epath = JsonPointerChild(path, i);
          if (!v[i].is_object()) {
            // Loom decision D16: no records made of primitives or arrays.
            return InvalidArgument(epath, "an array of nested records must contain only objects");
          }
          queue.push_back(Item{K(k, options), &v[i], child_parent, false, std::move(epath)});
        }
      } else {
        LOOM_ASSIGN_OR_RETURN(std::optional<Value> value, TypeImportValue(v, options, path));
        if (value && self >= 0) {
          plan.records[self].properties.push_back(Property{k, std::move(*value)});
        }
      }
    }
  }
  return plan;
}

struct CommonArgs {
  std::optional<std::string> label;
  ImportOptions options;
};

absl::StatusOr<CommonArgs> ParseCommonArgs(const Json& args) {
  if (!args.is_object()) return InvalidArgument("", "arguments must be an object");
  LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(args, ""));
  CommonArgs out;
  if (auto it = args.find("label"); it != args.end() && !it->is_null()) {
    if (!it->is_string()) return InvalidArgument("/label", "label must be a string");
    out.label = it->get<std::string>();
  }
  auto opt = args.find("options");
  LOOM_ASSIGN_OR_RETURN(out.options,
                        ParseImportOptions(opt == args.end() ? nullptr : &*opt, "/options"));
  return out;
}

}  // namespace

std::string UpperCaseLabel(std::string_view label) {
  std::string out;
  out.reserve(label.size());
  for (size_t i = 0; i < label.size(); ++i) {
    unsigned char c = label[i];
    if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');
    } else if (c == 0xC3 && i + 1 < label.size()) {
      unsigned char d = label[i + 1];
      ++i;
      if (d == 0x9F) {
        out += "SS";  // ß
      } else if (d >= 0xA0 && d <= 0xBE && d != 0xB7) {
        out += static_cast<char>(0xC3);
        out += static_cast<char>(d - 0x20);
      } else if (d == 0xBF) {
        out += "\xC5\xB8";  // ÿ → Ÿ
      } else {
        out += static_cast<char>(c);
        out += static_cast<char>(d);
      }
    } else if (c == 0xC2 && i + 1 < label.size() && static_cast<unsigned char>(label[i + 1]) == 0xB5) {
      out += "\xCE\x9C";  // µ → Μ
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

absl::StatusOr<Json> ParseImportText(std::string_view text, std::string_view format,
                                     std::string_view path) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  text = TrimEcmaWhitespace(text);
  if (text.empty()) return InvalidArgument(path, "data is empty");
  if (format == "jsonl" || format == "ndjson") return ParseJsonLines(text, path);
  absl::StatusOr<Json> whole = ParseLimited(text, path, "");
  if (whole.ok()) return whole;
  absl::StatusOr<Json> lines = ParseJsonLines(text, path);
  if (lines.ok()) return lines;
  return InvalidArgument(path, absl::StrCat("data is neither JSON nor JSON lines: ",
                                            whole.status().message(), "; ",
                                            lines.status().message()));
}

absl::StatusOr<ImportPlan> PlanJsonImport(const Json& args) {
  LOOM_ASSIGN_OR_RETURN(CommonArgs common, ParseCommonArgs(args));
  std::string format = "json";
  if (auto it = args.find("format"); it != args.end() && !it->is_null()) {
    if (!it->is_string() || (*it != "json" && *it != "jsonl" && *it != "ndjson")) {
      return InvalidArgument("/format", "format must be \"json\", \"jsonl\" or \"ndjson\"");
    }
    format = it->get<std::string>();
  }
  auto data = args.find("data");
  if (data == args.end()) return InvalidArgument("/data", "data is required");
  if (data->is_string()) {
    LOOM_ASSIGN_OR_RETURN(Json parsed,
                          ParseImportText(data->get_ref<const std::string&>(), format, "/data"));
    // The text's keys are request keys too.
    LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(parsed, "/data"));
    return BuildPlan(parsed, common.label, common.options, "/data");
  }
  return BuildPlan(*data, common.label, common.options, "/data");
}

absl::StatusOr<ImportPlan> PlanCreateMany(const Json& args) {
  LOOM_ASSIGN_OR_RETURN(CommonArgs common, ParseCommonArgs(args));
  if (!common.label || TrimEcmaWhitespace(*common.label).empty()) {
    return InvalidArgument("/label", "label is required");
  }
  auto data = args.find("data");
  if (data == args.end() || !data->is_array()) {
    return InvalidArgument("/data", "data must be an array of flat objects");
  }
  for (size_t i = 0; i < data->size(); ++i) {
    const Json& row = (*data)[i];
    std::string rpath = JsonPointerChild("/data", i);
    if (!row.is_object()) return InvalidArgument(rpath, "data elements must be flat objects");
    for (auto it = row.begin(); it != row.end(); ++it) {
      const Json& v = *it;
      bool flat = IsPrimitive(v);
      if (v.is_array()) {
        flat = true;
        for (const Json& e : v) flat = flat && IsPrimitive(e);
      }
      if (!flat) {
        return InvalidArgument(JsonPointerChild(rpath, it.key()),
                               "createMany takes flat objects only; use importJson for nested JSON");
      }
    }
  }
  return BuildPlan(*data, common.label, common.options, "/data");
}

}  // namespace loom::engine
