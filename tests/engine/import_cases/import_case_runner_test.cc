// Table-driven cases for the write and import semantics (spec/import-export.md
// §2–§4, api.md §1, data-model.md §3–§5, examples.md E38–E40), run through the
// public dispatcher Database::Call.
//
// Every file under cases/ holds {"cases": [case, ...]}; each case runs on a
// fresh database:
//
//   {"name": "...",
//    "steps": [{"method": "records.importJson", "params": {...},
//               "expect": <result>            // or
//               "expect_error": {"code": "INVALID_ARGUMENT", "path"?: "/data/0",
//                                "message_contains"?: "3"}}],
//    "expect_records": [<serialised record>, ...],          // all records, creation order
//    "expect_relationships": [["@1", "TYPE", "@2"], ...]}    // all edges, creation order
//
// "@N" stands for the id of the N-th record created (ids are UUIDv7 and grow in
// creation order). In step params an exact "@N" string is replaced by that id;
// in results every string equal to a record id is replaced by its placeholder.
// Objects compare key-order-insensitively, arrays order-sensitively. A step
// without "expect"/"expect_error" only has to succeed. Edge types are compared
// in their stored spelling: the display alias RUSHDB_DEFAULT_RELATION returned
// by relationships.find is mapped back to __RUSHDB__RELATION__DEFAULT__.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loom/database.h"
#include "loom/json.h"
#include "loom/status.h"
#include "tests/testing/temp_dir.h"

