#include "journal/journal.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "journal/journal_reader.h"
#include "journal/journal_testing.h"
#include "journal/verify.h"

namespace ura::journal {
namespace {

using testing::TempDir;
using testing::TestPayload;
using testing::TestSecret;

crypto::Argon2Params FastKdf() { return {1, 8192}; }

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.Sub("store");
    ASSERT_TRUE(Journal::Create(dir_, TestSecret(), FastKdf()).ok());
  }
  std::unique_ptr<Journal> Open(JournalOptions options = {}) {
    auto j = Journal::OpenForWrite(dir_, TestSecret(), options);
    EXPECT_TRUE(j.ok()) << j.status().ToString();
    return j.ok() ? std::move(j).value() : nullptr;
  }
  // Appends `count` entries (payloads TestPayload(seq)) in one batch.
  AppendResult AppendN(Journal& j, uint64_t count, size_t size = 64) {
    std::vector<std::string> payloads;
    for (uint64_t i = 0; i < count; ++i) payloads.push_back(TestPayload(j.size() + i, size));
    std::vector<EntryInput> entries;
    for (const auto& p : payloads) entries.push_back({kEntryTypeRaw, AsBytes(p)});
    auto r = j.Append(entries);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : AppendResult{};
  }
  // Threads that each append `per_thread` entries "tT-I" one at a time, calling `done` after each.
  static std::vector<std::thread> StartAppenders(Journal& j, int threads, int per_thread,
                                                 std::function<void(int, const AppendResult&)> done) {
    std::vector<std::thread> out;
    for (int t = 0; t < threads; ++t) {
      out.emplace_back([&j, t, per_thread, done] {
        for (int i = 0; i < per_thread; ++i) {
          std::string payload = "t" + std::to_string(t) + "-" + std::to_string(i);
          EntryInput e{kEntryTypeRaw, AsBytes(payload)};
          auto r = j.Append(std::span(&e, 1));
          ASSERT_TRUE(r.ok());
          done(t, *r);
        }
      });
    }
    return out;
  }
  std::vector<DecodedEntry> ReadAll() {
    auto keyring = Keyring::Unlock(DefaultFileSystem(), StorePaths(dir_), TestSecret());
    EXPECT_TRUE(keyring.ok());
    std::vector<DecodedEntry> out;
    Status s = ReadEntries(DefaultFileSystem(), StorePaths(dir_), **keyring, 0, 0,
                           [&](const DecodedEntry& e) {
                             out.push_back(e);
                             return Status::Ok();
                           });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
  VerifyReport Verify(const SignedHead* trusted = nullptr, bool deep = false) {
    StorePaths paths(dir_);
    auto meta = LoadStoreMeta(DefaultFileSystem(), paths);
    EXPECT_TRUE(meta.ok());
    std::unique_ptr<Keyring> keyring;
    if (deep) keyring = std::move(Keyring::Unlock(DefaultFileSystem(), paths, TestSecret())).value();
    VerifyOptions options;
    options.trusted_head = trusted;
    options.keyring = keyring.get();
    auto r = VerifyJournal(DefaultFileSystem(), paths, *meta, options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r;
  }
  std::string LastSegment() {
    auto segs = ListSegments(DefaultFileSystem(), StorePaths(dir_).journal_dir);
    return segs->back().path;
  }
  static void AppendRawBytes(const std::string& path, ByteView bytes) {
    std::filesystem::permissions(path, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    auto f = DefaultFileSystem().OpenWritable(path, OpenMode::kAppendExisting);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append(bytes).ok());
  }

  TempDir tmp_;
  std::string dir_;
};

TEST_F(JournalTest, CreateRefusesAnExistingStore) {
  auto again = Journal::Create(dir_, TestSecret(), FastKdf());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  Verify();  // untouched
}

TEST_F(JournalTest, AppendReopenAndReadBack) {
  {
    auto j = Open();
    EXPECT_EQ(j->size(), 0u);
    AppendResult r = AppendN(*j, 10);
    EXPECT_EQ(r.first_sequence, 0u);
    EXPECT_EQ(r.count, 10u);
    EXPECT_EQ(r.head.tree_size, 10u);
    std::string big(100000, 'x');  // compressible
    Bytes binary = {0x00, 0xff, 0x10, 0x80};
    std::vector<EntryInput> more = {{kEntryTypeRaw, AsBytes(big)}, {7, binary}, {kEntryTypeRaw, {}}};
    ASSERT_TRUE(j->Append(more).ok());
    EXPECT_TRUE(VerifyHeadSignature(j->head()).ok());
  }
  auto j = Open();
  EXPECT_EQ(j->size(), 13u);
  EXPECT_FALSE(j->recovery().tail_cut);
  auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 13u);
  for (uint64_t i = 0; i < 10; ++i) {
    EXPECT_EQ(entries[i].sequence, i);
    EXPECT_EQ(AsString(entries[i].payload), TestPayload(i));
  }
  EXPECT_EQ(entries[10].payload.size(), 100000u);
  EXPECT_EQ(entries[11].type, 7u);
  EXPECT_EQ(entries[11].payload, (Bytes{0x00, 0xff, 0x10, 0x80}));
  EXPECT_TRUE(entries[12].payload.empty());
  VerifyReport v = Verify(nullptr, /*deep=*/true);
  EXPECT_TRUE(v.intact) << v.problem.ToString();
  EXPECT_EQ(v.tree_size, 13u);
  EXPECT_EQ(v.entries_decrypted, 13u);
  // The compressible entry was stored compressed.
  EXPECT_LT(std::filesystem::file_size(LastSegment()), 20000u);
}

TEST_F(JournalTest, ReadEntriesOfTypesDecryptsOnlyThose) {
  {
    auto j = Open();
    AppendN(*j, 3);
    std::vector<EntryInput> typed = {{64, AsBytes(std::string_view("a"))}, {65, AsBytes(std::string_view("b"))},
                                     {64, AsBytes(std::string_view("c"))}};
    ASSERT_TRUE(j->Append(typed).ok());
    AppendN(*j, 2);
  }
  auto keyring = Keyring::Unlock(DefaultFileSystem(), StorePaths(dir_), TestSecret());
  ASSERT_TRUE(keyring.ok());
  std::vector<std::pair<uint64_t, std::string>> seen;
  Status s = ReadEntriesOfTypes(DefaultFileSystem(), StorePaths(dir_), **keyring, {64},
                                [&](const DecodedEntry& e) {
                                  seen.emplace_back(e.sequence, std::string(AsString(e.payload)));
                                  return Status::Ok();
                                });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen, (std::vector<std::pair<uint64_t, std::string>>{{3, "a"}, {5, "c"}}));
}

