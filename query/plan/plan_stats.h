// query/plan/plan_stats.h: the statistics the planner reads, by name.
//
// The planner does not include storage/; query/exec adapts a storage ReadView
// to this interface and tests give a fake one. Names unknown to the database
// have count 0. Implementations are used by one thread at a time.
#ifndef LOOM_QUERY_PLAN_PLAN_STATS_H_
#define LOOM_QUERY_PLAN_PLAN_STATS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "query/functions/index_range.h"

namespace loom::query::plan {

// Direction of an adjacency entry as seen from the record it is stored with.
enum class EdgeDir { kOut, kIn };

class PlanStats {
 public:
  virtual ~PlanStats() = default;
  virtual uint64_t RecordCount() = 0;
  virtual uint64_t LabelCount(std::string_view label) = 0;
  // Records of `label` holding `property` (any type).
  virtual uint64_t PropertyCount(std::string_view label, std::string_view property) = 0;
  // Adjacency entries from records of `label` in direction `dir` with `type`
  // to records of `nbr_label`; "" for type means any type.
  virtual uint64_t EdgeCount(std::string_view label, EdgeDir dir, std::string_view type,
                             std::string_view nbr_label) = 0;
  // Index entries of `label` records with `property` in `range` (one per
  // matching array element): exact up to `exact_up_to`, estimated past it.
  // nullopt when no value statistics are kept; the planner then assumes
  // fixed selectivities.
  virtual std::optional<uint64_t> RangeEntries(std::string_view label, std::string_view property,
                                               const KeyRange& range, uint64_t exact_up_to) {
    return std::nullopt;
  }
};

}  // namespace loom::query::plan

#endif  // LOOM_QUERY_PLAN_PLAN_STATS_H_
