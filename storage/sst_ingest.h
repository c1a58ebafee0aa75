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

// Sorts every buffer, writes the SST files under `scratch_dir` (created and
// removed here) and ingests them all at once. On error nothing is ingested.
absl::Status IngestBuffers(rocksdb::DB* db, const std::vector<IngestTarget>& targets,
                           const std::string& scratch_dir);

}  // namespace loom::storage

#endif  // LOOM_STORAGE_SST_INGEST_H_
