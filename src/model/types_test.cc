#include "model/types.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ura::model {
namespace {

using T = PropertyType;

struct Valid {
  PropertyType type;
  std::string raw;
  std::string canonical;
  std::string default_country = "";
};

struct Invalid {
  PropertyType type;
  std::string raw;
  std::string default_country = "";
};

void ExpectValid(const std::vector<Valid>& cases) {
  for (const Valid& c : cases) {
    Result<std::string> normalized = NormalizeValue(c.type, c.raw, c.default_country);
    ASSERT_TRUE(normalized.ok()) << PropertyTypeName(c.type) << " '" << c.raw
                                 << "': " << normalized.status().ToString();
    EXPECT_EQ(*normalized, c.canonical) << PropertyTypeName(c.type) << " '" << c.raw << "'";
    // Canonical forms are fixed points.
    Result<std::string> again = NormalizeValue(c.type, *normalized, c.default_country);
    ASSERT_TRUE(again.ok()) << *normalized;
    EXPECT_EQ(*again, *normalized);
  }
}

void ExpectInvalid(const std::vector<Invalid>& cases) {
  for (const Invalid& c : cases) {
    Result<std::string> normalized = NormalizeValue(c.type, c.raw, c.default_country);
    EXPECT_FALSE(normalized.ok()) << PropertyTypeName(c.type) << " '" << c.raw << "' gave '"
                                  << (normalized.ok() ? *normalized : "") << "'";
    if (!normalized.ok()) {
      EXPECT_EQ(normalized.status().code(), StatusCode::kInvalidArgument) << c.raw;
    }
  }
}

TEST(DateTest, Valid) {
  ExpectValid({
      {T::kDate, "2024", "2024"},
      {T::kDate, "2024-02", "2024-02"},
      {T::kDate, "2024-02-29", "2024-02-29"},  // leap year
      {T::kDate, "2000-02-29", "2000-02-29"},  // divisible by 400: leap
      {T::kDate, "1000-01-01", "1000-01-01"},
      {T::kDate, "2999-12-31", "2999-12-31"},
      {T::kDate, "2023-04-30", "2023-04-30"},
      {T::kDate, "2023-12-31T23:59", "2023-12-31T23:59"},
      {T::kDate, "2023-12-31T23:59:59", "2023-12-31T23:59:59"},
      {T::kDate, "2023-12-31T00:00:00Z", "2023-12-31T00:00:00Z"},
      {T::kDate, "2023-12-31T08:15Z", "2023-12-31T08:15Z"},
      {T::kDate, "2023-12-31 08:15", "2023-12-31T08:15"},
      {T::kDate, "  2023-01-05 ", "2023-01-05"},
  });
}

TEST(DateTest, Invalid) {
  ExpectInvalid({
      {T::kDate, "2023-02-29"},  // not a leap year
      {T::kDate, "1900-02-29"},  // divisible by 100, not by 400
      {T::kDate, "2023-02-30"},
      {T::kDate, "2023-04-31"},
      {T::kDate, "2023-13-01"},
      {T::kDate, "2023-00-10"},
      {T::kDate, "2023-01-00"},
      {T::kDate, "0999"},
      {T::kDate, "3000-01-01"},
      {T::kDate, "2023-1-5"},
      {T::kDate, "05.03.2023"},  // the mapping converts these
      {T::kDate, "2023/01/05"},
      {T::kDate, "20230105"},
      {T::kDate, "2023-01-05T24:00"},
      {T::kDate, "2023-01-05T10:60"},
      {T::kDate, "2023-01-05T10:00:60"},
      {T::kDate, "2023-01-05T10"},
      {T::kDate, "2023-01-05T10:00+02:00"},
      {T::kDate, "2023-01-05Z"},
      {T::kDate, "2023-01-05T10:00:00.123"},
      {T::kDate, "abcd"},
      {T::kDate, "+2023"},
      {T::kDate, ""},
      {T::kDate, "   "},
  });
}

TEST(DateTest, MessageNamesTheValue) {
  Result<std::string> r = NormalizeValue(T::kDate, "2023-02-30");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "'2023-02-30' is not a valid date: 2023-02 has 28 days");
  r = NormalizeValue(T::kDate, "2024-02-30");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "'2024-02-30' is not a valid date: 2024-02 has 29 days");
}

