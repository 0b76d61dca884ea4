// Ingest: reads a source export record by record, maps each record to entities (mapping.h),
// validates them against the schemata, merges each with what the store already holds, and
// hands new entity versions to a sink (the journal) in batches. Bad records go to
// FILE.rejects.ndjson with their row, byte offset, raw text and reason; they never stop
// the good ones.
//
// Merging: a value's provenance names its source record. When a record is ingested again,
// the values that record contributed before are replaced by what it says now; values from
// other records stay. If the merged entity's content is unchanged, nothing is written --
// so re-ingesting a file writes nothing new, and a changed row writes a new version.
//
// An Ingester is not thread-safe. Memory is bounded (a fixed-size cache of recent
// entities), whatever the size of the file.
#pragma once

#include <functional>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "ingest/mapping.h"
#include "ingest/record.h"
#include "model/entity.h"

namespace ura::ingest {

// What ingest needs to know about stored entities: the current version of one. Implemented
// by the index (a projection of the journal).
class EntityState {
 public:
  virtual ~EntityState() = default;
  virtual Result<std::optional<model::Entity>> Current(const std::string& id) = 0;
};

// Where new entity versions go: the journal -- durable when Write returns -- and then the
// index, at once or on another thread, which Drain waits for. Write or Drain reports the first
// failure; once it is reported, nothing more is written.
class EntitySink {
 public:
  virtual ~EntitySink() = default;
  virtual Status Write(const std::vector<model::Entity>& versions) = 0;
  virtual Status Drain() { return Status::Ok(); }
};

struct IngestSummary {
  std::string file;
  uint64_t records_read = 0;      // good and bad
  uint64_t records_rejected = 0;  // quarantined
  uint64_t records_filtered = 0;  // skipped by a filter
  uint64_t versions_written = 0;  // new entity versions
  uint64_t unchanged = 0;         // entities a record mapped to that did not change
  std::map<std::string, uint64_t> written_by_schema;
  std::string rejects_file;       // empty if nothing was rejected
  Status file_error;              // a file that could not be read to its end
  double seconds = 0;
};

struct IngestOptions {
  Clock* clock = nullptr;
  size_t batch_size = 1000;
  size_t cache_entities = 50000;
  // Called now and then with (bytes read, file size, records read).
  std::function<void(uint64_t, uint64_t, uint64_t)> progress;
  // Where rejected records and their reasons go; empty: next to the input, FILE.rejects.ndjson.
  std::string rejects_path;
};

class Ingester {
 public:
  Ingester(const Mapping& mapping, const model::SchemaRegistry& registry, EntityState& state,
           EntitySink& sink, IngestOptions options);
  // Ingests one file. An error means nothing more could be done (unreadable file, sink
  // failure); what the summary counts as written is durable either way.
  Result<IngestSummary> IngestFile(const std::string& path);

 private:
  struct Mapped {
    // Contributions of one record, each with the provenance (source record) it speaks for:
    // that record's earlier values are replaced even when it now says nothing.
    std::vector<std::pair<model::Entity, model::Provenance>> entities;
  };
  Result<std::optional<Mapped>> MapRecord(const Record& record, std::string* reject_reason);
  Status MapItem(const Record& record, const nlohmann::json* item, const Query& query, int64_t now,
                 Mapped& out, std::string* reject_reason);
  std::vector<std::string> Values(const Record& record, const nlohmann::json* item,
                                  const std::string& path) const;
  Result<model::Entity> Load(const std::string& id);
  void Remember(const model::Entity& e);
  Status Flush(IngestSummary& summary);

  const Mapping& mapping_;
  const model::SchemaRegistry& registry_;
  EntityState& state_;
  EntitySink& sink_;
  IngestOptions options_;
  std::unique_ptr<SystemClock> own_clock_;
  std::vector<model::Entity> pending_;
  std::unordered_map<std::string, size_t> pending_index_;  // id -> position in pending_
  // id -> the stored version before this batch (empty id: new entity). A pending version
  // that ends the batch equal to it is not written: rows that flip a value back and forth
  // within a batch still leave an unchanged file unchanged.
  std::unordered_map<std::string, model::Entity> batch_base_;
  // LRU cache of current entity versions (including pending ones).
  std::list<std::string> lru_;
  std::unordered_map<std::string, std::pair<model::Entity, std::list<std::string>::iterator>> cache_;
};

// The stable id of an entity: "<source>.<40 hex>" from SHA-256 of source, alias, key literal
// and key values.
std::string MakeEntityId(const std::string& source, const std::string& alias, const std::string& key_literal,
                         const std::vector<std::string>& key_values);

}  // namespace ura::ingest

namespace ura::ingest {

// Ingests FollowTheMoney JSON lines (ura export --ftm, or OCCRP/OpenSanctions data). Values
// without Ura provenance are attributed to `source` with the entity id as record key; each
// line replaces that entity's values from the same source records. Bad lines are
// quarantined like bad records.
Result<IngestSummary> IngestFtmFile(const std::string& path, const std::string& source,
                                    const model::Marking& default_marking,
                                    const model::SchemaRegistry& registry, EntityState& state,
                                    EntitySink& sink, IngestOptions options);

}  // namespace ura::ingest
