// engine/query_seam.cc: placeholder until the query engine lands; see query_seam.h.
#include "engine/query_seam.h"

#include <string>

#include "loom/status.h"

namespace loom::engine {

absl::StatusOr<Json> RunQuery(DatabaseImpl& db, storage::ReadView& view, std::string_view method,
                              const Json& query) {
  return MakeError(ErrorCode::kInternal, std::string(method) + " is not available in this build");
}

absl::StatusOr<Json> RunQueryWrite(DatabaseImpl& db, WriteScope& scope, std::string_view method,
                                   const Json& query) {
  return MakeError(ErrorCode::kInternal, std::string(method) + " is not available in this build");
}

}  // namespace loom::engine
