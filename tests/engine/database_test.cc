// Records, relationships, metadata and persistence through the public API.
#include "loom/database.h"

#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <chrono>
#include <thread>
#include <atomic>

#include "gmock/gmock.h"
#include "engine/database_impl.h"
#include "gtest/gtest.h"
#include "tests/engine/db_fixture.h"

namespace loom {
namespace {

using testing::DbTest;
using testing::HasErrorPath;
using testing::Ok;
using testing::StatusIs;

class DatabaseTest : public DbTest {};

TEST_F(DatabaseTest, CreateAndFindById) {
  Json account = Ok(db_->records().Create(Json::parse(R"({"label": "ACCOUNT", "data": {
      "name": "Acme Corp", "plan": "enterprise", "mrr": 1200, "createdAt": "2024-01-15",
      "tags": ["manufacturing", "priority"], "gone": null}})")));
  EXPECT_EQ(account["__label"], "ACCOUNT");
  EXPECT_EQ(account["__proptypes"],
            Json::parse(R"({"name": "string", "plan": "string", "mrr": "number", "createdAt": "datetime",
                            "tags": "string"})"));
  EXPECT_EQ(account["mrr"], 1200);
  EXPECT_FALSE(account.contains("gone"));
  Json found = Ok(db_->records().FindById(account["__id"]));
  EXPECT_EQ(found, account);
  EXPECT_EQ(found.begin().key(), "__id");
  EXPECT_THAT(db_->records().FindById("00000000-0000-7000-8000-000000000000"), StatusIs(ErrorCode::kNotFound));
}

// A repeated query reuses its plan (db.stats counts hits) and still sees
// every write; the plan is remade when names appear or when `__id` order
// stops following rid order (the default ordering reads rids then).
TEST_F(DatabaseTest, RepeatedQueriesReuseTheirPlanAndSeeEveryWrite) {
  for (int i = 0; i < 20; ++i) {
    CreateId({{"label", "ACCOUNT"}, {"data", {{"name", "a" + std::to_string(i)}, {"plan", i % 2 ? "pro" : "free"}}}});
  }
  const Json pro = {{"labels", {"ACCOUNT"}}, {"where", {{"plan", "pro"}}}};
  auto hits = [&] { return Ok(db_->Call("db.stats", Json::object()))["planCache"]["hits"].get<int>(); };
  EXPECT_EQ(Ok(db_->records().Find(pro))["total"], 10);
  const int before = hits();
  EXPECT_EQ(Ok(db_->records().Find(pro))["total"], 10);
  EXPECT_EQ(hits(), before + 1);
  CreateId({{"label", "ACCOUNT"}, {"data", {{"name", "a20"}, {"plan", "pro"}}}});  // 5 % more records
  EXPECT_EQ(Ok(db_->records().Find(pro))["total"], 11);
  EXPECT_EQ(hits(), before + 2);
  CreateId({{"label", "USER"}, {"data", {{"name", "u"}}}});  // a new name: planned again
  EXPECT_EQ(Ok(db_->records().Find(pro))["total"], 11);
  EXPECT_EQ(hits(), before + 2);

  // Newest first by __id; then a record whose id sorts before every other.
  const Json newest = {{"labels", {"ACCOUNT"}}, {"limit", 1}};
  EXPECT_EQ(Ok(db_->records().Find(newest))["data"][0]["name"], "a20");
  Ok(db_->records().Load({{"data", R"({"kind": "record", "__id": "00000000-0000-7000-8000-000000000001",)"
                                   R"( "__label": "ACCOUNT", "name": "oldest", "plan": "pro"})"},
                          {"format", "jsonl"}}));
  EXPECT_EQ(Ok(db_->records().Find(newest))["data"][0]["name"], "a20");
  const Json oldest = {{"labels", {"ACCOUNT"}}, {"orderBy", {{"__id", "asc"}}}, {"limit", 1}};
  EXPECT_EQ(Ok(db_->records().Find(oldest))["data"][0]["name"], "oldest");
}

// Database::Interrupt stops the queries running at that moment with
// INTERRUPTED (checked per record of a filter); later queries run normally.
TEST_F(DatabaseTest, InterruptStopsTheRunningQueryOnly) {
  Json data = Json::array();
  for (int i = 0; i < 20000; ++i) data.push_back({{"name", "n" + std::to_string(i)}});
  Ok(db_->records().ImportJson({{"label", "ITEM"}, {"data", data}}));
  // No index answers $contains: every record is read and tested.
  const Json slow = {{"where", {{"$or", {{{"x", 1}}, {{"name", {{"$contains", "zz"}}}}}}}}};
  std::atomic<bool> done{false};
  absl::StatusOr<Json> result;
  std::thread runner([&] {
    result = db_->records().Find(slow);
    done = true;
  });
  while (!done) {  // interrupts until the query has seen one
    db_->Interrupt();
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  runner.join();
  EXPECT_THAT(result, StatusIs(ErrorCode::kInterrupted));
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInterrupted), "INTERRUPTED");
  EXPECT_EQ(Ok(db_->records().Find(slow))["total"], 0);  // started after: runs to the end
}

// A read-only open answered a repeated point lookup with NOT_FOUND: RocksDB's
// row cache misbehaves in read-only instances, so they do without it.
TEST_F(DatabaseTest, ReadOnlyOpenFindsARecordEveryTime) {
  Json account = Ok(db_->records().Create(Json::parse(R"({"label": "ACCOUNT", "data": {"name": "Acme"}})")));
  ASSERT_TRUE(db_->FlushAndSync().ok());  // into SST files, where the row cache serves lookups
  Options read_only;
  read_only.read_only = true;
  Reopen(read_only);
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(Ok(db_->records().FindById(account["__id"])), account);
    EXPECT_EQ(Ok(db_->records().Find(Json{{"where", {{"$id", account["__id"]}}}}))["total"], 1);
  }
}

