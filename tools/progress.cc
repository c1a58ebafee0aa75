// tools/progress.cc
#include "tools/progress.h"

#include <cstdio>
#include <utility>

namespace loom::cli {

Progress::Progress(std::ostream& out, std::string name, uint64_t total_bytes, bool live)
    : out_(out),
      name_(std::move(name)),
      total_bytes_(total_bytes),
      live_(live),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

double Progress::ElapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Progress::Bytes(uint64_t n) {
  char buf[32];
  if (n < 1024) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  } else if (n < (uint64_t{1} << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f KB", n / 1024.0);
  } else if (n < (uint64_t{1} << 30)) {
    std::snprintf(buf, sizeof buf, "%.1f MB", n / 1048576.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f GB", n / 1073741824.0);
  }
  return buf;
}

void Progress::Update(uint64_t bytes_done, uint64_t records_done, uint64_t rejected) {
  bytes_ = bytes_done;
  records_ = records_done;
  rejected_ = rejected;
  if (!live_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw();
}

void Progress::Draw() {
  const double elapsed = ElapsedSeconds();
  const double rate = elapsed > 0 ? records_ / elapsed : 0;
  char line[256];
  int n = std::snprintf(line, sizeof line, "%s: %s", name_.c_str(), Bytes(bytes_).c_str());
  std::string text(line, n > 0 ? static_cast<size_t>(n) : 0);
  if (total_bytes_ > 0) {
    std::snprintf(line, sizeof line, " / %s (%.0f%%)", Bytes(total_bytes_).c_str(),
                  100.0 * static_cast<double>(bytes_) / static_cast<double>(total_bytes_));
    text += line;
  }
  std::snprintf(line, sizeof line, "  %llu records  %.0f rec/s", static_cast<unsigned long long>(records_), rate);
  text += line;
  if (total_bytes_ > 0 && bytes_ > 0 && bytes_ < total_bytes_ && elapsed > 0.5) {
    const double eta = elapsed * static_cast<double>(total_bytes_ - bytes_) / static_cast<double>(bytes_);
    std::snprintf(line, sizeof line, "  ETA %.0fs", eta);
    text += line;
  }
  if (rejected_ > 0) {
    std::snprintf(line, sizeof line, "  %llu rejected", static_cast<unsigned long long>(rejected_));
    text += line;
  }
  out_ << "\r\x1b[2K" << text << std::flush;
  drawn_ = true;
}

void Progress::Clear() {
  if (drawn_) out_ << "\r\x1b[2K" << std::flush;
  drawn_ = false;
}

void Progress::Finish(const std::string& summary) {
  Clear();
  out_ << summary << std::endl;
}

}  // namespace loom::cli
