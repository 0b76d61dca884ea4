#include "generate/identifiers.h"

#include <cstring>
#include <vector>

#include "generate/random.h"
#include "generate/text.h"

namespace ura::generate {

namespace {

constexpr char kLetters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";          // no I, O, Q
constexpr char kGermanAlnum[] = "CFGHJKLMNPRTVWXYZ0123456789";  // German document alphabet

uint64_t Radix(char c) {
  switch (c) {
    case '#':
      return 10;
    case 'L':
      return sizeof(kLetters) - 1;
    case 'X':
      return sizeof(kGermanAlnum) - 1;
    default:
      return 1;
  }
}

uint64_t PatternCapacity(const char* pattern) {
  uint64_t capacity = 1;
  for (const char* p = pattern; *p != '\0'; ++p) capacity *= Radix(*p);
  return capacity;
}

// Writes `value` into the pattern's slots from the right: '#' a digit, 'L' a letter,
// 'X' a German-alphabet character; anything else is copied.
std::string FormatPattern(const char* pattern, uint64_t value) {
  std::string out(pattern);
  for (size_t i = out.size(); i-- > 0;) {
    char c = pattern[i];
    uint64_t radix = Radix(c);
    if (radix == 1) continue;
    uint64_t digit = value % radix;
    value /= radix;
    out[i] = c == '#'   ? static_cast<char>('0' + digit)
             : c == 'L' ? kLetters[digit]
                        : kGermanAlnum[digit];
  }
  return out;
}

std::string Digits(uint64_t value, int width) {
  std::string out(static_cast<size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out;
}

uint64_t Key(uint64_t a, uint64_t b) { return Random::SplitMix64(a * 1000003 + b); }

// mod 97 of a string of digits and upper-case letters (A=10 ... Z=35).
uint32_t Mod97(std::string_view s) {
  uint32_t r = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      r = (r * 10 + static_cast<uint32_t>(c - '0')) % 97;
    } else {
      uint32_t v = static_cast<uint32_t>(c - 'A' + 10);
      r = (r * 100 + v) % 97;
    }
  }
  return r;
}

std::string IbanWithCheck(const char* country, const std::string& bban) {
  uint32_t r = Mod97(bban + country + "00");
  return std::string(country) + Digits(98 - r, 2) + bban;
}

// Serbian/Montenegrin/Macedonian/Bosnian national check: 98 - (n * 100 mod 97).
std::string NationalMod97(const std::string& digits) {
  return Digits(98 - Mod97(digits + "00"), 2);
}

}  // namespace

std::string MakeIban(const Bank& bank, uint64_t serial) {
  const char* cc = Info(bank.country).alpha2;
  // Account-number digits per country; the permutation stays inside them, so accounts at
  // one country's banks never share a number.
  static constexpr int kAccountDigits[kCountryCount] = {16, 10, 16, 13, 13, 10,
                                                        8,  16, 12, 10, 11, 12};
  int digits = kAccountDigits[static_cast<int>(bank.country)];
  uint64_t capacity = 1;
  for (int i = 0; i < digits && i < 12; ++i) capacity *= 10;
  uint64_t account =
      Permutation(capacity, Key(static_cast<uint64_t>(bank.country), 7))(serial % capacity);
  std::string code = bank.code;
  std::string bban;
  switch (bank.country) {
    case Country::kAL: {  // bank 3 + branch 4 + control 1 + account 16
      std::string branch = Digits(1000 + account % 97 * 13, 4);
      std::string base = code + branch;
      int weights[] = {9, 7, 3, 1, 9, 7, 3};
      int sum = 0;
      for (int i = 0; i < 7; ++i) sum += (base[static_cast<size_t>(i)] - '0') * weights[i];
      bban = base + static_cast<char>('0' + (10 - sum % 10) % 10) + Digits(account, 16);
      break;
    }
    case Country::kXK: {  // bank 2 + branch 2 + account 10 + check 2
      std::string body = code + Digits(account % 90 + 10, 2) + Digits(account, 10);
      bban = body + NationalMod97(body);
      break;
    }
    case Country::kTR:  // bank 5 + reserved 0 + account 16
      bban = code + "0" + Digits(account, 16);
      break;
    case Country::kRS:
    case Country::kME: {  // bank 3 + account 13 + check 2
      std::string body = code + Digits(account, 13);
      bban = body + NationalMod97(body);
      break;
    }
    case Country::kMK: {  // bank 3 + account 10 + check 2
      std::string body = code + Digits(account, 10);
      bban = body + NationalMod97(body);
      break;
    }
    case Country::kBA: {  // bank 3 + branch 3 + account 8 + check 2
      std::string body = code + Digits(account % 900 + 100, 3) + Digits(account, 8);
      bban = body + NationalMod97(body);
      break;
    }
    case Country::kGR:  // bank 3 + branch 4 + account 16
      bban = code + Digits(account % 9000 + 1000, 4) + Digits(account, 16);
      break;
    case Country::kIT:  // CIN + ABI 5 + CAB 5 + account 12
      bban = std::string(1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[account % 26]) + code +
             Digits(account % 90000 + 10000, 5) + Digits(account, 12);
      break;
    case Country::kDE:  // BLZ 8 + account 10
      bban = code + Digits(account, 10);
      break;
    case Country::kAT:  // bank 5 + account 11
      bban = code + Digits(account, 11);
      break;
    case Country::kCH:  // bank 5 + account 12
      bban = code + Digits(account, 12);
      break;
  }
  return IbanWithCheck(cc, bban);
}

