// Tests of sealed SQLite databases. The page format is checked independently of the VFS: the
// tests decrypt raw pages with libsodium directly, following the format in sealed_db.h.
#include "sealed_db/sealed_db.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sealed_db/sealed_vfs.h"

namespace ura::sealed_db {
namespace {

namespace fs = std::filesystem;

constexpr int kFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
constexpr int kWalHeader = 32;
constexpr int kFrameHeader = 24;
constexpr int kFrame = kFrameHeader + kPageSize;

Bytes TestKey(uint8_t fill) {
  Bytes key(kKeySize);
  for (size_t i = 0; i < key.size(); ++i) key[i] = uint8_t(fill + 7 * i);
  return key;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "ura-sealed-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string Sub(const std::string& name) const { return (fs::path(path_) / name).string(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct DbCloser {
  void operator()(sqlite3* db) const { CloseSealed(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

Db OpenOrDie(const std::string& path, const Bytes& key) {
  auto db = OpenSealed(path, key, kFlags);
  if (!db.ok()) {
    ADD_FAILURE() << "OpenSealed(" << path << "): " << db.status().ToString();
    return nullptr;
  }
  return Db(*db);
}

// Runs SQL (several statements allowed); returns SQLite's extended result code.
int Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);
  return rc;
}

// The first column of the first row as text, and the statement's final result code.
struct Query {
  int rc = SQLITE_OK;
  std::string text;
};
Query QueryText(sqlite3* db, const std::string& sql) {
  Query q;
  sqlite3_stmt* stmt = nullptr;
  q.rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  if (q.rc == SQLITE_OK) {
    bool first = true;
    while ((q.rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (first && sqlite3_column_text(stmt, 0) != nullptr) {
        q.text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      }
      first = false;
    }
    if (q.rc == SQLITE_DONE) q.rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return q;
}

int64_t QueryInt(sqlite3* db, const std::string& sql) {
  Query q = QueryText(db, sql);
  EXPECT_EQ(q.rc, SQLITE_OK) << sql << ": " << sqlite3_errmsg(db);
  return q.rc == SQLITE_OK ? std::stoll(q.text.empty() ? "0" : q.text) : -1;
}

std::string IntegrityCheck(sqlite3* db) {
  Query q = QueryText(db, "PRAGMA integrity_check");
  if (q.rc != SQLITE_OK) return "error " + std::to_string(q.rc) + ": " + sqlite3_errmsg(db);
  return q.text;
}

Bytes ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Overwrites bytes of a file in place. Never used on a main database file another connection
// of this process has open (closing a descriptor would drop that connection's POSIX locks).
void Patch(const std::string& path, uint64_t offset, ByteView bytes) {
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  ASSERT_TRUE(f.good()) << path;
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(f.good());
}

void FlipByte(const std::string& path, uint64_t offset) {
  Bytes all = ReadAll(path);
  ASSERT_LT(offset, all.size());
  uint8_t b = all[offset] ^ 0x01;
  Patch(path, offset, ByteView(&b, 1));
}

bool Contains(const Bytes& haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

// Decrypts one raw page with libsodium, independently of the VFS (format in sealed_db.h).
bool DecryptIndependently(const Bytes& key, uint32_t page_number, const uint8_t* raw,
                          uint8_t* out) {
  uint8_t aad[20];
  std::memcpy(aad, "ura-sealed-db-v1", 16);
  aad[16] = uint8_t(page_number >> 24);
  aad[17] = uint8_t(page_number >> 16);
  aad[18] = uint8_t(page_number >> 8);
  aad[19] = uint8_t(page_number);
  return crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
             out, nullptr, raw, 4056, raw + 4080, aad, sizeof aad, raw + 4056, key.data()) == 0;
}

// Every page of the (checkpointed) main file decrypts under its own page number; returns the
// plaintext of page 1.
Bytes CheckEveryPageIndependently(const std::string& path, const Bytes& key) {
  Bytes raw = ReadAll(path);
  EXPECT_GT(raw.size(), 0u);
  EXPECT_EQ(raw.size() % kPageSize, 0u);
  Bytes page1(kPageSize);
  Bytes plain(kPageSize);
  for (size_t k = 0; k * kPageSize < raw.size(); ++k) {
    EXPECT_TRUE(
        DecryptIndependently(key, uint32_t(k + 1), raw.data() + k * kPageSize, plain.data()))
        << "page " << k + 1;
    if (k == 0) page1 = plain;
  }
  return page1;
}

void CreateSchema(sqlite3* db) {
  ASSERT_EQ(Exec(db,
                 "CREATE TABLE entity(id INTEGER PRIMARY KEY, name TEXT NOT NULL, body TEXT);"
                 "CREATE INDEX entity_name ON entity(name);"
                 "CREATE VIRTUAL TABLE entity_fts USING fts5(name, body);"),
            SQLITE_OK)
      << sqlite3_errmsg(db);
}

const char* const kColors[] = {"red", "green", "blue", "amber", "violet"};

std::string BodyFor(int i) {
  std::string body = "report " + std::to_string(i) + " district" + std::to_string(i % 7) +
                     " vehicle " + kColors[i % 5];
  if (i % 1000 == 0) body += " zebra";
  return body;
}

// Inserts rows [first, first + count) in one transaction, into the table and the FTS index.
void InsertRows(sqlite3* db, int first, int count, const std::string& extra = "") {
  ASSERT_EQ(Exec(db, "BEGIN"), SQLITE_OK);
  sqlite3_stmt* row = nullptr;
  sqlite3_stmt* fts = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "INSERT INTO entity(id, name, body) VALUES(?, ?, ?)", -1, &row,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_prepare_v2(db, "INSERT INTO entity_fts(rowid, name, body) VALUES(?, ?, ?)", -1,
                               &fts, nullptr),
            SQLITE_OK);
  for (int i = first; i < first + count; ++i) {
    std::string name = "person-" + std::to_string(i);
    std::string body = BodyFor(i) + extra;
    for (sqlite3_stmt* stmt : {row, fts}) {
      sqlite3_bind_int64(stmt, 1, i);
      sqlite3_bind_text(stmt, 2, name.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(stmt, 3, body.c_str(), -1, SQLITE_TRANSIENT);
      ASSERT_EQ(sqlite3_step(stmt), SQLITE_DONE) << sqlite3_errmsg(db);
      sqlite3_reset(stmt);
    }
  }
  sqlite3_finalize(row);
  sqlite3_finalize(fts);
  ASSERT_EQ(Exec(db, "COMMIT"), SQLITE_OK) << sqlite3_errmsg(db);
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Page numbers of the b-tree `name` (dbstat virtual table).
std::vector<int64_t> PagesOf(sqlite3* db, const std::string& name) {
  std::vector<int64_t> pages;
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(stmt, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(stmt) == SQLITE_ROW) pages.push_back(sqlite3_column_int64(stmt, 0));
  sqlite3_finalize(stmt);
  return pages;
}

// ---- 1. Round trip -------------------------------------------------------------------------

TEST(SealedDbTest, RoundTripWithFts5) {
  TempDir tmp;
  const std::string path = tmp.Sub("index.sqlite");
  const Bytes key = TestKey(1);
  constexpr int kRows = 20000;
  {
    Db db = OpenOrDie(path, key);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(QueryText(db.get(), "PRAGMA journal_mode").text, "wal");
    CreateSchema(db.get());
    InsertRows(db.get(), 1, kRows);
  }
  EXPECT_FALSE(fs::exists(path + "-wal"));  // the last close checkpoints and deletes the WAL

  Db db = OpenOrDie(path, key);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity"), kRows);
  EXPECT_EQ(QueryText(db.get(), "SELECT body FROM entity WHERE name = 'person-12345'").text,
            BodyFor(12345));
  EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity_fts WHERE entity_fts MATCH 'zebra'"),
            kRows / 1000);
  int expected = 0;  // rows in district3 with a red vehicle, counted independently of SQLite
  for (int i = 1; i <= kRows; ++i) expected += (i % 7 == 3 && i % 5 == 0) ? 1 : 0;
  EXPECT_EQ(QueryInt(db.get(),
                     "SELECT count(*) FROM entity_fts WHERE entity_fts MATCH 'district3 AND red'"),
            expected);
  int first_zebra_in_district6 = 0;
  for (int i = kRows; i >= 1; --i) {
    if (i % 1000 == 0 && i % 7 == 6) first_zebra_in_district6 = i;
  }
  ASSERT_GT(first_zebra_in_district6, 0);
  EXPECT_EQ(QueryText(db.get(),
                      "SELECT name FROM entity_fts WHERE entity_fts MATCH "
                      "'zebra AND district6' ORDER BY rowid LIMIT 1")
                .text,
            "person-" + std::to_string(first_zebra_in_district6));
  EXPECT_EQ(IntegrityCheck(db.get()), "ok");
  EXPECT_EQ(Exec(db.get(), "INSERT INTO entity_fts(entity_fts) VALUES('integrity-check')"),
            SQLITE_OK);
  db.reset();

  Bytes page1 = CheckEveryPageIndependently(path, key);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(page1.data()), 16),
            std::string("SQLite format 3\0", 16));
  EXPECT_EQ(page1[16], 0x10);  // page size 4096, big-endian
  EXPECT_EQ(page1[17], 0x00);
  EXPECT_EQ(page1[18], 2);  // WAL
  EXPECT_EQ(page1[19], 2);
  EXPECT_EQ(page1[20], kReservedBytes);
}

// ---- 2. No plaintext on disk ---------------------------------------------------------------

TEST(SealedDbTest, CanaryNeverReachesTheDisk) {
  TempDir tmp;
  const std::string path = tmp.Sub("index.sqlite");
  const Bytes key = TestKey(2);
  const std::string canary = "CANARY-PLAINTEXT-7f3a";
  auto scan = [&](const std::string& when) {
    int files = 0;
    for (const std::string& file : FilesIn(tmp.path())) {
      Bytes bytes = ReadAll(file);
      ++files;
      EXPECT_FALSE(Contains(bytes, canary)) << when << ": canary in " << file;
      EXPECT_FALSE(Contains(bytes, "CREATE TABLE")) << when << ": schema in " << file;
      EXPECT_FALSE(Contains(bytes, "person-1")) << when << ": a name in " << file;
    }
    return files;
  };
  {
    Db db = OpenOrDie(path, key);
    ASSERT_NE(db, nullptr);
    ASSERT_EQ(Exec(db.get(), "PRAGMA wal_autocheckpoint=0"), SQLITE_OK);
    CreateSchema(db.get());
    InsertRows(db.get(), 1, 2000, " " + canary);
    ASSERT_EQ(Exec(db.get(), "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);  // some in the db file
    InsertRows(db.get(), 2001, 2000, " " + canary);  // and some only in the WAL
    ASSERT_EQ(Exec(db.get(), "UPDATE entity SET name = name || ' " + canary + "' WHERE id % 3 = 0"),
              SQLITE_OK);
    ASSERT_GT(fs::file_size(path + "-wal"), 100u * kFrame);
    EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity_fts WHERE entity_fts MATCH '\"" +
                                     canary + "\"'"),
              4000);
    EXPECT_EQ(scan("open, WAL not checkpointed"), 3);  // db, -wal, -shm
  }
  EXPECT_EQ(scan("closed"), 1);
  Bytes raw = ReadAll(path);
  ASSERT_GE(raw.size(), 16u);
  EXPECT_NE(std::string(reinterpret_cast<const char*>(raw.data()), 15), "SQLite format 3");
}

// ---- 3. Wrong key --------------------------------------------------------------------------

TEST(SealedDbTest, WrongKeyIsAClearErrorAndTouchesNothing) {
  TempDir tmp;
  const std::string path = tmp.Sub("index.sqlite");
  const Bytes key = TestKey(3);
  const Bytes wrong = TestKey(4);
  {
    Db db = OpenOrDie(path, key);
    ASSERT_NE(db, nullptr);
    CreateSchema(db.get());
    InsertRows(db.get(), 1, 100);
  }
  const Bytes before = ReadAll(path);
  const std::vector<std::string> files_before = FilesIn(tmp.path());

  auto db = OpenSealed(path, wrong, kFlags);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kFailedPrecondition) << db.status().ToString();
  EXPECT_NE(db.status().message().find("index key does not match"), std::string::npos)
      << db.status().message();
  EXPECT_NE(db.status().message().find(path), std::string::npos);
  const std::string hex_key = HexEncode(wrong);
  EXPECT_EQ(db.status().message().find(hex_key.substr(0, 8)), std::string::npos);
  EXPECT_EQ(db.status().message().find(AsString(wrong)), std::string::npos);

  EXPECT_EQ(ReadAll(path), before);
  EXPECT_EQ(FilesIn(tmp.path()), files_before);
  EXPECT_FALSE(internal::IsKeyRegistered(*internal::FullPathname(path)));

  Db good = OpenOrDie(path, key);  // the right key still works
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(QueryInt(good.get(), "SELECT count(*) FROM entity"), 100);
}

TEST(SealedDbTest, PlaintextDatabaseIsRecognized) {
  TempDir tmp;
  const std::string path = tmp.Sub("plain.sqlite");
  sqlite3* plain = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &plain), SQLITE_OK);
  ASSERT_EQ(Exec(plain, "CREATE TABLE t(x); INSERT INTO t VALUES(1)"), SQLITE_OK);
  sqlite3_close(plain);
  const Bytes before = ReadAll(path);
  auto db = OpenSealed(path, TestKey(5), kFlags);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(db.status().message().find("plaintext SQLite database"), std::string::npos)
      << db.status().message();
  EXPECT_EQ(ReadAll(path), before);
}

