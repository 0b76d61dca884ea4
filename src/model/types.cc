#include "model/types.h"

#include <phonenumbers/phonenumberutil.h>
#include <unicode/idna.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "base/calendar.h"

namespace ura::model {

namespace {

constexpr std::pair<PropertyType, std::string_view> kTypeNames[] = {
    {PropertyType::kString, "string"},
    {PropertyType::kText, "text"},
    {PropertyType::kName, "name"},
    {PropertyType::kDate, "date"},
    {PropertyType::kCountry, "country"},
    {PropertyType::kIdentifier, "identifier"},
    {PropertyType::kPhone, "phone"},
    {PropertyType::kEmail, "email"},
    {PropertyType::kIban, "iban"},
    {PropertyType::kAddress, "address"},
    {PropertyType::kEntity, "entity"},
    {PropertyType::kNumber, "number"},
    {PropertyType::kUrl, "url"},
    {PropertyType::kPlate, "plate"},
    {PropertyType::kGender, "gender"},
    {PropertyType::kLanguage, "language"},
};

constexpr size_t kMaxStringBytes = 1000;     // string, name
constexpr size_t kMaxTextBytes = 100000;     // text, address
constexpr size_t kMaxIdentifierBytes = 256;  // identifier, plate, phone, number ...
constexpr size_t kMaxEntityIdBytes = 200;
constexpr size_t kMaxQuotedBytes = 80;  // of a value quoted in an error message

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsAsciiAlnum(char c) { return IsAsciiDigit(c) || IsAsciiAlpha(c); }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}
std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiUpper(c);
  return out;
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 if it is not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t length;
  uint8_t min1 = 0x80, max1 = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) min1 = 0xA0;  // overlong
    if (b0 == 0xED) max1 = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) min1 = 0x90;  // overlong
    if (b0 == 0xF4) max1 = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  if (byte(i + 1) < min1 || byte(i + 1) > max1) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

// The offset of the first byte that is not well-formed UTF-8, or nullopt.
std::optional<size_t> FirstInvalidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t length = Utf8SequenceLength(s, i);
    if (length == 0) return i;
    i += length;
  }
  return std::nullopt;
}

// `value` for an error message: in single quotes, at most kMaxQuotedBytes, bytes that are
// not printable UTF-8 written as \xNN.
std::string Quote(std::string_view value) {
  std::string out = "'";
  size_t i = 0;
  while (i < value.size() && out.size() < kMaxQuotedBytes) {
    const uint8_t c = static_cast<uint8_t>(value[i]);
    const size_t length = Utf8SequenceLength(value, i);
    if (length == 0 || c < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
    } else {
      out.append(value.substr(i, length));
      i += length;
    }
  }
  if (i < value.size()) out += "...";
  out += "'";
  return out;
}

Status Invalid(std::string_view raw, std::string_view what, std::string_view detail = "") {
  std::string message = Quote(raw) + " is not " + std::string(what);
  if (!detail.empty()) message += ": " + std::string(detail);
  return InvalidArgument(std::move(message));
}

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// Valid UTF-8 without NUL, as NFC. `raw` is only for messages.
Result<icu::UnicodeString> DecodeNfc(std::string_view raw, std::string_view value) {
  if (std::optional<size_t> bad = FirstInvalidUtf8(value)) {
    return InvalidArgument(Quote(raw) + " is not valid UTF-8 (byte " + std::to_string(*bad) +
                           " of the value)");
  }
  if (value.find('\0') != std::string_view::npos) {
    return InvalidArgument(Quote(raw) + " contains a NUL character");
  }
  icu::UnicodeString decoded =
      icu::UnicodeString::fromUTF8(icu::StringPiece(value.data(), static_cast<int32_t>(value.size())));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return Internal(std::string("ICU NFC: ") + u_errorName(status));
  icu::UnicodeString normalized = nfc->normalize(decoded, status);
  if (U_FAILURE(status)) return Internal(std::string("ICU NFC: ") + u_errorName(status));
  return normalized;
}

bool IsLineBreak(UChar32 c) { return c == '\n' || c == 0x2028 || c == 0x2029 || c == 0x85; }

