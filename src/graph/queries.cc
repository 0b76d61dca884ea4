#include "graph/queries.h"

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>
#include <unordered_set>

namespace ura::graph {
namespace {

// Usable neighbours of `node`: calls fn(neighbour, edge) for each.
template <typename Fn>
void ForEachUsable(const Graph& g, const Filter& f, uint32_t node, Fn&& fn) {
  std::span<const uint32_t> nodes = g.neighbours(node);
  std::span<const uint32_t> edges = g.incident_edges(node);
  // Without edge conditions the edges themselves are not read (one memory access less each).
  const bool check_edges =
      !f.edge_type_ok.empty() || !f.visible.empty() || f.day_from != kNoDay || f.day_to != kNoDay;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if ((!check_edges || f.EdgeOk(g, edges[i])) && f.NodeOk(g, nodes[i])) fn(nodes[i], edges[i]);
  }
}

// Per-node marks for one search, from a per-thread buffer reset in O(1) by a generation
// number, so a query touching a few hundred nodes of a million-node graph costs what it
// touches. Two may be alive at once per thread (slot 0 and 1: bidirectional search); no more.
class Marks {
 public:
  Marks(size_t nodes, int slot) : s_(Scratch()[slot]) {
    if (s_.stamp.size() < nodes) {
      s_.stamp.assign(nodes, 0);
      s_.parent.resize(nodes);
      s_.edge.resize(nodes);
      s_.generation = 0;
    }
    if (++s_.generation == 0) {
      std::fill(s_.stamp.begin(), s_.stamp.end(), 0);
      s_.generation = 1;
    }
  }
  bool Has(uint32_t n) const { return s_.stamp[n] == s_.generation; }
  void Set(uint32_t n, uint32_t parent, uint32_t edge) {
    s_.stamp[n] = s_.generation;
    s_.parent[n] = parent;
    s_.edge[n] = edge;
  }
  uint32_t parent(uint32_t n) const { return s_.parent[n]; }
  uint32_t edge(uint32_t n) const { return s_.edge[n]; }

