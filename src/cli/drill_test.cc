// Each attack of `ura drill` as its own test: detected by the command an operator would run,
// and recovered (from backup, or for the index by rebuilding it) to the original journal.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/recovery_commands.h"
#include "journal/journal_testing.h"

namespace ura::cli {
namespace {

class DrillTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new journal::testing::TempDir();
    ctx_ = new Context();
    ctx_->fs = &DefaultFileSystem();
    ctx_->clock = &clock_;
    ctx_->out = &out_;
    ctx_->err = &err_;
    auto drill = Drill::Prepare(*ctx_, tmp_->Sub("scratch"), 400, /*remove_scratch=*/false);
    ASSERT_TRUE(drill.ok()) << drill.status().ToString();
    drill_ = drill->release();
  }
  static void TearDownTestSuite() {
    delete drill_;
    delete ctx_;
    delete tmp_;
  }
  void Expect(DrillScenario s) {
    ASSERT_NE(drill_, nullptr);
    DrillRow row = drill_->Run(s);
    EXPECT_TRUE(row.detected) << row.scenario << ": " << row.how << " " << row.detail;
    EXPECT_TRUE(row.recovered) << row.scenario << ": " << row.detail;
    EXPECT_EQ(row.entries_lost, 0) << row.scenario;
    EXPECT_FALSE(row.how.empty());
  }

  static inline journal::testing::TempDir* tmp_ = nullptr;
  static inline Context* ctx_ = nullptr;
  static inline Drill* drill_ = nullptr;
  static inline SystemClock clock_;
  static inline std::ostringstream out_, err_;
};

TEST_F(DrillTest, RansomwareEncryptsEveryFile) { Expect(DrillScenario::kRansomware); }
TEST_F(DrillTest, WiperZeroesTheSegments) { Expect(DrillScenario::kWiper); }
TEST_F(DrillTest, InsiderEditsOneEntry) { Expect(DrillScenario::kEditEntry); }
TEST_F(DrillTest, InsiderDeletesASegment) { Expect(DrillScenario::kDeleteSegment); }
TEST_F(DrillTest, StoreReplacedByAnOlderCopy) { Expect(DrillScenario::kRollback); }
TEST_F(DrillTest, IndexEdited) { Expect(DrillScenario::kEditIndex); }
TEST_F(DrillTest, BackupCopyTamperedWith) { Expect(DrillScenario::kTamperBackup); }

}  // namespace
}  // namespace ura::cli
