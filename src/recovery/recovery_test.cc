// Backup, check, restore and witnesses on small real stores (key-file secrets, 2 KiB segments
// so that a few dozen entries span several segments).
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>

#include <gtest/gtest.h>

#include "base/fault_file_system.h"
#include "journal/journal.h"
#include "journal/journal_reader.h"
#include "journal/journal_testing.h"
#include "journal/verify.h"
#include "recovery/backup.h"
#include "recovery/backup_log.h"
#include "recovery/restore.h"
#include "recovery/witness.h"

namespace ura::recovery {
namespace {

using journal::testing::TempDir;
using journal::testing::TestPayload;
using journal::testing::TestSecret;

class RecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = tmp_.Sub("store");
    target_ = tmp_.Sub("backup");
    ASSERT_TRUE(journal::Journal::Create(store_, TestSecret(), {}, Options()).ok());
  }
  journal::JournalOptions Options() {
    journal::JournalOptions o;
    o.segment_target_bytes = 2048;
    return o;
  }
  // Appends batches of the given sizes (one signed head after each batch).
  void Append(std::vector<int> batches) {
    auto j = journal::Journal::OpenForWrite(store_, TestSecret(), Options());
    ASSERT_TRUE(j.ok()) << j.status().ToString();
    for (int n : batches) {
      std::vector<std::string> payloads;
      std::vector<journal::EntryInput> entries;
      for (int i = 0; i < n; ++i) payloads.push_back(TestPayload(next_++, 100));
      for (const auto& p : payloads) entries.push_back({journal::kEntryTypeRaw, AsBytes(p)});
      ASSERT_TRUE((*j)->Append(entries).ok());
    }
  }
  Result<BackupReport> Backup(FileSystem& fs, const std::string& target) {
    auto keyring = journal::Keyring::Unlock(DefaultFileSystem(), journal::StorePaths(store_), TestSecret());
    if (!keyring.ok()) return keyring.status();
    LocalStoreSource source(DefaultFileSystem(), store_);
    Ed25519ManifestSigner signer((*keyring)->signer());
    BackupOptions options;
    options.chunk_bytes = 1000;  // segments of 2 KiB span several chunks
    return RunBackup(source, fs, target, signer, clock_, options);
  }
  Result<BackupReport> Backup() { return Backup(DefaultFileSystem(), target_); }
  CheckReport Check(bool read_data = true) {
    CheckOptions o;
    o.read_data = read_data;
    auto r = CheckBackup(DefaultFileSystem(), target_, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : CheckReport{};
  }
  journal::SignedHead Head(const std::string& dir) {
    journal::StorePaths paths(dir);
    auto meta = journal::LoadStoreMeta(DefaultFileSystem(), paths);
    auto head = journal::ReadLatestHead(DefaultFileSystem(), paths, *meta);
    EXPECT_TRUE(head.ok());
    return *head;
  }
  journal::VerifyReport Verify(const std::string& dir) {
    journal::StorePaths paths(dir);
    auto meta = journal::LoadStoreMeta(DefaultFileSystem(), paths);
    EXPECT_TRUE(meta.ok());
    auto r = journal::VerifyJournal(DefaultFileSystem(), paths, *meta, {});
    EXPECT_TRUE(r.ok());
    return *r;
  }
  std::vector<std::string> TargetFiles() {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(target_)) {
      if (e.is_regular_file() && e.path().filename() != "backup.lock") files.push_back(e.path());
    }
    return files;
  }

  TempDir tmp_;
  std::string store_, target_;
  uint64_t next_ = 0;
  SystemClock clock_;
};

void FlipByte(const std::string& path, uint64_t offset) {
  ::chmod(path.c_str(), 0600);
  FILE* f = std::fopen(path.c_str(), "r+b");
  ASSERT_NE(f, nullptr) << path;
  std::fseek(f, static_cast<long>(offset), SEEK_SET);
  int c = std::fgetc(f);
  std::fseek(f, static_cast<long>(offset), SEEK_SET);
  std::fputc(c ^ 0x01, f);
  std::fclose(f);
}

TEST_F(RecoveryTest, BackupIsIntactAndASecondRunCopiesNothing) {
  Append({5, 7, 3, 20, 11});
  auto first = Backup();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->run, 1u);
  EXPECT_GT(first->objects_copied, 6u);  // store.json, keyring, several segments of several chunks
  EXPECT_EQ(first->head.tree_size, 46u);
  CheckReport check = Check();
  EXPECT_TRUE(check.intact) << (check.problems.empty() ? "" : check.problems[0].message);
  EXPECT_TRUE(check.data_read);
  EXPECT_EQ(check.latest_head.tree_size, 46u);

  auto second = Backup();
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->nothing_new);
  EXPECT_EQ(second->objects_copied, 0u);
  EXPECT_EQ(second->bytes_copied, 0u);
  EXPECT_EQ(second->run, 0u);
}