// string, name, address (keep_newlines false) and text (true): NFC; white space and control
// characters become one space; with keep_newlines, line breaks become LF, spaces around
// them go and at most one empty line remains.
Result<std::string> NormalizeString(std::string_view raw, std::string_view value, bool keep_newlines,
                                    size_t max_bytes, std::string_view what) {
  if (value.size() > 4 * max_bytes) {  // do not NFC a huge value only to reject it
    return InvalidArgument(Quote(raw) + " is " + std::to_string(value.size()) +
                           " bytes long; a " + std::string(what) + " may have at most " +
                           std::to_string(max_bytes));
  }
  URA_ASSIGN_OR_RETURN(icu::UnicodeString text, DecodeNfc(raw, value));
  icu::UnicodeString out;
  bool pending_space = false;
  int pending_newlines = 0;
  for (int32_t i = 0; i < text.length();) {
    UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (c == '\r') {  // CR LF and lone CR are line breaks
      if (i < text.length() && text.charAt(i) == '\n') ++i;
      c = '\n';
    }
    if (c == 0xFEFF) continue;  // byte-order mark / zero-width no-break space
    if (keep_newlines && IsLineBreak(c)) {
      ++pending_newlines;
      pending_space = false;
      continue;
    }
    if (u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR) {
      if (pending_newlines == 0) pending_space = true;
      continue;
    }
    if (!out.isEmpty()) {
      if (pending_newlines > 0) {
        out.append(UChar('\n'));
        if (pending_newlines > 1) out.append(UChar('\n'));
      } else if (pending_space) {
        out.append(UChar(' '));
      }
    }
    pending_space = false;
    pending_newlines = 0;
    out.append(c);
  }
  std::string result = Utf8(out);
  if (result.empty()) return InvalidArgument("the value is empty");
  if (result.size() > max_bytes) {
    return InvalidArgument(Quote(raw) + " is " + std::to_string(result.size()) +
                           " bytes long; a " + std::string(what) + " may have at most " +
                           std::to_string(max_bytes));
  }
  return result;
}

