// Value model: JSON output, ECMAScript number text and the value order.
#include "loom/value.h"

#include <cmath>
#include <cstdio>
#include <algorithm>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace loom {
namespace {

constexpr std::string_view kTypeNames[] = {"", "string", "number", "boolean", "datetime", "vector"};

// Rank of a scalar kind in the cross-type order: string < boolean < number.
int KindRank(const Scalar& s) {
  if (std::holds_alternative<std::string>(s)) return 0;
  if (std::holds_alternative<bool>(s)) return 1;
  return 2;
}

// Decodes one UTF-8 code point (invalid bytes map to themselves) and advances.
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(*i);
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (*i + len > s.size()) len = 1;
  uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (byte(*i + k) & 0x3F);
  *i += len;
  return cp;
}

}  // namespace

std::string_view PropTypeName(PropType type) {
  auto index = static_cast<size_t>(type);
  return index < std::size(kTypeNames) ? kTypeNames[index] : "";
}

std::optional<PropType> ParsePropType(std::string_view name) {
  for (size_t i = 1; i < std::size(kTypeNames); ++i) {
    if (kTypeNames[i] == name) return static_cast<PropType>(i);
  }
  return std::nullopt;
}

const Value* Record::Find(std::string_view name) const {
  for (const Property& p : properties) {
    if (p.name == name) return &p.value;
  }
  return nullptr;
}

Json ScalarToJson(const Scalar& scalar) {
  if (const bool* b = std::get_if<bool>(&scalar)) return *b;
  if (const std::string* s = std::get_if<std::string>(&scalar)) return *s;
  double d = std::get<double>(scalar);
  if (!std::isfinite(d)) return nullptr;
  if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0) {
    return static_cast<int64_t>(d);
  }
  return d;
}

Json ValueToJson(const Value& value) {
  if (!value.is_array) return value.items.empty() ? Json() : ScalarToJson(value.items[0]);
  Json out = Json::array();
  auto& items = out.get_ref<Json::array_t&>();
  items.reserve(value.items.size());
  for (const Scalar& s : value.items) items.push_back(ScalarToJson(s));
  return out;
}

Json RecordToJson(const Record& record) {
  // Appending to the ordered map directly: operator[] searches it linearly,
  // which made serialisation quadratic in the number of properties.
  Json types = Json::object();
  auto& type_map = types.get_ref<Json::object_t&>();
  type_map.reserve(record.properties.size());
  for (const Property& p : record.properties) type_map.emplace_back(p.name, PropTypeName(p.value.type));
  Json out = Json::object();
  auto& map = out.get_ref<Json::object_t&>();
  map.reserve(3 + record.properties.size());
  map.emplace_back("__id", record.id);
  if (record.label) map.emplace_back("__label", *record.label);
  map.emplace_back("__proptypes", std::move(types));
  for (const Property& p : record.properties) map.emplace_back(p.name, ValueToJson(p.value));
  return out;
}

std::string FormatNumber(double number) {
  if (std::isnan(number)) return "NaN";
  if (std::isinf(number)) return number > 0 ? "Infinity" : "-Infinity";
  if (number == 0) return "0";
  // Shortest round-trip digits, then laid out as ECMAScript Number#toString does.
  char buf[40];
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, number);
    if (std::strtod(buf, nullptr) == number) break;
  }
  std::string text(buf);
  bool negative = text[0] == '-';
  if (negative) text.erase(0, 1);
  size_t e = text.find('e');
  std::string digits = text.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exponent = std::atoi(text.c_str() + e + 1);
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;  // position of the decimal point
  std::string out;
  if (k <= n && n <= 21) {
    out = digits + std::string(n - k, '0');
  } else if (0 < n && n <= 21) {
    out = digits.substr(0, n) + "." + digits.substr(n);
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(-n, '0') + digits;
  } else {
    std::string mantissa = k == 1 ? digits : digits.substr(0, 1) + "." + digits.substr(1);
    out = absl::StrCat(mantissa, "e", n - 1 >= 0 ? "+" : "-", std::abs(n - 1));
  }
  return negative ? "-" + out : out;
}

std::string ScalarToString(const Scalar& scalar) {
  if (const bool* b = std::get_if<bool>(&scalar)) return *b ? "true" : "false";
  if (const std::string* s = std::get_if<std::string>(&scalar)) return *s;
  return FormatNumber(std::get<double>(scalar));
}

bool ScalarEquals(const Scalar& a, const Scalar& b) {
  if (a.index() != b.index()) return false;
  if (const double* x = std::get_if<double>(&a)) return *x == std::get<double>(b);
  return a == b;
}

int CompareUtf16(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j] && static_cast<unsigned char>(a[i]) < 0x80) {
      ++i, ++j;
      continue;
    }
    uint32_t x = NextCodePoint(a, &i);
    uint32_t y = NextCodePoint(b, &j);
    if (x == y) continue;
    // Supplementary code points are surrogate pairs (0xD800..) in UTF-16, so
    // they sort before U+E000..U+FFFF there.
    auto unit = [](uint32_t cp) { return cp >= 0x10000 ? 0xD800 + ((cp - 0x10000) >> 10) : cp; };
    uint32_t ux = unit(x), uy = unit(y);
    if (ux != uy) return ux < uy ? -1 : 1;
    return x < y ? -1 : 1;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

int CompareScalars(const Scalar& a, const Scalar& b) {
  int ra = KindRank(a), rb = KindRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (const std::string* s = std::get_if<std::string>(&a)) return CompareUtf16(*s, std::get<std::string>(b));
  if (const bool* x = std::get_if<bool>(&a)) {
    bool y = std::get<bool>(b);
    return *x == y ? 0 : (*x ? 1 : -1);
  }
  double x = std::get<double>(a), y = std::get<double>(b);
  if (x < y) return -1;
  if (x > y) return 1;
  if (x == y) return 0;
  // NaN sorts after every number.
  return std::isnan(x) ? (std::isnan(y) ? 0 : 1) : -1;
}

int CompareValues(const Value* a, const Value* b) {
  if (a == nullptr || b == nullptr) return (a == nullptr) - (b == nullptr);
  if (a->is_array != b->is_array) return a->is_array ? -1 : 1;
  size_t n = std::min(a->items.size(), b->items.size());
  for (size_t i = 0; i < n; ++i) {
    int c = CompareScalars(a->items[i], b->items[i]);
    if (c != 0) return c;
  }
  if (a->items.size() != b->items.size()) return a->items.size() < b->items.size() ? -1 : 1;
  return 0;
}

}  // namespace loom
