// RFC 9162 §2.1 Merkle tree. The section numbers in the comments below are RFC 9162's.
//
// MerkleTree keeps levels_[k][i], the root of the aligned perfect subtree of leaves
// [i * 2^k, (i + 1) * 2^k). Any subtree MTH(D[start:end]) that the RFC's recursions ask for
// has an aligned start, so it splits into at most 64 perfect pieces already stored: a root
// costs O(log n) hashes and a proof O(log^2 n), independent of how many leaves there are.
#include "journal/merkle.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <string>
#include <utility>

namespace ura::journal {

using crypto::MerkleNodeHash;

namespace {

// k in RFC 9162 §2.1.1: the largest power of two smaller than n. Requires n >= 2.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

// A proof that does not prove what it claims to.
Status ProofFailure(std::string reason) { return Status(StatusCode::kDataLoss, std::move(reason)); }

std::string Str(uint64_t value) { return std::to_string(value); }

}  // namespace

Hash256 EmptyTreeRoot() { return crypto::Sha256(ByteView()); }

// ---------------------------------------------------------------------------------------
// MerkleFrontier

Result<MerkleFrontier> MerkleFrontier::FromHashes(uint64_t size, std::vector<Hash256> hashes) {
  const auto expected = static_cast<size_t>(std::popcount(size));
  if (hashes.size() != expected) {
    return InvalidArgument("merkle frontier for " + Str(size) + " leaves needs " + Str(expected) +
                           " subtree hashes, got " + Str(hashes.size()));
  }
  MerkleFrontier frontier;
  frontier.size_ = size;
  frontier.hashes_ = std::move(hashes);
  return frontier;
}

void MerkleFrontier::Append(const Hash256& leaf_hash) {
  if (size_ == UINT64_MAX) std::abort();  // 2^64 leaves: unreachable, and sizes would wrap
  // Each trailing one bit of size_ is a perfect subtree as tall as `carry`: merge them, the
  // way a binary counter carries. Amortised one merge per append.
  Hash256 carry = leaf_hash;
  for (uint64_t remaining = size_; (remaining & 1) != 0; remaining >>= 1) {
    carry = MerkleNodeHash(hashes_.back(), carry);
    hashes_.pop_back();
  }
  hashes_.push_back(carry);
  ++size_;
}

void MerkleFrontier::AppendSubtree(const Hash256& subtree_root, int height) {
  const uint64_t width = uint64_t{1} << height;
  if (height < 0 || height > 63 || (size_ & (width - 1)) != 0 || size_ > UINT64_MAX - width) std::abort();
  Hash256 carry = subtree_root;
  for (uint64_t bit = width; (size_ & bit) != 0; bit <<= 1) {
    carry = MerkleNodeHash(hashes_.back(), carry);
    hashes_.pop_back();
  }
  hashes_.push_back(carry);
  size_ += width;
}

std::vector<std::pair<uint64_t, int>> AlignedSubtrees(uint64_t begin, uint64_t end) {
  std::vector<std::pair<uint64_t, int>> out;
  while (begin < end) {
    int height = begin == 0 ? 63 : __builtin_ctzll(begin);
    while (height > 0 && (height >= 64 || end - begin < (uint64_t{1} << height))) --height;
    out.emplace_back(begin, height);
    begin += uint64_t{1} << height;
  }
  return out;
}

Hash256 PerfectSubtreeRoot(const Hash256* leaves, int height) {
  if (height == 0) return leaves[0];
  std::vector<Hash256> level(leaves, leaves + (size_t{1} << (height - 1)) * 2);
  while (level.size() > 1) {
    for (size_t i = 0; i < level.size() / 2; ++i) level[i] = MerkleNodeHash(level[2 * i], level[2 * i + 1]);
    level.resize(level.size() / 2);
  }
  return level[0];
}

Hash256 MerkleFrontier::Root() const {
  if (hashes_.empty()) return EmptyTreeRoot();
  // MTH(D[0:n]) = HASH(0x01 || largest perfect subtree || MTH(rest)): fold right to left.
  Hash256 root = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) root = MerkleNodeHash(hashes_[i], root);
  return root;
}

