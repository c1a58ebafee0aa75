// End-to-end tests of the `loom` binary (LOOM_CLI_PATH): exit codes, error
// wording, output modes, the locked-database message, the serve --stdio
// protocol and the interactive shell (driven through tmux when installed).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loom/database.h"
#include "tools/serve_stdio.h"
#include "loom/json.h"

extern char** environ;

namespace loom {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "loom_cli_XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the binary with stdin from `input`, stdout/stderr captured in files.
// The lines of an output (records carry random ids, so the exact-output
// cases select fixed columns from the rendered text).
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

CliRun RunLoom(const std::vector<std::string>& args, const std::string& input = "") {
  static int counter = 0;
  TempDir io;
  const std::string in_path = io / "in", out_path = io / "out", err_path = io / "err";
  WriteFile(in_path, input);
  std::vector<std::string> argv_store = {LOOM_CLI_PATH};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  CliRun run;
  ++counter;
  if (posix_spawn(&pid, LOOM_CLI_PATH, &actions, nullptr, argv.data(), environ) != 0) {
    posix_spawn_file_actions_destroy(&actions);
    run.err = "spawn failed";
    return run;
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = ReadAll(out_path);
  run.err = ReadAll(err_path);
  return run;
}

// `loom serve --stdio` with a pipe each way.
class ServeProcess {
 public:
  explicit ServeProcess(const std::string& db) {
    int to_child[2], from_child[2];
    EXPECT_EQ(pipe(to_child), 0);
    EXPECT_EQ(pipe(from_child), 0);
    std::vector<std::string> args = {LOOM_CLI_PATH, "--db", db, "serve", "--stdio"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    posix_spawn_file_actions_addclose(&actions, to_child[1]);
    posix_spawn_file_actions_addclose(&actions, from_child[0]);
    EXPECT_EQ(posix_spawn(&pid_, LOOM_CLI_PATH, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(to_child[0]);
    close(from_child[1]);
    in_ = fdopen(to_child[1], "w");
    out_ = fdopen(from_child[0], "r");
  }
  ~ServeProcess() { Close(); }

  // Sends one line and returns the response line (parsed).
  Json Request(const std::string& line) {
    fputs(line.c_str(), in_);
    fputc('\n', in_);
    fflush(in_);
    return ReadResponse();
  }
  Json ReadResponse() {
    std::string line;
    int c;
    while ((c = fgetc(out_)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
    if (line.empty()) return Json();
    return Json::parse(line, nullptr, false);
  }
  // Closes stdin (EOF) and returns the exit code.
  int Close() {
    if (pid_ <= 0) return exit_code_;
    if (in_) fclose(in_);
    in_ = nullptr;
    int status = 0;
    waitpid(pid_, &status, 0);
    if (out_) fclose(out_);
    out_ = nullptr;
    pid_ = 0;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }

 private:
  pid_t pid_ = 0;
  FILE* in_ = nullptr;
  FILE* out_ = nullptr;
  int exit_code_ = -1;
};

// ---- argument handling ----

TEST(CliTest, HelpExitsZero) {
  CliRun r = RunLoom({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("import"));
  EXPECT_THAT(r.out, HasSubstr("serve"));
  CliRun sub = RunLoom({"import", "--help"});
  EXPECT_EQ(sub.exit_code, 0);
  EXPECT_THAT(sub.out, HasSubstr("--merge-by"));
}

TEST(CliTest, NoSubcommandIsAUsageError) {
  CliRun r = RunLoom({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("error: "));
}

TEST(CliTest, UnknownSubcommandIsAUsageError) {
  CliRun r = RunLoom({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("frobnicate"));
}

TEST(CliTest, BadOptionValuesAreUsageErrors) {
  TempDir dir;
  EXPECT_EQ(RunLoom({"--format", "xml", "query", "{}"}).exit_code, 2);
  EXPECT_EQ(RunLoom({"--db", dir / "none", "import"}).exit_code, 2);     // FILE missing
  EXPECT_EQ(RunLoom({"--db", dir / "none", "import", dir / "x.csv", "--nodes", "A=" + (dir / "x.csv")}).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "none"));  // a usage error opens no database
  EXPECT_EQ(RunLoom({"import", dir / "missing.json"}).exit_code, 2);    // not an existing file
  EXPECT_EQ(RunLoom({"gen", "--scale", "0"}).exit_code, 2);
  EXPECT_EQ(RunLoom({"serve"}).exit_code, 2);                           // --stdio required
  WriteFile(dir / "a.csv", "name\nx\n");
  CliRun csv = RunLoom({"--db", dir / "db", "import", dir / "a.csv"});
  EXPECT_EQ(csv.exit_code, 2);
  EXPECT_THAT(csv.err, HasSubstr("--label"));
  WriteFile(dir / "a.xyz", "{}");
  EXPECT_EQ(RunLoom({"--db", dir / "db", "import", dir / "a.xyz"}).exit_code, 2);
}

// Traps that used to answer plausibly and wrongly: a misspelled key, a
// repeated key, a direction typo, an attach to a record that does not exist.
TEST(CliTest, TyposWarnOrFailInsteadOfAnsweringSomethingElse) {
  TempDir dir;
  const std::string db = dir / "db";
  ASSERT_EQ(RunLoom({"--db", db, "call", "records.create", R"({"label": "A", "data": {"n": 1}})"}).exit_code, 0);
  CliRun typo = RunLoom({"--db", db, "--format", "json", "query", R"({"wher": {"n": 2}})"});
  EXPECT_EQ(typo.exit_code, 0);
  EXPECT_NE(typo.err.find(R"(warning: unknown key "wher" is ignored (did you mean "where"?) (at /wher))"),
            std::string::npos) << typo.err;
  EXPECT_EQ(typo.out.find("warnings"), std::string::npos) << typo.out;  // stderr only
  CliRun strict = RunLoom({"--db", db, "--strict", "query", R"({"wher": {"n": 2}})"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("INVALID_QUERY"), std::string::npos) << strict.err;
  CliRun twice = RunLoom({"--db", db, "query", R"({"limit": 1, "limit": 1000})"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("repeats a key (JSON keeps only one of them) (at /limit)"), std::string::npos)
      << twice.err;
  CliRun sideways = RunLoom({"--db", db, "query", R"({"where": {"A": {"$relation": {"direction": "sideways"}}}})"});
  EXPECT_EQ(sideways.exit_code, 1);
  EXPECT_NE(sideways.err.find("/where/A/$relation/direction"), std::string::npos) << sideways.err;
  CliRun attach = RunLoom({"--db", db, "call", "records.attach",
                           R"({"source": "0195a000-0000-7000-8000-000000000000", "target": "nope"})"});
  EXPECT_EQ(attach.exit_code, 1);
  EXPECT_NE(attach.err.find("NOT_FOUND"), std::string::npos) << attach.err;
  CliRun stdio = RunLoom({"--db", db, "serve", "--stdio"},
                         R"({"id": 1, "method": "records.find", "params": {"limit": 1, "limit": 2}})" "\n");
  EXPECT_NE(stdio.out.find(R"("path":"/params/limit")"), std::string::npos) << stdio.out;
}

// While a writer holds the database (here this test process), reading
// commands still work: they open it read-only; writes name what works.
TEST(CliTest, ReadersWorkBesideAWriter) {
  TempDir dir;
  const std::string db = dir / "db";
  ASSERT_EQ(RunLoom({"--db", db, "call", "records.create", R"({"label": "A", "data": {"n": 1}})"}).exit_code, 0);
  auto writer = Database::Open(db);
  ASSERT_TRUE(writer.ok()) << writer.status();
  CliRun stats = RunLoom({"--db", db, "stats"});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  CliRun read = RunLoom({"--db", db, "--readonly", "--format", "jsonl", "query", "{}"});
  EXPECT_EQ(read.exit_code, 0) << read.err;
  EXPECT_NE(read.out.find(R"("n":1)"), std::string::npos) << read.out;
  CliRun write = RunLoom({"--db", db, "call", "records.create", R"({"label": "A", "data": {"n": 2}})"});
  EXPECT_EQ(write.exit_code, 1);
  EXPECT_NE(write.err.find("--readonly"), std::string::npos) << write.err;
  CliRun refused = RunLoom({"--db", db, "--readonly", "call", "records.create", R"({"label": "A", "data": {}})"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("read-only"), std::string::npos) << refused.err;
}

// loom export writes every matching record (records.export keeps RushDB's
// 100-row CSV default) unless --limit says otherwise, and counts the rows.
TEST(CliTest, ExportWritesEveryRecordAndSaysHowMany) {
  TempDir dir;
  const std::string db = dir / "db";
  std::string rows = "[";
  for (int i = 0; i < 250; ++i) rows += (i ? "," : "") + std::string(R"({"n": )") + std::to_string(i) + "}";
  rows += "]";
  ASSERT_EQ(RunLoom({"--db", db, "call", "records.createMany", R"({"label": "P", "data": )" + rows + "}"}).exit_code, 0);
  CliRun all = RunLoom({"--db", db, "export", R"({"labels": ["P"]})", "-o", dir / "p.csv"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.err.find("exported 250 record(s)"), std::string::npos) << all.err;
  CliRun some = RunLoom({"--db", db, "export", R"({"labels": ["P"]})", "--limit", "7", "--format", "jsonl", "-o",
                         dir / "p.jsonl"});
  EXPECT_NE(some.err.find("exported 7 record(s)"), std::string::npos) << some.err;
  CliRun api = RunLoom({"--db", db, "call", "records.export", R"({"query": {"labels": ["P"]}})"});
  // The API keeps RushDB's rule: 100 CSV rows by default (101 lines with the header).
  Json exported = Json::parse(api.out);
  const std::string csv = exported["fileContent"];
  size_t lines = 0;
  for (size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++lines;
  EXPECT_EQ(lines + (csv.ends_with("\r\n") ? 0 : 1), 101u);
}

// An interrupted import rerun as if nothing happened would add the records it
// committed a second time: loom refuses and names --resume / --restart.
TEST(CliTest, AnInterruptedImportIsNotRerunSilently) {
  TempDir dir;
  const std::string db = dir / "db", file = dir / "rows.jsonl";
  WriteFile(file, "{\"i\": 1}\n{\"i\": 2}\n{\"i\": oops}\n");
  CliRun first = RunLoom({"--db", db, "import", "--no-progress", "--label", "R", "--chunk", "1", file});
  EXPECT_EQ(first.exit_code, 1) << first.err;
  WriteFile(file, "{\"i\": 1}\n{\"i\": 2}\n{\"i\": 3}\n");
  CliRun again = RunLoom({"--db", db, "import", "--no-progress", "--label", "R", "--chunk", "1", file});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("--resume"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("--restart"), std::string::npos) << again.err;
  CliRun resumed = RunLoom({"--db", db, "import", "--no-progress", "--label", "R", "--chunk", "1", "--resume", file});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  CliRun count = RunLoom({"--db", db, "--format", "json", "query", R"({"labels": ["R"]})"});
  EXPECT_NE(count.out.find("\"total\": 3"), std::string::npos) << count.out;
  EXPECT_EQ(RunLoom({"--db", db, "import", "--resume", "--restart", file}).exit_code, 2);  // exclusive
}

// A write without "tx" while this connection holds a transaction used to
// wait for the writer role until the transaction expired (losing its writes);
// it now answers at once naming the transaction. A failed write inside a
// transaction says that it rolled the transaction back.
TEST(CliTest, StdioDoesNotStallOnItsOwnTransaction) {
  TempDir dir;
  const std::string db = dir / "db";
  ASSERT_EQ(RunLoom({"--db", db, "call", "records.create", R"({"label": "A", "data": {}})"}).exit_code, 0);
  CliRun r = RunLoom({"--db", db, "serve", "--stdio"},
                     R"({"id": 1, "method": "tx.begin", "params": {"ttl": 15000}})" "\n"
                     R"({"id": 2, "method": "records.create", "params": {"label": "B", "data": {}}})" "\n"
                     R"({"id": 3, "method": "labels.find", "params": {}})" "\n");
  std::vector<Json> replies;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) replies.push_back(Json::parse(line));
  ASSERT_EQ(replies.size(), 3u) << r.out;
  const std::string tx = replies[0]["result"]["id"];
  ASSERT_TRUE(replies[1].contains("error")) << replies[1].dump();
  EXPECT_EQ(replies[1]["error"]["path"], "/tx");
  EXPECT_NE(replies[1]["error"]["message"].get<std::string>().find(tx), std::string::npos);
  EXPECT_EQ(replies[2]["result"], Json::parse(R"({"A": 1})"));  // reads go on

}

TEST(CliTest, StdioSaysWhenAFailedWriteRolledItsTransactionBack) {
  TempDir dir;
  auto db = Database::Open(dir / "db");
  ASSERT_TRUE(db.ok()) << db.status();
  cli::StdioSession session;
  Json begun = cli::HandleRequestLine(**db, R"({"id": 1, "method": "tx.begin", "params": {}})", &session);
  const std::string tx = begun["result"]["id"];
  EXPECT_EQ(session.open_transactions.count(tx), 1u);
  Json failed = cli::HandleRequestLine(
      **db, R"({"id": 2, "method": "records.create", "params": {"label": "B", "data": {"__id": 1}}, "tx": ")" + tx + "\"}",
      &session);
  EXPECT_EQ(failed["error"]["transaction"], "rolled back") << failed.dump();
  EXPECT_EQ(session.open_transactions.count(tx), 0u);
  // With the transaction gone, writes without "tx" go through again.
  Json write = cli::HandleRequestLine(**db, R"({"id": 3, "method": "records.create", "params": {"label": "C", "data": {}}})",
                                      &session);
  EXPECT_TRUE(write.contains("result")) << write.dump();
}

TEST(CliTest, ReadingAMissingDatabaseSaysSo) {
  TempDir dir;
  CliRun r = RunLoom({"--db", dir / "nope.db", "query", "{}"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no loom database at " + (dir / "nope.db") + " (import data first or pass --db)"));
  EXPECT_FALSE(std::filesystem::exists(dir / "nope.db"));
}

TEST(CliTest, UnparsableQueryIsExitOne) {
  TempDir dir;
  CliRun r = RunLoom({"--db", dir / "db", "query", "{\"limit\": "});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: INVALID_ARGUMENT: the query is not valid JSON"));
}

// `loom import --nodes LABEL=FILE --edges TYPE=FILE`: graph CSV tables in one
// load; a bad cell names file:line:column and loads nothing; FILE arguments
// and row-import flags do not mix with tables.
TEST(CliTest, ImportsGraphCsvTables) {
  TempDir dir;
  const std::string db = dir / "db";
  WriteFile(dir / "accounts.csv", "accountId:ID,name,mrr:number\na1,Acme,5000\na2,Globex,300\n");
  WriteFile(dir / "users.csv", "id,email\nu1,ann@acme.com\nu2,bob@globex.com\n");
  WriteFile(dir / "belongs.csv", ":START_ID(USER),:END_ID(ACCOUNT)\nu1,a1\nu2,a2\n");
  CliRun r = RunLoom({"--db", db, "import", "--no-progress", "--nodes", "ACCOUNT=" + (dir / "accounts.csv"), "--nodes",
                      "USER=" + (dir / "users.csv"), "--edges", "BELONGS_TO=" + (dir / "belongs.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("imported 4 records, 2 relationships from 3 tables"));
  CliRun q = RunLoom({"--db", db, "--format", "json", "query",
                      R"({"labels": ["USER"], "where": {"ACCOUNT": {"$relation": {"type": "BELONGS_TO"}, "mrr": {"$gt": 1000}}}})"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  Json found = Json::parse(q.out);
  ASSERT_EQ(found["total"], 1) << q.out;
  EXPECT_EQ(found["data"][0]["email"], "ann@acme.com");

  WriteFile(dir / "bad.csv", "id,mrr:number\nb1,lots\n");
  CliRun bad = RunLoom({"--db", db, "import", "--nodes", "X=" + (dir / "bad.csv")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr((dir / "bad.csv") + ":2:2: column mrr: \"lots\" is not a number"));
  CliRun mixed = RunLoom({"--db", db, "import", dir / "users.csv", "--nodes", "X=" + (dir / "users.csv")});
  EXPECT_EQ(mixed.exit_code, 2);
  CliRun label = RunLoom({"--db", db, "import", "--label", "Y", "--nodes", "X=" + (dir / "users.csv")});
  EXPECT_EQ(label.exit_code, 2);
  EXPECT_THAT(label.err, HasSubstr("do not apply to --nodes/--edges imports"));
  CliRun nothing = RunLoom({"--db", db, "import"});
  EXPECT_EQ(nothing.exit_code, 2);
  CliRun labels = RunLoom({"--db", db, "--format", "json", "call", "labels.find", "{}"});
  EXPECT_EQ(Json::parse(labels.out), Json::parse(R"({"ACCOUNT": 2, "USER": 2})"));  // nothing of X
}

// Small inconsistencies a sqlite3 user trips over: explain reads -f FILE, the
// global --format names export's format, an import error names its file and
// pointer once, and rejected CSV rows are named by their physical line.
TEST(CliTest, ExplainFileExportFormatAndErrorLocations) {
  TempDir dir;
  const std::string db = dir / "db";
  WriteFile(dir / "a.csv", "name,n\nx,1\n");
  ASSERT_EQ(RunLoom({"--db", db, "import", "--no-progress", "--label", "A", dir / "a.csv"}).exit_code, 0);
  WriteFile(dir / "q.json", R"({"labels": ["A"], "where": {"name": "x"}})");
  CliRun explained = RunLoom({"--db", db, "explain", "-f", dir / "q.json"});
  ASSERT_EQ(explained.exit_code, 0) << explained.err;
  EXPECT_THAT(explained.out, HasSubstr("Filter(/where)<LabelScan(A)"));  // the file's query

  CliRun jsonl = RunLoom({"--db", db, "--format", "jsonl", "export", R"({"labels": ["A"]})"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  EXPECT_EQ(Json::parse(Lines(jsonl.out).at(0))["name"], "x");
  CliRun table = RunLoom({"--db", db, "--format", "table", "export", "{}"});
  EXPECT_EQ(table.exit_code, 2);
  EXPECT_THAT(table.err, HasSubstr("export writes csv, json or jsonl, not table"));

  WriteFile(dir / "bad.csv", "a,b\n1,\"x\n");
  CliRun bad = RunLoom({"--db", db, "import", "--no-progress", "--label", "B", dir / "bad.csv"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("error: INVALID_ARGUMENT: " + (dir / "bad.csv") + ":2: CSV parse error"));
  EXPECT_THAT(bad.err, Not(HasSubstr((dir / "bad.csv") + ": " + (dir / "bad.csv"))));
  EXPECT_THAT(bad.err, Not(HasSubstr("(at /data) (at /data)")));

  // A quoted field spanning two lines: the bad row after it starts on line 5.
  WriteFile(dir / "rows.csv", "a,b\n1,\"multi\nline\"\n\n2,3,4\n5,6\n");
  CliRun skipped = RunLoom({"--db", db, "import", "--no-progress", "--label", "C", "--on-error", "skip",
                            dir / "rows.csv"});
  ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_THAT(skipped.err, HasSubstr("skipped line 5: INVALID_ARGUMENT: CSV parse error: line 5: too many fields"));
}

// `loom call tx.begin` began a transaction that died with the process, and
// --tx ID in the next call could never find it: tx.* is refused with the way
// that works, and --tx is gone.
TEST(CliTest, CallRefusesTransactionsThatCannotOutliveIt) {
  TempDir dir;
  CliRun begin = RunLoom({"--db", dir / "db", "call", "tx.begin", "{}"});
  EXPECT_EQ(begin.exit_code, 2);
  EXPECT_THAT(begin.err, HasSubstr("loom serve --stdio"));
  CliRun flag = RunLoom({"--db", dir / "db", "call", "labels.find", "{}", "--tx", "x"});
  EXPECT_EQ(flag.exit_code, 2);
}

// CSV cells stay strings (ISO datetimes excepted) unless --infer-types.
TEST(CliTest, InferTypesTypesCsvCells) {
  TempDir dir;
  WriteFile(dir / "t.csv", "name,n,ok,d\nx,1,true,2024-01-01\n");
  for (bool infer : {false, true}) {
    const std::string db = dir / (infer ? "typed" : "plain");
    std::vector<std::string> args = {"--db", db, "import", "--no-progress", "--label", "T", dir / "t.csv"};
    if (infer) args.push_back("--infer-types");
    ASSERT_EQ(RunLoom(args).exit_code, 0);
    Json record = Json::parse(RunLoom({"--db", db, "--format", "jsonl", "query", "{}"}).out);
    EXPECT_EQ(record["__proptypes"], infer ? Json::parse(R"({"name":"string","n":"number","ok":"boolean","d":"datetime"})")
                                           : Json::parse(R"({"name":"string","n":"string","ok":"string","d":"datetime"})"));
  }
}

// `loom import - --format F` reads standard input; errors name "stdin".
TEST(CliTest, ImportReadsStdin) {
  TempDir dir;
  const std::string db = dir / "db";
  CliRun r = RunLoom({"--db", db, "import", "-", "--format", "jsonl", "--label", "S", "--no-progress"},
                     "{\"name\": \"a\"}\n{\"name\": \"b\"}\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("imported 2 records, 0 relationships from stdin"));
  CliRun csv = RunLoom({"--db", db, "import", "-", "--format", "csv", "--label", "C", "--no-progress"},
                       "name,n\nx,1\n");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  CliRun found = RunLoom({"--db", db, "--format", "json", "call", "labels.find", "{}"});
  EXPECT_EQ(Json::parse(found.out), Json::parse(R"({"C": 1, "S": 2})"));
  CliRun bad = RunLoom({"--db", db, "import", "-", "--format", "jsonl", "--label", "S"}, "{\"name\":\n");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("stdin:1:"));
  CliRun no_format = RunLoom({"--db", db, "import", "-", "--label", "S"}, "x\n");
  EXPECT_EQ(no_format.exit_code, 2);
  EXPECT_THAT(no_format.err, HasSubstr("needs --format"));
}

// ---- with data ----

class CliDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "db";
    WriteFile(dir_ / "accounts.jsonl",
              "{\"name\": \"Acme Corp\", \"mrr\": 1200, \"plan\": \"enterprise\"}\n"
              "{\"name\": \"Globex, Inc.\", \"mrr\": 800, \"plan\": \"pro\"}\n");
    CliRun r = RunLoom({"--db", db_, "import", dir_ / "accounts.jsonl", "--label", "ACCOUNT", "--no-progress"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    imported_ = r.err;
  }
  CliRun Query(const std::string& format, const std::string& query) {
    return RunLoom({"--db", db_, "--format", format, "query", query});
  }

  TempDir dir_;
  std::string db_;
  std::string imported_;
};

TEST_F(CliDataTest, ImportPrintsASummaryLine) {
  EXPECT_THAT(imported_, HasSubstr("imported 2 records, 0 relationships from " + (dir_ / "accounts.jsonl")));
  EXPECT_THAT(imported_, HasSubstr("items/s"));
}

TEST_F(CliDataTest, BadQueryReportsTheJsonPointer) {
  CliRun r = Query("table", R"({"labels": ["ACCOUNT"], "limit": "ten"})");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: INVALID_"));
  EXPECT_THAT(r.err, HasSubstr("(at /limit)"));
  CliRun json = Query("json", R"({"labels": ["ACCOUNT"], "limit": "ten"})");
  EXPECT_EQ(json.exit_code, 1);
  Json error = Json::parse(json.err, nullptr, false);
  ASSERT_TRUE(error.is_object()) << json.err;
  EXPECT_EQ(error["error"]["path"], "/limit");
}

constexpr const char* kByName = R"({"labels": ["ACCOUNT"], "orderBy": {"name": "asc"}})";

TEST_F(CliDataTest, JsonIsTheRestEnvelope) {
  CliRun r = Query("json", kByName);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json out = Json::parse(r.out);
  EXPECT_EQ(out["success"], true);
  EXPECT_EQ(out["total"], 2);
  ASSERT_EQ(out["data"].size(), 2u);
  EXPECT_EQ(out["data"][0]["name"], "Acme Corp");
  EXPECT_EQ(out["data"][1]["mrr"], 800);
}

TEST_F(CliDataTest, NonTerminalDefaultIsJson) {
  CliRun r = RunLoom({"--db", db_, "query", kByName});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["success"], true);
}

TEST_F(CliDataTest, QueryFromStdinAndFile) {
  CliRun r = RunLoom({"--db", db_, "--format", "jsonl", "query", "-"}, kByName);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);
  WriteFile(dir_ / "q.json", kByName);
  CliRun f = RunLoom({"--db", db_, "--format", "jsonl", "query", "-f", dir_ / "q.json"});
  EXPECT_EQ(f.out, r.out);
}

TEST_F(CliDataTest, Jsonl) {
  CliRun r = Query("jsonl", kByName);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::vector<std::string> names;
  while (std::getline(lines, line)) names.push_back(Json::parse(line)["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Acme Corp", "Globex, Inc."}));
}

TEST_F(CliDataTest, Csv) {
  CliRun r = Query("csv", kByName);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0], "__id,__label,name,mrr,plan");
  EXPECT_THAT(lines[1], ::testing::EndsWith(",ACCOUNT,Acme Corp,1200,enterprise"));
  EXPECT_THAT(lines[2], ::testing::EndsWith(",ACCOUNT,\"Globex, Inc.\",800,pro"));
  EXPECT_THAT(r.out, Not(HasSubstr("__proptypes")));
}

TEST_F(CliDataTest, Tsv) {
  CliRun r = Query("tsv", kByName);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0], "__id\t__label\tname\tmrr\tplan");
  EXPECT_THAT(lines[2], ::testing::EndsWith("\tACCOUNT\tGlobex, Inc.\t800\tpro"));
}

TEST_F(CliDataTest, Markdown) {
  CliRun r = Query("markdown", kByName);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0], "| __id | __label | name | mrr | plan |");
  EXPECT_EQ(lines[1], "| --- | --- | --- | --- | --- |");
  EXPECT_THAT(lines[3], ::testing::EndsWith(" | ACCOUNT | Globex, Inc. | 800 | pro |"));
}

TEST_F(CliDataTest, LongCellsAreNeverTruncatedInMachineFormats) {
  const std::string big(5000, 'z');
  CliRun created = RunLoom({"--db", db_, "call", "records.create",
                         Json{{"label", "NOTE"}, {"data", {{"text", big}}}}.dump()});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  for (const char* format : {"csv", "tsv", "markdown", "json", "jsonl", "table"}) {
    SCOPED_TRACE(format);
    CliRun r = Query(format, R"({"labels": ["NOTE"]})");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr(big));  // not a terminal: the table is not truncated either
  }
}

TEST_F(CliDataTest, ExportWritesTheFile) {
  CliRun r = RunLoom({"--db", db_, "export", kByName, "--format", "csv", "-o", dir_ / "out.csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = ReadAll(dir_ / "out.csv");
  EXPECT_THAT(csv, HasSubstr("Acme Corp"));
  EXPECT_THAT(csv, HasSubstr("\"Globex, Inc.\""));
  CliRun jsonl = RunLoom({"--db", db_, "export", kByName, "--format", "jsonl"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  EXPECT_EQ(Lines(jsonl.out).size(), 2u);
}

TEST_F(CliDataTest, CallPrintsTheRawResult) {
  CliRun r = RunLoom({"--db", db_, "call", "labels.find", "{}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out), Json::parse(R"({"ACCOUNT": 2})"));
  CliRun bad = RunLoom({"--db", db_, "call", "records.nope", "{}"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("(at /method)"));
}

TEST_F(CliDataTest, SchemaStatsCheck) {
  CliRun schema = RunLoom({"--db", db_, "--format", "json", "schema"});
  ASSERT_EQ(schema.exit_code, 0) << schema.err;
  EXPECT_EQ(Json::parse(schema.out)["labels"]["ACCOUNT"], 2);
  CliRun stats = RunLoom({"--db", db_, "--format", "json", "stats"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_EQ(Json::parse(stats.out)["records"], 2);
  CliRun check = RunLoom({"--db", db_, "check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(CliDataTest, LockedDatabase) {
  ServeProcess server(db_);
  Json pong = server.Request(R"({"id": 1, "method": "labels.find", "params": {}})");
  ASSERT_TRUE(pong.contains("result")) << pong.dump();  // the server has the database open
  // Reading works beside the server (read-only); writing says why it cannot.
  EXPECT_EQ(Query("json", "{}").exit_code, 0);
  CliRun r = RunLoom({"--db", db_, "call", "records.create", R"({"label": "Z", "data": {}})"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: "));
  EXPECT_THAT(r.err, ::testing::ContainsRegex("[Ll]ock|in use|another process"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(server.Close(), 0);
  EXPECT_EQ(Query("json", "{}").exit_code, 0);  // released at EOF
}

TEST(CliTest, NotALoomDirectory) {
  TempDir dir;
  WriteFile(dir / "notes.txt", "hello");
  CliRun r = RunLoom({"--db", dir.path(), "query", "{}"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: "));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// ---- import modes ----

TEST(CliImportTest, JsonlIsImportedInChunks) {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 25; ++i) lines += "{\"n\": " + std::to_string(i) + "}\n";
  WriteFile(dir / "n.jsonl", lines);
  CliRun r = RunLoom({"--db", dir / "db", "import", dir / "n.jsonl", "--label", "N", "--chunk", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("imported 25 records"));
  CliRun count = RunLoom({"--db", dir / "db", "call", "labels.find"});
  EXPECT_EQ(Json::parse(count.out)["N"], 25);
}

TEST(CliImportTest, BadLineAbortsWithItsLineOrIsSkipped) {
  TempDir dir;
  WriteFile(dir / "n.jsonl", "{\"n\": 1}\n{\"n\": 2}\nnot json\n{\"n\": 4}\n");
  CliRun abort = RunLoom({"--db", dir / "db", "import", dir / "n.jsonl", "--label", "N"});
  EXPECT_EQ(abort.exit_code, 1);
  EXPECT_THAT(abort.err, HasSubstr("n.jsonl:3:"));  // streamed by the engine: the bad line itself
  CliRun skip = RunLoom({"--db", dir / "db2", "import", dir / "n.jsonl", "--label", "N", "--on-error", "skip",
                      "--reject-file", dir / "rejects.jsonl"});
  ASSERT_EQ(skip.exit_code, 0) << skip.err;
  EXPECT_THAT(skip.err, HasSubstr("imported 3 records"));
  EXPECT_THAT(skip.err, HasSubstr("1 rejected"));
  EXPECT_EQ(ReadAll(dir / "rejects.jsonl"), "not json\n");
}

TEST(CliImportTest, CsvChunksRepeatTheHeader) {
  TempDir dir;
  std::string csv = "name,note\n";
  for (int i = 0; i < 7; ++i) csv += "row" + std::to_string(i) + ",\"multi\nline, " + std::to_string(i) + "\"\n";
  WriteFile(dir / "rows.csv", csv);
  CliRun r = RunLoom({"--db", dir / "db", "import", dir / "rows.csv", "--label", "ROW", "--chunk", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("imported 7 records"));
  CliRun q = RunLoom({"--db", dir / "db", "--format", "json", "query",
                   R"({"labels": ["ROW"], "where": {"name": "row6"}})"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(Json::parse(q.out)["data"][0]["note"], "multi\nline, 6");
}

TEST(CliImportTest, TutorialBundleRoundTrip) {
  TempDir dir;
  CliRun gen = RunLoom({"gen", "--tutorial", "-o", dir / "tutorial.bundle.jsonl"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_THAT(gen.err, HasSubstr("wrote 36 records, 37 relationships"));
  CliRun r = RunLoom({"--db", dir / "db", "import", dir / "tutorial.bundle.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("imported 36 records, 37 relationships"));
  CliRun labels = RunLoom({"--db", dir / "db", "call", "labels.find"});
  EXPECT_EQ(Json::parse(labels.out),
            Json::parse(R"({"ACCOUNT": 6, "FEATURE_USAGE": 5, "INVOICE": 7, "SUBSCRIPTION": 5,
                            "SUPPORT_TICKET": 4, "TOUCHPOINT": 4, "USER": 5})"));
  CliRun overdue = RunLoom({"--db", dir / "db", "--format", "json", "query", R"({"labels": ["ACCOUNT"],
      "where": {"plan": "enterprise", "SUBSCRIPTION": {"$relation": {"type": "HAS_SUBSCRIPTION", "direction": "out"},
      "INVOICE": {"$relation": {"type": "HAS_INVOICE", "direction": "out"}, "status": "overdue"}}}})"});
  ASSERT_EQ(overdue.exit_code, 0) << overdue.err;
  EXPECT_EQ(Json::parse(overdue.out)["total"], 2);  // Acme and Initech
}

// import -> dump -> import -> dump through the real binary: the second dump
// equals the first byte for byte, and both commands end with a summary line.
TEST(CliImportTest, DumpOfAnImportedBundleReloadsIdentically) {
  TempDir dir;
  CliRun gen = RunLoom({"gen", "--scale", "1", "-o", dir / "c360.jsonl"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  CliRun first = RunLoom({"--db", dir / "a", "import", dir / "c360.jsonl"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  CliRun dump_a = RunLoom({"--db", dir / "a", "dump", "-o", dir / "a.jsonl"});
  ASSERT_EQ(dump_a.exit_code, 0) << dump_a.err;
  EXPECT_THAT(dump_a.err, HasSubstr("dumped 1000 records, 960 relationships to " + (dir / "a.jsonl")));
  EXPECT_THAT(dump_a.err, HasSubstr("items/s"));
  CliRun second = RunLoom({"--db", dir / "b", "import", dir / "a.jsonl"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.err, HasSubstr("imported 1000 records, 960 relationships"));
  CliRun dump_b = RunLoom({"--db", dir / "b", "dump", "-o", dir / "b.jsonl"});
  ASSERT_EQ(dump_b.exit_code, 0) << dump_b.err;
  EXPECT_EQ(ReadAll(dir / "a.jsonl"), ReadAll(dir / "b.jsonl"));
  CliRun to_stdout = RunLoom({"--db", dir / "b", "dump"});
  EXPECT_EQ(to_stdout.out, ReadAll(dir / "a.jsonl"));
}

TEST(CliImportTest, GenIsDeterministicAndScales) {
  CliRun a = RunLoom({"gen", "--scale", "1"});
  CliRun b = RunLoom({"gen", "--scale", "1"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  size_t records = 0, relationships = 0;
  for (const std::string& line : Lines(a.out)) {
    Json entry = Json::parse(line);
    (entry["kind"] == "record" ? records : relationships)++;
  }
  EXPECT_EQ(records, 1000u);
  EXPECT_EQ(relationships, 960u);
  CliRun two = RunLoom({"gen", "--scale", "2"});
  EXPECT_EQ(Lines(two.out).size(), 2 * 1960u);
}

// ---- serve --stdio ----

TEST(CliServeTest, ProtocolSession) {
  TempDir dir;
  ServeProcess s(dir / "db");
  Json created = s.Request(R"({"id": 1, "method": "records.create", "params": {"label": "A", "data": {"x": 1}}})");
  ASSERT_TRUE(created.contains("result")) << created.dump();
  EXPECT_EQ(created["id"], 1);
  EXPECT_EQ(created["result"]["x"], 1);

  Json found = s.Request(R"({"id": 2, "method": "records.find", "params": {"labels": ["A"]}})");
  ASSERT_TRUE(found.contains("result")) << found.dump();
  EXPECT_EQ(found["result"]["total"], 1);

  Json tx = s.Request(R"({"id": 3, "method": "tx.begin", "params": {"ttl": 30000}})");
  ASSERT_TRUE(tx.contains("result")) << tx.dump();
  const std::string tx_id = tx["result"]["id"];
  Json in_tx = s.Request(Json{{"id", 4}, {"method", "records.create"},
                              {"params", {{"label", "B"}, {"data", {{"y", 2}}}}}, {"tx", tx_id}}.dump());
  ASSERT_TRUE(in_tx.contains("result")) << in_tx.dump();
  Json outside = s.Request(R"({"id": 5, "method": "records.find", "params": {"labels": ["B"]}})");
  ASSERT_TRUE(outside.contains("result")) << outside.dump();
  EXPECT_EQ(outside["result"]["total"], 0);
  Json inside = s.Request(Json{{"id", 6}, {"method", "records.find"}, {"params", {{"labels", {"B"}}}},
                               {"tx", tx_id}}.dump());
  EXPECT_EQ(inside["result"]["total"], 1) << inside.dump();
  Json committed = s.Request(Json{{"id", 7}, {"method", "tx.commit"}, {"params", {{"id", tx_id}}}}.dump());
  ASSERT_TRUE(committed.contains("result")) << committed.dump();
  Json after = s.Request(R"({"id": 8, "method": "records.find", "params": {"labels": ["B"]}})");
  EXPECT_EQ(after["result"]["total"], 1) << after.dump();

  Json malformed = s.Request("{this is not json");
  EXPECT_TRUE(malformed["id"].is_null());
  EXPECT_EQ(malformed["error"]["code"], "INVALID_ARGUMENT");
  Json not_object = s.Request("[1,2]");
  EXPECT_TRUE(not_object["id"].is_null());
  EXPECT_TRUE(not_object.contains("error"));
  Json no_method = s.Request(R"({"id": 9})");
  EXPECT_EQ(no_method["id"], 9);
  EXPECT_EQ(no_method["error"]["path"], "/method");
  Json unknown = s.Request(R"({"id": 10, "method": "records.frobnicate", "params": {}})");
  EXPECT_EQ(unknown["id"], 10);
  EXPECT_EQ(unknown["error"]["code"], "INVALID_ARGUMENT");
  Json bad_query = s.Request(R"({"id": "q", "method": "records.find", "params": {"limit": "x"}})");
  EXPECT_EQ(bad_query["id"], "q");
  EXPECT_EQ(bad_query["error"]["path"], "/limit") << bad_query.dump();
  Json bad_tx = s.Request(R"({"id": 11, "method": "records.find", "params": {}, "tx": "no-such-tx"})");
  EXPECT_EQ(bad_tx["error"]["code"], "TX_NOT_FOUND") << bad_tx.dump();

  // Many calls in a row.
  for (int i = 0; i < 200; ++i) {
    Json r = s.Request(Json{{"id", 100 + i}, {"method", "records.create"},
                            {"params", {{"label", "C"}, {"data", {{"i", i}}}}}}.dump());
    ASSERT_EQ(r["id"], 100 + i);
    ASSERT_TRUE(r.contains("result")) << r.dump();
  }
  Json labels = s.Request(R"({"id": 999, "method": "labels.find", "params": {}})");
  EXPECT_EQ(labels["result"]["C"], 200);
  EXPECT_EQ(s.Close(), 0);
}

// ---- shell (tmux) ----

bool HaveTmux() { return std::system("command -v tmux >/dev/null 2>&1") == 0; }

std::string Capture(const std::string& session) {
  std::string cmd = "tmux capture-pane -p -J -S - -t " + session + " 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

bool WaitFor(const std::string& session, const std::string& text, int seconds = 20) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Capture(session).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

void SendKeys(const std::string& session, const std::string& keys) {
  // -l: literal text; Enter sent separately.
  std::string quoted = "'";
  for (char c : keys) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  std::system(("tmux send-keys -t " + session + " -l " + quoted).c_str());
  std::system(("tmux send-keys -t " + session + " Enter").c_str());
}

// `loom ARGS` in a detached tmux session (HOME = `home`, working directory
// `home`), killed when the object goes; the pane then shows SHELL-EXIT-<code>.
class TmuxLoom {
 public:
  TmuxLoom(const std::string& tag, const std::string& home, const std::string& args)
      : session_("loom" + tag + std::to_string(getpid())) {
    const std::string cmd = "cd " + home + " && HOME=" + home + " " + LOOM_CLI_PATH + " " + args +
                            "; echo SHELL-EXIT-$?; sleep 30";
    started_ = std::system(("tmux new-session -d -x 200 -y 50 -s " + session_ + " '" + cmd + "'").c_str()) == 0;
  }
  ~TmuxLoom() { std::system(("tmux kill-session -t " + session_ + " 2>/dev/null").c_str()); }
  bool started() const { return started_; }
  const std::string& session() const { return session_; }

 private:
  std::string session_;
  bool started_ = false;
};

TEST(CliShellTest, InteractiveSessionInTmux) {
  if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed";
  TempDir dir;
  CliRun created = RunLoom({"--db", dir / "db", "call", "records.create",
                         R"({"label": "ACCOUNT", "data": {"name": "Acme", "mrr": 1200}})"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  TmuxLoom tmux("test", dir.path(), "--db " + (dir / "db") + " shell");
  ASSERT_TRUE(tmux.started());
  const std::string& session = tmux.session();
  ASSERT_TRUE(WaitFor(session, "loom> ")) << Capture(session);
  // A multi-line statement: runs when the braces balance.
  SendKeys(session, R"({"labels": ["ACCOUNT"],)");
  ASSERT_TRUE(WaitFor(session, "...> ")) << Capture(session);
  SendKeys(session, R"( "where": {"name": "Acme"}})");
  ASSERT_TRUE(WaitFor(session, "│ Acme")) << Capture(session);
  EXPECT_TRUE(WaitFor(session, "1 row"));
  SendKeys(session, ".mode csv");
  SendKeys(session, R"({"labels": ["ACCOUNT"]})");
  ASSERT_TRUE(WaitFor(session, ",ACCOUNT,Acme,1200")) << Capture(session);
  SendKeys(session, ".nonsense");
  EXPECT_TRUE(WaitFor(session, "unknown command .nonsense")) << Capture(session);
  SendKeys(session, ".quit");
  EXPECT_TRUE(WaitFor(session, "SHELL-EXIT-0")) << Capture(session);
  EXPECT_TRUE(std::filesystem::exists(dir / ".loom_history"));
}

// Ctrl-C abandons an unbalanced statement instead of ending the shell; lines
// reach the history file as they are entered, so a killed session keeps them;
// an unknown dot-command does not point at --help.
TEST(CliShellTest, CtrlCAbandonsTheStatementAndHistoryIsKeptAsLinesAreEntered) {
  if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed";
  TempDir dir;
  CliRun created = RunLoom({"--db", dir / "db", "call", "records.create",
                            R"({"label": "ACCOUNT", "data": {"name": "Acme", "mrr": 1200}})"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  TmuxLoom tmux("ctrlc", dir.path(), "--db " + (dir / "db") + " shell");
  ASSERT_TRUE(tmux.started());
  const std::string& session = tmux.session();
  ASSERT_TRUE(WaitFor(session, "loom> ")) << Capture(session);
  SendKeys(session, R"({"labels": ["ACCOUNT"], "where": {"name": "Acme")");  // one brace short
  ASSERT_TRUE(WaitFor(session, "...> ")) << Capture(session);
  std::system(("tmux send-keys -t " + session + " C-c").c_str());
  ASSERT_TRUE(WaitFor(session, "(statement abandoned)")) << Capture(session);
  SendKeys(session, R"({"labels": ["ACCOUNT"]})");
  ASSERT_TRUE(WaitFor(session, "│ Acme")) << Capture(session);
  EXPECT_THAT(Capture(session), Not(HasSubstr("SHELL-EXIT")));
  SendKeys(session, ".nosuch");
  ASSERT_TRUE(WaitFor(session, "unknown command .nosuch")) << Capture(session);
  EXPECT_THAT(Capture(session), Not(HasSubstr("--help")));
  std::system(("tmux send-keys -t " + session + " C-c").c_str());  // at an empty prompt: nothing to abandon
  SendKeys(session, R"({"labels": ["NOPE"]})");
  ASSERT_TRUE(WaitFor(session, "(no rows)")) << Capture(session);
  EXPECT_THAT(Capture(session), Not(HasSubstr("0 rows")));
  // The history file already has the lines, before any .quit.
  const std::string history = ReadAll(dir / ".loom_history");
  EXPECT_THAT(history, HasSubstr(R"({"labels":\040["ACCOUNT"]})"));  // libedit's encoding of spaces
  EXPECT_THAT(history, HasSubstr(".nosuch"));
}

// `loom` alone on a terminal opens the shell on the default database, as
// sqlite3 and duckdb do; without a terminal it is a usage error.
TEST(CliShellTest, BareLoomOpensTheShellOnATerminal) {
  TempDir dir;
  CliRun piped = RunLoom({"--db", dir / "db"}, "");
  EXPECT_EQ(piped.exit_code, 2);
  EXPECT_THAT(piped.err, HasSubstr("loom alone opens the shell"));
  if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed";
  TmuxLoom tmux("bare", dir.path(), "");
  ASSERT_TRUE(tmux.started());
  const std::string& session = tmux.session();
  ASSERT_TRUE(WaitFor(session, "loom shell on ./loom.db")) << Capture(session);
  SendKeys(session, ".quit");
  EXPECT_TRUE(WaitFor(session, "SHELL-EXIT-0")) << Capture(session);
}

// A statement that never balances is abandoned past 1 MiB instead of
// swallowing the rest of the input; the statements after it run.
TEST(CliShellTest, AnUnbalancedStatementIsCappedAndTheNextOneRuns) {
  TempDir dir;
  CliRun created = RunLoom({"--db", dir / "db", "call", "records.create", R"({"label": "A", "data": {"n": 1}})"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string input = "{\"labels\": [\"A\"\n";
  const std::string filler(1000, ' ');
  for (int i = 0; i < 1100; ++i) input += filler + "\n";
  input += ".mode jsonl\n{\"labels\": [\"A\"]}\n";
  CliRun r = RunLoom({"--db", dir / "db", "shell"}, input);
  EXPECT_THAT(r.err, HasSubstr("statement longer than 1 MiB (a query's limit); abandoned"));
  EXPECT_THAT(r.out, HasSubstr("\"n\":1"));
}

TEST(CliShellTest, PipedInputBypassesLineEditing) {
  TempDir dir;
  CliRun created = RunLoom({"--db", dir / "db", "call", "records.create",
                         R"({"label": "ACCOUNT", "data": {"name": "Acme", "mrr": 1200}})"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  CliRun r = RunLoom({"--db", dir / "db", "shell"},
                  ".mode jsonl\n{\"labels\": [\"ACCOUNT\"],\n \"where\": {\"name\": \"Acme\"}}\n.labels\n.quit\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_GE(lines.size(), 2u) << r.out;
  EXPECT_EQ(Json::parse(lines[0])["name"], "Acme");
  EXPECT_THAT(r.out, HasSubstr("ACCOUNT"));
  EXPECT_THAT(r.out, Not(HasSubstr("loom> ")));
}

}  // namespace
}  // namespace loom
