#include "query/exec/order_operators.h"

#include <algorithm>
#include <optional>

#include "loom/status.h"
#include "query/exec/select_evaluator.h"

namespace loom::query::exec {

using storage::NameId;
using storage::Rid;

SortOperator::SortOperator(std::string detail, double estimated_rows, std::vector<ast::OrderKey> keys, bool by_rid,
                           uint64_t top)
    : PhysicalOperator("Sort", std::move(detail), estimated_rows), keys_(std::move(keys)), by_rid_(by_rid), top_(top) {}

absl::Status SortOperator::Run(ExecContext& ctx) const {
  ctx.total = ctx.rids.size();
  std::vector<Rid>& matches = ctx.rids;
  if (by_rid_) {
    if (keys_[0].descending) std::reverse(matches.begin(), matches.end());
    return absl::OkStatus();
  }
  storage::ReadView& view = ctx.view;
  const uint64_t n = matches.size();
  const uint64_t end = std::min<uint64_t>(n, top_);
  const bool rid_is_id = view.RidOrderIsIdOrder();
  if (rid_is_id && keys_.size() == 1 && keys_[0].key == "__id") {  // rid order is the answer
    if (keys_[0].descending) std::reverse(matches.begin(), matches.end());
    matches.resize(end);
    return absl::OkStatus();
  }
  std::vector<NameId> prop_ids;  // per key; 0 for __id or an unknown name
  int property_keys = 0;
  for (const ast::OrderKey& k : keys_) {
    if (k.key == "__id") {
      prop_ids.push_back(0);
      continue;
    }
    auto id = view.dictionaries().properties.Find(k.key);
    prop_ids.push_back(id.value_or(0));
    if (id) ++property_keys;
  }
  struct Row {
    Rid rid;
    std::vector<std::optional<Value>> keys;
    std::string id;
  };
  std::vector<Row> rows(n);
  storage::StoredRecord record;
  for (uint64_t i = 0; i < n; ++i) {
    Row& row = rows[i];
    row.rid = matches[i];
    row.keys.resize(prop_ids.size());
    if (property_keys >= 2) {
      LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecord(row.rid, &record));
      if (found) {
        for (size_t k = 0; k < prop_ids.size(); ++k) {
          if (prop_ids[k] == 0) continue;
          if (const Value* v = record.Find(prop_ids[k])) row.keys[k] = *v;
        }
        row.id = record.id;
      }
    } else {
      for (size_t k = 0; k < prop_ids.size(); ++k) {
        if (prop_ids[k] == 0) continue;
        LOOM_ASSIGN_OR_RETURN(row.keys[k], view.GetProperty(row.rid, prop_ids[k]));
      }
      if (!rid_is_id) {
        NameId label = 0;
        LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecordHeader(row.rid, &label, &row.id));
        (void)found;
      }
    }
  }
  auto id_cmp = [&](const Row& a, const Row& b) -> int {
    if (rid_is_id) return a.rid < b.rid ? -1 : (a.rid > b.rid ? 1 : 0);
    return CompareUtf16(a.id, b.id);
  };
  auto less = [&](const Row& a, const Row& b) {
    for (size_t k = 0; k < keys_.size(); ++k) {
      int c;
      if (keys_[k].key == "__id") {
        c = id_cmp(a, b);
      } else {
        c = CompareValues(a.keys[k] ? &*a.keys[k] : nullptr, b.keys[k] ? &*b.keys[k] : nullptr);
      }
      if (keys_[k].descending) c = -c;
      if (c != 0) return c < 0;
    }
    return id_cmp(a, b) > 0;  // ties: __id descending (D6)
  };
  if (end < n) {
    std::partial_sort(rows.begin(), rows.begin() + static_cast<ptrdiff_t>(end), rows.end(), less);
    rows.resize(end);
  } else {
    std::sort(rows.begin(), rows.end(), less);
  }
  matches.clear();
  for (const Row& r : rows) matches.push_back(r.rid);
  return absl::OkStatus();
}

LimitOperator::LimitOperator(std::string detail, double estimated_rows, int64_t skip, int64_t limit)
    : PhysicalOperator("Limit", std::move(detail), estimated_rows), skip_(skip), limit_(limit) {}

absl::Status LimitOperator::Run(ExecContext& ctx) const {
  std::vector<Rid>& rids = ctx.rids;
  const uint64_t n = rids.size();
  const uint64_t skip = static_cast<uint64_t>(std::max<int64_t>(0, skip_));
  const uint64_t limit = static_cast<uint64_t>(std::max<int64_t>(0, limit_));
  if (skip >= n) {
    rids.clear();
    return absl::OkStatus();
  }
  const uint64_t end = n - skip < limit ? n : skip + limit;
  rids.erase(rids.begin() + static_cast<ptrdiff_t>(end), rids.end());
  rids.erase(rids.begin(), rids.begin() + static_cast<ptrdiff_t>(skip));
  return absl::OkStatus();
}

absl::Status RowSortOperator::Run(ExecContext& ctx) const {
  SortRows(keys_, top_, &ctx.rows);
  return absl::OkStatus();
}

absl::Status RowLimitOperator::Run(ExecContext& ctx) const {
  PageRows(skip_, limit_, &ctx.rows);
  return absl::OkStatus();
}

}  // namespace loom::query::exec
