// Journal: the append-only, encrypted, Merkle-tree-backed log that is Ura's only source of
// truth. It knows nothing of entities, indexes or HTTP: an entry is a type number and bytes.
//
// Writing. One process at a time opens a store for writing (an flock on DIR/LOCK). Open
// recovers the last segment: a torn tail after the last signed head is cut off and reported
// in recovery(); any other damage refuses the open with kDataLoss naming the first bad
// sequence, file and byte offset. Append() is thread-safe and commits in groups: concurrent
// callers are gathered into one write of their entries followed by one signed tree head,
// then one fdatasync; when Append returns OK the entries are durable. After any I/O error
// the Journal refuses further appends (nothing of the failed batch was acknowledged, and a
// new writer session is needed for fresh nonces): reopen it.
//
// Reading and verification are in journal_reader.h and verify.h; they need no lock.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "base/clock.h"
#include "base/file_system.h"
#include "journal/entry_codec.h"
#include "journal/keys.h"
#include "journal/merkle.h"
#include "journal/segment_scan.h"
#include "journal/tree_head.h"

namespace ura::journal {

struct JournalOptions {
  FileSystem* fs = nullptr;  // nullptr: DefaultFileSystem()
  Clock* clock = nullptr;    // nullptr: a SystemClock
  uint64_t segment_target_bytes = 64ull << 20;  // seal a segment once it reaches this size
  int zstd_level = 1;
};

struct EntryInput {
  uint32_t type = kEntryTypeRaw;
  ByteView payload;
};

struct AppendResult {
  uint64_t first_sequence = 0;
  uint64_t count = 0;
  SignedHead head;  // the head that committed these entries (it may cover later ones too)
};

struct RecoveryReport {
  bool tail_cut = false;
  std::string segment;  // file that was cut
  uint64_t cut_at = 0;  // byte offset the file was cut back to
  uint64_t bytes_cut = 0;
  uint64_t entries_discarded = 0;  // complete but never acknowledged entries in the cut tail
  ScanEnd how = ScanEnd::kClean;
  std::string ToString() const;
};

class Journal {
 public:
  // Creates a new store in `dir` (which must not exist, or be an empty directory): keys,
  // store.json, and segment 0 holding the signed head of the empty tree.
  static Result<StoreMeta> Create(const std::string& dir, const KeySecret& secret,
                                  const crypto::Argon2Params& kdf, JournalOptions options = {});
  static Result<std::unique_ptr<Journal>> OpenForWrite(const std::string& dir,
                                                       const KeySecret& secret,
                                                       JournalOptions options = {});
  ~Journal();

  // Appends `entries` (each at most 16 MiB) durably. Thread-safe (group commit).
  Result<AppendResult> Append(std::span<const EntryInput> entries);
  // Starts a new data-key epoch: later entries use the new key; records a key-rotation
  // entry. Returns the new key id.
  Result<uint32_t> RotateDataKey();

  // OK, or the I/O error that stopped this writer. An error while starting a new segment
  // after a commit leaves that commit durable and acknowledged, so Append returned OK; it
  // shows up here and on the next Append. Callers check it before closing.
  Status health() const;

  SignedHead head() const;
  uint64_t size() const;
  const RecoveryReport& recovery() const { return recovery_; }
  const Keyring& keyring() const { return *keyring_; }
  const StorePaths& paths() const { return paths_; }
  FileSystem& fs() const { return *options_.fs; }

 private:
  struct Pending {
    std::span<const EntryInput> entries;
    Result<AppendResult> result = Internal("not committed");
    bool done = false;
    // Woken alone (not with every waiter) when its group is committed or it may lead the next.
    std::condition_variable cv;
  };

  Journal(StorePaths paths, JournalOptions options);
  static Result<StoreMeta> CreateInEmptyDir(const StorePaths& paths, const KeySecret& secret,
                                            const crypto::Argon2Params& kdf, JournalOptions options);
  Status Recover();
  Status CommitGroup(std::deque<Pending*>& group);  // called by the leader, without mu_
  void HandOver();  // with mu_ held, after leader_active_ fell: wakes whoever may lead next
  Status SealAndStartSegment();
  Result<Bytes> BuildHeadFrame(uint64_t tree_size, const crypto::Hash256& root, int64_t ts,
                               SignedHead* head_out);

  StorePaths paths_;
  JournalOptions options_;
  std::unique_ptr<SystemClock> own_clock_;
  std::unique_ptr<FileLock> lock_;
  std::unique_ptr<Keyring> keyring_;
  std::unique_ptr<EntryCodec> codec_;
  RecoveryReport recovery_;

  // Writer state: touched only by the current leader (serialised by leader_active_).
  std::unique_ptr<WritableFile> segment_;
  uint64_t segment_index_ = 0;
  MerkleFrontier frontier_;
  int64_t last_entry_ts_ = 0;
  uint32_t writer_session_ = 0;
  uint32_t active_key_ = 0;

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable cv_;  // key rotations waiting for the leader to finish
  std::deque<Pending*> queue_;
  bool leader_active_ = false;
  SignedHead head_;
  Status poisoned_;
};

}  // namespace ura::journal
