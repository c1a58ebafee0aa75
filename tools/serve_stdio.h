// tools/serve_stdio.h: `loom serve --stdio`, a JSON-lines protocol over
// stdin/stdout for scripts and other languages.
//
// Request, one per line:  {"id": N, "method": "records.find", "params": {...}, "tx"?: "<tx id>"}
// Response, one per line: {"id": N, "result": ...} or {"id": N, "error": {"code", "message", "path"?}}
// A line that is not a valid request gets an error response with "id": null
// (or its id when one could be read) and serving continues. Blank lines are
// ignored. Each response is flushed. At EOF the function returns and the
// caller closes the database. Single-threaded: requests run in order.
#ifndef LOOM_TOOLS_SERVE_STDIO_H_
#define LOOM_TOOLS_SERVE_STDIO_H_

#include <istream>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

#include "loom/database.h"
#include "loom/json.h"

namespace loom::cli {

// What one connection remembers between requests: the transactions it
// opened and has not ended.
struct StdioSession {
  std::set<std::string> open_transactions;
};

// The response to one request line (exposed for tests). A write without
// "tx" while this connection holds an open transaction answers at once with
// an error naming it (waiting for the writer role would stall the
// connection on itself until the transaction expired and lost its writes).
Json HandleRequestLine(Database& db, std::string_view line, StdioSession* session = nullptr);

// Serves until EOF on `in`; returns the process exit code (0).
int ServeStdio(Database& db, std::istream& in, std::ostream& out);

}  // namespace loom::cli

#endif  // LOOM_TOOLS_SERVE_STDIO_H_
