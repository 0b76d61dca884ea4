// cases/cases.json: the case-management system's export, one JSON document with an array of
// cases, each with its suspects. A suspect is a CMS person record (person_ref) that may
// appear in several cases; names are typed by officers (diacritics often kept, sometimes
// family name first, sometimes with the father's name), dates in the officer's format.
#include <algorithm>
#include <cstdint>
#include <map>

#include "generate/calendar.h"
#include "generate/sources.h"

namespace ura::generate {

namespace {

constexpr char kFile[] = "cases/cases.json";
constexpr char kSource[] = "cases";

struct CmsRecord {
  uint32_t person = kNone;
  std::string ref;
  std::string full_name;
  std::vector<std::string> aliases;
  CivilDate dob{};
  bool has_dob = true;
  std::string place;
  std::string nationality;
  std::string id_number;
  std::vector<std::string> phones;
  std::string address;
  bool in_truth = false;
};

struct Case {
  int32_t opened = 0;
  uint32_t seq = 0;
  uint8_t unit = 0;
  uint8_t title = 0;
  bool open = false;
  bool iso_dates = false;          // this officer writes YYYY-MM-DD, the others DD/MM/YYYY
  std::vector<uint32_t> suspects;  // record indices
  std::vector<uint16_t> charges;
};

class CasesWriter {
 public:
  explicit CasesWriter(SourceContext& ctx)
      : ctx_(ctx), world_(*ctx.world), random_(Random::ForPhase(ctx.seed, "cases")) {}

  Result<FileStats> Write() {
    BuildRecords();
    BuildCases();
    FileStats stats;
    stats.path = kFile;
    URA_ASSIGN_OR_RETURN(auto out, OpenOutput(ctx_, kFile));
    std::string head = "{\"export\": {\"system\": \"CMS\", \"generated\": \"";
    AppendDate(head, world_.options.export_day, "YYYY-MM-DD");
    head += "T05:30:00Z\"},\n\"cases\": [\n";
    out->Write(head);
    BadRowPlanter planter(ctx_, stats, "cases-bad");
    EntityTally tally;
    std::map<std::string, uint64_t> serials;  // "TR-2024" → last number
    std::string line;
    for (const Case& c : cases_) {
      const Unit& unit = Units()[c.unit];
      std::string series =
          std::string(unit.prefix) + "-" + std::to_string(CivilFromDays(c.opened).year);
      if (planter.Plant()) {
        const char* kind = planter.PickKind({kMissingKey, kBadDate});
        std::string id = std::string_view(kind) == kMissingKey
                             ? std::string()
                             : series + "-" + Padded(++serials[series], 6);
        std::string opened = IsoDate(c.opened);
        std::string bad_dob;
        size_t bad_suspect = c.suspects.size();
        if (std::string_view(kind) == kBadDate) {
          // An impossible date of birth for one suspect, or an impossible opening date.
          for (size_t k = 0; k < c.suspects.size(); ++k) {
            if (records_[c.suspects[k]].has_dob) bad_suspect = k;
          }
          if (bad_suspect < c.suspects.size() && planter.random().Chance(0.6)) {
            bad_dob = BadDate(c.iso_dates ? "YYYY-MM-DD" : "DD/MM/YYYY", planter.random());
          } else {
            bad_suspect = c.suspects.size();
            opened = BadDate("YYYY-MM-DD", planter.random());
          }
        }
        line.clear();
        if (stats.rows > 0) line += ",\n";
        RenderCase(line, c, id, opened, bad_suspect, bad_dob);
        out->Write(line);
        ++stats.rows;
        planter.Record(stats.rows, kind);
      }
      std::string id = series + "-" + Padded(++serials[series], 6);
      line.clear();
      if (stats.rows > 0) line += ",\n";
      RenderCase(line, c, id, IsoDate(c.opened));
      out->Write(line);
      ++stats.rows;
      tally.Add("Case", kSource, "case", {id});
      for (uint32_t r : c.suspects) {
        CmsRecord& rec = records_[r];
        tally.Add("Person", kSource, "person", {rec.ref});
        tally.Add("CaseMembership", kSource, "membership", {id, rec.ref});
        if (!rec.in_truth) {
          rec.in_truth = true;
          WriteTruthPerson(ctx_, rec.person, kSource, rec.ref);
        }
      }
    }
    out->Write("\n]}\n");
    URA_RETURN_IF_ERROR(out->Close());
    FinishTally(ctx_, tally, stats);
    return stats;
  }

