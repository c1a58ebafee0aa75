// engine/database_impl.h: the engine behind loom::Database. Owns the store, the
// id generator, the property ids and the transaction manager; every public
// operation runs through RunWrite (one WriteTxn, one commit, under the writer
// role; or inside an explicit transaction) or RunRead (a snapshot, or the
// transaction's own WriteTxn). Operation bodies live in record_writes.cc,
// relationship_writes.cc, imports.cc, metadata_reads.cc; Call in
// call_dispatch.cc. Thread-safe.
#ifndef LOOM_ENGINE_DATABASE_IMPL_H_
#define LOOM_ENGINE_DATABASE_IMPL_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/id_generator.h"
#include "engine/plan_cache.h"
#include "engine/property_ids.h"
#include "engine/transactions.h"
#include "loom/json.h"
#include "loom/options.h"
#include "loom/value.h"
#include "storage/store.h"

namespace loom::engine {

using TxId = std::string_view;

class DatabaseImpl {
 public:
  static absl::StatusOr<std::unique_ptr<DatabaseImpl>> Open(const std::string& path,
                                                            const Options& options);
  ~DatabaseImpl();

  using WriteFn = std::function<absl::StatusOr<Json>(WriteScope&)>;
  // `in_tx`: the view holds uncommitted writes, so statistics are stale.
  using ReadFn = std::function<absl::StatusOr<Json>(storage::ReadView&, bool in_tx)>;
  // `mode` applies outside an explicit transaction: kBlind when `fn` never
  // reads what it writes (imports without upsert).
  [[nodiscard]] absl::StatusOr<Json> RunWrite(TxId tx, const WriteFn& fn,
                                              storage::Store::WriteMode mode = storage::Store::WriteMode::kIndexed);
  [[nodiscard]] absl::StatusOr<Json> RunRead(TxId tx, const ReadFn& fn);

  // records (api.md §1, §2)
  absl::StatusOr<Json> Create(const Json& args, TxId tx);
  absl::StatusOr<Json> CreateMany(const Json& args, TxId tx);
  absl::StatusOr<Json> ImportJson(const Json& args, TxId tx);
  absl::StatusOr<Json> ImportCsv(const Json& args, TxId tx);
  absl::StatusOr<Json> Upsert(const Json& args, TxId tx);
  absl::StatusOr<Json> Set(const Json& args, TxId tx);
  absl::StatusOr<Json> Update(const Json& args, TxId tx);
  absl::StatusOr<Json> DeleteById(const Json& ids, TxId tx);
  absl::StatusOr<Json> Attach(const Json& args, TxId tx);
  absl::StatusOr<Json> Detach(const Json& args, TxId tx);
  absl::StatusOr<Json> FindById(const Json& ids, TxId tx);
  // relationships.find (api.md §3.1), relationship_reads.cc.
  absl::StatusOr<Json> RelationshipsFind(const Json& args, TxId tx);
  // relationships.createMany / deleteMany (api.md §3.2, §3.3) joining on keys;
  // a `where` on either side selects the endpoints through the query seam.
  absl::StatusOr<Json> RelationshipsCreateMany(const Json& args, TxId tx);
  absl::StatusOr<Json> RelationshipsDeleteMany(const Json& args, TxId tx);
  // Bulk operations (engine/bulk_ops.cc): records.load {data|path, format?,
  // label?}, records.importFile {path, label?, format?, options?,
  // parseConfig?, onError?, rejectFile?, resume?, batchRecords?} and db.dump
  // {path?}. `after_commit` sees the number of batches committed so far; an
  // error from it stops the import there (tests of I6).
  using BulkCommitHook = std::function<absl::Status(uint64_t batches)>;
  using ImportProgress = std::function<void(uint64_t bytes, uint64_t records)>;
  absl::StatusOr<Json> LoadDataset(const Json& args, TxId tx, const ImportProgress& progress = {});
  // records.load of graph CSV tables ({"nodes": [...], "edges": [...]}).
  absl::StatusOr<Json> LoadGraph(const Json& args, const ImportProgress& progress);
  absl::StatusOr<Json> ImportFile(const Json& args, TxId tx, const BulkCommitHook& after_commit = {},
                                  const ImportProgress& progress = {});
  using DumpProgress = std::function<void(uint64_t bytes, uint64_t items)>;
  absl::StatusOr<Json> Dump(const Json& args, TxId tx, const DumpProgress& progress = {});
  // Operations that need the query engine (engine/query_seam.h).
  absl::StatusOr<Json> QueryRead(std::string_view method, const Json& query, TxId tx);
  absl::StatusOr<Json> QueryWrite(std::string_view method, const Json& query, TxId tx);

