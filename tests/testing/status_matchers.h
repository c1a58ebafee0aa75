// tests/testing/status_matchers.h: assertions over absl::Status / StatusOr and
// loom's error payloads (the pinned Abseil has no status matchers).
#ifndef LOOM_TESTS_TESTING_STATUS_MATCHERS_H_
#define LOOM_TESTS_TESTING_STATUS_MATCHERS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loom/status.h"

namespace loom::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

// EXPECT_THAT(result, StatusIs(ErrorCode::kNotFound)) for a Status or StatusOr.
MATCHER_P(StatusIs, code, "has loom error code " + std::string(::loom::ErrorCodeName(code))) {
  const absl::Status& status = ::loom::testing::GetStatus(arg);
  if (status.ok()) {
    *result_listener << "which is OK";
    return false;
  }
  *result_listener << "which is " << ::loom::ErrorCodeName(::loom::GetErrorCode(status)) << ": "
                   << status.message();
  return ::loom::GetErrorCode(status) == code;
}

// EXPECT_THAT(result, HasErrorPath("/data/tags/1")).
MATCHER_P(HasErrorPath, path, "has error path " + std::string(path)) {
  const absl::Status& status = ::loom::testing::GetStatus(arg);
  std::optional<std::string> got = ::loom::ErrorPath(status);
  *result_listener << "whose path is " << (got ? *got : std::string("<none>")) << " (" << status << ")";
  return !status.ok() && got.has_value() && *got == std::string(path);
}

}  // namespace loom::testing

#define LOOM_ASSERT_OK(expr) ASSERT_TRUE(::loom::testing::GetStatus(expr).ok()) << ::loom::testing::GetStatus(expr)
#define LOOM_EXPECT_OK(expr) EXPECT_TRUE(::loom::testing::GetStatus(expr).ok()) << ::loom::testing::GetStatus(expr)

#endif  // LOOM_TESTS_TESTING_STATUS_MATCHERS_H_
