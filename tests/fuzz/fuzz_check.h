// tests/fuzz/fuzz_check.h: invariant checks for the fuzz targets.
//
// A violated invariant prints what broke and traps (__builtin_trap), which
// libFuzzer and the replay driver both report as a crash with the input that
// caused it. Not assert(): it must stay on in release builds.
#ifndef LOOM_TESTS_FUZZ_FUZZ_CHECK_H_
#define LOOM_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <exception>

#define LOOM_FUZZ_CHECK(cond, what)                                           \
  do {                                                                        \
    if (!(cond)) {                                                            \
      std::fprintf(stderr, "%s:%d: invariant violated: %s (%s)\n", __FILE__, \
                   __LINE__, what, #cond);                                    \
      __builtin_trap();                                                       \
    }                                                                         \
  } while (0)

namespace loom::fuzz {

// Runs the body of LLVMFuzzerTestOneInput. The APIs under test return
// statuses, so an exception reaching the harness is a bug: report it and trap
// instead of letting it escape.
template <typename Body>
void RunNoThrow(Body&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "exception escaped the API: %s\n", e.what());
    __builtin_trap();
  } catch (...) {
    std::fprintf(stderr, "non-standard exception escaped the API\n");
    __builtin_trap();
  }
}

}  // namespace loom::fuzz

#endif  // LOOM_TESTS_FUZZ_FUZZ_CHECK_H_
