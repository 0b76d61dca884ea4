// Entity versions into the store, for every front end that writes (`ura ingest`, the API's
// upload): each batch is appended to the journal -- durable when Write returns -- and then
// applied to the index. If the index update fails the journal still holds the batch and the
// index catches up from it on the next open.
#pragma once

#include <mutex>

#include "index/index.h"
#include "ingest/ingester.h"
#include "journal/journal.h"

namespace ura::service {

// The entities an ingest wrote, for what follows it (service/resolution.h): how many, and the
// ids of the first `keep` -- what follows needs no more -- so that memory stays flat in the
// size of the input.
struct WrittenIds {
  explicit WrittenIds(size_t keep) : keep(keep) {}
  void Add(const std::string& id) {
    ++total;
    if (ids.size() < keep) ids.push_back(id);
  }
  size_t keep;
  uint64_t total = 0;
  std::vector<std::string> ids;
};

class StoreWriter final : public ingest::EntityState, public ingest::EntitySink {
 public:
  // `index_mu` (optional) is held around every use of the index: a server shares its index
  // connection with the threads that read it. `written` (optional) collects the ids of the
  // entities written, for what follows an ingest (service/resolution.h).
  StoreWriter(journal::Journal& journal, index::Index& index, std::mutex* index_mu = nullptr,
              WrittenIds* written = nullptr)
      : journal_(journal), index_(index), index_mu_(index_mu), written_(written) {}

  Result<std::optional<model::Entity>> Current(const std::string& id) override;
  // Append, then Apply.
  Status Write(const std::vector<model::Entity>& versions) override;

  // The two halves of Write, for a caller that runs them on different threads
  // (IngestPipeline): batches must reach Apply in the order Append wrote them.
  struct Appended {
    std::vector<std::string> payloads;  // each version's canonical JSON, as in the journal
    journal::AppendResult result;
  };
  // Appends the versions to the journal; durable when it returns.
  Result<Appended> Append(const std::vector<model::Entity>& versions);
  // Applies appended versions to the index.
  Status Apply(const std::vector<model::Entity>& versions, const Appended& appended);

 private:
  journal::Journal& journal_;
  index::Index& index_;
  std::mutex* index_mu_;
  WrittenIds* written_;
};

}  // namespace ura::service
