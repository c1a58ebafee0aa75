// Streaming CSV reader (spec/import-export.md §3.2), following PapaParse's
// parser where RFC 4180 leaves room: quotes only open a field at its start,
// spaces between a closing quote and the delimiter are allowed, and input
// ending in a line break has a final one-field empty record.
#include "engine/import/csv_reader.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "loom/status.h"

namespace loom::engine {
namespace {

constexpr size_t kChunk = size_t{64} << 10;

// Offset of the first byte that is not valid UTF-8 (overlongs, surrogates and
// code points above U+10FFFF are invalid), or npos.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + n > s.size()) return i;
    for (size_t k = 1; k < n; ++k) {
      unsigned char d = s[i + k];
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return i;
    }
    i += n;
  }
  return std::string_view::npos;
}

}  // namespace

CsvReader::CsvReader(std::istream* in, CsvDialect dialect)
    : in_(in), dialect_(std::move(dialect)) {
  if (dialect_.delimiter.empty()) dialect_.delimiter = ",";
}

bool CsvReader::Fill(size_t n) {
  while (buf_.size() - pos_ < n && !eof_) {
    if (pos_ > 0) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    size_t old = buf_.size();
    buf_.resize(old + kChunk);
    in_->read(buf_.data() + old, static_cast<std::streamsize>(kChunk));
    size_t got = static_cast<size_t>(in_->gcount());
    buf_.resize(old + got);
    if (got == 0) eof_ = true;
  }
  return buf_.size() - pos_ >= n;
}

void CsvReader::Advance(size_t n) {
  for (size_t i = 0; i < n; ++i) {
    char c = buf_[pos_ + i];
    if (c == '\r') {
      ++cur_line_;
      cur_column_ = 1;
      prev_cr_ = true;
    } else if (c == '\n') {
      if (!prev_cr_) ++cur_line_;
      cur_column_ = 1;
      prev_cr_ = false;
    } else {
      ++cur_column_;
      prev_cr_ = false;
    }
  }
  pos_ += n;
}

bool CsvReader::AtDelimiter() {
  const std::string& d = dialect_.delimiter;
  if (!Fill(d.size())) return false;
  return std::string_view(buf_).substr(pos_, d.size()) == d;
}

size_t CsvReader::LineBreakAt() {
  if (!Fill(1)) return 0;
  char c = buf_[pos_];
  if (dialect_.newline.empty()) {
    if (c == '\n') {
      dialect_.newline = "\n";
      return 1;
    }
    if (c == '\r') {
      dialect_.newline = (Fill(2) && buf_[pos_ + 1] == '\n') ? "\r\n" : "\r";
      return dialect_.newline.size();
    }
    return 0;
  }
  const std::string& nl = dialect_.newline;
  if (c != nl[0] || !Fill(nl.size())) return 0;
  return std::string_view(buf_).substr(pos_, nl.size()) == nl ? nl.size() : 0;
}

absl::Status CsvReader::Error(int64_t line, int64_t column, std::string_view what) {
  failed_ = true;
  error_ = InvalidArgument("/data", absl::StrCat("CSV parse error: line ", line, ", column ",
                                                 column, ": ", std::string(what)));
  return error_;
}

absl::StatusOr<bool> CsvReader::Next(std::vector<std::string>* fields) {
  if (failed_) return error_;
  if (done_) return false;
  if (!started_) {
    started_ = true;
    if (Fill(3) && std::string_view(buf_).substr(pos_, 3) == "\xEF\xBB\xBF") pos_ += 3;
    if (!Fill(1)) {
      done_ = true;
      return false;
    }
  }
  size_t count = 0;  // fields of this record so far; (*fields)'s strings are reused
  record_line_ = cur_line_;
  ++record_number_;
  const char quote = dialect_.quote;
  const char escape = dialect_.escape;
  while (true) {
    const int64_t field_line = cur_line_;
    const int64_t field_column = cur_column_;
    if (count == fields->size()) fields->emplace_back();
    std::string& field = (*fields)[count];
    field.clear();
    bool end_of_record = false;
    if (Fill(1) && buf_[pos_] == quote) {
      Advance(1);
      while (true) {
        if (!Fill(2) && buf_.size() == pos_) {
          return Error(field_line, field_column, "quoted field is not terminated");
        }
        char c = buf_[pos_];
        bool has_next = buf_.size() - pos_ >= 2;
        if (c == escape && escape != quote && has_next && buf_[pos_ + 1] == quote) {
          field += quote;
          Advance(2);
        } else if (c == quote) {
          if (escape == quote && has_next && buf_[pos_ + 1] == quote) {
            field += quote;
            Advance(2);
          } else {
            Advance(1);
            break;
          }
        } else {
          field += c;
          Advance(1);
        }
        if (field.size() > kMaxCsvFieldBytes) {
          return Error(field_line, field_column, "field longer than 16 MiB");
        }
      }
      // After the closing quote: optional spaces, then a delimiter, a line
      // break or the end of input.
      size_t spaces = 0;
      while (Fill(spaces + 1) && buf_[pos_ + spaces] == ' ') ++spaces;
      // Consume the spaces before looking further: Fill() may compact the
      // buffer, so no position may be held across it.
      Advance(spaces);
      if (Fill(1) && !AtDelimiter() && LineBreakAt() == 0) {
        return Error(cur_line_, cur_column_, "unexpected character after a closing quote");
      }
      if (!Fill(1)) {
        end_of_record = true;
        done_ = true;
      } else if (AtDelimiter()) {
        Advance(dialect_.delimiter.size());
      } else {
        Advance(LineBreakAt());
        end_of_record = true;
      }
    } else {
      while (true) {
        if (!Fill(1)) {
          end_of_record = true;
          done_ = true;
          break;
        }
        // The run of plain bytes already buffered, appended at once.
        const char delimiter = dialect_.delimiter[0];
        size_t end = pos_;
        while (end < buf_.size() && buf_[end] != delimiter && buf_[end] != '\n' && buf_[end] != '\r') ++end;
        if (end > pos_) {
          field.append(buf_, pos_, end - pos_);
          cur_column_ += static_cast<int64_t>(end - pos_);
          prev_cr_ = false;
          pos_ = end;
          if (field.size() > kMaxCsvFieldBytes) {
            return Error(field_line, field_column, "field longer than 16 MiB");
          }
          continue;
        }
        if (AtDelimiter()) {
          Advance(dialect_.delimiter.size());
          break;
        }
        if (size_t n = LineBreakAt(); n > 0) {
          Advance(n);
          end_of_record = true;
          break;
        }
        field += buf_[pos_];
        Advance(1);
        if (field.size() > kMaxCsvFieldBytes) {
          return Error(field_line, field_column, "field longer than 16 MiB");
        }
      }
    }
    if (size_t bad = FirstInvalidUtf8(field); bad != std::string_view::npos) {
      return Error(field_line, field_column, absl::StrCat("invalid UTF-8 at byte ", bad,
                                                          " of the field"));
    }
    ++count;
    if (end_of_record) {
      fields->resize(count);
      return true;
    }
  }
}

}  // namespace loom::engine
