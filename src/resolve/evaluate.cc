#include "resolve/evaluate.h"

#include <map>
#include <unordered_map>

namespace ura::resolve {

namespace {

uint64_t PairsOf(uint64_t n) { return n * (n - 1) / 2; }

double F1(double p, double r) { return p + r == 0 ? 0 : 2 * p * r / (p + r); }

}  // namespace

EvaluationScores Evaluate(const std::vector<std::string>& predicted, const std::vector<std::string>& truth) {
  EvaluationScores s;
  s.records = predicted.size();
  std::unordered_map<std::string, uint64_t> predicted_size, true_size;
  std::map<std::pair<std::string, std::string>, uint64_t> both;
  for (size_t i = 0; i < predicted.size(); ++i) {
    ++predicted_size[predicted[i]];
    ++true_size[truth[i]];
    ++both[{predicted[i], truth[i]}];
  }
  for (const auto& [label, n] : predicted_size) s.predicted_pairs += PairsOf(n);
  for (const auto& [label, n] : true_size) s.true_pairs += PairsOf(n);
  double precision_sum = 0, recall_sum = 0;
  for (const auto& [labels, n] : both) {
    s.correct_pairs += PairsOf(n);
    // Each of the n records in this cell has n correct cluster-mates (itself included).
    precision_sum += static_cast<double>(n) * n / static_cast<double>(predicted_size[labels.first]);
    recall_sum += static_cast<double>(n) * n / static_cast<double>(true_size[labels.second]);
  }
  s.pair_precision = s.predicted_pairs == 0 ? 1 : static_cast<double>(s.correct_pairs) / s.predicted_pairs;
  s.pair_recall = s.true_pairs == 0 ? 1 : static_cast<double>(s.correct_pairs) / s.true_pairs;
  s.pair_f1 = F1(s.pair_precision, s.pair_recall);
  if (s.records > 0) {
    s.bcubed_precision = precision_sum / static_cast<double>(s.records);
    s.bcubed_recall = recall_sum / static_cast<double>(s.records);
  }
  s.bcubed_f1 = F1(s.bcubed_precision, s.bcubed_recall);
  return s;
}

}  // namespace ura::resolve
