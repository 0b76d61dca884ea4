// Read-only access to a journal directory: list its segments, find the latest signed head,
// and decrypt entries. Needs no lock: segments are only ever appended to, and readers
// stop at the last signed head, so a concurrent writer's half-written batch is never read.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "journal/entry_codec.h"
#include "journal/keys.h"
#include "journal/segment_scan.h"
#include "journal/tree_head.h"

namespace ura::journal {

struct SegmentFile {
  uint64_t index = 0;
  std::string path;
};

// Segment files in order. kDataLoss if the indices are not 0, 1, 2, ... without gaps, or
// if there is none (an unrecognised file is reported too: the journal directory holds
// nothing else).
Result<std::vector<SegmentFile>> ListSegments(FileSystem& fs, const std::string& journal_dir);

// The chain state at the start of a segment, taken from its header (for validating the
// last segment alone).
Result<ChainState> ChainStateFromHeader(const SegmentHeader& header);

// The latest signed head, validating only the last segment. Read-only; no keys needed.
Result<SignedHead> ReadLatestHead(FileSystem& fs, const StorePaths& paths, const StoreMeta& meta);

// Decrypts entries with from <= sequence < to (to = 0: up to the latest head), in order,
// validating every segment it passes. Stops at the first error.
Status ReadEntries(FileSystem& fs, const StorePaths& paths, const Keyring& keyring,
                   uint64_t from, uint64_t to,
                   const std::function<Status(const DecodedEntry&)>& on_entry);

// As ReadEntries from the start, but decrypts only entries of the given types: the type is in
// the frame header (clear text, covered by the checksums and the Merkle tree like the rest of
// the frame), so a reader that wants a few kinds of entry (judgements, user events) validates
// every segment but decrypts only those.
Status ReadEntriesOfTypes(FileSystem& fs, const StorePaths& paths, const Keyring& keyring,
                          const std::vector<uint32_t>& types,
                          const std::function<Status(const DecodedEntry&)>& on_entry);

// Decrypts the entries at the given sequences (any order, duplicates ignored), in sequence
// order, reading only the segments that hold them. Sequences past the latest head are not
// returned.
Status ReadEntriesAt(FileSystem& fs, const StorePaths& paths, const Keyring& keyring,
                     std::vector<uint64_t> sequences, const std::function<Status(const DecodedEntry&)>& on_entry);

}  // namespace ura::journal

namespace ura::journal {

// The Merkle tree of every committed entry (validating every segment), for proofs.
// Holds 64 bytes per entry in memory.
Result<MerkleTree> BuildMerkleTree(FileSystem& fs, const StorePaths& paths, const StoreMeta& meta);

}  // namespace ura::journal
