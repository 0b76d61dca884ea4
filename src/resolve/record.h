// Person records as entity resolution compares them: one Person entity of the index reduced
// to folded name parts, birth dates, identifiers, phones and addresses.
//
// The index keeps values already normalised by their type (model/types.h: ISO dates with
// their precision, E.164 phones, identifiers without separators); this module adds what
// matching needs on top: names folded across scripts (text/fold.h) and split into given and
// family parts, honorifics and initials dropped, dates split into year/month/day with the
// precision kept, and every identifier kept whole (a partial one is recognised when compared).
//
// Pure functions on values; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/entity.h"
#include "model/schema.h"

namespace ura::resolve {

// A date as precise as the source gave it: month and day are 0 when unknown.
struct PartialDate {
  int16_t year = 0;
  int8_t month = 0;
  int8_t day = 0;
  bool operator==(const PartialDate&) const = default;
};

struct PersonRecord {
  std::string id;          // entity id
  std::string source;      // provenance of most of its values (the source record it came from)
  std::string record_key;
  // Name parts, folded. When the source named the parts (firstName / lastName), `parts_known`
  // is set and given/family are them; otherwise they are read from the full name in the
  // usual given-first order and the comparison also tries family-first.
  std::string given;
  std::string family;
  bool parts_known = false;
  // text::Skeleton of each part, computed once by RecordFromEntity (blocking and comparison use
  // them for every pair); empty in a record made otherwise, where PartSound computes them.
  std::string given_sound;
  std::string family_sound;
  std::vector<PartialDate> birth_dates;
  std::vector<std::string> identifiers;  // canonical (types.h), all identifier properties
  std::vector<std::string> phones;       // E.164
  std::vector<std::string> addresses;    // folded
  std::vector<std::string> nationalities;
  char gender = 0;  // 'm', 'f', or 0 when unknown
};

// Reads one Person. `registry` tells which properties are identifiers, phones and addresses.
// The order an entity's values are held in does not matter (they are read in canonical order).
PersonRecord RecordFromEntity(const model::Entity& entity, const model::SchemaRegistry& registry);

// The skeleton of a name part: `stored` (the record's) if set, else computed into `scratch`.
std::string_view PartSound(const std::string& part, const std::string& stored, std::string& scratch);

// A record as bytes, for keeping beside its entity in the index (index::EntityKeys) so that a
// whole-store read needs no JSON parse and no name folding: a format byte, then each field
// in order (strings and lists length-prefixed, little-endian). DecodeRecord checks every
// length against what is left and is kDataLoss (kind "index") for bytes it did not write.
std::string EncodeRecord(const PersonRecord& record);
Result<PersonRecord> DecodeRecord(std::string_view bytes);

// The folded tokens of a name with honorifics ("mr", "z.", "znj", "dr", "bay", "hanim" ...)
// and one-letter initials dropped.
std::vector<std::string> NameTokens(std::string_view name);

// Splits folded name tokens in given-first order: the first token is the given name, the
// last the family name; tokens between (a father's name, a second given name) are not used.
// A single token is taken as a family name.
void SplitName(const std::vector<std::string>& tokens, std::string& given, std::string& family);

// An ISO 8601 date as the model stores it (YYYY, YYYY-MM, YYYY-MM-DD, with or without a
// time); nullopt-like {0,0,0} for anything else.
PartialDate ParseDate(std::string_view iso);

}  // namespace ura::resolve
