// tests/engine/bulk/bulk_test_util.h: a store in a temporary directory, a
// deterministic id generator and full-scan snapshots for comparisons.
#ifndef LOOM_TESTS_ENGINE_BULK_BULK_TEST_UTIL_H_
#define LOOM_TESTS_ENGINE_BULK_BULK_TEST_UTIL_H_

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "engine/bulk/bulk_records.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace loom::engine::bulk {

// Ids that sort in creation order, like UUIDv7 text.
inline std::function<std::string()> CountingIds(std::string prefix = "0190a000-0000-7000-8000-") {
  auto n = std::make_shared<uint64_t>(0);
  return [n, prefix] {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%012llu", static_cast<unsigned long long>(++*n));
    return prefix + buf;
  };
}

struct TestStore {
  testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  BulkTarget target;

  explicit TestStore(std::string id_prefix = "0190a000-0000-7000-8000-") {
    Options options;
    options.write_buffer_bytes = size_t{8} << 20;
    options.block_cache_bytes = size_t{8} << 20;
    auto opened = storage::Store::Open(dir.Sub("db"), options);
    EXPECT_TRUE(opened.ok()) << opened.status();
    store = std::move(*opened);
    target.store = store.get();
    target.next_id = CountingIds(id_prefix);
    target.durability = Durability::kBuffered;
  }
  uint64_t RecordCount() { return store->NewReadView()->RecordCount(); }
  void ExpectConsistent() {
    auto report = store->Check();
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->problems.empty()) << report->problems.front();
  }
};

using EdgeRow = std::tuple<std::string, std::string, std::string, std::string>;  // source, target, type, props

// Every record in `__id` order, as API records.
inline std::vector<Record> ScanAllRecords(storage::Store& store) {
  auto view = store.NewReadView();
  std::vector<Record> out;
  absl::Status s = view->ScanIds(false, [&](std::string_view, storage::Rid rid) {
    storage::StoredRecord stored;
    auto found = view->GetRecord(rid, &stored);
    EXPECT_TRUE(found.ok() && *found);
    out.push_back(ToApiRecord(view->dictionaries(), stored));
    return true;
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

// Every edge in creation order.
inline std::vector<EdgeRow> ScanAllEdges(storage::Store& store) {
  auto view = store.NewReadView();
  std::vector<storage::EdgeRef> edges;
  EXPECT_TRUE(view->ScanEdges([&](const storage::EdgeRef& e) {
                    edges.push_back(e);
                    return true;
                  }).ok());
  std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) { return a.eid < b.eid; });
  std::vector<EdgeRow> out;
  for (const auto& e : edges) {
    std::string s, t;
    storage::NameId label;
    EXPECT_TRUE(view->GetRecordHeader(e.self, &label, &s).ok());
    EXPECT_TRUE(view->GetRecordHeader(e.nbr, &label, &t).ok());
    out.emplace_back(s, t, view->dictionaries().rel_types.Name(e.type), *view->GetEdgeProperties(e));
  }
  return out;
}

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace loom::engine::bulk

#endif  // LOOM_TESTS_ENGINE_BULK_BULK_TEST_UTIL_H_
