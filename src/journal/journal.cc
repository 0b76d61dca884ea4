#include "journal/journal.h"

#include "journal/journal_reader.h"

#include <filesystem>

namespace ura::journal {

std::string RecoveryReport::ToString() const {
  if (!tail_cut) return "clean";
  return std::string("cut a ") + ScanEndName(how) + " tail of " + std::to_string(bytes_cut) +
         " bytes (" + std::to_string(entries_discarded) +
         " unacknowledged entries) from " + segment + " at byte " + std::to_string(cut_at);
}

Journal::Journal(StorePaths paths, JournalOptions options)
    : paths_(std::move(paths)), options_(options) {
  if (options_.fs == nullptr) options_.fs = &DefaultFileSystem();
  if (options_.clock == nullptr) {
    own_clock_ = std::make_unique<SystemClock>();
    options_.clock = own_clock_.get();
  }
}

Journal::~Journal() = default;

Result<Bytes> Journal::BuildHeadFrame(uint64_t tree_size, const crypto::Hash256& root, int64_t ts,
                                      SignedHead* head_out) {
  const StoreMeta& meta = keyring_->meta();
  SignedHead head;
  head.store_id = meta.store_id;
  head.tree_size = tree_size;
  head.root = root;
  head.timestamp_us = ts;
  head.key_id = meta.signing_key_id;
  head.public_key = meta.signing_public_key;
  head.signature = keyring_->signer().Sign(head.Message());
  Bytes frame(kFrameHeaderSize);
  AppendBytes(frame, head.root);
  AppendBytes(frame, head.signature);
  FrameHeader h;
  h.kind = FrameKind::kHead;
  h.key_id = head.key_id;
  h.sequence = tree_size;
  h.timestamp_us = ts;
  h.body_len = kHeadBodySize;
  h.body_checksum = Checksum32(ByteView(frame).subspan(kFrameHeaderSize));
  EncodeFrameHeader(h, frame.data());
  *head_out = std::move(head);
  return frame;
}

Result<StoreMeta> Journal::Create(const std::string& dir, const KeySecret& secret,
                                  const crypto::Argon2Params& kdf, JournalOptions options) {
  FileSystem& fs = options.fs ? *options.fs : DefaultFileSystem();
  StorePaths paths(dir);
  if (fs.Exists(dir)) {
    URA_ASSIGN_OR_RETURN(auto names, fs.ListDir(dir));
    if (!names.empty()) {
      return AlreadyExists(dir + " already exists and is not empty; `ura init` never touches an "
                                 "existing store (choose another --data directory)");
    }
  }
  bool created_dir = !fs.Exists(dir);
  URA_RETURN_IF_ERROR(fs.CreateDir(dir));
  auto meta = CreateInEmptyDir(paths, secret, kdf, options);
  if (!meta.ok() && created_dir) {
    // Leave nothing half-made behind, so `ura init` can simply be run again.
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  return meta;
}

Result<StoreMeta> Journal::CreateInEmptyDir(const StorePaths& paths, const KeySecret& secret,
                                            const crypto::Argon2Params& kdf,
                                            JournalOptions options) {
  FileSystem& fs = options.fs ? *options.fs : DefaultFileSystem();
  const std::string& dir = paths.dir;
  URA_ASSIGN_OR_RETURN(auto lock, FileLock::Acquire(paths.lock));
  Journal j(paths, options);
  URA_ASSIGN_OR_RETURN(j.keyring_, Keyring::Create(fs, *j.options_.clock, paths, secret, kdf));
  URA_RETURN_IF_ERROR(fs.CreateDir(paths.journal_dir));
  // Segment 0: header and the signed head of the empty tree, written atomically.
  SegmentHeader header;
  header.store_id = j.keyring_->meta().store_id;
  Bytes data = EncodeSegmentHeader(header);
  SignedHead head;
  URA_ASSIGN_OR_RETURN(Bytes head_frame,
                       j.BuildHeadFrame(0, EmptyTreeRoot(), j.options_.clock->NowMicros(), &head));
  AppendBytes(data, head_frame);
  URA_RETURN_IF_ERROR(WriteFileAtomically(fs, JoinPath(paths.journal_dir, SegmentFileName(0)), data));
  URA_RETURN_IF_ERROR(fs.SyncDir(dir));
  return j.keyring_->meta();
}

Result<std::unique_ptr<Journal>> Journal::OpenForWrite(const std::string& dir,
                                                       const KeySecret& secret,
                                                       JournalOptions options) {
  std::unique_ptr<Journal> j(new Journal(StorePaths(dir), options));
  FileSystem& fs = *j->options_.fs;
  URA_ASSIGN_OR_RETURN(StoreMeta meta, LoadStoreMeta(fs, j->paths_));
  (void)meta;
  URA_ASSIGN_OR_RETURN(j->lock_, FileLock::Acquire(j->paths_.lock));
  URA_ASSIGN_OR_RETURN(j->keyring_, Keyring::Unlock(fs, j->paths_, secret));
  URA_RETURN_IF_ERROR(j->Recover());
  URA_ASSIGN_OR_RETURN(j->writer_session_, j->keyring_->ReserveWriterSession());
  j->active_key_ = j->keyring_->active_data_key_id();
  j->codec_ = std::make_unique<EntryCodec>(*j->keyring_, j->options_.zstd_level);
  return j;
}

Status Journal::Recover() {
  FileSystem& fs = *options_.fs;
  // Leftovers of an interrupted segment creation were never part of the journal.
  URA_ASSIGN_OR_RETURN(auto names, fs.ListDir(paths_.journal_dir));
  for (const auto& name : names) {
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) {
      URA_RETURN_IF_ERROR(fs.Remove(JoinPath(paths_.journal_dir, name)));
    }
  }
  URA_ASSIGN_OR_RETURN(auto segments, ListSegments(fs, paths_.journal_dir));
  const SegmentFile& last = segments.back();
  const StoreMeta& meta = keyring_->meta();
  SegmentIdentity id{meta.store_id, meta.signing_public_key, meta.signing_key_id};
  auto refuse = [&](const Status& s) {
    return s.WithContext("the journal is damaged and cannot be opened for writing (run `ura verify` "
                         "for details; restore from a backup)");
  };

  for (int attempt = 0; attempt < 2; ++attempt) {
    URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs, last.path));
    size_t header_len = 0;
    auto header = DecodeSegmentHeader(data, &header_len);
    if (!header.ok()) {
      return refuse(Corruption(last.path + ": " + header.status().message(),
                               {last.path, header.status().corruption()->offset, std::nullopt,
                                "segment-header"}));
    }
    URA_ASSIGN_OR_RETURN(ChainState state, ChainStateFromHeader(*header));
    auto v = ValidateSegment(data, last.path, last.index, id, state);
    if (!v.ok()) return refuse(v.status());
    if (state.heads_checked == 0) {
      return refuse(Corruption(last.path + ": the last segment has no signed head",
                               {last.path, header_len, state.committed_size, "head-missing"}));
    }
    bool torn = v->scan.end != ScanEnd::kClean || v->committed_end != v->file_size;
    if (!torn) {
      // Clean: the tree is exactly what the last head commits.
      frontier_ = state.frontier;
      // A segment that holds no entries yet says nothing of the last entry's time; the
      // previous head's time bounds it from above (an entry is never later than its head).
      last_entry_ts_ = std::max(state.last_entry_timestamp_us, header->prev_head_timestamp_us);
      segment_index_ = last.index;
      URA_ASSIGN_OR_RETURN(head_, ReadLatestHead(fs, paths_, meta));
      URA_ASSIGN_OR_RETURN(segment_, fs.OpenWritable(last.path, OpenMode::kAppendExisting));
      return Status::Ok();
    }
    if (attempt == 1) return Internal("torn tail persists after cutting it");
    recovery_.tail_cut = true;
    recovery_.segment = last.path;
    recovery_.cut_at = v->committed_end;
    recovery_.bytes_cut = v->file_size - v->committed_end;
    recovery_.entries_discarded = v->uncommitted_entries;
    recovery_.how = v->scan.end == ScanEnd::kClean ? ScanEnd::kTruncated : v->scan.end;
    URA_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(last.path, OpenMode::kAppendExisting));
    URA_RETURN_IF_ERROR(file->Truncate(v->committed_end));
  }
  return Internal("unreachable");
}

