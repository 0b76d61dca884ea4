// Known-answer tests use published vectors: FIPS 180-2 (SHA-256), RFC 8439 §2.8.2
// (ChaCha20-Poly1305), RFC 8032 §7.1 test 1 (Ed25519), RFC 4231 (HMAC-SHA256).
#include <gtest/gtest.h>

#include "crypto/aead.h"
#include "crypto/box.h"
#include "crypto/key_wrap.h"
#include "crypto/sha256.h"
#include "crypto/signature.h"

namespace ura::crypto {
namespace {

Bytes Hex(std::string_view h) { return *HexDecode(h); }

TEST(Sha256Test, FipsVectors) {
  EXPECT_EQ(HexEncode(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256(AsBytes(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256Hasher h;
  h.Update(AsBytes("ab"));
  h.Update(AsBytes("c"));
  EXPECT_EQ(HexEncode(h.Final()), HexEncode(Sha256(AsBytes("abc"))));
}

TEST(Sha256Test, MerkleForms) {
  // RFC 6962: the hash of an empty leaf is SHA-256(0x00).
  Bytes zero = {0x00};
  EXPECT_EQ(MerkleLeafHash(ByteView()), Sha256(zero));
  Hash256 a = Sha256(AsBytes("a")), b = Sha256(AsBytes("b"));
  Bytes node = {0x01};
  node.insert(node.end(), a.begin(), a.end());
  node.insert(node.end(), b.begin(), b.end());
  EXPECT_EQ(MerkleNodeHash(a, b), Sha256(node));
}

TEST(AeadTest, Rfc8439Vector) {
  Bytes key = Hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  Bytes nonce = Hex("070000004041424344454647");
  Bytes aad = Hex("50515253c0c1c2c3c4c5c6c7");
  std::string text =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.";
  auto aead = Aead::Create(key);
  ASSERT_TRUE(aead.ok());
  Bytes out;
  ASSERT_TRUE((*aead)->Seal(nonce, aad, AsBytes(text), out).ok());
  ASSERT_EQ(out.size(), text.size() + 16);
  EXPECT_EQ(HexEncode(ByteView(out).first(16)), "d31a8d34648e60db7b86afbc53ef7ec2");
  EXPECT_EQ(HexEncode(ByteView(out).last(16)), "1ae10b594f09e26a7e902ecbd0600691");

  Bytes plain;
  ASSERT_TRUE((*aead)->Open(nonce, aad, out, plain).ok());
  EXPECT_EQ(AsString(plain), text);

  // Any altered byte of ciphertext, tag or AAD is refused.
  for (size_t i = 0; i < out.size(); i += 7) {
    Bytes bad = out;
    bad[i] ^= 0x01;
    Bytes p;
    EXPECT_EQ((*aead)->Open(nonce, aad, bad, p).code(), StatusCode::kDataLoss) << i;
  }
  Bytes bad_aad = aad;
  bad_aad[0] ^= 1;
  Bytes p;
  EXPECT_FALSE((*aead)->Open(nonce, bad_aad, out, p).ok());
}

TEST(SignatureTest, Rfc8032Test1) {
  Bytes seed = Hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  auto signer = Ed25519Signer::FromSeed(seed);
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(HexEncode((*signer)->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  Signature sig = (*signer)->Sign(ByteView());
  EXPECT_EQ(HexEncode(sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
            "1cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(VerifyEd25519((*signer)->public_key(), ByteView(), sig));
  sig[5] ^= 0x20;
  EXPECT_FALSE(VerifyEd25519((*signer)->public_key(), ByteView(), sig));
}

TEST(SignatureTest, GeneratedKeysRoundTripThroughSeed) {
  auto signer = Ed25519Signer::Generate();
  SecretBytes seed = signer->ExportSeed();
  auto again = Ed25519Signer::FromSeed(seed.view());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->public_key(), signer->public_key());
  Signature sig = signer->Sign(AsBytes("head"));
  EXPECT_TRUE(VerifyEd25519(signer->public_key(), AsBytes("head"), sig));
  EXPECT_FALSE(VerifyEd25519(signer->public_key(), AsBytes("heae"), sig));
}

TEST(KeyWrapTest, DeriveWrapUnwrap) {
  Argon2Params fast{1, 8192};
  Bytes salt(16, 0x42);
  auto kek = DeriveKeyArgon2id("correct horse", salt, fast);
  ASSERT_TRUE(kek.ok());
  auto kek_again = DeriveKeyArgon2id("correct horse", salt, fast);
  EXPECT_EQ(HexEncode(kek->view()), HexEncode(kek_again->view()));
  auto wrong = DeriveKeyArgon2id("correct horsf", salt, fast);
  EXPECT_NE(HexEncode(kek->view()), HexEncode(wrong->view()));

  Bytes secret = RandomBytes(32);
  Bytes wrapped = WrapKey(*kek, AsBytes("slot-1"), secret);
  auto back = UnwrapKey(*kek, AsBytes("slot-1"), wrapped);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(HexEncode(back->view()), HexEncode(secret));
  EXPECT_EQ(UnwrapKey(*wrong, AsBytes("slot-1"), wrapped).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_FALSE(UnwrapKey(*kek, AsBytes("slot-2"), wrapped).ok());
}

}  // namespace
}  // namespace ura::crypto

namespace ura::crypto {
namespace {

// RFC 5869, appendix A.1.
TEST(DeriveKeyTest, Rfc5869TestCase1) {
  Bytes ikm(22, 0x0b);
  Bytes salt = HexDecode("000102030405060708090a0b0c").value();
  Bytes info = HexDecode("f0f1f2f3f4f5f6f7f8f9").value();
  auto okm = DeriveKey(ikm, salt, AsString(info), 42);
  ASSERT_TRUE(okm.ok());
  EXPECT_EQ(HexEncode(okm->view()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

}  // namespace
}  // namespace ura::crypto

namespace ura::crypto {
namespace {

// RFC 4231 test cases 1 and 2.
TEST(HmacTest, Rfc4231Vectors) {
  const Bytes key1(20, 0x0b);
  EXPECT_EQ(HexEncode(HmacSha256(key1, AsBytes("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(HmacSha256(AsBytes("Jefe"), AsBytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(BoxTest, SealOpenAndSharedSecret) {
  auto alice = BoxKeyPairFromSeed(Bytes(32, 1));
  auto bob = BoxKeyPairFromSeed(Bytes(32, 2));
  ASSERT_TRUE(alice.ok() && bob.ok());
  EXPECT_FALSE(BoxKeyPairFromSeed(Bytes(31, 1)).ok());
  // The same seed gives the same key pair.
  EXPECT_EQ(BoxKeyPairFromSeed(Bytes(32, 1))->public_key, alice->public_key);
  const Bytes sealed = SealToRecipient(bob->public_key, AsBytes("secret message"));
  EXPECT_EQ(sealed.size(), 14 + kSealOverhead);
  auto opened = OpenSealed(*bob, sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(AsString(opened->view()), "secret message");
  EXPECT_EQ(OpenSealed(*alice, sealed).status().code(), StatusCode::kDataLoss);
  Bytes altered = sealed;
  altered.back() ^= 1;
  EXPECT_EQ(OpenSealed(*bob, altered).status().code(), StatusCode::kDataLoss);
  EXPECT_FALSE(OpenSealed(*bob, ByteView(sealed.data(), 10)).ok());
  auto ab = SharedSecret(*alice, bob->public_key);
  auto ba = SharedSecret(*bob, alice->public_key);
  ASSERT_TRUE(ab.ok() && ba.ok());
  EXPECT_EQ(HexEncode(ab->view()), HexEncode(ba->view()));
  EXPECT_FALSE(SharedSecret(*alice, BoxPublicKey{}).ok());  // the all-zero point is of low order
}

}  // namespace
}  // namespace ura::crypto
