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

// True if the file ends in a zero-filled tail that explains a bad frame starting at
// `frame_start` and reaching `frame_end`: at least 64 zero bytes run to the end of the file,
// and either the whole frame lies in them, or they start at a 512-byte boundary inside the
// frame (a file system that extended the file before its blocks were written). Damage
// earlier in the file is never excused by zeros at its end.
bool IsZeroFilledTail(ByteView data, uint64_t frame_start, uint64_t frame_end) {
  uint64_t zeros_from = data.size();
  while (zeros_from > 0 && data[zeros_from - 1] == 0) --zeros_from;
  if (data.size() - zeros_from < kZeroFillMin) return false;
  if (zeros_from <= frame_start) return true;
  uint64_t aligned = (zeros_from + kZeroFillAlign - 1) / kZeroFillAlign * kZeroFillAlign;
  return aligned < frame_end && data.size() - aligned >= kZeroFillMin;
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
      stop.end = IsZeroFilledTail(data, offset, size) ? ScanEnd::kZeroFilled : ScanEnd::kTruncated;
      return stop;
    }
    HeaderProblem problem;
    FrameHeader h = DecodeFrameHeader(data.data() + offset, &problem);
    if (problem != HeaderProblem::kNone) {
      stop.end = IsZeroFilledTail(data, offset, offset + kFrameHeaderSize) ? ScanEnd::kZeroFilled : ScanEnd::kDamaged;
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
      stop.end = IsZeroFilledTail(data, offset, frame_end) ? ScanEnd::kZeroFilled : ScanEnd::kDamaged;
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
                                          const PreparedSegment* prepared) {
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
  if (prepared != nullptr && !prepared->ready) prepared = nullptr;

  // With `prepared`, leaves are added to the frontier a batch at a time (as subtrees) when
  // the batch's head is reached; without it, one by one as entries are read.
  uint64_t next_seq = state.frontier.size();
  uint64_t batch_first_entry = 0;  // index into this segment's entries
  uint64_t entry_index = 0;
  uint64_t head_index = 0;
  auto on_frame = [&](const ScannedFrame& f) -> Status {
    const FrameHeader& h = f.header;
    if (h.kind == FrameKind::kEntry) {
      if (h.sequence != next_seq) {
        return damage("entry has sequence " + std::to_string(h.sequence) + ", expected " +
                          std::to_string(next_seq),
                      f.offset + 16, next_seq, "sequence");
      }
      if (h.timestamp_us < state.last_entry_timestamp_us) {
        return damage("entry timestamp goes backwards", f.offset + 24, next_seq, "timestamp");
      }
      if (on_entry) URA_RETURN_IF_ERROR(on_entry(f));
      if (prepared == nullptr) state.frontier.Append(crypto::MerkleLeafHash(f.bytes));
      state.last_entry_timestamp_us = h.timestamp_us;
      ++next_seq;
      ++entry_index;
      return Status::Ok();
    }
    // A signed tree head. Damage to a head is reported at its tree size: the first entry it
    // fails to vouch past.
    const uint64_t head_seq = h.sequence;
    if (h.sequence != next_seq) {
      return damage("signed head for tree size " + std::to_string(h.sequence) + " where the tree has " +
                        std::to_string(next_seq) + " entries",
                    f.offset + 16, head_seq, "head-size");
    }
    if (h.key_id != id.signing_key_id) {
      return damage("signed head names unknown signing key " + std::to_string(h.key_id), f.offset + 12,
                    head_seq, "head-key");
    }
    if (h.timestamp_us <= state.last_head_timestamp_us) {
      return damage("signed head timestamp does not increase", f.offset + 24, head_seq,
                    "head-timestamp");
    }
    if (prepared != nullptr) {
      // Catch the frontier up with this batch, a subtree at a time.
      uint64_t width = 0;
      if (head_index < prepared->batches.size()) {
        for (const auto& [root, height] : prepared->batches[head_index]) width += uint64_t{1} << height;
      }
      if (head_index < prepared->batches.size() && width == entry_index - batch_first_entry) {
        for (const auto& [root, height] : prepared->batches[head_index]) state.frontier.AppendSubtree(root, height);
      } else {
        for (uint64_t i = batch_first_entry; i < entry_index; ++i) state.frontier.Append(prepared->leaves[i]);
      }
      batch_first_entry = entry_index;
    }
    crypto::Hash256 root;
    std::copy_n(f.body.data(), 32, root.begin());
    if (root != state.frontier.Root()) {
      uint64_t first = state.committed_size;
      return damage("entries " + std::to_string(first) + ".." + std::to_string(head_seq == 0 ? 0 : head_seq - 1) +
                        " do not match the root of the signed head at tree size " +
                        std::to_string(h.sequence),
                    f.offset + kFrameHeaderSize, first, "merkle-root");
    }
    bool signature_ok;
    if (prepared != nullptr && head_index < prepared->head_signature_ok.size()) {
      signature_ok = prepared->head_signature_ok[head_index] != 0;
    } else {
      Bytes message = HeadMessage(id.store_id, h.sequence, h.timestamp_us, root, h.key_id);
      signature_ok = crypto::VerifyEd25519(id.signing_public_key, message, f.body.subspan(32, 64));
    }
    ++head_index;
    if (!signature_ok) {
      return damage("signature of the head at tree size " + std::to_string(h.sequence) + " is invalid",
                    f.offset + kFrameHeaderSize + 32, head_seq, "head-signature");
    }
    state.committed_size = h.sequence;
    state.committed_root = root;
    state.last_head_timestamp_us = h.timestamp_us;
    ++state.heads_checked;
    v.committed_end = f.offset + f.bytes.size();
    return Status::Ok();
  };

  URA_ASSIGN_OR_RETURN(v.scan, ScanFrames(data, header_len, on_frame));
  if (prepared != nullptr) {
    // Entries after the last head (an uncommitted tail) join the frontier one by one.
    for (uint64_t i = batch_first_entry; i < entry_index && i < prepared->leaves.size(); ++i) {
      state.frontier.Append(prepared->leaves[i]);
    }
  }
  v.uncommitted_entries = next_seq - state.committed_size;
  if (v.scan.end == ScanEnd::kDamaged) {
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
    return damage(what, v.scan.end_offset, next_seq, v.scan.detail);
  }
  return v;
}

