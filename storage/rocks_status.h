// storage/rocks_status.h: the one place where rocksdb::Status becomes absl::Status.
#ifndef LOOM_STORAGE_ROCKS_STATUS_H_
#define LOOM_STORAGE_ROCKS_STATUS_H_

#include "absl/strings/str_cat.h"
#include "loom/status.h"
#include "rocksdb/status.h"

namespace loom::storage {

inline absl::Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return absl::OkStatus();
  if (s.IsNoSpace()) return MakeError(ErrorCode::kInternal, absl::StrCat("disk full: ", s.ToString()));
  if (s.IsCorruption()) {
    return MakeError(ErrorCode::kInternal, absl::StrCat("corrupted: ", s.ToString(), "; run `loom check` or restore"));
  }
  if (s.IsTimedOut()) return MakeError(ErrorCode::kTimeout, s.ToString());
  return MakeError(ErrorCode::kInternal, s.ToString());
}

}  // namespace loom::storage

#endif  // LOOM_STORAGE_ROCKS_STATUS_H_
