// Builds the link-analysis graph (graph.h) from the index: one pass over every current entity.
// The graph is a projection of a projection: rebuilt whenever it is needed, never stored.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "graph/graph.h"
#include "index/index.h"
#include "model/entity.h"
#include "model/schema.h"

namespace ura::graph {

// Adds one entity's node and the edges it makes (links, references) to the builder. Pivot
// values are collected in `pivots` and turned into edges by FinishPivots. Exposed so tests
// and the loader share one projection.
class GraphLoader {
 public:
  explicit GraphLoader(const model::SchemaRegistry& registry) : registry_(registry) {}
  void Add(const model::Entity& entity);
  // Canonical persons (each a list of member entity ids): "same-person" edges.
  void AddPersons(const std::vector<std::vector<std::string>>& persons);
  Graph Finish() &&;

 private:
  struct PendingEdge {
    uint32_t from;
    std::string to_id;  // resolved in Finish: the target may come later
    std::string from_id;  // for links whose source is also an id
    std::string type;
    int32_t day_from, day_to;
    uint32_t via;
  };
  const model::SchemaRegistry& registry_;
  GraphBuilder builder_;
  std::vector<PendingEdge> pending_;
  std::vector<std::pair<std::string, uint32_t>> pivots_;  // ("type:value", holder)
  std::vector<std::vector<std::string>> persons_;
};

// Every current entity of the index, and the canonical persons (may be empty).
Result<Graph> LoadGraph(index::Index& index, const model::SchemaRegistry& registry,
                        const std::vector<std::vector<std::string>>& persons);

}  // namespace ura::graph
