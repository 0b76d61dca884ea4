#include "crypto/key_wrap.h"

#include <sodium.h>

#include <cstdlib>

namespace ura::crypto {
namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // libsodium cannot start: no safe randomness
}

}  // namespace

Result<SecretBytes> DeriveKeyArgon2id(std::string_view passphrase, ByteView salt,
                                      const Argon2Params& params) {
  EnsureSodium();
  if (salt.size() != crypto_pwhash_SALTBYTES) return InvalidArgument("Argon2id salt must be 16 bytes");
  if (params.ops_limit < crypto_pwhash_OPSLIMIT_MIN ||
      params.mem_limit_bytes < crypto_pwhash_MEMLIMIT_MIN) {
    return InvalidArgument("Argon2id parameters below libsodium's minimum");
  }
  SecretBytes key(kKekSize);
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(),
                    params.ops_limit, params.mem_limit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ResourceExhausted("Argon2id key derivation ran out of memory");
  }
  return key;
}

Bytes WrapKey(const SecretBytes& kek, ByteView aad, ByteView key) {
  EnsureSodium();
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  Bytes out(kNonce + key.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf(out.data(), kNonce);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kNonce, &len, key.data(), key.size(),
                                             aad.data(), aad.size(), nullptr, out.data(),
                                             kek.data());
  out.resize(kNonce + len);
  return out;
}

Result<SecretBytes> UnwrapKey(const SecretBytes& kek, ByteView aad, ByteView wrapped) {
  EnsureSodium();
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (wrapped.size() < kNonce + kTag) return FailedPrecondition("wrapped key is truncated");
  SecretBytes key(wrapped.size() - kNonce - kTag);
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(key.data(), &len, nullptr,
                                                 wrapped.data() + kNonce, wrapped.size() - kNonce,
                                                 aad.data(), aad.size(), wrapped.data(),
                                                 kek.data()) != 0) {
    return FailedPrecondition("cannot unlock the keyring: wrong passphrase or key file");
  }
  return key;
}

}  // namespace ura::crypto
