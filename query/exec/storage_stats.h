// query/exec/storage_stats.h: PlanStats over a storage ReadView (names are
// mapped through the dictionaries; unknown names count 0). Bound to the view;
// one thread at a time. Counts are remembered for the StorageStats' life
// (one plan): the planner asks for the same ones many times.
#ifndef LOOM_QUERY_EXEC_STORAGE_STATS_H_
#define LOOM_QUERY_EXEC_STORAGE_STATS_H_

#include <string>
#include <utility>
#include <vector>

#include "query/plan/plan_stats.h"
#include "storage/store.h"

namespace loom::query::exec {

class StorageStats : public plan::PlanStats {
 public:
  explicit StorageStats(storage::ReadView& view) : view_(view) {}

  uint64_t RecordCount() override;
  uint64_t LabelCount(std::string_view label) override;
  uint64_t PropertyCount(std::string_view label, std::string_view property) override;
  uint64_t EdgeCount(std::string_view label, plan::EdgeDir dir, std::string_view type,
                     std::string_view nbr_label) override;
  std::optional<uint64_t> RangeEntries(std::string_view label, std::string_view property, const KeyRange& range,
                                       uint64_t exact_up_to) override;

 private:
  // Name -> id (nullopt when unknown) per dictionary, and counts by key.
  std::optional<storage::NameId> Label(std::string_view name);
  std::optional<storage::NameId> Type(std::string_view name);

  storage::ReadView& view_;
  std::vector<std::pair<std::string, std::optional<storage::NameId>>> labels_, types_;
  std::vector<std::pair<std::string, uint64_t>> edge_counts_;
  std::vector<std::pair<storage::NameId, uint64_t>> label_counts_;
};

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_STORAGE_STATS_H_
