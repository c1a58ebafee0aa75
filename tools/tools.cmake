# The `loom` command line (tools/). Sources are split so that the renderers,
# the statement buffer and the serve protocol can be unit-tested without the
# process boundary; the CLI tests also run the real binary.
find_package(CLI11 CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBEDIT REQUIRED IMPORTED_TARGET libedit)
# The loom binary (not libloom: a linking program keeps its own allocator)
# allocates through jemalloc: bulk loads allocate on one thread and free on
# another, where glibc's arenas contend; measured ~20% faster imports.
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)

set(LOOM_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cli_context.cc
  ${CMAKE_CURRENT_LIST_DIR}/output_format.cc
  ${CMAKE_CURRENT_LIST_DIR}/progress.cc
  ${CMAKE_CURRENT_LIST_DIR}/serve_stdio.cc
  ${CMAKE_CURRENT_LIST_DIR}/shell.cc
  ${CMAKE_CURRENT_LIST_DIR}/commands/call.cc
  ${CMAKE_CURRENT_LIST_DIR}/commands/gen.cc
  ${CMAKE_CURRENT_LIST_DIR}/commands/import.cc
  ${CMAKE_CURRENT_LIST_DIR}/commands/import_graph.cc
  ${CMAKE_CURRENT_LIST_DIR}/commands/query.cc
  ${CMAKE_CURRENT_LIST_DIR}/commands/schema.cc)

# Everything but main(): compiled once, linked by the binary and the tests.
add_library(loom_cli_lib STATIC ${LOOM_CLI_SOURCES})
target_include_directories(loom_cli_lib PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(loom_cli_lib
  PUBLIC loom_headers
  PRIVATE CLI11::CLI11 fmt::fmt PkgConfig::LIBEDIT absl::strings loom_warnings)

if(TARGET loom)
  target_link_libraries(loom_cli_lib PUBLIC loom)
  add_executable(loom_cli ${CMAKE_CURRENT_LIST_DIR}/main.cc)
  set_target_properties(loom_cli PROPERTIES OUTPUT_NAME loom)
  target_link_libraries(loom_cli PRIVATE loom_cli_lib loom CLI11::CLI11 fmt::fmt PkgConfig::LIBEDIT loom_warnings
                        PkgConfig::JEMALLOC)
  install(TARGETS loom_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
else()
  message(WARNING "tools: target loom is not defined yet; building loom_cli_lib only")
endif()
