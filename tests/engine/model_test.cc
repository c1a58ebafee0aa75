// Model-based test: random operation sequences run against the engine and
// against a plain in-memory model of the spec rules (records in a map, edges in
// a multiset), compared after every step; loom::Check must stay ok.
#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/database_impl.h"
#include "gtest/gtest.h"
#include "tests/engine/db_fixture.h"

namespace loom {
namespace {

using testing::Ok;

struct ModelRecord {
  std::optional<std::string> label;
  std::vector<std::pair<std::string, std::pair<std::string, Json>>> props;  // name -> (type, value)

  Json ToJson(const std::string& id) const {
    Json out;
    out["__id"] = id;
    if (label) out["__label"] = *label;
    Json types = Json::object();
    for (const auto& [name, tv] : props) types[name] = tv.first;
    out["__proptypes"] = types;
    for (const auto& [name, tv] : props) out[name] = tv.second;
    return out;
  }
  const std::pair<std::string, Json>* Find(const std::string& name) const {
    for (const auto& p : props) {
      if (p.first == name) return &p.second;
    }
    return nullptr;
  }
  void Put(const std::string& name, std::pair<std::string, Json> tv) {
    for (auto& p : props) {
      if (p.first == name) {
        p.second = std::move(tv);
        return;
      }
    }
    props.push_back({name, std::move(tv)});
  }
};

using Edge = std::tuple<std::string, std::string, std::string>;  // start, end, type

class Model {
 public:
  std::map<std::string, ModelRecord> records;
  std::multiset<Edge> edges;

  void DeleteRecord(const std::string& id) {
    records.erase(id);
    for (auto it = edges.begin(); it != edges.end();) {
      it = (std::get<0>(*it) == id || std::get<1>(*it) == id) ? edges.erase(it) : std::next(it);
    }
  }
};

std::string InferType(const Json& v) {
  const Json& e = v.is_array() ? (v.empty() ? Json("") : v[0]) : v;
  if (e.is_boolean()) return "boolean";
  if (e.is_number()) return "number";
  const std::string s = e.get<std::string>();
  return (s == "2024-01-01" || s == "2024-01-02") ? "datetime" : "string";
}

class ModelTest : public testing::DbTest {
 protected:
  std::mt19937 rng_;
  Model model_;
  std::string tx_;  // the explicit transaction the steps run in, if any

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  Json RandomValue() {
    switch (Pick(6)) {
      case 0: return Pick(4);
      case 1: return Pick(2) ? "x" : "y";
      case 2: return Pick(2) == 1;
      case 3: return Pick(2) ? "2024-01-01" : "2024-01-02";
      case 4: return Json::array({Pick(2) ? "x" : "y", "z"});
      default: return Pick(3);
    }
  }
  Json RandomData(bool allow_null) {
    static const char* kNames[] = {"a", "b", "c", "d"};
    Json data = Json::object();
    const int n = Pick(4);
    for (int i = 0; i < n; ++i) {
      std::string name = kNames[Pick(4)];
      data[name] = (allow_null && Pick(5) == 0) ? Json() : RandomValue();
    }
    return data;
  }
  std::optional<std::string> RandomLabel() {
    static const char* kLabels[] = {"A", "B", "C"};
    const int i = Pick(4);
    if (i == 3) return std::nullopt;
    return std::string(kLabels[i]);
  }
  // An existing id, or now and then a missing one.
  std::string RandomTarget() {
    if (model_.records.empty() || (tx_.empty() && Pick(10) == 0)) return "00000000-0000-7000-8000-000000000000";
    auto it = model_.records.begin();
    std::advance(it, Pick(static_cast<int>(model_.records.size())));
    return it->first;
  }
  static std::vector<std::pair<std::string, std::pair<std::string, Json>>> Typed(const Json& data) {
    std::vector<std::pair<std::string, std::pair<std::string, Json>>> out;
    for (const auto& [k, v] : data.items()) {
      if (v.is_null()) continue;
      out.push_back({k, {InferType(v), v}});
    }
    return out;
  }

