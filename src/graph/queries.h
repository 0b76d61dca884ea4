// Queries on a Graph: neighbourhoods, paths, what connects a set of entities, connected
// components, communities, centrality and an entity's timeline. Every query walks only what
// its Filter allows (graph.h): a node the filter hides is never entered, so a path that
// exists only through hidden nodes is not found. All functions are pure reads of the graph
// and thread-safe; node arguments must be valid node indexes (callers look ids up first).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "graph/graph.h"

namespace ura::graph {

// Nodes and edges of an answer; `distance` (hops from the seed) only for neighbourhoods.
struct Subgraph {
  std::vector<uint32_t> nodes;
  std::vector<uint32_t> distance;
  std::vector<uint32_t> edges;
  bool truncated = false;  // max_nodes reached
};

// Breadth-first from `seed` up to `hops` away, at most `max_nodes` nodes (the seed included),
// with the usable edges among the nodes reached (unless `with_edges` is false). Empty if the
// seed itself is not usable.
Subgraph Neighbourhood(const Graph& g, const Filter& f, uint32_t seed, uint32_t hops,
                       size_t max_nodes, bool with_edges = true);

struct Path {
  std::vector<uint32_t> nodes;  // from the first node to the last
  std::vector<uint32_t> edges;  // edges[i] joins nodes[i] and nodes[i + 1]
  bool operator==(const Path&) const = default;
};

// A shortest path (fewest edges) from `a` to `b`, or nullopt if none is usable.
std::optional<Path> ShortestPath(const Graph& g, const Filter& f, uint32_t a, uint32_t b);

// Up to `k` loopless paths from `a` to `b` in order of length (Yen's algorithm over
// breadth-first searches); paths differing only in a parallel edge count as one.
std::vector<Path> KShortestPaths(const Graph& g, const Filter& f, uint32_t a, uint32_t b, size_t k);

// A small tree joining the `terminals` (the shortest-path heuristic for Steiner trees of
// Takahashi and Matsuyama: grow from the first terminal, adding the shortest path to the
// nearest terminal not yet joined). `unreached` lists terminals no usable path joins.
struct Connection {
  Subgraph tree;
  std::vector<uint32_t> unreached;
};
Connection Connect(const Graph& g, const Filter& f, const std::vector<uint32_t>& terminals);

// Connected components over usable nodes and edges: per node a component number (kNoNode for
// unusable nodes), numbered from 0 by decreasing size (ties by lowest node).
struct Components {
  std::vector<uint32_t> component;
  std::vector<uint32_t> sizes;
};
Components ConnectedComponents(const Graph& g, const Filter& f);

// Communities by modularity (resolution `resolution`): Louvain local moving with the Leiden
// refinement that splits every community into its connected parts before aggregation, so no
// community is disconnected; repeated on the aggregated graph until nothing moves. Node
// order is shuffled with `seed`: the same seed gives the same answer. Same numbering as
// ConnectedComponents.
struct CommunityOptions {
  double resolution = 1.0;
  uint64_t seed = 1;
  int max_levels = 20;
};
Components Communities(const Graph& g, const Filter& f, const CommunityOptions& options = {});
// Modularity of a partition (for tests and reports).
double Modularity(const Graph& g, const Filter& f, const std::vector<uint32_t>& community,
                  double resolution = 1.0);

// Centrality per node (0 for unusable nodes).
std::vector<double> DegreeCentrality(const Graph& g, const Filter& f);
std::vector<double> PageRank(const Graph& g, const Filter& f, double damping = 0.85,
                             int iterations = 50);
// Brandes' betweenness from `samples` random source nodes (all of them if samples >= usable
// nodes, which gives the exact value), scaled to estimate the exact value.
std::vector<double> Betweenness(const Graph& g, const Filter& f, size_t samples, uint64_t seed = 1);

// An entity's events in time order: dated edges at the entity (payments, links) and dated
// neighbours (crossings, arrests), and the same one step further through the assets it holds
// (an account's payments, a vehicle's crossings).
struct TimelineEvent {
  int32_t day = kNoDay;
  uint32_t event = kNoNode;    // the dated entity: the link entity or the neighbour
  uint32_t through = kNoNode;  // the asset it came through, or kNoNode
  uint32_t other = kNoNode;    // the other party of a dated edge, or kNoNode
};
std::vector<TimelineEvent> Timeline(const Graph& g, const Filter& f, uint32_t node);

}  // namespace ura::graph
