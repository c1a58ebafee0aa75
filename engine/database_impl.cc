#include "engine/database_impl.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"

#include "engine/record_mapper.h"
#include "loom/status.h"

namespace loom::engine {

absl::StatusOr<std::unique_ptr<DatabaseImpl>> DatabaseImpl::Open(const std::string& path,
                                                                 const Options& options) {
  LOOM_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::Store::Open(path, options));
  LOOM_ASSIGN_OR_RETURN(std::string max_id, store->MaxId());
  std::unique_ptr<DatabaseImpl> impl(new DatabaseImpl(std::move(store), options));
  impl->ids_.SeedAfter(max_id);
  return impl;
}

DatabaseImpl::DatabaseImpl(std::unique_ptr<storage::Store> store, const Options& options)
    : store_(std::move(store)), options_(options) {
  property_ids_ = std::make_unique<PropertyIds>(&store_->dictionaries().properties, &ids_);
  transactions_ = std::make_unique<TransactionManager>(
      store_.get(), &ids_,
      [this](storage::WriteTxn& txn, const TouchedProperties& touched) {
        return CommitWrite(txn, touched);
      },
      options_.operation_timeout_ms, options_.max_transaction_ttl_ms);
}

DatabaseImpl::~DatabaseImpl() { transactions_.reset(); }

namespace {

absl::Status ReadOnlyError() {
  return MakeError(ErrorCode::kInvalidArgument, "the database is open read-only; writes are refused");
}

}  // namespace

absl::Status DatabaseImpl::CommitWrite(storage::WriteTxn& txn, const TouchedProperties& touched) {
  if (!touched.empty()) {
    // Pairs no committed record holds yet appear afresh: they get a new id
    // (data-model.md §7). Only the writer-role holder commits, so the
    // snapshot's statistics are the state right before this commit.
    std::unique_ptr<storage::ReadView> before = store_->NewReadView();
    for (const auto& [name, type] : touched) {
      if (before->PropertyTypeCount(name, type) == 0) {
        LOOM_RETURN_IF_ERROR(property_ids_->Renew(store_->dictionaries().properties.Name(name), type));
      }
    }
  }
  return txn.Commit(options_.durability);
}

absl::StatusOr<Json> DatabaseImpl::RunWrite(TxId tx, const WriteFn& fn, storage::Store::WriteMode mode) {
  if (options_.read_only) return ReadOnlyError();
  if (!tx.empty()) return transactions_->Run(tx, fn);
  LOOM_ASSIGN_OR_RETURN(WriterGate::ScopedRole role,
                        transactions_->gate().AcquireScoped(absl::Now() +
                                                            absl::Milliseconds(options_.operation_timeout_ms)));
  std::unique_ptr<storage::WriteTxn> txn = store_->BeginWrite(mode);
  TouchedProperties touched;
  WriteScope scope{txn.get(), &touched};
  absl::StatusOr<Json> result = fn(scope);
  if (!result.ok()) return result;  // the WriteTxn is discarded unapplied
  LOOM_RETURN_IF_ERROR(CommitWrite(*txn, touched));
  return result;
}

absl::Status DatabaseImpl::RunBulk(const BulkFn& fn) {
  if (options_.read_only) return ReadOnlyError();
  LOOM_ASSIGN_OR_RETURN(WriterGate::ScopedRole role,
                        transactions_->gate().AcquireScoped(absl::Now() +
                                                            absl::Milliseconds(options_.operation_timeout_ms)));
  auto present_pairs = [this]() -> absl::StatusOr<absl::flat_hash_set<std::pair<storage::NameId, PropType>>> {
    absl::flat_hash_set<std::pair<storage::NameId, PropType>> pairs;
    std::unique_ptr<storage::ReadView> view = store_->NewReadView();
    LOOM_RETURN_IF_ERROR(view->ListPropertyCounts(
        [&](storage::NameId, storage::NameId property, PropType type, uint64_t count) {
          if (count > 0) pairs.insert({property, type});
        }));
    return pairs;
  };
  LOOM_ASSIGN_OR_RETURN(auto before, present_pairs());
  absl::Status status = fn(*store_, [this] { return ids_.Next(); });
  // Batches committed before a failure stay; their new pairs need ids too.
  LOOM_ASSIGN_OR_RETURN(auto after, present_pairs());
  for (const auto& [name, type] : after) {
    if (!before.contains({name, type})) {
      LOOM_RETURN_IF_ERROR(property_ids_->Renew(store_->dictionaries().properties.Name(name), type));
    }
  }
  return status;
}

