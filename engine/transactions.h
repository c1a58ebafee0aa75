// engine/transactions.h: explicit transactions (api.md §7). Each open
// transaction owns one storage::WriteTxn and holds the writer role; reads and
// writes named with its id run on that WriteTxn one at a time, so they see its
// own uncommitted writes while other callers do not. An error in any operation
// of a transaction, a rollback, or TTL expiry discards it; its id then gives
// TX_NOT_FOUND. Thread-safe.
#ifndef LOOM_ENGINE_TRANSACTIONS_H_
#define LOOM_ENGINE_TRANSACTIONS_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/id_generator.h"
#include "engine/writer_gate.h"
#include "loom/json.h"
#include "storage/store.h"

namespace loom::engine {

// (property name id, type) pairs written by one write; property ids are
// renewed for pairs that appear fresh at commit (engine/property_ids.h).
using TouchedProperties = absl::flat_hash_set<std::pair<storage::NameId, PropType>>;

// The state one write needs: its WriteTxn and the properties it touched.
struct WriteScope {
  storage::WriteTxn* txn = nullptr;
  TouchedProperties* touched = nullptr;
};

class TransactionManager {
 public:
  // Makes a write's effects durable: renews property ids, commits the txn.
  using CommitFn = std::function<absl::Status(storage::WriteTxn&, const TouchedProperties&)>;

  TransactionManager(storage::Store* store, IdGenerator* ids, CommitFn commit,
                     int64_t operation_timeout_ms, int64_t max_ttl_ms);
  ~TransactionManager();

  WriterGate& gate() { return gate_; }

  // Opens a transaction (waits for the writer role up to the operation
  // timeout). `ttl_ms` <= 0 means the default 5000 ms; clamped to the maximum.
  [[nodiscard]] absl::StatusOr<std::string> Begin(int64_t ttl_ms);
  [[nodiscard]] absl::Status Get(std::string_view id);
  [[nodiscard]] absl::Status Commit(std::string_view id);
  // True when a live transaction was discarded.
  bool Rollback(std::string_view id);

  // Runs `fn` inside transaction `id`. A failing `fn` rolls the whole
  // transaction back. TX_NOT_FOUND for unknown, finished or expired ids.
  [[nodiscard]] absl::StatusOr<Json> Run(std::string_view id,
                                         const std::function<absl::StatusOr<Json>(WriteScope&)>& fn);

  // Ends transaction `id` if its TTL has passed.
  void ExpireIfDue(const std::string& id);

 private:
  struct Tx {
    std::string id;
    absl::Time expires;
    absl::Mutex mu;  // one operation at a time
    bool done ABSL_GUARDED_BY(mu) = false;
    std::unique_ptr<storage::WriteTxn> txn ABSL_GUARDED_BY(mu);
    TouchedProperties touched ABSL_GUARDED_BY(mu);
  };

  // Shared by the map and the operations currently running on the transaction.
  std::shared_ptr<Tx> Find(std::string_view id);
  // Removes `tx` from the map; true when this caller removed it and thus owns
  // ending it (discarding its txn and releasing the writer role).
  bool Unlist(const std::shared_ptr<Tx>& tx);
  // REQUIRES: tx->mu held and Unlist(tx) returned true.
  void EndLocked(Tx* tx) ABSL_EXCLUSIVE_LOCKS_REQUIRED(tx->mu);

  storage::Store* store_;
  IdGenerator* ids_;
  const CommitFn commit_;
  const int64_t operation_timeout_ms_;
  const int64_t max_ttl_ms_;
  WriterGate gate_;
  absl::Mutex mu_;  // never held while waiting for a Tx::mu
  absl::flat_hash_map<std::string, std::shared_ptr<Tx>> open_ ABSL_GUARDED_BY(mu_);
};

}  // namespace loom::engine

#endif  // LOOM_ENGINE_TRANSACTIONS_H_
