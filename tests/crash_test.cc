// Crash test: a child process appends continuously and reports each acknowledged tree size
// through a pipe; the parent kills it with SIGKILL at a random moment, reopens the store
// (recovering any torn tail), and checks that every acknowledged entry is there with its
// content and that the journal verifies. 200 cycles by default; URA_CRASH_CYCLES=1000 for
// the long run. The seed is printed so a failure can be replayed (URA_CRASH_SEED).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

#include <gtest/gtest.h>

#include "journal/journal.h"
#include "journal/journal_reader.h"
#include "journal/journal_testing.h"
#include "journal/verify.h"

namespace ura::journal {
namespace {

using testing::TempDir;
using testing::TestPayload;
using testing::TestSecret;

constexpr size_t kPayloadSize = 100;

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

[[noreturn]] void ChildAppendForever(const std::string& dir, int report_fd, uint32_t seed) {
  JournalOptions options;
  options.segment_target_bytes = 96 * 1024;  // seal often, so crashes hit segment changes too
  auto j = Journal::OpenForWrite(dir, TestSecret(), options);
  if (!j.ok()) _exit(3);
  std::mt19937 rng(seed);
  while (true) {
    uint64_t count = 1 + rng() % 64;
    std::vector<std::string> payloads;
    for (uint64_t i = 0; i < count; ++i) payloads.push_back(TestPayload((*j)->size() + i, kPayloadSize));
    std::vector<EntryInput> entries;
    for (const auto& p : payloads) entries.push_back({kEntryTypeRaw, AsBytes(p)});
    auto r = (*j)->Append(entries);
    if (!r.ok()) _exit(4);
    uint64_t acked = r->head.tree_size;
    if (::write(report_fd, &acked, sizeof acked) != sizeof acked) _exit(5);
  }
}

TEST(CrashTest, KillNineNeverLosesAnAcknowledgedEntry) {
  const uint64_t cycles = EnvOr("URA_CRASH_CYCLES", 200);
  const uint32_t seed = static_cast<uint32_t>(EnvOr("URA_CRASH_SEED", std::random_device{}()));
  std::cout << "crash test: " << cycles << " cycles, seed " << seed << "\n";
  std::mt19937 rng(seed);
  TempDir tmp;
  std::string dir = tmp.Sub("store");
  ASSERT_TRUE(Journal::Create(dir, TestSecret(), {1, 8192}).ok());
  StorePaths paths(dir);
  auto keyring = Keyring::Unlock(DefaultFileSystem(), paths, TestSecret());
  ASSERT_TRUE(keyring.ok());

  uint64_t checked_up_to = 0, tails_cut = 0, max_acked_overall = 0;
  for (uint64_t cycle = 0; cycle < cycles; ++cycle) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      ChildAppendForever(dir, fds[1], rng());
    }
    ::close(fds[1]);
    ::usleep(1000 + rng() % 20000);
    ::kill(pid, SIGKILL);
    int wstatus = 0;
    ::waitpid(pid, &wstatus, 0);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited by itself with " << WEXITSTATUS(wstatus)
                                      << " in cycle " << cycle;
    uint64_t acked = 0, value = 0;
    while (::read(fds[0], &value, sizeof value) == sizeof value) acked = value;
    ::close(fds[0]);
    max_acked_overall = std::max(max_acked_overall, acked);

    auto j = Journal::OpenForWrite(dir, TestSecret());
    ASSERT_TRUE(j.ok()) << "cycle " << cycle << ": " << j.status().ToString();
    ASSERT_GE((*j)->size(), max_acked_overall) << "cycle " << cycle << ": acknowledged entries lost";
    if ((*j)->recovery().tail_cut) ++tails_cut;
    uint64_t size = (*j)->size();
    j->reset();

    uint64_t next = checked_up_to;
    Status s = ReadEntries(DefaultFileSystem(), paths, **keyring, checked_up_to, size,
                           [&](const DecodedEntry& e) {
                             if (e.sequence != next || AsString(e.payload) != TestPayload(e.sequence, kPayloadSize)) {
                               return Corruption("entry " + std::to_string(e.sequence) + " is wrong", {});
                             }
                             ++next;
                             return Status::Ok();
                           });
    ASSERT_TRUE(s.ok()) << "cycle " << cycle << ": " << s.ToString();
    ASSERT_EQ(next, size);
    checked_up_to = size;
    VerifyOptions options;
    options.threads = 1;
    auto v = VerifyJournal(DefaultFileSystem(), paths, (*keyring)->meta(), options);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->intact) << "cycle " << cycle << ": " << v->problem.ToString();
  }
  std::cout << "crash test: " << checked_up_to << " entries, " << tails_cut
            << " torn tails cut, all acknowledged entries present\n";
  EXPECT_GT(checked_up_to, 0u);
}

}  // namespace
}  // namespace ura::journal