  void Step() {
    const int op = Pick(9);
    if (op <= 1) {  // create
      auto label = RandomLabel();
      Json data = RandomData(false);
      Json args = {{"data", data}};
      if (label) args["label"] = *label;
      Json r = Ok(db_->records().Create(args, tx_));
      ModelRecord m{label, Typed(data)};
      ASSERT_EQ(model_.records.count(r["__id"]), 0u);
      model_.records[r["__id"]] = m;
    } else if (op == 2 || op == 3) {  // set / update
      const bool is_set = op == 2;
      std::string id = RandomTarget();
      auto label = Pick(3) == 0 ? RandomLabel() : std::nullopt;
      Json data = RandomData(!is_set);
      Json args = {{"target", id}, {"data", data}};
      if (label) args["label"] = *label;
      if (!tx_.empty() && !model_.records.count(id)) return;  // NOT_FOUND would end the transaction
      auto result = is_set ? db_->records().Set(args, tx_) : db_->records().Update(args, tx_);
      auto it = model_.records.find(id);
      if (it == model_.records.end()) {
        ASSERT_EQ(GetErrorCode(result.status()), ErrorCode::kNotFound) << result.status();
        return;
      }
      ASSERT_TRUE(result.ok()) << result.status();
      if (is_set) it->second.props.clear();
      for (auto& [name, tv] : Typed(data)) it->second.Put(name, tv);
      if (label) it->second.label = label;
    } else if (op == 4) {  // deleteById
      std::vector<std::string> ids;
      for (int i = Pick(3); i >= 0; --i) ids.push_back(RandomTarget());
      Json arg = ids.size() == 1 ? Json(ids[0]) : Json(ids);
      Ok(db_->records().DeleteById(arg, tx_));
      for (const std::string& id : ids) model_.DeleteRecord(id);
    } else if (op == 5 || op == 6) {  // attach
      std::string src = RandomTarget();
      std::vector<std::string> targets;
      for (int i = Pick(2); i >= 0; --i) targets.push_back(RandomTarget());
      const std::string type = Pick(2) ? "T" : "U";
      const bool in = Pick(3) == 0;
      // A missing endpoint fails the call and changes nothing (inside a
      // transaction the failure would end it, so it is not tried there).
      bool all_exist = model_.records.count(src) > 0;
      for (const std::string& t : targets) all_exist = all_exist && model_.records.count(t) > 0;
      if (!all_exist && !tx_.empty()) return;
      auto attached = db_->records().Attach({{"source", src}, {"target", targets},
                                             {"options", {{"type", type}, {"direction", in ? "in" : "OUT"}}}},
                                            tx_);
      if (!all_exist) {
        EXPECT_EQ(GetErrorCode(attached.status()), ErrorCode::kNotFound) << attached.status();
        return;
      }
      Ok(attached);
      for (const std::string& t : targets) {
        if (!model_.records.count(t)) continue;
        model_.edges.erase(Edge{src, t, type});
        model_.edges.erase(Edge{t, src, type});
        model_.edges.insert(in ? Edge{t, src, type} : Edge{src, t, type});
      }
    } else if (op == 7) {  // detach
      std::string src = RandomTarget();
      std::string t = RandomTarget();
      Json options = Json::object();
      std::set<std::string> types;
      const int tsel = Pick(3);
      if (tsel == 1) {
        options["typeOrTypes"] = "T";
        types = {"T"};
      } else if (tsel == 2) {
        options["typeOrTypes"] = {"U", "T"};
        types = {"U", "T"};
      }
      const int dsel = Pick(3);
      if (dsel == 1) options["direction"] = "out";
      if (dsel == 2) options["direction"] = "in";
      Ok(db_->records().Detach({{"source", src}, {"target", t}, {"options", options}}, tx_));
      if (!model_.records.count(src) || !model_.records.count(t)) return;
      for (auto it = model_.edges.begin(); it != model_.edges.end();) {
        const auto& [s, e, type] = *it;
        const bool type_ok = types.empty() || types.count(type);
        const bool out_match = s == src && e == t;
        const bool in_match = s == t && e == src;
        const bool dir_ok = dsel == 0 ? (out_match || in_match) : dsel == 1 ? out_match : in_match;
        it = (type_ok && dir_ok) ? model_.edges.erase(it) : std::next(it);
      }
    } else {  // upsert
      auto label = RandomLabel();
      Json data = RandomData(false);
      std::vector<std::string> merge_by;
      if (Pick(2) && !data.empty()) merge_by.push_back(data.begin().key());
      const bool rewrite = Pick(3) == 0;
      Json args = {{"data", data}, {"options", {{"mergeBy", merge_by}}}};
      if (rewrite) args["options"]["mergeStrategy"] = "rewrite";
      if (label) args["label"] = *label;
      Json r = Ok(db_->records().Upsert(args, tx_));
      auto incoming = Typed(data);
      std::vector<std::string> keys = merge_by;
      if (keys.empty()) {
        for (const auto& p : incoming) keys.push_back(p.first);
      }
      std::vector<std::string> candidates;
      for (const auto& [id, rec] : model_.records) {
        if (label && rec.label != label) continue;
        bool match = true;
        for (const std::string& k : keys) {
          ModelRecord in_rec{std::nullopt, incoming};
          const auto* want = in_rec.Find(k);
          const auto* have = rec.Find(k);
          if (want == nullptr || have == nullptr || have->first != want->first || have->second != want->second) {
            match = false;
            break;
          }
        }
        if (match) candidates.push_back(id);
      }
      if (candidates.empty()) {
        ASSERT_EQ(model_.records.count(r["__id"]), 0u);
        model_.records[r["__id"]] = ModelRecord{label, incoming};
        return;
      }
      ASSERT_EQ(r["__id"], candidates.front());  // std::map: smallest id first
      for (const std::string& id : candidates) {
        ModelRecord& rec = model_.records[id];
        if (rewrite) rec.props.clear();
        for (const auto& [name, tv] : incoming) rec.Put(name, tv);
        if (label) rec.label = label;
      }
    }
  }

