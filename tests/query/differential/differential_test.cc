// Differential test (RELIABILITY.md T7): random small graphs x random bounded
// SearchQueries, run through loom (records.find, and the executor under every
// forced candidate source) and through the naive reference evaluator; `data`
// ids (in order) and `total` must be identical. Also the partition oracle
// (T7b): for a field predicate P, P and {$not: P} are disjoint and together
// with the records where P is UNKNOWN (per the reference) cover everything.
//
// Every graph is built twice from one generated script: through the public
// API and directly as a RefGraph (ids mapped by creation order); the records
// loom stores must equal the ones the script describes. Deterministic: fixed
// seeds; a failure prints the seed, graph number and query.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/database_impl.h"
#include "gtest/gtest.h"
#include "loom/database.h"
#include "loom/status.h"
#include "query/exec/executor.h"
#include "query/parse/parser.h"
#include "tests/query/cases/case_files.h"
#include "tests/query/reference/reference_evaluator.h"
#include "tests/testing/temp_dir.h"

namespace loom::reference {
namespace {

constexpr int kGraphs = 50;
constexpr int kQueriesPerGraph = 150;
constexpr int kMaxDetailedFailures = 15;

const char* const kLabels[] = {"A", "B", "C", "D"};
const char* const kTypes[] = {"R", "S", "T"};
const char* const kFields[] = {"p", "q", "r", "s"};
// Plain strings: none of them is a datetime.
const char* const kStrings[] = {"x", "y", "X", "ab", "abc", "Ab", "b", "10", "true", "é"};
const char* const kDatetimes[] = {"2024-01-15", "2024-01-15T00:00:00Z", "2024-06-30T12:30:00+02:00",
                                  "2025-03-01T08:00:00.5Z", "2023-12-31"};
const char* const kSubstrings[] = {"a", "A", "b", "x", "ab", "2024", "01", "", "zz"};

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen_); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(gen_) < p; }
  template <typename T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[Int(0, N - 1)];
  }

 private:
  std::mt19937_64 gen_;
};

// ---------------------------------------------------------------- graphs

struct GeneratedGraph {
  Json script = Json::array();  // {"call", "params", "name"?}
  Json records = Json::array();  // expected stored records, ids "@i"
  std::vector<RefGraph::Edge> edges;  // "@i" names
};

// A value for `records.create` and its expected stored JSON + type.
void RandomValue(Rng& rng, Json* input, std::string* type) {
  switch (rng.Int(0, 7)) {
    case 0:
    case 1: {
      double n = rng.Chance(0.8) ? rng.Int(-3, 6) : rng.Int(-6, 12) / 2.0;
      *input = n;
      *type = "number";
      return;
    }
    case 2:
      *input = std::string(rng.Pick(kStrings));
      *type = "string";
      return;
    case 3:
      *input = rng.Chance(0.5);
      *type = "boolean";
      return;
    case 4:
      *input = std::string(rng.Pick(kDatetimes));
      *type = "datetime";
      return;
    case 5: {
      Json a = Json::array();
      int n = rng.Int(1, 3);
      for (int i = 0; i < n; ++i) a.push_back(std::string(rng.Pick(kStrings)));
      *input = a;
      *type = "string";
      return;
    }
    case 6: {
      Json a = Json::array();
      int n = rng.Int(0, 3);
      for (int i = 0; i < n; ++i) a.push_back(rng.Int(-2, 5));
      *input = a;
      *type = n == 0 ? "string" : "number";  // [] is typed string
      return;
    }
    default: {
      Json a = Json::array();
      int n = rng.Int(1, 2);
      for (int i = 0; i < n; ++i) a.push_back(rng.Chance(0.5));
      *input = a;
      *type = "boolean";
      return;
    }
  }
}

// Sizes of a random graph: records in [min_records, max_records], up to
// edges_per_record * records relationships (at most 150).
struct GraphShape {
  int min_records = 6;
  int max_records = 40;
  int edges_per_record = 3;
};

