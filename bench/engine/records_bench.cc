// Write and point-read throughput of the C++ records API (warm cache).
//   build/bench/records_bench --benchmark_min_time=1
#include <filesystem>
#include <random>

#include "benchmark/benchmark.h"
#include "loom/database.h"

namespace {

std::string TempDir(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / (std::string("loom_bench_") + name);
  std::filesystem::remove_all(dir);
  return dir.string();
}

loom::Json Rows(int n, int offset) {
  loom::Json rows = loom::Json::array();
  for (int i = 0; i < n; ++i) {
    int k = offset + i;
    rows.push_back({{"name", "account-" + std::to_string(k)},
                    {"plan", k % 3 == 0 ? "enterprise" : "pro"},
                    {"mrr", k % 5000},
                    {"active", k % 2 == 0},
                    {"createdAt", "2024-01-15"}});
  }
  return rows;
}

void BM_CreateMany(benchmark::State& state) {
  auto db = *loom::Database::Open(TempDir("create_many"));
  const int batch = static_cast<int>(state.range(0));
  int offset = 0;
  for (auto _ : state) {
    auto r = db->records().CreateMany({{"label", "ACCOUNT"}, {"data", Rows(batch, offset)}});
    if (!r.ok()) state.SkipWithError(std::string(r.status().message()).c_str());
    offset += batch;
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_CreateMany)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

struct Loaded {
  std::unique_ptr<loom::Database> db;
  std::vector<std::string> ids;
};

Loaded& Dataset() {
  static Loaded* loaded = [] {
    auto* l = new Loaded{*loom::Database::Open(TempDir("find_by_id")), {}};
    for (int chunk = 0; chunk < 100; ++chunk) {
      auto r = l->db->records().CreateMany(
          {{"label", "ACCOUNT"}, {"data", Rows(1000, chunk * 1000)}, {"options", {{"suggestTypes", true}, {"returnResult", true}}}});
      if (r.ok()) {
        for (const auto& rec : (*r)["data"]) l->ids.push_back(rec["__id"]);
      }
    }
    // Steady state: records in SST files behind the block cache, not in the memtable.
    (void)l->db->FlushAndSync();
    return l;
  }();
  return *loaded;
}

void BM_FindById(benchmark::State& state) {
  Loaded& data = Dataset();
  if (data.ids.empty()) {
    state.SkipWithError("no ids (createMany with returnResult failed)");
    return;
  }
  std::mt19937 rng(1);
  for (auto _ : state) {
    auto r = data.db->records().FindById(data.ids[rng() % data.ids.size()]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FindById)->Unit(benchmark::kMicrosecond);

void BM_AttachBulk(benchmark::State& state) {
  auto db = *loom::Database::Open(TempDir("attach"));
  const int fanout = static_cast<int>(state.range(0));
  auto source = *db->records().Create({{"label", "ACCOUNT"}, {"data", {{"name", "hub"}}}});
  std::vector<loom::Json> targets;
  for (int round = 0; round < 20; ++round) {
    auto r = db->records().CreateMany(
        {{"label", "INVOICE"}, {"data", Rows(fanout, round * fanout)}, {"options", {{"suggestTypes", true}, {"returnResult", true}}}});
    loom::Json ids = loom::Json::array();
    if (r.ok()) {
      for (const auto& rec : (*r)["data"]) ids.push_back(rec["__id"]);
    }
    targets.push_back(ids);
  }
  size_t round = 0;
  for (auto _ : state) {
    auto r = db->records().Attach(
        {{"source", source["__id"]}, {"target", targets[round++ % targets.size()]}, {"options", {{"type", "HAS_INVOICE"}}}});
    if (!r.ok()) state.SkipWithError(std::string(r.status().message()).c_str());
  }
  state.SetItemsProcessed(state.iterations() * fanout);
}
BENCHMARK(BM_AttachBulk)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
