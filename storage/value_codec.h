// storage/value_codec.h: the compact binary encoding of records (the `records`
// column family's values) and of index values.
//
//   record   := label:varint id_len:varint id nprops:varint property*
//   property := name:varint type:u8 flags:u8 payload_len:varint payload
//               (flags bit 0 = array; payload_len lets a reader skip a property)
//   payload  := [count:varint if array] element*
//   element  := 0x00 (false) | 0x01 (true) | 0x02 double:8 little-endian
//             | 0x03 len:varint bytes (string, any bytes incl. NUL)
// Element tags are on-disk values: only add.
#ifndef LOOM_STORAGE_VALUE_CODEC_H_
#define LOOM_STORAGE_VALUE_CODEC_H_

#include <optional>
#include <string>
#include <string_view>

#include "storage/types.h"

namespace loom::storage {

void AppendVarint(std::string* dst, uint64_t v);
bool ConsumeVarint(std::string_view* in, uint64_t* v);

void EncodeRecord(const StoredRecord& record, std::string* dst);
// Decodes everything but the rid (the key). False on corrupt input.
bool DecodeRecord(std::string_view bytes, StoredRecord* out);
// Only label and id.
bool DecodeRecordHeader(std::string_view bytes, NameId* label, std::string* id);
// One property without decoding the others; false when corrupt, *found=false when absent.
bool DecodeRecordProperty(std::string_view bytes, NameId name, bool* found, Value* out);

// The ordered index entries of one scalar (tag + ordered bytes) for the props
// column family; datetime-typed strings also get an instant entry.
struct IndexEntry {
  IndexTag tag;
  std::string ordered;
};
void IndexEntriesFor(const Value& value, std::vector<IndexEntry>* out);
// The ordered bytes and tag of a query scalar.
IndexEntry IndexEntryForScalar(const Scalar& scalar);

}  // namespace loom::storage

#endif  // LOOM_STORAGE_VALUE_CODEC_H_
