// engine/bulk/json_element.h: simdjson DOM elements -> loom::Json. Private to
// loom_bulk (only its .cc files include simdjson). Thread-safe.
#ifndef LOOM_ENGINE_BULK_JSON_ELEMENT_H_
#define LOOM_ENGINE_BULK_JSON_ELEMENT_H_

#include <simdjson.h>

#include "absl/status/statusor.h"
#include "loom/json.h"

namespace loom::engine::bulk {

// Converts `element`; the parser's own depth limit bounds the recursion.
// Object keys keep their order; a repeated key keeps the last value.
Json ElementToJson(simdjson::dom::element element);

// One-line description of a simdjson error ("TAPE_ERROR: ...").
std::string SimdjsonErrorText(simdjson::error_code code);

}  // namespace loom::engine::bulk

#endif  // LOOM_ENGINE_BULK_JSON_ELEMENT_H_
