// Fuzz target: CSV text through engine::CsvReader and engine::PlanCsvImport
// (engine/import).
//
// Invariants: no crash, no exception; the reader numbers records 1, 2, ...
// with non-decreasing start lines, and once it has failed it keeps failing
// (csv_reader.h). The reader runs with the default dialect and with a
// multi-byte delimiter and a backslash escape, the paths most likely to
// mis-handle a buffer boundary.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "engine/import/csv_import_plan.h"
#include "engine/import/csv_reader.h"
#include "loom/json.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

namespace engine = loom::engine;

void ReadAll(const std::string& text, const engine::CsvDialect& dialect) {
  std::istringstream in(text);
  engine::CsvReader reader(&in, dialect);
  std::vector<std::string> fields;
  int64_t records = 0;
  int64_t last_line = 0;
  // Every record takes at least one byte, plus a final empty one.
  for (size_t guard = 0; guard <= text.size() + 1; ++guard) {
    auto more = reader.Next(&fields);
    if (!more.ok()) {
      auto again = reader.Next(&fields);
      LOOM_FUZZ_CHECK(!again.ok(), "CsvReader recovered after an error");
      return;
    }
    if (!*more) return;
    ++records;
    LOOM_FUZZ_CHECK(reader.record_number() == records, "CsvReader record numbers skip");
    LOOM_FUZZ_CHECK(reader.line() >= last_line && reader.line() >= 1,
                    "CsvReader lines go backwards");
    last_line = reader.line();
  }
  LOOM_FUZZ_CHECK(false, "CsvReader returns more records than the input has bytes");
}

void PlanOne(const std::string& text, bool dynamic_typing) {
  loom::Json args = {{"label", "X"}, {"data", text}};
  if (dynamic_typing) args["parseConfig"] = {{"dynamicTyping", true}, {"skipEmptyLines", "greedy"}};
  auto plan = engine::PlanCsvImport(args);
  (void)plan;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  loom::fuzz::RunNoThrow([&] {
    std::string text(reinterpret_cast<const char*>(data), size);
    ReadAll(text, engine::CsvDialect{});
    engine::CsvDialect odd;
    odd.delimiter.assign(2, '|');
    odd.escape = '\\';
    ReadAll(text, odd);
    PlanOne(text, false);
    PlanOne(text, true);
  });
  return 0;
}
