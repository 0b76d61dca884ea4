#include "graph/graph.h"

#include <algorithm>

namespace ura::graph {
uint32_t Graph::Find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? kNoNode : it->second;
}

int Graph::FindEdgeType(std::string_view name) const {
  for (size_t t = 0; t < edge_type_names_.size(); ++t) {
    if (edge_type_names_[t] == name) return static_cast<int>(t);
  }
  return -1;
}

int Graph::FindSchema(std::string_view name) const {
  for (size_t s = 0; s < schema_names_.size(); ++s) {
    if (schema_names_[s] == name) return static_cast<int>(s);
  }
  return -1;
}

uint32_t GraphBuilder::AddNode(const std::string& id, std::string_view schema,
                               const model::Marking& marking, int32_t day, uint8_t flags) {
  if (uint32_t found = Find(id); found != kNoNode) return found;
  Graph& g = graph_;
  const uint32_t node = static_cast<uint32_t>(g.ids_.size());
  g.ids_.push_back(id);
  auto [s, fresh] =
      schemata_.try_emplace(std::string(schema), static_cast<uint16_t>(g.schema_names_.size()));
  if (fresh) g.schema_names_.emplace_back(schema);
  g.schema_.push_back(s->second);
  // Markings repeat (a source's defaults): keep each distinct one once. Few distinct ones are
  // expected, so a short list searched from the most recent is enough.
  uint32_t marking_index = kNoNode;
  for (auto it = marking_cache_.rbegin(); it != marking_cache_.rend(); ++it) {
    if (it->first == marking) {
      marking_index = it->second;
      break;
    }
  }
  if (marking_index == kNoNode) {
    marking_index = static_cast<uint32_t>(g.markings_.size());
    g.markings_.push_back(marking);
    marking_cache_.emplace_back(marking, marking_index);
  }
  g.marking_.push_back(marking_index);
  g.day_.push_back(day);
  g.flags_.push_back(flags);
  g.by_id_.clear();  // rebuilt in Build (string views move with the vector)
  lookup_.emplace(id, node);
  return node;
}

uint32_t GraphBuilder::Find(std::string_view id) const {
  auto it = lookup_.find(std::string(id));
  return it == lookup_.end() ? kNoNode : it->second;
}

uint16_t GraphBuilder::EdgeType(std::string_view type) {
  auto [t, fresh] = edge_types_.try_emplace(std::string(type),
                                            static_cast<uint16_t>(graph_.edge_type_names_.size()));
  if (fresh) graph_.edge_type_names_.emplace_back(type);
  return t->second;
}

void GraphBuilder::AddEdge(uint32_t from, uint32_t to, std::string_view type, int32_t day_from,
                           int32_t day_to, uint32_t via) {
  AddEdge(Edge{from, to, EdgeType(type), day_from, day_to, via});
}

Graph GraphBuilder::Build() && {
  Graph& g = graph_;
  const size_t n = g.ids_.size();
  g.offsets_.assign(n + 1, 0);
  for (const Edge& e : g.edges_) {
    ++g.offsets_[e.from + 1];
    ++g.offsets_[e.to + 1];
  }
  for (size_t i = 0; i < n; ++i) g.offsets_[i + 1] += g.offsets_[i];
  g.adjacent_node_.resize(g.offsets_[n]);
  g.adjacent_edge_.resize(g.offsets_[n]);
  std::vector<uint64_t> fill(g.offsets_.begin(), g.offsets_.end() - 1);
  for (uint32_t e = 0; e < g.edges_.size(); ++e) {
    const Edge& x = g.edges_[e];
    g.adjacent_node_[fill[x.from]] = x.to;
    g.adjacent_edge_[fill[x.from]++] = e;
    g.adjacent_node_[fill[x.to]] = x.from;
    g.adjacent_edge_[fill[x.to]++] = e;
  }
  lookup_.clear();
  g.by_id_.reserve(n);
  for (uint32_t i = 0; i < n; ++i) g.by_id_.emplace(g.ids_[i], i);
  return std::move(graph_);
}

}  // namespace ura::graph
