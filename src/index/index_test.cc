#include "index/index.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <set>

#include "index/index_testing.h"
#include "index/sqlite/sqlite_index.h"
#include "journal/journal.h"
#include "journal/journal_testing.h"

namespace ura::index {
namespace {


model::PropertyValue Val(const std::string& v, const std::string& record = "r1") {
  return {v, {"test", record, 1700000000000000}};
}

model::Entity MakePerson(const std::string& id, const std::string& name, const std::string& passport = "") {
  model::Entity e;
  e.id = id;
  e.schema = "Person";
  e.properties["name"].push_back(Val(name));
  if (!passport.empty()) e.properties["passportNumber"].push_back(Val(passport));
  return e;
}

// Keys for the tests (the index does not know what keys mean): "n:" and each name's first
// letter, "id:" and each passport number; the record is "id=names" for an entity with names.
EntityKeys TestKeys() {
  return {"test-keys-1", [](const model::Entity& e) {
            std::set<std::string> keys;
            std::string names;
            for (const auto& [property, values] : e.properties) {
              for (const model::PropertyValue& v : values) {
                if (property == "name" && !v.value.empty()) keys.insert("n:" + v.value.substr(0, 1));
                if (property == "name") names += v.value + ";";
                if (property == "passportNumber") keys.insert("id:" + v.value);
              }
            }
            return EntityKeys::Derived{std::vector<std::string>(keys.begin(), keys.end()),
                                       names.empty() ? "" : e.id + "=" + names};
          }};
}

// f1: p1's relative is p2.
model::Entity FamilyLink() {
  model::Entity link;
  link.id = "f1";
  link.schema = "Family";
  link.properties["person"].push_back(Val("p1"));
  link.properties["relative"].push_back(Val("p2"));
  return link;
}

class IndexTest : public index::testing::StoreTest {
 protected:
  std::unique_ptr<SqliteIndex> OpenIndex(const std::string& name) { return StoreTest::OpenIndex(name, TestKeys()); }
  // Writes versions to the journal and applies them to `index` as ingest does.
  void Write(const std::vector<model::Entity>& versions, Index* index) {
    std::vector<std::string> json;
    for (const auto& e : versions) json.push_back(model::CanonicalJson(e));
    std::vector<journal::EntryInput> entries;
    for (const auto& p : json) entries.push_back({kEntryTypeEntityVersion, AsBytes(p)});
    auto r = journal_->Append(entries);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    if (index == nullptr) return;
    std::vector<VersionToApply> applied;
    for (size_t i = 0; i < versions.size(); ++i) applied.push_back({r->first_sequence + i, &versions[i], json[i]});
    ASSERT_TRUE(index->Apply(applied, {}, r->first_sequence + r->count, r->head.root).ok());
  }
  journal::Keyring& keyring() { return const_cast<journal::Keyring&>(journal_->keyring()); }
};

// Random operations (new entities, new versions that change names, identifiers and links,
// raw entries in between) applied step by step give the same index as one rebuild.
TEST_F(IndexTest, IncrementalEqualsRebuild) {
  auto incremental = OpenIndex("a.sqlite");
  std::mt19937 rng(7);
  const std::vector<std::string> given = {"Mehmet", "Arben", "Şükrü", "Ђорђе", "Ana", "Elira"};
  const std::vector<std::string> family = {"Rombolaku", "Hoxha", "Çoci", "Петровић", "Gashi", "Krasniqi"};
  std::map<std::string, model::Entity> model;
  std::map<std::pair<std::string, std::string>, std::string> judgements;  // in force, encoded
  for (int step = 0; step < 60; ++step) {
    std::vector<model::Entity> batch;
    const int n = 1 + static_cast<int>(rng() % 20);
    for (int i = 0; i < n; ++i) {
      std::string id = "p" + std::to_string(rng() % 150);
      model::Entity e = MakePerson(id, given[rng() % given.size()] + " " + family[rng() % family.size()],
                                   rng() % 2 ? "AB" + std::to_string(rng() % 1000) : "");
      if (rng() % 3 == 0) e.properties["alias"].push_back(Val(family[rng() % family.size()]));
      if (rng() % 4 == 0) {  // values out of canonical order: must project as their journal form does
        e.properties["alias"].push_back(Val("Zeta"));
        e.properties["alias"].push_back(Val("Alpha"));
      }
      if (rng() % 4 == 0) e.properties["address"].push_back(Val("Rruga e Kavajës " + std::to_string(rng() % 50)));
      batch.push_back(e);
      model[id] = e;
      if (rng() % 5 == 0) {
        model::Entity link;
        link.id = "f" + std::to_string(rng() % 40);
        link.schema = "Family";
        link.properties["person"].push_back(Val(id));
        link.properties["relative"].push_back(Val("p" + std::to_string(rng() % 150)));
        batch.push_back(link);
        model[link.id] = link;
      }
    }
    bool bulk = rng() % 2;
    if (bulk) {
      ASSERT_TRUE(incremental->BeginBulk().ok());
    }
    Write(batch, incremental.get());
    if (bulk) {
      ASSERT_TRUE(incremental->Commit().ok());
    }
    if (rng() % 4 == 0) {  // raw entries are not entities: skipped by the index
      std::string raw = "note";
      std::vector<journal::EntryInput> entries = {{journal::kEntryTypeRaw, AsBytes(raw)}};
      ASSERT_TRUE(journal_->Append(entries).ok());
    }
    if (rng() % 3 == 0) {  // an analyst's judgement on two records, the latest of a pair in force
      model::Judgement j{"p" + std::to_string(rng() % 10), "p" + std::to_string(10 + rng() % 5),
                         static_cast<model::Decision>(rng() % 3), "cli:ana", "step " + std::to_string(step), step};
      const std::string payload = model::EncodeJudgement(j);
      std::vector<journal::EntryInput> entries = {{model::kEntryTypeJudgement, AsBytes(payload)}};
      auto r = journal_->Append(entries);
      ASSERT_TRUE(r.ok());
      ASSERT_TRUE(incremental->Apply({}, {{r->first_sequence, nullptr, nullptr, &j}}, r->first_sequence + 1, r->head.root).ok());
      const auto pair = std::minmax(j.a, j.b);  // the journal's form orders them
      if (j.decision == model::Decision::kWithdrawn) {
        judgements.erase(pair);
      } else {
        judgements[pair] = payload;
      }
    }
  }
  auto rebuilt = OpenIndex("b.sqlite");
  ASSERT_TRUE(rebuilt->BeginRebuild().ok());
  journal::StorePaths paths(dir_);
  ASSERT_TRUE(CatchUp(*rebuilt, DefaultFileSystem(), paths, keyring()).ok());
  ASSERT_TRUE(rebuilt->Commit().ok());
  // The incremental index missed the raw entries' sizes only: catch it up too.
  ASSERT_TRUE(CatchUp(*incremental, DefaultFileSystem(), paths, keyring()).ok());
  auto a = incremental->ContentDigest();
  auto b = rebuilt->ContentDigest();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(incremental->applied_size(), rebuilt->applied_size());
  EXPECT_EQ(incremental->applied_root(), rebuilt->applied_root());
  EXPECT_EQ(rebuilt->applied_size(), journal_->size());
  // And both match the journal entity by entity.
  auto check = CheckAgainstJournal(*incremental, DefaultFileSystem(), paths, keyring());
  EXPECT_TRUE(check.ok()) << check.status().ToString();
  std::map<std::pair<std::string, std::string>, std::string> in_force;
  ASSERT_TRUE(rebuilt->ForEachJudgement([&](const model::Judgement& j) {
                       in_force[{j.a, j.b}] = model::EncodeJudgement(j);
                       return Status::Ok();
                     }).ok());
  EXPECT_FALSE(judgements.empty());
  EXPECT_EQ(in_force, judgements);
  // Against the model (the final version of each entity), not only against each other:
  // every entity reads back as written, is found by each of its name words, identifiers and
  // references, and by nothing it no longer holds.
  std::map<std::string, std::set<std::string>> by_identifier, by_word;
  const auto& registry = model::SchemaRegistry::Builtin();
  for (const auto& [id, e] : model) {
    auto got = incremental->Get(id);
    ASSERT_TRUE(got.ok() && got->has_value()) << id;
    EXPECT_EQ(model::CanonicalJson(**got), model::CanonicalJson(e));
    const Projection p = Project(e, registry);
    for (const auto& v : p.identifiers) by_identifier[v.value].insert(id);
    for (const auto& t : p.NameTokens()) by_word[t].insert(id);
    for (const auto& r : p.references) {
      auto refs = incremental->ReferencesTo(r.value, 1000);
      ASSERT_TRUE(refs.ok());
      const std::string& from = id;  // clang 14 cannot capture a structured binding
      EXPECT_TRUE(std::any_of(refs->begin(), refs->end(), [&](const Reference& x) { return x.from_id == from; }));
    }
  }
  for (int i = 0; i < 1000; ++i) {
    const std::string value = "AB" + std::to_string(i);
    auto found = incremental->FindIdentifier(value, {}, 1000);
    ASSERT_TRUE(found.ok());
    std::set<std::string> ids;
    for (const auto& c : found.value()) ids.insert(c.id);
    EXPECT_EQ(ids, by_identifier[value]) << value;
  }
  for (const auto& [word, ids] : by_word) {
    auto found = incremental->MatchNames({{word}}, {}, 1000);
    ASSERT_TRUE(found.ok());
    std::set<std::string> got;
    for (const auto& c : found.value()) got.insert(c.id);
    EXPECT_EQ(got, ids) << word;
  }
}

// A failure in the middle of a bulk transaction rolls back and takes the applied size back,
// so the next catch-up applies the lost versions again.
TEST_F(IndexTest, FailedApplyIsCaughtUpLater) {
  journal::StorePaths paths(dir_);
  auto idx = OpenIndex("f.sqlite");
  ASSERT_TRUE(idx->BeginBulk().ok());
  Write({MakePerson("p1", "Ana Gashi", "AB1")}, idx.get());
  ASSERT_TRUE(idx->Commit().ok());
  const uint64_t committed = idx->applied_size();
  ASSERT_TRUE(idx->ExecForTesting("CREATE TRIGGER boom BEFORE INSERT ON identifiers WHEN NEW.value = 'BOOM'"
                                  " BEGIN SELECT RAISE(ABORT, 'injected failure'); END").ok());
  ASSERT_TRUE(idx->BeginBulk().ok());
  Write({MakePerson("p2", "Arben Hoxha", "AB2")}, idx.get());
  std::vector<model::Entity> bad = {MakePerson("p3", "Elira Krasniqi", "BOOM")};
  std::vector<std::string> json = {model::CanonicalJson(bad[0])};
  std::vector<journal::EntryInput> entries = {{kEntryTypeEntityVersion, AsBytes(json[0])}};
  auto r = journal_->Append(entries);
  ASSERT_TRUE(r.ok());
  Status failed = idx->Apply({{r->first_sequence, &bad[0], json[0]}}, {}, r->first_sequence + 1, r->head.root);
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(idx->applied_size(), committed);  // p2's batch was in the rolled-back transaction too
  EXPECT_TRUE(idx->Commit().ok());            // nothing open any more
  ASSERT_TRUE(idx->ExecForTesting("DROP TRIGGER boom").ok());
  ASSERT_TRUE(CatchUp(*idx, DefaultFileSystem(), paths, keyring()).ok());
  EXPECT_EQ(idx->applied_size(), journal_->size());
  for (const char* id : {"p1", "p2", "p3"}) EXPECT_TRUE(idx->Get(id)->has_value()) << id;
  auto check = CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring());
  EXPECT_TRUE(check.ok()) << check.status().ToString();
}

// CatchUp and the check read the journal on a thread of their own, batches ahead of the
// thread that writes or compares. A failure on either side, in a later batch, is the one
// reported; what was applied before it stays, and nothing hangs.
TEST_F(IndexTest, CatchUpAndCheckStopOnAFailureOnEitherThread) {
  journal::StorePaths paths(dir_);
  constexpr int kPersons = 12000;  // three batches of catch-up, six of the check
  uint64_t after_ten_thousand = 0;
  for (int at = 0; at < kPersons; at += 1000) {
    std::vector<model::Entity> persons;
    for (int i = at; i < at + 1000; ++i) {
      persons.push_back(MakePerson("p" + std::to_string(i), "Person " + std::to_string(i), i == 7000 ? "BOOM" : ""));
    }
    Write(persons, nullptr);
    if (at + 1000 == 10000) after_ten_thousand = journal_->size();
  }
  // The index fails in the second batch: the first stays applied.
  auto idx = OpenIndex("two-threads.sqlite");
  ASSERT_TRUE(idx->ExecForTesting("CREATE TRIGGER boom BEFORE INSERT ON identifiers WHEN NEW.value = 'BOOM'"
                                  " BEGIN SELECT RAISE(ABORT, 'injected failure'); END").ok());
  Status s = CatchUp(*idx, DefaultFileSystem(), paths, keyring());
  EXPECT_NE(s.message().find("injected failure"), std::string::npos) << s.ToString();
  EXPECT_GT(idx->applied_size(), 0u);
  EXPECT_LT(idx->applied_size(), after_ten_thousand);
  ASSERT_TRUE(idx->ExecForTesting("DROP TRIGGER boom").ok());
  ASSERT_TRUE(CatchUp(*idx, DefaultFileSystem(), paths, keyring()).ok());
  EXPECT_EQ(idx->applied_size(), journal_->size());
  auto check = CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring());
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_EQ(check->entities, static_cast<uint64_t>(kPersons));
  // The comparison fails at the first entity while the reader is batches ahead.
  ASSERT_TRUE(idx->ExecForTesting("UPDATE entities SET caption = 'Someone else' WHERE id = 'p0'").ok());
  check = CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring());
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.status().message().find("p0"), std::string::npos) << check.status().ToString();
  ASSERT_TRUE(idx->ExecForTesting("UPDATE entities SET caption = 'Person 0' WHERE id = 'p0'").ok());
  ASSERT_TRUE(CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring()).ok());
  // The reader fails: an entry that is no entity after the second batch. The batches read
  // before it are applied, and the error names the entry.
  const std::string broken = "not an entity";
  std::vector<journal::EntryInput> entries = {{kEntryTypeEntityVersion, AsBytes(broken)}};
  auto r = journal_->Append(entries);
  ASSERT_TRUE(r.ok());
  auto fresh = OpenIndex("reader-fails.sqlite");
  s = CatchUp(*fresh, DefaultFileSystem(), paths, keyring());
  EXPECT_NE(s.message().find("journal entry " + std::to_string(r->first_sequence)), std::string::npos) << s.ToString();
  EXPECT_EQ(fresh->applied_size(), after_ten_thousand);
  const uint64_t applied = idx->applied_size();
  EXPECT_FALSE(CatchUp(*idx, DefaultFileSystem(), paths, keyring()).ok());
  EXPECT_EQ(idx->applied_size(), applied);
}

