// Pull backups without a network: a transport that hands each request to PullPrimary, as
// http/backup_routes.cc does, and can be made to lie the way a compromised primary would.
#include "recovery/pull.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "journal/journal.h"
#include "journal/journal_reader.h"
#include "journal/journal_testing.h"
#include "recovery/backup.h"
#include "recovery/restore.h"

namespace ura::recovery {
namespace {

using journal::testing::TempDir;
using journal::testing::TestPayload;
using journal::testing::TestSecret;
using nlohmann::json;

std::map<std::string, std::string> Query(const std::string& target) {
  std::map<std::string, std::string> q;
  size_t at = target.find('?');
  while (at != std::string::npos) {
    size_t end = target.find('&', at + 1);
    std::string pair = target.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
    size_t eq = pair.find('=');
    q[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
    at = end;
  }
  return q;
}

// The primary behind its API, in process. `lie` may rewrite any answer.
class LoopbackTransport final : public PullTransport {
 public:
  explicit LoopbackTransport(PullPrimary& primary) : primary_(primary) {}
  Result<std::string> Get(const std::string& target) override {
    ++requests;
    std::string body;
    if (target == "/api/v1/backup/snapshot") {
      URA_ASSIGN_OR_RETURN(body, primary_.SnapshotJson());
    } else if (target.rfind("/api/v1/backup/file?", 0) == 0) {
      auto q = Query(target);
      URA_ASSIGN_OR_RETURN(Bytes b, primary_.Read(q["path"], std::stoull(q["offset"]), std::stoull(q["length"])));
      body.assign(b.begin(), b.end());
    } else {
      return NotFound(target);
    }
    if (lie) lie(target, body);
    return body;
  }
  Result<std::string> Post(const std::string& target, const std::string& body) override {
    EXPECT_EQ(target, "/api/v1/backup/manifest-signature");
    last_message = body;
    URA_ASSIGN_OR_RETURN(crypto::Signature s, primary_.CheckAndSign(AsBytes(body)));
    std::string answer = json{{"signature", HexEncode(s)}}.dump();
    if (lie) lie(target, answer);
    return answer;
  }
  std::string Describe() const override { return "https://primary.test"; }

  std::function<void(const std::string& target, std::string& body)> lie;
  std::string last_message;
  int requests = 0;

 private:
  PullPrimary& primary_;
};

class PullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = tmp_.Sub("store");
    target_ = tmp_.Sub("backup");
    journal::JournalOptions o;
    o.segment_target_bytes = 2048;
    options_ = o;
    ASSERT_TRUE(journal::Journal::Create(store_, TestSecret(), {}, options_).ok());
    auto keyring = journal::Keyring::Unlock(DefaultFileSystem(), journal::StorePaths(store_), TestSecret());
    ASSERT_TRUE(keyring.ok());
    keyring_ = std::move(*keyring);
    primary_ = std::make_unique<PullPrimary>(DefaultFileSystem(), store_, keyring_->signer());
    transport_ = std::make_unique<LoopbackTransport>(*primary_);
  }
  void Append(int n) {
    auto j = journal::Journal::OpenForWrite(store_, TestSecret(), options_);
    ASSERT_TRUE(j.ok());
    std::vector<std::string> payloads;
    std::vector<journal::EntryInput> entries;
    for (int i = 0; i < n; ++i) payloads.push_back(TestPayload(next_++, 100));
    for (const auto& p : payloads) entries.push_back({journal::kEntryTypeRaw, AsBytes(p)});
    ASSERT_TRUE((*j)->Append(entries).ok());
  }
  Result<BackupReport> Pull() {
    PullSource source(*transport_);
    PrimaryManifestSigner signer(*transport_, source);
    BackupOptions options;
    options.chunk_bytes = 1000;
    return RunBackup(source, DefaultFileSystem(), target_, signer, clock_, options);
  }
  CheckReport Check() {
    CheckOptions o;
    o.read_data = true;
    auto r = CheckBackup(DefaultFileSystem(), target_, o);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : CheckReport{};
  }
  journal::SignedHead Head() {
    journal::StorePaths paths(store_);
    auto meta = journal::LoadStoreMeta(DefaultFileSystem(), paths);
    return *journal::ReadLatestHead(DefaultFileSystem(), paths, *meta);
  }
  // A valid signing message of the current store, from a pull run into a scratch target.
  std::string ValidMessage() {
    std::string keep = target_;
    target_ = tmp_.Sub("scratch-" + std::to_string(scratch_++));
    EXPECT_TRUE(Pull().ok());
    target_ = keep;
    return transport_->last_message;
  }
  static std::string Reencode(const Manifest& m) {
    Bytes b = ManifestSigningMessage(m);
    return std::string(b.begin(), b.end());
  }
  Status Sign(const std::string& message) { return primary_->CheckAndSign(AsBytes(message)).status(); }

