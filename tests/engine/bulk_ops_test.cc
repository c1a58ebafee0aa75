// Bulk operations through the Database: records.importFile (batches, resume
// marker committed with each batch: RELIABILITY.md I6), records.load and
// db.dump (import-export.md §5.3, §6).
#include <fstream>
#include <map>
#include <sstream>

#include "engine/database_impl.h"
#include "tests/engine/db_fixture.h"

namespace loom::testing {
namespace {

class BulkOpsTest : public DbTest {
 protected:
  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_.Sub(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // 60 lines; each a customer with a nested address (a child record and a
  // parent -> child relationship).
  std::string CustomersJsonl() {
    std::string text;
    for (int i = 0; i < 60; ++i) {
      Json line = {{"name", "c" + std::to_string(i)},
                   {"tier", i % 3},
                   {"vip", i % 2 == 0},
                   {"ADDRESS", {{"city", "city-" + std::to_string(i % 7)}}}};
      text += line.dump() + "\n";
    }
    return WriteFile("customers.jsonl", text);
  }

  std::unique_ptr<Database> OpenOther(const std::string& name) {
    auto opened = Database::Open(dir_.Sub(name));
    EXPECT_TRUE(opened.ok()) << opened.status();
    return opened.ok() ? std::move(*opened) : nullptr;
  }
};

std::string DumpText(Database& db) {
  Json dumped = Ok(db.Call("db.dump", Json::object()));
  return dumped["fileContent"].get<std::string>();
}

// The dump with every `__id` replaced by its position in the dump (records
// come in `__id` order, which is import order for generated ids), so dumps of
// two databases that imported the same input compare byte for byte.
std::string WithOrdinalIds(const std::string& dump) {
  std::map<std::string, std::string> ordinal;
  std::istringstream in(dump);
  std::string line, out;
  std::vector<Json> entries;
  while (std::getline(in, line)) {
    Json entry = Json::parse(line);
    if (entry.contains("__id")) {
      std::string id = entry["__id"];
      ordinal.emplace(id, "#" + std::to_string(ordinal.size()));
      entry["__id"] = ordinal[id];
    }
    entries.push_back(std::move(entry));
  }
  for (Json& entry : entries) {
    for (const char* key : {"sourceId", "targetId"}) {
      if (entry.contains(key)) entry[key] = ordinal.at(entry[key].get<std::string>());
    }
    out += entry.dump() + "\n";
  }
  return out;
}

TEST_F(BulkOpsTest, InterruptedImportResumesToTheSameDump) {
  const std::string path = CustomersJsonl();
  const Json args = {{"path", path}, {"label", "CUSTOMER"}, {"batchRecords", 10}};

  // Uninterrupted, in another database.
  std::unique_ptr<Database> whole = OpenOther("whole");
  ASSERT_NE(whole, nullptr);
  Json full = Ok(whole->Call("records.importFile", args));
  EXPECT_EQ(full["records"], 120);
  EXPECT_EQ(full["relationships"], 60);

  // Stopped after 3 batches: those stay, with the marker of the third.
  absl::StatusOr<Json> stopped = db_->impl()->ImportFile(args, {}, [](uint64_t batches) {
    return batches == 3 ? MakeError(ErrorCode::kInternal, "stopped by the test") : absl::OkStatus();
  });
  ASSERT_FALSE(stopped.ok());
  EXPECT_NE(std::string(stopped.status().message()).find("stopped by the test"), std::string::npos);
  Json partial = Ok(db_->records().Find(Json::object()));
  const int64_t committed = partial["total"].get<int64_t>();
  EXPECT_GE(committed, 30);
  EXPECT_LT(committed, 120);

  // The marker and the data survive a reopen; the resumed run finishes the file.
  Reopen();
  Json resumed_args = args;
  resumed_args["resume"] = true;
  Json resumed = Ok(db_->Call("records.importFile", resumed_args));
  EXPECT_EQ(resumed["resumed"], true);
  EXPECT_EQ(resumed["records"], 120);
  EXPECT_EQ(resumed["relationships"], 60);
  // A finished import resumed again adds nothing.
  EXPECT_EQ(Ok(db_->Call("records.importFile", resumed_args))["records"], 120);

  const std::string a = DumpText(*whole);
  const std::string b = DumpText(*db_);
  EXPECT_EQ(WithOrdinalIds(a), WithOrdinalIds(b));
  EXPECT_EQ(Ok(Check(*db_))["ok"], true);
}

TEST_F(BulkOpsTest, DumpLoadsIntoAnEmptyDatabaseUnchanged) {
  const std::string path = CustomersJsonl();
  Ok(db_->Call("records.importFile", {{"path", path}, {"label", "CUSTOMER"}}));
  const std::string dump_path = dir_.Sub("dump.bundle.jsonl");
  Json dumped = Ok(db_->Call("db.dump", {{"path", dump_path}}));
  EXPECT_EQ(dumped["records"], 120);
  EXPECT_EQ(dumped["relationships"], 60);

  std::unique_ptr<Database> copy = OpenOther("copy");
  ASSERT_NE(copy, nullptr);
  Json loaded = Ok(copy->Call("records.load", {{"path", dump_path}}));
  EXPECT_EQ(loaded, Json({{"records", 120}, {"relationships", 60}, {"skippedRelationships", 0}}));
  EXPECT_EQ(DumpText(*copy), DumpText(*db_));  // ids kept: byte for byte

  // Loading it again conflicts on ids and changes nothing.
  absl::StatusOr<Json> again = copy->Call("records.load", {{"path", dump_path}});
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(DumpText(*copy), DumpText(*db_));
  // New records get ids after the loaded ones.
  Json created = Ok(copy->records().Create({{"label", "X"}, {"data", {{"n", 1}}}}));
  std::istringstream in(DumpText(*db_));
  std::string line, last_id;
  while (std::getline(in, line)) {
    Json entry = Json::parse(line);
    if (entry.contains("__id")) last_id = entry["__id"];
  }
  EXPECT_GT(created["__id"].get<std::string>(), last_id);
}

TEST_F(BulkOpsTest, ImportFileCsvAndErrors) {
  const std::string csv = WriteFile("people.csv", "name,age\nann,31\nbob,42\n");
  Json stats = Ok(db_->Call("records.importFile", {{"path", csv}, {"label", "PERSON"}}));
  EXPECT_EQ(stats["records"], 2);
  EXPECT_EQ(Ok(db_->records().Find({{"labels", {"PERSON"}}}))["total"], 2);

  EXPECT_FALSE(db_->Call("records.importFile", {{"path", csv}}).ok());  // CSV needs a label
  EXPECT_FALSE(db_->Call("records.importFile", {{"path", dir_.Sub("missing.jsonl")}}).ok());
  EXPECT_FALSE(db_->Call("records.importFile", Json::object()).ok());
  Json tx = Ok(db_->tx().Begin());
  EXPECT_FALSE(db_->Call("records.importFile", {{"path", csv}, {"label", "P"}}, tx["id"].get<std::string>()).ok());
  Ok(db_->tx().Rollback(tx["id"].get<std::string>()));
}

}  // namespace
}  // namespace loom::testing
