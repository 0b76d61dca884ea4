// Turning payloads into entry frames and back: zstd compression (kept only when it saves
// space), ChaCha20-Poly1305 under the epoch's data key with the nonce
// writer_session || sequence, and the frame header as associated data.
//
// An EntryCodec owns compression contexts and cipher contexts: not thread-safe.
#pragma once

#include <map>
#include <memory>

#include "crypto/aead.h"
#include "journal/format.h"
#include "journal/keys.h"

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace ura::journal {

// Entry types the journal itself writes. Higher layers define their own from 16 upwards.
inline constexpr uint32_t kEntryTypeRaw = 1;          // `ura journal append`
inline constexpr uint32_t kEntryTypeKeyRotation = 2;  // payload: {"new_key_id": N}

// Payloads shorter than this are stored uncompressed: zstd saves little on a few hundred
// bytes and cost about 65% of append time on 200-byte entries (bench/RESULTS.md).
inline constexpr size_t kMinCompressSize = 512;

struct DecodedEntry {
  uint64_t sequence = 0;
  uint32_t type = 0;
  int64_t timestamp_us = 0;
  uint32_t key_id = 0;
  Bytes payload;
};

class EntryCodec {
 public:
  explicit EntryCodec(const Keyring& keyring, int zstd_level = 1);
  ~EntryCodec();
  EntryCodec(const EntryCodec&) = delete;
  EntryCodec& operator=(const EntryCodec&) = delete;

  // Appends one complete entry frame to `out`.
  Status Encode(uint32_t key_id, uint32_t writer_session, uint64_t sequence, uint32_t type,
                int64_t timestamp_us, ByteView payload, Bytes& out);
  // Authenticates, decrypts and decompresses one entry frame (header + body).
  // kDataLoss if authentication fails or the payload does not decompress to plain_len;
  // kFailedPrecondition if the frame's key is not in the keyring (destroyed or unknown).
  Result<DecodedEntry> Decode(const FrameHeader& header, ByteView frame);

 private:
  Result<crypto::Aead*> CipherFor(uint32_t key_id);
  const Keyring& keyring_;
  int zstd_level_;
  ZSTD_CCtx_s* cctx_ = nullptr;
  ZSTD_DCtx_s* dctx_ = nullptr;
  std::map<uint32_t, std::unique_ptr<crypto::Aead>> ciphers_;
  Bytes scratch_;
};

}  // namespace ura::journal