GeneratedGraph RandomGraph(Rng& rng, const GraphShape& shape = {}) {
  GeneratedGraph g;
  int n = rng.Int(shape.min_records, shape.max_records);
  int nlabels = rng.Int(3, 4);
  for (int i = 0; i < n; ++i) {
    std::string name = "@" + std::to_string(i);
    Json data = Json::object();
    Json types = Json::object();
    for (const char* f : kFields) {
      if (!rng.Chance(0.65)) continue;
      Json v;
      std::string t;
      RandomValue(rng, &v, &t);
      data[f] = v;
      types[f] = t;
    }
    Json params = {{"data", data}};
    Json rec = {{"__id", name}};
    if (rng.Chance(0.93)) {
      std::string label = kLabels[rng.Int(0, nlabels - 1)];
      params["label"] = label;
      rec["__label"] = label;
    }
    rec["__proptypes"] = types;
    for (const auto& [k, v] : data.items()) rec[k] = v;
    g.script.push_back({{"call", "records.create"}, {"params", params}, {"name", name}});
    g.records.push_back(rec);
  }
  int ntypes = rng.Int(2, 3);
  int nedges = std::min(150, rng.Int(n / 2, shape.edges_per_record * n));
  for (int i = 0; i < nedges; ++i) {
    std::string s = "@" + std::to_string(rng.Int(0, n - 1));
    std::string t = rng.Chance(0.08) ? s : "@" + std::to_string(rng.Int(0, n - 1));
    std::string type = kTypes[rng.Int(0, ntypes - 1)];
    bool in = rng.Chance(0.3);
    // attach: removes every edge of that type between the pair (either
    // direction), then creates one (data-model §6.5).
    std::erase_if(g.edges, [&](const RefGraph::Edge& e) {
      return e.type == type && ((e.start == s && e.end == t) || (e.start == t && e.end == s));
    });
    g.edges.push_back({s, t, type});
    Json params = {{"source", in ? t : s},
                   {"target", in ? s : t},
                   {"options", {{"type", type}, {"direction", in ? "in" : "out"}}}};
    g.script.push_back({{"call", "records.attach"}, {"params", params}});
  }
  return g;
}

// ---------------------------------------------------------------- queries

class QueryGen {
 public:
  QueryGen(Rng& rng, const std::vector<std::string>& ids, int max_hops = 3)
      : rng_(rng), ids_(ids), max_hops_(max_hops) {}

  Json Query() {
    Json q = Json::object();
    if (rng_.Chance(0.5)) {
      Json labels = Json::array();
      int n = rng_.Int(1, 2);
      for (int i = 0; i < n; ++i) labels.push_back(rng_.Chance(0.1) ? "Z" : rng_.Pick(kLabels));
      q["labels"] = labels;
    }
    if (rng_.Chance(0.9)) q["where"] = Where(0, rng_.Chance(0.2) ? 3 : rng_.Int(1, 2));
    switch (rng_.Int(0, 4)) {
      case 0:
        break;
      case 1:
        q["orderBy"] = rng_.Chance(0.5) ? "asc" : "desc";
        break;
      default: {
        Json o = Json::object();
        int n = rng_.Int(1, 2);
        for (int i = 0; i < n; ++i) {
          o[rng_.Chance(0.2) ? "__id" : rng_.Pick(kFields)] = rng_.Chance(0.5) ? "asc" : "desc";
        }
        q["orderBy"] = o;
      }
    }
    if (rng_.Chance(0.4)) q["skip"] = rng_.Int(0, 5);
    if (rng_.Chance(0.5)) q["limit"] = rng_.Int(1, 8);
    if (rng_.Chance(0.08) && !ids_.empty()) q["id"] = ids_[rng_.Int(0, ids_.size() - 1)];
    return q;
  }