TEST_F(RecoveryTest, IncrementalRunCopiesOnlyWhatChanged) {
  Append({5, 7, 3, 20, 11});
  auto first = Backup();
  ASSERT_TRUE(first.ok());
  Append({4});
  auto second = Backup();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->run, 2u);
  EXPECT_EQ(second->head.tree_size, 50u);
  // The open segment grew by 4 entries and a head (about 850 bytes) and the keyring's
  // writer-session counter moved; sealed segments and the open one's full chunks were there.
  EXPECT_GT(first->bytes_copied, 8000u);
  EXPECT_LT(second->bytes_copied, 4000u);
  EXPECT_LE(second->objects_copied, 5u);
  EXPECT_TRUE(Check().intact);
}

TEST_F(RecoveryTest, AChunkMissingFromTheTargetIsCopiedAgain) {
  Append({5, 7, 3, 20, 11});
  ASSERT_TRUE(Backup().ok());
  // Someone deleted the first chunk of sealed segment 0 from the target (a segment header:
  // magic "URAS", segment index 0 at byte 48).
  std::string victim;
  for (const auto& f : TargetFiles()) {
    if (f.find("/objects/") == std::string::npos) continue;
    auto data = ReadWholeFile(DefaultFileSystem(), f);
    if (data.ok() && data->size() == 1000 && AsString(ByteView(*data).first(4)) == "URAS" &&
        GetU64(data->data() + 48) == 0) {
      victim = f;
    }
  }
  ASSERT_FALSE(victim.empty());
  std::filesystem::remove(victim);
  EXPECT_FALSE(Check(false).intact);
  Append({1});
  auto again = Backup();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(victim));
  // Run 1 still names the deleted chunk, which is back now: the whole target checks intact.
  EXPECT_TRUE(Check().intact);
}

TEST_F(RecoveryTest, CheckNamesAFlippedByteInEveryBackupFile) {
  Append({5, 7, 3, 20, 11});
  ASSERT_TRUE(Backup().ok());
  Append({6, 2});
  ASSERT_TRUE(Backup().ok());
  ASSERT_TRUE(Check().intact);
  auto files = TargetFiles();
  ASSERT_GT(files.size(), 6u);
  for (const std::string& file : files) {
    uint64_t size = std::filesystem::file_size(file);
    for (uint64_t offset : {uint64_t{0}, size / 2, size - 1}) {
      FlipByte(file, offset);
      CheckReport r = Check();
      EXPECT_FALSE(r.intact) << file << " at " << offset;
      bool named = false;
      for (const auto& p : r.problems) named = named || p.file == file;
      EXPECT_TRUE(named) << file << " at " << offset << " not named";
      FlipByte(file, offset);  // put it back
    }
  }
  EXPECT_TRUE(Check().intact);
}

TEST_F(RecoveryTest, CheckGivesTheOffsetOfDamageInASegmentObject) {
  Append({5, 7, 3});
  ASSERT_TRUE(Backup().ok());
  // The largest object is a segment; damage one byte well inside it.
  std::string seg;
  uint64_t best = 0;
  for (const auto& f : TargetFiles()) {
    if (f.find("/objects/") != std::string::npos && std::filesystem::file_size(f) > best) {
      best = std::filesystem::file_size(f);
      seg = f;
    }
  }
  FlipByte(seg, best - 10);  // inside the last head frame's signature
  CheckReport r = Check(false);
  ASSERT_FALSE(r.intact);
  ASSERT_EQ(r.problems[0].file, seg);
  ASSERT_TRUE(r.problems[0].offset.has_value());
  EXPECT_LE(*r.problems[0].offset, best - 10);
}

