#include "service/ingest_pipeline.h"

namespace ura::service {

IngestPipeline::IngestPipeline(journal::Journal& journal, index::Index& index, std::unique_ptr<index::Index> reader,
                               WrittenIds* written, size_t max_waiting)
    : index_(index),
      reader_(std::move(reader)),
      max_waiting_(std::max<size_t>(max_waiting, 1)),
      writer_(journal, index, nullptr, written),
      thread_([this] { Run(); }) {}

IngestPipeline::~IngestPipeline() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

Result<std::optional<model::Entity>> IngestPipeline::Current(const std::string& id) {
  {
    std::lock_guard lock(mu_);
    auto it = latest_.find(id);
    if (it != latest_.end()) return std::optional<model::Entity>(*it->second);
  }
  // Not held: its newest version, if any, is committed (a version is let go only then).
  return reader_->Get(id);
}

Status IngestPipeline::Write(const std::vector<model::Entity>& versions) {
  if (versions.empty()) return Status::Ok();
  std::vector<std::shared_ptr<Batch>> released;  // freed here, on this thread, outside the lock
  {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return waiting_.size() < max_waiting_ || !failed_.ok(); });
    if (!failed_.ok()) return failed_;
    released.swap(released_);
  }
  auto batch = std::make_shared<Batch>();
  batch->versions = versions;  // the caller's are gone when this returns
  URA_ASSIGN_OR_RETURN(batch->appended, writer_.Append(batch->versions));
  std::lock_guard lock(mu_);
  for (const model::Entity& e : batch->versions) latest_[e.id] = &e;
  waiting_.push_back(batch);
  unsettled_.push_back(std::move(batch));
  changed_.notify_all();
  return Status::Ok();
}

Status IngestPipeline::Drain() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return (waiting_.empty() && !applying_) || !failed_.ok(); });
  return failed_;
}

size_t IngestPipeline::held() const {
  std::lock_guard lock(mu_);
  return latest_.size();
}

void IngestPipeline::Settle(uint64_t committed) {
  // A batch not yet applied ends beyond what the index has applied, let alone committed.
  while (!unsettled_.empty() && unsettled_.front()->journal_end() <= committed) {
    for (const model::Entity& e : unsettled_.front()->versions) {
      auto it = latest_.find(e.id);
      if (it != latest_.end() && it->second == &e) latest_.erase(it);  // else a later batch's is newer
    }
    released_.push_back(std::move(unsettled_.front()));
    unsettled_.pop_front();
  }
}

void IngestPipeline::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    changed_.wait(lock, [&] { return !waiting_.empty() || stop_; });
    if (waiting_.empty()) return;  // stopped, everything applied
    std::shared_ptr<Batch> batch = waiting_.front();
    applying_ = true;
    lock.unlock();
    Status s;
    try {
      s = writer_.Apply(batch->versions, batch->appended);
    } catch (const std::exception& e) {
      s = ResourceExhausted(std::string("updating the index failed: ") + e.what());
    }
    const uint64_t committed = index_.committed_size();
    std::vector<std::string>().swap(batch->appended.payloads);  // held versions need no JSON
    lock.lock();
    applying_ = false;
    waiting_.pop_front();
    if (s.ok()) {
      Settle(committed);
    } else {
      failed_ = s;
      waiting_.clear();  // in the journal: the index catches up from it on the next open
    }
    changed_.notify_all();
    if (!s.ok()) return;
  }
}

}  // namespace ura::service
