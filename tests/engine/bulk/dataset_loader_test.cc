#include "engine/bulk/dataset_loader.h"

#include <sstream>

#include "loom/status.h"
#include "tests/engine/bulk/bulk_test_util.h"

namespace loom::engine::bulk {
namespace {

const Record* Find(const std::vector<Record>& records, std::string_view id) {
  for (const Record& r : records) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

TEST(DatasetLoaderTest, InternalKeyNamesSentinelsAndLegacyTypes) {
  TestStore db;
  const char* bundle = R"({"records": [
    {"__RUSHDB__KEY__ID__": "a", "__RUSHDB__KEY__LABEL__": "PERSON",
     "__RUSHDB__KEY__PROJECT__ID__": "p1",
     "__RUSHDB__KEY__PROPERTIES__META__": "{\"born\":\"string\",\"gone\":\"null\",\"e\":\"string\"}",
     "born": "2024-01-01", "gone": "x", "e": "__RUSHDB__VALUE__EMPTY__ARRAY__",
     "z": "__RUSHDB__VALUE__NULL__", "n": null, "seen": "2024-05-06"},
    {"__RUSHDB__KEY__ID__": "b"}],
   "relationships": [
    {"source": "a", "target": "b", "type": "RUSHDB_DEFAULT_RELATION"},
    {"sourceId": "a", "targetId": "missing", "type": "KNOWS"}]})";
  auto result = LoadDatasetText(db.target, bundle);
  LOOM_ASSERT_OK(result.status());
  EXPECT_EQ(*result, Json::parse(R"({"records": 2, "relationships": 1, "skippedRelationships": 1})"));
  std::vector<Record> records = ScanAllRecords(*db.store);
  const Record* a = Find(records, "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->label, "PERSON");
  ASSERT_NE(a->Find("born"), nullptr);
  EXPECT_EQ(a->Find("born")->type, PropType::kString);  // declared, not inferred (D19)
  EXPECT_EQ(a->Find("seen")->type, PropType::kDatetime);  // undeclared: inferred
  EXPECT_EQ(a->Find("gone"), nullptr);                    // legacy null type dropped
  EXPECT_EQ(a->Find("z"), nullptr);
  EXPECT_EQ(a->Find("n"), nullptr);
  EXPECT_EQ(a->Find("__RUSHDB__KEY__PROJECT__ID__"), nullptr);
  EXPECT_EQ(*a->Find("e"), Value::Array(PropType::kString, {}));
  EXPECT_FALSE(Find(records, "b")->label.has_value());
  auto edges = ScanAllEdges(*db.store);
  ASSERT_EQ(edges.size(), 1u);
  EXPECT_EQ(edges[0], EdgeRow("a", "b", "__RUSHDB__RELATION__DEFAULT__", ""));
  db.ExpectConsistent();
}

// Relationship properties follow data-model §6.4 exactly as relationship
// writes through the API do (import-export.md §6.3 rule 6): nulls dropped,
// empty and reserved names rejected with the entry's pointer.
TEST(DatasetLoaderTest, RelationshipPropertiesAreValidatedAsApiWritesAre) {
  TestStore db;
  auto result = LoadDatasetText(db.target, R"({"records": [{"__id": "a"}, {"__id": "b"}],
    "relationships": [{"sourceId": "a", "targetId": "b", "type": "LINKS",
                       "properties": {"w": 1, "gone": null, "list": [1, null, 2]}}]})");
  LOOM_ASSERT_OK(result.status());
  auto edges = ScanAllEdges(*db.store);
  ASSERT_EQ(edges.size(), 1u);
  EXPECT_EQ(edges[0], EdgeRow("a", "b", "LINKS", R"({"w":1,"list":[1,2]})"));

  TestStore other;
  auto empty_name = LoadDatasetText(other.target, R"({"records": [{"__id": "a"}],
    "relationships": [{"sourceId": "a", "targetId": "a", "type": "LINKS", "properties": {"": 1}}]})");
  ASSERT_FALSE(empty_name.ok());
  EXPECT_EQ(GetErrorCode(empty_name.status()), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorPath(empty_name.status()), "/relationships/0/properties/");
  auto bad_type = LoadDatasetText(other.target, "{\"__id\": \"x\"}\n"
                                                "{\"sourceId\": \"x\", \"targetId\": \"x\", \"type\": \"9lives\"}\n");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(ErrorPath(bad_type.status()), "/type");
  EXPECT_NE(bad_type.status().message().find("line 2: "), absl::string_view::npos) << bad_type.status();
  EXPECT_EQ(other.RecordCount(), 0u);
}

