#include "engine/bulk/dataset_dumper.h"

#include <sstream>

#include "engine/bulk/dataset_loader.h"
#include "engine/bulk/file_importer.h"
#include "tests/engine/bulk/bulk_test_util.h"

namespace loom::engine::bulk {
namespace {

// Records typed every way the model allows, plus relationships with and
// without properties and the default type.
constexpr char kBundle[] = R"({
 "records": [
  {"__id": "r1", "__label": "EVENT", "__proptypes": {"day": "datetime", "code": "string", "tags": "string",
                                                   "emb": "vector", "n": "number", "ok": "boolean",
                                                   "mixed": "number"},
   "day": "2024-01-01", "code": "2024-01-01", "tags": [], "emb": [0.5, 1, -2.25], "n": 1200, "ok": false,
   "mixed": [1, "2"]},
  {"__id": "r0", "__proptypes": {"kind": "string"}, "kind": "record", "x": "plain"},
  {"__id": "r2", "__label": "EVENT", "name": "inferred", "when": "2025-02-03T04:05:06Z", "f": 0.1}
 ],
 "relationships": [
  {"sourceId": "r1", "targetId": "r2", "type": "NEXT", "properties": {"w": 2, "tags": ["a", "b"]}},
  {"sourceId": "r2", "targetId": "r1", "type": "RUSHDB_DEFAULT_RELATION"},
  {"sourceId": "r0", "targetId": "r0", "type": "SELF"}
 ]})";

// Relationship lines are written without the JSON library: ids that need
// escaping (quotes, backslashes, control bytes, non-ASCII, invalid UTF-8)
// must come out exactly as the library writes them. Written through the
// store, since bundles cannot carry invalid UTF-8.
TEST(DatasetDumperTest, RelationshipLinesEscapeIdsAsTheJsonLibraryDoes) {
  TestStore db;
  const std::vector<std::string> ids = {"plain", "q\"uote", "back\\slash", "tab\tnl\ncr\r", std::string("ctl\x01\x1f", 5),
                                        "caf\xc3\xa9", "bad\xff", "slash/del\x7f"};
  auto txn = db.store->BeginWrite();
  std::vector<storage::Rid> rids;
  for (const std::string& id : ids) {
    storage::StoredRecord r;
    r.rid = txn->NewRid();
    r.id = id;
    LOOM_ASSERT_OK(txn->PutRecord(r, nullptr));
    rids.push_back(r.rid);
  }
  storage::NameId type = *db.store->dictionaries().rel_types.Intern("LINKS");
  for (size_t i = 0; i + 1 < rids.size(); ++i) LOOM_ASSERT_OK(txn->AddEdge(rids[i], rids[i + 1], type, "").status());
  LOOM_ASSERT_OK(txn->Commit(Durability::kBuffered));
  txn.reset();

  std::ostringstream dump;
  LOOM_ASSERT_OK(DumpDataset(*db.store->NewReadView(), dump));
  std::vector<std::string> relationship_lines;
  std::istringstream lines(dump.str());
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"kind\":\"relationship\"") != std::string::npos) relationship_lines.push_back(line);
  }
  ASSERT_EQ(relationship_lines.size(), ids.size() - 1);
  for (size_t i = 0; i + 1 < ids.size(); ++i) {
    Json expected = Json::object();
    expected["kind"] = "relationship";
    expected["sourceId"] = ids[i];
    expected["targetId"] = ids[i + 1];
    expected["type"] = "LINKS";
    EXPECT_EQ(relationship_lines[i], expected.dump(-1, ' ', false, Json::error_handler_t::replace)) << i;
  }
}

