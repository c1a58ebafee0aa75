// storage/sst_ingest.h: applying a large write as sorted table files.
//
// Inserting millions of keys through memtables costs a skip-list insert per
// key, then a flush that writes them again. For a bulk load loom instead
// sorts each column family's writes, writes them straight into SST files
// (one worker per column family, in parallel) and hands all the files to
// RocksDB in one IngestExternalFiles call: that call is atomic across column
// families, and durable when it returns (files and MANIFEST are synced).
#ifndef LOOM_STORAGE_SST_INGEST_H_
#define LOOM_STORAGE_SST_INGEST_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "storage/write_buffer.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace loom::storage {

struct IngestTarget {
  rocksdb::ColumnFamilyHandle* cf = nullptr;
  WriteBuffer* writes = nullptr;  // sorted here; empty buffers are skipped
};

// One ingestion in two steps, so that the slow one (sorting and writing the
// files) can run before the caller takes its commit lock:
//   SstIngestion ingestion(db, scratch_dir);
//   ingestion.Write(bulk_targets);      // slow, parallel
//   ... lock; ingestion.Write(meta);     // small
//   ingestion.Ingest();                 // everything at once
// Files live under `scratch_dir` (emptied at construction, removed at
// destruction); nothing is ingested unless Ingest succeeds.
class SstIngestion {
 public:
  SstIngestion(rocksdb::DB* db, std::string scratch_dir);
  ~SstIngestion();
  SstIngestion(const SstIngestion&) = delete;
  SstIngestion& operator=(const SstIngestion&) = delete;

  // Sorts every buffer and writes it into SST files (a buffer's column family
  // must not appear in an earlier Write).
  absl::Status Write(const std::vector<IngestTarget>& targets);
  // Ingests every file written so far in one atomic call.
  absl::Status Ingest();

 private:
  rocksdb::DB* db_;
  std::string scratch_dir_;
  absl::Status status_;  // of creating the scratch directory
  std::vector<std::pair<rocksdb::ColumnFamilyHandle*, std::vector<std::string>>> files_;
  size_t writes_ = 0;  // Write calls so far, to name files apart
};

}  // namespace loom::storage

#endif  // LOOM_STORAGE_SST_INGEST_H_