TEST_F(DatabaseTest, FindByIdArrayKeepsOrderAndSkipsMissing) {
  std::string a = CreateId({{"label", "A"}, {"data", {{"x", 1}}}});
  std::string b = CreateId({{"data", {{"x", 2}}}});
  Json result = Ok(db_->records().FindById(Json::array({b, "missing", a})));
  ASSERT_EQ(result["total"], 2);
  EXPECT_EQ(result["data"][0]["__id"], b);
  EXPECT_FALSE(result["data"][0].contains("__label"));
  EXPECT_EQ(result["data"][1]["__id"], a);
}

TEST_F(DatabaseTest, EmptyDataCreatesARecordWithoutProperties) {
  Json r = Ok(db_->records().Create({{"label", "EMPTY"}, {"data", Json::object()}}));
  EXPECT_EQ(r["__proptypes"], Json::object());
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"EMPTY", 1}}));
}

TEST_F(DatabaseTest, SetReplacesAndUpdateMerges) {
  std::string id = CreateId({{"label", "U"}, {"data", {{"a", 1}, {"b", "x"}, {"d", "2024-01-15"}}}});
  // A string that looks like a datetime, stored as string via suggestTypes false.
  Ok(db_->records().Set({{"target", id}, {"data", {{"d", "2024-01-15"}, {"a", 1}}},
                         {"options", {{"suggestTypes", false}}}}));
  Json r = Ok(db_->records().FindById(id));
  EXPECT_EQ(r["__proptypes"], Json({{"d", "string"}, {"a", "string"}}));
  EXPECT_EQ(r["a"], "1");
  EXPECT_EQ(r["__label"], "U");
  // update: old values re-typed (d becomes datetime), null does not remove, label replaced.
  r = Ok(db_->records().Update(
      {{"target", {{"__id", id}}}, {"label", "V"}, {"data", {{"a", nullptr}, {"c", true}}}}));
  EXPECT_EQ(r["__label"], "V");
  EXPECT_EQ(r["__proptypes"], Json({{"d", "datetime"}, {"a", "string"}, {"c", "boolean"}}));
  EXPECT_EQ(r["a"], "1");
  EXPECT_EQ(Ok(db_->records().FindById(id)), r);
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"V", 1}}));
  EXPECT_THAT(db_->records().Set({{"target", "nope"}, {"data", {{"a", 1}}}}), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(db_->records().Update({{"target", "nope"}, {"data", {{"a", 1}}}}), StatusIs(ErrorCode::kNotFound));
}

