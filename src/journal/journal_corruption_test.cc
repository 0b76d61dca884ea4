// Exhaustive corruption test: every single-byte change anywhere in a small journal's segment
// files is detected by the keyless verifier (what `ura verify` runs) and reported at the
// right place: the file, and the first bad sequence number -- for a byte in an entry frame,
// that entry's sequence; in a signed head, the head's tree size (the first entry it no
// longer vouches past); in a segment header, the segment's first sequence. The expected
// locations come from walking the pristine files' layout, independently of the verifier.
#include <filesystem>

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

struct ByteOwner {
  uint64_t expected_sequence;
  const char* region;
};

// For each byte of a pristine segment file, the sequence a change there must be reported at.
std::vector<ByteOwner> Layout(const Bytes& data) {
  std::vector<ByteOwner> owners(data.size());
  size_t header_len = 0;
  auto header = DecodeSegmentHeader(data, &header_len);
  EXPECT_TRUE(header.ok());
  for (size_t i = 0; i < header_len; ++i) owners[i] = {header->first_sequence, "segment header"};
  size_t offset = header_len;
  while (offset < data.size()) {
    HeaderProblem problem;
    FrameHeader h = DecodeFrameHeader(data.data() + offset, &problem);
    EXPECT_EQ(problem, HeaderProblem::kNone);
    size_t end = offset + kFrameHeaderSize + h.body_len;
    for (size_t i = offset; i < end; ++i) {
      owners[i] = {h.sequence, h.kind == FrameKind::kEntry ? "entry frame" : "head frame"};
    }
    offset = end;
  }
  return owners;
}

TEST(CorruptionTest, EverySingleByteChangeIsDetectedAtTheRightSequence) {
  TempDir tmp;
  std::string dir = tmp.Sub("store");
  ASSERT_TRUE(Journal::Create(dir, TestSecret(), {1, 8192}).ok());
  {
    JournalOptions options;
    options.segment_target_bytes = 900;
    auto j = Journal::OpenForWrite(dir, TestSecret(), options);
    ASSERT_TRUE(j.ok());
    for (uint64_t batch : {1, 3, 2, 1, 4}) {
      std::vector<std::string> payloads;
      for (uint64_t i = 0; i < batch; ++i) payloads.push_back(TestPayload((*j)->size() + i, 40));
      std::vector<EntryInput> entries;
      for (const auto& p : payloads) entries.push_back({kEntryTypeRaw, AsBytes(p)});
      ASSERT_TRUE((*j)->Append(entries).ok());
    }
  }
  StorePaths paths(dir);
  auto meta = LoadStoreMeta(DefaultFileSystem(), paths);
  ASSERT_TRUE(meta.ok());
  auto segments = ListSegments(DefaultFileSystem(), paths.journal_dir);
  ASSERT_TRUE(segments.ok());
  ASSERT_GE(segments->size(), 3u);

  // One thread: the single-pass verifier. Two: segments prepared ahead on other threads
  // (leaf hashes, subtree roots, signatures); both must catch every change.
  VerifyOptions one_thread, two_threads;
  one_thread.threads = 1;
  two_threads.threads = 2;
  auto verify = [&](const VerifyOptions& o) { return VerifyJournal(DefaultFileSystem(), paths, *meta, o); };
  ASSERT_TRUE(verify(one_thread)->intact);
  ASSERT_TRUE(verify(two_threads)->intact);

  uint64_t checked = 0;
  for (const auto& seg : *segments) {
    std::filesystem::permissions(seg.path, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    const Bytes pristine = *ReadWholeFile(DefaultFileSystem(), seg.path);
    std::vector<ByteOwner> owners = Layout(pristine);
    for (size_t offset = 0; offset < pristine.size(); ++offset) {
      for (uint8_t mask : {0x01, 0x80, 0xff}) {
        Bytes damaged = pristine;
        damaged[offset] ^= mask;
        {
          std::FILE* f = std::fopen(seg.path.c_str(), "r+b");
          ASSERT_NE(f, nullptr);
          std::fseek(f, static_cast<long>(offset), SEEK_SET);
          std::fputc(damaged[offset], f);
          std::fclose(f);
        }
        auto report = verify(mask == 0x01 ? two_threads : one_thread);
        std::string where = seg.path + " byte " + std::to_string(offset) + " (" +
                            owners[offset].region + ") ^ " + std::to_string(mask);
        ASSERT_TRUE(report.ok()) << where;
        ASSERT_FALSE(report->intact) << "undetected: " << where;
        const auto& c = report->problem.corruption();
        ASSERT_TRUE(c.has_value()) << where;
        ASSERT_TRUE(c->sequence.has_value()) << where;
        EXPECT_EQ(*c->sequence, owners[offset].expected_sequence)
            << where << ": " << report->problem.message();
        EXPECT_EQ(c->file, seg.path) << where;
        ++checked;
      }
      std::FILE* f = std::fopen(seg.path.c_str(), "r+b");
      std::fseek(f, static_cast<long>(offset), SEEK_SET);
      std::fputc(pristine[offset], f);
      std::fclose(f);
    }
  }
  ASSERT_TRUE(verify(one_thread)->intact);
  std::cout << "single-byte changes checked: " << checked << "\n";
}

TEST(CorruptionTest, ReplacedStoreIdentityIsDetected) {
  TempDir tmp;
  std::string dir = tmp.Sub("store");
  ASSERT_TRUE(Journal::Create(dir, TestSecret(), {1, 8192}).ok());
  StorePaths paths(dir);
  Bytes meta_bytes = *ReadWholeFile(DefaultFileSystem(), paths.meta);
  std::string original(AsString(meta_bytes));
  auto meta = LoadStoreMeta(DefaultFileSystem(), paths);
  for (const std::string& field : {HexEncode(meta->signing_public_key), HexEncode(meta->store_id)}) {
    std::string changed = original;
    size_t at = changed.find(field);
    ASSERT_NE(at, std::string::npos);
    changed[at + 3] = changed[at + 3] == 'a' ? 'b' : 'a';
    ASSERT_TRUE(WriteFileAtomically(DefaultFileSystem(), paths.meta, AsBytes(changed)).ok());
    auto m = LoadStoreMeta(DefaultFileSystem(), paths);
    ASSERT_TRUE(m.ok());
    auto report = VerifyJournal(DefaultFileSystem(), paths, *m, {});
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->intact) << field;
  }
}

}  // namespace
}  // namespace ura::journal
