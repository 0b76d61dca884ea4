#include "generate/world.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "generate/calendar.h"
#include "generate/text.h"

namespace ura::generate {

namespace {

struct Weighted {
  int value;
  uint32_t weight;
};

int Draw(Random& rng, std::initializer_list<Weighted> items) {
  std::vector<uint32_t> weights;
  for (const Weighted& item : items) weights.push_back(item.weight);
  return (items.begin() + rng.Weighted(weights))->value;
}

constexpr int C(Country c) { return static_cast<int>(c); }
constexpr int K(Culture c) { return static_cast<int>(c); }

Country DrawNationality(Random& rng) {
  return static_cast<Country>(Draw(rng, {{C(Country::kAL), 45},
                                         {C(Country::kXK), 10},
                                         {C(Country::kTR), 8},
                                         {C(Country::kRS), 9},
                                         {C(Country::kME), 5},
                                         {C(Country::kMK), 7},
                                         {C(Country::kBA), 3},
                                         {C(Country::kGR), 6},
                                         {C(Country::kIT), 7}}));
}

Culture DrawCulture(Random& rng, Country nationality) {
  switch (nationality) {
    case Country::kAL:
      return static_cast<Culture>(
          Draw(rng, {{K(Culture::kAlbanian), 97}, {K(Culture::kGreek), 3}}));
    case Country::kXK:
      return static_cast<Culture>(Draw(
          rng,
          {{K(Culture::kAlbanian), 90}, {K(Culture::kSerbian), 7}, {K(Culture::kBosniak), 3}}));
    case Country::kMK:
      return static_cast<Culture>(Draw(
          rng,
          {{K(Culture::kMacedonian), 65}, {K(Culture::kAlbanian), 30}, {K(Culture::kTurkish), 5}}));
    case Country::kME:
      return static_cast<Culture>(Draw(rng, {{K(Culture::kMontenegrin), 60},
                                             {K(Culture::kSerbian), 15},
                                             {K(Culture::kAlbanian), 15},
                                             {K(Culture::kBosniak), 10}}));
    case Country::kRS:
      return static_cast<Culture>(Draw(
          rng,
          {{K(Culture::kSerbian), 85}, {K(Culture::kBosniak), 8}, {K(Culture::kAlbanian), 7}}));
    case Country::kBA:
      return static_cast<Culture>(
          Draw(rng, {{K(Culture::kBosniak), 60}, {K(Culture::kSerbian), 40}}));
    case Country::kTR:
      return Culture::kTurkish;
    case Country::kGR:
      return static_cast<Culture>(
          Draw(rng, {{K(Culture::kGreek), 90}, {K(Culture::kAlbanian), 10}}));
    case Country::kIT:
      return static_cast<Culture>(
          Draw(rng, {{K(Culture::kItalian), 88}, {K(Culture::kAlbanian), 12}}));
    default:
      return Culture::kAlbanian;
  }
}

Country DrawResidence(Random& rng, Country nationality) {
  switch (nationality) {
    case Country::kAL:
      return static_cast<Country>(Draw(rng, {{C(Country::kAL), 85},
                                             {C(Country::kIT), 6},
                                             {C(Country::kGR), 5},
                                             {C(Country::kDE), 4}}));
    case Country::kXK:
      return static_cast<Country>(Draw(rng, {{C(Country::kXK), 88},
                                             {C(Country::kAL), 4},
                                             {C(Country::kDE), 5},
                                             {C(Country::kCH), 3}}));
    case Country::kTR:
      return static_cast<Country>(
          Draw(rng, {{C(Country::kTR), 85}, {C(Country::kAL), 10}, {C(Country::kDE), 5}}));
    case Country::kRS:
      return static_cast<Country>(Draw(rng, {{C(Country::kRS), 95}, {C(Country::kME), 5}}));
    case Country::kME:
      return static_cast<Country>(
          Draw(rng, {{C(Country::kME), 92}, {C(Country::kAL), 3}, {C(Country::kRS), 5}}));
    case Country::kMK:
      return static_cast<Country>(
          Draw(rng, {{C(Country::kMK), 90}, {C(Country::kAL), 5}, {C(Country::kDE), 5}}));
    case Country::kBA:
      return static_cast<Country>(Draw(rng, {{C(Country::kBA), 90}, {C(Country::kAT), 10}}));
    case Country::kGR:
      return static_cast<Country>(Draw(rng, {{C(Country::kGR), 90}, {C(Country::kAL), 10}}));
    case Country::kIT:
      return static_cast<Country>(Draw(rng, {{C(Country::kIT), 88}, {C(Country::kAL), 12}}));
    default:
      return nationality;
  }
}

// A second citizenship, or the first nationality itself when there is none.
Country DrawSecondNationality(Random& rng, const Person& p) {
  bool abroad =
      p.residence != p.nationality &&
      (p.residence == Country::kIT || p.residence == Country::kGR || p.residence == Country::kDE ||
       p.residence == Country::kAT || p.residence == Country::kCH);
  if (abroad && rng.Chance(0.3)) return p.residence;
  if (!rng.Chance(0.06)) return p.nationality;
  switch (p.nationality) {
    case Country::kAL:
      return static_cast<Country>(
          Draw(rng, {{C(Country::kIT), 40}, {C(Country::kGR), 40}, {C(Country::kDE), 20}}));
    case Country::kXK:
      return static_cast<Country>(Draw(rng, {{C(Country::kAL), 70}, {C(Country::kDE), 30}}));
    case Country::kMK:
      return p.culture == Culture::kAlbanian ? Country::kAL : p.nationality;
    case Country::kME:
      return Country::kRS;
    case Country::kRS:
      return Country::kME;
    case Country::kBA:
      return Country::kRS;
    case Country::kTR:
      return Country::kDE;
    case Country::kGR:
      return Country::kAL;
    case Country::kIT:
      return Country::kAL;
    default:
      return p.nationality;
  }
}

Culture DrawGroupCulture(Random& rng) {
  return static_cast<Culture>(Draw(rng, {{K(Culture::kAlbanian), 60},
                                         {K(Culture::kTurkish), 6},
                                         {K(Culture::kSerbian), 10},
                                         {K(Culture::kMontenegrin), 6},
                                         {K(Culture::kMacedonian), 6},
                                         {K(Culture::kBosniak), 4},
                                         {K(Culture::kItalian), 5},
                                         {K(Culture::kGreek), 3}}));
}

class WorldBuilder {
 public:
  explicit WorldBuilder(const WorldOptions& options) : seed_(options.seed) {
    world_.options = options;
    for (size_t i = 0; i < Cities().size(); ++i) {
      cities_by_country_[static_cast<int>(Cities()[i].country)].push_back(static_cast<uint16_t>(i));
    }
    for (size_t i = 0; i < Banks().size(); ++i) {
      banks_by_country_[static_cast<int>(Banks()[i].country)].push_back(static_cast<uint16_t>(i));
    }
  }

