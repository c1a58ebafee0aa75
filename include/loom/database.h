// loom/database.h: an embedded loom database.
//
// Operations take and return JSON shaped as in spec/api.md, named after the
// RushDB SDK methods: db->records().Create(...), db->tx().Begin(...), or the
// generic db->Call("records.create", params). Every operation is atomic; with a
// transaction id (the optional trailing `tx` argument) it joins that explicit
// transaction instead, and any error rolls the whole transaction back.
//
// Thread safety: one Database may be used from any number of threads. Writes
// are serialised (one writer at a time; an open explicit transaction holds the
// writer role until it ends or its TTL expires); reads run on snapshots.
// Errors are absl::Status with the spec's code (loom::GetErrorCode) and, for
// argument and query errors, the JSON Pointer of the bad node (loom::ErrorPath).
#ifndef LOOM_DATABASE_H_
#define LOOM_DATABASE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "loom/json.h"
#include "loom/options.h"
#include "loom/status.h"

namespace loom {

namespace engine {
class DatabaseImpl;
}

// An explicit transaction's id, or empty for "its own implicit transaction".
using TxId = std::string_view;

class Records {
 public:
  absl::StatusOr<Json> Create(const Json& args, TxId tx = {});
  absl::StatusOr<Json> CreateMany(const Json& args, TxId tx = {});
  absl::StatusOr<Json> ImportJson(const Json& args, TxId tx = {});
  absl::StatusOr<Json> ImportCsv(const Json& args, TxId tx = {});
  // Input bytes read and records written so far by a streamed file import.
  using ImportProgress = std::function<void(uint64_t bytes, uint64_t records)>;
  // Streams a JSONL, JSON or CSV file in atomic batches, each committed with
  // its resume marker (records.importFile; not inside a transaction).
  // `progress` is called after each batch.
  absl::StatusOr<Json> ImportFile(const Json& args, const ImportProgress& progress = {});
  // Loads a dataset bundle or CSV export atomically (records.load);
  // `progress` sees bundle bytes read and records loaded as JSON lines go by.
  absl::StatusOr<Json> Load(const Json& args, const ImportProgress& progress = {});
  absl::StatusOr<Json> Upsert(const Json& args, TxId tx = {});
  absl::StatusOr<Json> Set(const Json& args, TxId tx = {});
  absl::StatusOr<Json> Update(const Json& args, TxId tx = {});
  // Deletes every record matching a SearchQuery (api.md §1.8).
  absl::StatusOr<Json> Delete(const Json& query, TxId tx = {});
  // One id or an array of ids.
  absl::StatusOr<Json> DeleteById(const Json& ids, TxId tx = {});
  absl::StatusOr<Json> Attach(const Json& args, TxId tx = {});
  absl::StatusOr<Json> Detach(const Json& args, TxId tx = {});
  // {"data": [...], "total": n}; with "id" a related-records search.
  absl::StatusOr<Json> Find(const Json& query, TxId tx = {});
  absl::StatusOr<Json> FindOne(const Json& query, TxId tx = {});
  absl::StatusOr<Json> FindUniq(const Json& query, TxId tx = {});
  // One id -> the record (NOT_FOUND when missing); an array -> {"data", "total"}.
  absl::StatusOr<Json> FindById(const Json& ids, TxId tx = {});
  // The chosen plan of a query as {"text": ..., "plan": {...}}; with
  // "analyze": true in `options` the query also runs and actual rows are filled in.
  absl::StatusOr<Json> Explain(const Json& query, const Json& options = Json::object(), TxId tx = {});
  absl::StatusOr<Json> Export(const Json& query, const Json& options = Json::object(), TxId tx = {});

 private:
  friend class Database;
  explicit Records(engine::DatabaseImpl* impl) : impl_(impl) {}
  engine::DatabaseImpl* impl_;
};

class Relationships {
 public:
  absl::StatusOr<Json> Find(const Json& args, TxId tx = {});
  absl::StatusOr<Json> CreateMany(const Json& args, TxId tx = {});
  absl::StatusOr<Json> DeleteMany(const Json& args, TxId tx = {});

 private:
  friend class Database;
  explicit Relationships(engine::DatabaseImpl* impl) : impl_(impl) {}
  engine::DatabaseImpl* impl_;
};

class Labels {
 public:
  absl::StatusOr<Json> Find(const Json& args = Json::object(), TxId tx = {});

 private:
  friend class Database;
  explicit Labels(engine::DatabaseImpl* impl) : impl_(impl) {}
  engine::DatabaseImpl* impl_;
};

class Properties {
 public:
  absl::StatusOr<Json> Find(const Json& args = Json::object(), TxId tx = {});
  absl::StatusOr<Json> FindById(std::string_view id, TxId tx = {});
  absl::StatusOr<Json> Values(std::string_view id, const Json& args = Json::object(), TxId tx = {});
  absl::StatusOr<Json> Delete(std::string_view id, TxId tx = {});

 private:
  friend class Database;
  explicit Properties(engine::DatabaseImpl* impl) : impl_(impl) {}
  engine::DatabaseImpl* impl_;
};

class Transactions {
 public:
  // {"id": "<uuidv7>"}; args may hold {"ttl": ms} (default 5000).
  absl::StatusOr<Json> Begin(const Json& args = Json::object());
  absl::StatusOr<Json> Get(std::string_view id);
  absl::StatusOr<Json> Commit(std::string_view id);
  absl::StatusOr<Json> Rollback(std::string_view id);

 private:
  friend class Database;
  explicit Transactions(engine::DatabaseImpl* impl) : impl_(impl) {}
  engine::DatabaseImpl* impl_;
};

class Database {
 public:
  // Opens (and by default creates) the database in directory `path`.
  // A directory locked by another process, one that is not a loom database and
  // one written by another format version each fail with a one-sentence error.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const Options& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Records& records() { return records_; }
  Relationships& relationships() { return relationships_; }
  Labels& labels() { return labels_; }
  Properties& properties() { return properties_; }
  Transactions& tx() { return tx_; }

  // Generic dispatcher: `method` is a dotted api.md name ("records.find",
  // "tx.begin", ...); `params` are that operation's arguments. Used by the CLI
  // and `loom serve --stdio`.
  absl::StatusOr<Json> Call(std::string_view method, const Json& params, TxId tx = {});

  // Writes every record and relationship as a dataset bundle (db.dump).
  // `progress(bytes, items)`: bytes written and records + relationships so far.
  using DumpProgress = std::function<void(uint64_t bytes, uint64_t items)>;
  absl::StatusOr<Json> Dump(const Json& args, const DumpProgress& progress = {});

  // Flushes and syncs everything written so far (needed after kUnsafeFast writes).
  absl::Status FlushAndSync();

  // Makes every query running now stop soon with INTERRUPTED (as
  // sqlite3_interrupt); queries started afterwards run normally. Safe from
  // any thread and from a signal handler (one atomic increment).
  void Interrupt();

  engine::DatabaseImpl* impl() { return impl_.get(); }

 private:
  explicit Database(std::unique_ptr<engine::DatabaseImpl> impl);
  std::unique_ptr<engine::DatabaseImpl> impl_;
  Records records_;
  Relationships relationships_;
  Labels labels_;
  Properties properties_;
  Transactions tx_;
};

// Checks the invariants of RELIABILITY.md (I1, I3-I5): adjacency symmetry, no
// dangling edges, indexes equal to the records, counters equal to a recount.
// Returns {"ok": bool, "records": n, "relationships": m, "problems": [...]}.
absl::StatusOr<Json> Check(Database& db);

}  // namespace loom

#endif  // LOOM_DATABASE_H_
