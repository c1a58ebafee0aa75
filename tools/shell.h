// tools/shell.h: `loom shell`, an interactive prompt over one open database.
//
// Statements are SearchQuery JSON objects run with records.find; a statement
// may span lines and ends when its braces and brackets balance. Lines starting
// with "." are dot-commands (.help lists them). On a terminal, lines are read
// with libedit (history in ~/.loom_history); piped input is read plainly with
// no prompts. Single-threaded.
#ifndef LOOM_TOOLS_SHELL_H_
#define LOOM_TOOLS_SHELL_H_

#include <string_view>

#include "loom/database.h"
#include "tools/cli_context.h"

namespace loom::cli {

// Tracks whether accumulated statement text is complete: brackets balanced
// outside of JSON strings. Exposed for tests.
class StatementBuffer {
 public:
  void Append(std::string_view line);
  // True when the text holds something and every bracket opened was closed
  // (or closed too often: the error is left to the JSON parser).
  bool Complete() const;
  bool Empty() const;
  const std::string& text() const { return text_; }
  void Clear();

 private:
  std::string text_;
  int depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
  bool seen_ = false;
};

// Runs the shell until .quit or EOF; returns the exit code (0, or 1 when the
// last statement failed in piped mode).
int RunShell(const Context& ctx, Database& db);

}  // namespace loom::cli

#endif  // LOOM_TOOLS_SHELL_H_
