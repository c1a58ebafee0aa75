#include "storage/write_buffer.h"

#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"

namespace loom::storage {
namespace {

using Row = std::tuple<std::string, std::string, bool>;  // key, value, is_delete

std::vector<Row> Contents(const WriteBuffer& buffer) {
  std::vector<Row> out;
  buffer.ForEach([&](std::string_view k, std::string_view v, bool del) {
    out.emplace_back(std::string(k), std::string(v), del);
    return true;
  });
  return out;
}

// Keys built to stress the sort: shared prefixes longer than one 16-byte
// digit, embedded zero bytes, keys that are prefixes of others, repeats.
std::string RandomKey(std::mt19937& rng) {
  static const std::vector<std::string> kStems = {
      "", std::string("\0", 1), std::string("\0\0\0\0", 4), "a", "ab", "abcdefghijklmnop",
      "abcdefghijklmnopq", std::string(40, 'x'), std::string(40, 'x') + std::string(3, '\0'), "\xff\xfe"};
  std::string key = kStems[rng() % kStems.size()];
  int extra = static_cast<int>(rng() % 6);
  for (int i = 0; i < extra; ++i) key.push_back(static_cast<char>("\0\1a\xff"[rng() % 4]));
  return key;
}

// Sorted either whole or as key-disjoint ranges (sorted in reverse order, as
// parallel workers might), the buffer must equal the model.
class WriteBufferSortTest : public testing::TestWithParam<size_t> {};

TEST_P(WriteBufferSortTest, MatchesAnOrderedMapWithLastWriteWinning) {
  const size_t range_entries = GetParam();
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    std::mt19937 rng(seed);
    WriteBuffer buffer;
    std::map<std::string, std::pair<std::string, bool>> model;
    int n = 1 + static_cast<int>(rng() % 3000);
    for (int i = 0; i < n; ++i) {
      std::string key = RandomKey(rng);
      if (rng() % 5 == 0) {
        buffer.Delete(key);
        model[key] = {"", true};
      } else {
        std::string value = std::to_string(i);
        buffer.Put(key, value);
        model[key] = {value, false};
      }
      if (rng() % 1000 == 0) buffer.Sort();  // writes after a sort sort again
    }
    std::vector<WriteBuffer::Range> ranges = buffer.Partition(range_entries);
    for (size_t r = 1; r < ranges.size(); ++r) ASSERT_EQ(ranges[r].begin, ranges[r - 1].end);
    for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) buffer.SortRange(*it);
    std::vector<Row> expected;
    for (const auto& [k, v] : model) expected.emplace_back(k, v.first, v.second);
    ASSERT_EQ(Contents(buffer), expected) << "seed " << seed;
  }
}

INSTANTIATE_TEST_SUITE_P(WholeOrInRanges, WriteBufferSortTest, testing::Values(SIZE_MAX, 500, 37));

TEST(WriteBufferTest, SortedInputNeedsNoSortAndKeepsLastWrite) {
  WriteBuffer buffer;
  for (int i = 0; i < 100; ++i) buffer.Put(std::string(1, static_cast<char>('a' + i / 10)), std::to_string(i));
  // No Sort call: ordered input is reported as is, one row per key.
  std::vector<Row> rows = Contents(buffer);
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[0], Row("a", "9", false));
  EXPECT_EQ(rows[9], Row("j", "99", false));
}

TEST(WriteBufferTest, ForEachOverARangeAndLargeValues) {
  WriteBuffer buffer;
  std::string big(5 << 20, 'v');  // larger than one arena block
  buffer.Put("b", big);
  buffer.Put("a", "1");
  buffer.Put("c", "3");
  buffer.Sort();
  std::vector<std::string> keys;
  buffer.ForEach(WriteBuffer::Range{1, 3, false}, [&](std::string_view k, std::string_view v, bool) {
    keys.emplace_back(k);
    if (k == "b") EXPECT_EQ(v.size(), big.size());
    return true;
  });
  EXPECT_EQ(keys, (std::vector<std::string>{"b", "c"}));
  EXPECT_GT(buffer.ApproximateBytes(), big.size());
  buffer.Clear();
  EXPECT_TRUE(buffer.empty());
  EXPECT_TRUE(Contents(buffer).empty());
}

}  // namespace
}  // namespace loom::storage
