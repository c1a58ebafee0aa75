// query/functions/index_range.h: ranges over the props index of one
// (label, property), in storage-free terms (they mirror storage::IndexRange):
// what a where-operator's index builder produces and the planner costs.
// Plain values.
#ifndef LOOM_QUERY_FUNCTIONS_INDEX_RANGE_H_
#define LOOM_QUERY_FUNCTIONS_INDEX_RANGE_H_

#include <optional>
#include <string>
#include <vector>

#include "loom/datetime.h"
#include "loom/value.h"

namespace loom::query {

struct KeyRange {
  enum class Tag { kFalse, kTrue, kNumber, kString, kInstant };
  Tag tag = Tag::kString;
  std::optional<Scalar> low;  // kNumber / kString bounds
  bool low_inclusive = true;
  std::optional<Scalar> high;
  bool high_inclusive = true;
  std::optional<Instant> low_instant, high_instant;  // kInstant
  std::optional<std::string> prefix;                 // kString prefix scan
};

// The ranges answering one criterion: their records are a superset of those
// for which it is TRUE, and exactly those when `exact`. No ranges = no
// record can match (e.g. a datetime without an instant, D15).
struct IndexRanges {
  std::vector<KeyRange> ranges;
  bool exact = false;
};

}  // namespace loom::query

#endif  // LOOM_QUERY_FUNCTIONS_INDEX_RANGE_H_
