// The textual forms of dates the generated source systems use; the day arithmetic is
// base/calendar.h's.
#pragma once

#include <cstdint>
#include <string>

#include "base/calendar.h"

namespace ura::generate {

// Appends the date in a layout. Tokens: YYYY, MM, DD; anything else is copied.
// "DD.MM.YYYY", "YYYY-MM-DD", "DD/MM/YYYY", "YYYYMMDD".
void AppendDate(std::string& out, int32_t days, const char* layout);
// The same for an arbitrary (possibly invalid) triple: used for planted bad dates.
void AppendCivil(std::string& out, const CivilDate& date, const char* layout);
// Appends " HH:MM" style time from minutes after midnight: "HH:MM".
void AppendTime(std::string& out, int32_t minute_of_day);

}  // namespace ura::generate
