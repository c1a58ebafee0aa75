#include "query/functions/row_functions.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "loom/datetime.h"
#include "loom/status.h"

namespace loom::query {
namespace {

std::string_view MathName(ast::MathOp op) {
  switch (op) {
    case ast::MathOp::kAdd: return "$add";
    case ast::MathOp::kSubtract: return "$subtract";
    case ast::MathOp::kMultiply: return "$multiply";
    case ast::MathOp::kDivide: return "$divide";
  }
  return "";
}

std::string KindOf(const Json& v) {
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "a list";
  if (v.is_object()) return "a record";
  return "a number";
}

std::string AsText(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return FormatNumber(v.get<double>());
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

absl::StatusOr<Json> ApplyMath(ast::MathOp op, const Json& a, const Json& b, std::string_view path) {
  if (a.is_null() || b.is_null()) return Json(nullptr);
  if (a.is_number() && b.is_number()) {
    if (a.is_number_integer() && b.is_number_integer()) {
      const int64_t x = a.get<int64_t>(), y = b.get<int64_t>();
      int64_t out = 0;
      bool overflow = false;
      switch (op) {
        case ast::MathOp::kAdd: overflow = __builtin_add_overflow(x, y, &out); break;
        case ast::MathOp::kSubtract: overflow = __builtin_sub_overflow(x, y, &out); break;
        case ast::MathOp::kMultiply: overflow = __builtin_mul_overflow(x, y, &out); break;
        case ast::MathOp::kDivide:
          if (y == 0) return MakeError(ErrorCode::kTypeError, "integer division by zero", path);
          if (x == INT64_MIN && y == -1) {
            overflow = true;
          } else {
            out = x / y;  // truncates toward zero (§11.5)
          }
          break;
      }
      if (!overflow) return Json(out);
    }
    const double x = a.get<double>(), y = b.get<double>();
    switch (op) {
      case ast::MathOp::kAdd: return Json(x + y);
      case ast::MathOp::kSubtract: return Json(x - y);
      case ast::MathOp::kMultiply: return Json(x * y);
      case ast::MathOp::kDivide: return Json(x / y);
    }
  }
  const bool texty_a = a.is_string() || a.is_number(), texty_b = b.is_string() || b.is_number();
  if (op == ast::MathOp::kAdd && (a.is_string() || b.is_string()) && texty_a && texty_b) {
    return Json(AsText(a) + AsText(b));
  }
  return MakeError(ErrorCode::kTypeError, absl::StrCat(std::string(MathName(op)), " cannot combine ", KindOf(a), " and ", KindOf(b)),
                   path);
}

Json TimeBucket(const Json& value, std::optional<PropType> type, ast::TimeUnit unit, int64_t size, bool iso) {
  if (type != PropType::kDatetime || !value.is_string()) return Json(nullptr);
  const std::optional<DatetimeFields> f = ParseDatetimeFields(value.get_ref<const std::string&>());
  if (!f) return Json(nullptr);
  int64_t year = f->year;
  int month = f->month, day = f->day, hour = f->hour, minute = f->minute, second = f->second;
  int64_t days = 0;
  bool have_days = false;
  switch (unit) {
    case ast::TimeUnit::kSecond:
      second = static_cast<int>(second / size * size);
      break;
    case ast::TimeUnit::kMinute:
      second = 0;
      minute = static_cast<int>(minute / size * size);
      break;
    case ast::TimeUnit::kHour:
      second = minute = 0;
      hour = static_cast<int>(hour / size * size);
      break;
    case ast::TimeUnit::kDay:
      second = minute = hour = 0;
      break;
    case ast::TimeUnit::kWeek: {
      second = minute = hour = 0;
      days = DaysFromCivil(year, month, day);
      const int64_t monday_index = ((days + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
      days -= monday_index;
      have_days = true;
      break;
    }
    case ast::TimeUnit::kMonth:
      second = minute = hour = 0;
      day = 1;
      month = static_cast<int>((month - 1) / size * size + 1);
      break;
    case ast::TimeUnit::kQuarter:
      second = minute = hour = 0;
      day = 1;
      month = (month - 1) / 3 * 3 + 1;
      break;
    case ast::TimeUnit::kYear:
      second = minute = hour = 0;
      day = month = 1;
      year = FloorDiv(year, size) * size;
      break;
  }
  if (!have_days) days = DaysFromCivil(year, month, day);
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second;  // read as UTC
  if (iso) return Json(FormatInstantUtc(Instant{seconds, 0}));
  return Json(seconds * 1000);
}

Json VectorSimilarity(ast::Similarity kind, const Json& value, const std::vector<double>& query) {
  if (!value.is_array() || value.size() != query.size()) return Json(nullptr);
  double dot = 0, norm_a = 0, norm_q = 0, distance = 0;
  for (size_t i = 0; i < query.size(); ++i) {
    if (!value[i].is_number()) return Json(nullptr);
    const double a = value[i].get<double>(), q = query[i];
    dot += a * q;
    norm_a += a * a;
    norm_q += q * q;
    distance += (a - q) * (a - q);
  }
  if (kind == ast::Similarity::kEuclidean) return Json(1.0 / (1.0 + distance));
  if (norm_a == 0 || norm_q == 0) return Json(nullptr);
  const double cosine = std::clamp(dot / std::sqrt(norm_a * norm_q), -1.0, 1.0);
  return Json((1.0 + cosine) / 2.0);
}

}  // namespace loom::query