absl::StatusOr<Json> DatabaseImpl::RunRead(TxId tx, const ReadFn& fn) {
  if (!tx.empty()) {
    return transactions_->Run(tx, [&](WriteScope& scope) { return fn(*scope.txn, true); });
  }
  std::unique_ptr<storage::ReadView> view = store_->NewReadView();
  return fn(*view, false);
}

absl::Status DatabaseImpl::PutRecord(WriteScope& scope, const storage::StoredRecord& record,
                                     const storage::StoredRecord* old) {
  for (const storage::StoredProperty& p : record.properties) {
    scope.touched->insert({p.name, p.value.type});
  }
  return scope.txn->PutRecord(record, old);
}

absl::StatusOr<storage::StoredRecord> DatabaseImpl::CreateRecord(WriteScope& scope,
                                                                 const std::optional<std::string>& label,
                                                                 const std::vector<Property>& properties) {
  storage::StoredRecord base;
  base.rid = scope.txn->NewRid();
  base.id = ids_.Next();
  LOOM_ASSIGN_OR_RETURN(storage::StoredRecord record,
                        ToStored(store_->dictionaries(), base, label, properties));
  LOOM_RETURN_IF_ERROR(PutRecord(scope, record, nullptr));
  return record;
}

absl::StatusOr<std::optional<storage::StoredRecord>> DatabaseImpl::LoadById(storage::ReadView& view,
                                                                            std::string_view id) {
  LOOM_ASSIGN_OR_RETURN(std::optional<storage::Rid> rid, view.LookupId(id));
  if (!rid) return std::optional<storage::StoredRecord>();
  storage::StoredRecord record;
  LOOM_ASSIGN_OR_RETURN(bool found, view.GetRecord(*rid, &record));
  if (!found) return std::optional<storage::StoredRecord>();
  return std::optional<storage::StoredRecord>(std::move(record));
}