TEST_F(JournalTest, OversizedEntryIsRefused) {
  auto j = Open();
  Bytes huge(kMaxPayloadSize + 1, 'a');
  std::vector<EntryInput> e = {{kEntryTypeRaw, huge}};
  EXPECT_EQ(j->Append(e).status().code(), StatusCode::kInvalidArgument);
  AppendN(*j, 1);  // still usable
  EXPECT_EQ(j->size(), 1u);
}

TEST_F(JournalTest, SegmentsRollAndChainVerifies) {
  JournalOptions options;
  options.segment_target_bytes = 2048;
  {
    auto j = Open(options);
    for (int i = 0; i < 40; ++i) AppendN(*j, 1 + i % 5);
  }
  auto segs = ListSegments(DefaultFileSystem(), StorePaths(dir_).journal_dir);
  ASSERT_TRUE(segs.ok());
  EXPECT_GT(segs->size(), 5u);
  VerifyReport v = Verify(nullptr, true);
  EXPECT_TRUE(v.intact) << v.problem.ToString();
  EXPECT_EQ(v.segments, segs->size());
  auto j = Open(options);
  AppendN(*j, 3);
  EXPECT_EQ(ReadAll().size(), j->size());
  EXPECT_TRUE(Verify().intact);
}

TEST_F(JournalTest, GroupCommitFromManyThreads) {
  auto j = Open();
  constexpr int kThreads = 4, kPerThread = 100;
  std::vector<std::vector<AppendResult>> results(kThreads);
  std::vector<std::thread> threads =
      StartAppenders(*j, kThreads, kPerThread, [&](int t, const AppendResult& r) { results[t].push_back(r); });
  for (auto& th : threads) th.join();
  EXPECT_EQ(j->size(), uint64_t(kThreads * kPerThread));
  std::set<uint64_t> sequences;
  for (const auto& per : results) {
    for (const auto& r : per) {
      EXPECT_TRUE(sequences.insert(r.first_sequence).second);
      EXPECT_GT(r.head.tree_size, r.first_sequence);
    }
  }
  auto entries = ReadAll();
  ASSERT_EQ(entries.size(), sequences.size());
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      EXPECT_EQ(AsString(entries[results[t][i].first_sequence].payload),
                "t" + std::to_string(t) + "-" + std::to_string(i));
    }
  }
  EXPECT_TRUE(Verify().intact);
}