Status Journal::health() const {
  std::lock_guard lock(mu_);
  return poisoned_;
}

SignedHead Journal::head() const {
  std::lock_guard lock(mu_);
  return head_;
}

uint64_t Journal::size() const {
  std::lock_guard lock(mu_);
  return head_.tree_size;
}

Result<AppendResult> Journal::Append(std::span<const EntryInput> entries) {
  for (const auto& e : entries) {
    if (e.payload.size() > kMaxPayloadSize) {
      return InvalidArgument("entry of " + std::to_string(e.payload.size()) +
                             " bytes exceeds the 16 MiB limit");
    }
  }
  Pending me{entries};
  std::unique_lock lock(mu_);
  if (!poisoned_.ok()) return poisoned_;
  queue_.push_back(&me);
  while (!me.done && (leader_active_ || queue_.front() != &me)) me.cv.wait(lock);
  if (me.done) return std::move(me.result);

  // Leader: take everything queued so far and commit it as one group.
  leader_active_ = true;
  std::deque<Pending*> group;
  group.swap(queue_);
  lock.unlock();
  Status s;
  try {
    s = CommitGroup(group);
  } catch (const std::exception& e) {
    // Out of memory while building a batch: fail the group, never leave followers waiting.
    s = ResourceExhausted(std::string("appending failed: ") + e.what());
  }
  lock.lock();
  if (!s.ok()) {
    if (poisoned_.ok()) {
      poisoned_ = s.WithContext("an earlier write failed; nothing of it was acknowledged; reopen the store");
    }
    for (Pending* p : group) p->result = s;
  }
  for (Pending* p : group) {
    p->done = true;
    if (p != &me) p->cv.notify_one();  // under mu_: a follower returns, and its Pending goes, once it sees done
  }
  leader_active_ = false;
  HandOver();
  return std::move(me.result);
}

