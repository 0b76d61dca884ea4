// Civil (proleptic Gregorian) dates as days since 1970-01-01, with integer arithmetic only
// (H. Hinnant's civil algorithms): for the model's date validation and day arithmetic and for
// the data generator. Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace ura {

struct CivilDate {
  int32_t year;
  int32_t month;  // 1..12
  int32_t day;    // 1..31
};

int32_t DaysFromCivil(int32_t year, int32_t month, int32_t day);
CivilDate CivilFromDays(int32_t days);
bool IsLeapYear(int32_t year);
int32_t DaysInMonth(int32_t year, int32_t month);  // month 1..12
// True when year/month/day names a real calendar day of the years 1..9999.
bool IsValidCivil(int32_t year, int32_t month, int32_t day);

}  // namespace ura