// Parses exactly `digits` ASCII digits at s[pos].
std::optional<int> ParseDigits(std::string_view s, size_t pos, size_t digits) {
  if (pos + digits > s.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + digits; ++i) {
    if (!IsAsciiDigit(s[i])) return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

Result<std::string> NormalizeDate(std::string_view raw, std::string_view value) {
  static constexpr std::string_view kFormats =
      "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z]";
  std::string s(value);
  if (s.size() > 10 && s[10] == ' ') s[10] = 'T';  // "2024-01-02 10:00" is common
  bool utc = false;
  if (s.size() > 10 && s.back() == 'Z') {
    utc = true;
    s.pop_back();
  }
  const size_t n = s.size();
  if (utc && n < 16) return Invalid(raw, "a valid date", "'Z' needs a time");
  if (n != 4 && n != 7 && n != 10 && n != 16 && n != 19) return Invalid(raw, "a valid date", kFormats);
  auto separator_ok = [&](size_t pos, char c) { return n <= pos || s[pos] == c; };
  if (!separator_ok(4, '-') || !separator_ok(7, '-') || !separator_ok(10, 'T') ||
      !separator_ok(13, ':') || !separator_ok(16, ':')) {
    return Invalid(raw, "a valid date", kFormats);
  }
  std::optional<int> year = ParseDigits(s, 0, 4);
  std::optional<int> month = n >= 7 ? ParseDigits(s, 5, 2) : std::optional<int>(1);
  std::optional<int> day = n >= 10 ? ParseDigits(s, 8, 2) : std::optional<int>(1);
  std::optional<int> hour = n >= 16 ? ParseDigits(s, 11, 2) : std::optional<int>(0);
  std::optional<int> minute = n >= 16 ? ParseDigits(s, 14, 2) : std::optional<int>(0);
  std::optional<int> second = n >= 19 ? ParseDigits(s, 17, 2) : std::optional<int>(0);
  if (!year || !month || !day || !hour || !minute || !second) {
    return Invalid(raw, "a valid date", kFormats);
  }
  if (*year < 1000 || *year > 2999) return Invalid(raw, "a valid date", "the year must be 1000-2999");
  if (*month < 1 || *month > 12) return Invalid(raw, "a valid date", "the month must be 01-12");
  if (*day < 1 || *day > DaysInMonth(*year, *month)) {
    return Invalid(raw, "a valid date",
                   s.substr(0, 7) + " has " + std::to_string(DaysInMonth(*year, *month)) + " days");
  }
  if (*hour > 23) return Invalid(raw, "a valid date", "the hour must be 00-23");
  if (*minute > 59) return Invalid(raw, "a valid date", "the minute must be 00-59");
  if (*second > 59) return Invalid(raw, "a valid date", "the second must be 00-59");
  if (utc) s += 'Z';
  return s;
}

// ISO 3166-1 codes from ICU, upper case, alpha-2 and alpha-3 to lower-case alpha-2.
using CountryMap = std::map<std::string, std::string, std::less<>>;

CountryMap BuildCountryTable() {
  CountryMap table;
  // ICU also lists CLDR's exceptionally reserved regions; FtM and ISO 3166-1 do not.
  static const std::set<std::string_view> kNotCountries = {"DG", "EA", "IC"};
  for (const char* const* code = icu::Locale::getISOCountries(); *code != nullptr; ++code) {
    const std::string alpha2 = *code;
    if (kNotCountries.count(alpha2) != 0) continue;
    const std::string lower = AsciiLower(alpha2);
    table[alpha2] = lower;
    const std::string locale = "und_" + alpha2;
    const std::string alpha3 = uloc_getISO3Country(locale.c_str());
    if (alpha3.size() == 3) table[alpha3] = lower;
  }
  // Kosovo: XK is user-assigned but used by the EU, SWIFT and FtM; KOS and XKX are the
  // alpha-3 codes in use (ICU itself says XKK).
  table["XK"] = "xk";
  table["XKK"] = "xk";
  table["XKX"] = "xk";
  table["KOS"] = "xk";
  return table;
}

// ISO 3166-1 codes from ICU, upper case, alpha-2 and alpha-3 to lower-case alpha-2.
const CountryMap& CountryTable() {
  static const CountryMap table = BuildCountryTable();  // thread-safe initialisation
  return table;
}

// IBAN lengths per country: the SWIFT IBAN registry (release 99, 2025), then national IBANs
// that are in use but not in the registry (marked).
constexpr std::pair<std::string_view, int> kIbanLengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
    {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
    {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
    {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
    {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21},
    {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30},
    {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22},
    {"RU", 33}, {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24},
    {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
    {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
    // Not in the SWIFT registry; national formats with IBAN check digits.
    {"AO", 25}, {"BF", 28}, {"BJ", 28}, {"CF", 27}, {"CG", 27}, {"CI", 28}, {"CM", 27},
    {"CV", 25}, {"DZ", 26}, {"GA", 27}, {"GQ", 27}, {"GW", 25}, {"IR", 26}, {"KM", 27},
    {"MA", 28}, {"MG", 27}, {"ML", 28}, {"MZ", 25}, {"NE", 28}, {"SN", 28}, {"TD", 27},
    {"TG", 28},
};

std::optional<int> IbanLength(std::string_view country) {
  for (const auto& [code, length] : kIbanLengths) {
    if (code == country) return length;
  }
  return std::nullopt;
}

Result<std::string> NormalizeIban(std::string_view raw, std::string_view value) {
  std::string iban;
  for (char c : value) {
    if (c == ' ' || c == '\t') continue;
    if (!IsAsciiAlnum(c)) return Invalid(raw, "a valid IBAN", "only letters, digits and spaces are allowed");
    iban += AsciiUpper(c);
  }
  if (iban.size() < 5 || !IsAsciiAlpha(iban[0]) || !IsAsciiAlpha(iban[1]) ||
      !IsAsciiDigit(iban[2]) || !IsAsciiDigit(iban[3])) {
    return Invalid(raw, "a valid IBAN", "an IBAN starts with a country code and two check digits");
  }
  const std::string country = iban.substr(0, 2);
  std::optional<int> length = IbanLength(country);
  if (!length) return Invalid(raw, "a valid IBAN", "no IBANs for country code " + country);
  if (iban.size() != static_cast<size_t>(*length)) {
    return Invalid(raw, "a valid IBAN", std::to_string(iban.size()) + " characters; " + country +
                                            " IBANs have " + std::to_string(*length));
  }
  // ISO 7064 MOD 97-10: the first four characters moved to the end, letters as 10..35, must
  // leave 1.
  const std::string rearranged = iban.substr(4) + iban.substr(0, 4);
  int remainder = 0;
  for (char c : rearranged) {
    if (IsAsciiDigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    }
  }
  if (remainder != 1) return Invalid(raw, "a valid IBAN", "the check digits do not match");
  return iban;
}

Result<std::string> NormalizePhone(std::string_view raw, std::string_view value,
                                   std::string_view default_country) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  if (value.size() > kMaxIdentifierBytes || FirstInvalidUtf8(value)) {
    return Invalid(raw, "a valid phone number");
  }
  std::string region = "ZZ";  // unknown: the number must be international
  std::string number(value);
  if (!default_country.empty()) {
    std::optional<std::string> country = CountryCode(default_country);
    if (!country) {
      return InvalidArgument("default country " + Quote(default_country) +
                             " is not an ISO 3166-1 country code");
    }
    region = AsciiUpper(*country);
  } else if (number.size() > 2 && number[0] == '0' && number[1] == '0') {
    number = "+" + number.substr(2);  // 00 is the international prefix across Europe
  }
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber parsed;
  const PhoneNumberUtil::ErrorType error = util->Parse(number, region, &parsed);
  if (error == PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR && region == "ZZ") {
    return Invalid(raw, "a valid phone number",
                   "national numbers need a default country; write it as +<country code>...");
  }
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) return Invalid(raw, "a valid phone number");
  if (!util->IsValidNumber(parsed)) {
    return Invalid(raw, "a valid phone number", "no such number in its country's numbering plan");
  }
  std::string e164;
  util->Format(parsed, PhoneNumberUtil::E164, &e164);
  return e164;
}

// A host name in ASCII (IDNA 2008 / UTS #46, lower case), or nullopt.
std::optional<std::string> AsciiHostName(std::string_view host) {
  if (host.empty() || host.size() > 253 * 4) return std::nullopt;
  std::string ascii;
  const bool is_ascii = std::all_of(host.begin(), host.end(),
                                    [](char c) { return static_cast<uint8_t>(c) < 0x80; });
  if (is_ascii) {
    ascii = AsciiLower(host);
  } else {
    // An IDNA instance is immutable and safe to share between threads.
    static const icu::IDNA* const idna = [] {
      UErrorCode create_status = U_ZERO_ERROR;
      icu::IDNA* instance = icu::IDNA::createUTS46Instance(
          UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_CHECK_BIDI, create_status);
      return U_SUCCESS(create_status) ? instance : nullptr;
    }();
    if (idna == nullptr) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    icu::IDNAInfo info;
    icu::StringByteSink<std::string> sink(&ascii);
    idna->nameToASCII_UTF8(icu::StringPiece(host.data(), static_cast<int32_t>(host.size())), sink,
                           info, status);
    if (U_FAILURE(status) || info.hasErrors()) return std::nullopt;
  }
  if (ascii.size() > 253) return std::nullopt;
  // Labels of letters, digits and hyphens, not starting or ending with a hyphen.
  size_t start = 0;
  size_t labels = 0;
  while (start <= ascii.size()) {
    size_t end = ascii.find('.', start);
    if (end == std::string::npos) end = ascii.size();
    const std::string_view label = std::string_view(ascii).substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return std::nullopt;
    }
    for (char c : label) {
      if (!IsAsciiAlnum(c) && c != '-') return std::nullopt;
    }
    ++labels;
    start = end + 1;
  }
  if (labels < 2) return std::nullopt;
  // The top-level domain is not numeric (that would be an IP address).
  const std::string_view tld = std::string_view(ascii).substr(ascii.rfind('.') + 1);
  if (std::all_of(tld.begin(), tld.end(), IsAsciiDigit)) return std::nullopt;
  return ascii;
}

Result<std::string> NormalizeEmail(std::string_view raw, std::string_view value) {
  if (value.size() > 254 * 4) return Invalid(raw, "a valid e-mail address", "too long");
  if (FirstInvalidUtf8(value)) return Invalid(raw, "a valid e-mail address", "invalid UTF-8");
  const size_t at = value.find('@');
  if (at == std::string_view::npos || value.find('@', at + 1) != std::string_view::npos) {
    return Invalid(raw, "a valid e-mail address", "it needs exactly one '@'");
  }
  const std::string_view local = value.substr(0, at);
  const std::string_view domain = value.substr(at + 1);
  if (local.empty() || local.size() > 64) {
    return Invalid(raw, "a valid e-mail address", "the part before '@' must be 1-64 bytes");
  }
  static constexpr std::string_view kLocalSpecials = "!#$%&'*+/=?^_`{|}~.-";
  for (char c : local) {
    const bool ok = IsAsciiAlnum(c) || static_cast<uint8_t>(c) >= 0x80 ||
                    kLocalSpecials.find(c) != std::string_view::npos;
    if (!ok) {
      return Invalid(raw, "a valid e-mail address",
                     "the part before '@' may not contain " + Quote(std::string_view(&c, 1)));
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return Invalid(raw, "a valid e-mail address", "misplaced '.' before '@'");
  }
  std::optional<std::string> host = AsciiHostName(domain);
  if (!host) return Invalid(raw, "a valid e-mail address", "the domain is not a valid host name");
  std::string email = std::string(local) + "@" + *host;
  if (email.size() > 254) return Invalid(raw, "a valid e-mail address", "too long");
  return email;
}

bool IsDashLike(UChar32 c) {
  return c == '-' || c == '.' || c == '/' || c == 0x2010 || c == 0x2011 || c == 0x2012 ||
         c == 0x2013 || c == 0x2014 || c == 0x2015 || c == 0x2212;
}

// identifier (keep_only_alnum false) and plate (true): NFC, upper case; drop white space,
// dashes, dots and slashes (plate: everything but letters and digits).
Result<std::string> NormalizeCode(std::string_view raw, std::string_view value, bool keep_only_alnum,
                                  std::string_view what) {
  if (value.size() > 4 * kMaxIdentifierBytes) {
    return Invalid(raw, what, "longer than " + std::to_string(kMaxIdentifierBytes) + " bytes");
  }
  URA_ASSIGN_OR_RETURN(icu::UnicodeString text, DecodeNfc(raw, value));
  text.toUpper(icu::Locale::getRoot());
  icu::UnicodeString out;
  bool has_alnum = false;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    const bool alnum = u_isalnum(c);
    has_alnum = has_alnum || alnum;
    if (alnum) {
      out.append(c);
    } else if (keep_only_alnum || u_isUWhiteSpace(c) || IsDashLike(c) || c == 0xFEFF) {
      continue;
    } else if (u_charType(c) == U_CONTROL_CHAR) {
      return Invalid(raw, what, "it contains a control character");
    } else {
      out.append(c);
    }
  }
  if (!has_alnum) return Invalid(raw, what, "it has no letter or digit");
  std::string result = Utf8(out);
  if (result.size() > kMaxIdentifierBytes) {
    return Invalid(raw, what, "longer than " + std::to_string(kMaxIdentifierBytes) + " bytes");
  }
  return result;
}

Result<std::string> NormalizeNumber(std::string_view raw, std::string_view value) {
  if (value.size() > 100) return Invalid(raw, "a number", "too long");
  std::string_view s = value;
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  const size_t dot = s.find('.');
  std::string_view integer = s.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  const bool digits_only = std::all_of(integer.begin(), integer.end(), IsAsciiDigit) &&
                           std::all_of(fraction.begin(), fraction.end(), IsAsciiDigit);
  if (!digits_only || (integer.empty() && fraction.empty())) {
    return Invalid(raw, "a number", "expected digits with an optional sign and '.' decimals");
  }
  while (integer.size() > 1 && integer.front() == '0') integer.remove_prefix(1);
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  std::string out = integer.empty() ? "0" : std::string(integer);
  if (!fraction.empty()) out += "." + std::string(fraction);
  if (negative && out != "0") out = "-" + out;
  return out;
}

Result<std::string> NormalizeUrl(std::string_view raw, std::string_view value) {
  if (value.size() > kMaxStringBytes * 4) return Invalid(raw, "a valid URL", "too long");
  if (FirstInvalidUtf8(value)) return Invalid(raw, "a valid URL", "invalid UTF-8");
  for (char c : value) {
    if (static_cast<uint8_t>(c) <= 0x20 || c == 0x7F) {
      return Invalid(raw, "a valid URL", "it contains white space or a control character");
    }
  }
  const size_t scheme_end = value.find("://");
  if (scheme_end == std::string_view::npos) return Invalid(raw, "a valid URL", "expected http:// or https://");
  const std::string scheme = AsciiLower(value.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return Invalid(raw, "a valid URL", "only http and https URLs are allowed");
  }
  const std::string_view rest = value.substr(scheme_end + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view path =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  const size_t at = authority.rfind('@');
  const std::string_view userinfo = at == std::string_view::npos ? std::string_view() : authority.substr(0, at + 1);
  std::string_view host_port = at == std::string_view::npos ? authority : authority.substr(at + 1);
  std::string_view port;
  std::string host;
  if (!host_port.empty() && host_port.front() == '[') {  // IPv6 literal
    const size_t close = host_port.find(']');
    if (close == std::string_view::npos) return Invalid(raw, "a valid URL", "unclosed '[' in the host");
    const std::string_view literal = host_port.substr(1, close - 1);
    if (literal.empty() || !std::all_of(literal.begin(), literal.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        })) {
      return Invalid(raw, "a valid URL", "bad IPv6 address");
    }
    host = "[" + AsciiLower(literal) + "]";
    host_port.remove_prefix(close + 1);
    if (!host_port.empty() && host_port.front() != ':') return Invalid(raw, "a valid URL", "bad host");
    if (!host_port.empty()) port = host_port.substr(1);
  } else {
    const size_t colon = host_port.rfind(':');
    std::string_view name = host_port.substr(0, colon);
    if (colon != std::string_view::npos) port = host_port.substr(colon + 1);
    const bool ipv4 = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return IsAsciiDigit(c) || c == '.';
    });
    if (ipv4) {
      host = std::string(name);
    } else if (std::optional<std::string> ascii = AsciiHostName(name)) {
      host = *ascii;
    } else if (AsciiLower(name) == "localhost") {
      host = "localhost";
    } else {
      return Invalid(raw, "a valid URL", "the host is not a valid host name");
    }
  }
  if (host_port.find(':') != std::string_view::npos || !port.empty()) {
    std::optional<int> number = port.empty() || port.size() > 5 ? std::nullopt
                                                                  : ParseDigits(port, 0, port.size());
    if (!number || *number < 1 || *number > 65535) return Invalid(raw, "a valid URL", "bad port");
  }
  std::string out = scheme + "://" + std::string(userinfo) + host;
  if (!port.empty()) out += ":" + std::string(port);
  out += path;
  return out;
}

Result<std::string> NormalizeGender(std::string_view raw, std::string_view value) {
  const std::string lower = AsciiLower(value);
  if (lower == "male" || lower == "m") return std::string("male");
  if (lower == "female" || lower == "f") return std::string("female");
  if (lower == "other") return std::string("other");
  return Invalid(raw, "a gender", "expected male, female or other (m, f)");
}

struct LanguageTable {
  std::map<std::string, std::string, std::less<>> alpha2_to_alpha3;
  std::set<std::string, std::less<>> alpha3;
};

LanguageTable BuildLanguageTable() {
  LanguageTable table;
  for (const char* const* code = icu::Locale::getISOLanguages(); *code != nullptr; ++code) {
    const std::string language = *code;
    if (language.size() == 2) {
      const std::string alpha3 = uloc_getISO3Language(language.c_str());
      if (alpha3.size() == 3) {
        table.alpha2_to_alpha3[language] = alpha3;
        table.alpha3.insert(alpha3);
      }
    } else if (language.size() == 3) {
      table.alpha3.insert(language);
    }
  }
  return table;
}

const LanguageTable& Languages() {
  static const LanguageTable table = BuildLanguageTable();
  return table;
}

Result<std::string> NormalizeLanguage(std::string_view raw, std::string_view value) {
  // ISO 639-2/B codes that differ from the 639-2/T (= 639-3) ones.
  static constexpr std::pair<std::string_view, std::string_view> kBibliographic[] = {
      {"alb", "sqi"}, {"arm", "hye"}, {"baq", "eus"}, {"bur", "mya"}, {"chi", "zho"},
      {"cze", "ces"}, {"dut", "nld"}, {"fre", "fra"}, {"geo", "kat"}, {"ger", "deu"},
      {"gre", "ell"}, {"ice", "isl"}, {"mac", "mkd"}, {"mao", "mri"}, {"may", "msa"},
      {"per", "fas"}, {"rum", "ron"}, {"slo", "slk"}, {"tib", "bod"}, {"wel", "cym"},
  };
  const std::string code = AsciiLower(value);
  const LanguageTable& table = Languages();
  if (code.size() == 2) {
    auto it = table.alpha2_to_alpha3.find(code);
    if (it != table.alpha2_to_alpha3.end()) return it->second;
  } else if (code.size() == 3) {
    for (const auto& [b, t] : kBibliographic) {
      if (code == b) return std::string(t);
    }
    if (table.alpha3.count(code) != 0) return code;
  }
  return Invalid(raw, "an ISO 639 language code");
}

Result<std::string> NormalizeEntityId(std::string_view raw, std::string_view value) {
  if (value.size() > kMaxEntityIdBytes) {
    return Invalid(raw, "an entity id", "longer than " + std::to_string(kMaxEntityIdBytes) + " characters");
  }
  for (char c : value) {
    if (!IsAsciiAlnum(c) && c != '.' && c != '_' && c != ':' && c != '-') {
      return Invalid(raw, "an entity id", "only letters, digits and . _ : - are allowed");
    }
  }
  return std::string(value);
}

}  // namespace