// ---- 4. Tampering --------------------------------------------------------------------------

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = tmp_.Sub("index.sqlite");
    Db db = OpenOrDie(path_, key_);
    ASSERT_NE(db, nullptr);
    CreateSchema(db.get());
    InsertRows(db.get(), 1, 3000);
    entity_pages_ = PagesOf(db.get(), "entity");
    ASSERT_GT(entity_pages_.size(), 10u);
  }

  // A full scan of the entity table on a fresh connection fails with SQLITE_IOERR_DATA.
  void ExpectScanFails() {
    Db db = OpenOrDie(path_, key_);
    ASSERT_NE(db, nullptr);
    Query q = QueryText(db.get(), "SELECT count(*), sum(length(body)) FROM entity");
    EXPECT_EQ(q.rc, SQLITE_IOERR_DATA) << "rows: " << q.text << " " << sqlite3_errmsg(db.get());
    EXPECT_NE(IntegrityCheck(db.get()), "ok");
  }

  TempDir tmp_;
  std::string path_;
  Bytes key_ = TestKey(6);
  std::vector<int64_t> entity_pages_;
};

TEST_F(TamperTest, FlippedByteInTheMainFile) {
  const int64_t page = entity_pages_[entity_pages_.size() / 2];
  FlipByte(path_, (page - 1) * kPageSize + 1000);
  ExpectScanFails();
}