void Journal::HandOver() {
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  cv_.notify_all();
}

Status Journal::CommitGroup(std::deque<Pending*>& group) {
  {
    std::lock_guard lock(mu_);
    if (!poisoned_.ok()) return poisoned_;
  }
  Clock& clock = *options_.clock;
  int64_t now = clock.NowMicros();
  int64_t entry_ts = std::max(now, last_entry_ts_);
  MerkleFrontier frontier = frontier_;
  Bytes buf;
  std::vector<uint64_t> firsts;
  for (Pending* p : group) {
    firsts.push_back(frontier.size());
    for (const EntryInput& e : p->entries) {
      size_t start = buf.size();
      Status s = codec_->Encode(active_key_, writer_session_, frontier.size(), e.type, entry_ts,
                                e.payload, buf);
      if (!s.ok()) return s;
      frontier.Append(crypto::MerkleLeafHash(ByteView(buf).subspan(start)));
    }
  }
  SignedHead head;
  int64_t head_ts;
  {
    std::lock_guard lock(mu_);
    head_ts = std::max(now, head_.timestamp_us + 1);
  }
  URA_ASSIGN_OR_RETURN(Bytes head_frame, BuildHeadFrame(frontier.size(), frontier.Root(), head_ts, &head));
  AppendBytes(buf, head_frame);

  uint64_t before = segment_->Size();
  Status s = segment_->Append(buf);
  if (s.ok()) s = segment_->Sync();
  if (!s.ok()) {
    // Best effort: remove the unacknowledged bytes now; recovery would cut them anyway.
    segment_->Truncate(before).IgnoreError();
    return s;
  }
  frontier_ = std::move(frontier);
  last_entry_ts_ = entry_ts;
  {
    std::lock_guard lock(mu_);
    head_ = head;
  }
  for (size_t i = 0; i < group.size(); ++i) {
    group[i]->result = AppendResult{firsts[i], group[i]->entries.size(), head};
  }
  if (segment_->Size() >= options_.segment_target_bytes) {
    Status seal = SealAndStartSegment();
    if (!seal.ok()) {
      // The group is durable and acknowledged; only later appends are refused.
      std::lock_guard lock(mu_);
      poisoned_ = seal.WithContext("starting a new segment failed; reopen the store");
    }
  }
  return Status::Ok();
}

Status Journal::SealAndStartSegment() {
  FileSystem& fs = *options_.fs;
  std::string old_path = segment_->path();
  SegmentHeader header;
  header.store_id = keyring_->meta().store_id;
  header.segment_index = segment_index_ + 1;
  header.first_sequence = frontier_.size();
  SignedHead last;
  {
    std::lock_guard lock(mu_);
    last = head_;
  }
  header.prev_head_timestamp_us = last.timestamp_us;
  header.frontier = frontier_.hashes();
  Bytes data = EncodeSegmentHeader(header);
  SignedHead head;
  int64_t ts = std::max(options_.clock->NowMicros(), last.timestamp_us + 1);
  URA_ASSIGN_OR_RETURN(Bytes head_frame, BuildHeadFrame(frontier_.size(), frontier_.Root(), ts, &head));
  AppendBytes(data, head_frame);
  std::string new_path = JoinPath(paths_.journal_dir, SegmentFileName(header.segment_index));
  URA_RETURN_IF_ERROR(WriteFileAtomically(fs, new_path, data));
  URA_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(new_path, OpenMode::kAppendExisting));
  segment_ = std::move(file);
  segment_index_ = header.segment_index;
  fs.MakeReadOnly(old_path).IgnoreError();  // a courtesy: root ignores it; the Merkle tree guards
  std::lock_guard lock(mu_);
  head_ = head;
  return Status::Ok();
}

Result<uint32_t> Journal::RotateDataKey() {
  // Serialise with appends by acting as a leader with an empty group.
  std::unique_lock lock(mu_);
  while (leader_active_) cv_.wait(lock);
  if (!poisoned_.ok()) return poisoned_;
  leader_active_ = true;
  lock.unlock();
  Result<uint32_t> id = Internal("key rotation did not run");
  try {
    id = keyring_->RotateDataKey(*options_.clock);
  } catch (const std::exception& e) {
    id = ResourceExhausted(std::string("key rotation failed: ") + e.what());
  }
  if (id.ok()) active_key_ = *id;  // still the leader: no commit is running
  lock.lock();
  leader_active_ = false;
  HandOver();
  lock.unlock();
  if (!id.ok()) return id.status();
  std::string payload = "{\"new_key_id\":" + std::to_string(*id) + "}";
  EntryInput entry{kEntryTypeKeyRotation, AsBytes(payload)};
  auto appended = Append(std::span(&entry, 1));
  if (!appended.ok()) return appended.status();
  return *id;
}

}  // namespace ura::journal
