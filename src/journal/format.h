// The journal's on-disk format, version 1. docs/journal-format.md specifies it byte by byte;
// this header is the code's copy of that spec. All integers are little-endian.
//
// A journal is a directory of segment files `seg-<index:016>.ura`. A segment is a header
// followed by frames. A frame is a 48-byte header and a body:
//
//   frame header (48 bytes)
//   0  u32 magic 0x46415255 ("URAF")     24 u64 timestamp (µs since epoch, UTC)
//   4  u8  format version (1)            32 u32 plain_len (entry payload before zstd)
//   5  u8  kind (1 entry, 2 signed head) 36 u32 body_len
//   6  u8  flags (bit 0: zstd)           40 u32 body_checksum (XXH3-64 low 32 bits)
//   7  u8  reserved (0)                  44 u32 header_checksum (XXH3-64 of bytes 0..43)
//   8  u32 entry_type (0 for heads)
//   12 u32 key_id (data key for entries, signing key for heads)
//   16 u64 sequence (entries) / tree_size (heads)
//
//   entry body: nonce(12) = u32 writer_session || u64 sequence, then the ChaCha20-Poly1305
//               ciphertext and tag of the (zstd-compressed) payload; AAD = header bytes 0..39.
//   head body:  root hash (32) || Ed25519 signature (64) over HeadMessage().
//
// Checksums only detect accidents and locate damage; the Merkle tree and the signed heads
// detect deliberate change. Entry frames are the Merkle leaves (the whole frame's bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/sha256.h"

namespace ura::journal {

inline constexpr uint32_t kFrameMagic = 0x46415255;    // bytes "URAF"
inline constexpr uint32_t kSegmentMagic = 0x53415255;  // bytes "URAS"
inline constexpr uint8_t kFormatVersion = 1;
inline constexpr size_t kFrameHeaderSize = 48;
inline constexpr size_t kNonceSize = 12;
inline constexpr size_t kTagSize = 16;
inline constexpr size_t kHeadBodySize = 32 + 64;
inline constexpr uint32_t kMaxPayloadSize = 16u << 20;  // 16 MiB per entry
inline constexpr uint32_t kMaxBodySize = kMaxPayloadSize + 4096 + kNonceSize + kTagSize;
inline constexpr size_t kStoreIdSize = 16;
inline constexpr size_t kSegmentFixedHeaderSize = 56;

enum class FrameKind : uint8_t { kEntry = 1, kHead = 2 };
inline constexpr uint8_t kFlagZstd = 0x01;

struct FrameHeader {
  FrameKind kind = FrameKind::kEntry;
  uint8_t flags = 0;
  uint32_t entry_type = 0;
  uint32_t key_id = 0;
  uint64_t sequence = 0;  // tree_size for heads
  int64_t timestamp_us = 0;
  uint32_t plain_len = 0;
  uint32_t body_len = 0;
  uint32_t body_checksum = 0;
};

uint32_t Checksum32(ByteView data);

// Writes the 48 header bytes, computing the header checksum. body_checksum must be set.
void EncodeFrameHeader(const FrameHeader& h, uint8_t* out);
// The bytes an entry's AEAD authenticates: header bytes 0..39.
inline constexpr size_t kFrameAadSize = 40;

enum class HeaderProblem { kNone, kBadMagic, kBadChecksum, kBadVersion, kBadKind, kBadLength };
const char* HeaderProblemName(HeaderProblem p);
// Decodes a header; `problem` says why it is not valid (checksum first, then fields).
FrameHeader DecodeFrameHeader(const uint8_t* in, HeaderProblem* problem);

// The message a signed tree head's Ed25519 signature covers (84 bytes):
// "URA-TREE-HEAD-V1" || store_id(16) || u64 tree_size || i64 timestamp || root(32) || u32 key_id
Bytes HeadMessage(ByteView store_id, uint64_t tree_size, int64_t timestamp_us,
                  const crypto::Hash256& root, uint32_t key_id);

// Segment header: fixed part then the Merkle frontier at the segment's first entry, then a
// checksum.
//   0  u32 magic "URAS"        24 u64 first_sequence (== tree size before this segment)
//   4  u16 version (1)         32 i64 previous head timestamp (0 for the first segment)
//   6  u16 reserved (0)        40 u32 frontier hash count (popcount(first_sequence))
//   8  store_id (16)           44 u32 header length in bytes (56 + 32*count + 4)
//   48 u64 segment_index       56 frontier hashes, then u32 checksum (XXH3 of all before)
struct SegmentHeader {
  Bytes store_id;  // 16 bytes
  uint64_t segment_index = 0;
  uint64_t first_sequence = 0;
  int64_t prev_head_timestamp_us = 0;
  std::vector<crypto::Hash256> frontier;
};

Bytes EncodeSegmentHeader(const SegmentHeader& h);
// Decodes from `data` (the start of a segment file). On success sets `header_len`.
// Returns kDataLoss naming what is wrong; the caller adds the file path.
Result<SegmentHeader> DecodeSegmentHeader(ByteView data, size_t* header_len);

std::string SegmentFileName(uint64_t segment_index);
// Parses "seg-<16 digits>.ura"; nullopt for any other name.
std::optional<uint64_t> ParseSegmentFileName(const std::string& name);

}  // namespace ura::journal
