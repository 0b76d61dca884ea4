// Analysts' judgements on pairs of Person records (entry type 64), the format read by entity
// resolution and projected by the index (so that matching at ingest finds the judgements in
// force without reading the journal). The format lives here, below both.
//
// Canonical JSON, keys sorted:
//   {"a":ID,"actor":"cli:alice","b":ID,"decision":"same"|"different"|"withdrawn",
//    "reason":TEXT,"time_us":N,"v":1}      with a < b
// The latest judgement of a pair is the one in force; "withdrawn" takes the pair back to the
// model. Nothing is ever deleted: the history of decisions is the journal's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ura::model {

inline constexpr uint32_t kEntryTypeJudgement = 64;

enum class Decision { kSame, kDifferent, kWithdrawn };
std::string_view DecisionName(Decision d);  // "same", "different", "withdrawn"
// kInvalidArgument naming the valid words.
Result<Decision> ParseDecision(std::string_view word);

struct Judgement {
  std::string a, b;  // entity ids, a < b (EncodeJudgement orders them)
  Decision decision = Decision::kSame;
  std::string actor;
  std::string reason;
  int64_t time_us = 0;
};

std::string EncodeJudgement(Judgement judgement);
// kInvalidArgument naming the field for anything EncodeJudgement would not write.
Result<Judgement> DecodeJudgement(std::string_view json);

}  // namespace ura::model
