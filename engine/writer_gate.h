// engine/writer_gate.h: the single-writer role. An implicit write holds it for
// one operation; an explicit transaction holds it from tx.begin until commit,
// rollback or TTL expiry. Waiters give up at their deadline (TIMEOUT); a waiter
// that finds the holder's TTL passed asks the owner to expire it. Thread-safe.
#ifndef LOOM_ENGINE_WRITER_GATE_H_
#define LOOM_ENGINE_WRITER_GATE_H_

#include <functional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace loom::engine {

class WriterGate {
 public:
  struct Holder {
    std::string tx_id;                             // empty = an implicit write
    absl::Time expires = absl::InfiniteFuture();   // TTL of an explicit transaction
  };
  // Called without the gate lock with the id of a holder whose TTL passed; it
  // must end that transaction (which releases the gate).
  using ExpireFn = std::function<void(const std::string& tx_id)>;

  explicit WriterGate(ExpireFn expire) : expire_(std::move(expire)) {}

  // Waits for the role until `deadline`; TIMEOUT when it is still taken then.
  [[nodiscard]] absl::Status Acquire(absl::Time deadline, Holder holder);
  // Updates the expiry of the current holder when it is transaction `tx_id`.
  void SetHolderExpiry(const std::string& tx_id, absl::Time expires);
  // REQUIRES: the caller holds the role.
  void Release();

  // The role for one implicit write, released when the returned guard ends.
  class ScopedRole {
   public:
    explicit ScopedRole(WriterGate* gate) : gate_(gate) {}
    ScopedRole(ScopedRole&& other) : gate_(std::exchange(other.gate_, nullptr)) {}
    ScopedRole(const ScopedRole&) = delete;
    ~ScopedRole() {
      if (gate_ != nullptr) gate_->Release();
    }

   private:
    WriterGate* gate_;
  };
  [[nodiscard]] absl::StatusOr<ScopedRole> AcquireScoped(absl::Time deadline) {
    if (absl::Status s = Acquire(deadline, {}); !s.ok()) return s;
    return ScopedRole(this);
  }

 private:
  const ExpireFn expire_;
  absl::Mutex mu_;
  absl::CondVar cv_;
  bool held_ ABSL_GUARDED_BY(mu_) = false;
  Holder holder_ ABSL_GUARDED_BY(mu_);
};

}  // namespace loom::engine

#endif  // LOOM_ENGINE_WRITER_GATE_H_
