loom_add_test(aggregates_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/aggregates_test.cc
              LIBS loom_query_functions)
loom_add_test(row_functions_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/row_functions_test.cc
              LIBS loom_query_functions)
loom_add_test(where_ops_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/where_ops_test.cc
              LIBS loom_query_functions)
