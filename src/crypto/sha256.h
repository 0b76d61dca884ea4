// SHA-256 through OpenSSL 3 (SHA-NI where the CPU has it), plus the two RFC 9162 Merkle
// hash forms. Stateless functions are thread-safe; a Sha256Hasher belongs to one thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "base/bytes.h"

namespace ura::crypto {

using Hash256 = std::array<uint8_t, 32>;

Hash256 Sha256(ByteView data);

// RFC 9162 §2.1.1: leaf hash = SHA-256(0x00 || data).
Hash256 MerkleLeafHash(ByteView data);
// RFC 9162 §2.1.1: interior node = SHA-256(0x01 || left || right).
Hash256 MerkleNodeHash(const Hash256& left, const Hash256& right);

// Incremental hashing of a long stream.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(ByteView data);
  Hash256 Final();  // the hasher is reset afterwards

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ura::crypto
