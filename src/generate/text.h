// Text for the generator: UTF-8 helpers and the ways one name is written differently by
// different systems — diacritics dropped, the ICAO/MRZ upper-case ASCII of a passport reader,
// Serbian and Macedonian Cyrillic, Albanian and Turkish names in Serbian orthography, Albanian
// definite/indefinite surname endings, keyboard typos — plus windows-1250 encoding and the
// escaping of CSV fields and JSON strings. Every table is data in text.cc.
//
// Inputs are valid UTF-8 (the generator's own data); functions are pure and thread-safe
// except where they take a Random.
#pragma once

#include <string>
#include <string_view>

#include "generate/random.h"

namespace ura::generate {

// How letters with diacritics become ASCII.
enum class FoldStyle {
  kIcao,     // ICAO 9303: Đ→D, Ä→A, Ö→O, Ü→U (as most passports print them)
  kSerbian,  // Đ→DJ (Serbian, Montenegrin and Bosnian documents)
  kGerman,   // Ä→AE, Ö→OE, Ü→UE, ß→SS (German and Austrian documents)
};

std::u32string DecodeUtf8(std::string_view text);
void AppendUtf8(std::string& out, char32_t cp);
std::string EncodeUtf8(std::u32string_view text);

// Diacritics dropped, case kept: "Çoci" → "Coci", "Đorđe" → "Dorde" or "Djordje".
std::string FoldToAscii(std::string_view text, FoldStyle style = FoldStyle::kIcao);
// What a passport reader gives: upper-case ASCII, apostrophes dropped, hyphens as spaces.
std::string MrzName(std::string_view text, FoldStyle style);
// Unicode upper/lower case for the Latin and Cyrillic letters the generator uses. With
// `turkish`, i↔İ and ı↔I follow Turkish rules.
std::string ToUpper(std::string_view text, bool turkish = false);
std::string ToLower(std::string_view text, bool turkish = false);

enum class CyrillicScript { kSerbian, kMacedonian };
// Serbian (or Macedonian) Latin orthography → Cyrillic: "Đorđe Petrović" → "Ђорђе Петровић",
// "Gjorgji Trajkovski" → "Ѓорѓи Трајковски" (Macedonian).
std::string ToCyrillic(std::string_view latin, CyrillicScript script);
// An Albanian name as a Serbian clerk writes it: "Krasniqi" → "Krasnići", "Hoxha" → "Hodža".
std::string AlbanianToSerbianLatin(std::string_view albanian);
// A Turkish name in Serbian orthography: "Yılmaz" → "Jilmaz", "Çelik" → "Čelik".
std::string TurkishToSerbianLatin(std::string_view turkish);

// Another form of an Albanian family name: definite -u/-i dropped or turned into the
// indefinite -ë / dialect -o ("Rombolaku" → "Rombolakë", "Rombolako"; "Dervishi" →
// "Dervish"; "Hoxha" → "Hoxhë"). Returns the name unchanged when no variant applies.
std::string AlbanianSurnameVariant(std::string_view family, Random& random);

// One keyboard typo: a neighbouring key, two letters swapped, a letter dropped or doubled.
// The first letter is kept most of the time; names shorter than 3 letters are returned as is.
std::string Typo(std::string_view text, Random& random);

// Appends `utf8` encoded as windows-1250. A character windows-1250 lacks (Turkish ğ, ı, İ;
// Cyrillic) is written as its ASCII fold, the way a registry that cannot store it does.
void AppendWindows1250(std::string& out, std::string_view utf8);
// The Unicode code point for a windows-1250 byte >= 0x80, or 0 where the code page has none.
char32_t Windows1250ToUnicode(uint8_t byte);

// A CSV field, quoted (and inner quotes doubled) when it holds the delimiter, a quote, CR or LF.
void AppendCsvField(std::string& out, std::string_view value, char delimiter);
// A JSON string literal with its quotes.
void AppendJsonString(std::string& out, std::string_view value);

}  // namespace ura::generate
