#include "query/exec/select_evaluator.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "loom/status.h"
#include "query/functions/output_values.h"
#include "query/functions/row_functions.h"

namespace loom::query::exec {

using ast::Collect;
using ast::Expr;
using storage::Rid;

SelectEvaluator::SelectEvaluator(const ast::Select& select, RecordSource& records, BindingRows& rows, Matcher& matcher,
                                 SelectBudget budget)
    : select_(select), records_(records), rows_(rows), matcher_(matcher), budget_(budget) {
  for (const ast::SelectItem& item : select_.items) IndexAggregates(item.expr);
}

void SelectEvaluator::IndexAggregates(const Expr& e) {
  if (e.kind == Expr::Kind::kAggregate) {
    node_index_[&e] = static_cast<int>(aggregates_.size());
    aggregates_.push_back(&e);
    return;  // arguments are row-level
  }
  if (e.kind == Expr::Kind::kCollect && !e.collect[0].label_form) {
    node_index_[&e] = static_cast<int>(collects_.size());
    collects_.push_back(&e);
    return;
  }
  for (const Expr& a : e.args) IndexAggregates(a);
}

Rid SelectEvaluator::Resolve(const std::string& alias, const Scope& scope) const {
  if (alias == "$record") return scope.root;
  if (alias == "$self") return scope.self;
  const int slot = rows_.SlotOfAlias(alias);
  if (slot < 0 || scope.row == nullptr) return kUnbound;
  return (*scope.row)[slot];
}

absl::Status SelectEvaluator::CheckStop() {
  return budget_.stop == nullptr ? absl::OkStatus() : budget_.stop->Check();
}

absl::Status SelectEvaluator::Charge(uint64_t bytes) {
  memory_ += bytes;
  if (memory_ <= budget_.max_memory_bytes) return absl::OkStatus();
  return MakeError(ErrorCode::kResourceExhausted,
                   absl::StrCat("the select needs more than ", budget_.max_memory_bytes,
                                " bytes (Options::max_query_memory_bytes); group by fewer keys or narrow the where"));
}

absl::StatusOr<Json> SelectEvaluator::EvalRow(const Expr& e, const Scope& scope, const std::vector<Json>& items) {
  switch (e.kind) {
    case Expr::Kind::kField: {
      const Rid rid = Resolve(e.alias, scope);
      if (rid == kUnbound) return Json(nullptr);
      return records_.Field(rid, e.field);
    }
    case Expr::Kind::kRecord: {
      const Rid rid = Resolve(e.alias, scope);
      if (rid == kUnbound) return Json(nullptr);
      return records_.RecordJson(rid);
    }
    case Expr::Kind::kLiteral:
      return e.literal;
    case Expr::Kind::kRef:
      return items[e.ref_index];
    case Expr::Kind::kMath: {
      LOOM_ASSIGN_OR_RETURN(Json a, EvalRow(e.args[0], scope, items));
      LOOM_ASSIGN_OR_RETURN(Json b, EvalRow(e.args[1], scope, items));
      return ApplyMath(e.math, a, b, e.path);
    }
    case Expr::Kind::kTimeBucket: {
      const Expr& f = e.args[0];
      const Rid rid = Resolve(f.alias, scope);
      if (rid == kUnbound) return Json(nullptr);
      std::optional<PropType> type;
      LOOM_ASSIGN_OR_RETURN(Json value, records_.Field(rid, f.field, &type));
      return TimeBucket(value, type, e.unit, e.size, e.iso_output);
    }
    case Expr::Kind::kSimilarity: {
      const Expr& f = e.args[0];
      const Rid rid = Resolve(f.alias, scope);
      if (rid == kUnbound) return Json(nullptr);
      LOOM_ASSIGN_OR_RETURN(Json value, records_.Field(rid, f.field));
      return VectorSimilarity(e.similarity, value, e.vector);
    }
    case Expr::Kind::kCollect:
      if (e.collect[0].label_form) {
        const Rid at = scope.self != kUnbound ? scope.self : scope.root;
        return LabelCollect(e.collect[0], at, scope);
      }
      [[fallthrough]];
    case Expr::Kind::kAggregate:
      break;
  }
  return absl::InternalError(absl::StrCat("aggregate evaluated per row at ", e.path));
}

absl::Status SelectEvaluator::RowValues(const Scope& scope, RootValues* per_root, std::vector<Json>* items) {
  items->assign(select_.items.size(), Json());
  per_root->resize(select_.items.size());
  for (int i : select_.eval_order) {
    const Expr& e = select_.items[i].expr;
    if (e.aggregate_level) continue;
    if (e.kind == Expr::Kind::kCollect) {  // a label-form collect: once per root (D14)
      std::optional<Json>& cached = (*per_root)[i];
      if (!cached) {
        LOOM_ASSIGN_OR_RETURN(Json v, EvalRow(e, scope, *items));
        cached = std::move(v);
      }
      (*items)[i] = *cached;
      continue;
    }
    LOOM_ASSIGN_OR_RETURN((*items)[i], EvalRow(e, scope, *items));
  }
  return absl::OkStatus();
}

SelectEvaluator::Group SelectEvaluator::NewGroup() const {
  Group g;
  g.aggregates.resize(aggregates_.size());
  g.collects.resize(collects_.size());
  return g;
}

absl::StatusOr<SelectEvaluator::CollectItem> SelectEvaluator::CollectedItem(const Collect& c, Rid rid,
                                                                            const Scope& scope) {
  CollectItem out;
  LOOM_ASSIGN_OR_RETURN(const storage::StoredRecord* stored, records_.Get(rid));
  if (stored != nullptr) out.id = stored->id;
  if (!c.has_select) {
    LOOM_ASSIGN_OR_RETURN(out.item, records_.RecordJson(rid));
    return out;
  }
  out.item = Json::object();
  const Scope inner{scope.root, scope.row, c.label_form ? rid : scope.self};
  const std::vector<Json> no_items;
  for (const ast::SelectItem& item : c.select) {
    LOOM_ASSIGN_OR_RETURN(Json v, EvalRow(item.expr, inner, no_items));
    if (!v.is_null()) out.item[item.key] = ToOutput(std::move(v));
  }
  LOOM_ASSIGN_OR_RETURN(std::string label, records_.Label(rid));
  if (!label.empty()) out.item["__label"] = std::move(label);  // unlabeled: no key (null never shows)
  return out;
}

absl::Status SelectEvaluator::Accumulate(Group& group, const Scope& scope, const std::vector<Json>& items) {
  if (!group.has_rows) {
    group.has_rows = true;
    group.first_root = scope.root;
    group.first_row = *scope.row;
    group.row_values = items;
  }
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    const Expr& e = *aggregates_[i];
    AggregateState& state = group.aggregates[i];
    if (e.args.empty()) {  // $count: "*"
      AddRoot(state, scope.root);
      continue;
    }
    const Expr& arg = e.args[0];
    Json value;
    if (arg.kind == Expr::Kind::kRecord) {
      // A bound record counts by identity; building its JSON is not needed.
      const Rid rid = Resolve(arg.alias, scope);
      if (rid == kUnbound) continue;
      if (e.function->star_argument) {
        value = Json(static_cast<uint64_t>(rid));
      } else {
        LOOM_ASSIGN_OR_RETURN(value, records_.RecordJson(rid));
      }
    } else {
      LOOM_ASSIGN_OR_RETURN(value, EvalRow(arg, scope, items));
    }
    if (value.is_null()) continue;
    if (!e.distinct_rows) {
      ++state.count;  // legacy count with unique: false counts rows
      continue;
    }
    const size_t distinct_before = state.distinct.size();
    LOOM_RETURN_IF_ERROR(e.function->add(state, value, e.path));
    if (state.distinct.size() != distinct_before) LOOM_RETURN_IF_ERROR(Charge(48 + value.size() * 16));
  }
  for (size_t i = 0; i < collects_.size(); ++i) {
    const Collect& c = collects_[i]->collect[0];
    const Rid rid = Resolve(c.from, scope);
    if (rid == kUnbound) continue;
    CollectState& state = group.collects[i];
    if (c.values_of) {
      LOOM_ASSIGN_OR_RETURN(Json v, records_.Field(rid, *c.values_of));
      auto take = [&](Json x) {
        if (x.is_null()) return;
        if (c.unique && !state.seen.emplace(CanonicalKey(x), true).second) return;
        state.items.push_back({std::move(x), std::string()});
      };
      if (v.is_array()) {
        for (Json& x : v) take(std::move(x));
      } else {
        take(std::move(v));
      }
      continue;
    }
    LOOM_ASSIGN_OR_RETURN(CollectItem item, CollectedItem(c, rid, scope));
    std::string key = CanonicalKey(item.item);
    if (c.unique && !state.seen.emplace(key, true).second) continue;
    LOOM_RETURN_IF_ERROR(Charge(2 * key.size() + 96));
    state.items.push_back(std::move(item));
  }
  return absl::OkStatus();
}

