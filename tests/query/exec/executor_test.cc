// Executor on a real store holding the examples.md §2 dataset: every operator
// family, blocks with directions and types, hops and $cycle, negated nested
// blocks, ordering/paging/total, related-record search, metadata helpers,
// explain, and agreement of every forced plan alternative.
#include "query/exec/executor.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "gtest/gtest.h"
#include "loom/datetime.h"
#include "loom/status.h"
#include "query/exec/stop_check.h"
#include "query/parse/parser.h"

namespace loom::query::exec {
namespace {

using storage::Rid;

// Type inference for the test data: datetime text -> datetime, [] -> string.
Value ToValue(const Json& j) {
  auto scalar = [](const Json& e) -> Scalar {
    if (e.is_boolean()) return e.get<bool>();
    if (e.is_number()) return e.get<double>();
    return e.get<std::string>();
  };
  auto type_of = [](const Json& e) {
    if (e.is_boolean()) return PropType::kBoolean;
    if (e.is_number()) return PropType::kNumber;
    return IsDatetimeText(e.get<std::string>()) ? PropType::kDatetime : PropType::kString;
  };
  if (j.is_array()) {
    std::vector<Scalar> items;
    for (const Json& e : j) items.push_back(scalar(e));
    return Value::Array(j.empty() ? PropType::kString : type_of(j[0]), items);
  }
  return Value::Of(type_of(j), scalar(j));
}

// name, label, data (examples.md §2.1, in creation order).
const char* kRecords = R"([
 ["acme", "ACCOUNT", {"name": "Acme Corp", "plan": "enterprise", "region": "EU", "mrr": 1200, "createdAt": "2024-01-15", "tags": ["manufacturing", "priority"]}],
 ["globex", "ACCOUNT", {"name": "Globex", "plan": "pro", "region": "US", "mrr": 800, "createdAt": "2024-03-02", "tags": ["energy"]}],
 ["initech", "ACCOUNT", {"name": "Initech", "plan": "enterprise", "region": "US", "mrr": 2000, "createdAt": "2023-11-20", "tags": ["software", "priority"]}],
 ["umbrella", "ACCOUNT", {"name": "Umbrella Health", "plan": "starter", "region": "EU", "mrr": 150, "createdAt": "2024-06-10"}],
 ["hooli", "ACCOUNT", {"name": "Hooli", "plan": "pro", "mrr": 400, "createdAt": "2024-02-29T09:30:00Z", "tags": []}],
 ["alice", "USER", {"email": "alice@acme.com", "name": "Alice", "role": "admin", "lastActiveAt": "2025-03-01"}],
 ["bob", "USER", {"email": "bob@acme.com", "name": "Bob", "role": "member", "lastActiveAt": "2025-02-20"}],
 ["carol", "USER", {"email": "carol@globex.com", "name": "Carol", "role": "admin", "lastActiveAt": "2025-03-03"}],
 ["dan", "USER", {"email": "dan@initech.com", "name": "Dan", "role": "member"}],
 ["erin", "USER", {"email": "erin@umbrella.com", "name": "Erin", "role": "admin", "lastActiveAt": "2025-01-10"}],
 ["sub_acme", "SUBSCRIPTION", {"plan": "enterprise", "status": "active", "startedAt": "2024-01-15", "renewsAt": "2026-01-15", "seats": 25}],
 ["sub_globex", "SUBSCRIPTION", {"plan": "pro", "status": "active", "startedAt": "2024-03-02", "renewsAt": "2025-03-02", "seats": 10}],
 ["sub_initech_old", "SUBSCRIPTION", {"plan": "pro", "status": "cancelled", "startedAt": "2023-11-20", "seats": 5}],
 ["sub_initech", "SUBSCRIPTION", {"plan": "enterprise", "status": "active", "startedAt": "2024-11-20", "renewsAt": "2025-11-20", "seats": 40}],
 ["sub_umbrella", "SUBSCRIPTION", {"plan": "starter", "status": "trial", "startedAt": "2024-06-10", "seats": 3}],
 ["inv1", "INVOICE", {"month": "2025-01", "amount": 1200, "status": "paid", "paidAt": "2025-01-05"}],
 ["inv2", "INVOICE", {"month": "2025-02", "amount": 1200, "status": "paid", "paidAt": "2025-02-05"}],
 ["inv3", "INVOICE", {"month": "2025-03", "amount": 1200, "status": "overdue"}],
 ["inv4", "INVOICE", {"month": "2025-02", "amount": 800, "status": "paid", "paidAt": "2025-02-10"}],
 ["inv5", "INVOICE", {"month": "2025-03", "amount": 800, "status": "overdue"}],
 ["inv6", "INVOICE", {"month": "2025-03", "amount": 2000, "status": "paid", "paidAt": "2025-03-04"}],
 ["inv7", "INVOICE", {"month": "2024-10", "amount": 500, "status": "overdue"}],
 ["tp1", "TOUCHPOINT", {"channel": "Email", "subject": "Renewal Reminder", "occurredAt": "2025-01-20T10:00:00Z", "embedding": [1, 1, 0, 0]}],
 ["tp2", "TOUCHPOINT", {"channel": "call", "subject": "QBR follow-up", "occurredAt": "2025-02-03T15:30:00Z", "embedding": [1, 0, 1, 0]}],
 ["tp3", "TOUCHPOINT", {"channel": "demo", "subject": "Analytics add-on DEMO", "occurredAt": "2025-02-14T09:00:00Z", "embedding": [0, 0, 1, 1]}],
 ["tp4", "TOUCHPOINT", {"channel": "email", "subject": "renewal pricing", "occurredAt": "2025-03-01T08:00:00Z", "embedding": [-1, -1, 0, 0]}],
 ["t1", "SUPPORT_TICKET", {"subject": "SSO login fails", "priority": "high", "status": "open", "createdAt": "2025-03-02T11:00:00Z"}],
 ["t2", "SUPPORT_TICKET", {"subject": "Invoice question", "priority": "low", "status": "closed", "createdAt": "2025-02-11T09:15:00Z"}],
 ["t3", "SUPPORT_TICKET", {"subject": "Export timeout", "priority": "high", "status": "open", "createdAt": "2025-03-05T16:45:00Z"}],
 ["t4", "SUPPORT_TICKET", {"subject": "API rate limits", "priority": "medium", "status": "open", "createdAt": "2025-01-28T13:00:00Z"}],
 ["stark", "ACCOUNT", {"name": "Stark Industries", "plan": "enterprise", "region": "APAC", "mrr": 3000, "createdAt": "2024-09-01"}],
 ["fu1", "FEATURE_USAGE", {"feature": "dashboards", "count": 40, "week": "2025-03-03"}],
 ["fu2", "FEATURE_USAGE", {"feature": "exports", "count": 12, "week": "2025-03-03"}],
 ["fu3", "FEATURE_USAGE", {"feature": "dashboards", "count": 25, "week": "2025-03-03"}],
 ["fu4", "FEATURE_USAGE", {"feature": "api", "count": 310, "week": "2025-03-03"}],
 ["fu5", "FEATURE_USAGE", {"feature": "dashboards", "count": 5, "week": "2025-03-10"}]
])";

