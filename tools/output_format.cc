// tools/output_format.cc: the renderers. Box tables measure cells in code
// points (East Asian wide characters are not accounted for).
#include "tools/output_format.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_join.h"
#include "loom/value.h"

namespace loom::cli {
namespace {

constexpr std::string_view kProptypes = "__proptypes";

const Json& RowsOf(const Json& result) {
  static const Json kEmpty = Json::array();
  if (result.is_array()) return result;
  if (result.is_object()) {
    auto it = result.find("data");
    if (it != result.end() && it->is_array()) return *it;
  }
  return kEmpty;
}

// Union of the row keys in order of first appearance; non-object rows get a
// single column "value".
std::vector<std::string> Columns(const Json& rows, bool with_proptypes) {
  std::vector<std::string> columns;
  bool has_scalar = false;
  for (const Json& row : rows) {
    if (!row.is_object()) {
      has_scalar = true;
      continue;
    }
    for (const auto& [key, value] : row.items()) {
      if (!with_proptypes && key == kProptypes) continue;
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) columns.push_back(key);
    }
  }
  if (has_scalar && std::find(columns.begin(), columns.end(), "value") == columns.end()) {
    columns.push_back("value");
  }
  return columns;
}

std::string Cell(const Json& row, const std::string& column) {
  if (!row.is_object()) return column == "value" ? CellText(row) : std::string();
  auto it = row.find(column);
  return it == row.end() ? std::string() : CellText(*it);
}

// Number of UTF-8 code points (continuation bytes are not counted).
size_t Width(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// The prefix of `text` holding at most `points` code points.
std::string_view PrefixPoints(std::string_view text, size_t points) {
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (n == points) return text.substr(0, i);
      ++n;
    }
  }
  return text;
}

// A table cell must stay on one line: control characters become visible.
std::string TableCell(std::string text, const RenderOptions& options) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';
    } else {
      out += c;
    }
  }
  if (options.terminal && options.max_cell_width > 1 && Width(out) > options.max_cell_width) {
    out = std::string(PrefixPoints(out, options.max_cell_width - 1)) + "…";
  }
  return out;
}

void Repeat(std::ostream& out, std::string_view piece, size_t n) {
  for (size_t i = 0; i < n; ++i) out << piece;
}

// `numeric[i]`: column i holds only numbers (right-aligned, as in sqlite3's
// box mode and duckdb); empty = none.
void RenderTable(std::ostream& out, const std::vector<std::string>& columns,
                 const std::vector<std::vector<std::string>>& cells, const RenderOptions& options,
                 const std::vector<bool>& numeric = {}) {
  std::vector<std::string> header;
  std::vector<size_t> widths;
  for (const std::string& c : columns) {
    header.push_back(TableCell(c, options));
    widths.push_back(Width(header.back()));
  }
  std::vector<std::vector<std::string>> shown;
  shown.reserve(cells.size());
  for (const auto& row : cells) {
    std::vector<std::string> line;
    for (size_t i = 0; i < row.size(); ++i) {
      line.push_back(TableCell(row[i], options));
      widths[i] = std::max(widths[i], Width(line.back()));
    }
    shown.push_back(std::move(line));
  }
  std::vector<bool> align = numeric;
  // Too wide for the terminal: keep columns from both ends while they fit
  // and put one "…" column where the others were.
  std::vector<std::string> elided;
  auto span = [](size_t w) { return w + 3; };  // "│ " + cell + " "
  size_t full = 1;
  for (size_t w : widths) full += span(w);
  if (options.max_width > 0 && widths.size() > 1 && full > options.max_width) {
    size_t used = 1 + 4;                          // the closing "│" and the "…" column
    size_t left = 0, right = widths.size();       // keep [0, left) and [right, n)
    bool from_left = true;
    while (left < right) {
      const size_t next = from_left ? left : right - 1;
      if (used + span(widths[next]) > options.max_width && left + (widths.size() - right) > 0) break;
      used += span(widths[next]);
      if (from_left) {
        ++left;
      } else {
        --right;
      }
      from_left = !from_left;
    }
    if (left < right) {
      for (size_t i = left; i < right; ++i) elided.push_back(columns[i]);
      auto cut = [&](auto& v, auto mark) {
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(left), v.begin() + static_cast<std::ptrdiff_t>(right));
        v.insert(v.begin() + static_cast<std::ptrdiff_t>(left), mark);
      };
      cut(header, std::string("…"));
      cut(widths, size_t{1});
      for (auto& row : shown) cut(row, std::string("…"));
      if (align.size() == columns.size()) cut(align, false);
    }
  }
  auto rule = [&](std::string_view left, std::string_view mid, std::string_view right) {
    out << left;
    for (size_t i = 0; i < widths.size(); ++i) {
      if (i > 0) out << mid;
      Repeat(out, "─", widths[i] + 2);
    }
    out << right << '\n';
  };
  auto line = [&](const std::vector<std::string>& row, bool align_numbers) {
    out << "│";
    for (size_t i = 0; i < widths.size(); ++i) {
      const size_t pad = widths[i] - Width(row[i]);
      if (align_numbers && i < align.size() && align[i]) {
        Repeat(out, " ", pad + 1);
        out << row[i] << ' ';
      } else {
        out << ' ' << row[i];
        Repeat(out, " ", pad + 1);
      }
      out << "│";
    }
    out << '\n';
  };
  rule("┌", "┬", "┐");
  line(header, false);
  rule("├", "┼", "┤");
  for (const auto& row : shown) line(row, true);
  rule("└", "┴", "┘");
  if (!elided.empty()) {
    out << "(" << elided.size() << (elided.size() == 1 ? " column" : " columns")
        << " not shown to fit the terminal: " << absl::StrJoin(elided, ", ")
        << "; --format json or .mode json shows every column)\n";
  }
}


