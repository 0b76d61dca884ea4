#include "access/totp.h"

#include <gtest/gtest.h>

namespace ura::access {
namespace {

// RFC 6238 appendix B and RFC 4226 appendix D: the secret is the ASCII text below.
const std::string kRfcSecretText = "12345678901234567890";
ByteView RfcSecret() { return AsBytes(kRfcSecretText); }

TEST(TotpTest, Rfc6238Sha1Vectors) {
  const struct {
    int64_t time;
    const char* code;
  } kVectors[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
                  {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& v : kVectors) {
    EXPECT_EQ(TotpCode(RfcSecret(), v.time, 8), v.code) << v.time;
    // Six digits are the last six of eight (both are the truncated value modulo a power of 10).
    EXPECT_EQ(TotpCode(RfcSecret(), v.time), std::string(v.code).substr(2)) << v.time;
  }
}

TEST(TotpTest, Rfc4226HotpVectors) {
  const char* kCodes[] = {"755224", "287082", "359152", "969429", "338314",
                          "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(HotpCode(RfcSecret(), counter), kCodes[counter]) << counter;
  }
}

TEST(TotpTest, StepBoundaries) {
  // 59 and 60 are in different 30-second steps; 30 and 59 in the same.
  EXPECT_EQ(TotpCode(RfcSecret(), 30), TotpCode(RfcSecret(), 59));
  EXPECT_NE(TotpCode(RfcSecret(), 59), TotpCode(RfcSecret(), 60));
  EXPECT_EQ(TotpCode(RfcSecret(), 60), HotpCode(RfcSecret(), 2));
}

TEST(Base32Test, Rfc4648VectorsWithoutPadding) {
  const struct {
    const char* plain;
    const char* encoded;
  } kVectors[] = {{"", ""},          {"f", "MY"},           {"fo", "MZXQ"},         {"foo", "MZXW6"},
                  {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
  for (const auto& v : kVectors) {
    EXPECT_EQ(Base32Encode(AsBytes(v.plain)), v.encoded) << v.plain;
    auto back = Base32Decode(v.encoded);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(AsString(*back), v.plain);
  }
  // The RFC's padded form, lower case and grouped, decodes too.
  auto padded = Base32Decode("mzxw 6ytb oi======");
  ASSERT_TRUE(padded.ok());
  EXPECT_EQ(AsString(*padded), "foobar");
  // The RFC 6238 secret as authenticator apps show it (Google Authenticator's wiki example).
  EXPECT_EQ(Base32Encode(RfcSecret()), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32Test, BadTextIsRefused) {
  for (const char* bad : {"M", "MZX", "MZXW6Y", "MZ1Q", "MZ8Q", "MY=A", "MY!"}) {
    EXPECT_FALSE(Base32Decode(bad).ok()) << bad;
  }
}

TEST(TotpTest, UriIsPercentEncoded) {
  EXPECT_EQ(TotpUri("Ura Police", "j.smith", RfcSecret()),
            "otpauth://totp/Ura%20Police:j.smith?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Ura%20Police&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(TotpUri("A&B:C", "x@y/z", AsBytes("f")),
            "otpauth://totp/A%26B%3AC:x%40y%2Fz?secret=MY&issuer=A%26B%3AC&algorithm=SHA1&digits=6&period=30");
}

TEST(TotpTest, NewSecretsAreRandom) {
  const Bytes a = NewTotpSecret();
  const Bytes b = NewTotpSecret();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, b);
}

TEST(TotpTest, WindowAcceptsNeighbouringStepsOnly) {
  const int64_t now = 1111111111;  // step 37037037
  const int64_t step = now / 30;
  for (int offset : {-1, 0, 1}) {
    int64_t last = -1;
    EXPECT_TRUE(CheckTotp(RfcSecret(), HotpCode(RfcSecret(), step + offset), now, 1, &last)) << offset;
    EXPECT_EQ(last, step + offset);
  }
  for (int offset : {-3, -2, 2, 3}) {
    int64_t last = -1;
    EXPECT_FALSE(CheckTotp(RfcSecret(), HotpCode(RfcSecret(), step + offset), now, 1, &last)) << offset;
    EXPECT_EQ(last, -1);
  }
  int64_t last = -1;
  EXPECT_FALSE(CheckTotp(RfcSecret(), HotpCode(RfcSecret(), step + 1), now, 0, &last));
  EXPECT_TRUE(CheckTotp(RfcSecret(), HotpCode(RfcSecret(), step), now, 0, &last));
}

TEST(TotpTest, ReplayIsRefused) {
  const int64_t now = 1234567890;
  const std::string code = TotpCode(RfcSecret(), now);
  int64_t last = -1;
  EXPECT_TRUE(CheckTotp(RfcSecret(), code, now, 1, &last));
  EXPECT_FALSE(CheckTotp(RfcSecret(), code, now, 1, &last));       // the same code twice
  EXPECT_FALSE(CheckTotp(RfcSecret(), code, now + 5, 1, &last));   // still the same step
  EXPECT_FALSE(CheckTotp(RfcSecret(), TotpCode(RfcSecret(), now - 30), now, 1, &last));  // older
  EXPECT_TRUE(CheckTotp(RfcSecret(), TotpCode(RfcSecret(), now + 30), now + 30, 1, &last));  // next step
  // Without a replay guard the same code passes again.
  EXPECT_TRUE(CheckTotp(RfcSecret(), code, now, 1, nullptr));
  EXPECT_TRUE(CheckTotp(RfcSecret(), code, now, 1, nullptr));
}

TEST(TotpTest, MalformedCodesAreRefused) {
  const int64_t now = 1234567890;
  const std::string code = TotpCode(RfcSecret(), now);
  for (const std::string& bad : {std::string(""), code.substr(0, 5), code + "0", std::string("12345a"),
                                 std::string(" ") + code.substr(1), TotpCode(RfcSecret(), now, 8)}) {
    int64_t last = -1;
    EXPECT_FALSE(CheckTotp(RfcSecret(), bad, now, 1, &last)) << bad;
  }
  // A wrong code: the right one with its last digit changed.
  std::string wrong = code;
  wrong.back() = wrong.back() == '9' ? '0' : static_cast<char>(wrong.back() + 1);
  int64_t last = -1;
  EXPECT_FALSE(CheckTotp(RfcSecret(), wrong, now, 1, &last));
}

}  // namespace
}  // namespace ura::access
