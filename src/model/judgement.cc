#include "model/judgement.h"

#include <nlohmann/json.hpp>

namespace ura::model {

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

}  // namespace ura::model
