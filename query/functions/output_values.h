// query/functions/output_values.h: the values that select expressions compute
// (spec/query.md §11): JSON scalars, arrays and objects, where a JSON integer
// is an integer and a JSON float is a float (§11.5 number kinds). These
// helpers give them the cross-type order of data-model.md §10, a canonical
// text for grouping and de-duplication, and their output form.
// Pure functions; thread-safe.
#ifndef LOOM_QUERY_FUNCTIONS_OUTPUT_VALUES_H_
#define LOOM_QUERY_FUNCTIONS_OUTPUT_VALUES_H_

#include <string>

#include "loom/json.h"
#include "loom/value.h"

namespace loom::query {

// A stored property as an expression value: numbers are floats, datetimes
// their text, arrays JSON arrays.
Json PropertyToValue(const Value& value);

// data-model.md §10: lists < strings < booleans < numbers (ints and floats
// numerically), lists element-wise; objects (records, collected items) after
// those and all equal; null (absent) after everything.
int CompareOutputValues(const Json& a, const Json& b);

// Equal values give equal texts (1 and 1.0 alike; object keys in order).
void AppendCanonicalKey(const Json& value, std::string* out);
std::string CanonicalKey(const Json& value);

// The output form: integral floats below 2^53 as integers, non-finite
// numbers as null, recursively (§11.5: "output renders ints and floats
// identically").
Json ToOutput(Json value);

}  // namespace loom::query

#endif  // LOOM_QUERY_FUNCTIONS_OUTPUT_VALUES_H_
