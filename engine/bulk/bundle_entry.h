// engine/bulk/bundle_entry.h: reading one dataset-bundle entry
// (spec/import-export.md §6.2, §6.3) from its JSON into plain values before
// anything touches storage: a record's id, label and typed properties
// (declared types kept, D19; sentinels mapped; the rest inferred as JSON
// import), or a relationship's endpoints, type and property text.
//
// Private to loom_bulk (it includes simdjson). A reader keeps scratch space:
// one per thread; readers share nothing.
#ifndef LOOM_ENGINE_BULK_BUNDLE_ENTRY_H_
#define LOOM_ENGINE_BULK_BUNDLE_ENTRY_H_

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "loom/value.h"

namespace loom::engine::bulk {

inline constexpr std::string_view kNullSentinel = "__RUSHDB__VALUE__NULL__";
inline constexpr std::string_view kEmptyArraySentinel = "__RUSHDB__VALUE__EMPTY__ARRAY__";
inline constexpr std::string_view kDefaultRelationAlias = "RUSHDB_DEFAULT_RELATION";

// Where an entry came from, for error messages: a JSON Pointer base
// ("/records/3") or a line of a JSON-lines bundle.
struct EntryOrigin {
  std::string pointer;  // of the entry inside the bundle; "" for a line
  int64_t line = 0;     // > 0 for JSON lines

  // INVALID_ARGUMENT at pointer + `at` ("line N: " first for lines).
  absl::Status Error(std::string_view at, std::string_view message) const;
  // `status` with "line N: " before its message (unchanged for pointers).
  absl::Status Wrap(const absl::Status& status) const;
};

struct RecordEntry {
  std::optional<std::string> id;  // nullopt: a new id is generated
  std::string_view id_key;        // the entry's id field ("__id" or internal style), for errors
  std::optional<std::string> label;
  std::vector<Property> properties;
};

struct RelationshipEntry {
  std::string source, target;  // ids
  std::string type;            // checked; the RushDB default alias mapped
  std::string properties;      // JSON object text, "" for none
};

using BundleEntry = std::variant<RecordEntry, RelationshipEntry>;

class BundleEntryReader {
 public:
  // An element of `records` / of `relationships`.
  absl::Status ReadRecord(simdjson::dom::element entry, const EntryOrigin& origin, RecordEntry* out);
  absl::Status ReadRelationship(simdjson::dom::element entry, const EntryOrigin& origin, RelationshipEntry* out);
  // A JSON-lines entry: "kind" names it, else its shape does.
  absl::Status ReadLine(simdjson::dom::element entry, const EntryOrigin& origin, BundleEntry* out);

  struct Field {
    std::string_view key;
    simdjson::dom::element value;
  };

 private:
  // Over fields_, the entry's fields.
  absl::Status ReadRecordFields(const EntryOrigin& origin, RecordEntry* out);
  absl::Status ReadRelationshipFields(const EntryOrigin& origin, RelationshipEntry* out);
  absl::Status ReadDeclaredTypes(std::string_view types_key, const EntryOrigin& origin, std::vector<Field>* types);

  std::vector<Field> fields_, declared_types_;  // of the entry being read
  simdjson::dom::parser types_parser_;          // declared types given as JSON text
};

}  // namespace loom::engine::bulk

#endif  // LOOM_ENGINE_BULK_BUNDLE_ENTRY_H_
