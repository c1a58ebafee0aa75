// storage/types.h: the small vocabulary shared by storage, query/exec and engine:
// row ids, dictionary ids, adjacency entries and stored records.
#ifndef LOOM_STORAGE_TYPES_H_
#define LOOM_STORAGE_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loom/value.h"

namespace loom::storage {

using Rid = uint64_t;     // dense internal row id, assigned at creation
using Eid = uint64_t;     // edge id, increasing in creation order
using NameId = uint32_t;  // dictionary id of a label, property or relationship type
constexpr NameId kNoName = 0;  // "no label" in keys; "any" in filters

// On-disk values: only add.
enum class Direction : uint8_t { kOut = 0, kIn = 1 };

// Kinds of entries in the props index. On-disk values: only add.
enum class IndexTag : uint8_t {
  kFalse = 1,
  kTrue = 2,
  kNumber = 3,
  kString = 4,   // string elements, including datetime text
  kInstant = 5,  // datetime-typed elements, as parsed instants
};

// One adjacency entry as seen from `self`: kOut = self -[type]-> nbr.
struct EdgeRef {
  Rid self = 0;
  Direction dir = Direction::kOut;
  NameId type = 0;
  NameId nbr_label = 0;
  Rid nbr = 0;
  Eid eid = 0;
};

// Filter for expansions; nullopt / empty means any.
struct EdgeFilter {
  std::optional<Direction> dir;
  std::vector<NameId> types;             // any of these; empty = any type
  std::optional<NameId> nbr_label;       // kNoName = unlabeled neighbours
  // One neighbour only: with `nbr_label` and `types` set this is a point seek
  // (attach/detach look at the edges between two records this way).
  std::optional<Rid> nbr;
};

struct StoredProperty {
  NameId name = 0;
  Value value;
  bool operator==(const StoredProperty&) const = default;
};

struct StoredRecord {
  Rid rid = 0;
  std::string id;
  NameId label = kNoName;
  std::vector<StoredProperty> properties;  // insertion order

  const Value* Find(NameId name) const {
    for (const StoredProperty& p : properties) {
      if (p.name == name) return &p.value;
    }
    return nullptr;
  }
  bool operator==(const StoredRecord&) const = default;
};

}  // namespace loom::storage

#endif  // LOOM_STORAGE_TYPES_H_
