#include "engine/transactions.h"

#include <algorithm>

#include "loom/status.h"

namespace loom::engine {
namespace {

constexpr int64_t kDefaultTtlMs = 5000;

absl::Status TxNotFound(std::string_view id) {
  return MakeError(ErrorCode::kTxNotFound,
                   "transaction " + std::string(id) +
                       " does not exist (unknown, committed, rolled back or expired)");
}

}  // namespace

TransactionManager::TransactionManager(storage::Store* store, IdGenerator* ids, CommitFn commit,
                                       int64_t operation_timeout_ms, int64_t max_ttl_ms)
    : store_(store),
      ids_(ids),
      commit_(std::move(commit)),
      operation_timeout_ms_(operation_timeout_ms),
      max_ttl_ms_(max_ttl_ms),
      gate_([this](const std::string& id) { ExpireIfDue(id); }) {}

TransactionManager::~TransactionManager() {
  std::vector<std::string> ids;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, tx] : open_) ids.push_back(id);
  }
  for (const std::string& id : ids) Rollback(id);
}

std::shared_ptr<TransactionManager::Tx> TransactionManager::Find(std::string_view id) {
  absl::MutexLock lock(&mu_);
  auto it = open_.find(std::string(id));
  return it == open_.end() ? nullptr : it->second;
}

bool TransactionManager::Unlist(const std::shared_ptr<Tx>& tx) {
  absl::MutexLock lock(&mu_);
  auto it = open_.find(tx->id);
  if (it == open_.end() || it->second != tx) return false;
  open_.erase(it);
  return true;
}

void TransactionManager::EndLocked(Tx* tx) {
  tx->done = true;
  tx->txn.reset();  // an uncommitted WriteTxn discards its writes
  tx->touched.clear();
  gate_.Release();
}

absl::StatusOr<std::string> TransactionManager::Begin(int64_t ttl_ms) {
  if (ttl_ms <= 0) ttl_ms = kDefaultTtlMs;
  if (max_ttl_ms_ > 0) ttl_ms = std::min(ttl_ms, max_ttl_ms_);
  auto tx = std::make_shared<Tx>();
  tx->id = ids_->Next();
  const absl::Time now = absl::Now();
  LOOM_RETURN_IF_ERROR(
      gate_.Acquire(now + absl::Milliseconds(operation_timeout_ms_), {tx->id, absl::InfiniteFuture()}));
  {
    absl::MutexLock tx_lock(&tx->mu);
    tx->txn = store_->BeginWrite();
  }
  // The TTL runs from the moment the transaction holds the writer role.
  tx->expires = absl::Now() + absl::Milliseconds(ttl_ms);
  {
    absl::MutexLock lock(&mu_);
    open_.emplace(tx->id, tx);
  }
  // Waiters must learn the real expiry: re-register the holder.
  gate_.SetHolderExpiry(tx->id, tx->expires);
  return tx->id;
}

absl::Status TransactionManager::Get(std::string_view id) {
  std::shared_ptr<Tx> tx = Find(id);
  if (tx == nullptr) return TxNotFound(id);
  if (absl::Now() >= tx->expires) {
    ExpireIfDue(tx->id);
    return TxNotFound(id);
  }
  return absl::OkStatus();
}

void TransactionManager::ExpireIfDue(const std::string& id) {
  std::shared_ptr<Tx> tx = Find(id);
  if (tx == nullptr || absl::Now() < tx->expires) return;
  if (!Unlist(tx)) return;
  absl::MutexLock tx_lock(&tx->mu);  // waits for a running operation
  EndLocked(tx.get());
}

bool TransactionManager::Rollback(std::string_view id) {
  std::shared_ptr<Tx> tx = Find(id);
  if (tx == nullptr || !Unlist(tx)) return false;
  absl::MutexLock tx_lock(&tx->mu);
  EndLocked(tx.get());
  return true;
}

absl::Status TransactionManager::Commit(std::string_view id) {
  std::shared_ptr<Tx> tx = Find(id);
  if (tx == nullptr) return TxNotFound(id);
  absl::MutexLock tx_lock(&tx->mu);
  if (tx->done) return TxNotFound(id);
  const bool expired = absl::Now() >= tx->expires;
  if (!Unlist(tx)) return TxNotFound(id);
  if (expired) {
    EndLocked(tx.get());
    return TxNotFound(id);
  }
  absl::Status status = commit_(*tx->txn, tx->touched);
  EndLocked(tx.get());
  return status;
}

absl::StatusOr<Json> TransactionManager::Run(
    std::string_view id, const std::function<absl::StatusOr<Json>(WriteScope&)>& fn) {
  std::shared_ptr<Tx> tx = Find(id);
  if (tx == nullptr) return TxNotFound(id);
  absl::MutexLock tx_lock(&tx->mu);
  if (tx->done) return TxNotFound(id);
  if (absl::Now() >= tx->expires) {
    if (Unlist(tx)) EndLocked(tx.get());
    return TxNotFound(id);
  }
  WriteScope scope{tx->txn.get(), &tx->touched};
  absl::StatusOr<Json> result = fn(scope);
  if (!result.ok()) {
    // api.md §0.3: any failure inside a transaction rolls all of it back.
    if (Unlist(tx)) EndLocked(tx.get());
  }
  return result;
}

}  // namespace loom::engine