// Key rotations take the writer's turn between groups: appenders queued behind one must be
// woken when it ends (a lost wake-up hangs this test), and every entry lands once.
TEST_F(JournalTest, RotationsBetweenGroupsFromManyThreads) {
  auto j = Open();
  constexpr int kThreads = 4, kPerThread = 200, kRotations = 5;
  std::atomic<int> appended{0};
  std::vector<std::thread> threads = StartAppenders(*j, kThreads, kPerThread, [&](int, const AppendResult&) { ++appended; });
  for (int r = 0; r < kRotations; ++r) {
    while (appended.load() < (r + 1) * kThreads * kPerThread / (kRotations + 1)) std::this_thread::yield();
    ASSERT_TRUE(j->RotateDataKey().ok());
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(j->size(), uint64_t(kThreads * kPerThread + kRotations));
  j.reset();
  std::set<std::string> payloads;
  int rotations = 0;
  for (const auto& e : ReadAll()) {
    if (e.type == kEntryTypeKeyRotation) {
      ++rotations;
      continue;
    }
    EXPECT_TRUE(payloads.insert(std::string(AsString(e.payload))).second);
  }
  EXPECT_EQ(rotations, kRotations);
  EXPECT_EQ(payloads.size(), size_t(kThreads * kPerThread));
  EXPECT_TRUE(Verify(nullptr, true).intact);
}

TEST_F(JournalTest, TruncatedTailIsCutAndReported) {
  Bytes batch_bytes;
  {
    auto j = Open();
    AppendN(*j, 5);
    uint64_t before = std::filesystem::file_size(LastSegment());
    AppendN(*j, 3);
    auto data = ReadWholeFile(DefaultFileSystem(), LastSegment());
    batch_bytes.assign(data->begin() + before, data->end());  // 3 entries + head
  }
  // A torn write of a further batch: only its first 100 bytes reached the disk.
  AppendRawBytes(LastSegment(), ByteView(batch_bytes).first(100));
  VerifyReport v = Verify();
  EXPECT_TRUE(v.intact);  // a torn tail is not damage ...
  ASSERT_TRUE(v.torn_tail.has_value());  // ... but it is reported
  EXPECT_EQ(v.torn_tail->bytes, 100u);
  auto j = Open();
  EXPECT_TRUE(j->recovery().tail_cut);
  EXPECT_EQ(j->recovery().bytes_cut, 100u);
  EXPECT_EQ(j->size(), 8u);
  AppendN(*j, 2);
  EXPECT_EQ(ReadAll().size(), 10u);
  EXPECT_FALSE(Verify().torn_tail.has_value());
}

TEST_F(JournalTest, UncommittedCompleteEntriesAreCut) {
  Bytes entries_only;
  uint64_t before = 0;
  {
    auto j = Open();
    AppendN(*j, 2);
    before = std::filesystem::file_size(LastSegment());
    AppendN(*j, 3);
    auto data = ReadWholeFile(DefaultFileSystem(), LastSegment());
    entries_only.assign(data->begin() + before, data->end() - kFrameHeaderSize - kHeadBodySize);
  }
  // The last batch's entry frames reached the disk but its signed head did not.
  std::filesystem::resize_file(LastSegment(), before);
  AppendRawBytes(LastSegment(), entries_only);
  VerifyReport v = Verify();
  EXPECT_TRUE(v.intact);
  EXPECT_EQ(v.tree_size, 2u);
  ASSERT_TRUE(v.torn_tail.has_value());
  EXPECT_EQ(v.torn_tail->entries, 3u);
  auto j = Open();
  EXPECT_TRUE(j->recovery().tail_cut);
  EXPECT_EQ(j->recovery().entries_discarded, 3u);
  EXPECT_EQ(j->size(), 2u);
}

TEST_F(JournalTest, FramesThatDoNotContinueTheChainAreDamage) {
  Bytes replay;
  {
    auto j = Open();
    AppendN(*j, 2);
    uint64_t before = std::filesystem::file_size(LastSegment());
    AppendN(*j, 3);
    auto data = ReadWholeFile(DefaultFileSystem(), LastSegment());
    replay.assign(data->begin() + before, data->end() - kFrameHeaderSize - kHeadBodySize);
  }
  // Old frames copied after the last head: sequence numbers go back, which no crash does.
  AppendRawBytes(LastSegment(), replay);
  auto j = Journal::OpenForWrite(dir_, TestSecret());
  EXPECT_EQ(j.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(j.status().corruption()->kind, "sequence");
}

TEST_F(JournalTest, ZeroFilledTailIsCut) {
  {
    auto j = Open();
    AppendN(*j, 4);
  }
  AppendRawBytes(LastSegment(), Bytes(4096, 0));
  auto j = Open();
  EXPECT_TRUE(j->recovery().tail_cut);
  EXPECT_EQ(j->recovery().how, ScanEnd::kZeroFilled);
  EXPECT_EQ(j->size(), 4u);
}

TEST_F(JournalTest, DamageRefusesWritesAndNamesTheEntry) {
  uint64_t offset_of_entry_3 = 0;
  {
    auto j = Open();
    AppendN(*j, 2);
    offset_of_entry_3 = std::filesystem::file_size(LastSegment());
    AppendN(*j, 5);
  }
  // Entry 2 starts at offset_of_entry_3; change a byte in its ciphertext.
  {
    std::filesystem::permissions(LastSegment(), std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    auto data = *ReadWholeFile(DefaultFileSystem(), LastSegment());
    data[offset_of_entry_3 + kFrameHeaderSize + 20] ^= 0x04;
    ASSERT_TRUE(WriteFileAtomically(DefaultFileSystem(), LastSegment(), data).ok());
  }
  auto j = Journal::OpenForWrite(dir_, TestSecret());
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), StatusCode::kDataLoss);
  ASSERT_TRUE(j.status().corruption().has_value());
  EXPECT_EQ(*j.status().corruption()->sequence, 2u);
  VerifyReport v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(*v.problem.corruption()->sequence, 2u);
  EXPECT_EQ(*v.problem.corruption()->offset, offset_of_entry_3);
}

// Collects (key id, nonce) of every entry frame in the store's segment files.
std::vector<std::pair<uint32_t, Bytes>> AllNonces(const std::string& dir) {
  std::vector<std::pair<uint32_t, Bytes>> out;
  auto segs = ListSegments(DefaultFileSystem(), StorePaths(dir).journal_dir);
  for (const auto& seg : *segs) {
    auto data = *ReadWholeFile(DefaultFileSystem(), seg.path);
    size_t header_len = 0;
    EXPECT_TRUE(DecodeSegmentHeader(data, &header_len).ok());
    auto scanned = ScanFrames(data, header_len, [&](const ScannedFrame& f) {
      if (f.header.kind == FrameKind::kEntry) {
        out.emplace_back(f.header.key_id, Bytes(f.body.begin(), f.body.begin() + kNonceSize));
      }
      return Status::Ok();
    });
    EXPECT_TRUE(scanned.ok());
  }
  return out;
}

TEST_F(JournalTest, NonceNeverRepeatsAfterATailIsCut) {
  Bytes torn;
  {
    auto j = Open();
    AppendN(*j, 3);
    uint64_t before = std::filesystem::file_size(LastSegment());
    AppendN(*j, 2);
    auto data = *ReadWholeFile(DefaultFileSystem(), LastSegment());
    torn.assign(data.begin() + before, data.end());
  }
  // Sequences 3 and 4 were written with this writer's session. Pretend that batch was never
  // acknowledged: cut it, then write sequences 3 and 4 again with a new writer.
  std::vector<std::pair<uint32_t, Bytes>> seen = AllNonces(dir_);
  std::filesystem::resize_file(LastSegment(), std::filesystem::file_size(LastSegment()) - torn.size());
  AppendRawBytes(LastSegment(), ByteView(torn).first(torn.size() - 10));
  for (int round = 0; round < 3; ++round) {
    auto j = Open();
    AppendN(*j, 2);
  }
  for (const auto& n : AllNonces(dir_)) seen.push_back(n);
  std::set<std::pair<uint32_t, Bytes>> unique;
  size_t duplicates_of_same_frame = 0;
  auto current = AllNonces(dir_);
  for (const auto& n : seen) unique.insert(n);
  // Every frame of the first pass that survives appears twice in `seen`; count those.
  duplicates_of_same_frame = 3;
  EXPECT_EQ(unique.size(), seen.size() - duplicates_of_same_frame);
  // And in the final store every (key, nonce) is distinct, though sequences 3.. were reused.
  std::set<std::pair<uint32_t, Bytes>> final_unique(current.begin(), current.end());
  EXPECT_EQ(final_unique.size(), current.size());
  EXPECT_TRUE(Verify().intact);
}

TEST_F(JournalTest, KeyRotationStartsANewEpoch) {
  {
    auto j = Open();
    AppendN(*j, 2);
    auto id = j->RotateDataKey();
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(*id, 2u);
    AppendN(*j, 2);
  }
  auto entries = ReadAll();
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0].key_id, 1u);
  EXPECT_EQ(entries[2].type, kEntryTypeKeyRotation);
  EXPECT_EQ(entries[3].key_id, 2u);
  EXPECT_EQ(entries[4].key_id, 2u);
  EXPECT_TRUE(Verify(nullptr, true).intact);
}

