// Fuzz target: the `data` text of a JSON import, planned by
// engine::PlanJsonImport as JSON and as JSON Lines (engine/import).
//
// Invariants: no crash, no exception; an accepted import plan lists parents
// before children (records are in BFS order, and `parent` indexes an earlier
// draft or is -1), so the engine can create them in order.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/import/json_import_plan.h"
#include "loom/json.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

void CheckPlan(const loom::engine::ImportPlan& plan) {
  const auto& records = plan.records;
  for (size_t i = 0; i < records.size(); ++i) {
    int64_t parent = records[i].parent;
    LOOM_FUZZ_CHECK(parent == -1 || (parent >= 0 && static_cast<size_t>(parent) < i),
                    "import plan: a child comes before its parent");
  }
}

void PlanOne(const std::string& text, const char* format) {
  loom::Json args = {{"label", "X"}, {"data", text}};
  if (format != nullptr) args["format"] = format;
  auto plan = loom::engine::PlanJsonImport(args);
  if (plan.ok()) CheckPlan(*plan);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  loom::fuzz::RunNoThrow([&] {
    std::string text(reinterpret_cast<const char*>(data), size);
    PlanOne(text, nullptr);
    PlanOne(text, "jsonl");
  });
  return 0;
}
