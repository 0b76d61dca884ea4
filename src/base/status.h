// Status and Result<T>: how every expected failure in Ura travels.
//
// Functions that can fail return `Status` (no value) or `Result<T>` (a value or a
// Status). Exceptions are used only where a library throws, and are caught at the
// edge of the module that calls it. Codes (in the spirit of absl::StatusCode):
//
//   kInvalidArgument    the caller's input is wrong (bad flag, malformed file, bad value)
//   kNotFound           a named thing does not exist (store, entry, file)
//   kAlreadyExists      refusing to overwrite (e.g. `ura init` on an existing store)
//   kFailedPrecondition the system is not in a state where this works (store damaged,
//                       opened read-only, wrong passphrase/key)
//   kPermissionDenied   access control refused, or the OS refused (EACCES, EROFS)
//   kResourceExhausted  disk full (ENOSPC), limits exceeded
//   kDataLoss           stored data is corrupt; `Corruption` adds where it is
//   kUnavailable        transient: retry may succeed
//   kIoError            any other operating-system I/O failure (EIO ...)
//   kInternal           a bug in Ura
//
// A Status is cheap to copy when OK. It is not thread-safe to mutate one from two
// threads; distinct Status values are independent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ura {

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kPermissionDenied,
  kResourceExhausted,
  kDataLoss,
  kUnavailable,
  kIoError,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

// Where corrupt data was found. Fields that do not apply stay unset.
struct CorruptionLocation {
  std::string file;                  // path of the damaged file
  std::optional<uint64_t> offset;    // byte offset within `file`
  std::optional<uint64_t> sequence;  // first affected journal sequence number
  std::string kind;                  // short machine-readable kind, e.g. "header-checksum"
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::optional<CorruptionLocation>& corruption() const { return corruption_; }

  // Returns a copy with `context` prepended: "context: message".
  Status WithContext(std::string_view context) const;
  Status WithCorruption(CorruptionLocation where) const;

  // "DATA_LOSS: message" (plus location for corruption).
  std::string ToString() const;

  // Marks a deliberately ignored status; grep for IgnoreError to find them.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::optional<CorruptionLocation> corruption_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status PermissionDenied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
Status Corruption(std::string message, CorruptionLocation where);

// Maps an errno value from a failed system call on `path` to a Status with a message
// that says what to do (disk full, read-only file system, permission).
Status ErrnoStatus(int err, std::string_view operation, std::string_view path);

// Result<T>: either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}      // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace ura

#define URA_CONCAT_INNER_(a, b) a##b
#define URA_CONCAT_(a, b) URA_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define URA_RETURN_IF_ERROR(expr)            \
  do {                                       \
    ::ura::Status ura_status_ = (expr);      \
    if (!ura_status_.ok()) return ura_status_; \
  } while (0)

// `URA_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result or returns its Status.
#define URA_ASSIGN_OR_RETURN(decl, expr) \
  URA_ASSIGN_OR_RETURN_IMPL_(URA_CONCAT_(ura_result_, __LINE__), decl, expr)
#define URA_ASSIGN_OR_RETURN_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  decl = std::move(tmp).value()
