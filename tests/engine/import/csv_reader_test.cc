#include "engine/import/csv_reader.h"

#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/engine/import/test_util.h"

namespace loom::engine {
namespace {

using Rows = std::vector<std::vector<std::string>>;

absl::StatusOr<Rows> ReadAll(const std::string& text, CsvDialect dialect = {},
                             std::vector<int64_t>* lines = nullptr) {
  std::istringstream in(text);
  CsvReader reader(&in, dialect);
  Rows rows;
  std::vector<std::string> fields;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&fields);
    if (!more.ok()) return more.status();
    if (!*more) break;
    rows.push_back(fields);
    if (lines) lines->push_back(reader.line());
    EXPECT_EQ(reader.record_number(), static_cast<int64_t>(rows.size()));
  }
  return rows;
}

TEST(CsvReaderTest, Records) {
  CsvDialect semicolon;
  semicolon.delimiter = ";";
  CsvDialect multi;
  multi.delimiter = "||";
  CsvDialect backslash;
  backslash.escape = '\\';
  CsvDialect single_quote;
  single_quote.quote = '\'';
  single_quote.escape = '\'';
  CsvDialect lf_only;
  lf_only.newline = "\n";
  struct Case {
    const char* name;
    std::string text;
    CsvDialect dialect;
    Rows expect;
  } cases[] = {
      {"simple", "a,b\n1,2", {}, {{"a", "b"}, {"1", "2"}}},
      {"trailing line break gives an empty record", "a,b\n", {}, {{"a", "b"}, {""}}},
      {"empty input", "", {}, {}},
      {"only a BOM", "\xEF\xBB\xBF", {}, {}},
      {"BOM stripped", "\xEF\xBB\xBF" "a,b", {}, {{"a", "b"}}},
      {"quoted delimiter and doubled quote", "\"a,b\",\"c\"\"d\"", {}, {{"a,b", "c\"d"}}},
      {"embedded newline", "\"x\ny\",z\r\n1,2", {}, {{"x\ny", "z"}, {"1", "2"}}},
      {"CRLF", "a,b\r\n1,2\r\n", {}, {{"a", "b"}, {"1", "2"}, {""}}},
      {"CR", "a\rb", {}, {{"a"}, {"b"}}},
      {"empty fields", ",,\n", {}, {{"", "", ""}, {""}}},
      {"empty quoted field", "\"\",x", {}, {{"", "x"}}},
      {"quote inside an unquoted field is literal", "a\"b,c", {}, {{"a\"b", "c"}}},
      {"spaces after a closing quote", "\"a\"  ,b", {}, {{"a", "b"}}},
      {"semicolon", "a;b,c\n1;2", semicolon, {{"a", "b,c"}, {"1", "2"}}},
      {"multi-character delimiter", "a||b|c||\"d||e\"", multi, {{"a", "b|c", "d||e"}}},
      {"backslash escape", "\"a\\\"b\",c", backslash, {{"a\"b", "c"}}},
      {"single quote", "'a,b','it''s'", single_quote, {{"a,b", "it's"}}},
      {"fixed LF keeps CR in fields", "a\r,b\n1,2", lf_only, {{"a\r", "b"}, {"1", "2"}}},
      {"first line break fixes the style", "a\r\nb\nc\r\n", {}, {{"a"}, {"b\nc"}, {""}}},
      {"UTF-8 content", "n\xC3\xA9,\xF0\x9F\x98\x80", {}, {{"n\xC3\xA9", "\xF0\x9F\x98\x80"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto rows = ReadAll(c.text, c.dialect);
    ASSERT_TRUE(rows.ok()) << rows.status();
    EXPECT_EQ(*rows, c.expect);
  }
}

TEST(CsvReaderTest, LineNumbers) {
  std::vector<int64_t> lines;
  auto rows = ReadAll("a\n\"x\ny\r\nz\"\nb\r\rc", {}, &lines);
  ASSERT_TRUE(rows.ok()) << rows.status();
  // The first break (LF) fixes the style, so CRs stay inside fields.
  EXPECT_EQ(*rows, (Rows{{"a"}, {"x\ny\r\nz"}, {"b\r\rc"}}));
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 5}));

  lines.clear();
  rows = ReadAll("h\r\n1\r\n\"2\r\n2\"\r\n3", {}, &lines);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3, 5}));
}

TEST(CsvReaderTest, Errors) {
  struct Case {
    const char* name;
    std::string text;
    const char* message_part;
  } cases[] = {
      {"unterminated quote", "a,b\n1,\"open\n2,3\n", "line 2, column 3: quoted field is not terminated"},
      {"character after closing quote", "\"a\"x,b", "line 1, column 4"},
      {"invalid UTF-8", "a,b\nc,\xFF", "line 2, column 3: invalid UTF-8"},
      {"overlong UTF-8", "\xC0\xAF", "invalid UTF-8"},
      {"surrogate", "\xED\xA0\x80", "invalid UTF-8"},
      {"truncated sequence", "x\xE2\x82", "invalid UTF-8"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto rows = ReadAll(c.text);
    ASSERT_FALSE(rows.ok());
    EXPECT_EQ(GetErrorCode(rows.status()), ErrorCode::kInvalidArgument);
    EXPECT_NE(rows.status().message().find("CSV parse error: "), std::string::npos);
    EXPECT_NE(rows.status().message().find(c.message_part), std::string::npos) << rows.status();
  }
}

TEST(CsvReaderTest, FieldsSpanningBufferRefills) {
  std::string big(200000, 'x');
  std::string text = "h1,h2\n\"" + big + "\"\"q\",||" + big + "\n";
  CsvDialect dialect;
  auto rows = ReadAll(text, dialect);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1][0], big + "\"q");
  EXPECT_EQ((*rows)[1][1], "||" + big);
  // Multi-character delimiter straddling the 64 KiB refill boundary.
  CsvDialect multi;
  multi.delimiter = "<=>";
  for (size_t offset : {65534u, 65535u, 65536u}) {
    SCOPED_TRACE(offset);
    std::string t = std::string(offset, 'a') + "<=>b";
    auto r = ReadAll(t, multi);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, (Rows{{std::string(offset, 'a'), "b"}}));
  }
}

TEST(CsvReaderTest, StaysFailedAfterAnError) {
  std::istringstream in("\"a");
  CsvReader reader(&in, {});
  std::vector<std::string> fields;
  EXPECT_FALSE(reader.Next(&fields).ok());
  EXPECT_FALSE(reader.Next(&fields).ok());
}

}  // namespace
}  // namespace loom::engine
