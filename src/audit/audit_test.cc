#include "audit/audit.h"

#include <gtest/gtest.h>

#include "journal/journal_testing.h"

namespace ura::audit {
namespace {

Record Sample() {
  Record r;
  r.time_us = 1764417600000000;
  r.user = "cli:alice";
  r.client = "local";
  r.action = "search";
  r.justification = "case 2026/0142";
  r.detail = "Mehmet Rombolaku \"quoted\" \xc3\xab";
  r.AddObject("border.1");
  r.AddObject("cases.2");
  return r;
}

TEST(AuditRecordTest, RoundTripIsExactAndCanonical) {
  const Record r = Sample();
  const std::string json = EncodeRecord(r);
  auto back = DecodeRecord(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(EncodeRecord(*back), json);
  EXPECT_EQ(back->objects, r.objects);
  EXPECT_EQ(back->objects_total, 2u);
  EXPECT_EQ(back->detail, r.detail);
  // Keys sorted, no white space: the same record, the same bytes.
  EXPECT_EQ(json.substr(0, 18), "{\"action\":\"search\"");
}

TEST(AuditRecordTest, ObjectsBeyondTheCapAreCounted) {
  Record r;
  for (size_t i = 0; i < kMaxObjects + 5; ++i) r.AddObject("e" + std::to_string(i));
  EXPECT_EQ(r.objects.size(), kMaxObjects);
  EXPECT_EQ(r.objects_total, kMaxObjects + 5);
}

TEST(AuditRecordTest, MalformedRecordsAreRefused) {
  const std::string good = EncodeRecord(Sample());
  for (const std::string& bad : {std::string(""), std::string("[]"), std::string("{}"), good.substr(0, good.size() - 1),
                                 std::string(R"({"v":2})"),
                                 std::string(R"({"action":"a","client":"c","detail":"","justification":"j",)"
                                             R"("objects":[1],"objects_total":1,"outcome":"ok","time_us":1,"user":"u","v":1})"),
                                 std::string(R"({"action":"a","client":"c","detail":"","justification":"j",)"
                                             R"("objects":["x","y"],"objects_total":1,"outcome":"ok","time_us":1,"user":"u","v":1})")}) {
    auto r = DecodeRecord(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(AuditRecordTest, JustificationRules) {
  EXPECT_TRUE(CheckJustification("case 2026/0142").ok());
  EXPECT_TRUE(CheckJustification("hetim për trafik").ok());
  for (const std::string& bad : {std::string(""), std::string("   "), std::string("ab"), std::string("case\n42"),
                                 std::string("x\x1b[2Jy"), std::string(501, 'a'), std::string("ok \xff\xfe")}) {
    Status s = CheckJustification(bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("--reason"), std::string::npos);
  }
}

TEST(AuditJournalTest, AppendedRecordsAreReadBackAndFiltered) {
  journal::testing::TempDir tmp;
  const std::string dir = tmp.Sub("store");
  auto j = journal::testing::NewTestStore(dir);
  ASSERT_TRUE(j.ok());
  Record a = Sample();
  Record b = Sample();
  b.user = "cli:bob";
  b.action = "view";
  b.time_us += 1000000;
  b.objects = {"cases.2"};
  b.objects_total = 1;
  ASSERT_TRUE(Append(**j, {a, b}).ok());
  std::string raw = "not audit";
  std::vector<journal::EntryInput> other = {{journal::kEntryTypeRaw, AsBytes(raw)}};
  ASSERT_TRUE((*j)->Append(other).ok());
  auto collect = [&](const Filter& f) {
    std::vector<std::string> users;
    Status s = ForEach(DefaultFileSystem(), journal::StorePaths(dir), (*j)->keyring(), f,
                       [&](uint64_t, const Record& r) {
                         users.push_back(r.user + "/" + r.action);
                         return Status::Ok();
                       });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return users;
  };
  EXPECT_EQ(collect({}), (std::vector<std::string>{"cli:alice/search", "cli:bob/view"}));
  EXPECT_EQ(collect({"cli:bob", "", "", 0}), (std::vector<std::string>{"cli:bob/view"}));
  EXPECT_EQ(collect({"", "border.1", "", 0}), (std::vector<std::string>{"cli:alice/search"}));
  EXPECT_EQ(collect({"", "cases.2", "", 0}).size(), 2u);
  EXPECT_EQ(collect({"", "", "view", 0}), (std::vector<std::string>{"cli:bob/view"}));
  EXPECT_EQ(collect({"", "", "", b.time_us}), (std::vector<std::string>{"cli:bob/view"}));
}

}  // namespace
}  // namespace ura::audit
