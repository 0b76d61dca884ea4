// Incremental matching against a scratch index listing records under their blocking keys:
// records found only through a key the index could not be asked for before, a record that
// bridges two persons, one that must not chain two different people, and a population matched
// in two steps against a run over all of it with the same model. The model is set by hand;
// the weights each case relies on are worked out in its comments.
#include "resolve/incremental.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "index/index_testing.h"
#include "resolve/blocking.h"
#include "resolve/cluster.h"
#include "resolve/compare.h"
#include "resolve/record.h"
#include "resolve/resolver.h"

namespace ura::resolve {
namespace {

using index::testing::TestValue;

// prior 0.01: log2 odds -6.6. Agreement weights log2(m/u): name part exact +5.3, different
// -5.5; birth date exact +6.4, partial (1980 vs a full date) +3.3, different -5.6; identifier
// exact +6.3, partial +3.9, different -4.3; phone in common +6.5, none -3.3. Other fields 0.
IncrementalModel HandModel() {
  IncrementalModel model;
  model.run_id = "run-test";
  model.model.prior = 0.01;
  const std::array<std::pair<std::vector<double>, std::vector<double>>, kFields> fields = {{
      {{0.02, 0.03, 0.15, 0.80}, {0.90, 0.04, 0.04, 0.02}},             // family name
      {{0.02, 0.03, 0.15, 0.80}, {0.90, 0.04, 0.04, 0.02}},             // given name
      {{0.02, 0.03, 0.05, 0.05, 0.85}, {0.97, 0.005, 0.005, 0.01, 0.01}},  // birth date
      {{0.05, 0.15, 0.80}, {0.98, 0.01, 0.01}},                         // identifier
      {{0.10, 0.90}, {0.99, 0.01}},                                     // phone
      {{1.0 / 3, 1.0 / 3, 1.0 / 3}, {1.0 / 3, 1.0 / 3, 1.0 / 3}},       // address
      {{0.5, 0.5}, {0.5, 0.5}},                                         // nationality
      {{0.5, 0.5}, {0.5, 0.5}},                                         // gender
  }};
  for (int f = 0; f < kFields; ++f) {
    model.model.m[f] = fields[f].first;
    model.model.u[f] = fields[f].second;
  }
  return model;
}

struct Fields {
  std::string name, birth, passport, phone;
};

model::Entity Person(const std::string& id, const Fields& f) {
  model::Entity e;
  e.id = id;
  e.schema = "Person";
  if (!f.name.empty()) e.properties["name"].push_back(TestValue(f.name));
  if (!f.birth.empty()) e.properties["birthDate"].push_back(TestValue(f.birth));
  if (!f.passport.empty()) e.properties["passportNumber"].push_back(TestValue(f.passport));
  if (!f.phone.empty()) e.properties["phone"].push_back(TestValue(f.phone));
  return e;
}

// Records written out of id order, with an entity of another schema among them: every Person
// record comes back once, as RecordFromEntity reads it, in id order.
TEST(LoadPersonsTest, EveryPersonRecordInIdOrder) {
  index::testing::ScratchIndex index(IndexedBlockingKeys());
  constexpr int kCount = 3000;
  std::vector<model::Entity> written;
  for (int i = kCount - 1; i >= 0; --i) {
    written.push_back(Person("p" + std::to_string(i), {"Arben Hoxha" + std::string(1, static_cast<char>('a' + i % 26)),
                                                       "1980-01-02", "", ""}));
    index.Add(written.back());
    if (i == 1500) {
      model::Entity crossing;
      crossing.id = "x1";
      crossing.schema = "BorderCrossing";
      crossing.properties["person"].push_back(TestValue("p1"));
      index.Add(crossing);
    }
  }
  auto records = LoadPersons(*index);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), static_cast<size_t>(kCount));
  EXPECT_TRUE(std::is_sorted(records->begin(), records->end(),
                             [](const PersonRecord& a, const PersonRecord& b) { return a.id < b.id; }));
  EXPECT_EQ(records->front().id, "p0");
  EXPECT_EQ(records->front().family, "hoxhaa");
  ASSERT_EQ(records->front().birth_dates.size(), 1u);
  EXPECT_EQ(records->front().birth_dates[0], (PartialDate{1980, 1, 2}));
  const PersonRecord expected = RecordFromEntity(written.back(), model::SchemaRegistry::Builtin());
  EXPECT_EQ(EncodeRecord(records->front()), EncodeRecord(expected));
  // A record that does not decode is damage, not a record left out.
  ASSERT_TRUE(index->ExecForTesting("UPDATE entity_records SET record = substr(record, 1, 9) WHERE entity = 77").ok());
  auto damaged = LoadPersons(*index);
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(damaged.status().message().find("ura reindex"), std::string::npos) << damaged.status().message();
}

