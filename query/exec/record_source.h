// query/exec/record_source.h: the one accessor through which select
// expressions read records: property values, declared types, ids, labels and
// serialised records, decoded once per record and kept for the rows that
// visit it again. A faster column source can replace record decoding here
// without touching the expressions or the aggregates.
//
// Bound to one ReadView; used by one thread at a time.
#ifndef LOOM_QUERY_EXEC_RECORD_SOURCE_H_
#define LOOM_QUERY_EXEC_RECORD_SOURCE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "loom/json.h"
#include "loom/value.h"
#include "storage/store.h"

namespace loom::query::exec {

class RecordSource {
 public:
  explicit RecordSource(storage::ReadView& view) : view_(view) {}

  // Reads the records of `rids` in one batch (the page or a chunk of roots).
  absl::Status Prefetch(const std::vector<storage::Rid>& rids);
  // The record, or nullptr when no record has this rid.
  absl::StatusOr<const storage::StoredRecord*> Get(storage::Rid rid);
  // Property `field` of the record ("__id": the id) as an expression value;
  // null when absent. `type`, when given, receives the declared type.
  absl::StatusOr<Json> Field(storage::Rid rid, const std::string& field, std::optional<PropType>* type = nullptr);
  // The serialised record (data-model.md §9).
  absl::StatusOr<Json> RecordJson(storage::Rid rid);
  // The label name ("" when unlabeled).
  absl::StatusOr<std::string> Label(storage::Rid rid);

  storage::ReadView& view() { return view_; }

 private:
  std::optional<storage::NameId> PropertyId(const std::string& name);

  storage::ReadView& view_;
  absl::flat_hash_map<storage::Rid, std::optional<storage::StoredRecord>> records_;
  absl::flat_hash_map<std::string, std::optional<storage::NameId>> property_ids_;
};

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_RECORD_SOURCE_H_
