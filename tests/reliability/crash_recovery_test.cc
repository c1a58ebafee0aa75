// RELIABILITY.md T1: a writer process is killed with SIGKILL at random moments;
// after every kill the database must reopen, pass Check (I1, I3-I5) and hold
// every write the writer had acknowledged (I2 for the default durability).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "loom/database.h"

namespace loom {
namespace {

// Child: writes records (each linked to the previous one) until killed and
// reports each acknowledged id on `fd` with one write(2) per line.
[[noreturn]] void Writer(const std::string& dir, int fd, int cycle) {
  auto db = Database::Open(dir);
  if (!db.ok()) _exit(3);
  std::string previous;
  for (int seq = 0;; ++seq) {
    Json args = {{"label", "ITEM"}, {"data", {{"cycle", cycle}, {"seq", seq}, {"payload", std::string(200, 'x')}}}};
    auto created = (*db)->records().Create(args);
    if (!created.ok()) _exit(4);
    std::string id = (*created)["__id"];
    if (!previous.empty()) {
      Json attach = {{"source", previous}, {"target", id}, {"options", {{"type", "NEXT"}}}};
      if (!(*db)->records().Attach(attach).ok()) _exit(5);
    }
    previous = id;
    std::string line = id + "\n";
    if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(6);
  }
}

TEST(CrashRecoveryTest, KilledWritersLoseNoAcknowledgedWrite) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("loom_crash_" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(dir);
  std::mt19937 rng(20261125);
  size_t acknowledged_total = 0;
  for (int cycle = 0; cycle < 12; ++cycle) {
    SCOPED_TRACE(cycle);
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      Writer(dir, fds[1], cycle);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 300));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited early with " << WEXITSTATUS(status);
    std::string acked;
    char buf[4096];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) acked.append(buf, n);
    close(fds[0]);
    acked.erase(acked.rfind('\n') + 1);  // a last line without its newline was not acknowledged

    auto db = Database::Open(dir);
    ASSERT_TRUE(db.ok()) << db.status();
    auto check = Check(**db);
    ASSERT_TRUE(check.ok()) << check.status();
    EXPECT_TRUE((*check)["ok"].get<bool>()) << check->dump();
    std::istringstream lines(acked);
    size_t count = 0;
    for (std::string id; std::getline(lines, id);) {
      ++count;
      auto found = (*db)->records().FindById(id);
      ASSERT_TRUE(found.ok()) << "acknowledged record " << id << " is missing: " << found.status();
    }
    acknowledged_total += count;
  }
  EXPECT_GT(acknowledged_total, 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace loom
