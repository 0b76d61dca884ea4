#include "model/dates.h"

#include <charconv>
#include <cstdio>

namespace ura::model {
namespace {

// Howard Hinnant's days_from_civil.
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (s.size() < pos + n) return false;
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, out);
  return ec == std::errc() && end == s.data() + pos + n;
}

}  // namespace

int32_t DayOfDate(std::string_view iso) {
  int y = 0, m = 1, d = 1;
  if (!Digits(iso, 0, 4, y)) return kNoDay;
  if (iso.size() > 4 && (iso[4] != '-' || !Digits(iso, 5, 2, m))) return kNoDay;
  if (iso.size() > 7 && (iso[7] != '-' || !Digits(iso, 8, 2, d))) return kNoDay;
  if (iso.size() > 10 && iso[10] != 'T') return kNoDay;
  if (m < 1 || m > 12 || d < 1 || d > 31) return kNoDay;
  return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string DateOfDay(int32_t day) {
  if (day == kNoDay) return "";
  // Howard Hinnant's civil_from_days.
  const int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(yoe) + era * 400 + (m <= 2), m,
                d);
  return buf;
}

}  // namespace ura::model
