// Where `ura backup` reads from. A BackupSource names the files of a store that a backup
// keeps (store.json, the wrapped keyring, the journal's segments) and the latest signed head,
// and opens them for reading byte ranges. LocalStoreSource reads a store directory on this
// machine; a source that pulls from a primary over HTTPS (issue 6, point 2) implements the
// same interface, so the backup engine (backup.h) does not change.
//
// A snapshot is taken as of the latest signed head: the open segment is listed only up to the
// byte just after that head, so entries a writer is appending meanwhile are never copied.
// Implementations are used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "journal/keys.h"
#include "journal/tree_head.h"

namespace ura::recovery {

struct SourceFile {
  std::string path;     // relative to the store: "store.json", "keys/keyring.json", "journal/seg-....ura"
  uint64_t size = 0;    // bytes to copy (the open segment: up to the end of its latest signed head)
  bool segment = false; // a journal segment (its bytes are validated before they are kept)
  bool sealed = false;  // a segment that is no longer appended to (only ever the same bytes)
};

struct SourceSnapshot {
  journal::StoreMeta meta;
  journal::SignedHead head;        // the latest signed head; the files cover exactly its tree
  std::vector<SourceFile> files;   // store.json first, then keys/, then segments in order
};

class BackupSource {
 public:
  virtual ~BackupSource() = default;
  // The files to keep and the head they are taken at. kNotFound if there is no store.
  virtual Result<SourceSnapshot> Snapshot() = 0;
  // Opens one file of the snapshot for ReadAt; reads past SourceFile::size are not made.
  virtual Result<std::unique_ptr<ReadableFile>> Open(const SourceFile& file) = 0;
  // For messages and the manifest: "local:/srv/ura", "https://primary".
  virtual std::string Describe() const = 0;
};

// A store directory on this machine, read through `fs`. Needs no keys and no lock: the
// journal is append-only and the snapshot stops at a signed head.
class LocalStoreSource final : public BackupSource {
 public:
  LocalStoreSource(FileSystem& fs, std::string store_dir) : fs_(fs), paths_(std::move(store_dir)) {}
  Result<SourceSnapshot> Snapshot() override;
  Result<std::unique_ptr<ReadableFile>> Open(const SourceFile& file) override;
  std::string Describe() const override { return "local:" + paths_.dir; }

 private:
  FileSystem& fs_;
  journal::StorePaths paths_;
};

}  // namespace ura::recovery
