// Helpers for tests of the journal and everything above it: temporary directories and
// stores unlocked by a key file (no Argon2 cost). Not for production code.
#pragma once

#include <memory>
#include <string>

#include "journal/journal.h"

namespace ura::journal::testing {

// A fresh directory under /tmp, removed when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return JoinPath(path_, name); }

 private:
  std::string path_;
};

// A deterministic key-file secret (tests only).
KeySecret TestSecret(uint8_t fill = 0x5a);

// A new store in `dir` (under TestSecret(), with a fast key derivation), open for writing.
Result<std::unique_ptr<Journal>> NewTestStore(const std::string& dir);

// Payload of entry `seq` in tests that check content after crashes: "entry-<seq>-<pad>".
std::string TestPayload(uint64_t seq, size_t size = 64);

}  // namespace ura::journal::testing