 private:
  struct Buffer {
    std::vector<uint32_t> stamp, parent, edge;
    uint32_t generation = 0;
  };
  static std::array<Buffer, 2>& Scratch() {
    thread_local std::array<Buffer, 2> buffers;
    return buffers;
  }
  Buffer& s_;
};

// What Yen's algorithm takes away from one search: nodes (the root path) and the first hops
// out of the source already used by paths sharing the root.
struct Bans {
  std::unordered_set<uint32_t> nodes;
  std::unordered_set<uint32_t> first_hops;
};

// Shortest path by breadth-first search from both ends, a whole level of the smaller frontier
// at a time; the shortest meeting of a level is a shortest path.
std::optional<Path> Bfs(const Graph& g, const Filter& f, uint32_t a, uint32_t b, const Bans* bans) {
  if (!f.NodeOk(g, a) || !f.NodeOk(g, b)) return std::nullopt;
  if (a == b) return Path{{a}, {}};
  Marks from_a(g.node_count(), 0), from_b(g.node_count(), 1);
  from_a.Set(a, kNoNode, kNoNode);
  from_b.Set(b, kNoNode, kNoNode);
  std::vector<uint32_t> front_a{a}, front_b{b}, next;
  // An edge u-v may be walked unless v is banned, or it leaves `a` to a banned first hop.
  auto allowed = [&](uint32_t u, uint32_t v) {
    if (bans == nullptr) return true;
    if (bans->nodes.contains(v) || bans->nodes.contains(u)) return false;
    return !((u == a && bans->first_hops.contains(v)) || (v == a && bans->first_hops.contains(u)));
  };
  uint32_t meet_u = kNoNode, meet_v = kNoNode, meet_edge = kNoNode;  // meet_u on a's side
  while (!front_a.empty() && !front_b.empty() && meet_u == kNoNode) {
    const bool forward = front_a.size() <= front_b.size();
    Marks& mine = forward ? from_a : from_b;
    const Marks& theirs = forward ? from_b : from_a;
    next.clear();
    for (uint32_t u : forward ? front_a : front_b) {
      ForEachUsable(g, f, u, [&](uint32_t v, uint32_t e) {
        if (meet_u != kNoNode || mine.Has(v) || !allowed(u, v)) return;
        if (theirs.Has(v)) {
          meet_u = forward ? u : v;
          meet_v = forward ? v : u;
          meet_edge = e;
          return;
        }
        mine.Set(v, u, e);
        next.push_back(v);
      });
      if (meet_u != kNoNode) break;
    }
    (forward ? front_a : front_b).swap(next);
  }
  if (meet_u == kNoNode) return std::nullopt;
  Path path;
  for (uint32_t v = meet_u; v != kNoNode; v = from_a.parent(v)) {
    path.nodes.push_back(v);
    if (from_a.edge(v) != kNoNode) path.edges.push_back(from_a.edge(v));
  }
  std::reverse(path.nodes.begin(), path.nodes.end());
  std::reverse(path.edges.begin(), path.edges.end());
  path.edges.push_back(meet_edge);
  for (uint32_t v = meet_v; v != kNoNode; v = from_b.parent(v)) {
    path.nodes.push_back(v);
    if (from_b.edge(v) != kNoNode) path.edges.push_back(from_b.edge(v));
  }
  return path;
}

// Renumbers labels (kNoNode = none) by decreasing group size, ties by lowest node.
Components Renumber(const std::vector<uint32_t>& label) {
  std::unordered_map<uint32_t, std::pair<uint32_t, uint32_t>>
      groups;  // label -> (size, first node)
  for (uint32_t n = 0; n < label.size(); ++n) {
    if (label[n] == kNoNode) continue;
    auto [it, fresh] = groups.try_emplace(label[n], 0, n);
    ++it->second.first;
  }
  std::vector<std::pair<uint32_t, uint32_t>> order;  // (label, first)
  for (const auto& [l, sf] : groups) order.emplace_back(l, sf.second);
  std::sort(order.begin(), order.end(), [&](const auto& x, const auto& y) {
    const uint32_t sx = groups[x.first].first, sy = groups[y.first].first;
    return sx != sy ? sx > sy : x.second < y.second;
  });
  std::unordered_map<uint32_t, uint32_t> number;
  Components c;
  for (const auto& [l, first] : order) {
    number[l] = static_cast<uint32_t>(c.sizes.size());
    c.sizes.push_back(groups[l].first);
  }
  c.component.assign(label.size(), kNoNode);
  for (uint32_t n = 0; n < label.size(); ++n) {
    if (label[n] != kNoNode) c.component[n] = number[label[n]];
  }
  return c;
}

// A weighted undirected graph for community detection (compressed rows; a self-loop entry
// holds twice the weight inside an aggregated node, so a node's strength is its row's sum).
struct WeightedGraph {
  std::vector<uint64_t> offsets;
  std::vector<uint32_t> target;
  std::vector<double> weight;
  std::vector<double> strength;
  double total = 0;  // sum of strengths (2m)
  uint32_t size() const { return static_cast<uint32_t>(offsets.size() - 1); }
};

// Local moving from `community` (Leiden's fast variant: after one pass over every node in
// random order, only the neighbours of nodes that moved are visited again); returns whether
// any node moved.
bool MoveNodes(const WeightedGraph& w, double resolution, std::mt19937_64& rng,
               std::vector<uint32_t>& community) {
  const uint32_t n = w.size();
  std::vector<double> tot(n, 0.0);
  for (uint32_t i = 0; i < n; ++i) tot[community[i]] += w.strength[i];
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  std::deque<uint32_t> queue(order.begin(), order.end());
  std::vector<uint8_t> queued(n, 1);
  std::vector<double> to_community(n, 0.0);
  std::vector<uint32_t> touched;
  bool any = false;
  while (!queue.empty()) {
    const uint32_t i = queue.front();
    queue.pop_front();
    queued[i] = 0;
    touched.clear();
    for (uint64_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) {
      const uint32_t j = w.target[k];
      if (j == i) continue;
      const uint32_t c = community[j];
      if (to_community[c] == 0.0) touched.push_back(c);
      to_community[c] += w.weight[k];
    }
    const uint32_t old = community[i];
    const double ki = w.strength[i];
    tot[old] -= ki;
    uint32_t best = old;
    double best_gain = to_community[old] - resolution * tot[old] * ki / w.total;
    for (uint32_t c : touched) {
      const double gain = to_community[c] - resolution * tot[c] * ki / w.total;
      if (gain > best_gain + 1e-12) {
        best = c;
        best_gain = gain;
      }
    }
    for (uint32_t c : touched) to_community[c] = 0.0;
    to_community[old] = 0.0;
    tot[best] += ki;
    if (best == old) continue;
    community[i] = best;
    any = true;
    for (uint64_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) {
      const uint32_t j = w.target[k];
      if (!queued[j] && community[j] != best) {
        queued[j] = 1;
        queue.push_back(j);
      }
    }
  }
  return any;
}

// Splits every community into its connected parts (the Leiden refinement's guarantee).
std::vector<uint32_t> SplitDisconnected(const WeightedGraph& w,
                                        const std::vector<uint32_t>& community) {
  const uint32_t n = w.size();
  std::vector<uint32_t> refined(n, kNoNode);
  uint32_t next = 0;
  std::vector<uint32_t> stack;
  for (uint32_t s = 0; s < n; ++s) {
    if (refined[s] != kNoNode) continue;
    refined[s] = next;
    stack.assign(1, s);
    while (!stack.empty()) {
      const uint32_t u = stack.back();
      stack.pop_back();
      for (uint64_t k = w.offsets[u]; k < w.offsets[u + 1]; ++k) {
        const uint32_t v = w.target[k];
        if (refined[v] == kNoNode && community[v] == community[u]) {
          refined[v] = next;
          stack.push_back(v);
        }
      }
    }
    ++next;
  }
  return refined;
}

// The graph of the parts: one node per part, edge weights summed.
WeightedGraph Aggregate(const WeightedGraph& w, const std::vector<uint32_t>& part, uint32_t parts) {
  // Members of each part in compressed rows (no vector per part).
  std::vector<uint32_t> first(parts + 1, 0), member(w.size());
  for (uint32_t i = 0; i < w.size(); ++i) ++first[part[i] + 1];
  for (uint32_t p = 0; p < parts; ++p) first[p + 1] += first[p];
  std::vector<uint32_t> fill(first.begin(), first.end() - 1);
  for (uint32_t i = 0; i < w.size(); ++i) member[fill[part[i]]++] = i;
  WeightedGraph out;
  out.offsets.assign(1, 0);
  out.strength.assign(parts, 0.0);
  out.total = w.total;
  std::vector<double> sum(parts, 0.0);
  std::vector<uint32_t> touched;
  for (uint32_t p = 0; p < parts; ++p) {
    touched.clear();
    for (uint32_t m = first[p]; m < first[p + 1]; ++m) {
      const uint32_t i = member[m];
      out.strength[p] += w.strength[i];
      for (uint64_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) {
        const uint32_t q = part[w.target[k]];
        if (sum[q] == 0.0) touched.push_back(q);
        sum[q] += w.weight[k];
      }
    }
    std::sort(touched.begin(), touched.end());
    for (uint32_t q : touched) {
      out.target.push_back(q);
      out.weight.push_back(sum[q]);
      sum[q] = 0.0;
    }
    out.offsets.push_back(out.target.size());
  }
  return out;
}

// The usable part of `g` as a weighted graph over local numbers; `local` maps nodes to them.
WeightedGraph Weighted(const Graph& g, const Filter& f, std::vector<uint32_t>& local,
                       std::vector<uint32_t>& global) {
  local.assign(g.node_count(), kNoNode);
  global.clear();
  for (uint32_t n = 0; n < g.node_count(); ++n) {
    if (f.NodeOk(g, n)) {
      local[n] = static_cast<uint32_t>(global.size());
      global.push_back(n);
    }
  }
  WeightedGraph w;
  w.offsets.assign(1, 0);
  w.strength.assign(global.size(), 0.0);
  for (uint32_t i = 0; i < global.size(); ++i) {
    ForEachUsable(g, f, global[i], [&](uint32_t v, uint32_t) {
      w.target.push_back(local[v]);
      w.weight.push_back(1.0);
      w.strength[i] += 1.0;
    });
    w.offsets.push_back(w.target.size());
    w.total += w.strength[i];
  }
  return w;
}

std::vector<uint32_t> UsableNodes(const Graph& g, const Filter& f) {
  std::vector<uint32_t> out;
  for (uint32_t u = 0; u < g.node_count(); ++u) {
    if (f.NodeOk(g, u)) out.push_back(u);
  }
  return out;
}

// Labels every usable node with the lowest-numbered node of its connected part (kNoNode for
// the others); with `within`, only edges between nodes of the same `within` label join.
std::vector<uint32_t> ConnectedParts(const Graph& g, const Filter& f,
                                     const std::vector<uint32_t>* within) {
  std::vector<uint32_t> label(g.node_count(), kNoNode);
  std::vector<uint32_t> stack;
  for (uint32_t s = 0; s < g.node_count(); ++s) {
    if (label[s] != kNoNode || !f.NodeOk(g, s)) continue;
    label[s] = s;
    stack.assign(1, s);
    while (!stack.empty()) {
      const uint32_t u = stack.back();
      stack.pop_back();
      ForEachUsable(g, f, u, [&](uint32_t v, uint32_t) {
        if (label[v] == kNoNode && (within == nullptr || (*within)[v] == (*within)[u])) {
          label[v] = s;
          stack.push_back(v);
        }
      });
    }
  }
  return label;
}

}  // namespace