bool IbanChecksumValid(std::string_view iban) {
  if (iban.size() < 15 || iban.size() > 34) return false;
  for (size_t i = 0; i < iban.size(); ++i) {
    char c = iban[i];
    bool letter = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    if (i < 2 ? !letter : i < 4 ? !digit : !(letter || digit)) return false;
  }
  std::string rearranged = std::string(iban.substr(4)) + std::string(iban.substr(0, 4));
  return Mod97(rearranged) == 1;
}

std::string CorruptIbanCheckDigits(std::string_view iban, uint64_t delta) {
  int check = (iban[2] - '0') * 10 + (iban[3] - '0');
  int wrong = 2 + (check - 2 + static_cast<int>(delta % 96) + 1 + 97) % 97;
  std::string out(iban);
  out.replace(2, 2, Digits(static_cast<uint64_t>(wrong), 2));
  return out;
}

std::string AlbanianPersonalNumber(const CivilDate& birth, bool female, uint32_t serial) {
  static constexpr char kCheck[] = "ABCDEFGHIJKLMNOPQRSTUVW";
  std::string out;
  out.push_back(static_cast<char>('A' + (birth.year - 1900) / 10));
  out += Digits(static_cast<uint64_t>(birth.year % 10), 1);
  out += Digits(static_cast<uint64_t>(birth.month + (female ? 50 : 0)), 2);
  out += Digits(static_cast<uint64_t>(birth.day), 2);
  out += Digits(serial % 1000, 3);
  int sum = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    int v = c >= 'A' ? c - 'A' + 10 : c - '0';
    sum += static_cast<int>(i + 1) * v;
  }
  out.push_back(kCheck[sum % 23]);
  return out;
}

std::string Jmbg(const CivilDate& birth, uint32_t region, uint32_t serial) {
  std::string s = Digits(static_cast<uint64_t>(birth.day), 2) +
                  Digits(static_cast<uint64_t>(birth.month), 2) +
                  Digits(static_cast<uint64_t>(birth.year % 1000), 3) + Digits(region % 100, 2) +
                  Digits(serial % 1000, 3);
  int a[12];
  for (int i = 0; i < 12; ++i) a[i] = s[static_cast<size_t>(i)] - '0';
  int sum = 7 * (a[0] + a[6]) + 6 * (a[1] + a[7]) + 5 * (a[2] + a[8]) + 4 * (a[3] + a[9]) +
            3 * (a[4] + a[10]) + 2 * (a[5] + a[11]);
  int r = sum % 11;
  if (r == 1) return "";  // check value 10: this serial is never issued
  int k = r == 0 ? 0 : 11 - r;
  s.push_back(static_cast<char>('0' + k));
  return s;
}

std::string TurkishIdentityNumber(uint64_t serial) {
  uint64_t v = Permutation(900000000ull, Key(90, 1))(serial % 900000000ull) + 100000000ull;
  std::string s = Digits(v, 9);
  int d[11];
  for (int i = 0; i < 9; ++i) d[i] = s[static_cast<size_t>(i)] - '0';
  int odd = d[0] + d[2] + d[4] + d[6] + d[8], even = d[1] + d[3] + d[5] + d[7];
  d[9] = ((odd * 7 - even) % 10 + 10) % 10;
  int total = 0;
  for (int i = 0; i < 10; ++i) total += d[i];
  d[10] = total % 10;
  s.push_back(static_cast<char>('0' + d[9]));
  s.push_back(static_cast<char>('0' + d[10]));
  return s;
}