  TempDir tmp_;
  std::string store_, target_;
  journal::JournalOptions options_;
  std::unique_ptr<journal::Keyring> keyring_;
  std::unique_ptr<PullPrimary> primary_;
  std::unique_ptr<LoopbackTransport> transport_;
  SystemClock clock_;
  uint64_t next_ = 0;
  int scratch_ = 0;
};

TEST_F(PullTest, APulledBackupIsALocalOneIncrementalAndRestorable) {
  Append(30);
  auto first = Pull();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->run, 1u);
  EXPECT_EQ(first->head.tree_size, 30u);
  CheckReport check = Check();
  EXPECT_TRUE(check.intact) << (check.problems.empty() ? "" : check.problems[0].message);
  EXPECT_TRUE(check.data_read);

  Append(12);
  auto second = Pull();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->run, 2u);
  EXPECT_EQ(second->head.tree_size, 42u);
  EXPECT_GT(second->files_reused, 0u);  // sealed segments of run 1 are not fetched again
  EXPECT_LT(second->bytes_read, first->bytes_read + 2000);

  auto third = Pull();
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->nothing_new);
  EXPECT_TRUE(Check().intact);

  RestoreOptions o;
  auto restored = RestoreJournal(DefaultFileSystem(), target_, tmp_.Sub("restored"), o);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->tree_size, 42u);
  EXPECT_EQ(restored->root, Head().root);
}

