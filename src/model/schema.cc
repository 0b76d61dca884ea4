#include "model/schema.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <utility>

namespace ura::model {

namespace internal {
// Defined in the .cc generated from schema/*.yml (embed_schema.cmake).
std::vector<SchemaRegistry::SourceFile> EmbeddedSchemaFiles();
}  // namespace internal

namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), ignoring
// ASCII case.
size_t EditDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = AsciiLower(a[i - 1]) == AsciiLower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && AsciiLower(a[i - 1]) == AsciiLower(b[j - 2]) &&
          AsciiLower(a[i - 2]) == AsciiLower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

constexpr size_t kMaxSuggestionDistance = 2;

// The candidate closest to `name` (distance <= 2), ties to the first in iteration order;
// "" if `name` is itself a candidate or none is close.
template <typename Range>
std::string Closest(const Range& candidates, std::string_view name) {
  std::string best;
  size_t best_distance = kMaxSuggestionDistance + 1;
  for (const auto& candidate : candidates) {
    std::string_view c(candidate);
    if (c == name) return "";
    // Cheap bound: the length difference is a lower bound of the distance.
    const size_t length_gap = c.size() > name.size() ? c.size() - name.size() : name.size() - c.size();
    if (length_gap >= best_distance) continue;
    const size_t distance = EditDistance(c, name);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(c);
    }
  }
  return best;
}

std::string DidYouMean(const std::string& suggestion) {
  return suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)";
}

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!alpha(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

// A position in a source file, for error messages.
struct Where {
  const std::string* file = nullptr;
  int line = 0;  // 1-based; 0 unknown
};

Status ErrorAt(const Where& where, const std::string& message) {
  std::string prefix = *where.file;
  if (where.line > 0) prefix += ":" + std::to_string(where.line);
  return InvalidArgument(prefix + ": " + message);
}

Where WhereOf(const std::string& file, const YAML::Node& node, const Where& fallback) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return fallback;
  return Where{&file, mark.line + 1};
}

// What a schema file says, before linking.
struct RawProperty {
  std::string name;
  Where where;
  std::string label;
  std::string type_name;
  Where type_where;
  std::string range;
  bool has_range = false;
  Where range_where;
};

struct RawSchema {
  std::string name;
  Where where;
  std::string label;
  std::string plural;
  bool abstract = false;
  bool matchable = false;
  std::vector<std::pair<std::string, Where>> extends;
  bool has_edge = false;
  Where edge_where;
  std::string edge_source, edge_target, edge_label;
  bool edge_directed = true;
  std::vector<RawProperty> properties;
};

Result<std::string> ReadScalar(const std::string& file, const YAML::Node& node, const Where& at,
                               const std::string& what) {
  if (!node.IsScalar()) return ErrorAt(WhereOf(file, node, at), what + " must be a string");
  return node.Scalar();
}

Result<bool> ReadBool(const std::string& file, const YAML::Node& node, const Where& at,
                      const std::string& what) {
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  return ErrorAt(WhereOf(file, node, at), what + " must be true or false");
}

// Checks that every key of `map` is one of `allowed`, and none repeats.
Status CheckKeys(const std::string& file, const YAML::Node& map, const Where& at,
                 const std::string& context, std::initializer_list<std::string_view> allowed) {
  std::set<std::string, std::less<>> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const Where where = WhereOf(file, it->first, at);
    if (!it->first.IsScalar()) return ErrorAt(where, context + ": keys must be strings");
    const std::string& key = it->first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::vector<std::string_view> candidates(allowed);
      return ErrorAt(where, context + ": unknown key '" + key + "'" +
                                DidYouMean(Closest(candidates, key)));
    }
    if (!seen.insert(key).second) return ErrorAt(where, context + ": duplicate key '" + key + "'");
  }
  return Status::Ok();
}

