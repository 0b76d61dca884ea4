// Tests for the RFC 9162 Merkle tree.
//
// Known answers are the Certificate Transparency reference vectors, copied as data only:
//   - google/certificate-transparency cpp/merkletree/merkle_tree_test.cc (commit 0fe5116f):
//     kInputs (the 8 leaves), kSHA256EmptyTreeHash, kSHA256Roots (sizes 1..8),
//     kSHA256Paths (there with 1-based leaf numbers; 0-based below) and kSHA256Proofs;
//   - google/certificate-transparency python/ct/crypto/merkle_test.py: the audit path of
//     leaf 848049 in a production log tree of 3630887 entries;
//   - transparency-dev/merkle testdata/inclusion/{1..4}/happy-path.json (leaf hashes of the
//     same 8 leaves) and testdata/consistency/4/happy-path.json (the 6 -> 7 proof).
// Everything else is checked against a second, deliberately naive implementation written
// straight from the RFC 9162 §2.1 recursions (RefMth, RefPath, RefSubproof below).
#include "journal/merkle.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "crypto/sha256.h"

namespace ura::journal {
namespace {

using crypto::MerkleLeafHash;
using crypto::MerkleNodeHash;

Hash256 H(std::string_view hex) {
  Result<Bytes> bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok()) << hex;
  EXPECT_EQ(bytes.ok() ? bytes->size() : 0u, 32u) << hex;
  Hash256 hash{};
  if (bytes.ok() && bytes->size() == hash.size())
    std::copy(bytes->begin(), bytes->end(), hash.begin());
  return hash;
}

std::vector<Hash256> Hs(std::initializer_list<std::string_view> hexes) {
  std::vector<Hash256> out;
  for (std::string_view hex : hexes) out.push_back(H(hex));
  return out;
}

std::string Hex(const Hash256& hash) { return HexEncode(hash); }

// ---- The CT reference tree -----------------------------------------------------------

constexpr std::string_view kEmptyTreeRoot =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

constexpr std::string_view kLeafInputs[8] = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};

