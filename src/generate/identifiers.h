// Identifiers in the formats the source systems hold them: IBANs with correct ISO 13616
// mod-97 check digits, Albanian-style personal numbers, Serbian/Montenegrin/Macedonian/Bosnian
// JMBG, Turkish T.C. Kimlik numbers, Italian codici fiscali, Greek AMKA, passport and
// identity-card numbers, phone numbers, number plates, VINs and company numbers.
//
// Numbers that must be unique are derived from a running serial through a keyed bijection
// (Permutation), so two people never share a passport or phone by accident. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "generate/calendar.h"
#include "generate/catalog.h"

namespace ura::generate {

// ---- IBAN --------------------------------------------------------------------------------

// An IBAN (electronic form, no spaces) for an account at `bank`; `account_serial` < 10^9
// makes the account part unique.
std::string MakeIban(const Bank& bank, uint64_t account_serial);
// True when `iban` has the ISO 13616 shape (2 letters, 2 digits, alphanumerics) and
// mod-97 of its rearranged digits is 1.
bool IbanChecksumValid(std::string_view iban);
// The same IBAN with check digits that are wrong (mod 97 != 1); `delta` in [1, 96].
std::string CorruptIbanCheckDigits(std::string_view iban, uint64_t delta);

// ---- Personal numbers --------------------------------------------------------------------

// Albanian-style personal number ("J85304123K"): decade letter, last digit of the year,
// month (+50 for women), day, a three-digit serial and a check letter.
std::string AlbanianPersonalNumber(const CivilDate& birth, bool female, uint32_t serial);
// JMBG: DDMMYYY RR BBB K with the mod-11 check digit, or "" when that serial has none
// (check value 10); callers try the next serial.
std::string Jmbg(const CivilDate& birth, uint32_t region, uint32_t serial);
// T.C. Kimlik No: 11 digits with both check digits; `serial` < 9 * 10^8.
std::string TurkishIdentityNumber(uint64_t serial);
// Kosovo personal number: 10 digits.
std::string KosovoPersonalNumber(uint64_t serial);
// Greek AMKA: DDMMYY, four serial digits, Luhn check digit.
std::string Amka(const CivilDate& birth, uint32_t serial);
// Italian codice fiscale (16 characters, with its check character).
std::string CodiceFiscale(std::string_view family, std::string_view given, const CivilDate& birth,
                          bool female, std::string_view belfiore);
// Applies omocodia step `level` (1..7) to a codice fiscale: digits from the right become
// letters and the check character is recomputed, as the tax office does for duplicates.
std::string CodiceFiscaleOmocodia(std::string_view code, int level);

// ---- Documents ---------------------------------------------------------------------------

enum class DocumentKind : uint8_t { kPassport, kIdCard };
// A document number in the issuing country's format, unique per (country, kind, serial)
// for serial < 10^7.
std::string DocumentNumber(Country issuer, DocumentKind kind, uint64_t serial);

// ---- Phones ------------------------------------------------------------------------------

struct Phone {
  Country country = Country::kAL;
  uint16_t prefix = 0;      // index into the country's mobile prefixes
  uint32_t subscriber = 0;  // the subscriber digits
};
// A unique mobile number for `serial` (< 10^6 per country even for the smallest plans).
Phone MakePhone(Country country, uint64_t serial);
enum class PhoneStyle { kInternational, kNational, kCompact, kDoubleZero };
// "+355 69 123 4567", "069 123 4567", "+355691234567", "00355 69 1234567".
std::string FormatPhone(const Phone& phone, PhoneStyle style);

// ---- Vehicles and companies ---------------------------------------------------------------

// A number plate as registered in `country` ("AB 123 CD" in Albania).
std::string PlateNumber(Country country, uint64_t serial);
// A 17-character VIN for a car whose maker has world manufacturer identifier `wmi`.
std::string Vin(std::string_view wmi, int32_t model_year, uint64_t serial);
// A company registration number in the country's format (Albanian NUIS "K31525146S").
std::string CompanyNumber(Country country, uint64_t serial);

}  // namespace ura::generate
