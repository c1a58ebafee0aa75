// engine/query_seam.h: where the engine hands SearchQuery work to the query
// engine (parse -> plan -> exec). Everything that needs `where` evaluation
// goes through here: records.find / findOne / findUniq / explain / export /
// delete, relationships.find / createMany / deleteMany, and labels.find /
// properties.find / properties.values when a `where` is given.
//
// This build answers only the where-less metadata cases itself (they live in
// metadata_reads.cc); everything else is INTERNAL "not available" until the
// query engine replaces query_seam.cc.
#ifndef LOOM_ENGINE_QUERY_SEAM_H_
#define LOOM_ENGINE_QUERY_SEAM_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "engine/transactions.h"
#include "loom/json.h"
#include "storage/store.h"

namespace loom::engine {

class DatabaseImpl;

// A read-only query method over `view` (a snapshot or a transaction's WriteTxn).
[[nodiscard]] absl::StatusOr<Json> RunQuery(DatabaseImpl& db, storage::ReadView& view,
                                            std::string_view method, const Json& query);

// A query method that writes (records.delete, relationships.createMany /
// deleteMany) inside `scope`; record changes must go through
// DatabaseImpl::PutRecord / scope.txn.
[[nodiscard]] absl::StatusOr<Json> RunQueryWrite(DatabaseImpl& db, WriteScope& scope,
                                                 std::string_view method, const Json& query);

}  // namespace loom::engine

#endif  // LOOM_ENGINE_QUERY_SEAM_H_
