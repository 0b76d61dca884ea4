#include "resolve/record.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "text/fold.h"

namespace ura::resolve {

namespace {

// Titles and forms of address the sources put before names (English, Albanian, Turkish,
// Serbian/Macedonian/Bosnian, German, Italian, Greek in Latin), folded. One-letter tokens
// (initials, the Albanian "z.") are dropped separately.
constexpr std::array<std::string_view, 30> kHonorifics = {
    "mr",     "mrs",  "ms",     "miss",   "dr",     "prof", "sir",   "znj",      "zonja", "zoti",
    "zonjusha", "bay", "bayan", "hanim",  "bey",    "efendi", "gdin", "gospodin", "gdja", "gospodja",
    "gdjica", "gca",  "herr",   "frau",   "sig",    "sigra", "signor", "signora", "kyrios", "kyria"};

bool IsHonorific(std::string_view token) {
  return std::find(kHonorifics.begin(), kHonorifics.end(), token) != kHonorifics.end();
}

int ParseInt(std::string_view digits) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return ec == std::errc() && ptr == digits.data() + digits.size() ? value : -1;
}

void AddUnique(std::vector<std::string>& values, std::string value) {
  if (value.empty()) return;
  if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(std::move(value));
}

std::string JoinTokens(const std::vector<std::string>& tokens) {
  std::string out;
  for (const std::string& t : tokens) out += (out.empty() ? "" : " ") + t;
  return out;
}

}  // namespace

std::vector<std::string> NameTokens(std::string_view name) {
  std::vector<std::string> tokens = text::FoldTokens(name);
  std::erase_if(tokens, [](const std::string& t) { return t.size() < 2 || IsHonorific(t); });
  return tokens;
}

void SplitName(const std::vector<std::string>& tokens, std::string& given, std::string& family) {
  given.clear();
  family.clear();
  if (tokens.empty()) return;
  family = tokens.back();
  if (tokens.size() > 1) given = tokens.front();
}

PartialDate ParseDate(std::string_view iso) {
  PartialDate date;
  if (iso.size() < 4) return date;
  int year = ParseInt(iso.substr(0, 4));
  if (year < 1000) return date;
  date.year = static_cast<int16_t>(year);
  if (iso.size() >= 7 && iso[4] == '-') {
    int month = ParseInt(iso.substr(5, 2));
    if (month >= 1 && month <= 12) date.month = static_cast<int8_t>(month);
  }
  if (date.month != 0 && iso.size() >= 10 && iso[7] == '-') {
    int day = ParseInt(iso.substr(8, 2));
    if (day >= 1 && day <= 31) date.day = static_cast<int8_t>(day);
  }
  return date;
}

PersonRecord RecordFromEntity(const model::Entity& entity, const model::SchemaRegistry& registry) {
  PersonRecord record;
  record.id = entity.id;
  const model::Schema* schema = registry.Find(entity.schema);
  // The source record most values came from: an entity is normally made from one record
  // (a crossing, a case file's person, a notice), whose key ground truth refers to.
  std::map<std::pair<std::string, std::string>, int> provenance_count;
  for (const auto& [property, values] : entity.properties) {
    const model::PropertySpec* spec = schema != nullptr ? schema->property(property) : nullptr;
    for (const model::PropertyValue& v : values) {
      ++provenance_count[{v.provenance.source, v.provenance.record_key}];
      if (spec == nullptr) continue;
      switch (spec->type) {
        case model::PropertyType::kIdentifier:
          AddUnique(record.identifiers, v.value);
          break;
        case model::PropertyType::kPhone:
          AddUnique(record.phones, v.value);
          break;
        case model::PropertyType::kAddress:
          AddUnique(record.addresses, text::Fold(v.value));
          break;
        case model::PropertyType::kDate:
          if (property == "birthDate") {
            PartialDate d = ParseDate(v.value);
            if (d.year != 0 && std::find(record.birth_dates.begin(), record.birth_dates.end(), d) ==
                                   record.birth_dates.end()) {
              record.birth_dates.push_back(d);
            }
          }
          break;
        case model::PropertyType::kCountry:
          if (property == "nationality" || property == "citizenship") AddUnique(record.nationalities, v.value);
          break;
        case model::PropertyType::kGender:
          if (v.value == "male") record.gender = 'm';
          if (v.value == "female") record.gender = 'f';
          break;
        default:
          break;
      }
    }
  }
  int best = 0;
  for (const auto& [key, count] : provenance_count) {
    if (count > best) {
      best = count;
      record.source = key.first;
      record.record_key = key.second;
    }
  }
  // Name parts the source named win over parsing the full name.
  std::vector<std::string> first = entity.Values("firstName"), last = entity.Values("lastName");
  if (!first.empty() && !last.empty()) {
    std::vector<std::string> given = NameTokens(first.front()), family = NameTokens(last.front());
    if (!given.empty() && !family.empty()) {
      record.given = given.front();  // a second given name is not used, as in SplitName
      record.family = JoinTokens(family);
      record.parts_known = true;
      return record;
    }
  }
  for (const std::string& name : entity.Values("name")) {
    std::vector<std::string> tokens = NameTokens(name);
    if (tokens.empty()) continue;
    SplitName(tokens, record.given, record.family);
    break;
  }
  return record;
}

}  // namespace ura::resolve
