// String distances for ranking search results and comparing names (entity resolution).
// Operate on bytes: call them on folded text (fold.h), which is ASCII.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ura::text {

// Damerau-Levenshtein distance in the "optimal string alignment" form (an adjacent
// transposition costs 1; no substring is edited twice). Returns `max_distance + 1` as soon as
// the distance is known to exceed `max_distance` (so a tight bound is cheap).
int EditDistance(std::string_view a, std::string_view b, int max_distance);

// Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4), as in Winkler 1990.
double JaroWinkler(std::string_view a, std::string_view b);

// The strings made by deleting one character of `token` (duplicates removed), the keys of a
// symmetric-deletion index: two tokens within one edit share a key or one's key is the other.
std::vector<std::string> SingleDeletions(std::string_view token);

}  // namespace ura::text
