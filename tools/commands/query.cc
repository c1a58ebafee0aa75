// tools/commands/query.cc: `loom query`, `loom explain`, `loom export`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "loom/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/commands/commands.h"
#include "tools/progress.h"

namespace loom::cli {

absl::StatusOr<Json> LoadQuery(const std::string& text, const std::string& file) {
  std::string source = text;
  std::string what = "the query";
  if (!file.empty()) {
    LOOM_ASSIGN_OR_RETURN(source, ReadFileText(file));
    what = file == "-" ? "the query on stdin" : "the query in " + file;
  } else if (text == "-") {
    LOOM_ASSIGN_OR_RETURN(source, ReadFileText("-"));
    what = "the query on stdin";
  }
  if (source.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  return ParseJsonText(source, what);
}

int RunQuery(const Context& ctx, Database& db, const Json& query, bool timer, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<Json> result = SafeCall(db, "records.find", query);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!result.ok()) return ReportError(ctx, result.status());
  // Ignored keys and other no-ops go to stderr, so they are seen but never
  // mix with the rows.
  if (auto w = result->find("warnings"); w != result->end() && w->is_array()) {
    for (const Json& warning : *w) {
      std::cerr << "warning: " << warning.value("message", std::string()) << " (at "
                << warning.value("path", std::string()) << ")" << std::endl;
    }
    result->erase("warnings");
  }
  RenderOptions options;
  options.terminal = ctx.stdout_is_tty;
  if (options.terminal) options.max_width = TerminalWidth();
  RenderRows(out, *result, ctx.ResolvedFormat(), options);
  out.flush();
  if (timer) {
    char line[64];
    std::snprintf(line, sizeof line, "Run Time: %.3f s", seconds);
    std::cerr << line << std::endl;
  }
  return kExitOk;
}

int RunExplain(const Context& ctx, Database& db, const Json& query, bool analyze, std::ostream& out) {
  Json params = {{"query", query}};
  if (analyze) params["options"] = {{"analyze", true}};
  absl::StatusOr<Json> result = SafeCall(db, "records.explain", params);
  if (!result.ok()) return ReportError(ctx, result.status());
  // The plan text reads best as is; --format json prints the whole object.
  const bool json = !ctx.format.empty() && ctx.ResolvedFormat() != OutputFormat::kTable;
  if (!json && result->is_object() && result->contains("text") && (*result)["text"].is_string()) {
    std::string text = (*result)["text"].get<std::string>();
    out << text;
    if (text.empty() || text.back() != '\n') out << '\n';
  } else {
    RenderValue(out, *result, OutputFormat::kJson);
  }
  return kExitOk;
}

int RunExport(const Context& ctx, Database& db, const Json& query_in, const std::string& format_in,
              const std::string& output, int64_t limit, std::ostream& out) {
  // Every matching record unless --limit says otherwise (the API's
  // records.export keeps RushDB's 100-row CSV default).
  Json query = query_in;
  if (limit > 0) query["limit"] = limit;
  const std::string format = format_in.empty() ? "csv" : format_in;
  Json params = {{"query", query}, {"options", {{"format", format}, {"all", true}}}};
  absl::StatusOr<Json> result = SafeCall(db, "records.export", params);
  if (!result.ok()) return ReportError(ctx, result.status());
  std::string content;
  if (result->is_object() && result->contains("fileContent") && (*result)["fileContent"].is_string()) {
    content = (*result)["fileContent"].get<std::string>();
  } else {
    return ReportError(ctx, MakeError(ErrorCode::kInternal, "records.export returned no fileContent"));
  }
  if (output.empty() || output == "-") {
    out << content;
    if (!content.empty() && content.back() != '\n') out << '\n';
    out.flush();
    return kExitOk;
  }
  std::ofstream file(output, std::ios::binary | std::ios::trunc);
  if (!file) return ReportError(ctx, MakeError(ErrorCode::kInvalidArgument, "cannot write " + output));
  file << content;
  file.close();
  if (!file) return ReportError(ctx, MakeError(ErrorCode::kInternal, "writing " + output + " failed"));
  // Rows: CSV lines after the header, JSON-lines lines, JSON array items.
  size_t rows = 0;
  if (format == "json") {
    Json parsed = Json::parse(content, nullptr, /*allow_exceptions=*/false);
    rows = parsed.is_array() ? parsed.size() : 0;
  } else if (format == "jsonl") {
    rows = static_cast<size_t>(std::count(content.begin(), content.end(), '\n'));
  } else {  // CSV records end with CRLF; a line break inside a quoted value is a bare LF
    for (size_t at = content.find("\r\n"); at != std::string::npos; at = content.find("\r\n", at + 2)) ++rows;
    if (!content.empty() && !content.ends_with("\r\n")) ++rows;  // the last record has no terminator
    if (rows > 0) --rows;                                           // the header
  }
  std::cerr << "exported " << rows << " record(s), " << content.size() << " bytes to " << output << std::endl;
  return kExitOk;
}

int RunDump(const Context& ctx, Database& db, const std::string& output, std::ostream& out) {
  const bool to_stdout = output.empty() || output == "-";
  // A file is written by the engine as it reads (no copy of the dump in memory).
  Json params = to_stdout ? Json::object() : Json{{"path", output}};
  // The status line counts records and relationships together.
  Progress progress(std::cerr, to_stdout ? "dump" : output, 0, !to_stdout && ctx.stderr_is_tty);
  absl::StatusOr<Json> result;
  try {
    result = db.Dump(params, [&](uint64_t bytes, uint64_t items) { progress.Update(bytes, items); });
  } catch (const std::exception& e) {
    result = MakeError(ErrorCode::kInternal, std::string("db.dump failed: ") + e.what());
  }
  if (!result.ok()) {
    progress.Clear();
    return ReportError(ctx, result.status());
  }
  if (to_stdout) {
    out << result->value("fileContent", "");
    out.flush();
  }
  const uint64_t records = result->value("records", Json(0)).get<uint64_t>();
  const uint64_t relationships = result->value("relationships", Json(0)).get<uint64_t>();
  const double seconds = progress.ElapsedSeconds();
  progress.Finish(absl::StrCat("dumped ", records, " records, ", relationships, " relationships",
                               to_stdout ? "" : absl::StrCat(" to ", output), " in ",
                               absl::StrFormat("%.2f s (%.0f items/s)", seconds,
                                               seconds > 0 ? (records + relationships) / seconds : 0.0)));
  return kExitOk;
}

}  // namespace loom::cli
