#include "search/dossier.h"

#include <algorithm>

#include "index/projection.h"
#include "journal/journal_reader.h"

namespace ura::search {

namespace {

const model::SchemaRegistry& Registry() { return model::SchemaRegistry::Builtin(); }

std::string EntityCaption(const model::Entity& e) { return index::EntityCaption(e, Registry()); }

}  // namespace

Result<std::optional<Dossier>> BuildDossier(index::Index& index, const std::string& id, size_t link_limit) {
  URA_ASSIGN_OR_RETURN(std::optional<index::CurrentVersion> current, index.Current(id));
  if (!current) return std::optional<Dossier>();
  auto parsed = model::ParseEntityJson(current->json);
  if (!parsed.ok()) return Corruption("index holds an unreadable entity " + id + " (run `ura reindex`)", {});
  Dossier d;
  d.entity = std::move(parsed).value();
  d.caption = EntityCaption(d.entity);
  d.sequence = current->sequence;
  URA_ASSIGN_OR_RETURN(std::vector<uint64_t> versions, index.VersionSequences(id));
  d.versions = versions.size();
  const model::Schema* schema = Registry().Find(d.entity.schema);
  for (const auto& [name, values] : d.entity.properties) {
    const model::PropertySpec* spec = schema ? schema->property(name) : nullptr;
    d.properties.push_back({name, spec ? spec->label : name,
                            spec ? std::string(model::PropertyTypeName(spec->type)) : "string", values});
  }
  std::stable_sort(d.properties.begin(), d.properties.end(),
                   [](const DossierProperty& a, const DossierProperty& b) { return a.label < b.label; });

  // Fills the link's far end from the index.
  auto load_other = [&](DossierLink& link) -> Status {
    URA_ASSIGN_OR_RETURN(std::optional<model::Entity> other, index.Get(link.other_id));
    if (!other) {
      link.other_caption = "(not in the store)";
      return Status::Ok();
    }
    link.other_found = true;
    link.other_schema = other->schema;
    link.other_marking = other->marking;
    link.other_caption = EntityCaption(*other);
    return Status::Ok();
  };
  // Outgoing: this entity's own references.
  for (const DossierProperty& p : d.properties) {
    if (p.type != "entity") continue;
    for (const model::PropertyValue& v : p.values) {
      DossierLink link;
      link.outgoing = true;
      link.property = p.name;
      link.via_id = d.entity.id;
      link.via_schema = d.entity.schema;
      link.via_caption = d.caption;
      link.via_marking = d.entity.marking;
      link.other_id = v.value;
      URA_RETURN_IF_ERROR(load_other(link));
      d.links.push_back(std::move(link));
    }
  }
  // Incoming: entities that point here; for link entities, what is at their other end.
  URA_ASSIGN_OR_RETURN(std::vector<index::Reference> refs, index.ReferencesTo(id, link_limit + 1));
  if (refs.size() > link_limit) {
    refs.resize(link_limit);
    d.links_truncated = true;
  }
  for (const index::Reference& r : refs) {
    URA_ASSIGN_OR_RETURN(std::optional<model::Entity> via, index.Get(r.from_id));
    if (!via) continue;
    DossierLink link;
    link.property = r.property;
    link.via_id = via->id;
    link.via_schema = via->schema;
    link.via_caption = EntityCaption(*via);
    link.via_marking = via->marking;
    const model::Schema* via_schema = Registry().Find(via->schema);
    if (via_schema != nullptr && via_schema->is_edge()) {
      const std::string& far = r.property == via_schema->edge_source() ? via_schema->edge_target()
                                                                        : via_schema->edge_source();
      for (const std::string& target : via->Values(far)) {
        if (target == id) continue;
        link.other_id = target;
        URA_RETURN_IF_ERROR(load_other(link));
        break;
      }
    }
    d.links.push_back(std::move(link));
  }
  // The same person in the other systems, as entity resolution last grouped them.
  URA_ASSIGN_OR_RETURN(std::optional<index::PersonGroup> person, index.PersonOf(id, link_limit + 1));
  if (person) {
    d.person_id = person->person_id;
    d.person_run = person->run_id;
    d.person_truncated = person->truncated;
    for (const std::string& member : person->members) {
      if (member == id) continue;
      if (d.person_records.size() == link_limit) {
        d.person_truncated = true;
        break;
      }
      URA_ASSIGN_OR_RETURN(std::optional<model::Entity> other, index.Get(member));
      if (!other) continue;  // a run naming a record the index does not hold: nothing to show
      PersonRecord r{other->id, other->schema, EntityCaption(*other), {}, other->marking};
      for (const auto& [name, values] : other->properties) {
        for (const model::PropertyValue& v : values) r.sources.push_back(v.provenance.source);
      }
      std::sort(r.sources.begin(), r.sources.end());
      r.sources.erase(std::unique(r.sources.begin(), r.sources.end()), r.sources.end());
      d.person_records.push_back(std::move(r));
    }
  }
  return std::optional<Dossier>(std::move(d));
}

nlohmann::json DossierJson(const Dossier& d) {
  using nlohmann::json;
  json props = json::object();
  for (const DossierProperty& p : d.properties) {
    json values = json::array();
    for (const model::PropertyValue& v : p.values) {
      values.push_back({{"value", v.value},
                        {"source", v.provenance.source},
                        {"record", v.provenance.record_key},
                        {"ingested", FormatRfc3339(v.provenance.ingested_us)},
                        {"ingested_us", v.provenance.ingested_us}});
    }
    props[p.name] = {{"label", p.label}, {"type", p.type}, {"values", values}};
  }
  json links = json::array();
  for (const DossierLink& l : d.links) {
    json link = {{"direction", l.outgoing ? "out" : "in"},
                 {"property", l.property},
                 {"via", {{"id", l.via_id}, {"schema", l.via_schema}, {"caption", l.via_caption}}}};
    if (!l.other_id.empty()) link["other"] = {{"id", l.other_id}, {"schema", l.other_schema}, {"caption", l.other_caption}};
    links.push_back(std::move(link));
  }
  json person = nullptr;
  if (!d.person_id.empty()) {
    json records = json::array();
    for (const PersonRecord& r : d.person_records) {
      records.push_back({{"id", r.id}, {"schema", r.schema}, {"caption", r.caption}, {"sources", r.sources}});
    }
    person = {{"id", d.person_id}, {"run", d.person_run}, {"records", records}, {"truncated", d.person_truncated}};
  }
  return json{{"id", d.entity.id},
              {"schema", d.entity.schema},
              {"caption", d.caption},
              {"marking", model::MarkingToJson(d.entity.marking)},
              {"sequence", d.sequence},
              {"versions", d.versions},
              {"properties", props},
              {"links", links},
              {"links_truncated", d.links_truncated},
              {"person", person}};
}

Result<std::vector<HistoricVersion>> History(index::Index& index, FileSystem& fs, const journal::StorePaths& paths,
                                             const journal::Keyring& keyring, const std::string& id) {
  URA_ASSIGN_OR_RETURN(std::vector<uint64_t> sequences, index.VersionSequences(id));
  std::vector<HistoricVersion> out;
  URA_RETURN_IF_ERROR(journal::ReadEntriesAt(fs, paths, keyring, sequences, [&](const journal::DecodedEntry& e) -> Status {
    auto entity = model::ParseEntityJson(AsString(e.payload));
    if (!entity.ok() || entity->id != id) {
      return Corruption("the index says journal entry " + std::to_string(e.sequence) + " is a version of " + id +
                            ", but it is not (run `ura reindex`)",
                        {"", std::nullopt, e.sequence, "index"});
    }
    out.push_back({e.sequence, e.timestamp_us, std::move(entity).value()});
    return Status::Ok();
  }));
  if (out.size() != sequences.size()) {
    return Corruption("the index lists " + std::to_string(sequences.size()) + " versions of " + id +
                          " but the journal holds " + std::to_string(out.size()) + " of them (run `ura reindex`)",
                      {"", std::nullopt, std::nullopt, "index"});
  }
  return out;
}

}  // namespace ura::search