TEST_F(TamperTest, FlippedByteInANonceOrTag) {
  const int64_t page = entity_pages_[3];
  FlipByte(path_, (page - 1) * kPageSize + 4060);  // nonce
  ExpectScanFails();
}

TEST_F(TamperTest, ZeroedPage) {
  const int64_t page = entity_pages_[entity_pages_.size() / 2];
  Bytes zeros(kPageSize, 0);
  Patch(path_, (page - 1) * kPageSize, zeros);
  ExpectScanFails();
}

TEST_F(TamperTest, SwappedPages) {
  const int64_t a = entity_pages_[2], b = entity_pages_[entity_pages_.size() - 2];
  Bytes raw = ReadAll(path_);
  Bytes page_a(raw.begin() + (a - 1) * kPageSize, raw.begin() + a * kPageSize);
  Bytes page_b(raw.begin() + (b - 1) * kPageSize, raw.begin() + b * kPageSize);
  Patch(path_, (a - 1) * kPageSize, page_b);
  Patch(path_, (b - 1) * kPageSize, page_a);
  ExpectScanFails();
}

TEST_F(TamperTest, DamagedPageOneIsReportedAsKeyMismatchOrDamage) {
  FlipByte(path_, 50);
  auto db = OpenSealed(path_, key_, kFlags);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kFailedPrecondition) << db.status().ToString();
  EXPECT_NE(db.status().message().find("first page is damaged"), std::string::npos);
}

