#include "graph/load.h"

#include <algorithm>

namespace ura::graph {
namespace {

// The type word of a pivot value's edge ("same:phone"), or empty if the type does not pivot.
std::string_view PivotWord(model::PropertyType type) {
  switch (type) {
    case model::PropertyType::kPhone: return "phone";
    case model::PropertyType::kEmail: return "email";
    case model::PropertyType::kIban: return "iban";
    case model::PropertyType::kPlate: return "plate";
    case model::PropertyType::kIdentifier: return "identifier";
    default: return "";
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

void GraphLoader::Add(const model::Entity& entity) {
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
  uint8_t flags = link ? kLinkNode : 0;
  if (schema != nullptr && schema->IsA("Asset")) flags |= kAssetNode;
  const uint32_t node = builder_.AddNode(entity.id, entity.schema, entity.marking, link ? kNoDay : day_from, flags);
  if (schema == nullptr) return;
  if (link) {
    for (const std::string& from : entity.Values(source)) {
      for (const std::string& to : entity.Values(target)) {
        pending_.push_back({kNoNode, to, from, entity.schema, day_from, day_to, node});
      }
    }
    return;
  }
  for (const auto& [property, values] : entity.properties) {
    const model::PropertySpec* spec = schema->property(property);
    if (spec == nullptr) continue;
    if (spec->type == model::PropertyType::kEntity) {
      for (const model::PropertyValue& v : values) {
        pending_.push_back({node, v.value, "", "ref:" + property, day_from, day_to, kNoNode});
      }
      continue;
    }
    const std::string_view word = PivotWord(spec->type);
    if (word.empty()) continue;
    for (const model::PropertyValue& v : values) {
      pivots_.emplace_back(std::string(word) + ":" + v.value, node);
    }
  }
}

void GraphLoader::AddPersons(const std::vector<std::vector<std::string>>& persons) {
  persons_.insert(persons_.end(), persons.begin(), persons.end());
}

Graph GraphLoader::Finish() && {
  builder_.ReserveEdges(pending_.size() + pivots_.size());
  for (const PendingEdge& p : pending_) {
    const uint32_t from = p.from != kNoNode ? p.from : builder_.Find(p.from_id);
    const uint32_t to = builder_.Find(p.to_id);
    if (from == kNoNode || to == kNoNode) continue;  // a reference to an entity not in the store
    builder_.AddEdge(from, to, p.type, p.day_from, p.day_to, p.via);
  }
  std::sort(pivots_.begin(), pivots_.end());
  pivots_.erase(std::unique(pivots_.begin(), pivots_.end()), pivots_.end());
  for (size_t start = 0; start < pivots_.size();) {
    size_t end = start;
    while (end < pivots_.size() && pivots_[end].first == pivots_[start].first) ++end;
    if (end - start >= 2 && end - start <= kMaxPivotHolders) {
      const std::string& key = pivots_[start].first;
      const std::string type = "same:" + key.substr(0, key.find(':'));
      for (size_t i = start; i < end; ++i) {
        for (size_t j = i + 1; j < end; ++j) builder_.AddEdge(pivots_[i].second, pivots_[j].second, type);
      }
    }
    start = end;
  }
  for (std::vector<std::string> members : persons_) {
    std::sort(members.begin(), members.end());
    const uint32_t first = members.empty() ? kNoNode : builder_.Find(members.front());
    if (first == kNoNode) continue;
    for (size_t i = 1; i < members.size(); ++i) {
      const uint32_t other = builder_.Find(members[i]);
      if (other != kNoNode) builder_.AddEdge(first, other, "same-person");
    }
  }
  return std::move(builder_).Build();
}

Result<Graph> LoadGraph(index::Index& index, const model::SchemaRegistry& registry,
                        const std::vector<std::vector<std::string>>& persons) {
  GraphLoader loader(registry);
  URA_RETURN_IF_ERROR(index.ForEach(registry, "", [&](const model::Entity& e) {
    loader.Add(e);
    return Status::Ok();
  }));
  loader.AddPersons(persons);
  return std::move(loader).Finish();
}

}  // namespace ura::graph
