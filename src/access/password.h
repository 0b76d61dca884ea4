// Passwords of Ura's users: the quality rule a new password must meet, and hashing with
// Argon2id (libsodium's crypto_pwhash_str, which writes the algorithm, its costs and a random
// salt into the string it returns, so a hash verifies even after the default costs change).
// Tokens (session and API tokens) are kept as SHA-256 digests; the helpers for them are here.
//
// Every function is stateless and thread-safe. Passwords are never logged, echoed in a
// message or kept after the call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ura::access {

// Argon2id costs for HashPassword. The default is RFC 9106 §4's second recommended option
// (t=3, m=64 MiB) -- the same as the store's key derivation: about 0.1-0.2 s per log-on, and
// the HTTP server may run several at once, so libsodium's MODERATE (256 MiB) would be too much
// memory. Tests pass kMinimumPasswordCost.
struct PasswordCost {
  uint64_t ops_limit = 3;
  uint64_t mem_limit_bytes = 64ull << 20;
};
inline constexpr PasswordCost kDefaultPasswordCost{};
// libsodium's minimum for Argon2id (t=1, 8 KiB): for tests only.
inline constexpr PasswordCost kMinimumPasswordCost{1, 8192};

// Longest password accepted by CheckPasswordQuality (bytes).
inline constexpr size_t kMaxPasswordBytes = 1024;

// kInvalidArgument unless `password` is at least 12 characters, at most kMaxPasswordBytes
// bytes of valid UTF-8 without control characters, does not contain `user_name` (ignoring
// case), has characters from at least two of the classes lower-case letters, upper-case
// letters, digits and others, and at least 5 different characters. The message lists what is
// needed; it never contains the password.
Status CheckPasswordQuality(std::string_view password, std::string_view user_name);

// Argon2id hash string ("$argon2id$v=19$m=65536,t=3,p=1$salt$hash") at kDefaultPasswordCost,
// or at `cost`. kInvalidArgument for costs below libsodium's minimum; kResourceExhausted if the
// memory cannot be had.
Result<std::string> HashPassword(std::string_view password);
Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost);

// True if `password` matches `hash` (an Argon2id string from HashPassword). The comparison is
// libsodium's, in constant time; false for an empty or malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);

// True if `hash` looks like an Argon2id string from HashPassword (prefix "$argon2id$", no
// longer than libsodium's crypto_pwhash_STRBYTES). Does not verify anything.
bool IsPasswordHash(std::string_view hash);

// The costs written in an Argon2id hash string, or kInvalidArgument if it has none.
Result<PasswordCost> PasswordHashCost(std::string_view hash);

// A new random token: 32 bytes from the OS CSPRNG, base64url without padding (43 characters).
// Used for session and API tokens.
std::string NewToken();

// Lower-case hex SHA-256 of the token's text: how session and API tokens are stored.
std::string HashToken(std::string_view token);

}  // namespace ura::access
