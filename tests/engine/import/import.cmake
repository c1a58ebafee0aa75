# Tests of engine/import (pure: no database).
loom_add_test(write_typing_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/write_typing_test.cc LIBS loom_import)
loom_add_test(import_typing_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/import_typing_test.cc LIBS loom_import)
loom_add_test(json_import_plan_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/json_import_plan_test.cc LIBS loom_import)
loom_add_test(csv_reader_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/csv_reader_test.cc LIBS loom_import)
loom_add_test(csv_import_plan_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/csv_import_plan_test.cc LIBS loom_import)
loom_add_test(csv_export_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/csv_export_test.cc LIBS loom_import)
