// Clustering scored pairs into persons, with analysts' decisions taking precedence.
//
// Pairs at or above the threshold are taken strongest first. Two clusters are joined only
// when the pairs compared between them agree on average (average linkage over every
// compared pair, below the threshold too): one strong link between two otherwise
// disagreeing groups does not chain them ("A~B, B~C" does not make A and C one person when
// A and C were compared and differ). Decisions: "same" pairs are joined first, whatever the
// model says; "different" pairs are never put in one cluster -- a merge that would do so is
// refused, so a "different" judgement splits what the model would have joined.
//
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ura::resolve {

struct ScoredPair {
  uint32_t a = 0, b = 0;
  float probability = 0;
};

struct ClusterConstraints {
  std::vector<std::pair<uint32_t, uint32_t>> same;
  std::vector<std::pair<uint32_t, uint32_t>> different;
};

struct ClusterQuality {
  uint64_t clusters = 0;         // clusters of two or more records
  uint64_t clustered_records = 0;
  uint64_t largest = 0;
  double mean_cohesion = 0;      // mean over those clusters of the mean probability of their compared pairs
  uint64_t weak_clusters = 0;    // cohesion below 0.8: worth an analyst's look
};

struct Clustering {
  std::vector<uint32_t> cluster_of;  // per record: the index of its cluster's first (lowest) record
  std::vector<float> cohesion;       // per record: its cluster's cohesion (1 for a singleton)
  uint64_t refused_chaining = 0;     // merges refused by average linkage
  uint64_t refused_by_judgement = 0; // merges refused because they would join a "different" pair
  uint64_t judgement_conflicts = 0;  // "same" decisions not applied because of a "different" one
  ClusterQuality quality;
};

Clustering ClusterPairs(size_t records, const std::vector<ScoredPair>& pairs, const ClusterConstraints& constraints,
                        double threshold);

}  // namespace ura::resolve
