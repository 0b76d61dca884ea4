#include "generate/text.h"

#include <array>
#include <cstring>

namespace ura::generate {

namespace {

// ASCII forms of U+00C0..U+017F (ICAO 9303 style). Serbian and German overrides below.
constexpr std::array<const char*, 192> kFold = {
    // U+00C0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "A",
    "A",
    "A",
    "A",
    "A",
    "A",
    "AE",
    "C",
    "E",
    "E",
    "E",
    "E",
    "I",
    "I",
    "I",
    "I",
    // U+00D0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    "D",
    "N",
    "O",
    "O",
    "O",
    "O",
    "O",
    "x",
    "O",
    "U",
    "U",
    "U",
    "U",
    "Y",
    "TH",
    "ss",
    // U+00E0 à á â ã ä å æ ç è é ê ë ì í î ï
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "c",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    // U+00F0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "/",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "y",
    // U+0100 Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď
    "A",
    "a",
    "A",
    "a",
    "A",
    "a",
    "C",
    "c",
    "C",
    "c",
    "C",
    "c",
    "C",
    "c",
    "D",
    "d",
    // U+0110 Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ
    "D",
    "d",
    "E",
    "e",
    "E",
    "e",
    "E",
    "e",
    "E",
    "e",
    "E",
    "e",
    "G",
    "g",
    "G",
    "g",
    // U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į
    "G",
    "g",
    "G",
    "g",
    "H",
    "h",
    "H",
    "h",
    "I",
    "i",
    "I",
    "i",
    "I",
    "i",
    "I",
    "i",
    // U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
    "I",
    "i",
    "IJ",
    "ij",
    "J",
    "j",
    "K",
    "k",
    "k",
    "L",
    "l",
    "L",
    "l",
    "L",
    "l",
    "L",
    // U+0140 ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
    "l",
    "L",
    "l",
    "N",
    "n",
    "N",
    "n",
    "N",
    "n",
    "n",
    "N",
    "n",
    "O",
    "o",
    "O",
    "o",
    // U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş
    "O",
    "o",
    "OE",
    "oe",
    "R",
    "r",
    "R",
    "r",
    "R",
    "r",
    "S",
    "s",
    "S",
    "s",
    "S",
    "s",
    // U+0160 Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů
    "S",
    "s",
    "T",
    "t",
    "T",
    "t",
    "T",
    "t",
    "U",
    "u",
    "U",
    "u",
    "U",
    "u",
    "U",
    "u",
    // U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ
    "U",
    "u",
    "U",
    "u",
    "W",
    "w",
    "Y",
    "y",
    "Y",
    "Z",
    "z",
    "Z",
    "z",
    "Z",
    "z",
    "s",
};

// windows-1250 bytes 0x80..0xFF as Unicode (checked against ICU by the unit test). The five
// bytes the code page leaves undefined are 0.
constexpr std::array<char16_t, 128> kWindows1250 = {
    0x20AC, 0,      0x201A, 0,      0x201E, 0x2026, 0x2020, 0x2021,  // 0x80
    0,      0x2030, 0x0160, 0x2039, 0x015A, 0x0164, 0x017D, 0x0179,  // 0x88
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 0x90
    0,      0x2122, 0x0161, 0x203A, 0x015B, 0x0165, 0x017E, 0x017A,  // 0x98
    0x00A0, 0x02C7, 0x02D8, 0x0141, 0x00A4, 0x0104, 0x00A6, 0x00A7,  // 0xA0
    0x00A8, 0x00A9, 0x015E, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x017B,  // 0xA8
    0x00B0, 0x00B1, 0x02DB, 0x0142, 0x00B4, 0x00B5, 0x00B6, 0x00B7,  // 0xB0
    0x00B8, 0x0105, 0x015F, 0x00BB, 0x013D, 0x02DD, 0x013E, 0x017C,  // 0xB8
    0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7,  // 0xC0
    0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E,  // 0xC8
    0x0110, 0x0143, 0x0147, 0x00D3, 0x00D4, 0x0150, 0x00D6, 0x00D7,  // 0xD0
    0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,  // 0xD8
    0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7,  // 0xE0
    0x010D, 0x00E9, 0x0119, 0x00EB, 0x011B, 0x00ED, 0x00EE, 0x010F,  // 0xE8
    0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7,  // 0xF0
    0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9,  // 0xF8
};

// Serbian/Macedonian Latin → Cyrillic, lower case; digraphs first. Upper case is derived.
struct CyrillicRule {
  const char* latin;
  const char* cyrillic;
};
constexpr CyrillicRule kSerbianDigraphs[] = {{"lj", "љ"}, {"nj", "њ"}, {"dž", "џ"}};
constexpr CyrillicRule kMacedonianDigraphs[] = {{"lj", "љ"}, {"nj", "њ"}, {"dž", "џ"},
                                                {"gj", "ѓ"}, {"kj", "ќ"}, {"dz", "ѕ"},
                                                {"zh", "ж"}, {"ch", "ч"}, {"sh", "ш"}};
constexpr CyrillicRule kCyrillicLetters[] = {
    {"a", "а"}, {"b", "б"},  {"c", "ц"}, {"č", "ч"}, {"ć", "ћ"}, {"d", "д"}, {"đ", "ђ"},
    {"e", "е"}, {"f", "ф"},  {"g", "г"}, {"h", "х"}, {"i", "и"}, {"j", "ј"}, {"k", "к"},
    {"l", "л"}, {"m", "м"},  {"n", "н"}, {"o", "о"}, {"p", "п"}, {"r", "р"}, {"s", "с"},
    {"š", "ш"}, {"t", "т"},  {"u", "у"}, {"v", "в"}, {"z", "з"}, {"ž", "ж"}, {"q", "к"},
    {"w", "в"}, {"x", "кс"}, {"y", "ј"}, {"ë", "е"}, {"ç", "ч"}};
// Macedonian has ќ and ѓ where Serbian has ћ and ђ.
constexpr CyrillicRule kMacedonianLetters[] = {{"ć", "ќ"}, {"đ", "ѓ"}};

// Albanian orthography → Serbian Latin (lower case; the first letter's case is kept).
constexpr CyrillicRule kAlbanianToSerbian[] = {
    {"xh", "dž"}, {"gj", "đ"}, {"sh", "š"}, {"zh", "ž"}, {"dh", "d"}, {"th", "t"}, {"ll", "l"},
    {"rr", "r"},  {"q", "ć"},  {"ç", "č"},  {"x", "dz"}, {"y", "i"},  {"ë", "e"}};
constexpr CyrillicRule kTurkishToSerbian[] = {{"c", "dž"}, {"ç", "č"}, {"ş", "š"}, {"ğ", "g"},
                                              {"ı", "i"},  {"y", "j"}, {"ö", "o"}, {"ü", "u"}};

// QWERTY neighbours of a..z, for substitution typos.
constexpr const char* kNeighbours[26] = {
    "qsz", "vng", "xvd", "sfec", "wrd", "dgrv", "fhtb", "gjyn", "uok", "hkum", "jli", "kop", "nj",
    "bmh", "ipl", "ol",  "wa",   "etf", "adwx", "ryg",  "yij",  "cbf", "qes",  "zcs", "tuh", "xas"};

bool IsUpper(char32_t c) {
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return true;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130) return true;
    if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return false;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 1;
    if (c == 0x178) return true;
    return c % 2 == 0;
  }
  if (c >= 0x400 && c <= 0x42F) return true;
  return false;
}