// start, type, end (in attach order).
const char* kEdges = R"([
 ["alice", "BELONGS_TO", "acme"], ["bob", "BELONGS_TO", "acme"], ["carol", "BELONGS_TO", "globex"],
 ["dan", "BELONGS_TO", "initech"], ["erin", "BELONGS_TO", "umbrella"],
 ["acme", "HAS_SUBSCRIPTION", "sub_acme"], ["globex", "HAS_SUBSCRIPTION", "sub_globex"],
 ["initech", "HAS_SUBSCRIPTION", "sub_initech_old"], ["initech", "HAS_SUBSCRIPTION", "sub_initech"],
 ["umbrella", "HAS_SUBSCRIPTION", "sub_umbrella"],
 ["sub_acme", "HAS_INVOICE", "inv1"], ["sub_acme", "HAS_INVOICE", "inv2"], ["sub_acme", "HAS_INVOICE", "inv3"],
 ["sub_globex", "HAS_INVOICE", "inv4"], ["sub_globex", "HAS_INVOICE", "inv5"],
 ["sub_initech", "HAS_INVOICE", "inv6"], ["sub_initech_old", "HAS_INVOICE", "inv7"],
 ["acme", "HAS_TOUCHPOINT", "tp1"], ["acme", "HAS_TOUCHPOINT", "tp2"], ["globex", "HAS_TOUCHPOINT", "tp3"],
 ["initech", "HAS_TOUCHPOINT", "tp4"],
 ["alice", "CREATED", "t1"], ["bob", "CREATED", "t2"], ["carol", "CREATED", "t3"], ["alice", "CREATED", "t4"],
 ["stark", "USES_FEATURE", "fu1"], ["stark", "USES_FEATURE", "fu2"],
 ["acme", "USES_FEATURE", "fu3"], ["acme", "USES_FEATURE", "fu4"], ["globex", "USES_FEATURE", "fu5"],
 ["acme", "REFERRED", "globex"], ["globex", "REFERRED", "umbrella"], ["umbrella", "REFERRED", "hooli"],
 ["globex", "RESELLS_TO", "initech"], ["initech", "RESELLS_TO", "stark"], ["stark", "RESELLS_TO", "globex"],
 ["acme", "RESELLS_TO", "globex"]
])";

class ExecutorTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("loom_executor_test_" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    auto store = storage::Store::Open(dir_->string(), Options{});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = store->release();
    auto& dicts = store_->dictionaries();
    auto txn = store_->BeginWrite();
    std::map<std::string, Rid> rids;
    int n = 0;
    for (const Json& r : Json::parse(kRecords)) {
      storage::StoredRecord rec;
      rec.rid = txn->NewRid();
      char id[64];
      snprintf(id, sizeof(id), "0195-%02d-%s", ++n, r[0].get<std::string>().c_str());
      rec.id = id;
      rec.label = *dicts.labels.Intern(r[1].get<std::string>());
      for (const auto& [k, v] : r[2].items()) rec.properties.push_back({*dicts.properties.Intern(k), ToValue(v)});
      ASSERT_TRUE(txn->PutRecord(rec, nullptr).ok());
      rids[r[0].get<std::string>()] = rec.rid;
    }
    for (const Json& e : Json::parse(kEdges)) {
      auto type = *dicts.rel_types.Intern(e[1].get<std::string>());
      ASSERT_TRUE(txn->AddEdge(rids.at(e[0].get<std::string>()), rids.at(e[2].get<std::string>()), type, "").ok());
    }
    ASSERT_TRUE(txn->Commit(Durability::kSync).ok());
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static std::string Id(const std::string& name) {
    int n = 0;
    for (const Json& r : Json::parse(kRecords)) {
      ++n;
      if (r[0] == name) {
        char id[64];
        snprintf(id, sizeof(id), "0195-%02d-%s", n, name.c_str());
        return id;
      }
    }
    ADD_FAILURE() << "no record " << name;
    return "";
  }
  // "@acme" -> its id, inside query text.
  static std::string Subst(std::string text) {
    for (size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
      size_t end = at + 1;
      while (end < text.size() && (isalnum(text[end]) || text[end] == '_')) ++end;
      if (text.find(".com", at) == end) continue;  // an email address
      text.replace(at, end - at, Id(text.substr(at + 1, end - at - 1)));
    }
    return text;
  }

  static absl::StatusOr<ast::Query> Parse(const std::string& text) {
    LOOM_ASSIGN_OR_RETURN(Json json, ReadQueryJson(Subst(text)));
    return ParseQuery(json);
  }

  struct Names {
    std::vector<std::string> data;
    uint64_t total = 0;
  };
  // Runs `text` under every forced source and checks they agree.
  static Names Find(const std::string& text) {
    auto q = Parse(text);
    EXPECT_TRUE(q.ok()) << q.status();
    if (!q.ok()) return {};
    auto view = store_->NewReadView();
    Names first;
    bool have_first = false;
    for (plan::SourceChoice force : {plan::SourceChoice::kAuto, plan::SourceChoice::kScan,
                                     plan::SourceChoice::kIndex, plan::SourceChoice::kIdLookup,
                                     plan::SourceChoice::kSemiJoin}) {
      ExecOptions options;
      options.force_source = force;
      auto r = Execute(*q, *view, options);
      EXPECT_TRUE(r.ok()) << r.status();
      if (!r.ok()) return {};
      Names got;
      got.total = r->total;
      for (const Json& rec : r->data) {
        std::string id = rec["__id"];
        got.data.push_back(id.substr(id.find('-', 5) + 1));
      }
      if (!have_first) {
        first = got;
        have_first = true;
      } else {
        EXPECT_EQ(got.data, first.data) << text << " plan " << PlanFor(*q, *view, options).ToText();
        EXPECT_EQ(got.total, first.total) << text << " plan " << PlanFor(*q, *view, options).ToText();
      }
    }
    return first;
  }

  static void Expect(const std::string& text, std::vector<std::string> data, uint64_t total) {
    Names got = Find(text);
    EXPECT_EQ(got.data, data) << text;
    EXPECT_EQ(got.total, total) << text;
  }
  static void Expect(const std::string& text, std::vector<std::string> data) {
    const uint64_t n = data.size();
    Expect(text, std::move(data), n);
  }

  static inline std::filesystem::path* dir_ = nullptr;
  static inline storage::Store* store_ = nullptr;
};

TEST_F(ExecutorTest, TutorialSteps) {
  Expect(R"({"labels": ["USER"], "where": {"email": {"$in": ["alice@acme.com", "bob@acme.com"]}}})", {"bob", "alice"});
  Expect(R"({"labels": ["INVOICE"]})", {"inv7", "inv6", "inv5", "inv4", "inv3", "inv2", "inv1"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"plan": "enterprise",
           "SUBSCRIPTION": {"$relation": {"type": "HAS_SUBSCRIPTION", "direction": "out"},
              "INVOICE": {"$relation": {"type": "HAS_INVOICE", "direction": "out"}, "status": "overdue"}}}})",
         {"initech", "acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$id": "@acme"}})", {"acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"__id": "@acme"}})", {"acme"});
  Expect(R"({"labels": ["SUBSCRIPTION"], "where": {"ACCOUNT": {"$relation": {"type": "HAS_SUBSCRIPTION",
           "direction": "in"}, "$id": "@initech"}, "status": "active"}})", {"sub_initech"});
  Expect(R"({"labels": ["INVOICE"], "where": {"SUBSCRIPTION": {"$relation": {"type": "HAS_INVOICE", "direction": "in"},
           "ACCOUNT": {"$relation": {"type": "HAS_SUBSCRIPTION", "direction": "in"}, "$id": "@acme"}},
           "status": "overdue"}})", {"inv3"});
  Expect(R"({"labels": ["SUPPORT_TICKET"], "where": {"USER": {"$relation": {"type": "CREATED", "direction": "in"},
           "ACCOUNT": {"$relation": {"type": "BELONGS_TO", "direction": "in"}, "$id": "@acme"}}},
           "orderBy": {"createdAt": "desc"}, "limit": 5})", {});
  Expect(R"({"labels": ["SUPPORT_TICKET"], "where": {"USER": {"$relation": {"type": "CREATED", "direction": "in"},
           "ACCOUNT": {"$relation": {"type": "BELONGS_TO", "direction": "out"}, "$id": "@acme"}}},
           "orderBy": {"createdAt": "desc"}, "limit": 5})", {"t1", "t2", "t4"});
}

TEST_F(ExecutorTest, SerialisesWholeRecords) {
  auto q = Parse(R"({"labels": ["ACCOUNT"], "where": {"name": "Hooli"}})");
  ASSERT_TRUE(q.ok());
  auto view = store_->NewReadView();
  auto r = Execute(*q, *view);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->data.size(), 1u);
  Json want = Json::parse(R"({"__id": "", "__label": "ACCOUNT", "__proptypes": {"name": "string", "plan": "string",
      "mrr": "number", "createdAt": "datetime", "tags": "string"}, "name": "Hooli", "plan": "pro", "mrr": 400,
      "createdAt": "2024-02-29T09:30:00Z", "tags": []})");
  want["__id"] = Id("hooli");
  EXPECT_EQ(r->data[0], want);
}

