#include "resolve/incremental.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "resolve/blocking.h"
#include "resolve/compare.h"
#include "resolve/record.h"

namespace ura::resolve {

namespace {

constexpr size_t kMaxMembers = 1000;  // of a person, compared with a new record

// Bump when BlockingKeys, RecordFromEntity or EncodeRecord change what they give for an entity.
constexpr char kBlockingKeysVersion[] = "blocking-keys-3";

Status NoModel(const std::string& why) {
  return Corruption("the latest resolution run's statistics hold no usable model (" + why + "); run `ura resolve`",
                    {"", std::nullopt, std::nullopt, "resolution-model"});
}

bool IsPerson(const model::SchemaRegistry& registry, const std::string& schema) {
  const model::Schema* s = registry.Find(schema);
  return s != nullptr && s->IsA("Person");
}

bool ShareKey(const std::vector<std::string>& a, const std::vector<std::string>& b) {  // both sorted
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return true;
    if (*i < *j) ++i; else ++j;
  }
  return false;
}

// A record as matching reads it, with its blocking keys (sorted).
struct Loaded {
  PersonRecord record;
  std::vector<std::string> keys;
};

// A person, or a record in none: the unit the new record's cluster joins.
struct Group {
  std::string id;  // the person's id, or the record's
  bool person = false;
  bool truncated = false;  // more members than kMaxMembers: not rewritten here (the next run does)
  std::vector<std::string> members;
};

// What one call knows: records read, block sizes looked up, persons as the records matched so
// far left them.
class MatchState {
 public:
  MatchState(index::Index& index, size_t max_block) : index_(index), max_block_(max_block) {}

  // The record (as the index keeps it) and its keys, or nullptr if `id` is not a Person entity.
  Result<const Loaded*> Record(const std::string& id) {
    if (auto it = loaded_.find(id); it != loaded_.end()) return &it->second;
    URA_ASSIGN_OR_RETURN(std::optional<std::string> bytes, index_.KeyedRecord(id));
    if (!bytes) return static_cast<const Loaded*>(nullptr);
    Loaded l;
    URA_ASSIGN_OR_RETURN(l.record, DecodeRecord(*bytes));
    l.keys = BlockingKeys(l.record);
    return &loaded_.emplace(id, std::move(l)).first->second;
  }

  // The records listed under `key`, or nullopt if there are more than max_block (the run
  // skips such a block).
  Result<const std::optional<std::vector<std::string>>*> Block(const std::string& key) {
    if (auto it = blocks_.find(key); it != blocks_.end()) return &it->second;
    URA_ASSIGN_OR_RETURN(std::vector<std::string> ids, index_.FindByKey(key, max_block_ + 1));
    std::optional<std::vector<std::string>> block;
    if (ids.size() <= max_block_) block = std::move(ids);
    return &blocks_.emplace(key, std::move(block)).first->second;
  }

  // Would the run compare these two records: do they share a key of a block it does not skip?
  Result<bool> Compared(const Loaded& a, const Loaded& b) {
    for (const std::string& key : a.keys) {
      if (!std::binary_search(b.keys.begin(), b.keys.end(), key)) continue;
      URA_ASSIGN_OR_RETURN(const auto* block, Block(key));
      if (block->has_value()) return true;
    }
    return false;
  }

  // The group `id` is in now.
  Result<Group> GroupOf(const std::string& id) {
    if (auto it = person_of_.find(id); it != person_of_.end()) {
      return Group{it->second, true, false, changed_.at(it->second)};
    }
    URA_ASSIGN_OR_RETURN(std::optional<index::PersonGroup> g, index_.PersonOf(id, kMaxMembers));
    if (!g) return Group{id, false, false, {id}};
    return Group{g->person_id, true, g->truncated, std::move(g->members)};
  }

