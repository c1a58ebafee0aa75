// tests/query/reference/reference_select.cc: see the header. Aggregates are
// recomputed from the list of rows each time they are needed (no states);
// every rule cites the spec section it implements.
#include "tests/query/reference/reference_select.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "loom/datetime.h"
#include "loom/status.h"
#include "query/parse/parser.h"
#include "tests/query/reference/reference_evaluator.h"

namespace loom::reference {
namespace {

using Row = std::map<std::string, int>;

struct Scope {
  int root = -1;
  const Row* row = nullptr;
  int self = -1;  // the current record of a label-form $collect level
};

absl::Status TypeError(const std::string& what) { return MakeError(ErrorCode::kTypeError, what); }

bool IsFieldRef(const Json& e) {
  return e.is_string() && e.get<std::string>().size() > 1 && e.get<std::string>()[0] == '$' &&
         e.get<std::string>().find('.') != std::string::npos;
}

// Canonical text for equality of values (1 and 1.0 alike, §11.4 distinct).
std::string Key(const Json& v) {
  if (v.is_number()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) return "n" + std::to_string(static_cast<int64_t>(d));
    return "n" + v.dump();
  }
  if (v.is_array()) {
    std::string out = "[";
    for (const Json& e : v) out += Key(e) + ",";
    return out + "]";
  }
  if (v.is_object()) {
    std::string out = "{";
    for (const auto& [k, e] : v.items()) out += Json(k).dump() + ":" + Key(e) + ",";
    return out + "}";
  }
  return v.dump();
}

// data-model.md §10 order: lists < strings < booleans < numbers; null last.
int Rank(const Json& v) {
  if (v.is_array()) return 0;
  if (v.is_string()) return 1;
  if (v.is_boolean()) return 2;
  if (v.is_number()) return 3;
  if (v.is_object()) return 4;
  return 5;
}

int Order(const Json& a, const Json& b) {
  if (Rank(a) != Rank(b)) return Rank(a) < Rank(b) ? -1 : 1;
  if (a.is_array()) {
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (int c = Order(a[i], b[i]); c != 0) return c;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
  }
  if (a.is_string()) {
    const std::u16string x = ToUtf16(a.get<std::string>()), y = ToUtf16(b.get<std::string>());
    return x == y ? 0 : (x < y ? -1 : 1);
  }
  if (a.is_boolean()) return a.get<bool>() == b.get<bool>() ? 0 : (a.get<bool>() ? 1 : -1);
  if (a.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  return 0;
}

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t Days(int64_t y, int m, int d) {
  static const int kCum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  auto leap = [](int64_t yy) { return (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0; };
  int64_t days = 0;
  if (y >= 1970) {
    for (int64_t k = 1970; k < y; ++k) days += leap(k) ? 366 : 365;
  } else {
    for (int64_t k = y; k < 1970; ++k) days -= leap(k) ? 366 : 365;
  }
  days += kCum[m - 1] + (m > 2 && leap(y) ? 1 : 0) + d - 1;
  return days;
}

// §11.9 (and §15 for the ISO form): the calendar fields as written in the
// text, bucketed, read as UTC.
Json Bucket(const std::string& text, const std::string& unit, int64_t size, bool iso) {
  if (!ParseDatetimeInstant(text)) return Json();
  auto num = [&](size_t at, size_t len) { return text.size() >= at + len ? std::stoi(text.substr(at, len)) : 0; };
  int64_t y = num(0, 4);
  int mo = num(5, 2), d = num(8, 2);
  const bool time = text.size() > 10 && (text[10] == 'T' || text[10] == 't' || text[10] == ' ');
  int h = time ? num(11, 2) : 0, mi = time ? num(14, 2) : 0, s = time ? num(17, 2) : 0;
  int64_t days;
  if (unit == "second" || unit == "seconds") {
    s = static_cast<int>(s - s % size);
  } else if (unit == "minute" || unit == "minutes") {
    s = 0, mi = static_cast<int>(mi - mi % size);
  } else if (unit == "hour" || unit == "hours") {
    s = mi = 0, h = static_cast<int>(h - h % size);
  } else {
    s = mi = h = 0;
    if (unit == "month" || unit == "months") d = 1, mo = static_cast<int>((mo - 1) - (mo - 1) % size + 1);
    if (unit == "quarter") d = 1, mo = (mo - 1) / 3 * 3 + 1;
    if (unit == "year" || unit == "years") d = mo = 1, y = y - ((y % size) + size) % size;
  }
  days = Days(y, mo, d);
  if (unit == "week") {
    // 1970-01-01 was a Thursday; Monday starts the ISO week.
    const int64_t weekday = ((days % 7) + 7 + 3) % 7;  // 0 = Monday
    days -= weekday;
  }
  const int64_t secs = days * 86400 + h * 3600 + mi * 60 + s;
  if (!iso) return Json(secs * 1000);
  return Json(FormatInstantUtc(Instant{secs, 0}));
}

Json ScalarJson(const Scalar& s) {
  if (const double* d = std::get_if<double>(&s)) return Json(*d);
  if (const bool* b = std::get_if<bool>(&s)) return Json(*b);
  return Json(std::get<std::string>(s));
}

// Integral floats render as integers, non-finite numbers as null (§11.5).
Json Render(Json v) {
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!std::isfinite(d)) return Json();
    if (d == std::floor(d) && std::fabs(d) < 9e15) return Json(static_cast<int64_t>(d));
  }
  if (v.is_array() || v.is_object()) {
    for (auto& [k, e] : v.items()) e = Render(e);
  }
  return v;
}

int64_t HelperLimit(const Json& spec) {
  if (!spec.contains("limit") || !spec["limit"].is_number()) return 100;
  const double d = spec["limit"].get<double>();
  return d >= 1 && d <= 1000 ? static_cast<int64_t>(d) : 100;
}
int64_t HelperSkip(const Json& spec) {
  if (!spec.contains("skip") || !spec["skip"].is_number()) return 0;
  const double d = spec["skip"].get<double>();
  return d > 0 ? static_cast<int64_t>(d) : 0;
}

class Oracle {
 public:
  Oracle(const SelectInput& in, const query::ast::Query& q) : in_(in), q_(q) {}

