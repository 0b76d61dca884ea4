#include "resolve/compare.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "text/distance.h"
#include "text/fold.h"

namespace ura::resolve {

namespace {

// Level sum for choosing an alignment; missing counts as nothing.
int Agreement(int8_t level) { return level == kMissing ? 0 : level; }

// CompareNamePart with the parts' skeletons given.
int8_t NamePartLevel(std::string_view a, std::string_view a_sound, std::string_view b, std::string_view b_sound) {
  if (a == b) return 3;
  if (text::EditDistance(a, b, 1) <= 1) return 2;
  // Same sound only for names long enough that a skeleton says something ("ana" and "ani"
  // share one, "rombolaku" and "rumbolako" share "rmblk").
  if (a.size() >= 4 && b.size() >= 4 && a_sound.size() >= 3 && a_sound == b_sound) return 2;
  return text::JaroWinkler(a, b) >= 0.88 ? 1 : 0;
}

int8_t NameOrMissing(std::string_view a, std::string_view a_sound, std::string_view b, std::string_view b_sound) {
  return a.empty() || b.empty() ? kMissing : NamePartLevel(a, a_sound, b, b_sound);
}

bool Precise(const PartialDate& d) { return d.day != 0; }

}  // namespace

std::string_view FieldName(int field) {
  static constexpr std::array<std::string_view, kFields> kNames = {
      "family name", "given name", "birth date", "identifier", "phone", "address", "nationality", "gender"};
  return field >= 0 && field < kFields ? kNames[field] : "?";
}

std::string_view LevelName(int field, int level) {
  if (level == kMissing) return "missing";
  switch (field) {
    case kFamilyName:
    case kGivenName: {
      static constexpr std::string_view kLevels[] = {"different", "similar", "one edit or same sound", "exact"};
      return kLevels[level];
    }
    case kBirthDate: {
      static constexpr std::string_view kLevels[] = {"different", "near", "partial date agrees", "day/month swapped",
                                                     "exact"};
      return kLevels[level];
    }
    case kIdentifier: {
      static constexpr std::string_view kLevels[] = {"different", "partial", "exact"};
      return kLevels[level];
    }
    case kAddress: {
      static constexpr std::string_view kLevels[] = {"different", "half the words", "exact"};
      return kLevels[level];
    }
    default:
      return level == 1 ? "shared" : "different";
  }
}

int8_t CompareNamePart(std::string_view a, std::string_view b) {
  return NamePartLevel(a, text::Skeleton(a), b, text::Skeleton(b));
}

int8_t CompareDate(const PartialDate& a, const PartialDate& b) {
  if (a == b) return 4;
  if (Precise(a) && Precise(b) && a.year == b.year && a.day == b.month && a.month == b.day) return 3;
  const bool same_year = a.year == b.year;
  if (same_year && (a.month == 0 || b.month == 0)) return 2;
  if (same_year && a.month == b.month && (a.day == 0 || b.day == 0)) return 2;
  if (same_year && a.month == b.month) return 1;
  if (std::abs(a.year - b.year) == 1 && a.month != 0 && a.month == b.month && a.day == b.day) return 1;
  return 0;
}

int8_t CompareDates(const std::vector<PartialDate>& a, const std::vector<PartialDate>& b) {
  if (a.empty() || b.empty()) return kMissing;
  int8_t best = 0;
  for (const PartialDate& x : a) {
    for (const PartialDate& y : b) best = std::max(best, CompareDate(x, y));
  }
  return best;
}

int8_t CompareIdentifiers(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return kMissing;
  int8_t best = 0;
  for (const std::string& x : a) {
    for (const std::string& y : b) {
      if (x == y) return 2;
      const std::string& shorter = x.size() <= y.size() ? x : y;
      const std::string& longer = x.size() <= y.size() ? y : x;
      if (shorter.size() >= 5 && longer.find(shorter) != std::string::npos) best = 1;
      if (shorter.size() >= 6 && text::EditDistance(x, y, 1) <= 1) best = 1;
    }
  }
  return best;
}

int8_t CompareExactSets(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return kMissing;
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) return 1;
  }
  return 0;
}

int8_t CompareAddresses(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return kMissing;
  int8_t best = 0;
  for (const std::string& x : a) {
    for (const std::string& y : b) {
      if (x == y) return 2;
      std::vector<std::string_view> tx = text::SplitFolded(x), ty = text::SplitFolded(y);
      std::set<std::string_view> sx(tx.begin(), tx.end()), sy(ty.begin(), ty.end());
      size_t common = 0;
      for (std::string_view t : sx) common += sy.count(t);
      size_t all = sx.size() + sy.size() - common;
      if (all > 0 && 2 * common >= all) best = 1;
    }
  }
  return best;
}

ComparisonVector Compare(const PersonRecord& a, const PersonRecord& b) {
  ComparisonVector v;
  std::string scratch[4];
  const std::string_view a_given = PartSound(a.given, a.given_sound, scratch[0]);
  const std::string_view a_family = PartSound(a.family, a.family_sound, scratch[1]);
  const std::string_view b_given = PartSound(b.given, b.given_sound, scratch[2]);
  const std::string_view b_family = PartSound(b.family, b.family_sound, scratch[3]);
  const int8_t straight_family = NameOrMissing(a.family, a_family, b.family, b_family);
  const int8_t straight_given = NameOrMissing(a.given, a_given, b.given, b_given);
  const int8_t crossed_family = NameOrMissing(a.family, a_family, b.given, b_given);
  const int8_t crossed_given = NameOrMissing(a.given, a_given, b.family, b_family);
  if (Agreement(crossed_family) + Agreement(crossed_given) > Agreement(straight_family) + Agreement(straight_given)) {
    v.level[kFamilyName] = crossed_family;
    v.level[kGivenName] = crossed_given;
    v.names_swapped = true;
  } else {
    v.level[kFamilyName] = straight_family;
    v.level[kGivenName] = straight_given;
  }
  v.level[kBirthDate] = CompareDates(a.birth_dates, b.birth_dates);
  v.level[kIdentifier] = CompareIdentifiers(a.identifiers, b.identifiers);
  v.level[kPhone] = CompareExactSets(a.phones, b.phones);
  v.level[kAddress] = CompareAddresses(a.addresses, b.addresses);
  v.level[kNationality] = CompareExactSets(a.nationalities, b.nationalities);
  v.level[kGender] = a.gender == 0 || b.gender == 0 ? kMissing : (a.gender == b.gender ? 1 : 0);
  return v;
}

}  // namespace ura::resolve
