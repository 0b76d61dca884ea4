// Fault injection through the file interface (the LevelDB fault_injection_test.cc pattern):
// for a scripted workload, fail the Nth write, sync, rename or file creation with EIO or
// ENOSPC, for every N the workload reaches, with and without a simulated power loss after
// the error. Each time: the error is reported (never swallowed), the store reopens, every
// acknowledged entry is there with its content, and the journal verifies.
#include <cerrno>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "base/fault_file_system.h"
#include "journal/journal.h"
#include "journal/journal_reader.h"
#include "journal/journal_testing.h"
#include "journal/verify.h"

namespace ura::journal {
namespace {

using Op = FaultFileSystem::Op;
using testing::TempDir;
using testing::TestPayload;
using testing::TestSecret;

struct Outcome {
  uint64_t acked = 0;  // tree size of the last acknowledged append
  Status first_error;
};

// The workload: open, appends that cross segment boundaries, a key rotation, a reopen.
Outcome RunWorkload(const std::string& dir, FileSystem& fs) {
  Outcome out;
  auto note = [&](const Status& s) {
    if (!s.ok() && out.first_error.ok()) out.first_error = s;
    return s.ok();
  };
  JournalOptions options;
  options.fs = &fs;
  options.segment_target_bytes = 1200;
  const std::vector<int> batches = {1, 5, 2, 3, 1, 4};
  for (int pass = 0; pass < 2; ++pass) {
    auto j = Journal::OpenForWrite(dir, TestSecret(), options);
    if (!note(j.status())) return out;
    for (size_t b = 0; b < batches.size(); ++b) {
      std::vector<std::string> payloads;
      for (int i = 0; i < batches[b]; ++i) payloads.push_back(TestPayload((*j)->size() + i, 90));
      std::vector<EntryInput> entries;
      for (const auto& p : payloads) entries.push_back({kEntryTypeRaw, AsBytes(p)});
      auto r = (*j)->Append(entries);
      if (!note(r.status())) return out;
      out.acked = r->head.tree_size;
      if (pass == 0 && b == 2) {
        auto id = (*j)->RotateDataKey();
        if (!note(id.status())) return out;
        out.acked = (*j)->size();
      }
    }
    if (!note((*j)->health())) return out;
  }
  return out;
}

class FaultInjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pristine_ = tmp_.Sub("pristine");
    ASSERT_TRUE(Journal::Create(pristine_, TestSecret(), {1, 8192}).ok());
    FaultFileSystem counting(DefaultFileSystem());
    std::string dir = Fresh();
    Outcome clean = RunWorkload(dir, counting);
    ASSERT_TRUE(clean.first_error.ok()) << clean.first_error.ToString();
    clean_acked_ = clean.acked;
    for (int op = 0; op < static_cast<int>(Op::kCount); ++op) {
      counts_[op] = counting.Count(static_cast<Op>(op));
    }
  }

  std::string Fresh() {
    std::string dir = tmp_.Sub("run" + std::to_string(runs_++));
    std::filesystem::copy(pristine_, dir, std::filesystem::copy_options::recursive);
    return dir;
  }

