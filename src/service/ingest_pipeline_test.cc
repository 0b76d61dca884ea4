#include "service/ingest_pipeline.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "index/index_testing.h"
#include "index/sqlite/sqlite_index.h"
#include "journal/journal_reader.h"
#include "journal/journal_testing.h"

namespace ura::service {
namespace {

using index::SqliteIndex;
using index::testing::TestValue;
using journal::testing::TestSecret;

// A store (journal and plain index) and a pipeline over it, with the index's writer
// connection in a bulk transaction unless a test says otherwise.
class IngestPipelineTest : public index::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    index_ = OpenIndex();
  }
  std::unique_ptr<SqliteIndex> OpenIndex() { return StoreTest::OpenIndex("index.db"); }
  void Start(bool bulk) {
    if (bulk) {
      ASSERT_TRUE(index_->BeginBulk().ok());
    }
    pipeline_ = std::make_unique<IngestPipeline>(*journal_, *index_, OpenIndex(), &written_);
  }
  static model::Entity Counter(const std::string& id, int n) {
    model::Entity e;
    e.id = id;
    e.schema = "Person";
    e.properties["name"].push_back(TestValue("count " + std::to_string(n)));
    return e;
  }
  // The count the pipeline says `id` is at now (0: no such entity).
  int CountOf(const std::string& id) {
    auto e = pipeline_->Current(id);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    if (!e.ok() || !*e) return 0;
    return std::stoi((*e)->properties.at("name").front().value.substr(6));
  }
  // Each batch raises every counter by one, from what Current says it is: any stale answer
  // repeats a count.
  void Count(const std::vector<std::string>& ids, int batches) {
    for (int b = 0; b < batches; ++b) {
      std::vector<model::Entity> batch;
      for (const auto& id : ids) batch.push_back(Counter(id, CountOf(id) + 1));
      ASSERT_TRUE(pipeline_->Write(batch).ok());
    }
  }
  // Every entity version in the journal, in order, as "id=count".
  std::vector<std::string> Journal() {
    auto keyring = journal::Keyring::Unlock(DefaultFileSystem(), journal::StorePaths(dir_), TestSecret());
    EXPECT_TRUE(keyring.ok());
    std::vector<std::string> out;
    Status s = journal::ReadEntries(DefaultFileSystem(), journal::StorePaths(dir_), **keyring, 0, 0,
                                    [&](const journal::DecodedEntry& e) {
                                      auto entity = model::ParseEntityJson(AsString(e.payload));
                                      EXPECT_TRUE(entity.ok());
                                      out.push_back(entity->id + "=" + entity->properties["name"].front().value.substr(6));
                                      return Status::Ok();
                                    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  std::unique_ptr<SqliteIndex> index_;
  WrittenIds written_{30};
  std::unique_ptr<IngestPipeline> pipeline_;
};

TEST_F(IngestPipelineTest, AnswersWrittenVersionsUntilTheIndexCommitsThem) {
  Start(/*bulk=*/true);
  Count({"a", "b"}, 50);
  ASSERT_TRUE(pipeline_->Drain().ok());
  // All applied, none committed: another connection sees none of them, the pipeline all.
  auto reader = OpenIndex();
  auto seen = reader->Get("a");
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->has_value());
  EXPECT_EQ(CountOf("a"), 50);
  EXPECT_EQ(pipeline_->held(), 2u);
  std::vector<std::string> expected;
  for (int n = 1; n <= 50; ++n) {
    expected.push_back("a=" + std::to_string(n));
    expected.push_back("b=" + std::to_string(n));
  }
  EXPECT_EQ(Journal(), expected);
  EXPECT_EQ(written_.total, 100u);  // and the first 30 ids: memory flat in the size of the input
  ASSERT_EQ(written_.ids.size(), 30u);
  EXPECT_EQ(written_.ids[0], "a");
  EXPECT_EQ(written_.ids[29], "b");
  EXPECT_EQ(index_->applied_size(), 100u);
  EXPECT_EQ(index_->committed_size(), 0u);

  // Once committed, the next batch lets the older versions go: "a" is read from the index.
  ASSERT_TRUE(index_->Commit().ok());
  ASSERT_TRUE(index_->BeginBulk().ok());
  Count({"b"}, 1);
  ASSERT_TRUE(pipeline_->Drain().ok());
  EXPECT_EQ(pipeline_->held(), 1u);  // b's newest, in the open transaction
  EXPECT_EQ(CountOf("a"), 50);
  EXPECT_EQ(CountOf("b"), 51);
}

TEST_F(IngestPipelineTest, LetsVersionsGoOnceEachBatchIsCommitted) {
  Start(/*bulk=*/false);  // every Apply commits
  Count({"a", "b", "c"}, 40);
  ASSERT_TRUE(pipeline_->Drain().ok());
  EXPECT_EQ(pipeline_->held(), 0u);
  EXPECT_EQ(CountOf("c"), 40);
  EXPECT_EQ(index_->committed_size(), 120u);
  auto stored = index_->Get("b");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->properties["name"].front().value, "count 40");
}

TEST_F(IngestPipelineTest, AnIndexFailureStopsTheIngestAndTheJournalKeepsTheBatch) {
  Start(/*bulk=*/true);
  {
    // The index loses a table under the writer's connection: applying the first batch fails.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(tmp_.Sub("index.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TABLE versions", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  ASSERT_TRUE(pipeline_->Write({Counter("a", 1)}).ok());  // durable in the journal
  Status drained = pipeline_->Drain();
  EXPECT_FALSE(drained.ok());
  EXPECT_NE(drained.message().find("the journal holds this batch"), std::string::npos) << drained.ToString();
  Status next = pipeline_->Write({Counter("a", 2)});
  EXPECT_FALSE(next.ok());
  pipeline_.reset();
  EXPECT_EQ(Journal(), std::vector<std::string>{"a=1"});  // nothing written after the failure
}

}  // namespace
}  // namespace ura::service
