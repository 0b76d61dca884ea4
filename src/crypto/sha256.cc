// Uses OpenSSL's SHA256_Init/Update/Final rather than EVP or the one-shot SHA256(): for the
// small inputs of a Merkle tree (leaves of a few hundred bytes, 65-byte nodes) EVP's per-call
// algorithm fetch (under a lock, in OpenSSL 3 also behind SHA256()) costs more than the
// hashing itself. They are the same OpenSSL code (with SHA-NI), only deprecated in favour of
// EVP; bench/append_breakdown.cc measures the difference (bench/RESULTS.md).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/sha256.h"

#include <openssl/sha.h>

namespace ura::crypto {

Hash256 Sha256(ByteView data) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  Hash256 out;
  SHA256_Final(out.data(), &ctx);
  return out;
}

Hash256 MerkleLeafHash(ByteView data) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  const uint8_t prefix = 0x00;
  SHA256_Update(&ctx, &prefix, 1);
  SHA256_Update(&ctx, data.data(), data.size());
  Hash256 out;
  SHA256_Final(out.data(), &ctx);
  return out;
}

Hash256 MerkleNodeHash(const Hash256& left, const Hash256& right) {
  uint8_t buf[65];
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf + 1);
  std::copy(right.begin(), right.end(), buf + 33);
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, buf, sizeof buf);
  Hash256 out;
  SHA256_Final(out.data(), &ctx);
  return out;
}

struct Sha256Hasher::State {
  SHA256_CTX ctx;
};

Sha256Hasher::Sha256Hasher() : state_(std::make_unique<State>()) { SHA256_Init(&state_->ctx); }
Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(ByteView data) { SHA256_Update(&state_->ctx, data.data(), data.size()); }

Hash256 Sha256Hasher::Final() {
  Hash256 out;
  SHA256_Final(out.data(), &state_->ctx);
  SHA256_Init(&state_->ctx);
  return out;
}

}  // namespace ura::crypto
