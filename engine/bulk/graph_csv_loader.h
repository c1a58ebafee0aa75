// engine/bulk/graph_csv_loader.h: loading a graph from CSV node and edge
// tables (records.load {"nodes": [...], "edges": [...]}), the way Kùzu's
// COPY and neo4j-admin import read them.
//
// A node table holds one record per row, labelled with the table's label. Its
// key column (`name:ID`, the one named by `key`, else a column `id`) gives
// each row a key, unique within the label; the key is also stored as the
// property `name` (a bare `:ID` column is key only). An edge table holds one
// relationship per row, from the node whose key is in the start column
// (`:START_ID`, `:START_ID(LABEL)`, the one named by `from`, else `from`) to
// the one in the end column (`:END_ID`, `to`); other columns become the
// relationship's properties. Records get new `__id`s; users never write one.
//
// Header cells may declare a type, `name:type` with type string, number,
// boolean, datetime (or `type[]`: an array, elements separated by ';'), or
// IGNORE; undeclared cells are typed as `loom import file.csv` types them.
// Empty cells are absent properties.
//
// Everything is one ingesting transaction: any error (a cell that is not its
// declared type, a repeated key, an edge whose endpoint is no node of the
// load, a key two labels share used without a label) leaves the database
// unchanged and says file:line:column. Node tables are read before edge
// tables. Keys and the rid of each node are held in memory (about 60 bytes a
// node); rows are streamed.
#ifndef LOOM_ENGINE_BULK_GRAPH_CSV_LOADER_H_
#define LOOM_ENGINE_BULK_GRAPH_CSV_LOADER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/bulk/bulk_records.h"
#include "loom/json.h"

namespace loom::engine::bulk {

struct NodeTable {
  std::string label;
  std::string path;
  std::string key;  // key column name; "" = by convention (`:ID`, then `id`)
};

struct EdgeTable {
  std::string type;
  std::string path;
  std::string from, to;  // endpoint column names; "" = by convention
};

// Result {"records": n, "relationships": m, "skippedRelationships": 0}.
// `progress(bytes, records)` follows the tables' bytes read and the records
// and relationships written so far.
[[nodiscard]] absl::StatusOr<Json> LoadGraphCsv(const BulkTarget& target, const std::vector<NodeTable>& nodes,
                                                const std::vector<EdgeTable>& edges,
                                                const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace loom::engine::bulk

#endif  // LOOM_ENGINE_BULK_GRAPH_CSV_LOADER_H_