void RenderTabular(std::ostream& out, const std::vector<std::string>& columns,
                   const std::vector<std::vector<std::string>>& cells, OutputFormat format,
                   const RenderOptions& options) {
  switch (format) {
    case OutputFormat::kTable:
      RenderTable(out, columns, cells, options);
      return;
    case OutputFormat::kCsv:
    case OutputFormat::kTsv: {
      const bool csv = format == OutputFormat::kCsv;
      auto field = csv ? CsvField : TsvField;
      const char sep = csv ? ',' : '\t';
      for (size_t i = 0; i < columns.size(); ++i) out << (i ? std::string(1, sep) : "") << field(columns[i]);
      out << '\n';
      for (const auto& row : cells) {
        for (size_t i = 0; i < row.size(); ++i) out << (i ? std::string(1, sep) : "") << field(row[i]);
        out << '\n';
      }
      return;
    }
    case OutputFormat::kMarkdown: {
      out << '|';
      for (const std::string& c : columns) out << ' ' << MarkdownField(c) << " |";
      out << "\n|";
      for (size_t i = 0; i < columns.size(); ++i) out << " --- |";
      out << '\n';
      for (const auto& row : cells) {
        out << '|';
        for (const std::string& c : row) out << ' ' << MarkdownField(c) << " |";
        out << '\n';
      }
      return;
    }
    default:
      return;
  }
}

std::string Dump(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table" || name == "box") return OutputFormat::kTable;
  if (name == "json") return OutputFormat::kJson;
  if (name == "jsonl" || name == "ndjson") return OutputFormat::kJsonl;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "tsv") return OutputFormat::kTsv;
  if (name == "markdown" || name == "md") return OutputFormat::kMarkdown;
  return std::nullopt;
}

std::string_view OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kTable: return "table";
    case OutputFormat::kJson: return "json";
    case OutputFormat::kJsonl: return "jsonl";
    case OutputFormat::kCsv: return "csv";
    case OutputFormat::kTsv: return "tsv";
    case OutputFormat::kMarkdown: return "markdown";
  }
  return "json";
}

const std::vector<std::string>& OutputFormatNames() {
  static const std::vector<std::string> kNames = {"table", "box", "json", "jsonl", "ndjson",
                                                  "csv",   "tsv", "markdown", "md"};
  return kNames;
}

std::string CellText(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "";
    case Json::value_t::string: return value.get<std::string>();
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer: return std::to_string(value.get<int64_t>());
    case Json::value_t::number_unsigned: return std::to_string(value.get<uint64_t>());
    case Json::value_t::number_float: return FormatNumber(value.get<double>());
    default: return Dump(value, -1);
  }
}

