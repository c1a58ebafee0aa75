// records.importCsv planning (spec/import-export.md §3).
#include "engine/import/csv_import_plan.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/import/write_typing.h"
#include "loom/datetime.h"
#include "loom/status.h"

namespace loom::engine {
namespace {

constexpr double kTwoPow53 = 9007199254740992.0;

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// PapaParse FLOAT: /^\s*-?(\d+\.?|\.\d+|\d+\.\d+)([eE][-+]?\d+)?\s*$/
bool MatchesPapaFloat(std::string_view t) {
  size_t i = 0;
  if (i < t.size() && t[i] == '-') ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < t.size() && IsDigit(t[i])) ++i, ++int_digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && IsDigit(t[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < t.size() && IsDigit(t[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == t.size();
}

bool Digits(std::string_view s, size_t pos, int n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    if (!IsDigit(s[pos + i])) return false;
    v = v * 10 + (s[pos + i] - '0');
  }
  *out = v;
  return true;
}

// PapaParse ISO_DATE (YYYY-MM-DDTHH:MM[:SS[.f+]](Z|±HH:MM)) followed by
// `new Date(text).toISOString()` as V8 computes it: days 1-31 roll over into
// the next month, hour 24 only as 24:00:00.000, milliseconds truncated.
// nullopt when the text does not match or V8 would make an Invalid Date.
std::optional<std::string> PapaIsoToUtc(std::string_view s) {
  int y, mo, d, h, mi, sec = 0, ms = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 16 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || s[10] != 'T' || !Digits(s, 11, 2, &h) ||
      s[13] != ':' || !Digits(s, 14, 2, &mi)) {
    return std::nullopt;
  }
  // Regex ranges: [01]\d, [0-3]\d, [0-2]\d, [0-5]\d.
  if (mo > 19 || d > 39 || h > 29 || mi > 59) return std::nullopt;
  size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!Digits(s, i + 1, 2, &sec) || sec > 59) return std::nullopt;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      ++i;
      size_t start = i;
      while (i < s.size() && IsDigit(s[i])) {
        if (i - start < 3) ms = ms * 10 + (s[i] - '0');
        ++i;
      }
      if (i == start) return std::nullopt;
      for (size_t k = i - start; k < 3; ++k) ms *= 10;
    }
  }
  int offset_minutes = 0;
  if (i < s.size() && s[i] == 'Z') {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (!Digits(s, i + 1, 2, &oh) || i + 3 >= s.size() || s[i + 3] != ':' ||
        !Digits(s, i + 4, 2, &om) || oh > 29 || om > 59) {
      return std::nullopt;
    }
    if (oh > 23) return std::nullopt;  // V8: Invalid Date
    offset_minutes = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  if (h > 24 || (h == 24 && (mi != 0 || sec != 0 || ms != 0))) return std::nullopt;
  int64_t ms_total = ((DaysFromCivil(y, mo, 1) + d - 1) * 86400 + int64_t{h} * 3600 +
                      int64_t{mi} * 60 + sec - int64_t{offset_minutes} * 60) * 1000 + ms;
  int64_t days = ms_total >= 0 ? ms_total / 86400000 : -((-ms_total + 86399999) / 86400000);
  int64_t rem = ms_total - days * 86400000;
  int64_t yy;
  int mm, dd;
  CivilFromDays(days, &yy, &mm, &dd);
  char year[16];
  if (yy >= 0 && yy <= 9999) {
    std::snprintf(year, sizeof(year), "%04lld", static_cast<long long>(yy));
  } else {
    std::snprintf(year, sizeof(year), "%c%06lld", yy < 0 ? '-' : '+',
                  static_cast<long long>(yy < 0 ? -yy : yy));
  }
  char out[48];
  std::snprintf(out, sizeof(out), "%s-%02d-%02dT%02d:%02d:%02d.%03dZ", year, mm, dd,
                static_cast<int>(rem / 3600000), static_cast<int>(rem / 60000 % 60),
                static_cast<int>(rem / 1000 % 60), static_cast<int>(rem % 1000));
  return std::string(out);
}

bool IsBlank(std::string_view s) { return TrimEcmaWhitespace(s).empty(); }

absl::StatusOr<char> OneChar(const Json& v, const std::string& path) {
  if (!v.is_string() || v.get_ref<const std::string&>().size() != 1) {
    return InvalidArgument(path, "must be a single character");
  }
  return v.get_ref<const std::string&>()[0];
}

}  // namespace