Subgraph Neighbourhood(const Graph& g, const Filter& f, uint32_t seed, uint32_t hops,
                       size_t max_nodes, bool with_edges) {
  Subgraph out;
  if (!f.NodeOk(g, seed) || max_nodes == 0) return out;
  Marks seen(g.node_count(), 0);
  seen.Set(seed, kNoNode, kNoNode);
  out.nodes.push_back(seed);
  out.distance.push_back(0);
  for (size_t head = 0; head < out.nodes.size() && !out.truncated; ++head) {
    const uint32_t u = out.nodes[head];
    const uint32_t d = out.distance[head];
    if (d >= hops) break;
    ForEachUsable(g, f, u, [&](uint32_t v, uint32_t) {
      if (out.truncated || seen.Has(v)) return;
      if (out.nodes.size() >= max_nodes) {
        out.truncated = true;
        return;
      }
      seen.Set(v, u, kNoNode);
      out.nodes.push_back(v);
      out.distance.push_back(d + 1);
    });
  }
  if (!with_edges) return out;
  for (uint32_t u : out.nodes) {
    ForEachUsable(g, f, u, [&](uint32_t v, uint32_t e) {
      if (u < v && seen.Has(v)) out.edges.push_back(e);  // each edge once, from its lower end
    });
  }
  return out;
}

