#include "text/distance.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ura::text {
namespace {

TEST(EditDistanceTest, KnownDistances) {
  EXPECT_EQ(EditDistance("kitten", "sitting", 5), 3);
  EXPECT_EQ(EditDistance("rombolaku", "rombolako", 3), 1);
  EXPECT_EQ(EditDistance("rombolaku", "rumbolako", 3), 2);
  EXPECT_EQ(EditDistance("mehmet", "mhemet", 3), 1);   // adjacent transposition
  EXPECT_EQ(EditDistance("ca", "abc", 5), 3);          // OSA, not unrestricted DL (2)
  EXPECT_EQ(EditDistance("", "abc", 5), 3);
  EXPECT_EQ(EditDistance("same", "same", 0), 0);
}

TEST(EditDistanceTest, StopsAtTheBound) {
  EXPECT_EQ(EditDistance("kitten", "sitting", 1), 2);
  EXPECT_EQ(EditDistance("a", "abcdef", 2), 3);
  EXPECT_EQ(EditDistance("abcdefgh", "hgfedcba", 2), 3);
}

// Published values (Winkler 1990; Cohen, Ravikumar & Fienberg 2003).
TEST(JaroWinklerTest, PublishedValues) {
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.840, 0.001);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.813, 0.001);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "abc"), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "xyz"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", ""), 1.0);
}

TEST(SingleDeletionsTest, EachCharacterOnce) {
  EXPECT_EQ(SingleDeletions("abc"), (std::vector<std::string>{"bc", "ac", "ab"}));
  EXPECT_EQ(SingleDeletions("aab"), (std::vector<std::string>{"ab", "aa"}));
  EXPECT_TRUE(SingleDeletions("").empty());
}

}  // namespace
}  // namespace ura::text
