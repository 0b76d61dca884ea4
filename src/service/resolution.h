// Incremental entity resolution after an ingest (resolve/incremental.h), for every front end
// that ingests (`ura ingest`, the API's upload): the Person records the ingest wrote are matched
// with the latest run's model, the update and its audit record are appended in one commit, and
// the index applies the update. Nothing happens before the first `ura resolve`, and an ingest
// of more new records than `max_records` is left to the next full run (it is faster for bulk).
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "index/index.h"
#include "journal/journal.h"

namespace ura::service {

struct IncrementalOutcome {
  bool ran = false;            // false: no run yet, or too many records (see `skipped`)
  bool no_run = false;         // there has been no resolution run to take the model from
  std::string skipped;         // why not, for the user
  uint64_t records = 0, compared = 0, joined = 0, persons_changed = 0;
};

// `ids`: the entities the ingest wrote. `record`: the audit record, already stamped with time,
// user and client (action and detail are filled here). `index_mu` (optional) is held around
// every use of the index, as StoreWriter does.
Result<IncrementalOutcome> ResolveIngested(journal::Journal& journal, index::Index& index,
                                           const std::vector<std::string>& ids, audit::Record record, int64_t now_us,
                                           size_t max_records = 10000, std::mutex* index_mu = nullptr);

}  // namespace ura::service
