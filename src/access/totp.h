// Time-based one-time passwords (TOTP, RFC 6238 over RFC 4226's HOTP): the second factor of a
// log-on. HMAC-SHA1 (OpenSSL), 30-second steps, 6 digits -- what every authenticator app
// does by default. Enrolment gives the user a random secret as an otpauth:// URI (shown as a
// QR code or typed in as base32).
//
// Stateless functions, thread-safe. The replay guard of CheckTotp is the caller's state
// (SessionManager keeps one per user).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace ura::access {

inline constexpr int64_t kTotpStepSeconds = 30;
inline constexpr size_t kTotpSecretBytes = 20;  // 160 bits, RFC 4226 §4's recommendation

// kTotpSecretBytes random bytes from the OS CSPRNG.
Bytes NewTotpSecret();

// RFC 4648 §6 base32 (A-Z, 2-7) without the '=' padding, as authenticator apps take it.
std::string Base32Encode(ByteView data);
// The inverse: either case; white space, '-' and '=' padding ignored. kInvalidArgument for any
// other character or a length no encoding gives.
Result<Bytes> Base32Decode(std::string_view text);

// otpauth://totp/ISSUER:USER?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30,
// issuer and user percent-encoded (everything but RFC 3986's unreserved characters).
std::string TotpUri(std::string_view issuer, std::string_view user, ByteView secret);

// The code of the 30-second step holding `unix_seconds`: `digits` decimal digits with leading
// zeros. `digits` is clamped to 1..9 (RFC 4226 wants at least 6).
std::string TotpCode(ByteView secret, int64_t unix_seconds, int digits = 6);
// The code of time step `step` (RFC 4226's counter).
std::string HotpCode(ByteView secret, uint64_t step, int digits = 6);

// True if `code` (6 digits) is the code of the step holding `unix_seconds` or of one of the
// `window` steps either side (clock drift; clamped to 0..10), and that step is later than *last_step, which is
// then set to it: a code is accepted at most once, and never one older than the last
// accepted. With last_step null there is no replay guard. Compared in constant time.
bool CheckTotp(ByteView secret, std::string_view code, int64_t unix_seconds, int window, int64_t* last_step);

}  // namespace ura::access
