// engine/check.cc: loom::Check (RELIABILITY.md §1) over Store::Check.
#include "engine/database_impl.h"
#include "loom/status.h"

namespace loom::engine {

absl::StatusOr<Json> DatabaseImpl::Check() {
  LOOM_ASSIGN_OR_RETURN(storage::CheckReport report, store_->Check());
  Json problems = Json::array();
  for (const std::string& p : report.problems) problems.push_back(p);
  return Json{{"ok", report.problems.empty()},
              {"records", report.records},
              {"relationships", report.edges},
              {"problems", std::move(problems)}};
}

}  // namespace loom::engine
