// engine/bulk/dataset_loader.h: loading dataset bundles and CSV exports
// (spec/import-export.md §6.2-§6.4) into storage.
//
// A bundle keeps its ids, labels and declared types (D19). The whole load is
// one WriteTxn: ID_CONFLICT or any bad entry leaves the database unchanged.
// Entries are held in memory while the transaction is built, so a bundle must
// fit in memory (use the file importer for unbounded inputs).
// Not thread-safe; the caller keeps other writers out while a load runs.
#ifndef LOOM_ENGINE_BULK_DATASET_LOADER_H_
#define LOOM_ENGINE_BULK_DATASET_LOADER_H_

#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/bulk/bulk_records.h"
#include "loom/json.h"

namespace loom::engine::bulk {

enum class BundleFormat {
  kAuto,   // one JSON object {records, relationships}, else JSON lines
  kJson,   // one JSON object {records?, relationships?}
  kJsonl,  // one entry per line, optional "kind"
};

// Loads the bundle text `text`. Result {"records": n, "relationships": m,
// "skippedRelationships": k}. Errors: ID_CONFLICT (an id repeated in the
// bundle or already stored; nothing loaded); INVALID_ARGUMENT naming the entry
// ("/records/3/tags" for JSON, "line 12: ..." for JSON lines) for bad JSON,
// nested objects as values, unknown declared types, bad relationship entries.
// `progress(bytes, records)`, when given, follows a JSON-lines bundle: text
// bytes read and records loaded so far (called every few thousand lines).
using LoadProgress = std::function<void(uint64_t bytes, uint64_t records)>;
[[nodiscard]] absl::StatusOr<Json> LoadDatasetText(const BulkTarget& target, std::string_view text,
                                                   BundleFormat format = BundleFormat::kAuto,
                                                   const LoadProgress& progress = {});
// The same for a file (format kAuto picks by content).
[[nodiscard]] absl::StatusOr<Json> LoadDatasetFile(const BulkTarget& target, const std::string& path,
                                                   BundleFormat format = BundleFormat::kAuto,
                                                   const LoadProgress& progress = {});

// `loom load --csv` (§6.4): one record per row; `__id` / `__label` columns give
// id and label (a non-empty `__label` overrides `label`); other columns typed
// as CSV import with options {suggestTypes: true}. Atomic, ID_CONFLICT as
// above. Result {"records": n, "relationships": 0, "skippedRelationships": 0}.
[[nodiscard]] absl::StatusOr<Json> LoadCsvExport(const BulkTarget& target, std::istream& in,
                                                 const std::optional<std::string>& label,
                                                 std::string_view source_name = "<csv>");
[[nodiscard]] absl::StatusOr<Json> LoadCsvExportFile(const BulkTarget& target, const std::string& path,
                                                     const std::optional<std::string>& label);

}  // namespace loom::engine::bulk

#endif  // LOOM_ENGINE_BULK_DATASET_LOADER_H_