TEST_F(TamperTest, TruncatedLastPage) {
  fs::resize_file(path_, fs::file_size(path_) - 100);
  Db db = OpenOrDie(path_, key_);
  ASSERT_NE(db, nullptr);
  EXPECT_NE(IntegrityCheck(db.get()), "ok");
}

TEST_F(TamperTest, FlippedByteInALiveWal) {
  Db writer = OpenOrDie(path_, key_);
  ASSERT_NE(writer, nullptr);
  ASSERT_EQ(Exec(writer.get(), "PRAGMA wal_autocheckpoint=0"), SQLITE_OK);
  ASSERT_EQ(Exec(writer.get(), "UPDATE entity SET body = body || ' changed'"), SQLITE_OK);
  // The last frame of some leaf page of the entity table.
  const Bytes wal = ReadAll(path_ + "-wal");
  ASSERT_GT(wal.size(), static_cast<size_t>(kWalHeader + kFrame));
  ASSERT_EQ((wal.size() - kWalHeader) % kFrame, 0u);
  const int64_t target = entity_pages_[entity_pages_.size() / 2];
  int64_t frame_offset = -1;
  for (size_t at = kWalHeader; at + kFrame <= wal.size(); at += kFrame) {
    const uint32_t page = (uint32_t{wal[at]} << 24) | (uint32_t{wal[at + 1]} << 16) |
                          (uint32_t{wal[at + 2]} << 8) | wal[at + 3];
    if (page == target) frame_offset = static_cast<int64_t>(at);
  }
  ASSERT_GE(frame_offset, 0) << "page " << target << " not in the WAL";
  FlipByte(path_ + "-wal", frame_offset + kFrameHeader + 2000);
  ExpectScanFails();  // a second connection reads the page from the WAL
}

// ---- Crash images: a child process writes, then is killed; its files stay on disk ----------

// Forks a child that opens `path`, runs `work` and then waits to be SIGKILLed.
void RunInChildThenKill(const std::string& path, const Bytes& key,
                        const std::function<bool(sqlite3*)>& work) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    auto db = OpenSealed(path, key, kFlags);
    if (!db.ok() || !work(*db)) ::_exit(3);
    char ready = 1;
    if (::write(fds[1], &ready, 1) != 1) ::_exit(4);
    while (true) ::pause();
  }
  ::close(fds[1]);
  char ready = 0;
  const bool got = ::read(fds[0], &ready, 1) == 1;
  ::close(fds[0]);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(got) << "child failed, status " << status;
}

class WalRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = tmp_.Sub("index.sqlite");
    RunInChildThenKill(path_, key_, [](sqlite3* db) {
      if (Exec(db, "PRAGMA wal_autocheckpoint=0") != SQLITE_OK) return false;
      CreateSchema(db);
      InsertRows(db, 1, 500);
      InsertRows(db, 501, 500);
      return !::testing::Test::HasFailure();
    });
    wal_size_ = fs::exists(path_ + "-wal") ? fs::file_size(path_ + "-wal") : 0;
    ASSERT_GT(wal_size_, static_cast<uint64_t>(kWalHeader + 10 * kFrame));
    ASSERT_EQ((wal_size_ - kWalHeader) % kFrame, 0u);
  }
  uint64_t FrameOffset(uint64_t index) const { return kWalHeader + index * kFrame; }
  uint64_t frames() const { return (wal_size_ - kWalHeader) / kFrame; }

  TempDir tmp_;
  std::string path_;
  Bytes key_ = TestKey(7);
  uint64_t wal_size_ = 0;
};