absl::StatusOr<CsvParseConfig> ParseCsvParseConfig(const Json* parse_config, const Json* options,
                                                   std::string_view path) {
  CsvParseConfig config;
  // dynamicTyping default: options?.suggestTypes ?? false.
  if (options != nullptr && options->is_object()) {
    auto it = options->find("suggestTypes");
    if (it != options->end() && it->is_boolean()) config.dynamic_typing = it->get<bool>();
  }
  if (parse_config == nullptr || parse_config->is_null()) return config;
  if (!parse_config->is_object()) return InvalidArgument(path, "parseConfig must be an object");
  const Json& pc = *parse_config;
  auto child = [&](const char* key) { return JsonPointerChild(path, key); };
  if (auto it = pc.find("delimiter"); it != pc.end() && !it->is_null()) {
    if (!it->is_string() || CodePoints(it->get_ref<const std::string&>()) < 1 ||
        CodePoints(it->get_ref<const std::string&>()) > 5) {
      return InvalidArgument(child("delimiter"), "delimiter must be 1-5 characters");
    }
    config.dialect.delimiter = it->get<std::string>();
  }
  if (auto it = pc.find("header"); it != pc.end() && !it->is_null()) {
    if (!it->is_boolean()) return InvalidArgument(child("header"), "must be a boolean");
    config.header = it->get<bool>();
  }
  if (auto it = pc.find("skipEmptyLines"); it != pc.end() && !it->is_null()) {
    if (it->is_boolean()) {
      config.skip_empty_lines = it->get<bool>() ? SkipEmptyLines::kEmpty : SkipEmptyLines::kNo;
    } else if (it->is_string() && *it == "greedy") {
      config.skip_empty_lines = SkipEmptyLines::kGreedy;
    } else {
      return InvalidArgument(child("skipEmptyLines"), "must be a boolean or \"greedy\"");
    }
  }
  if (auto it = pc.find("dynamicTyping"); it != pc.end() && it->is_boolean()) {
    config.dynamic_typing = it->get<bool>();
  }
  if (auto it = pc.find("quoteChar"); it != pc.end() && !it->is_null()) {
    LOOM_ASSIGN_OR_RETURN(config.dialect.quote, OneChar(*it, child("quoteChar")));
  }
  if (auto it = pc.find("escapeChar"); it != pc.end() && !it->is_null()) {
    LOOM_ASSIGN_OR_RETURN(config.dialect.escape, OneChar(*it, child("escapeChar")));
  }
  if (auto it = pc.find("newline"); it != pc.end() && !it->is_null()) {
    if (!it->is_string() ||
        (*it != "" && *it != "\r\n" && *it != "\n" && *it != "\r")) {
      return InvalidArgument(child("newline"), "newline must be \"\\r\\n\", \"\\n\" or \"\\r\"");
    }
    config.dialect.newline = it->get<std::string>();
  }
  return config;
}

std::vector<std::string> SanitizeHeaders(const std::vector<std::string>& header) {
  std::vector<std::string> out;
  out.reserve(header.size());
  absl::flat_hash_set<std::string> used;
  for (size_t col = 0; col < header.size(); ++col) {
    std::string no_nul;
    for (char c : header[col]) {
      if (c != '\0') no_nul += c;
    }
    std::string_view trimmed = TrimEcmaWhitespace(no_nul);
    std::string name;
    if (trimmed.empty()) {
      name = absl::StrCat("column_", col + 1);
    } else {
      size_t i = 0;
      while (i < trimmed.size()) {
        size_t len = 0;
        if (StartsWithEcmaWhitespace(trimmed.substr(i), &len)) {
          while (StartsWithEcmaWhitespace(trimmed.substr(i), &len)) i += len;
          name += '_';
        } else {
          name += trimmed[i++];
        }
      }
      char first = name[0];
      bool ok = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_';
      if (!ok) name = "_" + name;
    }
    if (used.contains(name)) {
      for (int k = 2;; ++k) {
        std::string candidate = absl::StrCat(name, "_", k);
        if (!used.contains(candidate)) {
          name = std::move(candidate);
          break;
        }
      }
    }
    used.insert(name);
    out.push_back(std::move(name));
  }
  return out;
}

