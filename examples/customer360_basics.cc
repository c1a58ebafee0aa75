// examples/customer360_basics.cc: the first steps of the Customer 360 tutorial
// (spec/examples.md §2.1) against an embedded loom database.
//
//   loom_example [DB_DIR]     (default ./loom-example.db)
//
// Creates an ACCOUNT, two USERs (importJson), a SUBSCRIPTION and three
// INVOICEs, links them (BELONGS_TO, HAS_SUBSCRIPTION, HAS_INVOICE) and prints
// the records, the label counts and the properties.
#include <iostream>
#include <string>
#include <vector>

#include "loom/database.h"

namespace {

// Prints an error and exits when `result` failed.
template <typename T>
T Must(absl::StatusOr<T> result, const char* what) {
  if (!result.ok()) {
    std::cerr << what << " failed: " << loom::ErrorCodeName(loom::GetErrorCode(result.status())) << ": "
              << result.status().message() << "\n";
    std::exit(1);
  }
  return *std::move(result);
}

std::vector<std::string> Ids(const loom::Json& records) {
  std::vector<std::string> ids;
  for (const loom::Json& r : records) ids.push_back(r["__id"].get<std::string>());
  return ids;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "./loom-example.db";
  auto db = Must(loom::Database::Open(path), "open");
  loom::Records& records = db->records();
  using loom::Json;

  // Step 1: the account and its users.
  Json account = Must(records.Create({{"label", "ACCOUNT"},
                                      {"data",
                                       {{"name", "Acme Corp"},
                                        {"plan", "enterprise"},
                                        {"region", "EU"},
                                        {"mrr", 1200},
                                        {"createdAt", "2024-01-15"}}}}),
                      "records.create ACCOUNT");
  Json users = Must(records.ImportJson(Json::parse(R"({
        "label": "USER",
        "data": [
          {"email": "alice@acme.com", "name": "Alice", "role": "admin", "lastActiveAt": "2025-03-01"},
          {"email": "bob@acme.com", "name": "Bob", "role": "member", "lastActiveAt": "2025-02-20"}],
        "options": {"suggestTypes": true, "returnResult": true}})")),
                    "records.importJson USER");
  for (const std::string& user : Ids(users)) {
    Must(records.Attach({{"source", user},
                         {"target", account},
                         {"options", {{"type", "BELONGS_TO"}, {"direction", "out"}}}}),
         "records.attach BELONGS_TO");
  }

  // Step 2: subscription and invoices.
  Json subscription = Must(records.Create({{"label", "SUBSCRIPTION"},
                                           {"data",
                                            {{"plan", "enterprise"},
                                             {"status", "active"},
                                             {"startedAt", "2024-01-15"},
                                             {"renewsAt", "2026-01-15"},
                                             {"seats", 25}}}}),
                           "records.create SUBSCRIPTION");
  Must(records.Attach({{"source", account},
                       {"target", subscription},
                       {"options", {{"type", "HAS_SUBSCRIPTION"}, {"direction", "out"}}}}),
       "records.attach HAS_SUBSCRIPTION");
  Json invoices = Must(records.ImportJson(Json::parse(R"({
        "label": "INVOICE",
        "data": [
          {"month": "2025-01", "amount": 1200, "status": "paid", "paidAt": "2025-01-05"},
          {"month": "2025-02", "amount": 1200, "status": "paid", "paidAt": "2025-02-05"},
          {"month": "2025-03", "amount": 1200, "status": "overdue", "paidAt": null}],
        "options": {"suggestTypes": true, "returnResult": true}})")),
                       "records.importJson INVOICE");
  Must(records.Attach({{"source", subscription},
                       {"target", invoices},
                       {"options", {{"type", "HAS_INVOICE"}, {"direction", "out"}}}}),
       "records.attach HAS_INVOICE");

  // Read everything back.
  Json ids = Json::array({account["__id"], subscription["__id"]});
  for (const std::string& id : Ids(users)) ids.push_back(id);
  for (const std::string& id : Ids(invoices)) ids.push_back(id);
  std::cout << "records.findById:\n" << Must(records.FindById(ids), "records.findById").dump(2) << "\n";
  std::cout << "labels.find:\n" << Must(db->labels().Find(), "labels.find").dump(2) << "\n";
  std::cout << "properties.find:\n" << Must(db->properties().Find(), "properties.find").dump(2) << "\n";
  std::cout << "check:\n" << Must(loom::Check(*db), "check").dump(2) << "\n";
  return 0;
}