  World Build() {
    BuildPersons();
    BuildGroups();
    BuildCompanies();
    BuildVehicles();
    BuildAccounts();
    return std::move(world_);
  }

 private:
  Address RandomAddress(Random& rng, Country country) {
    Address a;
    a.country = country;
    a.city = rng.Pick(cities_by_country_[static_cast<int>(country)]);
    a.street = static_cast<uint16_t>(rng.Uniform(Streets(country).size()));
    a.number = static_cast<uint16_t>(rng.Range(1, 180));
    return a;
  }

  Phone NextPhone(Country country) {
    return MakePhone(country, phone_serial_[static_cast<int>(country)]++);
  }

  void BuildPersons() {
    Random rng = Random::ForPhase(seed_, "persons");
    const int32_t first_birth = DaysFromCivil(1955, 1, 1);
    const int32_t last_birth = DaysFromCivil(2006, 12, 31);
    std::unordered_map<uint64_t, uint32_t> serials;  // (country, birth, sex) → next serial
    std::unordered_set<std::string> codici;
    uint64_t kosovo_serial = 0, turkish_serial = 0;
    world_.persons.resize(world_.options.persons);
    for (size_t i = 0; i < world_.persons.size(); ++i) {
      Person& p = world_.persons[i];
      p.nationality = DrawNationality(rng);
      p.culture = DrawCulture(rng, p.nationality);
      p.residence = DrawResidence(rng, p.nationality);
      p.second_nationality = DrawSecondNationality(rng, p);
      p.has_second_nationality = p.second_nationality != p.nationality;
      p.female = rng.Chance(0.42);  // suspects and travellers skew male
      const NamePool& pool = Names(p.culture);
      p.given =
          static_cast<uint16_t>(rng.Uniform(p.female ? pool.female.size() : pool.male.size()));
      p.family = static_cast<uint16_t>(rng.Uniform(pool.family.size()));
      p.father = static_cast<uint16_t>(rng.Uniform(pool.male.size()));
      uint64_t span = static_cast<uint64_t>(last_birth - first_birth);
      p.birth = first_birth + static_cast<int32_t>((rng.Uniform(span) + rng.Uniform(span)) / 2);
      Country born_in = p.nationality;
      if ((p.culture == Culture::kAlbanian || p.culture == Culture::kGreek) &&
          (p.nationality == Country::kGR || p.nationality == Country::kIT)) {
        born_in = Country::kAL;
      }
      p.birth_city = rng.Pick(cities_by_country_[static_cast<int>(born_in)]);
      p.address = RandomAddress(rng, p.residence);
      p.phone = NextPhone(p.residence);

      CivilDate birth = CivilFromDays(p.birth);
      uint64_t key =
          (uint64_t(p.nationality) << 40) | (uint64_t(uint32_t(p.birth)) << 1) | (p.female ? 1 : 0);
      switch (p.nationality) {
        case Country::kAL:
          // Serials for one birth date and sex start at a random-looking place and step by
          // 7 (coprime to 1000), so the first thousand are distinct.
          p.personal_number.Set(AlbanianPersonalNumber(
              birth, p.female,
              static_cast<uint32_t>((Random::SplitMix64(key) + 7 * uint64_t{serials[key]++}) %
                                    1000)));
          break;
        case Country::kXK:
          p.personal_number.Set(KosovoPersonalNumber(kosovo_serial++));
          break;
        case Country::kRS:
        case Country::kME:
        case Country::kMK:
        case Country::kBA: {
          uint32_t region_base = p.nationality == Country::kRS   ? 71
                                 : p.nationality == Country::kME ? 21
                                 : p.nationality == Country::kMK ? 41
                                                                 : 10;
          uint32_t region = region_base + static_cast<uint32_t>(rng.Uniform(9));
          uint64_t jkey = key ^ (uint64_t(region) << 48);
          std::string jmbg;
          while (jmbg.empty()) {
            uint32_t s = serials[jkey]++;
            jmbg = Jmbg(birth, region, (p.female ? 500 : 0) + s % 500);
          }
          p.personal_number.Set(jmbg);
          break;
        }
        case Country::kTR:
          p.personal_number.Set(TurkishIdentityNumber(turkish_serial++));
          break;
        case Country::kGR:
          p.personal_number.Set(Amka(birth, serials[key]++));
          break;
        case Country::kIT: {
          const City& city = Cities()[p.birth_city];
          std::string belfiore =
              city.country == Country::kIT ? city.belfiore : ForeignBelfiore(city.country);
          std::string code = CodiceFiscale(FamilyName(p), GivenName(p), birth, p.female, belfiore);
          for (int level = 1; codici.count(code) != 0 && level <= 7; ++level) {
            code = CodiceFiscaleOmocodia(code, level);
          }
          codici.insert(code);
          p.personal_number.Set(code);
          break;
        }
        default:
          break;
      }
    }
  }