TEST(CountryTest, ValidAndInvalid) {
  ExpectValid({
      {T::kCountry, "al", "al"},   {T::kCountry, "AL", "al"},  {T::kCountry, "ALB", "al"},
      {T::kCountry, "alb", "al"},  {T::kCountry, "TUR", "tr"}, {T::kCountry, "tr", "tr"},
      {T::kCountry, "SRB", "rs"},  {T::kCountry, "MNE", "me"}, {T::kCountry, "MKD", "mk"},
      {T::kCountry, "BIH", "ba"},  {T::kCountry, "GRC", "gr"}, {T::kCountry, "DEU", "de"},
      {T::kCountry, "GBR", "gb"},  {T::kCountry, "xk", "xk"},  {T::kCountry, "XK", "xk"},
      {T::kCountry, "KOS", "xk"},  {T::kCountry, "XKX", "xk"}, {T::kCountry, " it ", "it"},
  });
  ExpectInvalid({
      {T::kCountry, "zz"}, {T::kCountry, "ZZ"},   {T::kCountry, "XX"},      {T::kCountry, "A"},
      {T::kCountry, "ALBA"}, {T::kCountry, "12"}, {T::kCountry, "Albania"}, {T::kCountry, "DG"},
      {T::kCountry, "ë"},  {T::kCountry, "ZZZ"},
  });
  EXPECT_EQ(CountryCode("Srb"), "rs");
  EXPECT_EQ(CountryCode("zz"), std::nullopt);
}

// The example IBANs of the SWIFT IBAN registry.
const char* const kRegistryIbans[] = {
    "AL47212110090000000235698741", "TR330006100519786457841326", "DE89370400440532013000",
    "GB82WEST12345698765432",       "ME25505000012345678951",     "RS35260005601001611379",
    "XK051212012345678906",         "BA391290079401028494",       "MK07250120000058984",
    "NO9386011117947",
};

TEST(IbanTest, RegistryExamplesAreValid) {
  for (const char* iban : kRegistryIbans) ExpectValid({{T::kIban, iban, iban}});
  ExpectValid({
      {T::kIban, "AL47 2121 1009 0000 0002 3569 8741", "AL47212110090000000235698741"},
      {T::kIban, "de89 3704 0044 0532 0130 00", "DE89370400440532013000"},
      {T::kIban, " gb82west12345698765432 ", "GB82WEST12345698765432"},
  });
}

TEST(IbanTest, AnyChangedDigitFails) {
  for (const std::string iban : kRegistryIbans) {
    for (size_t i = 2; i < iban.size(); ++i) {
      if (iban[i] < '0' || iban[i] > '9') continue;
      std::string changed = iban;
      changed[i] = static_cast<char>('0' + (iban[i] - '0' + 1) % 10);
      Result<std::string> r = NormalizeValue(T::kIban, changed);
      EXPECT_FALSE(r.ok()) << changed;
    }
  }
  // Two adjacent digits swapped is caught too (mod 97 catches all transpositions).
  Result<std::string> r = NormalizeValue(T::kIban, "DE89370400440532013000");
  EXPECT_TRUE(r.ok());
  r = NormalizeValue(T::kIban, "DE89370400440532010300");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "'DE89370400440532010300' is not a valid IBAN: the check digits do not match");
}

TEST(IbanTest, Invalid) {
  ExpectInvalid({
      {T::kIban, "DE8937040044053201300"},    // one character short
      {T::kIban, "DE893704004405320130000"},  // one too many
      {T::kIban, "ZZ89370400440532013000"},   // no such country
      {T::kIban, "US89370400440532013000"},   // no IBANs
      {T::kIban, "DE89-3704-0044-0532-0130-00"},
      {T::kIban, "89DE370400440532013000"},
      {T::kIban, "DEAB370400440532013000"},
      {T::kIban, "DE"},
      {T::kIban, "ÄE89370400440532013000"},
  });
  Result<std::string> r = NormalizeValue(T::kIban, "AL4721211009000000023569874");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "'AL4721211009000000023569874' is not a valid IBAN: 27 characters; AL IBANs have 28");
}

