// tools/progress.h: import progress on stderr.
//
// While enabled and stderr is a terminal, one status line is redrawn in place
// (at most ten times a second): bytes read / file size, records, records/s,
// ETA and rejected rows. Finish() always prints a one-line summary, terminal or
// not. Single-threaded: the import loop calls Update() between chunks.
#ifndef LOOM_TOOLS_PROGRESS_H_
#define LOOM_TOOLS_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace loom::cli {

class Progress {
 public:
  // `total_bytes` 0 = unknown size (no ETA). `live` = draw the status line
  // (callers pass isatty(stderr) && !--no-progress).
  Progress(std::ostream& out, std::string name, uint64_t total_bytes, bool live);

  void Update(uint64_t bytes_done, uint64_t records_done, uint64_t rejected = 0);
  // Clears the status line and prints `summary` followed by a newline.
  void Finish(const std::string& summary);
  // Clears the status line (before printing an error).
  void Clear();

  double ElapsedSeconds() const;

  // "12.3 MB", "512 B".
  static std::string Bytes(uint64_t n);

 private:
  void Draw();

  std::ostream& out_;
  std::string name_;
  uint64_t total_bytes_;
  bool live_;
  bool drawn_ = false;
  uint64_t bytes_ = 0;
  uint64_t records_ = 0;
  uint64_t rejected_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace loom::cli

#endif  // LOOM_TOOLS_PROGRESS_H_