// The storage check reads the file on a connection of its own, beside the comparison: pages
// damaged on disk are reported as damage first, whatever the comparison (which may read them
// from its cache, or fail on them) finds.
TEST_F(IndexTest, CheckReportsStorageDamageFirst) {
  journal::StorePaths paths(dir_);
  const std::string file = tmp_.Sub("damaged.sqlite");
  auto idx = OpenIndex("damaged.sqlite");
  std::vector<model::Entity> persons;
  for (int i = 0; i < 500; ++i) persons.push_back(MakePerson("p" + std::to_string(i), "Person " + std::to_string(i)));
  Write(persons, idx.get());
  ASSERT_TRUE(CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring()).ok());
  ASSERT_TRUE(idx->ExecForTesting("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(0, std::ios::end);
    const std::streamoff size = f.tellg();
    ASSERT_GT(size, 8 * 4096);
    for (std::streamoff page = 4096; page < size; page += 4096) {  // every b-tree page's type byte
      f.seekp(page);
      f.put('\x00');
    }
  }
  auto check = CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring());
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.status().message().find("index database is damaged"), std::string::npos) << check.status().ToString();
}

// An index that has applied more than the journal holds (the journal was restored from an
// older copy) or another history is refused, not used.
TEST_F(IndexTest, IndexAheadOfTheJournalIsRefused) {
  journal::StorePaths paths(dir_);
  auto idx = OpenIndex("ahead.sqlite");
  Write({MakePerson("p1", "Ana Gashi")}, idx.get());
  ASSERT_TRUE(idx->ExecForTesting("UPDATE meta SET value = value + 5 WHERE key = 'applied_size'").ok());
  ASSERT_TRUE(idx->Refresh().ok());
  Status s = CatchUp(*idx, DefaultFileSystem(), paths, keyring());
  EXPECT_TRUE(IsIndexDamage(s)) << s.ToString();
  ASSERT_TRUE(idx->ExecForTesting("UPDATE meta SET value = value - 5 WHERE key = 'applied_size'").ok());
  ASSERT_TRUE(idx->ExecForTesting("UPDATE meta SET value = zeroblob(32) WHERE key = 'applied_root'").ok());
  ASSERT_TRUE(idx->Refresh().ok());
  s = CatchUp(*idx, DefaultFileSystem(), paths, keyring());
  EXPECT_TRUE(IsIndexDamage(s)) << s.ToString();
}

