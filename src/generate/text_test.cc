// Unit tests of the generator's text and identifier helpers. Expected values come from
// outside the code under test: published examples (IBAN registry, the codice fiscale and
// T.C. Kimlik specimens), a JMBG computed by hand below, ICU's windows-1250 table and
// libphonenumber's numbering plans.
#include "generate/text.h"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/ucnv.h>

#include <set>

#include "generate/identifiers.h"
#include "generate/random.h"

namespace ura::generate {
namespace {

TEST(TextTest, FoldsDiacriticsTheWayEachDocumentDoes) {
  EXPECT_EQ(FoldToAscii("Çoci Rombolakë"), "Coci Rombolake");
  EXPECT_EQ(FoldToAscii("Şükrü Ağaoğlu"), "Sukru Agaoglu");
  EXPECT_EQ(FoldToAscii("Đorđe Petrović"), "Dorde Petrovic");
  EXPECT_EQ(FoldToAscii("Đorđe Petrović", FoldStyle::kSerbian), "Djordje Petrovic");
  EXPECT_EQ(FoldToAscii("Ćosić Željko"), "Cosic Zeljko");
  EXPECT_EQ(MrzName("Işık", FoldStyle::kIcao), "ISIK");
  EXPECT_EQ(MrzName("İsmail", FoldStyle::kIcao), "ISMAIL");
  EXPECT_EQ(MrzName("D'Angelo", FoldStyle::kIcao), "DANGELO");
  EXPECT_EQ(MrzName("De Luca", FoldStyle::kIcao), "DE LUCA");
  EXPECT_EQ(MrzName("Đukanović", FoldStyle::kSerbian), "DJUKANOVIC");
  EXPECT_EQ(MrzName("Öztürk", FoldStyle::kGerman), "OEZTUERK");
  EXPECT_EQ(MrzName("Öztürk", FoldStyle::kIcao), "OZTURK");
}

TEST(TextTest, UpperAndLowerCaseIncludingTurkishDottedI) {
  EXPECT_EQ(ToUpper("ë ç ş ğ ć đ ž"), "Ë Ç Ş Ğ Ć Đ Ž");
  EXPECT_EQ(ToUpper("Işık"), "IŞIK");
  EXPECT_EQ(ToUpper("İsmail", /*turkish=*/true), "İSMAİL");
  EXPECT_EQ(ToLower("IŞIK", /*turkish=*/true), "ışık");
  EXPECT_EQ(ToUpper("Ђорђе"), "ЂОРЂЕ");
}

TEST(TextTest, SerbianAndMacedonianCyrillic) {
  // The pair REFERENCES.md (Entity resolution) gives for ICU's Any-Latin.
  EXPECT_EQ(ToCyrillic("Đorđe Petrović", CyrillicScript::kSerbian), "Ђорђе Петровић");
  EXPECT_EQ(ToCyrillic("Ljiljana Živković", CyrillicScript::kSerbian), "Љиљана Живковић");
  EXPECT_EQ(ToCyrillic("Njegoš Džeko", CyrillicScript::kSerbian), "Његош Џеко");
  EXPECT_EQ(ToCyrillic("Gjorgji Trajkovski", CyrillicScript::kMacedonian), "Ѓорѓи Трајковски");
  EXPECT_EQ(ToCyrillic("Ljupčo", CyrillicScript::kMacedonian), "Љупчо");
}

TEST(TextTest, AlbanianAndTurkishNamesInSerbianOrthography) {
  EXPECT_EQ(AlbanianToSerbianLatin("Krasniqi"), "Krasnići");
  EXPECT_EQ(AlbanianToSerbianLatin("Hoxha"), "Hodža");
  EXPECT_EQ(AlbanianToSerbianLatin("Xhafa"), "Džafa");
  EXPECT_EQ(AlbanianToSerbianLatin("Thaçi"), "Tači");
  EXPECT_EQ(AlbanianToSerbianLatin("Gjergj"), "Đerđ");
  EXPECT_EQ(AlbanianToSerbianLatin("Shkëmbi"), "Škembi");
  EXPECT_EQ(AlbanianToSerbianLatin("Rombolakë"), "Rombolak");
  EXPECT_EQ(TurkishToSerbianLatin("Yılmaz"), "Jilmaz");
  EXPECT_EQ(TurkishToSerbianLatin("Çelik"), "Čelik");
  EXPECT_EQ(TurkishToSerbianLatin("Erdoğan"), "Erdogan");
  EXPECT_EQ(TurkishToSerbianLatin("Cemal"), "Džemal");
}

TEST(TextTest, AlbanianSurnameEndings) {
  Random random(1);
  std::set<std::string> rombolaku;
  for (int i = 0; i < 100; ++i) rombolaku.insert(AlbanianSurnameVariant("Rombolaku", random));
  EXPECT_EQ(rombolaku, (std::set<std::string>{"Rombolakë", "Rombolako", "Rombolak"}));
  EXPECT_EQ(AlbanianSurnameVariant("Dervishi", random), "Dervish");
  EXPECT_EQ(AlbanianSurnameVariant("Haxhiu", random), "Haxhi");
  EXPECT_EQ(AlbanianSurnameVariant("Hoxha", random), "Hoxhë");
  EXPECT_EQ(AlbanianSurnameVariant("Gjonaj", random), "Gjonaj");
}

// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions).
size_t EditDistance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

TEST(TextTest, TyposAreOneKeyboardEditAway) {
  Random random(3);
  int changed = 0;
  for (const char* name : {"Rombolaku", "Krasniqi", "Petrović", "Yılmaz", "Papadopoulos"}) {
    for (int i = 0; i < 200; ++i) {
      std::string typo = Typo(name, random);
      // Letters compared without case (Turkish rules: Yılmaz may become Iylmaz): a swapped
      // capital is written in front again.
      size_t distance =
          EditDistance(DecodeUtf8(ToLower(name, true)), DecodeUtf8(ToLower(typo, true)));
      EXPECT_LE(distance, 1u) << name << " -> " << typo;
      changed += distance == 1;
    }
  }
  EXPECT_GT(changed, 900);  // a typo rarely leaves the name unchanged
  EXPECT_EQ(Typo("Li", random), "Li");
}

TEST(TextTest, Windows1250MatchesIcu) {
  UErrorCode error = U_ZERO_ERROR;
  UConverter* converter = ucnv_open("windows-1250", &error);
  ASSERT_TRUE(U_SUCCESS(error));
  for (int byte = 0x80; byte <= 0xFF; ++byte) {
    char in[1] = {static_cast<char>(byte)};
    UChar out[4];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = ucnv_toUChars(converter, out, 4, in, 1, &e);
    ASSERT_TRUE(U_SUCCESS(e) && n == 1);
    char32_t ours = Windows1250ToUnicode(static_cast<uint8_t>(byte));
    // ICU maps the five undefined bytes to C1 controls; ours leaves them out.
    if (ours == 0) {
      EXPECT_EQ(out[0], byte) << std::hex << byte;
    } else {
      EXPECT_EQ(static_cast<char32_t>(out[0]), ours) << std::hex << byte;
    }
  }
  ucnv_close(converter);
  std::string encoded;
  AppendWindows1250(encoded, "Rombolakë Çoci Đorđe Ağaoğlu");
  EXPECT_EQ(encoded,
            "Rombolak\xEB \xC7oci \xD0or\xF0"
            "e Agaoglu");
}

TEST(TextTest, CsvAndJsonEscaping) {
  std::string csv;
  AppendCsvField(csv, "\"Dajti\" shpk, Tiranë", ',');
  EXPECT_EQ(csv, "\"\"\"Dajti\"\" shpk, Tiranë\"");
  std::string json;
  AppendJsonString(json, "a\"b\\c\n\x01");
  EXPECT_EQ(json, "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST(IdentifiersTest, PublishedIbansAreValid) {
  // Examples from the SWIFT IBAN registry.
  for (const char* iban :
       {"AL47212110090000000235698741", "XK051212012345678906", "TR330006100519786457841326",
        "RS35260005601001611379", "ME25505000012345678951", "MK07250120000058984",
        "BA391290079401028494", "GR1601101250000000012300695", "IT60X0542811101000000123456",
        "DE89370400440532013000", "AT611904300234573201", "CH9300762011623852957"}) {
    EXPECT_TRUE(IbanChecksumValid(iban)) << iban;
    for (uint64_t delta : {1, 13, 96}) {
      EXPECT_FALSE(IbanChecksumValid(CorruptIbanCheckDigits(iban, delta))) << iban;
    }
  }
  EXPECT_FALSE(IbanChecksumValid("AL47212110090000000235698742"));
}

TEST(IdentifiersTest, GeneratedIbansHaveTheRegistryLengthAndCheckDigits) {
  // Lengths from the SWIFT IBAN registry.
  const std::map<std::string, size_t> kLengths = {{"AL", 28}, {"XK", 20}, {"TR", 26}, {"RS", 22},
                                                  {"ME", 22}, {"MK", 19}, {"BA", 20}, {"GR", 27},
                                                  {"IT", 27}, {"DE", 22}, {"AT", 20}, {"CH", 21}};
  std::set<std::string> seen;
  for (const Bank& bank : Banks()) {
    for (uint64_t serial = 0; serial < 2000; ++serial) {
      std::string iban = MakeIban(bank, serial * 31 + 5);
      EXPECT_TRUE(IbanChecksumValid(iban)) << iban;
      EXPECT_EQ(iban.size(), kLengths.at(iban.substr(0, 2))) << iban;
      EXPECT_TRUE(seen.insert(iban).second) << iban;
    }
  }
}

TEST(IdentifiersTest, NationalNumbers) {
  // JMBG by hand: 0101990 71 000 -> 7(0+0)+6(1+7)+5(0+1)+4(1+0)+3(9+0)+2(9+0) = 102,
  // 102 mod 11 = 3, check 11-3 = 8.
  EXPECT_EQ(Jmbg({1990, 1, 1}, 71, 0), "0101990710008");
  // The specimen codice fiscale (Mario Rossi, 10 December 1985, Bagnacavallo).
  EXPECT_EQ(CodiceFiscale("Rossi", "Mario", {1985, 12, 10}, false, "A562"), "RSSMRA85T10A562S");
  std::string omocode = CodiceFiscaleOmocodia("RSSMRA85T10A562S", 1);
  EXPECT_EQ(omocode.substr(0, 15), "RSSMRA85T10A56N");
  // T.C. Kimlik: d10 = (7*(d1+d3+d5+d7+d9) - (d2+d4+d6+d8)) mod 10, d11 = sum(d1..d10) mod 10;
  // 10000000146 is the well-known valid specimen.
  auto kimlik_valid = [](const std::string& s) {
    int d[11];
    for (int i = 0; i < 11; ++i) d[i] = s[static_cast<size_t>(i)] - '0';
    int odd = d[0] + d[2] + d[4] + d[6] + d[8], even = d[1] + d[3] + d[5] + d[7];
    int sum10 = 0;
    for (int i = 0; i < 10; ++i) sum10 += d[i];
    return s.size() == 11 && d[0] != 0 && ((odd * 7 - even) % 10 + 10) % 10 == d[9] &&
           sum10 % 10 == d[10];
  };
  EXPECT_TRUE(kimlik_valid("10000000146"));
  for (uint64_t serial = 0; serial < 1000; ++serial) {
    EXPECT_TRUE(kimlik_valid(TurkishIdentityNumber(serial * 7919)));
  }
  EXPECT_EQ(AlbanianPersonalNumber({1998, 3, 4}, true, 123).substr(0, 9), "J85304123");
}

TEST(IdentifiersTest, DocumentNumbersAreUniquePerIssuer) {
  for (int c = 0; c < kCountryCount; ++c) {
    for (DocumentKind kind : {DocumentKind::kPassport, DocumentKind::kIdCard}) {
      std::set<std::string> seen;
      for (uint64_t serial = 0; serial < 20000; ++serial) {
        EXPECT_TRUE(seen.insert(DocumentNumber(static_cast<Country>(c), kind, serial)).second);
      }
    }
  }
}

TEST(IdentifiersTest, PhonesAreValidInTheirNumberingPlans) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  for (int c = 0; c < kCountryCount; ++c) {
    std::set<std::string> seen;
    for (uint64_t serial = 0; serial < 3000; ++serial) {
      Phone phone = MakePhone(static_cast<Country>(c), serial * 101);
      for (PhoneStyle style :
           {PhoneStyle::kInternational, PhoneStyle::kCompact, PhoneStyle::kDoubleZero}) {
        std::string text = FormatPhone(phone, style);
        PhoneNumber parsed;
        ASSERT_EQ(util->Parse(text, "AL", &parsed), PhoneNumberUtil::NO_PARSING_ERROR) << text;
        EXPECT_TRUE(util->IsValidNumber(parsed)) << text;
      }
      EXPECT_TRUE(seen.insert(FormatPhone(phone, PhoneStyle::kCompact)).second);
    }
  }
  PhoneNumber parsed;
  std::string national = FormatPhone(MakePhone(Country::kAL, 42), PhoneStyle::kNational);
  ASSERT_EQ(util->Parse(national, "AL", &parsed), PhoneNumberUtil::NO_PARSING_ERROR);
  EXPECT_TRUE(util->IsValidNumber(parsed)) << national;
}

TEST(RandomTest, PermutationIsABijection) {
  for (uint64_t n : {1ull, 7ull, 1000ull, 12345ull}) {
    Permutation p(n, 99);
    std::set<uint64_t> out;
    for (uint64_t x = 0; x < n; ++x) {
      uint64_t y = p(x);
      EXPECT_LT(y, n);
      out.insert(y);
    }
    EXPECT_EQ(out.size(), n);
  }
}

TEST(RandomTest, SameSeedSameStream) {
  Random a(5), b(5), c(6);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.Uniform(1000);
    EXPECT_EQ(x, b.Uniform(1000));
    differs |= x != c.Uniform(1000);
  }
  EXPECT_TRUE(differs);
  // mt19937_64's 10000th output for the default seed is fixed by the C++ standard.
  std::mt19937_64 engine;
  engine.discard(9999);
  EXPECT_EQ(engine(), 9981545732273789042ull);
}

}  // namespace
}  // namespace ura::generate
