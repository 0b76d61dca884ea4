#include "model/dates.h"

#include <charconv>
#include <cstdio>

#include "base/calendar.h"

namespace ura::model {
namespace {

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
  return DaysFromCivil(y, m, d);
}

std::string DateOfDay(int32_t day) {
  if (day == kNoDay) return "";
  const CivilDate c = CivilFromDays(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(c.year), static_cast<int>(c.month),
                static_cast<int>(c.day));
  return buf;
}

}  // namespace ura::model
