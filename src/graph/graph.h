// The link-analysis graph: a compact in-memory projection of the index (compressed sparse
// rows), built once per command or server refresh and queried many times.
//
// Nodes are entities. Edges are
//   - link entities (Family, Associate, Membership, Ownership, Directorship, Employment,
//     CaseMembership, UnknownLink, Payment ...: schemata with an `edge:` in schema/): one
//     edge from the schema's source to its target, typed by the schema name, dated by the
//     link's date/startDate/endDate, and remembering the link entity (`via`) so that a user
//     who may not see the link does not walk it. A Payment without payer or beneficiary
//     runs between its payerAccount and beneficiaryAccount. Link entities stay nodes (so they
//     can be looked up and their markings checked) but are flagged and have no edges of their own;
//   - references: any other entity-typed value (a crossing's person, an account's holder),
//     typed "ref:PROPERTY", dated by the referring entity's date;
//   - shared pivot values: two entities holding the same canonical phone, e-mail, IBAN, plate
//     or identifier, typed "same:TYPE". A value held by more than kMaxPivotHolders entities
//     (a bank's BIC) links nothing: it is too common to mean anything;
//   - canonical persons from entity resolution: the records of one resolved person are joined
//     by "same-person" edges (a star from the lowest id), rather than merged into one node, so
//     each record keeps its own marking and access check.
// Every edge is undirected for walking; `from`/`to` keep the link's direction for display.
//
// A Graph is immutable once built and safe to read from many threads. Queries take a Filter
// that says which nodes and edges they may use: access control is a node mask computed
// before any search, so nothing is ever found through a node the user may not see.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/dates.h"
#include "model/entity.h"

namespace ura::graph {

inline constexpr uint32_t kNoNode = UINT32_MAX;
using model::kNoDay;  // no date known
inline constexpr size_t kMaxPivotHolders = 16;

// Node flags.
inline constexpr uint8_t kLinkNode = 1;   // a link entity drawn as an edge
inline constexpr uint8_t kAssetNode = 2;  // an asset (account, vehicle): timelines look through it

struct Edge {
  uint32_t from = kNoNode, to = kNoNode;
  uint16_t type = 0;
  int32_t day_from = kNoDay, day_to = kNoDay;  // days since 1970-01-01; kNoDay: open
  uint32_t via = kNoNode;                      // the link entity, if any
};

using model::DateOfDay;
using model::DayOfDate;

class Graph {
 public:
  Graph() = default;
  Graph(Graph&&) = default;  // by_id_ holds views of ids_'s strings, which a move keeps in place
  Graph& operator=(Graph&&) = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  size_t node_count() const { return ids_.size(); }
  size_t edge_count() const { return edges_.size(); }

  const std::string& id(uint32_t node) const { return ids_[node]; }
  uint32_t Find(std::string_view id) const;  // kNoNode if absent
  uint16_t schema(uint32_t node) const { return schema_[node]; }
  const std::string& schema_name(uint32_t node) const { return schema_names_[schema_[node]]; }
  const std::vector<std::string>& schema_names() const { return schema_names_; }
  uint32_t marking(uint32_t node) const { return marking_[node]; }
  const std::vector<model::Marking>& markings() const { return markings_; }
  int32_t day(uint32_t node) const { return day_[node]; }
  uint8_t flags(uint32_t node) const { return flags_[node]; }

  const Edge& edge(uint32_t e) const { return edges_[e]; }
  const std::vector<std::string>& edge_type_names() const { return edge_type_names_; }
  const std::string& edge_type_name(uint32_t e) const { return edge_type_names_[edges_[e].type]; }
  // The edge type with this name, or -1.
  int FindEdgeType(std::string_view name) const;
  int FindSchema(std::string_view name) const;

  // Neighbours of `node` and the edges leading to them (parallel arrays).
  std::span<const uint32_t> neighbours(uint32_t node) const {
    return {adjacent_node_.data() + offsets_[node], adjacent_node_.data() + offsets_[node + 1]};
  }
  std::span<const uint32_t> incident_edges(uint32_t node) const {
    return {adjacent_edge_.data() + offsets_[node], adjacent_edge_.data() + offsets_[node + 1]};
  }
  size_t degree(uint32_t node) const { return offsets_[node + 1] - offsets_[node]; }

 private:
  friend class GraphBuilder;
  std::vector<std::string> ids_;
  std::unordered_map<std::string_view, uint32_t> by_id_;  // views into ids_
  std::vector<uint16_t> schema_;
  std::vector<std::string> schema_names_;
  std::vector<uint32_t> marking_;
  std::vector<model::Marking> markings_;
  std::vector<int32_t> day_;
  std::vector<uint8_t> flags_;
  std::vector<Edge> edges_;
  std::vector<std::string> edge_type_names_;
  std::vector<uint64_t> offsets_;  // node_count + 1
  std::vector<uint32_t> adjacent_node_, adjacent_edge_;
};

// Collects nodes and edges, then lays them out. Not thread-safe; single use.
class GraphBuilder {
 public:
  GraphBuilder() = default;
  // Adds a node; an id added twice keeps the first.
  uint32_t AddNode(const std::string& id, std::string_view schema, const model::Marking& marking,
                   int32_t day = kNoDay, uint8_t flags = 0);
  uint32_t Find(std::string_view id) const;
  // Self-loops are dropped.
  void AddEdge(uint32_t from, uint32_t to, std::string_view type, int32_t day_from = kNoDay,
               int32_t day_to = kNoDay, uint32_t via = kNoNode);
  uint16_t EdgeType(std::string_view type);
  void AddEdge(const Edge& edge) {
    if (edge.from != edge.to) graph_.edges_.push_back(edge);
  }
  void ReserveEdges(size_t n) { graph_.edges_.reserve(n); }
  Graph Build() &&;

 private:
  Graph graph_;
  std::unordered_map<std::string, uint16_t> schemata_, edge_types_;
  std::unordered_map<std::string, uint32_t> lookup_;
  std::vector<std::pair<model::Marking, uint32_t>> marking_cache_;
};

// What a query may use. Nodes: visible (the access mask; empty = all), of the allowed schemata
// (empty = all), not link nodes. Edges: of an allowed type (empty = all), overlapping the time
// window if they are dated, between usable nodes, through a visible link entity.
struct Filter {
  std::vector<uint8_t> visible;       // per node, 1 = may be seen; empty: everything
  std::vector<uint8_t> schema_ok;     // per schema index; empty: all
  std::vector<uint8_t> edge_type_ok;  // per edge type; empty: all
  int32_t day_from = kNoDay, day_to = kNoDay;

  bool NodeOk(const Graph& g, uint32_t n) const {
    if (g.flags(n) & kLinkNode) return false;
    if (!visible.empty() && !visible[n]) return false;
    return schema_ok.empty() || schema_ok[g.schema(n)];
  }
  bool EdgeOk(const Graph& g, uint32_t e) const {
    const Edge& x = g.edge(e);
    if (!edge_type_ok.empty() && !edge_type_ok[x.type]) return false;
    if (x.via != kNoNode && !visible.empty() && !visible[x.via]) return false;
    if (day_from != kNoDay && x.day_from != kNoDay && std::max(x.day_from, x.day_to) < day_from)
      return false;
    if (day_to != kNoDay && x.day_from != kNoDay && x.day_from > day_to) return false;
    return true;
  }
};

}  // namespace ura::graph
