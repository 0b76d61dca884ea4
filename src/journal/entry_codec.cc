#include "journal/entry_codec.h"

#include <zstd.h>

#include <algorithm>

namespace ura::journal {

EntryCodec::EntryCodec(const Keyring& keyring, int zstd_level)
    : keyring_(keyring), zstd_level_(zstd_level), cctx_(ZSTD_createCCtx()), dctx_(ZSTD_createDCtx()) {}

EntryCodec::~EntryCodec() {
  ZSTD_freeCCtx(cctx_);
  ZSTD_freeDCtx(dctx_);
}

Result<crypto::Aead*> EntryCodec::CipherFor(uint32_t key_id) {
  auto it = ciphers_.find(key_id);
  if (it != ciphers_.end()) return it->second.get();
  const crypto::SecretBytes* key = keyring_.data_key(key_id);
  if (key == nullptr) {
    return FailedPrecondition("data key " + std::to_string(key_id) +
                              " is not in the keyring (destroyed or from another store)");
  }
  URA_ASSIGN_OR_RETURN(auto aead, crypto::Aead::Create(key->view()));
  crypto::Aead* raw = aead.get();
  ciphers_[key_id] = std::move(aead);
  return raw;
}

Status EntryCodec::Encode(uint32_t key_id, uint32_t writer_session, uint64_t sequence,
                          uint32_t type, int64_t timestamp_us, ByteView payload, Bytes& out) {
  if (payload.size() > kMaxPayloadSize) {
    return InvalidArgument("entry of " + std::to_string(payload.size()) +
                           " bytes is larger than the 16 MiB limit");
  }
  URA_ASSIGN_OR_RETURN(crypto::Aead * aead, CipherFor(key_id));
  FrameHeader h;
  h.kind = FrameKind::kEntry;
  h.entry_type = type;
  h.key_id = key_id;
  h.sequence = sequence;
  h.timestamp_us = timestamp_us;
  h.plain_len = static_cast<uint32_t>(payload.size());

  ByteView plain = payload;
  if (payload.size() >= kMinCompressSize) {
    scratch_.resize(ZSTD_compressBound(payload.size()));
    size_t n = ZSTD_compressCCtx(cctx_, scratch_.data(), scratch_.size(), payload.data(),
                                 payload.size(), zstd_level_);
    if (!ZSTD_isError(n) && n < payload.size()) {
      plain = ByteView(scratch_.data(), n);
      h.flags = kFlagZstd;
    }
  }
  h.body_len = static_cast<uint32_t>(kNonceSize + plain.size() + kTagSize);

  size_t base = out.size();
  out.resize(base + kFrameHeaderSize);
  EncodeFrameHeader(h, out.data() + base);  // provisional: body checksum filled below
  uint8_t nonce[kNonceSize];
  PutU32(nonce, writer_session);
  PutU64(nonce + 4, sequence);
  AppendBytes(out, ByteView(nonce, kNonceSize));
  // Seal appends to `out` and may move it, so the AAD (header bytes 0..39) is copied first.
  uint8_t aad[kFrameAadSize];
  std::copy_n(out.data() + base, kFrameAadSize, aad);
  URA_RETURN_IF_ERROR(aead->Seal(ByteView(nonce, kNonceSize), ByteView(aad, kFrameAadSize), plain, out));
  h.body_checksum = Checksum32(ByteView(out.data() + base + kFrameHeaderSize, h.body_len));
  EncodeFrameHeader(h, out.data() + base);
  return Status::Ok();
}

Result<DecodedEntry> EntryCodec::Decode(const FrameHeader& h, ByteView frame) {
  URA_ASSIGN_OR_RETURN(crypto::Aead * aead, CipherFor(h.key_id));
  ByteView body = frame.subspan(kFrameHeaderSize);
  ByteView nonce = body.first(kNonceSize);
  DecodedEntry e{h.sequence, h.entry_type, h.timestamp_us, h.key_id, {}};
  Bytes plain;
  Status s = aead->Open(nonce, frame.first(kFrameAadSize), body.subspan(kNonceSize), plain);
  if (!s.ok()) {
    return Status(StatusCode::kDataLoss, "entry " + std::to_string(h.sequence) +
                                             " fails authentication (altered, or wrong key)");
  }
  if (h.flags & kFlagZstd) {
    e.payload.resize(h.plain_len);
    size_t n = ZSTD_decompressDCtx(dctx_, e.payload.data(), e.payload.size(), plain.data(), plain.size());
    if (ZSTD_isError(n) || n != h.plain_len) {
      return Status(StatusCode::kDataLoss,
                    "entry " + std::to_string(h.sequence) + " does not decompress to its length");
    }
  } else {
    if (plain.size() != h.plain_len) {
      return Status(StatusCode::kDataLoss, "entry " + std::to_string(h.sequence) + " has the wrong length");
    }
    e.payload = std::move(plain);
  }
  return e;
}

}  // namespace ura::journal
