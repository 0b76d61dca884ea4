#include "search/search.h"

#include "model/dates.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "index/projection.h"
#include "model/dates.h"
#include "model/schema.h"
#include "model/types.h"
#include "text/distance.h"
#include "text/fold.h"

namespace ura::search {

namespace {

constexpr size_t kMaxQueryTokens = 8;
constexpr size_t kExactCandidates = 300;
constexpr size_t kVariantCandidates = 1000;  // the "some of the words" phase
constexpr size_t kVariantsPerToken = 24;
// Spelling combinations tried (best first), and candidates taken from each: every likely
// spelling of the whole name gets its own share instead of common ones crowding out the rest.
constexpr size_t kMaxCombinations = 16;
constexpr size_t kPerCombination = 40;
constexpr size_t kMinTypoTokenLength = 4;

// Edits allowed between a query token and a vocabulary token of that length.
int MaxEdits(size_t length) {
  if (length < kMinTypoTokenLength) return 0;
  return length >= 8 ? 2 : 1;
}

// How alike a query token and a name token are, 0..1 (1 only when equal).
double TokenSimilarity(std::string_view query, std::string_view name) {
  if (query == name) return 1.0;
  const size_t longest = std::max(query.size(), name.size());
  if (longest == 0) return 0;
  const int edits = text::EditDistance(query, name, 3);
  double sim = 0;
  if (edits <= 3) sim = 1.0 - static_cast<double>(edits) / static_cast<double>(longest);
  sim = std::max(sim, text::JaroWinkler(query, name) - 0.08);
  if (query.size() >= kMinTypoTokenLength && text::Skeleton(query) == text::Skeleton(name)) sim = std::max(sim, 0.85);
  return std::min(sim, 0.97);
}

struct QueryToken {
  std::string token;
  double weight = 1;                  // rarer tokens weigh more
  std::vector<std::string> variants;  // the token as typed first, then variants, most alike first
  std::vector<double> similarities;   // of each variant to the token (1 for the token)
  // TokenSimilarity(token, name token), memoised: candidates share few distinct name tokens.
  mutable std::unordered_map<std::string, double> similarity;

