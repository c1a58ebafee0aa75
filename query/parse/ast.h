// query/parse/ast.h: the validated SearchQuery (spec/query.md §1-§9) that the
// parser produces and the planner and the reference evaluator walk.
//
// Plain value trees (copyable, no shared state, thread-compatible). Every node
// keeps `path`, the RFC 6901 JSON Pointer of the request node it came from, so
// later stages can report errors against the user's JSON. The AST is already
// validated: every argument has the type its operator needs.
#ifndef LOOM_QUERY_PARSE_AST_H_
#define LOOM_QUERY_PARSE_AST_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loom/datetime.h"
#include "loom/json.h"

namespace loom::query::ast {

// Comparison operators of §4.4 (the `field: x` shorthand is kEq).
enum class CompareOp {
  kEq,
  kNe,
  kIn,
  kNin,
  kGt,
  kGte,
  kLt,
  kLte,
  kContains,
  kStartsWith,
  kEndsWith,
  kExists,
  kType,
};

// The argument of a comparison.
//  kNull      `field: null`, `$eq: null`, `$ne: null` (absent / present tests).
//  kString    text (equality, $in members, string operators, $type names).
//  kNumber    a finite double.
//  kBoolean   `$exists`, boolean equality / $in members.
//  kInstant   a datetime: a component object (§4.6) or, for $gt/$gte/$lt/$lte,
//             a datetime string. Compared as instants and only against fields
//             typed `datetime`. `instant` is nullopt when the text passed the
//             grammar but has no instant (D15: never satisfied).
//  kList      $in / $nin members (never kNull or kList); `contains_null`
//             says whether the array held a null.
struct Argument {
  enum class Kind { kNull, kString, kNumber, kBoolean, kInstant, kList };
  Kind kind = Kind::kNull;
  std::string string;  // kString; kInstant given as text: the text
  double number = 0;   // kNumber
  bool boolean = false;
  std::optional<Instant> instant;  // kInstant
  std::vector<Argument> items;     // kList
  bool contains_null = false;      // kList
};

// A condition on one value (a field or the record id), §4-§5 at field level.
// kCompare: `op` applied to `arg`. Logical kinds combine `children`, each a
// criteria value of the same field: kAnd (all; also an array field value and
// a multi-key criteria object, D8), kOr, kNot (NOT of the AND of children),
// kNor, kXor (parity chain). An empty kAnd is TRUE (does not occur from the
// parser: empty groups are dropped).
struct Criterion {
  enum class Kind { kCompare, kAnd, kOr, kNot, kNor, kXor };
  Kind kind = Kind::kCompare;
  CompareOp op = CompareOp::kEq;
  Argument arg;
  std::vector<Criterion> children;
  std::string path;
};

enum class Direction { kAny, kOut, kIn };

// Hop range of a variable-length traversal or a cycle. max == -1 means
// unbounded (only possible when the hop cap is 0).
struct Hops {
  int min = 1;
  int max = 1;
};

// `$relation` (§6.2, §6.9).
struct RelationSpec {
  std::vector<std::string> types;  // "A|B" split on '|'; empty = any type
  Direction direction = Direction::kAny;
  std::optional<Hops> hops;  // nullopt = single hop
  Json raw;                  // the `$relation` value as given (null if absent)
  std::string path;          // pointer of `$relation` (block path + "/$relation")
};

// `$cycle` (§6.10).
struct Cycle {
  std::vector<std::string> types;  // empty = any type
  Direction direction = Direction::kAny;
  Hops hops;  // min >= 2
  std::string path;
};

struct WhereNode;
struct Block;
struct Select;  // query/parse/select_ast.h

// A where-object at one level (the root record, or a block's record): the AND
// of `entries`, in document order.
struct Where {
  std::vector<WhereNode> entries;
  std::string path;
};

// A traversal block `LABEL: {...}` (§6).
struct Block {
  std::string label;
  RelationSpec relation;
  std::optional<std::string> alias;  // "$name"
  // Field criteria, $id and field-only logical groups: they restrict which
  // records can be bound (§6.4). Evaluated on the block's record.
  Where local;
  // Nested blocks, $cycle and mixed logical groups: evaluated per row with the
  // block's record as the current level (§2.2).
  Where row_level;
  int depth = 1;  // 1 for blocks whose parent level is the root
  std::string path;
};

// One entry of a where-object.
//  kAnd/kOr/kNot/kNor/kXor: record-level logical group (§5); `children` are
//    the elements, each a kAnd over that element's entries (path ".../$or/0";
//    for the object form ".../$or/<key>"). kNot = NOT(AND of children).
//  kField: `field` + `criterion`.
//  kId: `criterion` applied to the record id as a string ($id, __id; D4).
//  kCycle: `cycle`.
//  kBlock: `block` (exactly one element).
struct WhereNode {
  enum class Kind { kAnd, kOr, kNot, kNor, kXor, kField, kId, kCycle, kBlock };
  Kind kind = Kind::kAnd;
  std::vector<WhereNode> children;
  std::string field;
  Criterion criterion;
  Cycle cycle;
  std::vector<Block> block;  // one element for kBlock (a vector: Block is recursive)
  std::string path;

  const Block& AsBlock() const { return block.front(); }
};

// One sort key of `orderBy` (§8). key "__id" means the record id.
struct OrderKey {
  std::string key;
  bool descending = true;
  std::string path;
};

struct OrderBy {
  std::vector<OrderKey> keys;  // never empty: defaults to [("__id", desc)]
  bool explicit_keys = false;  // true iff the user gave an object with >= 1 key
  Json raw;                    // `orderBy` as given (null if absent)
};

struct Query {
  std::vector<std::string> labels;  // nulls dropped; empty = all records
  Where where;                      // path "/where"
  OrderBy order_by;
  int64_t skip = 0;
  int64_t limit = 100;
  // `select`, `groupBy` and `aggregate` are parsed by a later stage; only the
  // §1 top-level rules are checked here. An empty select {} counts as absent.
  bool has_select = false;
  Json select;     // null when absent or {}
  Json group_by;   // null when absent; else an array of non-empty strings
  Json aggregate;  // null when absent
  // The parsed output clause (select, or aggregate rewritten into the same
  // form, with groupBy); null in listing mode. Immutable once parsed.
  std::shared_ptr<const Select> output;
  std::optional<std::string> related_id;  // `id` (§16)
  // What the parser ignored and the caller should hear about: unknown
  // top-level keys (RushDB tolerates them, so they are not errors unless the
  // query is strict), each with the pointer of the node.
  struct Warning {
    std::string path;
    std::string message;
  };
  std::vector<Warning> warnings;
};

// The blocks bound directly under a level, in document order: the blocks of
// `where` itself and those inside its logical groups (not their descendants).
inline void CollectBlocks(const Where& where, std::vector<const Block*>* out);
inline void CollectBlocks(const WhereNode& node, std::vector<const Block*>* out) {
  if (node.kind == WhereNode::Kind::kBlock) {
    out->push_back(&node.AsBlock());
    return;
  }
  for (const WhereNode& child : node.children) CollectBlocks(child, out);
}
inline void CollectBlocks(const Where& where, std::vector<const Block*>* out) {
  for (const WhereNode& node : where.entries) CollectBlocks(node, out);
}

}  // namespace loom::query::ast

#endif  // LOOM_QUERY_PARSE_AST_H_
