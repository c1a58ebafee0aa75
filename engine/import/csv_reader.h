// engine/import/csv_reader.h: a streaming RFC 4180 reader with PapaParse's
// dialect options (spec/import-export.md §3.2).
//
// Holds only the current record in memory. Quoted fields may contain the
// delimiter, line breaks and escaped quotes; records end at CRLF, LF or CR
// (the first line break seen fixes the style unless the dialect names one).
// A leading UTF-8 BOM is skipped. Like PapaParse, text ending in a line break
// yields a final record with one empty field. One reader per stream; not
// thread-safe. The stream must outlive the reader.
#ifndef LOOM_ENGINE_IMPORT_CSV_READER_H_
#define LOOM_ENGINE_IMPORT_CSV_READER_H_

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace loom::engine {

struct CsvDialect {
  std::string delimiter = ",";  // 1-5 bytes
  char quote = '"';
  char escape = '"';  // escape == quote: a doubled quote is a literal quote
  std::string newline;  // "" = auto-detect, else "\r\n", "\n" or "\r"
};

// Longest field accepted (RELIABILITY.md §3: values up to 16 MiB).
inline constexpr size_t kMaxCsvFieldBytes = size_t{16} << 20;

class CsvReader {
 public:
  CsvReader(std::istream* in, CsvDialect dialect);

  // Reads the next record into *fields. Returns false at end of input.
  // INVALID_ARGUMENT "CSV parse error: line L, column C: ..." for an
  // unterminated or malformed quoted field, invalid UTF-8 or an oversized
  // field; after an error the reader stays failed.
  [[nodiscard]] absl::StatusOr<bool> Next(std::vector<std::string>* fields);

  // 1-based physical line where the last record returned started.
  int64_t line() const { return record_line_; }
  // 1-based number of the last record returned (0 before the first).
  int64_t record_number() const { return record_number_; }

 private:
  bool Fill(size_t n);  // ensures n bytes are buffered if the input has them
  bool AtDelimiter();
  // Length of the line break at the cursor (0 if none); fixes the style.
  size_t LineBreakAt();
  void Advance(size_t n);
  absl::Status Error(int64_t line, int64_t column, std::string_view what);

  std::istream* in_;
  CsvDialect dialect_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  bool started_ = false;
  bool done_ = false;
  bool failed_ = false;
  bool prev_cr_ = false;  // the last consumed byte was CR (CRLF is one line break)
  absl::Status error_;
  int64_t cur_line_ = 1;
  int64_t cur_column_ = 1;
  int64_t record_line_ = 0;
  int64_t record_number_ = 0;
};

}  // namespace loom::engine

#endif  // LOOM_ENGINE_IMPORT_CSV_READER_H_
