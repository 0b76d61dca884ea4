// wanted/wanted.ndjson: wanted-person notices from partner forces, one JSON object per line.
// Each issuer writes names its own way: Serbian and Macedonian forces often in Cyrillic,
// Albanian names in Serbian orthography, Italian and Greek forces in upper-case ASCII,
// German-speaking forces "Family, Given". Birth dates may be partial, documents partial.
#include <algorithm>
#include <map>

#include "generate/calendar.h"
#include "generate/sources.h"

namespace ura::generate {

namespace {

constexpr char kFile[] = "wanted/wanted.ndjson";
constexpr char kSource[] = "wanted";

struct WantedDocument {
  Country country;
  DocumentKind kind;
  std::string number;  // empty: the notice gives no number
};

struct Notice {
  int32_t issued = 0;
  uint32_t seq = 0;
  uint32_t person = kNone;
  Country issuer = Country::kRS;
};

constexpr int C(Country c) { return static_cast<int>(c); }

class WantedWriter {
 public:
  explicit WantedWriter(SourceContext& ctx)
      : ctx_(ctx), world_(*ctx.world), random_(Random::ForPhase(ctx.seed, "wanted")) {}

  Result<FileStats> Write() {
    BuildNotices();
    FileStats stats;
    stats.path = kFile;
    URA_ASSIGN_OR_RETURN(auto out, OpenOutput(ctx_, kFile));
    BadRowPlanter planter(ctx_, stats, "wanted-bad");
    EntityTally tally;
    std::map<std::string, uint64_t> serials;
    for (const Notice& n : notices_) {
      std::string series =
          std::string(Info(n.issuer).alpha2) + "-" + std::to_string(CivilFromDays(n.issued).year);
      std::vector<WantedDocument> docs;
      std::string line = Render(n, "", docs, random_);  // id filled in below
      if (planter.Plant()) {
        const char* kind = planter.PickKind({kTruncatedJson, kInvalidUtf8, kMissingKey, kBadDate});
        std::string_view k = kind;
        std::string id = k == kMissingKey ? "" : series + "-" + Padded(++serials[series], 5);
        std::string bad = Corrupt(k, n, id, planter.random());
        out->Write(bad);
        ++stats.rows;
        planter.Record(stats.rows, kind);
      }
      std::string id = series + "-" + Padded(++serials[series], 5);
      line = WithId(line, id);
      out->Write(line);
      ++stats.rows;
      tally.Add("Person", kSource, "person", {id});
      WriteTruthPerson(ctx_, n.person, kSource, id);
      for (const WantedDocument& d : docs) {
        if (d.number.empty()) continue;
        const char* country = Info(d.country).alpha2;
        if (d.kind == DocumentKind::kPassport) {
          tally.Add("Passport", kSource, "passport", {country, d.number});
        } else {
          tally.Add("Identification", kSource, "idcard", {country, d.number});
        }
      }
    }
    URA_RETURN_IF_ERROR(out->Close());
    FinishTally(ctx_, tally, stats);
    return stats;
  }

 private:
  static constexpr char kIdPlaceholder[] = "\x01ID\x01";

  static std::string WithId(const std::string& line, const std::string& id) {
    std::string out = line;
    size_t at = out.find(kIdPlaceholder);
    out.replace(at, sizeof(kIdPlaceholder) - 1, id);
    return out;
  }

  Country DrawIssuer(const Person& p) {
    std::vector<std::pair<Country, uint32_t>> w;
    switch (p.culture) {
      case Culture::kAlbanian:
        w = {{Country::kIT, 20}, {Country::kGR, 18}, {Country::kDE, 12}, {Country::kRS, 10},
             {Country::kME, 8},  {Country::kMK, 8},  {Country::kXK, 10}, {Country::kAT, 4},
             {Country::kCH, 5},  {Country::kTR, 2},  {Country::kBA, 3}};
        break;
      case Culture::kSerbian:
      case Culture::kMontenegrin:
      case Culture::kBosniak:
        w = {{Country::kRS, 30}, {Country::kME, 20}, {Country::kBA, 15}, {Country::kMK, 5},
             {Country::kDE, 10}, {Country::kAT, 10}, {Country::kIT, 5},  {Country::kGR, 5}};
        break;
      case Culture::kMacedonian:
        w = {{Country::kMK, 40}, {Country::kRS, 15}, {Country::kGR, 15},
             {Country::kDE, 15}, {Country::kBA, 5},  {Country::kIT, 10}};
        break;
      case Culture::kTurkish:
        w = {{Country::kTR, 50}, {Country::kDE, 20}, {Country::kGR, 10},
             {Country::kRS, 5},  {Country::kBA, 5},  {Country::kIT, 10}};
        break;
      case Culture::kGreek:
        w = {{Country::kGR, 70}, {Country::kIT, 15}, {Country::kDE, 15}};
        break;
      case Culture::kItalian:
        w = {{Country::kIT, 75}, {Country::kDE, 15}, {Country::kGR, 10}};
        break;
    }
    std::vector<uint32_t> weights;
    for (auto& [c, weight] : w) weights.push_back(weight);
    return w[random_.Weighted(weights)].first;
  }

