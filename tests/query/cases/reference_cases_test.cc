// Runs every records.find case of tests/query/cases/*.json through the
// reference evaluator (no engine involved): the hand-derived answers of
// examples.md check the oracle itself, and error cases check the parser's
// INVALID_QUERY paths. Method cases (findOne, labels.find, ...) need the engine
// and are left to case_runner_test.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "loom/status.h"
#include "query/parse/parser.h"
#include "tests/query/cases/case_files.h"
#include "tests/query/reference/reference_evaluator.h"

namespace loom::cases {
namespace {

using reference::RefGraph;

class ReferenceCasesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceCasesTest, MatchesHandDerivedAnswers) {
  Json file = ReadJsonFile(CasesDir() + "/" + GetParam());
  Json ds = ResolveDataset(file);

  // Synthetic ids that sort in creation order.
  std::map<std::string, std::string> ids;
  RefGraph graph;
  int i = 0;
  for (const Json& r : ds["records"]) {
    ids[r["__id"].get<std::string>()] = absl::StrFormat("ref-%03d", i++);
  }
  for (const Json& r : ds["records"]) {
    absl::StatusOr<Record> rec = reference::RecordFromJson(Substitute(r, ids));
    ASSERT_TRUE(rec.ok()) << rec.status();
    graph.records.push_back(*rec);
  }
  for (const Json& e : ds["edges"]) {
    graph.edges.push_back({ids.at(e[0].get<std::string>()), ids.at(e[1].get<std::string>()),
                           e[2].get<std::string>()});
  }

  int checked = 0;
  for (const Json& c : file["cases"]) {
    if (c.contains("method")) continue;
    SCOPED_TRACE(c["name"].get<std::string>() + "  " + c["query"].dump());
    Json query = Substitute(c["query"], ids);
    absl::StatusOr<query::ast::Query> parsed = query::ParseQuery(query);
    if (c.contains("expect_error") && parsed.ok()) {  // a runtime error (TYPE_ERROR ...)
      absl::StatusOr<reference::RefResult> got = reference::Evaluate(graph, *parsed);
      ASSERT_FALSE(got.ok()) << "expected " << c["expect_error"].dump();
      EXPECT_EQ(ErrorCodeName(GetErrorCode(got.status())), c["expect_error"]["code"].get<std::string>());
      ++checked;
      continue;
    }
    if (c.contains("expect_error")) {
      ASSERT_FALSE(parsed.ok()) << "expected " << c["expect_error"].dump();
      EXPECT_EQ(ErrorCodeName(GetErrorCode(parsed.status())),
                c["expect_error"]["code"].get<std::string>());
      if (c["expect_error"].contains("path")) {
        EXPECT_EQ(ErrorPath(parsed.status()).value_or("<none>"),
                  c["expect_error"]["path"].get<std::string>())
            << parsed.status();
      }
      ++checked;
      continue;
    }
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    absl::StatusOr<reference::RefResult> got = reference::Evaluate(graph, *parsed);
    ASSERT_TRUE(got.ok()) << got.status();
    if (!got->data.is_null()) {  // select rows
      std::map<std::string, Json> records_by_name;
      for (const Json& r : ds["records"]) records_by_name[r["__id"].get<std::string>()] = r;
      const Json want = ExpandRecords(c["expect"]["data"], records_by_name, ids);
      EXPECT_TRUE(JsonMatches(want, got->data)) << "want " << want.dump() << "\n got " << got->data.dump();
      EXPECT_EQ(got->total, c["expect"]["total"].get<int64_t>());
      ++checked;
      continue;
    }
    std::vector<std::string> want;
    for (const Json& row : c["expect"]["data"]) {
      std::string name = row.contains("$record") ? row["$record"].get<std::string>()
                                                  : row["__id"].get<std::string>();
      want.push_back(ids.count(name) ? ids.at(name) : name);
    }
    EXPECT_EQ(got->ids, want);
    EXPECT_EQ(got->total, c["expect"]["total"].get<int64_t>());
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

INSTANTIATE_TEST_SUITE_P(Files, ReferenceCasesTest, ::testing::ValuesIn(ListCaseFiles()),
                         CaseFileTestName);

}  // namespace
}  // namespace loom::cases
