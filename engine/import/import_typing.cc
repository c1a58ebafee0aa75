// Import options and per-value typing (spec/import-export.md §2.4, §2.5).
#include "engine/import/import_typing.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/import/write_typing.h"
#include "loom/status.h"

namespace loom::engine {
namespace {

// Decodes the code point at the start of `s` (assumes valid UTF-8; returns
// the byte itself for stray bytes).
char32_t DecodeFirst(std::string_view s, size_t* len) {
  unsigned char c = s[0];
  if (c < 0x80 || s.size() < 2) {
    *len = 1;
    return c;
  }
  if (c >= 0xE0 && c < 0xF0 && s.size() >= 3) {
    *len = 3;
    return ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  }
  if (c >= 0xC0 && c < 0xE0) {
    *len = 2;
    return ((c & 0x1F) << 6) | (s[1] & 0x3F);
  }
  *len = 1;
  return c;
}

bool IsEcmaSpace(char32_t c) {
  switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool IsDigitIn(char c, int base) {
  if (base == 2) return c == '0' || c == '1';
  if (base == 8) return c >= '0' && c <= '7';
  if (base == 10) return c >= '0' && c <= '9';
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool IsPrimitiveJson(const Json& v) {
  return v.is_null() || v.is_string() || v.is_number() || v.is_boolean();
}

Scalar ToScalar(const Json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>();
  return v.get<std::string>();
}

PropType Infer(const Json& v) {
  if (v.is_boolean()) return PropType::kBoolean;
  if (v.is_number()) return PropType::kNumber;
  return InferScalarType(Scalar(v.get<std::string>()));
}

// numeric(x) of §2.5.
bool IsNumericJson(const Json& v) {
  if (v.is_number()) return std::isfinite(v.get<double>());
  if (v.is_string()) return IsEcmaNumeric(v.get_ref<const std::string&>());
  return false;
}

double ToNumber(const Json& v) {
  if (v.is_number()) return v.get<double>();
  return EcmaToNumber(v.get_ref<const std::string&>());
}

}  // namespace

bool StartsWithEcmaWhitespace(std::string_view text, size_t* len) {
  if (text.empty()) return false;
  return IsEcmaSpace(DecodeFirst(text, len));
}

std::string_view TrimEcmaWhitespace(std::string_view text) {
  size_t len = 0;
  while (StartsWithEcmaWhitespace(text, &len)) text.remove_prefix(len);
  while (!text.empty()) {
    bool trimmed = false;
    for (size_t n = 1; n <= 3 && n <= text.size(); ++n) {
      std::string_view tail = text.substr(text.size() - n);
      unsigned char lead = tail[0];
      if ((lead & 0xC0) == 0x80) continue;  // inside a multi-byte character
      size_t got = 0;
      if (StartsWithEcmaWhitespace(tail, &got) && got == n) {
        text.remove_suffix(n);
        trimmed = true;
      }
      break;
    }
    if (!trimmed) break;
  }
  return text;
}

double EcmaToNumber(std::string_view text) {
  const double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::string_view t = TrimEcmaWhitespace(text);
  if (t.empty()) return 0;
  if (t.size() > 2 && t[0] == '0') {
    int base = 0;
    char p = t[1];
    if (p == 'x' || p == 'X') base = 16;
    if (p == 'o' || p == 'O') base = 8;
    if (p == 'b' || p == 'B') base = 2;
    if (base != 0) {
      double v = 0;
      for (char c : t.substr(2)) {
        if (!IsDigitIn(c, base)) return kNaN;
        v = v * base + DigitValue(c);
      }
      return v;
    }
  }
  size_t i = 0;
  bool negative = false;
  if (t[i] == '+' || t[i] == '-') {
    negative = t[i] == '-';
    ++i;
  }
  if (t.substr(i) == "Infinity") {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  size_t digits = 0;
  while (i < t.size() && IsDigitIn(t[i], 10)) ++i, ++digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && IsDigitIn(t[i], 10)) ++i, ++digits;
  }
  if (digits == 0) return kNaN;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < t.size() && IsDigitIn(t[i], 10)) ++i, ++exp_digits;
    if (exp_digits == 0) return kNaN;
  }
  if (i != t.size()) return kNaN;
  std::string copy(t);  // strtod needs a terminated string; grammar checked above
  return std::strtod(copy.c_str(), nullptr);
}

bool IsEcmaNumeric(std::string_view text) {
  if (TrimEcmaWhitespace(text).empty()) return false;
  return std::isfinite(EcmaToNumber(text));
}

std::string JsonPrimitiveToString(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return FormatNumber(v.get<double>());
  if (v.is_null()) return "null";
  return v.dump();
}