TEST_F(DatabaseTest, UpsertMatchesUpdatesEveryCandidateAndReturnsSmallestId) {
  std::string a = CreateId({{"label", "P"}, {"data", {{"sku", "x"}, {"n", 1}}}});
  std::string b = CreateId({{"label", "P"}, {"data", {{"sku", "x"}, {"n", 2}}}});
  CreateId({{"label", "Q"}, {"data", {{"sku", "x"}}}});
  Json r = Ok(db_->records().Upsert(
      {{"label", "P"}, {"data", {{"sku", "x"}, {"price", 5}}}, {"options", {{"mergeBy", {"sku"}}}}}));
  EXPECT_EQ(r["__id"], a);
  EXPECT_EQ(r["n"], 1);
  EXPECT_EQ(r["price"], 5);
  EXPECT_EQ(Ok(db_->records().FindById(b))["price"], 5);
  // rewrite: exactly the incoming properties.
  r = Ok(db_->records().Upsert({{"label", "P"}, {"data", {{"sku", "x"}}},
                                {"options", {{"mergeBy", {"sku"}}, {"mergeStrategy", "rewrite"}}}}));
  EXPECT_EQ(r["__proptypes"], Json({{"sku", "string"}}));
  // no mergeBy: all incoming keys; a differing value creates a new record.
  r = Ok(db_->records().Upsert({{"label", "P"}, {"data", {{"sku", "y"}}}}));
  EXPECT_NE(r["__id"], a);
  EXPECT_NE(r["__id"], b);
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"P", 3}, {"Q", 1}}));
  // create with mergeBy routes to upsert.
  r = Ok(db_->records().Create({{"label", "P"}, {"data", {{"sku", "y"}, {"z", 1}}},
                                {"options", {{"mergeBy", {"sku"}}}}}));
  EXPECT_EQ(r["z"], 1);
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"P", 3}, {"Q", 1}}));
}

TEST_F(DatabaseTest, DeleteByIdOneAndMany) {
  std::string a = CreateId({{"label", "A"}, {"data", {{"x", 1}}}});
  std::string b = CreateId({{"label", "A"}, {"data", {{"x", 2}}}});
  std::string c = CreateId({{"label", "B"}, {"data", {{"x", 3}}}});
  Ok(db_->records().Attach({{"source", a}, {"target", c}}));
  Ok(db_->records().DeleteById("does-not-exist"));
  Ok(db_->records().DeleteById(a));
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"A", 1}, {"B", 1}}));
  Ok(db_->records().DeleteById(Json::array({b, c, "missing"})));
  EXPECT_EQ(Ok(db_->labels().Find()), Json::object());
  Json check = Ok(Check(*db_));
  EXPECT_EQ(check["ok"], true) << check.dump();
  EXPECT_EQ(check["relationships"], 0);
}

