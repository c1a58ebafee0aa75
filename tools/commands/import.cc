// tools/commands/import.cc: `loom import FILE...`.
//
// Format by --format or extension: .json -> records.importJson (whole file,
// one atomic operation); .jsonl/.ndjson and .csv/.tsv -> records.importFile:
// the engine streams the file and commits batches of --chunk records, each
// with its resume marker (RELIABILITY.md I6); .bundle.json/.bundle.jsonl (or a
// .jsonl whose first line has "kind") -> records.load, the dataset-bundle
// loader (import-export.md §6), which keeps ids.
//
// --on-error skip (and --merge-by / --merge-strategy, which file imports do
// not support) send JSON lines / CSV rows in chunks through
// records.importJson / importCsv instead: a failed chunk is retried line by
// line (row by row for CSV) and the rejected lines are written to --reject-file.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "loom/status.h"
#include "tools/commands/commands.h"
#include "tools/progress.h"

namespace loom::cli {
namespace {

enum class InputFormat { kJson, kJsonl, kCsv, kTsv, kBundleJson, kBundleJsonl };

// A JSONL line that is a bundle entry: an object with "kind".
bool LooksLikeBundleLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    absl::StatusOr<Json> entry = ParseJsonText(line, "line");
    if (!entry.ok() || !entry->is_object()) return false;
    auto kind = entry->find("kind");
    return kind != entry->end() && kind->is_string() &&
           (*kind == "record" || *kind == "relationship");
  }
  return false;
}

absl::StatusOr<InputFormat> DetectFormat(const std::string& path, const std::string& given) {
  const std::string name = absl::AsciiStrToLower(path);
  if (given == "bundle") {
    return absl::EndsWith(name, ".json") ? InputFormat::kBundleJson : InputFormat::kBundleJsonl;
  }
  if (given == "json") return InputFormat::kJson;
  if (given == "jsonl" || given == "ndjson") return InputFormat::kJsonl;
  if (given == "csv") return absl::EndsWith(name, ".tsv") ? InputFormat::kTsv : InputFormat::kCsv;
  if (given == "tsv") return InputFormat::kTsv;
  if (!given.empty()) return InvalidArgument("", "unknown import format \"" + given + "\"");
  if (absl::EndsWith(name, ".bundle.json")) return InputFormat::kBundleJson;
  if (absl::EndsWith(name, ".bundle.jsonl") || absl::EndsWith(name, ".bundle.ndjson")) return InputFormat::kBundleJsonl;
  if (absl::EndsWith(name, ".jsonl") || absl::EndsWith(name, ".ndjson")) {
    return LooksLikeBundleLine(path) ? InputFormat::kBundleJsonl : InputFormat::kJsonl;
  }
  if (absl::EndsWith(name, ".json")) return InputFormat::kJson;
  if (absl::EndsWith(name, ".csv")) return InputFormat::kCsv;
  if (absl::EndsWith(name, ".tsv")) return InputFormat::kTsv;
  return InvalidArgument("", "cannot tell the format of " + path +
                                 " from its extension; pass --format json|jsonl|csv|bundle");
}

// The import options: absent unless the user gave some (then the library's
// "options present" defaults apply, import-export.md §2.4). `returnResult` is
// added so that the result reports how many records were written.
struct BuiltOptions {
  Json options;              // always an object
  bool user_given = false;   // --options or a flag was given
};

absl::StatusOr<BuiltOptions> BuildOptions(const ImportArgs& args) {
  BuiltOptions out;
  out.options = Json::object();
  if (!args.options_json.empty()) {
    LOOM_ASSIGN_OR_RETURN(out.options, ParseJsonText(args.options_json, "--options"));
    if (!out.options.is_object()) return InvalidArgument("", "--options must be a JSON object");
    out.user_given = true;
  }
  auto set = [&](const char* key, Json value) {
    out.options[key] = std::move(value);
    out.user_given = true;
  };
  if (args.suggest_types) set("suggestTypes", true);
  if (args.no_suggest_types) set("suggestTypes", false);
  if (args.capitalize_labels) set("capitalizeLabels", true);
  if (!args.relationship_type.empty()) set("relationshipType", args.relationship_type);
  if (!args.merge_by.empty()) {
    Json keys = Json::array();
    size_t start = 0;
    while (start <= args.merge_by.size()) {
      size_t comma = args.merge_by.find(',', start);
      if (comma == std::string::npos) comma = args.merge_by.size();
      std::string key = args.merge_by.substr(start, comma - start);
      key.erase(0, key.find_first_not_of(' '));
      key.erase(key.find_last_not_of(' ') + 1);
      if (!key.empty()) keys.push_back(key);
      start = comma + 1;
    }
    set("mergeBy", keys);
  }
  if (!args.merge_strategy.empty()) set("mergeStrategy", args.merge_strategy);
  // Flags without --options start from the library's own defaults, so that
  // `--merge-by email` does not silently turn typing off; --options is taken
  // as written (the RushDB rule applies).
  if (args.options_json.empty() && !out.options.contains("suggestTypes")) out.options["suggestTypes"] = true;
  if (!out.user_given) out.options["suggestTypes"] = true;
  if (!out.options.contains("returnResult")) out.options["returnResult"] = true;
  return out;
}