TEST_F(RecoveryTest, RestoreAtEveryTreeSizeHasTheOriginalRoot) {
  Append({3, 1, 8, 2, 13, 5, 1, 9});
  journal::StorePaths paths(store_);
  auto meta = journal::LoadStoreMeta(DefaultFileSystem(), paths);
  auto tree = journal::BuildMerkleTree(DefaultFileSystem(), paths, *meta);
  ASSERT_TRUE(tree.ok());
  ASSERT_EQ(tree->size(), 42u);
  ASSERT_TRUE(Backup().ok());
  journal::KeySecret secret = TestSecret();
  int signed_heads = 0;
  for (uint64_t n = 0; n <= tree->size(); ++n) {
    std::string to = tmp_.Sub("restored-" + std::to_string(n));
    RestoreOptions o;
    o.tree_size = n;
    o.secret = &secret;
    auto r = RestoreJournal(DefaultFileSystem(), target_, to, o);
    ASSERT_TRUE(r.ok()) << n << ": " << r.status().ToString();
    EXPECT_EQ(r->tree_size, n);
    EXPECT_EQ(r->root, tree->RootAt(n)) << n;
    signed_heads += r->signed_new_head;
    journal::VerifyReport v = Verify(to);
    EXPECT_TRUE(v.intact) << n << ": " << v.problem.ToString();
    EXPECT_EQ(v.tree_size, n);
    EXPECT_EQ(v.root, tree->RootAt(n)) << n;
    // It opens for writing and takes new entries after the cut.
    auto j = journal::Journal::OpenForWrite(to, TestSecret());
    ASSERT_TRUE(j.ok()) << n << ": " << j.status().ToString();
    EXPECT_FALSE((*j)->recovery().tail_cut);
    EXPECT_EQ((*j)->size(), n);
    std::filesystem::remove_all(to);
  }
  EXPECT_GT(signed_heads, 10);  // most sizes lie between two heads
}

TEST_F(RecoveryTest, RestoreBetweenHeadsWithoutTheKeyIsRefused) {
  Append({5, 5});
  ASSERT_TRUE(Backup().ok());
  RestoreOptions o;
  o.tree_size = 7;
  auto r = RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("to"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(tmp_.Sub("to")));
  o.tree_size = 5;  // at a head: no key needed
  ASSERT_TRUE(RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("to"), o).ok());
  EXPECT_EQ(Verify(tmp_.Sub("to")).tree_size, 5u);
}

TEST_F(RecoveryTest, RestoreBeforeATime) {
  Append({5});
  journal::SignedHead at5 = Head(store_);
  Append({5});
  ASSERT_TRUE(Backup().ok());
  RestoreOptions o;
  int64_t t = at5.timestamp_us + 1;
  o.before_us = t;
  auto r = RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("to"), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->tree_size, 5u);
  EXPECT_EQ(r->root, at5.root);
}

TEST_F(RecoveryTest, RestoreRefusesRollbackPastTheTrustedHead) {
  Append({5, 5});
  ASSERT_TRUE(Backup().ok());
  Append({5});
  journal::SignedHead trusted = Head(store_);  // saved off-box after the backup
  RestoreOptions o;
  o.trusted_head = &trusted;
  auto r = RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("to"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("rollback"), std::string::npos) << r.status().message();
  EXPECT_FALSE(std::filesystem::exists(tmp_.Sub("to")));
  // A later backup passes, and a point in time before the trusted head is refused.
  ASSERT_TRUE(Backup().ok());
  ASSERT_TRUE(RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("to"), o).ok());
  o.tree_size = 10;
  auto early = RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("to2"), o);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("rollback"), std::string::npos);
}

TEST_F(RecoveryTest, RestoreRefusesAForgedBackup) {
  Append({5});
  journal::SignedHead trusted = Head(store_);
  // An attacker's store with its own key, backed up to the target.
  std::string other = tmp_.Sub("other");
  ASSERT_TRUE(journal::Journal::Create(other, TestSecret(0x11), {}, Options()).ok());
  auto keyring = journal::Keyring::Unlock(DefaultFileSystem(), journal::StorePaths(other), TestSecret(0x11));
  LocalStoreSource source(DefaultFileSystem(), other);
  Ed25519ManifestSigner signer((*keyring)->signer());
  ASSERT_TRUE(RunBackup(source, DefaultFileSystem(), target_, signer, clock_).ok());
  RestoreOptions o;
  o.trusted_head = &trusted;
  auto r = RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("to"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("forged"), std::string::npos) << r.status().message();
}

