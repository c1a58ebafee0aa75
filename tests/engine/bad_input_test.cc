// Bad inputs of api.md §0.3 and data-model.md §2.4: the exact code and JSON
// Pointer, and the database unchanged afterwards.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/db_fixture.h"

namespace loom {
namespace {

using testing::DbTest;
using testing::HasErrorPath;
using testing::Ok;
using testing::StatusIs;

class BadInputTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    a_ = CreateId({{"label", "A"}, {"data", {{"x", 1}}}});
    b_ = CreateId({{"label", "B"}, {"data", {{"y", "z"}}}});
    Ok(db_->records().Attach({{"source", a_}, {"target", b_}, {"options", {{"type", "LINK"}}}}));
  }
  // Replaces "$A" / "$B" strings in a JSON text by the seeded ids.
  Json Params(std::string text) {
    for (auto [from, to] : {std::pair<std::string, std::string>{"$A", a_}, {"$B", b_}}) {
      for (size_t at = text.find(from); at != std::string::npos; at = text.find(from)) text.replace(at, 2, to);
    }
    return Json::parse(text);
  }
  std::string a_, b_;
};

struct Case {
  const char* method;
  const char* params;
  ErrorCode code;
  const char* path;  // nullptr: no path expected
};

TEST_F(BadInputTest, ExactCodeAndPathAndNothingChanges) {
  const Case cases[] = {
      // Forbidden keys at any depth (data-model §2.4).
      {"records.create", R"({"label": "A", "data": {"__id": "x"}})", ErrorCode::kInvalidArgument, "/data/__id"},
      {"records.create", R"({"label": "A", "data": {"ok": 1}, "options": {"$and": 1}})",
       ErrorCode::kInvalidArgument, "/options/$and"},
      {"records.create", R"({"label": "A", "properties": [{"name": "__label", "type": "string", "value": "x"}]})",
       ErrorCode::kInvalidArgument, "/properties/0/name"},
      {"records.importJson", R"({"label": "A", "data": [{"ok": 1}, {"NESTED": {"deeper": {"$relation": 1}}}]})",
       ErrorCode::kInvalidArgument, "/data/1/NESTED/deeper/$relation"},
      {"records.createMany", R"({"label": "A", "data": [{"a": 1}, {"__proptypes": {}}]})",
       ErrorCode::kInvalidArgument, "/data/1/__proptypes"},
      {"records.upsert", R"({"label": "A", "data": {"$id": 1}})", ErrorCode::kInvalidArgument, "/data/$id"},
      {"records.set", R"({"target": "$A", "data": {"__score": 1}})", ErrorCode::kInvalidArgument, "/data/__score"},
      {"records.update", R"({"target": "$A", "data": {"ok": 1, "__RUSHDB__KEY__ID__": 1}})",
       ErrorCode::kInvalidArgument, "/data/__RUSHDB__KEY__ID__"},
      // Malformed payloads.
      {"records.create", R"({"label": "A", "data": {"nested": {"a": 1}}})", ErrorCode::kInvalidArgument,
       "/data/nested"},
      {"records.create", R"({"label": "A", "data": {"mixed": [1, "a"]}})", ErrorCode::kInvalidArgument,
       "/data/mixed/1"},
      {"records.create", R"({"label": "A", "data": {"x": 1}, "properties": []})", ErrorCode::kInvalidArgument,
       nullptr},
      {"records.create", R"({"label": 5, "data": {"x": 1}})", ErrorCode::kInvalidArgument, "/label"},
      {"records.set", R"({"data": {"x": 1}})", ErrorCode::kInvalidArgument, "/target"},
      {"records.set", R"({"target": 5, "data": {"x": 1}})", ErrorCode::kInvalidArgument, "/target"},
      // Attach / detach arguments.
      {"records.attach", R"({"source": "$A", "target": "$B", "options": {"direction": "sideways"}})",
       ErrorCode::kInvalidArgument, "/options/direction"},
      {"records.attach", R"({"source": "$A", "target": "$B", "options": {"type": "HAS SPACE"}})",
       ErrorCode::kInvalidArgument, "/options/type"},
      {"records.attach", R"({"source": "$A", "target": "$B", "options": {"type": "__RUSHDB__RELATION__VALUE__"}})",
       ErrorCode::kInvalidArgument, "/options/type"},
      {"records.attach", R"({"source": "$A", "target": "$B", "options": {"type": "9LIVES"}})",
       ErrorCode::kInvalidArgument, "/options/type"},
      {"records.attach", R"({"source": "$A", "target": "$B", "options": {"properties": {"sourceId": 1}}})",
       ErrorCode::kInvalidArgument, "/options/properties/sourceId"},
      {"records.attach", R"({"source": "$A", "target": "$B", "options": {"properties": {"__RUSHDB__X": 1}}})",
       ErrorCode::kInvalidArgument, "/options/properties/__RUSHDB__X"},
      {"records.attach", R"({"source": "$A", "target": "$B", "options": {"properties": {"w": [1, "a"]}}})",
       ErrorCode::kInvalidArgument, "/options/properties/w/1"},
      {"records.attach", R"({"source": "$A", "target": "$B", "options": {"properties": {"w": {"a": 1}}}})",
       ErrorCode::kInvalidArgument, "/options/properties/w"},
      {"records.attach", R"({"source": "$A", "target": [5]})", ErrorCode::kInvalidArgument, "/target/0"},
      {"records.attach", R"({"target": "$B"})", ErrorCode::kInvalidArgument, "/source"},
      {"records.attach", R"({"source": "$A", "target": []})", ErrorCode::kEmptyTarget, nullptr},
      {"records.detach", R"({"source": "$A", "target": "$B", "options": {"direction": "both"}})",
       ErrorCode::kInvalidArgument, "/options/direction"},
      {"records.detach", R"({"source": "$A", "target": "$B", "options": {"typeOrTypes": ["LINK", 3]}})",
       ErrorCode::kInvalidArgument, "/options/typeOrTypes/1"},
      // Reads and metadata.
      {"records.findById", R"({"id": "missing"})", ErrorCode::kNotFound, nullptr},
      {"records.findById", R"({"id": ["$A", 7]})", ErrorCode::kInvalidArgument, "/1"},
      {"labels.find", R"({"labels": "A"})", ErrorCode::kInvalidArgument, "/labels"},
      {"properties.find", R"({"labels": ["A", 1]})", ErrorCode::kInvalidArgument, "/labels/1"},
      {"properties.findById", R"({"id": "missing"})", ErrorCode::kNotFound, nullptr},
      {"properties.delete", R"({"id": "missing"})", ErrorCode::kNotFound, nullptr},
      {"tx.begin", R"({"ttl": "soon"})", ErrorCode::kInvalidArgument, "/ttl"},
      {"tx.commit", R"({"id": "missing"})", ErrorCode::kTxNotFound, nullptr},
      {"no.such.method", R"({})", ErrorCode::kInvalidArgument, "/method"},
  };
  const Json before = Snapshot();
  const Json a_before = Ok(db_->records().FindById(a_));
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.params);
    absl::StatusOr<Json> result = db_->Call(c.method, Params(c.params));
    EXPECT_THAT(result, StatusIs(c.code));
    if (c.path != nullptr) EXPECT_THAT(result, HasErrorPath(c.path));
    EXPECT_EQ(Snapshot(), before);
    EXPECT_EQ(Ok(db_->records().FindById(a_)), a_before);
  }
}

TEST_F(BadInputTest, FailedImportLeavesNothingBehind) {
  const Json before = Snapshot();
  // The second element is fine for planning only up to the bad nested array.
  auto result = db_->records().ImportJson(
      Json::parse(R"({"label": "A", "data": [{"ok": 1}, {"MIX": [{"a": 1}, 2]}]})"));
  EXPECT_THAT(result, StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace loom
