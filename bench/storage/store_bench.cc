// Expansion throughput: neighbour ids of one record through the edges column
// family, one type and direction (the inner loop of every traversal).
//   build/bench/store_bench
#include <filesystem>

#include "benchmark/benchmark.h"
#include "storage/store.h"

namespace {

using loom::storage::Direction;
using loom::storage::Rid;

struct Hub {
  std::unique_ptr<loom::storage::Store> store;
  Rid hub = 0;
  loom::storage::NameId type = 0, label = 0;
};

Hub& Graph() {
  static Hub* hub = [] {
    auto dir = std::filesystem::temp_directory_path() / "loom_bench_expand";
    std::filesystem::remove_all(dir);
    auto* h = new Hub{*loom::storage::Store::Open(dir.string(), loom::Options())};
    h->label = *h->store->dictionaries().labels.Intern("INVOICE");
    h->type = *h->store->dictionaries().rel_types.Intern("HAS_INVOICE");
    auto txn = h->store->BeginWrite();
    loom::storage::StoredRecord center{txn->NewRid(), "hub", h->label, {}};
    (void)txn->PutRecord(center, nullptr);
    h->hub = center.rid;
    for (int i = 0; i < 100000; ++i) {
      loom::storage::StoredRecord r{txn->NewRid(), "n" + std::to_string(1000000 + i), h->label, {}};
      (void)txn->PutRecord(r, nullptr);
      (void)txn->AddEdge(h->hub, r.rid, h->type, "");
    }
    (void)txn->Commit(loom::Durability::kBuffered);
    (void)h->store->FlushAndSync();
    return h;
  }();
  return *hub;
}

void BM_ExpandRids(benchmark::State& state) {
  Hub& g = Graph();
  auto view = g.store->NewReadView();
  std::vector<Rid> out;
  for (auto _ : state) {
    out.clear();
    (void)view->ExpandRids(g.hub, {Direction::kOut, {g.type}, g.label}, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(out.size()));
}
BENCHMARK(BM_ExpandRids)->Unit(benchmark::kMillisecond);

}  // namespace