TEST_F(ExecutorTest, Directions) {
  const std::vector<std::string> users = {"erin", "dan", "carol", "bob", "alice"};
  Expect(R"({"labels": ["USER"], "where": {"ACCOUNT": {"$relation": {"type": "BELONGS_TO", "direction": "out"}}}})", users);
  Expect(R"({"labels": ["USER"], "where": {"ACCOUNT": {"$relation": {"type": "BELONGS_TO", "direction": "in"}}}})", {});
  Expect(R"({"labels": ["USER"], "where": {"ACCOUNT": {"$relation": "BELONGS_TO"}}})", users);
  Expect(R"({"labels": ["USER"], "where": {"ACCOUNT": {"$relation": {"direction": "in"}}}})", {});
  Expect(R"({"labels": ["USER"], "where": {"ACCOUNT": {}}})", users);
  Expect(R"({"labels": ["ACCOUNT"], "where": {"USER": {}}})", {"umbrella", "initech", "globex", "acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"ACCOUNT": {"$relation": "REFERRED|RESELLS_TO", "name": "Initech"}}})",
         {"stark", "globex"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"NOPE": {}}})", {});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"USER": {"$relation": "NOPE"}}})", {});
}

TEST_F(ExecutorTest, RelatedRecordSearch) {
  Expect(R"({"id": "@acme"})", {"fu4", "fu3", "tp2", "tp1", "sub_acme", "bob", "alice", "globex"});
  Expect(R"({"id": "@acme", "labels": ["USER"]})", {"bob", "alice"});
  Expect(R"({"id": "nope"})", {});
}

TEST_F(ExecutorTest, FieldOperators) {
  Expect(R"({"labels": ["TOUCHPOINT"], "where": {"subject": {"$contains": "RENEWAL"}}})", {"tp4", "tp1"});
  Expect(R"({"labels": ["TOUCHPOINT"], "where": {"subject": {"$startsWith": "renewal"}}})", {"tp4"});
  Expect(R"({"labels": ["TOUCHPOINT"], "where": {"subject": {"$startsWith": "Renewal"}}})", {"tp1"});
  Expect(R"({"labels": ["TOUCHPOINT"], "where": {"subject": {"$endsWith": "DEMO"}}})", {"tp3"});
  Expect(R"({"labels": ["TOUCHPOINT"], "where": {"channel": {"$in": ["email", "Email"]}}})", {"tp4", "tp1"});
  Expect(R"({"where": {"subject": {"$contains": "invoice"}}})", {"t2"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"tags": "priority"}})", {"initech", "acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"tags": {"$ne": "priority"}}})", {"initech", "globex", "acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"tags": {"$nin": ["priority"]}}})", {"hooli", "globex"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"tags": ["software", "priority"]}})", {"initech"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"tags": {"$exists": true}}})", {"hooli", "initech", "globex", "acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$not": {"region": "EU"}}})", {"stark", "initech", "globex"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"region": null}})", {"hooli"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"region": {"$in": ["EU", null]}}})", {"hooli", "umbrella", "acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"mrr": 1200}})", {"acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"mrr": "1200"}})", {});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"mrr": {"$gte": 800, "$lt": 2500}}})", {"initech", "globex", "acme"});
  Expect(R"({"labels": ["INVOICE"], "where": {"month": {"$in": ["2025-02", "2025-03"]}}})",
         {"inv6", "inv5", "inv4", "inv3", "inv2"});
  Expect(R"({"labels": ["SUBSCRIPTION"], "where": {"renewsAt": {"$lt": "2026-01-01"}}})", {"sub_initech", "sub_globex"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"createdAt": {"$gte": {"$year": 2024}, "$lt": {"$year": 2025}}}})",
         {"stark", "hooli", "umbrella", "globex", "acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"createdAt": {"$year": 2024, "$month": 2, "$day": 29}}})", {});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"createdAt": {"$gte": "2024-02-29T09:00:00Z", "$lt": "2024-03-01"}}})",
         {"hooli"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"createdAt": "2024-01-15"}})", {"acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"createdAt": "2024-01-15T00:00:00Z"}})", {});
  Expect(R"({"labels": ["INVOICE"], "where": {"month": {"$type": "datetime"}}})", {});
  Expect(R"({"labels": ["INVOICE"], "where": {"paidAt": {"$type": "null"}}})", {"inv7", "inv5", "inv3"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$id": {"$startsWith": "0195-0"}}})",
         {"hooli", "umbrella", "initech", "globex", "acme"});
}