std::string KosovoPersonalNumber(uint64_t serial) {
  return "1" + Digits(Permutation(1000000000ull, Key(383, 1))(serial % 1000000000ull), 9);
}

std::string Amka(const CivilDate& birth, uint32_t serial) {
  std::string s = Digits(static_cast<uint64_t>(birth.day), 2) +
                  Digits(static_cast<uint64_t>(birth.month), 2) +
                  Digits(static_cast<uint64_t>(birth.year % 100), 2) + Digits(serial % 10000, 4);
  int sum = 0;  // Luhn over the ten digits, check digit appended
  for (size_t i = 0; i < s.size(); ++i) {
    int v = s[s.size() - 1 - i] - '0';
    if (i % 2 == 0) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  s.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return s;
}

namespace {

char CodiceFiscaleCheck(std::string_view code15) {
  static constexpr int kOdd[26] = {1,  0,  5, 7, 9, 13, 15, 17, 19, 21, 2,  4,  18,
                                   20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
  int sum = 0;
  for (size_t i = 0; i < code15.size(); ++i) {
    char c = code15[i];
    int index = c >= 'A' ? c - 'A' : c - '0';
    sum += i % 2 == 0 ? kOdd[index] : index;  // positions 1, 3, 5 ... are "odd"
  }
  return static_cast<char>('A' + sum % 26);
}

std::string Letters(std::string_view name) {
  std::string out;
  for (char c : MrzName(name, FoldStyle::kIcao)) {
    if (c >= 'A' && c <= 'Z') out.push_back(c);
  }
  return out;
}

bool IsVowel(char c) { return std::strchr("AEIOU", c) != nullptr; }

}  // namespace

std::string CodiceFiscale(std::string_view family, std::string_view given, const CivilDate& birth,
                          bool female, std::string_view belfiore) {
  auto split = [](const std::string& letters, std::string& consonants, std::string& vowels) {
    for (char c : letters) (IsVowel(c) ? vowels : consonants).push_back(c);
  };
  std::string fc, fv, gc, gv;
  split(Letters(family), fc, fv);
  split(Letters(given), gc, gv);
  std::string code = (fc + fv + "XXX").substr(0, 3);
  if (gc.size() >= 4) {
    code += std::string{gc[0], gc[2], gc[3]};
  } else {
    code += (gc + gv + "XXX").substr(0, 3);
  }
  code += Digits(static_cast<uint64_t>(birth.year % 100), 2);
  code.push_back("ABCDEHLMPRST"[birth.month - 1]);
  code += Digits(static_cast<uint64_t>(birth.day + (female ? 40 : 0)), 2);
  code += belfiore;
  code.push_back(CodiceFiscaleCheck(code));
  return code;
}

std::string CodiceFiscaleOmocodia(std::string_view code, int level) {
  static constexpr size_t kDigitPositions[] = {14, 13, 12, 10, 9, 7, 6};
  std::string out(code.substr(0, 15));
  for (int i = 0; i < level && i < 7; ++i) {
    char& c = out[kDigitPositions[i]];
    if (c >= '0' && c <= '9') c = "LMNPQRSTUV"[c - '0'];
  }
  out.push_back(CodiceFiscaleCheck(out));
  return out;
}

std::string DocumentNumber(Country issuer, DocumentKind kind, uint64_t serial) {
  static constexpr const char* kPatterns[kCountryCount][2] = {
      {"BL#######", "#########"},  // AL
      {"P########", "#########"},  // XK
      {"U########", "L##L#####"},  // TR
      {"0########", "#########"},  // RS
      {"LL######", "#########"},   // ME
      {"M#######", "L######"},     // MK
      {"L#######", "##LLL####"},   // BA
      {"LL#######", "LL######"},   // GR
      {"YL#######", "CA#####LL"},  // IT
      {"CXXXXXXXX", "LXXXXXXXX"},  // DE
      {"P#######", "########"},    // AT
      {"X#######", "L#######"},    // CH
  };
  const char* pattern = kPatterns[static_cast<int>(issuer)][kind == DocumentKind::kIdCard];
  uint64_t capacity = PatternCapacity(pattern);
  uint64_t value =
      Permutation(capacity, Key(static_cast<uint64_t>(issuer), 100 + int(kind)))(serial % capacity);
  return FormatPattern(pattern, value);
}

namespace {

std::vector<std::string> Prefixes(Country country) {
  std::vector<std::string> out;
  std::string list = Info(country).mobile_prefixes;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

uint64_t Pow10(int n) {
  uint64_t v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

std::string Grouped(const std::string& digits, bool turkish) {
  if (turkish && digits.size() == 7) {
    return digits.substr(0, 3) + " " + digits.substr(3, 2) + " " + digits.substr(5, 2);
  }
  size_t head = digits.size() == 8 ? 4 : 3;
  return digits.substr(0, head) + " " + digits.substr(head);
}

}  // namespace

Phone MakePhone(Country country, uint64_t serial) {
  const CountryInfo& info = Info(country);
  uint64_t per_prefix = Pow10(info.subscriber_digits) - info.subscriber_floor;
  uint64_t capacity = per_prefix * Prefixes(country).size();
  uint64_t v = Permutation(capacity, Key(static_cast<uint64_t>(country), 200))(serial % capacity);
  return Phone{country, static_cast<uint16_t>(v / per_prefix),
               static_cast<uint32_t>(v % per_prefix + info.subscriber_floor)};
}

std::string FormatPhone(const Phone& phone, PhoneStyle style) {
  const CountryInfo& info = Info(phone.country);
  std::string prefix = Prefixes(phone.country)[phone.prefix];
  std::string sub = Digits(phone.subscriber, info.subscriber_digits);
  bool turkish = phone.country == Country::kTR;
  switch (style) {
    case PhoneStyle::kInternational:
      return std::string("+") + info.phone_code + " " + prefix + " " + Grouped(sub, turkish);
    case PhoneStyle::kNational:
      return "0" + prefix + " " + Grouped(sub, turkish);
    case PhoneStyle::kCompact:
      return std::string("+") + info.phone_code + prefix + sub;
    case PhoneStyle::kDoubleZero:
      return std::string("00") + info.phone_code + " " + prefix + " " + sub;
  }
  return sub;
}

std::string PlateNumber(Country country, uint64_t serial) {
  static constexpr const char* kPlates[kCountryCount] = {
      "LL ### LL",   // AL: AB 123 CD
      "##-###-LL",   // XK
      "## LLL ###",  // TR
      "LL ###-LL",   // RS
      "PG LL###",    // ME
      "SK ####-LL",  // MK
      "L##-L-###",   // BA
      "LLL-####",    // GR
      "LL ### LL",   // IT
      "L LL ####",   // DE
      "W ####L",     // AT
      "ZH ######",   // CH
  };
  const char* pattern = kPlates[static_cast<int>(country)];
  uint64_t capacity = PatternCapacity(pattern);
  uint64_t value =
      Permutation(capacity, Key(static_cast<uint64_t>(country), 300))(serial % capacity);
  return FormatPattern(pattern, value);
}

std::string Vin(std::string_view wmi, int32_t model_year, uint64_t serial) {
  static constexpr char kVds[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";       // 33, no I O Q
  static constexpr char kYears[] = "ABCDEFGHJKLMNPRSTVWXY123456789";        // from 1980, 30 years
  uint64_t v = Permutation(39135393ull, Key(17, 1))(serial % 39135393ull);  // 33^5
  std::string out(wmi);
  for (int i = 0; i < 5; ++i) {
    out.push_back(kVds[v % 33]);
    v /= 33;
  }
  out.push_back('0' + static_cast<char>(Random::SplitMix64(serial) % 10));  // check position
  out.push_back(kYears[((model_year - 1980) % 30 + 30) % 30]);
  out.push_back(kVds[Random::SplitMix64(serial + 1) % 23]);  // plant
  out += Digits(Random::SplitMix64(serial + 2) % 1000000, 6);
  return out;  // WMI 3 + VDS 5 + check 1 + year 1 + plant 1 + serial 6 = 17
}

std::string CompanyNumber(Country country, uint64_t serial) {
  uint64_t v =
      Permutation(100000000ull, Key(static_cast<uint64_t>(country), 400))(serial % 100000000ull);
  switch (country) {
    case Country::kAL:
      return std::string(1, "JKLM"[serial % 4]) + Digits(v, 8) + kLetters[(v * 7) % 23];
    case Country::kXK:
      return "81" + Digits(v, 7);
    case Country::kTR:
      return Digits(v, 10);
    case Country::kIT:
      return Digits(v, 11);
    case Country::kGR:
      return "0" + Digits(v, 8);
    case Country::kDE:
      return "HRB " + Digits(v % 1000000, 6);
    case Country::kAT:
      return "FN " + Digits(v % 1000000, 6) + "x";
    case Country::kCH: {
      std::string d = Digits(v, 9);
      return "CHE-" + d.substr(0, 3) + "." + d.substr(3, 3) + "." + d.substr(6);
    }
    default:
      return Digits(v, 9);
  }
}

}  // namespace ura::generate