Json SelectEvaluator::FinishCollect(const Collect& c, std::vector<CollectItem> items) {
  if (c.values_of) {
    std::stable_sort(items.begin(), items.end(), [](const CollectItem& a, const CollectItem& b) {
      return CompareOutputValues(a.item, b.item) < 0;
    });
  } else {
    auto value_of = [](const Json& item, const std::string& key) -> const Json& {
      static const Json kNull;
      if (!item.is_object()) return kNull;
      auto it = item.find(key);
      return it == item.end() ? kNull : *it;
    };
    std::stable_sort(items.begin(), items.end(), [&](const CollectItem& a, const CollectItem& b) {
      for (const ast::OrderKey& k : c.order) {
        int cmp = CompareOutputValues(value_of(a.item, k.key), value_of(b.item, k.key));
        if (k.descending) cmp = -cmp;
        if (cmp != 0) return cmp < 0;
      }
      return CompareUtf16(a.id, b.id) > 0;  // __id descending (D6)
    });
  }
  Json out = Json::array();
  const uint64_t skip = static_cast<uint64_t>(c.skip);
  for (uint64_t i = skip; i < items.size() && i - skip < static_cast<uint64_t>(c.limit); ++i) {
    out.push_back(std::move(items[i].item));
  }
  return out;
}