Result<RawProperty> ParseProperty(const std::string& file, const std::string& schema_name,
                                  const YAML::Node& key, const YAML::Node& value,
                                  const Where& at) {
  RawProperty p;
  p.where = WhereOf(file, key, at);
  if (!key.IsScalar() || !IsValidName(key.Scalar())) {
    return ErrorAt(p.where, schema_name + ": property names are a letter followed by letters "
                            "and digits, at most 64 characters");
  }
  p.name = key.Scalar();
  const std::string context = schema_name + "." + p.name;
  if (!value.IsMap()) {
    return ErrorAt(WhereOf(file, value, p.where),
                   context + ": a property is a map with at least 'type'");
  }
  URA_RETURN_IF_ERROR(CheckKeys(file, value, p.where, context, {"type", "label", "range", "description"}));
  if (!value["type"]) return ErrorAt(p.where, context + ": missing key 'type'");
  p.type_where = WhereOf(file, value["type"], p.where);
  URA_ASSIGN_OR_RETURN(p.type_name, ReadScalar(file, value["type"], p.where, context + ": type"));
  if (value["label"]) {
    URA_ASSIGN_OR_RETURN(p.label, ReadScalar(file, value["label"], p.where, context + ": label"));
  } else {
    p.label = p.name;
  }
  if (value["range"]) {
    p.has_range = true;
    p.range_where = WhereOf(file, value["range"], p.where);
    URA_ASSIGN_OR_RETURN(p.range, ReadScalar(file, value["range"], p.where, context + ": range"));
  }
  if (value["description"]) {
    URA_RETURN_IF_ERROR(
        ReadScalar(file, value["description"], p.where, context + ": description").status());
  }
  return p;
}

Result<RawSchema> ParseSchema(const std::string& file, const YAML::Node& key,
                              const YAML::Node& value, const Where& at) {
  RawSchema s;
  s.where = WhereOf(file, key, at);
  if (!key.IsScalar() || !IsValidName(key.Scalar())) {
    return ErrorAt(s.where, "schema names are a letter followed by letters and digits, at most "
                            "64 characters");
  }
  s.name = key.Scalar();
  const std::string& name = s.name;
  if (!value.IsMap()) {
    return ErrorAt(WhereOf(file, value, s.where), name + ": a schema is a map of keys");
  }
  URA_RETURN_IF_ERROR(CheckKeys(file, value, s.where, name,
                                {"extends", "label", "plural", "description", "abstract",
                                 "matchable", "edge", "properties"}));
  if (YAML::Node extends = value["extends"]) {
    if (!extends.IsSequence()) {
      return ErrorAt(WhereOf(file, extends, s.where), name + ": extends must be a list");
    }
    for (const YAML::Node& parent : extends) {
      URA_ASSIGN_OR_RETURN(std::string parent_name,
                           ReadScalar(file, parent, s.where, name + ": extends entries"));
      s.extends.emplace_back(std::move(parent_name), WhereOf(file, parent, s.where));
    }
  }
  if (value["label"]) {
    URA_ASSIGN_OR_RETURN(s.label, ReadScalar(file, value["label"], s.where, name + ": label"));
  } else {
    s.label = s.name;
  }
  if (value["plural"]) {
    URA_ASSIGN_OR_RETURN(s.plural, ReadScalar(file, value["plural"], s.where, name + ": plural"));
  } else {
    s.plural = s.label;
  }
  if (value["description"]) {
    URA_RETURN_IF_ERROR(
        ReadScalar(file, value["description"], s.where, name + ": description").status());
  }
  if (value["abstract"]) {
    URA_ASSIGN_OR_RETURN(s.abstract, ReadBool(file, value["abstract"], s.where, name + ": abstract"));
  }
  if (value["matchable"]) {
    URA_ASSIGN_OR_RETURN(s.matchable,
                         ReadBool(file, value["matchable"], s.where, name + ": matchable"));
  }
  if (YAML::Node edge = value["edge"]) {
    s.has_edge = true;
    s.edge_where = WhereOf(file, edge, s.where);
    const std::string context = name + ".edge";
    if (!edge.IsMap()) {
      return ErrorAt(s.edge_where, context + ": must be a map with source, target and label");
    }
    URA_RETURN_IF_ERROR(
        CheckKeys(file, edge, s.edge_where, context, {"source", "target", "label", "directed"}));
    if (!edge["source"]) return ErrorAt(s.edge_where, context + ": missing key 'source'");
    if (!edge["target"]) return ErrorAt(s.edge_where, context + ": missing key 'target'");
    URA_ASSIGN_OR_RETURN(s.edge_source,
                         ReadScalar(file, edge["source"], s.edge_where, context + ": source"));
    URA_ASSIGN_OR_RETURN(s.edge_target,
                         ReadScalar(file, edge["target"], s.edge_where, context + ": target"));
    if (edge["label"]) {
      URA_ASSIGN_OR_RETURN(s.edge_label,
                           ReadScalar(file, edge["label"], s.edge_where, context + ": label"));
    }
    if (edge["directed"]) {
      URA_ASSIGN_OR_RETURN(s.edge_directed,
                           ReadBool(file, edge["directed"], s.edge_where, context + ": directed"));
    }
  }
  if (YAML::Node properties = value["properties"]) {
    const Where where = WhereOf(file, properties, s.where);
    if (!properties.IsNull()) {
      if (!properties.IsMap()) {
        return ErrorAt(where, name + ": properties must be a map of property name to spec");
      }
      std::set<std::string, std::less<>> seen;
      for (auto it = properties.begin(); it != properties.end(); ++it) {
        URA_ASSIGN_OR_RETURN(RawProperty p, ParseProperty(file, name, it->first, it->second, where));
        if (!seen.insert(p.name).second) {
          return ErrorAt(p.where, name + ": duplicate property '" + p.name + "'");
        }
        s.properties.push_back(std::move(p));
      }
    }
  }
  return s;
}

