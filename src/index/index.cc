#include "index/index.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "crypto/sha256.h"
#include "journal/journal_reader.h"

namespace ura::index {

namespace {

Status NotAnEntity(uint64_t sequence) {
  return Corruption("journal entry " + std::to_string(sequence) + " is not a valid entity version",
                    {"", std::nullopt, sequence, "entity"});
}

Status NotAResolutionEntry(uint64_t sequence, const Status& why) {
  return Corruption("journal entry " + std::to_string(sequence) + " is not a valid entity resolution entry: " + why.message(),
                    {"", std::nullopt, sequence, "resolution-entry"});
}

// Canonical persons as the index should hold them: record -> person, and person -> records.
struct PersonMap {
  std::map<std::string, std::string> person_of;
  std::map<std::string, std::set<std::string>> members;

  void Reset(const std::vector<model::CanonicalPerson>& persons) {
    person_of.clear();
    members.clear();
    for (const model::CanonicalPerson& p : persons) {
      for (const std::string& m : p.members) Move(m, p.id);
    }
  }
  void Move(const std::string& record, const std::string& person) {
    auto [it, inserted] = person_of.try_emplace(record, person);
    if (!inserted) {
      members[it->second].erase(record);
      it->second = person;
    }
    members[person].insert(record);
  }
  void Drop(const std::string& person) {
    for (const std::string& m : members[person]) person_of.erase(m);
    members.erase(person);
  }
  // What SqliteIndex does with an update: each listed person gets exactly its members, a
  // member taken from another person leaves it, and a person left with one record is a person
  // no more.
  void Apply(const model::ResolutionUpdate& update) {
    std::set<std::string> left;
    for (const model::CanonicalPerson& p : update.persons) {
      Drop(p.id);
      for (const std::string& m : p.members) {
        auto before = person_of.find(m);
        if (before != person_of.end()) left.insert(before->second);
        Move(m, p.id);
      }
    }
    for (const std::string& person : left) {
      auto it = members.find(person);
      if (it != members.end() && it->second.size() < 2) Drop(person);
    }
  }
};

Status IndexProblem(const std::string& what) {
  return Corruption("the index does not match the journal: " + what + " (run `ura reindex`)",
                    {"", std::nullopt, std::nullopt, kIndexDamage});
}

std::vector<ProjectedValue> Sorted(std::vector<ProjectedValue> values) {
  std::sort(values.begin(), values.end(), [](const ProjectedValue& a, const ProjectedValue& b) {
    return a.property != b.property ? a.property < b.property : a.value < b.value;
  });
  return values;
}

// An index ahead of the journal, or built from another history, describes entities the
// journal does not hold (a journal restored from an older copy; an index copied from
// elsewhere): it must not be used, or its entities would be merged back into the journal.
Status CheckApplied(const Index& index, const journal::SignedHead& head) {
  if (index.applied_size() > head.tree_size) {
    return IndexProblem("it has applied " + std::to_string(index.applied_size()) +
                        " journal entries but the journal holds " + std::to_string(head.tree_size));
  }
  const Bytes& root = index.applied_root();
  if (index.applied_size() == head.tree_size && !root.empty() &&
      !std::equal(root.begin(), root.end(), head.root.begin(), head.root.end())) {
    return IndexProblem("it was built from another history than the journal's (root hashes differ at size " +
                        std::to_string(head.tree_size) + ")");
  }
  return Status::Ok();
}

}  // namespace

bool IsIndexDamage(const Status& status) {
  return status.code() == StatusCode::kDataLoss && status.corruption() && status.corruption()->kind == kIndexDamage;
}

namespace {

// What CatchUp applies in one call of Index::Apply: entity versions (parsed) and resolution
// entries, in journal order, and the tree size (and, at a head, the root) applied with them.
struct CatchUpBatch {
  std::vector<model::Entity> entities;
  std::vector<std::string> payloads;
  std::vector<uint64_t> sequences;
  // Entity-resolution entries (std::deque and a batch that never moves: pointers stay valid).
  std::deque<model::RunChunk> chunks;
  std::deque<model::ResolutionUpdate> updates;
  std::deque<model::Judgement> judgements;
  std::vector<ResolutionToApply> resolution;
  uint64_t applied = 0;
  Bytes root;  // empty mid-way: those sizes are not a head's
};

// Batches from a journal reader to the thread that uses them: a bounded queue, so the reader
// (decryption, JSON parsing) runs at most a few batches ahead.
template <typename Batch>
class BatchQueue {
 public:
  // Returns false if the consumer has stopped.
  bool Push(std::unique_ptr<Batch> batch) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return stopped_ || queue_.size() < kDepth; });
    if (stopped_) return false;
    queue_.push_back(std::move(batch));
    ready_.notify_one();
    return true;
  }
  void Finish(Status status) {
    std::lock_guard lock(mu_);
    finished_ = true;
    status_ = std::move(status);
    ready_.notify_one();
  }
  // The next batch; null at the end (then `status` says how the reader ended).
  std::unique_ptr<Batch> Pop(Status& status) {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return finished_ || !queue_.empty(); });
    if (queue_.empty()) {
      status = status_;
      return nullptr;
    }
    auto batch = std::move(queue_.front());
    queue_.pop_front();
    room_.notify_one();
    return batch;
  }
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    room_.notify_one();
  }

 private:
  static constexpr size_t kDepth = 3;
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<std::unique_ptr<Batch>> queue_;
  bool finished_ = false, stopped_ = false;
  Status status_;
};

