// The dossier: one entity as an investigator reads it -- every property grouped, every value
// with the system, record and time it came from; the entities it refers to and those that
// refer to it; and, on request, every earlier version from the journal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "index/index.h"
#include "journal/keys.h"

namespace ura::search {

struct DossierProperty {
  std::string name;
  std::string label;
  std::string type;
  std::vector<model::PropertyValue> values;
};

// A link to or from the entity. `via` is the entity holding the reference (the entity itself
// for outgoing links, e.g. a crossing's `person`); for an incoming reference from a link
// entity (an Ownership, a Family) `other` is that link's far end.
struct DossierLink {
  bool outgoing = false;
  std::string property;  // the entity-typed property of `via`
  std::string via_id, via_schema, via_caption;
  std::string other_id, other_schema, other_caption;  // empty if none
  // The markings of `via` and `other` as loaded (for access checks without loading them again);
  // other_found is false when `other` is not in the store.
  model::Marking via_marking, other_marking;
  bool other_found = false;
};

// Another source record of the canonical person the entity belongs to (entity resolution).
struct PersonRecord {
  std::string id, schema, caption;
  std::vector<std::string> sources;  // the source systems its values came from, sorted
  model::Marking marking;            // for access checks
};

struct Dossier {
  model::Entity entity;
  std::string caption;
  uint64_t sequence = 0;    // journal entry of the current version
  size_t versions = 0;      // how many versions the journal holds
  std::vector<DossierProperty> properties;  // in the schema's property order by label
  std::vector<DossierLink> links;
  bool links_truncated = false;
  // The canonical person of the latest resolution run that holds this record with others:
  // its id and run, and its other records (at most the link limit). Empty if there is none.
  std::string person_id, person_run;
  std::vector<PersonRecord> person_records;
  bool person_truncated = false;
};

// The dossier as the API and `ura get --json` give it: id, schema, caption, marking, sequence,
// versions, properties (each value with source, record and ingest time), links, and "person"
// (null, or its id, run and other records).
nlohmann::json DossierJson(const Dossier& d);

// nullopt if the index has no such entity.
Result<std::optional<Dossier>> BuildDossier(index::Index& index, const std::string& id, size_t link_limit = 200);

struct HistoricVersion {
  uint64_t sequence = 0;
  int64_t written_us = 0;  // journal timestamp of the entry
  model::Entity entity;
};

// Every version of `id` from the journal, oldest first (decrypting only those entries).
Result<std::vector<HistoricVersion>> History(index::Index& index, FileSystem& fs, const journal::StorePaths& paths,
                                             const journal::Keyring& keyring, const std::string& id);

}  // namespace ura::search
