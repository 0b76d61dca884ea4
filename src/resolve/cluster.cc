#include "resolve/cluster.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace ura::resolve {

namespace {

// Union-find that keeps every cluster's member list, so the smaller side of a merge can be
// walked (each record moves O(log n) times).
class Clusters {
 public:
  explicit Clusters(size_t n) : root_(n), members_(n) {
    std::iota(root_.begin(), root_.end(), 0u);
    for (uint32_t r = 0; r < n; ++r) members_[r] = {r};
  }
  uint32_t root(uint32_t record) const { return root_[record]; }
  const std::vector<uint32_t>& members(uint32_t root) const { return members_[root]; }
  void Join(uint32_t a, uint32_t b) {
    if (members_[a].size() < members_[b].size()) std::swap(a, b);
    for (uint32_t r : members_[b]) root_[r] = a;
    members_[a].insert(members_[a].end(), members_[b].begin(), members_[b].end());
    members_[b].clear();
    members_[b].shrink_to_fit();
  }

 private:
  std::vector<uint32_t> root_;
  std::vector<std::vector<uint32_t>> members_;
};

}  // namespace

Clustering ClusterPairs(size_t records, const std::vector<ScoredPair>& pairs, const ClusterConstraints& constraints,
                        double threshold) {
  Clustering result;
  // Every compared pair, both directions, in compressed rows.
  std::vector<uint32_t> offset(records + 1, 0);
  for (const ScoredPair& p : pairs) {
    ++offset[p.a + 1];
    ++offset[p.b + 1];
  }
  for (size_t r = 0; r < records; ++r) offset[r + 1] += offset[r];
  std::vector<std::pair<uint32_t, float>> neighbours(offset[records]);
  {
    std::vector<uint32_t> fill(offset.begin(), offset.end() - 1);
    for (const ScoredPair& p : pairs) {
      neighbours[fill[p.a]++] = {p.b, p.probability};
      neighbours[fill[p.b]++] = {p.a, p.probability};
    }
  }
  std::unordered_map<uint32_t, std::vector<uint32_t>> different;
  for (const auto& [a, b] : constraints.different) {
    different[a].push_back(b);
    different[b].push_back(a);
  }
  Clusters clusters(records);
  // Would joining the clusters of a and b put a "different" pair together?
  auto forbidden = [&](uint32_t ra, uint32_t rb) {
    if (different.empty()) return false;
    if (clusters.members(ra).size() > clusters.members(rb).size()) std::swap(ra, rb);
    for (uint32_t r : clusters.members(ra)) {
      auto it = different.find(r);
      if (it == different.end()) continue;
      for (uint32_t other : it->second) {
        if (clusters.root(other) == rb) return true;
      }
    }
    return false;
  };
  for (const auto& [a, b] : constraints.same) {
    const uint32_t ra = clusters.root(a), rb = clusters.root(b);
    if (ra == rb) continue;
    if (forbidden(ra, rb)) {
      ++result.judgement_conflicts;
      continue;
    }
    clusters.Join(ra, rb);
  }
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].probability >= threshold) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t x, uint32_t y) { return pairs[x].probability > pairs[y].probability; });
  for (uint32_t i : order) {
    uint32_t ra = clusters.root(pairs[i].a), rb = clusters.root(pairs[i].b);
    if (ra == rb) continue;
    if (forbidden(ra, rb)) {
      ++result.refused_by_judgement;
      continue;
    }
    // Average linkage over the pairs compared between the two clusters.
    if (clusters.members(ra).size() > clusters.members(rb).size()) std::swap(ra, rb);
    double sum = 0;
    uint64_t count = 0;
    for (uint32_t r : clusters.members(ra)) {
      for (uint32_t k = offset[r]; k < offset[r + 1]; ++k) {
        if (clusters.root(neighbours[k].first) != rb) continue;
        sum += neighbours[k].second;
        ++count;
      }
    }
    if (count > 0 && sum / static_cast<double>(count) < threshold) {
      ++result.refused_chaining;
      continue;
    }
    clusters.Join(ra, rb);
  }
  // Label by the lowest record of each cluster, so labels do not depend on merge order.
  result.cluster_of.assign(records, 0);
  std::vector<uint32_t> lowest(records, UINT32_MAX);
  for (uint32_t r = 0; r < records; ++r) {
    uint32_t root = clusters.root(r);
    lowest[root] = std::min(lowest[root], r);
  }
  for (uint32_t r = 0; r < records; ++r) result.cluster_of[r] = lowest[clusters.root(r)];
  // Cohesion: the mean probability of the compared pairs inside each cluster.
  std::vector<double> sum(records, 0);
  std::vector<uint32_t> count(records, 0);
  for (const ScoredPair& p : pairs) {
    if (result.cluster_of[p.a] != result.cluster_of[p.b]) continue;
    sum[result.cluster_of[p.a]] += p.probability;
    ++count[result.cluster_of[p.a]];
  }
  result.cohesion.assign(records, 1.0f);
  ClusterQuality& q = result.quality;
  double cohesion_total = 0;
  for (uint32_t r = 0; r < records; ++r) {
    const uint32_t root = clusters.root(r);
    if (result.cluster_of[r] != r || clusters.members(root).size() < 2) continue;
    const double cohesion = count[r] == 0 ? 1.0 : sum[r] / count[r];
    for (uint32_t member : clusters.members(root)) result.cohesion[member] = static_cast<float>(cohesion);
    ++q.clusters;
    q.clustered_records += clusters.members(root).size();
    q.largest = std::max<uint64_t>(q.largest, clusters.members(root).size());
    cohesion_total += cohesion;
    if (cohesion < 0.8) ++q.weak_clusters;
  }
  q.mean_cohesion = q.clusters == 0 ? 1.0 : cohesion_total / static_cast<double>(q.clusters);
  return result;
}

}  // namespace ura::resolve
