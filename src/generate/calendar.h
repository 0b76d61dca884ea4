// Civil dates for the generator: days since 1970-01-01 (proleptic Gregorian) and the textual
// forms the source systems use. Integer arithmetic only (H. Hinnant's civil algorithms).
#pragma once

#include <cstdint>
#include <string>

namespace ura::generate {

struct CivilDate {
  int32_t year;
  int32_t month;  // 1..12
  int32_t day;    // 1..31
};

int32_t DaysFromCivil(int32_t year, int32_t month, int32_t day);
CivilDate CivilFromDays(int32_t days);
bool IsLeapYear(int32_t year);
int32_t DaysInMonth(int32_t year, int32_t month);
// True when year/month/day names a real calendar day.
bool IsValidCivil(int32_t year, int32_t month, int32_t day);

// Appends the date in a layout. Tokens: YYYY, MM, DD; anything else is copied.
// "DD.MM.YYYY", "YYYY-MM-DD", "DD/MM/YYYY", "YYYYMMDD".
void AppendDate(std::string& out, int32_t days, const char* layout);
// The same for an arbitrary (possibly invalid) triple: used for planted bad dates.
void AppendCivil(std::string& out, const CivilDate& date, const char* layout);
// Appends " HH:MM" style time from minutes after midnight: "HH:MM".
void AppendTime(std::string& out, int32_t minute_of_day);

}  // namespace ura::generate