// Records reported by an import result: true (unknown), [records], or
// {"message", "count"}.
int64_t CountOf(const Json& result) {
  if (result.is_array()) return static_cast<int64_t>(result.size());
  if (result.is_object() && result.contains("count") && result["count"].is_number()) {
    return result["count"].get<int64_t>();
  }
  if (result.is_object() && result.contains("data") && result["data"].is_array()) {
    return static_cast<int64_t>(result["data"].size());
  }
  return 0;
}

std::optional<int64_t> RelationshipTotal(Database& db) {
  absl::StatusOr<Json> page = SafeCall(db, "relationships.find", Json{{"limit", 1}});
  if (!page.ok() || !page->contains("total") || !(*page)["total"].is_number()) return std::nullopt;
  return (*page)["total"].get<int64_t>();
}

// `status` with "FILE: " before its message, unless it already starts with
// the file's name ("FILE:12: ...").
absl::Status Annotate(const absl::Status& status, const std::string& where) {
  std::string message(status.message());
  if (!message.starts_with(where + ":")) message = where + ": " + message;
  auto path = ErrorPath(status);
  return MakeError(GetErrorCode(status), message, path.value_or(""));
}

// Counters and reporting shared by the per-format loaders.
class Importer {
 public:
  Importer(const Context& ctx, Database& db, const ImportArgs& args, BuiltOptions options)
      : ctx_(ctx), db_(db), args_(args), opts_(std::move(options)) {}

  // `shown`: how messages name the input (the path, or "stdin" when it was
  // spooled to `path`).
  int Run(const std::string& path, const std::string& shown);

 private:
  absl::Status ImportJsonFile(const std::string& path);
  absl::Status ImportLines(const std::string& path);
  absl::Status ImportCsv(const std::string& path, bool tsv);
  absl::Status ImportBundle(const std::string& path, bool jsonl);
  absl::Status ImportStreamed(const std::string& path, InputFormat format);

  // One chunk of JSONL text through records.importJson.
  absl::Status SendJsonlChunk(const std::string& text, const std::vector<std::string>& lines,
                              size_t first_line);
  // `lines`: the physical line each row starts on.
  absl::Status SendCsvChunk(const std::string& header, const std::vector<std::string>& rows,
                            const std::vector<size_t>& lines, bool tsv);
  absl::StatusOr<Json> CallImportJson(const std::string& text);
  absl::StatusOr<Json> CallImportCsv(const std::string& text, bool tsv);
  absl::Status Reject(const std::string& line, const absl::Status& why, const std::string& where);

  const Context& ctx_;
  Database& db_;
  const ImportArgs& args_;
  BuiltOptions opts_;
  std::unique_ptr<Progress> progress_;
  std::unique_ptr<std::ofstream> reject_;
  uint64_t bytes_ = 0;
  int64_t records_ = 0;
  int64_t relationships_ = 0;
  bool relationships_known_ = false;
  int64_t rejected_ = 0;

};

absl::StatusOr<Json> Importer::CallImportJson(const std::string& text) {
  Json params = {{"data", text}, {"format", "jsonl"}, {"options", opts_.options}};
  if (!args_.label.empty()) params["label"] = args_.label;
  return SafeCall(db_, "records.importJson", params);
}

absl::StatusOr<Json> Importer::CallImportCsv(const std::string& text, bool tsv) {
  Json params = {{"label", args_.label}, {"data", text}, {"options", opts_.options}};
  Json parse_config = Json::object();
  if (tsv) parse_config["delimiter"] = "\t";
  // Without user options the library types CSV cells only by inference
  // (dynamicTyping off); keep that although returnResult makes options present.
  if (!opts_.user_given) parse_config["dynamicTyping"] = false;
  if (!parse_config.empty()) params["parseConfig"] = parse_config;
  return SafeCall(db_, "records.importCsv", params);
}