TEST_F(WalRecoveryTest, RecoversEveryCommittedTransaction) {
  Db db = OpenOrDie(path_, key_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity"), 1000);
  EXPECT_EQ(IntegrityCheck(db.get()), "ok");
}

TEST_F(WalRecoveryTest, TornLastFrameIsTheEndOfTheLog) {
  // As if the crash hit while the last frame's page was being written: the second transaction's
  // commit frame is lost, and with it the transaction, as in plain SQLite.
  FlipByte(path_ + "-wal", FrameOffset(frames() - 1) + kFrameHeader + 7);
  Db db = OpenOrDie(path_, key_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity"), 500);
  EXPECT_EQ(IntegrityCheck(db.get()), "ok");
}

TEST_F(WalRecoveryTest, DamagedCommittedFrameIsReported) {
  // Frame 2 belongs to a committed transaction and committed frames follow it: damage, not a
  // torn write. Recovery fails rather than silently dropping the later transactions.
  FlipByte(path_ + "-wal", FrameOffset(1) + kFrameHeader + 7);
  auto db = OpenSealed(path_, key_, kFlags);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kDataLoss) << db.status().ToString();
  ASSERT_TRUE(db.status().corruption().has_value());
  EXPECT_EQ(db.status().corruption()->file, *internal::FullPathname(path_) + "-wal");
  EXPECT_EQ(db.status().corruption()->offset, FrameOffset(1) + kFrameHeader);
}

TEST(SealedDbTest, SpilledTransactionRewritesWalFramesInPlace) {
  // With a tiny page cache a big transaction spills pages to the WAL before it commits; pages
  // changed again are rewritten in place (page only, without their frame header) and SQLite
  // recomputes the frame checksums at commit. Recovery must accept the result.
  TempDir tmp;
  const std::string path = tmp.Sub("index.sqlite");
  const Bytes key = TestKey(16);
  RunInChildThenKill(path, key, [](sqlite3* db) {
    CreateSchema(db);
    return Exec(db,
                "PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=5; BEGIN;"
                "INSERT INTO entity(id, name, body) WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL "
                "SELECT i + 1 FROM c WHERE i < 3000) SELECT i, 'person-' || i, 'body ' || i FROM c;"
                "UPDATE entity SET body = body || ' again';"
                "UPDATE entity SET name = name || '.';"
                "INSERT INTO entity_fts(rowid, name, body) SELECT id, name, body FROM entity;"
                "COMMIT;") == SQLITE_OK;
  });
  ASSERT_GT(fs::file_size(path + "-wal"), static_cast<uint64_t>(kWalHeader));
  Db db = OpenOrDie(path, key);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(QueryInt(db.get(),
                     "SELECT count(*) FROM entity WHERE name LIKE '%.' AND body LIKE "
                     "'% again'"),
            3000);
  EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity_fts WHERE entity_fts MATCH 'again'"),
            3000);
  EXPECT_EQ(IntegrityCheck(db.get()), "ok");
}

