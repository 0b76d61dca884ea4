#include "resolve/record.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "index/index.h"
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

constexpr uint8_t kRecordFormat = 2;

void PutLength(std::string& out, size_t n) {  // LEB128
  do {
    uint8_t b = n & 0x7f;
    n >>= 7;
    out.push_back(static_cast<char>(n ? b | 0x80 : b));
  } while (n);
}
void PutString(std::string& out, std::string_view s) {
  PutLength(out, s.size());
  out.append(s);
}
void PutStrings(std::string& out, const std::vector<std::string>& values) {
  PutLength(out, values.size());
  for (const std::string& v : values) PutString(out, v);
}

// Reads what EncodeRecord wrote; `ok` turns false at the first length past the end.
class RecordReader {
 public:
  explicit RecordReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }
  uint8_t Byte() {
    if (in_.empty()) return Fail(), 0;
    const uint8_t b = static_cast<uint8_t>(in_.front());
    in_.remove_prefix(1);
    return b;
  }
  size_t Length() {
    size_t n = 0;
    for (int shift = 0; ok_ && shift < 35; shift += 7) {
      const uint8_t b = Byte();
      n |= static_cast<size_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return n <= in_.size() ? n : (Fail(), 0);
    }
    return Fail(), 0;
  }
  std::string String() {
    const size_t n = Length();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  std::vector<std::string> Strings() {
    std::vector<std::string> values(Length());
    for (std::string& v : values) v = String();
    return values;
  }

 private:
  void Fail() { ok_ = false; in_ = {}; }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::string EncodeRecord(const PersonRecord& r) {
  std::string out;
  out.reserve(64 + r.id.size() + r.source.size() + r.record_key.size() + r.given.size() + r.family.size());
  out.push_back(static_cast<char>(kRecordFormat));
  for (const std::string* s : {&r.id, &r.source, &r.record_key, &r.given, &r.family, &r.given_sound, &r.family_sound}) {
    PutString(out, *s);
  }
  out.push_back(r.parts_known ? 1 : 0);
  out.push_back(r.gender);
  PutLength(out, r.birth_dates.size());
  for (const PartialDate& d : r.birth_dates) {
    out.push_back(static_cast<char>(static_cast<uint16_t>(d.year) & 0xff));
    out.push_back(static_cast<char>(static_cast<uint16_t>(d.year) >> 8));
    out.push_back(static_cast<char>(d.month));
    out.push_back(static_cast<char>(d.day));
  }
  for (const auto* v : {&r.identifiers, &r.phones, &r.addresses, &r.nationalities}) PutStrings(out, *v);
  return out;
}

Result<PersonRecord> DecodeRecord(std::string_view bytes) {
  RecordReader in(bytes);
  PersonRecord r;
  const uint8_t format = in.Byte();
  if (in.ok() && format == kRecordFormat) {
    for (std::string* s : {&r.id, &r.source, &r.record_key, &r.given, &r.family, &r.given_sound, &r.family_sound}) {
      *s = in.String();
    }
    const uint8_t parts_known = in.Byte();
    r.parts_known = parts_known == 1;
    r.gender = static_cast<char>(in.Byte());
    const size_t dates = in.Length();
    r.birth_dates.reserve(dates / 4);
    for (size_t i = 0; in.ok() && i < dates; ++i) {
      PartialDate d;
      const uint8_t low = in.Byte(), high = in.Byte();
      d.year = static_cast<int16_t>(low | (high << 8));
      d.month = static_cast<int8_t>(in.Byte());
      d.day = static_cast<int8_t>(in.Byte());
      r.birth_dates.push_back(d);
    }
    for (auto* v : {&r.identifiers, &r.phones, &r.addresses, &r.nationalities}) *v = in.Strings();
    if (in.ok() && in.done() && parts_known <= 1 && !r.id.empty()) return r;
  }
  return Corruption("the index holds a damaged entity resolution record (run `ura reindex`)",
                    {"", std::nullopt, std::nullopt, index::kIndexDamage});
}

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

PersonRecord RecordFromEntity(const model::Entity& as_given, const model::SchemaRegistry& registry) {
  // Values in their canonical (journal) order: an entity as ingest holds it and as the journal
  // gives it back make the same record, which the index keeps and checks byte for byte.
  model::Entity entity = as_given;
  for (auto& [property, values] : entity.properties) values = model::CanonicalValueOrder(std::move(values));
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
    }
  }
  for (const std::string& name : entity.Values("name")) {
    if (record.parts_known) break;
    std::vector<std::string> tokens = NameTokens(name);
    if (tokens.empty()) continue;
    SplitName(tokens, record.given, record.family);
    break;
  }
  record.given_sound = text::Skeleton(record.given);
  record.family_sound = text::Skeleton(record.family);
  return record;
}

std::string_view PartSound(const std::string& part, const std::string& stored, std::string& scratch) {
  if (!stored.empty() || part.empty()) return stored;
  scratch = text::Skeleton(part);
  return scratch;
}

}  // namespace ura::resolve