absl::StatusOr<Json> SelectEvaluator::LabelCollect(const Collect& c, Rid at, const Scope& outer) {
  Json empty = Json::array();
  auto label = records_.view().dictionaries().labels.Find(c.label);
  if (!label) return empty;
  storage::EdgeFilter filter;
  filter.nbr_label = *label;
  std::vector<Rid> rids;
  LOOM_RETURN_IF_ERROR(records_.view().ExpandRids(at, filter, &rids));
  std::stable_sort(rids.begin(), rids.end());
  std::vector<CollectItem> items;
  absl::flat_hash_map<std::string, bool> seen;
  for (Rid rid : rids) {
    LOOM_RETURN_IF_ERROR(CheckStop());
    bool keep = true;
    for (const ast::WhereNode& node : c.where.entries) {
      LOOM_ASSIGN_OR_RETURN(Truth t, matcher_.EvalFieldNode(node, rid));
      if (t != Truth::kTrue) {
        keep = false;
        break;
      }
    }
    if (!keep) continue;
    LOOM_ASSIGN_OR_RETURN(CollectItem item, CollectedItem(c, rid, outer));
    if (c.unique && !seen.emplace(CanonicalKey(item.item), true).second) continue;
    items.push_back(std::move(item));
  }
  return FinishCollect(c, std::move(items));
}

absl::StatusOr<Json> SelectEvaluator::EvalFinal(const Expr& e, Group& group, const std::vector<Json>& items) {
  switch (e.kind) {
    case Expr::Kind::kAggregate: {
      AggregateOptions options;
      options.precision = e.precision;
      return e.function->finish(group.aggregates[node_index_.at(&e)], options);
    }
    case Expr::Kind::kCollect:
      if (!e.collect[0].label_form) {
        CollectState& state = group.collects[node_index_.at(&e)];
        return FinishCollect(e.collect[0], std::move(state.items));
      }
      break;
    case Expr::Kind::kRef:
      return items[e.ref_index];
    case Expr::Kind::kLiteral:
      return e.literal;  // needs no row, also in an empty self-group
    case Expr::Kind::kMath: {
      LOOM_ASSIGN_OR_RETURN(Json a, EvalFinal(e.args[0], group, items));
      LOOM_ASSIGN_OR_RETURN(Json b, EvalFinal(e.args[1], group, items));
      return ApplyMath(e.math, a, b, e.path);
    }
    default:
      break;
  }
  // A row-level operand of an aggregate-level expression: its value on the
  // group's first row (the value every row of a flat output row shares).
  if (!group.has_rows) return Json(nullptr);
  const Scope scope{group.first_root, &group.first_row, kUnbound};
  return EvalRow(e, scope, items);
}

absl::StatusOr<std::vector<Json>> SelectEvaluator::FinalValues(Group& group) {
  std::vector<Json> items = group.row_values;
  items.resize(select_.items.size());
  for (int i : select_.eval_order) {
    const Expr& e = select_.items[i].expr;
    if (!e.aggregate_level) continue;
    LOOM_ASSIGN_OR_RETURN(items[i], EvalFinal(e, group, items));
  }
  return items;
}