TEST_F(PullTest, OnlyStoreFilesAreServed) {
  for (const char* good : {"store.json", "keys/keyring.json", "journal/seg-0000000000000001.ura"}) {
    EXPECT_TRUE(IsStoreFilePath(good)) << good;
  }
  for (const char* bad : {"", "/etc/passwd", "../store.json", "keys/../store.json", "journal/../keys/keyring.json",
                          "keys/.hidden", "keys/keyring.json.tmp", "keys/", "index/index.db", "journal/seg-1.ura", "journal/seg-00000001.ura",
                          "journal/seg-0000000000000001.ura/x", "store.json/", "keys/a/b", "lock", "journal/seg-000000000000000x.ura"}) {
    EXPECT_FALSE(IsStoreFilePath(bad)) << bad;
    EXPECT_EQ(primary_->Read(bad, 0, 10).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  Append(3);
  EXPECT_EQ(primary_->Read("store.json", 0, kMaxPullRead + 1).status().code(), StatusCode::kInvalidArgument);
  auto whole = primary_->Read("store.json", 0, kMaxPullRead);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(*whole, *ReadWholeFile(DefaultFileSystem(), store_ + "/store.json"));
  auto tail = primary_->Read("store.json", whole->size() - 5, 100);
  EXPECT_EQ(tail->size(), 5u);  // short at the end
  EXPECT_TRUE(primary_->Read("store.json", whole->size() + 10, 100)->empty());
  EXPECT_EQ(primary_->Read("journal/seg-0000000000000099.ura", 0, 10).status().code(), StatusCode::kNotFound);
}

TEST_F(PullTest, ThePrimarySignsOnlyManifestsOfItsOwnStore) {
  Append(25);
  const std::string good = ValidMessage();
  ASSERT_TRUE(Sign(good).ok());
  auto parsed = ParseManifestSigningMessage(AsBytes(good));
  ASSERT_TRUE(parsed.ok());
  const Manifest m = *parsed;

  EXPECT_EQ(Sign(good.substr(1)).code(), StatusCode::kInvalidArgument);                 // no prefix
  EXPECT_EQ(Sign("URA-HEAD-V1\n" + good.substr(good.find('\n') + 1)).code(), StatusCode::kInvalidArgument);
  std::string spaced = good;
  spaced.insert(spaced.find('{') + 1, " ");                                                // not canonical
  EXPECT_EQ(Sign(spaced).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sign(good + "x").code(), StatusCode::kInvalidArgument);

  auto variant = [&](const std::function<void(Manifest&)>& change) {
    Manifest v = m;
    change(v);
    return Sign(Reencode(v)).code();
  };
  EXPECT_EQ(variant([](Manifest& v) { v.store_id[0] ^= 1; }), StatusCode::kFailedPrecondition);
  EXPECT_EQ(variant([](Manifest& v) { v.public_key[0] ^= 1; }), StatusCode::kFailedPrecondition);
  EXPECT_EQ(variant([](Manifest& v) { v.head.root[0] ^= 1; }), StatusCode::kInvalidArgument);  // not a head it signed
  EXPECT_EQ(variant([](Manifest& v) { v.head.tree_size += 1; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(variant([](Manifest& v) { v.files[0].path = "index/index.db"; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(variant([](Manifest& v) { v.files[0].path = "../outside"; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(variant([](Manifest& v) { v.files.erase(v.files.begin()); }), StatusCode::kInvalidArgument);  // no store.json
  EXPECT_EQ(variant([](Manifest& v) { v.files[1].sha256[0] ^= 1; }), StatusCode::kFailedPrecondition);  // keyring
  EXPECT_EQ(variant([](Manifest& v) { v.files.push_back(v.files.back()); v.files.back().path = "journal/seg-0000000000000777.ura"; }),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(variant([](Manifest& v) { v.files[1].segment = true; }), StatusCode::kInvalidArgument);
  // A sealed segment at another length; the open one longer than it is.
  bool sealed_tried = false;
  for (size_t i = 0; i < m.files.size(); ++i) {
    if (!m.files[i].segment) continue;
    const StatusCode code = variant([&](Manifest& v) {
      v.files[i].size += 1;
      v.files[i].chunks.back().size += 1;
    });
    EXPECT_EQ(code, StatusCode::kFailedPrecondition) << m.files[i].path;
    sealed_tried |= m.files[i].sealed;
  }
  EXPECT_TRUE(sealed_tried);
}

TEST_F(PullTest, TheBackupHostRefusesALyingPrimaryAndKeepsNothing) {
  Append(30);
  struct Lie {
    const char* what;
    std::function<void(const std::string&, std::string&)> lie;
  };
  const Lie lies[] = {
      {"a path outside the store",
       [](const std::string& t, std::string& b) {
         if (t == "/api/v1/backup/snapshot") {
           json j = json::parse(b);
           j["files"][1]["path"] = "../../etc/passwd";
           b = j.dump();
         }
       }},
      {"a head not signed by the store's key",
       [](const std::string& t, std::string& b) {
         if (t == "/api/v1/backup/snapshot") {
           json j = json::parse(b);
           j["head"]["tree_size"] = j["head"]["tree_size"].get<uint64_t>() + 1;
           b = j.dump();
         }
       }},
      {"a flipped byte in a segment",
       [](const std::string& t, std::string& b) {
         if (t.find("path=journal/seg-0000000000000001.ura") != std::string::npos && b.size() > 200) b[200] ^= 1;
       }},
      {"more bytes than asked for",
       [](const std::string& t, std::string& b) {
         if (t.find("path=journal/") != std::string::npos) b += "xx";
       }},
      {"a signature that does not verify",
       [](const std::string& t, std::string& b) {
         if (t == "/api/v1/backup/manifest-signature") {
           json j = json::parse(b);
           std::string s = j["signature"];
           s[0] = s[0] == '0' ? '1' : '0';
           b = json{{"signature", s}}.dump();
         }
       }},
      {"a malformed snapshot", [](const std::string& t, std::string& b) {
         if (t == "/api/v1/backup/snapshot") b = "{\"format\": \"ura-backup-snapshot\", \"version\": 1}";
       }},
  };
  for (const Lie& l : lies) {
    SCOPED_TRACE(l.what);
    transport_->lie = l.lie;
    target_ = tmp_.Sub(std::string("lied-") + std::to_string(scratch_++));
    auto r = Pull();
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(DefaultFileSystem().Exists(target_ + "/manifests/0000000001.json"));
  }
  transport_->lie = nullptr;
  target_ = tmp_.Sub("honest");
  EXPECT_TRUE(Pull().ok());
  EXPECT_TRUE(Check().intact);
}

}  // namespace
}  // namespace ura::recovery
