#include "query/functions/aggregates.h"

#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "loom/status.h"
#include "query/functions/output_values.h"

namespace loom::query {
namespace {

absl::Status AddNumber(AggregateState& s, const Json& v, std::string_view path, std::string_view fn) {
  if (!v.is_number()) {
    return MakeError(ErrorCode::kTypeError, absl::StrCat(std::string(fn), " needs numbers, got ", v.dump()), path);
  }
  ++s.count;
  if (v.is_number_float()) s.any_float = true;
  if (!s.any_float) {
    int64_t out;
    if (__builtin_add_overflow(s.int_sum, v.get<int64_t>(), &out)) {
      s.any_float = true;
    } else {
      s.int_sum = out;
    }
  }
  s.float_sum += v.get<double>();
  return absl::OkStatus();
}

void MergeNumbers(AggregateState& into, const AggregateState& from) {
  into.count += from.count;
  into.any_float = into.any_float || from.any_float;
  into.int_sum += from.int_sum;
  into.float_sum += from.float_sum;
}

absl::Status SumAdd(AggregateState& s, const Json& v, std::string_view path) { return AddNumber(s, v, path, "$sum"); }
absl::Status AvgAdd(AggregateState& s, const Json& v, std::string_view path) { return AddNumber(s, v, path, "$avg"); }

Json SumFinish(const AggregateState& s, const AggregateOptions&) {
  if (s.any_float) return Json(s.float_sum);
  return Json(s.int_sum);
}

// Rounds half away from zero to `digits` decimals (Neo4j round()).
double RoundTo(double x, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}

Json AvgFinish(const AggregateState& s, const AggregateOptions& options) {
  if (s.count == 0) return Json(nullptr);
  const double avg = s.float_sum / static_cast<double>(s.count);
  if (!options.precision) return Json(avg);
  if (*options.precision == 0) {
    if (!std::isfinite(avg)) return Json(nullptr);
    return Json(static_cast<int64_t>(std::trunc(avg)));  // toInteger truncates
  }
  return Json(RoundTo(avg, *options.precision));
}

absl::Status CountAdd(AggregateState& s, const Json& v, std::string_view) {
  s.distinct.insert(CanonicalKey(v));
  return absl::OkStatus();
}
void CountMerge(AggregateState& into, const AggregateState& from) {
  into.distinct.insert(from.distinct.begin(), from.distinct.end());
  into.roots.insert(from.roots.begin(), from.roots.end());
  into.count += from.count;
}
Json CountFinish(const AggregateState& s, const AggregateOptions&) {
  return Json(static_cast<int64_t>(s.distinct.size() + s.roots.size() + s.count));
}

template <int kSign>
absl::Status BestAdd(AggregateState& s, const Json& v, std::string_view) {
  if (s.best.is_null() || kSign * CompareOutputValues(v, s.best) > 0) s.best = v;
  return absl::OkStatus();
}
template <int kSign>
void BestMerge(AggregateState& into, const AggregateState& from) {
  if (!from.best.is_null()) (void)BestAdd<kSign>(into, from.best, "");
}
Json BestFinish(const AggregateState& s, const AggregateOptions&) { return s.best; }

constexpr AggregateFunction kFunctions[] = {
    {"$sum", false, false, SumAdd, MergeNumbers, SumFinish},
    {"$avg", false, true, AvgAdd, MergeNumbers, AvgFinish},
    {"$count", true, false, CountAdd, CountMerge, CountFinish},
    {"$min", false, false, BestAdd<-1>, BestMerge<-1>, BestFinish},
    {"$max", false, false, BestAdd<1>, BestMerge<1>, BestFinish},
};

}  // namespace

const AggregateFunction* FindAggregate(std::string_view name) {
  for (const AggregateFunction& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

void AddRoot(AggregateState& state, uint64_t root) { state.roots.insert(root); }

}  // namespace loom::query
