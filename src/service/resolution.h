// Incremental entity resolution after an ingest (resolve/incremental.h), for every front end
// that ingests (`ura ingest`, the API's upload): the Person records the ingest wrote are matched
// with the latest run's model, the update and its audit record are appended in one commit, and
// the index applies the update. Nothing happens before the first `ura resolve`, and an ingest
// of more new records than `max_records` is left to the next full run (it is faster for bulk).
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "access/policy.h"
#include "audit/audit.h"
#include "index/index.h"
#include "journal/journal.h"
#include "resolve/decisions.h"
#include "resolve/resolver.h"
#include "service/store_writer.h"

namespace ura::service {

struct IncrementalOutcome {
  bool ran = false;            // false: no run yet, or too many records (see `skipped`)
  bool no_run = false;         // there has been no resolution run to take the model from
  std::string skipped;         // why not, for the user
  uint64_t records = 0, compared = 0, joined = 0, persons_changed = 0;
  uint64_t bridged = 0;  // of the records joined, those that merged two persons (or records)
};

// Records matched at ingest at most: more are matched faster by a full run.
constexpr size_t kMaxMatchedAtIngest = 10000;

// `written`: the entities the ingest wrote (kept: at least kMaxMatchedAtIngest ids).
// `record`: the audit record, already stamped with time, user and client (action and detail
// are filled here). `index_mu` (optional) is held around every use of the index, as
// StoreWriter does.
Result<IncrementalOutcome> ResolveIngested(journal::Journal& journal, index::Index& index, const WrittenIds& written,
                                           audit::Record record, int64_t now_us, std::mutex* index_mu = nullptr);

// --- Analysts' review of uncertain pairs (the CLI's `ura resolve review` and the API) -------------

struct ReviewPair {
  resolve::PersonRecord a, b;  // as resolution reads them
  double probability = 0, weight = 0;
  bool names_swapped = false;
  std::vector<resolve::Contribution> contributions;
  std::string explanation;  // "family name exact: +6.1, ..."
};

struct ReviewAnswer {
  uint64_t uncertain = 0;  // pairs the model is unsure of, not judged (custodian: all; others: those shown)
  std::vector<ReviewPair> pairs;
  audit::Record record;  // action resolve-review, the ids shown
};

// Re-runs resolution (seconds at 100k records) and returns the pairs the model is unsure of
// (probability 0.05-0.95) that no analyst has judged, closest to 0.5 first, at most `limit`, of
// which `who` may see both records. kPermissionDenied unless `who` may resolve.
Result<ReviewAnswer> Review(index::Index& index, const access::Principal& who, size_t limit,
                            const resolve::ResolveOptions& options);

// The answer as the API and `ura resolve review --json` give it: {"uncertain", "pairs": [{"a",
// "b" (ids), "probability", "weight", "names_swapped", "contributions": [{"field", "level",
// "weight"}], "explanation", "records": {"a": {...}, "b": {...}} (name parts, birth dates,
// identifiers, source and record key as resolution read them)}]}.
nlohmann::json ReviewJson(const ReviewAnswer& answer);

// An analyst's judgement, checked: both ids name Person records `who` may see (else kNotFound,
// as for a missing record), two different ids, `who` may resolve (else kPermissionDenied).
// Returns the judgement's journal payload and fills `record` (action resolve-judge); the
// caller appends both in one commit.
Result<std::string> JudgementPayload(index::Index& index, const access::Principal& who, const std::string& a,
                                     const std::string& b, resolve::Decision decision, const std::string& reason,
                                     int64_t now_us, audit::Record& record);

}  // namespace ura::service
