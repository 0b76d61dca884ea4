#include "journal/format.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>

namespace ura::journal {

uint32_t Checksum32(ByteView data) {
  return static_cast<uint32_t>(XXH3_64bits(data.data(), data.size()));
}

void EncodeFrameHeader(const FrameHeader& h, uint8_t* out) {
  PutU32(out + 0, kFrameMagic);
  out[4] = kFormatVersion;
  out[5] = static_cast<uint8_t>(h.kind);
  out[6] = h.flags;
  out[7] = 0;
  PutU32(out + 8, h.entry_type);
  PutU32(out + 12, h.key_id);
  PutU64(out + 16, h.sequence);
  PutU64(out + 24, static_cast<uint64_t>(h.timestamp_us));
  PutU32(out + 32, h.plain_len);
  PutU32(out + 36, h.body_len);
  PutU32(out + 40, h.body_checksum);
  PutU32(out + 44, Checksum32(ByteView(out, 44)));
}

const char* HeaderProblemName(HeaderProblem p) {
  switch (p) {
    case HeaderProblem::kNone: return "none";
    case HeaderProblem::kBadMagic: return "frame-magic";
    case HeaderProblem::kBadChecksum: return "frame-header-checksum";
    case HeaderProblem::kBadVersion: return "frame-version";
    case HeaderProblem::kBadKind: return "frame-kind";
    case HeaderProblem::kBadLength: return "frame-length";
  }
  return "unknown";
}

FrameHeader DecodeFrameHeader(const uint8_t* in, HeaderProblem* problem) {
  FrameHeader h;
  *problem = HeaderProblem::kNone;
  if (GetU32(in) != kFrameMagic) {
    *problem = HeaderProblem::kBadMagic;
    return h;
  }
  if (GetU32(in + 44) != Checksum32(ByteView(in, 44))) {
    *problem = HeaderProblem::kBadChecksum;
    return h;
  }
  if (in[4] != kFormatVersion || in[7] != 0) {
    *problem = HeaderProblem::kBadVersion;
    return h;
  }
  uint8_t kind = in[5];
  h.flags = in[6];
  h.entry_type = GetU32(in + 8);
  h.key_id = GetU32(in + 12);
  h.sequence = GetU64(in + 16);
  h.timestamp_us = static_cast<int64_t>(GetU64(in + 24));
  h.plain_len = GetU32(in + 32);
  h.body_len = GetU32(in + 36);
  h.body_checksum = GetU32(in + 40);
  if (kind == static_cast<uint8_t>(FrameKind::kEntry)) {
    h.kind = FrameKind::kEntry;
    if ((h.flags & ~kFlagZstd) != 0) *problem = HeaderProblem::kBadKind;
    if (h.body_len < kNonceSize + kTagSize || h.body_len > kMaxBodySize ||
        h.plain_len > kMaxPayloadSize) {
      *problem = HeaderProblem::kBadLength;
    }
  } else if (kind == static_cast<uint8_t>(FrameKind::kHead)) {
    h.kind = FrameKind::kHead;
    if (h.flags != 0 || h.entry_type != 0 || h.plain_len != 0) *problem = HeaderProblem::kBadKind;
    if (h.body_len != kHeadBodySize) *problem = HeaderProblem::kBadLength;
  } else {
    *problem = HeaderProblem::kBadKind;
  }
  return h;
}

Bytes HeadMessage(ByteView store_id, uint64_t tree_size, int64_t timestamp_us,
                  const crypto::Hash256& root, uint32_t key_id) {
  static constexpr char kDomain[] = "URA-TREE-HEAD-V1";
  Bytes m;
  m.reserve(84);
  AppendBytes(m, AsBytes(std::string_view(kDomain, 16)));
  AppendBytes(m, store_id);
  AppendU64(m, tree_size);
  AppendU64(m, static_cast<uint64_t>(timestamp_us));
  AppendBytes(m, root);
  AppendU32(m, key_id);
  return m;
}

Bytes EncodeSegmentHeader(const SegmentHeader& h) {
  Bytes out(kSegmentFixedHeaderSize, 0);
  PutU32(out.data(), kSegmentMagic);
  PutU16(out.data() + 4, kFormatVersion);
  std::copy(h.store_id.begin(), h.store_id.end(), out.begin() + 8);
  PutU64(out.data() + 24, h.first_sequence);
  PutU64(out.data() + 32, static_cast<uint64_t>(h.prev_head_timestamp_us));
  PutU32(out.data() + 40, static_cast<uint32_t>(h.frontier.size()));
  PutU32(out.data() + 44, static_cast<uint32_t>(kSegmentFixedHeaderSize + 32 * h.frontier.size() + 4));
  PutU64(out.data() + 48, h.segment_index);
  for (const auto& hash : h.frontier) AppendBytes(out, hash);
  AppendU32(out, Checksum32(out));
  return out;
}

Result<SegmentHeader> DecodeSegmentHeader(ByteView data, size_t* header_len) {
  auto bad = [](const std::string& what, uint64_t offset) {
    return Corruption("segment header: " + what, {"", offset, std::nullopt, "segment-header"});
  };
  if (data.size() < kSegmentFixedHeaderSize + 4) return bad("file shorter than a header", 0);
  if (GetU32(data.data()) != kSegmentMagic) return bad("bad magic", 0);
  uint32_t count = GetU32(data.data() + 40);
  uint32_t len = GetU32(data.data() + 44);
  if (count > 64 || len != kSegmentFixedHeaderSize + 32ull * count + 4) {
    return bad("bad frontier length", 40);
  }
  if (data.size() < len) return bad("file shorter than its header", 0);
  if (GetU32(data.data() + len - 4) != Checksum32(data.first(len - 4))) {
    return bad("checksum mismatch", len - 4);
  }
  if (GetU16(data.data() + 4) != kFormatVersion || GetU16(data.data() + 6) != 0) {
    return bad("unsupported version", 4);
  }
  SegmentHeader h;
  h.store_id.assign(data.begin() + 8, data.begin() + 24);
  h.first_sequence = GetU64(data.data() + 24);
  h.prev_head_timestamp_us = static_cast<int64_t>(GetU64(data.data() + 32));
  h.segment_index = GetU64(data.data() + 48);
  if (static_cast<uint32_t>(__builtin_popcountll(h.first_sequence)) != count) {
    return bad("frontier does not match the first sequence", 40);
  }
  for (uint32_t i = 0; i < count; ++i) {
    crypto::Hash256 hash;
    std::copy_n(data.data() + kSegmentFixedHeaderSize + 32 * i, 32, hash.begin());
    h.frontier.push_back(hash);
  }
  *header_len = len;
  return h;
}

std::string SegmentFileName(uint64_t segment_index) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "seg-%016llu.ura", static_cast<unsigned long long>(segment_index));
  return buf;
}

std::optional<uint64_t> ParseSegmentFileName(const std::string& name) {
  if (name.size() != 24 || name.compare(0, 4, "seg-") != 0 || name.compare(20, 4, ".ura") != 0) {
    return std::nullopt;
  }
  uint64_t v = 0;
  for (size_t i = 4; i < 20; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    v = v * 10 + uint64_t(name[i] - '0');
  }
  return v;
}

}  // namespace ura::journal
