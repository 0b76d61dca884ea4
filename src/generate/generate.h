// Synthetic police data (issue 3): `Generate` writes realistic exports of five source
// systems — border crossings, case management, vehicle registry, wanted notices, financial
// intelligence — about one population of people, with the same person written differently
// in each (Albanian, Turkish and Balkan names with and without diacritics, Cyrillic, swapped
// names, typos, partial documents), planted organised-crime groups and money-laundering
// patterns, a small share of broken rows, and the ground truth in DIR/truth/.
//
// Output (all under `out_dir`):
//   border/crossings.csv     ';' CSV, UTF-8            mappings/border.yml
//   cases/cases.json         JSON document             mappings/cases.yml
//   vehicles/registry.csv    ',' CSV, windows-1250     mappings/vehicles.yml
//   wanted/wanted.ndjson     NDJSON                    mappings/wanted.yml
//   fiu/accounts.csv         ',' CSV, UTF-8            mappings/fiu-accounts.yml
//   fiu/transactions.csv     ',' CSV, UTF-8            mappings/fiu-transactions.yml
//   truth/persons.csv        true_person_id,source,source_record_key (the Person entity key)
//   truth/groups.csv         group_id,true_person_id,role
//   truth/laundering.csv     pattern_id,typology,txn_id
//   truth/bad_rows.csv       source_file,row_number,kind (1-based data row / record / line)
//   truth/summary.json       per file: rows, bad rows by kind, entities per schema that a
//                            correct ingest of the good rows makes; groups; patterns
//
// Deterministic: the same options give byte-identical files. Memory grows with `persons`
// (about 400 MB at peak for a million); rows are streamed to the files.
// Errors: kInvalidArgument for bad options, kAlreadyExists when `out_dir` is not empty, and
// the file system's errors (disk full ...) as they come.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"
#include "generate/output.h"

namespace ura::generate {

struct GenerateOptions {
  std::string out_dir;
  uint64_t persons = 20000;  // 100 .. 5,000,000
  uint64_t seed = 1;
  double bad_rate = 0.002;             // share of planted bad rows per file, 0 .. 0.5
  double reporting_threshold = 10000;  // EUR; structuring stays just below it
};

inline constexpr uint64_t kMinPersons = 100;
inline constexpr uint64_t kMaxPersons = 5000000;

struct GenerateSummary {
  GenerateOptions options;
  std::vector<FileStats> files;  // in the order written: border, cases, vehicles, wanted, fiu
  uint64_t groups = 0;
  uint64_t group_members = 0;
  std::map<std::string, uint64_t> patterns;  // laundering typology → patterns planted
  uint64_t laundering_transactions = 0;
  uint64_t background_transactions = 0;
  uint64_t truth_person_records = 0;
  // Entities per source and schema after ingesting every file into one store: what
  // `ura export --ftm` then holds. Ids shared between files count once (both fiu mappings
  // name the source "fiu" and key accounts the same way, so an account described in
  // accounts.csv and paid from in transactions.csv is one BankAccount).
  std::map<std::string, std::map<std::string, uint64_t>> entities_by_source;
};

Result<GenerateSummary> Generate(FileSystem& fs, const GenerateOptions& options);

// truth/summary.json's content.
std::string SummaryToJson(const GenerateSummary& summary);
// A short table for people.
std::string SummaryToText(const GenerateSummary& summary);

}  // namespace ura::generate
