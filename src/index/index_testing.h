// Fixtures for tests of the index and what reads or writes it. Not for production code.
// A scratch index for tests of what reads the index (search, consultations): a SQLite index
// in a temporary directory, filled one entity version at a time. Not for production code.
#pragma once

#include <deque>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "index/sqlite/sqlite_index.h"
#include "journal/journal_testing.h"

namespace ura::index::testing {

class ScratchIndex {
 public:
  // `keys`: what it lists entities under (none by default).
  explicit ScratchIndex(EntityKeys keys = {});
  // Applies `e` as the next journal entry (the test fails if it cannot).
  void Add(const model::Entity& e);
  // Applies a resolution run (in one chunk) or an incremental update as the next journal entry.
  void AddRun(const model::RunChunk& run);
  void AddUpdate(const model::ResolutionUpdate& update);
  // Applies an analyst's judgement as the next journal entry.
  void AddJudgement(const model::Judgement& judgement);
  SqliteIndex& operator*() { return *index_; }
  SqliteIndex* operator->() { return index_.get(); }

 private:
  journal::testing::TempDir tmp_;
  std::unique_ptr<SqliteIndex> index_;
  std::deque<model::Entity> entities_;  // Apply keeps pointers to these
  std::deque<std::string> json_;
  uint64_t sequence_ = 0;
};

// A fixture for tests that write a journal and index it: a store in a temporary directory, open
// for writing, and plain (unsealed) indexes beside it.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Opens (or creates) the index file `name` in the temporary directory.
  std::unique_ptr<SqliteIndex> OpenIndex(const std::string& name, EntityKeys keys = {});

  journal::testing::TempDir tmp_;
  std::string dir_;  // the store
  std::unique_ptr<journal::Journal> journal_;
};

// A value with a fixed test provenance.
inline model::PropertyValue TestValue(const std::string& v) { return {v, {"test", "r1", 1700000000000000}}; }

}  // namespace ura::index::testing
