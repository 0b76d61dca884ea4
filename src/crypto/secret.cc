#include "crypto/secret.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
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

namespace ura::crypto {

Result<SecretBytes> DeriveKey(ByteView key, ByteView salt, std::string_view info, size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return Internal("OpenSSL: HKDF is not available");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return Internal("OpenSSL: cannot create an HKDF context");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(key.data()), key.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<uint8_t*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
      OSSL_PARAM_construct_end()};
  SecretBytes out(length);
  const int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) return Internal("OpenSSL: HKDF failed");
  return out;
}

}  // namespace ura::crypto
