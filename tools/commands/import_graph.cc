// tools/commands/import_graph.cc: `loom import --nodes LABEL=FILE ...
// --edges TYPE=FILE ...`, graph CSV tables through records.load (one atomic
// load; see engine/bulk/graph_csv_loader.h for the table conventions).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "loom/status.h"
#include "tools/commands/commands.h"
#include "tools/progress.h"

namespace loom::cli {
namespace {

// "NAME=FILE" -> {"<name_key>": NAME, "path": FILE}.
absl::StatusOr<Json> TableArg(const std::string& arg, const char* flag, const char* name_key) {
  const size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
    return InvalidArgument("", std::string(flag) + " takes " + (std::string(name_key) == "label" ? "LABEL" : "TYPE") +
                                   "=FILE, got \"" + arg + "\"");
  }
  const std::string path = arg.substr(eq + 1);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return InvalidArgument("", "no such file: " + path);
  return Json{{name_key, arg.substr(0, eq)}, {"path", path}};
}

uint64_t FileBytes(const Json& tables) {
  uint64_t total = 0;
  for (const Json& t : tables) {
    std::error_code ec;
    const uintmax_t n = std::filesystem::file_size(t["path"].get<std::string>(), ec);
    if (!ec) total += n;
  }
  return total;
}

}  // namespace

std::optional<std::string> ImportArgsProblem(const ImportArgs& args) {
  const bool tables = !args.nodes.empty() || !args.edges.empty() || !args.key.empty();
  if (!tables) {
    if (args.files.empty()) return "import needs FILE arguments, or --nodes LABEL=FILE graph tables";
    return std::nullopt;
  }
  if (!args.files.empty()) return "give either FILE arguments or --nodes/--edges tables, not both";
  if (args.nodes.empty()) return "a graph import needs at least one --nodes LABEL=FILE";
  if (!args.label.empty() || !args.format.empty() || !args.options_json.empty() || !args.merge_by.empty() ||
      !args.merge_strategy.empty() || args.on_error != "abort" || args.resume || args.restart) {
    return "--label, --format, --options, --merge-by, --merge-strategy, --on-error, --resume and --restart do not "
           "apply to --nodes/--edges imports (one atomic load: an error leaves the database as it was)";
  }
  return std::nullopt;
}

int RunGraphImport(const Context& ctx, Database& db, const ImportArgs& args) {
  if (std::optional<std::string> problem = ImportArgsProblem(args)) return ReportUsage(*problem);
  Json params = {{"nodes", Json::array()}, {"edges", Json::array()}};
  for (const std::string& n : args.nodes) {
    absl::StatusOr<Json> table = TableArg(n, "--nodes", "label");
    if (!table.ok()) return ReportUsage(std::string(table.status().message()));
    if (!args.key.empty()) (*table)["key"] = args.key;
    params["nodes"].push_back(*std::move(table));
  }
  for (const std::string& e : args.edges) {
    absl::StatusOr<Json> table = TableArg(e, "--edges", "type");
    if (!table.ok()) return ReportUsage(std::string(table.status().message()));
    params["edges"].push_back(*std::move(table));
  }
  const uint64_t bytes = FileBytes(params["nodes"]) + FileBytes(params["edges"]);
  Progress progress(std::cerr, "graph tables", bytes, !args.no_progress && ::isatty(STDERR_FILENO));
  absl::StatusOr<Json> loaded;
  try {
    loaded = db.records().Load(params, [&](uint64_t done, uint64_t items) { progress.Update(done, items); });
  } catch (const std::exception& e) {
    loaded = MakeError(ErrorCode::kInternal, std::string("records.load failed: ") + e.what());
  }
  const double seconds = progress.ElapsedSeconds();
  progress.Clear();
  if (!loaded.ok()) return ReportError(ctx, loaded.status());
  const int64_t records = loaded->value("records", Json(0)).get<int64_t>();
  const int64_t relationships = loaded->value("relationships", Json(0)).get<int64_t>();
  char summary[256];
  std::snprintf(summary, sizeof summary, "imported %lld records, %lld relationships from %zu tables in %.2f s (%.0f items/s)",
                static_cast<long long>(records), static_cast<long long>(relationships),
                args.nodes.size() + args.edges.size(), seconds,
                seconds > 0 ? static_cast<double>(records + relationships) / seconds : 0.0);
  progress.Finish(summary);
  if (!ctx.format.empty() && ctx.ResolvedFormat() == OutputFormat::kJson) {
    std::cout << Json{{"records", records}, {"relationships", relationships}, {"seconds", seconds}}.dump() << std::endl;
  }
  return kExitOk;
}

}  // namespace loom::cli
