// vehicles/registry.csv: the Albanian vehicle registry, ','-delimited and encoded in
// windows-1250 (Albanian ë/ç and Serbian č/ć/đ/š/ž exist there; Turkish ğ/ı/İ do not and are
// stored folded). Owners are people ("Given Family") or companies.
#include <algorithm>

#include "generate/calendar.h"
#include "generate/sources.h"

namespace ura::generate {

namespace {

constexpr char kFile[] = "vehicles/registry.csv";
constexpr char kSource[] = "vehicles";
constexpr char kHeader[] =
    "plate,vin,make,model,colour,year,owner_type,owner_name,owner_personal_no,owner_birth_date,"
    "owner_address,registered_on\n";
enum Column {
  kPlate,
  kVin,
  kMake,
  kModel,
  kColour,
  kYear,
  kOwnerType,
  kOwnerName,
  kOwnerNo,
  kOwnerBirth,
  kOwnerAddress,
  kRegistered,
  kColumns
};

class VehiclesWriter {
 public:
  explicit VehiclesWriter(SourceContext& ctx)
      : ctx_(ctx), world_(*ctx.world), random_(Random::ForPhase(ctx.seed, "vehicles-registry")) {}

  Result<FileStats> Write() {
    std::vector<uint32_t> rows;
    for (uint32_t v = 0; v < world_.vehicles.size(); ++v) {
      if (world_.vehicles[v].country == Country::kAL) rows.push_back(v);
    }
    std::sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
      int32_t ra = world_.vehicles[a].registered, rb = world_.vehicles[b].registered;
      return ra != rb ? ra < rb : a < b;
    });
    FileStats stats;
    stats.path = kFile;
    URA_ASSIGN_OR_RETURN(auto out, OpenOutput(ctx_, kFile));
    out->Write(kHeader);
    BadRowPlanter planter(ctx_, stats, "vehicles-bad");
    EntityTally tally;
    uint64_t fresh_plate = world_.plate_serial[static_cast<int>(Country::kAL)];
    std::vector<std::string> f;
    std::string encoded;
    for (uint32_t v : rows) {
      Render(world_.vehicles[v], f);
      bool company = f[kOwnerType] == "company";
      if (planter.Plant()) {
        std::vector<std::string> bad = f;
        bad[kPlate] = PlateNumber(Country::kAL, fresh_plate++);
        const char* kind =
            planter.PickKind({kUnbalancedQuote, kWrongColumnCount, kBadDate, kMissingKey});
        if (company && std::string_view(kind) == kBadDate) kind = kMissingKey;
        std::string line;
        std::string_view k = kind;
        if (k == kUnbalancedQuote) {
          line = BrokenQuoteLine(bad, kColour, ',');
        } else if (k == kWrongColumnCount) {
          line = WrongColumnCountLine(bad, ',', planter.random());
        } else {
          if (k == kBadDate) bad[kOwnerBirth] = BadDate("YYYYMMDD", planter.random());
          if (k == kMissingKey) bad[kPlate].clear();
          line = CsvLine(bad, ',');
        }
        encoded.clear();
        AppendWindows1250(encoded, line);
        out->Write(encoded);
        ++stats.rows;
        planter.Record(stats.rows, kind);
      }
      encoded.clear();
      AppendWindows1250(encoded, CsvLine(f, ','));
      out->Write(encoded);
      ++stats.rows;
      const Vehicle& vehicle = world_.vehicles[v];
      tally.Add("Vehicle", kSource, "vehicle", {f[kPlate]});
      if (company) {
        tally.Add("Company", kSource, "company", {f[kOwnerNo]});
      } else {
        tally.Add("Person", kSource, "person", {f[kPlate]});
        WriteTruthPerson(ctx_, vehicle.owner_person, kSource, f[kPlate]);
      }
    }
    URA_RETURN_IF_ERROR(out->Close());
    FinishTally(ctx_, tally, stats);
    return stats;
  }

 private:
  void Render(const Vehicle& v, std::vector<std::string>& f) {
    f.assign(kColumns, std::string());
    const CarModel& model = CarModels()[v.model];
    f[kPlate] = v.plate;
    f[kVin] = v.vin;
    f[kMake] = model.make;
    f[kModel] = model.model;
    f[kColour] = Colours()[v.colour];
    f[kYear] = std::to_string(v.year);
    AppendDate(f[kRegistered], v.registered, "YYYY-MM-DD");
    bool ascii = random_.Chance(0.4);
    auto typed = [&](const std::string& s) { return ascii ? FoldToAscii(s) : s; };
    if (v.owner_company != kNone) {
      // The registry holds one record per company: written the same way on all its vehicles.
      const Company& c = world_.companies[v.owner_company];
      bool company_ascii = Random::SplitMix64(ctx_.seed ^ (v.owner_company + 1) * 7919) % 10 < 4;
      f[kOwnerType] = "company";
      f[kOwnerName] = company_ascii ? FoldToAscii(c.name) : c.name;
      f[kOwnerNo] = c.number;
      f[kOwnerAddress] = FormatAddress(c.address);
      if (company_ascii) f[kOwnerAddress] = FoldToAscii(f[kOwnerAddress]);
      return;
    }
    const Person& p = world_.persons[v.owner_person];
    f[kOwnerType] = "person";
    std::string given(GivenName(p)), family(FamilyName(p));
    if (p.culture == Culture::kAlbanian && random_.Chance(0.05)) {
      family = AlbanianSurnameVariant(family, random_);
    }
    if (random_.Chance(0.02)) family = Typo(family, random_);
    f[kOwnerName] = typed(given) + " " + typed(family);
    if (p.nationality == Country::kAL) {
      if (random_.Chance(0.92)) f[kOwnerNo] = std::string(p.personal_number.view());
    } else {
      uint64_t which = random_.Uniform(10);
      if (which < 6) {
        f[kOwnerNo] = Documents(p, v.owner_person)[0].number;
      } else if (which < 9) {
        f[kOwnerNo] = std::string(p.personal_number.view());
      }
    }
    AppendDate(f[kOwnerBirth], p.birth, "YYYYMMDD");
    f[kOwnerAddress] = typed(FormatAddress(p.address));
  }

  SourceContext& ctx_;
  const World& world_;
  Random random_;
};

}  // namespace

Result<FileStats> WriteVehicles(SourceContext& ctx) { return VehiclesWriter(ctx).Write(); }

}  // namespace ura::generate