  void BuildGroups() {
    Random rng = Random::ForPhase(seed_, "groups");
    const uint64_t n = world_.persons.size();
    uint64_t target = std::max<uint64_t>(6, n * 5 / 100);
    std::array<std::vector<uint32_t>, kCultureCount> by_culture;
    std::vector<uint32_t> everyone(n);
    for (uint32_t i = 0; i < n; ++i) {
      by_culture[static_cast<int>(world_.persons[i].culture)].push_back(i);
      everyone[i] = i;
    }
    for (auto& list : by_culture) rng.Shuffle(list);
    rng.Shuffle(everyone);
    std::array<size_t, kCultureCount> next{};
    size_t next_anyone = 0;
    auto take = [&](Culture culture) -> uint32_t {
      auto& list = by_culture[static_cast<int>(culture)];
      size_t& k = next[static_cast<int>(culture)];
      while (k < list.size() && world_.persons[list[k]].group != kNone) ++k;
      if (k < list.size()) return list[k++];
      while (next_anyone < everyone.size() &&
             world_.persons[everyone[next_anyone]].group != kNone) {
        ++next_anyone;
      }
      return next_anyone < everyone.size() ? everyone[next_anyone++] : kNone;
    };
    uint64_t members = 0;
    while (members < target) {
      Group g;
      g.culture = DrawGroupCulture(rng);
      int size = static_cast<int>(rng.Range(3, 12));
      uint32_t id = static_cast<uint32_t>(world_.groups.size());
      for (int k = 0; k < size; ++k) {
        Culture c = rng.Chance(0.8) ? g.culture : world_.persons[rng.Uniform(n)].culture;
        uint32_t person = take(c);
        if (person == kNone) break;
        Person& p = world_.persons[person];
        p.group = id;
        p.role = k == 0                ? Role::kOrganiser
                 : k == 1 && size >= 5 ? Role::kFinancier
                 : rng.Chance(0.45)    ? Role::kCourier
                                       : Role::kAssociate;
        g.members.push_back(person);
      }
      if (g.members.size() < 3) {  // ran out of people (tiny worlds)
        for (uint32_t m : g.members)
          world_.persons[m].group = kNone, world_.persons[m].role = Role::kNone;
        break;
      }
      members += g.members.size();
      g.base = world_.persons[g.members[0]].residence;
      int phones = 1 + static_cast<int>(g.members.size()) / 5;
      for (int k = 0; k < phones; ++k) g.phones.push_back(NextPhone(g.base));
      int houses = static_cast<int>(rng.Range(1, 2));
      for (int k = 0; k < houses; ++k) g.addresses.push_back(RandomAddress(rng, g.base));
      for (uint32_t m : g.members) {
        Person& p = world_.persons[m];
        if (p.residence == g.base && rng.Chance(0.35)) p.address = rng.Pick(g.addresses);
      }
      static constexpr uint16_t kMainCharges[] = {0, 0, 0, 2, 6, 11, 8};  // see Charges()
      g.charges.push_back(kMainCharges[rng.Uniform(std::size(kMainCharges))]);
      if (rng.Chance(0.6)) g.charges.push_back(7);  // structured criminal group
      if (rng.Chance(0.4)) g.charges.push_back(1);  // money laundering
      if (rng.Chance(0.2)) g.charges.push_back(3);  // weapons
      world_.groups.push_back(std::move(g));
    }
  }