// Ingest holds an entity's values in the order the mapping made them; the journal gives them
// back in canonical order. Both make the same record, byte for byte (the index check compares it).
TEST(LoadPersonsTest, TheOrderOfValuesDoesNotChangeTheRecord) {
  model::Entity e = Person("p1", {"Rombolaku Mehmet", "1980-01-02", "P2222222", "+355691234567"});
  e.properties["name"].insert(e.properties["name"].begin(), {"Mehmet Rombolaku", {"border", "r9", 5}});
  e.properties["passportNumber"].push_back({"P1111111", {"wanted", "w1", 3}});
  e.properties["birthDate"].insert(e.properties["birthDate"].begin(), TestValue("1980-02-01"));
  auto round_trip = model::ParseEntityJson(model::CanonicalJson(e));
  ASSERT_TRUE(round_trip.ok());
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  EXPECT_EQ(EncodeRecord(RecordFromEntity(e, registry)), EncodeRecord(RecordFromEntity(*round_trip, registry)));
}

class IncrementalTest : public ::testing::Test {
 protected:
  IncrementalTest() : index_(IndexedBlockingKeys()) {}

  // A run that grouped `persons` (each named after its lowest member).
  void Run(std::vector<std::vector<std::string>> persons) {
    model::RunChunk run;
    run.run_id = "run-test";
    run.stats_json = "{}";
    for (auto& members : persons) {
      std::sort(members.begin(), members.end());
      run.persons.push_back({model::CanonicalId(members.front()), members});
    }
    index_.AddRun(run);
  }
  // Matches the new records and applies the update, as an ingest does.
  IncrementalReport Match(const std::vector<std::string>& ids) {
    Result<IncrementalReport> r = MatchNewRecords(*index_, ids, HandModel(), 1);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    if (!r->update.persons.empty()) index_.AddUpdate(r->update);
    return *r;
  }
  std::vector<std::string> MembersWith(const std::string& id) {
    auto g = index_->PersonOf(id, 100);
    EXPECT_TRUE(g.ok());
    return g.ok() && g->has_value() ? (*g)->members : std::vector<std::string>{};
  }
  // Two persons of one man the run could not join: a1, a2 know his passport and no birth date,
  // b1, b2 his birth date and no passport, so no key joins them and they were never compared.
  // Then n1, which holds both.
  void TwoPersonsOfOneManAndABridge() {
  index_.Add(Person("a1", {"Mehmet Rombolaku", "", "AB1234567"}));
  index_.Add(Person("a2", {"Mehmet Rombolaku", "", "AB1234567"}));
  index_.Add(Person("b1", {"Mehmet Rombolaku", "1985-03-12"}));
  index_.Add(Person("b2", {"Mehmet Rombolaku", "1985-03-12"}));
  Run({{"a1", "a2"}, {"b1", "b2"}});
  index_.Add(Person("n1", {"Mehmet Rombolaku", "1985-03-12", "AB1234567"}));
  }
  PersonRecord Record(const model::Entity& e) { return RecordFromEntity(e, model::SchemaRegistry::Builtin()); }

  index::testing::ScratchIndex index_;
};

