// FileSystem: every file Ura touches goes through this interface, so tests can inject
// I/O errors (EIO, ENOSPC) at any write, sync or rename and simulate a crash that drops
// what was not synced (see fault_file_system.h). The POSIX implementation is the default.
//
// Implementations are thread-safe for distinct files; a single file handle is not
// thread-safe and must be used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace ura {

// An open file that is only ever extended at its end (or cut back by Truncate).
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(ByteView data) = 0;
  // Makes everything appended so far durable (fdatasync).
  virtual Status Sync() = 0;
  // Cuts the file to `size` bytes and makes that durable.
  virtual Status Truncate(uint64_t size) = 0;
  virtual uint64_t Size() const = 0;
  virtual const std::string& path() const = 0;
};

// An open file read at arbitrary offsets.
class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  // Reads up to `n` bytes at `offset` into `out`; returns the count read (short at EOF).
  virtual Result<size_t> ReadAt(uint64_t offset, size_t n, uint8_t* out) const = 0;
  virtual uint64_t Size() const = 0;
  virtual const std::string& path() const = 0;
};

enum class OpenMode {
  kCreateNew,       // fail with kAlreadyExists if the file exists
  kAppendExisting,  // fail with kNotFound if it does not exist
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path,
                                                             OpenMode mode) = 0;
  virtual Result<std::unique_ptr<ReadableFile>> OpenReadable(const std::string& path) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& path) = 0;
  // Creates one directory (mode 0700). OK if it exists already.
  virtual Status CreateDir(const std::string& path) = 0;
  // fsync on a directory, making renames and creations in it durable.
  virtual Status SyncDir(const std::string& path) = 0;
  // Names of entries in `path`, sorted, without "." and "..".
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
  // Removes write permission (a sealed segment). Root can still write; this guards mistakes.
  virtual Status MakeReadOnly(const std::string& path) = 0;
};

// The real file system. Stateless; `DefaultFileSystem()` returns a process-wide instance.
FileSystem& DefaultFileSystem();

// Reads a whole (small) file.
Result<Bytes> ReadWholeFile(FileSystem& fs, const std::string& path);

// Writes `data` to `path` so that after a crash the path holds either the old content or
// the new, never a mix: write to "path.tmp", sync, rename over `path`, sync the directory.
Status WriteFileAtomically(FileSystem& fs, const std::string& path, ByteView data);

// "dir/name" without doubled slashes.
std::string JoinPath(const std::string& dir, const std::string& name);
std::string DirName(const std::string& path);

}  // namespace ura

namespace ura {

// An exclusive advisory lock (flock) on a file, released when destroyed or when the process
// dies (so a crashed writer never leaves a stale lock). Not through FileSystem: it guards
// processes, not data.
class FileLock {
 public:
  // kUnavailable if another process holds it.
  static Result<std::unique_ptr<FileLock>> Acquire(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace ura