std::string CsvField(std::string_view text) {
  // PapaParse's unparse rule (import-export.md §5.1): quote on the delimiter,
  // a quote, CR, LF, a BOM, or a leading/trailing space.
  bool quote = !text.empty() && (text.front() == ' ' || text.back() == ' ');
  if (!quote) {
    quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
            text.find("\xEF\xBB\xBF") != std::string_view::npos;
  }
  if (!quote) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string TsvField(std::string_view text) {
  // Backslash escapes as in PostgreSQL's text COPY format, so that a row is
  // always one line and tabs inside values cannot shift columns.
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

std::string MarkdownField(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '|') {
      out += "\\|";
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "<br>";
    } else if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

void RenderRows(std::ostream& out, const Json& result, OutputFormat format, const RenderOptions& options) {
  const Json& rows = RowsOf(result);
  if (format == OutputFormat::kJson) {
    // The envelope as Dump({"success", "data", "total"}, 2) prints it, written
    // a row at a time: no copy of the rows and no whole-output string.
    out << "{\n  \"success\": true,\n  \"data\": ";
    if (rows.empty()) {
      out << "[]";
    } else {
      out << "[\n";
      for (size_t i = 0; i < rows.size(); ++i) {
        out << "    ";
        for (char c : Dump(rows[i], 2)) {
          out << c;
          if (c == '\n') out << "    ";  // JSON text has no raw line breaks inside strings
        }
        out << (i + 1 < rows.size() ? ",\n" : "\n");
      }
      out << "  ]";
    }
    const bool has_total = result.is_object() && result.contains("total");
    out << ",\n  \"total\": " << (has_total ? Dump(result["total"], 2) : std::to_string(rows.size())) << "\n}\n";
    return;
  }
  if (format == OutputFormat::kJsonl) {
    for (const Json& row : rows) out << Dump(row, -1) << '\n';
    return;
  }
  std::vector<std::string> columns = Columns(rows, false);
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size());
  for (const Json& row : rows) {
    std::vector<std::string> line;
    line.reserve(columns.size());
    for (const std::string& c : columns) line.push_back(Cell(row, c));
    cells.push_back(std::move(line));
  }
  if (format == OutputFormat::kTable) {
    size_t total = rows.size();
    if (result.is_object() && result.contains("total") && result["total"].is_number_unsigned()) {
      total = result["total"].get<size_t>();
    } else if (result.is_object() && result.contains("total") && result["total"].is_number_integer()) {
      total = static_cast<size_t>(std::max<int64_t>(0, result["total"].get<int64_t>()));
    }
    if (columns.empty()) {  // one line, not "(no rows)" and "0 rows"
      out << "(no rows" << (total != 0 ? "; total " + std::to_string(total) : std::string()) << ")\n";
      return;
    }
    std::vector<bool> numeric(columns.size(), false);
    for (size_t i = 0; i < columns.size(); ++i) {
      bool any = false, only = true;
      for (const Json& row : rows) {
        auto it = row.is_object() ? row.find(columns[i]) : row.end();
        if (it == row.end() || it->is_null()) continue;
        any = true;
        only = only && it->is_number();
      }
      numeric[i] = any && only;
    }
    RenderTable(out, columns, cells, options, numeric);
    out << rows.size() << (rows.size() == 1 ? " row" : " rows");
    if (total != rows.size()) out << " (total " << total << ")";
    out << '\n';
    return;
  }
  if (columns.empty()) return;
  RenderTabular(out, columns, cells, format, options);
}

void RenderValue(std::ostream& out, const Json& value, OutputFormat format, const RenderOptions& options) {
  if (format == OutputFormat::kJson) {
    out << Dump(value, 2) << '\n';
    return;
  }
  if (format == OutputFormat::kJsonl || !value.is_object()) {
    if (value.is_string() && format != OutputFormat::kJsonl) {
      out << value.get<std::string>() << '\n';
    } else {
      out << Dump(value, -1) << '\n';
    }
    return;
  }
  std::vector<std::string> columns = {"key", "value"};
  std::vector<std::vector<std::string>> cells;
  for (const auto& [key, item] : value.items()) cells.push_back({key, CellText(item)});
  RenderTabular(out, columns, cells, format, options);
}

size_t TerminalWidth() {
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const long n = std::strtol(columns, nullptr, 10);
    if (n > 0) return static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace loom::cli
