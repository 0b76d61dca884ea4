#include "exchange/hit_no_hit.h"

#include <set>

namespace ura::exchange {

Result<FilterResult> MakeMatchFilter(index::Index& index, const access::Principal& who, const ExchangeState& state,
                                     const std::string& partner, int64_t now_us) {
  URA_RETURN_IF_ERROR(access::Require(who, access::Action::kDisclose));
  auto to = state.partners.find(partner);
  if (to == state.partners.end()) return NotFound("no partner named '" + partner + "' (see `ura partner list`)");
  if (!state.identity) return FailedPrecondition("this store has no exchange keys yet (run `ura partner self`)");
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  FilterResult result;
  result.record.action = "match-filter";
  std::vector<std::string> keys;
  URA_RETURN_IF_ERROR(index.ForEach(registry, "Person", [&](const model::Entity& e) {
    if (!access::MayDisclose(who, e.marking)) return Status::Ok();
    std::vector<std::string> k = MatchKeys(e, registry);
    if (k.empty()) return Status::Ok();
    ++result.persons;
    result.record.AddObject(e.id);
    keys.insert(keys.end(), k.begin(), k.end());
    return Status::Ok();
  }));
  result.keys = keys.size();
  URA_ASSIGN_OR_RETURN(result.filter, BuildFilter(keys, *state.identity, to->second.keys, now_us));
  result.record.detail = "hit/no-hit filter for partner " + partner + ": " + std::to_string(result.keys) +
                         " keys of " + std::to_string(result.persons) + " persons";
  return result;
}

Result<MatchResult> RunMatchFilter(ByteView filter_file, index::Index& index, const access::Principal& who,
                                   const ExchangeState& state) {
  URA_RETURN_IF_ERROR(access::Require(who, access::Action::kReceive));
  URA_ASSIGN_OR_RETURN(MatchFilter filter, DecodeFilter(filter_file));
  MatchResult result;
  result.partner = state.FindBySigningKey(filter.sender.signing);
  if (result.partner == nullptr || result.partner->keys != filter.sender) {
    return FailedPrecondition("the filter was made by an unknown sender (register the partner with `ura partner add`)");
  }
  if (!state.identity) return FailedPrecondition("this store has no exchange keys (run `ura partner self`)");
  URA_ASSIGN_OR_RETURN(FilterMatcher matcher, FilterMatcher::Create(filter, *state.identity));
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  result.record.action = "match";
  URA_RETURN_IF_ERROR(index.ForEach(registry, "Person", [&](const model::Entity& e) {
    if (!access::MaySee(who, e.marking)) return Status::Ok();
    ++result.persons;
    MatchHit hit;
    if (!matcher.Hit(MatchKeys(e, registry), &hit.matched)) return Status::Ok();
    hit.id = e.id;
    const std::vector<std::string> names = e.Values("name");
    hit.caption = names.empty() ? e.id : names.front();
    std::set<std::pair<std::string, std::string>> records;
    for (const auto& [property, values] : e.properties) {
      for (const model::PropertyValue& v : values) records.insert({v.provenance.source, v.provenance.record_key});
    }
    hit.records.assign(records.begin(), records.end());
    result.record.AddObject(hit.id);
    result.hits.push_back(std::move(hit));
    return Status::Ok();
  }));
  result.record.detail = "hit/no-hit filter from partner " + result.partner->name + ": " +
                         std::to_string(result.hits.size()) + " hits among " + std::to_string(result.persons) +
                         " persons";
  return result;
}

}  // namespace ura::exchange
