#include "resolve/blocking.h"

#include <algorithm>
#include <functional>
#include <string_view>

namespace ura::resolve {

namespace {

std::string_view KindOf(std::string_view key) { return key.substr(0, key.find(':')); }

std::string TwoDigits(int value) {
  std::string out = std::to_string(value);
  return out.size() < 2 ? "0" + out : out;
}

}  // namespace

std::vector<std::string> BlockingKeys(const PersonRecord& record) {
  std::vector<std::string> keys;
  for (const std::string& id : record.identifiers) {
    keys.push_back("id:" + id);
    if (id.size() >= 7) {
      keys.push_back("id:" + id.substr(2));
      keys.push_back("id:" + id.substr(0, id.size() - 2));
    }
  }
  std::vector<std::string> parts, skeletons;
  std::string scratch;
  for (auto [part, sound] : {std::pair{&record.given, &record.given_sound}, std::pair{&record.family, &record.family_sound}}) {
    if (part->empty()) continue;
    parts.push_back(*part);
    skeletons.emplace_back(PartSound(*part, *sound, scratch));
  }
  std::string both;  // the two skeletons, sorted: the order of the name parts does not matter
  if (skeletons.size() == 2) both = std::min(skeletons[0], skeletons[1]) + ":" + std::max(skeletons[0], skeletons[1]);
  for (const PartialDate& date : record.birth_dates) {
    if (!both.empty()) keys.push_back("name:" + both + ":" + std::to_string(date.year));
    if (date.day == 0) continue;
    const int low = std::min(date.day, date.month), high = std::max(date.day, date.month);
    const std::string day_month = TwoDigits(low) + TwoDigits(high);
    for (const std::string& part : parts) {
      keys.push_back("date:" + part.substr(0, 2) + ":" + std::to_string(date.year) + day_month);
    }
    if (!both.empty()) keys.push_back("pair:" + both + ":" + day_month);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<uint64_t> CandidatePairs(const std::vector<PersonRecord>& records, size_t max_block,
                                     BlockingStats& stats) {
  // (hash of key, record): sorting brings each block together without a map of strings.
  // A hash collision only adds candidate pairs, which scoring then rejects.
  struct Entry {
    uint64_t key;
    uint32_t record;
    uint8_t kind;
  };
  static constexpr std::string_view kKinds[] = {"id", "name", "date", "pair"};
  std::vector<Entry> entries;
  entries.reserve(records.size() * 8);
  for (uint32_t r = 0; r < records.size(); ++r) {
    for (const std::string& key : BlockingKeys(records[r])) {
      const std::string_view kind = KindOf(key);
      const auto k = std::find(std::begin(kKinds), std::end(kKinds), kind) - std::begin(kKinds);
      entries.push_back({std::hash<std::string>{}(key), r, static_cast<uint8_t>(k)});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.key != b.key ? a.key < b.key : a.record < b.record;
  });
  std::vector<uint64_t> pairs;
  std::array<uint64_t, std::size(kKinds)> by_kind{};
  for (size_t begin = 0; begin < entries.size();) {
    size_t end = begin + 1;
    while (end < entries.size() && entries[end].key == entries[begin].key) ++end;
    const size_t size = end - begin;
    if (size > max_block) {
      ++stats.blocks_skipped;
    } else {
      for (size_t i = begin; i < end; ++i) {
        for (size_t j = i + 1; j < end; ++j) {
          if (entries[i].record == entries[j].record) continue;
          pairs.push_back(uint64_t{entries[i].record} << 32 | entries[j].record);
        }
      }
      by_kind[entries[begin].kind] += size * (size - 1) / 2;
    }
    begin = end;
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  stats.records = records.size();
  stats.all_pairs = records.size() < 2 ? 0 : uint64_t{records.size()} * (records.size() - 1) / 2;
  stats.candidate_pairs = pairs.size();
  stats.reduction_ratio =
      stats.all_pairs == 0 ? 0 : 1.0 - static_cast<double>(pairs.size()) / static_cast<double>(stats.all_pairs);
  for (size_t k = 0; k < std::size(kKinds); ++k) stats.pairs_by_key[std::string(kKinds[k])] = by_kind[k];
  return pairs;
}

std::vector<uint64_t> TrainingPairs(const std::vector<PersonRecord>& records, size_t window) {
  std::vector<std::pair<uint64_t, uint32_t>> entries;  // (hash of key, record)
  for (uint32_t r = 0; r < records.size(); ++r) {
    const PersonRecord& record = records[r];
    for (const PartialDate& date : record.birth_dates) {
      for (auto [part, sound] : {std::pair{&record.given, &record.given_sound}, std::pair{&record.family, &record.family_sound}}) {
        if (part->empty()) continue;
        std::string scratch;
        entries.emplace_back(
            std::hash<std::string>{}(std::string(PartSound(*part, *sound, scratch)) + ":" + std::to_string(date.year)), r);
      }
    }
  }
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  std::vector<uint64_t> pairs;
  for (size_t i = 0; i < entries.size(); ++i) {
    for (size_t j = i + 1; j < entries.size() && j <= i + window && entries[j].first == entries[i].first; ++j) {
      pairs.push_back(uint64_t{entries[i].second} << 32 | entries[j].second);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace ura::resolve