  // A random select query (§11-§13): aggregates over the root and over
  // aliased blocks, flat or grouped (dimensional, self-group, mixed),
  // ordered by a select key or a root field, paged.
  Json AggregateQuery() {
    Json q = Json::object();
    if (rng_.Chance(0.7)) q["labels"] = Json::array({rng_.Pick(kLabels)});
    Json where = rng_.Chance(0.3) ? Where(0, 1) : Json::object();
    std::vector<std::string> aliases = {"$record"};
    if (rng_.Chance(0.75)) {
      Json block = Json::object();
      block["$alias"] = "$a";
      if (rng_.Chance(0.7)) block["$relation"] = Relation();
      if (rng_.Chance(0.4)) block[FieldName()] = Criteria(1);
      aliases.push_back("$a");
      if (rng_.Chance(0.3)) {
        Json inner = {{"$alias", "$b"}};
        if (rng_.Chance(0.5)) inner["$relation"] = Relation();
        block[rng_.Pick(kLabels)] = inner;
        aliases.push_back("$b");
      }
      where[rng_.Pick(kLabels)] = block;
    }
    if (!where.empty()) q["where"] = where;
    auto field = [&] { return aliases[rng_.Int(0, aliases.size() - 1)] + "." + FieldName(); };
    Json select = Json::object();
    std::vector<std::string> computed;  // keys that are not plain refs
    const int n = rng_.Int(1, 3);
    for (int i = 0; i < n; ++i) {
      const std::string key = "k" + std::to_string(i);
      Json e;
      switch (rng_.Int(0, 10)) {
        case 0: e = {{"$sum", field()}}; break;
        case 1: e = {{"$count", "*"}}; break;
        case 2: e = {{"$count", rng_.Chance(0.5) ? aliases.back() : field()}}; break;
        case 3: e = {{rng_.Chance(0.5) ? "$min" : "$max", field()}}; break;
        case 4:
          e = {{"$avg", field()}};
          if (rng_.Chance(0.5)) e["$precision"] = rng_.Int(0, 2);
          break;
        case 5: e = field(); break;
        case 6: {
          static const char* const kUnits[] = {"day", "week", "month", "quarter", "year"};
          e = {{"$timeBucket", {{"field", field()}, {"unit", rng_.Pick(kUnits)}}}};
          break;
        }
        case 7: {
          const std::string from = aliases[rng_.Int(0, aliases.size() - 1)];
          Json c = {{"from", from}, {"select", {{"v", from + "." + FieldName()}}}};
          if (rng_.Chance(0.5)) c["orderBy"] = {{"v", rng_.Chance(0.5) ? "asc" : "desc"}};
          if (rng_.Chance(0.5)) c["limit"] = rng_.Int(1, 3);
          if (rng_.Chance(0.3)) c["unique"] = false;
          e = {{"$collect", c}};
          break;
        }
        case 8:
          e = i > 0 ? Json{{"$add", Json::array({Json{{"$ref", "k0"}}, rng_.Int(0, 3)})}}
                    : Json{{"$sum", rng_.Int(1, 2)}};
          break;
        case 9: e = {{"$multiply", Json::array({field(), 2})}}; break;
        default: e = {{"$divide", Json::array({Json{{"$count", "*"}}, rng_.Int(1, 3)})}}; break;
      }
      if (!e.is_string()) computed.push_back(key);
      select[key] = e;
    }
    q["select"] = select;
    const int mode = rng_.Int(0, 4);
    if (mode == 1 || mode == 2) {
      Json g = Json::array({field()});
      if (mode == 2 && !computed.empty()) g.push_back(computed[0]);
      q["groupBy"] = g;
    } else if (mode == 3 && !computed.empty()) {
      q["groupBy"] = computed;  // self-group
    }
    if (rng_.Chance(0.6)) {
      const std::string key = rng_.Chance(0.7) ? "k" + std::to_string(rng_.Int(0, n - 1)) : FieldName();
      q["orderBy"] = {{key, rng_.Chance(0.5) ? "asc" : "desc"}};
    }
    if (rng_.Chance(0.4)) q["skip"] = rng_.Int(0, 3);
    if (rng_.Chance(0.5)) q["limit"] = rng_.Int(1, 5);
    return q;
  }

