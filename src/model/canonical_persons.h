// Canonical persons: the result of an entity-resolution run as the journal keeps it (entry
// type 65), read by resolution itself and projected by the index (so that search and the
// dossier show the person a record belongs to). The format lives here, below both.
//
// A run is one commit of entries of type 65, chunks of at most 4 MiB:
//   {"chunk":I,"chunks":N,"persons":[{"id":"P-<16 hex>","members":[ID,...]},...],
//    "run":RUN_ID,"stats":{...} (chunk 0 only),"time_us":N,"v":1}
// Only persons of two or more records are listed; every other Person entity is a person of
// its own. A canonical person's id is "P-" and the first 8 bytes (hex) of SHA-256 of its
// lowest member id, so it stays the same from run to run while that record stays in it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ura::model {

inline constexpr uint32_t kEntryTypeResolutionRun = 65;

struct CanonicalPerson {
  std::string id;                    // "P-..."
  std::vector<std::string> members;  // entity ids, sorted
};

// The canonical id of a person whose lowest member id is `lowest_member`.
std::string CanonicalId(std::string_view lowest_member);

struct RunSummary {
  std::string run_id;
  int64_t time_us = 0;
  std::string stats_json;  // what the run reported (pairs, reduction ratio, model ...)
  std::vector<CanonicalPerson> persons;
};

// The entries of one run, each payload at most `max_chunk_bytes` (but at least one person).
std::vector<std::string> EncodeRun(const RunSummary& run, size_t max_chunk_bytes = 4u << 20);

// One decoded entry of a run.
struct RunChunk {
  std::string run_id;
  int64_t time_us = 0;
  uint32_t chunk = 0, chunks = 1;
  std::string stats_json;  // chunk 0 only
  std::vector<CanonicalPerson> persons;
};
// kInvalidArgument naming what is wrong for anything EncodeRun would not write.
Result<RunChunk> DecodeRunChunk(std::string_view payload);

// Incremental matching's result (entry type 66): records ingested after a run, matched at
// ingest time against the records already there with the run's model, without a full run.
//   {"persons":[{"id":P,"members":[ID,...]},...],"run":RUN_ID,"time_us":N,"v":1}
// Each listed person now has exactly these members (its members before and the new records,
// and the members of other persons a new record bridged to it: they leave those persons, and a
// person left with fewer than two is one no more); a new record that matched a record of no
// person forms a new person with it. The next full run replaces all of it.
inline constexpr uint32_t kEntryTypeResolutionUpdate = 66;

struct ResolutionUpdate {
  std::string run_id;  // the run whose model matched
  int64_t time_us = 0;
  std::vector<CanonicalPerson> persons;
};
std::string EncodeUpdate(const ResolutionUpdate& update);
// kInvalidArgument naming what is wrong for anything EncodeUpdate would not write.
Result<ResolutionUpdate> DecodeUpdate(std::string_view payload);

// Puts runs together from their chunks in journal order. Thread-compatible.
class RunAssembler {
 public:
  // kInvalidArgument for a chunk out of order (a run is one commit: its chunks are consecutive).
  Status Add(RunChunk chunk);
  // The run whose last chunk was just added, once.
  std::optional<RunSummary> TakeComplete();
  // Whether chunks of a run are waiting for the rest.
  bool pending() const { return next_chunk_ != 0; }

 private:
  RunSummary run_;
  uint32_t next_chunk_ = 0, chunks_ = 0;
  std::optional<RunSummary> complete_;
};

}  // namespace ura::model