  double SimilarityTo(std::string_view name_token) const {
    auto it = similarity.find(std::string(name_token));
    if (it != similarity.end()) return it->second;
    const double s = TokenSimilarity(token, name_token);
    similarity.emplace(std::string(name_token), s);
    return s;
  }
};

struct NameScore {
  double score = 0;
  std::string property;
  std::string value;
};

// The best of an entity's names against the query tokens.
NameScore ScoreNames(const std::vector<QueryToken>& query, std::string_view encoded_names) {
  NameScore best;
  double total_weight = 0;
  for (const QueryToken& q : query) total_weight += q.weight;
  for (const index::ProjectedValue& name : index::DecodeNames(encoded_names)) {
    std::vector<std::string_view> tokens = text::SplitFolded(name.value);
    double sum = 0;
    size_t matched = 0;
    for (const QueryToken& q : query) {
      double token_best = 0;
      for (std::string_view t : tokens) token_best = std::max(token_best, q.SimilarityTo(t));
      if (token_best >= 0.7) ++matched;
      sum += q.weight * token_best;
    }
    double score = total_weight > 0 ? sum / total_weight : 0;
    // A name with words the query does not have is a slightly worse answer ("Ali Hoxha" for
    // "Ali Hoxha" before "Ali Bujar Hoxha").
    if (tokens.size() > matched) score *= 1.0 - 0.03 * static_cast<double>(tokens.size() - matched);
    if (score > best.score) best = {score, name.property, name.value};
  }
  return best;
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The canonical forms a query (or a word of it) could have as an identifier.
std::set<std::string> IdentifierForms(const std::string& raw, const std::string& phone_country) {
  std::set<std::string> forms;
  using model::PropertyType;
  for (PropertyType type : {PropertyType::kIdentifier, PropertyType::kPlate, PropertyType::kPhone,
                            PropertyType::kIban, PropertyType::kEmail}) {
    if (type != PropertyType::kEmail && !HasDigit(raw)) continue;
    auto v = model::NormalizeValue(type, raw, phone_country);
    if (v.ok() && v->size() >= 3) forms.insert(*v);
  }
  return forms;
}

std::vector<std::string> SplitWhitespace(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

namespace {

// Whether the record `id` passes the source and date filters of `options`.
Result<bool> PassesFilters(index::Index& index, const std::string& id, const SearchOptions& options, int32_t from,
                           int32_t to) {
  URA_ASSIGN_OR_RETURN(std::optional<model::Entity> e, index.Get(id));
  if (!e) return false;
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  const model::Schema* schema = registry.Find(e->schema);
  bool source_ok = options.source.empty();
  bool date_ok = from == model::kNoDay && to == model::kNoDay;
  for (const auto& [name, values] : e->properties) {
    const model::PropertySpec* spec = schema ? schema->property(name) : nullptr;
    const bool dated = spec != nullptr && spec->type == model::PropertyType::kDate &&
                       name.find("birth") == std::string::npos && name.find("death") == std::string::npos;
    for (const model::PropertyValue& v : values) {
      if (v.provenance.source == options.source) source_ok = true;
      if (!dated || date_ok) continue;
      const int32_t day = model::DayOfDate(v.value);
      if (day != model::kNoDay && (from == model::kNoDay || day >= from) && (to == model::kNoDay || day <= to)) {
        date_ok = true;
      }
    }
  }
  return source_ok && date_ok;
}

Result<int32_t> FilterDay(const std::string& text, const char* what) {
  if (text.empty()) return model::kNoDay;
  const int32_t day = model::DayOfDate(text);
  if (day == model::kNoDay || text.size() > 10) {
    return InvalidArgument(std::string(what) + " '" + text + "' is not a date: give YYYY-MM-DD (or YYYY-MM, YYYY)");
  }
  return day;
}

}  // namespace

Result<std::vector<SearchHit>> Search(index::Index& index, const std::string& query, const SearchOptions& options) {
  if (options.limit < 1 || options.limit > 1000) return InvalidArgument("--limit must be between 1 and 1000");
  URA_ASSIGN_OR_RETURN(const int32_t from, FilterDay(options.from, "--from"));
  URA_ASSIGN_OR_RETURN(int32_t to, FilterDay(options.to, "--to"));
  if (to != model::kNoDay && options.to.size() < 10) {
    // "2024" or "2024-03" as the end: up to the last day of that year or month.
    const std::string next = options.to.size() == 4 ? std::to_string(std::stoi(options.to) + 1)
                                                    : model::DateOfDay(model::DayOfDate(options.to + "-28") + 4).substr(0, 7);
    to = model::DayOfDate(next) - 1;
  }
  if (from != model::kNoDay && to != model::kNoDay && from > to) {
    return InvalidArgument("--from " + options.from + " is after --to " + options.to);
  }
  std::vector<std::string> schemata;
  if (!options.schema.empty()) {
    const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
    const model::Schema* wanted = registry.Find(options.schema);
    if (wanted == nullptr) {
      std::string hint = registry.SuggestSchema(options.schema);
      return InvalidArgument("unknown schema '" + options.schema + "'" +
                             (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    for (const model::Schema* s : registry.All()) {
      if (!s->abstract() && s->IsA(*wanted)) schemata.push_back(s->name());
    }
  }
  SearchStats ignored;
  SearchStats& stats = options.stats ? *options.stats : ignored;
  auto clock = std::chrono::steady_clock::now();
  auto lap = [&clock](double& into) {
    auto now = std::chrono::steady_clock::now();
    into += std::chrono::duration<double, std::milli>(now - clock).count();
    clock = now;
  };
  std::map<std::string, SearchHit> hits;  // by entity id
  auto offer = [&](SearchHit hit) {
    auto [it, inserted] = hits.try_emplace(hit.id, hit);
    if (!inserted && hit.score > it->second.score) it->second = std::move(hit);
  };

  // 1. Identifiers: the whole query, then each word with a digit in it.
  std::set<std::string> forms = IdentifierForms(query, options.phone_country);
  for (const std::string& word : SplitWhitespace(query)) {
    if (HasDigit(word)) {
      auto more = IdentifierForms(word, options.phone_country);
      forms.insert(more.begin(), more.end());
    }
  }
  for (const std::string& value : forms) {
    // Many records can hold one document number (a passport on every crossing): take enough
    // that folding records of the same name still leaves a full page.
    URA_ASSIGN_OR_RETURN(auto found, index.FindIdentifier(value, schemata, std::max<size_t>(200, options.limit * 10)));
    for (index::Candidate& c : found) {
      offer({c.id, c.schema, 1.0, c.matched_property, value, c.caption});
    }
  }

  lap(stats.identifiers_ms);
  // 2. Names: folded words without digits.
  std::vector<std::string> words;
  for (std::string& t : text::FoldTokens(query)) {
    if (!HasDigit(t) && std::find(words.begin(), words.end(), t) == words.end()) words.push_back(std::move(t));
    if (words.size() == kMaxQueryTokens) break;
  }
  if (words.empty() && hits.empty()) {
    if (text::Fold(query).empty()) return InvalidArgument("the query has no letters or digits to search for");
  }
  if (!words.empty()) {
    std::vector<QueryToken> tokens;
    for (const std::string& w : words) {
      QueryToken q{w, 1.0, {}};
      URA_ASSIGN_OR_RETURN(auto variants, index.NameTokenVariants(w, 400));
      uint64_t frequency = 0;
      std::vector<std::pair<double, std::string>> ranked;
      for (const index::TokenVariant& v : variants) {
        if (v.token == w) {
          frequency = v.entities;
          continue;
        }
        const int edits = text::EditDistance(w, v.token, 3);
        const bool same_sound = text::Skeleton(w) == text::Skeleton(v.token) && edits <= 3;
        if (edits > MaxEdits(w.size()) && !same_sound) continue;
        ranked.emplace_back(TokenSimilarity(w, v.token), v.token);
        if (frequency == 0) frequency = v.entities;
      }
      std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
      q.variants.push_back(w);
      q.similarities.push_back(1.0);
      for (size_t i = 0; i < ranked.size() && i < kVariantsPerToken; ++i) {
        q.variants.push_back(ranked[i].second);
        q.similarities.push_back(ranked[i].first);
      }
      // Inverse document frequency against a nominal population: a token few entities use
      // says more than "mehmet".
      q.weight = std::log(2.0 + 1e6 / (1.0 + static_cast<double>(frequency)));
      tokens.push_back(std::move(q));
    }
    for (const QueryToken& q : tokens) stats.variant_tokens += q.variants.size() - 1;
    lap(stats.vocabulary_ms);
    std::vector<index::Candidate> candidates;
    // Every word as typed.
    std::vector<std::vector<std::string>> exact;
    for (const QueryToken& q : tokens) exact.push_back({q.token});
    URA_ASSIGN_OR_RETURN(candidates, index.MatchNames(exact, schemata, kExactCandidates));
    stats.exact_candidates += candidates.size();
    lap(stats.exact_ms);
    // Every word or one of its variants (always: with the same name folded into one result,
    // a page of exact matches can still have room for a misspelt record of the same person).
    {
      // Combinations of one spelling per word, most alike first; the one as typed was the
      // exact phase.
      std::vector<std::pair<double, std::vector<size_t>>> combinations = {{1.0, std::vector<size_t>(tokens.size(), 0)}};
      for (size_t t = 0; t < tokens.size(); ++t) {
        std::vector<std::pair<double, std::vector<size_t>>> extended;
        for (const auto& [score, choice] : combinations) {
          for (size_t v = 0; v < tokens[t].variants.size(); ++v) {
            auto next = choice;
            next[t] = v;
            extended.emplace_back(score * tokens[t].similarities[v], std::move(next));
          }
        }
        std::sort(extended.begin(), extended.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        if (extended.size() > kMaxCombinations + 1) extended.resize(kMaxCombinations + 1);
        combinations = std::move(extended);
      }
      for (const auto& [score, choice] : combinations) {
        if (std::all_of(choice.begin(), choice.end(), [](size_t v) { return v == 0; })) continue;
        std::vector<std::vector<std::string>> groups;
        for (size_t t = 0; t < tokens.size(); ++t) groups.push_back({tokens[t].variants[choice[t]]});
        URA_ASSIGN_OR_RETURN(auto more, index.MatchNames(groups, schemata, kPerCombination));
        candidates.insert(candidates.end(), more.begin(), more.end());
        stats.variant_candidates += more.size();
      }
      lap(stats.variants_ms);
      // Some of the words: a name the witness half remembered, or an extra middle name.
      if (candidates.size() < options.limit && tokens.size() > 1) {
        std::vector<std::string> any;
        for (const QueryToken& q : tokens) any.insert(any.end(), q.variants.begin(), q.variants.end());
        URA_ASSIGN_OR_RETURN(auto partial, index.MatchNames({any}, schemata, kVariantCandidates));
        candidates.insert(candidates.end(), partial.begin(), partial.end());
        stats.partial_candidates += partial.size();
        lap(stats.partial_ms);
      }
    }
    for (const index::Candidate& c : candidates) {
      if (hits.count(c.id) && hits[c.id].score >= 1.0) continue;
      NameScore s = ScoreNames(tokens, c.names);
      if (s.score < 0.5) continue;
      offer({c.id, c.schema, s.score, s.property, s.value, c.caption});
    }
    lap(stats.rerank_ms);
    // 3. Free text (addresses, notes): every word as typed.
    if (hits.size() < options.limit) {
      URA_ASSIGN_OR_RETURN(auto found, index.MatchText(words, schemata, std::max<size_t>(100, options.limit * 5)));
      for (const index::Candidate& c : found) offer({c.id, c.schema, 0.6, "text", text::Fold(query), c.caption});
      lap(stats.text_ms);
    }
  }

  std::vector<SearchHit> out;
  out.reserve(hits.size());
  const bool filtered = !options.source.empty() || from != model::kNoDay || to != model::kNoDay;
  for (auto& [id, hit] : hits) {
    if (filtered) {
      URA_ASSIGN_OR_RETURN(bool passes, PassesFilters(index, id, options, from, to));
      if (!passes) continue;
    }
    out.push_back(std::move(hit));
  }
  std::sort(out.begin(), out.end(), [](const SearchHit& a, const SearchHit& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.id < b.id;
  });
  std::vector<SearchHit> folded;
  std::map<std::pair<std::string, std::string>, size_t> by_caption;  // (schema, caption) -> folded index
  for (SearchHit& h : out) {
    auto [it, first] = by_caption.try_emplace({h.schema, h.caption}, folded.size());
    if (first) {
      folded.push_back(std::move(h));
      continue;
    }
    SearchHit& best = folded[it->second];
    if (best.same_caption_ids.size() < 100) best.same_caption_ids.push_back(h.id);
    ++best.same_caption_count;
  }
  if (folded.size() > options.limit) folded.resize(options.limit);
  for (SearchHit& h : folded) h.score = std::round(h.score * 1000) / 1000;
  return folded;
}

}  // namespace ura::search
