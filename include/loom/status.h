// loom/status.h: loom's error model.
//
// Every fallible loom function returns absl::Status or absl::StatusOr<T>. The
// spec's error code (api.md §0.3: "INVALID_ARGUMENT", "INVALID_QUERY",
// "NOT_FOUND", ...) rides along as a payload, and so does the JSON Pointer of
// the offending request node for argument and query errors. Thread-safe: these
// are free functions over immutable values.
#ifndef LOOM_STATUS_H_
#define LOOM_STATUS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace loom {

// The error codes of spec/api.md §0.3.
enum class ErrorCode {
  kInvalidArgument,
  kInvalidQuery,
  kNotFound,
  kNonUniqueResult,
  kEmptyTarget,
  kIdConflict,
  kTxNotFound,
  kTimeout,
  kTypeError,
  // A query needed more memory or rows than its budget allows (a loom
  // extension: Options::max_query_memory_bytes, max_rows_per_root).
  kResourceExhausted,
  // Database::Interrupt stopped the operation (a loom extension; the
  // shell's Ctrl-C).
  kInterrupted,
  kInternal,
};

// "INVALID_ARGUMENT", "INVALID_QUERY", ...
std::string_view ErrorCodeName(ErrorCode code);

// Builds a status carrying `code` (and `path`, a JSON Pointer such as
// "/where/age/$gte", when not empty). The absl code is chosen to match.
absl::Status MakeError(ErrorCode code, std::string_view message,
                       std::string_view path = {});

// Shorthands for the two most common user errors.
absl::Status InvalidArgument(std::string_view path, std::string_view message);
absl::Status InvalidQuery(std::string_view path, std::string_view message);

// RFC 6901 JSON Pointers for error paths: `token` escaped ("~" -> "~0",
// "/" -> "~1"), and base + "/" + token (or index).
std::string EscapePointerToken(std::string_view token);
std::string JsonPointerChild(std::string_view base, std::string_view token);
std::string JsonPointerChild(std::string_view base, size_t index);

// The spec code of a status (derived from the absl code when no payload is set).
ErrorCode GetErrorCode(const absl::Status& status);
// The JSON Pointer of the offending node, if the error has one.
std::optional<std::string> ErrorPath(const absl::Status& status);

}  // namespace loom

// Propagates a non-OK status to the caller.
#define LOOM_RETURN_IF_ERROR(expr)                    \
  do {                                                \
    ::absl::Status loom_status_ = (expr);             \
    if (!loom_status_.ok()) return loom_status_;      \
  } while (0)

#define LOOM_STATUS_CONCAT_INNER_(a, b) a##b
#define LOOM_STATUS_CONCAT_(a, b) LOOM_STATUS_CONCAT_INNER_(a, b)

// `LOOM_ASSIGN_OR_RETURN(auto x, F())` declares x from a StatusOr or returns
// its error.
#define LOOM_ASSIGN_OR_RETURN(lhs, rexpr) \
  LOOM_ASSIGN_OR_RETURN_IMPL_(LOOM_STATUS_CONCAT_(loom_statusor_, __LINE__), lhs, rexpr)
#define LOOM_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                \
  if (!statusor.ok()) return statusor.status();           \
  lhs = std::move(statusor).value()

#endif  // LOOM_STATUS_H_
