# Query acceptance tests: the naive reference evaluator, the JSON case files
# (run against the reference evaluator and, once the engine exists, against
# loom) and the differential test (random graphs x random queries).
set(LOOM_QUERY_TESTS_DIR ${CMAKE_CURRENT_LIST_DIR}/..)

add_library(loom_query_reference STATIC ${LOOM_QUERY_TESTS_DIR}/reference/reference_evaluator.cc
            ${LOOM_QUERY_TESTS_DIR}/reference/reference_select.cc)
target_include_directories(loom_query_reference PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(loom_query_reference PUBLIC loom_query_parse PRIVATE loom_warnings)

# The case files checked against the reference evaluator alone (no engine).
loom_add_test(reference_cases_test
              SOURCES ${CMAKE_CURRENT_LIST_DIR}/reference_cases_test.cc
              LIBS loom_query_reference)
if(TARGET reference_cases_test)
  target_compile_definitions(reference_cases_test PRIVATE
                             LOOM_CASES_DIR="${CMAKE_CURRENT_LIST_DIR}")
endif()

if(TARGET loom)
  loom_add_test(case_runner_test
                SOURCES ${CMAKE_CURRENT_LIST_DIR}/case_runner_test.cc
                LIBS loom loom_query_reference)
  if(TARGET case_runner_test)
    target_compile_definitions(case_runner_test PRIVATE
                               LOOM_CASES_DIR="${CMAKE_CURRENT_LIST_DIR}")
  endif()
  loom_add_test(differential_test
                SOURCES ${LOOM_QUERY_TESTS_DIR}/differential/differential_test.cc
                LIBS loom loom_query_reference loom_query_exec)
  if(TARGET differential_test)
    target_compile_definitions(differential_test PRIVATE
                               LOOM_CASES_DIR="${CMAKE_CURRENT_LIST_DIR}")
  endif()
endif()
