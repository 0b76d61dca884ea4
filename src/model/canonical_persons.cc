#include "model/canonical_persons.h"

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "crypto/sha256.h"

namespace ura::model {

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

Result<RunChunk> DecodeRunChunk(std::string_view payload) {
  try {
    const nlohmann::json j = nlohmann::json::parse(payload);
    if (j.at("v").get<int>() != 1) return InvalidArgument("unknown run entry version");
    RunChunk c;
    c.run_id = j.at("run").get<std::string>();
    c.time_us = j.at("time_us").get<int64_t>();
    c.chunk = j.at("chunk").get<uint32_t>();
    c.chunks = j.at("chunks").get<uint32_t>();
    if (c.chunks == 0 || c.chunk >= c.chunks) return InvalidArgument("chunk numbers out of range");
    if (c.chunk == 0) c.stats_json = j.at("stats").dump();
    for (const nlohmann::json& p : j.at("persons")) {
      CanonicalPerson person{p.at("id").get<std::string>(), p.at("members").get<std::vector<std::string>>()};
      if (person.members.empty()) return InvalidArgument("a person without members");
      c.persons.push_back(std::move(person));
    }
    return c;
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(e.what());
  }
}

std::string EncodeUpdate(const ResolutionUpdate& update) {
  nlohmann::json persons = nlohmann::json::array();
  for (const CanonicalPerson& p : update.persons) persons.push_back({{"id", p.id}, {"members", p.members}});
  return nlohmann::json{{"v", 1}, {"run", update.run_id}, {"time_us", update.time_us}, {"persons", persons}}.dump();
}

Result<ResolutionUpdate> DecodeUpdate(std::string_view payload) {
  try {
    const nlohmann::json j = nlohmann::json::parse(payload);
    if (j.at("v").get<int>() != 1) return InvalidArgument("unknown resolution update version");
    ResolutionUpdate u;
    u.run_id = j.at("run").get<std::string>();
    u.time_us = j.at("time_us").get<int64_t>();
    for (const nlohmann::json& p : j.at("persons")) {
      CanonicalPerson person{p.at("id").get<std::string>(), p.at("members").get<std::vector<std::string>>()};
      if (person.members.size() < 2) return InvalidArgument("a person of fewer than two records");
      u.persons.push_back(std::move(person));
    }
    return u;
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(e.what());
  }
}

Status RunAssembler::Add(RunChunk chunk) {
  if (chunk.chunk == 0) {
    run_ = RunSummary{chunk.run_id, chunk.time_us, std::move(chunk.stats_json), {}};
    chunks_ = chunk.chunks;
  } else if (chunk.chunk != next_chunk_ || chunk.run_id != run_.run_id || chunk.chunks != chunks_) {
    return InvalidArgument("run chunk out of order");
  }
  for (CanonicalPerson& p : chunk.persons) run_.persons.push_back(std::move(p));
  next_chunk_ = chunk.chunk + 1;
  if (next_chunk_ == chunks_) {
    complete_ = std::move(run_);
    run_ = RunSummary();
    next_chunk_ = 0;
  }
  return Status::Ok();
}

std::optional<RunSummary> RunAssembler::TakeComplete() {
  std::optional<RunSummary> out = std::move(complete_);
  complete_.reset();
  return out;
}

}  // namespace ura::model
