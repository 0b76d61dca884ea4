// Calendar days: a date as the number of days since 1970-01-01 (proleptic Gregorian), for
// analyses that compare dates by the day (link-analysis time windows, AML windows).
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ura::model {

inline constexpr int32_t kNoDay = INT32_MIN;  // no date known

// The first day of an ISO 8601 date as the model stores them (types.h: "2024", "2024-03",
// "2024-03-05", "2024-03-05T10:00..."), or kNoDay if `iso` does not start with one.
int32_t DayOfDate(std::string_view iso);
// "YYYY-MM-DD"; empty for kNoDay.
std::string DateOfDay(int32_t day);

}  // namespace ura::model