  // labels / properties (api.md §4, §5)
  absl::StatusOr<Json> LabelsFind(const Json& args, TxId tx);
  absl::StatusOr<Json> PropertiesFind(const Json& args, TxId tx);
  absl::StatusOr<Json> PropertiesFindById(std::string_view id, TxId tx);
  absl::StatusOr<Json> PropertiesValues(std::string_view id, const Json& args, TxId tx);
  absl::StatusOr<Json> PropertiesDelete(std::string_view id, TxId tx);

  // transactions (api.md §7)
  absl::StatusOr<Json> TxBegin(const Json& args);
  absl::StatusOr<Json> TxGet(std::string_view id);
  absl::StatusOr<Json> TxCommit(std::string_view id);
  absl::StatusOr<Json> TxRollback(std::string_view id);

  absl::StatusOr<Json> Call(std::string_view method, const Json& params, TxId tx);
  absl::StatusOr<Json> Check();
  absl::Status FlushAndSync() { return store_->FlushAndSync(); }

  storage::Store& store() { return *store_; }
  const Options& options() const { return options_; }
  IdGenerator& ids() { return ids_; }
  PropertyIds& property_ids() { return *property_ids_; }
  PlanCache& plan_cache() { return plan_cache_; }
  void Interrupt() { interrupts_.fetch_add(1, std::memory_order_relaxed); }
  const std::atomic<uint64_t>& interrupts() const { return interrupts_; }

  // Runs a bulk writer that commits its own WriteTxns in batches (engine/bulk)
  // while holding the writer role (waiting like an implicit write), with
  // `next_id` drawing `__id`s from this database's generator. Afterwards every
  // (name, type) pair that appeared during the run gets a fresh property id.
  using BulkFn = std::function<absl::Status(storage::Store& store, const std::function<std::string()>& next_id)>;
  [[nodiscard]] absl::Status RunBulk(const BulkFn& fn);

  // --- Building blocks shared by the operation files ---
  // Writes `record` (see WriteTxn::PutRecord) and notes its properties.
  [[nodiscard]] absl::Status PutRecord(WriteScope& scope, const storage::StoredRecord& record,
                                       const storage::StoredRecord* old);
  // A new record with a fresh rid and `__id`.
  [[nodiscard]] absl::StatusOr<storage::StoredRecord> CreateRecord(
      WriteScope& scope, const std::optional<std::string>& label, const std::vector<Property>& properties);
  // Upsert of api.md §1.5 / import-export.md §2.7: updates every candidate and
  // returns the smallest-id one, or creates a record. With `label` absent,
  // `any_label` chooses between "any record" (records.upsert) and "unlabeled".
  [[nodiscard]] absl::StatusOr<storage::StoredRecord> UpsertRecord(
      WriteScope& scope, const std::optional<std::string>& label, const std::vector<Property>& incoming,
      const std::vector<std::string>& merge_by, bool rewrite, bool any_label);
  [[nodiscard]] absl::StatusOr<std::optional<storage::StoredRecord>> LoadById(storage::ReadView& view,
                                                                              std::string_view id);

 private:
  DatabaseImpl(std::unique_ptr<storage::Store> store, const Options& options);
  [[nodiscard]] absl::Status CommitWrite(storage::WriteTxn& txn, const TouchedProperties& touched);

  std::unique_ptr<storage::Store> store_;
  const Options options_;
  IdGenerator ids_;
  std::unique_ptr<PropertyIds> property_ids_;
  PlanCache plan_cache_;
  std::atomic<uint64_t> interrupts_{0};
  std::unique_ptr<TransactionManager> transactions_;  // destroyed first: rolls back open txs
};

}  // namespace loom::engine

#endif  // LOOM_ENGINE_DATABASE_IMPL_H_
