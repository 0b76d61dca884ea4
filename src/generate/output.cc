#include "generate/output.h"

#include <algorithm>

#include "generate/calendar.h"
#include "generate/text.h"

namespace ura::generate {

namespace {

constexpr size_t kBufferSize = 1 << 20;

std::pair<uint64_t, uint64_t> HashParts(std::initializer_list<std::string_view> head,
                                        std::initializer_list<std::string_view> keys) {
  uint64_t a = 1469598103934665603ull, b = 0x6a09e667f3bcc909ull;
  auto feed = [&](std::string_view part) {
    for (char c : part) {
      a = (a ^ static_cast<uint8_t>(c)) * 1099511628211ull;
      b = (b ^ static_cast<uint8_t>(c)) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
      b = (b << 27) | (b >> 37);
    }
    a = (a ^ 0xFFu) * 1099511628211ull;  // separator (the ingest uses NUL; any fixed byte works)
    b = (b ^ 0xFFu) * 0x100000001b3ull;
  };
  for (std::string_view part : head) feed(part);
  for (std::string_view part : keys) feed(part);
  return {Random::SplitMix64(a), Random::SplitMix64(b ^ a)};
}

}  // namespace

Result<std::unique_ptr<OutputFile>> OutputFile::Create(FileSystem& fs, const std::string& path) {
  auto file = fs.OpenWritable(path, OpenMode::kCreateNew);
  if (!file.ok()) return file.status();
  auto out = std::unique_ptr<OutputFile>(new OutputFile(std::move(file).value()));
  out->buffer_.reserve(kBufferSize + 4096);
  return out;
}

void OutputFile::Write(std::string_view data) {
  bytes_ += data.size();
  buffer_.append(data);
  if (buffer_.size() >= kBufferSize) Flush();
}

void OutputFile::Flush() {
  if (status_.ok() && !buffer_.empty()) status_ = file_->Append(AsBytes(buffer_));
  buffer_.clear();
}

Status OutputFile::Close() {
  Flush();
  return status_;
}

void EntityTally::Add(std::string_view schema, std::string_view source, std::string_view alias,
                      std::initializer_list<std::string_view> keys, std::string_view key_literal) {
  auto key = std::make_pair(std::string(source), std::string(schema));
  ids_[key].push_back(HashParts({source, alias, key_literal}, keys));
}

void EntityTally::Finish() {
  for (auto& [key, ids] : ids_) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    ids.shrink_to_fit();
  }
}

std::map<std::string, uint64_t> EntityTally::Counts() const {
  std::map<std::string, uint64_t> out;
  for (const auto& [key, ids] : ids_) out[key.second] += ids.size();
  return out;
}

std::map<std::string, std::map<std::string, uint64_t>> EntityTally::CountsBySource() const {
  std::map<std::string, std::map<std::string, uint64_t>> out;
  for (const auto& [key, ids] : ids_) out[key.first][key.second] = ids.size();
  return out;
}

void EntityTally::MergeInto(EntityTally& total) const {
  for (const auto& [key, ids] : ids_) {
    auto& into = total.ids_[key];
    into.insert(into.end(), ids.begin(), ids.end());
  }
}

std::string CsvLine(const std::vector<std::string>& fields, char delimiter) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(delimiter);
    AppendCsvField(line, fields[i], delimiter);
  }
  line.push_back('\n');
  return line;
}

std::string BrokenQuoteLine(const std::vector<std::string>& fields, size_t index, char delimiter) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(delimiter);
    if (i != index) {
      AppendCsvField(line, fields[i], delimiter);
      continue;
    }
    const std::string& v = fields[i];
    size_t split = v.find(' ');
    split = split == std::string::npos ? v.size() / 2 : split + 1;
    while (split < v.size() && (static_cast<uint8_t>(v[split]) & 0xC0) == 0x80) ++split;
    line.push_back('"');
    line.append(v, 0, split);
    line.push_back('"');
    line.append(split < v.size() ? std::string_view(v).substr(split) : std::string_view("X"));
    line.append("\"\"");
  }
  line.push_back('\n');
  return line;
}

std::string WrongColumnCountLine(std::vector<std::string> fields, char delimiter, Random& random) {
  if (random.Chance(0.5) && fields.size() > 1) {
    fields.pop_back();
  } else {
    fields.push_back(fields[random.Uniform(fields.size())]);
  }
  return CsvLine(fields, delimiter);
}

std::string InvalidUtf8Field(std::string_view value, Random& random) {
  static constexpr const char* kBroken[] = {
      "\xC3\x28",      // lead byte followed by ASCII
      "\xFF",          // never valid in UTF-8
      "\xE2\x82",      // truncated three-byte sequence
      "\xC0\xAF",      // overlong '/'
      "\xED\xA0\x80",  // encoded surrogate
      "\xEB",          // a lone windows-1250/latin-1 'ë' in a UTF-8 file
  };
  std::vector<size_t> boundaries;
  for (size_t i = 1; i < value.size(); ++i) {
    if ((static_cast<uint8_t>(value[i]) & 0xC0) != 0x80) boundaries.push_back(i);
  }
  size_t at = boundaries.empty() ? value.size() : random.Pick(boundaries);
  std::string out(value.substr(0, at));
  out += kBroken[random.Uniform(std::size(kBroken))];
  // A following ASCII letter keeps a truncated sequence from being completed by accident.
  out += "x";
  out += value.substr(at);
  return out;
}

std::string BadDate(const char* layout, Random& random) {
  int32_t year = static_cast<int32_t>(random.Range(1960, 2004));
  if (IsLeapYear(year)) ++year;
  static constexpr CivilDate kImpossible[] = {{0, 2, 31}, {0, 2, 30},  {0, 4, 31}, {0, 6, 31},
                                              {0, 9, 31}, {0, 11, 31}, {0, 2, 29}, {0, 13, 5},
                                              {0, 1, 32}, {0, 0, 12},  {0, 7, 0}};
  CivilDate date = kImpossible[random.Uniform(std::size(kImpossible))];
  date.year = year;
  std::string out;
  AppendCivil(out, date, layout);
  return out;
}

}  // namespace ura::generate
