#include "model/entity.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <simdjson.h>
#include <tuple>

#include "crypto/sha256.h"
#include "model/types.h"

namespace ura::model {

using nlohmann::json;

std::string_view HandlingCodeName(HandlingCode h) {
  static constexpr std::string_view kNames[] = {"H0", "H1", "H2", "H3"};
  return kNames[static_cast<int>(h)];
}

std::string_view ClassificationName(Classification c) {
  static constexpr std::string_view kNames[] = {"unclassified", "restricted", "confidential", "secret"};
  return kNames[static_cast<int>(c)];
}

Result<HandlingCode> ParseHandlingCode(std::string_view s) {
  for (int i = 0; i < 4; ++i) {
    if (s == HandlingCodeName(static_cast<HandlingCode>(i))) return static_cast<HandlingCode>(i);
  }
  return InvalidArgument("handling code '" + std::string(s) + "' is not one of H0, H1, H2, H3");
}

Result<Classification> ParseClassification(std::string_view s) {
  for (int i = 0; i < 4; ++i) {
    if (s == ClassificationName(static_cast<Classification>(i))) return static_cast<Classification>(i);
  }
  return InvalidArgument("classification '" + std::string(s) +
                         "' is not one of unclassified, restricted, confidential, secret");
}

Result<char> ParseReliability(std::string_view s) {
  if (s.size() == 1 && (s[0] == 'A' || s[0] == 'B' || s[0] == 'C' || s[0] == 'X')) return s[0];
  return InvalidArgument("source reliability '" + std::string(s) + "' is not one of A, B, C, X");
}

Result<uint8_t> ParseAccuracy(std::string_view s) {
  if (s.size() == 1 && s[0] >= '1' && s[0] <= '4') return static_cast<uint8_t>(s[0] - '0');
  return InvalidArgument("information accuracy '" + std::string(s) + "' is not one of 1, 2, 3, 4");
}

void Entity::Add(const std::string& property, PropertyValue value) {
  auto& values = properties[property];
  for (const auto& v : values) {
    if (v.value == value.value && v.provenance.SameRecord(value.provenance)) return;
  }
  values.push_back(std::move(value));
}

size_t Entity::RemoveRecord(const Provenance& p) {
  size_t removed = 0;
  for (auto it = properties.begin(); it != properties.end();) {
    auto& values = it->second;
    size_t before = values.size();
    values.erase(std::remove_if(values.begin(), values.end(),
                                [&](const PropertyValue& v) { return v.provenance.SameRecord(p); }),
                 values.end());
    removed += before - values.size();
    it = values.empty() ? properties.erase(it) : std::next(it);
  }
  return removed;
}

std::vector<std::string> Entity::Values(const std::string& property) const {
  std::vector<std::string> out;
  auto it = properties.find(property);
  if (it != properties.end()) {
    for (const auto& v : it->second) out.push_back(v.value);
  }
  return out;
}

nlohmann::json MarkingToJson(const Marking& m) {
  nlohmann::json j = {{"handling", HandlingCodeName(m.handling)},
                      {"classification", ClassificationName(m.classification)},
                      {"reliability", std::string(1, m.reliability)},
                      {"accuracy", m.accuracy}};
  // Written only when set, so entities without a need-to-know restriction keep the bytes
  // (and journal digests) they had before restrictions existed.
  if (!m.cases.empty()) j["cases"] = m.cases;
  return j;
}

std::string EncodeMarking(const Marking& m) {
  std::string out;
  out.append(HandlingCodeName(m.handling)).push_back('\x1f');
  out.append(ClassificationName(m.classification)).push_back('\x1f');
  out.push_back(m.reliability);
  out.push_back('\x1f');
  out.push_back(static_cast<char>('0' + m.accuracy));
  for (const std::string& c : m.cases) out.append(1, '\x1f').append(c);
  return out;
}

Result<Marking> DecodeMarking(std::string_view text) {
  std::vector<std::string_view> parts;
  for (size_t at = 0;;) {
    const size_t end = text.find('\x1f', at);
    parts.push_back(text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  if (parts.size() < 4) return InvalidArgument("an encoded marking has at least four fields");
  Marking m;
  URA_ASSIGN_OR_RETURN(m.handling, ParseHandlingCode(parts[0]));
  URA_ASSIGN_OR_RETURN(m.classification, ParseClassification(parts[1]));
  URA_ASSIGN_OR_RETURN(m.reliability, ParseReliability(parts[2]));
  URA_ASSIGN_OR_RETURN(m.accuracy, ParseAccuracy(parts[3]));
  for (size_t i = 4; i < parts.size(); ++i) m.cases.emplace_back(parts[i]);
  return m;
}

Result<std::vector<std::string>> NormaliseCases(std::vector<std::string> cases) {
  std::vector<std::string> out;
  for (std::string& c : cases) {
    const size_t b = c.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    c = c.substr(b, c.find_last_not_of(" \t") - b + 1);
    if (c.size() > 100) return InvalidArgument("case number '" + c.substr(0, 40) + "...' is longer than 100 bytes");
    for (unsigned char ch : c) {
      if (ch < 0x20 || ch == 0x7f) return InvalidArgument("case number '" + c + "' contains a control character");
    }
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Marking MergeMarking(const Marking& current, const Marking& incoming) {
  Marking merged = incoming;
  merged.cases.insert(merged.cases.end(), current.cases.begin(), current.cases.end());
  std::sort(merged.cases.begin(), merged.cases.end());
  merged.cases.erase(std::unique(merged.cases.begin(), merged.cases.end()), merged.cases.end());
  return merged;
}

std::vector<PropertyValue> CanonicalValueOrder(std::vector<PropertyValue> values) {
  std::sort(values.begin(), values.end(), [](const PropertyValue& a, const PropertyValue& b) {
    return std::tie(a.value, a.provenance.source, a.provenance.record_key, a.provenance.ingested_us) <
           std::tie(b.value, b.provenance.source, b.provenance.record_key, b.provenance.ingested_us);
  });
  return values;
}

namespace {

std::vector<PropertyValue> Sorted(std::vector<PropertyValue> values) { return CanonicalValueOrder(std::move(values)); }

// A marking's fields as a JSON document held them, whichever parser read it: null where a
// field was missing or of the wrong type.
struct MarkingFields {
  std::optional<std::string_view> handling, classification, reliability;
  std::optional<uint64_t> accuracy;
  bool has_cases = false;
  std::optional<std::vector<std::string>> cases;  // null: not a non-empty array of strings
};

Result<Marking> MarkingFrom(const MarkingFields& f) {
  auto field = [](const std::optional<std::string_view>& v, const char* k) -> Result<std::string_view> {
    if (!v) return InvalidArgument(std::string("marking field '") + k + "' missing or not a string");
    return *v;
  };
  Marking m;
  URA_ASSIGN_OR_RETURN(std::string_view h, field(f.handling, "handling"));
  URA_ASSIGN_OR_RETURN(m.handling, ParseHandlingCode(h));
  URA_ASSIGN_OR_RETURN(std::string_view c, field(f.classification, "classification"));
  URA_ASSIGN_OR_RETURN(m.classification, ParseClassification(c));
  URA_ASSIGN_OR_RETURN(std::string_view r, field(f.reliability, "reliability"));
  URA_ASSIGN_OR_RETURN(m.reliability, ParseReliability(r));
  if (!f.accuracy) return InvalidArgument("marking field 'accuracy' missing or not a number");
  URA_ASSIGN_OR_RETURN(m.accuracy, ParseAccuracy(std::to_string(*f.accuracy)));
  if (f.has_cases) {
    if (!f.cases || f.cases->empty()) {
      return InvalidArgument("marking field 'cases' must be a non-empty array of strings");
    }
    URA_ASSIGN_OR_RETURN(m.cases, NormaliseCases(*f.cases));
    if (m.cases.empty()) return InvalidArgument("marking field 'cases' holds no case number");
  }
  return m;
}

Result<Marking> ParseMarking(const json& j) {
  if (!j.is_object()) return InvalidArgument("'marking' must be an object");
  MarkingFields f;
  auto str = [&](const char* k) -> std::optional<std::string_view> {
    auto it = j.find(k);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return std::string_view(it->get_ref<const std::string&>());
  };
  f.handling = str("handling");
  f.classification = str("classification");
  f.reliability = str("reliability");
  if (auto it = j.find("accuracy"); it != j.end() && it->is_number_unsigned()) f.accuracy = it->get<uint64_t>();
  if (auto it = j.find("cases"); it != j.end()) {
    f.has_cases = true;
    if (it->is_array()) {
      std::vector<std::string> cases;
      for (const json& v : *it) {
        if (!v.is_string()) break;
        cases.push_back(v.get<std::string>());
      }
      if (cases.size() == it->size()) f.cases = std::move(cases);
    }
  }
  return MarkingFrom(f);
}

json EntityJson(const Entity& e, bool with_times) {
  json props = json::object();
  for (const auto& [name, values] : e.properties) {
    json arr = json::array();
    for (const auto& v : Sorted(values)) {
      json item = {{"v", v.value}, {"s", v.provenance.source}, {"r", v.provenance.record_key}};
      if (with_times) item["t"] = v.provenance.ingested_us;
      arr.push_back(std::move(item));
    }
    props[name] = std::move(arr);
  }
  return {{"id", e.id}, {"schema", e.schema}, {"marking", MarkingToJson(e.marking)}, {"properties", props}};
}

std::string Dump(const json& j) {
  // Invalid UTF-8 cannot reach here (values are validated), but never throw from a dump.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

// JSON string escaping exactly as nlohmann::json::dump does it (quote, backslash, and control
// characters; UTF-8 passes through): the canonical form below must equal what nlohmann would
// write for the same document (entity_test.cc checks that against nlohmann itself).
void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

std::string CanonicalJsonReference(const Entity& entity) { return Dump(EntityJson(entity, true)); }

std::string CanonicalJson(const Entity& e) {
  // Hot path of ingest: written directly rather than through a nlohmann DOM (which cost a
  // quarter of ingest time). Keys in sorted order, as nlohmann's std::map gives them.
  std::string out;
  out.reserve(256);
  out += "{\"id\":";
  AppendJsonString(out, e.id);
  out += ",\"marking\":{\"accuracy\":";
  out += std::to_string(e.marking.accuracy);
  if (!e.marking.cases.empty()) {
    out += ",\"cases\":[";
    for (size_t i = 0; i < e.marking.cases.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, e.marking.cases[i]);
    }
    out += ']';
  }
  out += ",\"classification\":";
  AppendJsonString(out, ClassificationName(e.marking.classification));
  out += ",\"handling\":";
  AppendJsonString(out, HandlingCodeName(e.marking.handling));
  out += ",\"reliability\":";
  AppendJsonString(out, std::string_view(&e.marking.reliability, 1));
  out += "},\"properties\":{";
  bool first_property = true;
  for (const auto& [name, values] : e.properties) {
    if (!first_property) out += ',';
    first_property = false;
    AppendJsonString(out, name);
    out += ":[";
    bool first_value = true;
    for (const auto& v : Sorted(values)) {
      if (!first_value) out += ',';
      first_value = false;
      out += "{\"r\":";
      AppendJsonString(out, v.provenance.record_key);
      out += ",\"s\":";
      AppendJsonString(out, v.provenance.source);
      out += ",\"t\":";
      out += std::to_string(v.provenance.ingested_us);
      out += ",\"v\":";
      AppendJsonString(out, v.value);
      out += '}';
    }
    out += ']';
  }
  out += "},\"schema\":";
  AppendJsonString(out, e.schema);
  out += '}';
  return out;
}

std::string ContentDigest(const Entity& entity) {
  return HexEncode(crypto::Sha256(AsBytes(Dump(EntityJson(entity, false)))));
}

bool SameContent(const Entity& a, const Entity& b) {
  if (a.id != b.id || a.schema != b.schema || !(a.marking == b.marking) ||
      a.properties.size() != b.properties.size()) {
    return false;
  }
  using Key = std::tuple<const std::string*, const std::string*, const std::string*>;
  auto keys = [](const std::vector<PropertyValue>& values) {
    std::vector<Key> k;
    k.reserve(values.size());
    for (const auto& v : values) k.emplace_back(&v.value, &v.provenance.source, &v.provenance.record_key);
    std::sort(k.begin(), k.end(), [](const Key& x, const Key& y) {
      return std::tie(*std::get<0>(x), *std::get<1>(x), *std::get<2>(x)) <
             std::tie(*std::get<0>(y), *std::get<1>(y), *std::get<2>(y));
    });
    return k;
  };
  for (auto ia = a.properties.begin(), ib = b.properties.begin(); ia != a.properties.end(); ++ia, ++ib) {
    if (ia->first != ib->first || ia->second.size() != ib->second.size()) return false;
    auto ka = keys(ia->second), kb = keys(ib->second);
    for (size_t i = 0; i < ka.size(); ++i) {
      if (*std::get<0>(ka[i]) != *std::get<0>(kb[i]) || *std::get<1>(ka[i]) != *std::get<1>(kb[i]) ||
          *std::get<2>(ka[i]) != *std::get<2>(kb[i])) {
        return false;
      }
    }
  }
  return true;
}

namespace {

// The stored entity JSON (CanonicalJson) through simdjson: the index and every reader of the
// journal parse each entity version, so this is on the path of every rebuild.
Result<Marking> ParseMarking(simdjson::dom::element j) {
  simdjson::dom::object o;
  if (j.get_object().get(o) != simdjson::SUCCESS) return InvalidArgument("'marking' must be an object");
  MarkingFields f;
  auto str = [&](const char* k) -> std::optional<std::string_view> {
    std::string_view v;
    if (o[k].get_string().get(v) != simdjson::SUCCESS) return std::nullopt;
    return v;
  };
  f.handling = str("handling");
  f.classification = str("classification");
  f.reliability = str("reliability");
  uint64_t accuracy = 0;
  if (o["accuracy"].get_uint64().get(accuracy) == simdjson::SUCCESS) f.accuracy = accuracy;
  simdjson::dom::element cases_element;
  if (o["cases"].get(cases_element) == simdjson::SUCCESS) {
    f.has_cases = true;
    simdjson::dom::array arr;
    if (cases_element.get_array().get(arr) == simdjson::SUCCESS) {
      std::vector<std::string> cases;
      for (simdjson::dom::element v : arr) {
        std::string_view c;
        if (v.get_string().get(c) != simdjson::SUCCESS) break;
        cases.emplace_back(c);
      }
      if (cases.size() == arr.size()) f.cases = std::move(cases);
    }
  }
  return MarkingFrom(f);
}

}  // namespace

Result<Entity> ParseEntityJson(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(text.data(), text.size()).get(root); error != simdjson::SUCCESS) {
    return InvalidArgument(std::string("entity JSON: ") + simdjson::error_message(error));
  }
  simdjson::dom::object o;
  if (root.get_object().get(o) != simdjson::SUCCESS) return InvalidArgument("entity JSON: not an object");
  auto string_field = [](simdjson::dom::object obj, const char* k, std::string& out) -> Status {
    std::string_view v;
    if (obj[k].get_string().get(v) != simdjson::SUCCESS) {
      return InvalidArgument(std::string("entity JSON: '") + k + "' missing or not a string");
    }
    out.assign(v);
    return Status::Ok();
  };
  Entity e;
  URA_RETURN_IF_ERROR(string_field(o, "id", e.id));
  URA_RETURN_IF_ERROR(string_field(o, "schema", e.schema));
  simdjson::dom::element marking;
  if (o["marking"].get(marking) != simdjson::SUCCESS) return InvalidArgument("entity JSON: 'marking' missing");
  URA_ASSIGN_OR_RETURN(e.marking, ParseMarking(marking));
  simdjson::dom::object properties;
  if (o["properties"].get_object().get(properties) != simdjson::SUCCESS) {
    return InvalidArgument("entity JSON: 'properties' missing or not an object");
  }
  for (auto [name, values] : properties) {
    simdjson::dom::array arr;
    if (values.get_array().get(arr) != simdjson::SUCCESS) {
      return InvalidArgument("entity JSON: property '" + std::string(name) + "' is not an array");
    }
    std::vector<PropertyValue>& out = e.properties[std::string(name)];
    out.reserve(arr.size());
    for (simdjson::dom::element item : arr) {
      simdjson::dom::object io;
      if (item.get_object().get(io) != simdjson::SUCCESS) {
        return InvalidArgument("entity JSON: a value of '" + std::string(name) + "' is not an object");
      }
      PropertyValue v;
      URA_RETURN_IF_ERROR(string_field(io, "v", v.value));
      URA_RETURN_IF_ERROR(string_field(io, "s", v.provenance.source));
      URA_RETURN_IF_ERROR(string_field(io, "r", v.provenance.record_key));
      simdjson::dom::element t;
      if (io["t"].get(t) == simdjson::SUCCESS && t.get_int64().get(v.provenance.ingested_us) != simdjson::SUCCESS) {
        return InvalidArgument("entity JSON: a time of '" + std::string(name) + "' is not an integer");
      }
      out.push_back(std::move(v));
    }
  }
  return e;
}

Status ValidateAndNormalize(Entity& entity, const SchemaRegistry& registry,
                            std::string_view default_country) {
  const Schema* schema = registry.Find(entity.schema);
  if (schema == nullptr) {
    std::string hint = registry.SuggestSchema(entity.schema);
    return InvalidArgument("unknown schema '" + entity.schema + "'" +
                           (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
  if (schema->abstract()) {
    return InvalidArgument("schema '" + entity.schema + "' is abstract; use a concrete schema");
  }
  if (entity.id.empty()) return InvalidArgument("entity has no id");
  for (auto& [name, values] : entity.properties) {
    const PropertySpec* spec = schema->property(name);
    if (spec == nullptr) {
      std::string hint = registry.SuggestProperty(*schema, name);
      return InvalidArgument("unknown property '" + name + "' of schema " + entity.schema +
                             (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    for (auto& v : values) {
      auto normal = NormalizeValue(spec->type, v.value, default_country);
      if (!normal.ok()) return normal.status().WithContext("property '" + name + "'");
      v.value = std::move(normal).value();
    }
    // Normalisation can make two values equal: keep one per source record.
    std::vector<PropertyValue> unique;
    for (auto& v : values) {
      bool dup = std::any_of(unique.begin(), unique.end(), [&](const PropertyValue& u) {
        return u.value == v.value && u.provenance.SameRecord(v.provenance);
      });
      if (!dup) unique.push_back(std::move(v));
    }
    values = std::move(unique);
  }
  return Status::Ok();
}

std::string ToFtmJson(const Entity& e) {
  json props = json::object();
  json prov = json::object();
  for (const auto& [name, values] : e.properties) {
    json arr = json::array();
    json parr = json::array();
    for (const auto& v : Sorted(values)) {
      arr.push_back(v.value);
      parr.push_back({v.provenance.source, v.provenance.record_key, v.provenance.ingested_us});
    }
    props[name] = std::move(arr);
    prov[name] = std::move(parr);
  }
  json j = {{"id", e.id},
            {"schema", e.schema},
            {"properties", props},
            {"ura", {{"marking", MarkingToJson(e.marking)}, {"p", prov}}}};
  return Dump(j);
}

Result<Entity> FromFtmJson(std::string_view line, const Provenance& fallback,
                           const Marking& default_marking) {
  json j;
  try {
    j = json::parse(line);
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) return InvalidArgument("an FtM entity must be a JSON object");
  Entity e;
  e.marking = default_marking;
  if (!j.contains("id") || !j["id"].is_string()) return InvalidArgument("field 'id' missing or not a string");
  if (!j.contains("schema") || !j["schema"].is_string()) {
    return InvalidArgument("field 'schema' missing or not a string");
  }
  e.id = j["id"].get<std::string>();
  e.schema = j["schema"].get<std::string>();
  const json* prov = nullptr;
  if (j.contains("ura") && j["ura"].is_object()) {
    const json& ura = j["ura"];
    if (ura.contains("marking")) {
      URA_ASSIGN_OR_RETURN(e.marking, ParseMarking(ura["marking"]));
    }
    if (ura.contains("p") && ura["p"].is_object()) prov = &ura["p"];
  }
  if (!j.contains("properties")) return e;
  if (!j["properties"].is_object()) return InvalidArgument("field 'properties' is not an object");
  for (const auto& [name, arr] : j["properties"].items()) {
    if (!arr.is_array()) return InvalidArgument("property '" + name + "' is not an array");
    const json* parr = prov && prov->contains(name) ? &(*prov)[name] : nullptr;
    for (size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_string()) return InvalidArgument("property '" + name + "' has a non-string value");
      Provenance p = fallback;
      if (parr && parr->is_array() && i < parr->size()) {
        const json& t = (*parr)[i];
        if (t.is_array() && t.size() == 3 && t[0].is_string() && t[1].is_string() &&
            t[2].is_number_integer()) {
          p = {t[0].get<std::string>(), t[1].get<std::string>(), t[2].get<int64_t>()};
        }
      }
      e.Add(name, {arr[i].get<std::string>(), std::move(p)});
    }
  }
  return e;
}

}  // namespace ura::model