  void BuildNotices() {
    const int32_t first = DaysFromCivil(2015, 1, 1), last = world_.options.export_day - 1;
    for (uint32_t i = 0; i < world_.persons.size(); ++i) {
      const Person& p = world_.persons[i];
      double chance = 0.006;
      switch (p.role) {
        case Role::kOrganiser:
          chance = 0.5;
          break;
        case Role::kFinancier:
          chance = 0.3;
          break;
        case Role::kCourier:
          chance = 0.25;
          break;
        case Role::kAssociate:
          chance = 0.15;
          break;
        case Role::kNone:
          break;
      }
      if (!random_.Chance(chance)) continue;
      int count = random_.Chance(0.75) ? 1 : random_.Chance(0.8) ? 2 : 3;
      std::vector<Country> issuers;
      for (int k = 0; k < count * 3 && static_cast<int>(issuers.size()) < count; ++k) {
        Country c = DrawIssuer(p);
        if (std::find(issuers.begin(), issuers.end(), c) == issuers.end()) issuers.push_back(c);
      }
      for (Country issuer : issuers) {
        Notice n;
        int32_t adult = std::min(last, std::max(first, p.birth + 18 * 365 + 5));
        n.issued = static_cast<int32_t>(random_.Range(adult, last));
        n.seq = static_cast<uint32_t>(notices_.size());
        n.person = i;
        n.issuer = issuer;
        notices_.push_back(n);
      }
    }
    std::sort(notices_.begin(), notices_.end(), [](const Notice& a, const Notice& b) {
      return a.issued != b.issued ? a.issued < b.issued : a.seq < b.seq;
    });
  }

  // The name as `issuer` writes it, and the alternative spellings it lists.
  std::string IssuerName(const Person& p, Country issuer, std::vector<std::string>& aliases,
                         Random& rng) {
    PersonName native = NameInScript(p, Script::kNative);
    if (p.culture == Culture::kAlbanian && rng.Chance(0.08)) {
      native.family = AlbanianSurnameVariant(native.family, rng);
    }
    if (rng.Chance(0.03)) native.family = Typo(native.family, rng);
    PersonName name = native;
    std::string full;
    switch (issuer) {
      case Country::kRS:
      case Country::kME:
      case Country::kBA: {
        double cyrillic = issuer == Country::kRS ? 0.6 : issuer == Country::kME ? 0.2 : 0.0;
        bool use_cyrillic = rng.Chance(cyrillic);
        name = NameInScript(p, use_cyrillic ? Script::kSerbianCyrillic : Script::kSerbianLatin);
        full = rng.Chance(0.8) ? name.given + " " + name.family : name.family + " " + name.given;
        if (use_cyrillic && rng.Chance(0.5)) {
          PersonName latin = NameInScript(p, Script::kSerbianLatin);
          aliases.push_back(latin.given + " " + latin.family);
        }
        break;
      }
      case Country::kMK:
        if (rng.Chance(0.5)) {
          PersonName cyr = NameInScript(p, Script::kMacedonianCyrillic);
          if (p.culture == Culture::kGreek || p.culture == Culture::kItalian ||
              cyr.given == native.given) {
            cyr = {ToCyrillic(native.given, CyrillicScript::kMacedonian),
                   ToCyrillic(native.family, CyrillicScript::kMacedonian)};
          }
          full = cyr.given + " " + cyr.family;
        } else {
          full = native.given + " " + native.family;
        }
        break;
      case Country::kTR:
        full = ToUpper(native.family, p.culture == Culture::kTurkish) + " " +
               (p.culture == Culture::kTurkish ? native.given : FoldToAscii(native.given));
        break;
      case Country::kGR:
        full = MrzName(native.family, FoldStyle::kIcao) + " " +
               MrzName(native.given, FoldStyle::kIcao);
        break;
      case Country::kIT:
        full = MrzName(native.family, FoldStyle::kIcao) + " " + FoldToAscii(native.given);
        break;
      case Country::kDE:
      case Country::kAT:
      case Country::kCH:
        full = FoldToAscii(native.family, FoldStyle::kGerman) + ", " +
               FoldToAscii(native.given, FoldStyle::kGerman);
        break;
      default:
        full = native.given + " " + native.family;
        break;
    }
    if (rng.Chance(0.3)) aliases.push_back(rng.Pick(Nicknames()));
    if (rng.Chance(0.15)) aliases.push_back(native.family + " " + native.given);
    if (p.culture == Culture::kAlbanian && rng.Chance(0.1)) {
      aliases.push_back(native.given + " " + AlbanianSurnameVariant(FamilyName(p), rng));
    }
    return full;
  }