// "Mehmet Krasniqi" (a family name changed by marriage) shares with "Mehmet Rombolaku" only
// the key of the given name's first two letters and the full birth date: no identifier, and
// one name part in common, so a name search (both parts) cannot find it. Given +5.3, family
// -5.5, date +6.4, phone +6.5, prior -6.6: +6.1, probability 0.99.
TEST_F(IncrementalTest, RecordFoundOnlyThroughPrefixAndBirthDateKey) {
  const model::Entity known = Person("a1", {"Mehmet Rombolaku", "1985-03-12", "", "+38344123456"});
  const model::Entity arriving = Person("n1", {"Mehmet Krasniqi", "1985-03-12", "", "+38344123456"});
  // The premise: exactly one key in common, and it is the prefix-and-date one.
  std::vector<std::string> shared;
  const std::vector<std::string> a = BlockingKeys(Record(known)), b = BlockingKeys(Record(arriving));
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
  ASSERT_EQ(shared, (std::vector<std::string>{"date:me:19850312"}));
  index_.Add(known);
  index_.Add(Person("a2", {"Drita Gashi", "1985-03-12"}));  // same date, another prefix: no key shared
  Run({});
  index_.Add(arriving);
  const IncrementalReport report = Match({"n1"});
  EXPECT_EQ(report.records, 1u);
  EXPECT_EQ(report.candidates, 1u);
  EXPECT_EQ(report.joined, 1u);
  EXPECT_EQ(MembersWith("n1"), (std::vector<std::string>{"a1", "n1"}));
}

// A record holding only part of a number ("1234567") while a known record holds it whole
// ("AB1234567"), with no name: the whole number's key without its first two characters
// meets it. Date +6.4, identifier partial +3.9, prior -6.6: +3.7, probability 0.93.
TEST_F(IncrementalTest, PartialNumberMeetsTheWholeOne) {
  index_.Add(Person("a1", {"Arben Hoxha", "1979-11-02", "AB1234567"}));
  index_.Add(Person("a2", {"Arben Hoxha", "1979-11-02", "AB1234567"}));
  Run({{"a1", "a2"}});
  index_.Add(Person("n1", {"", "1979-11-02", "1234567"}));
  const IncrementalReport report = Match({"n1"});
  EXPECT_EQ(report.candidates, 2u);
  EXPECT_EQ(report.joined, 1u);
  EXPECT_EQ(MembersWith("a1"), (std::vector<std::string>{"a1", "a2", "n1"}));
}

// Two persons of one man (TwoPersonsOfOneManAndABridge); the new record holds both: passport
// (with a1, a2: names +10.6, identifier +6.3) and birth date (with b1, b2: names +10.6, date
// +6.4, the stronger: joined first). The run would join all five -- every pair compared
// between the two sides is the new record's -- and so does incremental matching.
TEST_F(IncrementalTest, BridgingRecordMergesTwoPersons) {
  TwoPersonsOfOneManAndABridge();
  const IncrementalReport report = Match({"n1"});
  EXPECT_EQ(report.joined, 1u);
  EXPECT_EQ(report.bridged, 1u);
  const std::vector<std::string> all = {"a1", "a2", "b1", "b2", "n1"};
  EXPECT_EQ(MembersWith("b1"), all);
  // It keeps the id of the person holding the lowest record, the id a run gives it.
  EXPECT_EQ((*index_->PersonOf("b1", 10))->person_id, model::CanonicalId("a1"));
  EXPECT_FALSE(index_->PersonOf(model::CanonicalId("b1"), 10)->has_value());
}