PreparedSegment PrepareSegment(ByteView data, const SegmentIdentity& id) {
  PreparedSegment p;
  size_t header_len = 0;
  auto header = DecodeSegmentHeader(data, &header_len);
  if (!header.ok()) return p;
  p.leaves.reserve(data.size() / 256);
  uint64_t batch_begin = 0;  // entry index where the current batch starts
  const uint64_t first_seq = header->first_sequence;
  auto scanned = ScanFrames(data, header_len, [&](const ScannedFrame& f) {
    if (f.header.kind == FrameKind::kEntry) {
      p.leaves.push_back(crypto::MerkleLeafHash(f.bytes));
      return Status::Ok();
    }
    std::vector<std::pair<crypto::Hash256, int>> subtrees;
    uint64_t batch_end = p.leaves.size();
    for (const auto& [start, height] : AlignedSubtrees(first_seq + batch_begin, first_seq + batch_end)) {
      subtrees.emplace_back(PerfectSubtreeRoot(&p.leaves[start - first_seq], height), height);
    }
    p.batches.push_back(std::move(subtrees));
    batch_begin = batch_end;
    crypto::Hash256 claimed;
    std::copy_n(f.body.data(), 32, claimed.begin());
    Bytes message = HeadMessage(id.store_id, f.header.sequence, f.header.timestamp_us, claimed, f.header.key_id);
    p.head_signature_ok.push_back(crypto::VerifyEd25519(id.signing_public_key, message, f.body.subspan(32, 64)));
    return Status::Ok();
  });
  (void)scanned;  // damage is found again, and reported, by ValidateSegment
  p.ready = true;
  return p;
}

}  // namespace ura::journal
