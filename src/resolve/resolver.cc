#include "resolve/resolver.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <unordered_map>

namespace ura::resolve {

namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A comparison vector as one number: each level + 1 as a base-6 digit, then the swap bit.
uint32_t PatternKey(const ComparisonVector& v) {
  uint32_t key = 0;
  for (int f = 0; f < kFields; ++f) key = key * 6 + static_cast<uint32_t>(v.level[f] + 1);
  return key * 2 + (v.names_swapped ? 1 : 0);
}

// Compares every pair on `threads` threads; returns each pair's pattern key.
std::vector<uint32_t> CompareAll(const std::vector<PersonRecord>& records, const std::vector<uint64_t>& pairs,
                                 int threads) {
  std::vector<uint32_t> keys(pairs.size());
  auto work = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      keys[i] = PatternKey(Compare(records[pairs[i] >> 32], records[pairs[i] & 0xffffffffu]));
    }
  };
  const size_t n = std::max(1, threads);
  std::vector<std::thread> workers;
  const size_t step = (pairs.size() + n - 1) / n;
  for (size_t t = 1; t < n && t * step < pairs.size(); ++t) {
    workers.emplace_back(work, t * step, std::min(pairs.size(), (t + 1) * step));
  }
  work(0, std::min(pairs.size(), step));
  for (std::thread& w : workers) w.join();
  return keys;
}

}  // namespace

Result<std::vector<PersonRecord>> LoadPersons(index::Index& index) {
  // The records the index keeps beside the entities (IndexedBlockingKeys): one sequential pass
  // over a narrow table, no JSON parse, no name folding.
  std::vector<PersonRecord> records;
  URA_RETURN_IF_ERROR(index.ScanKeyedRecords([&](std::string_view bytes) -> Status {
    URA_ASSIGN_OR_RETURN(PersonRecord r, DecodeRecord(bytes));
    records.push_back(std::move(r));
    return Status::Ok();
  }));
  // In id order, as the run's results do not depend on where the index stored a record.
  std::sort(records.begin(), records.end(), [](const PersonRecord& a, const PersonRecord& b) { return a.id < b.id; });
  return records;
}

const Judgement* FindJudgement(const std::vector<Judgement>& judgements, const std::string& a, const std::string& b) {
  const std::string& low = std::min(a, b);
  const std::string& high = std::max(a, b);
  for (const Judgement& j : judgements) {
    if (j.a == low && j.b == high) return &j;
  }
  return nullptr;
}

Result<Resolution> Resolve(const std::vector<PersonRecord>& records, const std::vector<Judgement>& judgements,
                           const ResolveOptions& options) {
  if (records.size() < 2) return InvalidArgument("fewer than two Person records: nothing to resolve (ingest data first)");
  Resolution r;
  auto start = std::chrono::steady_clock::now();
  std::vector<uint64_t> candidates = CandidatePairs(records, options.max_block, r.blocking);
  r.seconds_blocking = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  std::vector<uint32_t> keys = CompareAll(records, candidates, options.threads);
  std::vector<uint64_t> candidates_sorted = candidates;
  std::unordered_map<uint32_t, uint32_t> pattern_of;
  r.pairs.resize(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    auto [it, added] = pattern_of.try_emplace(keys[i], static_cast<uint32_t>(r.patterns.size()));
    if (added) {
      r.patterns.push_back({Compare(records[candidates[i] >> 32], records[candidates[i] & 0xffffffffu]), 0});
    }
    ++r.patterns[it->second].count;
    r.pairs[i] = {static_cast<uint32_t>(candidates[i] >> 32), static_cast<uint32_t>(candidates[i]), it->second};
  }
  std::vector<uint64_t>().swap(candidates);
  // EM also sees a sample of looser pairs (TrainingPairs); they are not matched.
  std::unordered_map<uint32_t, PatternCount> training_patterns;
  {
    std::vector<uint64_t> training = TrainingPairs(records, options.training_window);
    std::vector<uint64_t> extra;
    std::set_difference(training.begin(), training.end(), candidates_sorted.begin(), candidates_sorted.end(),
                        std::back_inserter(extra));
    std::vector<uint64_t>().swap(candidates_sorted);
    r.training_pairs = extra.size();
    const uint64_t stride =
        std::max<uint64_t>(1, (extra.size() + options.max_training_pairs - 1) / std::max<uint64_t>(1, options.max_training_pairs));
    if (stride > 1) {
      size_t kept = 0;
      for (size_t i = 0; i < extra.size(); i += stride) extra[kept++] = extra[i];
      extra.resize(kept);
    }
    keys = CompareAll(records, extra, options.threads);
    for (size_t i = 0; i < extra.size(); ++i) {
      PatternCount& p = training_patterns[keys[i]];
      if (p.count == 0) p.vector = Compare(records[extra[i] >> 32], records[extra[i] & 0xffffffffu]);
      p.count += stride;
    }
  }
  std::vector<uint32_t>().swap(keys);
  // Random pairs: nearly all different persons, so their agreement is u's starting point.
  std::mt19937_64 random(options.seed);
  std::uniform_int_distribution<uint32_t> pick(0, static_cast<uint32_t>(records.size() - 1));
  std::unordered_map<uint32_t, PatternCount> random_patterns;
  for (uint64_t i = 0; i < options.random_pairs; ++i) {
    const uint32_t a = pick(random), b = pick(random);
    if (a == b) continue;
    ComparisonVector v = Compare(records[a], records[b]);
    PatternCount& p = random_patterns[PatternKey(v)];
    p.vector = v;
    ++p.count;
  }
  r.seconds_comparing = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  std::vector<PatternCount> random_list, candidate_list;
  for (auto& [key, p] : random_patterns) random_list.push_back(p);
  std::sort(random_list.begin(), random_list.end(),
            [](const PatternCount& x, const PatternCount& y) { return PatternKey(x.vector) < PatternKey(y.vector); });
  for (const Pattern& p : r.patterns) candidate_list.push_back({p.vector, p.count});
  for (const auto& [key, p] : training_patterns) candidate_list.push_back(p);
  // The same patterns in the same order whatever the hash map's order: EM sums in this order.
  std::sort(candidate_list.begin(), candidate_list.end(), [](const PatternCount& x, const PatternCount& y) {
    return std::make_pair(PatternKey(x.vector), x.count) < std::make_pair(PatternKey(y.vector), y.count);
  });
  URA_ASSIGN_OR_RETURN(r.model, EstimateEm(candidate_list, StartingParameters(random_list), options.em));
  for (Pattern& p : r.patterns) {
    p.weight = MatchWeight(r.model, p.vector);
    p.probability = MatchProbability(p.weight);
  }
  r.seconds_estimating = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  // Judgements win over the model: their pairs are scored 1 or 0 and constrain clustering.
  std::unordered_map<std::string, uint32_t> index_of;
  if (!judgements.empty()) {
    for (uint32_t i = 0; i < records.size(); ++i) index_of.emplace(records[i].id, i);
  }
  ClusterConstraints constraints;
  std::map<std::pair<uint32_t, uint32_t>, float> judged;
  for (const Judgement& j : judgements) {
    auto a = index_of.find(j.a), b = index_of.find(j.b);
    if (a == index_of.end() || b == index_of.end()) {
      ++r.judgements_unknown;
      continue;
    }
    ++r.judgements_applied;
    const uint32_t x = std::min(a->second, b->second), y = std::max(a->second, b->second);
    if (j.decision == Decision::kSame) {
      constraints.same.emplace_back(x, y);
      judged[{x, y}] = 1.0f;
    } else if (j.decision == Decision::kDifferent) {
      constraints.different.emplace_back(x, y);
      judged[{x, y}] = 0.0f;
    }
  }
  std::vector<ScoredPair> scored;
  scored.reserve(r.pairs.size());
  for (const ResolvedPair& p : r.pairs) {
    float probability = static_cast<float>(r.patterns[p.pattern].probability);
    if (!judged.empty()) {
      auto it = judged.find({p.a, p.b});
      if (it != judged.end()) probability = it->second;
    }
    if (probability >= options.threshold) ++r.matched_pairs;
    scored.push_back({p.a, p.b, probability});
  }
  r.clustering = ClusterPairs(records.size(), scored, constraints, options.threshold);
  r.seconds_clustering = SecondsSince(start);
  return r;
}

