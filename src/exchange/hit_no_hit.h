// Anonymised hit/no-hit under the access rules (issue 10): the service the command line and
// the API call. The formats and keys are match.h's; this file decides whose records go into a
// filter (those the principal may disclose) and are tried against one (those it may see), and
// returns the audit record the caller makes durable before writing the filter or showing hits.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "access/policy.h"
#include "audit/audit.h"
#include "exchange/match.h"
#include "index/index.h"

namespace ura::exchange {

struct FilterResult {
  Bytes filter;
  uint64_t persons = 0;  // persons with at least one key
  uint64_t keys = 0;
  audit::Record record;  // action "match-filter": the partner, counts, every person's id
};

// A filter of the Person records the principal may disclose, for `partner`.
// kPermissionDenied without the disclose permission, kNotFound for an unknown partner,
// kFailedPrecondition without exchange keys.
Result<FilterResult> MakeMatchFilter(index::Index& index, const access::Principal& who, const ExchangeState& state,
                                     const std::string& partner, int64_t now_us);

struct MatchHit {
  std::string id;
  std::string caption;
  std::vector<std::string> matched;  // "identifier", "name+birth date"
  std::vector<std::pair<std::string, std::string>> records;  // (source, record key) of its values
};

struct MatchResult {
  const Partner* partner = nullptr;
  std::vector<MatchHit> hits;
  uint64_t persons = 0;  // tried
  audit::Record record;  // action "match": the partner, counts, every hit's id
};

// Runs a partner's filter file against the Person records the principal may see.
// kPermissionDenied without the receive permission, kInvalidArgument for a malformed or altered
// filter, kFailedPrecondition for an unknown sender, another recipient or no exchange keys.
Result<MatchResult> RunMatchFilter(ByteView filter_file, index::Index& index, const access::Principal& who,
                                   const ExchangeState& state);

}  // namespace ura::exchange
