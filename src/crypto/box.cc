#include "crypto/box.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cstdlib>

namespace ura::crypto {

namespace {

static_assert(crypto_box_SEEDBYTES == kX25519KeySize && crypto_box_PUBLICKEYBYTES == kX25519KeySize &&
              crypto_box_SECRETKEYBYTES == kX25519KeySize && crypto_box_SEALBYTES == kSealOverhead &&
              crypto_scalarmult_BYTES == kX25519KeySize);

void EnsureSodium() {
  static const int ready = sodium_init();
  if (ready < 0) std::abort();  // libsodium cannot run on this system: nothing can be done
}

}  // namespace

Result<BoxKeyPair> BoxKeyPairFromSeed(ByteView seed) {
  EnsureSodium();
  if (seed.size() != crypto_box_SEEDBYTES) return InvalidArgument("an X25519 seed is 32 bytes");
  BoxKeyPair keys;
  keys.secret_key = SecretBytes(kX25519KeySize);
  crypto_box_seed_keypair(keys.public_key.data(), keys.secret_key.data(), seed.data());
  return keys;
}

Bytes SealToRecipient(const BoxPublicKey& recipient, ByteView plaintext) {
  EnsureSodium();
  Bytes out(plaintext.size() + kSealOverhead);
  crypto_box_seal(out.data(), plaintext.data(), plaintext.size(), recipient.data());
  return out;
}

Result<SecretBytes> OpenSealed(const BoxKeyPair& keys, ByteView sealed) {
  EnsureSodium();
  if (sealed.size() < kSealOverhead) return Status(StatusCode::kDataLoss, "the sealed box is shorter than its 48-byte overhead");
  SecretBytes plain(sealed.size() - kSealOverhead);
  if (crypto_box_seal_open(plain.data(), sealed.data(), sealed.size(), keys.public_key.data(),
                           keys.secret_key.data()) != 0) {
    return Status(StatusCode::kDataLoss, "the sealed box does not open: it was altered or sealed for another key");
  }
  return plain;
}

Result<SecretBytes> SharedSecret(const BoxKeyPair& ours, const BoxPublicKey& theirs) {
  EnsureSodium();
  SecretBytes shared(kX25519KeySize);
  if (crypto_scalarmult(shared.data(), ours.secret_key.data(), theirs.data()) != 0) {
    return InvalidArgument("the partner's X25519 public key is of low order (not a usable key)");
  }
  return shared;
}

Hash256 HmacSha256(ByteView key, ByteView message) {
  Hash256 out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), out.data(), &len);
  return out;
}

}  // namespace ura::crypto