std::string_view PropertyTypeName(PropertyType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "unknown";
}

std::optional<PropertyType> PropertyTypeFromName(std::string_view name) {
  for (const auto& [type, type_name] : kTypeNames) {
    if (type_name == name) return type;
  }
  return std::nullopt;
}

std::optional<std::string> CountryCode(std::string_view code) {
  if (code.size() != 2 && code.size() != 3) return std::nullopt;
  const auto& table = CountryTable();
  auto it = table.find(AsciiUpper(code));
  if (it == table.end()) return std::nullopt;
  return it->second;
}

Result<std::string> NormalizeValue(PropertyType type, std::string_view raw,
                                   std::string_view default_country) {
  const std::string_view value = TrimAscii(raw);
  if (value.empty()) return InvalidArgument("the value is empty");
  switch (type) {
    case PropertyType::kString:
      return NormalizeString(raw, value, false, kMaxStringBytes, "string");
    case PropertyType::kName:
      return NormalizeString(raw, value, false, kMaxStringBytes, "name");
    case PropertyType::kText:
      return NormalizeString(raw, value, true, kMaxTextBytes, "text");
    case PropertyType::kAddress:
      return NormalizeString(raw, value, false, kMaxTextBytes, "address");
    case PropertyType::kDate:
      return NormalizeDate(raw, value);
    case PropertyType::kCountry: {
      std::optional<std::string> country = CountryCode(value);
      if (!country) return Invalid(raw, "an ISO 3166-1 country code");
      return *country;
    }
    case PropertyType::kIdentifier:
      return NormalizeCode(raw, value, false, "an identifier");
    case PropertyType::kPlate:
      return NormalizeCode(raw, value, true, "a registration plate");
    case PropertyType::kPhone:
      return NormalizePhone(raw, value, default_country);
    case PropertyType::kEmail:
      return NormalizeEmail(raw, value);
    case PropertyType::kIban:
      return NormalizeIban(raw, value);
    case PropertyType::kEntity:
      return NormalizeEntityId(raw, value);
    case PropertyType::kNumber:
      return NormalizeNumber(raw, value);
    case PropertyType::kUrl:
      return NormalizeUrl(raw, value);
    case PropertyType::kGender:
      return NormalizeGender(raw, value);
    case PropertyType::kLanguage:
      return NormalizeLanguage(raw, value);
  }
  return Internal("unknown property type");
}

}  // namespace ura::model
