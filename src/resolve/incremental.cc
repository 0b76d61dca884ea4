#include "resolve/incremental.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "resolve/blocking.h"
#include "resolve/compare.h"
#include "resolve/record.h"
#include "text/fold.h"

namespace ura::resolve {

namespace {

constexpr size_t kMaxCandidates = 2000;  // per record, from each kind of lookup
constexpr size_t kMaxMembers = 1000;     // of a person, compared with a new record

// Bump when BlockingKeys or RecordFromEntity change the keys they give for an entity.
constexpr char kBlockingKeysVersion[] = "blocking-keys-1";

Status NoModel(const std::string& why) {
  return Corruption("the latest resolution run's statistics hold no usable model (" + why + "); run `ura resolve`",
                    {"", std::nullopt, std::nullopt, "resolution-model"});
}

bool IsPerson(const model::SchemaRegistry& registry, const std::string& schema) {
  const model::Schema* s = registry.Find(schema);
  return s != nullptr && s->IsA("Person");
}

// The folded tokens of a name part sounding like `part`'s (itself among them).
Result<std::vector<std::string>> SoundAlikes(index::Index& index, const std::string& part) {
  std::vector<std::string> out = {part};
  const std::string skeleton = text::Skeleton(part);
  URA_ASSIGN_OR_RETURN(std::vector<index::TokenVariant> variants, index.NameTokenVariants(part, 200));
  for (const index::TokenVariant& v : variants) {
    if (v.token != part && text::Skeleton(v.token) == skeleton) out.push_back(v.token);
  }
  return out;
}

// Ids of records that may share a blocking key with `r`.
Result<std::set<std::string>> CandidateIds(index::Index& index, const PersonRecord& r) {
  std::set<std::string> ids;
  for (const std::string& id : r.identifiers) {
    std::vector<std::string> forms = {id};
    if (id.size() >= 7) {
      forms.push_back(id.substr(2));
      forms.push_back(id.substr(0, id.size() - 2));
    }
    for (const std::string& form : forms) {
      URA_ASSIGN_OR_RETURN(auto found, index.FindIdentifier(form, {}, kMaxCandidates));
      for (const index::Candidate& c : found) ids.insert(c.id);
    }
  }
  std::vector<std::vector<std::string>> groups;
  for (const std::string* part : {&r.given, &r.family}) {
    if (part->empty()) continue;
    for (const std::string& token : NameTokens(*part)) {
      URA_ASSIGN_OR_RETURN(std::vector<std::string> alikes, SoundAlikes(index, token));
      groups.push_back(std::move(alikes));
      break;  // the first token of each part is enough to find the records
    }
  }
  if (groups.size() == 2) {
    URA_ASSIGN_OR_RETURN(auto found, index.MatchNames(groups, {}, kMaxCandidates));
    for (const index::Candidate& c : found) ids.insert(c.id);
  }
  ids.erase(r.id);
  return ids;
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

}  // namespace

index::EntityKeys IndexedBlockingKeys() {
  return {kBlockingKeysVersion, [](const model::Entity& entity) -> std::vector<std::string> {
            const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
            if (!IsPerson(registry, entity.schema)) return {};
            return BlockingKeys(RecordFromEntity(entity, registry));
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

Result<IncrementalReport> MatchNewRecords(index::Index& index, const model::SchemaRegistry& registry,
                                          const std::vector<std::string>& ids, const IncrementalModel& model,
                                          int64_t now_us) {
  IncrementalReport report;
  report.update.run_id = model.run_id;
  report.update.time_us = now_us;
  // Persons as they stand after the records matched so far: person id -> members.
  std::map<std::string, std::vector<std::string>> changed;
  std::map<std::string, std::string> person_of;  // records matched in this call
  auto person_of_record = [&](const std::string& id) -> Result<std::optional<std::pair<std::string, std::vector<std::string>>>> {
    using Found = std::optional<std::pair<std::string, std::vector<std::string>>>;
    if (auto it = person_of.find(id); it != person_of.end()) return Found({{it->second, changed[it->second]}});
    URA_ASSIGN_OR_RETURN(std::optional<index::PersonGroup> g, index.PersonOf(id, kMaxMembers));
    if (!g) return Found();
    if (auto it = changed.find(g->person_id); it != changed.end()) return Found({{g->person_id, it->second}});
    return Found({{g->person_id, g->members}});
  };
  std::map<std::string, PersonRecord> loaded;  // records read for comparison
  auto record_of = [&](const std::string& id) -> Result<const PersonRecord*> {
    if (auto it = loaded.find(id); it != loaded.end()) return &it->second;
    URA_ASSIGN_OR_RETURN(std::optional<model::Entity> e, index.Get(id));
    if (!e || !IsPerson(registry, e->schema)) return static_cast<const PersonRecord*>(nullptr);
    return &loaded.emplace(id, RecordFromEntity(*e, registry)).first->second;
  };
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (!seen.insert(id).second) continue;
    URA_ASSIGN_OR_RETURN(const PersonRecord* r, record_of(id));
    if (r == nullptr) continue;
    URA_ASSIGN_OR_RETURN(auto already, person_of_record(id));
    if (already) continue;  // a new version of a record in a person: the next run reconsiders it
    ++report.records;
    const std::vector<std::string> keys = BlockingKeys(*r);
    URA_ASSIGN_OR_RETURN(std::set<std::string> candidates, CandidateIds(index, *r));
    // Probability against every compared record, grouped by the person it is in (or alone).
    std::map<std::string, std::pair<double, int>> groups;  // group -> (sum, count)
    std::map<std::string, std::vector<std::string>> group_members;
    std::set<std::string> person_groups;  // groups that are persons (the others: one record)
    for (const std::string& c : candidates) {
      URA_ASSIGN_OR_RETURN(const PersonRecord* other, record_of(c));
      if (other == nullptr || !ShareKey(keys, BlockingKeys(*other))) continue;
      ++report.candidates;
      const double p = MatchProbability(MatchWeight(model.model, Compare(*r, *other)));
      URA_ASSIGN_OR_RETURN(auto person, person_of_record(c));
      const std::string group = person ? person->first : c;
      if (person) person_groups.insert(group);
      auto& [sum, count] = groups[group];
      sum += p;
      ++count;
      group_members[group] = person ? person->second : std::vector<std::string>{c};
    }
    // The group matching best on average over its compared records; a group none of whose
    // records matches on its own is not joined through the average either.
    std::string best;
    double best_mean = 0;
    for (const auto& [group, sc] : groups) {
      const double mean = sc.first / sc.second;
      if (mean >= model.threshold && mean > best_mean) {
        best = group;
        best_mean = mean;
      }
    }
    if (best.empty()) continue;
    std::vector<std::string> members = group_members[best];
    members.push_back(id);
    std::sort(members.begin(), members.end());
    // A single record and the new one form a person named after its lowest member (as a run
    // names it); a person keeps its id.
    const std::string person = person_groups.count(best) ? best : model::CanonicalId(members.front());
    changed[person] = members;
    for (const std::string& m : members) person_of[m] = person;
    ++report.joined;
  }
  for (auto& [person, members] : changed) report.update.persons.push_back({person, std::move(members)});
  return report;
}

}  // namespace ura::resolve
