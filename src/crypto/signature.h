// Ed25519 signatures (RFC 8032) through OpenSSL 3. Signed tree heads, manifests and
// exchange packages use these. Objects are immutable after creation and thread-safe.
#pragma once

#include <array>
#include <memory>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secret.h"

namespace ura::crypto {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

using PublicKey = std::array<uint8_t, kEd25519PublicKeySize>;
using Signature = std::array<uint8_t, kEd25519SignatureSize>;

class Ed25519Signer {
 public:
  static std::unique_ptr<Ed25519Signer> Generate();
  // From a 32-byte private seed (as stored, wrapped, in the keyring).
  static Result<std::unique_ptr<Ed25519Signer>> FromSeed(ByteView seed);
  ~Ed25519Signer();

  Signature Sign(ByteView message) const;
  const PublicKey& public_key() const { return public_key_; }
  // The 32-byte seed; secret.
  SecretBytes ExportSeed() const;

 private:
  Ed25519Signer() = default;
  struct State;
  std::unique_ptr<State> state_;
  PublicKey public_key_{};
};

// True only if `signature` is a valid Ed25519 signature of `message` under `public_key`.
bool VerifyEd25519(ByteView public_key, ByteView message, ByteView signature);

}  // namespace ura::crypto
