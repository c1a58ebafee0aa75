// query/exec/stop_check.h: when a long run must stop. A run stops when the
// database is interrupted after it started (Database::Interrupt, Ctrl-C in
// the shell: INTERRUPTED) or when it passes its deadline (the operation
// timeout: TIMEOUT). Loops call Check() once per unit of work; the clock and
// the interrupt counter are read every 256 calls. One per run, not shared.
#ifndef LOOM_QUERY_EXEC_STOP_CHECK_H_
#define LOOM_QUERY_EXEC_STOP_CHECK_H_

#include <atomic>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "loom/status.h"

namespace loom::query::exec {

class StopCheck {
 public:
  // `interrupts` may be nullptr (never interrupted); `timeout_ms` <= 0 = none.
  StopCheck(const std::atomic<uint64_t>* interrupts, int64_t timeout_ms)
      : interrupts_(interrupts),
        seen_(interrupts == nullptr ? 0 : interrupts->load(std::memory_order_relaxed)),
        deadline_(timeout_ms > 0 ? absl::Now() + absl::Milliseconds(timeout_ms) : absl::InfiniteFuture()) {}

  absl::Status Check() {
    if ((++calls_ & 255) != 0) return absl::OkStatus();
    if (interrupts_ != nullptr && interrupts_->load(std::memory_order_relaxed) != seen_) {
      return MakeError(ErrorCode::kInterrupted, "the query was interrupted");
    }
    if (deadline_ != absl::InfiniteFuture() && absl::Now() > deadline_) {
      return MakeError(ErrorCode::kTimeout, "the query ran past its deadline (Options operation_timeout_ms)");
    }
    return absl::OkStatus();
  }

 private:
  const std::atomic<uint64_t>* interrupts_;
  uint64_t seen_;
  absl::Time deadline_;
  uint64_t calls_ = 0;
};

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_STOP_CHECK_H_
