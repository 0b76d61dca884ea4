// Entities: Ura's unit of police data, compatible with FollowTheMoney (FtM). An entity has an
// id, a schema (schema.h) and multi-valued properties; unlike FtM, every value carries its
// provenance (source system, source record, ingest time), and every entity carries a SIENA
// handling code, a classification and the "4x4" evaluation (source reliability A/B/C/X,
// information accuracy 1-4).
//
// An Entity is a plain value type: copyable, not thread-safe to mutate concurrently.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/schema.h"

namespace ura::model {

struct Provenance {
  std::string source;      // source system, e.g. "border"
  std::string record_key;  // the source record, e.g. the crossing id
  int64_t ingested_us = 0;

  bool SameRecord(const Provenance& o) const { return source == o.source && record_key == o.record_key; }
};

struct PropertyValue {
  std::string value;  // normalised (types.h)
  Provenance provenance;
};

// SIENA handling codes (Europol): H0 use for crime prevention/investigation only; H1 not in
// court without permission; H2 no onward dissemination without permission; H3 other
// restrictions.
enum class HandlingCode : uint8_t { kH0 = 0, kH1, kH2, kH3 };
enum class Classification : uint8_t { kUnclassified = 0, kRestricted, kConfidential, kSecret };

std::string_view HandlingCodeName(HandlingCode h);  // "H0" ...
std::string_view ClassificationName(Classification c);  // "restricted" ...
Result<HandlingCode> ParseHandlingCode(std::string_view s);
Result<Classification> ParseClassification(std::string_view s);
Result<char> ParseReliability(std::string_view s);  // A, B, C or X
Result<uint8_t> ParseAccuracy(std::string_view s);  // 1..4

struct Marking {
  HandlingCode handling = HandlingCode::kH0;
  Classification classification = Classification::kRestricted;
  char reliability = 'X';
  uint8_t accuracy = 4;
  // Need-to-know: when not empty, only users assigned to one of these cases (case numbers,
  // sorted, without duplicates) see the record. Decided at ingest, from the mapping.
  std::vector<std::string> cases;
  bool operator==(const Marking&) const = default;
};

// Case numbers as a Marking keeps them: trimmed, non-empty, sorted, without duplicates.
// kInvalidArgument for one longer than 100 bytes or with control characters.
Result<std::vector<std::string>> NormaliseCases(std::vector<std::string> cases);

// The marking of an entity after a new record about it: the new record's codes, and the need-
// to-know cases of both -- a restriction sticks (a later record adds cases, never lifts one).
Marking MergeMarking(const Marking& current, const Marking& incoming);

struct Entity {
  std::string id;
  std::string schema;
  std::map<std::string, std::vector<PropertyValue>> properties;  // sorted by property name
  Marking marking;

  // Adds `value` unless the same value from the same source record is already there.
  void Add(const std::string& property, PropertyValue value);
  // Removes every value contributed by `provenance`'s source record (before re-adding what
  // the record says now). Returns the number removed.
  size_t RemoveRecord(const Provenance& provenance);
  // All values of one property (empty if none).
  std::vector<std::string> Values(const std::string& property) const;
  bool empty() const { return properties.empty(); }
};

// {"handling", "classification", "reliability", "accuracy"} and, if any, "cases", as in the
// canonical JSON.
nlohmann::json MarkingToJson(const Marking& marking);
// A marking as one short line, for an index column that access checks read without parsing
// the entity: handling, classification, reliability, accuracy and the cases, separated by
// '\x1f' (which NormaliseCases keeps out of case numbers). DecodeMarking reads it back;
// kInvalidArgument for anything else.
std::string EncodeMarking(const Marking& marking);
Result<Marking> DecodeMarking(std::string_view text);

// The values of a property in canonical order: by (value, source, record, time).
std::vector<PropertyValue> CanonicalValueOrder(std::vector<PropertyValue> values);

// Canonical JSON: keys sorted, no insignificant whitespace, values of a property sorted by
// (value, source, record, time). The same entity always gives the same bytes: the journal
// payload of an entity version.
std::string CanonicalJson(const Entity& entity);
// The same document built through nlohmann/json: the reference CanonicalJson is tested against.
std::string CanonicalJsonReference(const Entity& entity);
// Parses canonical (or any equivalent) entity JSON. kInvalidArgument naming the field.
Result<Entity> ParseEntityJson(std::string_view json);
// A digest of the entity's content without ingest times: equal digests mean re-ingesting
// changed nothing.
std::string ContentDigest(const Entity& entity);

// True if the two entities hold the same content: id, schema, marking and the same values
// from the same source records (ingest times and value order are ignored). The same answer
// as comparing ContentDigest, without serialising.
bool SameContent(const Entity& a, const Entity& b);

// Checks the schema exists and is not abstract, every property exists on it, and normalises
// every value by its type (types.h); entity-typed values must be entity ids. Errors name the
// property and the value: "property 'birthDate': '1985-02-30' is not a valid date".
Status ValidateAndNormalize(Entity& entity, const SchemaRegistry& registry,
                            std::string_view default_country = "");

// FollowTheMoney JSON line: {"id", "schema", "properties": {name: [values]}} plus Ura's
// additions under "ura" (marking, and per-value provenance as {"p": {name: [[source,
// record, time], ...]}} aligned with the values), which FtM tools ignore.
std::string ToFtmJson(const Entity& entity);
// Reads an FtM line. Values without Ura provenance get `fallback` (the importing source);
// without a marking, `default_marking`.
Result<Entity> FromFtmJson(std::string_view line, const Provenance& fallback,
                           const Marking& default_marking);

}  // namespace ura::model
