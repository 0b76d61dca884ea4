// What entity resolution keeps in the journal: analysts' judgements (entry type 64,
// model/judgement.h) and the results of runs (entry type 65, model/canonical_persons.h).
// Both are journal entries, so they are encrypted, hash-chained and signed like the data,
// and everything resolution knows can be rebuilt by reading the journal. The index keeps the
// judgements in force (index.h), so a run and matching at ingest read them from there.
#pragma once

#include <cstdint>

#include "model/canonical_persons.h"
#include "model/judgement.h"

namespace ura::resolve {

inline constexpr uint32_t kEntryTypeJudgement = model::kEntryTypeJudgement;
inline constexpr uint32_t kEntryTypeRun = model::kEntryTypeResolutionRun;
using model::CanonicalId;
using model::CanonicalPerson;
using model::Decision;
using model::DecisionName;
using model::DecodeJudgement;
using model::EncodeJudgement;
using model::EncodeRun;
using model::Judgement;
using model::ParseDecision;
using model::RunSummary;

}  // namespace ura::resolve
