#include "journal/segment_scan.h"

#include "crypto/signature.h"

namespace ura::journal {

const char* ScanEndName(ScanEnd e) {
  switch (e) {
    case ScanEnd::kClean: return "clean";
    case ScanEnd::kTruncated: return "truncated";
    case ScanEnd::kZeroFilled: return "zero-filled";
    case ScanEnd::kDamaged: return "damaged";
  }
  return "unknown";
}

namespace {

constexpr uint64_t kZeroFillAlign = 512;
constexpr uint64_t kZeroFillMin = 64;

// True if data[?, end) is a zero-filled tail: from some 512-byte boundary at or after the
// last non-zero byte, at least 64 zero bytes run to the end.
bool IsZeroFilledTail(ByteView data) {
  uint64_t last_nonzero_end = data.size();
  while (last_nonzero_end > 0 && data[last_nonzero_end - 1] == 0) --last_nonzero_end;
  uint64_t aligned = (last_nonzero_end + kZeroFillAlign - 1) / kZeroFillAlign * kZeroFillAlign;
  return aligned < data.size() && data.size() - aligned >= kZeroFillMin;
}

}  // namespace

Result<ScanResult> ScanFrames(ByteView data, uint64_t start,
                              const std::function<Status(const ScannedFrame&)>& on_frame) {
  uint64_t offset = start;
  const uint64_t size = data.size();
  while (offset < size) {
    ScanResult stop;
    stop.end_offset = offset;
    if (size - offset < kFrameHeaderSize) {
      stop.end = IsZeroFilledTail(data) ? ScanEnd::kZeroFilled : ScanEnd::kTruncated;
      return stop;
    }
    HeaderProblem problem;
    FrameHeader h = DecodeFrameHeader(data.data() + offset, &problem);
    if (problem != HeaderProblem::kNone) {
      stop.end = IsZeroFilledTail(data) ? ScanEnd::kZeroFilled : ScanEnd::kDamaged;
      stop.detail = HeaderProblemName(problem);
      return stop;
    }
    uint64_t frame_end = offset + kFrameHeaderSize + h.body_len;
    if (frame_end > size) {
      stop.end = ScanEnd::kTruncated;
      return stop;
    }
    ByteView body = data.subspan(offset + kFrameHeaderSize, h.body_len);
    if (Checksum32(body) != h.body_checksum) {
      stop.end = IsZeroFilledTail(data) ? ScanEnd::kZeroFilled : ScanEnd::kDamaged;
      stop.detail = "frame-body-checksum";
      return stop;
    }
    ScannedFrame frame{h, offset, data.subspan(offset, frame_end - offset), body};
    URA_RETURN_IF_ERROR(on_frame(frame));
    offset = frame_end;
  }
  ScanResult clean;
  clean.end_offset = offset;
  return clean;
}

Result<SegmentValidation> ValidateSegment(ByteView data, const std::string& path,
                                          uint64_t segment_index, const SegmentIdentity& id,
                                          ChainState& state,
                                          const std::function<Status(const ScannedFrame&)>& on_entry,
                                          std::span<const crypto::Hash256> leaf_hashes) {
  SegmentValidation v;
  v.file_size = data.size();
  auto damage = [&](std::string message, uint64_t offset, std::optional<uint64_t> seq,
                    std::string kind) {
    return Corruption(path + ": " + message, {path, offset, seq, std::move(kind)});
  };

  size_t header_len = 0;
  auto header = DecodeSegmentHeader(data, &header_len);
  if (!header.ok()) {
    const auto& where = *header.status().corruption();
    return damage(header.status().message(), *where.offset, state.frontier.size(), "segment-header");
  }
  if (header->store_id.size() != id.store_id.size() ||
      !std::equal(header->store_id.begin(), header->store_id.end(), id.store_id.begin())) {
    return damage("segment belongs to another store", 8, state.frontier.size(), "segment-header");
  }
  if (header->segment_index != segment_index) {
    return damage("segment index " + std::to_string(header->segment_index) + " in a file named for " +
                      std::to_string(segment_index),
                  48, state.frontier.size(), "segment-header");
  }
  if (header->first_sequence != state.frontier.size()) {
    return damage("segment starts at sequence " + std::to_string(header->first_sequence) +
                      " but the journal before it ends at " + std::to_string(state.frontier.size()) +
                      " (a segment is missing or was replaced)",
                  24, state.frontier.size(), "segment-gap");
  }
  if (header->frontier != state.frontier.hashes() ||
      header->prev_head_timestamp_us != state.last_head_timestamp_us) {
    return damage("segment header does not continue the previous segment", 32,
                  state.frontier.size(), "segment-header");
  }
  if (state.committed_size != state.frontier.size()) {
    return damage("previous segment ended with unsigned entries", 0, state.committed_size,
                  "segment-gap");
  }
  v.header_len = header_len;
  v.committed_end = header_len;

  uint64_t entries_since_head = 0;
  size_t entry_index = 0;
  auto on_frame = [&](const ScannedFrame& f) -> Status {
    const FrameHeader& h = f.header;
    if (h.kind == FrameKind::kEntry) {
      uint64_t expected = state.frontier.size();
      if (h.sequence != expected) {
        return damage("entry has sequence " + std::to_string(h.sequence) + ", expected " +
                          std::to_string(expected),
                      f.offset + 16, expected, "sequence");
      }
      if (h.timestamp_us < state.last_entry_timestamp_us) {
        return damage("entry timestamp goes backwards", f.offset + 24, expected, "timestamp");
      }
      if (on_entry) URA_RETURN_IF_ERROR(on_entry(f));
      state.frontier.Append(entry_index < leaf_hashes.size() ? leaf_hashes[entry_index]
                                                             : crypto::MerkleLeafHash(f.bytes));
      ++entry_index;
      state.last_entry_timestamp_us = h.timestamp_us;
      ++entries_since_head;
      return Status::Ok();
    }
    // A signed tree head.
    // Damage to a head is reported at its tree size: the first entry it fails to vouch past.
    uint64_t covered_last = h.sequence;
    if (h.sequence != state.frontier.size()) {
      return damage("signed head for tree size " + std::to_string(h.sequence) + " where the tree has " +
                        std::to_string(state.frontier.size()) + " entries",
                    f.offset + 16, covered_last, "head-size");
    }
    if (h.key_id != id.signing_key_id) {
      return damage("signed head names unknown signing key " + std::to_string(h.key_id), f.offset + 12,
                    covered_last, "head-key");
    }
    if (h.timestamp_us <= state.last_head_timestamp_us) {
      return damage("signed head timestamp does not increase", f.offset + 24, covered_last,
                    "head-timestamp");
    }
    crypto::Hash256 root;
    std::copy_n(f.body.data(), 32, root.begin());
    if (root != state.frontier.Root()) {
      uint64_t first = state.committed_size;
      return damage("entries " + std::to_string(first) + ".." + std::to_string(covered_last) +
                        " do not match the root of the signed head at tree size " +
                        std::to_string(h.sequence),
                    f.offset + kFrameHeaderSize, first, "merkle-root");
    }
    Bytes message = HeadMessage(id.store_id, h.sequence, h.timestamp_us, root, h.key_id);
    if (!crypto::VerifyEd25519(id.signing_public_key, message, f.body.subspan(32, 64))) {
      return damage("signature of the head at tree size " + std::to_string(h.sequence) + " is invalid",
                    f.offset + kFrameHeaderSize + 32, covered_last, "head-signature");
    }
    state.committed_size = h.sequence;
    state.committed_root = root;
    state.last_head_timestamp_us = h.timestamp_us;
    ++state.heads_checked;
    v.committed_end = f.offset + f.bytes.size();
    entries_since_head = 0;
    return Status::Ok();
  };

  URA_ASSIGN_OR_RETURN(v.scan, ScanFrames(data, header_len, on_frame));
  v.uncommitted_entries = entries_since_head;
  if (v.scan.end == ScanEnd::kDamaged) {
    // The first entry the damage can affect: the one the bad frame would have been.
    std::string what;
    if (v.scan.detail == "frame-magic") {
      what = "no frame starts where the next one should (bytes were changed, inserted or removed)";
    } else if (v.scan.detail == "frame-header-checksum") {
      what = "a frame header does not match its checksum (bytes were changed after writing)";
    } else if (v.scan.detail == "frame-body-checksum") {
      what = "a frame's contents do not match their checksum (bytes were changed after writing)";
    } else {
      what = "a frame header holds impossible values (" + v.scan.detail + ")";
    }
    return damage(what, v.scan.end_offset, state.frontier.size(), v.scan.detail);
  }
  return v;
}

std::vector<crypto::Hash256> HashSegmentLeaves(ByteView data) {
  std::vector<crypto::Hash256> leaves;
  size_t header_len = 0;
  if (!DecodeSegmentHeader(data, &header_len).ok()) return leaves;
  leaves.reserve(data.size() / 256);
  auto scanned = ScanFrames(data, header_len, [&](const ScannedFrame& f) {
    if (f.header.kind == FrameKind::kEntry) leaves.push_back(crypto::MerkleLeafHash(f.bytes));
    return Status::Ok();
  });
  (void)scanned;  // damage is found again, and reported, by ValidateSegment
  return leaves;
}

}  // namespace ura::journal
