#include "ingest/mapping.h"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace ura::ingest {
namespace {

// An error located in the mapping file.
struct MappingError {
  std::string message;
};

int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }

[[noreturn]] void Fail(const YAML::Node& node, const std::string& message) {
  throw MappingError{std::to_string(LineOf(node)) + ": " + message};
}

std::string Scalar(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) Fail(node, "'" + key + "' must be a single value");
  return node.as<std::string>();
}

void CheckKeys(const YAML::Node& map, const std::string& where, const std::set<std::string>& allowed) {
  if (!map.IsMap()) Fail(map, where + " must be a mapping of keys to values");
  for (const auto& kv : map) {
    std::string key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      Fail(kv.first, "unknown key '" + key + "' in " + where + " (expected one of: " + list + ")");
    }
  }
}

std::string SubstituteEnv(const YAML::Node& node, std::string text) {
  size_t pos = 0;
  while ((pos = text.find("${", pos)) != std::string::npos) {
    size_t end = text.find('}', pos);
    if (end == std::string::npos) Fail(node, "unterminated ${ in '" + text + "'");
    std::string name = text.substr(pos + 2, end - pos - 2);
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) Fail(node, "environment variable " + name + " is not set");
    text.replace(pos, end - pos + 1, value);
    pos += std::string_view(value).size();
  }
  return text;
}

Transform ParseTransform(const YAML::Node& node) {
  Transform t;
  if (node.IsScalar()) {
    std::string name = node.as<std::string>();
    static const std::map<std::string, Transform::Kind> kSimple = {
        {"trim", Transform::Kind::kTrim},        {"collapse_spaces", Transform::Kind::kCollapseSpaces},
        {"upper", Transform::Kind::kUpper},      {"lower", Transform::Kind::kLower},
        {"title", Transform::Kind::kTitle},      {"digits_only", Transform::Kind::kDigitsOnly}};
    auto it = kSimple.find(name);
    if (it == kSimple.end()) Fail(node, "unknown transform '" + name + "'");
    t.kind = it->second;
    return t;
  }
  if (!node.IsMap() || node.size() < 1) Fail(node, "a transform is a name or a one-key mapping");
  std::string name = node.begin()->first.as<std::string>();
  const YAML::Node arg = node.begin()->second;
  if (name == "date") {
    t.kind = Transform::Kind::kDate;
    CheckKeys(node, "date transform", {"date"});
    if (arg.IsScalar()) {
      t.date_formats.push_back(arg.as<std::string>());
    } else if (arg.IsSequence()) {
      for (const auto& f : arg) t.date_formats.push_back(Scalar(f, "date"));
    } else {
      Fail(arg, "date: needs a format or a list of formats");
    }
    for (const auto& f : t.date_formats) {
      if (f.find("YY") == std::string::npos || f.find('M') == std::string::npos) {
        Fail(arg, "date format '" + f + "' needs at least a year (YYYY or YY) and a month (MM or M)");
      }
    }
  } else if (name == "replace") {
    t.kind = Transform::Kind::kReplace;
    CheckKeys(arg, "replace", {"from", "to"});
    if (!arg["from"]) Fail(arg, "replace: needs 'from'");
    t.from = Scalar(arg["from"], "from");
    t.to = arg["to"] ? Scalar(arg["to"], "to") : "";
    if (t.from.empty()) Fail(arg, "replace: 'from' is empty");
  } else if (name == "map") {
    t.kind = Transform::Kind::kMap;
    CheckKeys(node, "map transform", {"map", "strict"});
    if (!arg.IsMap()) Fail(arg, "map: needs a mapping of values");
    for (const auto& kv : arg) t.map[kv.first.as<std::string>()] = Scalar(kv.second, "map");
    if (node["strict"]) t.strict = node["strict"].as<bool>();
  } else if (name == "name_part") {
    t.kind = Transform::Kind::kNamePart;
    CheckKeys(node, "name_part transform", {"name_part", "order"});
    std::string part = Scalar(arg, "name_part");
    if (part != "given" && part != "family") Fail(arg, "name_part: is 'given' or 'family'");
    t.given_part = part == "given";
    if (node["order"]) {
      std::string order = Scalar(node["order"], "order");
      if (order != "given_first" && order != "family_first") Fail(node["order"], "order: is given_first or family_first");
      t.family_first = order == "family_first";
    }
  } else {
    Fail(node, "unknown transform '" + name + "'");
  }
  return t;
}

