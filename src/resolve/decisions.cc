#include "resolve/decisions.h"

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "crypto/sha256.h"
#include "journal/journal_reader.h"

namespace ura::resolve {

namespace {

// Pieces of a run being read: chunks arrive in order, in one commit.
struct PendingRun {
  RunSummary run;
  int64_t next_chunk = 0;
};

Status DecodeRunChunk(const nlohmann::json& j, PendingRun& pending, StoredResolution& stored) {
  if (j.at("v").get<int>() != 1) return InvalidArgument("unknown run entry version");
  const int64_t chunk = j.at("chunk").get<int64_t>(), chunks = j.at("chunks").get<int64_t>();
  if (chunk == 0) {
    pending = PendingRun();
    pending.run.run_id = j.at("run").get<std::string>();
    pending.run.time_us = j.at("time_us").get<int64_t>();
    pending.run.stats_json = j.at("stats").dump();
  } else if (chunk != pending.next_chunk || j.at("run").get<std::string>() != pending.run.run_id) {
    return InvalidArgument("run chunk out of order");
  }
  for (const nlohmann::json& p : j.at("persons")) {
    pending.run.persons.push_back({p.at("id").get<std::string>(), p.at("members").get<std::vector<std::string>>()});
  }
  pending.next_chunk = chunk + 1;
  if (pending.next_chunk == chunks) stored.latest_run = std::move(pending.run);
  return Status::Ok();
}

}  // namespace

std::string_view DecisionName(Decision d) {
  switch (d) {
    case Decision::kSame:
      return "same";
    case Decision::kDifferent:
      return "different";
    case Decision::kWithdrawn:
      return "withdrawn";
  }
  return "?";
}

Result<Decision> ParseDecision(std::string_view word) {
  for (Decision d : {Decision::kSame, Decision::kDifferent, Decision::kWithdrawn}) {
    if (word == DecisionName(d)) return d;
  }
  return InvalidArgument("'" + std::string(word) + "' is not a decision: use same, different or withdrawn");
}

std::string EncodeJudgement(Judgement judgement) {
  if (judgement.b < judgement.a) std::swap(judgement.a, judgement.b);
  // nlohmann::json objects keep keys sorted: the dump is canonical.
  nlohmann::json j = {{"v", 1},
                      {"a", judgement.a},
                      {"b", judgement.b},
                      {"decision", DecisionName(judgement.decision)},
                      {"actor", judgement.actor},
                      {"reason", judgement.reason},
                      {"time_us", judgement.time_us}};
  return j.dump();
}

Result<Judgement> DecodeJudgement(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("a judgement is not a JSON object");
  for (const char* field : {"a", "b", "decision", "actor", "reason"}) {
    if (!j.contains(field) || !j[field].is_string()) {
      return InvalidArgument(std::string("judgement field '") + field + "' is missing or not a string");
    }
  }
  if (!j.contains("time_us") || !j["time_us"].is_number_integer()) {
    return InvalidArgument("judgement field 'time_us' is missing or not an integer");
  }
  if (!j.contains("v") || j["v"] != 1) return InvalidArgument("judgement field 'v' must be 1");
  if (j.size() != 7) return InvalidArgument("a judgement has fields other than v, a, b, decision, actor, reason, time_us");
  Judgement judgement;
  judgement.a = j["a"].get<std::string>();
  judgement.b = j["b"].get<std::string>();
  if (!(judgement.a < judgement.b)) return InvalidArgument("judgement ids must be two different ids in order");
  URA_ASSIGN_OR_RETURN(judgement.decision, ParseDecision(j["decision"].get<std::string>()));
  judgement.actor = j["actor"].get<std::string>();
  judgement.reason = j["reason"].get<std::string>();
  judgement.time_us = j["time_us"].get<int64_t>();
  return judgement;
}

std::string CanonicalId(std::string_view lowest_member) {
  const crypto::Hash256 hash = crypto::Sha256(AsBytes(lowest_member));
  return "P-" + HexEncode(ByteView(hash.data(), 8));
}

std::vector<std::string> EncodeRun(const RunSummary& run, size_t max_chunk_bytes) {
  std::vector<nlohmann::json> chunks;
  nlohmann::json persons = nlohmann::json::array();
  size_t bytes = 0;
  for (const CanonicalPerson& p : run.persons) {
    nlohmann::json person = {{"id", p.id}, {"members", p.members}};
    const size_t size = person.dump().size() + 1;
    if (!persons.empty() && bytes + size > max_chunk_bytes) {
      chunks.push_back(std::move(persons));
      persons = nlohmann::json::array();
      bytes = 0;
    }
    persons.push_back(std::move(person));
    bytes += size;
  }
  chunks.push_back(std::move(persons));
  std::vector<std::string> out;
  for (size_t i = 0; i < chunks.size(); ++i) {
    nlohmann::json j = {{"v", 1},
                        {"run", run.run_id},
                        {"chunk", i},
                        {"chunks", chunks.size()},
                        {"time_us", run.time_us},
                        {"persons", std::move(chunks[i])}};
    if (i == 0) j["stats"] = nlohmann::json::parse(run.stats_json.empty() ? "{}" : run.stats_json);
    out.push_back(j.dump());
  }
  return out;
}

Status ApplyEntry(StoredResolution& stored, uint32_t type, std::string_view payload) {
  if (type == kEntryTypeJudgement) {
    URA_ASSIGN_OR_RETURN(Judgement j, DecodeJudgement(payload));
    ++stored.judgement_entries;
    auto key = std::make_pair(j.a, j.b);
    if (j.decision == Decision::kWithdrawn) {
      stored.judgements.erase(key);
    } else {
      stored.judgements[key] = std::move(j);
    }
  }
  return Status::Ok();
}

Result<StoredResolution> LoadResolution(FileSystem& fs, const journal::StorePaths& paths,
                                        const journal::Keyring& keyring) {
  StoredResolution stored;
  PendingRun pending;
  const std::vector<uint32_t> types = {kEntryTypeJudgement, kEntryTypeRun};
  URA_RETURN_IF_ERROR(journal::ReadEntriesOfTypes(fs, paths, keyring, types, [&](const journal::DecodedEntry& e) -> Status {
    const std::string_view payload = AsString(e.payload);
    Status applied;
    if (e.type == kEntryTypeJudgement) {
      applied = ApplyEntry(stored, e.type, payload);
    } else {
      try {
        applied = DecodeRunChunk(nlohmann::json::parse(payload), pending, stored);
      } catch (const nlohmann::json::exception& ex) {
        applied = InvalidArgument(ex.what());
      }
    }
    if (!applied.ok()) {
      return Corruption("resolution entry " + std::to_string(e.sequence) + " does not decode: " + applied.message(),
                        {.sequence = e.sequence, .kind = "resolution-entry"});
    }
    return Status::Ok();
  }));
  return stored;
}

}  // namespace ura::resolve
