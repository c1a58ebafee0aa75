// query/functions/aggregates.h: the registry of select aggregates
// (spec/query.md §11.4): one row per function carrying its name, its argument
// rules, and how its state starts, takes a value, merges with another
// partition's state and finishes. A new aggregate is one row here plus its
// tests; the parser, the evaluator and explain find it by name.
//
// States are mergeable so that partitions of a hash aggregate can be
// combined. Values are expression values (query/functions/output_values.h).
// The registry is immutable; thread-safe.
#ifndef LOOM_QUERY_FUNCTIONS_AGGREGATES_H_
#define LOOM_QUERY_FUNCTIONS_AGGREGATES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "loom/json.h"

namespace loom::query {

// The running state of one aggregate in one group.
struct AggregateState {
  uint64_t count = 0;       // values (or rows) taken
  int64_t int_sum = 0;      // while every value was an integer
  double float_sum = 0;
  bool any_float = false;
  Json best;                // $min / $max so far (null: none)
  absl::flat_hash_set<std::string> distinct;  // $count of values: canonical keys
  absl::flat_hash_set<uint64_t> roots;        // $count: "*": root records
};

struct AggregateOptions {
  std::optional<int> precision;  // $avg
};

struct AggregateFunction {
  std::string_view name;      // "$sum"
  bool star_argument = false;  // accepts "*" ($count)
  bool takes_precision = false;
  // Takes one non-null value (`path`: the expression, for TYPE_ERROR).
  absl::Status (*add)(AggregateState& state, const Json& value, std::string_view path);
  void (*merge)(AggregateState& into, const AggregateState& from);
  // The result; null when the function has no value for empty input.
  Json (*finish)(const AggregateState& state, const AggregateOptions& options);
};

// The function named `name` ("$sum", "$avg", "$count", "$min", "$max"), or nullptr.
const AggregateFunction* FindAggregate(std::string_view name);

// `$count: "*"` takes root records, not values.
void AddRoot(AggregateState& state, uint64_t root);

}  // namespace loom::query

#endif  // LOOM_QUERY_FUNCTIONS_AGGREGATES_H_