  absl::StatusOr<Json> Run() {
    if (q_.has_select) {
      select_ = q_.select;
    } else {
      legacy_ = true;
      for (const auto& [k, v] : q_.aggregate.items()) select_[k] = FromLegacy(v);
    }
    for (const auto& [k, unused] : select_.items()) keys_.push_back(k);
    order_ = EvalOrder();
    grouped_ = q_.has_select && q_.group_by.is_array() && !q_.group_by.empty();
    return grouped_ ? Grouped() : Flat();
  }

 private:
  // §15: the legacy instructions as select expressions (internal `$$` forms
  // for what select cannot say).
  static Json FromLegacy(const Json& v) {
    if (v.is_string()) return v;
    const std::string fn = v["fn"];
    const std::string alias = v.contains("alias") ? v["alias"].get<std::string>() : "$record";
    const std::string ref = v.contains("field") ? alias + "." + v["field"].get<std::string>() : alias;
    if (fn == "count") {
      if (v.contains("unique") && v["unique"] == false) return Json{{"$$countRows", ref}};
      return Json{{"$count", ref}};
    }
    if (fn == "sum" || fn == "avg" || fn == "min" || fn == "max") {
      Json e = Json{{"$" + fn, ref}};
      if (v.contains("precision")) e["$precision"] = v["precision"];
      return e;
    }
    if (fn == "collect") {
      Json c = v;
      c["from"] = alias;
      if (v.contains("field")) return Json{{"$$values", c}};
      return Json{{"$collect", c}};
    }
    if (fn == "timeBucket") return Json{{"$$isoBucket", {{"field", ref}, {"unit", v["granularity"]}, {"size", v.value("size", 1)}}}};
    return Json{{"$$similarity", {{"fn", fn}, {"field", ref}, {"query", v["query"]}}}};
  }

