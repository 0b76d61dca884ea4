#include "access/password.h"

#include <gtest/gtest.h>

namespace ura::access {
namespace {

TEST(PasswordTest, HashVerifyRoundTrip) {
  auto hash = HashPassword("correct horse battery 9", kMinimumPasswordCost);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(IsPasswordHash(*hash));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery 9"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery 8"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery 9 "));
  // A random salt: the same password hashes differently each time.
  auto again = HashPassword("correct horse battery 9", kMinimumPasswordCost);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*hash, *again);
  EXPECT_TRUE(VerifyPassword(*again, "correct horse battery 9"));
}

TEST(PasswordTest, VerifiesTheReferenceImplementationsHash) {
  // phc-winner-argon2 (the reference implementation) README/test.c: password "password",
  // salt "somesalt", t=2, m=64 MiB, p=1 -- an independent source for the string format.
  const std::string reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
  EXPECT_TRUE(VerifyPassword(reference, "password"));
  EXPECT_FALSE(VerifyPassword(reference, "passwore"));
  const std::string different =
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$C4TWUs9rDEvq7w3+J4umqA32aWKB1+DSiRuBfYxFj94";
  EXPECT_TRUE(VerifyPassword(different, "differentpassword"));
  EXPECT_FALSE(VerifyPassword(different, "password"));
  auto cost = PasswordHashCost(reference);
  ASSERT_TRUE(cost.ok()) << cost.status().ToString();
  EXPECT_EQ(cost->ops_limit, 2u);
  EXPECT_EQ(cost->mem_limit_bytes, 64u << 20);
}

TEST(PasswordTest, DefaultCost) {
  auto hash = HashPassword("correct horse battery 9");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery 9"));
}

TEST(PasswordTest, MalformedHashesNeverVerify) {
  auto hash = HashPassword("password", kMinimumPasswordCost);
  ASSERT_TRUE(hash.ok());
  std::string damaged = *hash;
  damaged[damaged.size() - 3] = damaged[damaged.size() - 3] == 'A' ? 'B' : 'A';
  for (const std::string& bad : {std::string(""), std::string("password"), std::string("$argon2id$"), damaged,
                                 // argon2i is not accepted, even if correct for the password.
                                 std::string("$argon2i$v=19$m=65536,t=1,p=1$c29tZXNhbHQ$0WgHXE2YXhPr6uVgz4uUw7XYoWxRkWtvSsLaOsEbvs8"),
                                 hash->substr(0, hash->size() - 1), *hash + std::string(1, '\0')}) {
    EXPECT_FALSE(VerifyPassword(bad, "password")) << bad;
  }
  EXPECT_FALSE(PasswordHashCost("$argon2id$v=19$m=,t=1,p=1$x$y").ok());
  EXPECT_FALSE(PasswordHashCost("bcrypt").ok());
}

TEST(PasswordTest, CostsBelowTheMinimumAreRefused) {
  auto hash = HashPassword("password", PasswordCost{0, 8192});
  EXPECT_EQ(hash.status().code(), StatusCode::kInvalidArgument);
  hash = HashPassword("password", PasswordCost{1, 1024});
  EXPECT_EQ(hash.status().code(), StatusCode::kInvalidArgument);
}

TEST(PasswordQualityTest, GoodPasswordsPass) {
  for (const char* good : {"correct horse battery staple!", "Tr0ub4dor&3xyz", "kalë i bardhë 42", "1234 abcd 5678 efgh"}) {
    Status s = CheckPasswordQuality(good, "j.smith");
    EXPECT_TRUE(s.ok()) << good << ": " << s.ToString();
  }
}

TEST(PasswordQualityTest, BadPasswordsSayWhatIsNeededWithoutEchoingThem) {
  const struct {
    std::string password;
    const char* needed;
  } kCases[] = {
      {"Short1!", "at least 12 characters"},
      {"ëëëëëëëë1", "at least 12 characters"},  // 18 bytes but 9 characters
      {"xJ.Smith-2026-winter", "not containing the user name"},
      {"alllowercaseletters", "two kinds"},
      {"123456789012345", "two kinds"},
      {"aaaaaaaaaaaa1111", "5 different characters"},
      {"abcabcabcabc123\n", "no control characters"},
      {std::string("good password 12\xff"), "UTF-8"},
      {std::string(kMaxPasswordBytes + 1, 'a') + "B", "at most 1024 bytes"},
  };
  for (const auto& c : kCases) {
    Status s = CheckPasswordQuality(c.password, "j.smith");
    ASSERT_FALSE(s.ok()) << c.password;
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find(c.needed), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find(c.password), std::string::npos) << s.message();
  }
  // Several problems are all named.
  Status s = CheckPasswordQuality("aaaa", "bob");
  EXPECT_NE(s.message().find("12 characters"), std::string::npos);
  EXPECT_NE(s.message().find("two kinds"), std::string::npos);
  EXPECT_NE(s.message().find("5 different"), std::string::npos);
}

TEST(TokenTest, TokensAreRandomBase64UrlAndStoredAsSha256) {
  const std::string a = NewToken();
  const std::string b = NewToken();
  EXPECT_EQ(a.size(), 43u);  // 32 bytes, base64 without padding
  EXPECT_NE(a, b);
  for (char c : a) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << a;
  }
  // FIPS 180-2 example: SHA-256("abc").
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace ura::access