// Analysts said a1 and b1 are different people (the index holds the judgement): the bridge is
// refused as a run refuses it, and the new record stays with b1's person, which it joined
// first. A judgement withdrawn leaves the pair to the model again.
TEST_F(IncrementalTest, BridgeRefusedByADifferentJudgement) {
  TwoPersonsOfOneManAndABridge();
  index_.AddJudgement({"a1", "b1", model::Decision::kSame, "cli:ana", "first thought", 1});
  index_.AddJudgement({"a1", "b1", model::Decision::kDifferent, "cli:ana", "two brothers", 2});
  index_.AddJudgement({"a2", "b2", model::Decision::kDifferent, "cli:ana", "withdrawn below", 3});
  index_.AddJudgement({"a2", "b2", model::Decision::kWithdrawn, "cli:ana", "", 4});
  const IncrementalReport report = Match({"n1"});
  EXPECT_EQ(report.joined, 1u);
  EXPECT_EQ(report.bridged, 0u);
  EXPECT_EQ(MembersWith("a1"), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(MembersWith("b1"), (std::vector<std::string>{"b1", "b2", "n1"}));
}

// Two different men named Arben Hoxha born in 1980 (May 1st and June 2nd, different
// passports): their records share the name-and-year key, were compared and differ (names
// +10.6, date -5.6, identifier -4.3, prior -6.6: -5.9, probability 0.02). A new record
// "Arben Hoxha, 1980" matches both alike (names +10.6, partial date +3.3, prior -6.6: +7.3,
// 0.99). It joins the first (a1's person: ties go by id, as in a run); joining b1's too would
// average (2 x 0.99 + 4 x 0.02) / 6 = 0.34 over the pairs compared between them, below 0.5.
TEST_F(IncrementalTest, RecordDoesNotChainTwoDifferentPeople) {
  const model::Entity a1 = Person("a1", {"Arben Hoxha", "1980-05-01", "P1111111"});
  const model::Entity b1 = Person("b1", {"Arben Hoxha", "1980-06-02", "P2222222"});
  const model::Entity n1 = Person("n1", {"Arben Hoxha", "1980"});
  // The premises, from the model: the two men differ, the new record matches both.
  const ModelParameters& m = HandModel().model;
  auto probability = [&](const model::Entity& x, const model::Entity& y) {
    return MatchProbability(MatchWeight(m, Compare(Record(x), Record(y))));
  };
  ASSERT_LT(probability(a1, b1), 0.02);
  ASSERT_GT(probability(n1, a1), 0.99);
  ASSERT_DOUBLE_EQ(probability(n1, a1), probability(n1, b1));
  index_.Add(a1);
  index_.Add(Person("a2", {"Arben Hoxha", "1980-05-01", "P1111111"}));
  index_.Add(b1);
  index_.Add(Person("b2", {"Arben Hoxha", "1980-06-02", "P2222222"}));
  Run({{"a1", "a2"}, {"b1", "b2"}});
  index_.Add(n1);
  const IncrementalReport report = Match({"n1"});
  EXPECT_EQ(report.candidates, 4u);
  EXPECT_EQ(report.joined, 1u);
  EXPECT_EQ(report.bridged, 0u);
  EXPECT_EQ(report.refused_chaining, 2u);  // b1's person, once for each of its pairs
  EXPECT_EQ(MembersWith("a1"), (std::vector<std::string>{"a1", "a2", "n1"}));
  EXPECT_EQ(MembersWith("b1"), (std::vector<std::string>{"b1", "b2"}));
}

// What a run does with a given model (resolver.cc estimates one; here it is fixed): the
// candidate pairs of blocking, scored, clustered. Persons of several records, as sets.
std::set<std::vector<std::string>> RunWithModel(const std::vector<PersonRecord>& records, const ModelParameters& m) {
  BlockingStats stats;
  std::vector<ScoredPair> scored;
  for (uint64_t pair : CandidatePairs(records, 1000, stats)) {
    const uint32_t a = static_cast<uint32_t>(pair >> 32), b = static_cast<uint32_t>(pair);
    scored.push_back({a, b, static_cast<float>(MatchProbability(MatchWeight(m, Compare(records[a], records[b]))))});
  }
  const Clustering clustering = ClusterPairs(records.size(), scored, {}, 0.5);
  std::map<uint32_t, std::vector<std::string>> clusters;
  for (uint32_t i = 0; i < records.size(); ++i) clusters[clustering.cluster_of[i]].push_back(records[i].id);
  std::set<std::vector<std::string>> persons;
  for (auto& [label, members] : clusters) {
    std::sort(members.begin(), members.end());
    if (members.size() > 1) persons.insert(members);
  }
  return persons;
}

// 40 people, recorded as: a (names, full birth date, no document), b (names in the other
// order, passport, no date) -- a and b share no blocking key, so a run over them alone keeps
// them apart --, c (family name one letter longer, the passport without its first two
// characters: it meets a through the prefix-and-date key and b through the partial number, and
// bridges them: given +5.3, family one edit +1.9, date +6.4 with a; names crossed +7.2,
// identifier partial +3.9 with b), for every fifth person a second a with a phone and a
// namesake z (same names and birth year, another date, passport and phone: compared with the
// a records, and different: names +10.6, date -5.6, phone -3.3, prior -6.6: probability 0.03),
// and for every third an n (names and birth year only: it matches a and the namesake alike,
// 0.99, and may join only one: after a's person, z's would average (0.99 + 2 x 0.03) / 3). A
// run over a, b and z; then c and n arrive and are matched at ingest. The persons must be those
// of a run over everything with the same model.
TEST_F(IncrementalTest, SameAsARunWithTheSameModel) {
  const char* given[] = {"mehmet", "arben", "ayse", "petar", "drita", "fatmir", "elif", "marko"};
  const char* family[] = {"rombolaku", "krasniqi", "yilmaz", "petrovic", "hoxha"};
  std::vector<model::Entity> first, later;
  auto date = [](int year, int month, int day) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    return std::string(text);
  };
  for (int p = 0; p < 40; ++p) {
    const std::string g = given[p % 8], f = family[p / 8], id = "r" + std::to_string(p);
    const int year = 1960 + p % 4, month = 1 + p % 12, day = 13 + p % 15;  // day > 12: swapped is no date
    const std::string passport = "P" + std::to_string(1000000 + p * 7919);
    first.push_back(Person(id + "a", {g + " " + f, date(year, month, day), ""}));
    first.push_back(Person(id + "b", {f + " " + g, "", passport}));
    later.push_back(Person(id + "c", {g + " " + f + "x", date(year, day > 12 ? month : day, day > 12 ? day : month),
                                      passport.substr(2)}));
    if (p % 5 == 0) {
      const std::string phone = "+38344" + std::to_string(100000 + p);
      first.back().properties["phone"].push_back(TestValue(phone));
      first.push_back(Person(id + "a2", {g + " " + f, date(year, month, day), "", phone}));
      first.push_back(Person(id + "z", {g + " " + f, date(year, 1 + (p + 6) % 12, 1 + (p + 3) % 12),
                                        "Z" + std::to_string(5000000 + p), "+38345" + std::to_string(100000 + p)}));
    }
    if (p % 3 == 0) later.push_back(Person(id + "n", {g + " " + f, std::to_string(year)}));
  }
  const ModelParameters m = HandModel().model;
  std::vector<PersonRecord> first_records, all_records;
  for (const model::Entity& e : first) first_records.push_back(Record(e));
  all_records = first_records;
  for (const model::Entity& e : later) all_records.push_back(Record(e));
  // The first run, stored as a run is.
  for (const model::Entity& e : first) index_.Add(e);
  model::RunChunk run;
  run.run_id = "run-test";
  run.stats_json = "{}";
  for (const std::vector<std::string>& members : RunWithModel(first_records, m)) {
    run.persons.push_back({model::CanonicalId(members.front()), members});
  }
  index_.AddRun(run);
  // The rest arrives in two ingests.
  std::vector<std::string> ids[2];
  for (size_t i = 0; i < later.size(); ++i) {
    index_.Add(later[i]);
    ids[i % 2].push_back(later[i].id);
  }
  IncrementalReport reports[2] = {Match(ids[0]), Match(ids[1])};
  EXPECT_EQ(reports[0].records + reports[1].records, later.size());
  EXPECT_GT(reports[0].bridged + reports[1].bridged, 0u);
  EXPECT_GT(reports[0].refused_chaining + reports[1].refused_chaining, 0u);
  std::set<std::vector<std::string>> incremental;
  ASSERT_TRUE(index_->ForEachPerson([&](const std::string&, const std::vector<std::string>& members) {
                      incremental.insert(members);
                      return Status::Ok();
                    }).ok());
  const std::set<std::vector<std::string>> batch = RunWithModel(all_records, m);
  EXPECT_EQ(batch.size(), 40u);
  EXPECT_EQ(incremental, batch);
}

}  // namespace
}  // namespace ura::resolve
