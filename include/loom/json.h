// loom/json.h: the JSON type of loom's API.
//
// Queries, arguments and results are nlohmann::ordered_json: key order matters
// in SearchQuery (orderBy priority, select output order), so loom never uses an
// unordered JSON object. Values are independent; no shared state.
#ifndef LOOM_JSON_H_
#define LOOM_JSON_H_

#include <nlohmann/json.hpp>

namespace loom {
using Json = nlohmann::ordered_json;
}  // namespace loom

#endif  // LOOM_JSON_H_
