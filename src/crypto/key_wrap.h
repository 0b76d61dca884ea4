// Key derivation and key wrapping through libsodium.
//
// - DeriveKeyArgon2id: the key-encryption key (KEK) from a passphrase (Argon2id v1.3).
// - WrapKey / UnwrapKey: XChaCha20-Poly1305 with a random 24-byte nonce, so wrapping is
//   safe with random nonces; used for the few, small secrets in the keyring.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secret.h"

namespace ura::crypto {

inline constexpr size_t kKekSize = 32;
inline constexpr size_t kKdfSaltSize = 16;

struct Argon2Params {
  uint64_t ops_limit = 3;
  uint64_t mem_limit_bytes = 64ull << 20;  // 64 MiB
};

Result<SecretBytes> DeriveKeyArgon2id(std::string_view passphrase, ByteView salt,
                                      const Argon2Params& params);

// Returns nonce(24) || ciphertext || tag(16). `aad` binds the wrap to its context
// (e.g. the store id and key id) so wrapped keys cannot be swapped between slots.
Bytes WrapKey(const SecretBytes& kek, ByteView aad, ByteView key);
// kFailedPrecondition if the KEK is wrong (wrong passphrase or key file) or data altered.
Result<SecretBytes> UnwrapKey(const SecretBytes& kek, ByteView aad, ByteView wrapped);

}  // namespace ura::crypto
