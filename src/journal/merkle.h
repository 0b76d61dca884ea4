// The journal's Merkle tree, exactly as RFC 9162 §2.1 (Certificate Transparency v2)
// defines it: leaf hash = SHA-256(0x00 || entry bytes), node = SHA-256(0x01 || left ||
// right), a tree of n leaves split at the largest power of two smaller than n, and the
// hash of the empty tree = SHA-256(""). Inclusion proofs (§2.1.3) and consistency proofs
// (§2.1.4) are generated here and verified by functions that check every proof node is
// used and the sizes are consistent (the class of bug in immudb's "linear fake" and
// Haskell hash-tree 0.1.1).
//
// MerkleFrontier keeps only O(log n) hashes: enough to append and compute the current
// root; it is what the writer and the keyless verifier carry. MerkleTree keeps every
// level in memory and answers proofs for any size up to its own. Neither is thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "crypto/sha256.h"

namespace ura::journal {

using crypto::Hash256;

// SHA-256 of the empty string: the root of a tree with no leaves.
Hash256 EmptyTreeRoot();

class MerkleFrontier {
 public:
  MerkleFrontier() = default;
  // Rebuilds a frontier from its saved hashes: the roots of the perfect subtrees that
  // cover leaves [0, size), largest (leftmost) first; there are popcount(size) of them.
  static Result<MerkleFrontier> FromHashes(uint64_t size, std::vector<Hash256> hashes);

  void Append(const Hash256& leaf_hash);
  // Appends a whole perfect subtree of 2^height leaves whose root is `subtree_root`. Requires
  // size() to be a multiple of 2^height (the subtree is aligned, as RFC 9162's splits are).
  void AppendSubtree(const Hash256& subtree_root, int height);
  uint64_t size() const { return size_; }
  Hash256 Root() const;
  const std::vector<Hash256>& hashes() const { return hashes_; }

 private:
  uint64_t size_ = 0;
  std::vector<Hash256> hashes_;  // leftmost (largest subtree) first
};

// Splits leaves [begin, end) into the aligned perfect subtrees an RFC 9162 tree is built of,
// left to right: (start, height) pairs. Hashing each on its own and appending them with
// MerkleFrontier::AppendSubtree gives the same frontier as appending every leaf.
std::vector<std::pair<uint64_t, int>> AlignedSubtrees(uint64_t begin, uint64_t end);
// Root of a perfect subtree from its 2^height leaf hashes (in order).
Hash256 PerfectSubtreeRoot(const Hash256* leaves, int height);

class MerkleTree {
 public:
  void Append(const Hash256& leaf_hash);
  uint64_t size() const;
  const Hash256& LeafHash(uint64_t index) const;
  // Root of the tree made of the first `tree_size` leaves; requires tree_size <= size().
  Hash256 RootAt(uint64_t tree_size) const;
  // RFC 9162 §2.1.3.1. kInvalidArgument unless index < tree_size <= size().
  Result<std::vector<Hash256>> InclusionProof(uint64_t index, uint64_t tree_size) const;
  // RFC 9162 §2.1.4.1. kInvalidArgument unless 0 < old_size <= new_size <= size().
  Result<std::vector<Hash256>> ConsistencyProof(uint64_t old_size, uint64_t new_size) const;

 private:
  // Hash of the perfect subtree of 2^level leaves starting at leaf start (aligned), or of
  // the (non-perfect) subtree [start, end) computed recursively.
  Hash256 SubtreeRoot(uint64_t start, uint64_t end) const;
  std::vector<std::vector<Hash256>> levels_;  // levels_[k][i] = root of leaves [i*2^k, (i+1)*2^k)
};

// RFC 9162 §2.1.3.2. OK only if `proof` proves leaf `index` with `leaf_hash` is in the tree
// of `tree_size` leaves whose root is `root`. kInvalidArgument if index >= tree_size;
// kDataLoss with a reason for a proof that does not verify. A proof alone does not pin the
// tree size (the same path can fit two sizes): check size and root against a signed head.
Status VerifyInclusion(const Hash256& leaf_hash, uint64_t index, uint64_t tree_size,
                       const std::vector<Hash256>& proof, const Hash256& root);

// RFC 9162 §2.1.4.2. OK only if the tree of `new_size` leaves with `new_root` extends the
// tree of `old_size` leaves with `old_root`. old_size == new_size needs an empty proof and
// equal roots; old_size == 0 needs an empty proof and old_root == EmptyTreeRoot().
// kInvalidArgument if old_size > new_size; kDataLoss for a proof that does not verify.
Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash256& old_root,
                         const Hash256& new_root, const std::vector<Hash256>& proof);

}  // namespace ura::journal
