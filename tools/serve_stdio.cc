// tools/serve_stdio.cc
#include "tools/serve_stdio.h"

#include <string>

#include "loom/status.h"
#include "tools/cli_context.h"

namespace loom::cli {
namespace {

Json ErrorResponse(const Json& id, const absl::Status& status) {
  return Json{{"id", id}, {"error", ErrorObject(status)}};
}

}  // namespace

Json HandleRequestLine(Database& db, std::string_view line, StdioSession* session) {
  absl::StatusOr<Json> request = ParseJsonText(line, "the request");
  if (!request.ok()) return ErrorResponse(nullptr, request.status());
  if (!request->is_object()) {
    return ErrorResponse(nullptr, InvalidArgument("", "a request must be an object {\"id\", \"method\", \"params\"}"));
  }
  Json id = nullptr;
  if (auto it = request->find("id"); it != request->end()) {
    if (!it->is_number_integer() && !it->is_number_unsigned() && !it->is_string() && !it->is_null()) {
      return ErrorResponse(nullptr, InvalidArgument("/id", "id must be a number or a string"));
    }
    id = *it;
  }
  auto method = request->find("method");
  if (method == request->end() || !method->is_string()) {
    return ErrorResponse(id, InvalidArgument("/method", "method must be a string such as \"records.find\""));
  }
  Json params = Json::object();
  if (auto it = request->find("params"); it != request->end() && !it->is_null()) params = *it;
  std::string tx;
  if (auto it = request->find("tx"); it != request->end() && !it->is_null()) {
    if (!it->is_string()) return ErrorResponse(id, InvalidArgument("/tx", "tx must be a transaction id string"));
    tx = it->get<std::string>();
  }
  for (const auto& [key, value] : request->items()) {
    if (key != "id" && key != "method" && key != "params" && key != "tx") {
      return ErrorResponse(id, InvalidArgument("/" + key, "unknown request key \"" + key + "\""));
    }
  }
  const std::string name = method->get<std::string>();
  if (session != nullptr && tx.empty() && !IsReadMethod(name) && !name.starts_with("tx.")) {
    for (auto it = session->open_transactions.begin(); it != session->open_transactions.end();) {
      if (!SafeCall(db, "tx.get", Json{{"id", *it}}).ok()) {  // ended by expiry meanwhile
        it = session->open_transactions.erase(it);
        continue;
      }
      return ErrorResponse(id, MakeError(ErrorCode::kInvalidArgument,
                                         "transaction " + *it + " opened on this connection holds the writer role: "
                                         "pass \"tx\": \"" + *it + "\" with this write, or commit or roll it back first",
                                         "/tx"));
    }
  }
  absl::StatusOr<Json> result = SafeCall(db, name, params, tx);
  if (session != nullptr) {
    if (name == "tx.begin" && result.ok() && result->contains("id")) {
      session->open_transactions.insert((*result)["id"].get<std::string>());
    }
    if (name == "tx.commit" || name == "tx.rollback") {
      const Json* ended = params.is_object() ? &params["id"] : &params;
      if (ended->is_string()) session->open_transactions.erase(ended->get<std::string>());
    }
  }
  if (!result.ok()) {
    Json response = ErrorResponse(id, result.status());
    // A failed write inside a transaction rolls it back (api.md §5): say so.
    if (!tx.empty() && !SafeCall(db, "tx.get", Json{{"id", tx}}).ok()) {
      if (session != nullptr) session->open_transactions.erase(tx);
      response["error"]["transaction"] = "rolled back";
    }
    return response;
  }
  return Json{{"id", id}, {"result", std::move(*result)}};
}

int ServeStdio(Database& db, std::istream& in, std::ostream& out) {
  std::string line;
  StdioSession session;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json response = HandleRequestLine(db, line, &session);
    out << response.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    out.flush();
  }
  return kExitOk;
}

}  // namespace loom::cli