  bool IsAggregate(const Json& e) const {
    if (!e.is_object()) return false;
    for (const auto& [k, v] : e.items()) {
      if (k == "$sum" || k == "$avg" || k == "$count" || k == "$min" || k == "$max" || k == "$$countRows" ||
          k == "$$values") {
        return true;
      }
      if (k == "$collect") return v.contains("from");
      if (k == "$ref") return IsAggregate(select_[v.get<std::string>()]);
      if (k == "$add" || k == "$subtract" || k == "$multiply" || k == "$divide") {
        return IsAggregate(v[0]) || IsAggregate(v[1]);
      }
    }
    return false;
  }

  // §11.6: keys after those they refer to, otherwise declaration order.
  std::vector<std::string> EvalOrder() const {
    std::vector<std::string> out;
    std::set<std::string> done;
    std::function<void(const Json&)> refs;
    std::function<void(const std::string&)> visit = [&](const std::string& k) {
      if (done.count(k)) return;
      done.insert(k);
      refs(select_[k]);
      out.push_back(k);
    };
    refs = [&](const Json& e) {
      if (!e.is_object() && !e.is_array()) return;
      if (e.is_object() && e.contains("$ref")) visit(e["$ref"].get<std::string>());
      for (const auto& [k, v] : e.items()) refs(v);
    };
    for (const std::string& k : keys_) visit(k);
    return out;
  }

  const Record& Rec(int i) const { return in_.graph->records[i]; }

  int Bound(const std::string& alias, const Scope& s) const {
    if (alias == "$record") return s.root;
    if (alias == "$self") return s.self;
    if (s.row == nullptr) return -1;
    auto it = s.row->find(alias);
    return it == s.row->end() ? -1 : it->second;
  }

  Json Field(int rec, const std::string& field, bool* datetime = nullptr) const {
    if (rec < 0) return Json();
    if (field == "__id") return Json(Rec(rec).id);
    const Value* v = Rec(rec).Find(field);
    if (v == nullptr) return Json();
    if (datetime != nullptr) *datetime = v->type == PropType::kDatetime;
    if (!v->is_array) return ScalarJson(v->items[0]);
    Json out = Json::array();
    for (const Scalar& s : v->items) out.push_back(ScalarJson(s));
    return out;
  }

  Json RecordJsonOf(int rec) const { return RecordToJson(Rec(rec)); }

  // A row-level expression on one row.
  absl::StatusOr<Json> RowValue(const Json& e, const Scope& s, std::map<std::string, Json>* keys) {
    if (e.is_string()) {
      const std::string t = e;
      const size_t dot = t.find('.');
      const int rec = Bound(t.substr(0, dot), s);
      if (dot == std::string::npos) return rec < 0 ? Json() : RecordJsonOf(rec);
      return Field(rec, t.substr(dot + 1));
    }
    if (!e.is_object()) return e;  // number or boolean literal
    const auto& [op, arg] = *e.items().begin();
    if (op == "$ref") {
      const std::string k = arg;
      if (keys->count(k) == 0) {  // not computed on this row yet: compute it
        auto v = RowValue(select_[k], s, keys);
        if (!v.ok()) return v;
        (*keys)[k] = *v;
      }
      return (*keys)[k];
    }
    if (op == "$add" || op == "$subtract" || op == "$multiply" || op == "$divide") {
      auto a = RowValue(arg[0], s, keys);
      if (!a.ok()) return a;
      auto b = RowValue(arg[1], s, keys);
      if (!b.ok()) return b;
      return Math(op, *a, *b);
    }
    if (op == "$timeBucket" || op == "$$isoBucket") {
      const std::string t = arg["field"];
      const size_t dot = t.find('.');
      bool datetime = false;
      Json v = Field(Bound(t.substr(0, dot), s), t.substr(dot + 1), &datetime);
      if (!datetime || !v.is_string()) return Json();
      return Bucket(v.get<std::string>(), arg["unit"], arg.value("size", 1), op == "$$isoBucket");
    }
    if (op == "$$similarity") {
      const std::string t = arg["field"];
      const size_t dot = t.find('.');
      Json v = Field(Bound(t.substr(0, dot), s), t.substr(dot + 1));
      return Similarity(arg["fn"], v, arg["query"]);
    }
    if (op == "$collect") return LabelCollect(arg, s.self >= 0 ? s.self : s.root, s);
    return absl::InternalError("not a row-level expression: " + e.dump());
  }

