# Table-driven write/import cases (JSON files under cases/) run through Database::Call.
loom_add_test(import_case_runner_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/import_case_runner_test.cc
  LIBS loom)
if(TARGET import_case_runner_test)
  target_compile_definitions(import_case_runner_test PRIVATE
    LOOM_IMPORT_CASES_DIR="${CMAKE_CURRENT_LIST_DIR}/cases")
endif()
