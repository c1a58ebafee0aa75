// Shared helpers for the engine/import tests: compact renderings of typed
// properties so expectations fit on one line.
#ifndef LOOM_TESTS_ENGINE_IMPORT_TEST_UTIL_H_
#define LOOM_TESTS_ENGINE_IMPORT_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "loom/status.h"
#include "loom/value.h"

namespace loom::engine {

// "name:type=json" or "name:type=[...]".
inline std::string Render(const Property& p) {
  return p.name + ":" + std::string(PropTypeName(p.value.type)) + "=" + ValueToJson(p.value).dump();
}

inline std::string Render(const std::vector<Property>& props) {
  std::string out;
  for (const Property& p : props) {
    if (!out.empty()) out += ";";
    out += Render(p);
  }
  return out;
}

inline std::string PathOf(const absl::Status& s) { return ErrorPath(s).value_or("<none>"); }

}  // namespace loom::engine

#endif  // LOOM_TESTS_ENGINE_IMPORT_TEST_UTIL_H_
