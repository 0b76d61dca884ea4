// Verifying a whole journal.
//
// Keyless (the default): an auditor or witness with read access only. Checks every segment
// header, frame checksum, sequence number and timestamp, recomputes the RFC 9162 Merkle tree
// and checks every signed head's root and Ed25519 signature. Given a trusted head saved
// earlier (`ura head --json`), it also checks the journal still extends it: same store and
// key, the tree at that size has that root (a rollback to an older copy, or a rewritten
// history, fails). Deep: also decrypts and authenticates every entry with the keys.
//
// Uses `threads` threads to read and hash segments in parallel.
#pragma once

#include <optional>
#include <string>

#include "base/file_system.h"
#include "journal/keys.h"
#include "journal/segment_scan.h"
#include "journal/tree_head.h"

namespace ura::journal {

struct VerifyOptions {
  const SignedHead* trusted_head = nullptr;
  const Keyring* keyring = nullptr;  // set for a deep verify
  int threads = 2;
};

struct VerifyReport {
  bool intact = false;
  uint64_t segments = 0;
  uint64_t bytes = 0;
  uint64_t tree_size = 0;      // covered by the latest valid signed head
  crypto::Hash256 root{};
  int64_t head_timestamp_us = 0;
  uint64_t heads_checked = 0;
  uint64_t entries_decrypted = 0;  // deep only
  bool trusted_head_checked = false;
  // A torn tail after the last head (cut on the next open for writing); not damage.
  std::optional<TornTail> torn_tail;
  Status problem;  // non-OK when !intact: kDataLoss with its CorruptionLocation
};

// Returns an error only if verification could not run (no store, unreadable metadata);
// damage is reported in VerifyReport::problem.
Result<VerifyReport> VerifyJournal(FileSystem& fs, const StorePaths& paths, const StoreMeta& meta,
                                   const VerifyOptions& options);

}  // namespace ura::journal
