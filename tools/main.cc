// tools/main.cc: the `loom` command line. Parses arguments (CLI11), opens
// the database and hands over to one subcommand. Exit codes: 0 ok, 1 query,
// data or database error, 2 usage error.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "loom/database.h"
#include "tools/cli_context.h"
#include "tools/commands/commands.h"
#include "tools/serve_stdio.h"
#include "tools/shell.h"

namespace loom::cli {
namespace {

int Main(int argc, char** argv) {
  Context ctx;
  ctx.stdout_is_tty = ::isatty(STDOUT_FILENO) != 0;
  ctx.stderr_is_tty = ::isatty(STDERR_FILENO) != 0;

  CLI::App app{"loom: an embedded property graph database (RushDB records and SearchQuery JSON on local disk)",
               "loom"};
  app.set_version_flag("--version", "loom 0.1.0");
  app.require_subcommand(0, 1);  // none: the shell on a terminal, as sqlite3 and duckdb do
  app.fallthrough();
  app.add_option("--db", ctx.db_path, "Database directory (created on first write)")
      ->default_str("./loom.db");
  app.add_option("--format", ctx.format,
                 "Output format: table (default on a terminal), json (default otherwise), jsonl, csv, tsv, "
                 "markdown")
      ->check(CLI::IsMember(OutputFormatNames()));
  app.add_flag("--readonly", ctx.read_only,
               "Open the database for reading only (several readers may run beside one writer)");
  app.add_flag("--strict", ctx.strict,
               "Unknown query keys are errors (by default they are ignored with a warning on stderr)");

  // import
  ImportArgs import_args;
  CLI::App* import_cmd =
      app.add_subcommand("import", "Import JSON, JSONL, CSV or dataset-bundle files, or graph CSV tables");
  import_cmd->add_option("FILE", import_args.files, "Files to import; - reads stdin (with --format)")
      ->check(CLI::Validator(
          [](const std::string& file) {
            return file == "-" || std::filesystem::is_regular_file(file) ? std::string() : "no such file: " + file;
          },
          "FILE or -"));
  import_cmd->add_option("--nodes", import_args.nodes,
                         "LABEL=FILE: a CSV node table (key column name:ID or id; header cells name:type)");
  import_cmd->add_option("--edges", import_args.edges,
                         "TYPE=FILE: a CSV edge table (columns :START_ID/:END_ID or from/to, keys of node tables)");
  import_cmd->add_option("--key", import_args.key, "Key column of the --nodes tables (default: the :ID column, or id)");
  import_cmd->add_option("--label,-l", import_args.label, "Label of the top-level records (required for CSV)");
  import_cmd->add_option("--format", import_args.format, "Input format (default: by extension)")
      ->check(CLI::IsMember({"json", "jsonl", "ndjson", "csv", "tsv", "bundle"}));
  import_cmd->add_option("--options", import_args.options_json,
                         "ImportOptions JSON, passed as given (without suggestTypes, values become strings)");
  import_cmd->add_option("--relationship-type", import_args.relationship_type, "Type of parent->child edges");
  import_cmd->add_flag("--infer-types,--suggest-types", import_args.suggest_types,
                       "Type CSV cells as numbers, booleans and datetimes (by default CSV cells stay strings, "
                       "ISO datetimes excepted, as RushDB's importCsv does; JSON values are typed by default)");
  import_cmd->add_flag("--no-suggest-types", import_args.no_suggest_types, "Store every value as a string");
  import_cmd->add_flag("--capitalize-labels", import_args.capitalize_labels, "Upper-case labels");
  import_cmd->add_option("--merge-by", import_args.merge_by, "Upsert on these comma-separated keys");
  import_cmd->add_option("--merge-strategy", import_args.merge_strategy, "append or rewrite")
      ->check(CLI::IsMember({"append", "rewrite"}));
  import_cmd->add_option("--on-error", import_args.on_error, "abort (default) or skip bad lines/rows")
      ->check(CLI::IsMember({"abort", "skip"}));
  import_cmd->add_option("--reject-file", import_args.reject_file, "Append skipped lines/rows to this file");
  import_cmd->add_flag("--no-progress", import_args.no_progress, "No progress line on stderr");
  import_cmd->add_flag("--resume", import_args.resume,
                       "Continue an interrupted JSONL/CSV import after its last committed batch");
  import_cmd->add_flag("--restart", import_args.restart,
                       "Import again from the start although an earlier run was interrupted (adds its records twice)")
      ->excludes("--resume");
  import_cmd->add_option("--chunk", import_args.chunk_lines, "Lines or rows per import call (default 10000)")
      ->check(CLI::Range(size_t{1}, size_t{10000000}));

  // query
  std::string query_text;
  std::string query_file;
  bool timer = false;
  CLI::App* query_cmd = app.add_subcommand("query", "Run a SearchQuery (records.find)");
  query_cmd->add_option("QUERY", query_text, "SearchQuery JSON, or - for stdin (default {})");
  query_cmd->add_option("-f,--file", query_file, "Read the query from FILE");
  query_cmd->add_flag("--timer", timer, "Print the run time on stderr");

  // explain
  std::string explain_text;
  std::string explain_file;
  bool analyze = false;
  CLI::App* explain_cmd = app.add_subcommand("explain", "Show the plan of a SearchQuery (records.explain)");
  explain_cmd->add_option("QUERY", explain_text, "SearchQuery JSON, or - for stdin (default {})");
  explain_cmd->add_option("-f,--file", explain_file, "Read the query from FILE");
  explain_cmd->add_flag("--analyze", analyze, "Also run the query and report actual rows");

  // export
  std::string export_text;
  std::string export_format = "csv";
  std::string export_output;
  CLI::App* export_cmd = app.add_subcommand("export", "Export matching records (records.export)");
  export_cmd->add_option("QUERY", export_text, "SearchQuery JSON, or - for stdin (default {})");
  export_cmd->add_option("--format", export_format, "csv (default), json or jsonl; also taken from loom --format")
      ->check(CLI::IsMember({"csv", "json", "jsonl"}));
  export_cmd->add_option("-o,--output", export_output, "Write to FILE instead of stdout");
  int64_t export_limit = 0;
  export_cmd->add_option("--limit", export_limit, "Export at most N records (default: every matching record)")
      ->check(CLI::PositiveNumber);

  // dump
  std::string dump_output;
  CLI::App* dump_cmd = app.add_subcommand("dump", "Write every record and relationship as a dataset bundle (db.dump)");
  dump_cmd->add_option("-o,--output", dump_output, "Write to FILE instead of stdout; load it with loom import FILE");

  CLI::App* schema_cmd = app.add_subcommand("schema", "Labels, properties and relationship types with counts");
  CLI::App* check_cmd = app.add_subcommand("check", "Verify the database invariants (exit 1 on problems)");
  CLI::App* stats_cmd = app.add_subcommand("stats", "Record, relationship, label and property counts; disk use");

  // call
  std::string call_method;
  std::string call_params;
  CLI::App* call_cmd = app.add_subcommand("call", "Call any operation by name, e.g. loom call labels.find '{}'");
  call_cmd->add_option("METHOD", call_method, "Dotted operation name (records.create, tx.begin, ...)")->required();
  call_cmd->add_option("PARAMS", call_params, "Parameters as JSON, - for stdin, or @FILE (default {})");

  // gen
  GenArgs gen_args;
  CLI::App* gen_cmd = app.add_subcommand("gen", "Write a deterministic customer-360 data set (bundle JSONL)");
  gen_cmd->add_option("--scale", gen_args.scale, "Size: about 1,000 records per unit (default 1)")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000}));
  gen_cmd->add_option("-o,--output", gen_args.output, "Output file (default stdout); import with loom import FILE");
  gen_cmd->add_option("--seed", gen_args.seed, "Random seed (default 42)");
  gen_cmd->add_flag("--tutorial", gen_args.tutorial, "Exactly the records of the customer-360 tutorial");

  CLI::App* shell_cmd = app.add_subcommand("shell", "Interactive prompt (SearchQuery JSON and dot-commands)");

  bool stdio = false;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Serve JSON-lines requests on stdin/stdout");
  serve_cmd->add_flag("--stdio", stdio, "Use stdin/stdout (the only transport)")->required();

  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) sub->fallthrough();

  // CLI11 reports a stray word as "A subcommand is required"; name it instead.
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--db" || arg == "--format") {
      ++i;
      continue;
    }
    if (arg.empty() || arg[0] == '-') continue;
    if (app.get_subcommands([&](CLI::App* sub) { return sub->check_name(arg); }).empty()) {
      return ReportUsage("unknown subcommand \"" + arg + "\" (loom --help lists them)");
    }
    break;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return ReportUsage(e.what());
  }

  if (*gen_cmd) return RunGen(ctx, gen_args);
  if (*import_cmd) {
    if (std::optional<std::string> problem = ImportArgsProblem(import_args)) return ReportUsage(*problem);
  }
  if (*call_cmd && call_method.rfind("tx.", 0) == 0) {
    return ReportUsage("a transaction lives as long as the process that began it, and loom call is one "
                       "operation per process: run transactions through loom serve --stdio (requests carry "
                       "\"tx\") or a program that links loom");
  }
  const bool no_subcommand = app.get_subcommands().empty();
  if (no_subcommand && ::isatty(STDIN_FILENO) == 0) {
    return ReportUsage("no subcommand (loom --help lists them; on a terminal, loom alone opens the shell)");
  }
  // The global --format names the export format unless export's own does.
  if (*export_cmd && export_cmd->count("--format") == 0 && !ctx.format.empty()) {
    if (ctx.format != "csv" && ctx.format != "json" && ctx.format != "jsonl") {
      return ReportUsage("export writes csv, json or jsonl, not " + ctx.format);
    }
    export_format = ctx.format;
  }

  bool for_write = *import_cmd || *shell_cmd || *serve_cmd || no_subcommand;
  if (*call_cmd) for_write = !IsReadMethod(call_method);

  // Parse the query before opening, so a bad query never touches the database.
  Json query;
  if (*query_cmd || *explain_cmd || *export_cmd) {
    const std::string& text = *query_cmd ? query_text : *explain_cmd ? explain_text : export_text;
    std::string file = *query_cmd ? query_file : *explain_cmd ? explain_file : "";
    std::string source = text;
    if ((*query_cmd || *explain_cmd) && text.empty() && file.empty() && ::isatty(STDIN_FILENO) == 0) source = "-";
    if (!file.empty() && !text.empty()) return ReportUsage("give the query either as QUERY or with -f, not both");
    absl::StatusOr<Json> parsed = LoadQuery(source, file);
    if (!parsed.ok()) return ReportError(ctx, parsed.status());
    query = std::move(*parsed);
  }

  absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(ctx, for_write);
  if (!db.ok()) return ReportError(ctx, db.status());
  Database& database = **db;

  if (*import_cmd) return RunImport(ctx, database, import_args);
  if (*query_cmd) return RunQuery(ctx, database, query, timer, std::cout);
  if (*explain_cmd) return RunExplain(ctx, database, query, analyze, std::cout);
  if (*export_cmd) return RunExport(ctx, database, query, export_format, export_output, export_limit, std::cout);
  if (*dump_cmd) return RunDump(ctx, database, dump_output, std::cout);
  if (*schema_cmd) return RunSchema(ctx, database, std::cout);
  if (*check_cmd) return RunCheck(ctx, database, std::cout);
  if (*stats_cmd) return RunStats(ctx, database, std::cout);
  if (*call_cmd) return RunCall(ctx, database, call_method, call_params, std::cout);
  if (*shell_cmd || no_subcommand) return RunShell(ctx, database);
  if (*serve_cmd) return ServeStdio(database, std::cin, std::cout);
  return ReportUsage("no subcommand");
}

}  // namespace
}  // namespace loom::cli

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return loom::cli::Main(argc, argv);
}
