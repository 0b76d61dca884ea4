// World: the real people, organised-crime groups, companies, vehicles and bank accounts that
// the five source systems describe, each in its own way. Built once per run from the seed;
// the source writers (sources.h) render it into exports and ground truth.
//
// Sized for millions of people: a Person is a fixed-size record of indices into the catalog;
// names and documents are rendered when a source writes them. Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "generate/catalog.h"
#include "generate/identifiers.h"
#include "generate/random.h"

namespace ura::generate {

inline constexpr uint32_t kNone = UINT32_MAX;

// A short string stored inline (personal numbers), so a Person needs no heap.
struct ShortString {
  char data[19] = {};
  uint8_t size = 0;
  void Set(std::string_view s) {
    size = static_cast<uint8_t>(s.size() < sizeof(data) ? s.size() : sizeof(data));
    for (uint8_t i = 0; i < size; ++i) data[i] = s[i];
  }
  std::string_view view() const { return std::string_view(data, size); }
};

struct Address {
  Country country = Country::kAL;
  uint16_t city = 0;    // index into Cities()
  uint16_t street = 0;  // index into Streets(country)
  uint16_t number = 1;
};

enum class Role : uint8_t { kNone, kOrganiser, kFinancier, kCourier, kAssociate };
const char* RoleName(Role role);  // "organiser" ... ; kNone → "suspect"

struct Person {
  Culture culture = Culture::kAlbanian;
  Country nationality = Country::kAL;
  Country second_nationality = Country::kAL;
  bool has_second_nationality = false;
  Country residence = Country::kAL;
  bool female = false;
  uint16_t given = 0;   // index into Names(culture).male or .female
  uint16_t family = 0;  // index into Names(culture).family
  uint16_t father = 0;  // index into Names(culture).male (Albanian records name the father)
  int32_t birth = 0;    // days since 1970-01-01
  uint16_t birth_city = 0;
  Address address;
  Phone phone;
  ShortString personal_number;  // the national identity number of `nationality`
  uint32_t group = kNone;
  Role role = Role::kNone;
  uint32_t vehicle = kNone;  // first vehicle the person owns
  uint32_t account = kNone;  // first account the person holds
};

struct Company {
  std::string name;
  std::string number;  // registration number (Albanian NUIS ...)
  Country country = Country::kAL;
  Address address;
  uint32_t group = kNone;  // a group's front company
};

struct Group {
  std::vector<uint32_t> members;  // members[0] is the organiser
  Culture culture = Culture::kAlbanian;
  Country base = Country::kAL;
  std::vector<Phone> phones;       // shared phones
  std::vector<Address> addresses;  // safe houses
  uint32_t company = kNone;        // front company
  std::vector<uint32_t> vehicles;  // vehicles members share
  std::vector<uint32_t> accounts;  // members' and the company's accounts
  std::vector<uint16_t> charges;   // indices into Charges()
};

struct Vehicle {
  std::string plate;
  std::string vin;
  Country country = Country::kAL;  // of registration; only kAL vehicles are in the registry
  uint16_t model = 0;              // index into CarModels()
  uint16_t colour = 0;
  int32_t year = 2010;
  int32_t registered = 0;  // days
  uint32_t owner_person = kNone;
  uint32_t owner_company = kNone;
};

struct Account {
  std::string iban;
  uint16_t bank = 0;  // index into Banks()
  uint32_t holder_person = kNone;
  uint32_t holder_company = kNone;
  int32_t opened = 0;  // days
};

struct WorldOptions {
  uint64_t persons = 20000;
  uint64_t seed = 1;
  int32_t export_day = 0;  // days; the day the exports are taken
};

struct World {
  WorldOptions options;
  std::vector<Person> persons;
  std::vector<Group> groups;
  std::vector<Company> companies;
  std::vector<Vehicle> vehicles;
  std::vector<Account> accounts;
  // Next unused serials, for fresh values the writers need later (planted bad rows).
  std::array<uint64_t, kCountryCount> plate_serial{};
  uint64_t account_serial = 0;
};

World BuildWorld(const WorldOptions& options);

// ---- Rendering helpers shared by the source writers --------------------------------------

std::string_view GivenName(const Person& p);
std::string_view FamilyName(const Person& p);
std::string_view FatherName(const Person& p);
std::string TruePersonId(uint32_t person);  // "P00000042"

// A document the person holds: passport of each nationality, identity card of the first
// for the regional countries whose cards are accepted at Albanian borders.
struct Document {
  Country country;
  DocumentKind kind;
  std::string number;
};
std::vector<Document> Documents(const Person& p, uint32_t person);

// "Rruga e Kavajës 12, Tiranë", "Atatürk Caddesi No:12, İzmir", "Via Roma 12, 70121 Bari".
std::string FormatAddress(const Address& a);
std::string_view CityName(uint16_t city);

// "1234.56" from cents.
std::string FormatAmount(int64_t cents);

}  // namespace ura::generate