absl::Status Importer::Reject(const std::string& line, const absl::Status& why, const std::string& where) {
  ++rejected_;
  if (!args_.reject_file.empty()) {
    if (!reject_) {
      reject_ = std::make_unique<std::ofstream>(args_.reject_file, std::ios::binary | std::ios::app);
      if (!*reject_) return InvalidArgument("", "cannot write the reject file " + args_.reject_file);
    }
    *reject_ << line << '\n';
  }
  if (progress_) progress_->Clear();
  std::cerr << "skipped " << where << ": " << ErrorCodeName(GetErrorCode(why)) << ": " << why.message()
            << std::endl;
  return absl::OkStatus();
}

absl::Status Importer::SendJsonlChunk(const std::string& text, const std::vector<std::string>& lines,
                                      size_t first_line) {
  const std::string where = lines.size() == 1 ? "line " + std::to_string(first_line)
                                              : "lines " + std::to_string(first_line) + "-" +
                                                    std::to_string(first_line + lines.size() - 1);
  absl::StatusOr<Json> result = CallImportJson(text);
  if (result.ok()) {
    records_ += CountOf(*result);
    return absl::OkStatus();
  }
  if (args_.on_error != "skip" || lines.size() == 1) {
    if (args_.on_error == "skip") return Reject(lines[0], result.status(), "line " + std::to_string(first_line));
    return Annotate(result.status(), where);
  }
  // Isolate the bad lines.
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find_first_not_of(" \t\r") == std::string::npos) continue;
    LOOM_RETURN_IF_ERROR(SendJsonlChunk(lines[i], {lines[i]}, first_line + i));
  }
  return absl::OkStatus();
}

absl::Status Importer::ImportLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("", "cannot open " + path);
  constexpr size_t kMaxChunkBytes = size_t{32} << 20;
  std::vector<std::string> lines;
  std::string text;
  size_t first_line = 1;
  size_t line_no = 0;
  std::string line;
  auto flush = [&]() -> absl::Status {
    if (lines.empty()) return absl::OkStatus();
    LOOM_RETURN_IF_ERROR(SendJsonlChunk(text, lines, first_line));
    lines.clear();
    text.clear();
    progress_->Update(bytes_, static_cast<uint64_t>(records_), static_cast<uint64_t>(rejected_));
    return absl::OkStatus();
  };
  while (std::getline(in, line)) {
    ++line_no;
    bytes_ += line.size() + 1;
    if (lines.empty()) first_line = line_no;
    text += line;
    text += '\n';
    lines.push_back(std::move(line));
    if (lines.size() >= args_.chunk_lines || text.size() >= kMaxChunkBytes) LOOM_RETURN_IF_ERROR(flush());
  }
  if (in.bad()) return InvalidArgument("", "reading " + path + " failed");
  return flush();
}

absl::Status Importer::ImportJsonFile(const std::string& path) {
  LOOM_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  bytes_ = text.size();
  Json params = {{"data", std::move(text)}, {"format", "json"}, {"options", opts_.options}};
  if (!args_.label.empty()) params["label"] = args_.label;
  LOOM_ASSIGN_OR_RETURN(Json result, SafeCall(db_, "records.importJson", params));
  records_ += CountOf(result);
  return absl::OkStatus();
}

// Bundles go to the engine's dataset loader as a file: one atomic load that
// keeps ids (import-export.md §6.3).
absl::Status Importer::ImportBundle(const std::string& path, bool jsonl) {
  std::error_code ec;
  bytes_ = std::filesystem::file_size(path, ec);
  absl::StatusOr<Json> called;
  try {
    called = db_.records().Load(Json{{"path", path}, {"format", jsonl ? "jsonl" : "json"}},
                                [&](uint64_t bytes, uint64_t records) {
                                  progress_->Update(bytes, static_cast<uint64_t>(records_) + records);
                                });
  } catch (const std::exception& e) {
    called = MakeError(ErrorCode::kInternal, std::string("records.load failed: ") + e.what());
  }
  LOOM_ASSIGN_OR_RETURN(Json result, std::move(called));
  records_ += result.value("records", Json(0)).get<int64_t>();
  relationships_ += result.value("relationships", Json(0)).get<int64_t>();
  if (int64_t skipped = result.value("skippedRelationships", Json(0)).get<int64_t>(); skipped > 0) {
    if (progress_) progress_->Clear();
    std::cerr << "skipped " << skipped << " relationships whose endpoints do not exist" << std::endl;
  }
  return absl::OkStatus();
}

