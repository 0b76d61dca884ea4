// Search: from what an investigator types -- a name heard in a witness statement, a plate, a
// phone, a passport number -- to ranked entities, each with the field that matched.
//
// A query is tried as an identifier (exact after normalisation as a document number, phone
// in E.164, IBAN, e-mail, plate), as a name (folded tokens in any order; each token also
// matches spelling variants and typos: vocabulary tokens one edit away -- found through
// single-deletion keys -- or with the same phonetic skeleton and at most three edits, as
// "rumbolako" for "rombolaku") and as free text (addresses, notes). Candidates are
// reranked by how well their best name matches every query token (edit distance and
// Jaro-Winkler, rare tokens weighing more than common ones).
//
// User text reaches the index only as folded tokens ([a-z0-9]) or canonical identifiers, and
// both as bound parameters: FTS5 operators, quotes and SQL in a query are just characters.
#pragma once

#include <string>
#include <vector>

#include "index/index.h"

namespace ura::search {

// Where a search spent its time (for benchmarks and `--explain`-style diagnostics).
struct SearchStats {
  double identifiers_ms = 0, vocabulary_ms = 0, exact_ms = 0, variants_ms = 0, partial_ms = 0, rerank_ms = 0,
         text_ms = 0;
  size_t variant_tokens = 0, exact_candidates = 0, variant_candidates = 0, partial_candidates = 0;
};

struct SearchOptions {
  std::string schema;  // only this schema and its descendants; empty for all
  // Only records with a value from this source system (e.g. "border"); empty for all.
  std::string source;
  // Only records dated in [from, to] (ISO dates, either may be empty): a value of a date
  // property of theirs other than a birth or death date -- a crossing's, a payment's, an
  // event's or a case's date -- falls in the range.
  std::string from, to;
  size_t limit = 20;   // 1..1000
  std::string phone_country = "al";  // country of national phone numbers in queries
  SearchStats* stats = nullptr;      // filled in when set
};

struct SearchHit {
  std::string id;
  std::string schema;
  double score = 0;             // 0..1; 1 an exact identifier or name
  std::string matched_property;  // e.g. "name", "passportNumber", "text"
  std::string matched_value;     // the folded name or canonical identifier that matched
  std::string caption;           // the entity's best name, for display
  // Other matching records of the same schema with exactly this caption (the same traveller
  // on every crossing, namesakes), ranked after this one and folded into its result so that
  // they do not push other spellings off the page. At most 100 ids; `same_caption_count`
  // counts them all.
  std::vector<std::string> same_caption_ids;
  size_t same_caption_count = 0;
  // The canonical person (entity resolution) the record belongs to, if any; set by the
  // consultation service once it knows which record the result shows.
  std::string person_id;
};

// Results are ranked by score (ties by id) and records with the same schema and caption are
// folded into the best of them; `limit` counts the folded results.
// kInvalidArgument for an empty query, an unknown schema or a limit out of range.
Result<std::vector<SearchHit>> Search(index::Index& index, const std::string& query, const SearchOptions& options);

}  // namespace ura::search