Status ParseFile(const SchemaRegistry::SourceFile& source, std::vector<RawSchema>& out) {
  const Where file_start{&source.name, 0};
  YAML::Node root;
  try {
    root = YAML::Load(source.text);
  } catch (const YAML::Exception& e) {
    Where where{&source.name, e.mark.line >= 0 ? e.mark.line + 1 : 0};
    return ErrorAt(where, "YAML syntax error: " + e.msg);
  }
  if (root.IsNull()) return Status::Ok();  // empty file, or only comments
  if (!root.IsMap()) {
    return ErrorAt(WhereOf(source.name, root, file_start),
                   "a schema file is a map of schema name to schema");
  }
  for (auto it = root.begin(); it != root.end(); ++it) {
    URA_ASSIGN_OR_RETURN(RawSchema schema,
                         ParseSchema(source.name, it->first, it->second, file_start));
    out.push_back(std::move(schema));
  }
  return Status::Ok();
}

std::string AllTypeNames() {
  std::string names;
  for (int i = 0; i <= static_cast<int>(PropertyType::kLanguage); ++i) {
    if (!names.empty()) names += ", ";
    names += PropertyTypeName(static_cast<PropertyType>(i));
  }
  return names;
}

}  // namespace

bool Schema::IsA(std::string_view schema_name) const {
  return ancestors_.find(schema_name) != ancestors_.end();
}

const PropertySpec* Schema::property(std::string_view name) const {
  auto it = properties_.find(name);
  return it == properties_.end() ? nullptr : it->second;
}