bool IsLetter(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= 0xC0 && c <= 0x17F && c != 0xD7 && c != 0xF7) || (c >= 0x400 && c <= 0x45F);
}

char32_t UpperOf(char32_t c, bool turkish) {
  if (c >= 'a' && c <= 'z') return turkish && c == 'i' ? 0x130 : c - 32;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;
  if (c == 0xFF) return 0x178;
  if (c == 0x131) return 'I';
  if (c >= 0x100 && c <= 0x17F && !IsUpper(c) && c != 0x138 && c != 0x149 && c != 0x17F) {
    return c - 1;
  }
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;
  return c;
}

char32_t LowerOf(char32_t c, bool turkish) {
  if (c >= 'A' && c <= 'Z') return turkish && c == 'I' ? 0x131 : c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c == 0x178) return 0xFF;
  if (c == 0x130) return 'i';
  if (c >= 0x100 && c <= 0x17F && IsUpper(c)) return c + 1;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  return c;
}

const char* FoldOf(char32_t c, FoldStyle style, bool next_upper) {
  if (style == FoldStyle::kSerbian) {
    if (c == 0x110) return next_upper ? "DJ" : "Dj";
    if (c == 0x111) return "dj";
  }
  if (style == FoldStyle::kGerman) {
    switch (c) {
      case 0xC4:
        return next_upper ? "AE" : "Ae";
      case 0xD6:
        return next_upper ? "OE" : "Oe";
      case 0xDC:
        return next_upper ? "UE" : "Ue";
      case 0xE4:
        return "ae";
      case 0xF6:
        return "oe";
      case 0xFC:
        return "ue";
      default:
        break;
    }
  }
  if (c >= 0xC0 && c <= 0x17F) return kFold[c - 0xC0];
  return nullptr;
}

