// Comparison vectors: how two person records agree, field by field, as a small level per
// field (the agreement patterns a Fellegi-Sunter model weighs, fellegi_sunter.h).
//
// Every comparison is symmetric and returns kMissing when either record lacks the field, so
// that missing data neither counts for nor against a match. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "resolve/record.h"

namespace ura::resolve {

inline constexpr int8_t kMissing = -1;

// The fields compared, in the order of a ComparisonVector.
enum Field : int { kFamilyName = 0, kGivenName, kBirthDate, kIdentifier, kPhone, kAddress, kNationality, kGender, kFields };
// Number of levels of each field (levels are 0 .. n-1; higher is closer agreement).
inline constexpr std::array<int, kFields> kFieldLevels = {4, 4, 5, 3, 2, 3, 2, 2};

std::string_view FieldName(int field);  // "family name", "given name", "birth date" ...
// What a level of a field means, for explanations: "exact", "one edit apart", ...
std::string_view LevelName(int field, int level);

// Name parts (folded): 3 equal; 2 one edit apart (Damerau-Levenshtein, optimal string
// alignment) or the same phonetic skeleton (text::Skeleton: "rombolaku" ~ "rombolako");
// 1 Jaro-Winkler >= 0.88; 0 different.
int8_t CompareNamePart(std::string_view a, std::string_view b);

// Birth dates: 4 equal at the same precision; 3 day and month swapped (12.03 vs 03.12);
// 2 one date is a partial form of the other (1985 or 1985-03 vs 1985-03-12); 1 near: same
// year and month with another day, or one year apart with the same day and month; 0 different.
int8_t CompareDate(const PartialDate& a, const PartialDate& b);
// The best level over all pairs of the records' dates.
int8_t CompareDates(const std::vector<PartialDate>& a, const std::vector<PartialDate>& b);

// Identifiers (document and personal numbers): 2 a value in common; 1 partial: one value is
// a part of another (a number typed without its first or last characters) of at least 5
// characters, or two values of 6 or more characters one edit apart; 0 none alike.
int8_t CompareIdentifiers(const std::vector<std::string>& a, const std::vector<std::string>& b);

// Sets of exact values (phones, nationalities): 1 one in common, 0 none.
int8_t CompareExactSets(const std::vector<std::string>& a, const std::vector<std::string>& b);

// Folded addresses: 2 equal; 1 at least half the words in common (Jaccard >= 0.5); 0 different.
int8_t CompareAddresses(const std::vector<std::string>& a, const std::vector<std::string>& b);

struct ComparisonVector {
  std::array<int8_t, kFields> level{};  // kMissing or 0 .. kFieldLevels[f]-1
  bool names_swapped = false;           // the best name alignment crossed given and family
  bool operator==(const ComparisonVector&) const = default;
};

// Compares two records. Names: the given and family parts are compared as the records order
// them and crossed (family against given), and the alignment with the closer agreement wins;
// a crossed alignment is reported in names_swapped ("Rombolaku Mehmet" vs "Mehmet Rombolaku").
ComparisonVector Compare(const PersonRecord& a, const PersonRecord& b);

}  // namespace ura::resolve