absl::StatusOr<storage::StoredRecord> DatabaseImpl::UpsertRecord(
    WriteScope& scope, const std::optional<std::string>& label, const std::vector<Property>& incoming,
    const std::vector<std::string>& merge_by, bool rewrite, bool any_label) {
  storage::Dictionaries& dicts = store_->dictionaries();
  // Match keys K and the incoming value of each; a key missing from the
  // incoming data means nothing can match.
  std::vector<std::string> keys = merge_by;
  if (keys.empty()) {
    for (const Property& p : incoming) keys.push_back(p.name);
  }
  bool can_match = true;
  std::vector<std::pair<storage::NameId, const Value*>> wanted;
  for (const std::string& key : keys) {
    auto it = std::find_if(incoming.begin(), incoming.end(), [&](const Property& p) { return p.name == key; });
    std::optional<storage::NameId> name = dicts.properties.Find(key);
    if (it == incoming.end() || !name) {
      can_match = false;
      break;
    }
    wanted.push_back({*name, &it->value});
  }
  std::vector<storage::StoredRecord> candidates;
  if (can_match) {
    storage::WriteTxn& txn = *scope.txn;
    RecordVisitor visitor(txn, [&](storage::StoredRecord& record) {
      for (const auto& [name, value] : wanted) {
        const Value* have = record.Find(name);
        if (have == nullptr || have->items.size() != value->items.size() ||
            have->is_array != value->is_array) {
          return true;
        }
        for (size_t i = 0; i < have->items.size(); ++i) {
          if (!ScalarEquals(have->items[i], value->items[i])) return true;
        }
      }
      candidates.push_back(std::move(record));
      return true;
    });
    auto consider = visitor.ByRid();
    // With a label and a non-empty key value, seek the props index on the
    // first element of the first key (then verify every key on the record);
    // otherwise scan the label.
    const std::pair<storage::NameId, const Value*>* seek = nullptr;
    for (const auto& w : wanted) {
      if (!w.second->items.empty()) {
        seek = &w;
        break;
      }
    }
    if (label.has_value()) {
      if (std::optional<storage::NameId> id = dicts.labels.Find(*label)) {
        if (seek != nullptr) {
          storage::IndexRange range;
          const Scalar& first = seek->second->items.front();
          if (const bool* b = std::get_if<bool>(&first)) {
            range.tag = *b ? storage::IndexTag::kTrue : storage::IndexTag::kFalse;
          } else {
            range.tag = std::holds_alternative<double>(first) ? storage::IndexTag::kNumber
                                                              : storage::IndexTag::kString;
            range.low = first;
            range.high = first;
          }
          absl::flat_hash_set<storage::Rid> seen;  // one report per matching element
          LOOM_RETURN_IF_ERROR(txn.ScanIndex(*id, seek->first, range, [&](storage::Rid rid) {
            return !seen.insert(rid).second || consider(rid);
          }));
        } else {
          LOOM_RETURN_IF_ERROR(txn.ScanLabel(*id, consider));
        }
      }
    } else if (any_label) {
      LOOM_RETURN_IF_ERROR(txn.ScanRecords(consider));
    } else {
      LOOM_RETURN_IF_ERROR(txn.ScanLabel(storage::kNoName, consider));
    }
    LOOM_RETURN_IF_ERROR(visitor.status());
  }
  if (candidates.empty()) return CreateRecord(scope, label, incoming);

  std::sort(candidates.begin(), candidates.end(),
            [](const storage::StoredRecord& a, const storage::StoredRecord& b) { return a.id < b.id; });
  std::optional<storage::StoredRecord> first;
  for (const storage::StoredRecord& old : candidates) {
    std::vector<Property> properties;
    if (!rewrite) properties = ToRecord(dicts, old).properties;
    properties = Overlay(std::move(properties), incoming);
    std::optional<std::string> new_label = label;
    if (!new_label && old.label != storage::kNoName) new_label = dicts.labels.Name(old.label);
    LOOM_ASSIGN_OR_RETURN(storage::StoredRecord updated, ToStored(dicts, old, new_label, properties));
    LOOM_RETURN_IF_ERROR(PutRecord(scope, updated, &old));
    if (!first) first = std::move(updated);
  }
  return *first;
}

// --- Transactions ---

absl::StatusOr<Json> DatabaseImpl::TxBegin(const Json& args) {
  if (options_.read_only) return ReadOnlyError();
  int64_t ttl = 0;
  if (const Json* t = Member(args, "ttl")) {
    if (!t->is_number()) return InvalidArgument("/ttl", "ttl must be a number of milliseconds");
    const double ms = t->get<double>();
    if (!(ms > 0)) return InvalidArgument("/ttl", "ttl must be positive");
    ttl = ms > 1e15 ? int64_t{1'000'000'000'000'000} : static_cast<int64_t>(ms);
  } else if (!args.is_null() && !args.is_object()) {
    return InvalidArgument("", "tx.begin takes an object {\"ttl\": ms}");
  }
  LOOM_ASSIGN_OR_RETURN(std::string id, transactions_->Begin(ttl));
  return Json{{"id", id}};
}

absl::StatusOr<Json> DatabaseImpl::TxGet(std::string_view id) {
  LOOM_RETURN_IF_ERROR(transactions_->Get(id));
  return Json{{"id", std::string(id)}};
}

absl::StatusOr<Json> DatabaseImpl::TxCommit(std::string_view id) {
  LOOM_RETURN_IF_ERROR(transactions_->Commit(id));
  return Json{{"message", "Transaction (" + std::string(id) + ") has been successfully committed."}};
}

absl::StatusOr<Json> DatabaseImpl::TxRollback(std::string_view id) {
  if (transactions_->Rollback(id)) {
    return Json{{"message", "Transaction (" + std::string(id) + ") has been rolled back."}};
  }
  return Json{{"message", "Transaction (" + std::string(id) + ") not found or already finished."}};
}

}  // namespace loom::engine
