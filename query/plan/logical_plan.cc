#include "query/plan/logical_plan.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace loom::query::plan {

std::string FormatScalarForPlan(const Scalar& scalar) {
  if (const auto* s = std::get_if<std::string>(&scalar)) return Json(*s).dump();
  return ScalarToString(scalar);
}

PlanOp* LogicalPlan::FindOp(PlanOp::Role role) {
  for (PlanOp& op : ops) {
    if (op.role == role) return &op;
  }
  return nullptr;
}

std::string LogicalPlan::ToText() const {
  std::string out;
  for (size_t i = 0; i < ops.size(); ++i) {
    const PlanOp& op = ops[i];
    if (i > 0) out += "<";
    absl::StrAppend(&out, op.name);
    if (!op.detail.empty()) absl::StrAppend(&out, "(", op.detail, ")");
  }
  return out;
}

}  // namespace loom::query::plan
