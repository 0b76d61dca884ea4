// Property value types of the entity model, and their validation and normalisation.
//
// Every property of a schema has one of these types (see schema.h). A raw value taken from a
// source (mapping, FtM import, user input) goes through NormalizeValue before it is stored:
// the canonical form is what the index pivots on, so the same phone number, e-mail, IBAN,
// plate or document number written two ways in two sources becomes one value.
//
// Canonical forms (FollowTheMoney's where FtM has one):
//   string, name   valid UTF-8, NFC, white space trimmed and runs collapsed to one space;
//                  at most 1,000 bytes
//   text           as string, but line breaks are kept (CR LF and CR become LF); 100,000 bytes
//   address        as string (one line); at most 100,000 bytes
//   date           ISO 8601, precision kept: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM,
//                  YYYY-MM-DDTHH:MM:SS, each time optionally with Z; years 1000-2999
//   country        ISO 3166-1 alpha-2 in lower case (`al`, `xk` for Kosovo); accepts upper
//                  case and alpha-3 (`ALB`, `KOS`/`XKX`)
//   identifier     upper case, without spaces, dashes, dots and slashes ("ba 123-456" ->
//                  "BA123456"); at least one letter or digit; at most 256 bytes
//   plate          upper-case letters and digits only ("AA 123 BC" -> "AA123BC")
//   phone          E.164 (`+355691234567`); national numbers need `default_country`
//   email          local@domain with the domain in lower case
//   iban           upper case without spaces; length per country and ISO 7064 mod-97 checked
//   number         decimal, '.' separator, no leading zeros or trailing fraction zeros
//   url            http(s)://host...; scheme and host in lower case
//   gender         male | female | other (`m`, `f` accepted)
//   language       ISO 639-3 three-letter code, lower case, as FtM (`sq` -> `sqi`)
//   entity         an entity id: 1-200 characters of [A-Za-z0-9._:-]
//
// All functions are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ura::model {

enum class PropertyType {
  kString,
  kText,
  kName,
  kDate,
  kCountry,
  kIdentifier,
  kPhone,
  kEmail,
  kIban,
  kAddress,
  kEntity,
  kNumber,
  kUrl,
  kPlate,
  kGender,
  kLanguage,
};

// "string", "text", "name", ... as written in schema files.
std::string_view PropertyTypeName(PropertyType type);
// The inverse of PropertyTypeName; nullopt for an unknown name.
std::optional<PropertyType> PropertyTypeFromName(std::string_view name);

// Returns the canonical form of `raw` as a value of `type`, or kInvalidArgument with a
// message naming the problem and quoting the value (the caller adds the field name), e.g.
// "'2023-02-30' is not a valid date". Leading and trailing white space is ignored for every
// type; an empty value is an error. `default_country` (alpha-2 or alpha-3, any case) is the
// country of national phone numbers; it is ignored for other types.
Result<std::string> NormalizeValue(PropertyType type, std::string_view raw,
                                   std::string_view default_country = "");

// The ISO 3166-1 alpha-2 code (lower case) for an alpha-2 or alpha-3 code in any case, or
// nullopt. Exposed for mappings and the phone default country.
std::optional<std::string> CountryCode(std::string_view code);

}  // namespace ura::model
