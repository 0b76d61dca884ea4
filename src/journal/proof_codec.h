// JSON documents for Merkle proofs: what a store hands to an auditor, and what the keyless
// verifier reads back. One document carries one proof together with the sizes and hashes it
// is checked against:
//
//   {"type":"inclusion","store_id":"...","leaf_index":N,"tree_size":M,
//    "leaf_hash":"<64 hex>","root_hash":"<64 hex>","audit_path":["<64 hex>",...]}
//   {"type":"consistency","store_id":"...","old_size":N,"new_size":M,
//    "old_root":"<64 hex>","new_root":"<64 hex>","proof":["<64 hex>",...]}
//
// Parsing is strict, because a proof is evidence: every field is required and typed, sizes
// are integers in [0, 2^64), hashes are exactly 64 hex digits (either case; written lower
// case), at most kMaxProofNodes nodes, no unknown or duplicated fields, and no input larger
// than kMaxProofJsonBytes. A parsed document is only well-formed: whether the proof holds is
// for VerifyInclusion / VerifyConsistency (merkle.h) to say.
//
// Errors: kInvalidArgument naming the field that is wrong. Nothing here throws. Functions are
// stateless and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/sha256.h"

namespace ura::journal {

using crypto::Hash256;

// A tree of 2^64 leaves needs at most 64 proof nodes.
inline constexpr size_t kMaxProofNodes = 64;
// A full 64-node document is under 5 KiB; the rest is room for the store id.
inline constexpr size_t kMaxProofJsonBytes = 64 * 1024;

struct InclusionProofDoc {
  std::string store_id;
  uint64_t leaf_index = 0;
  uint64_t tree_size = 0;
  Hash256 leaf_hash{};
  Hash256 root_hash{};
  std::vector<Hash256> audit_path;

  bool operator==(const InclusionProofDoc&) const = default;
};

struct ConsistencyProofDoc {
  std::string store_id;
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  Hash256 old_root{};
  Hash256 new_root{};
  std::vector<Hash256> proof;

  bool operator==(const ConsistencyProofDoc&) const = default;
};

// Compact JSON with the fields in the order shown above. Bytes of `store_id` that are not
// valid UTF-8 are written as U+FFFD (JSON text must be UTF-8). A document with more than
// kMaxProofNodes nodes is written but will not parse back.
std::string ToJson(const InclusionProofDoc& doc);
std::string ToJson(const ConsistencyProofDoc& doc);

Result<InclusionProofDoc> ParseInclusionProof(std::string_view json);
Result<ConsistencyProofDoc> ParseConsistencyProof(std::string_view json);

}  // namespace ura::journal
