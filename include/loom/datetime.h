// loom/datetime.h: the datetime grammar of spec/data-model.md §3.3 and the
// instants that datetime comparisons use (§3.1, query.md §4.6).
//
// Datetime values are stored as their original text; this header decides which
// strings are datetimes (type inference) and turns such text into an instant.
// Pure functions, thread-safe.
#ifndef LOOM_DATETIME_H_
#define LOOM_DATETIME_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loom {

// A point in time: seconds since the Unix epoch (UTC) plus nanoseconds in [0, 1e9).
struct Instant {
  int64_t seconds = 0;
  int32_t nanos = 0;
  auto operator<=>(const Instant&) const = default;
};

// True iff `text` matches the datetime grammar exactly (date-only or
// date-time forms, with the calendar check and the zone quirks of §3.3).
bool IsDatetimeText(std::string_view text);

// The instant a datetime string denotes: no offset means UTC, date-only means
// 00:00:00 UTC, fractions up to nanoseconds are kept. nullopt when the text is
// not a datetime or cannot be interpreted (e.g. "2024-01-15T10:00:", decision D15).
std::optional<Instant> ParseDatetimeInstant(std::string_view text);

// The calendar fields of a datetime text as written, in its own offset
// (seconds east of UTC; 0 when none): `$timeBucket` buckets by these.
// nullopt exactly when ParseDatetimeInstant gives nullopt.
struct DatetimeFields {
  int64_t year = 0;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int32_t nanos = 0;
  int offset_seconds = 0;
};
std::optional<DatetimeFields> ParseDatetimeFields(std::string_view text);

// Proleptic Gregorian calendar arithmetic (H. Hinnant's algorithms): days
// since 1970-01-01 of a date, and the date of such a day count.
int64_t DaysFromCivil(int64_t year, int month, int day);
void CivilFromDays(int64_t days, int64_t* year, int* month, int* day);

// Renders an instant as "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z" (fraction digits
// trimmed of trailing zeros; none when zero).
std::string FormatInstantUtc(Instant instant);

}  // namespace loom

#endif  // LOOM_DATETIME_H_
