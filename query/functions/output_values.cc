#include "query/functions/output_values.h"

#include <cmath>
#include <cstring>

namespace loom::query {
namespace {

int KindRank(const Json& v) {
  if (v.is_array()) return 0;
  if (v.is_string()) return 1;
  if (v.is_boolean()) return 2;
  if (v.is_number()) return 3;
  if (v.is_object()) return 4;
  return 5;  // null: absent sorts last
}

}  // namespace

Json PropertyToValue(const Value& value) {
  auto scalar = [](const Scalar& s) -> Json {
    if (const double* d = std::get_if<double>(&s)) return Json(*d);
    if (const bool* b = std::get_if<bool>(&s)) return Json(*b);
    return Json(std::get<std::string>(s));
  };
  if (!value.is_array) return value.items.empty() ? Json(nullptr) : scalar(value.items.front());
  Json out = Json::array();
  for (const Scalar& s : value.items) out.push_back(scalar(s));
  return out;
}

int CompareOutputValues(const Json& a, const Json& b) {
  const int ra = KindRank(a), rb = KindRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0: {
      const size_t n = std::min(a.size(), b.size());
      for (size_t i = 0; i < n; ++i) {
        if (int c = CompareOutputValues(a[i], b[i]); c != 0) return c;
      }
      return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
    }
    case 1:
      return CompareUtf16(a.get_ref<const std::string&>(), b.get_ref<const std::string&>());
    case 2:
      return a.get<bool>() == b.get<bool>() ? 0 : (a.get<bool>() ? 1 : -1);
    case 3: {
      if (a.is_number_integer() && b.is_number_integer()) {
        const int64_t x = a.get<int64_t>(), y = b.get<int64_t>();
        return x == y ? 0 : (x < y ? -1 : 1);
      }
      const double x = a.get<double>(), y = b.get<double>();
      if (x < y) return -1;
      if (x > y) return 1;
      if (x == y) return 0;
      return std::isnan(x) ? (std::isnan(y) ? 0 : 1) : -1;
    }
    case 4:
      return 0;  // records and collected items have no order of their own (§10 orders values)
    default:
      return 0;
  }
}

void AppendCanonicalKey(const Json& value, std::string* out) {
  if (value.is_number()) {
    const double d = value.get<double>();
    if (value.is_number_integer() || (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0)) {
      out->append("i");
      out->append(std::to_string(value.is_number_integer() ? value.get<int64_t>() : static_cast<int64_t>(d)));
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "f%.17g", d);
      out->append(buf);
    }
    out->push_back(';');
    return;
  }
  if (value.is_array()) {
    out->append("[");
    for (const Json& item : value) AppendCanonicalKey(item, out);
    out->append("]");
    return;
  }
  if (value.is_object()) {
    out->append("{");
    for (const auto& [k, v] : value.items()) {
      out->append(std::to_string(k.size()));
      out->push_back(':');
      out->append(k);
      AppendCanonicalKey(v, out);
    }
    out->append("}");
    return;
  }
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    out->append("s");
    out->append(std::to_string(s.size()));
    out->push_back(':');
    out->append(s);
    return;
  }
  if (value.is_boolean()) {
    out->append(value.get<bool>() ? "T" : "F");
    return;
  }
  out->append("N");
}

std::string CanonicalKey(const Json& value) {
  std::string out;
  AppendCanonicalKey(value, &out);
  return out;
}

Json ToOutput(Json value) {
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (!std::isfinite(d)) return Json(nullptr);
    if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0) return Json(static_cast<int64_t>(d));
    return value;
  }
  if (value.is_array() || value.is_object()) {
    for (auto& [k, v] : value.items()) v = ToOutput(std::move(v));
  }
  return value;
}

}  // namespace loom::query
