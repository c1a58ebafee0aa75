#include "query/exec/storage_stats.h"

#include "absl/strings/str_cat.h"
#include "query/exec/match_operators.h"

namespace loom::query::exec {

namespace {

std::optional<storage::NameId> Cached(std::vector<std::pair<std::string, std::optional<storage::NameId>>>& cache,
                                      std::string_view name, const storage::Dictionary& dict) {
  for (const auto& [n, id] : cache) {
    if (n == name) return id;
  }
  auto id = dict.Find(name);
  cache.emplace_back(std::string(name), id);
  return id;
}

}  // namespace

std::optional<storage::NameId> StorageStats::Label(std::string_view name) {
  return Cached(labels_, name, view_.dictionaries().labels);
}

std::optional<storage::NameId> StorageStats::Type(std::string_view name) {
  return Cached(types_, name, view_.dictionaries().rel_types);
}

uint64_t StorageStats::RecordCount() { return view_.RecordCount(); }

uint64_t StorageStats::LabelCount(std::string_view label) {
  auto id = Label(label);
  if (!id) return 0;
  for (const auto& [l, count] : label_counts_) {
    if (l == *id) return count;
  }
  const uint64_t count = view_.LabelCount(*id);
  label_counts_.emplace_back(*id, count);
  return count;
}

uint64_t StorageStats::PropertyCount(std::string_view label, std::string_view property) {
  auto l = Label(label);
  auto p = view_.dictionaries().properties.Find(property);
  if (!l || !p) return 0;
  return view_.PropertyCount(*l, *p, std::nullopt);
}

uint64_t StorageStats::EdgeCount(std::string_view label, plan::EdgeDir dir, std::string_view type,
                                 std::string_view nbr_label) {
  auto l = Label(label);
  if (!l) return 0;
  storage::NameId t = 0, n = 0;
  if (!type.empty()) {
    auto id = Type(type);
    if (!id) return 0;
    t = *id;
  }
  if (!nbr_label.empty()) {
    auto id = Label(nbr_label);
    if (!id) return 0;
    n = *id;
  }
  std::string key = absl::StrCat(*l, "/", dir == plan::EdgeDir::kOut ? 0 : 1, "/", t, "/", n);
  for (const auto& [k, count] : edge_counts_) {
    if (k == key) return count;
  }
  const uint64_t count =
      view_.EdgeCount(*l, dir == plan::EdgeDir::kOut ? storage::Direction::kOut : storage::Direction::kIn, t, n);
  edge_counts_.emplace_back(std::move(key), count);
  return count;
}

std::optional<uint64_t> StorageStats::RangeEntries(std::string_view label, std::string_view property,
                                                   const KeyRange& range, uint64_t exact_up_to) {
  auto l = Label(label);
  auto p = view_.dictionaries().properties.Find(property);
  if (!l || !p) return 0;
  return view_.EstimateIndexEntries(*l, *p, ToIndexRange(range), exact_up_to);
}

}  // namespace loom::query::exec
