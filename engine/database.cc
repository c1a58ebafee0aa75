// engine/database.cc: the public facade; every method forwards to DatabaseImpl.
#include "loom/database.h"

#include "engine/database_impl.h"

namespace loom {

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& path, const Options& options) {
  LOOM_ASSIGN_OR_RETURN(std::unique_ptr<engine::DatabaseImpl> impl, engine::DatabaseImpl::Open(path, options));
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

Database::Database(std::unique_ptr<engine::DatabaseImpl> impl)
    : impl_(std::move(impl)),
      records_(impl_.get()),
      relationships_(impl_.get()),
      labels_(impl_.get()),
      properties_(impl_.get()),
      tx_(impl_.get()) {}

Database::~Database() = default;

absl::StatusOr<Json> Database::Call(std::string_view method, const Json& params, TxId tx) {
  return impl_->Call(method, params, tx);
}

absl::Status Database::FlushAndSync() { return impl_->FlushAndSync(); }
void Database::Interrupt() { impl_->Interrupt(); }
absl::StatusOr<Json> Database::Dump(const Json& args, const DumpProgress& progress) {
  return impl_->Dump(args, {}, progress);
}

absl::StatusOr<Json> Check(Database& db) { return db.impl()->Check(); }

absl::StatusOr<Json> Records::Create(const Json& args, TxId tx) { return impl_->Create(args, tx); }
absl::StatusOr<Json> Records::CreateMany(const Json& args, TxId tx) { return impl_->CreateMany(args, tx); }
absl::StatusOr<Json> Records::ImportJson(const Json& args, TxId tx) { return impl_->ImportJson(args, tx); }
absl::StatusOr<Json> Records::ImportCsv(const Json& args, TxId tx) { return impl_->ImportCsv(args, tx); }
absl::StatusOr<Json> Records::ImportFile(const Json& args, const ImportProgress& progress) {
  return impl_->ImportFile(args, {}, {}, progress);
}
absl::StatusOr<Json> Records::Load(const Json& args, const ImportProgress& progress) {
  return impl_->LoadDataset(args, {}, progress);
}
absl::StatusOr<Json> Records::Upsert(const Json& args, TxId tx) { return impl_->Upsert(args, tx); }
absl::StatusOr<Json> Records::Set(const Json& args, TxId tx) { return impl_->Set(args, tx); }
absl::StatusOr<Json> Records::Update(const Json& args, TxId tx) { return impl_->Update(args, tx); }
absl::StatusOr<Json> Records::Delete(const Json& query, TxId tx) {
  return impl_->QueryWrite("records.delete", query, tx);
}
absl::StatusOr<Json> Records::DeleteById(const Json& ids, TxId tx) { return impl_->DeleteById(ids, tx); }
absl::StatusOr<Json> Records::Attach(const Json& args, TxId tx) { return impl_->Attach(args, tx); }
absl::StatusOr<Json> Records::Detach(const Json& args, TxId tx) { return impl_->Detach(args, tx); }
absl::StatusOr<Json> Records::Find(const Json& query, TxId tx) { return impl_->QueryRead("records.find", query, tx); }
absl::StatusOr<Json> Records::FindOne(const Json& query, TxId tx) {
  return impl_->QueryRead("records.findOne", query, tx);
}
absl::StatusOr<Json> Records::FindUniq(const Json& query, TxId tx) {
  return impl_->QueryRead("records.findUniq", query, tx);
}
absl::StatusOr<Json> Records::FindById(const Json& ids, TxId tx) { return impl_->FindById(ids, tx); }
absl::StatusOr<Json> Records::Explain(const Json& query, const Json& options, TxId tx) {
  return impl_->QueryRead("records.explain", Json{{"query", query}, {"options", options}}, tx);
}
absl::StatusOr<Json> Records::Export(const Json& query, const Json& options, TxId tx) {
  return impl_->QueryRead("records.export", Json{{"query", query}, {"options", options}}, tx);
}

absl::StatusOr<Json> Relationships::Find(const Json& args, TxId tx) {
  return impl_->RelationshipsFind(args, tx);
}
absl::StatusOr<Json> Relationships::CreateMany(const Json& args, TxId tx) {
  return impl_->RelationshipsCreateMany(args, tx);
}
absl::StatusOr<Json> Relationships::DeleteMany(const Json& args, TxId tx) {
  return impl_->RelationshipsDeleteMany(args, tx);
}

absl::StatusOr<Json> Labels::Find(const Json& args, TxId tx) { return impl_->LabelsFind(args, tx); }

absl::StatusOr<Json> Properties::Find(const Json& args, TxId tx) { return impl_->PropertiesFind(args, tx); }
absl::StatusOr<Json> Properties::FindById(std::string_view id, TxId tx) {
  return impl_->PropertiesFindById(id, tx);
}
absl::StatusOr<Json> Properties::Values(std::string_view id, const Json& args, TxId tx) {
  return impl_->PropertiesValues(id, args, tx);
}
absl::StatusOr<Json> Properties::Delete(std::string_view id, TxId tx) { return impl_->PropertiesDelete(id, tx); }

absl::StatusOr<Json> Transactions::Begin(const Json& args) { return impl_->TxBegin(args); }
absl::StatusOr<Json> Transactions::Get(std::string_view id) { return impl_->TxGet(id); }
absl::StatusOr<Json> Transactions::Commit(std::string_view id) { return impl_->TxCommit(id); }
absl::StatusOr<Json> Transactions::Rollback(std::string_view id) { return impl_->TxRollback(id); }

}  // namespace loom