TEST_F(IndexTest, NewVersionReplacesNamesIdentifiersAndLinks) {
  auto idx = OpenIndex("i.sqlite");
  Write({MakePerson("p1", "Mehmet Rombolaku", "AB123")}, idx.get());
  Write({MakePerson("p1", "Arben Hoxha", "CD456")}, idx.get());
  auto old_name = idx->MatchNames({{"rombolaku"}}, {}, 10);
  ASSERT_TRUE(old_name.ok());
  EXPECT_TRUE(old_name->empty());
  auto new_name = idx->MatchNames({{"hoxha"}, {"arben"}}, {}, 10);
  ASSERT_TRUE(new_name.ok());
  ASSERT_EQ(new_name->size(), 1u);
  EXPECT_EQ(new_name->front().id, "p1");
  EXPECT_TRUE(idx->FindIdentifier("AB123", {}, 10)->empty());
  EXPECT_EQ(idx->FindIdentifier("CD456", {}, 10)->size(), 1u);
  // Its keys follow the version: the old ones no longer find it.
  EXPECT_TRUE(idx->FindByKey("id:AB123", 10)->empty());
  EXPECT_TRUE(idx->FindByKey("n:M", 10)->empty());
  EXPECT_EQ(*idx->FindByKey("id:CD456", 10), (std::vector<std::string>{"p1"}));
  EXPECT_EQ(*idx->FindByKey("n:A", 10), (std::vector<std::string>{"p1"}));
  Write({MakePerson("p2", "Ali Hoxha")}, idx.get());
  auto both = idx->FindByKey("n:A", 10);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(std::set<std::string>(both->begin(), both->end()), (std::set<std::string>{"p1", "p2"}));
  EXPECT_EQ(idx->FindByKey("n:A", 1)->size(), 1u);
  // So does its record.
  EXPECT_EQ(idx->KeyedRecord("p1")->value_or("none"), "p1=Arben Hoxha;");
  auto versions = idx->VersionSequences("p1");
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), 2u);
  // Links follow the version too.
  model::Entity link = FamilyLink();
  Write({link}, idx.get());
  link.properties["relative"][0] = Val("p3");
  Write({link}, idx.get());
  EXPECT_TRUE(idx->ReferencesTo("p2", 10)->empty());
  EXPECT_EQ(idx->ReferencesTo("p3", 10)->size(), 1u);
  EXPECT_EQ(idx->ReferencesTo("p1", 10)->size(), 1u);
  // "rombolaku" no longer used by anyone: not offered as a variant.
  auto variants = idx->NameTokenVariants("rombolaku", 10);
  ASSERT_TRUE(variants.ok());
  EXPECT_TRUE(variants->empty());
}