  // A criteria value for one field (§3 rules 6-8).
  Json Criteria(int depth) {
    int k = rng_.Int(0, depth >= 2 ? 8 : 10);
    switch (k) {
      case 0:
        return Primitive();
      case 1:
        return rng_.Chance(0.2) ? Json(nullptr) : Primitive();
      case 2: {
        Json a = Json::array();
        int n = rng_.Int(1, 2);
        for (int i = 0; i < n; ++i) a.push_back(Primitive());
        return a;
      }
      case 9:
      case 10: {
        static const char* const kLogic[] = {"$and", "$or", "$not", "$nor", "$xor"};
        std::string op = rng_.Pick(kLogic);
        if (op == "$not" && rng_.Chance(0.5)) {  // object form (§5.1: object or array)
          Json o = Json::object();
          AddOperator(&o);
          return Json{{op, o}};
        }
        Json a = Json::array();
        int n = rng_.Int(1, 3);
        for (int i = 0; i < n; ++i) a.push_back(Criteria(depth + 1));
        return Json{{op, a}};
      }
      default: {
        Json o = Json::object();
        int n = rng_.Int(1, 2);
        for (int i = 0; i < n; ++i) AddOperator(&o);
        return o;
      }
    }
  }

  Json Where(int block_depth, int entries) {
    Json w = Json::object();
    for (int i = 0; i < entries; ++i) {
      int k = rng_.Int(0, 19);
      if (k < 9) {
        w[FieldName()] = Criteria(0);
      } else if (k < 12) {
        static const char* const kLogic[] = {"$and", "$or", "$not", "$nor", "$xor"};
        std::string op = rng_.Pick(kLogic);
        Json a = Json::array();
        int n = rng_.Int(1, 3);
        for (int j = 0; j < n; ++j) a.push_back(Where(block_depth, rng_.Int(1, 2)));
        if (op == "$not" && rng_.Chance(0.5)) {
          w[op] = a[0];
        } else {
          w[op] = a;
        }
      } else if (k < 17 && block_depth < 3) {
        w[rng_.Chance(0.05) ? "Z" : rng_.Pick(kLabels)] = Block(block_depth + 1);
      } else if (k < 18) {
        w["$cycle"] = Cycle();
      } else {
        w[rng_.Chance(0.5) ? "$id" : "__id"] = IdCriteria();
      }
    }
    return w;
  }

 private:
  std::string FieldName() { return rng_.Chance(0.1) ? "missing" : rng_.Pick(kFields); }

  Json Primitive() {
    switch (rng_.Int(0, 3)) {
      case 0:
        return rng_.Int(-3, 6);
      case 1:
        return std::string(rng_.Pick(kStrings));
      case 2:
        return rng_.Chance(0.5);
      default:
        return std::string(rng_.Pick(kDatetimes));
    }
  }

  Json Components() {
    Json c = {{"$year", rng_.Chance(0.8) ? 2024 : 2025}};
    if (rng_.Chance(0.7)) c["$month"] = rng_.Int(1, 12);
    if (rng_.Chance(0.5)) c["$day"] = rng_.Int(1, 28);
    if (rng_.Chance(0.3)) c["$hour"] = rng_.Int(0, 23);
    return c;
  }

  Json Homogeneous() {
    Json a = Json::array();
    int kind = rng_.Int(0, 2);
    int n = rng_.Int(1, 3);
    for (int i = 0; i < n; ++i) {
      if (kind == 0) a.push_back(rng_.Int(-3, 6));
      if (kind == 1) a.push_back(std::string(rng_.Chance(0.3) ? rng_.Pick(kDatetimes) : rng_.Pick(kStrings)));
      if (kind == 2) a.push_back(rng_.Chance(0.5));
    }
    if (rng_.Chance(0.2)) a.push_back(nullptr);
    return a;
  }

