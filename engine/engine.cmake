# loom: the installable library. The Database facade, writes, imports,
# metadata reads and transactions over loom_storage; queries via query_seam.
add_library(loom SHARED
  ${CMAKE_CURRENT_LIST_DIR}/call_dispatch.cc
  ${CMAKE_CURRENT_LIST_DIR}/bulk_ops.cc
  ${CMAKE_CURRENT_LIST_DIR}/check.cc
  ${CMAKE_CURRENT_LIST_DIR}/database.cc
  ${CMAKE_CURRENT_LIST_DIR}/database_impl.cc
  ${CMAKE_CURRENT_LIST_DIR}/id_generator.cc
  ${CMAKE_CURRENT_LIST_DIR}/imports.cc
  ${CMAKE_CURRENT_LIST_DIR}/metadata_reads.cc
  ${CMAKE_CURRENT_LIST_DIR}/property_ids.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_cache.cc
  ${CMAKE_CURRENT_LIST_DIR}/query_seam.cc
  ${CMAKE_CURRENT_LIST_DIR}/record_mapper.cc
  ${CMAKE_CURRENT_LIST_DIR}/record_writes.cc
  ${CMAKE_CURRENT_LIST_DIR}/relationship_reads.cc
  ${CMAKE_CURRENT_LIST_DIR}/relationship_writes.cc
  ${CMAKE_CURRENT_LIST_DIR}/transactions.cc
  ${CMAKE_CURRENT_LIST_DIR}/writer_gate.cc)
add_library(loom::loom ALIAS loom)
set_target_properties(loom PROPERTIES OUTPUT_NAME loom)
target_link_libraries(loom
  PUBLIC loom_headers
  PRIVATE loom_bulk loom_storage loom_import loom_values loom_warnings
          absl::synchronization absl::flat_hash_map absl::flat_hash_set absl::str_format
          absl::time absl::random_random)

add_executable(loom_example ${PROJECT_SOURCE_DIR}/examples/customer360_basics.cc)
target_link_libraries(loom_example PRIVATE loom loom_warnings)