TEST_F(DatabaseTest, AttachReplacesSameTypeEdgesAndDetachFilters) {
  std::string a = CreateId({{"label", "A"}, {"data", {{"x", 1}}}});
  std::string b = CreateId({{"label", "B"}, {"data", {{"x", 2}}}});
  Ok(db_->records().Attach({{"source", a}, {"target", b}, {"options", {{"type", "T"}}}}));
  Ok(db_->records().Attach({{"source", a}, {"target", b}, {"options", {{"type", "T"}, {"direction", "IN"}}}}));
  Ok(db_->records().Attach({{"source", a}, {"target", Json::array({b})},
                            {"options", {{"type", "U"}, {"properties", {{"w", 1}}}}}}));
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 2);
  // A missing endpoint fails the whole call with its pointer and writes
  // nothing (it used to answer "successfully created" and skip it).
  auto partly = db_->records().Attach({{"source", a}, {"target", Json::array({b, "missing"})},
                                       {"options", {{"type", "V"}}}});
  EXPECT_THAT(partly, StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(partly, HasErrorPath("/target/1"));
  auto no_source = db_->records().Attach({{"source", "missing"}, {"target", b}});
  EXPECT_THAT(no_source, StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(no_source, HasErrorPath("/source"));
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 2);
  // detach direction out finds nothing of type T (it is now b -> a).
  Ok(db_->records().Detach({{"source", a}, {"target", b},
                            {"options", {{"typeOrTypes", "T"}, {"direction", "out"}}}}));
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 2);
  Ok(db_->records().Detach({{"source", a}, {"target", b}, {"options", {{"typeOrTypes", {"T", "NEVER"}}}}}));
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 1);
  Ok(db_->records().Detach({{"source", {{"__id", a}}}, {"target", {{"data", {{{"__id", b}}}}}}}));
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 0);
  // self-loop
  Ok(db_->records().Attach({{"source", a}, {"target", a}}));
  Ok(db_->records().Attach({{"source", a}, {"target", a}}));
  Json check = Ok(Check(*db_));
  EXPECT_EQ(check["relationships"], 1);
  EXPECT_EQ(check["ok"], true) << check.dump();
}

TEST_F(DatabaseTest, AttachToTheSameTargetTwiceInOneCallLeavesOneEdge) {
  std::string a = CreateId({{"label", "A"}, {"data", {{"x", 1}}}});
  std::string b = CreateId({{"label", "B"}, {"data", {{"x", 2}}}});
  Ok(db_->records().Attach({{"source", a}, {"target", Json::array({b, b, {{"__id", b}}})}, {"options", {{"type", "T"}}}}));
  Ok(db_->records().Attach({{"source", a}, {"target", Json::array({a, a})}, {"options", {{"type", "T"}}}}));
  Json check = Ok(Check(*db_));
  EXPECT_EQ(check["relationships"], 2);
  EXPECT_EQ(check["ok"], true) << check.dump();
}

TEST_F(DatabaseTest, AttachWithNoTargetsIsEmptyTarget) {
  std::string a = CreateId({{"data", {{"x", 1}}}});
  EXPECT_THAT(db_->records().Attach({{"source", a}, {"target", Json::array()}}), StatusIs(ErrorCode::kEmptyTarget));
  EXPECT_THAT(db_->records().Detach({{"source", a}, {"target", {{"data", Json::array()}}}}),
              StatusIs(ErrorCode::kEmptyTarget));
}

TEST_F(DatabaseTest, ImportJsonNestedCreatesBfsOrderAndEdges) {
  Json result = Ok(db_->records().ImportJson(Json::parse(R"({"label": "ACCOUNT",
      "data": {"name": "Stark", "mrr": 3000, "FEATURE_USAGE": [{"feature": "a", "count": 40}, {"feature": "b"}]},
      "options": {"suggestTypes": true, "relationshipType": "USES_FEATURE", "returnResult": true}})")));
  ASSERT_TRUE(result.is_array());
  ASSERT_EQ(result.size(), 3u);
  EXPECT_EQ(result[0]["__label"], "ACCOUNT");
  EXPECT_EQ(result[1]["feature"], "a");
  EXPECT_LT(result[0]["__id"], result[1]["__id"]);
  EXPECT_LT(result[1]["__id"], result[2]["__id"]);
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"ACCOUNT", 1}, {"FEATURE_USAGE", 2}}));
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 2);
  // Without returnResult: true.
  EXPECT_EQ(Ok(db_->records().ImportJson({{"label", "X"}, {"data", {{{"a", 1}}}}})), true);
  // The options trap: options without suggestTypes stores strings.
  Json many = Ok(db_->records().CreateMany(
      {{"label", "S"}, {"data", {{{"n", 1}}}}, {"options", {{"returnResult", true}}}}));
  ASSERT_EQ(many["data"].size(), 1u);
  EXPECT_EQ(many["data"][0]["n"], "1");
  EXPECT_EQ(many["total"], 0);
}

