// The datetime grammar of spec/data-model.md §3.3 and its instants.
//
// The grammar is hand-written (not a regex, not absl::ParseTime) because it has
// quirks RushDB's regexes encode and Abseil's RFC 3339 parser does not share:
// optional seconds after a mandatory colon, a bare "+"/"-" zone, the
// "last two digits of the year" leap rule and offsets limited to quarter hours.
#include "loom/datetime.h"

#include <cstdio>

namespace loom {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at text[*pos]; advances *pos on success.
bool ReadDigits(std::string_view text, size_t* pos, int n, int* out) {
  if (*pos + static_cast<size_t>(n) > text.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool IsLongMonth(int month) {
  return month == 1 || month == 3 || month == 5 || month == 7 || month == 8 ||
         month == 10 || month == 12;
}

// Proleptic Gregorian leap year (what an instant needs; the grammar's own
// leap rule is looser, see GrammarDay).
bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }


// Everything the grammar recognises, so that one scan serves both functions.
struct Parsed {
  int year = 0, month = 0, day = 0;
  bool has_time = false;
  int hour = 0, minute = 0;
  bool has_seconds = false;
  int second = 0;
  int32_t nanos = 0;
  int offset_seconds = 0;  // east of UTC; 0 for "", "Z", bare sign
};

bool Scan(std::string_view text, Parsed* p) {
  size_t pos = 0;
  if (!ReadDigits(text, &pos, 4, &p->year)) return false;
  if (pos >= text.size() || text[pos++] != '-') return false;
  if (!ReadDigits(text, &pos, 2, &p->month)) return false;
  if (pos >= text.size() || text[pos++] != '-') return false;
  if (!ReadDigits(text, &pos, 2, &p->day)) return false;
  // Calendar check of §3.3: 02-29 whenever the year's last two digits are a
  // multiple of 4 (so 1900-02-29 passes the grammar).
  if (p->month < 1 || p->month > 12 || p->day < 1) return false;
  if (p->day == 31 && !IsLongMonth(p->month)) return false;
  if (p->day > 31) return false;
  if (p->month == 2 && p->day > 29) return false;
  if (p->month == 2 && p->day == 29 && (p->year % 100) % 4 != 0) return false;
  if (pos == text.size()) return true;  // date-only form

  p->has_time = true;
  if (text[pos++] != 'T') return false;
  if (!ReadDigits(text, &pos, 2, &p->hour) || p->hour > 23) return false;
  if (pos >= text.size() || text[pos++] != ':') return false;
  if (!ReadDigits(text, &pos, 2, &p->minute) || p->minute > 59) return false;
  if (pos >= text.size() || text[pos++] != ':') return false;  // mandatory
  if (pos < text.size() && IsDigit(text[pos])) {
    if (!ReadDigits(text, &pos, 2, &p->second) || p->second > 59) return false;
    p->has_seconds = true;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    int32_t frac = 0;
    while (pos < text.size() && IsDigit(text[pos])) {
      if (++digits > 9) return false;
      frac = frac * 10 + (text[pos] - '0');
      ++pos;
    }
    if (digits == 0) return false;
    for (int i = digits; i < 9; ++i) frac *= 10;
    p->nanos = frac;
  }
  if (pos == text.size()) return true;
  const char z = text[pos];
  if (z == 'Z' || z == 'z') return pos + 1 == text.size();
  if (z != '+' && z != '-') return false;
  ++pos;
  if (pos == text.size()) return true;  // bare sign quirk: treated as UTC
  int oh = 0, om = 0;
  if (!ReadDigits(text, &pos, 2, &oh)) return false;
  const bool colon = pos < text.size() && text[pos] == ':';
  if (colon) ++pos;
  if (!ReadDigits(text, &pos, 2, &om) || pos != text.size()) return false;
  if (oh == 14) {
    if (!colon || om != 0) return false;  // only "14:00"
  } else if (oh > 13 || (om != 0 && om != 15 && om != 30 && om != 45)) {
    return false;
  }
  p->offset_seconds = (z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  return true;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}


bool IsDatetimeText(std::string_view text) {
  Parsed p;
  return Scan(text, &p);
}

std::optional<Instant> ParseDatetimeInstant(std::string_view text) {
  Parsed p;
  if (!Scan(text, &p)) return std::nullopt;
  // Grammar-valid but not a time of day (decision D15).
  if (p.has_time && !p.has_seconds) return std::nullopt;
  // Grammar-valid but not a real date (e.g. 1900-02-29): a datetime parser
  // refuses it, so no instant.
  if (p.month == 2 && p.day == 29 && !IsLeapYear(p.year)) return std::nullopt;
  const int64_t days = DaysFromCivil(p.year, p.month, p.day);
  Instant out;
  out.seconds = days * 86400 + p.hour * 3600 + p.minute * 60 + p.second -
                p.offset_seconds;
  out.nanos = p.nanos;
  return out;
}

std::optional<DatetimeFields> ParseDatetimeFields(std::string_view text) {
  if (!ParseDatetimeInstant(text)) return std::nullopt;
  Parsed p;
  Scan(text, &p);
  DatetimeFields f;
  f.year = p.year;
  f.month = p.month;
  f.day = p.day;
  f.hour = p.hour;
  f.minute = p.minute;
  f.second = p.second;
  f.nanos = p.nanos;
  f.offset_seconds = p.offset_seconds;
  return f;
}

std::string FormatInstantUtc(Instant instant) {
  int64_t days = instant.seconds / 86400;
  int64_t secs = instant.seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  int64_t y = 0;
  int m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%04lld-%02d-%02dT%02d:%02d:%02d",
                y < 0 ? "-" : "", static_cast<long long>(y < 0 ? -y : y), m, d,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  std::string out = buf;
  if (instant.nanos > 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, "%09d", static_cast<int>(instant.nanos));
    std::string f = frac;
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += '.';
    out += f;
  }
  out += 'Z';
  return out;
}

}  // namespace loom