  // Whether analysts judged a record of `a` different from a record of `b` (the merge is then
  // refused, as a run refuses it): the judgements naming each record of the smaller side.
  Result<bool> KeptApart(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    const bool a_smaller = a.size() <= b.size();
    const std::vector<std::string>& smaller = a_smaller ? a : b;
    const std::vector<std::string>& larger = a_smaller ? b : a;
    const std::set<std::string> other(larger.begin(), larger.end());
    for (const std::string& record : smaller) {
      auto it = judgements_.find(record);
      if (it == judgements_.end()) {
        URA_ASSIGN_OR_RETURN(std::vector<model::Judgement> js, index_.JudgementsOf(record));
        it = judgements_.emplace(record, std::move(js)).first;
      }
      for (const model::Judgement& j : it->second) {
        if (j.decision == model::Decision::kDifferent && other.count(j.a == record ? j.b : j.a)) return true;
      }
    }
    return false;
  }

  void SetPerson(const std::string& person, const std::vector<std::string>& members) {
    changed_[person] = members;
    for (const std::string& m : members) person_of_[m] = person;
  }
  void DropPerson(const std::string& person) { changed_.erase(person); }
  std::map<std::string, std::vector<std::string>>& changed() { return changed_; }

 private:
  index::Index& index_;
  const size_t max_block_;
  std::map<std::string, Loaded> loaded_;
  std::map<std::string, std::optional<std::vector<std::string>>> blocks_;
  std::map<std::string, std::vector<model::Judgement>> judgements_;  // naming each record asked about
  std::map<std::string, std::vector<std::string>> changed_;  // person -> members, as this call left it
  std::map<std::string, std::string> person_of_;             // records of the persons in changed_
};

}  // namespace

index::EntityKeys IndexedBlockingKeys() {
  return {kBlockingKeysVersion, [](const model::Entity& entity) -> index::EntityKeys::Derived {
            const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
            if (!IsPerson(registry, entity.schema)) return {};
            const PersonRecord record = RecordFromEntity(entity, registry);
            return {BlockingKeys(record), EncodeRecord(record)};
          }};
}

