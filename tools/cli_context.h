// tools/cli_context.h: state shared by the `loom` subcommands: global flags,
// opening the database with the CLI's error wording, printing errors and the
// exit-code convention (0 ok, 1 query/data error, 2 usage error).
// Single-threaded: one Context per process, owned by main().
#ifndef LOOM_TOOLS_CLI_CONTEXT_H_
#define LOOM_TOOLS_CLI_CONTEXT_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "loom/database.h"
#include "loom/json.h"
#include "tools/output_format.h"

namespace loom::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // query, data or database error
inline constexpr int kExitUsage = 2;  // bad command line

struct Context {
  std::string db_path = "./loom.db";
  // Output format name as given by --format ("" = not given: table on a
  // terminal, json otherwise).
  std::string format;
  bool stdout_is_tty = false;
  bool stderr_is_tty = false;
  // --strict: unknown query keys are errors instead of warnings.
  bool strict = false;
  // --readonly: open the database for reading only (beside a writer).
  bool read_only = false;

  OutputFormat ResolvedFormat() const;
};

// Opens ctx.db_path. `for_write` creates the database when missing; read
// commands on a missing directory fail with "no loom database at ...". A
// read command whose database another process holds opens it read-only (as
// --readonly does), so readers work beside a writer.
absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(const Context& ctx, bool for_write);

// The JSON error object of api.md §0.3: {"code", "message", "path"?}.
Json ErrorObject(const absl::Status& status);

// Prints `status` on stderr ("error: CODE: message (at /path)", or the JSON
// error object when the output format is json/jsonl) and returns kExitError.
int ReportError(const Context& ctx, const absl::Status& status);

// Prints a usage error on stderr and returns kExitUsage.
int ReportUsage(std::string_view message);

// Parses JSON text given on the command line or read from a file. Rejects
// nesting deeper than 512 levels while parsing (deeper documents overflow the
// stack when copied). `what` names the input in the message.
absl::StatusOr<Json> ParseJsonText(std::string_view text, std::string_view what);

// Whether an api.md method only reads (it may run on a read-only database
// and never needs the writer role).
bool IsReadMethod(const std::string& method);

// Reads a whole file ("-" = standard input).
absl::StatusOr<std::string> ReadFileText(const std::string& path);

// Calls `method` and turns a C++ exception escaping the library into INTERNAL
// instead of terminating the process.
absl::StatusOr<Json> SafeCall(Database& db, std::string_view method, const Json& params,
                              std::string_view tx = {});

}  // namespace loom::cli

#endif  // LOOM_TOOLS_CLI_CONTEXT_H_