 private:
  static std::string IsoDate(int32_t day) {
    std::string s;
    AppendDate(s, day, "YYYY-MM-DD");
    return s;
  }

  // As an officer types it: Albanian numbers often nationally ("069 123 4567"), foreign ones
  // with their country code.
  std::string TypedPhone(const Phone& phone) {
    uint64_t style = random_.Uniform(10);
    if (phone.country == Country::kAL) {
      return FormatPhone(phone, style < 5   ? PhoneStyle::kNational
                                : style < 9 ? PhoneStyle::kInternational
                                            : PhoneStyle::kCompact);
    }
    return FormatPhone(phone, style < 7 ? PhoneStyle::kInternational : PhoneStyle::kDoubleZero);
  }

  CmsRecord MakeRecord(uint32_t person) {
    const Person& p = world_.persons[person];
    CmsRecord r;
    r.person = person;
    std::string given(GivenName(p)), family(FamilyName(p));
    if (p.culture == Culture::kAlbanian && random_.Chance(0.1)) {
      family = AlbanianSurnameVariant(family, random_);
    }
    bool ascii = random_.Chance(0.3);
    FoldStyle style = random_.Chance(0.5) ? FoldStyle::kSerbian : FoldStyle::kIcao;
    auto typed = [&](const std::string& s) { return ascii ? FoldToAscii(s, style) : s; };
    if (random_.Chance(0.04)) {
      if (random_.Chance(0.5)) {
        family = Typo(family, random_);
      } else {
        given = Typo(given, random_);
      }
    }
    uint64_t order = random_.Uniform(100);
    if (order < 75) {
      bool father = p.culture == Culture::kAlbanian && random_.Chance(0.08);
      r.full_name = typed(given) + (father ? " " + typed(std::string(FatherName(p))) : "") + " " +
                    typed(family);
    } else if (order < 95) {
      r.full_name = typed(family) + " " + typed(given);
    } else {
      r.full_name = ToUpper(typed(family), p.culture == Culture::kTurkish) + " " + typed(given);
    }
    if (random_.Chance(0.2)) {
      int n = static_cast<int>(random_.Range(1, 2));
      for (int k = 0; k < n; ++k) {
        if (random_.Chance(0.6)) {
          r.aliases.push_back(random_.Pick(Nicknames()));
        } else {
          std::string other = p.culture == Culture::kAlbanian
                                  ? AlbanianSurnameVariant(FamilyName(p), random_)
                                  : std::string(FamilyName(p));
          r.aliases.push_back(FoldToAscii(std::string(GivenName(p)) + " " + other));
        }
      }
    }
    r.dob = CivilFromDays(p.birth);
    if (random_.Chance(0.01) && r.dob.day <= 12 && r.dob.day != r.dob.month) {
      std::swap(r.dob.day, r.dob.month);
    } else if (random_.Chance(0.01)) {
      r.dob.year += random_.Chance(0.5) ? 1 : -1;
      if (!IsValidCivil(r.dob.year, r.dob.month, r.dob.day)) r.dob.day = 28;
    }
    r.has_dob = !random_.Chance(0.05);
    r.place = typed(std::string(CityName(p.birth_city)));
    Country nationality =
        p.has_second_nationality && random_.Chance(0.1) ? p.second_nationality : p.nationality;
    r.nationality = Info(nationality).alpha2;
    double id_chance = p.nationality == Country::kAL ? 0.7 : 0.3;
    if (random_.Chance(id_chance)) {
      r.id_number = random_.Chance(0.8) ? std::string(p.personal_number.view())
                                        : Documents(p, person)[0].number;
    }
    if (!random_.Chance(0.1)) r.phones.push_back(TypedPhone(p.phone));
    if (p.group != kNone && random_.Chance(0.6)) {
      r.phones.push_back(TypedPhone(random_.Pick(world_.groups[p.group].phones)));
    }
    if (!random_.Chance(0.1)) r.address = typed(FormatAddress(p.address));
    return r;
  }