absl::Status SelectEvaluator::RowsOf(Rid root, std::vector<BindingRow>* rows) {
  if (!rows_.has_blocks()) {
    rows->assign(1, BindingRow());
    return absl::OkStatus();
  }
  return rows_.RowsOf(root, rows);
}

namespace {

// Appends `value` under `key` in output form; null values are left out
// (data-model.md §9) but a non-finite number keeps its key as null (§11.5).
void Put(Json& row, const std::string& key, Json value) {
  if (value.is_null()) {
    if (row.contains(key)) row.erase(key);
    return;
  }
  row[key] = ToOutput(std::move(value));
}

}  // namespace

absl::Status SelectEvaluator::ForEachRoot(const std::vector<Rid>& roots,
                                          const std::function<absl::Status(Rid, const std::vector<BindingRow>&)>& fn) {
  std::vector<BindingRow> rows;
  constexpr size_t kChunk = 1024;  // roots whose records are read in one batch
  for (size_t start = 0; start < roots.size(); start += kChunk) {
    const std::vector<Rid> chunk(roots.begin() + start, roots.begin() + std::min(roots.size(), start + kChunk));
    LOOM_RETURN_IF_ERROR(records_.Prefetch(chunk));
    for (Rid root : chunk) {
      LOOM_RETURN_IF_ERROR(CheckStop());
      LOOM_RETURN_IF_ERROR(RowsOf(root, &rows));
      LOOM_RETURN_IF_ERROR(fn(root, rows));
    }
  }
  return absl::OkStatus();
}

absl::Status SelectEvaluator::Flat(const std::vector<Rid>& roots, Json* out) {
  std::vector<Json> items;
  return ForEachRoot(roots, [&](Rid root, const std::vector<BindingRow>& rows) -> absl::Status {
    // Output rows of this root: one per distinct combination of row-level
    // values (label collects are per root and do not split rows).
    std::vector<Group> groups;
    absl::flat_hash_map<std::string, size_t> index;
    RootValues per_root;
    for (const BindingRow& row : rows) {
      const Scope scope{root, &row, kUnbound};
      LOOM_RETURN_IF_ERROR(RowValues(scope, &per_root, &items));
      std::string key;
      for (size_t i = 0; i < items.size(); ++i) {
        const Expr& e = select_.items[i].expr;
        if (e.aggregate_level || e.kind == Expr::Kind::kCollect) continue;
        AppendCanonicalKey(items[i], &key);
      }
      auto [it, fresh] = index.emplace(key, groups.size());
      if (fresh) {
        LOOM_RETURN_IF_ERROR(Charge(key.size() + 160 + 96 * (aggregates_.size() + collects_.size())));
        groups.push_back(NewGroup());
      }
      LOOM_RETURN_IF_ERROR(Accumulate(groups[it->second], scope, items));
    }
    if (groups.empty()) return absl::OkStatus();  // no TRUE row: not a matching root
    LOOM_ASSIGN_OR_RETURN(Json record, records_.RecordJson(root));
    for (Group& g : groups) {
      LOOM_ASSIGN_OR_RETURN(std::vector<Json> values, FinalValues(g));
      // The record's own keys, then the select's in declaration order.
      Json row = record;
      for (const ast::SelectItem& item : select_.items) row.erase(item.key);
      for (size_t i = 0; i < select_.items.size(); ++i) Put(row, select_.items[i].key, std::move(values[i]));
      LOOM_RETURN_IF_ERROR(Charge(64 + 48 * row.size()));
      out->push_back(std::move(row));
    }
    if (out->size() > budget_.max_groups) {
      return MakeError(ErrorCode::kResourceExhausted, absl::StrCat("the select produced more than ", budget_.max_groups,
                                                                   " rows (ExecOptions max_groups)"));
    }
    return absl::OkStatus();
  });
}

