#include "resolve/fellegi_sunter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ura::resolve {

namespace {

// No level is ever impossible: a probability of 0 would make one disagreement veto (or one
// agreement force) a match whatever the other fields say.
constexpr double kFloor = 1e-6;

void Normalise(std::vector<double>& p) {
  double total = 0;
  for (double& x : p) {
    x = std::max(x, kFloor);
    total += x;
  }
  for (double& x : p) x /= total;
}

}  // namespace

ModelParameters StartingParameters(const std::vector<PatternCount>& random_pairs) {
  ModelParameters start;
  for (int f = 0; f < kFields; ++f) {
    const int levels = kFieldLevels[f];
    start.m[f].assign(levels, 0);
    // Top level 0.85; the rest share 0.15, more to the closer levels.
    double rest = 0;
    for (int l = 0; l < levels - 1; ++l) rest += l + 1;
    for (int l = 0; l < levels - 1; ++l) start.m[f][l] = 0.15 * (l + 1) / rest;
    start.m[f][levels - 1] = 0.85;
    start.u[f].assign(levels, 1.0);  // add-one smoothing
    for (const PatternCount& p : random_pairs) {
      int8_t level = p.vector.level[f];
      if (level != kMissing) start.u[f][level] += static_cast<double>(p.count);
    }
    Normalise(start.m[f]);
    Normalise(start.u[f]);
  }
  return start;
}

Result<ModelParameters> EstimateEm(const std::vector<PatternCount>& patterns, ModelParameters model,
                                   const EmOptions& options) {
  uint64_t total = 0;
  for (const PatternCount& p : patterns) total += p.count;
  if (total == 0) return InvalidArgument("no candidate pairs to estimate the model from");
  model.converged = false;
  for (model.iterations = 0; model.iterations < options.max_iterations;) {
    ++model.iterations;
    // E step: the probability that each pattern is a match under the current parameters.
    // M step: the expected counts of each level among matches and non-matches.
    std::array<std::vector<double>, kFields> m_count, u_count;
    for (int f = 0; f < kFields; ++f) {
      m_count[f].assign(kFieldLevels[f], 0);
      u_count[f].assign(kFieldLevels[f], 0);
    }
    double matches = 0;
    for (const PatternCount& p : patterns) {
      double log_m = std::log(model.prior), log_u = std::log(1 - model.prior);
      for (int f = 0; f < kFields; ++f) {
        int8_t level = p.vector.level[f];
        if (level == kMissing) continue;
        log_m += std::log(model.m[f][level]);
        log_u += std::log(model.u[f][level]);
      }
      const double g = 1.0 / (1.0 + std::exp(log_u - log_m));
      const double count = static_cast<double>(p.count);
      matches += g * count;
      for (int f = 0; f < kFields; ++f) {
        int8_t level = p.vector.level[f];
        if (level == kMissing) continue;
        m_count[f][level] += g * count;
        u_count[f][level] += (1 - g) * count;
      }
    }
    double change = 0;
    const double prior = std::clamp(matches / static_cast<double>(total), kFloor, 1 - kFloor);
    change = std::max(change, std::abs(prior - model.prior));
    model.prior = prior;
    for (int f = 0; f < kFields; ++f) {
      Normalise(m_count[f]);
      for (int l = 0; l < kFieldLevels[f]; ++l) change = std::max(change, std::abs(m_count[f][l] - model.m[f][l]));
      model.m[f] = std::move(m_count[f]);
      if (options.fix_u) continue;
      Normalise(u_count[f]);
      for (int l = 0; l < kFieldLevels[f]; ++l) change = std::max(change, std::abs(u_count[f][l] - model.u[f][l]));
      model.u[f] = std::move(u_count[f]);
    }
    if (change < options.tolerance) {
      model.converged = true;
      break;
    }
  }
  return model;
}

std::vector<Contribution> Explain(const ModelParameters& model, const ComparisonVector& vector) {
  std::vector<Contribution> out;
  for (int f = 0; f < kFields; ++f) {
    Contribution c{f, vector.level[f], 0};
    if (c.level != kMissing) c.weight = std::log2(model.m[f][c.level] / model.u[f][c.level]);
    out.push_back(c);
  }
  return out;
}

double MatchWeight(const ModelParameters& model, const ComparisonVector& vector) {
  double weight = std::log2(model.prior / (1 - model.prior));
  for (int f = 0; f < kFields; ++f) {
    int8_t level = vector.level[f];
    if (level != kMissing) weight += std::log2(model.m[f][level] / model.u[f][level]);
  }
  return weight;
}

double MatchProbability(double weight) {
  const double odds = std::exp2(std::clamp(weight, -60.0, 60.0));
  return odds / (1 + odds);
}

std::string ExplanationText(const ModelParameters& model, const ComparisonVector& vector) {
  std::string out;
  char buffer[32];
  for (const Contribution& c : Explain(model, vector)) {
    if (c.level == kMissing) continue;
    std::snprintf(buffer, sizeof buffer, "%+.1f", c.weight);
    if (!out.empty()) out += ", ";
    out += std::string(FieldName(c.field)) + " " + std::string(LevelName(c.field, c.level)) + ": " + buffer;
  }
  std::snprintf(buffer, sizeof buffer, "%+.1f", std::log2(model.prior / (1 - model.prior)));
  out += std::string(out.empty() ? "" : ", ") + "prior: " + buffer;
  if (vector.names_swapped) out += " (given and family names swapped)";
  return out;
}

}  // namespace ura::resolve
