#include "crypto/aead.h"

#include <openssl/evp.h>

namespace ura::crypto {

struct Aead::State {
  EVP_CIPHER* cipher = nullptr;
  EVP_CIPHER_CTX* seal_ctx = nullptr;
  EVP_CIPHER_CTX* open_ctx = nullptr;
  SecretBytes key;
  ~State() {
    EVP_CIPHER_CTX_free(seal_ctx);
    EVP_CIPHER_CTX_free(open_ctx);
    EVP_CIPHER_free(cipher);
  }
};

Aead::Aead() : state_(std::make_unique<State>()) {}
Aead::~Aead() = default;

Result<std::unique_ptr<Aead>> Aead::Create(ByteView key) {
  if (key.size() != kAeadKeySize) return InvalidArgument("AEAD key must be 32 bytes");
  std::unique_ptr<Aead> aead(new Aead());
  State& s = *aead->state_;
  s.cipher = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  s.seal_ctx = EVP_CIPHER_CTX_new();
  s.open_ctx = EVP_CIPHER_CTX_new();
  if (!s.cipher || !s.seal_ctx || !s.open_ctx) return Internal("OpenSSL ChaCha20-Poly1305 unavailable");
  s.key = SecretBytes(key);
  // Key the contexts once; each call only sets the nonce.
  if (EVP_EncryptInit_ex2(s.seal_ctx, s.cipher, s.key.data(), nullptr, nullptr) != 1 ||
      EVP_DecryptInit_ex2(s.open_ctx, s.cipher, s.key.data(), nullptr, nullptr) != 1) {
    return Internal("OpenSSL cipher initialisation failed");
  }
  return aead;
}

Status Aead::Seal(ByteView nonce, ByteView aad, ByteView plaintext, Bytes& out) {
  if (nonce.size() != kAeadNonceSize) return InvalidArgument("AEAD nonce must be 12 bytes");
  EVP_CIPHER_CTX* ctx = state_->seal_ctx;
  int len = 0;
  size_t base = out.size();
  out.resize(base + plaintext.size() + kAeadTagSize);
  if (EVP_EncryptInit_ex2(ctx, nullptr, nullptr, nonce.data(), nullptr) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), int(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx, out.data() + base, &len, plaintext.data(),
                        int(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx, out.data() + base + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, int(kAeadTagSize),
                          out.data() + base + plaintext.size()) != 1) {
    out.resize(base);
    return Internal("OpenSSL encryption failed");
  }
  return Status::Ok();
}

Status Aead::Open(ByteView nonce, ByteView aad, ByteView ct, Bytes& out) {
  if (nonce.size() != kAeadNonceSize) return InvalidArgument("AEAD nonce must be 12 bytes");
  if (ct.size() < kAeadTagSize) return Status(StatusCode::kDataLoss, "ciphertext shorter than its tag");
  EVP_CIPHER_CTX* ctx = state_->open_ctx;
  size_t text_len = ct.size() - kAeadTagSize;
  size_t base = out.size();
  out.resize(base + text_len);
  int len = 0;
  Bytes tag(ct.end() - kAeadTagSize, ct.end());
  bool ok = EVP_DecryptInit_ex2(ctx, nullptr, nullptr, nonce.data(), nullptr) == 1 &&
            (aad.empty() || EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), int(aad.size())) == 1) &&
            EVP_DecryptUpdate(ctx, out.data() + base, &len, ct.data(), int(text_len)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, int(kAeadTagSize), tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx, out.data() + base + len, &len) == 1;
  if (!ok) {
    out.resize(base);
    return Status(StatusCode::kDataLoss, "authentication failed (wrong key or altered data)");
  }
  return Status::Ok();
}

}  // namespace ura::crypto