  std::string Render(const Notice& n, const std::string& id, std::vector<WantedDocument>& docs,
                     Random& rng, std::string birth_override = "", bool missing_id = false) {
    const Person& p = world_.persons[n.person];
    std::vector<std::string> aliases;
    std::string name = IssuerName(p, n.issuer, aliases, rng);
    std::string birth;
    CivilDate dob = CivilFromDays(p.birth);
    uint64_t precision = rng.Uniform(100);
    if (precision < 80) {
      if (rng.Chance(0.01)) dob.year += 1;
      if (!IsValidCivil(dob.year, dob.month, dob.day)) dob.day = 28;
      AppendCivil(birth, dob, "YYYY-MM-DD");
    } else if (precision < 88) {
      AppendCivil(birth, dob, "YYYY-MM");
    } else {
      AppendCivil(birth, dob, "YYYY");
    }
    if (!birth_override.empty()) birth = birth_override;
    std::vector<std::string> nationalities{Info(p.nationality).alpha2};
    if (p.nationality == Country::kXK && n.issuer == Country::kRS && rng.Chance(0.7)) {
      nationalities[0] = "RS";  // Serbia does not recognise Kosovo citizenship
    }
    if (p.has_second_nationality && rng.Chance(0.5)) {
      nationalities.push_back(Info(p.second_nationality).alpha2);
    }
    docs.clear();
    std::vector<Document> held = Documents(p, n.person);
    uint64_t doc_count = rng.Uniform(100) < 15 ? 0 : rng.Chance(0.7) ? 1 : 2;
    for (uint64_t k = 0; k < doc_count && k < held.size(); ++k) {
      const Document& d = k == 0 ? held[0] : held[1 + rng.Uniform(held.size() - 1)];
      WantedDocument wd{d.country, d.kind, d.number};
      uint64_t quality = rng.Uniform(100);
      if (quality >= 90) {
        wd.number.clear();
      } else if (quality >= 75 && wd.number.size() > 5) {
        wd.number =
            rng.Chance(0.5) ? wd.number.substr(0, wd.number.size() - 3) : wd.number.substr(2);
      }
      bool duplicate = false;
      for (const WantedDocument& other : docs) {
        duplicate |= other.country == wd.country && other.kind == wd.kind;
      }
      if (!duplicate) docs.push_back(std::move(wd));
    }
    std::string offences = rng.Pick(WantedOffences());
    if (rng.Chance(0.3)) offences += std::string("; ") + rng.Pick(WantedOffences());

    std::string out = "{\"notice_id\": ";
    if (missing_id) {
      out += "\"\"";
    } else if (id.empty()) {
      out += "\"" + std::string(kIdPlaceholder) + "\"";
    } else {
      AppendJsonString(out, id);
    }
    out += ", \"issuer\": \"";
    out += Info(n.issuer).alpha2;
    out += "\", \"name\": ";
    AppendJsonString(out, name);
    out += ", \"aliases\": [";
    for (size_t a = 0; a < aliases.size(); ++a) {
      if (a > 0) out += ", ";
      AppendJsonString(out, aliases[a]);
    }
    out += "], \"birth_date\": ";
    AppendJsonString(out, birth);
    out += ", \"nationalities\": [";
    for (size_t k = 0; k < nationalities.size(); ++k) {
      if (k > 0) out += ", ";
      AppendJsonString(out, nationalities[k]);
    }
    out += "], \"documents\": [";
    for (size_t k = 0; k < docs.size(); ++k) {
      if (k > 0) out += ", ";
      out += docs[k].kind == DocumentKind::kPassport ? "{\"type\": \"passport\""
                                                     : "{\"type\": \"id_card\"";
      if (!docs[k].number.empty()) {
        out += ", \"number\": ";
        AppendJsonString(out, docs[k].number);
      }
      out += ", \"country\": \"";
      out += Info(docs[k].country).alpha2;
      out += "\"}";
    }
    out += "], \"offences\": ";
    AppendJsonString(out, offences);
    out += ", \"issued\": \"";
    AppendDate(out, n.issued, "YYYY-MM-DD");
    out += "\"}\n";
    return out;
  }

  std::string Corrupt(std::string_view kind, const Notice& n, const std::string& id,
                      Random& random) {
    std::vector<WantedDocument> docs;
    if (kind == kMissingKey) return Render(n, "", docs, random, "", /*missing_id=*/true);
    if (kind == kBadDate) return Render(n, id, docs, random, BadDate("YYYY-MM-DD", random));
    std::string line = Render(n, id, docs, random);
    if (kind == kInvalidUtf8) {
      size_t name_at = line.find("\"name\": \"") + 9;
      std::string broken = InvalidUtf8Field(line.substr(name_at, 4), random);
      return line.replace(name_at, 4, broken);
    }
    // Truncated: the line stops part-way (at a character boundary), as when an export dies.
    size_t cut = 10 + random.Uniform(line.size() - 12);
    while (cut > 0 && (static_cast<uint8_t>(line[cut]) & 0xC0) == 0x80) --cut;
    return line.substr(0, cut) + "\n";
  }

  SourceContext& ctx_;
  const World& world_;
  Random random_;
  std::vector<Notice> notices_;
};

}  // namespace

Result<FileStats> WriteWanted(SourceContext& ctx) { return WantedWriter(ctx).Write(); }

}  // namespace ura::generate