  void AddOperator(Json* o) {
    switch (rng_.Int(0, 11)) {
      case 0:
        (*o)["$eq"] = rng_.Chance(0.15) ? Json(nullptr) : (rng_.Chance(0.15) ? Components() : Primitive());
        break;
      case 1:
        (*o)["$ne"] = rng_.Chance(0.15) ? Json(nullptr) : (rng_.Chance(0.15) ? Components() : Primitive());
        break;
      case 2:
        if (rng_.Chance(0.15)) {
          (*o)["$in"] = Json::array({Components(), Components()});
        } else {
          (*o)["$in"] = Homogeneous();
        }
        break;
      case 3:
        (*o)["$nin"] = Homogeneous();
        break;
      case 4:
      case 5:
      case 6: {
        static const char* const kRange[] = {"$gt", "$gte", "$lt", "$lte"};
        int a = rng_.Int(0, 2);
        Json arg = a == 0 ? Json(rng_.Int(-3, 6))
                          : (a == 1 ? Json(std::string(rng_.Pick(kDatetimes))) : Components());
        (*o)[rng_.Pick(kRange)] = arg;
        break;
      }
      case 7: {
        static const char* const kStr[] = {"$contains", "$startsWith", "$endsWith"};
        (*o)[rng_.Pick(kStr)] = std::string(rng_.Pick(kSubstrings));
        break;
      }
      case 8:
        (*o)["$exists"] = rng_.Chance(0.5);
        break;
      case 9: {
        static const char* const kTypeNames[] = {"string", "number", "boolean", "datetime", "null", "vector"};
        (*o)["$type"] = rng_.Pick(kTypeNames);
        break;
      }
      default: {
        static const char* const kLogic[] = {"$and", "$or", "$nor", "$xor"};
        Json a = Json::array();
        int n = rng_.Int(1, 2);
        for (int i = 0; i < n; ++i) {
          Json inner = Json::object();
          AddOperator(&inner);
          a.push_back(inner);
        }
        (*o)[rng_.Pick(kLogic)] = a;
      }
    }
  }

  Json IdCriteria() {
    if (ids_.empty()) return "none";
    const std::string& id = ids_[rng_.Int(0, ids_.size() - 1)];
    switch (rng_.Int(0, 2)) {
      case 0:
        return id;
      case 1:
        return Json{{"$in", Json::array({id, ids_[rng_.Int(0, ids_.size() - 1)]})}};
      default:
        return Json{{"$ne", id}};
    }
  }

  Json Relation() {
    int k = rng_.Int(0, 5);
    if (k == 0) return std::string(kTypes[rng_.Int(0, 2)]);
    Json r = Json::object();
    if (rng_.Chance(0.6)) r["type"] = rng_.Chance(0.15) ? "R|S" : kTypes[rng_.Int(0, 2)];
    bool hops = rng_.Chance(0.3);
    if (rng_.Chance(0.6)) r["direction"] = rng_.Chance(0.5) ? "in" : "out";
    if (hops) {
      if (rng_.Chance(0.5)) {
        r["hops"] = rng_.Int(1, max_hops_);
      } else {
        int lo = rng_.Int(1, 2);
        Json h = {{"max", rng_.Int(lo, max_hops_)}};
        if (rng_.Chance(0.6)) h["min"] = lo;
        r["hops"] = h;
      }
    }
    return r;
  }

  Json Cycle() {
    Json c = Json::object();
    if (rng_.Chance(0.6)) c["type"] = kTypes[rng_.Int(0, 2)];
    if (rng_.Chance(0.6)) c["direction"] = rng_.Chance(0.5) ? "in" : "out";
    if (rng_.Chance(0.4)) {
      c["hops"] = rng_.Int(2, max_hops_ + 1);
    } else {
      c["hops"] = {{"max", rng_.Int(2, max_hops_ + 1)}};
    }
    return c;
  }

  Json Block(int depth) {
    Json b = Json::object();
    if (rng_.Chance(0.7)) b["$relation"] = Relation();
    int n = rng_.Int(0, 2);
    Json w = Where(depth, n);
    for (const auto& [k, v] : w.items()) b[k] = v;
    return b;
  }

  Rng& rng_;
  const std::vector<std::string>& ids_;
  int max_hops_;
};

// ---------------------------------------------------------------- harness

struct Loaded {
  std::unique_ptr<testing::TempDir> dir;
  std::unique_ptr<Database> db;
  RefGraph graph;
  std::vector<std::string> ids;  // creation order
};

