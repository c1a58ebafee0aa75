// Tests of the CLI renderers and the shell's statement buffer (no database).
#include "tools/output_format.h"

#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tools/shell.h"

namespace loom::cli {
namespace {

// A tiny find result: two records, one missing a property, one with an array,
// a comma, a quote, a tab and a newline in its values.
Json Tiny() {
  return Json::parse(R"({"data": [
      {"__id": "id-1", "__label": "ACCOUNT", "__proptypes": {"name": "string", "mrr": "number"},
       "name": "Acme, Inc.", "mrr": 1200},
      {"__id": "id-2", "__label": "ACCOUNT", "name": "Say \"hi\"\tthere\nnow", "mrr": 0.5,
       "tags": ["a", "b"], "active": true}
    ], "total": 7})");
}

std::string Render(const Json& result, OutputFormat format, bool terminal = false) {
  std::ostringstream out;
  RenderOptions options;
  options.terminal = terminal;
  RenderRows(out, result, format, options);
  return out.str();
}

TEST(OutputFormatTest, ParsesNames) {
  EXPECT_EQ(ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_EQ(ParseOutputFormat("box"), OutputFormat::kTable);
  EXPECT_EQ(ParseOutputFormat("md"), OutputFormat::kMarkdown);
  EXPECT_EQ(ParseOutputFormat("ndjson"), OutputFormat::kJsonl);
  EXPECT_FALSE(ParseOutputFormat("xml").has_value());
}

TEST(OutputFormatTest, CellText) {
  EXPECT_EQ(CellText(Json(nullptr)), "");
  EXPECT_EQ(CellText(Json(1200)), "1200");
  EXPECT_EQ(CellText(Json(1200.0)), "1200");
  EXPECT_EQ(CellText(Json(0.1)), "0.1");
  EXPECT_EQ(CellText(Json(true)), "true");
  EXPECT_EQ(CellText(Json::parse(R"(["a",1])")), R"(["a",1])");
}

TEST(OutputFormatTest, Json) {
  EXPECT_EQ(Render(Json::parse(R"({"data": [{"a": 1}], "total": 3})"), OutputFormat::kJson),
            "{\n  \"success\": true,\n  \"data\": [\n    {\n      \"a\": 1\n    }\n  ],\n  \"total\": 3\n}\n");
}

TEST(OutputFormatTest, Jsonl) {
  EXPECT_EQ(Render(Json::parse(R"({"data": [{"a": 1}, {"b": "x"}], "total": 2})"), OutputFormat::kJsonl),
            "{\"a\":1}\n{\"b\":\"x\"}\n");
}

TEST(OutputFormatTest, Csv) {
  EXPECT_EQ(Render(Tiny(), OutputFormat::kCsv),
            "__id,__label,name,mrr,tags,active\n"
            "id-1,ACCOUNT,\"Acme, Inc.\",1200,,\n"
            "id-2,ACCOUNT,\"Say \"\"hi\"\"\tthere\nnow\",0.5,\"[\"\"a\"\",\"\"b\"\"]\",true\n");
}

TEST(OutputFormatTest, Tsv) {
  EXPECT_EQ(Render(Tiny(), OutputFormat::kTsv),
            "__id\t__label\tname\tmrr\ttags\tactive\n"
            "id-1\tACCOUNT\tAcme, Inc.\t1200\t\t\n"
            "id-2\tACCOUNT\tSay \"hi\"\\tthere\\nnow\t0.5\t[\"a\",\"b\"]\ttrue\n");
}

TEST(OutputFormatTest, Markdown) {
  EXPECT_EQ(Render(Json::parse(R"({"data": [{"a": "x|y", "b": "1\n2"}, {"a": 3}]})"), OutputFormat::kMarkdown),
            "| a | b |\n"
            "| --- | --- |\n"
            "| x\\|y | 1<br>2 |\n"
            "| 3 |  |\n");
}

TEST(OutputFormatTest, Table) {
  EXPECT_EQ(Render(Json::parse(R"({"data": [{"name": "Acme", "mrr": 1200}, {"name": "Bo"}], "total": 5})"),
                   OutputFormat::kTable),
            "┌──────┬──────┐\n"
            "│ name │ mrr  │\n"
            "├──────┼──────┤\n"
            "│ Acme │ 1200 │\n"
            "│ Bo   │      │\n"
            "└──────┴──────┘\n"
            "2 rows (total 5)\n");
  // Columns of numbers are right-aligned; a column with any string is not.
  EXPECT_EQ(Render(Json::parse(R"({"data": [{"n": 7, "s": "1"}, {"n": 1200.5, "s": 22}], "total": 2})"),
                   OutputFormat::kTable),
            "┌────────┬────┐\n"
            "│ n      │ s  │\n"
            "├────────┼────┤\n"
            "│      7 │ 1  │\n"
            "│ 1200.5 │ 22 │\n"
            "└────────┴────┘\n"
            "2 rows\n");
}

// A table wider than the terminal keeps columns from both ends, shows "…"
// for the others and says which were left out; one that fits is untouched.
TEST(OutputFormatTest, TerminalTablesFitTheirWidth) {
  const Json result = Json::parse(
      R"({"data": [{"first": "a", "second": "bb", "third": "ccc", "fourth": "dddd", "last": 5}], "total": 1})");
  RenderOptions narrow;
  narrow.terminal = true;
  narrow.max_width = 30;
  std::ostringstream out;
  RenderRows(out, result, OutputFormat::kTable, narrow);
  EXPECT_EQ(out.str(),
            "┌───────┬────────┬───┬──────┐\n"
            "│ first │ second │ … │ last │\n"
            "├───────┼────────┼───┼──────┤\n"
            "│ a     │ bb     │ … │    5 │\n"
            "└───────┴────────┴───┴──────┘\n"
            "(2 columns not shown to fit the terminal: third, fourth; --format json or .mode json shows "
            "every column)\n"
            "1 row\n");
  RenderOptions wide = narrow;
  wide.max_width = 200;
  std::ostringstream all;
  RenderRows(all, result, OutputFormat::kTable, wide);
  EXPECT_NE(all.str().find("│ first │ second │ third │ fourth │ last │"), std::string::npos) << all.str();
  EXPECT_EQ(all.str().find("not shown"), std::string::npos);
}

// The JSON envelope is written a row at a time, byte for byte what dumping
// the whole envelope prints.
TEST(OutputFormatTest, JsonEnvelopeIsStreamedAsTheWholeDumpWouldPrintIt) {
  const Json result = Json::parse(
      R"({"data": [{"a": 1, "b": [1, {"c": "x\ny"}], "d": {}}, {"e": []}, {}], "total": 7})");
  const Json envelope = {{"success", true}, {"data", result["data"]}, {"total", 7}};
  EXPECT_EQ(Render(result, OutputFormat::kJson), envelope.dump(2) + "\n");
  const Json bare = Json::parse(R"([{"a": 1}])");
  EXPECT_EQ(Render(bare, OutputFormat::kJson), Json({{"success", true}, {"data", bare}, {"total", 1}}).dump(2) + "\n");
}

TEST(OutputFormatTest, NoTruncationOutsideTheTerminalTable) {
  const std::string big(5000, 'x');
  Json result = {{"data", {{{"big", big}}}}, {"total", 1}};
  for (OutputFormat f : {OutputFormat::kCsv, OutputFormat::kTsv, OutputFormat::kMarkdown, OutputFormat::kJson,
                         OutputFormat::kJsonl}) {
    SCOPED_TRACE(std::string(OutputFormatName(f)));
    EXPECT_NE(Render(result, f, /*terminal=*/true).find(big), std::string::npos);
  }
  EXPECT_NE(Render(result, OutputFormat::kTable, /*terminal=*/false).find(big), std::string::npos);
  const std::string on_terminal = Render(result, OutputFormat::kTable, /*terminal=*/true);
  EXPECT_EQ(on_terminal.find(big), std::string::npos);
  EXPECT_NE(on_terminal.find("…"), std::string::npos);
}

TEST(OutputFormatTest, EmptyResult) {
  EXPECT_EQ(Render(Json::parse(R"({"data": [], "total": 0})"), OutputFormat::kCsv), "");
  EXPECT_EQ(Render(Json::parse(R"({"data": [], "total": 0})"), OutputFormat::kTable), "(no rows)\n");
  EXPECT_EQ(Render(Json::parse(R"({"data": [], "total": 12})"), OutputFormat::kTable), "(no rows; total 12)\n");
  EXPECT_EQ(Render(Json::parse(R"({"data": [], "total": 0})"), OutputFormat::kJson),
            "{\n  \"success\": true,\n  \"data\": [],\n  \"total\": 0\n}\n");
}

TEST(OutputFormatTest, CsvQuotingRules) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(" lead"), "\" lead\"");
  EXPECT_EQ(CsvField("trail "), "\"trail \"");
  EXPECT_EQ(CsvField("a\r\nb"), "\"a\r\nb\"");
  EXPECT_EQ(CsvField(""), "");
}

TEST(StatementBufferTest, CompletesWhenBracesBalance) {
  StatementBuffer b;
  b.Append("{\"labels\": [\"USER\"],");
  EXPECT_FALSE(b.Complete());
  b.Append(" \"where\": {\"name\": \"}{ not a brace \\\" still string\"}");
  EXPECT_FALSE(b.Complete());
  b.Append("}");
  EXPECT_TRUE(b.Complete());
  EXPECT_EQ(b.text(),
            "{\"labels\": [\"USER\"],\n \"where\": {\"name\": \"}{ not a brace \\\" still string\"}\n}");
  b.Clear();
  EXPECT_TRUE(b.Empty());
  b.Append("   ");
  EXPECT_FALSE(b.Complete());
  b.Append("garbage");
  EXPECT_TRUE(b.Complete());  // the JSON parser reports it
}

}  // namespace
}  // namespace loom::cli
