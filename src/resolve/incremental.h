// Incremental matching (issue 7, point 6): records ingested after a resolution run are matched
// at ingest time against the records already there, with the run's model, without a full run.
//
// The index lists every Person record under its blocking keys (IndexedBlockingKeys below,
// index::EntityKeys). For each new Person record the candidates are the records listed under
// one of its keys -- exactly the records a run would compare it with, a key shared by more
// than the run's `max_block` records skipped as the run skips it. Each is scored with the
// run's Fellegi-Sunter model. Then the new record is clustered as the run clusters: its pairs
// at or above the threshold, strongest first, each joining the record's cluster with the
// candidate's person (or single record) when the mean probability of every pair compared
// between the two -- the new record's and, once it has joined a person, that person's pairs
// with the other -- reaches the threshold (average linkage). So a record can bridge two
// persons, merging them, and one strong link does not chain two people who were compared and
// differ. The result is a model::ResolutionUpdate for the journal.
//
// Where it can still differ from a run on the same records: the run re-estimates the model on
// all records (slightly different weights), and it clusters every pair in one global order of
// strength, so a record that arrived later could, in a run, have been clustered before pairs
// of records that arrived earlier. A merge of two persons or records through a new record is
// refused when an analyst judged a record of one different from a record of the other (the
// judgements in force, from the index).
#pragma once

#include <functional>
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
  size_t max_block = 1000;  // keys shared by more records are skipped (blocking.h)
};

// What the index keeps for entity resolution: a Person entity's BlockingKeys (blocking.h) and
// its record (RecordFromEntity, EncodeRecord: record.h), nothing for other entities. The
// version changes whenever those change what they give for an entity, so that indexes are
// rebuilt with the new keys and records.
index::EntityKeys IndexedBlockingKeys();

// The model of the latest run as the index holds it (LatestRunStats), or nullopt if there has
// been no run. kDataLoss for stats that do not hold a model (a defect).
Result<std::optional<IncrementalModel>> LoadIncrementalModel(index::Index& index);

struct IncrementalReport {
  model::ResolutionUpdate update;  // persons changed (empty if no new record matched)
  uint64_t records = 0;            // new Person records looked at
  uint64_t candidates = 0;         // pairs compared
  uint64_t joined = 0;             // records that joined a person
  uint64_t bridged = 0;            // of them, records that merged two or more persons (or records)
  uint64_t refused_chaining = 0;   // joins refused by average linkage
};

// Matches the Person records among `ids` (entities just written; others are skipped, as are
// records already in a person) in order; a record matched earlier in the list is a candidate
// for the later ones. The index must list records under IndexedBlockingKeys.
Result<IncrementalReport> MatchNewRecords(index::Index& index, const std::vector<std::string>& ids,
                                          const IncrementalModel& model, int64_t now_us);

}  // namespace ura::resolve