TEST_F(RecoveryTest, RestoreRefusesADamagedObjectAndANonEmptyDirectory) {
  Append({5, 7, 3, 20});
  ASSERT_TRUE(Backup().ok());
  ASSERT_TRUE(std::filesystem::create_directory(tmp_.Sub("busy")));
  WriteFileAtomically(DefaultFileSystem(), tmp_.Sub("busy/x"), AsBytes("x")).IgnoreError();
  auto busy = RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("busy"), {});
  EXPECT_EQ(busy.status().code(), StatusCode::kAlreadyExists);
  for (const auto& f : TargetFiles()) {
    if (f.find("/objects/") == std::string::npos || std::filesystem::file_size(f) < 1000) continue;
    FlipByte(f, 700);
    auto r = RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("to"), {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(r.status().message().find(f), std::string::npos) << r.status().message();
    EXPECT_FALSE(std::filesystem::exists(tmp_.Sub("to")));
    break;
  }
}

TEST_F(RecoveryTest, BackupRefusesARolledBackOrTamperedPrimary) {
  Append({5, 7, 3, 20});
  std::string old_copy = tmp_.Sub("old");
  std::filesystem::copy(store_, old_copy, std::filesystem::copy_options::recursive);
  Append({9});
  ASSERT_TRUE(Backup().ok());
  std::string current = tmp_.Sub("current");
  std::filesystem::copy(store_, current, std::filesystem::copy_options::recursive);
  // Rollback: the primary replaced by the older copy.
  std::filesystem::remove_all(store_);
  std::filesystem::copy(old_copy, store_, std::filesystem::copy_options::recursive);
  auto r = Backup();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("rollback"), std::string::npos) << r.status().message();
  // Tampering: a byte of a sealed segment changed since the backup. Not read again by
  // default, so never copied; re-reading refuses it.
  std::filesystem::remove_all(store_);
  std::filesystem::copy(current, store_, std::filesystem::copy_options::recursive);
  const journal::SignedHead head = Head(store_);
  FlipByte(store_ + "/journal/" + journal::SegmentFileName(0), 200);
  auto quiet = Backup();
  ASSERT_TRUE(quiet.ok()) << quiet.status().ToString();
  EXPECT_TRUE(quiet->nothing_new);
  EXPECT_GE(quiet->files_reused, 1u);  // segment 0 among them
  BackupOptions reread;
  reread.reread_sealed = true;
  auto keyring = journal::Keyring::Unlock(DefaultFileSystem(), journal::StorePaths(store_), TestSecret());
  LocalStoreSource source(DefaultFileSystem(), store_);
  Ed25519ManifestSigner signer((*keyring)->signer());
  auto t = RunBackup(source, DefaultFileSystem(), target_, signer, clock_, reread);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kDataLoss) << t.status().ToString();
  auto restored = RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("restored"), {});
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->root, head.root);
}

// Every write, sync, rename and file creation of a run fails in turn (a torn write, a lost
// power); the next run, without faults, completes the backup, which checks intact and restores
// to the primary's root.
TEST_F(RecoveryTest, InterruptedBackupIsResumedCorrectly) {
  Append({5, 7, 3, 20, 11});
  ASSERT_TRUE(Backup().ok());
  Append({8, 8});
  const journal::SignedHead head = Head(store_);
  int faults = 0;
  for (auto op : {FaultFileSystem::Op::kWrite, FaultFileSystem::Op::kSync, FaultFileSystem::Op::kRename,
                  FaultFileSystem::Op::kCreate}) {
    for (uint64_t n = 1;; ++n) {
      std::string target = tmp_.Sub("t-" + std::to_string(static_cast<int>(op)) + "-" + std::to_string(n));
      std::filesystem::copy(target_, target, std::filesystem::copy_options::recursive);
      FaultFileSystem fs(DefaultFileSystem());
      fs.FailAt(op, n, EIO);
      auto r = Backup(fs, target);
      if (!fs.Injected()) {
        ASSERT_TRUE(r.ok());
        std::filesystem::remove_all(target);
        break;
      }
      ++faults;
      EXPECT_FALSE(r.ok());
      ASSERT_TRUE(fs.DropUnsyncedData().ok());
      auto resumed = Backup(DefaultFileSystem(), target);
      ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
      CheckOptions co;
      co.read_data = true;
      auto check = CheckBackup(DefaultFileSystem(), target, co);
      ASSERT_TRUE(check.ok());
      EXPECT_TRUE(check->intact) << "op " << static_cast<int>(op) << " n " << n << ": " << check->problems[0].message;
      EXPECT_EQ(check->latest_head.tree_size, head.tree_size);
      auto restored = RestoreJournal(DefaultFileSystem(), target, target + "-restored", {});
      ASSERT_TRUE(restored.ok()) << restored.status().ToString();
      EXPECT_EQ(restored->root, head.root);
      std::filesystem::remove_all(target);
      std::filesystem::remove_all(target + "-restored");
    }
  }
  EXPECT_GT(faults, 8);
}

