// tools/output_format.h: renders query results for the terminal and for
// scripts. Rows are the `data` array of a find result (records or select rows);
// columns are the union of the rows' keys in order of first appearance
// (`__proptypes` is left out of the tabular formats).
//
// Machine formats (json, jsonl, csv, tsv, markdown) never truncate. The box
// table truncates long cells only when `terminal` is true. Pure functions.
#ifndef LOOM_TOOLS_OUTPUT_FORMAT_H_
#define LOOM_TOOLS_OUTPUT_FORMAT_H_

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "loom/json.h"

namespace loom::cli {

enum class OutputFormat { kTable, kJson, kJsonl, kCsv, kTsv, kMarkdown };

// "table"/"box", "json", "jsonl"/"ndjson", "csv", "tsv", "markdown"/"md".
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);
std::string_view OutputFormatName(OutputFormat format);
// Names accepted by ParseOutputFormat, for --help and validators.
const std::vector<std::string>& OutputFormatNames();

struct RenderOptions {
  bool terminal = false;       // output goes to a terminal (table truncation)
  size_t max_cell_width = 48;  // table only, terminal only
  // Terminal columns a table must fit (middle columns are elided, with a
  // note, as duckdb does); 0 = no limit. Table only.
  size_t max_width = 0;
};

// The width of the terminal on stdout (TIOCGWINSZ, else $COLUMNS); 0 when
// unknown.
size_t TerminalWidth();

// Renders a paged result {"data": [...], "total": n} (or a bare array). json
// prints the REST envelope {"success": true, "data": [...], "total": n}.
void RenderRows(std::ostream& out, const Json& result, OutputFormat format,
                const RenderOptions& options = {});

// Renders any other result value (an object, a message, true): json formats
// print it as JSON, tabular formats print objects as a two-column key/value
// table and everything else as JSON.
void RenderValue(std::ostream& out, const Json& value, OutputFormat format,
                 const RenderOptions& options = {});

// The text of one cell: strings as-is, numbers in shortest round-trip form
// (integral values without ".0"), booleans true/false, null empty, arrays and
// objects as compact JSON.
std::string CellText(const Json& value);

// Field quoting of the individual formats (exposed for tests).
std::string CsvField(std::string_view text);
std::string TsvField(std::string_view text);
std::string MarkdownField(std::string_view text);

}  // namespace loom::cli

#endif  // LOOM_TOOLS_OUTPUT_FORMAT_H_
