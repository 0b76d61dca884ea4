// EM on a small known case: pattern counts are the exact expectations under chosen m, u and
// prior, so those parameters are the maximum-likelihood fixed point EM must find from a
// different start.
#include "resolve/fellegi_sunter.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ura::resolve {
namespace {

constexpr int kUsed[] = {kFamilyName, kBirthDate, kIdentifier};

struct Truth {
  double prior = 0.2;
  std::array<std::vector<double>, kFields> m, u;
};

Truth KnownParameters() {
  Truth t;
  t.m[kFamilyName] = {0.05, 0.05, 0.2, 0.7};
  t.u[kFamilyName] = {0.6, 0.2, 0.15, 0.05};
  t.m[kBirthDate] = {0.05, 0.05, 0.05, 0.05, 0.8};
  t.u[kBirthDate] = {0.7, 0.15, 0.05, 0.02, 0.08};
  t.m[kIdentifier] = {0.1, 0.1, 0.8};
  t.u[kIdentifier] = {0.9, 0.07, 0.03};
  return t;
}

std::vector<PatternCount> ExpectedCounts(const Truth& t, double total, bool non_matches_only) {
  std::vector<PatternCount> out;
  for (int f = 0; f < 4; ++f) {
    for (int d = 0; d < 5; ++d) {
      for (int i = 0; i < 3; ++i) {
        PatternCount p;
        p.vector.level.fill(kMissing);
        p.vector.level[kFamilyName] = static_cast<int8_t>(f);
        p.vector.level[kBirthDate] = static_cast<int8_t>(d);
        p.vector.level[kIdentifier] = static_cast<int8_t>(i);
        const double pm = t.m[kFamilyName][f] * t.m[kBirthDate][d] * t.m[kIdentifier][i];
        const double pu = t.u[kFamilyName][f] * t.u[kBirthDate][d] * t.u[kIdentifier][i];
        const double share = non_matches_only ? pu : t.prior * pm + (1 - t.prior) * pu;
        p.count = static_cast<uint64_t>(std::llround(total * share));
        out.push_back(p);
      }
    }
  }
  return out;
}

TEST(EstimateEm, RecoversKnownParameters) {
  const Truth truth = KnownParameters();
  const std::vector<PatternCount> patterns = ExpectedCounts(truth, 1e9, false);
  // Start: u from "random pairs" that are all non-matches, but fewer and rounded; m generic.
  ModelParameters start = StartingParameters(ExpectedCounts(truth, 1e4, true));
  start.prior = 0.01;
  EmOptions options;
  options.max_iterations = 2000;
  options.tolerance = 1e-9;
  Result<ModelParameters> model = EstimateEm(patterns, start, options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_TRUE(model->converged);
  EXPECT_NEAR(model->prior, truth.prior, 1e-3);
  for (int f : kUsed) {
    for (size_t l = 0; l < truth.m[f].size(); ++l) {
      EXPECT_NEAR(model->m[f][l], truth.m[f][l], 2e-3) << FieldName(f) << " level " << l;
      EXPECT_NEAR(model->u[f][l], truth.u[f][l], 2e-3) << FieldName(f) << " level " << l;
    }
  }
  // The weights follow: exact family name is log2(0.7 / 0.05) = +3.81.
  ComparisonVector v;
  v.level.fill(kMissing);
  v.level[kFamilyName] = 3;
  EXPECT_NEAR(Explain(*model, v)[kFamilyName].weight, std::log2(0.7 / 0.05), 0.02);
  EXPECT_NE(ExplanationText(*model, v).find("family name exact: +3.8"), std::string::npos)
      << ExplanationText(*model, v);
}

TEST(EstimateEm, FixedUStaysFixed) {
  const Truth truth = KnownParameters();
  ModelParameters start = StartingParameters(ExpectedCounts(truth, 1e4, true));
  EmOptions options;
  options.fix_u = true;
  Result<ModelParameters> model = EstimateEm(ExpectedCounts(truth, 1e6, false), start, options);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->u, start.u);
  EXPECT_GT(model->m[kIdentifier][2], 0.5);
}

TEST(EstimateEm, NoPairsIsAnError) {
  EXPECT_EQ(EstimateEm({}, StartingParameters({})).status().code(), StatusCode::kInvalidArgument);
}

TEST(MatchWeight, MissingFieldsAddNothing) {
  ModelParameters model = StartingParameters({});
  model.prior = 0.5;  // prior odds 1: weight is the fields' sum
  ComparisonVector v;
  v.level.fill(kMissing);
  EXPECT_DOUBLE_EQ(MatchWeight(model, v), 0.0);
  EXPECT_DOUBLE_EQ(MatchProbability(0.0), 0.5);
  v.level[kIdentifier] = 2;
  EXPECT_NEAR(MatchWeight(model, v), std::log2(model.m[kIdentifier][2] / model.u[kIdentifier][2]), 1e-12);
}

}  // namespace
}  // namespace ura::resolve
