#include "access/totp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>

#include "crypto/secret.h"

namespace ura::access {
namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int64_t StepOf(int64_t unix_seconds) {
  if (unix_seconds < 0) return 0;  // before 1970: not a time a log-on happens
  return unix_seconds / kTotpStepSeconds;
}

void PercentEncode(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
}

}  // namespace

Bytes NewTotpSecret() { return crypto::RandomBytes(kTotpSecretBytes); }

std::string Base32Encode(ByteView data) {
  std::string out;
  out.reserve((data.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kBase32Alphabet[(buffer >> bits) & 0x1f];
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1f];
  return out;
}

Result<Bytes> Base32Decode(std::string_view text) {
  Bytes out;
  uint32_t buffer = 0;
  int bits = 0;
  size_t symbols = 0;
  bool padding = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    else if (c >= 'a' && c <= 'z') value = c - 'a';
    else if (c >= '2' && c <= '7') value = c - '2' + 26;
    if (value < 0 || padding) {
      return InvalidArgument("base32: character " + std::to_string(i + 1) +
                             " is not one of A-Z and 2-7 (or it follows the '=' padding)");
    }
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    ++symbols;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(buffer >> bits));
    }
  }
  const size_t rest = symbols % 8;
  if (rest == 1 || rest == 3 || rest == 6) return InvalidArgument("base32: the text is truncated (wrong length)");
  return out;
}

std::string TotpUri(std::string_view issuer, std::string_view user, ByteView secret) {
  std::string uri = "otpauth://totp/";
  PercentEncode(issuer, uri);
  uri += ':';
  PercentEncode(user, uri);
  uri += "?secret=" + Base32Encode(secret) + "&issuer=";
  PercentEncode(issuer, uri);
  uri += "&algorithm=SHA1&digits=6&period=" + std::to_string(kTotpStepSeconds);
  return uri;
}

std::string HotpCode(ByteView secret, uint64_t step, int digits) {
  digits = std::clamp(digits, 1, 9);
  uint8_t counter[8];
  for (int i = 7; i >= 0; --i) {
    counter[i] = static_cast<uint8_t>(step);
    step >>= 8;
  }
  uint8_t mac[EVP_MAX_MD_SIZE];
  size_t mac_size = 0;
  // An empty key is still a key to HMAC; OpenSSL wants a non-null pointer for it.
  static const uint8_t kEmpty = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA1", nullptr, secret.empty() ? &kEmpty : secret.data(), secret.size(),
                counter, sizeof(counter), mac, sizeof(mac), &mac_size) == nullptr ||
      mac_size != 20) {
    std::abort();  // HMAC-SHA1 missing from OpenSSL's default provider: a broken installation
  }
  // RFC 4226 §5.3, dynamic truncation.
  const int offset = mac[19] & 0x0f;
  const uint32_t binary = (uint32_t(mac[offset] & 0x7f) << 24) | (uint32_t(mac[offset + 1]) << 16) |
                          (uint32_t(mac[offset + 2]) << 8) | uint32_t(mac[offset + 3]);
  OPENSSL_cleanse(mac, sizeof(mac));
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  if (code.size() < static_cast<size_t>(digits)) code.insert(0, static_cast<size_t>(digits) - code.size(), '0');
  return code;
}

std::string TotpCode(ByteView secret, int64_t unix_seconds, int digits) {
  return HotpCode(secret, static_cast<uint64_t>(StepOf(unix_seconds)), digits);
}

bool CheckTotp(ByteView secret, std::string_view code, int64_t unix_seconds, int window, int64_t* last_step) {
  constexpr int kDigits = 6;
  if (code.size() != kDigits || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  window = std::clamp(window, 0, 10);
  const int64_t now_step = StepOf(unix_seconds);
  int64_t matched = -1;
  // Every candidate is computed and compared, so the time taken does not say which matched.
  for (int64_t step = now_step - window; step <= now_step + window; ++step) {
    if (step < 0) continue;
    const std::string expected = HotpCode(secret, static_cast<uint64_t>(step), kDigits);
    const bool equal = CRYPTO_memcmp(expected.data(), code.data(), kDigits) == 0;
    const bool fresh = last_step == nullptr || step > *last_step;
    if (equal && fresh && matched < 0) matched = step;
  }
  if (matched < 0) return false;
  if (last_step != nullptr) *last_step = matched;
  return true;
}

}  // namespace ura::access
