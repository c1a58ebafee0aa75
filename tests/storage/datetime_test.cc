// Tests for the datetime grammar (data-model.md §3.3) and instants (§3.1).
#include "loom/datetime.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace loom {
namespace {

TEST(DatetimeGrammarTest, SpecExamples) {
  struct {
    const char* text;
    bool valid;
  } cases[] = {
      {"2024-01-15", true},
      {"2024-02-29T09:30:00Z", true},
      {"2024-01-15T10:00:00.123456789+05:30", true},
      {"2024-01-15T10:00:", true},  // quirk: seconds optional, colon mandatory
      {"2024-01-15T10:00", false},
      {"2025-01", false},
      {"2025-02-30", false},
      {"2024-01-15 10:00:00", false},
      {"2024-01-15T10:00:00+05", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(IsDatetimeText(c.text), c.valid);
  }
}

TEST(DatetimeGrammarTest, CalendarAndZones) {
  struct {
    const char* text;
    bool valid;
  } cases[] = {
      {"1900-02-29", true},  // last two digits multiple of 4
      {"2100-02-29", true},
      {"2000-02-29", true},
      {"2023-02-29", false},
      {"2024-02-30", false},
      {"2024-01-31", true},  {"2024-03-31", true},  {"2024-05-31", true},
      {"2024-07-31", true},  {"2024-08-31", true},  {"2024-10-31", true},
      {"2024-12-31", true},  {"2024-04-31", false}, {"2024-06-31", false},
      {"2024-09-31", false}, {"2024-11-31", false}, {"2024-02-31", false},
      {"2024-04-30", true},  {"2024-01-32", false}, {"2024-00-10", false},
      {"2024-13-01", false}, {"2024-01-00", false}, {"0000-01-01", true},
      {"9999-12-31", true},  {"10000-01-01", false}, {"924-01-01", false},
      {"2024-1-01", false},  {"2024/01/01", false},  {"", false},
      {" 2024-01-01", false}, {"2024-01-01 ", false}, {"2024-01-01T", false},
      {"2024-01-15t10:00:00", false},
      {"2024-01-15T24:00:00", false},
      {"2024-01-15T23:60:00", false},
      {"2024-01-15T23:59:60", false},  // no leap seconds
      {"2024-01-15T23:59:59", true},
      {"2024-01-15T10:00:00z", true},
      {"2024-01-15T10:00:00+", true},  // bare sign quirk
      {"2024-01-15T10:00:00-", true},
      {"2024-01-15T10:00:00+14:00", true},
      {"2024-01-15T10:00:00-14:00", true},
      {"2024-01-15T10:00:00+1400", false},
      {"2024-01-15T10:00:00+14:15", false},
      {"2024-01-15T10:00:00+13:45", true},
      {"2024-01-15T10:00:00+1345", true},
      {"2024-01-15T10:00:00+05:45", true},
      {"2024-01-15T10:00:00+05:40", false},
      {"2024-01-15T10:00:00+15:00", false},
      {"2024-01-15T10:00:00+00:00", true},
      {"2024-01-15T10:00:00+5:30", false},
      {"2024-01-15T10:00:00Z+01:00", false},
      {"2024-01-15T10:00:00.1", true},
      {"2024-01-15T10:00:00.123456789", true},
      {"2024-01-15T10:00:00.1234567890", false},
      {"2024-01-15T10:00:00.", false},
      {"2024-01-15T10:00:.5Z", true},
      {"2024-01-15T10:00:0", false},
      {"2024-01-15T10:00:00ZZ", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(IsDatetimeText(c.text), c.valid);
  }
}

TEST(DatetimeInstantTest, Parses) {
  struct {
    const char* text;
    std::optional<std::string> utc;  // FormatInstantUtc of the result
  } cases[] = {
      {"1970-01-01", "1970-01-01T00:00:00Z"},
      {"2024-01-15", "2024-01-15T00:00:00Z"},
      {"2024-02-29T09:30:00Z", "2024-02-29T09:30:00Z"},
      {"2024-01-15T10:00:00", "2024-01-15T10:00:00Z"},
      {"2024-01-15T10:00:00.123456789+05:30", "2024-01-15T04:30:00.123456789Z"},
      {"2024-01-15T10:00:00.5-01:15", "2024-01-15T11:15:00.5Z"},
      {"2024-01-15T10:00:00+0545", "2024-01-15T04:15:00Z"},
      {"2024-01-01T01:00:00+14:00", "2023-12-31T11:00:00Z"},
      {"2024-01-15T10:00:00+", "2024-01-15T10:00:00Z"},
      {"2024-01-15T10:00:00-", "2024-01-15T10:00:00Z"},
      {"2024-01-15T10:00:00.000000001z", "2024-01-15T10:00:00.000000001Z"},
      {"0000-01-01", "0000-01-01T00:00:00Z"},
      {"9999-12-31T23:59:59.999999999", "9999-12-31T23:59:59.999999999Z"},
      {"1969-12-31T23:59:59", "1969-12-31T23:59:59Z"},
      {"2000-02-29", "2000-02-29T00:00:00Z"},
      {"2024-01-15T10:00:", std::nullopt},  // D15
      {"2024-01-15T10:00:Z", std::nullopt},
      {"1900-02-29", std::nullopt},  // grammar-valid, not a real date
      {"2024-01-15T10:00", std::nullopt},
      {"2025-01", std::nullopt},
      {"hello", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::optional<Instant> got = ParseDatetimeInstant(c.text);
    ASSERT_EQ(got.has_value(), c.utc.has_value());
    if (got) {
      EXPECT_EQ(FormatInstantUtc(*got), *c.utc);
    }
  }
}

TEST(DatetimeInstantTest, EpochValuesAndOrdering) {
  EXPECT_EQ(ParseDatetimeInstant("1970-01-01T00:00:00Z"), (Instant{0, 0}));
  EXPECT_EQ(ParseDatetimeInstant("1970-01-02"), (Instant{86400, 0}));
  EXPECT_EQ(ParseDatetimeInstant("1969-12-31T23:59:59.5Z"), (Instant{-1, 500000000}));
  EXPECT_EQ(ParseDatetimeInstant("2024-01-15T00:00:00Z")->seconds, 1705276800);
  // Same point in time, different offsets.
  EXPECT_EQ(ParseDatetimeInstant("2024-01-15T10:00:00+02:00"),
            ParseDatetimeInstant("2024-01-15T08:00:00Z"));
  EXPECT_LT(*ParseDatetimeInstant("2024-02-29T09:00:00Z"),
            *ParseDatetimeInstant("2024-02-29T09:00:00.000000001Z"));
  EXPECT_LT(*ParseDatetimeInstant("2024-02-29T23:59:59Z"),
            *ParseDatetimeInstant("2024-03-01"));
}

TEST(DatetimeInstantTest, FormatRoundTripsEveryDayOfSomeYears) {
  for (int year : {0, 1, 1600, 1900, 1970, 2000, 2023, 2024, 9999}) {
    for (int64_t day = 0; day < 365; ++day) {
      Instant base = *ParseDatetimeInstant(
          (std::string(year < 1000 ? (year < 10 ? "000" : "") : "") +
           std::to_string(year) + "-01-01")
              .c_str());
      Instant t{base.seconds + day * 86400 + 3661, 0};
      std::string text = FormatInstantUtc(t);
      SCOPED_TRACE(text);
      std::optional<Instant> back = ParseDatetimeInstant(text);
      ASSERT_TRUE(back.has_value());
      EXPECT_EQ(*back, t);
    }
  }
}

}  // namespace
}  // namespace loom