// Builds the graph in loom and as a RefGraph; checks the stored records.
void Load(const GeneratedGraph& g, Loaded* out) {
  out->dir = std::make_unique<testing::TempDir>();
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(out->dir->Sub("db"));
  ASSERT_TRUE(db.ok()) << db.status();
  out->db = std::move(*db);
  std::map<std::string, std::string> ids;
  for (const Json& step : g.script) {
    Json params = cases::Substitute(step["params"], ids);
    absl::StatusOr<Json> r = out->db->Call(step["call"].get<std::string>(), params);
    ASSERT_TRUE(r.ok()) << step.dump() << ": " << r.status();
    if (step.contains("name")) {
      ids[step["name"].get<std::string>()] = (*r)["__id"].get<std::string>();
      out->ids.push_back((*r)["__id"].get<std::string>());
    }
  }
  for (const Json& rec : g.records) {
    Json want = cases::Substitute(rec, ids);
    absl::StatusOr<Json> got = out->db->records().FindById(want["__id"]);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_TRUE(cases::JsonMatches(want, *got)) << "want " << want.dump() << "\n got " << got->dump();
    absl::StatusOr<Record> r = RecordFromJson(want);
    ASSERT_TRUE(r.ok()) << r.status();
    out->graph.records.push_back(*r);
  }
  for (const RefGraph::Edge& e : g.edges) {
    out->graph.edges.push_back({ids.at(e.start), ids.at(e.end), e.type});
  }
}

std::vector<std::string> IdsOf(const Json& data) {
  std::vector<std::string> out;
  for (const Json& r : data) out.push_back(r.value("__id", std::string("<no id>")));
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (const std::string& x : v) s += (s.size() > 1 ? ", " : "") + x;
  return s + "]";
}

// The executor under a forced candidate source, through the engine's read path.
absl::StatusOr<Json> ExecuteForced(Database& db, const query::ast::Query& q, query::plan::SourceChoice c) {
  return db.impl()->RunRead({}, [&](storage::ReadView& view, bool) -> absl::StatusOr<Json> {
    query::exec::ExecOptions opts;
    opts.force_source = c;
    absl::StatusOr<query::exec::FindResult> r = query::exec::Execute(q, view, opts);
    if (!r.ok()) return r.status();
    return Json{{"data", r->data}, {"total", r->total}};
  });
}

// Compares `graphs` random graphs x `queries` random queries; seeds start at
// `first_seed`.
void RunDifferential(uint64_t first_seed, int graphs, int queries, const GraphShape& shape,
                     int max_hops) {
  int compared = 0, nonempty = 0, skipped_parse = 0, skipped_rows = 0, failures = 0, forced_runs = 0;
  for (int gi = 0; gi < graphs; ++gi) {
    uint64_t seed = first_seed + gi;
    Rng rng(seed);
    GeneratedGraph g = RandomGraph(rng, shape);
    Loaded l;
    ASSERT_NO_FATAL_FAILURE(Load(g, &l)) << "seed " << seed;
    QueryGen gen(rng, l.ids, max_hops);
    for (int qi = 0; qi < queries; ++qi) {
      Json query = gen.Query();
      absl::StatusOr<query::ast::Query> ast = query::ParseQuery(query);
      if (!ast.ok()) {  // the generator can produce rejected shapes
        ++skipped_parse;
        continue;
      }
      absl::StatusOr<RefResult> want = Evaluate(l.graph, *ast);
      if (!want.ok()) {
        ++skipped_rows;
        continue;
      }
      ++compared;
      if (want->total > 0) ++nonempty;
      auto check = [&](const absl::StatusOr<Json>& got, const std::string& how) {
        bool ok = got.ok() && IdsOf((*got)["data"]) == want->ids &&
                  (*got)["total"].get<int64_t>() == want->total;
        if (ok) return;
        if (++failures <= kMaxDetailedFailures) {
          ADD_FAILURE() << how << " differs from the reference; seed " << seed << " graph " << gi
                        << " query " << qi << "\n  query: " << query.dump()
                        << "\n  reference: " << Join(want->ids) << " total " << want->total
                        << "\n  loom:      "
                        << (got.ok() ? Join(IdsOf((*got)["data"])) + " total " + (*got)["total"].dump()
                                     : got.status().ToString());
        }
      };
      check(l.db->records().Find(query), "records.find");
      for (query::plan::SourceChoice c :
           {query::plan::SourceChoice::kScan, query::plan::SourceChoice::kIdLookup,
            query::plan::SourceChoice::kIndex, query::plan::SourceChoice::kSemiJoin}) {
        ++forced_runs;
        check(ExecuteForced(*l.db, *ast, c), "forced source " + std::to_string(static_cast<int>(c)));
      }
    }
  }
  EXPECT_EQ(failures, 0) << failures << " mismatches in " << compared << " compared queries";
  std::cout << "compared " << compared << " queries (" << nonempty << " with matches, " << forced_runs << " forced-plan runs); skipped "
            << skipped_parse << " rejected by the parser, " << skipped_rows
            << " too large for the reference\n";
  EXPECT_GT(compared, graphs * queries / 2);
  EXPECT_GT(nonempty, compared / 5);
}

