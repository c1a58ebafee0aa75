loom_add_test(json_reader_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/json_reader_test.cc
              LIBS loom_query_parse)
loom_add_test(parser_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/parser_test.cc
              LIBS loom_query_parse)
loom_add_test(select_parser_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/select_parser_test.cc
              LIBS loom_query_parse)
