#include "engine/id_generator.h"

#include <regex>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "tests/engine/db_fixture.h"

namespace loom::engine {
namespace {

const std::regex kUuidV7("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

TEST(IdGeneratorTest, StrictlyIncreasingInATightLoop) {
  IdGenerator gen;
  std::string last;
  for (int i = 0; i < 100000; ++i) {
    std::string id = gen.Next();
    ASSERT_LT(last, id) << "at " << i;
    last = std::move(id);
  }
  EXPECT_TRUE(std::regex_match(last, kUuidV7)) << last;
}

TEST(IdGeneratorTest, FormatAndTimestamp) {
  IdGenerator gen([] { return int64_t{1705276800123}; });
  for (int i = 0; i < 100; ++i) {
    std::string id = gen.Next();
    SCOPED_TRACE(id);
    EXPECT_TRUE(std::regex_match(id, kUuidV7));
    EXPECT_TRUE(IdGenerator::IsUuidV7(id));
    EXPECT_EQ(IdGenerator::TimestampOf(id), 1705276800123);
  }
  EXPECT_FALSE(IdGenerator::IsUuidV7("0195f0a2-7c1e-4a10-8b2e-3c4d5e6f7081"));  // version 4
  EXPECT_FALSE(IdGenerator::IsUuidV7("not-an-id"));
}

TEST(IdGeneratorTest, ClockGoingBackwardsStaysMonotonic) {
  int64_t now = 2'000'000'000'000;
  IdGenerator gen([&] { return now; });
  std::string a = gen.Next();
  now -= 5000;
  std::string b = gen.Next();
  EXPECT_LT(a, b);
  EXPECT_EQ(IdGenerator::TimestampOf(b), 2'000'000'000'000);
}

TEST(IdGeneratorTest, SeedAfterAFutureIdSortsAfterIt) {
  IdGenerator future([] { return int64_t{3'000'000'000'000}; });
  std::string far = future.Next();
  IdGenerator gen([] { return int64_t{1'000'000'000'000}; });
  gen.SeedAfter(far);
  gen.SeedAfter("opaque-dataset-id");  // ignored
  EXPECT_LT(far, gen.Next());
}

TEST(IdGeneratorTest, CounterOverflowAdvancesTheMillisecond) {
  IdGenerator gen([] { return int64_t{1'000}; });
  // An id at the very top of the counter for ms 1000.
  gen.SeedAfter("00000000-03e8-7fff-bfff-ffff00000000");
  std::string id = gen.Next();
  EXPECT_EQ(IdGenerator::TimestampOf(id), 1001);
  EXPECT_LT(std::string("00000000-03e8-7fff-bfff-ffff00000000"), id);
}

class IdAcrossReopenTest : public testing::DbTest {};

TEST_F(IdAcrossReopenTest, IdsAfterReopenSortAfterStoredIds) {
  std::string last;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 50; ++i) {
      std::string id = CreateId({{"label", "A"}, {"data", {{"i", i}}}});
      ASSERT_LT(last, id);
      last = id;
    }
    Reopen();
  }
}

}  // namespace
}  // namespace loom::engine
