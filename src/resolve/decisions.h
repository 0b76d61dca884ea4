// What entity resolution keeps in the journal: analysts' judgements and the results of runs.
// Both are journal entries, so they are encrypted, hash-chained and signed like the data,
// and everything resolution knows can be rebuilt by reading the journal.
//
// Judgement (entry type 64), canonical JSON, keys sorted:
//   {"a":ID,"actor":"cli:alice","b":ID,"decision":"same"|"different"|"withdrawn",
//    "reason":TEXT,"time_us":N,"v":1}      with a < b
// The latest judgement of a pair is the one in force; "withdrawn" takes the pair back to the
// model. Nothing is ever deleted: the history of decisions is the journal's.
//
// Run (entry type 65): one run's canonical persons, in chunks of at most 4 MiB written in
// one commit (so a run is there whole or not at all):
//   {"chunk":I,"chunks":N,"persons":[{"id":"P-<16 hex>","members":[ID,...]},...],
//    "run":RUN_ID,"stats":{...} (chunk 0 only),"time_us":N,"v":1}
// Only persons of two or more records are listed; every other Person entity is a person of
// its own. A canonical person's id is "P-" and the first 8 bytes (hex) of SHA-256 of its
// lowest member id, so it stays the same from run to run while that record stays in it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"
#include "journal/keys.h"

namespace ura::resolve {

inline constexpr uint32_t kEntryTypeJudgement = 64;
inline constexpr uint32_t kEntryTypeRun = 65;

enum class Decision { kSame, kDifferent, kWithdrawn };
std::string_view DecisionName(Decision d);  // "same", "different", "withdrawn"
// kInvalidArgument naming the valid words.
Result<Decision> ParseDecision(std::string_view word);

struct Judgement {
  std::string a, b;  // entity ids, a < b (EncodeJudgement orders them)
  Decision decision = Decision::kSame;
  std::string actor;
  std::string reason;
  int64_t time_us = 0;
};

std::string EncodeJudgement(Judgement judgement);
// kInvalidArgument naming the field for anything EncodeJudgement would not write.
Result<Judgement> DecodeJudgement(std::string_view json);

struct CanonicalPerson {
  std::string id;                    // "P-..."
  std::vector<std::string> members;  // entity ids, sorted
};

// The canonical id of a person whose lowest member id is `lowest_member`.
std::string CanonicalId(std::string_view lowest_member);

struct RunSummary {
  std::string run_id;
  int64_t time_us = 0;
  std::string stats_json;  // what the run reported (pairs, reduction ratio, model ...)
  std::vector<CanonicalPerson> persons;
};

// The entries of one run, each payload at most `max_chunk_bytes` (but at least one person).
std::vector<std::string> EncodeRun(const RunSummary& run, size_t max_chunk_bytes = 4u << 20);

// What the journal holds for resolution: the judgements in force (by ordered pair) and the
// latest complete run (run_id empty if none).
struct StoredResolution {
  std::map<std::pair<std::string, std::string>, Judgement> judgements;
  uint64_t judgement_entries = 0;
  RunSummary latest_run;
};
// Validates every segment of the journal, decrypting only entries of types 64 and 65. kDataLoss for a judgement or run entry that does not
// decode (the journal authenticated it, so it was written so: a defect, not an attack).
Result<StoredResolution> LoadResolution(FileSystem& fs, const journal::StorePaths& paths,
                                        const journal::Keyring& keyring);
// Applies one decoded entry to `stored` (what LoadResolution does for each; for tests).
Status ApplyEntry(StoredResolution& stored, uint32_t type, std::string_view payload);

}  // namespace ura::resolve