TEST_F(ExecutorTest, LogicAndBlocks) {
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$xor": [{"plan": "enterprise"}, {"region": "EU"}]}})",
         {"stark", "umbrella", "initech"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$xor": [{"plan": "enterprise"}, {"region": "EU"}, {"mrr": {"$gte": 1000}}]}})",
         {"umbrella", "acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$or": [{"TOUCHPOINT": {"channel": "demo"}}, {"SUBSCRIPTION": {"status": "trial"}}]}})",
         {"umbrella", "globex"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$or": [{"TOUCHPOINT": {"channel": "demo"}}, {"mrr": {"$gte": 2500}}]}})",
         {"stark", "globex"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$not": {"SUBSCRIPTION": {"status": "active"}}}})",
         {"stark", "hooli", "umbrella"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$nor": [{"SUBSCRIPTION": {"status": "active"}}, {"mrr": {"$lt": 200}}]}})",
         {"stark", "hooli"});
  // E17: per-row negation of a nested block.
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$not": {"USER": {"SUPPORT_TICKET": {"status": "open"}}}}})",
         {"stark", "hooli", "umbrella", "initech", "acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$not": {"SUPPORT_TICKET": {"$relation": {"hops": 2}, "status": "open"}}}})",
         {"stark", "hooli", "umbrella", "initech"});
  // Mixed group inside a block: the XOR is per row, color-like criteria restrict binding.
  Expect(R"({"labels": ["ACCOUNT"], "where": {"USER": {"role": "admin",
           "$xor": [{"SUPPORT_TICKET": {"status": "open"}}, {"name": {"$ne": "Carol"}}]}}})",
         {"umbrella", "globex"});
  // Same label constrained twice with independent related records.
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$and": [{"USER": {"name": "Alice"}}, {"USER": {"name": "Bob"}}]}})",
         {"acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"USER": {"name": "Alice"}, "TOUCHPOINT": {"channel": "call"}}})", {"acme"});
}

TEST_F(ExecutorTest, HopsAndCycles) {
  const std::string hops =
      R"({"labels": ["ACCOUNT"], "where": {"ACCOUNT": {"$relation": {"type": "REFERRED", "direction": "out", "hops": H}, "name": "Hooli"}}})";
  auto with = [&](const std::string& h) { return std::string(hops).replace(hops.find('H'), 1, h); };
  Expect(with(R"({"max": 2})"), {"umbrella", "globex"});
  Expect(with("3"), {"acme"});
  Expect(with(R"({"min": 2, "max": 3})"), {"globex", "acme"});
  const std::string ring = R"({"type": "RESELLS_TO", "direction": "out", "hops": {"max": 4}})";
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$cycle": )" + ring + "}}", {"stark", "initech", "globex"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$not": {"$cycle": )" + ring + "}}}", {"hooli", "umbrella", "acme"});
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$cycle": {"type": "RESELLS_TO", "direction": "out", "hops": {"min": 2, "max": 2}}}})",
         {});
  Expect(R"({"labels": ["USER"], "where": {"ACCOUNT": {"$cycle": )" + ring + "}}}", {"dan", "carol"});
  // Undirected 2-cycle through two parallel relationships of different types.
  Expect(R"({"labels": ["ACCOUNT"], "where": {"$cycle": {"hops": {"max": 2}}}})", {"globex", "acme"});
  // The endpoint may be the root itself.
  Expect(R"({"labels": ["ACCOUNT"], "where": {"ACCOUNT": {"$relation": {"type": "RESELLS_TO", "direction": "out",
           "hops": 3}, "name": "Globex"}}})", {"globex"});
}

TEST_F(ExecutorTest, OrderingPagingTotal) {
  Expect(R"({"labels": ["ACCOUNT"], "orderBy": {"mrr": "desc"}, "skip": 1, "limit": 2})", {"initech", "acme"}, 6);
  Expect(R"({"labels": ["ACCOUNT"], "orderBy": "asc"})", {"acme", "globex", "initech", "umbrella", "hooli", "stark"});
  Expect(R"({"labels": ["ACCOUNT"], "orderBy": {"region": "asc"}})",
         {"stark", "umbrella", "acme", "initech", "globex", "hooli"});
  Expect(R"({"labels": ["ACCOUNT"], "orderBy": {"region": "desc"}})",
         {"hooli", "initech", "globex", "umbrella", "acme", "stark"});
  Expect(R"({"labels": ["ACCOUNT"], "skip": 5, "limit": 5})", {"acme"}, 6);
  Expect(R"({"labels": ["ACCOUNT"], "skip": 10})", {}, 6);
  Expect(R"({"labels": ["ACCOUNT"], "orderBy": {"createdAt": "asc"}})",
         {"initech", "acme", "hooli", "globex", "umbrella", "stark"});
  Expect(R"({"labels": ["ACCOUNT"], "orderBy": {"plan": "asc", "mrr": "asc"}, "limit": 3})",
         {"acme", "initech", "stark"}, 6);
  Expect(R"({"labels": ["ACCOUNT"], "orderBy": {"tags": "asc"}, "limit": 2})", {"hooli", "globex"}, 6);
  Expect(R"({"labels": ["ACCOUNT", "USER"], "where": {"name": {"$startsWith": "A"}}})", {"alice", "acme"});
}

