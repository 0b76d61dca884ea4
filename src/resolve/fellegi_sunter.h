// The Fellegi-Sunter model: for each field and agreement level, m = P(level | same person)
// and u = P(level | different persons); a pair's match weight is log2 of the prior odds plus
// the sum over fields of log2(m/u) (missing fields add nothing). The parameters are
// estimated without labels by expectation-maximisation over the comparison vectors of the
// candidate pairs (Winkler 1988; as Splink does), started from u measured on random pairs --
// nearly all of which are different persons -- and an m that trusts close agreement.
//
// Values; thread-safe to read concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "resolve/compare.h"

namespace ura::resolve {

struct ModelParameters {
  double prior = 0.01;  // lambda: share of candidate pairs that are the same person
  std::array<std::vector<double>, kFields> m;
  std::array<std::vector<double>, kFields> u;
  int iterations = 0;      // EM iterations run
  bool converged = false;  // the largest parameter change fell below the tolerance
};

// A distinct comparison vector and how many candidate pairs have it: EM runs over these, so
// its cost does not grow with the number of pairs.
struct PatternCount {
  ComparisonVector vector;
  uint64_t count = 0;
};

// m trusting close agreement (the top level 0.85, the rest shared, the lowest least) and u
// from `random_pairs` (add-one smoothed); uniform u when there are none.
ModelParameters StartingParameters(const std::vector<PatternCount>& random_pairs);

struct EmOptions {
  int max_iterations = 200;
  double tolerance = 1e-6;  // stop when no parameter moved more than this
  bool fix_u = false;       // keep u as started (Splink's default): only m and the prior move
};

// Runs EM from `start`. kInvalidArgument when there are no patterns.
Result<ModelParameters> EstimateEm(const std::vector<PatternCount>& patterns, ModelParameters start,
                                   const EmOptions& options = {});

// One field's part of a pair's weight.
struct Contribution {
  int field = 0;
  int8_t level = kMissing;
  double weight = 0;  // log2(m/u); 0 when missing
};

// log2 of the prior odds plus every field's contribution.
double MatchWeight(const ModelParameters& model, const ComparisonVector& vector);
// 2^w / (1 + 2^w).
double MatchProbability(double weight);
std::vector<Contribution> Explain(const ModelParameters& model, const ComparisonVector& vector);
// "family name exact: +6.1, birth date day/month swapped: +4.3, identifier missing ..." --
// fields in the vector's order, missing ones left out; "names swapped" when they were.
std::string ExplanationText(const ModelParameters& model, const ComparisonVector& vector);

}  // namespace ura::resolve