std::vector<CanonicalPerson> CanonicalPersons(const std::vector<PersonRecord>& records, const Resolution& resolution) {
  std::map<uint32_t, std::vector<std::string>> members;
  for (uint32_t i = 0; i < records.size(); ++i) {
    members[resolution.clustering.cluster_of[i]].push_back(records[i].id);
  }
  std::vector<CanonicalPerson> persons;
  for (auto& [label, ids] : members) {
    if (ids.size() < 2) continue;
    std::sort(ids.begin(), ids.end());
    persons.push_back({CanonicalId(ids.front()), std::move(ids)});
  }
  std::sort(persons.begin(), persons.end(),
            [](const CanonicalPerson& x, const CanonicalPerson& y) { return x.id < y.id; });
  return persons;
}

std::string StatsJson(const Resolution& r) {
  nlohmann::json model = nlohmann::json::object();
  for (int f = 0; f < kFields; ++f) {
    nlohmann::json levels = nlohmann::json::object();
    for (int l = 0; l < kFieldLevels[f]; ++l) {
      levels[std::string(LevelName(f, l))] = {{"m", r.model.m[f][l]}, {"u", r.model.u[f][l]}};
    }
    model[std::string(FieldName(f))] = levels;
  }
  const ClusterQuality& q = r.clustering.quality;
  nlohmann::json j = {
      {"records", r.blocking.records},
      {"all_pairs", r.blocking.all_pairs},
      {"candidate_pairs", r.blocking.candidate_pairs},
      {"reduction_ratio", r.blocking.reduction_ratio},
      {"blocks_skipped", r.blocking.blocks_skipped},
      {"pairs_by_key", r.blocking.pairs_by_key},
      {"patterns", r.patterns.size()},
      {"training_pairs", r.training_pairs},
      {"model", {{"prior", r.model.prior}, {"iterations", r.model.iterations}, {"converged", r.model.converged},
                 {"fields", model}}},
      {"matched_pairs", r.matched_pairs},
      {"clusters", {{"persons_of_several_records", q.clusters}, {"records_in_them", q.clustered_records},
                    {"largest", q.largest}, {"mean_cohesion", q.mean_cohesion}, {"weak", q.weak_clusters}}},
      {"refused_merges", {{"chaining", r.clustering.refused_chaining},
                          {"judgement", r.clustering.refused_by_judgement}}},
      {"judgements", {{"applied", r.judgements_applied}, {"unknown_records", r.judgements_unknown},
                      {"conflicts", r.clustering.judgement_conflicts}}},
      {"seconds", {{"blocking", r.seconds_blocking}, {"comparing", r.seconds_comparing},
                   {"estimating", r.seconds_estimating}, {"clustering", r.seconds_clustering}}}};
  return j.dump();
}

}  // namespace ura::resolve
