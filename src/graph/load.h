// Builds the link-analysis graph (graph.h) from the index, and keeps it up to date after
// ingest without reading the index again: a GraphState holds what each entity contributes
// (its node, the edges it makes, its pivot values), a new entity version replaces that
// entity's contribution, and Build lays the graph out afresh from memory (about a second per
// ten million edges, against a full read of the index).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "graph/graph.h"
#include "index/index.h"
#include "journal/keys.h"
#include "model/entity.h"
#include "model/schema.h"

namespace ura::graph {

// Not thread-safe; the registry must outlive it.
class GraphState {
 public:
  explicit GraphState(const model::SchemaRegistry& registry) : registry_(registry) {}
  // Adds the entity, or replaces what an earlier version of it contributed.
  void Upsert(const model::Entity& entity);
  // Canonical persons (each a list of member entity ids): "same-person" edges.
  void SetPersons(std::vector<std::vector<std::string>> persons) { persons_ = std::move(persons); }
  size_t entities() const { return entities_.size(); }
  // Nodes in id order; edges as graph.h describes.
  Graph Build() const;

 private:
  struct Link {
    std::string from;  // empty: this entity
    std::string to;
    std::string type;
    int32_t day_from, day_to;
    bool via_self;  // the edge stands for this (link) entity
  };
  struct Contribution {
    std::string schema;
    model::Marking marking;
    int32_t day = kNoDay;
    uint8_t flags = 0;
    std::vector<Link> links;
    std::vector<std::string> pivots;  // "type:value"
  };
  const model::SchemaRegistry& registry_;
  std::map<std::string, Contribution> entities_;
  std::vector<std::vector<std::string>> persons_;
};

// Every current entity of the index into `state`.
Status AddIndex(GraphState& state, index::Index& index, const model::SchemaRegistry& registry);

// The entity versions the journal holds at sequences [from, to) into `state` (what the index
// applied since the state was last brought up to date). `resolution_changed` is set if a
// resolution run was stored meanwhile (the caller reloads the canonical persons).
Status AddJournal(GraphState& state, FileSystem& fs, const journal::StorePaths& paths,
                  const journal::Keyring& keyring, uint64_t from, uint64_t to,
                  bool& resolution_changed);

// The canonical persons as the index holds them (the latest resolution run and the records
// matched at ingest since), each a list of member ids.
Result<std::vector<std::vector<std::string>>> IndexPersons(index::Index& index);

// Every current entity of the index, and the canonical persons (may be empty).
Result<Graph> LoadGraph(index::Index& index, const model::SchemaRegistry& registry,
                        const std::vector<std::vector<std::string>>& persons);

}  // namespace ura::graph