  static absl::StatusOr<Json> Math(const std::string& op, const Json& a, const Json& b) {
    if (a.is_null() || b.is_null()) return Json();
    if (a.is_number() && b.is_number()) {
      const bool ints = a.is_number_integer() && b.is_number_integer();
      if (ints) {
        const int64_t x = a.get<int64_t>(), y = b.get<int64_t>();
        if (op == "$add") return Json(x + y);
        if (op == "$subtract") return Json(x - y);
        if (op == "$multiply") return Json(x * y);
        if (y == 0) return TypeError("integer division by zero");
        return Json(x / y);
      }
      const double x = a.get<double>(), y = b.get<double>();
      if (op == "$add") return Json(x + y);
      if (op == "$subtract") return Json(x - y);
      if (op == "$multiply") return Json(x * y);
      return Json(x / y);
    }
    if (op == "$add" && (a.is_string() || b.is_string()) && (a.is_string() || a.is_number()) &&
        (b.is_string() || b.is_number())) {
      auto text = [](const Json& v) {
        if (v.is_string()) return v.get<std::string>();
        if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
        return FormatNumber(v.get<double>());
      };
      return Json(text(a) + text(b));
    }
    return TypeError(op + " on incompatible values");
  }

  static Json Similarity(const std::string& fn, const Json& v, const Json& q) {
    if (!v.is_array() || v.size() != q.size()) return Json();
    double dot = 0, na = 0, nq = 0, dist = 0;
    for (size_t i = 0; i < q.size(); ++i) {
      if (!v[i].is_number()) return Json();
      const double a = v[i].get<double>(), b = q[i].get<double>();
      dot += a * b, na += a * a, nq += b * b, dist += (a - b) * (a - b);
    }
    if (fn == "vector.similarity.euclidean") return Json(1 / (1 + dist));
    if (na == 0 || nq == 0) return Json();
    return Json((1 + dot / std::sqrt(na * nq)) / 2);
  }