model::Marking ParseMarking(const YAML::Node& node, model::Marking m) {
  auto apply = [&](const char* key, auto parse, auto& field) {
    if (node[key]) {
      auto v = parse(Scalar(node[key], key));
      if (!v.ok()) Fail(node[key], v.status().message());
      field = *v;
    }
  };
  apply("handling", model::ParseHandlingCode, m.handling);
  apply("classification", model::ParseClassification, m.classification);
  apply("reliability", model::ParseReliability, m.reliability);
  apply("accuracy", model::ParseAccuracy, m.accuracy);
  return m;
}

Mapping Parse(const YAML::Node& root, const model::SchemaRegistry& registry) {
  Mapping m;
  CheckKeys(root, "the mapping file", {"source", "defaults", "queries"});
  const YAML::Node source = root["source"];
  if (!source) Fail(root, "missing 'source'");
  CheckKeys(source, "source", {"name", "label", "format", "csv", "encoding", "records", "default_country"});
  if (!source["name"]) Fail(source, "source: missing 'name'");
  m.source_name = Scalar(source["name"], "name");
  for (char c : m.source_name) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
      Fail(source["name"], "source name '" + m.source_name + "' may hold only a-z, 0-9, - and _");
    }
  }
  if (m.source_name.empty()) Fail(source["name"], "source name is empty");
  if (source["label"]) m.source_label = Scalar(source["label"], "label");
  std::string format = source["format"] ? Scalar(source["format"], "format") : "";
  if (format == "csv") {
    m.format = SourceFormat::kCsv;
  } else if (format == "json") {
    m.format = SourceFormat::kJson;
  } else if (format == "ndjson") {
    m.format = SourceFormat::kNdjson;
  } else {
    Fail(source["format"] ? source["format"] : source, "source: format must be csv, json or ndjson");
  }
  if (source["encoding"]) m.encoding = Scalar(source["encoding"], "encoding");
  if (const YAML::Node csv = source["csv"]) {
    if (m.format != SourceFormat::kCsv) Fail(csv, "'csv' options need format: csv");
    CheckKeys(csv, "csv", {"delimiter", "quote", "header", "columns", "encoding"});
    auto one_char = [&](const char* key, char& out) {
      if (!csv[key]) return;
      std::string v = Scalar(csv[key], key);
      if (v == "\\t") v = "\t";
      if (v.size() != 1) Fail(csv[key], std::string(key) + " must be one character");
      out = v[0];
    };
    one_char("delimiter", m.csv.delimiter);
    one_char("quote", m.csv.quote);
    if (csv["header"]) m.csv.header = csv["header"].as<bool>();
    if (csv["columns"]) {
      for (const auto& c : csv["columns"]) m.csv.columns.push_back(Scalar(c, "columns"));
    }
    if (!m.csv.header && m.csv.columns.empty()) Fail(csv, "csv: header: false needs 'columns'");
    if (csv["encoding"]) m.encoding = Scalar(csv["encoding"], "encoding");
  }
  m.csv.encoding = m.encoding;
  if (m.format == SourceFormat::kJson && m.encoding != "utf-8" && m.encoding != "UTF-8" && m.encoding != "utf8") {
    Fail(source["encoding"] ? source["encoding"] : source,
         "JSON documents must be UTF-8 (RFC 8259); convert the file, or export NDJSON, which may use 'encoding'");
  }
  if (source["records"]) {
    if (m.format != SourceFormat::kJson) Fail(source["records"], "'records' needs format: json");
    m.records_path = Scalar(source["records"], "records");
  }
  if (source["default_country"]) m.default_country = Scalar(source["default_country"], "default_country");

  if (const YAML::Node defaults = root["defaults"]) {
    CheckKeys(defaults, "defaults", {"handling", "classification", "reliability", "accuracy"});
    m.defaults = ParseMarking(defaults, m.defaults);
  }

  const YAML::Node queries = root["queries"];
  if (!queries || !queries.IsSequence() || queries.size() == 0) Fail(root, "needs 'queries': a list of at least one query");
  for (const auto& qn : queries) {
    CheckKeys(qn, "a query", {"each", "filters", "entities", "record_key"});
    Query q;
    if (qn["each"]) {
      if (m.format == SourceFormat::kCsv) Fail(qn["each"], "'each' works only for JSON sources");
      q.each = Scalar(qn["each"], "each");
    }
    if (const YAML::Node filters = qn["filters"]) {
      if (!filters.IsSequence()) Fail(filters, "filters must be a list");
      for (const auto& fn : filters) {
        CheckKeys(fn, "a filter", {"column", "equals", "not_equals", "present"});
        Filter f;
        if (!fn["column"]) Fail(fn, "a filter needs 'column'");
        f.column = Scalar(fn["column"], "column");
        if (fn["equals"]) {
          f.op = Filter::Op::kEquals;
          f.value = Scalar(fn["equals"], "equals");
        } else if (fn["not_equals"]) {
          f.op = Filter::Op::kNotEquals;
          f.value = Scalar(fn["not_equals"], "not_equals");
        } else if (fn["present"]) {
          f.op = fn["present"].as<bool>() ? Filter::Op::kPresent : Filter::Op::kAbsent;
        } else {
          Fail(fn, "a filter needs equals, not_equals or present");
        }
        q.filters.push_back(std::move(f));
      }
    }
    const YAML::Node entities = qn["entities"];
    if (!entities || !entities.IsMap() || entities.size() == 0) Fail(qn, "a query needs 'entities'");
    std::set<std::string> aliases;
    for (const auto& kv : entities) aliases.insert(kv.first.as<std::string>());
    for (const auto& kv : entities) {
      EntityMapping e;
      e.alias = kv.first.as<std::string>();
      const YAML::Node en = kv.second;
      e.line = LineOf(kv.first);
      CheckKeys(en, "entity '" + e.alias + "'",
                {"schema", "keys", "key_literal", "properties", "handling", "classification", "reliability", "accuracy",
                 "need_to_know"});
      if (!en["schema"]) Fail(en, "entity '" + e.alias + "' needs 'schema'");
      std::string schema_name = Scalar(en["schema"], "schema");
      e.schema = registry.Find(schema_name);
      if (e.schema == nullptr) {
        std::string hint = registry.SuggestSchema(schema_name);
        Fail(en["schema"], "unknown schema '" + schema_name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
      if (e.schema->abstract()) Fail(en["schema"], "schema '" + schema_name + "' is abstract");
      if (!en["keys"] || !en["keys"].IsSequence() || en["keys"].size() == 0) {
        Fail(en, "entity '" + e.alias + "' needs 'keys': the columns that identify it");
      }
      for (const auto& k : en["keys"]) e.keys.push_back(Scalar(k, "keys"));
      if (en["key_literal"]) e.key_literal = Scalar(en["key_literal"], "key_literal");
      e.marking = ParseMarking(en, m.defaults);
      if (en["need_to_know"]) e.need_to_know_column = Scalar(en["need_to_know"], "need_to_know");
      if (const YAML::Node props = en["properties"]) {
        if (!props.IsMap()) Fail(props, "properties must be a mapping");
        for (const auto& pkv : props) {
          ValueMapping v;
          v.property = pkv.first.as<std::string>();
          v.line = LineOf(pkv.first);
          v.spec = e.schema->property(v.property);
          if (v.spec == nullptr) {
            std::string hint = registry.SuggestProperty(*e.schema, v.property);
            Fail(pkv.first, "unknown property '" + v.property + "' of schema " + schema_name +
                                (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
          }
          const YAML::Node vn = pkv.second;
          CheckKeys(vn, "property '" + v.property + "'",
                    {"column", "columns", "join", "literal", "entity", "transforms", "required", "split"});
          int sources = (vn["column"] ? 1 : 0) + (vn["columns"] ? 1 : 0) + (vn["literal"] ? 1 : 0) + (vn["entity"] ? 1 : 0);
          if (sources != 1) Fail(vn, "property '" + v.property + "' needs exactly one of column, columns, literal, entity");
          if (vn["column"]) v.column = Scalar(vn["column"], "column");
          if (vn["columns"]) {
            if (!vn["columns"].IsSequence()) Fail(vn["columns"], "columns must be a list");
            for (const auto& c : vn["columns"]) v.columns.push_back(Scalar(c, "columns"));
          }
          if (vn["join"]) v.join = Scalar(vn["join"], "join");
          if (vn["literal"]) v.literal = SubstituteEnv(vn["literal"], Scalar(vn["literal"], "literal"));
          if (vn["entity"]) {
            v.entity_alias = Scalar(vn["entity"], "entity");
            if (!aliases.count(v.entity_alias)) Fail(vn["entity"], "no entity '" + v.entity_alias + "' in this query");
            if (v.spec->type != model::PropertyType::kEntity) {
              Fail(vn["entity"], "property '" + v.property + "' is not an entity reference");
            }
          }
          if (vn["transforms"]) {
            if (!vn["transforms"].IsSequence()) Fail(vn["transforms"], "transforms must be a list");
            for (const auto& tn : vn["transforms"]) v.transforms.push_back(ParseTransform(tn));
          }
          if (vn["required"]) v.required = vn["required"].as<bool>();
          if (vn["split"]) v.split = Scalar(vn["split"], "split");
          e.properties.push_back(std::move(v));
        }
      }
      q.entities.push_back(std::move(e));
    }
    if (qn["record_key"]) {
      for (const auto& k : qn["record_key"]) q.record_key.push_back(Scalar(k, "record_key"));
    }
    m.queries.push_back(std::move(q));
  }
  return m;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string CaseMap(std::string_view s, Transform::Kind kind) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  if (kind == Transform::Kind::kUpper) u.toUpper();
  if (kind == Transform::Kind::kLower) u.toLower();
  if (kind == Transform::Kind::kTitle) {
    // Building a word break iterator costs more than the conversion: one per thread.
    thread_local std::unique_ptr<icu::BreakIterator> words = [] {
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
      return U_SUCCESS(status) ? std::move(it) : nullptr;
    }();
    u.toTitle(words.get());
  }
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace

std::optional<std::string> ParseDateWithFormat(std::string_view value, std::string_view format) {
  int year = -1, month = -1, day = -1, hour = -1, minute = -1, second = -1;
  size_t vi = 0, fi = 0;
  auto read_digits = [&](size_t min, size_t max, int& out) {
    size_t n = 0;
    int v = 0;
    while (n < max && vi + n < value.size() && std::isdigit(static_cast<unsigned char>(value[vi + n]))) {
      v = v * 10 + (value[vi + n] - '0');
      ++n;
    }
    if (n < min) return false;
    vi += n;
    out = v;
    return true;
  };
  while (fi < format.size()) {
    std::string_view rest = format.substr(fi);
    bool ok = true;
    if (rest.rfind("YYYY", 0) == 0) {
      ok = read_digits(4, 4, year);
      fi += 4;
    } else if (rest.rfind("YY", 0) == 0) {
      ok = read_digits(2, 2, year);
      if (ok) year += year < 30 ? 2000 : 1900;
      fi += 2;
    } else if (rest.rfind("MM", 0) == 0) {
      ok = read_digits(2, 2, month);
      fi += 2;
    } else if (rest.rfind("M", 0) == 0) {
      ok = read_digits(1, 2, month);
      fi += 1;
    } else if (rest.rfind("DD", 0) == 0) {
      ok = read_digits(2, 2, day);
      fi += 2;
    } else if (rest.rfind("D", 0) == 0) {
      ok = read_digits(1, 2, day);
      fi += 1;
    } else if (rest.rfind("HH", 0) == 0) {
      ok = read_digits(1, 2, hour);
      fi += 2;
    } else if (rest.rfind("mm", 0) == 0) {
      ok = read_digits(2, 2, minute);
      fi += 2;
    } else if (rest.rfind("ss", 0) == 0) {
      ok = read_digits(2, 2, second);
      fi += 2;
    } else {
      ok = vi < value.size() && value[vi] == format[fi];
      ++vi;
      ++fi;
    }
    if (!ok) return std::nullopt;
  }
  if (vi != value.size() || year < 0 || month < 1 || month > 12) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day != -1) {
    int max = kDays[month - 1] - (month == 2 && !leap ? 1 : 0);
    if (day < 1 || day > max) return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  char buf[64];
  if (day == -1) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  } else if (hour == -1) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  } else if (second == -1) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", year, month, day, hour, std::max(minute, 0));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, std::max(minute, 0), second);
  }
  return std::string(buf);
}

Result<std::vector<std::string>> ApplyTransforms(const std::vector<Transform>& transforms,
                                                 std::vector<std::string> values) {
  for (const Transform& t : transforms) {
    std::vector<std::string> out;
    for (auto& v : values) {
      switch (t.kind) {
        case Transform::Kind::kTrim: v = Trim(v); break;
        case Transform::Kind::kCollapseSpaces: v = CollapseSpaces(Trim(v)); break;
        case Transform::Kind::kUpper:
        case Transform::Kind::kLower:
        case Transform::Kind::kTitle: v = CaseMap(v, t.kind); break;
        case Transform::Kind::kDigitsOnly: {
          std::string d;
          for (char c : v) {
            if (std::isdigit(static_cast<unsigned char>(c))) d += c;
          }
          v = d;
          break;
        }
        case Transform::Kind::kReplace: {
          size_t pos = 0;
          while ((pos = v.find(t.from, pos)) != std::string::npos) {
            v.replace(pos, t.from.size(), t.to);
            pos += t.to.size();
          }
          break;
        }
        case Transform::Kind::kMap: {
          auto it = t.map.find(v);
          if (it != t.map.end()) {
            v = it->second;
          } else if (t.strict) {
            return InvalidArgument("value '" + v + "' is not in the map");
          }
          break;
        }
        case Transform::Kind::kDate: {
          std::optional<std::string> parsed;
          std::string trimmed = Trim(v);
          for (const auto& f : t.date_formats) {
            if ((parsed = ParseDateWithFormat(trimmed, f))) break;
          }
          if (!parsed) {
            std::string formats;
            for (const auto& f : t.date_formats) formats += (formats.empty() ? "" : " or ") + f;
            return InvalidArgument("'" + v + "' is not a valid date in the format " + formats);
          }
          v = *parsed;
          break;
        }
        case Transform::Kind::kNamePart: {
          std::string name = CollapseSpaces(Trim(v));
          std::string given, family;
          size_t comma = name.find(',');
          if (comma != std::string::npos) {
            family = Trim(name.substr(0, comma));
            given = Trim(name.substr(comma + 1));
          } else if (t.family_first) {
            size_t sp = name.find(' ');
            family = name.substr(0, sp);
            given = sp == std::string::npos ? "" : name.substr(sp + 1);
          } else {
            size_t sp = name.rfind(' ');
            family = sp == std::string::npos ? name : name.substr(sp + 1);
            given = sp == std::string::npos ? "" : name.substr(0, sp);
          }
          v = t.given_part ? given : family;
          break;
        }
      }
      if (!v.empty()) out.push_back(std::move(v));
    }
    values = std::move(out);
  }
  return values;
}

Result<Mapping> ParseMapping(std::string_view yaml, const std::string& file_name,
                             const model::SchemaRegistry& registry) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    Mapping m = Parse(root, registry);
    m.file = file_name;
    return m;
  } catch (const MappingError& e) {
    return InvalidArgument(file_name + ":" + e.message);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(file_name + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Result<Mapping> LoadMapping(const std::string& path, const model::SchemaRegistry& registry) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open mapping file " + path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseMapping(text.str(), path, registry);
}

}  // namespace ura::ingest