// Applies ordered (lower-case) replacement rules to `text`, keeping the case of the first
// letter of each match; characters no rule matches are copied.
std::string Rewrite(std::string_view text, std::span<const CyrillicRule> rules,
                    std::span<const CyrillicRule> extra_rules) {
  std::u32string in = DecodeUtf8(text);
  std::u32string lower;
  lower.reserve(in.size());
  for (char32_t c : in) lower.push_back(LowerOf(c, false));
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    const CyrillicRule* hit = nullptr;
    size_t hit_len = 0;
    for (auto ruleset : {extra_rules, rules}) {
      for (const CyrillicRule& rule : ruleset) {
        std::u32string pattern = DecodeUtf8(rule.latin);
        if (pattern.size() <= hit_len || i + pattern.size() > in.size()) continue;
        if (lower.compare(i, pattern.size(), pattern) == 0) {
          hit = &rule;
          hit_len = pattern.size();
        }
      }
      if (hit != nullptr) break;
    }
    if (hit == nullptr) {
      AppendUtf8(out, in[i]);
      ++i;
      continue;
    }
    std::u32string replacement = DecodeUtf8(hit->cyrillic);
    bool upper = IsUpper(in[i]);
    bool all_upper = upper && hit_len > 1 && IsUpper(in[i + 1]);
    for (size_t k = 0; k < replacement.size(); ++k) {
      bool make_upper =
          upper && (k == 0 || all_upper || (i + hit_len < in.size() && IsUpper(in[i + hit_len])));
      AppendUtf8(out, make_upper ? UpperOf(replacement[k], false) : replacement[k]);
    }
    i += hit_len;
  }
  return out;
}

}  // namespace

std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint8_t b = static_cast<uint8_t>(s[i]);
    char32_t cp;
    size_t len;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if ((b >> 5) == 0x6) {
      cp = b & 0x1F;
      len = 2;
    } else if ((b >> 4) == 0xE) {
      cp = b & 0x0F;
      len = 3;
    } else {
      cp = b & 0x07;
      len = 4;
    }
    for (size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<uint8_t>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) AppendUtf8(out, c);
  return out;
}

std::string FoldToAscii(std::string_view text, FoldStyle style) {
  std::u32string in = DecodeUtf8(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char32_t c = in[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    bool next_upper = i + 1 < in.size() && IsUpper(in[i + 1]);
    const char* ascii = FoldOf(c, style, next_upper);
    if (ascii != nullptr) {
      out += ascii;
    } else {
      AppendUtf8(out, c);  // not a Latin letter: kept (callers fold Latin text only)
    }
  }
  return out;
}

std::string MrzName(std::string_view text, FoldStyle style) {
  std::string folded = FoldToAscii(ToUpper(text), style);
  std::string out;
  out.reserve(folded.size());
  for (char c : folded) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if ((c == ' ' || c == '-') && !out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
    // apostrophes and anything else are dropped, as in the MRZ
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string ToUpper(std::string_view text, bool turkish) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : DecodeUtf8(text)) AppendUtf8(out, UpperOf(c, turkish));
  return out;
}

std::string ToLower(std::string_view text, bool turkish) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : DecodeUtf8(text)) AppendUtf8(out, LowerOf(c, turkish));
  return out;
}

std::string ToCyrillic(std::string_view latin, CyrillicScript script) {
  if (script == CyrillicScript::kSerbian) {
    return Rewrite(latin, kCyrillicLetters, kSerbianDigraphs);
  }
  // Macedonian: its digraphs and ќ/ѓ take precedence over the shared letters.
  std::string step = Rewrite(latin, {}, kMacedonianDigraphs);
  return Rewrite(step, kCyrillicLetters, kMacedonianLetters);
}

std::string AlbanianToSerbianLatin(std::string_view albanian) {
  // A final ë is silent and not written.
  std::string text(albanian);
  for (const char* tail : {"ë", "Ë"}) {
    size_t n = std::strlen(tail);
    if (text.size() > n + 1 && text.compare(text.size() - n, n, tail) == 0) {
      text.resize(text.size() - n);
    }
  }
  return Rewrite(text, kAlbanianToSerbian, {});
}