TEST_F(ExecutorTest, MetadataHelpers) {
  auto view = store_->NewReadView();
  auto labels = [&](const char* text) {
    auto q = Parse(text);
    EXPECT_TRUE(q.ok()) << q.status();
    auto r = CountLabels(*q, *view);
    EXPECT_TRUE(r.ok()) << r.status();
    return *r;
  };
  using Counts = std::vector<std::pair<std::string, uint64_t>>;
  EXPECT_EQ(labels("{}"), (Counts{{"ACCOUNT", 6}, {"FEATURE_USAGE", 5}, {"INVOICE", 7}, {"SUBSCRIPTION", 5},
                                  {"SUPPORT_TICKET", 4}, {"TOUCHPOINT", 4}, {"USER", 5}}));
  EXPECT_EQ(labels(R"({"where": {"status": "open"}})"), (Counts{{"SUPPORT_TICKET", 3}}));
  EXPECT_EQ(labels(R"({"where": {"plan": "enterprise"}})"), (Counts{{"ACCOUNT", 3}, {"SUBSCRIPTION", 2}}));
  EXPECT_EQ(labels(R"({"labels": ["USER"]})"), (Counts{{"USER", 5}}));

  auto q = Parse(R"({"where": {"status": "overdue"}})");
  ASSERT_TRUE(q.ok());
  auto names = FindPropertyNames(*q, *view);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"amount", "month", "status"}));
  auto rids = MatchingRoots(*q, *view);
  ASSERT_TRUE(rids.ok());
  EXPECT_EQ(rids->size(), 3u);
  EXPECT_TRUE(std::is_sorted(rids->begin(), rids->end()));
}

TEST_F(ExecutorTest, HopsBlocksRunBottomUpFromTheirSeek) {
  // Everything within two REFERRED hops of Hooli (any direction): the id
  // seeds a backwards path search; every forced source agrees (Find).
  const std::string q =
      R"({"labels": ["ACCOUNT"], "where": {"ACCOUNT": {"$relation": {"type": "REFERRED", "hops": {"max": 2}},
          "$id": "@hooli"}}})";
  Names got = Find(q);
  EXPECT_GT(got.total, 0u);
  auto view = store_->NewReadView();
  auto parsed = Parse(q);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  auto explained = ExplainQuery(*parsed, *view, true);
  ASSERT_TRUE(explained.ok()) << explained.status();
  const std::string text = (*explained)["text"];
  EXPECT_NE(text.find("SemiJoin(/where/ACCOUNT, bottom-up)"), std::string::npos) << text;
  EXPECT_NE(text.find("<IdLookup("), std::string::npos) << text;
  // A bottom-up path search over the budget falls back to the roots' scan,
  // which then meets the same budget in the Filter.
  ExecOptions tight;
  tight.max_traversal_steps = 1;
  tight.force_source = plan::SourceChoice::kSemiJoin;
  auto t = Execute(*parsed, *view, tight);
  EXPECT_EQ(GetErrorCode(t.status()), ErrorCode::kTimeout) << t.status();
}

TEST_F(ExecutorTest, ExplainShowsTheChosenPlanAndActualRows) {
  auto view = store_->NewReadView();
  auto q = Parse(R"({"labels": ["ACCOUNT"], "where": {"plan": "enterprise",
      "SUBSCRIPTION": {"INVOICE": {"status": "overdue"}}}, "limit": 1})");
  ASSERT_TRUE(q.ok());
  auto plain = ExplainQuery(*q, *view, false);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ((*plain)["text"].get<std::string>().rfind("Limit(1)<Sort(__id desc, rid order)<Filter(/where)<", 0), 0u)
      << (*plain)["text"];
  EXPECT_FALSE((*plain)["plan"]["root"].contains("actualRows"));
  auto analyzed = ExplainQuery(*q, *view, true);
  ASSERT_TRUE(analyzed.ok()) << analyzed.status();
  EXPECT_EQ((*analyzed)["plan"]["root"]["actualRows"], 1);
  EXPECT_EQ((*analyzed)["plan"]["root"]["input"]["actualRows"], 2);  // Sort sees both matches
  EXPECT_NE((*analyzed)["text"].get<std::string>().find("rows=2"), std::string::npos) << (*analyzed)["text"];

  ExecOptions bottom_up;
  bottom_up.force_source = plan::SourceChoice::kSemiJoin;
  auto forced = ExplainQuery(*q, *view, true, bottom_up);
  ASSERT_TRUE(forced.ok());
  EXPECT_NE((*forced)["text"].get<std::string>().find("SemiJoin(/where/SUBSCRIPTION, bottom-up)"), std::string::npos)
      << (*forced)["text"];
}

// Index accesses are estimated by counting the index (exact below the dive
// limit), not by a fixed share of the label.
TEST_F(ExecutorTest, IndexAccessEstimatesAreTheCountedRows) {
  auto view = store_->NewReadView();
  for (const char* text : {R"({"labels": ["INVOICE"], "where": {"status": "overdue"}})",
                           R"({"labels": ["INVOICE"], "where": {"status": "paid"}})",
                           R"({"labels": ["INVOICE"], "where": {"status": "void"}})"}) {
    auto q = Parse(text);
    ASSERT_TRUE(q.ok()) << q.status();
    ExecOptions index;
    index.force_source = plan::SourceChoice::kIndex;
    auto analyzed = ExplainQuery(*q, *view, true, index);
    ASSERT_TRUE(analyzed.ok()) << analyzed.status();
    const Json* node = &(*analyzed)["plan"]["root"];
    while (node->contains("input")) node = &(*node)["input"];
    EXPECT_EQ((*node)["op"], "IndexScan") << text;
    EXPECT_EQ((*node)["estimatedRows"], (*node)["actualRows"]) << text;
  }
}

