// tools/shell.cc
#include "tools/shell.h"

#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

// libedit's readline-compatible API (BSD licence; GNU readline would make the
// binary GPL).
#include <editline/readline.h>

#include "absl/strings/str_cat.h"
#include "loom/status.h"
#include "tools/commands/commands.h"

namespace loom::cli {

void StatementBuffer::Append(std::string_view line) {
  if (!text_.empty()) text_ += '\n';
  text_ += line;
  for (char c : line) {
    if (in_string_) {
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      continue;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if (c == '}' || c == ']') {
      --depth_;
    }
    if (c != ' ' && c != '\t' && c != '\r') seen_ = true;
  }
}

bool StatementBuffer::Complete() const { return seen_ && depth_ <= 0 && !in_string_; }
bool StatementBuffer::Empty() const { return !seen_; }

void StatementBuffer::Clear() {
  text_.clear();
  depth_ = 0;
  in_string_ = escape_ = seen_ = false;
}

namespace {

// Set by Ctrl-C (SIGINT) while the shell reads or runs a statement; a
// running statement is interrupted through the database (one atomic add).
volatile std::sig_atomic_t g_interrupted = 0;
Database* volatile g_running_on = nullptr;
void OnInterrupt(int) {
  g_interrupted = 1;
  if (Database* db = g_running_on) db->Interrupt();
}

// The longest statement kept while waiting for its braces to balance: the
// query parser's own limit (ParseOptions::max_query_bytes).
constexpr size_t kMaxStatementBytes = size_t{1} << 20;

constexpr const char* kHelp =
    "Enter a SearchQuery JSON object to run records.find; it may span lines and\n"
    "runs when its braces balance. Dot-commands:\n"
    "  .help                   this text\n"
    "  .mode FORMAT            output format: table json jsonl csv tsv markdown\n"
    "  .timer on|off           print the run time of each query\n"
    "  .explain QUERY          show the plan of a query\n"
    "  .schema                 labels, properties and relationship types\n"
    "  .labels                 labels with record counts\n"
    "  .import FILE [LABEL]    import a JSON, JSONL, CSV or bundle file\n"
    "  .export FILE [QUERY]    export matching records (format from the extension)\n"
    "  .read FILE              run the statements in FILE\n"
    "  .quit                   leave the shell (also .exit, Ctrl-D)\n"
    "Ctrl-C abandons the statement being typed, or interrupts a running query.\n";

// A usage error inside the shell: the message alone (the command line's
// "Run with --help" means nothing here).
int ShellUsage(std::string_view message) {
  std::cerr << "error: " << message << std::endl;
  return kExitUsage;
}

class Shell {
 public:
  Shell(const Context& ctx, Database& db, bool interactive)
      : ctx_(ctx), db_(db), interactive_(interactive) {
    // In the shell the default stays the terminal default even if stdout is
    // redirected; .mode changes it.
    if (ctx_.format.empty()) ctx_.format = ctx_.stdout_is_tty ? "table" : "json";
  }

  int Run();
  // Feeds one input line; returns false when the shell should stop.
  bool Feed(const std::string& line);
  int last_exit() const { return last_exit_; }

 private:
  bool DotCommand(const std::string& line);
  void RunStatement(const std::string& text);
  bool ReadFile(const std::string& path);

  Context ctx_;
  Database& db_;
  bool interactive_;
  bool timer_ = false;
  int last_exit_ = kExitOk;
  int read_depth_ = 0;
  StatementBuffer buffer_;
};

std::vector<std::string> SplitWords(const std::string& line, size_t max_words) {
  // The last word takes the rest of the line (a query may contain spaces).
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < line.size()) {
    pos = line.find_first_not_of(" \t", pos);
    if (pos == std::string::npos) break;
    if (words.size() + 1 == max_words) {
      std::string rest = line.substr(pos);
      rest.erase(rest.find_last_not_of(" \t\r") + 1);
      words.push_back(rest);
      break;
    }
    size_t end = line.find_first_of(" \t", pos);
    if (end == std::string::npos) end = line.size();
    words.push_back(line.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

std::string ExportFormatOf(const std::string& file) {
  auto ends = [&](const char* s) {
    std::string_view suffix(s);
    return file.size() >= suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends(".jsonl") || ends(".ndjson")) return "jsonl";
  if (ends(".json")) return "json";
  return "csv";
}

void Shell::RunStatement(const std::string& text) {
  absl::StatusOr<Json> query = ParseJsonText(text, "the query");
  if (!query.ok()) {
    last_exit_ = ReportError(ctx_, query.status());
    return;
  }
  if (interactive_) g_running_on = &db_;  // Ctrl-C now interrupts the query
  last_exit_ = RunQuery(ctx_, db_, *query, timer_, std::cout);
  g_running_on = nullptr;
}

bool Shell::ReadFile(const std::string& path) {
  if (read_depth_ > 8) {
    last_exit_ = ReportError(ctx_, InvalidArgument("", ".read nests too deeply"));
    return true;
  }
  std::ifstream in(path);
  if (!in) {
    last_exit_ = ReportError(ctx_, InvalidArgument("", "cannot open " + path));
    return true;
  }
  ++read_depth_;
  StatementBuffer saved = buffer_;
  buffer_.Clear();
  std::string line;
  bool go_on = true;
  while (go_on && std::getline(in, line)) go_on = Feed(line);
  if (go_on && !buffer_.Empty()) {
    last_exit_ = ReportError(ctx_, InvalidArgument("", path + " ends inside a statement"));
  }
  buffer_ = saved;
  --read_depth_;
  return go_on;
}

bool Shell::DotCommand(const std::string& line) {
  std::vector<std::string> head = SplitWords(line, 2);
  const std::string cmd = head.empty() ? "" : head[0];
  const std::string rest = head.size() > 1 ? head[1] : "";
  last_exit_ = kExitOk;
  if (cmd == ".quit" || cmd == ".exit" || cmd == ".q") return false;
  if (cmd == ".help") {
    std::cout << kHelp;
  } else if (cmd == ".mode") {
    if (rest.empty()) {
      std::cout << OutputFormatName(ctx_.ResolvedFormat()) << '\n';
    } else if (ParseOutputFormat(rest)) {
      ctx_.format = rest;
    } else {
      last_exit_ = ShellUsage(".mode: unknown format \"" + rest + "\" (table json jsonl csv tsv markdown)");
    }
  } else if (cmd == ".timer") {
    if (rest == "on" || rest == "off") {
      timer_ = rest == "on";
    } else {
      last_exit_ = ShellUsage(".timer on|off");
    }
  } else if (cmd == ".explain") {
    absl::StatusOr<Json> query = ParseJsonText(rest.empty() ? "{}" : rest, "the query");
    last_exit_ = query.ok() ? RunExplain(ctx_, db_, *query, false, std::cout) : ReportError(ctx_, query.status());
  } else if (cmd == ".schema") {
    last_exit_ = RunSchema(ctx_, db_, std::cout);
  } else if (cmd == ".labels") {
    last_exit_ = RunLabels(ctx_, db_, std::cout);
  } else if (cmd == ".import") {
    std::vector<std::string> words = SplitWords(rest, 2);
    if (words.empty()) {
      last_exit_ = ShellUsage(".import FILE [LABEL]");
    } else {
      ImportArgs args;
      args.files = {words[0]};
      if (words.size() > 1) args.label = words[1];
      last_exit_ = RunImport(ctx_, db_, args);
    }
  } else if (cmd == ".export") {
    std::vector<std::string> words = SplitWords(rest, 2);
    if (words.empty()) {
      last_exit_ = ShellUsage(".export FILE [QUERY]");
    } else {
      absl::StatusOr<Json> query = ParseJsonText(words.size() > 1 ? words[1] : "{}", "the query");
      last_exit_ = query.ok() ? RunExport(ctx_, db_, *query, ExportFormatOf(words[0]), words[0], /*limit=*/0, std::cout)
                              : ReportError(ctx_, query.status());
    }
  } else if (cmd == ".read") {
    if (rest.empty()) {
      last_exit_ = ShellUsage(".read FILE");
    } else {
      return ReadFile(rest);
    }
  } else {
    last_exit_ = ShellUsage("unknown command " + cmd + " (.help lists the commands)");
  }
  std::cout.flush();
  return true;
}

bool Shell::Feed(const std::string& raw) {
  std::string line = raw;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (buffer_.Empty()) {
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos) return true;
    if (line[start] == '.') return DotCommand(line.substr(start));
    if (line.compare(start, 2, "--") == 0 || line[start] == '#') return true;  // comment
  }
  buffer_.Append(line);
  if (buffer_.text().size() > kMaxStatementBytes) {
    // A statement that never balances (a missing brace in piped input) would
    // otherwise swallow everything after it.
    buffer_.Clear();
    last_exit_ = ReportError(ctx_, InvalidArgument("", absl::StrCat("statement longer than ", kMaxStatementBytes >> 20,
                                                                     " MiB (a query's limit); abandoned")));
    return true;
  }
  if (buffer_.Complete()) {
    std::string text = buffer_.text();
    buffer_.Clear();
    RunStatement(text);
  }
  return true;
}

std::string HistoryPath() {
  const char* home = std::getenv("HOME");
  return home != nullptr && *home != '\0' ? std::string(home) + "/.loom_history" : "";
}

int Shell::Run() {
  if (!interactive_) {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!Feed(line)) return last_exit_;
    }
    if (!buffer_.Empty()) last_exit_ = ReportError(ctx_, InvalidArgument("", "input ends inside a statement"));
    return last_exit_;
  }
  const std::string history = HistoryPath();
  using_history();
  stifle_history(2000);
  if (!history.empty()) read_history(history.c_str());
  // Ctrl-C abandons the statement being typed (sqlite3 and psql do the
  // same) instead of ending the shell; no SA_RESTART, so a read in progress
  // returns.
  struct sigaction on_interrupt = {}, before = {};
  on_interrupt.sa_handler = OnInterrupt;
  sigemptyset(&on_interrupt.sa_mask);
  sigaction(SIGINT, &on_interrupt, &before);
  std::cout << "loom shell on " << ctx_.db_path
            << ". Enter .help for help, .quit to leave; Ctrl-C abandons a statement or query."
            << std::endl;
  while (true) {
    g_interrupted = 0;
    char* input = readline(buffer_.Empty() ? "loom> " : "  ...> ");
    if (g_interrupted) {
      std::free(input);
      if (!buffer_.Empty()) std::cout << "(statement abandoned)";
      std::cout << std::endl;
      buffer_.Clear();
      continue;
    }
    if (input == nullptr) {  // Ctrl-D
      std::cout << std::endl;
      break;
    }
    std::string line(input);
    std::free(input);
    if (line.find_first_not_of(" \t") != std::string::npos) {
      add_history(line.c_str());
      // Kept as lines are entered: a session that ends any way keeps them.
      if (!history.empty()) write_history(history.c_str());
    }
    if (!Feed(line)) break;
  }
  sigaction(SIGINT, &before, nullptr);
  return kExitOk;
}

}  // namespace

int RunShell(const Context& ctx, Database& db) {
  Shell shell(ctx, db, ::isatty(STDIN_FILENO) != 0);
  return shell.Run();
}

}  // namespace loom::cli
