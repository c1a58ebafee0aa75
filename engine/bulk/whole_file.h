// engine/bulk/whole_file.h: reading a whole file into memory, for inputs
// that are parsed as one document (a bundle, a JSON import). Thread-safe.
#ifndef LOOM_ENGINE_BULK_WHOLE_FILE_H_
#define LOOM_ENGINE_BULK_WHOLE_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace loom::engine::bulk {

// The file's bytes. INVALID_ARGUMENT "cannot open PATH" when it cannot be
// opened, INTERNAL when reading fails midway. Works for pipes and other
// files without a size too.
[[nodiscard]] absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace loom::engine::bulk

#endif  // LOOM_ENGINE_BULK_WHOLE_FILE_H_