std::optional<Path> ShortestPath(const Graph& g, const Filter& f, uint32_t a, uint32_t b) {
  return Bfs(g, f, a, b, nullptr);
}

std::vector<Path> KShortestPaths(const Graph& g, const Filter& f, uint32_t a, uint32_t b,
                                 size_t k) {
  std::vector<Path> found;
  if (k == 0) return found;
  std::optional<Path> first = Bfs(g, f, a, b, nullptr);
  if (!first) return found;
  found.push_back(std::move(*first));
  std::vector<Path> candidates;
  auto known = [&](const Path& p) {
    auto same = [&](const Path& q) { return q.nodes == p.nodes; };
    return std::any_of(found.begin(), found.end(), same) ||
           std::any_of(candidates.begin(), candidates.end(), same);
  };
  while (found.size() < k) {
    const Path last = found.back();
    for (size_t i = 0; i + 1 < last.nodes.size(); ++i) {
      const uint32_t spur = last.nodes[i];
      Bans bans;
      for (size_t r = 0; r < i; ++r) bans.nodes.insert(last.nodes[r]);
      for (const Path& p : found) {
        if (p.nodes.size() > i + 1 &&
            std::equal(p.nodes.begin(), p.nodes.begin() + static_cast<ptrdiff_t>(i + 1),
                       last.nodes.begin())) {
          bans.first_hops.insert(p.nodes[i + 1]);
        }
      }
      std::optional<Path> tail = Bfs(g, f, spur, b, &bans);
      if (!tail) continue;
      Path whole;
      whole.nodes.assign(last.nodes.begin(), last.nodes.begin() + static_cast<ptrdiff_t>(i));
      whole.edges.assign(last.edges.begin(), last.edges.begin() + static_cast<ptrdiff_t>(i));
      whole.nodes.insert(whole.nodes.end(), tail->nodes.begin(), tail->nodes.end());
      whole.edges.insert(whole.edges.end(), tail->edges.begin(), tail->edges.end());
      if (!known(whole)) candidates.push_back(std::move(whole));
    }
    if (candidates.empty()) break;
    auto best =
        std::min_element(candidates.begin(), candidates.end(), [](const Path& x, const Path& y) {
          return x.nodes.size() != y.nodes.size() ? x.nodes.size() < y.nodes.size()
                                                  : x.nodes < y.nodes;
        });
    found.push_back(std::move(*best));
    candidates.erase(best);
  }
  return found;
}