TEST_F(JournalTest, WrongSecretAndSecondWriterAreRefused) {
  auto wrong = Journal::OpenForWrite(dir_, TestSecret(0x11));
  EXPECT_EQ(wrong.status().code(), StatusCode::kFailedPrecondition);
  auto j = Open();
  auto second = Journal::OpenForWrite(dir_, TestSecret());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
}

TEST_F(JournalTest, TrustedHeadDetectsRollbackAndFork) {
  std::string old_copy = tmp_.Sub("old");
  SignedHead newer;
  {
    auto j = Open();
    AppendN(*j, 4);
  }
  std::filesystem::copy(dir_, old_copy, std::filesystem::copy_options::recursive);
  {
    auto j = Open();
    AppendN(*j, 4);
    newer = j->head();
  }
  VerifyReport ok = Verify(&newer);
  EXPECT_TRUE(ok.intact);
  EXPECT_TRUE(ok.trusted_head_checked);

  // Rollback: the store is replaced by the older copy.
  std::filesystem::remove_all(dir_);
  std::filesystem::copy(old_copy, dir_, std::filesystem::copy_options::recursive);
  VerifyReport rolled = Verify(&newer);
  EXPECT_FALSE(rolled.intact);
  EXPECT_EQ(rolled.problem.corruption()->kind, "rollback");

  // Fork: the older copy is extended with different entries past the trusted size.
  {
    auto j = Open();
    std::string other = "forged";
    std::vector<EntryInput> e(6, EntryInput{kEntryTypeRaw, AsBytes(other)});
    ASSERT_TRUE(j->Append(e).ok());
  }
  VerifyReport forked = Verify(&newer);
  EXPECT_FALSE(forked.intact);
  EXPECT_EQ(forked.problem.corruption()->kind, "fork");

  // A head of another store is refused.
  TempDir other_tmp;
  std::string other_dir = other_tmp.Sub("s");
  ASSERT_TRUE(Journal::Create(other_dir, TestSecret(), FastKdf()).ok());
  auto other_meta = LoadStoreMeta(DefaultFileSystem(), StorePaths(other_dir));
  auto other_head = ReadLatestHead(DefaultFileSystem(), StorePaths(other_dir), *other_meta);
  VerifyReport foreign = Verify(&*other_head);
  EXPECT_FALSE(foreign.intact);
  EXPECT_EQ(foreign.problem.corruption()->kind, "trusted-head-store");
}

}  // namespace
}  // namespace ura::journal

