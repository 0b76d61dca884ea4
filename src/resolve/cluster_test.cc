#include "resolve/cluster.h"

#include <gtest/gtest.h>

namespace ura::resolve {
namespace {

TEST(ClusterPairs, JoinsAboveThreshold) {
  Clustering c = ClusterPairs(4, {{0, 1, 0.9f}, {2, 3, 0.3f}}, {}, 0.5);
  EXPECT_EQ(c.cluster_of, (std::vector<uint32_t>{0, 0, 2, 3}));
  EXPECT_EQ(c.quality.clusters, 1u);
  EXPECT_FLOAT_EQ(c.cohesion[0], 0.9f);
  EXPECT_FLOAT_EQ(c.cohesion[2], 1.0f);
}

TEST(ClusterPairs, NoChainingThroughOneWeakLink) {
  // A~B and B~C are strong, but A and C were compared and differ: average linkage between
  // {A, B} and {C} is (0.95 + 0.01) / 2 < 0.5, so C stays apart.
  Clustering c = ClusterPairs(3, {{0, 1, 0.99f}, {1, 2, 0.95f}, {0, 2, 0.01f}}, {}, 0.5);
  EXPECT_EQ(c.cluster_of, (std::vector<uint32_t>{0, 0, 2}));
  EXPECT_EQ(c.refused_chaining, 1u);
  // Not compared: nothing speaks against the chain.
  Clustering chained = ClusterPairs(3, {{0, 1, 0.99f}, {1, 2, 0.95f}}, {}, 0.5);
  EXPECT_EQ(chained.cluster_of, (std::vector<uint32_t>{0, 0, 0}));
}

TEST(ClusterPairs, JudgementsWinOverTheModel) {
  ClusterConstraints constraints;
  constraints.different = {{0, 1}};
  constraints.same = {{2, 3}};
  Clustering c = ClusterPairs(4, {{0, 1, 0.99f}, {2, 3, 0.01f}}, constraints, 0.5);
  EXPECT_EQ(c.cluster_of, (std::vector<uint32_t>{0, 1, 2, 2}));
  EXPECT_EQ(c.refused_by_judgement, 1u);
}

TEST(ClusterPairs, DifferentSplitsATransitiveCluster) {
  // 0-1-2 would be one person through two strong links; "0 and 2 differ" keeps them apart
  // (2 goes nowhere: joining it to {0, 1} would put 0 and 2 together).
  ClusterConstraints constraints;
  constraints.different = {{0, 2}};
  Clustering c = ClusterPairs(3, {{0, 1, 0.99f}, {1, 2, 0.98f}}, constraints, 0.5);
  EXPECT_NE(c.cluster_of[0], c.cluster_of[2]);
  EXPECT_EQ(c.cluster_of[0], c.cluster_of[1]);
}

TEST(ClusterPairs, SameConflictingWithDifferentIsCounted) {
  ClusterConstraints constraints;
  constraints.same = {{0, 1}, {1, 2}};
  constraints.different = {{0, 2}};
  Clustering c = ClusterPairs(3, {}, constraints, 0.5);
  EXPECT_EQ(c.judgement_conflicts, 1u);
  EXPECT_NE(c.cluster_of[0], c.cluster_of[2]);
}

}  // namespace
}  // namespace ura::resolve
