#include "graph/load.h"

#include <algorithm>

#include "base/bytes.h"
#include "journal/journal_reader.h"
#include "model/canonical_persons.h"

namespace ura::graph {
namespace {

// The type word of a pivot value's edge ("same:phone"), or empty if the type does not pivot.
std::string_view PivotWord(model::PropertyType type) {
  switch (type) {
    case model::PropertyType::kPhone:
      return "phone";
    case model::PropertyType::kEmail:
      return "email";
    case model::PropertyType::kIban:
      return "iban";
    case model::PropertyType::kPlate:
      return "plate";
    case model::PropertyType::kIdentifier:
      return "identifier";
    default:
      return "";
  }
}

int32_t FirstDay(const model::Entity& e, std::initializer_list<const char*> properties) {
  for (const char* p : properties) {
    auto it = e.properties.find(p);
    if (it == e.properties.end()) continue;
    int32_t best = kNoDay;
    for (const model::PropertyValue& v : it->second) {
      const int32_t d = DayOfDate(v.value);
      if (d != kNoDay && (best == kNoDay || d < best)) best = d;
    }
    if (best != kNoDay) return best;
  }
  return kNoDay;
}

// A link's endpoint property; a Payment between accounts only runs between its accounts.
std::string EndpointProperty(const model::Entity& e, const std::string& property) {
  if (!e.Values(property).empty()) return property;
  if (e.schema == "Payment") {
    const std::string account = property + "Account";
    if (!e.Values(account).empty()) return account;
  }
  return "";
}


}  // namespace

void GraphState::Upsert(const model::Entity& entity) {
  Contribution c;
  c.schema = entity.schema;
  c.marking = entity.marking;
  const model::Schema* schema = registry_.Find(entity.schema);
  const int32_t day_from = FirstDay(entity, {"date", "startDate"});
  int32_t day_to = FirstDay(entity, {"endDate"});
  if (day_to == kNoDay) day_to = day_from;
  std::string source, target;
  if (schema != nullptr && schema->is_edge()) {
    source = EndpointProperty(entity, schema->edge_source());
    target = EndpointProperty(entity, schema->edge_target());
  }
  const bool link = !source.empty() && !target.empty();
  c.flags = link ? kLinkNode : 0;
  if (schema != nullptr && schema->IsA("Asset")) c.flags |= kAssetNode;
  c.day = link ? kNoDay : day_from;
  if (link) {
    for (const std::string& from : entity.Values(source)) {
      for (const std::string& to : entity.Values(target))
        c.links.push_back({from, to, entity.schema, day_from, day_to, true});
    }
  } else if (schema != nullptr) {
    for (const auto& [property, values] : entity.properties) {
      const model::PropertySpec* spec = schema->property(property);
      if (spec == nullptr) continue;
      if (spec->type == model::PropertyType::kEntity) {
        for (const model::PropertyValue& v : values)
          c.links.push_back({"", v.value, "ref:" + property, day_from, day_to, false});
        continue;
      }
      const std::string_view word = PivotWord(spec->type);
      if (word.empty()) continue;
      for (const model::PropertyValue& v : values)
        c.pivots.push_back(std::string(word) + ":" + v.value);
    }
  }
  entities_[entity.id] = std::move(c);
}

Graph GraphState::Build() const {
  GraphBuilder builder;
  size_t links = 0;
  for (const auto& [id, c] : entities_) {
    builder.AddNode(id, c.schema, c.marking, c.day, c.flags);
    links += c.links.size();
  }
  builder.ReserveEdges(links);
  std::vector<std::pair<std::string_view, uint32_t>> pivots;  // ("type:value", holder)
  uint32_t node = 0;
  for (const auto& [id, c] : entities_) {
    for (const Link& l : c.links) {
      const uint32_t from = l.from.empty() ? node : builder.Find(l.from);
      const uint32_t to = builder.Find(l.to);
      if (from == kNoNode || to == kNoNode) continue;  // a reference to an entity not in the store
      builder.AddEdge(from, to, l.type, l.day_from, l.day_to, l.via_self ? node : kNoNode);
    }
    for (const std::string& p : c.pivots) pivots.emplace_back(p, node);
    ++node;
  }
  std::sort(pivots.begin(), pivots.end());
  pivots.erase(std::unique(pivots.begin(), pivots.end()), pivots.end());
  for (size_t start = 0; start < pivots.size();) {
    size_t end = start;
    while (end < pivots.size() && pivots[end].first == pivots[start].first) ++end;
    if (end - start >= 2 && end - start <= kMaxPivotHolders) {
      const std::string_view key = pivots[start].first;
      const std::string type = "same:" + std::string(key.substr(0, key.find(':')));
      for (size_t i = start; i < end; ++i) {
        for (size_t j = i + 1; j < end; ++j)
          builder.AddEdge(pivots[i].second, pivots[j].second, type);
      }
    }
    start = end;
  }
  for (std::vector<std::string> members : persons_) {
    std::sort(members.begin(), members.end());
    const uint32_t first = members.empty() ? kNoNode : builder.Find(members.front());
    if (first == kNoNode) continue;
    for (size_t i = 1; i < members.size(); ++i) {
      const uint32_t other = builder.Find(members[i]);
      if (other != kNoNode) builder.AddEdge(first, other, "same-person");
    }
  }
  return std::move(builder).Build();
}

Status AddIndex(GraphState& state, index::Index& index, const model::SchemaRegistry& registry) {
  return index.ForEach(registry, "", [&](const model::Entity& e) {
    state.Upsert(e);
    return Status::Ok();
  });
}

Status AddJournal(GraphState& state, FileSystem& fs, const journal::StorePaths& paths,
                  const journal::Keyring& keyring, uint64_t from, uint64_t to,
                  bool& resolution_changed) {
  if (from >= to) return Status::Ok();
  return journal::ReadEntries(
      fs, paths, keyring, from, to, [&](const journal::DecodedEntry& e) -> Status {
        if (e.type == model::kEntryTypeResolutionRun || e.type == model::kEntryTypeResolutionUpdate) {
          resolution_changed = true;
        }
        if (e.type != index::kEntryTypeEntityVersion) return Status::Ok();
        Result<model::Entity> entity = model::ParseEntityJson(AsString(e.payload));
        if (!entity.ok()) {
          return Corruption("journal entry " + std::to_string(e.sequence) +
                                " is no entity version: " + entity.status().message(),
                            {.sequence = e.sequence, .kind = "entity-version"});
        }
        state.Upsert(*entity);
        return Status::Ok();
      });
}

Result<Graph> LoadGraph(index::Index& index, const model::SchemaRegistry& registry,
                        const std::vector<std::vector<std::string>>& persons) {
  GraphState state(registry);
  URA_RETURN_IF_ERROR(AddIndex(state, index, registry));
  state.SetPersons(persons);
  return state.Build();
}

Result<std::vector<std::vector<std::string>>> IndexPersons(index::Index& index) {
  std::vector<std::vector<std::string>> persons;
  URA_RETURN_IF_ERROR(index.ForEachPerson([&](const std::string&, const std::vector<std::string>& members) {
    persons.push_back(members);
    return Status::Ok();
  }));
  return persons;
}

}  // namespace ura::graph
