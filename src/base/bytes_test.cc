#include "base/bytes.h"

#include <gtest/gtest.h>

namespace ura {
namespace {

TEST(BytesTest, LittleEndianRoundTrip) {
  uint8_t buf[8];
  PutU64(buf, 0x0102030405060708ull);
  EXPECT_EQ(buf[0], 0x08);
  EXPECT_EQ(buf[7], 0x01);
  EXPECT_EQ(GetU64(buf), 0x0102030405060708ull);
  PutU32(buf, 0xdeadbeef);
  EXPECT_EQ(buf[0], 0xef);
  EXPECT_EQ(GetU32(buf), 0xdeadbeefu);
  PutU16(buf, 0xabcd);
  EXPECT_EQ(GetU16(buf), 0xabcd);
}

TEST(BytesTest, Hex) {
  Bytes b = {0x00, 0x0f, 0xa0, 0xff};
  EXPECT_EQ(HexEncode(b), "000fa0ff");
  EXPECT_EQ(*HexDecode("000FA0ff"), b);
  EXPECT_FALSE(HexDecode("abc").ok());
  Result<Bytes> bad = HexDecode("zz");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("position 0"), std::string::npos);
}

}  // namespace
}  // namespace ura
