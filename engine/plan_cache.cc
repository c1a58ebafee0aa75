#include "engine/plan_cache.h"

#include <utility>

namespace loom::engine {
namespace {

uint32_t NameCount(storage::ReadView& view) {
  const storage::Dictionaries& d = view.dictionaries();
  return d.labels.size() + d.properties.size() + d.rel_types.size();
}

}  // namespace

void NotePlanInputs(storage::ReadView& view, PreparedPlan* plan) {
  plan->records = view.RecordCount();
  plan->names = NameCount(view);
  plan->rid_order_is_id_order = view.RidOrderIsIdOrder();
}

std::shared_ptr<const PreparedPlan> PlanCache::Find(const std::string& key, storage::ReadView& view) {
  std::shared_ptr<const PreparedPlan> plan;
  {
    absl::MutexLock lock(&mu_);
    auto it = plans_.find(key);
    if (it == plans_.end()) {
      ++misses_;
      return nullptr;
    }
    plan = it->second;
  }
  const bool fit = !storage::MovedMoreThanTenPercent(plan->records, view.RecordCount()) &&
                   NameCount(view) == plan->names && view.RidOrderIsIdOrder() == plan->rid_order_is_id_order;
  absl::MutexLock lock(&mu_);
  if (!fit) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  return plan;
}

void PlanCache::Put(std::string key, std::shared_ptr<const PreparedPlan> plan) {
  absl::MutexLock lock(&mu_);
  if (plans_.size() >= capacity_) plans_.clear();
  plans_[std::move(key)] = std::move(plan);
}

Json PlanCache::Stats() const {
  absl::MutexLock lock(&mu_);
  return Json{{"entries", plans_.size()}, {"hits", hits_}, {"misses", misses_}};
}

}  // namespace loom::engine
