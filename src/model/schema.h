// Schemata of the entity model: which kinds of entity exist, their properties and types.
//
// The model follows FollowTheMoney (FtM): a schema (Person, Company, Ownership ...) has
// typed, multi-valued properties and inherits those of its parents (Thing -> LegalEntity ->
// Person). Schemata are data, not classes: YAML files under the repository's `schema/`
// directory, compiled into the binary (SchemaRegistry::Builtin). The file format:
//
//   Person:                         # schema name: a letter, then letters and digits
//     extends: [LegalEntity]        # parents (optional list; several allowed)
//     label: Person                 # optional, default the name
//     plural: People                # optional, default the label
//     description: ...              # optional, ignored
//     abstract: false               # optional: no entity may have this schema itself
//     matchable: true               # optional: a candidate for entity resolution
//     edge: {source: owner, target: asset, label: owns, directed: true}
//                                   # link schemata only; source and target name entity
//                                   # properties (own or inherited); directed defaults true
//     properties:
//       birthDate: {type: date, label: Birth date}   # type is required (types.h)
//       owner: {type: entity, range: LegalEntity}    # range: required for entity, only there
//
// A property may be redeclared by a descendant (FtM does: Company.jurisdiction) but must keep
// its type; the descendant's declaration (label, range) then wins. Two parents declaring the
// same property name must agree on its type; the first parent's declaration wins. Edges are
// not inherited.
//
// Handling code, classification, reliability and accuracy are carried by every entity record
// (entity.h), not modelled as properties.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/types.h"

namespace ura::model {

class Schema;

struct PropertySpec {
  std::string name;
  std::string label;
  PropertyType type = PropertyType::kString;
  std::string range;              // schema name; entity type only, else empty
  const Schema* owner = nullptr;  // the schema that declares it
};

// One schema. Owned by its SchemaRegistry and valid as long as it; immutable after loading,
// so safe to use from any number of threads.
class Schema {
 public:
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  const std::string& name() const { return name_; }
  const std::string& label() const { return label_; }
  const std::string& plural() const { return plural_; }
  bool abstract() const { return abstract_; }
  bool matchable() const { return matchable_; }

  bool is_edge() const { return !edge_source_.empty(); }
  const std::string& edge_source() const { return edge_source_; }  // property names
  const std::string& edge_target() const { return edge_target_; }
  const std::string& edge_label() const { return edge_label_; }
  bool edge_directed() const { return edge_directed_; }

  // Direct parents, in the order of `extends`.
  const std::vector<const Schema*>& parents() const { return parents_; }
  // True if `schema_name` is this schema or any ancestor.
  bool IsA(std::string_view schema_name) const;
  bool IsA(const Schema& other) const { return IsA(other.name()); }

  // Own or inherited; nullptr if the schema has no such property.
  const PropertySpec* property(std::string_view name) const;
  // All properties, own and inherited, by name.
  const std::map<std::string, const PropertySpec*, std::less<>>& properties() const {
    return properties_;
  }

 private:
  friend class SchemaRegistry;
  Schema() = default;

  std::string name_;
  std::string label_;
  std::string plural_;
  bool abstract_ = false;
  bool matchable_ = false;
  std::string edge_source_;
  std::string edge_target_;
  std::string edge_label_;
  bool edge_directed_ = true;
  std::vector<const Schema*> parents_;
  std::set<std::string, std::less<>> ancestors_;  // names, including its own
  std::vector<std::unique_ptr<PropertySpec>> own_properties_;
  std::map<std::string, const PropertySpec*, std::less<>> properties_;
};

// A set of linked schemata. Immutable after Load; thread-safe. Schema pointers stay valid
// for the registry's lifetime.
class SchemaRegistry {
 public:
  struct SourceFile {
    std::string name;  // shown in errors, e.g. "schema/parties.yml"
    std::string text;  // YAML
  };

  // Parses and links the schemata of all files. Errors (kInvalidArgument) name "file:line:"
  // and the key: YAML syntax, unknown or malformed keys, duplicate schema, unknown parent,
  // cycles in extends, unknown type, an entity property without a valid range (or a range on
  // another type), a property inherited or redeclared with two types, an edge whose source or target
  // is not an entity property.
  static Result<std::unique_ptr<SchemaRegistry>> Load(const std::vector<SourceFile>& files);

  // The repository's schema/*.yml compiled into the binary. Aborts the process if they do
  // not load: that is a build defect, caught by the unit tests.
  static const SchemaRegistry& Builtin();

  SchemaRegistry(const SchemaRegistry&) = delete;
  SchemaRegistry& operator=(const SchemaRegistry&) = delete;

  // nullptr if there is no such schema (names are case-sensitive).
  const Schema* Find(std::string_view name) const;
  // Every schema, abstract ones included, sorted by name.
  std::vector<const Schema*> All() const;

  // For error messages ("did you mean 'birthDate'?"): the property of `schema` (own or
  // inherited) closest to `name` by case-insensitive edit distance, if that distance is at
  // most 2 and `name` is not itself a property; else "". Ties go to the alphabetically first.
  std::string SuggestProperty(const Schema& schema, std::string_view name) const;
  // The same over schema names.
  std::string SuggestSchema(std::string_view name) const;

 private:
  SchemaRegistry() = default;

  std::map<std::string, std::unique_ptr<Schema>, std::less<>> schemata_;
};

}  // namespace ura::model
