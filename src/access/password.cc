#include "access/password.h"

#include <sodium.h>

#include <charconv>
#include <cstdlib>
#include <set>
#include <vector>

#include "base/bytes.h"
#include "crypto/secret.h"
#include "crypto/sha256.h"

namespace ura::access {
namespace {

static_assert(kMinimumPasswordCost.ops_limit == crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kMinimumPasswordCost.mem_limit_bytes == crypto_pwhash_argon2id_MEMLIMIT_MIN);

constexpr std::string_view kArgon2idPrefix = crypto_pwhash_argon2id_STRPREFIX;  // "$argon2id$"

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // libsodium cannot start: no safe randomness
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool ContainsIgnoringCase(std::string_view haystack, std::string_view needle) {
  if (needle.empty() || needle.size() > haystack.size()) return false;
  for (size_t start = 0; start + needle.size() <= haystack.size(); ++start) {
    size_t k = 0;
    while (k < needle.size() && AsciiLower(haystack[start + k]) == AsciiLower(needle[k])) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

// Splits valid UTF-8 into code points (as their byte sequences); false if not valid UTF-8.
bool SplitUtf8(std::string_view s, std::vector<std::string_view>* out) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    out->push_back(s.substr(i, n));
    i += n;
  }
  return true;
}

// Reads "NAME=DIGITS" at `text`'s start; advances `text` past it.
bool ReadParam(std::string_view& text, std::string_view name, uint64_t* value) {
  if (text.substr(0, name.size()) != name || text.size() <= name.size() || text[name.size()] != '=') return false;
  text.remove_prefix(name.size() + 1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  if (ec != std::errc() || end == text.data()) return false;
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return true;
}

}  // namespace

Status CheckPasswordQuality(std::string_view password, std::string_view user_name) {
  std::vector<std::string> needs;
  std::vector<std::string_view> chars;
  bool counted = false;  // `chars` holds the password's characters
  if (password.size() > kMaxPasswordBytes) {
    needs.push_back("at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  } else if (!SplitUtf8(password, &chars)) {
    needs.push_back("valid UTF-8 text");
  } else {
    counted = true;
  }
  bool control = false;
  bool lower = false, upper = false, digit = false, other = false;
  for (char c : password) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) control = true;
    else if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else other = true;
  }
  if (control) needs.push_back("no control characters");
  if (counted && chars.size() < 12) needs.push_back("at least 12 characters");
  if (!user_name.empty() && ContainsIgnoringCase(password, user_name)) needs.push_back("not containing the user name");
  if (int(lower) + int(upper) + int(digit) + int(other) < 2) {
    needs.push_back("characters of at least two kinds (lower-case letters, upper-case letters, digits, others)");
  }
  if (counted && std::set<std::string_view>(chars.begin(), chars.end()).size() < 5) {
    needs.push_back("at least 5 different characters");
  }
  if (needs.empty()) return Status::Ok();
  std::string message = "the password is not good enough: it needs ";
  for (size_t i = 0; i < needs.size(); ++i) {
    if (i > 0) message += i + 1 == needs.size() ? " and " : ", ";
    message += needs[i];
  }
  message += " (a phrase of several words is easiest to remember)";
  return InvalidArgument(std::move(message));
}

Result<std::string> HashPassword(std::string_view password) { return HashPassword(password, kDefaultPasswordCost); }

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  EnsureSodium();
  if (cost.ops_limit < crypto_pwhash_argon2id_OPSLIMIT_MIN || cost.ops_limit > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
      cost.mem_limit_bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      cost.mem_limit_bytes > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    return InvalidArgument("Argon2id costs outside libsodium's limits");
  }
  char out[crypto_pwhash_argon2id_STRBYTES];
  if (crypto_pwhash_argon2id_str(out, password.data(), password.size(), cost.ops_limit,
                                 static_cast<size_t>(cost.mem_limit_bytes)) != 0) {
    return ResourceExhausted("Argon2id password hashing ran out of memory");
  }
  std::string hash(out);
  sodium_memzero(out, sizeof(out));
  return hash;
}

bool IsPasswordHash(std::string_view hash) {
  return hash.size() < crypto_pwhash_argon2id_STRBYTES && hash.substr(0, kArgon2idPrefix.size()) == kArgon2idPrefix &&
         hash.find('\0') == std::string_view::npos;
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  if (!IsPasswordHash(hash)) return false;
  char str[crypto_pwhash_argon2id_STRBYTES] = {};
  std::copy(hash.begin(), hash.end(), str);  // libsodium wants it NUL-terminated
  return crypto_pwhash_argon2id_str_verify(str, password.data(), password.size()) == 0;
}

Result<PasswordCost> PasswordHashCost(std::string_view hash) {
  // "$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>"
  if (!IsPasswordHash(hash)) return InvalidArgument("not an Argon2id hash string");
  std::string_view rest = hash.substr(kArgon2idPrefix.size());
  uint64_t version = 0, memory_kib = 0, ops = 0, lanes = 0;
  auto skip = [&rest](char c) {
    if (rest.empty() || rest.front() != c) return false;
    rest.remove_prefix(1);
    return true;
  };
  if (!ReadParam(rest, "v", &version) || !skip('$') || !ReadParam(rest, "m", &memory_kib) || !skip(',') ||
      !ReadParam(rest, "t", &ops) || !skip(',') || !ReadParam(rest, "p", &lanes) || !skip('$')) {
    return InvalidArgument("Argon2id hash: no costs");
  }
  if (memory_kib > (crypto_pwhash_argon2id_MEMLIMIT_MAX >> 10)) return InvalidArgument("Argon2id hash: memory cost out of range");
  return PasswordCost{ops, memory_kib << 10};
}

std::string NewToken() {
  EnsureSodium();
  uint8_t raw[32];
  crypto::RandomBytes(raw, sizeof(raw));
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  char text[sodium_base64_ENCODED_LEN(sizeof(raw), kVariant)];
  sodium_bin2base64(text, sizeof(text), raw, sizeof(raw), kVariant);
  sodium_memzero(raw, sizeof(raw));
  std::string token(text);
  sodium_memzero(text, sizeof(text));
  return token;
}

std::string HashToken(std::string_view token) {
  const crypto::Hash256 digest = crypto::Sha256(AsBytes(token));
  return HexEncode(ByteView(digest.data(), digest.size()));
}

}  // namespace ura::access
