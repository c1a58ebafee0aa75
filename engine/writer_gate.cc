#include "engine/writer_gate.h"

#include <algorithm>

#include "loom/status.h"

namespace loom::engine {

absl::Status WriterGate::Acquire(absl::Time deadline, Holder holder) {
  mu_.Lock();
  while (held_) {
    const absl::Time now = absl::Now();
    if (!holder_.tx_id.empty() && now >= holder_.expires) {
      const std::string expired = holder_.tx_id;
      mu_.Unlock();
      expire_(expired);
      mu_.Lock();
      // The owner may still be finishing the expired transaction; don't spin.
      if (held_ && holder_.tx_id == expired) cv_.WaitWithTimeout(&mu_, absl::Milliseconds(1));
      continue;
    }
    if (now >= deadline) {
      mu_.Unlock();
      return MakeError(ErrorCode::kTimeout,
                       "timed out waiting for another write or an open transaction to finish");
    }
    const absl::Time wake = holder_.tx_id.empty() ? deadline : std::min(deadline, holder_.expires);
    cv_.WaitWithDeadline(&mu_, wake);
  }
  held_ = true;
  holder_ = std::move(holder);
  mu_.Unlock();
  return absl::OkStatus();
}

void WriterGate::SetHolderExpiry(const std::string& tx_id, absl::Time expires) {
  absl::MutexLock lock(&mu_);
  if (held_ && holder_.tx_id == tx_id) holder_.expires = expires;
  cv_.SignalAll();
}

void WriterGate::Release() {
  absl::MutexLock lock(&mu_);
  held_ = false;
  holder_ = Holder{};
  cv_.SignalAll();
}

}  // namespace loom::engine