TEST(DatasetLoaderTest, DuplicateIdInBundleLoadsNothing) {
  TestStore db;
  auto result = LoadDatasetText(db.target, R"({"records": [{"__id": "x"}, {"__id": "y"}, {"__id": "x"}]})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(GetErrorCode(result.status()), ErrorCode::kIdConflict);
  EXPECT_EQ(db.RecordCount(), 0u);
  EXPECT_TRUE(ScanAllRecords(*db.store).empty());
}

TEST(DatasetLoaderTest, IdOfExistingRecordLoadsNothing) {
  TestStore db;
  LOOM_ASSERT_OK(LoadDatasetText(db.target, R"({"records": [{"__id": "x", "v": 1}]})").status());
  auto result = LoadDatasetText(db.target, "{\"__id\": \"new\"}\n{\"__id\": \"x\", \"v\": 2}\n",
                                BundleFormat::kJsonl);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(GetErrorCode(result.status()), ErrorCode::kIdConflict);
  EXPECT_NE(result.status().message().find("line 2"), absl::string_view::npos) << result.status();
  std::vector<Record> records = ScanAllRecords(*db.store);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].Find("v")->items[0], Scalar(1.0));
  db.ExpectConsistent();
}

TEST(DatasetLoaderTest, JsonLinesWithAndWithoutKind) {
  TestStore db;
  std::string text =
      "{\"sourceId\": \"p\", \"targetId\": \"q\", \"type\": \"LIKES\", \"properties\": {\"w\": 1}}\n"
      "{\"__id\": \"p\", \"__label\": \"U\", \"name\": \"P\"}\n"
      "\n"
      "{\"kind\": \"record\", \"__id\": \"q\"}\n"
      "{\"kind\": \"relationship\", \"source\": \"q\", \"target\": \"p\", \"type\": \"LIKES\"}\n"
      "{\"name\": \"no id\"}\n";
  auto result = LoadDatasetText(db.target, text);
  LOOM_ASSERT_OK(result.status());
  EXPECT_EQ(*result, Json::parse(R"({"records": 3, "relationships": 2, "skippedRelationships": 0})"));
  auto edges = ScanAllEdges(*db.store);
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0], EdgeRow("p", "q", "LIKES", R"({"w":1})"));
  EXPECT_EQ(edges[1], EdgeRow("q", "p", "LIKES", ""));
  std::vector<Record> records = ScanAllRecords(*db.store);
  EXPECT_EQ(Find(records, "q")->Find("kind"), nullptr);
  db.ExpectConsistent();
}

TEST(DatasetLoaderTest, BadEntriesLoadNothing) {
  struct Case {
    const char* bundle;
    const char* path;
  } cases[] = {
      {R"({"records": [{"__id": "a"}, {"__id": "b", "o": {"nested": 1}}]})", "/records/1/o"},
      {R"({"records": [{"__id": "a", "__proptypes": {"v": "money"}, "v": 1}]})", "/records/0/__proptypes"},
      {R"({"records": [{"__id": "a"}], "relationships": [{"sourceId": "a", "targetId": "a", "type": "bad type"}]})",
       "/relationships/0/type"},
      {R"({"records": [{"__id": "a"}], "relationships": [{"sourceId": "a", "targetId": "a", "type": "T",
           "properties": {"id": 1}}]})",
       "/relationships/0/properties/id"},
      {R"({"records": [{"__id": "a", "$and": 1}]})", "/records/0/$and"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.bundle);
    TestStore db;
    auto result = LoadDatasetText(db.target, c.bundle);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(GetErrorCode(result.status()), ErrorCode::kInvalidArgument) << result.status();
    EXPECT_EQ(ErrorPath(result.status()).value_or(""), c.path) << result.status();
    EXPECT_EQ(db.RecordCount(), 0u);
  }
}

TEST(DatasetLoaderTest, CsvExport) {
  TestStore db;
  std::istringstream csv(
      "__id,__label,name,seats,tags,started\r\n"
      "c1,TEAM,Nova,12,\"a,b\",2025-01-01\r\n"
      "c2,,Orion,,x,2025-02-30");
  auto result = LoadCsvExport(db.target, csv, std::string("DEFAULT"));
  LOOM_ASSERT_OK(result.status());
  EXPECT_EQ((*result)["records"], 2);
  std::vector<Record> records = ScanAllRecords(*db.store);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].id, "c1");
  EXPECT_EQ(records[0].label, "TEAM");
  EXPECT_EQ(*records[0].Find("seats"), Value::Of(PropType::kNumber, 12.0));
  EXPECT_EQ(*records[0].Find("tags"), Value::Of(PropType::kString, std::string("a,b")));
  EXPECT_EQ(records[0].Find("started")->type, PropType::kDatetime);
  EXPECT_EQ(records[0].Find("__id"), nullptr);
  EXPECT_EQ(records[1].label, "DEFAULT");
  EXPECT_EQ(records[1].Find("seats"), nullptr);
  EXPECT_EQ(records[1].Find("started")->type, PropType::kString);

  std::istringstream again("__id,name\nc2,dup\n");
  auto conflict = LoadCsvExport(db.target, again, std::nullopt);
  EXPECT_EQ(GetErrorCode(conflict.status()), ErrorCode::kIdConflict);
  db.ExpectConsistent();
}

}  // namespace
}  // namespace loom::engine::bulk