TEST(DatasetDumperTest, DumpThenLoadReproducesTheDatabase) {
  TestStore a;
  auto loaded = LoadDatasetText(a.target, kBundle);
  LOOM_ASSERT_OK(loaded.status());
  // Records made by a nested JSON-lines import (generated ids, edges).
  std::string jsonl = a.dir.Sub("in.jsonl");
  WriteFile(jsonl, R"({"name": "acme", "SITE": [{"city": "Oslo"}, {"city": "Rome", "open": true}]})"
                   "\n" R"({"name": "beta", "score": [1, 2, 3]})" "\n");
  LOOM_ASSERT_OK(ImportJsonLinesFile(a.target, jsonl, std::string("COMPANY"), nullptr, ImportConfig{}, nullptr));

  std::ostringstream dump;
  DumpStats stats;
  LOOM_ASSERT_OK(DumpDataset(*a.store->NewReadView(), dump, &stats));
  EXPECT_EQ(stats.records, 7u);
  EXPECT_EQ(stats.relationships, 5u);

  TestStore b("ffffffff-");
  auto result = LoadDatasetText(b.target, dump.str());
  LOOM_ASSERT_OK(result.status());
  EXPECT_EQ((*result)["records"], 7);
  EXPECT_EQ((*result)["relationships"], 5);
  EXPECT_EQ((*result)["skippedRelationships"], 0);

  std::vector<Record> ra = ScanAllRecords(*a.store), rb = ScanAllRecords(*b.store);
  EXPECT_EQ(ra, rb);
  EXPECT_EQ(ScanAllEdges(*a.store), ScanAllEdges(*b.store));
  b.ExpectConsistent();

  // Spot checks on the values that break naive round trips.
  auto by_id = [&](std::string_view id) -> const Record& {
    return *std::find_if(ra.begin(), ra.end(), [&](const Record& r) { return r.id == id; });
  };
  ASSERT_EQ(ra.size(), 7u);
  const Record& r1 = by_id("r1");
  EXPECT_EQ(r1.Find("day")->type, PropType::kDatetime);
  EXPECT_EQ(r1.Find("code")->type, PropType::kString);
  EXPECT_EQ(*r1.Find("tags"), Value::Array(PropType::kString, {}));
  EXPECT_EQ(r1.Find("emb")->type, PropType::kVector);
  EXPECT_EQ(by_id("r0").Find("kind")->items[0], Scalar(std::string("record")));

  // The dump of the copy is byte-identical.
  std::ostringstream dump2;
  LOOM_ASSERT_OK(DumpDataset(*b.store->NewReadView(), dump2));
  EXPECT_EQ(dump.str(), dump2.str());
}

TEST(DatasetDumperTest, DumpLayout) {
  TestStore a;
  LOOM_ASSERT_OK(LoadDatasetText(a.target, kBundle).status());
  std::ostringstream dump;
  LOOM_ASSERT_OK(DumpDataset(*a.store->NewReadView(), dump));
  std::istringstream lines(dump.str());
  std::string line;
  std::vector<Json> entries;
  while (std::getline(lines, line)) entries.push_back(Json::parse(line));
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_FALSE(entries[0].contains("kind") && entries[0]["kind"] != "record");
  EXPECT_EQ(entries[0]["__id"], "r0");  // __id order
  EXPECT_EQ(entries[1]["kind"], "record");
  EXPECT_EQ(entries[1]["__id"], "r1");
  EXPECT_EQ(entries[3]["kind"], "relationship");
  EXPECT_EQ(entries[3]["type"], "NEXT");  // creation order
  EXPECT_EQ(entries[3]["properties"]["w"], 2);
  EXPECT_EQ(entries[4]["type"], "__RUSHDB__RELATION__DEFAULT__");  // canonical name
  EXPECT_FALSE(entries[4].contains("properties"));
}

TEST(DatasetDumperTest, JsonAndJsonLinesExports) {
  Record r;
  r.id = "a";
  r.label = "L";
  r.properties.push_back(Property{"n", Value::Of(PropType::kNumber, 1.0)});
  Record s;
  s.id = "b";
  EXPECT_EQ(RecordsToJsonText({}), "[]");
  std::string json = RecordsToJsonText({r, s});
  Json parsed = Json::parse(json);
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0]["__label"], "L");
  EXPECT_EQ(parsed[0]["__proptypes"]["n"], "number");
  EXPECT_EQ(parsed[0]["n"], 1);
  std::string lines = RecordsToJsonLines({r, s});
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 2);
  std::ostringstream out;
  LOOM_ASSERT_OK(WriteRecordsJson({r, s}, out));
  EXPECT_EQ(out.str(), json);
}

}  // namespace
}  // namespace loom::engine::bulk