TEST(SealedDbTest, ReadOnlyConnectionBesideAWriter) {
  TempDir tmp;
  const std::string path = tmp.Sub("index.sqlite");
  const Bytes key = TestKey(17);
  Db writer = OpenOrDie(path, key);
  ASSERT_NE(writer, nullptr);
  CreateSchema(writer.get());
  InsertRows(writer.get(), 1, 100);
  auto reader = OpenSealed(path, key, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Db read_only(*reader);
  EXPECT_EQ(QueryInt(read_only.get(), "SELECT count(*) FROM entity"), 100);
  InsertRows(writer.get(), 101, 100);
  EXPECT_EQ(QueryInt(read_only.get(), "SELECT count(*) FROM entity"), 200);
  EXPECT_EQ(Exec(read_only.get(), "DELETE FROM entity"), SQLITE_READONLY);
}

// ---- 5. Crashes at random moments ----------------------------------------------------------

constexpr int kRowsPerTransaction = 4;

[[noreturn]] void ChildWriteForever(const std::string& path, const Bytes& key, int report_fd,
                                    uint32_t seed) {
  auto opened = OpenSealed(path, key, kFlags);
  if (!opened.ok()) ::_exit(2);
  sqlite3* db = *opened;
  if (Exec(db, "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=64") != SQLITE_OK) ::_exit(3);
  Query next = QueryText(db, "SELECT coalesce(max(txn), 0) + 1 FROM tx");
  if (next.rc != SQLITE_OK) ::_exit(4);
  uint32_t txn = static_cast<uint32_t>(std::stoul(next.text));
  std::mt19937 rng(seed);
  while (true) {
    std::string sql = "BEGIN;";
    for (int i = 0; i < kRowsPerTransaction; ++i) {
      std::string payload(50 + rng() % 400, char('a' + rng() % 26));
      sql += "INSERT INTO tx(txn, payload) VALUES(" + std::to_string(txn) + ", '" + payload +
             "');INSERT INTO tx_fts(rowid, payload) VALUES(last_insert_rowid(), 'txn" +
             std::to_string(txn) + " " + payload + "');";
    }
    sql += "COMMIT;";
    if (Exec(db, sql) != SQLITE_OK) ::_exit(5);
    if (::write(report_fd, &txn, sizeof txn) != sizeof txn) ::_exit(6);
    ++txn;
  }
}

TEST(SealedDbCrashTest, KillNineLosesNoCommittedTransaction) {
  const int cycles = std::getenv("URA_SEALED_CRASH_CYCLES") != nullptr
                         ? std::atoi(std::getenv("URA_SEALED_CRASH_CYCLES"))
                         : 30;
  const uint32_t seed = std::random_device{}();
  std::cout << "sealed crash test: " << cycles << " cycles, seed " << seed << "\n";
  std::mt19937 rng(seed);
  TempDir tmp;
  const std::string path = tmp.Sub("index.sqlite");
  const Bytes key = TestKey(8);
  {
    Db db = OpenOrDie(path, key);
    ASSERT_NE(db, nullptr);
    ASSERT_EQ(Exec(db.get(),
                   "CREATE TABLE tx(id INTEGER PRIMARY KEY, txn INTEGER NOT NULL, "
                   "payload TEXT); CREATE INDEX tx_txn ON tx(txn);"
                   "CREATE VIRTUAL TABLE tx_fts USING fts5(payload);"),
              SQLITE_OK);
  }
  uint32_t max_reported = 0;
  int recovered = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      ChildWriteForever(path, key, fds[1], static_cast<uint32_t>(rng()));
    }
    ::close(fds[1]);
    ::usleep(5000 + rng() % 75000);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status))
        << "child exited with " << WEXITSTATUS(status) << " in cycle " << cycle;
    uint32_t value = 0;
    while (::read(fds[0], &value, sizeof value) == sizeof value) max_reported = value;
    ::close(fds[0]);
    if (fs::exists(path + "-wal") && fs::file_size(path + "-wal") > kWalHeader) ++recovered;

    Db db = OpenOrDie(path, key);
    ASSERT_NE(db, nullptr) << "cycle " << cycle;
    ASSERT_EQ(IntegrityCheck(db.get()), "ok") << "cycle " << cycle;
    ASSERT_EQ(Exec(db.get(), "INSERT INTO tx_fts(tx_fts) VALUES('integrity-check')"), SQLITE_OK)
        << "cycle " << cycle << ": " << sqlite3_errmsg(db.get());
    // Every reported transaction is there, whole; nothing else is half there.
    ASSERT_GE(QueryInt(db.get(), "SELECT coalesce(max(txn), 0) FROM tx"), max_reported)
        << "cycle " << cycle << ": a committed transaction was lost";
    ASSERT_EQ(QueryInt(db.get(), "SELECT count(DISTINCT txn) FROM tx"),
              QueryInt(db.get(), "SELECT coalesce(max(txn), 0) FROM tx"));
    ASSERT_EQ(QueryInt(db.get(),
                       "SELECT count(*) FROM (SELECT txn FROM tx GROUP BY txn HAVING "
                       "count(*) != " +
                           std::to_string(kRowsPerTransaction) + ")"),
              0);
    ASSERT_EQ(QueryInt(db.get(), "SELECT count(*) FROM tx"),
              QueryInt(db.get(), "SELECT count(*) FROM tx_fts"));
  }
  std::cout << "sealed crash test: " << max_reported << " transactions reported, " << recovered
            << " reopenings recovered a WAL\n";
  EXPECT_GT(max_reported, 0u);
  EXPECT_GT(recovered, 0);
}

// ---- 6. Checkpoint and VACUUM --------------------------------------------------------------

