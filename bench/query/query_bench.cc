// The customer-360 queries of the tutorial over a generated graph (about 1M
// records and 1M relationships at --scale 1000). Prepare the database with
// bench/run_query_bench.sh, which then runs this binary with LOOM_BENCH_DB set.
#include <cstdlib>
#include <string>

#include "benchmark/benchmark.h"
#include "loom/database.h"
#include "engine/database_impl.h"
#include "query/exec/executor.h"
#include "query/parse/parser.h"

namespace {

using loom::Json;

struct Fixture {
  std::unique_ptr<loom::Database> db;
  std::string account;  // an enterprise account with an overdue invoice
};

Fixture* Open() {
  static Fixture* fixture = [] {
    const char* path = std::getenv("LOOM_BENCH_DB");
    loom::Options options;
    options.read_only = true;
    auto db = loom::Database::Open(path != nullptr ? path : "/tmp/loom_c360_bench.db", options);
    if (!db.ok()) return static_cast<Fixture*>(nullptr);
    auto* f = new Fixture{std::move(*db), {}};
    auto found = f->db->records().Find(Json::parse(R"({"labels":["ACCOUNT"],"where":{"plan":"enterprise",
        "SUBSCRIPTION":{"$relation":{"type":"HAS_SUBSCRIPTION","direction":"out"},
        "INVOICE":{"$relation":{"type":"HAS_INVOICE","direction":"out"},"status":"overdue"}}},"limit":1})"));
    if (found.ok() && !(*found)["data"].empty()) f->account = (*found)["data"][0]["__id"];
    return f;
  }();
  return fixture;
}

#define LOOM_BENCH_FIXTURE(f)                                           \
  Fixture* f = Open();                                                  \
  if (f == nullptr || f->account.empty()) {                             \
    state.SkipWithError("no benchmark database: run bench/run_query_bench.sh"); \
    return;                                                             \
  }

const Json& Step3() {
  static const Json q = Json::parse(R"({"labels":["ACCOUNT"],"where":{"plan":"enterprise",
      "SUBSCRIPTION":{"$relation":{"type":"HAS_SUBSCRIPTION","direction":"out"},
      "INVOICE":{"$relation":{"type":"HAS_INVOICE","direction":"out"},"status":"overdue"}}}})");
  return q;
}

void Find(benchmark::State& state, const Json& query) {
  auto r = Open()->db->records().Find(query);
  if (!r.ok()) state.SkipWithError(std::string(r.status().message()).c_str());
  benchmark::DoNotOptimize(r);
}

void BM_ParseStep3(benchmark::State& state) {
  for (auto _ : state) {
    auto ast = loom::query::ParseQuery(Step3());
    benchmark::DoNotOptimize(ast);
  }
}
BENCHMARK(BM_ParseStep3)->Unit(benchmark::kMicrosecond);

