// X25519 public-key encryption and key agreement through libsodium, and HMAC-SHA256 through
// OpenSSL: what the exchange with partner forces needs (src/exchange).
//
// - BoxKeyPair: an X25519 key pair derived from a 32-byte seed (crypto_box_seed_keypair), so
//   only the seed is stored, wrapped like other key material.
// - SealToRecipient / OpenSealed: libsodium's sealed box (ephemeral X25519 + XSalsa20-Poly1305;
//   48 bytes of overhead). The sender is anonymous to the box; callers sign inside it.
// - SharedSecret: X25519 of our secret key and their public key (crypto_scalarmult), for a
//   pairwise key both parties derive alike; never used as a key directly (run it through HKDF).
// Stateless and thread-safe.
#pragma once

#include <array>
#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secret.h"
#include "crypto/sha256.h"

namespace ura::crypto {

inline constexpr size_t kX25519KeySize = 32;
inline constexpr size_t kSealOverhead = 48;  // crypto_box_SEALBYTES

using BoxPublicKey = std::array<uint8_t, kX25519KeySize>;

struct BoxKeyPair {
  BoxPublicKey public_key{};
  SecretBytes secret_key;  // 32 bytes
};

// kInvalidArgument unless the seed is 32 bytes.
Result<BoxKeyPair> BoxKeyPairFromSeed(ByteView seed);

// Appends the sealed box (plaintext.size() + 48 bytes) of `plaintext` for `recipient`.
Bytes SealToRecipient(const BoxPublicKey& recipient, ByteView plaintext);
// kDataLoss if the box does not open with this key pair (damaged, or sealed for another key).
Result<SecretBytes> OpenSealed(const BoxKeyPair& keys, ByteView sealed);

// X25519(our secret, their public). kInvalidArgument for a low-order public key (the result
// would be all zeros).
Result<SecretBytes> SharedSecret(const BoxKeyPair& ours, const BoxPublicKey& theirs);

// HMAC-SHA256 (RFC 2104) of `message` under `key`.
Hash256 HmacSha256(ByteView key, ByteView message);

}  // namespace ura::crypto
