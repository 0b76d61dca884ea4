// The store's own note of the backups taken of it, for the integrity page ("last backup"):
// one small file per backup run in DATA/backups/, named <time in us, 20 digits>-<mode>.json and
// written atomically (a crash leaves the whole note or none):
//
//   {"format": "ura-backup-note", "version": 1, "time_us": n, "mode": "local" | "pull",
//    "destination": "/mnt/worm/ura" | "USER from CLIENT", "run": n, "nothing_new": bool,
//    "tree_size": n, "root_hash": hex, "bytes_copied": n}
//
// `ura backup TARGET` writes one after a run; `ura serve` writes one when it signs a pull
// backup's manifest. A note is what the primary was told, not a proof: the backup itself is
// checked with `ura backup --check TARGET`, and the notes are not part of what a backup keeps
// (recovery/pull.h IsStoreFilePath), so a restored store starts without them.
#pragma once

#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"
#include "crypto/sha256.h"

namespace ura::recovery {

struct BackupNote {
  int64_t time_us = 0;
  std::string mode;         // "local" or "pull"
  std::string destination;  // the target directory, or who pulled from where
  uint64_t run = 0;         // the manifest written; 0 if nothing was new
  bool nothing_new = false;
  uint64_t tree_size = 0;
  crypto::Hash256 root{};
  uint64_t bytes_copied = 0;
};

// Writes `note` to DATA/backups/ (created if missing), durably.
Status WriteBackupNote(FileSystem& fs, const std::string& store_dir, const BackupNote& note);

struct BackupNotes {
  std::vector<BackupNote> latest;     // newest first, at most the limit asked for
  std::vector<std::string> problems;  // "FILE: what is wrong", for notes that do not parse
};
// The newest `limit` notes. A note file that cannot be read or parsed is named in `problems`
// (never skipped silently); a missing directory is no notes.
Result<BackupNotes> ReadBackupNotes(FileSystem& fs, const std::string& store_dir, size_t limit);

}  // namespace ura::recovery
