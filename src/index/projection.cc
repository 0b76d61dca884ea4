#include "index/projection.h"

#include <algorithm>
#include <unordered_set>

#include "crypto/sha256.h"
#include "text/fold.h"

namespace ura::index {

namespace {
bool Contains(const std::vector<ProjectedValue>& values, const ProjectedValue& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}
}  // namespace

namespace {
std::string FirstOfType(const model::Entity& e, const model::Schema& schema, model::PropertyType type) {
  for (const auto& [name, values] : e.properties) {
    const model::PropertySpec* spec = schema.property(name);
    if (spec != nullptr && spec->type == type && !values.empty() && name != "weakAlias") {
      return model::CanonicalValueOrder(values).front().value;
    }
  }
  return "";
}
}  // namespace

std::string EntityCaption(const model::Entity& e, const model::SchemaRegistry& registry) {
  const model::Schema* schema = registry.Find(e.schema);
  if (schema == nullptr) return e.id;
  if (auto it = e.properties.find("name"); it != e.properties.end() && !it->second.empty()) {
    return model::CanonicalValueOrder(it->second).front().value;
  }
  for (auto type : {model::PropertyType::kName, model::PropertyType::kIdentifier, model::PropertyType::kPlate,
                    model::PropertyType::kIban}) {
    std::string v = FirstOfType(e, *schema, type);
    if (!v.empty()) return v;
  }
  std::string date = FirstOfType(e, *schema, model::PropertyType::kDate);
  return schema->label() + (date.empty() ? "" : " " + date);
}

Projection Project(const model::Entity& entity, const model::SchemaRegistry& registry) {
  Projection p;
  p.caption = EntityCaption(entity, registry);
  const model::Schema* schema = registry.Find(entity.schema);
  if (schema == nullptr) return p;
  // Values in canonical order, so that an entity projects the same before and after a trip
  // through its canonical JSON (the journal payload).
  for (const auto& [property, unordered] : entity.properties) {
    const model::PropertySpec* spec = schema->property(property);
    if (spec == nullptr) continue;
    for (const model::PropertyValue& v : model::CanonicalValueOrder(unordered)) {
      switch (spec->type) {
        case model::PropertyType::kName: {
          if (property == "weakAlias") break;
          ProjectedValue pv{property, text::Fold(v.value)};
          if (!pv.value.empty() && !Contains(p.names, pv)) p.names.push_back(std::move(pv));
          break;
        }
        case model::PropertyType::kIdentifier:
        case model::PropertyType::kPhone:
        case model::PropertyType::kEmail:
        case model::PropertyType::kIban:
        case model::PropertyType::kPlate: {
          ProjectedValue pv{property, v.value};
          if (!Contains(p.identifiers, pv)) p.identifiers.push_back(std::move(pv));
          break;
        }
        case model::PropertyType::kEntity: {
          ProjectedValue pv{property, v.value};
          if (!Contains(p.references, pv)) p.references.push_back(std::move(pv));
          break;
        }
        case model::PropertyType::kAddress:
        case model::PropertyType::kText:
        case model::PropertyType::kString: {
          std::string folded = text::Fold(v.value);
          if (folded.empty()) break;
          if (!p.text.empty()) p.text.push_back(' ');
          p.text += folded;
          break;
        }
        default:
          break;
      }
    }
  }
  return p;
}

std::vector<std::string> Projection::NameTokens() const {
  std::string all;
  for (const ProjectedValue& name : names) all += name.value + " ";
  return DistinctTokens(all);
}

std::string Projection::EncodedNames() const {
  std::string out;
  for (const ProjectedValue& name : names) {
    if (!out.empty()) out.push_back('\n');
    out += name.property;
    out.push_back('\x1f');
    out += name.value;
  }
  return out;
}

std::string ProjectionVersion() {
  // The schemata, as the projection sees them: every schema's properties and their types.
  crypto::Sha256Hasher hash;
  for (const model::Schema* schema : model::SchemaRegistry::Builtin().All()) {
    hash.Update(AsBytes(schema->name()));
    for (const auto& [name, spec] : schema->properties()) {
      hash.Update(AsBytes(std::string_view("\x1f")));
      hash.Update(AsBytes(name));
      hash.Update(AsBytes(model::PropertyTypeName(spec->type)));
    }
    hash.Update(AsBytes(std::string_view("\n")));
  }
  return "projection-2/" + text::FoldVersion() + "/schemata-" + HexEncode(hash.Final()).substr(0, 16);
}

std::vector<std::string> DistinctTokens(std::string_view folded) {
  std::vector<std::string> tokens;
  std::unordered_set<std::string_view> seen;
  for (std::string_view t : text::SplitFolded(folded)) {
    if (seen.insert(t).second) tokens.emplace_back(t);
  }
  return tokens;
}

std::vector<ProjectedValue> DecodeNames(std::string_view encoded) {
  std::vector<ProjectedValue> out;
  size_t start = 0;
  while (start < encoded.size()) {
    size_t end = encoded.find('\n', start);
    if (end == std::string_view::npos) end = encoded.size();
    std::string_view line = encoded.substr(start, end - start);
    size_t sep = line.find('\x1f');
    if (sep != std::string_view::npos) {
      out.push_back({std::string(line.substr(0, sep)), std::string(line.substr(sep + 1))});
    }
    start = end + 1;
  }
  return out;
}

}  // namespace ura::index