TEST_F(RecoveryTest, ParsesRfc3339) {
  // 2000-01-01T00:00:00Z is 946,684,800 s after the epoch (10,957 days * 86,400 s).
  EXPECT_EQ(*ParseRfc3339("2000-01-01T00:00:00Z"), int64_t{946684800} * 1000000);
  EXPECT_EQ(*ParseRfc3339("1970-01-02T00:00:00.5Z"), int64_t{86400} * 1000000 + 500000);
  EXPECT_FALSE(ParseRfc3339("2000-01-01 00:00").ok());
  EXPECT_FALSE(ParseRfc3339("2000-01-01T00:00:00+01:00").ok());
}

class WitnessTest : public RecoveryTest {
 protected:
  journal::ConsistencyProofDoc Proof(uint64_t old_size, uint64_t new_size) {
    journal::StorePaths paths(store_);
    auto meta = journal::LoadStoreMeta(DefaultFileSystem(), paths);
    auto tree = journal::BuildMerkleTree(DefaultFileSystem(), paths, *meta);
    journal::ConsistencyProofDoc doc{HexEncode(meta->store_id), old_size, new_size, tree->RootAt(old_size),
                                     tree->RootAt(new_size), *tree->ConsistencyProof(old_size, new_size)};
    return doc;
  }
};

