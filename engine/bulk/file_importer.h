// engine/bulk/file_importer.h: imports of JSON-lines and CSV files of any size
// (spec/import-export.md §2, §3; RELIABILITY.md I6) straight into storage.
//
// The file is read in bounded chunks; each JSON object / CSV row is typed with
// the import plan functions of engine/import and written through a WriteTxn.
// Records are committed in batches (ImportConfig::batch_records / batch_bytes),
// and each batch commit also stores the resume marker (input offset, line,
// counts) so that an interrupted import can continue after the last whole
// batch. Unlike records.importJson, a file import is atomic per batch, not as
// a whole, and BFS order (and thus id order) holds within each JSON line.
// Batches are blind writes (Store::WriteMode::kBlind): nothing is read back.
//
// Not thread-safe; the caller keeps other writers out while an import runs.
#ifndef LOOM_ENGINE_BULK_FILE_IMPORTER_H_
#define LOOM_ENGINE_BULK_FILE_IMPORTER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/bulk/bulk_records.h"
#include "loom/json.h"
#include "storage/store.h"

namespace loom::engine::bulk {

enum class OnError {
  kAbort,  // stop at the first bad line; whole batches committed before it stay
  kSkip,   // write "file:line: reason" to the reject file and go on
};

struct ImportStats {
  uint64_t records = 0;        // records written (committed)
  uint64_t relationships = 0;  // parent -> child edges written (committed)
  uint64_t rejected = 0;       // lines/rows skipped under OnError::kSkip
  uint64_t bytes = 0;          // input bytes consumed (committed position)
  uint64_t lines = 0;          // input lines consumed (committed position)
  uint64_t batches = 0;        // commits made by this run
  // Largest number of bytes the importer held at once: read buffer plus the
  // uncommitted batch (WriteTxn::ApproximateSize). Bounded by memory_bound_bytes.
  uint64_t peak_buffered_bytes = 0;
  bool resumed = false;  // started after a resume marker
};

// Storage of the resume marker. Both calls receive the batch's own WriteTxn /
// a view, so `put` must write into that WriteTxn: the marker then commits in
// the same write as the batch (I6). Leave empty to import without a marker
// (resume is then refused).
struct ResumeMarkerStore {
  std::function<absl::Status(storage::WriteTxn& txn, std::string_view key, std::string_view value)> put;
  std::function<absl::StatusOr<std::optional<std::string>>(storage::ReadView& view, std::string_view key)>
      get;
  bool enabled() const { return put && get; }
};

struct ImportConfig {
  // Records per commit.  Default: 10,000
  size_t batch_records = 10000;
  // Uncommitted bytes per commit (also capped at memory_bound_bytes / 4).  Default: 16 MiB
  size_t batch_bytes = size_t{16} << 20;
  // Bound on the bytes the importer buffers: the read buffer (3/8 of it) plus
  // the open batch (1/4). A JSON line longer than a quarter of it is an error.
  // simdjson's working memory (about 13x the longest line) and the records of
  // one line are not counted.  Default: 64 MiB
  size_t memory_bound_bytes = size_t{64} << 20;
  OnError on_error = OnError::kAbort;
  // Reject file for OnError::kSkip (truncated at the start of a fresh import,
  // appended to on resume).  Default: "<path>.rejects"
  std::string reject_path;
  // Continue after the marker of an earlier run of the same import.
  bool resume = false;
  // Import from the start even though an earlier run of the same import was
  // interrupted (without it, such a run is refused: it would duplicate the
  // records that run committed).
  bool restart = false;
  // Marker key; default "import:<path>".
  std::string resume_key;
  ResumeMarkerStore marker;
  // Called after each commit and at the end.
  std::function<void(const ImportStats&)> progress;
  // Called after each commit (after `progress`); an error ends the import
  // with that error, keeping what was committed and the marker of the last
  // batch (tests use it to interrupt an import between batches).
  std::function<absl::Status(const ImportStats&)> after_commit;
};

// Imports a JSON-lines file: every non-blank line is a JSON object, imported
// as records.importJson {label, data: [object], options} (without a label as
// {data: object}, which then must be a container object, §2.2). Nested
// objects become child records linked parent -> child.
// Errors: INVALID_ARGUMENT "<path>:<line>:<column>: <reason>" for a bad line
// under kAbort (and for a line longer than memory_bound_bytes / 4);
// INVALID_ARGUMENT "cannot open <path>" for an unreadable file; options with
// mergeBy/mergeStrategy are refused (no upsert in file imports).
// `*stats` (may be null) holds what was committed, also on error.
[[nodiscard]] absl::Status ImportJsonLinesFile(const BulkTarget& target, const std::string& path,
                                               const std::optional<std::string>& label,
                                               const Json* options, const ImportConfig& config,
                                               ImportStats* stats);

// Imports a CSV file as records.importCsv {label, options, parseConfig}: one
// record per row, label required. Errors name "<path>:<line>: <reason>"; a
// malformed quoted field ends the import even under kSkip (the rest of the
// file cannot be split into rows reliably).
[[nodiscard]] absl::Status ImportCsvFile(const BulkTarget& target, const std::string& path,
                                         const std::string& label, const Json* options,
                                         const Json* parse_config, const ImportConfig& config,
                                         ImportStats* stats);

}  // namespace loom::engine::bulk

#endif  // LOOM_ENGINE_BULK_FILE_IMPORTER_H_
