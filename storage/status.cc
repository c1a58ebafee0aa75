// Error codes and JSON Pointer paths ride on absl::Status as payloads.
#include "loom/status.h"

#include <array>

#include "absl/strings/cord.h"

namespace loom {
namespace {

// The pinned Abseil's string_view is not std::string_view.
absl::string_view Absl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

constexpr std::string_view kCodePayload = "loom.code";
constexpr std::string_view kPathPayload = "loom.path";

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
  absl::StatusCode absl_code;
};

constexpr std::array<CodeInfo, 12> kCodes = {{
    {ErrorCode::kInvalidArgument, "INVALID_ARGUMENT", absl::StatusCode::kInvalidArgument},
    {ErrorCode::kInvalidQuery, "INVALID_QUERY", absl::StatusCode::kInvalidArgument},
    {ErrorCode::kNotFound, "NOT_FOUND", absl::StatusCode::kNotFound},
    {ErrorCode::kNonUniqueResult, "NON_UNIQUE_RESULT", absl::StatusCode::kFailedPrecondition},
    {ErrorCode::kEmptyTarget, "EMPTY_TARGET", absl::StatusCode::kFailedPrecondition},
    {ErrorCode::kIdConflict, "ID_CONFLICT", absl::StatusCode::kAlreadyExists},
    {ErrorCode::kTxNotFound, "TX_NOT_FOUND", absl::StatusCode::kNotFound},
    {ErrorCode::kTimeout, "TIMEOUT", absl::StatusCode::kDeadlineExceeded},
    {ErrorCode::kTypeError, "TYPE_ERROR", absl::StatusCode::kInvalidArgument},
    {ErrorCode::kResourceExhausted, "RESOURCE_EXHAUSTED", absl::StatusCode::kResourceExhausted},
    {ErrorCode::kInterrupted, "INTERRUPTED", absl::StatusCode::kCancelled},
    {ErrorCode::kInternal, "INTERNAL", absl::StatusCode::kInternal},
}};

const CodeInfo& Info(ErrorCode code) {
  for (const CodeInfo& info : kCodes) {
    if (info.code == code) return info;
  }
  return kCodes.back();
}

}  // namespace

std::string_view ErrorCodeName(ErrorCode code) { return Info(code).name; }

absl::Status MakeError(ErrorCode code, std::string_view message, std::string_view path) {
  const CodeInfo& info = Info(code);
  absl::Status status(info.absl_code, Absl(message));
  status.SetPayload(Absl(kCodePayload), absl::Cord(Absl(info.name)));
  if (!path.empty()) status.SetPayload(Absl(kPathPayload), absl::Cord(Absl(path)));
  return status;
}

absl::Status InvalidArgument(std::string_view path, std::string_view message) {
  return MakeError(ErrorCode::kInvalidArgument, message, path);
}

absl::Status InvalidQuery(std::string_view path, std::string_view message) {
  return MakeError(ErrorCode::kInvalidQuery, message, path);
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string JsonPointerChild(std::string_view base, std::string_view token) {
  std::string out(base);
  out += '/';
  out += EscapePointerToken(token);
  return out;
}

std::string JsonPointerChild(std::string_view base, size_t index) {
  std::string out(base);
  out += '/';
  out += std::to_string(index);
  return out;
}

ErrorCode GetErrorCode(const absl::Status& status) {
  if (auto payload = status.GetPayload(Absl(kCodePayload))) {
    std::string name(*payload);
    for (const CodeInfo& info : kCodes) {
      if (info.name == name) return info.code;
    }
  }
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument: return ErrorCode::kInvalidArgument;
    case absl::StatusCode::kNotFound: return ErrorCode::kNotFound;
    case absl::StatusCode::kDeadlineExceeded: return ErrorCode::kTimeout;
    case absl::StatusCode::kAlreadyExists: return ErrorCode::kIdConflict;
    default: return ErrorCode::kInternal;
  }
}

std::optional<std::string> ErrorPath(const absl::Status& status) {
  if (auto payload = status.GetPayload(Absl(kPathPayload))) return std::string(*payload);
  return std::nullopt;
}

}  // namespace loom