TEST_F(DatabaseTest, ImportUpsertReusesExistingRecords) {
  Json args = Json::parse(R"({"label": "DEPT", "data": [{"code": "A", "EMP": [{"name": "x"}]}],
      "options": {"suggestTypes": true, "mergeBy": [], "returnResult": true}})");
  Json first = Ok(db_->records().ImportJson(args));
  Json second = Ok(db_->records().ImportJson(args));
  EXPECT_EQ(first[0]["__id"], second[0]["__id"]);
  EXPECT_EQ(first[1]["__id"], second[1]["__id"]);
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"DEPT", 1}, {"EMP", 1}}));
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 2);  // parallel edges, never merged
}

TEST_F(DatabaseTest, ImportUpsertSeesEarlierRowsOfTheSameImport) {
  Json r = Ok(db_->records().ImportJson(Json::parse(R"({"label": "T", "data": [
      {"k": 1, "v": "a"}, {"k": 1, "w": "b"}, {"k": true}, {"k": true, "x": 1}, {"k": ["p", "q"]},
      {"k": ["p", "q"], "y": 2}, {"k": "2024-01-01"}, {"k": "2024-01-01", "z": 3}, {"k": ["p"]}],
      "options": {"suggestTypes": true, "mergeBy": ["k"], "returnResult": true}})")));
  ASSERT_EQ(r.size(), 9u);
  EXPECT_EQ(r[1]["__id"], r[0]["__id"]);
  EXPECT_EQ(r[1]["v"], "a");
  EXPECT_EQ(r[1]["w"], "b");
  EXPECT_EQ(r[3]["__id"], r[2]["__id"]);
  EXPECT_EQ(r[5]["__id"], r[4]["__id"]);
  EXPECT_EQ(r[7]["__id"], r[6]["__id"]);
  EXPECT_NE(r[8]["__id"], r[4]["__id"]);  // ["p"] is not ["p", "q"]
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"T", 5}}));
}

TEST_F(DatabaseTest, ImportCsv) {
  Json r = Ok(db_->records().ImportCsv({{"label", "ROW"}, {"data", "name,age\nann,31\nbob,40\n"},
                                        {"options", {{"suggestTypes", true}, {"returnResult", true}}}}));
  ASSERT_TRUE(r.is_array()) << r.dump();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]["name"], "ann");
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"ROW", 2}}));
}

TEST_F(DatabaseTest, LabelsFindFilterAndProperties) {
  CreateId({{"label", "A"}, {"data", {{"age", 30}, {"name", "x"}}}});
  CreateId({{"label", "A"}, {"data", {{"age", "30"}}}});
  CreateId({{"label", "B"}, {"data", {{"age", 40}}}});
  CreateId({{"data", {{"free", true}}}});
  EXPECT_EQ(Ok(db_->labels().Find()), Json({{"A", 2}, {"B", 1}}));
  EXPECT_EQ(Ok(db_->labels().Find({{"labels", {"B"}}})), Json({{"B", 1}}));
  Json props = Ok(db_->properties().Find());
  ASSERT_EQ(props.size(), 4u) << props.dump();
  EXPECT_EQ(props[0]["name"], "age");
  EXPECT_EQ(props[0]["type"], "number");
  EXPECT_EQ(props[0]["recordsCount"], 2);
  EXPECT_EQ(props[1]["type"], "string");
  EXPECT_EQ(props[1]["recordsCount"], 1);
  EXPECT_EQ(props[2]["name"], "free");
  EXPECT_EQ(props[3]["name"], "name");
  EXPECT_EQ(props[0]["metadata"], "");
  Json by_id = Ok(db_->properties().FindById(props[0]["id"].get<std::string>()));
  EXPECT_EQ(by_id, props[0]);
  EXPECT_THAT(db_->properties().FindById("nope"), StatusIs(ErrorCode::kNotFound));
  // Labels filter on properties.find: names held by B records, with every
  // type of those names and database-wide counts (api.md §5.1).
  Json b_props = Ok(db_->properties().Find({{"labels", {"B"}}}));
  ASSERT_EQ(b_props.size(), 2u) << b_props.dump();
  EXPECT_EQ(b_props[0], props[0]);
  EXPECT_EQ(b_props[1], props[1]);
  // The same inside a transaction (recounted by a scan).
  std::string tx = Ok(db_->tx().Begin())["id"];
  EXPECT_EQ(Ok(db_->properties().Find({{"labels", {"B"}}}, tx)), b_props);
  EXPECT_EQ(Ok(db_->labels().Find({}, tx)), Json({{"A", 2}, {"B", 1}}));
  Ok(db_->tx().Rollback(tx));
}