TEST_F(ExecutorTest, SelectRunsAndPathSearchesAreBudgeted) {
  auto view = store_->NewReadView();
  auto q = Parse(R"({"labels": ["ACCOUNT"], "select": {"n": "$record.name"}, "limit": 1})");
  ASSERT_TRUE(q.ok()) << q.status();
  auto r = Execute(*q, *view);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->data.size(), 1u);
  EXPECT_EQ(r->data[0]["n"], r->data[0]["name"]);

  auto h = Parse(R"({"where": {"ACCOUNT": {"$relation": {"hops": {"max": 10}}}}})");
  ASSERT_TRUE(h.ok()) << h.status();
  ExecOptions tight;
  tight.max_traversal_steps = 50;
  auto t = Execute(*h, *view, tight);
  EXPECT_EQ(GetErrorCode(t.status()), ErrorCode::kTimeout) << t.status();
  EXPECT_TRUE(Execute(*h, *view).ok());
}


// The operator tree of every mode, as explain renders it (top first).
TEST_F(ExecutorTest, PlanShapesOfEveryMode) {
  auto view = store_->NewReadView();
  auto shape = [&](const std::string& text) {
    auto q = Parse(text);
    EXPECT_TRUE(q.ok()) << q.status();
    if (!q.ok()) return std::string();
    auto explained = ExplainQuery(*q, *view, false);
    EXPECT_TRUE(explained.ok()) << explained.status();
    return explained.ok() ? (*explained)["text"].get<std::string>() : std::string();
  };
  EXPECT_EQ(shape(R"({"labels": ["INVOICE"]})"), "Limit(100)<Sort(__id desc, rid order)<LabelScan(INVOICE)");
  // Flat select, early ordering: roots are paged, then projected.
  EXPECT_EQ(shape(R"({"labels": ["INVOICE"], "select": {"a": "$record.amount"}, "limit": 2})"),
            "Project(a=$record.amount)<Limit(2)<Sort(__id desc, rid order)<LabelScan(INVOICE)");
  // Flat select, late ordering (one computed key): every root, then the rows.
  EXPECT_EQ(shape(R"({"labels": ["ACCOUNT"], "where": {"USER": {"$alias": "$u"}},
                     "select": {"users": {"$count": "$u"}}, "orderBy": {"users": "desc"}, "limit": 2})"),
            "LimitRows(2)<SortRows(users desc)<Project(users=$count($u))<Sort(__id desc)<Filter(/where)<"
            "SemiJoin(/where/USER, bottom-up)<LabelScan(USER)");
  // Two orderBy keys never order late (§8.4).
  EXPECT_EQ(shape(R"({"labels": ["INVOICE"], "select": {"t": {"$sum": "$record.amount"}},
                     "orderBy": {"t": "desc", "month": "asc"}})")
                .rfind("Project(", 0),
            0u);
  // Grouped: every root aggregated (D23), then the groups sorted and paged.
  EXPECT_EQ(shape(R"({"labels": ["INVOICE"], "select": {"n": {"$count": "*"}}, "groupBy": ["$record.status"],
                     "orderBy": {"n": "desc"}, "limit": 1})"),
            "LimitRows(1)<SortRows(n desc)<Aggregate(by status: n=$count(*))<Sort(__id desc)<LabelScan(INVOICE)");
  EXPECT_EQ(shape(R"({"labels": ["INVOICE"], "select": {"n": {"$count": "*"}}, "groupBy": ["n"]})"),
            "LimitRows(100)<Aggregate(by n: n=$count(*))<Sort(__id desc)<LabelScan(INVOICE)");
}

TEST_F(ExecutorTest, ExplainAnalyzeShowsRowsAndTimeOfEveryOperator) {
  auto view = store_->NewReadView();
  auto q = Parse(R"({"labels": ["INVOICE"], "select": {"n": {"$count": "*"}}, "groupBy": ["$record.status"]})");
  ASSERT_TRUE(q.ok()) << q.status();
  auto analyzed = ExplainQuery(*q, *view, true);
  ASSERT_TRUE(analyzed.ok()) << analyzed.status();
  const Json& root = (*analyzed)["plan"]["root"];
  EXPECT_EQ(root["op"], "LimitRows");
  EXPECT_EQ(root["actualRows"], 2);                      // paid, overdue
  EXPECT_EQ(root["input"]["op"], "Aggregate");
  EXPECT_EQ(root["input"]["input"]["actualRows"], 7);    // the Sort saw every invoice
  for (const Json* node = &root; node != nullptr; node = node->contains("input") ? &(*node)["input"] : nullptr) {
    EXPECT_TRUE(node->contains("timeMs")) << node->dump();
  }
  const std::string text = (*analyzed)["text"];
  EXPECT_NE(text.find("Aggregate(by status: n=$count(*))[est="), std::string::npos) << text;
  EXPECT_NE(text.find(", rows=2, time="), std::string::npos) << text;
}