// JSON lines and CSV streamed by the engine (records.importFile): batches of
// --chunk records, each committed with its resume marker.
absl::Status Importer::ImportStreamed(const std::string& path, InputFormat format) {
  const char* name = format == InputFormat::kJsonl ? "jsonl" : format == InputFormat::kTsv ? "tsv" : "csv";
  Json params = {{"path", path}, {"format", name}, {"options", opts_.options}, {"batchRecords", args_.chunk_lines}};
  if (!args_.label.empty()) params["label"] = args_.label;
  if (args_.resume) params["resume"] = true;
  if (args_.restart) params["restart"] = true;
  if (format != InputFormat::kJsonl) {
    Json parse_config = Json::object();
    if (format == InputFormat::kTsv) parse_config["delimiter"] = "\t";
    // As CallImportCsv: without user options cells are typed only by inference.
    if (!opts_.user_given) parse_config["dynamicTyping"] = false;
    params["parseConfig"] = parse_config;
  }
  absl::StatusOr<Json> called;
  try {
    called = db_.records().ImportFile(params, [&](uint64_t bytes, uint64_t records) {
      progress_->Update(bytes, records_ + records, static_cast<uint64_t>(rejected_));
    });
  } catch (const std::exception& e) {
    called = MakeError(ErrorCode::kInternal, std::string("records.importFile failed: ") + e.what());
  }
  LOOM_ASSIGN_OR_RETURN(Json result, std::move(called));
  if (result.value("resumed", false)) {
    std::cerr << "resumed " << path << " after its last committed batch; the counts include the earlier run"
              << std::endl;
  }
  records_ += result.value("records", Json(0)).get<int64_t>();
  relationships_ += result.value("relationships", Json(0)).get<int64_t>();
  bytes_ = result.value("bytes", Json(0)).get<uint64_t>();
  return absl::OkStatus();
}

// ---- CSV ----

// The status of a one-row chunk with its "CSV parse error: line K" turned into
// the file's line (the row starts on `row_line`, the chunk's line 2).
absl::Status RebaseCsvLine(const absl::Status& status, size_t row_line) {
  static constexpr std::string_view kPrefix = "CSV parse error: line ";
  std::string message(status.message());
  const size_t at = message.find(kPrefix);
  if (at == std::string::npos) return status;
  const size_t digits = at + kPrefix.size();
  size_t end = digits;
  while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
  if (end == digits) return status;
  const size_t chunk_line = std::stoul(message.substr(digits, end - digits));
  if (chunk_line < 2) return status;
  message.replace(digits, end - digits, std::to_string(row_line + chunk_line - 2));
  return MakeError(GetErrorCode(status), message, ErrorPath(status).value_or(""));
}

// Splits CSV text into records: a record ends at a newline outside quotes.
// `quote` toggling is enough for RFC 4180 ("" inside quotes toggles twice).
class CsvRecordReader {
 public:
  explicit CsvRecordReader(std::istream& in) : in_(in) {}
  // Reads the next record (without its line break) into *out; false at EOF.
  bool Next(std::string* out, uint64_t* bytes) {
    out->clear();
    record_line_ = next_line_;
    bool in_quotes = false;
    bool any = false;
    char c;
    while (in_.get(c)) {
      any = true;
      ++*bytes;
      if (c == '"') in_quotes = !in_quotes;
      if (c == '\n' || (c == '\r' && in_.peek() != '\n')) ++next_line_;
      if (!in_quotes && (c == '\n' || c == '\r')) {
        if (c == '\r' && in_.peek() == '\n') {
          in_.get(c);
          ++*bytes;
          ++next_line_;
        }
        return true;
      }
      out->push_back(c);
    }
    return any;
  }
  // The physical line (1-based) where the last record read starts.
  size_t line() const { return record_line_; }

 private:
  std::istream& in_;
  size_t next_line_ = 1;
  size_t record_line_ = 0;
};