Connection Connect(const Graph& g, const Filter& f, const std::vector<uint32_t>& terminals) {
  Connection out;
  std::vector<uint32_t> pending;
  for (uint32_t t : terminals) {
    if (std::find(pending.begin(), pending.end(), t) != pending.end()) continue;
    if (f.NodeOk(g, t)) {
      pending.push_back(t);
    } else {
      out.unreached.push_back(t);
    }
  }
  if (pending.empty()) return out;
  std::unordered_set<uint32_t> in_tree{pending.front()};
  out.tree.nodes.push_back(pending.front());
  pending.erase(pending.begin());
  while (!pending.empty()) {
    // Breadth-first from the whole tree at once to the nearest pending terminal.
    Marks parent(g.node_count(), 0);
    std::deque<uint32_t> queue;
    for (uint32_t n : out.tree.nodes) {
      parent.Set(n, kNoNode, kNoNode);
      queue.push_back(n);
    }
    uint32_t reached = kNoNode;
    while (!queue.empty() && reached == kNoNode) {
      const uint32_t u = queue.front();
      queue.pop_front();
      ForEachUsable(g, f, u, [&](uint32_t v, uint32_t e) {
        if (reached != kNoNode || parent.Has(v)) return;
        parent.Set(v, u, e);
        if (std::find(pending.begin(), pending.end(), v) != pending.end()) reached = v;
        queue.push_back(v);
      });
    }
    if (reached == kNoNode) {
      out.unreached.insert(out.unreached.end(), pending.begin(), pending.end());
      break;
    }
    for (uint32_t v = reached; !in_tree.contains(v); v = parent.parent(v)) {
      in_tree.insert(v);
      out.tree.nodes.push_back(v);
      out.tree.edges.push_back(parent.edge(v));
    }
    pending.erase(std::find(pending.begin(), pending.end(), reached));
  }
  return out;
}

