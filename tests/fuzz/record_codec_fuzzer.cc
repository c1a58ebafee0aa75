// Fuzz target: storage::DecodeRecord (storage/value_codec.h) on arbitrary
// bytes, i.e. a corrupted `records` value.
//
// Invariants: decoding never crashes; when it succeeds, encoding the record
// and decoding that again gives the same record (doubles compared by bits, so
// NaN payloads count too) and re-encoding is stable; DecodeRecordHeader and
// DecodeRecordProperty agree with DecodeRecord on the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>

#include "storage/types.h"
#include "storage/value_codec.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

namespace storage = loom::storage;
using loom::Scalar;
using loom::Value;

bool SameScalar(const Scalar& a, const Scalar& b) {
  if (a.index() != b.index()) return false;
  if (const double* da = std::get_if<double>(&a)) {
    return std::memcmp(da, &std::get<double>(b), sizeof(double)) == 0;
  }
  return a == b;
}

bool SameValue(const Value& a, const Value& b) {
  if (a.type != b.type || a.is_array != b.is_array || a.items.size() != b.items.size()) {
    return false;
  }
  for (size_t i = 0; i < a.items.size(); ++i) {
    if (!SameScalar(a.items[i], b.items[i])) return false;
  }
  return true;
}

bool SameRecord(const storage::StoredRecord& a, const storage::StoredRecord& b) {
  if (a.id != b.id || a.label != b.label || a.properties.size() != b.properties.size()) {
    return false;
  }
  for (size_t i = 0; i < a.properties.size(); ++i) {
    if (a.properties[i].name != b.properties[i].name ||
        !SameValue(a.properties[i].value, b.properties[i].value)) {
      return false;
    }
  }
  return true;
}

void DecodeOne(std::string_view bytes) {
  storage::StoredRecord record;
  bool decoded = storage::DecodeRecord(bytes, &record);

  // The partial decoders must not crash on anything either.
  storage::NameId label = 0;
  std::string id;
  bool header = storage::DecodeRecordHeader(bytes, &label, &id);
  bool found = false;
  Value value;
  bool first_ok = storage::DecodeRecordProperty(bytes, 1, &found, &value);
  (void)first_ok;
  if (!decoded) return;

  LOOM_FUZZ_CHECK(header && label == record.label && id == record.id,
                  "DecodeRecordHeader disagrees with DecodeRecord");
  for (size_t i = 0; i < record.properties.size(); ++i) {
    const storage::StoredProperty& p = record.properties[i];
    // DecodeRecordProperty returns the first property with that name.
    const Value* first = record.Find(p.name);
    bool ok = storage::DecodeRecordProperty(bytes, p.name, &found, &value);
    LOOM_FUZZ_CHECK(ok && found && first != nullptr && SameValue(value, *first),
                    "DecodeRecordProperty disagrees with DecodeRecord");
  }

  std::string encoded;
  storage::EncodeRecord(record, &encoded);
  storage::StoredRecord again;
  LOOM_FUZZ_CHECK(storage::DecodeRecord(encoded, &again), "a re-encoded record does not decode");
  LOOM_FUZZ_CHECK(SameRecord(record, again), "a re-encoded record decodes differently");
  std::string encoded_again;
  storage::EncodeRecord(again, &encoded_again);
  LOOM_FUZZ_CHECK(encoded == encoded_again, "encoding is not stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  loom::fuzz::RunNoThrow(
      [&] { DecodeOne(std::string_view(reinterpret_cast<const char*>(data), size)); });
  return 0;
}