// Root of the tree of the first i + 1 leaves.
constexpr std::string_view kRoots[8] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct LeafHashVector {
  uint64_t index;
  std::string_view hash;
};
const LeafHashVector kLeafHashes[] = {
    {0, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"},
    {1, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"},
    {2, "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"},
    {5, "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"},
};

struct InclusionVector {
  uint64_t index;
  uint64_t tree_size;
  std::vector<Hash256> path;
};
const std::vector<InclusionVector>& InclusionVectors() {
  static const auto* vectors = new std::vector<InclusionVector>{
      {0, 1, {}},
      {0, 8,
       Hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {5, 8,
       Hs({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 3, Hs({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {1, 5,
       Hs({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
  return *vectors;
}

struct ConsistencyVector {
  uint64_t old_size;
  uint64_t new_size;
  std::vector<Hash256> proof;
};
const std::vector<ConsistencyVector>& ConsistencyVectors() {
  static const auto* vectors = new std::vector<ConsistencyVector>{
      {1, 1, {}},
      {1, 8,
       Hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       Hs({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 5,
       Hs({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
      {6, 7,
       Hs({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
           "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
  };
  return *vectors;
}

MerkleTree ReferenceTree() {
  MerkleTree tree;
  for (std::string_view input : kLeafInputs) tree.Append(MerkleLeafHash(*HexDecode(input)));
  return tree;
}

// ---- A naive second implementation, straight from RFC 9162 §2.1 -----------------------

uint64_t LargestPowerOfTwoBelow(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Hash256 RefMth(std::span<const Hash256> leaves) {
  if (leaves.empty()) return crypto::Sha256(ByteView());
  if (leaves.size() == 1) return leaves[0];
  const uint64_t k = LargestPowerOfTwoBelow(leaves.size());
  return MerkleNodeHash(RefMth(leaves.first(k)), RefMth(leaves.subspan(k)));
}

std::vector<Hash256> RefPath(uint64_t m, std::span<const Hash256> leaves) {
  if (leaves.size() <= 1) return {};
  const uint64_t k = LargestPowerOfTwoBelow(leaves.size());
  std::vector<Hash256> path;
  if (m < k) {
    path = RefPath(m, leaves.first(k));
    path.push_back(RefMth(leaves.subspan(k)));
  } else {
    path = RefPath(m - k, leaves.subspan(k));
    path.push_back(RefMth(leaves.first(k)));
  }
  return path;
}

std::vector<Hash256> RefSubproof(uint64_t m, std::span<const Hash256> leaves, bool b) {
  if (m == leaves.size()) {
    if (b) return {};
    return {RefMth(leaves)};
  }
  const uint64_t k = LargestPowerOfTwoBelow(leaves.size());
  std::vector<Hash256> proof;
  if (m <= k) {
    proof = RefSubproof(m, leaves.first(k), b);
    proof.push_back(RefMth(leaves.subspan(k)));
  } else {
    proof = RefSubproof(m - k, leaves.subspan(k), false);
    proof.push_back(RefMth(leaves.first(k)));
  }
  return proof;
}

// The shape of PATH(m, D[n]): for each node, leaf side first, whether it is a left sibling.
// Two (index, size) pairs with the same shape are checked by the very same computation, so a
// proof cannot tell them apart; pairs with different shapes must not be confused.
std::vector<bool> RefPathShape(uint64_t m, uint64_t n) {
  if (n <= 1) return {};
  const uint64_t k = LargestPowerOfTwoBelow(n);
  std::vector<bool> shape;
  if (m < k) {
    shape = RefPathShape(m, k);
    shape.push_back(false);
  } else {
    shape = RefPathShape(m - k, n - k);
    shape.push_back(true);
  }
  return shape;
}

// The shape of SUBPROOF(m, D[n], true): whether the old root is implied (not sent), and for
// each further node whether it is a subtree both trees share (left) or only the new one has.
struct SubproofShape {
  bool starts_with_implied_old_root = false;
  std::vector<bool> shared;
  bool operator==(const SubproofShape&) const = default;
};
void RefSubproofShape(uint64_t m, uint64_t n, bool b, SubproofShape& shape) {
  if (m == n) {
    shape.starts_with_implied_old_root = b;
    return;
  }
  const uint64_t k = LargestPowerOfTwoBelow(n);
  if (m <= k) {
    RefSubproofShape(m, k, b, shape);
    shape.shared.push_back(false);
  } else {
    RefSubproofShape(m - k, n - k, false, shape);
    shape.shared.push_back(true);
  }
}
SubproofShape RefSubproofShape(uint64_t m, uint64_t n) {
  SubproofShape shape;
  RefSubproofShape(m, n, true, shape);
  return shape;
}

std::vector<Hash256> GeneratedLeaves(uint64_t count) {
  std::vector<Hash256> leaves;
  for (uint64_t i = 0; i < count; ++i) {
    uint8_t data[8];
    PutU64(data, i);
    leaves.push_back(MerkleLeafHash(data));
  }
  return leaves;
}

Hash256 Flipped(Hash256 hash, size_t bit) {
  hash[(bit / 8) % hash.size()] ^= uint8_t(1u << (bit % 8));
  return hash;
}

// ---- Known-answer tests ---------------------------------------------------------------

TEST(MerkleTest, EmptyTree) {
  EXPECT_EQ(Hex(EmptyTreeRoot()), kEmptyTreeRoot);
  MerkleTree tree;
  EXPECT_EQ(tree.size(), 0u);
  EXPECT_EQ(Hex(tree.RootAt(0)), kEmptyTreeRoot);
  MerkleFrontier frontier;
  EXPECT_EQ(frontier.size(), 0u);
  EXPECT_TRUE(frontier.hashes().empty());
  EXPECT_EQ(Hex(frontier.Root()), kEmptyTreeRoot);
}

TEST(MerkleTest, LeafHashVectors) {
  MerkleTree tree = ReferenceTree();
  for (const LeafHashVector& v : kLeafHashes) {
    EXPECT_EQ(Hex(tree.LeafHash(v.index)), v.hash) << "leaf " << v.index;
  }
}

TEST(MerkleTest, RootVectorsAtEverySize) {
  MerkleTree tree;
  MerkleFrontier frontier;
  for (size_t i = 0; i < 8; ++i) {
    Hash256 leaf = MerkleLeafHash(*HexDecode(kLeafInputs[i]));
    tree.Append(leaf);
    frontier.Append(leaf);
    EXPECT_EQ(tree.size(), i + 1);
    EXPECT_EQ(frontier.size(), i + 1);
    EXPECT_EQ(Hex(frontier.Root()), kRoots[i]) << "size " << i + 1;
    EXPECT_EQ(Hex(tree.RootAt(0)), kEmptyTreeRoot);
    // Every earlier size is still answered from the grown tree.
    for (size_t j = 0; j <= i; ++j) EXPECT_EQ(Hex(tree.RootAt(j + 1)), kRoots[j]);
  }
}

TEST(MerkleTest, InclusionVectors) {
  MerkleTree tree = ReferenceTree();
  for (const InclusionVector& v : InclusionVectors()) {
    SCOPED_TRACE("leaf " + std::to_string(v.index) + " of " + std::to_string(v.tree_size));
    Result<std::vector<Hash256>> proof = tree.InclusionProof(v.index, v.tree_size);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(*proof, v.path);
    Hash256 root = H(kRoots[v.tree_size - 1]);
    Status status = VerifyInclusion(tree.LeafHash(v.index), v.index, v.tree_size, v.path, root);
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
}

TEST(MerkleTest, ConsistencyVectors) {
  MerkleTree tree = ReferenceTree();
  for (const ConsistencyVector& v : ConsistencyVectors()) {
    SCOPED_TRACE(std::to_string(v.old_size) + " -> " + std::to_string(v.new_size));
    Result<std::vector<Hash256>> proof = tree.ConsistencyProof(v.old_size, v.new_size);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(*proof, v.proof);
    Status status = VerifyConsistency(v.old_size, v.new_size, H(kRoots[v.old_size - 1]),
                                      H(kRoots[v.new_size - 1]), v.proof);
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
}

// The published 6 -> 8 proof, tampered with in the ways the CT reference tests check.
TEST(MerkleTest, ConsistencyVectorTampering) {
  const ConsistencyVector& v = ConsistencyVectors()[2];
  ASSERT_EQ(v.old_size, 6u);
  ASSERT_EQ(v.new_size, 8u);
  const Hash256 old_root = H(kRoots[5]);
  const Hash256 new_root = H(kRoots[7]);
  // Too short.
  std::vector<Hash256> shorter(v.proof.begin(), v.proof.end() - 1);
  EXPECT_EQ(VerifyConsistency(6, 8, old_root, new_root, shorter).code(), StatusCode::kDataLoss);
  // A bit flipped in the new root, in the old root, in both.
  EXPECT_EQ(VerifyConsistency(6, 8, old_root, Flipped(new_root, 0), v.proof).code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(VerifyConsistency(6, 8, Flipped(old_root, 0), new_root, v.proof).code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(VerifyConsistency(6, 8, Flipped(old_root, 0), Flipped(new_root, 0), v.proof).code(),
            StatusCode::kDataLoss);
  // The newer tree smaller than the older.
  EXPECT_EQ(VerifyConsistency(8, 6, new_root, old_root, v.proof).code(),
            StatusCode::kInvalidArgument);
  // The right proof presented for size 7, with the published size-7 root.
  EXPECT_EQ(VerifyConsistency(6, 7, old_root, H(kRoots[6]), v.proof).code(), StatusCode::kDataLoss);
}

// The CT Python reference accepts a bogus proof when the old tree is empty or both sizes are
// equal ("it should be ignored"); a strict verifier must not.
TEST(MerkleTest, BogusProofsThatLaxVerifiersIgnore) {
  const Hash256 empty = H(kEmptyTreeRoot);
  const Hash256 root1 = H(kRoots[0]);
  EXPECT_EQ(VerifyConsistency(0, 1, empty, root1, {root1}).code(), StatusCode::kDataLoss);
  EXPECT_TRUE(VerifyConsistency(0, 1, empty, root1, {}).ok());
  EXPECT_EQ(VerifyConsistency(3, 3, root1, root1, {root1}).code(), StatusCode::kDataLoss);
  EXPECT_TRUE(VerifyConsistency(3, 3, root1, root1, {}).ok());
  EXPECT_EQ(VerifyConsistency(3, 3, Flipped(root1, 0), root1, {}).code(), StatusCode::kDataLoss);
}

TEST(MerkleTest, EmptyOldTree) {
  const Hash256 empty = EmptyTreeRoot();
  const Hash256 root8 = H(kRoots[7]);
  EXPECT_TRUE(VerifyConsistency(0, 8, empty, root8, {}).ok());
  EXPECT_TRUE(VerifyConsistency(0, 0, empty, empty, {}).ok());
  // A "tree of 0 leaves" whose root is not the empty tree's is not one.
  EXPECT_EQ(VerifyConsistency(0, 8, root8, root8, {}).code(), StatusCode::kDataLoss);
  EXPECT_EQ(VerifyConsistency(0, 0, empty, root8, {}).code(), StatusCode::kDataLoss);
  EXPECT_EQ(VerifyConsistency(0, 0, root8, root8, {}).code(), StatusCode::kDataLoss);
  EXPECT_EQ(VerifyConsistency(0, 8, empty, root8, {empty}).code(), StatusCode::kDataLoss);
  EXPECT_EQ(VerifyConsistency(1, 0, root8, empty, {}).code(), StatusCode::kInvalidArgument);
}

// A real CT log: leaf 848049 of a tree of 3630887 entries (22-node audit path).
TEST(MerkleTest, ProductionLogAuditPath) {
  const Hash256 leaf = H("7a395c866d5ecdb0cccb623e011dbc392cd348d1d1d72776174e127a24b09c78");
  const Hash256 root = H("78316a05c9bcf14a3a4548f5b854a9adfcd46a4c034401b3ce7eb7ac2f1d0ecb");
  const uint64_t index = 848049;
  const uint64_t tree_size = 3630887;
  const std::vector<Hash256> path = Hs({
      "1a208aeebcd1b39fe2de247ee8db9454e1e93a312d206b87f6ca9cc6ec6f1ddd",
      "0a1b78b383f580856f433c01a5741e160d451c185910027f6cc9f828687a40c4",
      "3d1745789bc63f2da15850de1c12a5bf46ed81e1cc90f086148b1662e79aab3d",
      "9095b61e14d8990acf390905621e62b1714fb8e399fbb71de5510e0aef45affe",
      "0a332b91b8fab564e6afd1dd452449e04619b18accc0ff9aa8393cd4928451f2",
      "2336f0181d264aed6d8f3a6507ca14a8d3b3c3a23791ac263e845d208c1ee330",
      "b4ce56e300590500360c146c6452edbede25d4ed83919278749ee5dbe178e048",
      "933f6ddc848ea562e4f9c5cfb5f176941301dad0c6fdb9d1fbbe34fac1be6966",
      "b95a6222958a86f74c030be27c44f57dbe313e5e7c7f4ffb98bcbd3a03bb52f2",
      "daeeb3ce5923defd0faeb8e0c210b753b85b809445d7d3d3cd537a9aabaa9c45",
      "7fadd0a13e9138a2aa6c3fdec4e2275af233b94812784f66bcca9aa8e989f2bc",
      "1864e6ba3e32878610546539734fb5eeae2529991f130c575c73a7e25a2a7c56",
      "12842d1202b1dc6828a17ab253c02e7ce9409b5192430feba44189f39cc02d66",
      "29af64b16fa3053c13d02ac63aa75b23aa468506e44c3a2315edc85d2dc22b11",
      "b527b99934a0bd9edd154e449b0502e2c499bba783f3bc3dfe23364b6b532009",
      "4584db8ae8e351ace08e01f306378a92bfd43611714814f3d834a2842d69faa8",
      "86a9a41573b0d6e4292f01e93243d6cc65b30f06606fc6fa57390e7e90ed580f",
      "a88b98fbe84d4c6aae8db9d1605dfac059d9f03fe0fcb0d5dff1295dacba09e6",
      "06326dc617a6d1f7021dc536026dbfd5fffc6f7c5531d48ef6ccd1ed1569f2a1",
      "f41fe8fdc3a2e4e8345e30216e7ebecffee26ff266eeced208a6c2a3cf08f960",
      "40cf5bde8abb76983f3e98ba97aa36240402975674e120f234b3448911090f8d",
      "b3222dc8658538079883d980d7fdc2bef9285344ea34338968f736b04aeb387a",
  });
  ASSERT_EQ(path.size(), 22u);
  Status ok = VerifyInclusion(leaf, index, tree_size, path, root);
  EXPECT_TRUE(ok.ok()) << ok.ToString();
  EXPECT_EQ(VerifyInclusion(leaf, index, tree_size, path, H(std::string(64, '0'))).code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(VerifyInclusion(leaf, index + 1, tree_size, path, root).code(), StatusCode::kDataLoss);
  // The CT reference's "too short proof" case: an index far beyond what 22 nodes can reach.
  EXPECT_EQ(VerifyInclusion(leaf, index + (uint64_t{1} << 23), tree_size, path, root).code(),
            StatusCode::kInvalidArgument);
  std::vector<Hash256> shorter(path.begin(), path.end() - 1);
  EXPECT_EQ(VerifyInclusion(leaf, index, tree_size, shorter, root).code(), StatusCode::kDataLoss);
  std::vector<Hash256> longer = path;
  longer.push_back(root);
  EXPECT_EQ(VerifyInclusion(leaf, index, tree_size, longer, root).code(), StatusCode::kDataLoss);
}

// ---- Exhaustive checks against the naive implementation --------------------------------

constexpr uint64_t kMaxSize = 64;

class MerkleExhaustiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    leaves_ = GeneratedLeaves(kMaxSize + 1);
    for (const Hash256& leaf : leaves_) tree_.Append(leaf);
    for (uint64_t size = 0; size <= kMaxSize + 1; ++size) {
      roots_.push_back(RefMth(std::span<const Hash256>(leaves_).first(size)));
    }
  }

  std::span<const Hash256> Leaves(uint64_t size) const {
    return std::span<const Hash256>(leaves_).first(size);
  }

  std::vector<Hash256> leaves_;
  std::vector<Hash256> roots_;  // roots_[n] = MTH of the first n leaves
  MerkleTree tree_;
};

TEST_F(MerkleExhaustiveTest, RootsTreeAndFrontierAgree) {
  MerkleFrontier frontier;
  for (uint64_t size = 0; size <= kMaxSize + 1; ++size) {
    EXPECT_EQ(tree_.RootAt(size), roots_[size]) << size;
    EXPECT_EQ(frontier.Root(), roots_[size]) << size;
    // The frontier holds the perfect subtrees covering [0, size), largest first.
    std::vector<Hash256> expected;
    uint64_t start = 0;
    for (int bit = 63; bit >= 0; --bit) {
      const uint64_t width = uint64_t{1} << bit;
      if ((size & width) == 0) continue;
      expected.push_back(RefMth(std::span<const Hash256>(leaves_).subspan(start, width)));
      start += width;
    }
    EXPECT_EQ(frontier.hashes(), expected) << size;
    if (size < leaves_.size()) frontier.Append(leaves_[size]);
  }
}

TEST_F(MerkleExhaustiveTest, EveryInclusionProof) {
  for (uint64_t size = 1; size <= kMaxSize; ++size) {
    for (uint64_t index = 0; index < size; ++index) {
      SCOPED_TRACE("leaf " + std::to_string(index) + " of " + std::to_string(size));
      Result<std::vector<Hash256>> proof = tree_.InclusionProof(index, size);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, RefPath(index, Leaves(size)));
      Status status = VerifyInclusion(leaves_[index], index, size, *proof, roots_[size]);
      ASSERT_TRUE(status.ok()) << status.ToString();
    }
  }
}

TEST_F(MerkleExhaustiveTest, EveryConsistencyProof) {
  for (uint64_t new_size = 1; new_size <= kMaxSize; ++new_size) {
    for (uint64_t old_size = 1; old_size <= new_size; ++old_size) {
      SCOPED_TRACE(std::to_string(old_size) + " -> " + std::to_string(new_size));
      Result<std::vector<Hash256>> proof = tree_.ConsistencyProof(old_size, new_size);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, RefSubproof(old_size, Leaves(new_size), true));
      Status status =
          VerifyConsistency(old_size, new_size, roots_[old_size], roots_[new_size], *proof);
      ASSERT_TRUE(status.ok()) << status.ToString();
    }
    // From the empty tree, with nothing to prove.
    EXPECT_TRUE(VerifyConsistency(0, new_size, roots_[0], roots_[new_size], {}).ok());
  }
}

TEST_F(MerkleExhaustiveTest, TamperedInclusionProofsAreRejected) {
  for (uint64_t size = 1; size <= kMaxSize; ++size) {
    for (uint64_t index = 0; index < size; ++index) {
      SCOPED_TRACE("leaf " + std::to_string(index) + " of " + std::to_string(size));
      const std::vector<Hash256> proof = *tree_.InclusionProof(index, size);
      const Hash256& leaf = leaves_[index];
      const Hash256& root = roots_[size];
      // The reason names the defect: a wrong count is told apart from a wrong hash.
      auto expect_loss = [&](const std::vector<Hash256>& bad, std::string_view reason) {
        Status status = VerifyInclusion(leaf, index, size, bad, root);
        EXPECT_EQ(status.code(), StatusCode::kDataLoss) << reason;
        EXPECT_NE(status.message().find(reason), std::string::npos) << status.message();
      };
      for (size_t i = 0; i < proof.size(); ++i) {
        std::vector<Hash256> bad = proof;
        bad[i] = Flipped(bad[i], i * 37);
        expect_loss(bad, "does not lead to the root");
        bad = proof;
        bad.erase(bad.begin() + i);
        expect_loss(bad, "fewer than");
      }
      for (size_t at = 0; at <= proof.size(); ++at) {
        for (const Hash256& extra : {Hash256{}, root, leaf}) {
          std::vector<Hash256> bad = proof;
          bad.insert(bad.begin() + at, extra);
          expect_loss(bad, "more than");
        }
      }
      EXPECT_EQ(VerifyInclusion(Flipped(leaf, 9), index, size, proof, root).code(),
                StatusCode::kDataLoss);
      EXPECT_EQ(VerifyInclusion(leaf, index, size, proof, Flipped(root, 200)).code(),
                StatusCode::kDataLoss);
      // Any other index in the same tree.
      for (uint64_t other = 0; other < size; ++other) {
        if (other == index) continue;
        EXPECT_EQ(VerifyInclusion(leaf, other, size, proof, root).code(), StatusCode::kDataLoss)
            << "as leaf " << other;
      }
      // Impossible indices.
      EXPECT_EQ(VerifyInclusion(leaf, size, size, proof, root).code(),
                StatusCode::kInvalidArgument);
      EXPECT_EQ(VerifyInclusion(leaf, UINT64_MAX, size, proof, root).code(),
                StatusCode::kInvalidArgument);
      EXPECT_EQ(VerifyInclusion(leaf, index, 0, proof, root).code(), StatusCode::kInvalidArgument);
      // Any other tree size. With that size's real root the proof never verifies. With this
      // size's root it verifies only if both sizes give the leaf the same path shape: then
      // the proof bytes cannot say which size they were made for, and only the signed tree
      // head (size and root together) can.
      for (uint64_t other_size = index + 1; other_size <= kMaxSize + 1; ++other_size) {
        if (other_size == size) continue;
        EXPECT_EQ(VerifyInclusion(leaf, index, other_size, proof, roots_[other_size]).code(),
                  StatusCode::kDataLoss)
            << "as size " << other_size << " with its root";
        const bool same_shape = RefPathShape(index, other_size) == RefPathShape(index, size);
        Status status = VerifyInclusion(leaf, index, other_size, proof, root);
        EXPECT_EQ(status.ok(), same_shape) << "as size " << other_size << ": " << status.ToString();
        if (!same_shape) {
          EXPECT_EQ(status.code(), StatusCode::kDataLoss);
        }
      }
    }
  }
}

TEST_F(MerkleExhaustiveTest, TamperedConsistencyProofsAreRejected) {
  for (uint64_t new_size = 1; new_size <= kMaxSize; ++new_size) {
    for (uint64_t old_size = 1; old_size <= new_size; ++old_size) {
      SCOPED_TRACE(std::to_string(old_size) + " -> " + std::to_string(new_size));
      const std::vector<Hash256> proof = *tree_.ConsistencyProof(old_size, new_size);
      const Hash256& old_root = roots_[old_size];
      const Hash256& new_root = roots_[new_size];
      auto expect_loss = [&](const std::vector<Hash256>& bad, std::string_view reason) {
        Status status = VerifyConsistency(old_size, new_size, old_root, new_root, bad);
        EXPECT_EQ(status.code(), StatusCode::kDataLoss) << reason;
        EXPECT_NE(status.message().find(reason), std::string::npos) << status.message();
      };
      const bool equal_sizes = old_size == new_size;
      for (size_t i = 0; i < proof.size(); ++i) {
        std::vector<Hash256> bad = proof;
        bad[i] = Flipped(bad[i], i * 41 + 3);
        expect_loss(bad, "does not lead to the");
        bad = proof;
        bad.erase(bad.begin() + i);
        expect_loss(bad, bad.empty() ? "is empty" : "fewer than");
      }
      for (size_t at = 0; at <= proof.size(); ++at) {
        for (const Hash256& extra : {Hash256{}, old_root, new_root}) {
          std::vector<Hash256> bad = proof;
          bad.insert(bad.begin() + at, extra);
          expect_loss(bad, equal_sizes ? "must have no nodes" : "more than");
        }
      }
      EXPECT_EQ(VerifyConsistency(old_size, new_size, Flipped(old_root, 5), new_root, proof).code(),
                StatusCode::kDataLoss);
      EXPECT_EQ(
          VerifyConsistency(old_size, new_size, old_root, Flipped(new_root, 77), proof).code(),
          StatusCode::kDataLoss);
      if (old_size == new_size) continue;
      EXPECT_EQ(VerifyConsistency(old_size, new_size, old_root, new_root, {}).code(),
                StatusCode::kDataLoss)
          << "empty proof";
      EXPECT_EQ(VerifyConsistency(old_size, new_size, new_root, old_root, proof).code(),
                StatusCode::kDataLoss)
          << "roots swapped";
      EXPECT_EQ(VerifyConsistency(new_size, old_size, new_root, old_root, proof).code(),
                StatusCode::kInvalidArgument)
          << "sizes swapped";
      EXPECT_EQ(VerifyConsistency(0, new_size, roots_[0], new_root, proof).code(),
                StatusCode::kDataLoss)
          << "from the empty tree";
      // Neighbouring sizes: rejected with their real roots; with these roots, accepted only
      // if the proof shape is the same (see the inclusion test above).
      const SubproofShape shape = RefSubproofShape(old_size, new_size);
      for (uint64_t other_old = old_size - 1; other_old <= old_size + 1; ++other_old) {
        for (uint64_t other_new = new_size - 1; other_new <= new_size + 1; ++other_new) {
          if (other_old == old_size && other_new == new_size) continue;
          if (other_old == 0 || other_old > other_new) continue;
          SCOPED_TRACE("as " + std::to_string(other_old) + " -> " + std::to_string(other_new));
          EXPECT_EQ(
              VerifyConsistency(other_old, other_new, roots_[other_old], roots_[other_new], proof)
                  .code(),
              StatusCode::kDataLoss);
          const bool same_shape =
              other_old < other_new && RefSubproofShape(other_old, other_new) == shape;
          Status status = VerifyConsistency(other_old, other_new, old_root, new_root, proof);
          EXPECT_EQ(status.ok(), same_shape) << status.ToString();
          if (!same_shape) {
            EXPECT_EQ(status.code(), StatusCode::kDataLoss);
          }
        }
      }
    }
  }
}

TEST_F(MerkleExhaustiveTest, GeneratorRejectsImpossibleRequests) {
  const uint64_t size = tree_.size();
  EXPECT_EQ(tree_.InclusionProof(0, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tree_.InclusionProof(size, size).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tree_.InclusionProof(0, size + 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tree_.InclusionProof(5, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tree_.ConsistencyProof(0, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tree_.ConsistencyProof(4, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tree_.ConsistencyProof(3, size + 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(tree_.ConsistencyProof(size, size).ok());
  EXPECT_TRUE(tree_.ConsistencyProof(size, size)->empty());
}

// ---- MerkleFrontier persistence ------------------------------------------------------

TEST_F(MerkleExhaustiveTest, FrontierFromHashesRoundTrip) {
  MerkleFrontier frontier;
  for (uint64_t size = 0; size <= kMaxSize; ++size) {
    Result<MerkleFrontier> restored = MerkleFrontier::FromHashes(size, frontier.hashes());
    ASSERT_TRUE(restored.ok()) << restored.status().ToString();
    EXPECT_EQ(restored->size(), size);
    EXPECT_EQ(restored->Root(), roots_[size]);
    // A restored frontier keeps growing exactly like the original.
    MerkleFrontier grown = *restored;
    for (uint64_t next = size; next <= kMaxSize; ++next) grown.Append(leaves_[next]);
    EXPECT_EQ(grown.Root(), roots_[kMaxSize + 1]) << size;
    frontier.Append(leaves_[size]);
  }
}

TEST(MerkleFrontierTest, FromHashesRejectsWrongCounts) {
  const Hash256 h = H(kRoots[0]);
  struct Case {
    uint64_t size;
    size_t hash_count;
  };
  for (const Case& c : {Case{0, 1}, Case{1, 0}, Case{1, 2}, Case{5, 1}, Case{5, 3}, Case{8, 0},
                        Case{8, 2}, Case{7, 2}, Case{UINT64_MAX, 63}, Case{uint64_t{1} << 63, 0}}) {
    Result<MerkleFrontier> f =
        MerkleFrontier::FromHashes(c.size, std::vector<Hash256>(c.hash_count, h));
    ASSERT_FALSE(f.ok()) << c.size << " with " << c.hash_count;
    EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(f.status().message().find(std::to_string(c.size)), std::string::npos)
        << f.status().message();
  }
  EXPECT_TRUE(MerkleFrontier::FromHashes(UINT64_MAX, std::vector<Hash256>(64, h)).ok());
  EXPECT_TRUE(MerkleFrontier::FromHashes(uint64_t{1} << 63, {h}).ok());
  EXPECT_TRUE(MerkleFrontier::FromHashes(0, {}).ok());
}

// Size 2^16 + 5: proofs are answered from the stored levels and agree with the frontier.
TEST(MerkleLargeTreeTest, SpotChecks) {
  const uint64_t size = (uint64_t{1} << 16) + 5;
  MerkleTree tree;
  MerkleFrontier frontier;
  std::vector<Hash256> roots_seen;
  for (const Hash256& leaf : GeneratedLeaves(size)) {
    tree.Append(leaf);
    frontier.Append(leaf);
    if (tree.size() == 1000 || tree.size() == 65536) roots_seen.push_back(frontier.Root());
  }
  ASSERT_EQ(roots_seen.size(), 2u);
  const Hash256 root = frontier.Root();
  EXPECT_EQ(tree.RootAt(size), root);
  EXPECT_EQ(tree.RootAt(1000), roots_seen[0]);
  EXPECT_EQ(tree.RootAt(65536), roots_seen[1]);
  // Path lengths by hand: 16 levels inside the left 2^16 subtree plus the right 5-leaf
  // subtree's root; in the right subtree [4 | 1], 2 + 1 + 1 and 0 + 1 + 1.
  struct Case {
    uint64_t index;
    size_t path_length;
  };
  for (const Case& c : {Case{0, 17}, Case{1, 17}, Case{999, 17}, Case{65535, 17}, Case{65536, 4},
                        Case{size - 1, 2}}) {
    const uint64_t index = c.index;
    Result<std::vector<Hash256>> proof = tree.InclusionProof(index, size);
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(proof->size(), c.path_length) << index;
    EXPECT_TRUE(VerifyInclusion(tree.LeafHash(index), index, size, *proof, root).ok()) << index;
  }
  for (uint64_t old_size : {uint64_t{1000}, uint64_t{65536}}) {
    Result<std::vector<Hash256>> proof = tree.ConsistencyProof(old_size, size);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(VerifyConsistency(old_size, size, tree.RootAt(old_size), root, *proof).ok());
  }
}

}  // namespace
}  // namespace ura::journal

namespace ura::journal {
namespace {

// The parallel verifier appends whole aligned subtrees; that must give the same frontier
// (and so the same roots) as appending every leaf.
TEST(MerkleSubtreeTest, AlignedSubtreesRebuildTheSameFrontier) {
  std::vector<Hash256> leaves;
  for (int i = 0; i < 300; ++i) leaves.push_back(crypto::Sha256(AsBytes(std::to_string(i))));
  for (uint64_t cut1 : {0, 1, 7, 64, 100}) {
    for (uint64_t cut2 : {cut1, cut1 + 1, cut1 + 63, cut1 + 130, uint64_t{300}}) {
      if (cut2 > 300) continue;
      MerkleFrontier by_leaf, by_subtree;
      for (uint64_t i = 0; i < 300; ++i) by_leaf.Append(leaves[i]);
      for (uint64_t i = 0; i < cut1; ++i) by_subtree.Append(leaves[i]);
      uint64_t covered = cut1;
      for (auto [begin, end] : {std::pair{cut1, cut2}, std::pair{cut2, uint64_t{300}}}) {
        for (const auto& [start, height] : AlignedSubtrees(begin, end)) {
          EXPECT_EQ(start, covered);
          EXPECT_EQ(start % (uint64_t{1} << height), 0u);
          by_subtree.AppendSubtree(PerfectSubtreeRoot(&leaves[start], height), height);
          covered += uint64_t{1} << height;
        }
      }
      EXPECT_EQ(covered, 300u);
      EXPECT_EQ(by_subtree.size(), 300u);
      EXPECT_EQ(by_subtree.Root(), by_leaf.Root()) << cut1 << " " << cut2;
      EXPECT_EQ(by_subtree.hashes(), by_leaf.hashes());
    }
  }
}

}  // namespace
}  // namespace ura::journal