Status StoppedByConsumer() { return Internal("reading the journal stopped: what it was read for failed"); }

}  // namespace

// The journal is read, decrypted and parsed on a thread of its own while this one applies the
// batches already read: that share of a rebuild (about a fifth at 1M entities) comes off the
// thread that writes the index.
Status CatchUp(Index& index, FileSystem& fs, const journal::StorePaths& paths, const journal::Keyring& keyring,
               const std::function<void(uint64_t, uint64_t)>& progress) {
  URA_ASSIGN_OR_RETURN(journal::StoreMeta meta, journal::LoadStoreMeta(fs, paths));
  URA_ASSIGN_OR_RETURN(journal::SignedHead head, journal::ReadLatestHead(fs, paths, meta));
  URA_RETURN_IF_ERROR(CheckApplied(index, head));
  if (index.applied_size() == head.tree_size) return Status::Ok();
  const uint64_t start = index.applied_size();
  BatchQueue<CatchUpBatch> queue;
  std::thread reader([&] {
    auto batch = std::make_unique<CatchUpBatch>();
    auto hand_over = [&](uint64_t applied) -> Status {
      batch->applied = applied;
      if (!queue.Push(std::move(batch))) return StoppedByConsumer();
      batch = std::make_unique<CatchUpBatch>();
      return Status::Ok();
    };
    Status read = journal::ReadEntries(
        fs, paths, keyring, start, head.tree_size, [&](const journal::DecodedEntry& e) -> Status {
          const uint64_t next = e.sequence + 1;
          if (progress && (next - start) % 8192 == 0) progress(next - start, head.tree_size - start);
          CatchUpBatch& b = *batch;
          if (e.type == model::kEntryTypeResolutionRun) {
            auto chunk = model::DecodeRunChunk(AsString(e.payload));
            if (!chunk.ok()) return NotAResolutionEntry(e.sequence, chunk.status());
            b.chunks.push_back(std::move(chunk).value());
            b.resolution.push_back({e.sequence, &b.chunks.back(), nullptr});
            return Status::Ok();
          }
          if (e.type == model::kEntryTypeResolutionUpdate) {
            auto update = model::DecodeUpdate(AsString(e.payload));
            if (!update.ok()) return NotAResolutionEntry(e.sequence, update.status());
            b.updates.push_back(std::move(update).value());
            b.resolution.push_back({e.sequence, nullptr, &b.updates.back()});
            return Status::Ok();
          }
          if (e.type == model::kEntryTypeJudgement) {
            auto judgement = model::DecodeJudgement(AsString(e.payload));
            if (!judgement.ok()) return NotAResolutionEntry(e.sequence, judgement.status());
            b.judgements.push_back(std::move(judgement).value());
            b.resolution.push_back({e.sequence, nullptr, nullptr, &b.judgements.back()});
            return Status::Ok();
          }
          if (e.type != kEntryTypeEntityVersion) return Status::Ok();
          auto entity = model::ParseEntityJson(AsString(e.payload));
          if (!entity.ok()) return NotAnEntity(e.sequence);
          b.entities.push_back(std::move(entity).value());
          b.payloads.emplace_back(AsString(e.payload));
          b.sequences.push_back(e.sequence);
          if (b.entities.size() >= 5000) return hand_over(next);
          return Status::Ok();
        });
    if (read.ok()) {
      batch->root.assign(head.root.begin(), head.root.end());
      read = hand_over(head.tree_size);
    }
    queue.Finish(std::move(read));
  });
  Status applied = Status::Ok(), read = Status::Ok();
  while (auto batch = queue.Pop(read)) {
    if (!applied.ok()) continue;  // drain what the reader hands over until it stops
    std::vector<VersionToApply> versions;
    versions.reserve(batch->entities.size());
    for (size_t i = 0; i < batch->entities.size(); ++i) {
      versions.push_back({batch->sequences[i], &batch->entities[i], batch->payloads[i]});
    }
    applied = index.Apply(versions, batch->resolution, batch->applied, batch->root);
    if (!applied.ok()) queue.Stop();
  }
  reader.join();
  URA_RETURN_IF_ERROR(applied);
  URA_RETURN_IF_ERROR(read);
  if (progress) progress(head.tree_size - start, head.tree_size - start);
  return Status::Ok();
}

