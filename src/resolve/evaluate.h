// Scoring a resolution against ground truth: pairwise precision/recall/F1 (over all pairs of
// records put in one cluster) and B-cubed (Bagga & Baldwin 1998: per record, the share of its
// predicted cluster that truly belongs with it, and of its true cluster that was found,
// averaged over records).
//
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ura::resolve {

struct EvaluationScores {
  uint64_t records = 0;
  uint64_t true_pairs = 0, predicted_pairs = 0, correct_pairs = 0;
  double pair_precision = 0, pair_recall = 0, pair_f1 = 0;
  double bcubed_precision = 0, bcubed_recall = 0, bcubed_f1 = 0;
};

// `predicted[i]` and `truth[i]` are record i's cluster labels (any strings; equal labels mean
// one cluster). Precision is 1 when nothing was predicted together, recall 1 when nothing
// truly belongs together. The vectors must have the same size.
EvaluationScores Evaluate(const std::vector<std::string>& predicted, const std::vector<std::string>& truth);

}  // namespace ura::resolve
