// FaultFileSystem: a FileSystem wrapper for tests that fails the Nth write, sync, rename
// or file creation with a chosen errno (EIO, ENOSPC ...) and simulates power loss by
// cutting every file back to what was last synced. Modelled on LevelDB's
// fault_injection_test.cc. A failed write first writes half its bytes, as a real disk
// can, so callers must cope with a torn write.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "base/file_system.h"

namespace ura {

class FaultFileSystem final : public FileSystem {
 public:
  enum class Op : uint8_t { kWrite = 0, kSync, kRename, kCreate, kCount };

  explicit FaultFileSystem(FileSystem& base) : base_(base) {}

  // Fails the `nth` (1-based, counted from now on) operation of kind `op` with `err`.
  // With `sticky`, every later operation of that kind fails too (a disk that stays full).
  void FailAt(Op op, uint64_t nth, int err, bool sticky = false);
  void ClearFaults();
  // Operations of kind `op` seen so far (including failed ones).
  uint64_t Count(Op op) const;
  bool Injected() const;  // whether any fault fired

  // Power loss: every file written through this object is cut back to its synced length.
  Status DropUnsyncedData();

  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path,
                                                     OpenMode mode) override;
  Result<std::unique_ptr<ReadableFile>> OpenReadable(const std::string& path) override {
    return base_.OpenReadable(path);
  }
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status CreateDir(const std::string& path) override { return base_.CreateDir(path); }
  Status SyncDir(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    return base_.ListDir(path);
  }
  bool Exists(const std::string& path) override { return base_.Exists(path); }
  Status MakeReadOnly(const std::string& path) override { return base_.MakeReadOnly(path); }

  // Used by the file wrapper.
  int CheckFault(Op op);  // 0 or the errno to fail with
  void NoteSize(const std::string& path, uint64_t size, bool synced);

 private:
  struct Fault {
    uint64_t at = 0;  // absolute op count that fails; 0 = none
    int err = 0;
    bool sticky = false;
  };
  FileSystem& base_;
  mutable std::mutex mu_;
  uint64_t counts_[static_cast<int>(Op::kCount)] = {};
  Fault faults_[static_cast<int>(Op::kCount)];
  bool injected_ = false;
  std::map<std::string, uint64_t> synced_size_;
};

}  // namespace ura
