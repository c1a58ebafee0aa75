// engine/import/csv_export.h: records.export CSV rendering (spec/import-export.md
// §5.1), byte-compatible with RushDB (PapaParse unparse defaults).
// Pure; thread-safe.
#ifndef LOOM_ENGINE_IMPORT_CSV_EXPORT_H_
#define LOOM_ENGINE_IMPORT_CSV_EXPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "loom/value.h"

namespace loom::engine {

// Columns __id, __label (each when some record has it), then all other
// property names in UTF-16 code unit order; rows joined by "\r\n", no trailing
// line break; "" for no records.
std::string ExportCsv(const std::vector<Record>& records);

// A cell as PapaParse writes it: quoted when it contains ',', '"', CR, LF or a
// BOM, or starts or ends with a space; inner quotes doubled.
std::string CsvQuote(std::string_view cell);

// The text of a value in a CSV cell: ECMAScript String() of scalars, array
// elements joined with ",".
std::string ValueToCsvCell(const Value& value);

}  // namespace loom::engine

#endif  // LOOM_ENGINE_IMPORT_CSV_EXPORT_H_