Components ConnectedComponents(const Graph& g, const Filter& f) {
  return Renumber(ConnectedParts(g, f, nullptr));
}

Components Communities(const Graph& g, const Filter& f, const CommunityOptions& options) {
  std::vector<uint32_t> local, global;
  WeightedGraph level = Weighted(g, f, local, global);
  std::mt19937_64 rng(options.seed);
  // membership[i]: the aggregated node that local node i belongs to at the current level.
  std::vector<uint32_t> membership(global.size());
  std::iota(membership.begin(), membership.end(), 0);
  std::vector<uint32_t> community(level.size());
  std::iota(community.begin(), community.end(), 0);
  for (int depth = 0; depth < options.max_levels && level.total > 0; ++depth) {
    const bool moved = MoveNodes(level, options.resolution, rng, community);
    const std::vector<uint32_t> refined = SplitDisconnected(level, community);
    const uint32_t parts =
        refined.empty() ? 0 : *std::max_element(refined.begin(), refined.end()) + 1;
    if (!moved && parts == level.size()) break;
    // The aggregated graph starts from the unrefined communities (Leiden), so a refined part
    // keeps its community unless moving it helps.
    // (Community labels renumbered below `parts`: MoveNodes indexes by them.)
    std::vector<uint32_t> renumbered(level.size(), kNoNode);
    uint32_t labels = 0;
    std::vector<uint32_t> next_community(parts);
    for (uint32_t i = 0; i < level.size(); ++i) {
      if (renumbered[community[i]] == kNoNode) renumbered[community[i]] = labels++;
      next_community[refined[i]] = renumbered[community[i]];
    }
    for (uint32_t& m : membership) m = refined[m];
    level = Aggregate(level, refined, parts);
    community = std::move(next_community);
    if (parts == refined.size()) break;  // nothing merged: done
  }
  std::vector<uint32_t> label(g.node_count(), kNoNode);
  for (uint32_t i = 0; i < global.size(); ++i) label[global[i]] = community[membership[i]];
  // A community of the last level may have come apart below; split what is not connected.
  return Renumber(ConnectedParts(g, f, &label));
}

double Modularity(const Graph& g, const Filter& f, const std::vector<uint32_t>& community,
                  double resolution) {
  std::unordered_map<uint32_t, double> inside, total;
  double m2 = 0;
  for (uint32_t u = 0; u < g.node_count(); ++u) {
    if (!f.NodeOk(g, u)) continue;
    ForEachUsable(g, f, u, [&](uint32_t v, uint32_t) {
      m2 += 1;
      total[community[u]] += 1;
      if (community[u] == community[v]) inside[community[u]] += 1;
    });
  }
  if (m2 == 0) return 0;
  double q = 0;
  for (const auto& [c, t] : total) q += inside[c] / m2 - resolution * (t / m2) * (t / m2);
  return q;
}

std::vector<double> DegreeCentrality(const Graph& g, const Filter& f) {
  std::vector<double> out(g.node_count(), 0.0);
  for (uint32_t u = 0; u < g.node_count(); ++u) {
    if (f.NodeOk(g, u)) ForEachUsable(g, f, u, [&](uint32_t, uint32_t) { out[u] += 1; });
  }
  return out;
}

