#include "base/calendar.h"

#include <gtest/gtest.h>

namespace ura {
namespace {

TEST(CalendarTest, KnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2026, 11, 29), 20786);
  const CivilDate c = CivilFromDays(20786);
  EXPECT_EQ((c.year * 10000 + c.month * 100 + c.day), 20261129);
}

TEST(CalendarTest, RoundTripsEveryDayOfFourCenturies) {
  int32_t expected = DaysFromCivil(1800, 1, 1);
  for (int32_t y = 1800; y < 2200; ++y) {
    for (int32_t m = 1; m <= 12; ++m) {
      for (int32_t d = 1; d <= DaysInMonth(y, m); ++d) {
        ASSERT_EQ(DaysFromCivil(y, m, d), expected) << y << "-" << m << "-" << d;
        const CivilDate c = CivilFromDays(expected);
        ASSERT_TRUE(c.year == y && c.month == m && c.day == d) << expected;
        ++expected;
      }
    }
  }
}

TEST(CalendarTest, LeapYearsAndValidity) {
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(2026));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2026, 2), 28);
  EXPECT_TRUE(IsValidCivil(2024, 2, 29));
  EXPECT_FALSE(IsValidCivil(2026, 2, 29));
  EXPECT_FALSE(IsValidCivil(2026, 13, 1));
  EXPECT_FALSE(IsValidCivil(2026, 4, 31));
  EXPECT_FALSE(IsValidCivil(0, 1, 1));
}

}  // namespace
}  // namespace ura
