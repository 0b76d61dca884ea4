#include "base/fault_file_system.h"

namespace ura {
namespace {

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(FaultFileSystem& fs, std::unique_ptr<WritableFile> base)
      : fs_(fs), base_(std::move(base)) {}

  Status Append(ByteView data) override {
    if (int err = fs_.CheckFault(FaultFileSystem::Op::kWrite)) {
      // A torn write: half the bytes reach the file, then the error.
      base_->Append(data.first(data.size() / 2)).IgnoreError();
      fs_.NoteSize(path(), base_->Size(), false);
      return ErrnoStatus(err, "write", path());
    }
    Status s = base_->Append(data);
    fs_.NoteSize(path(), base_->Size(), false);
    return s;
  }
  Status Sync() override {
    if (int err = fs_.CheckFault(FaultFileSystem::Op::kSync)) {
      return ErrnoStatus(err, "fdatasync", path());
    }
    Status s = base_->Sync();
    if (s.ok()) fs_.NoteSize(path(), base_->Size(), true);
    return s;
  }
  Status Truncate(uint64_t size) override {
    if (int err = fs_.CheckFault(FaultFileSystem::Op::kWrite)) {
      return ErrnoStatus(err, "truncate", path());
    }
    Status s = base_->Truncate(size);
    if (s.ok()) fs_.NoteSize(path(), base_->Size(), true);
    return s;
  }
  uint64_t Size() const override { return base_->Size(); }
  const std::string& path() const override { return base_->path(); }

 private:
  FaultFileSystem& fs_;
  std::unique_ptr<WritableFile> base_;
};

}  // namespace

void FaultFileSystem::FailAt(Op op, uint64_t nth, int err, bool sticky) {
  std::lock_guard lock(mu_);
  int i = static_cast<int>(op);
  faults_[i] = Fault{counts_[i] + nth, err, sticky};
}

void FaultFileSystem::ClearFaults() {
  std::lock_guard lock(mu_);
  for (auto& f : faults_) f = Fault{};
}

uint64_t FaultFileSystem::Count(Op op) const {
  std::lock_guard lock(mu_);
  return counts_[static_cast<int>(op)];
}

bool FaultFileSystem::Injected() const {
  std::lock_guard lock(mu_);
  return injected_;
}

int FaultFileSystem::CheckFault(Op op) {
  std::lock_guard lock(mu_);
  int i = static_cast<int>(op);
  uint64_t n = ++counts_[i];
  const Fault& f = faults_[i];
  if (f.at != 0 && (n == f.at || (f.sticky && n > f.at))) {
    injected_ = true;
    return f.err;
  }
  return 0;
}

void FaultFileSystem::NoteSize(const std::string& path, uint64_t size, bool synced) {
  std::lock_guard lock(mu_);
  auto it = synced_size_.find(path);
  if (synced) {
    synced_size_[path] = size;
  } else if (it == synced_size_.end()) {
    synced_size_[path] = 0;  // created through us; nothing synced yet
  }
}

Result<std::unique_ptr<WritableFile>> FaultFileSystem::OpenWritable(const std::string& path,
                                                                    OpenMode mode) {
  if (mode == OpenMode::kCreateNew) {
    if (int err = CheckFault(Op::kCreate)) return ErrnoStatus(err, "open", path);
  }
  URA_ASSIGN_OR_RETURN(auto file, base_.OpenWritable(path, mode));
  {
    std::lock_guard lock(mu_);
    // Content that existed before we saw the file counts as synced.
    if (!synced_size_.count(path)) synced_size_[path] = file->Size();
  }
  return std::unique_ptr<WritableFile>(new FaultWritableFile(*this, std::move(file)));
}

Status FaultFileSystem::Rename(const std::string& from, const std::string& to) {
  if (int err = CheckFault(Op::kRename)) return ErrnoStatus(err, "rename", from);
  URA_RETURN_IF_ERROR(base_.Rename(from, to));
  std::lock_guard lock(mu_);
  auto it = synced_size_.find(from);
  if (it != synced_size_.end()) {
    synced_size_[to] = it->second;
    synced_size_.erase(it);
  }
  return Status::Ok();
}

Status FaultFileSystem::Remove(const std::string& path) {
  URA_RETURN_IF_ERROR(base_.Remove(path));
  std::lock_guard lock(mu_);
  synced_size_.erase(path);
  return Status::Ok();
}

Status FaultFileSystem::SyncDir(const std::string& path) {
  if (int err = CheckFault(Op::kSync)) return ErrnoStatus(err, "fsync directory", path);
  return base_.SyncDir(path);
}

Status FaultFileSystem::DropUnsyncedData() {
  std::map<std::string, uint64_t> sizes;
  {
    std::lock_guard lock(mu_);
    sizes = synced_size_;
  }
  for (const auto& [path, size] : sizes) {
    if (!base_.Exists(path)) continue;
    URA_ASSIGN_OR_RETURN(auto file, base_.OpenWritable(path, OpenMode::kAppendExisting));
    if (file->Size() > size) URA_RETURN_IF_ERROR(file->Truncate(size));
  }
  return Status::Ok();
}

}  // namespace ura
