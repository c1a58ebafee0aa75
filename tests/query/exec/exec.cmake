loom_add_test(executor_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/executor_test.cc
              LIBS loom_query_exec loom_query_plan loom_query_parse loom_storage)
loom_add_test(criteria_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/criteria_test.cc
              LIBS loom_query_exec loom_query_parse)
