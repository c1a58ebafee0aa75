// Pins the on-disk key bytes (a format change must fail here) and checks that
// the ordered encodings keep value order under bytewise comparison.
#include "storage/key_codec.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "gtest/gtest.h"
#include "storage/value_codec.h"

namespace loom::storage {
namespace {

std::string Hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

TEST(KeyCodecTest, GoldenBytes) {
  struct Case {
    std::string key;
    const char* hex;
  } cases[] = {
      {RecordKey(0x0102030405060708), "0102030405060708"},
      {LabelKey(7, 9), "000000070000000000000009"},
      {PropKey(1, 2, IndexTag::kNumber, IndexEntryForScalar(1.0).ordered, 3),
       "0000000100000002" "03" "bff0000000000000" "0000000000000003"},
      {PropKey(1, 2, IndexTag::kString, IndexEntryForScalar(std::string("a\0b", 3)).ordered, 3),
       "0000000100000002" "04" "6100ff620001" "0000000000000003"},
      {PropKey(1, 2, IndexTag::kTrue, "", 4), "0000000100000002" "02" "0000000000000004"},
      {EdgeKey({5, Direction::kIn, 6, 7, 8, 9}),
       "0000000000000005" "01" "00000006" "00000007" "0000000000000008" "0000000000000009"},
      {DictKey(1, "ACCOUNT"), "6401" "4143434f554e54"},
      {CounterKeyTotal(), "6300"},
      {CounterKeyLabel(3), "6301" "00000003"},
      {CounterKeyProperty(3, 4, PropType::kDatetime), "6302" "00000003" "00000004" "04"},
      {CounterKeyEdge(3, Direction::kOut, 4, 5), "6303" "00000003" "00" "00000004" "00000005"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    EXPECT_EQ(Hex(c.key), c.hex);
  }
  EXPECT_EQ(kFormatVersion, 1u);
}

TEST(KeyCodecTest, OrderedDoublesSortLikeNumbers) {
  std::vector<double> values = {-std::numeric_limits<double>::infinity(), -1e300, -2.5, -1, -1e-300, 0, 1e-300,
                                0.1, 1, 2, 1e15, 9007199254740993.0, 1e300, std::numeric_limits<double>::infinity()};
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> dist(-1e6, 1e6);
  for (int i = 0; i < 1000; ++i) values.push_back(dist(rng));
  for (double a : values) {
    for (double b : {values[rng() % values.size()], values[rng() % values.size()]}) {
      std::string ka, kb;
      AppendOrderedDouble(&ka, a);
      AppendOrderedDouble(&kb, b);
      SCOPED_TRACE(testing::Message() << a << " vs " << b);
      EXPECT_EQ(a < b, ka < kb);
      EXPECT_EQ(a == b, ka == kb);
      EXPECT_EQ(DecodeOrderedDouble(ka.data()), a);
    }
  }
  std::string neg_zero, zero;
  AppendOrderedDouble(&neg_zero, -0.0);
  AppendOrderedDouble(&zero, 0.0);
  EXPECT_EQ(neg_zero, zero);
}

TEST(KeyCodecTest, Str0KeepsOrderAndRoundTrips) {
  std::vector<std::string> values = {"", std::string("\0", 1), std::string("\0\0", 2), "a", std::string("a\0", 2),
                                     "a\x01", "ab", "b", "\xff", "\xc3\xa9t\xc3\xa9", std::string("x\0y", 3)};
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string s;
    for (int n = rng() % 5; n > 0; --n) s.push_back(static_cast<char>("\0\x01a\xff"[rng() % 4]));
    values.push_back(s);
  }
  for (const std::string& a : values) {
    for (const std::string& b : values) {
      std::string ka, kb;
      AppendStr0(&ka, a);
      AppendStr0(&kb, b);
      // Followed by more key bytes (the rid), order must still follow the strings.
      ka += "\x00\x00", kb += "\xff\xff";
      if (a < b) EXPECT_LT(ka, kb) << Hex(a) << " " << Hex(b);
    }
    std::string k;
    AppendStr0(&k, a);
    std::string_view in = k;
    std::string out;
    ASSERT_TRUE(ConsumeStr0(&in, &out));
    EXPECT_EQ(out, a);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeyCodecTest, InstantsSortByTime) {
  std::vector<Instant> values = {{-62135596800, 0}, {-1, 999999999}, {0, 0}, {0, 1}, {1, 0}, {253402300799, 5}};
  for (const Instant& a : values) {
    for (const Instant& b : values) {
      std::string ka, kb;
      AppendOrderedInstant(&ka, a);
      AppendOrderedInstant(&kb, b);
      EXPECT_EQ(a < b, ka < kb);
    }
  }
}

TEST(KeyCodecTest, EdgeKeyRoundTripAndPrefixes) {
  EdgeRef e{11, Direction::kOut, 3, 4, 12, 99};
  std::string key = EdgeKey(e);
  EdgeRef back;
  ASSERT_TRUE(DecodeEdgeKey(key, &back));
  EXPECT_EQ(back.self, 11u);
  EXPECT_EQ(back.nbr, 12u);
  EXPECT_EQ(back.eid, 99u);
  EXPECT_EQ(back.type, 3u);
  EXPECT_EQ(back.nbr_label, 4u);
  EXPECT_TRUE(key.starts_with(EdgePrefix(11, Direction::kOut, 3, 4)));
  EXPECT_FALSE(key.starts_with(EdgePrefix(11, Direction::kIn)));
  EXPECT_EQ(PrefixSuccessor("ab\xff"), "ac");
  EXPECT_EQ(PrefixSuccessor("\xff\xff"), "");
}

}  // namespace
}  // namespace loom::storage