absl::StatusOr<ImportOptions> ParseImportOptions(const Json* options, std::string_view path) {
  ImportOptions out;
  if (options == nullptr || options->is_null()) return out;
  if (!options->is_object()) return InvalidArgument(path, "options must be an object");
  // The defaults object applies only when options are absent (RushDB importRecords).
  out.options_present = true;
  out.suggest_types = false;
  auto get_bool = [&](const char* key, bool* dst) { return ReadOptionalBool(*options, key, path, dst); };
  LOOM_RETURN_IF_ERROR(get_bool("suggestTypes", &out.suggest_types));
  LOOM_RETURN_IF_ERROR(get_bool("convertNumericValuesToNumbers", &out.convert_numeric));
  LOOM_RETURN_IF_ERROR(get_bool("capitalizeLabels", &out.capitalize_labels));
  LOOM_RETURN_IF_ERROR(get_bool("skipEmptyValues", &out.skip_empty_values));
  LOOM_RETURN_IF_ERROR(get_bool("returnResult", &out.return_result));
  LOOM_RETURN_IF_ERROR(get_bool("castNumberArraysToVectors", &out.cast_vectors));
  if (auto it = options->find("relationshipType"); it != options->end() && !it->is_null()) {
    if (!it->is_string()) {
      return InvalidArgument(JsonPointerChild(path, "relationshipType"), "must be a string");
    }
    std::string_view t = TrimEcmaWhitespace(it->get_ref<const std::string&>());
    if (!t.empty()) out.relationship_type = std::string(t);
  }
  LOOM_ASSIGN_OR_RETURN(MergeOptions merge, ParseMergeOptions(*options, path));
  out.upsert = merge.upsert;
  out.merge_by = std::move(merge.merge_by);
  out.merge_rewrite = merge.merge_rewrite;
  return out;
}

absl::StatusOr<std::optional<Value>> TypeImportValue(const Json& v, const ImportOptions& options,
                                                     std::string_view path) {
  if (v.is_null()) return std::nullopt;
  if (options.skip_empty_values && v.is_string() && v.get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  if (v.is_array()) {
    std::vector<const Json*> cleaned;
    for (size_t i = 0; i < v.size(); ++i) {
      const Json& e = v[i];
      if (!IsPrimitiveJson(e)) {
        return InvalidArgument(JsonPointerChild(path, i), "array elements must be primitives");
      }
      if (e.is_null()) continue;
      if (options.skip_empty_values && e.is_string() && e.get_ref<const std::string&>().empty()) {
        continue;
      }
      cleaned.push_back(&e);
    }
    if (!v.empty() && cleaned.empty()) return std::nullopt;
    if (options.skip_empty_values && cleaned.empty()) return std::nullopt;
    std::vector<Scalar> items;
    items.reserve(cleaned.size());
    if (!options.suggest_types) {
      for (const Json* e : cleaned) items.emplace_back(JsonPrimitiveToString(*e));
      return Value::Array(PropType::kString, std::move(items));
    }
    if (cleaned.empty()) return Value::Array(PropType::kString, {});
    bool all_numeric = true;
    bool consistent = true;
    for (const Json* e : cleaned) {
      all_numeric = all_numeric && IsNumericJson(*e);
      consistent = consistent && e->type() == cleaned.front()->type();
    }
    // nlohmann distinguishes integer and float numbers; JSON has one number type.
    if (!consistent) {
      consistent = true;
      for (const Json* e : cleaned) {
        consistent = consistent && (e->is_number() == cleaned.front()->is_number()) &&
                     (e->is_string() == cleaned.front()->is_string()) &&
                     (e->is_boolean() == cleaned.front()->is_boolean());
      }
    }
    if ((options.cast_vectors || options.convert_numeric) && all_numeric) {
      for (const Json* e : cleaned) items.emplace_back(ToNumber(*e));
      return Value::Array(options.cast_vectors ? PropType::kVector : PropType::kNumber,
                          std::move(items));
    }
    if (!consistent && !all_numeric) {
      for (const Json* e : cleaned) items.emplace_back(JsonPrimitiveToString(*e));
      return Value::Array(PropType::kString, std::move(items));
    }
    for (const Json* e : cleaned) items.push_back(ToScalar(*e));
    return Value::Array(Infer(*cleaned.front()), std::move(items));
  }
  if (!IsPrimitiveJson(v)) {
    return InvalidArgument(path, "value must be a primitive or an array of primitives");
  }
  if (!options.suggest_types) return Value::Of(PropType::kString, JsonPrimitiveToString(v));
  if (options.convert_numeric && IsNumericJson(v)) {
    return Value::Of(PropType::kNumber, ToNumber(v));
  }
  return Value::Of(Infer(v), ToScalar(v));
}

}  // namespace loom::engine
