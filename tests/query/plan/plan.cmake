loom_add_test(planner_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/planner_test.cc
              LIBS loom_query_plan loom_query_parse)