Json DynamicTypeCell(std::string_view cell) {
  if (cell == "true" || cell == "TRUE") return true;
  if (cell == "false" || cell == "FALSE") return false;
  std::string_view t = TrimEcmaWhitespace(cell);
  if (MatchesPapaFloat(t)) {
    std::string copy(t);
    double v = std::strtod(copy.c_str(), nullptr);
    if (v > -kTwoPow53 && v < kTwoPow53) return v;
  }
  if (std::optional<std::string> iso = PapaIsoToUtc(cell)) return *iso;
  if (cell.empty()) return nullptr;
  return std::string(cell);
}

bool IsSkippedCsvRow(const std::vector<std::string>& row, const CsvParseConfig& config) {
  switch (config.skip_empty_lines) {
    case SkipEmptyLines::kNo:
      return false;
    case SkipEmptyLines::kEmpty:
      return row.size() == 1 && row[0].empty();
    case SkipEmptyLines::kGreedy:
      for (const std::string& f : row) {
        if (!IsBlank(f)) return false;
      }
      return true;
  }
  return false;
}

CsvRecordStream::CsvRecordStream(std::istream* in, CsvParseConfig config, ImportOptions options,
                                 std::string data_path)
    : config_(std::move(config)),
      options_(std::move(options)),
      data_path_(std::move(data_path)),
      reader_(in, config_.dialect) {}

absl::StatusOr<bool> CsvRecordStream::Next(std::vector<Property>* properties) {
  while (true) {
    LOOM_ASSIGN_OR_RETURN(bool more, reader_.Next(&row_));
    if (!more) return false;
    if (IsSkippedCsvRow(row_, config_)) continue;
    if (config_.header && !header_read_) {
      columns_ = SanitizeHeaders(row_);
      header_read_ = true;
      continue;
    }
    if (config_.header && row_.size() != columns_.size()) {
      return InvalidArgument(
          data_path_,
          absl::StrCat("CSV parse error: line ", reader_.line(), ": ",
                       row_.size() < columns_.size() ? "too few" : "too many", " fields: expected ",
                       columns_.size(), ", found ", row_.size()));
    }
    properties->clear();
    for (size_t i = 0; i < row_.size(); ++i) {
      std::string name = config_.header ? columns_[i] : absl::StrCat("column_", i + 1);
      Json cell = config_.dynamic_typing ? DynamicTypeCell(row_[i]) : Json(row_[i]);
      if (cell.is_null()) continue;
      LOOM_ASSIGN_OR_RETURN(std::optional<Value> value,
                            TypeImportValue(cell, options_, data_path_));
      if (value) properties->push_back(Property{std::move(name), std::move(*value)});
    }
    return true;
  }
}

absl::StatusOr<ImportPlan> PlanCsvImport(const Json& args) {
  if (!args.is_object()) return InvalidArgument("", "arguments must be an object");
  LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(args, ""));
  auto label = args.find("label");
  if (label == args.end() || !label->is_string() ||
      TrimEcmaWhitespace(label->get_ref<const std::string&>()).empty()) {
    return InvalidArgument("/label", "label is required");
  }
  auto data = args.find("data");
  if (data == args.end() || !data->is_string()) {
    return InvalidArgument("/data", "data must be CSV text");
  }
  auto options_it = args.find("options");
  const Json* options = options_it == args.end() ? nullptr : &*options_it;
  auto pc_it = args.find("parseConfig");
  LOOM_ASSIGN_OR_RETURN(ImportOptions import_options, ParseImportOptions(options, "/options"));
  LOOM_ASSIGN_OR_RETURN(CsvParseConfig config,
                        ParseCsvParseConfig(pc_it == args.end() ? nullptr : &*pc_it, options,
                                            "/parseConfig"));
  ImportPlan plan;
  plan.options = import_options;
  plan.relationship_type = import_options.relationship_type;
  std::string record_label = label->get<std::string>();
  if (import_options.capitalize_labels) record_label = UpperCaseLabel(record_label);
  std::istringstream in(data->get<std::string>());
  CsvRecordStream stream(&in, config, import_options, "/data");
  std::vector<Property> properties;
  while (true) {
    LOOM_ASSIGN_OR_RETURN(bool more, stream.Next(&properties));
    if (!more) break;
    plan.records.push_back(DraftRecord{record_label, std::move(properties), -1});
    properties.clear();
  }
  return plan;
}

}  // namespace loom::engine