  std::string CompanyName(Random& rng, Country country) {
    std::string core = std::string(rng.Pick(CompanyWords())) + " " + rng.Pick(CompanyTrades());
    const char* form = "sh.p.k.";
    switch (country) {
      case Country::kTR:
        form = "Ltd. Şti.";
        break;
      case Country::kIT:
        form = "S.r.l.";
        break;
      case Country::kGR:
        form = "E.P.E.";
        break;
      case Country::kRS:
      case Country::kME:
      case Country::kBA:
        form = "d.o.o.";
        break;
      case Country::kMK:
        form = "DOOEL";
        break;
      case Country::kDE:
      case Country::kAT:
        form = "GmbH";
        break;
      case Country::kCH:
        form = "AG";
        break;
      default:
        break;
    }
    if ((country == Country::kAL || country == Country::kXK) && rng.Chance(0.25)) {
      return "\"" + core + "\" " + (rng.Chance(0.5) ? "shpk" : form);
    }
    return core + " " + form;
  }

  uint32_t AddCompany(Random& rng, Country country, const Address& address, uint32_t group) {
    Company c;
    c.country = country;
    c.name = CompanyName(rng, country);
    c.number = CompanyNumber(country, company_serial_[static_cast<int>(country)]++);
    c.address = address;
    c.group = group;
    world_.companies.push_back(std::move(c));
    return static_cast<uint32_t>(world_.companies.size() - 1);
  }

  void BuildCompanies() {
    Random rng = Random::ForPhase(seed_, "companies");
    for (uint32_t g = 0; g < world_.groups.size(); ++g) {
      Group& group = world_.groups[g];
      if (rng.Chance(0.6)) group.company = AddCompany(rng, group.base, group.addresses[0], g);
    }
    uint64_t legit = std::max<uint64_t>(5, world_.persons.size() / 150);
    for (uint64_t k = 0; k < legit; ++k) {
      Country country = static_cast<Country>(Draw(rng, {{C(Country::kAL), 75},
                                                        {C(Country::kXK), 8},
                                                        {C(Country::kIT), 5},
                                                        {C(Country::kTR), 4},
                                                        {C(Country::kGR), 4},
                                                        {C(Country::kMK), 4}}));
      AddCompany(rng, country, RandomAddress(rng, country), kNone);
    }
  }