  void BuildRecords() {
    record_of_.assign(world_.persons.size(), kNone);
    second_record_of_.assign(world_.persons.size(), kNone);
    std::vector<uint32_t> people;
    for (uint32_t i = 0; i < world_.persons.size(); ++i) {
      if (world_.persons[i].group != kNone || random_.Chance(0.03)) people.push_back(i);
    }
    for (uint32_t person : people) {
      record_of_[person] = static_cast<uint32_t>(records_.size());
      records_.push_back(MakeRecord(person));
      if (random_.Chance(0.03)) {  // registered twice under different refs
        second_record_of_[person] = static_cast<uint32_t>(records_.size());
        records_.push_back(MakeRecord(person));
      }
    }
    std::vector<uint32_t> order(records_.size());
    for (uint32_t k = 0; k < order.size(); ++k) order[k] = k;
    random_.Shuffle(order);
    for (uint32_t k = 0; k < order.size(); ++k) {
      records_[order[k]].ref = "CMS-P-" + Padded(k + 1, 6);
    }
  }

  uint32_t RecordFor(uint32_t person) {
    uint32_t second = second_record_of_[person];
    return second != kNone && random_.Chance(0.5) ? second : record_of_[person];
  }

  void NewCase(std::vector<uint32_t> suspects, std::vector<uint16_t> charges) {
    Case c;
    c.seq = static_cast<uint32_t>(cases_.size());
    int32_t first = DaysFromCivil(2016, 1, 1), last = world_.options.export_day - 1;
    for (uint32_t r : suspects) {  // no one is a suspect before 16
      first = std::max(first, world_.persons[records_[r].person].birth + 16 * 365 + 4);
    }
    first = std::min(first, last);
    c.opened = static_cast<int32_t>(random_.Range(first, last));
    c.open = random_.Chance(last - c.opened < 730 ? 0.7 : 0.2);
    c.unit = static_cast<uint8_t>(random_.Uniform(Units().size()));
    c.title = static_cast<uint8_t>(random_.Uniform(CaseTitles().size()));
    c.iso_dates = random_.Chance(0.4);
    c.suspects = std::move(suspects);
    c.charges = std::move(charges);
    cases_.push_back(std::move(c));
  }

  void BuildCases() {
    for (const Group& g : world_.groups) {
      int count = random_.CountWithTail(0.45, 4);
      for (int k = 0; k < count; ++k) {
        std::vector<uint32_t> members = g.members;
        random_.Shuffle(members);
        size_t size = static_cast<size_t>(random_.Range(2, static_cast<int64_t>(members.size())));
        members.resize(size);
        if (std::find(members.begin(), members.end(), g.members[0]) == members.end() &&
            random_.Chance(0.7)) {
          members.back() = g.members[0];
        }
        std::vector<uint32_t> suspects;
        for (uint32_t m : members) {
          uint32_t r = RecordFor(m);
          if (std::find(suspects.begin(), suspects.end(), r) == suspects.end())
            suspects.push_back(r);
        }
        std::vector<uint16_t> charges;
        for (uint16_t ch : g.charges) {
          if (charges.empty() || random_.Chance(0.7)) charges.push_back(ch);
        }
        NewCase(std::move(suspects), std::move(charges));
      }
    }
    // People outside groups: cases of one to three suspects; some appear in a second case.
    std::vector<uint32_t> loners;
    for (uint32_t r = 0; r < records_.size(); ++r) {
      if (world_.persons[records_[r].person].group == kNone) loners.push_back(r);
    }
    random_.Shuffle(loners);
    size_t first_loner_case = cases_.size();
    for (size_t k = 0; k < loners.size();) {
      size_t size = std::min<size_t>(static_cast<size_t>(random_.Range(1, 3)), loners.size() - k);
      std::vector<uint32_t> suspects(loners.begin() + static_cast<std::ptrdiff_t>(k),
                                     loners.begin() + static_cast<std::ptrdiff_t>(k + size));
      k += size;
      std::vector<uint16_t> charges{static_cast<uint16_t>(random_.Uniform(Charges().size()))};
      if (random_.Chance(0.3))
        charges.push_back(static_cast<uint16_t>(random_.Uniform(Charges().size())));
      if (charges.size() == 2 && charges[0] == charges[1]) charges.pop_back();
      NewCase(std::move(suspects), std::move(charges));
    }
    size_t loner_cases = cases_.size() - first_loner_case;
    if (loner_cases > 1) {
      for (uint32_t r : loners) {
        if (!random_.Chance(0.25)) continue;
        Case& c = cases_[first_loner_case + random_.Uniform(loner_cases)];
        bool adult = c.opened >= world_.persons[records_[r].person].birth + 16 * 365 + 4;
        if (adult && std::find(c.suspects.begin(), c.suspects.end(), r) == c.suspects.end()) {
          c.suspects.push_back(r);
        }
      }
    }
    std::sort(cases_.begin(), cases_.end(), [](const Case& a, const Case& b) {
      return a.opened != b.opened ? a.opened < b.opened : a.seq < b.seq;
    });
  }