  // Checks that the store at `dir` opens, holds every acknowledged entry, and verifies.
  void CheckRecovered(const std::string& dir, uint64_t acked, const std::string& label) {
    {
      auto j = Journal::OpenForWrite(dir, TestSecret());
      ASSERT_TRUE(j.ok()) << label << ": " << j.status().ToString();
      ASSERT_GE((*j)->size(), acked) << label;
    }
    StorePaths paths(dir);
    auto keyring = Keyring::Unlock(DefaultFileSystem(), paths, TestSecret());
    ASSERT_TRUE(keyring.ok()) << label;
    uint64_t seen = 0;
    Status s = ReadEntries(DefaultFileSystem(), paths, **keyring, 0, acked, [&](const DecodedEntry& e) {
      if (e.type == kEntryTypeRaw && AsString(e.payload) != TestPayload(e.sequence, 90)) {
        return Corruption("payload mismatch at " + std::to_string(e.sequence), {});
      }
      ++seen;
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << label << ": " << s.ToString();
    EXPECT_EQ(seen, acked) << label;
    VerifyOptions options;
    options.keyring = keyring->get();
    auto v = VerifyJournal(DefaultFileSystem(), paths, (*keyring)->meta(), options);
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->intact) << label << ": " << v->problem.ToString();
  }

  TempDir tmp_;
  std::string pristine_;
  int runs_ = 0;
  uint64_t clean_acked_ = 0;
  uint64_t counts_[static_cast<int>(Op::kCount)] = {};
};

TEST_F(FaultInjectionTest, EveryFailurePointIsReportedAndRecoverable) {
  const char* kOpNames[] = {"write", "sync", "rename", "create"};
  ASSERT_GT(counts_[static_cast<int>(Op::kWrite)], 10u);
  ASSERT_GT(counts_[static_cast<int>(Op::kRename)], 3u);
  int scenarios = 0;
  for (int op = 0; op < static_cast<int>(Op::kCount); ++op) {
    for (uint64_t n = 1; n <= counts_[op]; ++n) {
      for (int err : {EIO, ENOSPC}) {
        for (bool power_loss : {false, true}) {
          std::string label = std::string(kOpNames[op]) + " #" + std::to_string(n) + " " +
                              (err == EIO ? "EIO" : "ENOSPC") + (power_loss ? " + power loss" : "");
          std::string dir = Fresh();
          FaultFileSystem fs(DefaultFileSystem());
          // A full disk stays full; an I/O error is a one-off.
          fs.FailAt(static_cast<Op>(op), n, err, /*sticky=*/err == ENOSPC);
          Outcome o = RunWorkload(dir, fs);
          ASSERT_TRUE(fs.Injected()) << label;
          ASSERT_FALSE(o.first_error.ok()) << label << ": the fault was swallowed";
          StatusCode expected = err == ENOSPC ? StatusCode::kResourceExhausted : StatusCode::kIoError;
          EXPECT_EQ(o.first_error.code(), expected) << label << ": " << o.first_error.ToString();
          if (power_loss) {
            ASSERT_TRUE(fs.DropUnsyncedData().ok());
          }
          CheckRecovered(dir, o.acked, label);
          ++scenarios;
        }
      }
    }
  }
  RecordProperty("scenarios", scenarios);
  std::cout << "fault scenarios run: " << scenarios << "\n";
}

TEST_F(FaultInjectionTest, PowerLossWithoutErrorsKeepsAcknowledgedEntries) {
  std::string dir = Fresh();
  FaultFileSystem fs(DefaultFileSystem());
  Outcome o = RunWorkload(dir, fs);
  ASSERT_TRUE(o.first_error.ok());
  ASSERT_TRUE(fs.DropUnsyncedData().ok());
  CheckRecovered(dir, o.acked, "power loss");
  EXPECT_EQ(o.acked, clean_acked_);
}

TEST(CreateFaultTest, AFailedInitLeavesNothingOrAWorkingStore) {
  TempDir tmp;
  FaultFileSystem counting(DefaultFileSystem());
  ASSERT_TRUE(Journal::Create(tmp.Sub("clean"), TestSecret(), {1, 8192}, {&counting}).ok());
  for (int op = 0; op < static_cast<int>(Op::kCount); ++op) {
    for (uint64_t n = 1; n <= counting.Count(static_cast<Op>(op)); ++n) {
      std::string dir = tmp.Sub("s" + std::to_string(op) + "-" + std::to_string(n));
      FaultFileSystem fs(DefaultFileSystem());
      fs.FailAt(static_cast<Op>(op), n, ENOSPC, true);
      auto created = Journal::Create(dir, TestSecret(), {1, 8192}, {&fs});
      EXPECT_FALSE(created.ok());
      EXPECT_EQ(created.status().code(), StatusCode::kResourceExhausted) << created.status().ToString();
      EXPECT_FALSE(std::filesystem::exists(dir)) << "half-made store left at " << dir;
      ASSERT_TRUE(Journal::Create(dir, TestSecret(), {1, 8192}).ok());
      auto j = Journal::OpenForWrite(dir, TestSecret());
      ASSERT_TRUE(j.ok());
    }
  }
}

}  // namespace
}  // namespace ura::journal