TEST_F(IndexTest, TokenVariantsCoverTyposAndSpellings) {
  auto idx = OpenIndex("v.sqlite");
  Write({MakePerson("p1", "Mehmet Rombolaku"), MakePerson("p2", "Arben Hoxha"), MakePerson("p3", "Ali Hodža")},
        idx.get());
  auto has = [&](const std::string& query, const std::string& token) {
    auto v = idx->NameTokenVariants(query, 50);
    EXPECT_TRUE(v.ok());
    for (const auto& t : *v) {
      if (t.token == token) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("rombolaku", "rombolaku"));  // itself
  EXPECT_TRUE(has("rombolako", "rombolaku"));  // substitution
  EXPECT_TRUE(has("rombolau", "rombolaku"));   // deletion
  EXPECT_TRUE(has("rombollaku", "rombolaku")); // insertion
  EXPECT_TRUE(has("rmobolaku", "rombolaku"));  // transposition
  EXPECT_TRUE(has("rumbolako", "rombolaku"));  // two vowels: same skeleton
  EXPECT_TRUE(has("hoxha", "hodza"));          // Albanian xh, Serbian dž
  EXPECT_FALSE(has("gashi", "rombolaku"));
}

TEST_F(IndexTest, ReferencesToAnEntity) {
  auto idx = OpenIndex("r.sqlite");
  model::Entity link = FamilyLink();
  Write({MakePerson("p1", "A B"), MakePerson("p2", "C D"), link}, idx.get());
  auto refs = idx->ReferencesTo("p2", 10);
  ASSERT_TRUE(refs.ok());
  ASSERT_EQ(refs->size(), 1u);
  EXPECT_EQ(refs->front().from_id, "f1");
  EXPECT_EQ(refs->front().property, "relative");
}

TEST_F(IndexTest, KeepsTheRecordsEntityKeysGiveAndScansThem) {
  auto idx = OpenIndex("s.sqlite");
  model::Entity link = FamilyLink();  // no names: no record
  Write({MakePerson("p2", "C D"), link, MakePerson("p1", "A B")}, idx.get());
  std::multiset<std::string> seen;
  ASSERT_TRUE(idx->ScanKeyedRecords([&](std::string_view record) {
                   seen.emplace(record);
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(seen, (std::multiset<std::string>{"p1=A B;", "p2=C D;"}));
  EXPECT_EQ(idx->KeyedRecord("p2")->value_or("none"), "p2=C D;");
  EXPECT_FALSE(idx->KeyedRecord(link.id)->has_value());
  EXPECT_FALSE(idx->KeyedRecord("nobody")->has_value());
  // A new version without a record removes the old one's.
  model::Entity nameless = MakePerson("p2", "");
  nameless.properties.erase("name");
  Write({nameless}, idx.get());
  EXPECT_FALSE(idx->KeyedRecord("p2")->has_value());
  // The callback's error stops the scan and comes back.
  EXPECT_EQ(idx->ScanKeyedRecords([](std::string_view) { return IoError("stop"); }).code(), StatusCode::kIoError);
}

// The judgements in force: the latest of each pair, a withdrawn pair gone; found from either record.
TEST_F(IndexTest, KeepsTheJudgementsInForce) {
  auto idx = OpenIndex("j.sqlite");
  const model::Judgement same{"a", "b", model::Decision::kSame, "cli:ana", "r1", 1};
  const model::Judgement different{"a", "b", model::Decision::kDifferent, "cli:ana", "r2", 2};
  const model::Judgement other{"b", "c", model::Decision::kDifferent, "cli:ben", "r3", 3};
  const model::Judgement withdrawn{"b", "c", model::Decision::kWithdrawn, "cli:ben", "", 4};
  uint64_t sequence = 0;
  for (const model::Judgement* j : {&same, &different, &other}) {
    ASSERT_TRUE(idx->Apply({}, {{sequence, nullptr, nullptr, j}}, sequence + 1, {}).ok());
    ++sequence;
  }
  std::vector<std::string> seen;
  ASSERT_TRUE(idx->ForEachJudgement([&](const model::Judgement& j) {
                   seen.push_back(model::EncodeJudgement(j));
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{model::EncodeJudgement(different), model::EncodeJudgement(other)}));
  auto of_b = idx->JudgementsOf("b");
  ASSERT_TRUE(of_b.ok());
  EXPECT_EQ(of_b->size(), 2u);
  EXPECT_EQ(idx->JudgementsOf("a")->front().reason, "r2");
  ASSERT_TRUE(idx->Apply({}, {{sequence, nullptr, nullptr, &withdrawn}}, sequence + 1, {}).ok());
  EXPECT_TRUE(idx->JudgementsOf("c")->empty());
  EXPECT_EQ(idx->JudgementsOf("b")->size(), 1u);
  // A row that does not decode is damage, named.
  ASSERT_TRUE(idx->ExecForTesting("UPDATE judgements SET json = '{' WHERE a = 'a'").ok());
  auto damaged = idx->JudgementsOf("a");
  ASSERT_FALSE(damaged.ok());
  EXPECT_TRUE(IsIndexDamage(damaged.status())) << damaged.status().ToString();
}

// An insider who edits the index (here through SQL on the open database) is caught by the
// comparison with the journal.
TEST_F(IndexTest, CheckAgainstJournalFindsEdits) {
  journal::StorePaths paths(dir_);
  const std::vector<std::string> edits = {
      "UPDATE entities SET json = replace(json, 'Rombolaku', 'Innocent') WHERE id = 'p1'",
      "DELETE FROM entities WHERE id = 'p2'",
      "UPDATE entities SET seq = seq - 1 WHERE id = 'p1'",
      "INSERT INTO entities(id, schema, seq, names, caption, marking, json) VALUES('planted', 'Person', 0, '', '', '', '{}')",
      "UPDATE entities SET caption = 'Someone else' WHERE id = 'p1'",
      // The marking that access checks read (MarkingOf) changed: here a record hidden from
      // its investigators; the other way round, a secret one shown to them.
      "UPDATE entities SET marking = replace(marking, 'restricted', 'secret') WHERE id = 'p1'",
      "UPDATE entities SET names = replace(names, 'rombolaku', 'innocent') WHERE id = 'p1'",
      "DELETE FROM identifiers WHERE value = 'AB123'",
      "INSERT INTO identifiers(value, entity, property) VALUES('ZZ999', 1, 'passportNumber')",
      "DELETE FROM refs",
      "DELETE FROM versions WHERE seq = (SELECT min(seq) FROM versions)",
      "INSERT INTO name_fts(name_fts, rowid, names) VALUES('delete', 1, 'mehmet rombolaku')",
      "INSERT INTO name_fts(rowid, names) VALUES(99, 'planted')",
      "UPDATE vocab SET entities = entities + 1 WHERE token = 'hoxha'",
      "INSERT INTO text_fts(rowid, text) VALUES(1, 'planted words')",
      "DELETE FROM entity_keys WHERE entity = 1",
      "INSERT INTO entity_keys(key, entity) VALUES(42, 1)",
      // A key moved from one record to the other: the count still agrees.
      "UPDATE entity_keys SET entity = 3 - entity WHERE key = (SELECT min(key) FROM entity_keys)",
      // Entity resolution would read another record for a person than its journal entry gives.
      "UPDATE entity_records SET record = 'p1=Innocent;' WHERE entity = 1",
      "DELETE FROM entity_records WHERE entity = 2",
      "UPDATE entity_records SET record = (SELECT record FROM entity_records WHERE entity = 2) WHERE entity = 1",
      // An analyst's judgement removed, reversed or planted: matching would merge or split people.
      "DELETE FROM judgements",
      "UPDATE judgements SET json = replace(json, 'different', 'same')",
      "INSERT INTO judgements(a, b, json) SELECT a, 'p3', replace(json, 'p2', 'p3') FROM judgements",
      // Two entities' words swapped: every count and the vocabulary still agree.
      "INSERT INTO name_fts(name_fts, rowid, names) VALUES('delete', 1, 'mehmet rombolaku');"
      "INSERT INTO name_fts(name_fts, rowid, names) VALUES('delete', 2, 'arben hoxha');"
      "INSERT INTO name_fts(rowid, names) VALUES(1, 'arben hoxha');"
      "INSERT INTO name_fts(rowid, names) VALUES(2, 'mehmet rombolaku')",
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    auto idx = OpenIndex("e" + std::to_string(i) + ".sqlite");
    ASSERT_TRUE(CatchUp(*idx, DefaultFileSystem(), paths, keyring()).ok());
    if (i == 0) {
      model::Entity link = FamilyLink();
      Write({MakePerson("p1", "Mehmet Rombolaku", "AB123"), MakePerson("p2", "Arben Hoxha"), link}, nullptr);
      const std::string judgement = model::EncodeJudgement({"p1", "p2", model::Decision::kDifferent, "cli:ana", "", 1});
      std::vector<journal::EntryInput> entries = {{model::kEntryTypeJudgement, AsBytes(judgement)}};
      ASSERT_TRUE(journal_->Append(entries).ok());
    }
    ASSERT_TRUE(CatchUp(*idx, DefaultFileSystem(), paths, keyring()).ok());
    ASSERT_TRUE(CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring()).ok());
    ASSERT_TRUE(idx->ExecForTesting(edits[i]).ok()) << edits[i];
    auto check = CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring());
    ASSERT_FALSE(check.ok()) << edits[i];
    EXPECT_EQ(check.status().code(), StatusCode::kDataLoss) << edits[i];
    EXPECT_NE(check.status().message().find("ura reindex"), std::string::npos);
    if (i + 1 == edits.size()) {
      EXPECT_NE(check.status().message().find("exactly the words"), std::string::npos) << check.status().message();
    }
  }
}

// The latest complete resolution run's canonical persons, caught up from the journal (also a
// run whose entries arrive in two Apply calls), replaced by the next run, and checked.
TEST_F(IndexTest, CanonicalPersonsFollowTheLatestRun) {
  journal::StorePaths paths(dir_);
  Write({MakePerson("a1", "Mehmet Rombolaku"), MakePerson("a2", "Mehmet Rombolakë"), MakePerson("a3", "Rombolaku Mehmet"),
         MakePerson("b1", "Arben Hoxha"), MakePerson("b2", "Arben Hoxa"), MakePerson("c1", "Ana Kola")},
        nullptr);
  auto append_run = [&](const model::RunSummary& run, size_t chunk_bytes) {
    std::vector<std::string> payloads = model::EncodeRun(run, chunk_bytes);
    std::vector<journal::EntryInput> entries;
    for (const auto& p : payloads) entries.push_back({model::kEntryTypeResolutionRun, AsBytes(p)});
    EXPECT_TRUE(journal_->Append(entries).ok());
    return payloads.size();
  };
  model::RunSummary first{"run-1", 1, "{}", {{model::CanonicalId("a1"), {"a1", "a2", "a3"}},
                                             {model::CanonicalId("b1"), {"b1", "b2"}}}};
  EXPECT_EQ(append_run(first, 10), 2u);  // one person per entry
  auto idx = OpenIndex("persons.sqlite");
  ASSERT_TRUE(CatchUp(*idx, DefaultFileSystem(), paths, keyring()).ok());
  auto a = idx->PersonOf("a2", 10);
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->person_id, model::CanonicalId("a1"));
  EXPECT_EQ((*a)->run_id, "run-1");
  EXPECT_EQ((*a)->members, (std::vector<std::string>{"a1", "a2", "a3"}));
  auto truncated = idx->PersonOf("a1", 2);
  EXPECT_TRUE((*truncated)->truncated);
  EXPECT_EQ((*truncated)->members.size(), 2u);
  EXPECT_FALSE(idx->PersonOf("c1", 10)->has_value());
  EXPECT_TRUE(CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring()).ok());

  // An analyst splits a3 off; b1 and b2 stay; the new run replaces the old one entirely.
  model::RunSummary second{"run-2", 2, "{}", {{model::CanonicalId("a1"), {"a1", "a2"}},
                                              {model::CanonicalId("b1"), {"b1", "b2"}}}};
  append_run(second, 1 << 20);
  ASSERT_TRUE(CatchUp(*idx, DefaultFileSystem(), paths, keyring()).ok());
  EXPECT_FALSE(idx->PersonOf("a3", 10)->has_value());
  EXPECT_EQ((*idx->PersonOf("a1", 10))->members.size(), 2u);
  EXPECT_EQ((*idx->PersonOf("b2", 10))->run_id, "run-2");
  EXPECT_TRUE(CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring()).ok());

  // Incremental updates after the run: c1 joins b1's person; then a2 leaves a1's person for a
  // new one with a9, and a1, left alone, is a person no more.
  auto append_update = [&](const model::ResolutionUpdate& u) {
    const std::string payload = model::EncodeUpdate(u);
    const journal::EntryInput entry{model::kEntryTypeResolutionUpdate, AsBytes(payload)};
    EXPECT_TRUE(journal_->Append(std::span(&entry, 1)).ok());
  };
  append_update({"run-2", 3, {{model::CanonicalId("b1"), {"b1", "b2", "c1"}}}});
  ASSERT_TRUE(CatchUp(*idx, DefaultFileSystem(), paths, keyring()).ok());
  EXPECT_EQ((*idx->PersonOf("c1", 10))->person_id, model::CanonicalId("b1"));
  EXPECT_EQ((*idx->PersonOf(model::CanonicalId("b1"), 10))->members, (std::vector<std::string>{"b1", "b2", "c1"}));
  append_update({"run-2", 4, {{model::CanonicalId("a2"), {"a2", "a9"}}}});
  ASSERT_TRUE(CatchUp(*idx, DefaultFileSystem(), paths, keyring()).ok());
  EXPECT_FALSE(idx->PersonOf("a1", 10)->has_value());
  EXPECT_EQ((*idx->PersonOf("a9", 10))->members, (std::vector<std::string>{"a2", "a9"}));
  EXPECT_TRUE(CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring()).ok());

  // A run applied in two calls: until its last entry the previous run stands.
  auto split = OpenIndex("split.sqlite");
  auto c0 = model::DecodeRunChunk(model::EncodeRun(first, 10)[0]);
  auto c1 = model::DecodeRunChunk(model::EncodeRun(first, 10)[1]);
  ASSERT_TRUE(split->Apply({}, {{1, &*c0, nullptr}}, 1, {}).ok());
  EXPECT_FALSE(split->PersonOf("a1", 10)->has_value());
  ASSERT_TRUE(split->Apply({}, {{2, &*c1, nullptr}}, 2, {}).ok());
  EXPECT_TRUE(split->PersonOf("a1", 10)->has_value());
  EXPECT_TRUE(split->PersonOf("b1", 10)->has_value());

  // Rebuilt from scratch: the same content as caught up step by step.
  auto rebuilt = OpenIndex("rebuilt.sqlite");
  ASSERT_TRUE(CatchUp(*rebuilt, DefaultFileSystem(), paths, keyring()).ok());
  EXPECT_EQ(*rebuilt->ContentDigest(), *idx->ContentDigest());

  // An insider's edits to the canonical persons are each caught.
  const std::vector<std::string> edits = {
      "DELETE FROM person_members WHERE entity = 'c1'",
      "DELETE FROM person_members WHERE entity = 'b2'",
      "UPDATE person_members SET person = 'P-0000000000000000' WHERE entity = 'a2'",
      "INSERT INTO person_members(entity, person) VALUES('a1', (SELECT person FROM person_members WHERE entity = 'b1'))",
      "UPDATE person_members SET person = (SELECT person FROM person_members WHERE entity = 'b1') WHERE entity = 'a2';"
      "UPDATE person_members SET person = (SELECT person FROM person_members WHERE entity = 'a9') WHERE entity = 'b2'",
      "UPDATE meta SET value = 'run-1' WHERE key = 'person_run'",
      "INSERT INTO person_staging(entity, person) VALUES('c1', 'P-1')",
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    auto edited = OpenIndex("edited-" + std::to_string(i) + ".sqlite");
    ASSERT_TRUE(CatchUp(*edited, DefaultFileSystem(), paths, keyring()).ok());
    ASSERT_TRUE(edited->ExecForTesting(edits[i]).ok()) << edits[i];
    auto check = CheckAgainstJournal(*edited, DefaultFileSystem(), paths, keyring());
    ASSERT_FALSE(check.ok()) << edits[i];
    EXPECT_EQ(check.status().code(), StatusCode::kDataLoss) << edits[i];
  }
}