TEST_F(DatabaseTest, PropertyIdsAreStableAndRenewedOnReappearance) {
  std::string r = CreateId({{"label", "A"}, {"data", {{"k", 1}}}});
  std::string id1 = Ok(db_->properties().Find())[0]["id"];
  CreateId({{"label", "A"}, {"data", {{"k", 2}}}});
  EXPECT_EQ(Ok(db_->properties().Find())[0]["id"], id1);
  Reopen();
  EXPECT_EQ(Ok(db_->properties().Find())[0]["id"], id1);
  Ok(db_->properties().Delete(id1));
  EXPECT_EQ(Ok(db_->properties().Find()), Json::array());
  EXPECT_THAT(db_->properties().FindById(id1), StatusIs(ErrorCode::kNotFound));
  Ok(db_->records().Update({{"target", r}, {"data", {{"k", 3}}}}));
  Json props = Ok(db_->properties().Find());
  ASSERT_EQ(props.size(), 1u);
  EXPECT_GT(props[0]["id"].get<std::string>(), id1);
  Reopen();
  EXPECT_EQ(Ok(db_->properties().Find()), props);
}

TEST_F(DatabaseTest, BulkWritersGetPropertyIdsForNewPairs) {
  std::string r = CreateId({{"label", "A"}, {"data", {{"k", 1}}}});
  std::string k_id = Ok(db_->properties().Find())[0]["id"];
  Ok(db_->properties().Delete(k_id));
  auto write = [&](storage::Store& store, const std::function<std::string()>& next_id) -> absl::Status {
    std::unique_ptr<storage::WriteTxn> txn = store.BeginWrite();
    storage::StoredRecord record;
    record.rid = txn->NewRid();
    record.id = next_id();
    LOOM_ASSIGN_OR_RETURN(record.properties.emplace_back().name, store.dictionaries().properties.Intern("k"));
    record.properties.back().value = Value::Of(PropType::kNumber, 2.0);
    LOOM_RETURN_IF_ERROR(txn->PutRecord(record, nullptr));
    return txn->Commit(Durability::kSync);
  };
  LOOM_ASSERT_OK(db_->impl()->RunBulk(write));
  Json props = Ok(db_->properties().Find());
  ASSERT_EQ(props.size(), 1u);
  EXPECT_GT(props[0]["id"].get<std::string>(), k_id);  // the pair reappeared: a new id
  EXPECT_GT(Ok(db_->records().FindById(Json::array({r})))["total"], 0);
}

TEST_F(DatabaseTest, PropertiesDeleteOnlyThatType) {
  std::string a = CreateId({{"label", "A"}, {"data", {{"age", 30}, {"n", 1}}}});
  std::string b = CreateId({{"label", "A"}, {"data", {{"age", "thirty"}}}});
  Json props = Ok(db_->properties().Find());
  ASSERT_EQ(props[0]["type"], "number");
  Ok(db_->properties().Delete(props[0]["id"].get<std::string>()));
  EXPECT_FALSE(Ok(db_->records().FindById(a)).contains("age"));
  EXPECT_EQ(Ok(db_->records().FindById(a))["__proptypes"], Json({{"n", "number"}}));
  EXPECT_EQ(Ok(db_->records().FindById(b))["age"], "thirty");
  EXPECT_THAT(db_->properties().Delete("nope"), StatusIs(ErrorCode::kNotFound));
}