TEST_F(WitnessTest, CosignsOnlyHeadsThatExtendTheLastOne) {
  auto witness = crypto::Ed25519Signer::Generate();
  const std::string state = tmp_.Sub("witness");
  Append({5});
  journal::SignedHead h5 = Head(store_);
  auto first = Cosign(DefaultFileSystem(), *witness, h5, nullptr, state, clock_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(VerifyCosignature(first->cosignature).ok());
  Append({4});
  journal::SignedHead h9 = Head(store_);
  // A larger head needs a proof; a proof between other sizes is refused.
  EXPECT_EQ(Cosign(DefaultFileSystem(), *witness, h9, nullptr, state, clock_).status().code(),
            StatusCode::kFailedPrecondition);
  Append({1});
  auto wrong = Proof(5, 10);
  EXPECT_FALSE(Cosign(DefaultFileSystem(), *witness, h9, &wrong, state, clock_).ok());
  auto proof = Proof(5, 9);
  auto second = Cosign(DefaultFileSystem(), *witness, h9, &proof, state, clock_);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->previous_size, 5u);
  // The older head again: a rollback.
  auto rollback = Cosign(DefaultFileSystem(), *witness, h5, nullptr, state, clock_);
  ASSERT_FALSE(rollback.ok());
  EXPECT_NE(rollback.status().message().find("rollback"), std::string::npos);
  // A forged head (same size, another root, signature not matching) is refused.
  journal::SignedHead forged = h9;
  forged.root[0] ^= 1;
  EXPECT_EQ(Cosign(DefaultFileSystem(), *witness, forged, nullptr, state, clock_).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(WitnessTest, CheckWitnessesFindsForksAndMissingCosignatures) {
  auto witness = crypto::Ed25519Signer::Generate();
  auto other = crypto::Ed25519Signer::Generate();
  Append({5});
  auto c = Cosign(DefaultFileSystem(), *witness, Head(store_), nullptr, tmp_.Sub("w"), clock_);
  ASSERT_TRUE(c.ok());
  const std::string dir = tmp_.Sub("cosignatures");
  std::filesystem::create_directory(dir);
  ASSERT_TRUE(WriteFileAtomically(DefaultFileSystem(), dir + "/a.json", AsBytes(CosignatureToJson(c->cosignature))).ok());
  Append({3});
  journal::StorePaths paths(store_);
  auto meta = journal::LoadStoreMeta(DefaultFileSystem(), paths);
  auto heads = ListHeadFrames(DefaultFileSystem(), paths.journal_dir);
  ASSERT_TRUE(heads.ok());
  auto v = CheckWitnesses(DefaultFileSystem(), dir, {HexEncode(witness->public_key()), HexEncode(other->public_key())},
                          *meta, *heads);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE((*v)[0].ok) << (*v)[0].problem;
  EXPECT_EQ((*v)[0].cosigned_size, 5u);
  EXPECT_EQ((*v)[0].cosigned_us, c->cosignature.cosigned_us);
  EXPECT_FALSE((*v)[1].ok);
  // Every witness with a cosignature there is found, without being named.
  auto found = WitnessesIn(DefaultFileSystem(), dir, *meta);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::vector<std::string>{HexEncode(witness->public_key())});
  // A damaged cosignature file is a verdict of its own, not skipped.
  ASSERT_TRUE(WriteFileAtomically(DefaultFileSystem(), dir + "/b.json", AsBytes(std::string("{\"format\": 1"))).ok());
  auto damaged = CheckWitnesses(DefaultFileSystem(), dir, {HexEncode(witness->public_key())}, *meta, *heads);
  ASSERT_TRUE(damaged.ok());
  ASSERT_EQ(damaged->size(), 2u);
  EXPECT_FALSE((*damaged)[0].ok);
  EXPECT_TRUE((*damaged)[0].witness.empty());
  EXPECT_NE((*damaged)[0].problem.find("b.json"), std::string::npos) << (*damaged)[0].problem;
  EXPECT_TRUE((*damaged)[1].ok);
  std::filesystem::remove(dir + "/b.json");
  // The journal rewritten from entry 0 (same key: an insider with the keys): the cosigned
  // head is no longer in its history.
  std::filesystem::remove_all(store_);
  ASSERT_TRUE(journal::Journal::Create(store_, TestSecret(), {}, Options()).ok());
  next_ = 100;
  Append({5, 3});
  auto meta2 = journal::LoadStoreMeta(DefaultFileSystem(), paths);
  auto heads2 = ListHeadFrames(DefaultFileSystem(), paths.journal_dir);
  journal::StoreMeta same_store = *meta2;
  same_store.store_id = meta->store_id;  // compare under the witnessed store's id
  same_store.signing_public_key = meta->signing_public_key;
  auto forked = CheckWitnesses(DefaultFileSystem(), dir, {HexEncode(witness->public_key())}, same_store, *heads2);
  ASSERT_TRUE(forked.ok());
  EXPECT_FALSE((*forked)[0].ok);
  EXPECT_NE((*forked)[0].problem.find("fork"), std::string::npos) << (*forked)[0].problem;
}

TEST(BackupNotesTest, NewestFirstAndDamageReported) {
  TempDir tmp;
  const std::string store = tmp.Sub("store");
  std::filesystem::create_directory(store);
  FileSystem& fs = DefaultFileSystem();
  auto none = ReadBackupNotes(fs, store, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->latest.empty());
  for (int i = 1; i <= 3; ++i) {
    BackupNote n;
    n.time_us = 1000 * i;
    n.mode = i == 2 ? "pull" : "local";
    n.destination = "/mnt/worm/" + std::to_string(i);
    n.run = i;
    n.tree_size = 10 * i;
    n.root[0] = static_cast<uint8_t>(i);
    n.bytes_copied = 100 * i;
    ASSERT_TRUE(WriteBackupNote(fs, store, n).ok());
  }
  BackupNote bad;
  bad.mode = "floppy";
  EXPECT_EQ(WriteBackupNote(fs, store, bad).code(), StatusCode::kInvalidArgument);
  auto two = ReadBackupNotes(fs, store, 2);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->latest.size(), 2u);
  EXPECT_EQ(two->latest[0].run, 3u);
  EXPECT_EQ(two->latest[0].destination, "/mnt/worm/3");
  EXPECT_EQ(two->latest[0].root[0], 3);
  EXPECT_EQ(two->latest[1].mode, "pull");
  EXPECT_EQ(two->latest[1].bytes_copied, 200u);
  EXPECT_TRUE(two->problems.empty());
  // A note cut short, and a stranger in the directory: named, and the older notes still read.
  std::string newest = store + "/backups/00000000000000003000-local.json";
  auto text = ReadWholeFile(fs, newest);
  ASSERT_TRUE(text.ok());
  std::filesystem::resize_file(newest, text->size() / 2);
  ASSERT_TRUE(WriteFileAtomically(fs, store + "/backups/zzz.json", AsBytes(std::string("{}"))).ok());
  auto damaged = ReadBackupNotes(fs, store, 2);
  ASSERT_TRUE(damaged.ok());
  ASSERT_EQ(damaged->problems.size(), 2u);
  EXPECT_NE(damaged->problems[0].find("zzz.json"), std::string::npos);
  EXPECT_NE(damaged->problems[1].find("3000-local.json"), std::string::npos) << damaged->problems[1];
  ASSERT_EQ(damaged->latest.size(), 2u);
  EXPECT_EQ(damaged->latest[0].run, 2u);
}

}  // namespace
}  // namespace ura::recovery