// ---------------------------------------------------------------------------------------
// MerkleTree

void MerkleTree::Append(const Hash256& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  // An even count at a level means its last two nodes just completed a parent.
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    const std::vector<Hash256>& row = levels_[level];
    Hash256 parent = MerkleNodeHash(row[row.size() - 2], row.back());
    if (level + 1 == levels_.size()) levels_.emplace_back();  // invalidates `row`
    levels_[level + 1].push_back(parent);
  }
}

uint64_t MerkleTree::size() const { return levels_.empty() ? 0 : levels_[0].size(); }

const Hash256& MerkleTree::LeafHash(uint64_t index) const {
  if (index >= size()) std::abort();  // programmer error: callers check against size()
  return levels_[0][index];
}

Hash256 MerkleTree::RootAt(uint64_t tree_size) const {
  if (tree_size > size()) std::abort();  // programmer error: documented precondition
  if (tree_size == 0) return EmptyTreeRoot();
  return SubtreeRoot(0, tree_size);
}

Hash256 MerkleTree::SubtreeRoot(uint64_t start, uint64_t end) const {
  const uint64_t count = end - start;
  if (std::has_single_bit(count) && start % count == 0) {
    const int level = std::countr_zero(count);
    return levels_[level][start >> level];
  }
  // §2.1.1: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])). For an aligned start the
  // left half is stored, so only the right spine recurses.
  const uint64_t split = SplitPoint(count);
  return MerkleNodeHash(SubtreeRoot(start, start + split), SubtreeRoot(start + split, end));
}

