// Internal to src/sealed_db: the "ura-sealed-v1" SQLite VFS, its key registry and the page
// cipher. Callers use sealed_db.h; tests use this header to look inside.
//
// The registry is process-wide because SQLite's VFS layer is: a VFS is registered once per
// process and its xOpen receives only a file name. It maps a database's full path name to its
// key and is guarded by a mutex; every sealed file open on that path holds a reference, and the
// key is wiped when the last reference goes.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/status.h"

namespace ura::sealed_db::internal {

// Pages that failed authentication while a path's key was registered.
struct AuthFailures {
  uint64_t total = 0;
  uint64_t page1 = 0;            // page 1 of the main file: wrong key, or a damaged first page
  uint64_t page1_plaintext = 0;  // ... and that page began with SQLite's plaintext header
  std::string last_file;         // file of the latest failure (main file or -wal)
  uint64_t last_offset = 0;      // its byte offset
};

// Registers the VFS (not as the default) the first time it is called; thread-safe. Fails only
// if libsodium or SQLite cannot start.
Status EnsureVfsRegistered();

// The name SQLite will pass to xOpen for `path` (the unix VFS's xFullPathname).
Result<std::string> FullPathname(const std::string& path);

// A reference to the key registered for one full path name. Acquiring registers the key (or
// checks it equals the one already registered); the key leaves the registry, wiped, when the
// last lease and the last sealed file open on that path are gone. Move-only.
class KeyLease {
 public:
  // kInvalidArgument unless the key is 32 bytes; kFailedPrecondition if another key is
  // registered for the path (the database is open in this process with a different key).
  static Result<KeyLease> Acquire(const std::string& full_path, ByteView key);
  KeyLease(KeyLease&& other) noexcept;
  KeyLease& operator=(KeyLease&&) = delete;
  KeyLease(const KeyLease&) = delete;
  KeyLease& operator=(const KeyLease&) = delete;
  ~KeyLease();

  AuthFailures failures() const;

 private:
  explicit KeyLease(std::string full_path) : full_path_(std::move(full_path)) {}
  std::string full_path_;  // empty once moved from
};

// True while a key is registered for `full_path` (tests check keys are forgotten).
bool IsKeyRegistered(const std::string& full_path);

// The page cipher. `key` is 32 bytes. SealPage encrypts bytes [0, 4056) of `plaintext` into
// `sealed` and writes a fresh random nonce and the tag into its last 40 bytes; the two buffers
// are distinct. OpenPage authenticates and decrypts (in place if `sealed == plaintext`); on
// success bytes [4056, 4096) of the output are zero, on failure all 4096 are.
void SealPage(const uint8_t* key, uint32_t page_number, const uint8_t* plaintext, uint8_t* sealed);
[[nodiscard]] bool OpenPage(const uint8_t* key, uint32_t page_number, const uint8_t* sealed,
                            uint8_t* plaintext);

}  // namespace ura::sealed_db::internal
