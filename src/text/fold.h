// Text folding for matching names and free text across scripts and spellings.
//
// Sources spell the same name differently: "ROMBOLAKU" from a passport reader, "Rombolakë" in a
// case file, "Ромболаку" in a partner's list, "Şükrü" and "SUKRU". Fold() maps all of them to
// one ASCII form: Serbian/Macedonian Cyrillic by the Serbian Latin convention (Љ -> lj, Џ -> dž,
// Ђ -> đ, Ќ -> ć), every other script through ICU's Any-Latin, then Latin-ASCII (ë -> e,
// ß -> ss, đ -> d), then lower case -- after ASCII folding, so Turkish İ, I and ı all become i.
// Every run of characters other than a-z and 0-9 becomes one space.
//
// Skeleton() is a coarse phonetic key of a folded token (first letter, then consonants with
// Balkan digraphs merged), so "rombolaku", "rumbolako" and "rombolako" share "rmblk". It is a
// candidate generator only: results are reranked by edit distance (distance.h).
//
// All functions are thread-safe (one ICU transliterator per thread).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ura::text {

// The folded form: lower-case ASCII letters and digits, single spaces, no leading or trailing
// space. Invalid UTF-8 is replaced (U+FFFD), which folds to a space.
std::string Fold(std::string_view utf8);

// Fold(utf8) split at the spaces.
std::vector<std::string> FoldTokens(std::string_view utf8);

// Splits an already folded string at its spaces.
std::vector<std::string_view> SplitFolded(std::string_view folded);

// Names the folding rules and the ICU version behind them: a change to either can change
// what Fold returns, so stored folded text must be recomputed.
std::string FoldVersion();

// The phonetic skeleton of one folded token (see above); empty for an empty token. Digits are
// kept as they are.
std::string Skeleton(std::string_view token);

}  // namespace ura::text
