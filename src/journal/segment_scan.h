// Reading segment files: structural parsing of frames (ScanFrames, no keys, no Merkle) and
// full validation of a segment against the Merkle tree and signed heads (ValidateSegment).
// Used by the writer's recovery on open, by `ura verify`, and by readers of entries.
//
// How the end of a segment is classified (docs/journal-format.md, "Torn tails"):
//   - a frame whose header is complete and valid but whose body runs past the end of the
//     file, or fewer than 48 bytes left, is *truncated*;
//   - a bad frame that lies in a region of at least 64 zero bytes running to the end of the
//     file from a 512-byte boundary is *zero-filled* (a file system that extended the file
//     before the data reached the disk); zeros at the end never excuse damage before them;
//   - anything else that does not parse is *damage*.
// Truncated and zero-filled ends are a torn tail only when no valid signed head follows them,
// which is always true because scanning stops there. A torn tail may only be cut if it
// lies after the last valid signed head of the last segment; the entries in it were never
// acknowledged. Any single changed byte in committed data is damage, never a torn tail.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <vector>
#include <string>

#include "base/status.h"
#include "journal/format.h"
#include "journal/merkle.h"

namespace ura::journal {

struct ScannedFrame {
  FrameHeader header;
  uint64_t offset = 0;  // within the segment file
  ByteView bytes;       // the whole frame (header + body): a Merkle leaf for entries
  ByteView body;
};

enum class ScanEnd { kClean, kTruncated, kZeroFilled, kDamaged };
const char* ScanEndName(ScanEnd e);

struct ScanResult {
  ScanEnd end = ScanEnd::kClean;
  uint64_t end_offset = 0;  // where parsing stopped (start of the bad or partial frame)
  std::string detail;       // for kDamaged: what is wrong, e.g. "frame-header-checksum"
};

// Parses frames from data[start, size). Calls `on_frame` for each frame whose header and
// body checksums are valid; if it returns non-OK, scanning stops and that status is returned.
Result<ScanResult> ScanFrames(ByteView data, uint64_t start,
                              const std::function<Status(const ScannedFrame&)>& on_frame);

// What a full validation of the journal carries from one segment to the next.
struct ChainState {
  MerkleFrontier frontier;       // over every entry seen so far (committed or not)
  uint64_t committed_size = 0;   // tree size of the last valid signed head
  crypto::Hash256 committed_root = EmptyTreeRoot();
  int64_t last_head_timestamp_us = 0;
  int64_t last_entry_timestamp_us = 0;
  uint64_t heads_checked = 0;
};

struct SegmentIdentity {
  ByteView store_id;
  ByteView signing_public_key;
  uint32_t signing_key_id = 0;
};

struct SegmentValidation {
  uint64_t header_len = 0;
  uint64_t committed_end = 0;  // offset just after the last valid head (or the header)
  uint64_t file_size = 0;
  uint64_t uncommitted_entries = 0;  // complete entry frames after the last head
  ScanResult scan;                   // how the frames ended
};

// Work on one segment that needs no knowledge of the segments before it, so other threads
// can do it ahead of validation: every entry's leaf hash, the roots of the aligned perfect
// subtrees between consecutive heads (nearly all interior-node hashing), and each head's
// signature check over the root it claims. ValidateSegment still checks that everything
// fits the chain; it only skips recomputing what is prepared here.
struct PreparedSegment {
  bool ready = false;
  std::vector<crypto::Hash256> leaves;  // entry frames, in order
  // Per head frame, in order: (root, height) of the subtrees covering the entries since the
  // previous head frame (or the segment start).
  std::vector<std::vector<std::pair<crypto::Hash256, int>>> batches;
  std::vector<uint8_t> head_signature_ok;
};
PreparedSegment PrepareSegment(ByteView data, const SegmentIdentity& id);

// Validates one segment file's bytes: header (index, first sequence, frontier and previous
// head timestamp must continue `state`), then every frame: checksums, sequence numbers,
// timestamps, and every signed head's tree size, root and signature. `state` advances.
// `on_entry` (optional) sees each entry frame. `prepared` (optional) is PrepareSegment's
// output for these bytes.
// Returns kDataLoss with a CorruptionLocation (file, byte offset, first bad sequence, kind)
// for damage; a torn end is not an error here (see SegmentValidation::scan) -- the caller
// decides whether it may be cut.
Result<SegmentValidation> ValidateSegment(ByteView data, const std::string& path,
                                          uint64_t segment_index, const SegmentIdentity& id,
                                          ChainState& state,
                                          const std::function<Status(const ScannedFrame&)>& on_entry = {},
                                          const PreparedSegment* prepared = nullptr);

// A torn tail found after the last signed head of the last segment.
struct TornTail {
  std::string segment;
  uint64_t offset = 0;  // where the committed journal ends
  uint64_t bytes = 0;
  uint64_t entries = 0;  // complete, never-acknowledged entries in it
  ScanEnd how = ScanEnd::kTruncated;
};

}  // namespace ura::journal
