// Entity resolution end to end: Person records from the index -> blocking -> comparison
// vectors -> Fellegi-Sunter model estimated by EM -> clustering with analysts' judgements
// -> canonical persons. This is the service behind `ura resolve`; storing a run and the
// judgements is decisions.h.
//
// Resolve holds every record, every candidate pair (12 bytes each) and one entry per distinct
// comparison vector in memory. It compares pairs on `threads` threads; the result does not
// depend on their number. Not thread-safe to share a Resolution being built; the result is a value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "index/index.h"
#include "model/schema.h"
#include "resolve/blocking.h"
#include "resolve/cluster.h"
#include "resolve/compare.h"
#include "resolve/decisions.h"
#include "resolve/fellegi_sunter.h"
#include "resolve/record.h"

namespace ura::resolve {

struct ResolveOptions {
  double threshold = 0.5;          // match probability at which two records are joined
  size_t max_block = 1000;         // see blocking.h
  uint64_t random_pairs = 200000;  // random pairs that estimate the starting u
  uint64_t seed = 1;               // for choosing them (the same seed, the same result)
  int threads = 2;
  size_t training_window = 5;      // see TrainingPairs (blocking.h)
  // More training pairs than this are sampled evenly (every k-th, each counted k times): EM
  // needs their proportions, not all of them (23M at 1M persons, 40% of the comparing).
  uint64_t max_training_pairs = 4'000'000;
  EmOptions em;
};

// A distinct comparison vector among the candidate pairs, with the model's verdict on it.
struct Pattern {
  ComparisonVector vector;
  uint64_t count = 0;
  double weight = 0;
  double probability = 0;
};

struct ResolvedPair {
  uint32_t a = 0, b = 0;  // indices into the records
  uint32_t pattern = 0;   // index into Resolution::patterns
};

struct Resolution {
  BlockingStats blocking;
  ModelParameters model;
  std::vector<Pattern> patterns;
  std::vector<ResolvedPair> pairs;  // every candidate pair, sorted by (a, b)
  Clustering clustering;
  uint64_t training_pairs = 0;       // pairs EM saw besides the candidates (TrainingPairs)
  uint64_t matched_pairs = 0;        // candidate pairs at or above the threshold
  uint64_t judgements_applied = 0;   // judgements naming two records of this run
  uint64_t judgements_unknown = 0;   // judgements naming a record no longer there
  double seconds_blocking = 0, seconds_comparing = 0, seconds_estimating = 0, seconds_clustering = 0;
};

// Every current Person entity of the index (and its descendants), in id order: the records the
// index keeps beside them (an index opened with IndexedBlockingKeys, incremental.h).
Result<std::vector<PersonRecord>> LoadPersons(index::Index& index);

// Resolves `records` (ids distinct). kInvalidArgument if there are fewer than two records or
// no candidate pairs to estimate the model from.
Result<Resolution> Resolve(const std::vector<PersonRecord>& records, const std::vector<Judgement>& judgements,
                           const ResolveOptions& options);

// The judgement in force for a pair of records, if any.
const Judgement* FindJudgement(const std::vector<Judgement>& judgements, const std::string& a, const std::string& b);

// Persons of two or more records, each with its canonical id, members sorted, in order of id.
std::vector<CanonicalPerson> CanonicalPersons(const std::vector<PersonRecord>& records, const Resolution& resolution);

// What a run reports, as JSON: records, pairs, reduction ratio, pairs per blocking key,
// model (prior, m and u per field and level, iterations), matched pairs, clusters and their
// quality, refused merges, and the time of each stage.
std::string StatsJson(const Resolution& resolution);

}  // namespace ura::resolve