Result<std::unique_ptr<SchemaRegistry>> SchemaRegistry::Load(const std::vector<SourceFile>& files) {
  // 1. Parse every file. yaml-cpp throws; nothing escapes this function.
  std::vector<RawSchema> raw;
  try {
    for (const SourceFile& file : files) URA_RETURN_IF_ERROR(ParseFile(file, raw));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string("schema YAML: ") + e.what());
  }

  // 2. Create the schemata; reject duplicates.
  std::unique_ptr<SchemaRegistry> registry(new SchemaRegistry());
  std::map<std::string, const RawSchema*, std::less<>> raw_by_name;
  for (const RawSchema& r : raw) {
    auto [it, inserted] = raw_by_name.emplace(r.name, &r);
    if (!inserted) {
      const Where& first = it->second->where;
      return ErrorAt(r.where, "duplicate schema '" + r.name + "' (first declared at " +
                                  *first.file + ":" + std::to_string(first.line) + ")");
    }
    auto schema = std::unique_ptr<Schema>(new Schema());
    schema->name_ = r.name;
    schema->label_ = r.label;
    schema->plural_ = r.plural;
    schema->abstract_ = r.abstract;
    schema->matchable_ = r.matchable;
    if (r.has_edge) {
      schema->edge_source_ = r.edge_source;
      schema->edge_target_ = r.edge_target;
      schema->edge_label_ = r.edge_label;
      schema->edge_directed_ = r.edge_directed;
    }
    registry->schemata_.emplace(r.name, std::move(schema));
  }
  auto schema_names = [&] {
    std::vector<std::string_view> names;
    for (const auto& [name, unused] : registry->schemata_) names.push_back(name);
    return names;
  };
  auto mutable_schema = [&](const std::string& name) { return registry->schemata_.at(name).get(); };

  // 3. Parents, and each property's type and range, in declaration order.
  for (const RawSchema& r : raw) {
    Schema* schema = mutable_schema(r.name);
    for (const auto& [parent_name, where] : r.extends) {
      const Schema* parent = registry->Find(parent_name);
      if (parent == nullptr) {
        return ErrorAt(where, r.name + ": unknown parent schema '" + parent_name + "' in extends" +
                                  DidYouMean(Closest(schema_names(), parent_name)));
      }
      if (std::find(schema->parents_.begin(), schema->parents_.end(), parent) !=
          schema->parents_.end()) {
        return ErrorAt(where, r.name + ": parent '" + parent_name + "' listed twice in extends");
      }
      schema->parents_.push_back(parent);
    }
    for (const RawProperty& p : r.properties) {
      const std::string context = r.name + "." + p.name;
      std::optional<PropertyType> type = PropertyTypeFromName(p.type_name);
      if (!type) {
        return ErrorAt(p.type_where, context + ": unknown type '" + p.type_name + "' (types: " +
                                         AllTypeNames() + ")");
      }
      if (*type == PropertyType::kEntity) {
        if (!p.has_range || p.range.empty()) {
          return ErrorAt(p.where, context + ": an entity property needs 'range', the schema of "
                                            "the entities it refers to");
        }
        if (registry->Find(p.range) == nullptr) {
          return ErrorAt(p.range_where, context + ": unknown schema '" + p.range + "' in range" +
                                            DidYouMean(Closest(schema_names(), p.range)));
        }
      } else if (p.has_range) {
        return ErrorAt(p.range_where, context + ": 'range' is only for entity properties (type " +
                                          p.type_name + ")");
      }
      auto spec = std::make_unique<PropertySpec>();
      spec->name = p.name;
      spec->label = p.label;
      spec->type = *type;
      spec->range = p.range;
      spec->owner = schema;
      schema->own_properties_.push_back(std::move(spec));
    }
  }

  // 4. Cycles in extends, and a linking order with parents before children (DFS post-order).
  enum class Mark { kNew, kActive, kDone };
  std::map<const Schema*, Mark> marks;
  std::vector<const RawSchema*> order;
  std::vector<const Schema*> path;
  std::function<Status(const RawSchema&)> visit = [&](const RawSchema& r) -> Status {
    const Schema* schema = registry->Find(r.name);
    Mark& mark = marks[schema];
    if (mark == Mark::kDone) return Status::Ok();
    if (mark == Mark::kActive) {
      std::string cycle;
      auto start = std::find(path.begin(), path.end(), schema);
      for (auto it = start; it != path.end(); ++it) cycle += (*it)->name() + " -> ";
      cycle += schema->name();
      return ErrorAt(r.where, r.name + ": cycle in extends: " + cycle);
    }
    mark = Mark::kActive;
    path.push_back(schema);
    for (const Schema* parent : schema->parents()) {
      URA_RETURN_IF_ERROR(visit(*raw_by_name.at(parent->name())));
    }
    path.pop_back();
    marks[schema] = Mark::kDone;
    order.push_back(&r);
    return Status::Ok();
  };
  for (const RawSchema& r : raw) URA_RETURN_IF_ERROR(visit(r));

  // 5. Inherited properties and ancestors, parents first.
  for (const RawSchema* r : order) {
    Schema* schema = mutable_schema(r->name);
    schema->ancestors_.insert(schema->name_);
    for (const Schema* parent : schema->parents_) {
      schema->ancestors_.insert(parent->ancestors_.begin(), parent->ancestors_.end());
      for (const auto& [name, spec] : parent->properties_) {
        auto [it, inserted] = schema->properties_.emplace(name, spec);
        if (!inserted && it->second != spec && it->second->type != spec->type) {
          return ErrorAt(r->where, r->name + ": property '" + name + "' is inherited from " +
                                       it->second->owner->name() + " as " +
                                       std::string(PropertyTypeName(it->second->type)) +
                                       " and from " + spec->owner->name() + " as " +
                                       std::string(PropertyTypeName(spec->type)));
        }
      }
    }
    for (size_t i = 0; i < schema->own_properties_.size(); ++i) {
      const PropertySpec* spec = schema->own_properties_[i].get();
      auto it = schema->properties_.find(spec->name);
      if (it != schema->properties_.end()) {
        for (const Schema* parent : schema->parents_) {
          const PropertySpec* inherited = parent->property(spec->name);
          if (inherited != nullptr && inherited->type != spec->type) {
            return ErrorAt(r->properties[i].type_where,
                           r->name + "." + spec->name + ": redeclared as " +
                               std::string(PropertyTypeName(spec->type)) + " but " +
                               inherited->owner->name() + " declares it as " +
                               std::string(PropertyTypeName(inherited->type)));
          }
        }
        it->second = spec;
      } else {
        schema->properties_.emplace(spec->name, spec);
      }
    }
  }

  // 6. Edges name entity properties.
  for (const RawSchema& r : raw) {
    if (!r.has_edge) continue;
    const Schema* schema = registry->Find(r.name);
    for (const auto& [role, name] : {std::pair<std::string, const std::string*>{"source", &r.edge_source},
                                     {"target", &r.edge_target}}) {
      const PropertySpec* spec = schema->property(*name);
      if (spec == nullptr || spec->type != PropertyType::kEntity) {
        std::vector<std::string_view> entity_properties;
        for (const auto& [property_name, property] : schema->properties()) {
          if (property->type == PropertyType::kEntity) entity_properties.push_back(property_name);
        }
        return ErrorAt(r.edge_where,
                       r.name + ".edge: " + role + " '" + *name + "' is not " +
                           (spec == nullptr ? "a property" : "an entity property") + " of " +
                           r.name + DidYouMean(Closest(entity_properties, *name)));
      }
    }
  }
  return registry;
}