// Select rows agree when they have the same shape and values; numbers
// within a relative 1e-9 (sums may add in another order), object keys in
// any order.
bool SameRows(const Json& want, const Json& got) {
  if (want.is_number() && got.is_number()) {
    const double a = want.get<double>(), b = got.get<double>();
    return a == b || std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
  }
  if (want.type() != got.type()) return false;
  if (want.is_array()) {
    if (want.size() != got.size()) return false;
    for (size_t i = 0; i < want.size(); ++i) {
      if (!SameRows(want[i], got[i])) return false;
    }
    return true;
  }
  if (want.is_object()) {
    if (want.size() != got.size()) return false;
    for (const auto& [k, v] : want.items()) {
      if (!got.contains(k) || !SameRows(v, got[k])) return false;
    }
    return true;
  }
  return want == got;
}

// Random aggregation queries on random graphs: records.find and every forced
// plan must give the reference's rows exactly (or the same error code).
void RunAggregateDifferential(uint64_t first_seed, int graphs, int queries, const GraphShape& shape) {
  int compared = 0, with_rows = 0, errors = 0, skipped = 0, failures = 0;
  for (int gi = 0; gi < graphs; ++gi) {
    const uint64_t seed = first_seed + gi;
    Rng rng(seed);
    GeneratedGraph g = RandomGraph(rng, shape);
    Loaded l;
    ASSERT_NO_FATAL_FAILURE(Load(g, &l)) << "seed " << seed;
    QueryGen gen(rng, l.ids, 2);
    for (int qi = 0; qi < queries; ++qi) {
      Json query = gen.AggregateQuery();
      absl::StatusOr<query::ast::Query> ast = query::ParseQuery(query);
      if (!ast.ok()) {
        ++skipped;
        continue;
      }
      absl::StatusOr<RefResult> want = Evaluate(l.graph, *ast);
      if (!want.ok() && want.status().code() == absl::StatusCode::kResourceExhausted) {
        ++skipped;
        continue;
      }
      ++compared;
      if (!want.ok()) ++errors;
      if (want.ok() && !want->data.empty()) ++with_rows;
      auto check = [&](const absl::StatusOr<Json>& got, const std::string& how) {
        bool ok;
        if (!want.ok()) {
          ok = !got.ok() && GetErrorCode(got.status()) == GetErrorCode(want.status());
        } else {
          ok = got.ok() && SameRows(want->data, (*got)["data"]) && (*got)["total"].get<int64_t>() == want->total;
        }
        if (ok) return;
        if (++failures <= kMaxDetailedFailures) {
          ADD_FAILURE() << how << " differs from the reference; seed " << seed << " graph " << gi << " query " << qi
                        << "\n  query: " << query.dump() << "\n  reference: "
                        << (want.ok() ? want->data.dump() + " total " + std::to_string(want->total)
                                      : want.status().ToString())
                        << "\n  loom:      "
                        << (got.ok() ? (*got)["data"].dump() + " total " + (*got)["total"].dump()
                                     : got.status().ToString());
        }
      };
      check(l.db->records().Find(query), "records.find");
      for (query::plan::SourceChoice c : {query::plan::SourceChoice::kScan, query::plan::SourceChoice::kIndex,
                                          query::plan::SourceChoice::kSemiJoin}) {
        check(ExecuteForced(*l.db, *ast, c), "forced source " + std::to_string(static_cast<int>(c)));
      }
    }
  }
  EXPECT_EQ(failures, 0) << failures << " mismatches in " << compared << " compared queries";
  std::cout << "compared " << compared << " aggregation queries (" << with_rows << " with rows, " << errors
            << " errors alike); skipped " << skipped << "\n";
  EXPECT_GT(compared, graphs * queries / 2);
  EXPECT_GT(with_rows, compared / 5);
}