TEST_F(DatabaseTest, PropertiesValues) {
  CreateId({{"label", "I"}, {"data", {{"amount", 30}, {"tags", {"b", "a"}}, {"at", "2024-01-15"}}}});
  CreateId({{"label", "I"}, {"data", {{"amount", 10}, {"tags", {"c", "a"}}, {"at", "2023-05-01T10:00:00+02:00"}}}});
  CreateId({{"label", "J"}, {"data", {{"amount", 20}}}});
  Json props = Ok(db_->properties().Find());
  auto id_of = [&](const std::string& name) {
    for (const Json& p : props) {
      if (p["name"] == name) return p["id"].get<std::string>();
    }
    return std::string();
  };
  Json v = Ok(db_->properties().Values(id_of("amount")));
  EXPECT_EQ(v, Json::parse(R"({"values": [30, 10, 20], "min": 10, "max": 30, "type": "number"})"));
  v = Ok(db_->properties().Values(id_of("amount"), {{"orderBy", "desc"}, {"skip", 1}, {"limit", 1}}));
  EXPECT_EQ(v["values"], Json::array({20}));
  EXPECT_EQ(v["min"], 10);
  v = Ok(db_->properties().Values(id_of("amount"), {{"labels", {"J"}}}));
  EXPECT_EQ(v["values"], Json::array({20}));
  v = Ok(db_->properties().Values(id_of("tags"), {{"query", "A"}}));
  EXPECT_EQ(v, Json::parse(R"({"values": ["b", "a", "c"], "type": "string"})"));
  v = Ok(db_->properties().Values(id_of("at")));
  EXPECT_EQ(v["min"], "2023-05-01T08:00:00Z");
  EXPECT_EQ(v["max"], "2024-01-15T00:00:00Z");
  EXPECT_EQ(Ok(db_->properties().Values(id_of("amount"), {{"labels", {"NONE"}}})), Json::object());
  EXPECT_THAT(db_->properties().Values(id_of("amount"), {{"limit", -1}}), HasErrorPath("/limit"));
  EXPECT_THAT(db_->properties().Values(id_of("amount"), {{"orderBy", "up"}}), HasErrorPath("/orderBy"));
}

TEST_F(DatabaseTest, RelationshipsCreateManyAndDeleteManyByKeys) {
  std::string a1 = CreateId({{"label", "ACC"}, {"data", {{"code", "x"}}}});
  std::string a2 = CreateId({{"label", "ACC"}, {"data", {{"code", "y"}}}});
  std::string u1 = CreateId({{"label", "USR"}, {"data", {{"acc", {"x", "y"}}}}});
  std::string u2 = CreateId({{"label", "USR"}, {"data", {{"acc", "y"}}}});
  CreateId({{"label", "USR"}, {"data", {{"acc", 1}}}});
  Json args = {{"source", {{"label", "USR"}, {"key", "acc"}}},
               {"target", {{"label", " ACC "}, {"key", "code"}}},
               {"type", "BELONGS_TO"},
               {"properties", {{"since", 2024}}}};
  Ok(db_->relationships().CreateMany(args));
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 3);  // u1-a1, u1-a2, u2-a2
  Ok(db_->relationships().CreateMany(args));      // merges, no duplicates
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 3);
  // deleteMany without a type only touches the default type.
  Json del = {{"source", {{"label", "USR"}, {"key", "acc"}}}, {"target", {{"label", "ACC"}, {"key", "code"}}}};
  Ok(db_->relationships().DeleteMany(del));
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 3);
  del["direction"] = "in";
  del["type"] = "BELONGS_TO";
  Ok(db_->relationships().DeleteMany(del));  // edges run USR -> ACC, not ACC -> USR
  EXPECT_EQ(Ok(Check(*db_))["relationships"], 3);
  del.erase("direction");
  Ok(db_->relationships().DeleteMany(del));
  Json check = Ok(Check(*db_));
  EXPECT_EQ(check["relationships"], 0);
  EXPECT_EQ(check["ok"], true) << check.dump();
  EXPECT_THAT(db_->relationships().CreateMany({{"source", {{"label", "USR"}}}, {"target", {{"label", "ACC"}}}}),
              StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(db_->relationships().CreateMany(
                  {{"source", {{"label", "USR"}}}, {"target", {{"label", "ACC"}}}, {"manyToMany", true}}),
              HasErrorPath("/source/where"));
  EXPECT_THAT(db_->relationships().CreateMany({{"source", {{"label", 3}}}, {"target", {{"label", "ACC"}}}}),
              HasErrorPath("/source/label"));
  (void)a1;
  (void)a2;
  (void)u1;
  (void)u2;
}

