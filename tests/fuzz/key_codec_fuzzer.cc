// Fuzz target: the order-preserving key encodings of storage/key_codec.h.
//
// Two values of each kind (double, string with NULs, instant) come from
// FuzzedDataProvider. Invariants, for every kind:
//   * round trip: the encoding decodes back to the value (-0 reads as +0);
//   * order: encode(a) < encode(b) <=> a < b, and equal encodings <=> equal
//     values, comparing encodings as unsigned bytes like RocksDB's default
//     comparator. Strings order as unsigned bytes (std::string::compare).
//     NaN has no order and is only round-tripped.
//   * str0 framing: a value followed by any suffix still decodes to the same
//     string and leaves exactly the suffix (keys go on after the value).
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "loom/datetime.h"
#include "storage/key_codec.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using loom::Instant;
namespace storage = loom::storage;

int Sign(int c) { return (c > 0) - (c < 0); }

// memcmp order, as rocksdb::BytewiseComparator.
int CompareBytes(std::string_view a, std::string_view b) { return Sign(a.compare(b)); }

template <typename T>
int CompareValues(const T& a, const T& b) {
  return (b < a) - (a < b);
}

double ConsumeDouble(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: {  // any bit pattern: NaNs, infinities, subnormals, -0
      uint64_t bits = in.ConsumeIntegral<uint64_t>();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      return d;
    }
    case 1:
      return static_cast<double>(in.ConsumeIntegralInRange<int64_t>(-1000, 1000));
    case 2:
      return in.ConsumeFloatingPoint<double>();
    default:
      return in.ConsumeProbability<double>() * (in.ConsumeBool() ? -1 : 1);
  }
}

Instant ConsumeInstant(FuzzedDataProvider& in) {
  Instant t;
  t.seconds = in.ConsumeBool() ? in.ConsumeIntegral<int64_t>()
                               : in.ConsumeIntegralInRange<int64_t>(-100, 100);
  t.nanos = in.ConsumeIntegralInRange<int32_t>(0, 999'999'999);  // Instant's domain
  return t;
}

std::string EncodeDouble(double d) {
  std::string s;
  storage::AppendOrderedDouble(&s, d);
  return s;
}

std::string EncodeString(std::string_view v) {
  std::string s;
  storage::AppendStr0(&s, v);
  return s;
}

std::string EncodeInstant(Instant t) {
  std::string s;
  storage::AppendOrderedInstant(&s, t);
  return s;
}

void CheckDouble(double a, double b) {
  std::string ea = EncodeDouble(a), eb = EncodeDouble(b);
  LOOM_FUZZ_CHECK(ea.size() == 8, "ordered double is not 8 bytes");
  double back = storage::DecodeOrderedDouble(ea.data());
  if (std::isnan(a)) {
    LOOM_FUZZ_CHECK(std::isnan(back), "NaN does not round trip");
    return;
  }
  LOOM_FUZZ_CHECK(back == a, "double does not round trip");
  if (a == 0) LOOM_FUZZ_CHECK(!std::signbit(back), "-0 is not stored as +0");
  if (a != 0) {
    LOOM_FUZZ_CHECK(std::memcmp(&back, &a, sizeof a) == 0, "double bits change in a round trip");
  }
  if (std::isnan(b)) return;
  LOOM_FUZZ_CHECK(CompareBytes(ea, eb) == CompareValues(a, b), "double order is not preserved");
}

void CheckString(const std::string& a, const std::string& b, const std::string& suffix) {
  std::string ea = EncodeString(a), eb = EncodeString(b);
  std::string framed = ea + suffix;
  std::string_view in = framed;
  std::string back;
  LOOM_FUZZ_CHECK(storage::ConsumeStr0(&in, &back), "str0 does not decode");
  LOOM_FUZZ_CHECK(back == a, "str0 does not round trip");
  LOOM_FUZZ_CHECK(in == suffix, "str0 does not stop at its terminator");
  LOOM_FUZZ_CHECK(CompareBytes(ea, eb) == Sign(a.compare(b)), "str0 order is not preserved");
  // The prefix form is a prefix of the full key of every string starting with `a`.
  std::string prefix;
  storage::AppendStr0Prefix(&prefix, a);
  LOOM_FUZZ_CHECK(EncodeString(a + b).starts_with(prefix), "str0 prefix is not a key prefix");
}

void CheckInstant(Instant a, Instant b) {
  std::string ea = EncodeInstant(a), eb = EncodeInstant(b);
  LOOM_FUZZ_CHECK(ea.size() == 12, "ordered instant is not 12 bytes");
  Instant back;
  back.seconds = static_cast<int64_t>(storage::DecodeU64(ea.data()) ^ (uint64_t{1} << 63));
  back.nanos = static_cast<int32_t>(storage::DecodeU32(ea.data() + 8));
  LOOM_FUZZ_CHECK(back == a, "instant does not round trip");
  LOOM_FUZZ_CHECK(CompareBytes(ea, eb) == CompareValues(a, b), "instant order is not preserved");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  loom::fuzz::RunNoThrow([&] {
    FuzzedDataProvider in(data, size);
    double da = ConsumeDouble(in), db = ConsumeDouble(in);
    Instant ta = ConsumeInstant(in), tb = ConsumeInstant(in);
    std::string sa = in.ConsumeRandomLengthString(256);
    std::string sb = in.ConsumeRandomLengthString(256);
    if (in.ConsumeBool()) sb = sa + sb;  // shared prefixes are where str0 is subtle
    std::string suffix = in.ConsumeRemainingBytesAsString();
    CheckDouble(da, db);
    CheckDouble(db, da);
    CheckString(sa, sb, suffix);
    CheckString(sb, sa, suffix);
    CheckInstant(ta, tb);
    CheckInstant(tb, ta);
  });
  return 0;
}
