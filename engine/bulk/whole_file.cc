#include "engine/bulk/whole_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "loom/status.h"

namespace loom::engine::bulk {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("cannot open ", path));
  std::string bytes;
  std::streamoff size = in.tellg();  // -1 for pipes
  if (size > 0 && in.seekg(0)) {
    // One read straight into the string: a stream copy of a large bundle
    // costs more than parsing it.
    bytes.resize(static_cast<size_t>(size));
    in.read(bytes.data(), size);
    bytes.resize(static_cast<size_t>(in.gcount()));
    if (in.bad()) return MakeError(ErrorCode::kInternal, absl::StrCat("reading ", path, " failed"));
  }
  in.clear();
  // Whatever the size did not cover (pipes, a file still growing).
  std::ostringstream rest;
  rest << in.rdbuf();
  if (in.bad()) return MakeError(ErrorCode::kInternal, absl::StrCat("reading ", path, " failed"));
  bytes += rest.str();
  return bytes;
}

}  // namespace loom::engine::bulk
