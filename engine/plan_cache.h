// engine/plan_cache.h: parsed, planned and mapped queries kept for their next
// call, so that a program or a shell asking the same query again skips the
// parse, the plan and the operator tree (about 20 us of a step 3 call).
//
// A plan decides how records are found, never which: any plan answers
// correctly (the differential tests run every query under every forced
// source). A cached plan is still remade when what it was made from moves:
// the record count by more than 10 %, any new label, property or type name,
// or the rid/`__id` order flag, which the default ordering relies on.
// Bounded: past `capacity` entries the cache starts over. Thread-safe; the
// entries are immutable and shared by concurrent runs.
#ifndef LOOM_ENGINE_PLAN_CACHE_H_
#define LOOM_ENGINE_PLAN_CACHE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "loom/json.h"
#include "query/exec/operator.h"
#include "query/parse/ast.h"
#include "query/plan/logical_plan.h"
#include "storage/store.h"

namespace loom::engine {

// One query ready to run: the physical operators point into the logical
// plan, which points into the AST, so the three live together.
struct PreparedPlan {
  query::ast::Query query;
  query::plan::LogicalPlan logical;
  query::exec::PhysicalPlan physical;

  // What the plan was made from (see the file comment).
  uint64_t records = 0;
  uint32_t names = 0;  // labels + properties + relationship types
  bool rid_order_is_id_order = true;
};

// The plan-relevant state of `view` recorded into `plan`.
void NotePlanInputs(storage::ReadView& view, PreparedPlan* plan);

class PlanCache {
 public:
  explicit PlanCache(size_t capacity = 512) : capacity_(capacity) {}

  // The plan cached under `key` if it is still fit for `view`, else nullptr.
  std::shared_ptr<const PreparedPlan> Find(const std::string& key, storage::ReadView& view)
      ABSL_LOCKS_EXCLUDED(mu_);
  void Put(std::string key, std::shared_ptr<const PreparedPlan> plan) ABSL_LOCKS_EXCLUDED(mu_);

  // {"entries", "hits", "misses"}.
  Json Stats() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const PreparedPlan>> plans_ ABSL_GUARDED_BY(mu_);
  uint64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace loom::engine

#endif  // LOOM_ENGINE_PLAN_CACHE_H_