  uint32_t AddVehicle(Random& rng, Country country, uint32_t person, uint32_t company) {
    Vehicle v;
    v.country = country;
    v.plate = PlateNumber(country, world_.plate_serial[static_cast<int>(country)]++);
    std::vector<uint32_t> weights;
    for (const CarModel& m : CarModels()) weights.push_back(m.weight);
    v.model = static_cast<uint16_t>(rng.Weighted(weights));
    v.year = static_cast<int32_t>(rng.Range(1998, 2025));
    v.vin = Vin(CarModels()[v.model].wmi, v.year, world_.vehicles.size());
    v.colour = static_cast<uint16_t>(rng.Uniform(Colours().size()));
    int32_t from = std::max(DaysFromCivil(v.year, 1, 1), DaysFromCivil(2008, 1, 1));
    if (person != kNone) from = std::max(from, world_.persons[person].birth + 18 * 365 + 5);
    from = std::min(from, world_.options.export_day - 1);
    v.registered = static_cast<int32_t>(rng.Range(from, world_.options.export_day - 1));
    v.owner_person = person;
    v.owner_company = company;
    world_.vehicles.push_back(std::move(v));
    uint32_t index = static_cast<uint32_t>(world_.vehicles.size() - 1);
    if (person != kNone && world_.persons[person].vehicle == kNone) {
      world_.persons[person].vehicle = index;
    }
    return index;
  }

  void BuildVehicles() {
    Random rng = Random::ForPhase(seed_, "vehicles");
    for (uint32_t i = 0; i < world_.persons.size(); ++i) {
      const Person& p = world_.persons[i];
      bool owns = p.residence == Country::kAL ? rng.Chance(0.15) : rng.Chance(0.3);
      if (!owns) continue;
      AddVehicle(rng, p.residence, i, kNone);
      if (rng.Chance(0.2)) AddVehicle(rng, p.residence, i, kNone);
    }
    for (Group& g : world_.groups) {
      int shared = 1 + (g.members.size() > 6 ? 1 : 0);
      for (int k = 0; k < shared; ++k) {
        if (g.company != kNone && rng.Chance(0.4)) {
          g.vehicles.push_back(
              AddVehicle(rng, world_.companies[g.company].country, kNone, g.company));
          continue;
        }
        uint32_t owner = g.members[0];
        for (uint32_t m : g.members) {
          if (world_.persons[m].residence == Country::kAL && rng.Chance(0.5)) {
            owner = m;
            break;
          }
        }
        g.vehicles.push_back(AddVehicle(rng, world_.persons[owner].residence, owner, kNone));
      }
    }
    for (uint32_t c = 0; c < world_.companies.size(); ++c) {
      if (world_.companies[c].group != kNone) continue;
      int fleet = static_cast<int>(rng.Range(0, 4));
      for (int k = 0; k < fleet; ++k) AddVehicle(rng, world_.companies[c].country, kNone, c);
    }
  }

  uint16_t DrawBank(Random& rng, Country home) {
    const auto& local = banks_by_country_[static_cast<int>(home)];
    if (!local.empty() && rng.Chance(0.8)) return rng.Pick(local);
    if (rng.Chance(0.6)) return rng.Pick(banks_by_country_[static_cast<int>(Country::kAL)]);
    return static_cast<uint16_t>(rng.Uniform(Banks().size()));
  }

  uint32_t AddAccount(Random& rng, uint16_t bank, uint32_t person, uint32_t company,
                      int32_t earliest) {
    Account a;
    a.bank = bank;
    a.iban = MakeIban(Banks()[bank], world_.account_serial++);
    a.holder_person = person;
    a.holder_company = company;
    int32_t from = std::max(earliest, DaysFromCivil(2005, 1, 1));
    a.opened = static_cast<int32_t>(rng.Range(from, world_.options.export_day - 60));
    world_.accounts.push_back(std::move(a));
    return static_cast<uint32_t>(world_.accounts.size() - 1);
  }