int64_t EntityKeyHash(std::string_view key) {
  const crypto::Hash256 h = crypto::Sha256(AsBytes(key));
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(h[i]) << (8 * i);
  return static_cast<int64_t>(v);
}

void PostingsDigest::Add(std::string_view token, int64_t row) {
  Bytes message(token.begin(), token.end());
  message.push_back(0);
  for (int i = 0; i < 8; ++i) message.push_back(static_cast<uint8_t>(static_cast<uint64_t>(row) >> (8 * i)));
  const crypto::Hash256 h = crypto::Sha256(message);
  for (int lane = 0; lane < 2; ++lane) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(h[8 * lane + i]) << (8 * i);
    lanes[lane] += v;
  }
}

namespace {

Result<IndexCheckReport> CompareWithJournal(Index& index, FileSystem& fs, const journal::StorePaths& paths,
                                            const journal::Keyring& keyring) {
  // One read snapshot: a writer committing meanwhile does not make the counts disagree.
  URA_RETURN_IF_ERROR(index.BeginSnapshot());
  struct EndSnapshot {
    Index& index;
    ~EndSnapshot() { index.Commit().IgnoreError(); }  // a read transaction: nothing to lose
  } end_snapshot{index};
  IndexCheckReport report;
  const uint64_t applied = index.applied_size();
  URA_ASSIGN_OR_RETURN(journal::StoreMeta meta, journal::LoadStoreMeta(fs, paths));
  URA_ASSIGN_OR_RETURN(journal::SignedHead head, journal::ReadLatestHead(fs, paths, meta));
  URA_RETURN_IF_ERROR(CheckApplied(index, head));
  if (applied == 0) {
    URA_ASSIGN_OR_RETURN(IndexTotals empty, index.Totals());
    if (empty.entities != 0) return IndexProblem("it holds entities but says it has applied no journal entry");
    return report;
  }
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  IndexTotals expected;
  model::RunAssembler runs;
  std::string latest_run_id;
  PersonMap persons;
  std::map<std::pair<std::string, std::string>, std::string> judgements;  // in force: (a, b) -> encoded
  // The journal is read on a thread of its own, which also follows the resolution entries and
  // computes what each entity version should have put into the index; this thread compares
  // that with what the index holds.
  struct ExpectedVersion {
    uint64_t sequence = 0;
    model::Entity entity;
    std::string payload;
    Projection projection;
    std::vector<std::string> name_tokens, text_tokens;
    std::vector<int64_t> key_hashes;  // sorted, distinct
    std::string record;
  };
  using Expected = std::vector<ExpectedVersion>;
  const EntityKeys& entity_keys = index.entity_keys();
  BatchQueue<Expected> queue;
  std::thread reader([&] {
    auto batch = std::make_unique<Expected>();
    Status read = journal::ReadEntries(fs, paths, keyring, 0, applied, [&](const journal::DecodedEntry& e) -> Status {
      if (e.type == model::kEntryTypeJudgement) {
        auto j = model::DecodeJudgement(AsString(e.payload));
        if (!j.ok()) return NotAResolutionEntry(e.sequence, j.status());
        if (j->decision == model::Decision::kWithdrawn) {
          judgements.erase({j->a, j->b});
        } else {
          judgements[{j->a, j->b}] = model::EncodeJudgement(*j);
        }
        return Status::Ok();
      }
      if (e.type == model::kEntryTypeResolutionRun) {
        auto chunk = model::DecodeRunChunk(AsString(e.payload));
        if (!chunk.ok()) return NotAResolutionEntry(e.sequence, chunk.status());
        if (chunk->chunk == 0) expected.person_members_pending = 0;
        for (const model::CanonicalPerson& p : chunk->persons) expected.person_members_pending += p.members.size();
        if (Status s = runs.Add(std::move(chunk).value()); !s.ok()) return NotAResolutionEntry(e.sequence, s);
        if (auto run = runs.TakeComplete()) {
          latest_run_id = run->run_id;
          persons.Reset(run->persons);
          expected.person_members_pending = 0;
        }
        return Status::Ok();
      }
      if (e.type == model::kEntryTypeResolutionUpdate) {
        auto update = model::DecodeUpdate(AsString(e.payload));
        if (!update.ok()) return NotAResolutionEntry(e.sequence, update.status());
        persons.Apply(*update);
        return Status::Ok();
      }
      if (e.type != kEntryTypeEntityVersion) return Status::Ok();
      auto entity = model::ParseEntityJson(AsString(e.payload));
      if (!entity.ok()) return NotAnEntity(e.sequence);
      ExpectedVersion& v = batch->emplace_back();
      v.sequence = e.sequence;
      v.payload.assign(AsString(e.payload));
      v.projection = Project(*entity, registry);
      v.name_tokens = v.projection.NameTokens();
      v.text_tokens = DistinctTokens(v.projection.text);
      if (entity_keys.of) {
        EntityKeys::Derived derived = entity_keys.of(*entity);
        for (const std::string& key : derived.keys) v.key_hashes.push_back(EntityKeyHash(key));
        std::sort(v.key_hashes.begin(), v.key_hashes.end());
        v.key_hashes.erase(std::unique(v.key_hashes.begin(), v.key_hashes.end()), v.key_hashes.end());
        v.record = std::move(derived.record);
      }
      v.entity = std::move(entity).value();
      if (batch->size() >= 2000) {
        if (!queue.Push(std::move(batch))) return StoppedByConsumer();
        batch = std::make_unique<Expected>();
      }
      return Status::Ok();
    });
    if (read.ok() && !batch->empty() && !queue.Push(std::move(batch))) read = StoppedByConsumer();
    queue.Finish(std::move(read));
  });
  auto check = [&](const ExpectedVersion& v) -> Status {
    ++report.versions;
    const std::string& id = v.entity.id;
    const Projection& p = v.projection;
    const std::string at = " (journal entry " + std::to_string(v.sequence) + ")";
    URA_ASSIGN_OR_RETURN(bool listed, index.HasVersion(id, v.sequence));
    if (!listed) return IndexProblem("version " + std::to_string(v.sequence) + " of " + id + " is not listed");
    URA_ASSIGN_OR_RETURN(std::optional<StoredEntity> stored, index.Stored(id));
    if (!stored) return IndexProblem("entity " + id + at + " is missing");
    if (stored->sequence < v.sequence) {
      return IndexProblem("entity " + id + " is at journal entry " + std::to_string(stored->sequence) +
                          ", but entry " + std::to_string(v.sequence) + " is a later version");
    }
    if (stored->sequence > v.sequence) return Status::Ok();  // checked at its own entry
    if (stored->json != v.payload) return IndexProblem("entity " + id + " differs from its journal entry" + at);
    if (stored->schema != v.entity.schema || stored->names != p.EncodedNames() || stored->caption != p.caption) {
      return IndexProblem("the names, caption or schema stored for " + id + " differ from its journal entry" + at);
    }
    if (stored->marking != model::EncodeMarking(v.entity.marking)) {
      return IndexProblem("the marking stored for " + id + " differs from its journal entry" + at +
                          ": access checks would use the wrong one");
    }
    if (stored->identifiers != Sorted(p.identifiers) || stored->references != Sorted(p.references)) {
      return IndexProblem("the identifiers or links stored for " + id + " differ from its journal entry" + at);
    }
    ++report.entities;
    expected.identifiers += p.identifiers.size();
    expected.references += p.references.size();
    expected.name_postings += v.name_tokens.size();
    expected.text_postings += v.text_tokens.size();
    for (const std::string& t : v.name_tokens) expected.name_digest.Add(t, stored->row);
    for (const std::string& t : v.text_tokens) expected.text_digest.Add(t, stored->row);
    if (entity_keys.of) {
      expected.entity_keys += v.key_hashes.size();
      for (int64_t h : v.key_hashes) expected.key_digest.Add(std::to_string(h), stored->row);
      if (!v.record.empty()) {
        ++expected.keyed_records;
        expected.record_digest.Add(v.record, stored->row);
      }
    }
    return Status::Ok();
  };
  Status checked = Status::Ok(), read = Status::Ok();
  while (auto batch = queue.Pop(read)) {
    for (size_t i = 0; i < batch->size() && checked.ok(); ++i) checked = check((*batch)[i]);
    if (!checked.ok()) queue.Stop();  // and drain what the reader hands over until it stops
  }
  reader.join();
  URA_RETURN_IF_ERROR(checked);
  URA_RETURN_IF_ERROR(read);
  // Each entity was matched once, at its latest version; nothing more may be there.
  URA_ASSIGN_OR_RETURN(IndexTotals actual, index.Totals());
  auto compare = [&](const char* what, uint64_t want, uint64_t have) -> Status {
    if (want == have) return Status::Ok();
    return IndexProblem(std::string(what) + ": the journal gives " + std::to_string(want) + ", the index holds " +
                        std::to_string(have));
  };
  URA_RETURN_IF_ERROR(compare("entities", report.entities, actual.entities));
  URA_RETURN_IF_ERROR(compare("entity versions", report.versions, actual.versions));
  URA_RETURN_IF_ERROR(compare("identifier values", expected.identifiers, actual.identifiers));
  URA_RETURN_IF_ERROR(compare("links", expected.references, actual.references));
  URA_RETURN_IF_ERROR(compare("name index entries", expected.name_postings, actual.name_postings));
  URA_RETURN_IF_ERROR(compare("text index entries", expected.text_postings, actual.text_postings));
  URA_RETURN_IF_ERROR(compare("name vocabulary counts that disagree with the name index", 0, actual.vocabulary_mismatches));
  // Same counts, same (token, entity) pairs: every entity is found by exactly its words.
  if (!(expected.name_digest == actual.name_digest)) {
    return IndexProblem("the name index does not list each entity under exactly the words of its names");
  }
  if (!(expected.text_digest == actual.text_digest)) {
    return IndexProblem("the text index does not list each entity under exactly the words of its text");
  }
  URA_RETURN_IF_ERROR(compare("entity resolution keys", expected.entity_keys, actual.entity_keys));
  if (!(expected.key_digest == actual.key_digest)) {
    return IndexProblem("the key table does not list each record under exactly its entity resolution keys");
  }
  URA_RETURN_IF_ERROR(compare("entity resolution records", expected.keyed_records, actual.keyed_records));
  if (!(expected.record_digest == actual.record_digest)) {
    return IndexProblem("the entity resolution records kept beside the entities differ from what the journal gives");
  }
  // Canonical persons: exactly the latest complete run's, as the updates after it changed them.
  expected.person_run = latest_run_id;
  for (const auto& [member, person] : persons.person_of) expected.person_digest.Add(person + " " + member, 0);
  expected.person_members = persons.person_of.size();
  if (expected.person_run != actual.person_run) {
    return IndexProblem("its canonical persons are from resolution run '" + actual.person_run + "', the journal's latest is '" +
                        expected.person_run + "'");
  }
  URA_RETURN_IF_ERROR(compare("canonical person members", expected.person_members, actual.person_members));
  URA_RETURN_IF_ERROR(compare("members of a resolution run still arriving", expected.person_members_pending,
                              actual.person_members_pending));
  if (!(expected.person_digest == actual.person_digest)) {
    return IndexProblem("its canonical persons do not group the records as the latest resolution run does");
  }
  // Judgements: exactly the latest of each pair the journal holds, withdrawn pairs absent.
  for (const auto& [pair, encoded] : judgements) expected.judgement_digest.Add(encoded, 0);
  URA_RETURN_IF_ERROR(compare("analysts' judgements in force", judgements.size(), actual.judgements));
  if (!(expected.judgement_digest == actual.judgement_digest)) {
    return IndexProblem("its analysts' judgements are not the latest the journal holds for each pair");
  }
  return report;
}

}  // namespace

Result<IndexCheckReport> CheckAgainstJournal(Index& index, FileSystem& fs, const journal::StorePaths& paths,
                                             const journal::Keyring& keyring) {
  // The storage engine's check reads the whole file on a connection of its own, beside the
  // comparison; damage it finds is the first thing reported.
  Status storage = Status::Ok();
  std::thread storage_check([&] { storage = index.CheckStorage(); });
  Result<IndexCheckReport> compared = CompareWithJournal(index, fs, paths, keyring);
  storage_check.join();
  URA_RETURN_IF_ERROR(storage);
  return compared;
}

}  // namespace ura::index