TEST(PhoneTest, Valid) {
  ExpectValid({
      {T::kPhone, "+355 69 123 4567", "+355691234567"},
      {T::kPhone, "+355691234567", "+355691234567"},
      {T::kPhone, "00355 69 123 4567", "+355691234567"},  // 00 prefix, no default country
      {T::kPhone, "069 123 4567", "+355691234567", "al"},
      {T::kPhone, "0691234567", "+355691234567", "ALB"},
      {T::kPhone, "+90 532 123 45 67", "+905321234567"},
      {T::kPhone, "0532 123 45 67", "+905321234567", "tr"},
      {T::kPhone, "(0532) 123-45-67", "+905321234567", "TR"},
      {T::kPhone, "+355 69 123 4567", "+355691234567", "tr"},  // international wins
      {T::kPhone, "+383 44 123 456", "+38344123456"},
      {T::kPhone, "+382 67 123 456", "+38267123456"},
      {T::kPhone, "+381 64 1234567", "+381641234567"},
  });
}

TEST(PhoneTest, Invalid) {
  ExpectInvalid({
      {T::kPhone, "069 123 4567"},  // national, no default country
      {T::kPhone, "12", "al"},
      {T::kPhone, "+355 12"},
      {T::kPhone, "abc", "al"},
      {T::kPhone, "+999 123 456 789"},
      {T::kPhone, "069 123 4567", "zz"},  // bad default country
      {T::kPhone, "+355 69 123 4567 8901 2345"},
  });
  Result<std::string> r = NormalizeValue(T::kPhone, "069 123 4567", "zz");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("default country 'zz'"), std::string::npos);
}

TEST(EmailTest, ValidAndInvalid) {
  ExpectValid({
      {T::kEmail, "Ana.Hoxha@Example.COM", "Ana.Hoxha@example.com"},
      {T::kEmail, " user+tag@mail.gov.al ", "user+tag@mail.gov.al"},
      {T::kEmail, "x_y-z@sub-domain.example.co.uk", "x_y-z@sub-domain.example.co.uk"},
      {T::kEmail, "info@bücher.de", "info@xn--bcher-kva.de"},
  });
  ExpectInvalid({
      {T::kEmail, "no-at-sign"},
      {T::kEmail, "a@b@example.com"},
      {T::kEmail, "@example.com"},
      {T::kEmail, "ana@"},
      {T::kEmail, "ana@example"},
      {T::kEmail, "ana@-example.com"},
      {T::kEmail, "ana@example-.com"},
      {T::kEmail, "ana@exa mple.com"},
      {T::kEmail, "ana hoxha@example.com"},
      {T::kEmail, "ana..hoxha@example.com"},
      {T::kEmail, ".ana@example.com"},
      {T::kEmail, "ana@example..com"},
      {T::kEmail, "ana@example.123"},
      {T::kEmail, "<ana@example.com>"},
      {T::kEmail, std::string(65, 'a') + "@example.com"},
  });
}

TEST(IdentifierTest, ValidAndInvalid) {
  ExpectValid({
      {T::kIdentifier, "ba 123-456", "BA123456"},
      {T::kIdentifier, "AB.12/34", "AB1234"},
      {T::kIdentifier, "ab\xE2\x80\x93" "123", "AB123"},  // en dash
      {T::kIdentifier, "x", "X"},
      {T::kIdentifier, "I123#45", "I123#45"},  // other punctuation stays
      {T::kIdentifier, "\xD0\xB0\xD0\xB1 123", "\xD0\x90\xD0\x91" "123"},  // Cyrillic аб -> АБ
  });
  ExpectInvalid({
      {T::kIdentifier, "---"},
      {T::kIdentifier, " / . "},
      {T::kIdentifier, ""},
      {T::kIdentifier, "AB\x01" "12"},
      {T::kIdentifier, std::string(300, '1')},
      {T::kIdentifier, "AB\xFF"},
  });
}

TEST(PlateTest, ValidAndInvalid) {
  ExpectValid({
      {T::kPlate, "AA 123 BC", "AA123BC"},
      {T::kPlate, "aa-123-bc", "AA123BC"},
      {T::kPlate, "BG 123·AB", "BG123AB"},
      {T::kPlate, "34 abc 12", "34ABC12"},
  });
  ExpectInvalid({
      {T::kPlate, "--"},
      {T::kPlate, "· ·"},
      {T::kPlate, "AA\xC3"},
  });
}

