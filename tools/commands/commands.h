// tools/commands/commands.h: the subcommands of `loom`, callable from main()
// and from the shell's dot-commands. Each Run* function prints its result on
// `out`, errors on stderr, and returns the process exit code (cli_context.h).
#ifndef LOOM_TOOLS_COMMANDS_COMMANDS_H_
#define LOOM_TOOLS_COMMANDS_COMMANDS_H_

#include <cstdint>
#include <ostream>
#include <optional>
#include <string>
#include <vector>

#include "loom/database.h"
#include "loom/json.h"
#include "tools/cli_context.h"

namespace loom::cli {

// ---- import (commands/import.cc) ----
struct ImportArgs {
  std::vector<std::string> files;
  std::string label;
  std::string format;  // "" = by extension: json, jsonl, csv, bundle
  std::string options_json;
  std::string relationship_type;
  bool suggest_types = false;
  bool no_suggest_types = false;
  bool capitalize_labels = false;
  std::string merge_by;        // comma-separated
  std::string merge_strategy;  // append | rewrite
  std::string on_error = "abort";
  std::string reject_file;
  bool no_progress = false;
  bool resume = false;  // streamed imports: continue after the last committed batch
  bool restart = false;  // streamed imports: start over although an earlier run was interrupted
  size_t chunk_lines = 10000;
  // Graph CSV tables (commands/import_graph.cc): LABEL=FILE / TYPE=FILE.
  std::vector<std::string> nodes, edges;
  std::string key;  // key column of the node tables ("" = :ID or id)
};
int RunImport(const Context& ctx, Database& db, const ImportArgs& args);
int RunGraphImport(const Context& ctx, Database& db, const ImportArgs& args);
// The usage error of an import's arguments (FILEs and graph tables mixed,
// neither given, row-import flags on tables), or nullopt. Checked before the
// database is opened, so a usage error never creates one.
std::optional<std::string> ImportArgsProblem(const ImportArgs& args);

// ---- query, explain, export (commands/query.cc) ----
// Reads the query text: `text` itself, the file `file`, or stdin for "-".
// An empty source means "{}".
absl::StatusOr<Json> LoadQuery(const std::string& text, const std::string& file);
int RunQuery(const Context& ctx, Database& db, const Json& query, bool timer, std::ostream& out);
int RunExplain(const Context& ctx, Database& db, const Json& query, bool analyze, std::ostream& out);
// Writes fileContent to `output` ("" or "-" = out).
int RunExport(const Context& ctx, Database& db, const Json& query, const std::string& format,
              const std::string& output, int64_t limit, std::ostream& out);

// ---- schema, labels, check, stats (commands/schema.cc) ----
// `loom dump [-o FILE]`: the dataset bundle of import-export.md §5.3 (db.dump).
int RunDump(const Context& ctx, Database& db, const std::string& output, std::ostream& out);
int RunSchema(const Context& ctx, Database& db, std::ostream& out);
int RunLabels(const Context& ctx, Database& db, std::ostream& out);
int RunCheck(const Context& ctx, Database& db, std::ostream& out);
int RunStats(const Context& ctx, Database& db, std::ostream& out);

// ---- call (commands/call.cc) ----
int RunCall(const Context& ctx, Database& db, const std::string& method, const std::string& params,
            std::ostream& out);

// ---- gen (commands/gen.cc) ----
struct GenArgs {
  int64_t scale = 1;
  std::string output;  // "" or "-" = stdout
  bool tutorial = false;
  uint64_t seed = 42;
};
int RunGen(const Context& ctx, const GenArgs& args);

}  // namespace loom::cli

#endif  // LOOM_TOOLS_COMMANDS_COMMANDS_H_
