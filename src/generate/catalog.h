// Catalog: the generator's fixed data — given and family names by culture, countries, cities,
// streets, banks, border crossing points, vehicle makes, charges — as constant arrays in
// catalog.cc. Nothing here is random; the generator draws from these lists.
#pragma once

#include <cstdint>
#include <span>

namespace ura::generate {

// The naming culture a person's names are drawn from (not the same as nationality: an
// Albanian from Tetovo has Albanian names and Macedonian nationality).
enum class Culture : uint8_t {
  kAlbanian,
  kTurkish,
  kSerbian,
  kMontenegrin,
  kMacedonian,
  kBosniak,
  kGreek,
  kItalian,
};
inline constexpr int kCultureCount = 8;

enum class Country : uint8_t { kAL, kXK, kTR, kRS, kME, kMK, kBA, kGR, kIT, kDE, kAT, kCH };
inline constexpr int kCountryCount = 12;

struct CountryInfo {
  const char* alpha2;           // ISO 3166 alpha-2 ("XK" for Kosovo, as FtM uses)
  const char* alpha3;           // ICAO/ISO alpha-3 ("XKX" for Kosovo)
  const char* phone_code;       // international dialling code without '+'
  const char* mobile_prefixes;  // national mobile prefixes after the trunk 0, comma-separated
  int subscriber_digits;        // digits after the mobile prefix
  uint32_t subscriber_floor;    // lowest valid subscriber number (Albania: 067/068 2xx...)
  const char* currency;         // the currency domestic payments use
};
const CountryInfo& Info(Country country);

struct NamePool {
  std::span<const char* const> male;
  std::span<const char* const> female;
  std::span<const char* const> family;
};
const NamePool& Names(Culture culture);
// Street nicknames used as aliases ("Beni", "Zeza", "Doktori").
std::span<const char* const> Nicknames();

struct City {
  Country country;
  const char* name;
  const char* postal_code;
  const char* belfiore;  // Italian cadastral code (codice fiscale), Italian cities only
};
std::span<const City> Cities();
std::span<const char* const> Streets(Country country);
// The cadastral code the codice fiscale uses for someone born in `country` (foreign-born:
// Z100 Albania ...), or for an Italian city see City::belfiore.
const char* ForeignBelfiore(Country country);

struct Bank {
  Country country;
  const char* name;
  const char* code;  // the bank code inside the IBAN's BBAN
  const char* short_name;
};
std::span<const Bank> Banks();

std::span<const char* const> CrossingPoints();
// Case-management units: {prefix of case ids, unit name}.
struct Unit {
  const char* prefix;
  const char* name;
};
std::span<const Unit> Units();
std::span<const char* const> Charges();
std::span<const char* const> CaseTitles();  // "Operation %s" words
std::span<const char* const> WantedOffences();

struct CarModel {
  const char* make;
  const char* model;
  const char* wmi;  // VIN world manufacturer identifier
  uint32_t weight;  // how common on Albanian roads
};
std::span<const CarModel> CarModels();
std::span<const char* const> Colours();  // Albanian, as the registry writes them

std::span<const char* const> CompanyWords();
std::span<const char* const> CompanyTrades();
std::span<const char* const> PaymentPurposes();
std::span<const char* const> LaunderingPurposes();

}  // namespace ura::generate