Result<std::optional<IncrementalModel>> LoadIncrementalModel(index::Index& index) {
  URA_ASSIGN_OR_RETURN(std::string stats, index.LatestRunStats());
  if (stats.empty()) return std::optional<IncrementalModel>();
  IncrementalModel out;
  try {
    const nlohmann::json j = nlohmann::json::parse(stats);
    const nlohmann::json& m = j.at("model");
    out.model.prior = m.at("prior").get<double>();
    out.threshold = j.value("threshold", 0.5);
    out.max_block = j.value("max_block", size_t{1000});
    out.run_id = j.value("run", "");
    for (int f = 0; f < kFields; ++f) {
      const nlohmann::json& levels = m.at("fields").at(std::string(FieldName(f)));
      out.model.m[f].assign(kFieldLevels[f], 0);
      out.model.u[f].assign(kFieldLevels[f], 0);
      for (int l = 0; l < kFieldLevels[f]; ++l) {
        const nlohmann::json& p = levels.at(std::string(LevelName(f, l)));
        out.model.m[f][l] = p.at("m").get<double>();
        out.model.u[f][l] = p.at("u").get<double>();
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return NoModel(e.what());
  }
  if (!(out.model.prior > 0 && out.model.prior < 1)) return NoModel("prior out of range");
  return std::optional<IncrementalModel>(std::move(out));
}

Result<IncrementalReport> MatchNewRecords(index::Index& index, const std::vector<std::string>& ids,
                                          const IncrementalModel& model, int64_t now_us) {
  IncrementalReport report;
  report.update.run_id = model.run_id;
  report.update.time_us = now_us;
  MatchState state(index, model.max_block);
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (!seen.insert(id).second) continue;
    URA_ASSIGN_OR_RETURN(const Loaded* r, state.Record(id));
    if (r == nullptr) continue;
    URA_ASSIGN_OR_RETURN(Group own, state.GroupOf(id));
    if (own.person) continue;  // a new version of a record in a person: the next run reconsiders it
    ++report.records;
    // The candidates: every record listed under one of its keys, blocks the run skips aside.
    std::set<std::string> candidates;
    for (const std::string& key : r->keys) {
      URA_ASSIGN_OR_RETURN(const auto* block, state.Block(key));
      if (block->has_value()) candidates.insert((*block)->begin(), (*block)->end());
    }
    candidates.erase(id);
    std::map<std::string, double> probability;  // candidate -> match probability with the new record
    for (const std::string& c : candidates) {
      URA_ASSIGN_OR_RETURN(const Loaded* other, state.Record(c));
      if (other == nullptr || !ShareKey(r->keys, other->keys)) continue;  // a hash collision
      ++report.candidates;
      probability[c] = MatchProbability(MatchWeight(model.model, Compare(r->record, other->record)));
    }
    // Its pairs at or above the threshold, strongest first (ties by id), as the run takes them.
    std::vector<std::pair<double, std::string>> order;
    for (const auto& [c, p] : probability) {
      if (p >= model.threshold) order.emplace_back(p, c);
    }
    std::sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    std::vector<Group> joined;            // groups the new record's cluster took in
    std::vector<std::string> cluster = {id};  // its records
    for (const auto& [p, c] : order) {
      URA_ASSIGN_OR_RETURN(Group g, state.GroupOf(c));
      if (std::find(cluster.begin(), cluster.end(), c) != cluster.end()) continue;
      if (g.truncated) continue;  // too large to rewrite here
      // Average linkage over every pair the run compares between the cluster and the group:
      // the new record's pairs, and those of the records it took in.
      double sum = 0;
      uint64_t count = 0;
      for (const std::string& m : g.members) {
        if (auto it = probability.find(m); it != probability.end()) {
          sum += it->second;
          ++count;
        }
      }
      for (const Group& taken : joined) {
        for (const std::string& x : taken.members) {
          URA_ASSIGN_OR_RETURN(const Loaded* a, state.Record(x));
          if (a == nullptr) continue;
          for (const std::string& m : g.members) {
            URA_ASSIGN_OR_RETURN(const Loaded* b, state.Record(m));
            if (b == nullptr) continue;
            URA_ASSIGN_OR_RETURN(bool compared, state.Compared(*a, *b));
            if (!compared) continue;
            sum += MatchProbability(MatchWeight(model.model, Compare(a->record, b->record)));
            ++count;
          }
        }
      }
      if (count > 0 && sum / static_cast<double>(count) < model.threshold) {
        ++report.refused_chaining;
        continue;
      }
      if (!joined.empty()) {
        URA_ASSIGN_OR_RETURN(bool apart, state.KeptApart(cluster, g.members));
        if (apart) continue;
      }
      cluster.insert(cluster.end(), g.members.begin(), g.members.end());
      joined.push_back(std::move(g));
    }
    if (joined.empty()) continue;
    std::sort(cluster.begin(), cluster.end());
    // The person keeps the id of the person holding its lowest record (the id a run gives it,
    // CanonicalId of its lowest record, when that person was named by a run); records in no
    // person form one named after their lowest record, as a run names it. Persons taken in
    // are emptied by the update (index::ApplyUpdate drops a person left with one record).
    std::string person = model::CanonicalId(cluster.front());
    std::string lowest_in_person;
    for (const Group& g : joined) {
      if (!g.person) continue;
      const std::string& low = *std::min_element(g.members.begin(), g.members.end());
      if (lowest_in_person.empty() || low < lowest_in_person) {
        lowest_in_person = low;
        person = g.id;
      }
    }
    for (const Group& g : joined) {
      if (g.person && g.id != person) state.DropPerson(g.id);
    }
    state.SetPerson(person, cluster);
    ++report.joined;
    if (joined.size() > 1) ++report.bridged;
  }
  for (auto& [person, members] : state.changed()) report.update.persons.push_back({person, std::move(members)});
  return report;
}

}  // namespace ura::resolve
