#include "crypto/secret.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdlib>

namespace ura::crypto {

SecretBytes::~SecretBytes() {
  if (!data_.empty()) OPENSSL_cleanse(data_.data(), data_.size());
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    if (!data_.empty()) OPENSSL_cleanse(data_.data(), data_.size());
    data_ = std::move(other.data_);
  }
  return *this;
}

void RandomBytes(uint8_t* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    // No randomness means no safe keys or ids: a programmer/environment fault we cannot
    // recover from. This is the one place Ura aborts instead of returning an error.
    std::abort();
  }
}

Bytes RandomBytes(size_t n) {
  Bytes out(n);
  RandomBytes(out.data(), n);
  return out;
}

}  // namespace ura::crypto
