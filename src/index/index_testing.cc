#include "index/index_testing.h"

#include <gtest/gtest.h>

namespace ura::index::testing {

void StoreTest::SetUp() {
  dir_ = tmp_.Sub("store");
  auto j = journal::testing::NewTestStore(dir_);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  journal_ = std::move(j).value();
}

std::unique_ptr<SqliteIndex> StoreTest::OpenIndex(const std::string& name, EntityKeys keys) {
  auto idx = SqliteIndex::Open(tmp_.Sub(name), std::nullopt, std::move(keys));
  EXPECT_TRUE(idx.ok()) << idx.status().ToString();
  return idx.ok() ? std::move(idx).value() : nullptr;
}

ScratchIndex::ScratchIndex(EntityKeys keys) {
  auto idx = SqliteIndex::Open(tmp_.Sub("scratch.sqlite"), std::nullopt, std::move(keys));
  EXPECT_TRUE(idx.ok()) << idx.status().ToString();
  if (idx.ok()) index_ = std::move(idx).value();
}

void ScratchIndex::Add(const model::Entity& e) {
  json_.push_back(model::CanonicalJson(e));
  entities_.push_back(e);
  Status s = index_->Apply({{sequence_, &entities_.back(), json_.back()}}, {}, sequence_ + 1, {});
  EXPECT_TRUE(s.ok()) << s.ToString();
  ++sequence_;
}

void ScratchIndex::AddRun(const model::RunChunk& run) {
  Status s = index_->Apply({}, {{sequence_, &run, nullptr}}, sequence_ + 1, {});
  EXPECT_TRUE(s.ok()) << s.ToString();
  ++sequence_;
}

void ScratchIndex::AddUpdate(const model::ResolutionUpdate& update) {
  Status s = index_->Apply({}, {{sequence_, nullptr, &update}}, sequence_ + 1, {});
  EXPECT_TRUE(s.ok()) << s.ToString();
  ++sequence_;
}

void ScratchIndex::AddJudgement(const model::Judgement& judgement) {
  Status s = index_->Apply({}, {{sequence_, nullptr, nullptr, &judgement}}, sequence_ + 1, {});
  EXPECT_TRUE(s.ok()) << s.ToString();
  ++sequence_;
}

}  // namespace ura::index::testing