TEST_F(IndexTest, OldFormatIsRefused) {
  const std::string path = tmp_.Sub("old.sqlite");
  {
    auto idx = OpenIndex("old.sqlite");
    ASSERT_TRUE(idx->ExecForTesting("UPDATE meta SET value = 1 WHERE key = 'format'").ok());
  }
  auto again = SqliteIndex::Open(path, std::nullopt, TestKeys());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
}

// Records listed under another function's keys would not be found by this one's: rebuilt.
// A rebuild writes the key table at its end (in key order); one interrupted before then is
// marked and refused on open, so that it is rebuilt rather than used with keys missing.
TEST_F(IndexTest, InterruptedRebuildIsRefused) {
  const std::string path = tmp_.Sub("interrupted.sqlite");
  {
    auto idx = SqliteIndex::Open(path, std::nullopt, TestKeys());
    ASSERT_TRUE(idx.ok());
    ASSERT_TRUE((*idx)->ExecForTesting("INSERT INTO meta(key, value) VALUES('keys_pending', '1')").ok());
  }
  auto again = SqliteIndex::Open(path, std::nullopt, TestKeys());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("interrupted"), std::string::npos);
}

// In a rebuild an entity's keys are those of its last version, even one without keys.
TEST_F(IndexTest, RebuildKeepsTheKeysOfTheLastVersion) {
  model::Entity nameless = MakePerson("p3", "", "EF789");
  nameless.properties.erase("name");
  model::Entity keyless = MakePerson("p2", "");
  keyless.properties.erase("name");
  Write({MakePerson("p1", "Mehmet Rombolaku", "AB123"), MakePerson("p2", "Arben Hoxha"),
         MakePerson("p3", "Drita Gashi")}, nullptr);
  Write({MakePerson("p1", "Ana Krasniqi", "CD456"), nameless, keyless}, nullptr);
  auto idx = OpenIndex("rebuilt.sqlite");
  ASSERT_TRUE(idx->BeginRebuild().ok());
  journal::StorePaths paths(dir_);
  ASSERT_TRUE(CatchUp(*idx, DefaultFileSystem(), paths, keyring()).ok());
  ASSERT_TRUE(idx->Commit().ok());
  EXPECT_EQ(*idx->FindByKey("n:A", 10), (std::vector<std::string>{"p1"}));  // p2's last version has none
  EXPECT_TRUE(idx->FindByKey("n:M", 10)->empty());
  EXPECT_TRUE(idx->FindByKey("id:AB123", 10)->empty());
  EXPECT_TRUE(idx->FindByKey("n:D", 10)->empty());
  EXPECT_EQ(*idx->FindByKey("id:EF789", 10), (std::vector<std::string>{"p3"}));
  auto check = CheckAgainstJournal(*idx, DefaultFileSystem(), paths, keyring());
  EXPECT_TRUE(check.ok()) << check.status().ToString();
  // Only an empty index is rebuilt so.
  EXPECT_EQ(idx->BeginRebuild().code(), StatusCode::kFailedPrecondition);
  // The mark is gone: the index opens again.
  idx.reset();
  EXPECT_TRUE(SqliteIndex::Open(tmp_.Sub("rebuilt.sqlite"), std::nullopt, TestKeys()).ok());
}

TEST_F(IndexTest, OtherEntityKeysAreRefused) {
  { auto idx = OpenIndex("keys.sqlite"); }
  EntityKeys other = TestKeys();
  other.version = "test-keys-2";
  auto again = SqliteIndex::Open(tmp_.Sub("keys.sqlite"), std::nullopt, other);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("test-keys-1"), std::string::npos);
  EXPECT_TRUE(SqliteIndex::Open(tmp_.Sub("keys.sqlite"), std::nullopt, TestKeys()).ok());
}

}  // namespace
}  // namespace ura::index