namespace loom {
namespace {

namespace fs = std::filesystem;

constexpr char kDefaultType[] = "__RUSHDB__RELATION__DEFAULT__";
constexpr char kDefaultTypeAlias[] = "RUSHDB_DEFAULT_RELATION";

std::vector<std::string> CaseFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(LOOM_IMPORT_CASES_DIR)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Json ReadFile(const std::string& name) {
  std::ifstream in(std::string(LOOM_IMPORT_CASES_DIR) + "/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Json::parse(buffer.str());
}

// Key-order-insensitive comparison form (nlohmann::json objects are sorted maps).
nlohmann::json Canonical(const Json& value) { return nlohmann::json::parse(value.dump()); }

bool IsPlaceholder(const std::string& s) {
  return s.size() >= 2 && s[0] == '@' &&
         std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class CaseRun {
 public:
  explicit CaseRun(const Json& test_case) : case_(test_case) {}

  void Run() {
    auto opened = Database::Open(dir_.Sub("db"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    db_ = std::move(*opened);

    const Json& steps = case_.at("steps");
    for (size_t i = 0; i < steps.size(); ++i) {
      SCOPED_TRACE("step " + std::to_string(i + 1) + ": " + steps[i].value("method", std::string()));
      RunStep(steps[i]);
    }
    if (case_.contains("expect_records")) CheckRecords();
    if (case_.contains("expect_relationships")) CheckRelationships();
  }

 private:
  // Ids of all records, ascending (= creation order).
  std::vector<std::string> Ids() {
    auto found = db_->Call("records.find", Json{{"orderBy", "asc"}, {"limit", 100000}});
    EXPECT_TRUE(found.ok()) << "records.find: " << found.status();
    std::vector<std::string> ids;
    if (!found.ok()) return ids;
    for (const Json& r : (*found)["data"]) ids.push_back(r.at("__id").get<std::string>());
    return ids;
  }

  Json Substitute(const Json& value, const std::vector<std::string>& ids) {
    if (value.is_string()) {
      const std::string& s = value.get_ref<const std::string&>();
      if (IsPlaceholder(s)) {
        size_t n = std::stoul(s.substr(1));
        if (n >= 1 && n <= ids.size()) return ids[n - 1];
        ADD_FAILURE() << "placeholder " << s << " but only " << ids.size() << " records exist";
      }
      return value;
    }
    if (value.is_array() || value.is_object()) {
      Json out = value;
      for (auto it = out.begin(); it != out.end(); ++it) *it = Substitute(*it, ids);
      return out;
    }
    return value;
  }

  Json Placeholders(const Json& value, const std::map<std::string, std::string>& names) {
    if (value.is_string()) {
      auto it = names.find(value.get<std::string>());
      return it != names.end() ? Json(it->second) : value;
    }
    if (value.is_array() || value.is_object()) {
      Json out = value;
      for (auto it = out.begin(); it != out.end(); ++it) *it = Placeholders(*it, names);
      return out;
    }
    return value;
  }

  std::map<std::string, std::string> Names() {
    std::map<std::string, std::string> names;
    std::vector<std::string> ids = Ids();
    for (size_t i = 0; i < ids.size(); ++i) names[ids[i]] = "@" + std::to_string(i + 1);
    return names;
  }

  void RunStep(const Json& step) {
    const std::string method = step.at("method").get<std::string>();
    Json params = step.contains("params") ? Substitute(step["params"], Ids()) : Json::object();
    absl::StatusOr<Json> result = db_->Call(method, params);
    if (step.contains("expect_error")) {
      const Json& want = step["expect_error"];
      ASSERT_FALSE(result.ok()) << "expected error " << want.dump() << ", got result "
                                << Placeholders(*result, Names()).dump();
      EXPECT_EQ(std::string(ErrorCodeName(GetErrorCode(result.status()))), want.at("code").get<std::string>())
          << result.status();
      if (want.contains("message_contains")) {
        const std::string needle = want["message_contains"].get<std::string>();
        EXPECT_NE(std::string(result.status().message()).find(needle), std::string::npos)
            << "message should contain \"" << needle << "\": " << result.status();
      }
      if (want.contains("path")) {
        std::optional<std::string> path = ErrorPath(result.status());
        EXPECT_EQ(path.value_or("<none>"), want["path"].get<std::string>()) << result.status();
      }
      return;
    }
    ASSERT_TRUE(result.ok()) << result.status();
    if (step.contains("expect")) {
      Json actual = Placeholders(*result, Names());
      EXPECT_EQ(Canonical(actual), Canonical(step["expect"]))
          << "expected: " << step["expect"].dump() << "\n  actual: " << actual.dump();
    }
  }

  void CheckRecords() {
    auto found = db_->Call("records.find", Json{{"orderBy", "asc"}, {"limit", 100000}});
    ASSERT_TRUE(found.ok()) << "records.find: " << found.status();
    Json actual = Placeholders((*found)["data"], Names());
    const Json& want = case_["expect_records"];
    EXPECT_EQ(Canonical(actual), Canonical(want)) << "records\n  expected: " << want.dump()
                                                  << "\n    actual: " << actual.dump();
  }

  void CheckRelationships() {
    auto found = db_->Call("relationships.find", Json{{"limit", 1000}});
    ASSERT_TRUE(found.ok()) << "relationships.find is not available: " << found.status();
    std::map<std::string, std::string> names = Names();
    Json actual = Json::array();
    for (const Json& rel : (*found)["data"]) {
      std::string type = rel.at("type").get<std::string>();
      if (type == kDefaultTypeAlias) type = kDefaultType;
      actual.push_back(Json::array({Placeholders(rel.at("sourceId"), names), type,
                                    Placeholders(rel.at("targetId"), names)}));
    }
    const Json& want = case_["expect_relationships"];
    EXPECT_EQ(Canonical(actual), Canonical(want)) << "relationships\n  expected: " << want.dump()
                                                  << "\n    actual: " << actual.dump();
  }

  const Json& case_;
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

class ImportCases : public ::testing::TestWithParam<std::string> {};

TEST_P(ImportCases, AllCasesHold) {
  Json file = ReadFile(GetParam());
  ASSERT_TRUE(file.contains("cases")) << GetParam();
  std::map<std::string, int> seen;
  for (const Json& test_case : file["cases"]) {
    const std::string name = test_case.at("name").get<std::string>();
    EXPECT_EQ(++seen[name], 1) << "duplicate case name " << name;
    SCOPED_TRACE("case \"" + name + "\" (" + GetParam() + ")");
    const auto* result = ::testing::UnitTest::GetInstance()->current_test_info()->result();
    const int parts_before = result->total_part_count();
    CaseRun(test_case).Run();
    bool failed = false;
    for (int i = parts_before; i < result->total_part_count(); ++i) failed |= result->GetTestPartResult(i).failed();
    std::printf("[ %s ] %s\n", failed ? "CASE FAILED" : "case ok", name.c_str());
  }
}

std::string ParamName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, ImportCases, ::testing::ValuesIn(CaseFiles()), ParamName);

TEST(ImportCaseFiles, Present) { EXPECT_FALSE(CaseFiles().empty()); }

}  // namespace
}  // namespace loom
