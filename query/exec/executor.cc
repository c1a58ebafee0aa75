#include "query/exec/executor.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "loom/status.h"
#include "query/exec/match_operators.h"
#include "query/exec/plan_mapper.h"
#include "query/exec/storage_stats.h"
#include "storage/record_json.h"

namespace loom::query::exec {
namespace {

using plan::LogicalPlan;
using storage::NameId;
using storage::ReadView;
using storage::Rid;

// The result writer: select modes leave their rows in the context; a
// listing page is read in one batch and serialised.
absl::Status WriteResult(ExecContext& ctx, FindResult* out) {
  out->total = ctx.total;
  if (ctx.query.output != nullptr) {
    out->data = std::move(ctx.rows);
    return absl::OkStatus();
  }
  out->data = Json::array();
  std::vector<storage::StoredRecord> records;
  std::vector<bool> found;
  LOOM_RETURN_IF_ERROR(ctx.view.GetRecords(ctx.rids, &records, &found));
  for (size_t i = 0; i < ctx.rids.size(); ++i) {
    if (!found[i]) continue;
    out->data.push_back(storage::StoredRecordToJson(ctx.view.dictionaries(), records[i]));
  }
  return absl::OkStatus();
}

}  // namespace

plan::LogicalPlan PlanFor(const ast::Query& query, storage::ReadView& view, const ExecOptions& options) {
  StorageStats stats(view);
  plan::PlanOptions plan_options;
  plan_options.force = options.force_source;
  plan_options.rid_order_is_id_order = view.RidOrderIsIdOrder();
  return plan::PlanQuery(query, stats, plan_options);
}

absl::StatusOr<FindResult> Run(const PhysicalPlan& physical, const ast::Query& query, storage::ReadView& view,
                               const ExecOptions& options) {
  ExecContext ctx(query, view, options);
  LOOM_RETURN_IF_ERROR(physical.root->Execute(ctx));
  FindResult result;
  LOOM_RETURN_IF_ERROR(WriteResult(ctx, &result));
  return result;
}

absl::StatusOr<FindResult> Execute(const ast::Query& query, storage::ReadView& view, const ExecOptions& options) {
  const LogicalPlan logical = PlanFor(query, view, options);
  return Run(MapToPhysical(query, logical), query, view, options);
}

absl::StatusOr<std::vector<storage::Rid>> MatchingRoots(const ast::Query& query, storage::ReadView& view,
                                                        const ExecOptions& options) {
  const LogicalPlan logical = PlanFor(query, view, options);
  const PhysicalPlan physical = MapToPhysical(query, logical, /*match_only=*/true);
  ExecContext ctx(query, view, options);
  LOOM_RETURN_IF_ERROR(physical.root->Execute(ctx));
  return std::move(ctx.rids);
}

absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>> CountLabels(const ast::Query& query,
                                                                         storage::ReadView& view,
                                                                         const ExecOptions& options) {
  std::map<std::string, uint64_t> counts;
  if (query.where.entries.empty() && !query.related_id) {
    // Straight from the counters.
    std::vector<NameId> wanted = LabelIds(query.labels, view);
    LOOM_RETURN_IF_ERROR(view.ListLabelCounts([&](NameId label, uint64_t count) {
      if (label == storage::kNoName || count == 0) return;
      if (!query.labels.empty() && std::find(wanted.begin(), wanted.end(), label) == wanted.end()) return;
      counts[view.dictionaries().labels.Name(label)] += count;
    }));
  } else {
    LOOM_ASSIGN_OR_RETURN(std::vector<Rid> rids, MatchingRoots(query, view, options));
    absl::flat_hash_map<NameId, uint64_t> by_id;
    for (Rid rid : rids) {
      NameId label = 0;
      std::string id;
      LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecordHeader(rid, &label, &id));
      if (found && label != storage::kNoName) ++by_id[label];
    }
    for (const auto& [label, count] : by_id) counts[view.dictionaries().labels.Name(label)] += count;
  }
  return std::vector<std::pair<std::string, uint64_t>>(counts.begin(), counts.end());
}

absl::StatusOr<std::vector<std::string>> FindPropertyNames(const ast::Query& query, storage::ReadView& view,
                                                           const ExecOptions& options) {
  LOOM_ASSIGN_OR_RETURN(std::vector<Rid> rids, MatchingRoots(query, view, options));
  absl::flat_hash_map<NameId, bool> seen;
  storage::StoredRecord record;
  for (Rid rid : rids) {
    LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecord(rid, &record));
    if (!found) continue;
    for (const storage::StoredProperty& p : record.properties) seen[p.name] = true;
  }
  std::vector<std::string> names;
  for (const auto& [id, unused] : seen) names.push_back(view.dictionaries().properties.Name(id));
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<Json> ExplainQuery(const ast::Query& query, storage::ReadView& view, bool analyze,
                                  const ExecOptions& options) {
  const LogicalPlan logical = PlanFor(query, view, options);
  const PhysicalPlan physical = MapToPhysical(query, logical);
  Json out = Json::object();
  if (!analyze) {
    out["text"] = physical.ToText();
    out["plan"] = physical.ToJson();
    return out;
  }
  ExecContext ctx(query, view, options);
  ctx.profile = true;
  LOOM_RETURN_IF_ERROR(physical.root->Execute(ctx));
  out["text"] = physical.ToText(&ctx);
  out["plan"] = physical.ToJson(&ctx);
  return out;
}

}  // namespace loom::query::exec