TEST(NumberTest, ValidAndInvalid) {
  ExpectValid({
      {T::kNumber, "42", "42"},       {T::kNumber, "-3.50", "-3.5"}, {T::kNumber, "+007", "7"},
      {T::kNumber, "0.0", "0"},       {T::kNumber, "-0", "0"},       {T::kNumber, "5.", "5"},
      {T::kNumber, ".5", "0.5"},      {T::kNumber, "1000000", "1000000"},
      {T::kNumber, "0012.0100", "12.01"}, {T::kNumber, " 3 ", "3"},
  });
  ExpectInvalid({
      {T::kNumber, "1,5"}, {T::kNumber, "1e5"}, {T::kNumber, "abc"},   {T::kNumber, "--1"},
      {T::kNumber, "1.2.3"}, {T::kNumber, "."}, {T::kNumber, "+"},     {T::kNumber, "1 000"},
      {T::kNumber, "0x10"}, {T::kNumber, "12%"}, {T::kNumber, "١٢"},  // Arabic-Indic digits
  });
}

TEST(UrlTest, ValidAndInvalid) {
  ExpectValid({
      {T::kUrl, "HTTPS://Example.COM/Path?q=1", "https://example.com/Path?q=1"},
      {T::kUrl, "http://example.com", "http://example.com"},
      {T::kUrl, "http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"},
      {T::kUrl, "http://[::1]/", "http://[::1]/"},
      {T::kUrl, "https://user@example.org#top", "https://user@example.org#top"},
      {T::kUrl, "http://localhost:3000", "http://localhost:3000"},
  });
  ExpectInvalid({
      {T::kUrl, "ftp://example.com"},
      {T::kUrl, "example.com"},
      {T::kUrl, "http://"},
      {T::kUrl, "http:///path"},
      {T::kUrl, "http://exa mple.com"},
      {T::kUrl, "http://example.com:99999"},
      {T::kUrl, "http://example.com:"},
      {T::kUrl, "http://example"},
      {T::kUrl, "javascript:alert(1)"},
  });
}

TEST(GenderTest, ValidAndInvalid) {
  ExpectValid({
      {T::kGender, "male", "male"},     {T::kGender, "M", "male"},     {T::kGender, "f", "female"},
      {T::kGender, "Female", "female"}, {T::kGender, "other", "other"},
  });
  ExpectInvalid({{T::kGender, "x"}, {T::kGender, "mashkull"}, {T::kGender, "mf"}});
}

TEST(LanguageTest, ValidAndInvalid) {
  ExpectValid({
      {T::kLanguage, "sq", "sqi"},  {T::kLanguage, "EN", "eng"},  {T::kLanguage, "deu", "deu"},
      {T::kLanguage, "ger", "deu"}, {T::kLanguage, "alb", "sqi"}, {T::kLanguage, "tr", "tur"},
      {T::kLanguage, "sr", "srp"},  {T::kLanguage, "mk", "mkd"},
  });
  ExpectInvalid({{T::kLanguage, "zz"}, {T::kLanguage, "xyz"}, {T::kLanguage, "english"},
                 {T::kLanguage, "e"}});
}

TEST(EntityIdTest, ValidAndInvalid) {
  ExpectValid({
      {T::kEntity, "border.3f2a9c", "border.3f2a9c"},
      {T::kEntity, "a:b-c_d.E", "a:b-c_d.E"},
      {T::kEntity, std::string(200, 'x'), std::string(200, 'x')},
  });
  ExpectInvalid({
      {T::kEntity, "has space"},
      {T::kEntity, "\xC3\xAB"},
      {T::kEntity, "a/b"},
      {T::kEntity, std::string(201, 'x')},
  });
}