  void BuildAccounts() {
    Random rng = Random::ForPhase(seed_, "accounts");
    for (uint32_t i = 0; i < world_.persons.size(); ++i) {
      Person& p = world_.persons[i];
      if (p.group == kNone && !rng.Chance(0.22)) continue;
      int32_t adult = p.birth + 18 * 365 + 5;
      int count = rng.Chance(0.2) ? 2 : 1;
      for (int k = 0; k < count; ++k) {
        uint32_t a = AddAccount(rng, DrawBank(rng, p.residence), i, kNone, adult);
        if (p.account == kNone) p.account = a;
      }
    }
    std::vector<int32_t> company_accounts(world_.companies.size(), -1);
    for (uint32_t c = 0; c < world_.companies.size(); ++c) {
      const Company& company = world_.companies[c];
      int count = static_cast<int>(rng.Range(1, company.group != kNone ? 2 : 3));
      for (int k = 0; k < count; ++k) {
        uint16_t bank = company.group != kNone && rng.Chance(0.3)
                            ? static_cast<uint16_t>(rng.Uniform(Banks().size()))
                            : DrawBank(rng, company.country);
        uint32_t a = AddAccount(rng, bank, kNone, c, DaysFromCivil(2005, 1, 1));
        if (company.group != kNone) world_.groups[company.group].accounts.push_back(a);
      }
    }
    for (Group& g : world_.groups) {
      for (uint32_t m : g.members) {
        if (world_.persons[m].account != kNone) g.accounts.push_back(world_.persons[m].account);
      }
    }
  }

  uint64_t seed_;
  World world_;
  std::array<std::vector<uint16_t>, kCountryCount> cities_by_country_;
  std::array<std::vector<uint16_t>, kCountryCount> banks_by_country_;
  std::array<uint64_t, kCountryCount> phone_serial_{};
  std::array<uint64_t, kCountryCount> company_serial_{};
};

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kOrganiser:
      return "organiser";
    case Role::kFinancier:
      return "financier";
    case Role::kCourier:
      return "courier";
    case Role::kAssociate:
      return "associate";
    case Role::kNone:
      break;
  }
  return "suspect";
}

World BuildWorld(const WorldOptions& options) { return WorldBuilder(options).Build(); }

std::string_view GivenName(const Person& p) {
  const NamePool& pool = Names(p.culture);
  return p.female ? pool.female[p.given] : pool.male[p.given];
}
std::string_view FamilyName(const Person& p) { return Names(p.culture).family[p.family]; }
std::string_view FatherName(const Person& p) { return Names(p.culture).male[p.father]; }

std::string TruePersonId(uint32_t person) {
  std::string digits = std::to_string(person + 1);
  return "P" + std::string(digits.size() < 8 ? 8 - digits.size() : 0, '0') + digits;
}

std::vector<Document> Documents(const Person& p, uint32_t person) {
  std::vector<Document> docs;
  docs.push_back({p.nationality, DocumentKind::kPassport,
                  DocumentNumber(p.nationality, DocumentKind::kPassport, person)});
  switch (p.nationality) {
    case Country::kAL:
    case Country::kXK:
    case Country::kMK:
    case Country::kME:
    case Country::kRS:
    case Country::kBA:
      docs.push_back({p.nationality, DocumentKind::kIdCard,
                      DocumentNumber(p.nationality, DocumentKind::kIdCard, person)});
      break;
    default:
      break;
  }
  if (p.has_second_nationality) {
    docs.push_back({p.second_nationality, DocumentKind::kPassport,
                    DocumentNumber(p.second_nationality, DocumentKind::kPassport, person)});
  }
  return docs;
}

std::string_view CityName(uint16_t city) { return Cities()[city].name; }

std::string FormatAddress(const Address& a) {
  const City& city = Cities()[a.city];
  std::string street = Streets(a.country)[a.street];
  std::string number = std::to_string(a.number);
  switch (a.country) {
    case Country::kTR:
      return street + " No:" + number + ", " + city.name;
    case Country::kGR:
    case Country::kIT:
    case Country::kDE:
    case Country::kAT:
    case Country::kCH:
      return street + " " + number + ", " + city.postal_code + " " + city.name;
    default:
      return street + " " + number + ", " + city.name;
  }
}

std::string FormatAmount(int64_t cents) {
  std::string out = std::to_string(cents / 100);
  int64_t frac = cents % 100;
  out.push_back('.');
  out.push_back(static_cast<char>('0' + frac / 10));
  out.push_back(static_cast<char>('0' + frac % 10));
  return out;
}

}  // namespace ura::generate