  // `bad_dob` replaces the date of birth of suspect number `bad_suspect` (planted bad rows).
  void RenderCase(std::string& out, const Case& c, const std::string& id, const std::string& opened,
                  size_t bad_suspect = SIZE_MAX, const std::string& bad_dob = "") {
    out += "{\"case_id\": ";
    AppendJsonString(out, id);
    out += ", \"title\": ";
    AppendJsonString(out, CaseTitles()[c.title]);
    out += ", \"opened\": ";
    AppendJsonString(out, opened);
    out += c.open ? ", \"status\": \"open\"" : ", \"status\": \"closed\"";
    out += ", \"unit\": ";
    AppendJsonString(out, Units()[c.unit].name);
    out += ", \"suspects\": [";
    for (size_t k = 0; k < c.suspects.size(); ++k) {
      const CmsRecord& r = records_[c.suspects[k]];
      const Person& p = world_.persons[r.person];
      if (k > 0) out += ", ";
      out += "{\"person_ref\": ";
      AppendJsonString(out, r.ref);
      out += ", \"full_name\": ";
      AppendJsonString(out, r.full_name);
      out += ", \"aliases\": [";
      for (size_t a = 0; a < r.aliases.size(); ++a) {
        if (a > 0) out += ", ";
        AppendJsonString(out, r.aliases[a]);
      }
      out += "]";
      if (k == bad_suspect) {
        out += ", \"date_of_birth\": ";
        AppendJsonString(out, bad_dob);
      } else if (r.has_dob) {
        out += ", \"date_of_birth\": \"";
        AppendCivil(out, r.dob, c.iso_dates ? "YYYY-MM-DD" : "DD/MM/YYYY");
        out += "\"";
      }
      out += ", \"place_of_birth\": ";
      AppendJsonString(out, r.place);
      out += ", \"nationality\": ";
      AppendJsonString(out, r.nationality);
      if (!r.id_number.empty()) {
        out += ", \"id_number\": ";
        AppendJsonString(out, r.id_number);
      }
      out += ", \"phones\": [";
      for (size_t ph = 0; ph < r.phones.size(); ++ph) {
        if (ph > 0) out += ", ";
        AppendJsonString(out, r.phones[ph]);
      }
      out += "]";
      if (!r.address.empty()) {
        out += ", \"address\": ";
        AppendJsonString(out, r.address);
      }
      out += ", \"role\": \"";
      out += RoleName(p.role);
      out += "\", \"charges\": [";
      // Couriers and associates answer for part of the case's charges.
      bool all = p.role == Role::kNone || p.role == Role::kOrganiser || p.role == Role::kFinancier;
      size_t shown = all ? c.charges.size() : std::max<size_t>(1, c.charges.size() - 1);
      for (size_t ch = 0; ch < shown; ++ch) {
        if (ch > 0) out += ", ";
        AppendJsonString(out, Charges()[c.charges[ch]]);
      }
      out += "]}";
    }
    out += "]}";
  }

  SourceContext& ctx_;
  const World& world_;
  Random random_;
  std::vector<CmsRecord> records_;
  std::vector<uint32_t> record_of_, second_record_of_;
  std::vector<Case> cases_;
};

}  // namespace

Result<FileStats> WriteCases(SourceContext& ctx) { return CasesWriter(ctx).Write(); }

}  // namespace ura::generate