TEST_F(DatabaseTest, CallDispatch) {
  Json r = Ok(db_->Call("records.create", {{"label", "A"}, {"data", {{"x", 1}}}}));
  EXPECT_EQ(Ok(db_->Call("records.findById", {{"id", r["__id"]}})), r);
  EXPECT_EQ(Ok(db_->Call("records.findById", r["__id"])), r);
  EXPECT_EQ(Ok(db_->Call("labels.find", Json::object())), Json({{"A", 1}}));
  Json props = Ok(db_->Call("properties.find", Json::object()));
  Json values = Ok(db_->Call("properties.values", {{"id", props[0]["id"]}, {"limit", 5}}));
  EXPECT_EQ(values["values"], Json::array({1}));
  Json tx = Ok(db_->Call("tx.begin", Json::object()));
  Ok(db_->Call("records.create", {{"label", "B"}, {"data", {{"x", 2}}}}, tx["id"].get<std::string>()));
  Ok(db_->Call("tx.commit", tx));
  EXPECT_EQ(Ok(db_->Call("labels.find", Json::object())), Json({{"A", 1}, {"B", 1}}));
  auto bad = db_->Call("records.nope", Json::object());
  EXPECT_THAT(bad, StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(bad, HasErrorPath("/method"));
  EXPECT_THAT(db_->Call("properties.findById", {{"id", 5}}), HasErrorPath("/id"));
  // Served by the query engine through engine/query_seam.h.
  auto found = db_->Call("records.find", {{"labels", {"A"}}});
  if (found.ok()) EXPECT_EQ((*found)["total"], 1) << found->dump();
}

TEST_F(DatabaseTest, PersistsAcrossReopen) {
  std::string a = CreateId({{"label", "A"}, {"data", {{"x", 1}}}});
  std::string b = CreateId({{"label", "B"}, {"data", {{"y", "z"}}}});
  Ok(db_->records().Attach({{"source", a}, {"target", b}, {"options", {{"type", "LINK"}}}}));
  Json before = Snapshot();
  Json ra = Ok(db_->records().FindById(a));
  Reopen();
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(Ok(db_->records().FindById(a)), ra);
}

TEST_F(DatabaseTest, SecondOpenOfTheSameDirectoryIsRefused) {
  auto second = Database::Open(dir_.Sub("db"));
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(std::string(second.status().message()), ::testing::HasSubstr("in use"));
  // And from another process.
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto other = Database::Open(dir_.Sub("db"));
    _exit(other.ok() ? 0 : 3);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
}

TEST_F(DatabaseTest, ReadOnlyOpenReadsAndRefusesWrites) {
  std::string a = CreateId({{"label", "A"}, {"data", {{"x", 1}}}});
  Options options;
  options.read_only = true;
  db_.reset();
  auto ro = Database::Open(dir_.Sub("db"), options);
  ASSERT_TRUE(ro.ok()) << ro.status();
  EXPECT_EQ(Ok((*ro)->records().FindById(a))["x"], 1);
  EXPECT_EQ(Ok((*ro)->labels().Find()), Json({{"A", 1}}));
  EXPECT_EQ(Ok((*ro)->properties().Find()).size(), 1u);
  EXPECT_FALSE((*ro)->records().Create({{"label", "A"}, {"data", {{"x", 2}}}}).ok());
  EXPECT_FALSE((*ro)->records().DeleteById(a).ok());
  EXPECT_FALSE((*ro)->tx().Begin().ok());
  EXPECT_EQ(Ok((*ro)->labels().Find()), Json({{"A", 1}}));
}

}  // namespace
}  // namespace loom