TEST(StringTest, WhitespaceAndNfc) {
  const std::string e_decomposed = "e\xCC\x88";  // e + COMBINING DIAERESIS
  const std::string e_composed = "\xC3\xAB";     // ë
  ExpectValid({
      {T::kString, "  Ana   Hoxha  ", "Ana Hoxha"},
      {T::kString, "A\tB\nC", "A B C"},
      {T::kName, "Ana\xC2\xA0\xC2\xA0Hoxha", "Ana Hoxha"},  // no-break spaces
      {T::kName, "Arb" + e_decomposed + "r", "Arb" + e_composed + "r"},
      {T::kName, "\xEF\xBB\xBFZana", "Zana"},  // byte-order mark
      {T::kString, "a\x01" "b", "a b"},         // control characters are separators
      {T::kAddress, "Rruga e Kavaj" + e_composed + "s 5\n  Tiran" + e_composed,
       "Rruga e Kavaj" + e_composed + "s 5 Tiran" + e_composed},
      {T::kText, "line one  \r\n   line two\n\n\n\nline three\rend",
       "line one\nline two\n\nline three\nend"},
  });
  Result<std::string> r = NormalizeValue(T::kName, e_decomposed);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, e_composed);
  EXPECT_EQ(r->size(), 2u);
}

TEST(StringTest, InvalidUtf8) {
  const char* const bad[] = {
      "\xC3\x28",          // bad continuation
      "\xED\xA0\x80",      // UTF-16 surrogate
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong, 3 bytes
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "abc\xFF",
      "\xE2\x82",          // truncated
  };
  for (PropertyType type : {T::kString, T::kName, T::kText, T::kAddress, T::kIdentifier, T::kPlate}) {
    for (const char* raw : bad) {
      Result<std::string> r = NormalizeValue(type, raw);
      ASSERT_FALSE(r.ok()) << PropertyTypeName(type) << " " << raw;
    }
  }
  Result<std::string> r = NormalizeValue(T::kString, "abc\xFF");
  ASSERT_FALSE(r.ok());
  // The message escapes the bad byte rather than repeating it.
  EXPECT_EQ(r.status().message(), "'abc\\xff' is not valid UTF-8 (byte 3 of the value)");
  EXPECT_FALSE(NormalizeValue(T::kString, std::string("a\0b", 3)).ok());
}

TEST(StringTest, LengthLimits) {
  EXPECT_TRUE(NormalizeValue(T::kString, std::string(1000, 'a')).ok());
  EXPECT_FALSE(NormalizeValue(T::kString, std::string(1001, 'a')).ok());
  EXPECT_FALSE(NormalizeValue(T::kName, std::string(1001, 'a')).ok());
  EXPECT_TRUE(NormalizeValue(T::kText, std::string(100000, 'a')).ok());
  EXPECT_FALSE(NormalizeValue(T::kText, std::string(100001, 'a')).ok());
  EXPECT_TRUE(NormalizeValue(T::kAddress, std::string(5000, 'a')).ok());
  // Collapsing comes first: 1,500 bytes of mostly spaces is a short string.
  EXPECT_TRUE(NormalizeValue(T::kString, "a" + std::string(1500, ' ') + "b").ok());
  Result<std::string> r = NormalizeValue(T::kName, std::string(1001, 'a'));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("1001 bytes long; a name may have at most 1000"),
            std::string::npos);
}

TEST(StringTest, EmptyIsAnErrorForEveryType) {
  for (int i = 0; i <= static_cast<int>(T::kLanguage); ++i) {
    const auto type = static_cast<PropertyType>(i);
    for (const char* raw : {"", "  ", "\t\n"}) {
      Result<std::string> r = NormalizeValue(type, raw);
      ASSERT_FALSE(r.ok()) << PropertyTypeName(type);
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    }
  }
  EXPECT_FALSE(NormalizeValue(T::kName, "\xC2\xA0\xEF\xBB\xBF").ok());  // NBSP + BOM only
}

TEST(PropertyTypeTest, NamesRoundTrip) {
  const char* const names[] = {"string", "text",  "name",   "date",   "country", "identifier",
                               "phone",  "email", "iban",   "address", "entity", "number",
                               "url",    "plate", "gender", "language"};
  for (int i = 0; i <= static_cast<int>(T::kLanguage); ++i) {
    EXPECT_EQ(PropertyTypeName(static_cast<PropertyType>(i)), names[i]);
    EXPECT_EQ(PropertyTypeFromName(names[i]), static_cast<PropertyType>(i));
  }
  EXPECT_EQ(PropertyTypeFromName("int"), std::nullopt);
}

}  // namespace
}  // namespace ura::model
