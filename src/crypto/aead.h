// ChaCha20-Poly1305 (RFC 8439) through OpenSSL 3 EVP: the journal's entry encryption.
// 32-byte key, 12-byte nonce, 16-byte tag. The caller guarantees a nonce is never reused
// with the same key (the journal's nonce scheme, docs/journal-format.md).
//
// An Aead owns an OpenSSL cipher context: not thread-safe; use one per thread.
#pragma once

#include <memory>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secret.h"

namespace ura::crypto {

inline constexpr size_t kAeadKeySize = 32;
inline constexpr size_t kAeadNonceSize = 12;
inline constexpr size_t kAeadTagSize = 16;

class Aead {
 public:
  // Fails with kInvalidArgument unless the key is 32 bytes.
  static Result<std::unique_ptr<Aead>> Create(ByteView key);
  ~Aead();

  // Appends ciphertext || tag (plaintext.size() + 16 bytes) to `out`.
  Status Seal(ByteView nonce, ByteView aad, ByteView plaintext, Bytes& out);
  // Appends the plaintext to `out`; kDataLoss if the tag does not verify.
  Status Open(ByteView nonce, ByteView aad, ByteView ciphertext_and_tag, Bytes& out);

 private:
  Aead();
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ura::crypto
