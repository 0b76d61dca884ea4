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
// Run (entry type 65): one run's canonical persons, model/canonical_persons.h.
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
#include "model/canonical_persons.h"

namespace ura::resolve {

inline constexpr uint32_t kEntryTypeJudgement = 64;
inline constexpr uint32_t kEntryTypeRun = model::kEntryTypeResolutionRun;
using model::CanonicalId;
using model::CanonicalPerson;
using model::EncodeRun;
using model::RunSummary;

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