std::vector<double> PageRank(const Graph& g, const Filter& f, double damping, int iterations) {
  const std::vector<double> degree = DegreeCentrality(g, f);
  const std::vector<uint32_t> usable = UsableNodes(g, f);
  std::vector<double> rank(g.node_count(), 0.0), next(g.node_count(), 0.0);
  if (usable.empty()) return rank;
  const double n = static_cast<double>(usable.size());
  for (uint32_t u : usable) rank[u] = 1.0 / n;
  for (int it = 0; it < iterations; ++it) {
    double dangling = 0;
    for (uint32_t u : usable) {
      if (degree[u] == 0) dangling += rank[u];
    }
    const double base = (1.0 - damping) / n + damping * dangling / n;
    for (uint32_t u : usable) next[u] = base;
    for (uint32_t u : usable) {
      if (degree[u] == 0) continue;
      const double share = damping * rank[u] / degree[u];
      ForEachUsable(g, f, u, [&](uint32_t v, uint32_t) { next[v] += share; });
    }
    rank.swap(next);
  }
  return rank;
}

std::vector<double> Betweenness(const Graph& g, const Filter& f, size_t samples, uint64_t seed) {
  const std::vector<uint32_t> usable = UsableNodes(g, f);
  std::vector<double> out(g.node_count(), 0.0);
  if (usable.empty() || samples == 0) return out;
  std::vector<uint32_t> sources = usable;
  if (samples < usable.size()) {
    std::mt19937_64 rng(seed);
    std::shuffle(sources.begin(), sources.end(), rng);
    sources.resize(samples);
  }
  const size_t n = g.node_count();
  std::vector<int64_t> dist(n, -1);
  std::vector<double> sigma(n, 0.0), delta(n, 0.0);
  std::vector<uint32_t> order;
  for (uint32_t s : sources) {
    order.clear();
    dist[s] = 0;
    sigma[s] = 1;
    order.push_back(s);
    for (size_t head = 0; head < order.size(); ++head) {
      const uint32_t u = order[head];
      ForEachUsable(g, f, u, [&](uint32_t v, uint32_t) {
        if (dist[v] < 0) {
          dist[v] = dist[u] + 1;
          order.push_back(v);
        }
        if (dist[v] == dist[u] + 1) sigma[v] += sigma[u];
      });
    }
    for (size_t k = order.size(); k-- > 0;) {
      const uint32_t w = order[k];
      ForEachUsable(g, f, w, [&](uint32_t v, uint32_t) {
        if (dist[v] == dist[w] + 1) delta[w] += sigma[w] / sigma[v] * (1 + delta[v]);
      });
      if (w != s) out[w] += delta[w];
    }
    for (uint32_t u : order) dist[u] = -1, sigma[u] = 0, delta[u] = 0;
  }
  // Undirected: each pair was counted from both ends; scale the sample up to all sources.
  const double scale =
      static_cast<double>(usable.size()) / static_cast<double>(sources.size()) / 2.0;
  for (double& b : out) b *= scale;
  return out;
}

std::vector<TimelineEvent> Timeline(const Graph& g, const Filter& f, uint32_t node) {
  std::vector<TimelineEvent> out;
  if (!f.NodeOk(g, node)) return out;
  std::unordered_set<uint64_t> seen;  // (event, other) pairs already listed
  auto collect = [&](uint32_t at, uint32_t through) {
    ForEachUsable(g, f, at, [&](uint32_t v, uint32_t e) {
      const Edge& x = g.edge(e);
      TimelineEvent t;
      t.through = through;
      if (x.via != kNoNode && x.day_from != kNoDay) {
        t = {x.day_from, x.via, through, v};
      } else if (g.day(v) != kNoDay) {
        t = {g.day(v), v, through, kNoNode};
      } else {
        return;
      }
      if (t.event == node || !seen.insert(uint64_t{t.event} << 32 | t.other).second) return;
      out.push_back(t);
    });
  };
  collect(node, kNoNode);
  ForEachUsable(g, f, node, [&](uint32_t v, uint32_t) {
    if (g.flags(v) & kAssetNode) collect(v, v);
  });
  std::sort(out.begin(), out.end(), [&](const TimelineEvent& a, const TimelineEvent& b) {
    return a.day != b.day ? a.day < b.day : g.id(a.event) < g.id(b.event);
  });
  return out;
}

}  // namespace ura::graph