void BM_ExplainStep3(benchmark::State& state) {  // parse + plan, no execution
  LOOM_BENCH_FIXTURE(f);
  for (auto _ : state) {
    auto plan = f->db->records().Explain(Step3());
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(BM_ExplainStep3)->Unit(benchmark::kMicrosecond);

void BM_PlanStep3(benchmark::State& state) {  // parse + plan on one read view, nothing rendered
  LOOM_BENCH_FIXTURE(f);
  auto status = f->db->impl()->RunRead({}, [&](loom::storage::ReadView& view, bool) -> absl::StatusOr<Json> {
    for (auto _ : state) {
      auto ast = loom::query::ParseQuery(Step3());
      if (!ast.ok()) return ast.status();
      auto plan = loom::query::exec::PlanFor(*ast, view);
      benchmark::DoNotOptimize(plan);
    }
    return Json();
  });
  if (!status.ok()) state.SkipWithError(std::string(status.status().message()).c_str());
}
BENCHMARK(BM_PlanStep3)->Unit(benchmark::kMicrosecond);

void BM_Step3OverdueEnterpriseAccounts(benchmark::State& state) {
  LOOM_BENCH_FIXTURE(f);
  for (auto _ : state) Find(state, Step3());
}
BENCHMARK(BM_Step3OverdueEnterpriseAccounts)->Unit(benchmark::kMicrosecond);

// Step 3 under each candidate source (explain with analyze runs the query),
// to compare top-down and bottom-up evaluation.
void BM_Step3Forced(benchmark::State& state, const char* source) {
  LOOM_BENCH_FIXTURE(f);
  const Json params = {{"query", Step3()}, {"options", {{"analyze", true}, {"source", source}}}};
  for (auto _ : state) {
    auto r = f->db->Call("records.explain", params);
    if (!r.ok()) state.SkipWithError(std::string(r.status().message()).c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_CAPTURE(BM_Step3Forced, scan, "scan")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Step3Forced, index, "index")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Step3Forced, semi_join, "semiJoin")->Unit(benchmark::kMicrosecond);

void BM_Step5AccountContext(benchmark::State& state) {
  LOOM_BENCH_FIXTURE(f);
  const std::string& id = f->account;
  const Json queries[] = {
      {{"labels", {"ACCOUNT"}}, {"where", {{"__id", id}}}},
      {{"labels", {"SUBSCRIPTION"}},
       {"where", {{"ACCOUNT", {{"$relation", {{"type", "HAS_SUBSCRIPTION"}, {"direction", "in"}}}, {"__id", id}}},
                  {"status", "active"}}}},
      {{"labels", {"INVOICE"}},
       {"where", {{"SUBSCRIPTION", {{"$relation", {{"type", "HAS_INVOICE"}, {"direction", "in"}}},
                                     {"ACCOUNT", {{"$relation", {{"type", "HAS_SUBSCRIPTION"}, {"direction", "in"}}},
                                                  {"__id", id}}}}},
                  {"status", "overdue"}}}},
      {{"labels", {"SUPPORT_TICKET"}},
       {"where", {{"USER", {{"$relation", {{"type", "CREATED"}, {"direction", "in"}}},
                            {"ACCOUNT", {{"$relation", {{"type", "BELONGS_TO"}, {"direction", "out"}}}, {"__id", id}}}}}}},
       {"orderBy", {{"createdAt", "desc"}}},
       {"limit", 5}},
  };
  for (auto _ : state) {
    for (const Json& q : queries) Find(state, q);
  }
}
BENCHMARK(BM_Step5AccountContext)->Unit(benchmark::kMicrosecond);

// Step 4: MRR by region over accounts with an active subscription.
void BM_Step4MrrByRegion(benchmark::State& state) {
  LOOM_BENCH_FIXTURE(f);
  static const Json q = Json::parse(R"({"labels":["ACCOUNT"],
      "where":{"SUBSCRIPTION":{"$relation":{"type":"HAS_SUBSCRIPTION","direction":"out"},"status":"active"}},
      "select":{"totalMrr":{"$sum":"$record.mrr"},"region":"$record.region"},
      "groupBy":["region","totalMrr"],"orderBy":{"totalMrr":"desc"}})");
  for (auto _ : state) Find(state, q);
}
BENCHMARK(BM_Step4MrrByRegion)->Unit(benchmark::kMillisecond);

// Top 10 features by total usage over the recent weeks (the generated usage
// spans 2025-03-04 .. 2025-04-29).
void BM_TopFeaturesRecentWeeks(benchmark::State& state) {
  LOOM_BENCH_FIXTURE(f);
  static const Json q = Json::parse(R"({"labels":["FEATURE_USAGE"],"where":{"week":{"$gte":"2025-03-30"}},
      "select":{"uses":{"$sum":"$record.count"}},"groupBy":["$record.feature"],
      "orderBy":{"uses":"desc"},"limit":10})");
  for (auto _ : state) Find(state, q);
}
BENCHMARK(BM_TopFeaturesRecentWeeks)->Unit(benchmark::kMillisecond);

void BM_IdLookupThroughFind(benchmark::State& state) {
  LOOM_BENCH_FIXTURE(f);
  const Json q = {{"labels", {"ACCOUNT"}}, {"where", {{"$id", f->account}}}};
  for (auto _ : state) Find(state, q);
}
BENCHMARK(BM_IdLookupThroughFind)->Unit(benchmark::kMicrosecond);

void BM_OneToFourHopsFromAccount(benchmark::State& state) {
  LOOM_BENCH_FIXTURE(f);
  // Everything within four hops of one account (any type, either direction).
  const Json q = {{"where", {{"ACCOUNT", {{"$relation", {{"hops", {{"min", 1}, {"max", 4}}}}}, {"$id", f->account}}}}},
                  {"limit", 1000}};
  for (auto _ : state) Find(state, q);
}
BENCHMARK(BM_OneToFourHopsFromAccount)->Unit(benchmark::kMicrosecond);

}  // namespace
