// Runs tests/query/cases/*.json against loom through the public API: builds
// each file's dataset with its script (records.create / importJson / attach
// ...), checks that the stored records and relationships are exactly the
// hand-written ones of the file (the write path), then runs every case and
// compares the full JSON answer (see case_files.h for the format).
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loom/database.h"
#include "loom/status.h"
#include "tests/query/cases/case_files.h"
#include "tests/testing/temp_dir.h"

namespace loom::cases {
namespace {

constexpr char kDefaultType[] = "__RUSHDB__RELATION__DEFAULT__";
constexpr char kDefaultTypeAlias[] = "RUSHDB_DEFAULT_RELATION";

// Every record, oldest first.
absl::StatusOr<Json> AllRecords(Database& db) {
  absl::StatusOr<Json> r = db.records().Find(Json{{"orderBy", "asc"}, {"limit", 1000000}});
  if (!r.ok()) return r.status();
  return (*r)["data"];
}

class CaseRunnerTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Runs the dataset script, naming the records each step creates.
  void Load(const Json& ds) {
    std::set<std::string> known;
    for (const Json& step : ds["script"]) {
      SCOPED_TRACE("dataset step " + step.dump());
      Json params = Substitute(step["params"], ids_);
      absl::StatusOr<Json> r = db_->Call(step["call"].get<std::string>(), params);
      ASSERT_TRUE(r.ok()) << r.status();
      if (!step.contains("names")) continue;
      absl::StatusOr<Json> all = AllRecords(*db_);
      ASSERT_TRUE(all.ok()) << all.status();
      std::vector<std::string> fresh;
      for (const Json& rec : *all) {
        std::string id = rec["__id"].get<std::string>();
        if (!known.count(id)) fresh.push_back(id);
      }
      ASSERT_EQ(fresh.size(), step["names"].size()) << "records created by this step";
      for (size_t i = 0; i < fresh.size(); ++i) {
        ids_[step["names"][i].get<std::string>()] = fresh[i];
        known.insert(fresh[i]);
      }
    }
    for (const Json& rec : ds["records"]) records_[rec["__id"].get<std::string>()] = rec;
  }

  // Replaces "%property/NAME/TYPE" strings by the property's current id.
  Json ResolveProperties(const Json& j) {
    if (j.is_string()) {
      const std::string s = j.get<std::string>();
      if (s.rfind("%property/", 0) != 0) return j;
      absl::StatusOr<Json> props = db_->Call("properties.find", Json::object());
      if (!props.ok()) return j;
      for (const Json& p : *props) {
        if ("%property/" + p["name"].get<std::string>() + "/" + p["type"].get<std::string>() == s) return p["id"];
      }
      return j;
    }
    if (j.is_array() || j.is_object()) {
      Json out = j;
      for (auto& [k, v] : out.items()) v = ResolveProperties(v);
      return out;
    }
    return j;
  }

  std::unique_ptr<testing::TempDir> dir_;
  std::unique_ptr<Database> db_;
  std::map<std::string, std::string> ids_;
  std::map<std::string, Json> records_;
};

TEST_P(CaseRunnerTest, Cases) {
  Json file = ReadJsonFile(CasesDir() + "/" + GetParam());
  Json ds = ResolveDataset(file);
  dir_ = std::make_unique<testing::TempDir>();
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(dir_->Sub("db"));
  ASSERT_TRUE(db.ok()) << db.status();
  db_ = std::move(*db);
  ASSERT_NO_FATAL_FAILURE(Load(ds));

  // The write path: stored records and relationships are the hand-written ones.
  {
    SCOPED_TRACE("stored records");
    absl::StatusOr<Json> all = AllRecords(*db_);
    ASSERT_TRUE(all.ok()) << all.status();
    Json want = Substitute(ds["records"], ids_);
    ASSERT_EQ(all->size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_TRUE(JsonMatches(want[i], (*all)[i]))
          << "want " << want[i].dump() << "\n got " << (*all)[i].dump();
    }
  }
  {
    SCOPED_TRACE("stored relationships");
    absl::StatusOr<Json> rels = db_->relationships().Find(Json{{"limit", 1000}});
    if (!rels.ok()) {
      ADD_FAILURE() << "relationships.find: " << rels.status();
    } else {
      Json got = Json::array();
      for (const Json& r : (*rels)["data"]) {
        got.push_back(Json::array({r["sourceId"], r["targetId"], r["type"]}));
      }
      Json want = Json::array();
      for (const Json& e : ds["edges"]) {
        std::string type = e[2].get<std::string>();
        want.push_back(Json::array({ids_.at(e[0].get<std::string>()),
                                    ids_.at(e[1].get<std::string>()),
                                    type == kDefaultType ? kDefaultTypeAlias : type}));
      }
      EXPECT_TRUE(JsonMatches(want, got)) << "want " << want.dump() << "\n got " << got.dump();
    }
  }

  for (const Json& c : file["cases"]) {
    std::string method = c.value("method", "records.find");
    Json params = ResolveProperties(Substitute(c.contains("method") ? c["params"] : c["query"], ids_));
    SCOPED_TRACE(c["name"].get<std::string>() + "  " + method + " " + params.dump());
    absl::StatusOr<Json> got = db_->Call(method, params);
    if (c.contains("expect_error")) {
      const Json& e = c["expect_error"];
      if (got.ok()) {
        ADD_FAILURE() << "expected " << e.dump() << ", got " << got->dump();
        continue;
      }
      EXPECT_EQ(ErrorCodeName(GetErrorCode(got.status())), e["code"].get<std::string>())
          << got.status();
      if (e.contains("path")) {
        EXPECT_EQ(ErrorPath(got.status()).value_or("<none>"), e["path"].get<std::string>())
            << got.status();
      }
      continue;
    }
    if (!got.ok()) {
      ADD_FAILURE() << "failed: " << got.status();
      continue;
    }
    Json want = ExpandRecords(c["expect"], records_, ids_);
    EXPECT_TRUE(JsonMatches(want, *got)) << "want " << want.dump() << "\n got " << got->dump();
  }
}

INSTANTIATE_TEST_SUITE_P(Files, CaseRunnerTest, ::testing::ValuesIn(ListCaseFiles()),
                         CaseFileTestName);

}  // namespace
}  // namespace loom::cases
