// query/exec/storage_stats.h: PlanStats over a storage ReadView (names are
// mapped through the dictionaries; unknown names count 0). Bound to the view;
// one thread at a time.
#ifndef LOOM_QUERY_EXEC_STORAGE_STATS_H_
#define LOOM_QUERY_EXEC_STORAGE_STATS_H_

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

 private:
  storage::ReadView& view_;
};

}  // namespace loom::query::exec

#endif  // LOOM_QUERY_EXEC_STORAGE_STATS_H_