absl::Status Importer::SendCsvChunk(const std::string& header, const std::vector<std::string>& rows,
                                    const std::vector<size_t>& lines, bool tsv) {
  std::string text = header;
  for (const std::string& row : rows) {
    text += '\n';
    text += row;
  }
  absl::StatusOr<Json> result = CallImportCsv(text, tsv);
  if (result.ok()) {
    records_ += CountOf(*result);
    return absl::OkStatus();
  }
  // The engine's "line K" counts within the chunk (the header is line 1).
  if (rows.size() == 1) result = RebaseCsvLine(result.status(), lines[0]);
  // Rows are named by the physical line they start on, as editors show it.
  const std::string where = rows.size() == 1 ? "line " + std::to_string(lines[0])
                                             : "lines " + std::to_string(lines.front()) + "-" +
                                                   std::to_string(lines.back());
  if (args_.on_error != "skip") return Annotate(result.status(), where);
  if (rows.size() == 1) return Reject(rows[0], result.status(), where);
  for (size_t i = 0; i < rows.size(); ++i) {
    LOOM_RETURN_IF_ERROR(SendCsvChunk(header, {rows[i]}, {lines[i]}, tsv));
  }
  return absl::OkStatus();
}

absl::Status Importer::ImportCsv(const std::string& path, bool tsv) {
  if (args_.label.empty()) return InvalidArgument("", "importing CSV needs --label");
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("", "cannot open " + path);
  CsvRecordReader reader(in);
  std::string header;
  if (!reader.Next(&header, &bytes_)) return absl::OkStatus();  // empty file
  std::vector<std::string> rows;
  std::vector<size_t> lines;
  size_t rows_bytes = 0;
  std::string row;
  auto flush = [&]() -> absl::Status {
    if (rows.empty()) return absl::OkStatus();
    LOOM_RETURN_IF_ERROR(SendCsvChunk(header, rows, lines, tsv));
    rows.clear();
    lines.clear();
    rows_bytes = 0;
    progress_->Update(bytes_, static_cast<uint64_t>(records_), static_cast<uint64_t>(rejected_));
    return absl::OkStatus();
  };
  while (reader.Next(&row, &bytes_)) {
    if (row.empty()) continue;
    rows_bytes += row.size();
    rows.push_back(row);
    lines.push_back(reader.line());
    if (rows.size() >= args_.chunk_lines || rows_bytes >= (size_t{32} << 20)) LOOM_RETURN_IF_ERROR(flush());
  }
  return flush();
}

int Importer::Run(const std::string& path, const std::string& shown) {
  absl::StatusOr<InputFormat> format = DetectFormat(path, args_.format);
  if (!format.ok()) return ReportUsage(std::string(format.status().message()));
  if ((*format == InputFormat::kCsv || *format == InputFormat::kTsv) && args_.label.empty()) {
    return ReportUsage("importing CSV needs --label (" + shown + ")");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return ReportError(ctx_, InvalidArgument("", "no such file: " + shown));
  }
  const uint64_t size = std::filesystem::file_size(path, ec);
  progress_ = std::make_unique<Progress>(std::cerr, shown, ec ? 0 : size,
                                         !args_.no_progress && ::isatty(STDERR_FILENO));
  records_ = relationships_ = rejected_ = 0;
  bytes_ = 0;
  const bool bundle = *format == InputFormat::kBundleJson || *format == InputFormat::kBundleJsonl;
  // The engine streams JSON lines and CSV itself unless lines must be isolated
  // and rejected one by one (--on-error skip keeps the raw lines in
  // --reject-file) or records are merged (file imports do not upsert).
  const bool streamed = (*format == InputFormat::kJsonl || *format == InputFormat::kCsv ||
                         *format == InputFormat::kTsv) &&
                        args_.on_error != "skip" && !opts_.options.contains("mergeBy") &&
                        !opts_.options.contains("mergeStrategy");
  std::optional<int64_t> rels_before;
  if (!bundle && !streamed) rels_before = RelationshipTotal(db_);

  absl::Status status;
  if (streamed) {
    status = ImportStreamed(path, *format);
  } else {
    switch (*format) {
      case InputFormat::kJson: status = ImportJsonFile(path); break;
      case InputFormat::kJsonl: status = ImportLines(path); break;
      case InputFormat::kCsv: status = ImportCsv(path, false); break;
      case InputFormat::kTsv: status = ImportCsv(path, true); break;
      case InputFormat::kBundleJson: status = ImportBundle(path, false); break;
      case InputFormat::kBundleJsonl: status = ImportBundle(path, true); break;
    }
  }
  relationships_known_ = bundle || streamed;
  if (rels_before) {
    if (std::optional<int64_t> after = RelationshipTotal(db_)) {
      relationships_ = *after - *rels_before;
      relationships_known_ = true;
    }
  }
  const double seconds = progress_->ElapsedSeconds();
  progress_->Clear();
  if (!status.ok()) {
    if (records_ > 0) {
      std::cerr << "imported " << records_ << " records from " << shown << " before the error" << std::endl;
    }
    if (shown != path) {  // the engine names the spooled file: name the input instead
      std::string message(status.message());
      for (size_t at = message.find(path); at != std::string::npos; at = message.find(path, at + shown.size())) {
        message.replace(at, path.size(), shown);
      }
      status = MakeError(GetErrorCode(status), message, ErrorPath(status).value_or(""));
    }
    return ReportError(ctx_, Annotate(status, shown));
  }
  char summary[512];
  std::string rels = relationships_known_ ? std::to_string(relationships_) + " relationships" : "? relationships";
  // The rate counts records and relationships alike (both are written items).
  const double items = static_cast<double>(records_ + (relationships_known_ ? relationships_ : 0));
  std::snprintf(summary, sizeof summary, "imported %lld records, %s from %s in %.2f s (%.0f items/s)",
                static_cast<long long>(records_), rels.c_str(), shown.c_str(), seconds,
                seconds > 0 ? items / seconds : 0.0);
  std::string line = summary;
  if (rejected_ > 0) line += ", " + std::to_string(rejected_) + " rejected";
  progress_->Finish(line);
  if (!ctx_.format.empty() && ctx_.ResolvedFormat() == OutputFormat::kJson) {
    Json out = {{"file", shown}, {"records", records_}, {"seconds", seconds}, {"rejected", rejected_}};
    if (relationships_known_) out["relationships"] = relationships_;
    std::cout << out.dump() << std::endl;
  }
  return kExitOk;
}