  void Compare() {
    // Records.
    Json ids = Json::array();
    for (const auto& [id, rec] : model_.records) ids.push_back(id);
    Json found = Ok(db_->records().FindById(ids, tx_));
    ASSERT_EQ(found["total"], model_.records.size());
    size_t i = 0;
    for (const auto& [id, rec] : model_.records) ASSERT_EQ(found["data"][i++], rec.ToJson(id));
    // Labels.
    std::map<std::string, int> labels;
    for (const auto& [id, rec] : model_.records) {
      if (rec.label) ++labels[*rec.label];
    }
    Json want_labels = Json::object();
    for (const auto& [l, n] : labels) want_labels[l] = n;
    ASSERT_EQ(Ok(db_->labels().Find({}, tx_)), want_labels);
    // Properties.
    std::map<std::pair<std::string, std::string>, int> props;
    for (const auto& [id, rec] : model_.records) {
      for (const auto& [name, tv] : rec.props) ++props[{name, tv.first}];
    }
    Json got = Ok(db_->properties().Find({}, tx_));
    Json want = Json::array();
    for (const auto& [key, n] : props) want.push_back({{"name", key.first}, {"type", key.second}, {"recordsCount", n}});
    for (Json& p : got) {
      p.erase("id");
      p.erase("metadata");
    }
    ASSERT_EQ(got, want);
    // Edges (white box: scan the committed adjacency).
    if (!tx_.empty()) return;
    std::multiset<Edge> edges;
    auto view = db_->impl()->store().NewReadView();
    const auto& dicts = view->dictionaries();
    ASSERT_TRUE(view->ScanEdges([&](const storage::EdgeRef& e) {
                      storage::NameId label;
                      std::string start, end;
                      EXPECT_TRUE(*view->GetRecordHeader(e.self, &label, &start));
                      EXPECT_TRUE(*view->GetRecordHeader(e.nbr, &label, &end));
                      edges.insert({start, end, dicts.rel_types.Name(e.type)});
                      return true;
                    }).ok());
    ASSERT_EQ(edges, model_.edges);
  }
};

TEST_F(ModelTest, RandomSequencesAgreeWithTheModel) {
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    rng_.seed(seed);
    for (int step = 0; step < 500; ++step) {
      SCOPED_TRACE("step " + std::to_string(step));
      if (step % 25 == 0 && Pick(2) == 0) {
        // A few steps inside an explicit transaction, then commit or roll back.
        const Model before = model_;
        tx_ = Ok(db_->tx().Begin())["id"].get<std::string>();
        for (int i = 0; i < 5; ++i) {
          Step();
          if (HasFatalFailure()) return;
          Compare();
          if (HasFatalFailure()) return;
        }
        const bool commit = Pick(2) == 0;
        if (commit) {
          Ok(db_->tx().Commit(tx_));
        } else {
          Ok(db_->tx().Rollback(tx_));
          model_ = before;
        }
        tx_.clear();
      }
      Step();
      if (HasFatalFailure()) return;
      Compare();
      if (HasFatalFailure()) return;
    }
    Json check = Ok(Check(*db_));
    ASSERT_EQ(check["ok"], true) << check.dump();
    ASSERT_EQ(check["relationships"], model_.edges.size());
    Reopen();
    Compare();
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace loom
