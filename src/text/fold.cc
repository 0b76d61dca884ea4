#include "text/fold.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/uvernum.h>

#include <memory>
#include <unordered_map>

namespace ura::text {
namespace {

// Serbian and Macedonian Cyrillic by the Serbian Latin convention (ICU's Any-Latin follows
// ISO 9, which writes Љ as L̂), then every script to Latin, then ASCII, then lower case.
constexpr char kFoldRules[] =
    "Љ } [:Lowercase:] > Lj; Љ > LJ; љ > lj; Њ } [:Lowercase:] > Nj; Њ > NJ; њ > nj;"
    "Џ } [:Lowercase:] > Dž; Џ > DŽ; џ > dž; Ђ > Đ; ђ > đ; Ћ > Ć; ћ > ć; Ј > J; ј > j;"
    "Ѓ > Đ; ѓ > đ; Ќ > Ć; ќ > ć; Ѕ } [:Lowercase:] > Dz; Ѕ > DZ; ѕ > dz;"
    "Х > H; х > h; Ц > C; ц > c; Ч > Č; ч > č; Ш > Š; ш > š; Ж > Ž; ж > ž;"
    ":: Any-Latin; :: Latin-ASCII; :: Lower;";

icu::Transliterator& Folder() {
  thread_local std::unique_ptr<icu::Transliterator> folder = [] {
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
        "ura-fold", icu::UnicodeString::fromUTF8(kFoldRules), UTRANS_FORWARD, parse_error, status));
    // The rules are a constant of this file: failing to compile them is a programmer error.
    if (U_FAILURE(status) || !t) std::abort();
    return t;
  }();
  return *folder;
}

// Appends `text` (ASCII) lower-cased with runs of non-alphanumerics as one space.
void AppendSimplified(std::string_view text, std::string& out) {
  bool pending_space = false;
  for (char raw : text) {
    char c = raw;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!keep) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
}

constexpr size_t kRecentFoldings = 1 << 16;

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string Fold(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  if (IsAscii(utf8)) {
    AppendSimplified(utf8, out);
    return out;
  }
  // Transliteration costs some microseconds a name, and names repeat (a rebuild folds each
  // person's names for the index and again for entity resolution): the latest foldings are
  // kept, per thread, dropped all at once when there are too many.
  thread_local std::unordered_map<std::string, std::string> recent;
  if (auto it = recent.find(std::string(utf8)); it != recent.end()) return it->second;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  Folder().transliterate(u);
  std::string ascii;
  u.toUTF8String(ascii);
  AppendSimplified(ascii, out);
  if (recent.size() >= kRecentFoldings) recent.clear();
  recent.emplace(utf8, out);
  return out;
}

std::string FoldVersion() {
  // Bump the first part whenever kFoldRules, AppendSimplified or Skeleton change.
  return std::string("ura-fold-1/icu-") + U_ICU_VERSION;
}

std::vector<std::string_view> SplitFolded(std::string_view folded) {
  std::vector<std::string_view> tokens;
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    if (end > start) tokens.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

std::vector<std::string> FoldTokens(std::string_view utf8) {
  std::string folded = Fold(utf8);
  std::vector<std::string> tokens;
  for (std::string_view t : SplitFolded(folded)) tokens.emplace_back(t);
  return tokens;
}

std::string Skeleton(std::string_view token) {
  // Digraphs that Albanian, Serbo-Croatian and Turkish spell differently for one sound, as
  // they look after folding: sh/s (š, ş), zh/z (ž), xh/dz/c (xh, dž, Turkish c), ch/c (ç, č),
  // gj/dj/d (gj, đ), q/c (q, ć), th/t, dh/d, ph/f, w/v, x/ks.
  std::string mapped;
  mapped.reserve(token.size());
  for (size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    const char next = i + 1 < token.size() ? token[i + 1] : '\0';
    if (next == 'h' && (c == 's' || c == 'z' || c == 'c' || c == 't' || c == 'd' || c == 'k')) {
      mapped.push_back(c == 'k' ? 'h' : c);
      ++i;
    } else if (c == 'x' && next == 'h') {
      mapped.push_back('c');
      ++i;
    } else if ((c == 'd' && next == 'z') || (c == 'd' && next == 'j') || (c == 'g' && next == 'j')) {
      mapped.push_back(c == 'd' && next == 'z' ? 'c' : 'd');
      ++i;
    } else if (c == 'p' && next == 'h') {
      mapped.push_back('f');
      ++i;
    } else if (c == 'q') {
      mapped.push_back('c');
    } else if (c == 'w') {
      mapped.push_back('v');
    } else if (c == 'x') {
      mapped.append("ks");
    } else {
      mapped.push_back(c);
    }
  }
  std::string out;
  out.reserve(mapped.size());
  for (size_t i = 0; i < mapped.size(); ++i) {
    const char c = mapped[i];
    const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
    if (i > 0 && (vowel || c == 'h' || c == 'j')) continue;  // j: the glide of lj, nj, ij
    if (!out.empty() && out.back() == c) continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace ura::text