// `loom import - --format F`: standard input copied to a temporary file, so
// that every format goes the way its files go (the engine streams JSON lines
// and CSV in batches from a file). Returns the file's path.
absl::StatusOr<std::string> SpoolStdin(const std::string& format) {
  if (format.empty()) {
    return InvalidArgument("", "importing stdin (-) needs --format json|jsonl|csv|tsv|bundle");
  }
  const std::string suffix = format == "bundle" ? ".bundle.jsonl" : "." + format;
  std::string path = (std::filesystem::temp_directory_path() / ("loom-stdin-XXXXXX" + suffix)).string();
  const int fd = ::mkstemps(path.data(), static_cast<int>(suffix.size()));
  if (fd < 0) return InvalidArgument("", "cannot create a temporary file for stdin");
  ::close(fd);
  std::ofstream out(path, std::ios::binary);
  out << std::cin.rdbuf();
  out.close();
  if (!out) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return InvalidArgument("", "cannot spool stdin to " + path + " (is the disk full?)");
  }
  return path;
}

}  // namespace

int RunImport(const Context& ctx, Database& db, const ImportArgs& args) {
  if (std::optional<std::string> problem = ImportArgsProblem(args)) return ReportUsage(*problem);
  if (!args.nodes.empty()) return RunGraphImport(ctx, db, args);
  if (args.on_error != "abort" && args.on_error != "skip") {
    return ReportUsage("--on-error must be abort or skip");
  }
  if (!args.merge_strategy.empty() && args.merge_strategy != "append" && args.merge_strategy != "rewrite") {
    return ReportUsage("--merge-strategy must be append or rewrite");
  }
  if (args.suggest_types && args.no_suggest_types) {
    return ReportUsage("--suggest-types and --no-suggest-types exclude each other");
  }
  absl::StatusOr<BuiltOptions> options = BuildOptions(args);
  if (!options.ok()) return ReportUsage(std::string(options.status().message()));
  for (const std::string& file : args.files) {
    Importer importer(ctx, db, args, *options);
    if (file != "-") {
      if (int code = importer.Run(file, file); code != kExitOk) return code;
      continue;
    }
    absl::StatusOr<std::string> spooled = SpoolStdin(args.format);
    if (!spooled.ok()) return ReportUsage(std::string(spooled.status().message()));
    const int code = importer.Run(*spooled, "stdin");
    std::error_code ec;
    std::filesystem::remove(*spooled, ec);
    if (code != kExitOk) return code;
  }
  return kExitOk;
}

}  // namespace loom::cli
