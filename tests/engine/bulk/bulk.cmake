# Bulk import / dataset load / dump tests over real stores in temporary directories.
loom_add_test(loom_bulk_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/file_importer_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/dataset_loader_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/dataset_dumper_test.cc
  LIBS loom_bulk loom_storage loom_import)
