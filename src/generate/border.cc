// border/crossings.csv: the border police's crossing register (TIMS), one row per crossing,
// ';'-delimited UTF-8. Names are upper-case ASCII as a passport reader gives them; a few
// percent of rows were typed by hand (the 2022 outage) and carry typos, partial document
// numbers and swapped day/month.
#include <algorithm>
#include <unordered_map>

#include "generate/calendar.h"
#include "generate/sources.h"

namespace ura::generate {

namespace {

constexpr char kFile[] = "border/crossings.csv";
constexpr char kSource[] = "border";
constexpr char kHeader[] =
    "crossing_id;crossing_point;direction;crossing_time;surname;given_names;birth_date;sex;"
    "nationality;document_type;document_number;document_country;vehicle_plate\n";
enum Column {
  kId,
  kPoint,
  kDirection,
  kTime,
  kSurname,
  kGiven,
  kBirth,
  kSex,
  kNationality,
  kDocType,
  kDocNumber,
  kDocCountry,
  kPlate,
  kColumns
};

// Crossing points with how busy they are; airports (index 8) take no vehicles.
constexpr uint32_t kPointWeights[] = {12, 6, 8, 4, 8, 3, 10, 3, 30, 10, 4, 5, 2, 3};
constexpr int kAirport = 8;

struct Crossing {
  int64_t minute;  // minutes since 1970-01-01
  uint32_t seq;    // creation order: a total order for equal times
  uint32_t person;
  uint32_t vehicle;
  uint8_t point;
  uint8_t entry;
  uint8_t document;  // index into Documents(person)
  uint8_t manual;
};

class BorderWriter {
 public:
  explicit BorderWriter(SourceContext& ctx)
      : ctx_(ctx), world_(*ctx.world), random_(Random::ForPhase(ctx.seed, "border")) {}

  Result<FileStats> Write() {
    BuildCrossings();
    std::sort(crossings_.begin(), crossings_.end(), [](const Crossing& a, const Crossing& b) {
      return a.minute != b.minute ? a.minute < b.minute : a.seq < b.seq;
    });
    FileStats stats;
    stats.path = kFile;
    URA_ASSIGN_OR_RETURN(auto out, OpenOutput(ctx_, kFile));
    out->Write(kHeader);
    BadRowPlanter planter(ctx_, stats, "border-bad");
    EntityTally tally;
    uint64_t next_id = 1;
    std::vector<std::string> fields;
    for (const Crossing& c : crossings_) {
      Render(c, fields);  // the crossing id is filled in below
      if (planter.Plant()) {
        std::vector<std::string> bad = fields;
        bad[kId] = CrossingId(next_id++);
        ++stats.rows;
        const char* kind = planter.PickKind(
            {kUnbalancedQuote, kWrongColumnCount, kInvalidUtf8, kBadDate, kMissingKey});
        out->Write(Corrupt(kind, bad, planter.random()));
        planter.Record(stats.rows, kind);
      }
      fields[kId] = CrossingId(next_id++);
      ++stats.rows;
      out->Write(CsvLine(fields, ';'));
      WriteTruthPerson(ctx_, c.person, kSource, fields[kId]);
      Tally(tally, fields);
    }
    URA_RETURN_IF_ERROR(out->Close());
    FinishTally(ctx_, tally, stats);
    return stats;
  }

 private:
  static std::string CrossingId(uint64_t n) { return "TIMS" + Padded(n, 10); }

  // Which of the person's documents they usually travel on (index into Documents()): a
  // passport, an identity card for the regional countries whose cards Albania accepts, or
  // the passport of a second citizenship.
  uint8_t PreferredDocument(const Person& p, uint32_t person) const {
    uint64_t h = Random::SplitMix64(ctx_.seed ^ (uint64_t{person} * 0x9e3779b97f4a7c15ull));
    bool regional = p.nationality == Country::kAL || p.nationality == Country::kXK ||
                    p.nationality == Country::kMK || p.nationality == Country::kME ||
                    p.nationality == Country::kRS || p.nationality == Country::kBA;
    uint8_t count =
        static_cast<uint8_t>(1 + (regional ? 1 : 0) + (p.has_second_nationality ? 1 : 0));
    if (p.has_second_nationality && h % 2 == 0) return count - 1;
    return regional && (h >> 8) % 10 < 4 ? 1 : 0;
  }

  bool Free(uint32_t person, int32_t from, int32_t to) const {
    auto it = busy_.find(person);
    if (it == busy_.end()) return true;
    for (const auto& [a, b] : it->second) {
      if (from <= b && a <= to) return false;
    }
    return true;
  }

  uint8_t LandPoint() {
    uint8_t point;
    do {
      point = static_cast<uint8_t>(random_.Weighted(kPointWeights));
    } while (point == kAirport);
    return point;
  }

