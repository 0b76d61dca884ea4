// Incremental matching (issue 7, point 6): records ingested after a resolution run are matched
// at ingest time against the records already there, with the run's model, without a full run.
//
// For each new Person record: candidates come from the index -- records holding one of its
// identifiers (whole, or without its first or last two characters) and records whose names
// hold a spelling of both its name parts with the same sound (NameTokenVariants); of those,
// the ones sharing a blocking key with it (blocking.h) are compared and scored with the run's
// Fellegi-Sunter model. The record joins the person (or the single record) whose compared
// records match it best on average, if that average reaches the run's threshold -- the average
// linkage the batch clustering uses, so one strong link does not chain it to a person whose
// other records differ. The result is a model::ResolutionUpdate for the journal.
//
// What the batch run finds and this does not: a record sharing only a two-letter-prefix-and-
// birth-date key, or holding a longer version of a partial number, with no name in common
// (the index cannot be asked for those). The next full run reconsiders everything.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "index/index.h"
#include "model/canonical_persons.h"
#include "model/schema.h"
#include "resolve/fellegi_sunter.h"

namespace ura::resolve {

struct IncrementalModel {
  std::string run_id;
  ModelParameters model;
  double threshold = 0.5;
};

// The keys the index lists records under: a Person entity's BlockingKeys (blocking.h), none for
// other entities. The version changes whenever BlockingKeys or RecordFromEntity change what
// they give for an entity, so that indexes are rebuilt with the new keys.
index::EntityKeys IndexedBlockingKeys();

// The model of the latest run as the index holds it (LatestRunStats), or nullopt if there has
// been no run. kDataLoss for stats that do not hold a model (a defect).
Result<std::optional<IncrementalModel>> LoadIncrementalModel(index::Index& index);

struct IncrementalReport {
  model::ResolutionUpdate update;  // persons changed (empty if no new record matched)
  uint64_t records = 0;            // new Person records looked at
  uint64_t candidates = 0;         // pairs compared
  uint64_t joined = 0;             // records that joined a person
};

// Matches the Person records among `ids` (entities just written; others are skipped, as are
// records already in a person) in order; a record matched earlier in the list is a candidate
// for the later ones.
Result<IncrementalReport> MatchNewRecords(index::Index& index, const model::SchemaRegistry& registry,
                                          const std::vector<std::string>& ids, const IncrementalModel& model,
                                          int64_t now_us);

}  // namespace ura::resolve