TEST(SealedDbTest, CheckpointTruncateAndVacuumKeepTheFormat) {
  TempDir tmp;
  const std::string path = tmp.Sub("index.sqlite");
  const Bytes key = TestKey(9);
  {
    Db db = OpenOrDie(path, key);
    ASSERT_NE(db, nullptr);
    CreateSchema(db.get());
    InsertRows(db.get(), 1, 6000);
    ASSERT_EQ(Exec(db.get(), "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
    EXPECT_EQ(fs::file_size(path + "-wal"), 0u);
  }
  {
    Db db = OpenOrDie(path, key);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity"), 6000);
    ASSERT_EQ(Exec(db.get(),
                   "DELETE FROM entity WHERE id % 2 = 0;"
                   "DELETE FROM entity_fts WHERE rowid % 2 = 0"),
              SQLITE_OK);
    const int64_t pages_before = QueryInt(db.get(), "PRAGMA page_count");
    ASSERT_EQ(Exec(db.get(), "VACUUM"), SQLITE_OK) << sqlite3_errmsg(db.get());
    EXPECT_LT(QueryInt(db.get(), "PRAGMA page_count"), pages_before);
    EXPECT_EQ(QueryInt(db.get(), "PRAGMA page_size"), kPageSize);
    int reserve = -1;
    ASSERT_EQ(sqlite3_file_control(db.get(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve),
              SQLITE_OK);
    EXPECT_EQ(reserve, kReservedBytes);
    EXPECT_EQ(IntegrityCheck(db.get()), "ok");
    InsertRows(db.get(), 7000, 100);  // and keeps working after VACUUM
    ASSERT_EQ(Exec(db.get(), "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
  }
  Bytes page1 = CheckEveryPageIndependently(path, key);
  EXPECT_EQ(page1[20], kReservedBytes);  // the reserve survived VACUUM, checked outside SQLite
  Db db = OpenOrDie(path, key);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity"), 3100);
  EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity_fts WHERE entity_fts MATCH 'zebra'"),
            1);  // 7000: the others (multiples of 1000) were deleted with the even ids
  EXPECT_EQ(IntegrityCheck(db.get()), "ok");
}

// ---- 7. Two connections --------------------------------------------------------------------

TEST(SealedDbTest, ReaderSeesCommittedSnapshotsWhileWriterWrites) {
  TempDir tmp;
  const std::string path = tmp.Sub("index.sqlite");
  const Bytes key = TestKey(10);
  Db writer = OpenOrDie(path, key);
  ASSERT_NE(writer, nullptr);
  CreateSchema(writer.get());
  InsertRows(writer.get(), 1, 100);
  Db reader = OpenOrDie(path, key);
  ASSERT_NE(reader, nullptr);

  // Interleaved on one thread: the reader keeps its snapshot during the writer's transaction.
  ASSERT_EQ(Exec(reader.get(), "BEGIN"), SQLITE_OK);
  EXPECT_EQ(QueryInt(reader.get(), "SELECT count(*) FROM entity"), 100);
  InsertRows(writer.get(), 101, 100);
  EXPECT_EQ(QueryInt(reader.get(), "SELECT count(*) FROM entity"), 100);
  ASSERT_EQ(Exec(reader.get(), "COMMIT"), SQLITE_OK);
  EXPECT_EQ(QueryInt(reader.get(), "SELECT count(*) FROM entity"), 200);

  // Concurrently, on two threads: counts only grow, by whole transactions.
  sqlite3_busy_timeout(writer.get(), 10000);
  sqlite3_busy_timeout(reader.get(), 10000);
  std::atomic<bool> done{false};
  std::thread write_thread([&] {
    for (int t = 0; t < 40; ++t) InsertRows(writer.get(), 1000 + t * 50, 50);
    done = true;
  });
  int64_t last = 200;
  int reads = 0;
  while (!done || reads == 0) {
    Query q = QueryText(reader.get(), "SELECT count(*) FROM entity");
    ASSERT_EQ(q.rc, SQLITE_OK) << sqlite3_errmsg(reader.get());
    const int64_t count = std::stoll(q.text);
    EXPECT_GE(count, last);
    EXPECT_EQ((count - 200) % 50, 0);
    last = count;
    ++reads;
  }
  write_thread.join();
  EXPECT_EQ(QueryInt(reader.get(), "SELECT count(*) FROM entity"), 200 + 40 * 50);
  EXPECT_EQ(IntegrityCheck(reader.get()), "ok");

  // The same database cannot be opened under another key meanwhile.
  auto other = OpenSealed(path, TestKey(11), kFlags);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::kFailedPrecondition);
}

// ---- Refusals and key lifetime -------------------------------------------------------------

TEST(SealedDbTest, NoRollbackJournalOrTemporaryFileIsEverOpened) {
  TempDir tmp;
  const std::string path = tmp.Sub("index.sqlite");
  Db db = OpenOrDie(path, TestKey(12));
  ASSERT_NE(db, nullptr);
  CreateSchema(db.get());
  InsertRows(db.get(), 1, 500);
  // A big sort, a temp table and a statement journal are fine: they stay in memory.
  EXPECT_EQ(QueryInt(db.get(),
                     "SELECT count(*) FROM (SELECT body FROM entity ORDER BY "
                     "random())"),
            500);
  EXPECT_EQ(Exec(db.get(), "CREATE TEMP TABLE scratch AS SELECT * FROM entity"), SQLITE_OK);
  // The second UPDATE moves 250 rows, then fails: the statement rolls back from its journal.
  EXPECT_EQ(Exec(db.get(),
                 "BEGIN; UPDATE entity SET name = name || '!'; "
                 "UPDATE entity SET id = CASE WHEN id < 250 THEN id + 500 ELSE 1 END"),
            SQLITE_CONSTRAINT_PRIMARYKEY);
  EXPECT_EQ(Exec(db.get(), "COMMIT"), SQLITE_OK);
  EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity WHERE name LIKE '%!'"), 500);
  EXPECT_EQ(QueryInt(db.get(), "SELECT max(id) FROM entity"), 500);

  // Big temp tables and sorts stay in memory with temp_store=MEMORY (OpenSealed's setting)...
  const std::string spill_temp_table =
      "PRAGMA temp.cache_size=2; CREATE TEMP TABLE spilled AS SELECT * FROM entity";
  const std::string spill_sort =
      "PRAGMA cache_size=2; SELECT count(*) FROM (SELECT randomblob(4000) AS b FROM entity "
      "ORDER BY b)";
  EXPECT_EQ(Exec(db.get(), spill_temp_table), SQLITE_OK) << sqlite3_errmsg(db.get());
  EXPECT_EQ(Exec(db.get(), spill_sort), SQLITE_OK) << sqlite3_errmsg(db.get());
  // ...with temp_store=FILE they would spill to temporary files: the VFS refuses to open them.
  EXPECT_EQ(Exec(db.get(), "PRAGMA temp_store=FILE"), SQLITE_OK);
  EXPECT_EQ(Exec(db.get(), spill_temp_table), SQLITE_CANTOPEN);
  EXPECT_EQ(Exec(db.get(), spill_sort), SQLITE_CANTOPEN);
  EXPECT_EQ(Exec(db.get(), "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-2000"), SQLITE_OK);
  // Leaving WAL mode needs a rollback journal: refused too.
  Query mode = QueryText(db.get(), "PRAGMA journal_mode=DELETE");
  EXPECT_EQ(mode.rc, SQLITE_CANTOPEN) << mode.text;
  EXPECT_EQ(QueryText(db.get(), "PRAGMA journal_mode").text, "wal");
  const std::string attached = tmp.Sub("other.sqlite");
  EXPECT_NE(Exec(db.get(), "ATTACH '" + attached + "' AS other"), SQLITE_OK);
  EXPECT_NE(Exec(db.get(), "VACUUM INTO '" + tmp.Sub("copy.sqlite") + "'"), SQLITE_OK);
  EXPECT_EQ(QueryInt(db.get(), "SELECT count(*) FROM entity"), 500);
  for (const std::string& file : FilesIn(tmp.path())) {
    EXPECT_TRUE(file == path || file == path + "-wal" || file == path + "-shm") << file;
  }
}

TEST(SealedDbTest, KeyIsForgottenWhenTheLastConnectionCloses) {
  TempDir tmp;
  const std::string path = tmp.Sub("index.sqlite");
  const std::string full = *internal::FullPathname(path);
  Db first = OpenOrDie(path, TestKey(13));
  ASSERT_NE(first, nullptr);
  Db second = OpenOrDie(path, TestKey(13));
  ASSERT_NE(second, nullptr);
  EXPECT_TRUE(internal::IsKeyRegistered(full));
  first.reset();
  EXPECT_TRUE(internal::IsKeyRegistered(full));
  EXPECT_EQ(QueryInt(second.get(), "PRAGMA page_count"), 1);
  second.reset();
  EXPECT_FALSE(internal::IsKeyRegistered(full));

  // Without a registered key the VFS opens nothing.
  sqlite3* direct = nullptr;
  EXPECT_NE(sqlite3_open_v2(path.c_str(), &direct, SQLITE_OPEN_READWRITE, kVfsName), SQLITE_OK);
  sqlite3_close_v2(direct);
}

TEST(SealedDbTest, RefusesBadArguments) {
  TempDir tmp;
  EXPECT_EQ(OpenSealed(tmp.Sub("a"), Bytes(16), kFlags).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenSealed(":memory:", TestKey(1), kFlags).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenSealed("file:" + tmp.Sub("a"), TestKey(1), kFlags).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenSealed(tmp.Sub("a"), TestKey(1), kFlags | SQLITE_OPEN_URI).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenSealed(tmp.Sub("missing"), TestKey(1), SQLITE_OPEN_READWRITE).status().code(),
            StatusCode::kNotFound);
}

TEST(SealedDbTest, PageCipherRoundTripAndBinding) {
  ASSERT_TRUE(internal::EnsureVfsRegistered().ok());
  const Bytes key = TestKey(14);
  Bytes plain(kPageSize);
  for (size_t i = 0; i < plain.size() - kReservedBytes; ++i) plain[i] = uint8_t(i * 31);
  Bytes sealed(kPageSize), sealed_again(kPageSize), out(kPageSize);
  internal::SealPage(key.data(), 7, plain.data(), sealed.data());
  internal::SealPage(key.data(), 7, plain.data(), sealed_again.data());
  EXPECT_NE(sealed, sealed_again);  // a fresh nonce every write
  EXPECT_TRUE(DecryptIndependently(key, 7, sealed.data(), out.data()));
  EXPECT_TRUE(std::equal(out.begin(), out.begin() + 4056, plain.begin()));
  EXPECT_TRUE(internal::OpenPage(key.data(), 7, sealed.data(), out.data()));
  EXPECT_EQ(out, plain);
  EXPECT_FALSE(internal::OpenPage(key.data(), 8, sealed.data(), out.data()));  // other page
  EXPECT_EQ(out, Bytes(kPageSize, 0));
  EXPECT_FALSE(internal::OpenPage(TestKey(15).data(), 7, sealed.data(), out.data()));
  Bytes zeros(kPageSize, 0);
  EXPECT_FALSE(internal::OpenPage(key.data(), 7, zeros.data(), out.data()));
  Bytes in_place = sealed;
  EXPECT_TRUE(internal::OpenPage(key.data(), 7, in_place.data(), in_place.data()));
  EXPECT_EQ(in_place, plain);
}

}  // namespace
}  // namespace ura::sealed_db
