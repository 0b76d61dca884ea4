#include "base/status.h"

#include <cerrno>

#include <gtest/gtest.h>

namespace ura {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  URA_ASSIGN_OR_RETURN(int h, Half(x));
  URA_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = NotFound("no store at /x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "NOT_FOUND: no store at /x");
  EXPECT_EQ(s.WithContext("open").message(), "open: no store at /x");
}

TEST(StatusTest, ResultPropagates) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd: 3");
}

TEST(StatusTest, CorruptionCarriesLocation) {
  Status s = Corruption("bad frame", {"seg", 40, 7, "header-checksum"});
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  ASSERT_TRUE(s.corruption().has_value());
  EXPECT_EQ(*s.corruption()->sequence, 7u);
  EXPECT_EQ(*s.corruption()->offset, 40u);
}

TEST(StatusTest, ErrnoMapping) {
  EXPECT_EQ(ErrnoStatus(ENOSPC, "write", "f").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrnoStatus(EROFS, "write", "f").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrnoStatus(EIO, "write", "f").code(), StatusCode::kIoError);
  EXPECT_NE(ErrnoStatus(ENOSPC, "write", "f").message().find("disk is full"), std::string::npos);
}

}  // namespace
}  // namespace ura
