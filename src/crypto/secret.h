// Secret key material: zeroed when destroyed, never printed. Move-only.
#pragma once

#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

#include <string_view>

namespace ura::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t n) : data_(n) {}
  explicit SecretBytes(ByteView from) : data_(from.begin(), from.end()) {}
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) {}
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  uint8_t* data() { return data_.data(); }
  const uint8_t* data() const { return data_.data(); }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  ByteView view() const { return ByteView(data_.data(), data_.size()); }

 private:
  std::vector<uint8_t> data_;
};

// Fills `out` with bytes from the operating system's CSPRNG. Thread-safe.
void RandomBytes(uint8_t* out, size_t n);
Bytes RandomBytes(size_t n);

}  // namespace ura::crypto

namespace ura::crypto {

// HKDF-SHA256 (RFC 5869) through OpenSSL: `length` bytes derived from `key` for the purpose
// named by `info`. kInternal only if OpenSSL fails.
Result<SecretBytes> DeriveKey(ByteView key, ByteView salt, std::string_view info, size_t length = 32);

}  // namespace ura::crypto