  // One trip: out and back (residents of Albania leave first, others enter first); the
  // return is left out when it would fall after the export.
  void Trip(uint32_t person, int32_t day, int32_t length, uint8_t point, uint8_t back_point,
            uint32_t vehicle, int64_t minute_out, int64_t minute_back, uint8_t doc) {
    const Person& p = world_.persons[person];
    bool resident = p.residence == Country::kAL;
    Add(int64_t{day} * 1440 + minute_out, person, vehicle, point, !resident, doc);
    if (day + length <= last_day_) {
      uint32_t back_vehicle = back_point == kAirport ? kNone : vehicle;
      Add(int64_t{day + length} * 1440 + minute_back, person, back_vehicle, back_point, resident,
          doc);
    }
  }

  void BuildCrossings() {
    first_day_ = DaysFromCivil(2023, 1, 1);
    last_day_ = world_.options.export_day - 1;
    // Groups first: members travel together in a shared car, minutes apart at the booth.
    for (const Group& g : world_.groups) {
      int joint =
          static_cast<int>(random_.Range(1, 1 + static_cast<int64_t>(g.members.size()) / 3));
      for (int j = 0; j < joint; ++j) {
        uint32_t driver = random_.Pick(g.members);
        uint32_t vehicle = !g.vehicles.empty() && random_.Chance(0.7)
                               ? random_.Pick(g.vehicles)
                               : world_.persons[driver].vehicle;
        if (vehicle == kNone) continue;
        int32_t day = static_cast<int32_t>(random_.Range(first_day_, last_day_));
        int32_t length = static_cast<int32_t>(random_.Range(1, 10));
        uint8_t point = LandPoint();
        uint8_t back_point = random_.Chance(0.7) ? point : LandPoint();
        int64_t out = random_.Range(0, 1430), back = random_.Range(0, 1430);
        std::vector<uint32_t> riders{driver};
        int companions = static_cast<int>(random_.Range(1, 3));
        for (int k = 0; k < companions; ++k) {
          uint32_t other = random_.Pick(g.members);
          if (std::find(riders.begin(), riders.end(), other) == riders.end())
            riders.push_back(other);
        }
        for (uint32_t rider : riders) {
          if (!Free(rider, day, day + length)) continue;
          Trip(rider, day, length, point, back_point, vehicle, out + random_.Range(0, 4),
               back + random_.Range(0, 4), PreferredDocument(world_.persons[rider], rider));
          busy_[rider].emplace_back(day, day + length);
        }
      }
    }
    // Everyone's own trips, one after another.
    for (uint32_t i = 0; i < world_.persons.size(); ++i) {
      const Person& p = world_.persons[i];
      bool member = p.group != kNone;
      int trips = member                ? random_.CountWithTail(0.6, 10)
                  : random_.Chance(0.5) ? 0
                                        : random_.CountWithTail(0.45, 10);
      if (trips == 0) continue;
      std::vector<int32_t> starts;
      for (int t = 0; t < trips; ++t) {
        starts.push_back(static_cast<int32_t>(random_.Range(first_day_, last_day_)));
      }
      std::sort(starts.begin(), starts.end());
      uint8_t preferred = PreferredDocument(p, i);
      uint8_t doc_count = static_cast<uint8_t>(Documents(p, i).size());
      int32_t free_from = first_day_;
      for (int32_t start : starts) {
        int32_t day = std::max(start, free_from);
        if (day > last_day_) break;
        int32_t length = static_cast<int32_t>(random_.Range(1, 21));
        uint8_t point = static_cast<uint8_t>(random_.Weighted(kPointWeights));
        uint8_t back_point =
            random_.Chance(0.7) ? point : static_cast<uint8_t>(random_.Weighted(kPointWeights));
        uint32_t vehicle = kNone;
        if (point != kAirport && random_.Chance(0.55)) {
          const Group* group = member ? &world_.groups[p.group] : nullptr;
          bool use_group = group != nullptr && !group->vehicles.empty() &&
                           (p.vehicle == kNone ? random_.Chance(0.7) : random_.Chance(0.3));
          vehicle = use_group ? random_.Pick(group->vehicles) : p.vehicle;
        }
        uint8_t doc =
            random_.Chance(0.9) ? preferred : static_cast<uint8_t>(random_.Uniform(doc_count));
        int64_t out = random_.Range(0, 1439), back = random_.Range(0, 1439);
        free_from = day + length + 1;
        if (member && !Free(i, day, day + length)) continue;
        Trip(i, day, length, point, back_point, vehicle, out, back, doc);
      }
    }
  }

