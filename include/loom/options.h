// loom/options.h: options given when opening a database, and per-query options.
// Plain structs; nothing here is persisted in the database unless a field says so.
#ifndef LOOM_OPTIONS_H_
#define LOOM_OPTIONS_H_

#include <cstddef>
#include <cstdint>

namespace loom {

// How far an acknowledged write is guaranteed to survive (RELIABILITY.md §1).
enum class Durability {
  kSync,        // WAL fsync on every commit: survives power loss.
  kBuffered,    // WAL written, not fsynced: survives a process crash (kill -9).
  kUnsafeFast,  // no WAL (bulk loads): durable only after Database::FlushAndSync().
};

struct Options {
  // --- Behaviour ---
  // Create the directory and an empty database when missing.  Default: true
  bool create_if_missing = true;
  // Open without taking the write lock; every write fails.  Default: false
  bool read_only = false;
  // Durability of each write.  Default: kBuffered (survives a process crash)
  Durability durability = Durability::kBuffered;
  // records.delete with an absent/empty `where` deletes everything instead of
  // failing with EMPTY_TARGET (api.md §1.8).  Default: false
  bool allow_force_delete = false;
  // Cap on traversal `hops`; 0 = unlimited (query.md §6.9, D18).  Default: 10
  int max_traversal_hops = 10;
  // Unknown top-level query keys fail with INVALID_QUERY instead of coming
  // back as `warnings` in records.find results.  Default: false
  bool strict_queries = false;
  // Cap on `limit` in find; 0 = none (D22).  Default: 0
  int64_t max_limit = 0;
  // Per-operation time budget in milliseconds (TIMEOUT).  Default: 55000
  int64_t operation_timeout_ms = 55000;
  // Memory a query's select / groupBy evaluation may hold (groups and
  // collected items, estimated), in bytes; past it the query fails with
  // RESOURCE_EXHAUSTED instead of growing.  Default: 1 GiB
  int64_t max_query_memory_bytes = int64_t{1} << 30;
  // Binding rows one root record may have when a select enumerates rows
  // over traversals; past it RESOURCE_EXHAUSTED.  Default: 1000000
  int64_t max_rows_per_root = 1'000'000;
  // Longest transaction time-to-live in milliseconds (tx.begin clamps to it).
  // Default: 55000
  int64_t max_transaction_ttl_ms = 55000;

  // --- Performance ---
  // Block cache shared by all column families.  Default: 256 MiB
  size_t block_cache_bytes = size_t{256} << 20;
  // Memtable size per column family.  Default: 64 MiB
  size_t write_buffer_bytes = size_t{64} << 20;
};

}  // namespace loom

#endif  // LOOM_OPTIONS_H_
