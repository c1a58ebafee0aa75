# Google Benchmark micro-benchmarks: fixed seeds, items/s reported.
add_executable(records_bench ${CMAKE_CURRENT_LIST_DIR}/engine/records_bench.cc)
target_link_libraries(records_bench PRIVATE loom benchmark::benchmark_main loom_warnings)
add_executable(store_bench ${CMAKE_CURRENT_LIST_DIR}/storage/store_bench.cc)
target_link_libraries(store_bench PRIVATE loom_storage benchmark::benchmark_main loom_warnings)
add_executable(query_bench ${CMAKE_CURRENT_LIST_DIR}/query/query_bench.cc)
target_link_libraries(query_bench PRIVATE loom loom_query_parse benchmark::benchmark_main loom_warnings)