absl::Status SelectEvaluator::Grouped(const std::vector<Rid>& roots, Json* out) {
  // Row-level select items that are not plain refs are implicit group keys
  // (§12.2) whether listed in groupBy or not.
  std::vector<int> key_items;
  for (int i : select_.eval_order) {
    const ast::SelectItem& item = select_.items[i];
    if (!item.expr.aggregate_level && !item.plain_ref) key_items.push_back(i);
  }
  bool has_dimension = !key_items.empty();
  for (const ast::GroupEntry& g : select_.group_by)
    has_dimension = has_dimension || g.kind == ast::GroupEntry::Kind::kDimension;

  std::vector<Group> groups;
  absl::flat_hash_map<std::string, size_t> index;
  if (!has_dimension) {
    groups.push_back(NewGroup());  // self-group: one row even for no input
    index.emplace("", 0);
  }
  std::vector<Json> items;
  std::vector<Json> dims;
  LOOM_RETURN_IF_ERROR(ForEachRoot(roots, [&](Rid root, const std::vector<BindingRow>& rows) -> absl::Status {
    RootValues per_root;
    for (const BindingRow& row : rows) {
      const Scope scope{root, &row, kUnbound};
      LOOM_RETURN_IF_ERROR(RowValues(scope, &per_root, &items));
      std::string key;
      dims.clear();
      for (const ast::GroupEntry& g : select_.group_by) {
        if (g.kind != ast::GroupEntry::Kind::kDimension) continue;
        LOOM_ASSIGN_OR_RETURN(Json v, EvalRow(g.dimension, scope, items));
        AppendCanonicalKey(v, &key);
        dims.push_back(std::move(v));
      }
      for (int i : key_items) AppendCanonicalKey(items[i], &key);
      auto [it, fresh] = index.emplace(std::move(key), groups.size());
      if (fresh) {
        if (groups.size() >= budget_.max_groups) {
          return MakeError(
              ErrorCode::kResourceExhausted,
              absl::StrCat("groupBy produced more than ", budget_.max_groups, " groups (ExecOptions max_groups)"));
        }
        LOOM_RETURN_IF_ERROR(Charge(2 * it->first.size() + 160 + 96 * (aggregates_.size() + collects_.size())));
        groups.push_back(NewGroup());
        groups.back().dimensions = dims;
      }
      LOOM_RETURN_IF_ERROR(Accumulate(groups[it->second], scope, items));
    }
    return absl::OkStatus();
  }));
  for (Group& g : groups) {
    LOOM_ASSIGN_OR_RETURN(std::vector<Json> values, FinalValues(g));
    Json row = Json::object();
    // (1) select keys that are neither plain refs nor listed in groupBy.
    for (int i : select_.eval_order) {
      const ast::SelectItem& item = select_.items[i];
      if (item.plain_ref) continue;
      const bool listed = std::any_of(select_.group_by.begin(), select_.group_by.end(),
                                      [&](const ast::GroupEntry& e) { return e.select_index == i; });
      if (!listed) Put(row, item.key, values[i]);
    }
    // (2) groupBy entries in groupBy order.
    size_t d = 0;
    for (const ast::GroupEntry& e : select_.group_by) {
      if (e.kind == ast::GroupEntry::Kind::kDimension) {
        Put(row, e.output_key, d < g.dimensions.size() ? g.dimensions[d] : Json());
        ++d;
      } else {
        Put(row, e.output_key, values[e.select_index]);
      }
    }
    out->push_back(std::move(row));
  }
  return absl::OkStatus();
}

void SortRows(const std::vector<ast::OrderKey>& keys, uint64_t top, Json* rows) {
  static const Json kNull;
  auto value_of = [](const Json& row, const std::string& key) -> const Json& {
    auto it = row.find(key);
    return it == row.end() ? kNull : *it;
  };
  // Ties by input position, so the partial sort is as stable as a full one.
  std::vector<std::pair<Json, size_t>> indexed;
  indexed.reserve(rows->size());
  for (size_t i = 0; i < rows->size(); ++i) indexed.emplace_back(std::move((*rows)[i]), i);
  auto less = [&](const std::pair<Json, size_t>& a, const std::pair<Json, size_t>& b) {
    for (const ast::OrderKey& k : keys) {
      int cmp = CompareOutputValues(value_of(a.first, k.key), value_of(b.first, k.key));
      if (k.descending) cmp = -cmp;
      if (cmp != 0) return cmp < 0;
    }
    return a.second < b.second;
  };
  if (top < indexed.size()) {
    std::partial_sort(indexed.begin(), indexed.begin() + static_cast<ptrdiff_t>(top), indexed.end(), less);
    indexed.resize(top);
  } else {
    std::sort(indexed.begin(), indexed.end(), less);
  }
  Json out = Json::array();
  for (auto& [row, unused] : indexed) out.push_back(std::move(row));
  *rows = std::move(out);
}

void PageRows(int64_t skip, int64_t limit, Json* rows) {
  Json page = Json::array();
  const uint64_t n = rows->size(), s = static_cast<uint64_t>(std::max<int64_t>(0, skip));
  for (uint64_t i = s; i < n && i - s < static_cast<uint64_t>(std::max<int64_t>(0, limit)); ++i) {
    page.push_back(std::move((*rows)[i]));
  }
  *rows = std::move(page);
}

}  // namespace loom::query::exec
