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

static std::string FormatRows(double rows) {
  return FormatNumber(std::round(rows));
}

std::string LogicalPlan::ToText(bool with_rows) const {
  std::string out;
  for (size_t i = 0; i < ops.size(); ++i) {
    const PlanOp& op = ops[i];
    if (i > 0) out += "<";
    absl::StrAppend(&out, op.name);
    if (!op.detail.empty()) absl::StrAppend(&out, "(", op.detail, ")");
    if (with_rows) {
      absl::StrAppend(&out, "[est=", FormatRows(op.estimated_rows));
      if (op.actual_rows) absl::StrAppend(&out, ", rows=", *op.actual_rows);
      out += "]";
    }
  }
  return out;
}

Json LogicalPlan::ToJson() const {
  Json node;  // built bottom-up
  for (size_t i = ops.size(); i-- > 0;) {
    const PlanOp& op = ops[i];
    Json cur = Json::object();
    cur["op"] = op.name;
    if (!op.detail.empty()) cur["detail"] = op.detail;
    cur["estimatedRows"] = std::round(op.estimated_rows);
    if (op.actual_rows) cur["actualRows"] = *op.actual_rows;
    if (!node.is_null()) cur["input"] = std::move(node);
    node = std::move(cur);
  }
  Json out = Json::object();
  out["plan"] = ToText();
  out["cost"] = std::round(estimated_cost * 100) / 100;
  out["root"] = std::move(node);
  Json alts = Json::array();
  for (const Alternative& alt : alternatives) {
    alts.push_back({{"source", alt.description},
                    {"cost", std::round(alt.cost * 100) / 100},
                    {"estimatedRows", std::round(alt.rows)}});
  }
  out["alternatives"] = std::move(alts);
  return out;
}

}  // namespace loom::query::plan
