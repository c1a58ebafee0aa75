// engine/bulk/dataset_dumper.h: whole-database dumps as a dataset bundle
// (spec/import-export.md §5.3) and the JSON / JSON-lines renderings of a
// record list (§5.2).
//
// A dump reads one snapshot and streams JSON lines: every record
// {"kind":"record", "__id", "__label"?, "__proptypes", properties...} in
// `__id` order, then every relationship {"kind":"relationship", "sourceId",
// "targetId", "type", "properties"?} in creation (edge id) order, with the
// stored (canonical) type name, so LoadDataset reproduces the database. A
// record that has a property named "kind" is written without the
// discriminator (its `__id` marks it as a record). Relationship references
// (about 40 bytes each) are held in memory to sort them.
// Thread-safe with respect to writers (snapshot reads).
#ifndef LOOM_ENGINE_BULK_DATASET_DUMPER_H_
#define LOOM_ENGINE_BULK_DATASET_DUMPER_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "loom/json.h"
#include "loom/value.h"
#include "storage/store.h"

namespace loom::engine::bulk {

struct DumpStats {
  uint64_t records = 0;
  uint64_t relationships = 0;
  uint64_t bytes = 0;  // written
};

// Writes the bundle of everything `view` sees. INTERNAL on a write failure.
// `progress`, when given, sees the stats every few thousand lines.
[[nodiscard]] absl::Status DumpDataset(storage::ReadView& view, std::ostream& out, DumpStats* stats = nullptr,
                                       const std::function<void(const DumpStats&)>& progress = {});

// records.export formats "json" (a JSON array of serialised records, no line
// breaks) and "jsonl" (one record per line, each ended by "\n").
// Invalid UTF-8 in values is replaced by U+FFFD rather than failing.
std::string RecordsToJsonText(const std::vector<Record>& records);
std::string RecordsToJsonLines(const std::vector<Record>& records);
[[nodiscard]] absl::Status WriteRecordsJson(const std::vector<Record>& records, std::ostream& out);
[[nodiscard]] absl::Status WriteRecordsJsonLines(const std::vector<Record>& records, std::ostream& out);

}  // namespace loom::engine::bulk

#endif  // LOOM_ENGINE_BULK_DATASET_DUMPER_H_
