#include "exchange/package.h"

#include <zstd.h>

#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "base/clock.h"

namespace ura::exchange {

namespace {

using nlohmann::json;

constexpr std::string_view kFileMagic = "URAXPKG1";
constexpr std::string_view kSignedMagic = "URAXSIG1";
constexpr std::string_view kSignatureContext{"URA-EXCHANGE-PACKAGE-V1\0", 24};
constexpr size_t kFileHeaderSize = 16;
constexpr size_t kSignedHeaderSize = 8 + 32 + 64;
constexpr int kZstdLevel = 6;

Bytes SignedMessage(std::string_view body) {
  Bytes message(AsBytes(kSignatureContext).begin(), AsBytes(kSignatureContext).end());
  AppendBytes(message, AsBytes(body));
  return message;
}

json BundleJson(const PublicBundle& b) {
  return {{"encryption_key", HexEncode(b.encryption)}, {"signing_key", HexEncode(b.signing)}};
}

template <size_t N>
Result<std::array<uint8_t, N>> KeyFromHex(const json& j, const std::string& where) {
  if (!j.is_string()) return InvalidArgument(where + " is not a string");
  auto bytes = HexDecode(j.get<std::string>());
  if (!bytes.ok() || bytes->size() != N) return InvalidArgument(where + " is not " + std::to_string(N) + " bytes of hex");
  std::array<uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

Result<PublicBundle> BundleFromJson(const json& j, const std::string& where) {
  if (!j.is_object() || j.size() != 2 || !j.contains("signing_key") || !j.contains("encryption_key")) {
    return InvalidArgument(where + " must be an object with exactly signing_key and encryption_key");
  }
  PublicBundle b;
  URA_ASSIGN_OR_RETURN(b.signing, KeyFromHex<32>(j["signing_key"], where + ".signing_key"));
  URA_ASSIGN_OR_RETURN(b.encryption, KeyFromHex<32>(j["encryption_key"], where + ".encryption_key"));
  return b;
}

// Decompresses one zstd frame, refusing more than `cap` bytes of output (a decompression bomb)
// and anything after the frame.
Result<Bytes> DecompressCapped(ByteView in, size_t cap) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (!dctx) return Internal("zstd: out of memory");
  Bytes out;
  ZSTD_inBuffer input{in.data(), in.size(), 0};
  size_t ret = 1;
  while (true) {
    const size_t chunk = 1 << 20;
    const size_t before = out.size();
    if (before >= cap + 1) {
      return InvalidArgument("the package decompresses to more than " + std::to_string(cap >> 20) +
                             " MiB: refused as a decompression bomb");
    }
    out.resize(before + std::min(chunk, cap + 1 - before));
    ZSTD_outBuffer output{out.data() + before, out.size() - before, 0};
    ret = ZSTD_decompressStream(dctx.get(), &output, &input);
    out.resize(before + output.pos);
    if (ZSTD_isError(ret)) {
      return InvalidArgument(std::string("the package's compressed content is malformed: ") + ZSTD_getErrorName(ret));
    }
    if (out.size() > cap) {
      return InvalidArgument("the package decompresses to more than " + std::to_string(cap >> 20) +
                             " MiB: refused as a decompression bomb");
    }
    if (ret == 0) break;  // the frame is complete
    if (input.pos == input.size && output.pos < output.size) {
      return InvalidArgument("the package's compressed content ends in the middle of a frame");
    }
  }
  if (input.pos != input.size) return InvalidArgument("the package has bytes after its compressed content");
  return out;
}

}  // namespace

std::string_view ProvenanceLevelName(ProvenanceLevel level) {
  switch (level) {
    case ProvenanceLevel::kNone: return "none";
    case ProvenanceLevel::kSource: return "source";
    case ProvenanceLevel::kFull: return "full";
  }
  return "?";
}

Result<ProvenanceLevel> ParseProvenanceLevel(std::string_view s) {
  for (ProvenanceLevel l : {ProvenanceLevel::kNone, ProvenanceLevel::kSource, ProvenanceLevel::kFull}) {
    if (s == ProvenanceLevelName(l)) return l;
  }
  return InvalidArgument("'" + std::string(s) + "' is not a provenance level: use none, source or full");
}

Result<std::string> EncodeBody(const PackageBody& body) {
  json entities = json::array();
  for (size_t i = 0; i < body.entities.size(); ++i) {
    json e = json::parse(body.entities[i], nullptr, false);
    if (e.is_discarded() || !e.is_object()) {
      return InvalidArgument("entity " + std::to_string(i) + " of the package is not a JSON object");
    }
    entities.push_back(std::move(e));
  }
  json j = {{"v", 1},
            {"id", body.id},
            {"sender", BundleJson(body.sender)},
            {"recipient", BundleJson(body.recipient)},
            {"created_us", body.created_us},
            {"expires_us", body.expires_us},
            {"handling", model::HandlingCodeName(body.handling)},
            {"purpose", body.purpose},
            {"provenance", ProvenanceLevelName(body.provenance)},
            {"entities", std::move(entities)}};
  return j.dump(-1, ' ', false, json::error_handler_t::strict);
}

Result<PackageBody> DecodeBody(std::string_view bytes) {
  if (bytes.size() > kMaxBodyBytes) return InvalidArgument("the package body is larger than allowed");
  json j = json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("the package body is not a JSON object");
  static const char* const kFields[] = {"created_us", "entities", "expires_us", "handling", "id",
                                        "provenance", "purpose",  "recipient",  "sender",   "v"};
  for (const char* f : kFields) {
    if (!j.contains(f)) return InvalidArgument(std::string("the package body has no field '") + f + "'");
  }
  if (j.size() != std::size(kFields)) return InvalidArgument("the package body has fields Ura does not know");
  if (j["v"] != 1) return InvalidArgument("the package body's version 'v' is not 1 (a newer Ura sent it?)");
  PackageBody body;
  if (!j["id"].is_string()) return InvalidArgument("the package id is not a string");
  body.id = j["id"].get<std::string>();
  if (body.id.size() != 32 || !HexDecode(body.id).ok() || HexEncode(*HexDecode(body.id)) != body.id) {
    return InvalidArgument("the package id is not 32 lower-case hex digits");
  }
  URA_ASSIGN_OR_RETURN(body.sender, BundleFromJson(j["sender"], "sender"));
  URA_ASSIGN_OR_RETURN(body.recipient, BundleFromJson(j["recipient"], "recipient"));
  if (!j["created_us"].is_number_integer() || !j["expires_us"].is_number_integer()) {
    return InvalidArgument("created_us and expires_us must be integers");
  }
  body.created_us = j["created_us"].get<int64_t>();
  body.expires_us = j["expires_us"].get<int64_t>();
  if (body.expires_us <= body.created_us) return InvalidArgument("the package expires before it was made");
  if (!j["handling"].is_string()) return InvalidArgument("handling is not a string");
  auto handling = model::ParseHandlingCode(j["handling"].get<std::string>());
  if (!handling.ok()) return InvalidArgument("handling: " + handling.status().message());
  body.handling = *handling;
  if (!j["purpose"].is_string()) return InvalidArgument("purpose is not a string");
  body.purpose = j["purpose"].get<std::string>();
  if (!j["provenance"].is_string()) return InvalidArgument("provenance is not a string");
  URA_ASSIGN_OR_RETURN(body.provenance, ParseProvenanceLevel(j["provenance"].get<std::string>()));
  if (!j["entities"].is_array()) return InvalidArgument("entities is not an array");
  for (size_t i = 0; i < j["entities"].size(); ++i) {
    const json& e = j["entities"][i];
    if (!e.is_object()) return InvalidArgument("entity " + std::to_string(i) + " is not a JSON object");
    body.entities.push_back(e.dump());
  }
  // One encoding only: what was signed is what Ura itself would write.
  auto again = EncodeBody(body);
  if (!again.ok() || *again != bytes) return InvalidArgument("the package body is not in canonical form");
  return body;
}

Result<Bytes> SealPackage(const PackageBody& body, const Identity& sender, const PublicBundle& recipient) {
  URA_ASSIGN_OR_RETURN(std::string body_bytes, EncodeBody(body));
  if (body_bytes.size() > kMaxBodyBytes) {
    return ResourceExhausted("the package would hold " + std::to_string(body_bytes.size() >> 20) +
                             " MiB of entities, more than " + std::to_string(kMaxBodyBytes >> 20) +
                             " MiB: select fewer entities");
  }
  const crypto::Signature signature = sender.signer->Sign(SignedMessage(body_bytes));
  Bytes signed_bytes(AsBytes(kSignedMagic).begin(), AsBytes(kSignedMagic).end());
  AppendBytes(signed_bytes, sender.signer->public_key());
  AppendBytes(signed_bytes, signature);
  AppendBytes(signed_bytes, AsBytes(body_bytes));
  Bytes compressed(ZSTD_compressBound(signed_bytes.size()));
  const size_t n = ZSTD_compress(compressed.data(), compressed.size(), signed_bytes.data(), signed_bytes.size(), kZstdLevel);
  if (ZSTD_isError(n)) return Internal(std::string("zstd: ") + ZSTD_getErrorName(n));
  compressed.resize(n);
  if (n + kFileHeaderSize + crypto::kSealOverhead > kMaxPackageBytes) {
    return ResourceExhausted("the package would be larger than " + std::to_string(kMaxPackageBytes >> 20) +
                             " MiB: select fewer entities");
  }
  Bytes file(AsBytes(kFileMagic).begin(), AsBytes(kFileMagic).end());
  AppendBytes(file, EncryptionKeyId(recipient.encryption));
  AppendBytes(file, crypto::SealToRecipient(recipient.encryption, compressed));
  return file;
}

Result<OpenedPackage> OpenPackage(ByteView file, const Identity& self) {
  if (file.size() > kMaxPackageBytes) {
    return InvalidArgument("the package is " + std::to_string(file.size()) + " bytes, more than the " +
                           std::to_string(kMaxPackageBytes >> 20) + " MiB allowed: refused as oversized");
  }
  if (file.size() < kFileHeaderSize || std::memcmp(file.data(), kFileMagic.data(), kFileMagic.size()) != 0) {
    return InvalidArgument("not an Ura exchange package (it does not start with URAXPKG1): malformed");
  }
  const auto ours = EncryptionKeyId(self.box.public_key);
  if (!std::equal(ours.begin(), ours.end(), file.begin() + 8)) {
    return InvalidArgument("the package is addressed to another recipient (key id " +
                           HexEncode(file.subspan(8, 8)) + "; this store's is " + HexEncode(ours) +
                           "): wrong recipient");
  }
  auto opened = crypto::OpenSealed(self.box, file.subspan(kFileHeaderSize));
  if (!opened.ok()) {
    return InvalidArgument("the package's encryption does not authenticate: it was tampered with or damaged "
                           "in transit; ask the partner to send it again");
  }
  return OpenSignedContent(opened->view());
}

Result<OpenedPackage> OpenSignedContent(ByteView compressed) {
  URA_ASSIGN_OR_RETURN(Bytes signed_bytes, DecompressCapped(compressed, kMaxBodyBytes + kSignedHeaderSize));
  if (signed_bytes.size() < kSignedHeaderSize ||
      std::memcmp(signed_bytes.data(), kSignedMagic.data(), kSignedMagic.size()) != 0) {
    return InvalidArgument("the package's signed content is malformed (no URAXSIG1 header)");
  }
  OpenedPackage out;
  std::copy(signed_bytes.begin() + 8, signed_bytes.begin() + 40, out.signer.begin());
  const ByteView signature(signed_bytes.data() + 40, 64);
  out.body_bytes.assign(AsString(ByteView(signed_bytes).subspan(kSignedHeaderSize)));
  if (!crypto::VerifyEd25519(out.signer, SignedMessage(out.body_bytes), signature)) {
    return InvalidArgument("the package's signature does not verify: its content was altered after signing");
  }
  auto body = DecodeBody(out.body_bytes);
  if (!body.ok()) return InvalidArgument("the package body is malformed: " + body.status().message());
  out.body = std::move(body).value();
  return out;
}

Result<const Partner*> CheckPackage(const OpenedPackage& package, const ExchangeState& state, int64_t now_us) {
  const Partner* partner = state.FindBySigningKey(package.signer);
  if (partner == nullptr) {
    return FailedPrecondition("the package was signed by an unknown sender (signing key " +
                            HexEncode(ByteView(package.signer.data(), 8)) +
                            "...): register the partner first with `ura partner add NAME --key KEY`");
  }
  const PackageBody& body = package.body;
  if (body.sender != partner->keys) {
    return FailedPrecondition("the package names a sender whose keys are not those registered for partner '" +
                              partner->name + "'");
  }
  if (!state.identity || body.recipient != state.identity->bundle()) {
    return FailedPrecondition("the package was signed for another recipient (its body names keys " +
                              Fingerprint(body.recipient) + "): wrong recipient");
  }
  if (body.created_us > now_us + kMaxClockSkewUs) {
    return FailedPrecondition("the package claims to be made at " + FormatRfc3339(body.created_us) +
                              ", in the future: check both clocks");
  }
  if (now_us > body.expires_us) {
    return FailedPrecondition("the package expired at " + FormatRfc3339(body.expires_us) +
                              ": ask partner '" + partner->name + "' for a fresh one");
  }
  if (auto it = state.received.find(body.id); it != state.received.end()) {
    return FailedPrecondition("package " + body.id + " was imported already, at " +
                              FormatRfc3339(it->second.time_us) + ": refused as a replay");
  }
  return partner;
}

}  // namespace ura::exchange
