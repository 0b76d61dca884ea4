// Comparison functions, table-driven. Expected levels follow from the definitions in
// compare.h applied by hand to the folded forms written in each row's comment.
#include "resolve/compare.h"

#include <gtest/gtest.h>

#include "text/fold.h"

namespace ura::resolve {
namespace {

struct NameCase {
  const char* a;
  const char* b;
  int8_t level;
};

TEST(CompareNamePart, AlbanianTurkishSerbianSpellings) {
  const NameCase cases[] = {
      {"ROMBOLAKU", "Ромболаку", 3},   // both fold to rombolaku
      {"Rombolakë", "ROMBOLAKU", 2},   // rombolake / rombolaku: one substitution
      {"Rombolako", "Rombolaku", 2},   // one substitution
      {"Şükrü", "SUKRU", 3},           // sukru / sukru
      {"YILMAZ", "Yılmaz", 3},         // Turkish dotless i folds to i
      {"Jilmaz", "Yılmaz", 2},         // Serbian orthography: jilmaz / yilmaz, one substitution
      {"Krasnići", "Krasniqi", 2},     // krasnici / krasniqi: one substitution
      {"Mehmed", "Mehmet", 2},         // one substitution
      {"Çelik", "Čelik", 3},           // both celik
      {"Berisha", "Gashi", 0},         // unrelated
      {"Hoxha", "Krasniqi", 0},        // unrelated
      {"Dervishi", "Dervish", 2},      // one deletion
      {"Đorđe", "Ђорђе", 3},           // Serbian Cyrillic by the Serbian Latin convention
  };
  for (const NameCase& c : cases) {
    EXPECT_EQ(CompareNamePart(text::Fold(c.a), text::Fold(c.b)), c.level) << c.a << " vs " << c.b;
    EXPECT_EQ(CompareNamePart(text::Fold(c.b), text::Fold(c.a)), c.level) << "symmetric: " << c.a << " vs " << c.b;
  }
}

TEST(CompareNamePart, SimilarButMoreThanOneEdit) {
  // martin / martinez: two edits apart, skeletons mrtn / mrtnz, Jaro-Winkler 0.95.
  EXPECT_EQ(CompareNamePart("martin", "martinez"), 1);
}

struct DateCase {
  PartialDate a, b;
  int8_t level;
};

TEST(CompareDate, Levels) {
  const DateCase cases[] = {
      {{1985, 3, 12}, {1985, 3, 12}, 4},
      {{1985, 3, 12}, {1985, 12, 3}, 3},  // day and month swapped
      {{1985, 0, 0}, {1985, 3, 12}, 2},   // a year only
      {{1985, 3, 0}, {1985, 3, 12}, 2},   // year and month only
      {{1985, 3, 12}, {1985, 3, 14}, 1},  // another day
      {{1985, 3, 12}, {1986, 3, 12}, 1},  // year one off
      {{1985, 3, 12}, {1987, 3, 12}, 0},
      {{1985, 3, 12}, {1990, 7, 1}, 0},
      {{1985, 0, 0}, {1986, 0, 0}, 0},
  };
  for (const DateCase& c : cases) {
    EXPECT_EQ(CompareDate(c.a, c.b), c.level) << c.a.year << "-" << int(c.a.month) << "-" << int(c.a.day);
    EXPECT_EQ(CompareDate(c.b, c.a), c.level);
  }
  EXPECT_EQ(CompareDates({}, {{1985, 3, 12}}), kMissing);
  EXPECT_EQ(CompareDates({{1990, 1, 1}, {1985, 3, 12}}, {{1985, 12, 3}}), 3);  // the best of all pairs
}

TEST(ParseDate, Precisions) {
  EXPECT_EQ(ParseDate("1985-03-12"), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(ParseDate("1985-03-12T10:00Z"), (PartialDate{1985, 3, 12}));
  EXPECT_EQ(ParseDate("1985-03"), (PartialDate{1985, 3, 0}));
  EXPECT_EQ(ParseDate("1985"), (PartialDate{1985, 0, 0}));
  EXPECT_EQ(ParseDate("85"), (PartialDate{}));
}

struct IdCase {
  std::vector<std::string> a, b;
  int8_t level;
};

TEST(CompareIdentifiers, ExactPartialDifferent) {
  const IdCase cases[] = {
      {{"AB1234567"}, {"AB1234567"}, 2},
      {{"AB1234567"}, {"1234567"}, 1},     // typed without the first two characters
      {{"AB1234567"}, {"AB12345"}, 1},     // ... or the last two
      {{"AB1234567"}, {"AB1234568"}, 1},   // one character wrong
      {{"AB1234567"}, {"CD7654321"}, 0},
      {{"A1234"}, {"1234"}, 0},            // too short to say anything
      {{"X9", "AB1234567"}, {"AB1234567"}, 2},
      {{}, {"AB1234567"}, kMissing},
  };
  for (const IdCase& c : cases) {
    EXPECT_EQ(CompareIdentifiers(c.a, c.b), c.level);
    EXPECT_EQ(CompareIdentifiers(c.b, c.a), c.level);
  }
}

TEST(CompareSets, PhonesAndAddresses) {
  EXPECT_EQ(CompareExactSets({"+355691234567"}, {"+38344123456", "+355691234567"}), 1);
  EXPECT_EQ(CompareExactSets({"+355691234567"}, {"+38344123456"}), 0);
  EXPECT_EQ(CompareExactSets({}, {"+38344123456"}), kMissing);
  EXPECT_EQ(CompareAddresses({"rruga e kavajes 12 tirane"}, {"rruga e kavajes 12 tirane"}), 2);
  // 4 words in common of 6 distinct: Jaccard 0.67.
  EXPECT_EQ(CompareAddresses({"rruga e kavajes 12 tirane"}, {"rruga e kavajes 14 tirane"}), 1);
  EXPECT_EQ(CompareAddresses({"rruga e kavajes 12 tirane"}, {"bulevardi zogu i 1 durres"}), 0);
}

TEST(NameTokens, HonorificsAndInitialsDropped) {
  EXPECT_EQ(NameTokens("Z. Mehmet K. Rombolaku"), (std::vector<std::string>{"mehmet", "rombolaku"}));
  EXPECT_EQ(NameTokens("Dr Ayşe Hanım Yılmaz"), (std::vector<std::string>{"ayse", "yilmaz"}));
  EXPECT_EQ(NameTokens("gospodin Петар Петровић"), (std::vector<std::string>{"petar", "petrovic"}));
}

PersonRecord Named(std::string given, std::string family, bool parts_known) {
  PersonRecord r;
  r.given = std::move(given);
  r.family = std::move(family);
  r.parts_known = parts_known;
  return r;
}

TEST(Compare, SwappedNamesAreFound) {
  // "Rombolaku Mehmet" read in given-first order against "Mehmet Rombolaku".
  ComparisonVector v = Compare(Named("rombolaku", "mehmet", false), Named("mehmet", "rombolaku", true));
  EXPECT_TRUE(v.names_swapped);
  EXPECT_EQ(v.level[kFamilyName], 3);
  EXPECT_EQ(v.level[kGivenName], 3);
  ComparisonVector straight = Compare(Named("mehmet", "rombolake", false), Named("mehmet", "rombolaku", true));
  EXPECT_FALSE(straight.names_swapped);
  EXPECT_EQ(straight.level[kFamilyName], 2);
  EXPECT_EQ(straight.level[kBirthDate], kMissing);
  EXPECT_EQ(straight.level[kIdentifier], kMissing);
}

}  // namespace
}  // namespace ura::resolve
