// ReadQueryJson: a SAX handler that builds the DOM itself, so the depth limit
// and duplicate-key detection happen during the parse and no recursion over
// the input's depth ever runs.
#include "query/parse/json_reader.h"

#include <cmath>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include "loom/status.h"
#include "query/parse/str_cat.h"

namespace loom::query {
namespace {


class DomBuilder : public nlohmann::json_sax<Json> {
 public:
  explicit DomBuilder(int max_depth) : max_depth_(max_depth) {}

  bool null() override { return Add(Json(nullptr)); }
  bool boolean(bool val) override { return Add(Json(val)); }
  bool number_integer(number_integer_t val) override { return Add(Json(val)); }
  bool number_unsigned(number_unsigned_t val) override { return Add(Json(val)); }
  bool number_float(number_float_t val, const string_t&) override {
    if (!std::isfinite(val)) return Fail("", "number is out of range");
    return Add(Json(val));
  }
  bool string(string_t& val) override { return Add(Json(std::move(val))); }
  bool binary(binary_t&) override { return Fail("", "binary values are not JSON"); }

  bool start_object(std::size_t) override { return Open(Json::object()); }
  bool start_array(std::size_t) override { return Open(Json::array()); }
  bool key(string_t& val) override {
    Level& level = levels_.back();
    if (!level.keys.insert(val).second) {
      level.token = val;
      return Fail(Pointer(), Cat("duplicate key \"", val, "\""));
    }
    level.token = std::move(val);
    return true;
  }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    // nlohmann's message names the problem ("invalid string: ill-formed
    // UTF-8 byte", "number overflow", "unexpected end of input", ...).
    return Fail("", Cat("invalid JSON at byte ", position, ": ", ex.what()));
  }

  absl::Status status() const { return status_; }
  Json& result() { return root_; }

 private:
  struct Level {
    Json* value;
    std::string token;               // current key (objects) for pointers
    std::unordered_set<std::string> keys;  // objects only
  };

  // Inserts `value` at the current position; returns where it now lives.
  Json* Place(Json value) {
    if (levels_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Level& level = levels_.back();
    if (level.value->is_array()) {
      Json::array_t& array = level.value->get_ref<Json::array_t&>();
      array.push_back(std::move(value));
      return &array.back();
    }
    // Keys are unique (checked in key()), so append without ordered_map's
    // linear search: no quadratic cost on wide objects.
    Json::object_t& object = level.value->get_ref<Json::object_t&>();
    Json::object_t::Container& entries = object;
    entries.emplace_back(level.token, std::move(value));
    return &entries.back().second;
  }

  bool Add(Json value) {
    Place(std::move(value));
    return true;
  }

  bool Open(Json container) {
    if (static_cast<int>(levels_.size()) >= max_depth_) {
      return Fail(Pointer(), Cat("JSON nesting deeper than ", max_depth_, " levels"));
    }
    Json* placed = Place(std::move(container));
    levels_.push_back(Level{placed, {}, {}});
    return true;
  }

  bool Close() {
    levels_.pop_back();
    return true;
  }

  // Pointer of the value being read (the key just seen, or the next element).
  std::string Pointer() const {
    std::string out;
    for (size_t i = 0; i < levels_.size(); ++i) {
      const Level& level = levels_[i];
      out += '/';
      if (level.value->is_array()) {
        // Ancestors point at their last (open) element; the innermost array
        // at the element about to be read.
        const size_t size = level.value->size();
        out += std::to_string(i + 1 < levels_.size() ? size - 1 : size);
      } else {
        out += EscapePointerToken(level.token);
      }
    }
    return out;
  }

  bool Fail(std::string_view path, std::string_view message) {
    if (status_.ok()) status_ = InvalidQuery(path, message);
    return false;
  }

  int max_depth_;
  Json root_;
  std::vector<Level> levels_;
  absl::Status status_;
};

}  // namespace

absl::StatusOr<Json> ReadQueryJson(std::string_view text, const ParseOptions& opts) {
  if (text.size() > opts.max_query_bytes) {
    return InvalidQuery("", Cat("query text is ", text.size(),
                                         " bytes, more than the limit of ",
                                         opts.max_query_bytes));
  }
  DomBuilder builder(opts.max_json_depth);
  bool ok = false;
  try {
    ok = Json::sax_parse(text, &builder, nlohmann::json::input_format_t::json,
                         /*strict=*/true);
  } catch (const std::exception& e) {
    return InvalidQuery("", Cat("invalid JSON: ", e.what()));
  }
  if (!builder.status().ok()) return builder.status();
  if (!ok) return InvalidQuery("", "invalid JSON");
  return std::move(builder.result());
}

}  // namespace loom::query
