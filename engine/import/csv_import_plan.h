// engine/import/csv_import_plan.h: records.importCsv as an import plan
// (spec/import-export.md §3): parseConfig, header sanitising, PapaParse
// dynamic typing, then the import typing of §2.5.
//
// The row-level pieces (CsvParseConfig, CsvRowTyper, SanitizeHeaders,
// DynamicTypeCell) let a streaming file importer type rows one at a time.
// Pure; thread-safe.
#ifndef LOOM_ENGINE_IMPORT_CSV_IMPORT_PLAN_H_
#define LOOM_ENGINE_IMPORT_CSV_IMPORT_PLAN_H_

#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/import/csv_reader.h"
#include "engine/import/import_typing.h"
#include "engine/import/json_import_plan.h"
#include "loom/json.h"
#include "loom/value.h"

namespace loom::engine {

enum class SkipEmptyLines { kNo, kEmpty, kGreedy };  // false / true / "greedy"

struct CsvParseConfig {
  CsvDialect dialect;
  bool header = true;
  SkipEmptyLines skip_empty_lines = SkipEmptyLines::kEmpty;
  // parseConfig.dynamicTyping if boolean, else options?.suggestTypes ?? false.
  bool dynamic_typing = false;
};

// Parses `parse_config` (nullptr/null = absent) under `path`; `options` is the
// raw options argument (nullptr = absent), needed for the dynamicTyping default.
[[nodiscard]] absl::StatusOr<CsvParseConfig> ParseCsvParseConfig(const Json* parse_config,
                                                                 const Json* options,
                                                                 std::string_view path);

// §3.3: NUL removed, trimmed, "" → column_<n>, whitespace runs → "_", a
// leading non-letter non-"_" gets a "_" prefix, repeats get _2, _3, ...
std::vector<std::string> SanitizeHeaders(const std::vector<std::string>& header);

// §3.4 (PapaParse parseDynamic): "true"/"TRUE"/"false"/"FALSE" → boolean,
// decimal literals within ±2^53 → number, ISO date-times with a zone → the
// UTC "YYYY-MM-DDTHH:MM:SS.sssZ" string, "" → null, else the string.
Json DynamicTypeCell(std::string_view cell);

// True if the row is dropped by skipEmptyLines.
bool IsSkippedCsvRow(const std::vector<std::string>& row, const CsvParseConfig& config);

// Turns the rows of a CSV stream into typed property lists, one per record:
// skips empty lines, takes the header (or names columns column_N), checks
// field counts ("CSV parse error: line N: ...") and types the cells.
// Not thread-safe; `in` must outlive it.
class CsvRecordStream {
 public:
  CsvRecordStream(std::istream* in, CsvParseConfig config, ImportOptions options,
                  std::string data_path);
  // Fills *properties with the next record's properties; false at the end.
  [[nodiscard]] absl::StatusOr<bool> Next(std::vector<Property>* properties);
  // Sanitised header (empty until read, and always with header: false).
  const std::vector<std::string>& columns() const { return columns_; }
  int64_t line() const { return reader_.line(); }

 private:
  CsvParseConfig config_;
  ImportOptions options_;
  std::string data_path_;
  CsvReader reader_;
  bool header_read_ = false;
  std::vector<std::string> columns_;
  std::vector<std::string> row_;
};

// records.importCsv arguments {label, data, options?, parseConfig?}. Every row
// becomes one record labelled K(label); no edges.
[[nodiscard]] absl::StatusOr<ImportPlan> PlanCsvImport(const Json& args);

}  // namespace loom::engine

#endif  // LOOM_ENGINE_IMPORT_CSV_IMPORT_PLAN_H_
