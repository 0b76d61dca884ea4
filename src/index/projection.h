// What an index keeps of an entity besides its canonical JSON: the values that search, the
// dossier and the link lookups pivot on. Computed from the entity and its schema, the same for
// every index implementation.
//
//   names        every value of a name-typed property (name, alias, previousName...; not
//                weakAlias, which FtM says is not for matching), folded (text/fold.h)
//   identifiers  every identifier, phone, e-mail, IBAN and plate value, already canonical
//                (model/types.h), with its property
//   references   every entity-typed value (a crossing's person, an ownership's owner...)
//   text         the folded words of address, text and string values, for free-text search
#pragma once

#include <string>
#include <vector>

#include "model/entity.h"
#include "model/schema.h"

namespace ura::index {

struct ProjectedValue {
  std::string property;
  std::string value;
  bool operator==(const ProjectedValue&) const = default;
};

struct Projection {
  std::vector<ProjectedValue> names;        // value folded, duplicates removed
  std::vector<ProjectedValue> identifiers;  // canonical value
  std::vector<ProjectedValue> references;   // target entity id
  std::string text;                         // folded, tokens separated by one space
  std::string caption;                      // how to show the entity (EntityCaption)

  // All folded name tokens, each once, in first-seen order.
  std::vector<std::string> NameTokens() const;
  // The names as stored by the index: "property\x1fvalue" lines joined by '\n'.
  std::string EncodedNames() const;
};

// Unknown schemata and properties (an entity from a newer schema) are projected by value
// type where it is known and skipped otherwise.
Projection Project(const model::Entity& entity, const model::SchemaRegistry& registry);

// A display name for any entity, as written in its source: its name, else another name,
// identifier, plate or IBAN, else the schema's label and its first date.
std::string EntityCaption(const model::Entity& entity, const model::SchemaRegistry& registry);

// Identifies how entities are projected (folding rules, ICU version, schemata, index format):
// an index built by another projection is rebuilt, because removing an old version's values
// needs them computed exactly as they were when stored.
std::string ProjectionVersion();

// The folded tokens of `text`, each once, in first-seen order (what the text index holds).
std::vector<std::string> DistinctTokens(std::string_view folded);

// The inverse of Projection::EncodedNames.
std::vector<ProjectedValue> DecodeNames(std::string_view encoded);

}  // namespace ura::index