TEST(DifferentialTest, RandomAggregationQueries) {
  RunAggregateDifferential(0x40000, 24, 100, GraphShape{});
}

// Parallel relationships and self-loops: bindings per relationship and per
// trail are rows of their own.
TEST(DifferentialTest, AggregationOverDenseGraphs) {
  RunAggregateDifferential(0x50000, 8, 120, GraphShape{4, 10, 6});
}

TEST(DifferentialTest, RandomGraphsAndQueries) {
  RunDifferential(0x10000, kGraphs, kQueriesPerGraph, GraphShape{}, 3);
}

// Few records, many relationships (parallel edges of all types, self-loops):
// long trails and cycles.
TEST(DifferentialTest, DenseGraphsLongPaths) {
  RunDifferential(0x30000, 12, 150, GraphShape{4, 10, 6}, 5);
}

// T7b: P and NOT P are disjoint, and with UNKNOWN they cover every record.
TEST(DifferentialTest, PartitionOracle) {
  int failures = 0;
  for (int gi = 0; gi < 10; ++gi) {
    uint64_t seed = 0x20000 + gi;
    Rng rng(seed);
    GeneratedGraph g = RandomGraph(rng);
    Loaded l;
    ASSERT_NO_FATAL_FAILURE(Load(g, &l)) << "seed " << seed;
    QueryGen gen(rng, l.ids);
    for (int qi = 0; qi < 60; ++qi) {
      std::string field = rng.Pick(kFields);
      Json p = gen.Criteria(0);
      Json where_p = {{field, p}};
      Json where_not = {{"$not", where_p}};
      absl::StatusOr<query::ast::Where> parsed = query::ParseWhere(where_p, "/where");
      if (!parsed.ok()) continue;
      const query::ast::Criterion& crit = parsed->entries.front().criterion;
      std::set<std::string> unknown, all(l.ids.begin(), l.ids.end());
      for (const Record& r : l.graph.records) {
        if (EvaluateCriterion(r, field, crit) == Truth::kUnknown) unknown.insert(r.id);
      }
      absl::StatusOr<Json> yes = l.db->records().Find(Json{{"where", where_p}, {"limit", 100000}});
      absl::StatusOr<Json> no = l.db->records().Find(Json{{"where", where_not}, {"limit", 100000}});
      if (!yes.ok() || !no.ok()) {
        if (++failures <= kMaxDetailedFailures) {
          ADD_FAILURE() << "seed " << seed << " where " << where_p.dump() << ": "
                        << (yes.ok() ? no.status() : yes.status());
        }
        continue;
      }
      std::vector<std::string> y = IdsOf((*yes)["data"]), n = IdsOf((*no)["data"]);
      std::set<std::string> cover(unknown);
      bool disjoint = true;
      for (const std::string& id : y) cover.insert(id);
      for (const std::string& id : n) {
        if (std::find(y.begin(), y.end(), id) != y.end()) disjoint = false;
        cover.insert(id);
      }
      size_t sum = y.size() + n.size() + unknown.size();
      if (!disjoint || cover != all || sum != all.size()) {
        if (++failures <= kMaxDetailedFailures) {
          ADD_FAILURE() << "partition broken; seed " << seed << " where " << where_p.dump() << ": |P| "
                        << y.size() << " |NOT P| " << n.size() << " |UNKNOWN| " << unknown.size()
                        << " |all| " << all.size() << (disjoint ? "" : " (P and NOT P overlap)");
        }
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace loom::reference
