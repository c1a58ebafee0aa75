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

// Graph CSV tables: typed headers, keys, labelled and unlabelled endpoints,
// edge properties; one nested query answers over the loaded graph.
TEST_F(BulkOpsTest, GraphCsvTablesLoadNodesAndEdgesByKey) {
  const std::string accounts = WriteFile("accounts.csv",
                                         "accountId:ID,name,tier,mrr:number,since:datetime,labels:string[]\n"
                                         "a1,Acme,enterprise,5000,2024-01-05,big;eu\n"
                                         "a2,Globex,pro,300,2024-03-01,\n"
                                         "a3,Initech,enterprise,1200,,x\n");
  const std::string users = WriteFile("users.tsv", "id\temail\tactive:boolean\tnote:IGNORE\n"
                                                   "4711\tann@acme.com\ttrue\tskip me\n"
                                                   "4712\tbob@initech.com\tFALSE\t\n");
  const std::string belongs = WriteFile("belongs.csv",
                                        ":START_ID(USER),:END_ID(ACCOUNT),role,since:datetime\n"
                                        "4711,a1,owner,2024-02-01\n"
                                        "4712,a3,member,\n");
  const std::string refers = WriteFile("refers.csv", "from,to\na2,a1\n");
  Json loaded = Ok(db_->records().Load({{"nodes", {{{"label", "ACCOUNT"}, {"path", accounts}},
                                                   {{"label", "USER"}, {"path", users}}}},
                                        {"edges", {{{"type", "BELONGS_TO"}, {"path", belongs}},
                                                   {{"type", "REFERRED_BY"}, {"path", refers}}}}}));
  EXPECT_EQ(loaded, (Json{{"records", 5}, {"relationships", 3}, {"skippedRelationships", 0}}));

  Json acme = Ok(db_->records().Find({{"labels", {"ACCOUNT"}}, {"where", {{"accountId", "a1"}}}}))["data"][0];
  EXPECT_EQ(acme["__proptypes"], (Json{{"accountId", "string"}, {"name", "string"}, {"tier", "string"},
                                       {"mrr", "number"}, {"since", "datetime"}, {"labels", "string"}}));
  EXPECT_EQ(acme["labels"], (Json{"big", "eu"}));
  EXPECT_EQ(acme["since"], "2024-01-05");
  Json ann = Ok(db_->records().Find({{"labels", {"USER"}}, {"where", {{"id", 4711}}}}))["data"][0];
  EXPECT_EQ(ann["email"], "ann@acme.com");  // keys are typed like other cells: id 4711 is a number
  EXPECT_EQ(ann["active"], true);
  EXPECT_FALSE(ann.contains("note"));

  Json enterprise_with_owner = Ok(db_->records().Find(
      {{"labels", {"ACCOUNT"}},
       {"where", {{"tier", "enterprise"},
                  {"USER", {{"$relation", {{"type", "BELONGS_TO"}, {"direction", "in"}}}, {"active", true}}}}}}));
  ASSERT_EQ(enterprise_with_owner["total"], 1);
  EXPECT_EQ(enterprise_with_owner["data"][0]["name"], "Acme");
  Json edges = Ok(db_->Call("relationships.find", {{"where", {{"role", "owner"}}}}));
  ASSERT_EQ(edges["total"], 1) << edges.dump();
  Json referred = Ok(db_->records().Find(
      {{"labels", {"ACCOUNT"}}, {"where", {{"ACCOUNT", {{"$relation", {{"type", "REFERRED_BY"}, {"direction", "in"}}},
                                                         {"name", "Globex"}}}}}}));
  ASSERT_EQ(referred["total"], 1);
  EXPECT_EQ(referred["data"][0]["name"], "Acme");
  EXPECT_EQ(Ok(Check(*db_))["ok"], true);
}

// Every bad table is an error naming file:line:column, and nothing is loaded.
TEST_F(BulkOpsTest, GraphCsvErrorsNameTheCellAndLoadNothing) {
  const std::string good = WriteFile("good.csv", "id,name\nk1,a\nk2,b\n");
  const Json before = Snapshot();
  struct Case {
    std::string nodes, edges, message;
  };
  const std::vector<Case> cases = {
      {"id,n:number\nk1,1\nk2,ten\n", "", "bad.csv:3:2: column n: \"ten\" is not a number"},
      {"id,b:boolean\nk1,yes\n", "", "bad.csv:2:2: column b: \"yes\" is not a boolean"},
      {"id,d:datetime\nk1,2024-13-45\n", "", "bad.csv:2:2: column d: \"2024-13-45\" is not a datetime"},
      {"id,n:nmber\nk1,1\n", "", "bad.csv:1:2: unknown type \"nmber\""},
      {"id\nk1\nk1\n", "", "bad.csv:3:1: key \"k1\" appears twice in BAD"},
      {"name\nx\n", "", "bad.csv:1: no key column: mark one as name:ID or name it id"},
      {"id,name\nk9,x,extra\n", "", "bad.csv:2: too many fields: expected 2, found 3"},
      {"id\n\"unterminated\n", "", "bad.csv: CSV parse error"},
      {"id\nz1\n", "from,to\nk1,nope\n", "edges.csv:2:2: no node has key \"nope\""},
      {"id\nk1\n", "from,to\nk1,k2\n", "edges.csv:2:1: key \"k1\" is a key of nodes of several labels"},
      {"id\nz1\n", ":START_ID(NOPE),:END_ID\nk1,k2\n", "edges.csv:1:1: no node table has the label NOPE"},
      {"id\nz1\n", "a,b\nk1,k2\n", "edges.csv:1: no start and end columns"},
  };
  for (const Case& c : cases) {
    Json args = {{"nodes", {{{"label", "GOOD"}, {"path", good}}, {{"label", "BAD"}, {"path", WriteFile("bad.csv", c.nodes)}}}}};
    if (!c.edges.empty()) args["edges"] = {{{"type", "E"}, {"path", WriteFile("edges.csv", c.edges)}}};
    absl::StatusOr<Json> got = db_->records().Load(args);
    ASSERT_FALSE(got.ok()) << c.message;
    EXPECT_EQ(GetErrorCode(got.status()), ErrorCode::kInvalidArgument) << got.status();
    const std::string message(got.status().message());
    EXPECT_NE(message.find(c.message), std::string::npos) << message << "\n expected: " << c.message;
    EXPECT_EQ(Snapshot(), before) << c.message;
  }
  // Argument errors carry the pointer of the bad member.
  absl::StatusOr<Json> bad = db_->records().Load({{"nodes", {{{"label", "X"}}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(ErrorPath(bad.status()), std::optional<std::string>("/nodes/0/path"));
  bad = db_->records().Load({{"nodes", {{{"label", "X"}, {"path", good}, {"kye", "id"}}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(ErrorPath(bad.status()), std::optional<std::string>("/nodes/0/kye"));
  bad = db_->records().Load({{"nodes", Json::array()}, {"edges", {{{"type", "E"}, {"path", good}}}}});
  EXPECT_FALSE(bad.ok());
}

}  // namespace
}  // namespace loom::testing
