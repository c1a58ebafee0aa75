# loom_storage: RocksDB column families, key and value codecs, snapshots,
# write batches, statistics and the invariant checker.
add_library(loom_storage STATIC
  ${CMAKE_CURRENT_LIST_DIR}/key_codec.cc
  ${CMAKE_CURRENT_LIST_DIR}/record_json.cc
  ${CMAKE_CURRENT_LIST_DIR}/value_codec.cc
  ${CMAKE_CURRENT_LIST_DIR}/dictionary.cc
  ${CMAKE_CURRENT_LIST_DIR}/store.cc
  ${CMAKE_CURRENT_LIST_DIR}/write_buffer.cc
  ${CMAKE_CURRENT_LIST_DIR}/sst_ingest.cc)
target_link_libraries(loom_storage
  PUBLIC loom_values absl::flat_hash_map absl::btree absl::synchronization Threads::Threads
  PRIVATE RocksDB::rocksdb-shared loom_warnings)
