// CSV export (spec/import-export.md §5.1).
#include "engine/import/csv_export.h"

#include <algorithm>

#include "absl/container/btree_set.h"
#include "absl/strings/str_join.h"

namespace loom::engine {

std::string CsvQuote(std::string_view cell) {
  bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos ||
               cell.find("\xEF\xBB\xBF") != std::string_view::npos ||
               (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!quote) return std::string(cell);
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string ValueToCsvCell(const Value& value) {
  if (!value.is_array) return value.items.empty() ? "" : ScalarToString(value.items.front());
  std::string out;
  for (size_t i = 0; i < value.items.size(); ++i) {
    if (i) out += ',';
    out += ScalarToString(value.items[i]);
  }
  return out;
}

std::string ExportCsv(const std::vector<Record>& records) {
  if (records.empty()) return "";
  bool has_id = false;
  bool has_label = false;
  std::vector<std::string> names;
  {
    absl::btree_set<std::string> seen;
    for (const Record& r : records) {
      has_id = has_id || !r.id.empty();
      has_label = has_label || r.label.has_value();
      for (const Property& p : r.properties) {
        if (p.name == "__id" || p.name == "__label" || p.name == "__proptypes") continue;
        if (seen.insert(p.name).second) names.push_back(p.name);
      }
    }
  }
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return CompareUtf16(a, b) < 0; });
  std::vector<std::string> header;
  if (has_id) header.push_back(CsvQuote("__id"));
  if (has_label) header.push_back(CsvQuote("__label"));
  for (const std::string& n : names) header.push_back(CsvQuote(n));
  std::string out = absl::StrJoin(header, ",");
  for (const Record& r : records) {
    out += "\r\n";
    std::vector<std::string> row;
    row.reserve(header.size());
    if (has_id) row.push_back(CsvQuote(r.id));
    if (has_label) row.push_back(CsvQuote(r.label.value_or("")));
    for (const std::string& n : names) {
      const Value* v = r.Find(n);
      row.push_back(v == nullptr ? "" : CsvQuote(ValueToCsvCell(*v)));
    }
    out += absl::StrJoin(row, ",");
  }
  return out;
}

}  // namespace loom::engine
