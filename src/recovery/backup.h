// `ura backup`: an incremental, content-addressed, append-only copy of a store, and its
// keyless check.
//
// Layout of a backup target (a local disk, a mounted WORM share, removable media):
//   TARGET/objects/<sha256 hex>       one chunk of a file (store.json, a wrapped keyring, a segment)
//   TARGET/manifests/<run:010>.json   one signed manifest per run (manifest.h)
//   TARGET/backup.lock                held while a run writes (one writer per target)
// Nothing in a target is ever overwritten or deleted by Ura. Every file is written under a
// temporary name (".tmp-<pid>-<random>"), fsynced, renamed to its final name only if that name
// is free, and the directory fsynced; an interrupted run leaves at most a temporary file, which
// later runs ignore and `--check` reports. The manifest is written last, so a run that did not
// finish is simply not a backup, and the next run copies only what is still missing.
//
// Each run validates what it copies: a segment new to the target is validated on its own from
// its header (frames, Merkle roots, head signatures), a sealed segment must have the bytes the
// previous run saw, the open segment must extend them, and the head must not be older than the
// previous run's (a primary rolled back to an older copy is refused, not backed up). Sealed
// segments the previous run kept are not read again unless BackupOptions::reread_sealed.
//
// Not thread-safe; the target lock keeps two processes apart.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "journal/keys.h"
#include "recovery/backup_source.h"
#include "recovery/manifest.h"

namespace ura::recovery {

struct BackupOptions {
  // Files are cut into chunks at multiples of this offset (manifest.h). 8 MiB: a run after a
  // few new entries copies at most one partial chunk of the open segment plus the new ones.
  uint64_t chunk_bytes = 8u << 20;
  // Sealed segments the last run kept at the same size are not read again by default: their
  // bytes in the target were validated when first copied and are never replaced, so a changed
  // primary copy cannot get into the backup. With this set, they are re-read and a changed one
  // is refused (an early warning of tampering on the primary; costs a read of the journal).
  bool reread_sealed = false;
};

struct BackupReport {
  uint64_t run = 0;            // the manifest written (0 when nothing was new)
  bool nothing_new = false;    // the target already held this head and every file
  uint64_t previous_run = 0;
  journal::SignedHead head;
  uint64_t files = 0;
  uint64_t objects_copied = 0;
  uint64_t files_reused = 0;   // sealed segments taken from the last run without reading
  uint64_t bytes_copied = 0;
  uint64_t bytes_read = 0;
  std::string manifest_path;
};

// Copies what `source` has that `target` lacks and writes a manifest signed by `signer`.
// kFailedPrecondition (nothing written) for a primary that was rolled back or forked, or a
// target holding another store's backups; kDataLoss for a primary whose segments are damaged or
// changed since the previous run; I/O errors as the file system reports them.
Result<BackupReport> RunBackup(BackupSource& source, FileSystem& fs, const std::string& target,
                               const ManifestSigner& signer, Clock& clock, const BackupOptions& options = {});

// One problem a check found, with where it is.
struct BackupProblem {
  std::string file;              // the damaged or missing file in the target
  std::optional<uint64_t> offset;
  std::string message;
};

struct CheckOptions {
  bool read_data = false;                          // also verify the reconstructed journal
  const journal::SignedHead* trusted_head = nullptr;
  int threads = 2;
};

struct CheckReport {
  bool intact = false;
  uint64_t manifests = 0;
  uint64_t objects = 0;
  uint64_t bytes = 0;
  uint64_t latest_run = 0;
  journal::SignedHead latest_head;
  bool data_read = false;                  // the journal was verified (read_data)
  std::vector<BackupProblem> problems;     // damage: any makes intact false
  std::vector<std::string> notes;          // not damage (leftover temporary files)
};

// Checks a backup without the primary and without keys: every manifest's signature, the
// chain of runs, every object's SHA-256 and size; with read_data, the journal rebuilt from the
// latest manifest as `ura verify` checks it, and every older run's head in it. Errors only if
// the check could not run (no such target).
Result<CheckReport> CheckBackup(FileSystem& fs, const std::string& target, const CheckOptions& options);

// --- Shared by check and restore ---------------------------------------------------------

struct LoadedManifest {
  Manifest manifest;
  std::string path;
  std::string file_sha256;  // hex of the manifest file's bytes (the next run's "previous")
};

// Every manifest in the target in run order; damaged ones are reported in `problems` (if
// given) and left out.
Result<std::vector<LoadedManifest>> LoadManifests(FileSystem& fs, const std::string& target,
                                                  std::vector<BackupProblem>* problems);

std::string ObjectPath(const std::string& target, const crypto::Hash256& sha256);

// A head frame of a journal: (tree size, root, time), in journal order.
struct HeadFrame {
  uint64_t tree_size = 0;
  crypto::Hash256 root{};
  int64_t timestamp_us = 0;
};
// Every signed head frame in the journal at `journal_dir`, structurally (checksums only): call
// it on a journal VerifyJournal found intact, which checked every head's root and signature.
Result<std::vector<HeadFrame>> ListHeadFrames(FileSystem& fs, const std::string& journal_dir);

// Where a damaged segment's bytes first fail to parse or verify on their own (from its
// header), or nullopt. For naming a byte offset in a damaged backup object.
std::optional<uint64_t> LocateSegmentDamage(ByteView data, uint64_t segment_index, const journal::StoreMeta& meta);

}  // namespace ura::recovery
