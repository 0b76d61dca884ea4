#include "base/file_system.h"

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "base/fault_file_system.h"

namespace ura {
namespace {

class FileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ura-fs-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(FileSystemTest, AppendReadRoundTrip) {
  FileSystem& fs = DefaultFileSystem();
  std::string path = JoinPath(dir_, "a");
  {
    auto f = fs.OpenWritable(path, OpenMode::kCreateNew);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append(AsBytes("hello ")).ok());
    ASSERT_TRUE((*f)->Append(AsBytes("world")).ok());
    ASSERT_TRUE((*f)->Sync().ok());
    EXPECT_EQ((*f)->Size(), 11u);
  }
  EXPECT_EQ(fs.OpenWritable(path, OpenMode::kCreateNew).status().code(),
            StatusCode::kAlreadyExists);
  auto data = ReadWholeFile(fs, path);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(AsString(*data), "hello world");
}

TEST_F(FileSystemTest, AtomicWriteReplaces) {
  FileSystem& fs = DefaultFileSystem();
  std::string path = JoinPath(dir_, "meta");
  ASSERT_TRUE(WriteFileAtomically(fs, path, AsBytes("one")).ok());
  ASSERT_TRUE(WriteFileAtomically(fs, path, AsBytes("two")).ok());
  EXPECT_EQ(AsString(*ReadWholeFile(fs, path)), "two");
  EXPECT_FALSE(fs.Exists(path + ".tmp"));
}

TEST_F(FileSystemTest, FaultInjectionFailsNthWriteAndDropsUnsynced) {
  FaultFileSystem fs(DefaultFileSystem());
  std::string path = JoinPath(dir_, "f");
  auto f = fs.OpenWritable(path, OpenMode::kCreateNew);
  ASSERT_TRUE(f.ok());
  fs.FailAt(FaultFileSystem::Op::kWrite, 2, ENOSPC);
  ASSERT_TRUE((*f)->Append(AsBytes("abcd")).ok());
  ASSERT_TRUE((*f)->Sync().ok());
  Status s = (*f)->Append(AsBytes("efgh"));
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(fs.Injected());
  EXPECT_EQ((*f)->Size(), 6u);  // torn: half of the failed write landed
  ASSERT_TRUE(fs.DropUnsyncedData().ok());
  EXPECT_EQ(AsString(*ReadWholeFile(fs, path)), "abcd");
}

TEST_F(FileSystemTest, FaultInjectionSticky) {
  FaultFileSystem fs(DefaultFileSystem());
  fs.FailAt(FaultFileSystem::Op::kSync, 1, EIO, /*sticky=*/true);
  auto f = fs.OpenWritable(JoinPath(dir_, "g"), OpenMode::kCreateNew);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ((*f)->Sync().code(), StatusCode::kIoError);
  EXPECT_EQ((*f)->Sync().code(), StatusCode::kIoError);
  fs.ClearFaults();
  EXPECT_TRUE((*f)->Sync().ok());
}

}  // namespace
}  // namespace ura