Result<std::vector<Hash256>> MerkleTree::InclusionProof(uint64_t index, uint64_t tree_size) const {
  if (tree_size > size()) {
    return InvalidArgument("inclusion proof asked for tree size " + Str(tree_size) +
                           " but the tree has " + Str(size()) + " leaves");
  }
  if (index >= tree_size) {
    return InvalidArgument("inclusion proof asked for leaf " + Str(index) +
                           ", which is not in a tree of " + Str(tree_size) + " leaves");
  }
  // §2.1.3.1 PATH(m, D[n]), walked from the root down; PATH lists the deepest sibling first,
  // so the collected siblings are reversed at the end.
  std::vector<Hash256> proof;
  uint64_t start = 0;
  uint64_t end = tree_size;
  while (end - start > 1) {
    const uint64_t split = start + SplitPoint(end - start);
    if (index < split) {
      proof.push_back(SubtreeRoot(split, end));
      end = split;
    } else {
      proof.push_back(SubtreeRoot(start, split));
      start = split;
    }
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

Result<std::vector<Hash256>> MerkleTree::ConsistencyProof(uint64_t old_size,
                                                          uint64_t new_size) const {
  if (old_size == 0 || old_size > new_size || new_size > size()) {
    return InvalidArgument("consistency proof needs 0 < old size <= new size <= " + Str(size()) +
                           ", got old size " + Str(old_size) + " and new size " + Str(new_size));
  }
  // §2.1.4.1 SUBPROOF(m, D[n], b) over the subtree D[start:end]; `old_size` stays an
  // absolute leaf count, so "m <= k" reads old_size <= split. Reversed at the end as above.
  std::vector<Hash256> proof;
  uint64_t start = 0;
  uint64_t end = new_size;
  bool old_root_is_known = true;  // the RFC's b
  while (old_size != end) {
    const uint64_t split = start + SplitPoint(end - start);
    if (old_size <= split) {
      proof.push_back(SubtreeRoot(split, end));
      end = split;
    } else {
      proof.push_back(SubtreeRoot(start, split));
      start = split;
      old_root_is_known = false;
    }
  }
  if (!old_root_is_known) proof.push_back(SubtreeRoot(start, end));
  std::reverse(proof.begin(), proof.end());
  return proof;
}

// ---------------------------------------------------------------------------------------
// Verification

Status VerifyInclusion(const Hash256& leaf_hash, uint64_t index, uint64_t tree_size,
                       const std::vector<Hash256>& proof, const Hash256& root) {
  if (index >= tree_size) {
    return InvalidArgument("inclusion proof for leaf " + Str(index) + " cannot be in a tree of " +
                           Str(tree_size) + " leaves");
  }
  // §2.1.3.2, step by step.
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Hash256 r = leaf_hash;
  for (const Hash256& p : proof) {
    if (sn == 0) {
      return ProofFailure("inclusion proof has " + Str(proof.size()) + " nodes, more than leaf " +
                          Str(index) + " of a tree of " + Str(tree_size) + " leaves needs");
    }
    if ((fn & 1) != 0 || fn == sn) {
      r = MerkleNodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = MerkleNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return ProofFailure("inclusion proof has " + Str(proof.size()) + " nodes, fewer than leaf " +
                        Str(index) + " of a tree of " + Str(tree_size) + " leaves needs");
  }
  if (r != root) {
    return ProofFailure("inclusion proof for leaf " + Str(index) + " does not lead to the root " +
                        "of the tree of " + Str(tree_size) + " leaves");
  }
  return Status::Ok();
}

Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash256& old_root,
                         const Hash256& new_root, const std::vector<Hash256>& proof) {
  if (old_size > new_size) {
    return InvalidArgument("consistency proof from " + Str(old_size) + " leaves to " +
                           Str(new_size) + " leaves: a tree cannot shrink");
  }
  if (old_size == 0) {
    // The empty tree is a prefix of every tree; there is nothing to prove, but the old root
    // must really be the empty tree's.
    if (!proof.empty()) {
      return ProofFailure("consistency proof from the empty tree must have no nodes, got " +
                          Str(proof.size()));
    }
    if (old_root != EmptyTreeRoot()) {
      return ProofFailure("old root is not the root of the empty tree");
    }
    if (new_size == 0 && new_root != old_root) {
      return ProofFailure("new root is not the root of the empty tree");
    }
    return Status::Ok();
  }
  if (old_size == new_size) {
    if (!proof.empty()) {
      return ProofFailure("consistency proof between two trees of " + Str(old_size) +
                          " leaves must have no nodes, got " + Str(proof.size()));
    }
    if (old_root != new_root) {
      return ProofFailure("two different roots for the same tree size " + Str(old_size));
    }
    return Status::Ok();
  }
  // §2.1.4.2, step by step; 0 < old_size < new_size from here on.
  if (proof.empty()) {
    return ProofFailure("consistency proof from " + Str(old_size) + " to " + Str(new_size) +
                        " leaves is empty");
  }
  // Step 2 (prepend first_hash when old_size is a power of two) is done by starting from
  // old_root instead of proof[0].
  size_t next = 0;
  Hash256 fr = old_root;
  if (!std::has_single_bit(old_size)) fr = proof[next++];
  Hash256 sr = fr;
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  for (; next < proof.size(); ++next) {
    const Hash256& c = proof[next];
    if (sn == 0) {
      return ProofFailure("consistency proof has " + Str(proof.size()) + " nodes, more than from " +
                          Str(old_size) + " to " + Str(new_size) + " leaves needs");
    }
    if ((fn & 1) != 0 || fn == sn) {
      fr = MerkleNodeHash(c, fr);
      sr = MerkleNodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = MerkleNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return ProofFailure("consistency proof has " + Str(proof.size()) + " nodes, fewer than from " +
                        Str(old_size) + " to " + Str(new_size) + " leaves needs");
  }
  if (fr != old_root) {
    return ProofFailure("consistency proof does not lead to the old root (" + Str(old_size) +
                        " leaves)");
  }
  if (sr != new_root) {
    return ProofFailure("consistency proof does not lead to the new root (" + Str(new_size) +
                        " leaves)");
  }
  return Status::Ok();
}

}  // namespace ura::journal