  // §11.7 / §11.8 item lists: unique by value, ordered, paged.
  struct Item {
    Json value;
    std::string id;
  };
  static Json Finish(const Json& spec, std::vector<Item> items) {
    if (spec.value("unique", true)) {
      std::vector<Item> kept;
      std::set<std::string> seen;
      for (Item& it : items) {
        if (seen.insert(Key(it.value)).second) kept.push_back(std::move(it));
      }
      items = std::move(kept);
    }
    std::vector<std::pair<std::string, bool>> order;
    if (spec.contains("orderBy") && spec["orderBy"].is_object()) {
      for (const auto& [k, d] : spec["orderBy"].items()) order.emplace_back(k, d == "desc");
    }
    std::stable_sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
      for (const auto& [k, desc] : order) {
        const Json x = a.value.is_object() && a.value.contains(k) ? a.value[k] : Json();
        const Json y = b.value.is_object() && b.value.contains(k) ? b.value[k] : Json();
        int c = Order(x, y);
        if (desc) c = -c;
        if (c != 0) return c < 0;
      }
      return ToUtf16(a.id) > ToUtf16(b.id);
    });
    Json out = Json::array();
    const int64_t skip = HelperSkip(spec), limit = HelperLimit(spec);
    for (int64_t i = skip; i < static_cast<int64_t>(items.size()) && i < skip + limit; ++i) out.push_back(items[i].value);
    return out;
  }

  absl::StatusOr<Json> LabelCollect(const Json& spec, int at, const Scope& outer) {
    std::vector<Item> items;
    absl::StatusOr<query::ast::Where> where = query::ast::Where{};
    if (spec.contains("where") && !spec["where"].is_null()) where = query::ParseWhere(spec["where"], "/where");
    if (!where.ok()) return where.status();
    auto it = in_.neighbours.find(at);
    std::vector<int> ends = it == in_.neighbours.end() ? std::vector<int>{} : it->second;
    std::stable_sort(ends.begin(), ends.end(), [&](int a, int b) { return Rec(a).id < Rec(b).id; });
    for (int n : ends) {
      if (Rec(n).label != spec["label"].get<std::string>()) continue;
      if (!FieldsHold(*where, n)) continue;
      Item item{Json(), Rec(n).id};
      if (spec.contains("select") && spec["select"].is_object()) {
        item.value = Json::object();
        const Scope inner{outer.root, outer.row, n};
        for (const auto& [k, e] : spec["select"].items()) {
          Json v;
          if (IsFieldRef(e)) {
            auto r = RowValue(e, inner, nullptr);
            if (!r.ok()) return r;
            v = *r;
          } else if (e.is_object() && e.contains("$collect") && e["$collect"].contains("label")) {
            auto r = LabelCollect(e["$collect"], n, inner);
            if (!r.ok()) return r;
            v = *r;
          } else {
            continue;  // dropped (§11.8)
          }
          if (!v.is_null()) item.value[k] = Render(v);
        }
        if (Rec(n).label) item.value["__label"] = *Rec(n).label;
      } else {
        item.value = RecordJsonOf(n);
      }
      items.push_back(std::move(item));
    }
    return Finish(spec, std::move(items));
  }

  // Field criteria of a $collect where, on one record.
  bool FieldsHold(const query::ast::Where& w, int rec) const {
    for (const query::ast::WhereNode& n : w.entries) {
      if (NodeTruth(n, rec) != Truth::kTrue) return false;
    }
    return true;
  }
  Truth NodeTruth(const query::ast::WhereNode& n, int rec) const {
    using K = query::ast::WhereNode::Kind;
    auto all = [&](Truth start, auto combine) {
      Truth t = start;
      for (const auto& c : n.children) t = combine(t, NodeTruth(c, rec));
      return t;
    };
    auto and3 = [](Truth a, Truth b) {
      if (a == Truth::kFalse || b == Truth::kFalse) return Truth::kFalse;
      return a == Truth::kUnknown || b == Truth::kUnknown ? Truth::kUnknown : Truth::kTrue;
    };
    auto or3 = [](Truth a, Truth b) {
      if (a == Truth::kTrue || b == Truth::kTrue) return Truth::kTrue;
      return a == Truth::kUnknown || b == Truth::kUnknown ? Truth::kUnknown : Truth::kFalse;
    };
    auto not3 = [](Truth a) { return a == Truth::kUnknown ? a : (a == Truth::kTrue ? Truth::kFalse : Truth::kTrue); };
    switch (n.kind) {
      case K::kField:
        return EvaluateCriterion(Rec(rec), n.field, n.criterion);
      case K::kId: {
        Record r;
        r.properties.push_back({"__id", Value::Of(PropType::kString, Rec(rec).id)});
        return EvaluateCriterion(r, "__id", n.criterion);
      }
      case K::kAnd:
        return all(Truth::kTrue, and3);
      case K::kNot:
        return not3(all(Truth::kTrue, and3));
      case K::kOr:
        return all(Truth::kFalse, or3);
      case K::kNor:
        return not3(all(Truth::kFalse, or3));
      case K::kXor: {
        Truth t = Truth::kFalse;
        for (const auto& c : n.children) {
          const Truth x = NodeTruth(c, rec);
          t = (t == Truth::kUnknown || x == Truth::kUnknown) ? Truth::kUnknown
                                                             : ((t == Truth::kTrue) != (x == Truth::kTrue) ? Truth::kTrue : Truth::kFalse);
        }
        return t;
      }
      default:
        return Truth::kUnknown;
    }
  }

  // An aggregate-level expression over the rows of one output row (§11.4).
  absl::StatusOr<Json> Final(const Json& e, const std::vector<Scope>& rows, std::map<std::string, Json>* keys) {
    if (!IsAggregate(e)) {
      if (rows.empty()) return e.is_object() || e.is_string() ? Json() : e;
      return RowValue(e, rows[0], keys);
    }
    const auto& [op, arg] = *e.items().begin();
    if (op == "$ref") return (*keys)[arg.get<std::string>()];
    if (op == "$add" || op == "$subtract" || op == "$multiply" || op == "$divide") {
      auto a = Final(arg[0], rows, keys);
      if (!a.ok()) return a;
      auto b = Final(arg[1], rows, keys);
      if (!b.ok()) return b;
      return Math(op, *a, *b);
    }
    if (op == "$collect" || op == "$$values") {
      std::vector<Item> items;
      const std::string from = arg["from"];
      for (const Scope& s : rows) {
        const int rec = Bound(from, s);
        if (rec < 0) continue;
        if (op == "$$values") {
          Json v = Field(rec, arg["field"]);
          if (v.is_null()) continue;
          if (!v.is_array()) v = Json::array({v});
          for (const Json& x : v) items.push_back({x, ""});
          continue;
        }
        Item item{Json(), Rec(rec).id};
        if (arg.contains("select") && arg["select"].is_object()) {
          item.value = Json::object();
          for (const auto& [k, ref] : arg["select"].items()) {
            auto v = RowValue(ref, s, keys);
            if (!v.ok()) return v;
            if (!v->is_null()) item.value[k] = Render(*v);
          }
          if (Rec(rec).label) item.value["__label"] = *Rec(rec).label;  // unlabeled: no key
        } else {
          item.value = RecordJsonOf(rec);
        }
        items.push_back(std::move(item));
      }
      if (op == "$$values") {
        if (arg.value("unique", true)) {
          std::vector<Item> kept;
          std::set<std::string> seen;
          for (Item& it : items) {
            if (seen.insert(Key(it.value)).second) kept.push_back(std::move(it));
          }
          items = std::move(kept);
        }
        std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return Order(a.value, b.value) < 0; });
        Json out = Json::array();
        const int64_t skip = HelperSkip(arg), limit = HelperLimit(arg);
        for (int64_t i = skip; i < static_cast<int64_t>(items.size()) && i < skip + limit; ++i) out.push_back(items[i].value);
        return out;
      }
      return Finish(arg, std::move(items));
    }
    // $sum $avg $count $min $max over the non-null values of the rows.
    if (op == "$count" && arg == "*") {
      std::set<int> roots;
      for (const Scope& s : rows) roots.insert(s.root);
      return Json(static_cast<int64_t>(roots.size()));
    }
    std::vector<Json> values;
    std::set<int> records;  // "$alias" inside $count: distinct bound records
    for (const Scope& s : rows) {
      if (arg.is_string() && arg.get<std::string>().find('.') == std::string::npos) {  // "$alias"
        const int rec = Bound(arg, s);
        if (rec < 0) continue;
        if (op == "$count") {
          records.insert(rec);
          continue;
        }
      }
      auto v = RowValue(arg, s, keys);
      if (!v.ok()) return v;
      if (!v->is_null()) values.push_back(*v);
    }
    if (op == "$count") {
      if (!records.empty()) return Json(static_cast<int64_t>(records.size()));
      std::set<std::string> distinct;
      for (const Json& v : values) distinct.insert(Key(v));
      return Json(static_cast<int64_t>(distinct.size()));
    }
    if (op == "$$countRows") return Json(static_cast<int64_t>(values.size() + records.size()));
    if (op == "$min" || op == "$max") {
      if (values.empty()) return Json();
      Json best = values[0];
      for (const Json& v : values) {
        const int c = Order(v, best);
        if ((op == "$min" && c < 0) || (op == "$max" && c > 0)) best = v;
      }
      return best;
    }
    bool all_int = true;
    double fsum = 0;
    int64_t isum = 0;
    for (const Json& v : values) {
      if (!v.is_number()) return TypeError(op + " over a non-number");
      if (!v.is_number_integer()) all_int = false;
      fsum += v.get<double>();
      if (v.is_number_integer()) isum += v.get<int64_t>();
    }
    if (op == "$sum") return all_int ? Json(isum) : Json(fsum);
    if (values.empty()) return Json();  // $avg of nothing
    const double avg = fsum / static_cast<double>(values.size());
    if (!e.contains("$precision")) return Json(avg);
    const int p = e["$precision"].get<int>();
    if (p == 0) return Json(static_cast<int64_t>(std::trunc(avg)));
    const double scale = std::pow(10.0, p);
    return Json(std::round(avg * scale) / scale);
  }

  // The select keys' values for one output row: row-level keys from the
  // first row, aggregate-level ones over all of them.
  absl::StatusOr<std::map<std::string, Json>> Values(const std::vector<Scope>& rows) {
    std::map<std::string, Json> keys;
    for (const std::string& k : order_) {
      auto v = Final(select_[k], rows, &keys);
      if (!v.ok()) return v.status();
      keys[k] = *v;
    }
    return keys;
  }

  static void Put(Json& row, const std::string& k, const Json& v) {
    if (v.is_null()) {
      row.erase(k);
      return;
    }
    row[k] = Render(v);
  }

  bool Late() const {
    if (!q_.order_by.explicit_keys || q_.order_by.keys.size() != 1) return false;
    const std::string& k = q_.order_by.keys[0].key;
    if (!select_.contains(k)) return false;
    if (legacy_) return true;
    const Json& e = select_[k];
    return !(e.is_string() && e.get<std::string>().rfind('$', 0) == 0);
  }

  std::vector<Scope> ScopesOf(int root) const {
    std::vector<Scope> out;
    for (const Row& r : in_.rows.at(root)) out.push_back({root, &r, -1});
    return out;
  }

  static void SortRows(Json* rows, const std::vector<query::ast::OrderKey>& keys) {
    std::vector<Json> v(rows->begin(), rows->end());
    std::stable_sort(v.begin(), v.end(), [&](const Json& a, const Json& b) {
      for (const auto& k : keys) {
        int c = Order(a.contains(k.key) ? a[k.key] : Json(), b.contains(k.key) ? b[k.key] : Json());
        if (k.descending) c = -c;
        if (c != 0) return c < 0;
      }
      return false;
    });
    *rows = Json(v);
  }

  Json Page(const Json& rows) const {
    Json out = Json::array();
    for (int64_t i = q_.skip; i < static_cast<int64_t>(rows.size()) && i < q_.skip + q_.limit; ++i) out.push_back(rows[i]);
    return out;
  }

  // §11.2 flat mode.
  absl::StatusOr<Json> Flat() {
    const bool late = Late();
    std::vector<int> roots = late ? in_.roots_by_id_desc : in_.roots_ordered;
    if (!late) {
      std::vector<int> page;
      for (int64_t i = q_.skip; i < static_cast<int64_t>(roots.size()) && i < q_.skip + q_.limit; ++i) page.push_back(roots[i]);
      roots = page;
    }
    Json out = Json::array();
    for (int root : roots) {
      // Split the root's rows by their row-level values (label collects
      // are per root and do not split).
      std::vector<std::string> split_keys;
      std::vector<std::vector<Scope>> parts;
      for (const Scope& s : ScopesOf(root)) {
        std::map<std::string, Json> keys;
        std::string part_key;
        for (const std::string& k : order_) {
          const Json& e = select_[k];
          if (IsAggregate(e)) continue;
          if (e.is_object() && e.contains("$collect")) continue;
          auto v = RowValue(e, s, &keys);
          if (!v.ok()) return v.status();
          keys[k] = *v;
          part_key += Key(*v) + "|";
        }
        auto it = std::find(split_keys.begin(), split_keys.end(), part_key);
        if (it == split_keys.end()) {
          split_keys.push_back(part_key);
          parts.push_back({s});
        } else {
          parts[it - split_keys.begin()].push_back(s);
        }
      }
      for (const std::vector<Scope>& part : parts) {
        auto values = Values(part);
        if (!values.ok()) return values.status();
        Json row = RecordJsonOf(root);
        for (const std::string& k : keys_) Put(row, k, (*values)[k]);
        out.push_back(row);
      }
    }
    if (late) {
      SortRows(&out, q_.order_by.keys);
      return Page(out);
    }
    return out;
  }

  // §12 grouped mode (every matching root, D23).
  absl::StatusOr<Json> Grouped() {
    struct Dim {
      std::string ref;  // "$alias.field"
      std::string out;
    };
    std::vector<Dim> dims;
    std::set<std::string> listed;
    for (const Json& g : q_.group_by) {
      const std::string entry = g;
      if (entry[0] == '$') {
        dims.push_back({entry, entry.substr(entry.find('.') + 1)});
      } else {
        listed.insert(entry);
        if (IsFieldRef(select_[entry])) dims.push_back({select_[entry].get<std::string>(), entry});
      }
    }
    // Implicit group keys: select keys neither aggregates nor field refs.
    std::vector<std::string> implicit;
    for (const std::string& k : order_) {
      if (!IsAggregate(select_[k]) && !IsFieldRef(select_[k])) implicit.push_back(k);
    }
    std::vector<std::string> group_keys;
    std::vector<std::vector<Scope>> groups;
    std::vector<std::vector<Json>> dim_values;
    if (dims.empty() && implicit.empty()) {
      group_keys.push_back("");
      groups.emplace_back();
      dim_values.emplace_back();
    }
    for (int root : in_.roots_by_id_desc) {
      for (const Scope& s : ScopesOf(root)) {
        std::map<std::string, Json> keys;
        std::string gk;
        std::vector<Json> dv;
        for (const Dim& d : dims) {
          auto v = RowValue(d.ref, s, &keys);
          if (!v.ok()) return v.status();
          gk += Key(*v) + "|";
          dv.push_back(*v);
        }
        for (const std::string& k : implicit) {
          auto v = RowValue(select_[k], s, &keys);
          if (!v.ok()) return v.status();
          keys[k] = *v;
          gk += Key(*v) + "|";
        }
        auto it = std::find(group_keys.begin(), group_keys.end(), gk);
        if (it == group_keys.end()) {
          group_keys.push_back(gk);
          groups.push_back({s});
          dim_values.push_back(dv);
        } else {
          groups[it - group_keys.begin()].push_back(s);
        }
      }
    }
    Json out = Json::array();
    for (size_t g = 0; g < groups.size(); ++g) {
      auto values = Values(groups[g]);
      if (!values.ok()) return values.status();
      Json row = Json::object();
      for (const std::string& k : order_) {
        if (IsFieldRef(select_[k]) || listed.count(k)) continue;
        Put(row, k, (*values)[k]);
      }
      size_t d = 0;
      for (const Json& entry : q_.group_by) {
        const std::string e = entry;
        if (e[0] == '$' || IsFieldRef(select_[e])) {
          Put(row, dims[d].out, dim_values[g][d]);
          ++d;
        } else {
          Put(row, e, (*values)[e]);
        }
      }
      out.push_back(row);
    }
    if (q_.order_by.explicit_keys) SortRows(&out, q_.order_by.keys);
    return Page(out);
  }

  const SelectInput& in_;
  const query::ast::Query& q_;
  Json select_ = Json::object();
  bool legacy_ = false;
  bool grouped_ = false;
  std::vector<std::string> keys_;
  std::vector<std::string> order_;
};

}  // namespace

absl::StatusOr<Json> EvaluateSelect(const SelectInput& in, const query::ast::Query& q) {
  Oracle oracle(in, q);
  return oracle.Run();
}

}  // namespace loom::reference