namespace ura::journal {
namespace {

// Found in review: zeros at the end of the file must not excuse damage before them.
TEST_F(JournalTest, DamageBeforeAZeroFilledEndIsStillDamage) {
  uint64_t entry2 = 0;
  {
    auto j = Open();
    AppendN(*j, 2);
    entry2 = std::filesystem::file_size(LastSegment());
    AppendN(*j, 4);
  }
  std::filesystem::permissions(LastSegment(), std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  Bytes data = *ReadWholeFile(DefaultFileSystem(), LastSegment());
  data[entry2 + 20] ^= 0x01;  // entry 2's header
  data.resize((data.size() + 511) / 512 * 512 + 512, 0);  // and a crash left zeros at the end
  ASSERT_TRUE(WriteFileAtomically(DefaultFileSystem(), LastSegment(), data).ok());
  auto j = Journal::OpenForWrite(dir_, TestSecret());
  ASSERT_FALSE(j.ok()) << "acknowledged entries 2..5 would have been cut";
  EXPECT_EQ(*j.status().corruption()->sequence, 2u);
  EXPECT_FALSE(Verify().intact);
}

// Found in review: after reopening a segment that holds no entries yet, a clock that went
// back must not make entry timestamps go backwards.
TEST_F(JournalTest, EntryTimesStayOrderedAcrossASealAndAClockStepBack) {
  ManualClock clock(2'000'000'000'000'000);
  JournalOptions options;
  options.clock = &clock;
  options.segment_target_bytes = 1;  // seal after every commit
  {
    auto j = Open(options);
    AppendN(*j, 2);
  }
  clock.Advance(-5'000'000);
  {
    auto j = Open(options);
    AppendN(*j, 2);
  }
  StorePaths paths(dir_);
  auto meta = LoadStoreMeta(DefaultFileSystem(), paths);
  VerifyOptions one;
  one.threads = 1;
  auto v = VerifyJournal(DefaultFileSystem(), paths, *meta, one);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->problem.ToString();
}

}  // namespace
}  // namespace ura::journal
