// engine/query_seam.h: where the engine hands SearchQuery work to the query
// engine (parse -> plan -> exec). Everything that needs `where` evaluation
// goes through here: records.find / findOne / findUniq / explain / export /
// delete, relationships.find / createMany / deleteMany, and labels.find /
// properties.find / properties.values when a `where` is given.
//
// The where-less metadata cases live in metadata_reads.cc; relationships.find
// in relationship_reads.cc and the where-forms of relationships.createMany /
// deleteMany in relationship_writes.cc, which select endpoints through
// MatchRecords below.
#ifndef LOOM_ENGINE_QUERY_SEAM_H_
#define LOOM_ENGINE_QUERY_SEAM_H_

#include <string_view>
#include <vector>

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

// Rids (ascending) of the records carrying one of `labels` (an array of
// strings; nullptr, null or [] = any label) and matching `where` (a record
// where-object; nullptr, null or {} = every record). Error paths are prefixed
// by `path` ("/source" -> "/source/where/..."). Used for relationship
// endpoints and the properties.values source records.
[[nodiscard]] absl::StatusOr<std::vector<storage::Rid>> MatchRecords(DatabaseImpl& db, storage::ReadView& view,
                                                                     const Json* labels, const Json* where,
                                                                     std::string_view path);

}  // namespace loom::engine

#endif  // LOOM_ENGINE_QUERY_SEAM_H_
