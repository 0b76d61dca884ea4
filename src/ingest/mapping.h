// Mapping files (docs/mappings.md): how one source system's export becomes entities.
// Loading checks everything it can before any data is read -- schema and property names,
// transform syntax, aliases -- and names the file, line and key of each mistake.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ingest/csv_reader.h"
#include "model/entity.h"
#include "model/schema.h"

namespace ura::ingest {

struct Transform {
  enum class Kind { kTrim, kCollapseSpaces, kUpper, kLower, kTitle, kDigitsOnly, kReplace, kMap, kDate, kNamePart };
  Kind kind = Kind::kTrim;
  std::string from, to;                    // replace
  std::map<std::string, std::string> map;  // map
  bool strict = false;                     // map: unmapped values reject the record
  std::vector<std::string> date_formats;   // date
  bool given_part = false;                 // name_part: given (true) or family (false)
  bool family_first = false;               // name_part order
};

struct ValueMapping {
  std::string property;
  const model::PropertySpec* spec = nullptr;
  std::string column;                 // column / path
  std::vector<std::string> columns;   // joined
  std::string join = " ";
  std::optional<std::string> literal;
  std::string entity_alias;
  std::vector<Transform> transforms;
  bool required = false;
  std::string split;
  int line = 0;
};

struct EntityMapping {
  std::string alias;
  const model::Schema* schema = nullptr;
  std::vector<std::string> keys;
  std::string key_literal;
  std::vector<ValueMapping> properties;
  model::Marking marking;
  // `need_to_know: COLUMN`: the record's case number(s) in this column restrict the entity to
  // the members of those cases (Marking::cases). Empty: no restriction from this mapping.
  std::string need_to_know_column;
  int line = 0;
};

struct Filter {
  enum class Op { kEquals, kNotEquals, kPresent, kAbsent };
  std::string column;
  Op op = Op::kEquals;
  std::string value;
};

struct Query {
  std::string each;                     // JSON: array path inside each record
  std::vector<Filter> filters;
  std::vector<EntityMapping> entities;  // in file order
  std::vector<std::string> record_key;  // provenance record key columns (default: each entity's own keys)
};

enum class SourceFormat { kCsv, kJson, kNdjson };

struct Mapping {
  std::string file;
  std::string source_name;
  std::string source_label;
  SourceFormat format = SourceFormat::kCsv;
  CsvOptions csv;
  std::string encoding = "utf-8";
  std::string records_path;
  std::string default_country;  // for national phone numbers
  model::Marking defaults;
  std::vector<Query> queries;
};

// `file_name` is used in messages ("mappings/border.yml:14: ...").
Result<Mapping> ParseMapping(std::string_view yaml, const std::string& file_name,
                             const model::SchemaRegistry& registry);
Result<Mapping> LoadMapping(const std::string& path, const model::SchemaRegistry& registry);

// Applies `transforms` in order. kInvalidArgument (naming the value) if a date matches no
// format or a strict map has no entry.
Result<std::vector<std::string>> ApplyTransforms(const std::vector<Transform>& transforms,
                                                 std::vector<std::string> values);

// Parses `value` with a date format (tokens YYYY YY MM M DD D HH mm ss); ISO 8601 output.
std::optional<std::string> ParseDateWithFormat(std::string_view value, std::string_view format);

}  // namespace ura::ingest