  void Add(int64_t minute, uint32_t person, uint32_t vehicle, uint8_t point, bool entry,
           uint8_t document) {
    Crossing c;
    c.minute = minute;
    c.seq = static_cast<uint32_t>(crossings_.size());
    c.person = person;
    c.vehicle = vehicle;
    c.point = point;
    c.entry = entry ? 1 : 0;
    c.document = document;
    c.manual = random_.Chance(0.03) ? 1 : 0;
    crossings_.push_back(c);
  }

  void Render(const Crossing& c, std::vector<std::string>& f) {
    const Person& p = world_.persons[c.person];
    std::vector<Document> docs = Documents(p, c.person);
    const Document& doc = docs[std::min<size_t>(c.document, docs.size() - 1)];
    f.assign(kColumns, std::string());
    f[kPoint] = CrossingPoints()[c.point];
    f[kDirection] = c.entry ? "I" : "O";
    int32_t day = static_cast<int32_t>(c.minute / 1440);
    AppendDate(f[kTime], day, "DD.MM.YYYY");
    f[kTime].push_back(' ');
    AppendTime(f[kTime], static_cast<int32_t>(c.minute % 1440));
    PersonName name = NameInDocument(p, doc.country);
    FoldStyle style = MrzStyle(doc.country);
    f[kSurname] = MrzName(name.family, style);
    f[kGiven] = MrzName(name.given, style);
    CivilDate birth = CivilFromDays(p.birth);
    f[kSex] = p.female ? "F" : "M";
    f[kNationality] = Info(doc.country).alpha3;
    f[kDocType] = doc.kind == DocumentKind::kPassport ? "P" : "ID";
    f[kDocNumber] = doc.number;
    f[kDocCountry] = Info(doc.country).alpha3;
    if (c.vehicle != kNone) {
      f[kPlate] = world_.vehicles[c.vehicle].plate;
      if (random_.Chance(0.1)) {  // some officers type plates without separators
        std::erase_if(f[kPlate], [](char ch) { return ch == ' ' || ch == '-'; });
      }
    }
    if (c.manual) {  // typed by hand
      if (random_.Chance(0.2)) f[kSurname] = ToUpper(Typo(f[kSurname], random_));
      if (random_.Chance(0.1)) f[kGiven] = ToUpper(Typo(f[kGiven], random_));
      if (random_.Chance(0.05)) std::swap(f[kSurname], f[kGiven]);
      if (random_.Chance(0.05) && birth.day <= 12 && birth.day != birth.month) {
        std::swap(birth.day, birth.month);
      }
      if (random_.Chance(0.2) && f[kDocNumber].size() > 5) {
        f[kDocNumber] = random_.Chance(0.5) ? f[kDocNumber].substr(2)
                                            : f[kDocNumber].substr(0, f[kDocNumber].size() - 2);
      }
    }
    AppendCivil(f[kBirth], birth, "DD.MM.YYYY");
  }

  std::string Corrupt(const char* kind, std::vector<std::string>& f, Random& random) {
    std::string_view k = kind;
    if (k == kUnbalancedQuote) return BrokenQuoteLine(f, kPoint, ';');
    if (k == kWrongColumnCount) return WrongColumnCountLine(f, ';', random);
    if (k == kInvalidUtf8) {
      f[kSurname] = InvalidUtf8Field(f[kSurname], random);
    } else if (k == kBadDate) {
      if (random.Chance(0.5)) {
        f[kBirth] = BadDate("DD.MM.YYYY", random);
      } else {
        f[kTime] = BadDate("DD.MM.YYYY", random) + " 12:00";
      }
    } else if (k == kMissingKey) {
      f[kId].clear();
    }
    return CsvLine(f, ';');
  }

  void Tally(EntityTally& tally, const std::vector<std::string>& f) {
    tally.Add("Person", kSource, "person", {f[kId]});
    tally.Add("BorderCrossing", kSource, "crossing", {f[kId]});
    if (f[kDocType] == "P") {
      tally.Add("Passport", kSource, "passport", {f[kDocCountry], f[kDocNumber]});
    } else {
      tally.Add("Identification", kSource, "idcard", {f[kDocCountry], f[kDocNumber]});
    }
    if (!f[kPlate].empty()) tally.Add("Vehicle", kSource, "vehicle", {f[kPlate]});
  }

  SourceContext& ctx_;
  const World& world_;
  Random random_;
  std::vector<Crossing> crossings_;
  // Days group members are away on joint trips (looked up, never iterated).
  std::unordered_map<uint32_t, std::vector<std::pair<int32_t, int32_t>>> busy_;
  int32_t first_day_ = 0, last_day_ = 0;
};

}  // namespace

Result<FileStats> WriteBorder(SourceContext& ctx) { return BorderWriter(ctx).Write(); }

}  // namespace ura::generate
