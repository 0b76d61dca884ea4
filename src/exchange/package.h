// Exchange packages (issue 10): what one force sends another. A package is signed by the
// sender over the exact bytes of its body (so the signature survives any relay that passes the
// bytes on), compressed with zstd and sealed to the recipient's X25519 key (libsodium sealed
// box). The byte layout, spelled out in docs/exchange.md:
//
//   file   = "URAXPKG1" (8) || recipient key id (8: SHA-256 of its X25519 key, truncated)
//            || sealed_box(zstd(signed))                     at most kMaxPackageBytes in all
//   signed = "URAXSIG1" (8) || sender Ed25519 key (32) || signature (64) || body
//            signature = Ed25519(sender, "URA-EXCHANGE-PACKAGE-V1\0" || body)
//   body   = canonical JSON (keys sorted, no white space), at most kMaxBodyBytes:
//            {"created_us":N,"entities":[FtM entity,...],"expires_us":N,"handling":"H2",
//             "id":32 hex,"provenance":"none"|"source"|"full","purpose":TEXT,
//             "recipient":{"encryption_key":HEX,"signing_key":HEX},
//             "sender":{"encryption_key":HEX,"signing_key":HEX},"v":1}
//
// Opening checks, in order, each with its own message: size, magic, recipient key id, the
// sealed box (tampering), decompression (within the cap: no bomb), signature, canonical body.
// Who sent it, freshness and replay are the importer's (CheckPackage) to decide. Pure
// functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exchange/partners.h"
#include "model/entity.h"

namespace ura::exchange {

inline constexpr size_t kMaxPackageBytes = 64u << 20;   // the file, compressed and sealed
inline constexpr size_t kMaxBodyBytes = 128u << 20;     // the body, decompressed
inline constexpr int64_t kMaxClockSkewUs = 5 * 60 * 1000000LL;

enum class ProvenanceLevel { kNone, kSource, kFull };
std::string_view ProvenanceLevelName(ProvenanceLevel level);  // "none", "source", "full"
Result<ProvenanceLevel> ParseProvenanceLevel(std::string_view s);

struct PackageBody {
  std::string id;  // 32 hex digits, random
  PublicBundle sender;
  PublicBundle recipient;
  int64_t created_us = 0;
  int64_t expires_us = 0;
  model::HandlingCode handling = model::HandlingCode::kH0;
  std::string purpose;
  ProvenanceLevel provenance = ProvenanceLevel::kNone;
  std::vector<std::string> entities;  // FtM JSON lines (model::ToFtmJson)
};

// Canonical body bytes. kInvalidArgument if an entity line is not a JSON object.
Result<std::string> EncodeBody(const PackageBody& body);
// Strict: exactly the fields above, of the right types, and the bytes must be canonical
// (EncodeBody of the result gives them back). kInvalidArgument naming the problem.
Result<PackageBody> DecodeBody(std::string_view bytes);

// Signs, compresses and seals `body` for `recipient`. kResourceExhausted if the package would
// exceed kMaxPackageBytes (select fewer entities).
Result<Bytes> SealPackage(const PackageBody& body, const Identity& sender, const PublicBundle& recipient);

struct OpenedPackage {
  crypto::PublicKey signer{};
  std::string body_bytes;  // exactly as signed
  PackageBody body;
};

// Opens a package addressed to `self`. kInvalidArgument for what is malformed, oversized, a
// decompression bomb, addressed to another key, altered (the box or the signature fails), or a
// body that does not decode -- each with a message saying which. Does not know partners.
Result<OpenedPackage> OpenPackage(ByteView file, const Identity& self);

// The layer inside the sealed box: zstd (capped) of the signed content; checks the signature and
// decodes the body. Errors as OpenPackage. (Exposed for the fuzz target.)
Result<OpenedPackage> OpenSignedContent(ByteView compressed);

// The importer's checks on an opened package: the signer is a registered partner (returned),
// the body names that partner as sender and this store as recipient, it is not from the future
// or expired at `now_us`, and its id was not imported before. kFailedPrecondition saying which
// check failed.
Result<const Partner*> CheckPackage(const OpenedPackage& package, const ExchangeState& state, int64_t now_us);

}  // namespace ura::exchange
