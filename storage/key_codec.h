// storage/key_codec.h: the on-disk key layout of every column family.
//
// Integers are big-endian, so byte order == value order, and every key is
// built so that the scans loom needs are prefix or range scans.
//
//   CF        key                                               value
//   records   rid:8                                             record (value_codec.h)
//   ids       id:bytes (the `__id` text, verbatim)              rid:8
//   labels    label:4 rid:8                                     ""
//   props     label:4 prop:4 tag:1 ord(value) rid:8             ""
//   edges     rid:8 dir:1 type:4 nbr_label:4 nbr:8 eid:8        edge properties (JSON text)
//   meta      "format_version"                                  u32
//             'd' kind:1 name:bytes                             id:4 (dictionaries)
//             'c' counter key (below)                           i64 big-endian
//             "next_rid" / "next_eid"                           u64
//             "id_order_broken"                                 "" (present = rid order != id order)
//             'u' key:bytes                                     engine metadata (import resume markers)
//
//   counter keys:  0x00                                   records in total
//                  0x01 label:4                           records per label
//                  0x02 label:4 prop:4 type:1             records of label holding prop with type
//                  0x03 label:4 dir:1 type:4 nbr_label:4  adjacency entries
//
//   ord(value) by tag (IndexTag): kFalse / kTrue: empty; kNumber: 8 bytes,
//   IEEE-754 bits with all bits flipped when negative, else the sign bit set
//   (-0 stored as +0); kString: str0; kInstant: seconds:8 with the sign bit
//   flipped, nanos:4.
//   str0 := bytes with 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x01, so
//   that shorter strings sort first and a prefix of the escaped bytes is a
//   prefix scan.
//
// Dictionary ids, rids and eids start at 1; 0 in a label slot means "no label".
// Tags and directions are enums with explicit values that are only added to.
// tests/storage/key_codec_test.cc pins these bytes.
#ifndef LOOM_STORAGE_KEY_CODEC_H_
#define LOOM_STORAGE_KEY_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "loom/datetime.h"
#include "storage/types.h"

namespace loom::storage {

constexpr uint32_t kFormatVersion = 1;

// Fixed-width big-endian integers.
void AppendU32(std::string* dst, uint32_t v);
void AppendU64(std::string* dst, uint64_t v);
bool ConsumeU32(std::string_view* in, uint32_t* v);
bool ConsumeU64(std::string_view* in, uint64_t* v);
uint32_t DecodeU32(const char* p);
uint64_t DecodeU64(const char* p);

// Order-preserving encodings (see above).
void AppendOrderedDouble(std::string* dst, double v);
double DecodeOrderedDouble(const char* p);
void AppendStr0(std::string* dst, std::string_view s);
// Appends the escaped bytes of `s` without the terminator: a prefix-scan key.
void AppendStr0Prefix(std::string* dst, std::string_view s);
bool ConsumeStr0(std::string_view* in, std::string* out);
void AppendOrderedInstant(std::string* dst, Instant t);

// records / labels
std::string RecordKey(Rid rid);
std::string LabelKey(NameId label, Rid rid);
std::string LabelPrefix(NameId label);

// props: the prefix up to and including the tag, then the value, then the rid.
std::string PropPrefix(NameId label, NameId prop, IndexTag tag);
std::string PropKey(NameId label, NameId prop, IndexTag tag, std::string_view ordered_value, Rid rid);
// The same appended to *dst (bulk writers reuse one buffer).
void AppendPropKey(std::string* dst, NameId label, NameId prop, IndexTag tag, std::string_view ordered_value, Rid rid);
// The rid at the end of a props key.
Rid PropKeyRid(std::string_view key);

// edges
std::string EdgeKey(const EdgeRef& e);
bool DecodeEdgeKey(std::string_view key, EdgeRef* e);
// Prefix for rid [dir [type [nbr_label]]]: pass the fields that are fixed.
std::string EdgePrefix(Rid rid);
std::string EdgePrefix(Rid rid, Direction dir);
std::string EdgePrefix(Rid rid, Direction dir, NameId type);
std::string EdgePrefix(Rid rid, Direction dir, NameId type, NameId nbr_label);
constexpr size_t kEdgeKeySize = 8 + 1 + 4 + 4 + 8 + 8;

// meta
std::string DictKey(uint8_t kind, std::string_view name);
std::string CounterKeyTotal();
std::string CounterKeyLabel(NameId label);
std::string CounterKeyProperty(NameId label, NameId prop, PropType type);
std::string CounterKeyEdge(NameId label, Direction dir, NameId type, NameId nbr_label);
constexpr char kDictTag = 'd';
constexpr char kCounterTag = 'c';
constexpr char kUserMetaTag = 'u';
constexpr std::string_view kFormatVersionKey = "format_version";
constexpr std::string_view kNextRidKey = "next_rid";
constexpr std::string_view kNextEidKey = "next_eid";
constexpr std::string_view kIdOrderBrokenKey = "id_order_broken";

// The smallest key greater than every key starting with `prefix` ("" if none).
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace loom::storage

#endif  // LOOM_STORAGE_KEY_CODEC_H_
