// loom/value.h: typed property values and records (spec/data-model.md §2-§3, §9, §10).
//
// A property value is a scalar or an array of scalars with one declared type
// (string, number, boolean, datetime, or the legacy vector). Elements keep
// their JSON kind: arrays such as [1, "2"] typed `number` are stored as given.
// Plain values, no shared state; thread-compatible.
#ifndef LOOM_VALUE_H_
#define LOOM_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "loom/json.h"

namespace loom {

// Declared property types (`__proptypes` values). On-disk tags: only add.
enum class PropType : uint8_t {
  kString = 1,
  kNumber = 2,
  kBoolean = 3,
  kDatetime = 4,
  kVector = 5,
};

std::string_view PropTypeName(PropType type);  // "string", "number", ...
std::optional<PropType> ParsePropType(std::string_view name);

// One element of a value. Datetimes are strings (stored verbatim).
using Scalar = std::variant<bool, double, std::string>;

struct Value {
  PropType type = PropType::kString;
  bool is_array = false;
  std::vector<Scalar> items;  // exactly one item when !is_array

  static Value Of(PropType type, Scalar scalar) {
    Value v;
    v.type = type;
    v.items.push_back(std::move(scalar));
    return v;
  }
  static Value Array(PropType type, std::vector<Scalar> items) {
    Value v;
    v.type = type;
    v.is_array = true;
    v.items = std::move(items);
    return v;
  }
  bool operator==(const Value&) const = default;
};

struct Property {
  std::string name;
  Value value;
  bool operator==(const Property&) const = default;
};

// A record as the API sees it: id, optional label, properties in insertion order.
struct Record {
  std::string id;
  std::optional<std::string> label;
  std::vector<Property> properties;

  const Value* Find(std::string_view name) const;
  bool operator==(const Record&) const = default;
};

// JSON output (data-model.md §9, api.md §6): integral numbers below 2^53 are
// written as JSON integers (1200, not 1200.0); non-finite numbers as null.
Json ScalarToJson(const Scalar& scalar);
Json ValueToJson(const Value& value);
// {"__id", "__label"?, "__proptypes", properties...} in canonical order.
Json RecordToJson(const Record& record);

// ECMAScript Number#toString for a double ("1200", "0.1", "1e+21").
std::string FormatNumber(double number);
// ECMAScript String(x) for a scalar: numbers as above, booleans "true"/"false".
std::string ScalarToString(const Scalar& scalar);

// Type-strict equality (data-model.md §10): numbers numerically, strings by
// text, booleans by value; different kinds are never equal.
bool ScalarEquals(const Scalar& a, const Scalar& b);

// Cross-type order of data-model.md §10 for sorting: string < boolean < number;
// strings by UTF-16 code unit order. Returns <0, 0, >0.
int CompareScalars(const Scalar& a, const Scalar& b);
// Order of whole values: arrays (lists) before scalars; lists element-wise, a
// proper prefix first; nullptr (absent) after everything.
int CompareValues(const Value* a, const Value* b);

// Strings by UTF-16 code unit order (Java/Neo4j), given UTF-8 input.
int CompareUtf16(std::string_view a, std::string_view b);

}  // namespace loom

#endif  // LOOM_VALUE_H_