const SchemaRegistry& SchemaRegistry::Builtin() {
  static const SchemaRegistry* const builtin = [] {
    Result<std::unique_ptr<SchemaRegistry>> loaded = Load(internal::EmbeddedSchemaFiles());
    if (!loaded.ok()) {
      std::fprintf(stderr, "ura: the built-in schemata do not load (a build defect): %s\n",
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return std::move(loaded).value().release();  // lives until exit, by design
  }();
  return *builtin;
}

const Schema* SchemaRegistry::Find(std::string_view name) const {
  auto it = schemata_.find(name);
  return it == schemata_.end() ? nullptr : it->second.get();
}

std::vector<const Schema*> SchemaRegistry::All() const {
  std::vector<const Schema*> all;
  all.reserve(schemata_.size());
  for (const auto& [name, schema] : schemata_) all.push_back(schema.get());
  return all;
}

std::string SchemaRegistry::SuggestProperty(const Schema& schema, std::string_view name) const {
  std::vector<std::string_view> names;
  for (const auto& [property_name, spec] : schema.properties()) names.push_back(property_name);
  return Closest(names, name);
}

std::string SchemaRegistry::SuggestSchema(std::string_view name) const {
  std::vector<std::string_view> names;
  for (const auto& [schema_name, schema] : schemata_) names.push_back(schema_name);
  return Closest(names, name);
}

}  // namespace ura::model