std::string TurkishToSerbianLatin(std::string_view turkish) {
  return Rewrite(turkish, kTurkishToSerbian, {});
}

std::string AlbanianSurnameVariant(std::string_view family, Random& random) {
  std::u32string s = DecodeUtf8(family);
  if (s.size() < 4) return std::string(family);
  auto is_vowel = [](char32_t c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 0xEB;
  };
  char32_t last = s.back(), before = s[s.size() - 2];
  if (last == 'u' && !is_vowel(before)) {
    static constexpr char32_t kEndings[] = {0xEB, 'o', 0};
    char32_t ending = kEndings[random.Uniform(3)];
    s.pop_back();
    if (ending != 0) s.push_back(ending);
  } else if (last == 'u') {
    s.pop_back();  // Haxhiu → Haxhi
  } else if (last == 'i' && !is_vowel(before)) {
    s.pop_back();  // Dervishi → Dervish
  } else if (last == 'a' && !is_vowel(before)) {
    s.back() = 0xEB;  // Hoxha → Hoxhë
  }
  return EncodeUtf8(s);
}

std::string Typo(std::string_view text, Random& random) {
  std::u32string s = DecodeUtf8(text);
  std::vector<size_t> letters;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsLetter(s[i])) letters.push_back(i);
  }
  if (letters.size() < 3) return std::string(text);
  // Keep the first letter most of the time: people rarely mistype it.
  size_t first = random.Chance(0.85) ? 1 : 0;
  size_t pos = letters[first + random.Uniform(letters.size() - first)];
  uint64_t kind = random.Uniform(100);
  if (kind < 35) {  // substitution by a neighbouring key
    std::string base = FoldToAscii(EncodeUtf8(std::u32string(1, s[pos])));
    char lower = base.empty() ? 'a' : base[0];
    if (lower >= 'A' && lower <= 'Z') lower = static_cast<char>(lower + 32);
    if (lower < 'a' || lower > 'z') lower = 'a';
    const char* options = kNeighbours[lower - 'a'];
    char32_t replacement =
        static_cast<unsigned char>(options[random.Uniform(std::strlen(options))]);
    s[pos] = IsUpper(s[pos]) ? UpperOf(replacement, false) : replacement;
  } else if (kind < 60) {  // transposition with the next letter
    if (pos + 1 < s.size() && IsLetter(s[pos + 1]) && s[pos] != s[pos + 1]) {
      bool upper_first = IsUpper(s[pos]);
      std::swap(s[pos], s[pos + 1]);
      if (upper_first) {  // "Hoxha" → "Ohxha" would be odd; keep the capital in front
        s[pos] = UpperOf(s[pos], false);
        s[pos + 1] = LowerOf(s[pos + 1], false);
      }
    } else {
      s.erase(pos, 1);
    }
  } else if (kind < 85) {  // deletion
    s.erase(pos, 1);
  } else {  // doubled letter
    s.insert(pos, 1, IsUpper(s[pos]) && pos > 0 ? LowerOf(s[pos], false) : s[pos]);
  }
  return EncodeUtf8(s);
}

char32_t Windows1250ToUnicode(uint8_t byte) {
  return byte < 0x80 ? byte : kWindows1250[byte - 0x80];
}

void AppendWindows1250(std::string& out, std::string_view utf8) {
  std::u32string in = DecodeUtf8(utf8);
  for (size_t i = 0; i < in.size(); ++i) {
    char32_t c = in[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    bool found = false;
    for (size_t b = 0; b < kWindows1250.size(); ++b) {
      if (kWindows1250[b] != 0 && kWindows1250[b] == c) {
        out.push_back(static_cast<char>(0x80 + b));
        found = true;
        break;
      }
    }
    if (found) continue;
    bool next_upper = i + 1 < in.size() && IsUpper(in[i + 1]);
    const char* ascii = FoldOf(c, FoldStyle::kIcao, next_upper);
    out += ascii != nullptr ? ascii : "?";
  }
}

void AppendCsvField(std::string& out, std::string_view value, char delimiter) {
  bool quote = value.find_first_of(std::string{delimiter, '"', '\r', '\n'}) != std::string::npos;
  if (!quote) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void AppendJsonString(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : value) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

}  // namespace ura::generate
