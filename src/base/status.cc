#include "base/status.h"

#include <cerrno>
#include <cstring>

namespace ura {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case StatusCode::kNotFound: return "NOT_FOUND";
    case StatusCode::kAlreadyExists: return "ALREADY_EXISTS";
    case StatusCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case StatusCode::kPermissionDenied: return "PERMISSION_DENIED";
    case StatusCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case StatusCode::kDataLoss: return "DATA_LOSS";
    case StatusCode::kUnavailable: return "UNAVAILABLE";
    case StatusCode::kIoError: return "IO_ERROR";
    case StatusCode::kInternal: return "INTERNAL";
  }
  return "UNKNOWN";
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  Status s = *this;
  s.message_ = std::string(context) + ": " + message_;
  return s;
}

Status Status::WithCorruption(CorruptionLocation where) const {
  Status s = *this;
  s.corruption_ = std::move(where);
  return s;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = std::string(StatusCodeName(code_)) + ": " + message_;
  return out;
}

Status Corruption(std::string message, CorruptionLocation where) {
  return Status(StatusCode::kDataLoss, std::move(message)).WithCorruption(std::move(where));
}

Status ErrnoStatus(int err, std::string_view operation, std::string_view path) {
  std::string what = std::string(operation) + " " + std::string(path) + ": " + std::strerror(err);
  switch (err) {
    case ENOSPC:
    case EDQUOT:
      return ResourceExhausted(what + " (the disk is full: free space, then retry; nothing "
                                      "unacknowledged was kept)");
    case EROFS:
      return PermissionDenied(what + " (the file system is read-only: remount it read-write "
                                     "or use a writable --data directory)");
    case EACCES:
    case EPERM:
      return PermissionDenied(what + " (check the owner and permissions of the store)");
    case ENOENT:
      return NotFound(what);
    case EEXIST:
      return AlreadyExists(what);
    default:
      return IoError(what);
  }
}

}  // namespace ura
