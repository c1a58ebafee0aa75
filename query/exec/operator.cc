#include "query/exec/operator.h"

#include <chrono>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "loom/status.h"

namespace loom::query::exec {

ExecContext::ExecContext(const ast::Query& q, storage::ReadView& v, const ExecOptions& o)
    : query(q), view(v), options(o), stop(o.interrupts, o.timeout_ms) {
  ResetMatcher();
}

void ExecContext::ResetMatcher() {
  matcher = std::make_unique<Matcher>(view, options.max_traversal_steps);
  for (const auto& [block, set] : binding_sets) matcher->SetBindingSet(*block, set);
}

absl::Status PhysicalOperator::Execute(ExecContext& ctx) const {
  if (child_ != nullptr) LOOM_RETURN_IF_ERROR(child_->Execute(ctx));
  if (!ctx.profile) return Run(ctx);
  const auto start = std::chrono::steady_clock::now();
  LOOM_RETURN_IF_ERROR(Run(ctx));
  const auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
  if (static_cast<size_t>(id_) >= ctx.runs.size()) ctx.runs.resize(id_ + 1);
  ctx.runs[id_] = {true, OutputRows(ctx), nanos};
  return absl::OkStatus();
}

namespace {

const ExecContext::Run* RunOf(const ExecContext* ran, const PhysicalOperator& op) {
  if (ran == nullptr || static_cast<size_t>(op.id()) >= ran->runs.size()) return nullptr;
  const ExecContext::Run& run = ran->runs[op.id()];
  return run.ran ? &run : nullptr;
}

std::string FormatMs(int64_t nanos) { return absl::StrFormat("%.3fms", static_cast<double>(nanos) / 1e6); }

}  // namespace

std::string PhysicalPlan::ToText(const ExecContext* ran) const {
  std::string out;
  for (const PhysicalOperator* op = root.get(); op != nullptr; op = op->child()) {
    if (op != root.get()) out += "<";
    absl::StrAppend(&out, op->name());
    if (!op->detail().empty()) absl::StrAppend(&out, "(", op->detail(), ")");
    if (ran != nullptr) {
      absl::StrAppend(&out, "[est=", FormatNumber(std::round(op->estimated_rows())));
      if (const ExecContext::Run* run = RunOf(ran, *op)) {
        absl::StrAppend(&out, ", rows=", run->rows, ", time=", FormatMs(run->nanos));
      }
      out += "]";
    }
  }
  return out;
}

Json PhysicalPlan::ToJson(const ExecContext* ran) const {
  std::vector<const PhysicalOperator*> chain;
  for (const PhysicalOperator* op = root.get(); op != nullptr; op = op->child()) chain.push_back(op);
  Json node;  // built bottom-up
  for (size_t i = chain.size(); i-- > 0;) {
    const PhysicalOperator& op = *chain[i];
    Json cur = Json::object();
    cur["op"] = op.name();
    if (!op.detail().empty()) cur["detail"] = op.detail();
    cur["estimatedRows"] = std::round(op.estimated_rows());
    if (const ExecContext::Run* run = RunOf(ran, op)) {
      cur["actualRows"] = run->rows;
      cur["timeMs"] = std::round(static_cast<double>(run->nanos) / 1e3) / 1e3;
    }
    if (!node.is_null()) cur["input"] = std::move(node);
    node = std::move(cur);
  }
  Json out = Json::object();
  out["plan"] = ToText();
  out["cost"] = std::round(estimated_cost * 100) / 100;
  out["root"] = std::move(node);
  Json alts = Json::array();
  for (const plan::Alternative& alt : alternatives) {
    alts.push_back({{"source", alt.description},
                    {"cost", std::round(alt.cost * 100) / 100},
                    {"estimatedRows", std::round(alt.rows)}});
  }
  out["alternatives"] = std::move(alts);
  return out;
}

}  // namespace loom::query::exec