// Row multiplicity (§6.7, E23): $sum sees a root once per binding row,
// $count: "*" counts it once, and total counts roots, not groups.
TEST_F(ExecutorTest, AggregatesSeeBindingRowsWithTheirMultiplicity) {
  auto view = store_->NewReadView();
  auto q = Parse(R"({"labels": ["ACCOUNT"], "where": {"USER": {"$alias": "$user"}},
      "select": {"mrrSum": {"$sum": "$record.mrr"}, "accounts": {"$count": "*"}, "users": {"$count": "$user"},
                 "roles": {"$count": "$user.role"}},
      "groupBy": ["mrrSum", "accounts", "users", "roles"]})");
  ASSERT_TRUE(q.ok()) << q.status();
  auto r = Execute(*q, *view);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->data, Json::parse(R"([{"mrrSum": 5350, "accounts": 4, "users": 5, "roles": 2}])"));
  EXPECT_EQ(r->total, 4u);

  // Dimensional: two groups, still four matching roots.
  auto d = Parse(R"({"labels": ["ACCOUNT"], "where": {"USER": {"$alias": "$user"}},
      "select": {"accounts": {"$count": "*"}, "mrrSum": {"$sum": "$record.mrr"}},
      "groupBy": ["$user.role"], "orderBy": {"accounts": "desc"}})");
  ASSERT_TRUE(d.ok()) << d.status();
  auto g = Execute(*d, *view);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->data, Json::parse(R"([{"accounts": 3, "mrrSum": 2150, "role": "admin"},
                                    {"accounts": 2, "mrrSum": 3200, "role": "member"}])"));
  EXPECT_EQ(g->total, 4u);
}

// Forced sources give the same select answers (the semi-join hands its
// seeked block's records to row enumeration as a binding set).
TEST_F(ExecutorTest, SelectAnswersDoNotDependOnThePlan) {
  auto view = store_->NewReadView();
  auto q = Parse(R"({"labels": ["ACCOUNT"], "where": {"SUBSCRIPTION": {"$alias": "$s", "status": "active",
      "INVOICE": {"$alias": "$i"}}},
      "select": {"billed": {"$sum": "$i.amount"}, "seats": {"$sum": "$s.seats"}, "n": {"$count": "*"}},
      "groupBy": ["$record.region"], "orderBy": {"billed": "desc"}})");
  ASSERT_TRUE(q.ok()) << q.status();
  Json first;
  for (auto source : {plan::SourceChoice::kAuto, plan::SourceChoice::kScan, plan::SourceChoice::kIndex,
                      plan::SourceChoice::kSemiJoin}) {
    ExecOptions options;
    options.force_source = source;
    auto r = Execute(*q, *view, options);
    ASSERT_TRUE(r.ok()) << r.status();
    if (first.is_null()) first = r->data;
    EXPECT_EQ(r->data, first) << PlanFor(*q, *view, options).ToText();
  }
  // US: globex (800 + 800 billed, 10 seats x 2 invoice rows) and initech's
  // active subscription (2000, 40 seats); EU: acme (3 x 1200, 25 x 3). The
  // tie on billed keeps the order of first appearance by __id desc (D6):
  // Initech (US) comes before Acme (EU).
  EXPECT_EQ(first, Json::parse(R"([{"billed": 3600, "seats": 60, "n": 2, "region": "US"},
                                   {"billed": 3600, "seats": 75, "n": 1, "region": "EU"}])"));
}

TEST_F(ExecutorTest, SelectBudgetsAndTypeErrorsFailCleanly) {
  auto view = store_->NewReadView();
  auto rows = Parse(R"({"labels": ["ACCOUNT"], "where": {"USER": {"$alias": "$u"}, "SUBSCRIPTION": {}},
      "select": {"n": {"$sum": 1}}, "groupBy": ["n"]})");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ExecOptions tight;
  tight.max_rows_per_root = 1;  // Acme has two users x one subscription
  auto r = Execute(*rows, *view, tight);
  EXPECT_EQ(GetErrorCode(r.status()), ErrorCode::kResourceExhausted) << r.status();
  ExecOptions small;
  small.max_memory_bytes = 64;
  auto m = Execute(*Parse(R"({"labels": ["INVOICE"], "select": {"n": {"$count": "*"}}, "groupBy": ["$record.month"]})"),
                   *view, small);
  EXPECT_EQ(GetErrorCode(m.status()), ErrorCode::kResourceExhausted) << m.status();
  EXPECT_TRUE(Execute(*rows, *view).ok());

  auto sum = Parse(R"({"labels": ["INVOICE"], "select": {"s": {"$sum": "$record.status"}}, "groupBy": ["s"]})");
  ASSERT_TRUE(sum.ok()) << sum.status();
  auto t = Execute(*sum, *view);
  EXPECT_EQ(GetErrorCode(t.status()), ErrorCode::kTypeError) << t.status();
  EXPECT_EQ(ErrorPath(t.status()), std::optional<std::string>("/select/s"));
}

}  // namespace
}  // namespace loom::query::exec

namespace loom::query::exec {
namespace {

// A run stops when the interrupt counter moves after it started, or past its
// deadline; an interrupt before the start does not stop it.
TEST(StopCheckTest, InterruptsAfterTheStartAndTheDeadlineStopARun) {
  std::atomic<uint64_t> interrupts{5};  // earlier interrupts: not this run's
  StopCheck check(&interrupts, /*timeout_ms=*/0);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(check.Check().ok());
  interrupts.fetch_add(1);
  absl::Status stopped;
  for (int i = 0; i < 256 && stopped.ok(); ++i) stopped = check.Check();
  EXPECT_EQ(GetErrorCode(stopped), ErrorCode::kInterrupted);

  StopCheck late(nullptr, /*timeout_ms=*/1);
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  absl::Status timed_out;
  for (int i = 0; i < 256 && timed_out.ok(); ++i) timed_out = late.Check();
  EXPECT_EQ(GetErrorCode(timed_out), ErrorCode::kTimeout);

  StopCheck never(nullptr, 0);
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(never.Check().ok());
}

}  // namespace
}  // namespace loom::query::exec
