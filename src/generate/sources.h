// The five source systems' writers. Each renders the World in its system's format and
// conventions, plants bad rows, appends its person records to truth/persons.csv and counts
// the entities a correct ingest of its good rows makes with the shipped mapping
// (mappings/*.yml — keep the two in step: the aliases and keys below are the mapping's).
//
// Internal to the generate module; Generate() in generate.h is the public entry point.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"
#include "generate/output.h"
#include "generate/text.h"
#include "generate/world.h"

namespace ura::generate {

struct SourceContext {
  FileSystem* fs = nullptr;
  std::string out_dir;
  const World* world = nullptr;
  uint64_t seed = 1;
  double bad_rate = 0.002;
  int64_t threshold_cents = 1000000;    // reporting threshold for structuring, in euro cents
  OutputFile* truth_persons = nullptr;  // truth/persons.csv, header written
  std::vector<BadRow>* bad_rows = nullptr;
  EntityTally* totals = nullptr;  // every file's ids, for the whole-store counts
};

struct LaunderingSummary {
  std::map<std::string, uint64_t> patterns;  // typology → number of patterns
  uint64_t transactions = 0;
  uint64_t background = 0;
};

Result<FileStats> WriteBorder(SourceContext& ctx);
Result<FileStats> WriteCases(SourceContext& ctx);
Result<FileStats> WriteVehicles(SourceContext& ctx);
Result<FileStats> WriteWanted(SourceContext& ctx);
Result<FileStats> WriteAccounts(SourceContext& ctx);
// Also writes truth/laundering.csv.
Result<FileStats> WriteTransactions(SourceContext& ctx, LaunderingSummary& laundering);

// ---- Helpers shared by the writers (sources_common.cc) ------------------------------------

// The name as a system in `script` writes it. Albanian and Turkish names in Serbian
// orthography follow AlbanianToSerbianLatin / TurkishToSerbianLatin; Macedonian names go to
// Cyrillic with Macedonian rules; Greek and Italian names stay Latin.
enum class Script { kNative, kSerbianLatin, kSerbianCyrillic, kMacedonianCyrillic };
struct PersonName {
  std::string given;
  std::string family;
};
PersonName NameInScript(const Person& p, Script script);
// The name printed in a document issued by `country` (Serbian and Montenegrin documents
// write Albanian and Turkish names in Serbian orthography), and how its MRZ folds Đ/Ä/Ö/Ü.
PersonName NameInDocument(const Person& p, Country country);
FoldStyle MrzStyle(Country country);

// Decides where bad rows go and counts them. Uses its own random stream so the good rows'
// content does not depend on the bad-row rate.
class BadRowPlanter {
 public:
  BadRowPlanter(SourceContext& ctx, FileStats& stats, const char* phase)
      : ctx_(ctx), stats_(stats), random_(Random::ForPhase(ctx.seed, phase)) {}
  // True when a bad row should be written before the next good one.
  bool Plant() { return ctx_.bad_rate > 0 && random_.Chance(ctx_.bad_rate); }
  const char* PickKind(std::initializer_list<const char*> kinds) {
    return *(kinds.begin() + random_.Uniform(kinds.size()));
  }
  // Records that data row `row` (1-based) of this file is bad of `kind`.
  void Record(uint64_t row, const char* kind);
  Random& random() { return random_; }

 private:
  SourceContext& ctx_;
  FileStats& stats_;
  Random random_;
};

// Appends "true_person_id,source,key\n" to truth/persons.csv.
void WriteTruthPerson(SourceContext& ctx, uint32_t person, std::string_view source,
                      std::string_view key);
// Opens DIR/<relative>.
Result<std::unique_ptr<OutputFile>> OpenOutput(SourceContext& ctx, const std::string& relative);
// Finishes a file's tally into stats.entities and the run's totals.
void FinishTally(SourceContext& ctx, EntityTally& tally, FileStats& stats);
// Zero-padded decimal.
std::string Padded(uint64_t value, int width);

}  // namespace ura::generate
