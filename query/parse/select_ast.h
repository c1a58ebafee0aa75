// query/parse/select_ast.h: the validated output clause of a SearchQuery:
// `select` expressions (spec/query.md §11), `groupBy` (§12) and the legacy
// `aggregate` clause (§15), which the parser rewrites into the same form.
//
// Plain value trees like the rest of the AST; every node keeps `path`, the
// JSON Pointer of the request node it came from. Aggregates are referred to
// by their registry entry (query/functions/aggregates.h), so evaluation never
// dispatches on names again.
#ifndef LOOM_QUERY_PARSE_SELECT_AST_H_
#define LOOM_QUERY_PARSE_SELECT_AST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loom/json.h"
#include "query/parse/ast.h"

namespace loom::query {
struct AggregateFunction;  // query/functions/aggregates.h
}

namespace loom::query::ast {

struct Collect;

// Units of `$timeBucket` (§11.9).
enum class TimeUnit { kSecond, kMinute, kHour, kDay, kWeek, kMonth, kQuarter, kYear };

enum class MathOp { kAdd, kSubtract, kMultiply, kDivide };

enum class Similarity { kCosine, kEuclidean };

// One select expression.
//  kField       `"$alias.field"`: `alias` ("$record", "$user", "$self") and
//               `field` ("__id" = the record id).
//  kRecord      `"$alias"`: the bound record itself.
//  kLiteral     a number or boolean (`literal`).
//  kRef         `{$ref: key}`: `ref_index` into Select::items.
//  kAggregate   `function` over `args[0]` (absent for `$count: "*"`);
//               `precision` for `$avg`; `distinct_rows` false for the legacy
//               `count` with `unique: false` (counts rows).
//  kMath        `math` over `args[0]`, `args[1]`.
//  kCollect     `collect[0]` (alias form is an aggregate, label form is
//               evaluated once per root).
//  kTimeBucket  bucket of `args[0]` (a kField) by `unit` x `size`;
//               `iso_output` for the legacy form (ISO text, not epoch ms).
//  kSimilarity  `similarity` between `args[0]` (a kField) and `vector`.
struct Expr {
  enum class Kind { kField, kRecord, kLiteral, kRef, kAggregate, kMath, kCollect, kTimeBucket, kSimilarity };
  Kind kind = Kind::kLiteral;
  std::string alias;
  std::string field;
  Json literal;
  int ref_index = -1;
  const AggregateFunction* function = nullptr;
  std::optional<int> precision;
  bool distinct_rows = true;
  MathOp math = MathOp::kAdd;
  TimeUnit unit = TimeUnit::kDay;
  int64_t size = 1;
  bool iso_output = false;
  Similarity similarity = Similarity::kCosine;
  std::vector<double> vector;
  std::vector<Expr> args;
  std::vector<Collect> collect;  // one element for kCollect (Collect is recursive)
  std::string path;

  // Contains an aggregate or an alias-form collect (§11.1), through $ref too
  // (resolved by the parser into `aggregate_level`).
  bool aggregate_level = false;
};

// One `key: expression` of a select map, in declaration order.
struct SelectItem {
  std::string key;
  Expr expr;
  // A plain field ref `"$alias.field"` (D1 dimension candidates; dropped from
  // grouped output unless listed in groupBy).
  bool plain_ref = false;
};

// `$collect` (§11.7 alias form, §11.8 label form).
struct Collect {
  bool label_form = false;
  std::string from;   // alias form: the alias collected
  std::string label;  // label form: the label collected
  Where where;        // label form: field criteria only
  bool has_select = false;
  std::vector<SelectItem> select;  // item keys; label form may nest collects
  std::vector<OrderKey> order;     // empty = `__id` descending
  int64_t skip = 0;
  int64_t limit = 100;
  bool unique = true;
  // Legacy `{fn: "collect", field}`: the sorted, flattened values of `field`.
  std::optional<std::string> values_of;
  std::string path;
};

// One `groupBy` entry (§12.1).
struct GroupEntry {
  enum class Kind { kDimension, kMarker };
  Kind kind = Kind::kDimension;
  std::string output_key;
  Expr dimension;       // kDimension: a kField
  int select_index = -1;  // kMarker, or a D1 dimension named by a select key
  std::string path;
};

struct Select {
  std::vector<SelectItem> items;  // declaration order
  std::vector<int> eval_order;    // dependency order of items ($ref)
  bool grouped = false;           // non-empty groupBy (§12.1)
  std::vector<GroupEntry> group_by;
  bool legacy = false;            // came from `aggregate` (§15)
  bool has_aggregates = false;
  bool has_label_collect = false;
  // The aliases the select reads rows of (beyond `$record`): row enumeration
  // is needed when any block exists, for multiplicity.
  std::vector<std::string> aliases;
};

}  // namespace loom::query::ast

#endif  // LOOM_QUERY_PARSE_SELECT_AST_H_
