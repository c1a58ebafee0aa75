#include "query/exec/storage_stats.h"

namespace loom::query::exec {

uint64_t StorageStats::RecordCount() { return view_.RecordCount(); }

uint64_t StorageStats::LabelCount(std::string_view label) {
  auto id = view_.dictionaries().labels.Find(label);
  return id ? view_.LabelCount(*id) : 0;
}

uint64_t StorageStats::PropertyCount(std::string_view label, std::string_view property) {
  auto l = view_.dictionaries().labels.Find(label);
  auto p = view_.dictionaries().properties.Find(property);
  if (!l || !p) return 0;
  return view_.PropertyCount(*l, *p, std::nullopt);
}

uint64_t StorageStats::EdgeCount(std::string_view label, plan::EdgeDir dir, std::string_view type,
                                 std::string_view nbr_label) {
  auto l = view_.dictionaries().labels.Find(label);
  if (!l) return 0;
  storage::NameId t = 0, n = 0;
  if (!type.empty()) {
    auto id = view_.dictionaries().rel_types.Find(type);
    if (!id) return 0;
    t = *id;
  }
  if (!nbr_label.empty()) {
    auto id = view_.dictionaries().labels.Find(nbr_label);
    if (!id) return 0;
    n = *id;
  }
  return view_.EdgeCount(*l, dir == plan::EdgeDir::kOut ? storage::Direction::kOut : storage::Direction::kIn, t, n);
}

}  // namespace loom::query::exec
