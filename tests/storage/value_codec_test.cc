#include "storage/value_codec.h"

#include <random>

#include "gtest/gtest.h"

namespace loom::storage {
namespace {

StoredRecord Sample() {
  StoredRecord r;
  r.id = "0195f0a2-7c1e-7a10-8b2e-3c4d5e6f7081";
  r.label = 3;
  r.properties.push_back({1, Value::Of(PropType::kString, std::string("Acme \xc3\xa9\xe2\x82\xac"))});
  r.properties.push_back({2, Value::Of(PropType::kNumber, 1200.0)});
  r.properties.push_back({3, Value::Of(PropType::kBoolean, true)});
  r.properties.push_back({4, Value::Of(PropType::kDatetime, std::string("2024-01-15"))});
  r.properties.push_back({5, Value::Array(PropType::kString, {std::string("a\0b", 3), std::string("")})});
  r.properties.push_back({6, Value::Array(PropType::kString, {})});
  r.properties.push_back({7, Value::Array(PropType::kNumber, {1.0, std::string("2")})});
  r.properties.push_back({8, Value::Array(PropType::kVector, {0.5, -1.25, 1e300})});
  r.properties.push_back({300, Value::Of(PropType::kBoolean, false)});
  return r;
}

TEST(ValueCodecTest, RecordRoundTripsEveryType) {
  StoredRecord r = Sample();
  std::string bytes;
  EncodeRecord(r, &bytes);
  StoredRecord back;
  ASSERT_TRUE(DecodeRecord(bytes, &back));
  back.rid = r.rid;
  EXPECT_EQ(back, r);

  NameId label;
  std::string id;
  ASSERT_TRUE(DecodeRecordHeader(bytes, &label, &id));
  EXPECT_EQ(label, 3u);
  EXPECT_EQ(id, r.id);
  for (const StoredProperty& p : r.properties) {
    bool found = false;
    Value v;
    ASSERT_TRUE(DecodeRecordProperty(bytes, p.name, &found, &v));
    EXPECT_TRUE(found);
    EXPECT_EQ(v, p.value);
  }
  bool found = true;
  Value v;
  ASSERT_TRUE(DecodeRecordProperty(bytes, 99, &found, &v));
  EXPECT_FALSE(found);
}

TEST(ValueCodecTest, CorruptInputIsRejectedNotCrashing) {
  std::string bytes;
  EncodeRecord(Sample(), &bytes);
  std::mt19937 rng(1);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    StoredRecord out;
    EXPECT_FALSE(DecodeRecord(std::string_view(bytes).substr(0, cut), &out));
  }
  for (int i = 0; i < 2000; ++i) {
    std::string damaged = bytes;
    damaged[rng() % damaged.size()] = static_cast<char>(rng());
    StoredRecord out;
    (void)DecodeRecord(damaged, &out);  // must not crash or over-read (ASan)
  }
}

TEST(ValueCodecTest, DatetimeValuesGetInstantIndexEntries) {
  std::vector<IndexEntry> entries;
  IndexEntriesFor(Value::Of(PropType::kDatetime, std::string("2024-01-15")), &entries);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].tag, IndexTag::kString);
  EXPECT_EQ(entries[1].tag, IndexTag::kInstant);
  entries.clear();
  IndexEntriesFor(Value::Of(PropType::kString, std::string("2024-01-15")), &entries);
  EXPECT_EQ(entries.size(), 1u);
  entries.clear();
  IndexEntriesFor(Value::Array(PropType::kNumber, {1.0, 2.0, true}), &entries);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].tag, IndexTag::kTrue);
}

}  // namespace
}  // namespace loom::storage
