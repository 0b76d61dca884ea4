// Restoring a store's journal from a backup (backup.h), as far as the journal goes: the
// command line (src/cli/restore_command.cc) then rebuilds the index and verifies deep.
//
// A restore checks before it writes: the latest manifest's signature, the trusted head (same
// store and key; a restore that would end before it is a rollback and is refused), every
// object's SHA-256 as it is copied, then the copied journal as `ura verify` checks it (with
// the trusted head: the history must pass through its root). Only then is the journal cut at
// the point in time asked for: after entry N-1, keeping a signed head for exactly N entries --
// the one the journal has there, or, between two heads, a new one signed with the store's key
// (which needs the KeySecret). The result has the root the original had at size N.
//
// Everything is written in a staging directory beside DIR and renamed to DIR at the end, so a
// refused or failed restore leaves DIR as it was (absent or empty).
#pragma once

#include <optional>
#include <string>

#include "base/file_system.h"
#include "journal/keys.h"
#include "journal/tree_head.h"

namespace ura::recovery {

struct RestoreOptions {
  std::optional<uint64_t> tree_size;   // point in time: the first N entries
  std::optional<int64_t> before_us;    // or: the latest signed head strictly before this time
  const journal::SignedHead* trusted_head = nullptr;
  // If set, the restored keyring must unlock with it (checked before DIR is touched), and it
  // signs a head between two heads.
  const journal::KeySecret* secret = nullptr;
  int threads = 2;
};

struct RestoreReport {
  uint64_t run = 0;                 // the backup run restored from
  uint64_t backup_tree_size = 0;    // what that run held
  uint64_t tree_size = 0;           // what the restored journal holds
  crypto::Hash256 root{};
  bool signed_new_head = false;     // N was between two heads
  uint64_t files = 0;
  uint64_t bytes_copied = 0;
  bool trusted_head_checked = false;
};

// Restores the journal, store.json and the wrapped keys from `target` into `to_dir` (absent,
// or an empty directory). kInvalidArgument for a point in time the backup does not hold;
// kFailedPrecondition for a rollback past the trusted head or a forged backup; kDataLoss
// naming the file for damage. `to_dir` is untouched unless the result is OK.
Result<RestoreReport> RestoreJournal(FileSystem& fs, const std::string& target, const std::string& to_dir,
                                     const RestoreOptions& options);

// Cuts the journal of the store at `store_dir` (already verified) back to its first
// `tree_size` entries, as RestoreJournal does; `secret` unlocks the store's signing key when a
// new head must be signed. Returns the root at that size and whether a head was signed.
struct CutResult {
  crypto::Hash256 root{};
  bool signed_new_head = false;
};
Result<CutResult> CutJournal(FileSystem& fs, const std::string& store_dir, uint64_t tree_size,
                             const journal::KeySecret* secret);

// Parses an RFC 3339 UTC time ("2026-11-29T10:00:00Z", fractions allowed) into microseconds.
Result<int64_t> ParseRfc3339(const std::string& text);

}  // namespace ura::recovery
