// Ingest on two cores: the ingester reads, maps and merges records and appends each batch to
// the journal on the calling thread -- a batch is durable when Write returns, as with
// StoreWriter -- while a second thread applies the batches to the index, in journal order.
//
// The ingester asks for the current version of entities (Current) while versions it wrote
// may not be in the index yet, or only in the index's open bulk transaction, which another
// connection does not see. Those versions are answered from memory until the index has
// committed them; every other entity from a read connection of the index. So the versions
// held are those since the index's last commit: memory stays bounded by its commit interval,
// whatever the size of the file.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "index/index.h"
#include "ingest/ingester.h"
#include "journal/journal.h"
#include "service/store_writer.h"

namespace ura::service {

class IngestPipeline final : public ingest::EntityState, public ingest::EntitySink {
 public:
  // `index` is the writer's connection, used by the pipeline's thread alone from here until
  // the pipeline is drained or destroyed; `reader` is another connection to the same index.
  // `written` (optional) collects the ids written, as StoreWriter's does. At most
  // `max_waiting` batches wait for the index before Write blocks.
  IngestPipeline(journal::Journal& journal, index::Index& index, std::unique_ptr<index::Index> reader,
                 WrittenIds* written = nullptr, size_t max_waiting = 2);
  // Applies what was written to the index (a failure then is reported by Drain only) and
  // stops the thread.
  ~IngestPipeline() override;

  Result<std::optional<model::Entity>> Current(const std::string& id) override;
  // Appends the batch to the journal (durable when this returns) and hands it to the index's
  // thread. An error is the journal's, or the index's first failure; once it is reported,
  // nothing more is written (the journal keeps what it took: the index catches up from it on
  // the next open).
  Status Write(const std::vector<model::Entity>& versions) override;
  // Returns when every batch written is applied to the index, or with the first failure.
  Status Drain() override;

  // Versions answered from memory now (written, not yet committed in the index).
  size_t held() const;

 private:
  struct Batch {
    std::vector<model::Entity> versions;
    StoreWriter::Appended appended;
    uint64_t journal_end() const { return appended.result.first_sequence + appended.result.count; }
  };
  void Run();
  void Settle(uint64_t committed);  // with mu_ held

  index::Index& index_;
  std::unique_ptr<index::Index> reader_;  // the calling thread's
  const size_t max_waiting_;
  StoreWriter writer_;  // Append on the calling thread, Apply on the index's

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable changed_;
  std::deque<std::shared_ptr<Batch>> waiting_;    // in the journal, not taken by the index's thread yet
  std::deque<std::shared_ptr<Batch>> unsettled_;  // in the journal, not committed in the index yet
  std::unordered_map<std::string, const model::Entity*> latest_;  // id -> its newest unsettled version
  // Committed batches, freed by the next Write: the index's thread is the busier one.
  std::vector<std::shared_ptr<Batch>> released_;
  bool applying_ = false;
  bool stop_ = false;
  Status failed_;
  std::thread thread_;
};

}  // namespace ura::service
