// The command line in-process, with a fault-injecting file system: a full disk and a
// read-only file system each give one clear line, a non-zero exit, and an untouched store.
#include "cli/cli.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>

#include "base/fault_file_system.h"
#include "journal/journal_reader.h"
#include "journal/journal_testing.h"

namespace ura::cli {
namespace {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("URA_PASSPHRASE", "a long enough test passphrase", 1);
    EXPECT_EQ(Run({"init", "--kdf-memory-mib", "8", "--kdf-ops", "1"}), kExitOk) << err_.str();
  }
  void TearDown() override { ::unsetenv("URA_PASSPHRASE"); }

  int Run(std::vector<std::string> args, FileSystem* fs = nullptr, const std::string& input = "") {
    out_.str("");
    err_.str("");
    std::vector<std::string> full = {"ura", "--data", tmp_.Sub("store")};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<const char*> argv;
    for (const auto& a : full) argv.push_back(a.c_str());
    Context ctx;
    ctx.fs = fs ? fs : &DefaultFileSystem();
    ctx.clock = &clock_;
    ctx.out = &out_;
    ctx.err = &err_;
    if (!input.empty()) {
      std::string path = tmp_.Sub("input.txt");
      EXPECT_TRUE(WriteFileAtomically(DefaultFileSystem(), path, AsBytes(input)).ok());
      argv.push_back(path.c_str());
      int rc = ura::cli::Run(static_cast<int>(argv.size()), argv.data(), ctx);
      return rc;
    }
    return ura::cli::Run(static_cast<int>(argv.size()), argv.data(), ctx);
  }

  uint64_t TreeSize() {
    journal::StorePaths paths(tmp_.Sub("store"));
    auto meta = journal::LoadStoreMeta(DefaultFileSystem(), paths);
    return journal::ReadLatestHead(DefaultFileSystem(), paths, *meta)->tree_size;
  }

  journal::testing::TempDir tmp_;
  SystemClock clock_;
  std::ostringstream out_, err_;
};

TEST_F(CliTest, FullDiskIsOneClearLineAndLosesNothing) {
  ASSERT_EQ(Run({"journal", "append"}, nullptr, "a\nb\n"), kExitOk) << err_.str();
  ASSERT_EQ(TreeSize(), 2u);
  FaultFileSystem full(DefaultFileSystem());
  full.FailAt(FaultFileSystem::Op::kWrite, 1, ENOSPC, /*sticky=*/true);
  EXPECT_EQ(Run({"journal", "append"}, &full, "c\nd\n"), kExitFailed);
  std::string message = err_.str();
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
  EXPECT_NE(message.find("disk is full"), std::string::npos) << message;
  EXPECT_EQ(TreeSize(), 2u);
  EXPECT_EQ(Run({"verify"}), kExitOk) << out_.str();
  EXPECT_EQ(Run({"journal", "append"}, nullptr, "c\n"), kExitOk) << err_.str();
  EXPECT_EQ(TreeSize(), 3u);
}

TEST_F(CliTest, ReadOnlyFileSystemIsOneClearLine) {
  FaultFileSystem readonly(DefaultFileSystem());
  readonly.FailAt(FaultFileSystem::Op::kCreate, 1, EROFS, /*sticky=*/true);
  EXPECT_EQ(Run({"journal", "append"}, &readonly, "a\n"), kExitFailed);
  EXPECT_NE(err_.str().find("read-only"), std::string::npos) << err_.str();
  EXPECT_EQ(TreeSize(), 0u);
  EXPECT_EQ(Run({"verify"}), kExitOk);
}

TEST_F(CliTest, IoErrorDuringSyncIsReported) {
  FaultFileSystem failing(DefaultFileSystem());
  failing.FailAt(FaultFileSystem::Op::kSync, 2, EIO);
  EXPECT_EQ(Run({"journal", "append"}, &failing, "a\nb\n"), kExitFailed);
  EXPECT_NE(err_.str().find("Input/output error"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"verify"}), kExitOk);
  EXPECT_EQ(Run({"journal", "append"}, nullptr, "a\n"), kExitOk) << err_.str();
}

}  // namespace
}  // namespace ura::cli
