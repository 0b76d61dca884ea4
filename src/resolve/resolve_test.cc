// The pipeline on small hand-made populations, judgements, the journal formats and the
// evaluation measures (expected values computed by hand in the comments).
#include "resolve/resolver.h"

#include <gtest/gtest.h>

#include "resolve/evaluate.h"

namespace ura::resolve {
namespace {

PersonRecord Person(std::string id, std::string given, std::string family, PartialDate birth,
                    std::vector<std::string> identifiers = {}) {
  PersonRecord r;
  r.id = std::move(id);
  r.given = std::move(given);
  r.family = std::move(family);
  r.birth_dates = {birth};
  r.identifiers = std::move(identifiers);
  return r;
}

// 40 people, each recorded three times with small variations; people share given names,
// family names and birth years, so blocks hold pairs of different people too.
std::vector<PersonRecord> Population() {
  const char* given[] = {"mehmet", "arben", "ayse", "petar", "drita", "fatmir", "elif", "marko"};
  const char* family[] = {"rombolaku", "krasniqi", "yilmaz", "petrovic", "hoxha"};
  std::vector<PersonRecord> records;
  for (int p = 0; p < 40; ++p) {
    const std::string g = given[p % 8], f = family[p / 8];
    const PartialDate birth{static_cast<int16_t>(1960 + p % 4), static_cast<int8_t>(1 + p % 12),
                            static_cast<int8_t>(1 + p % 28)};
    const std::string passport = "P" + std::to_string(1000000 + p * 7919);
    records.push_back(Person("r" + std::to_string(p) + "a", g, f, birth, {passport}));
    records.push_back(Person("r" + std::to_string(p) + "b", f, g, birth));  // names swapped, no document
    PartialDate swapped = birth;
    if (birth.day <= 12) std::swap(swapped.day, swapped.month);
    records.push_back(Person("r" + std::to_string(p) + "c", g, f + "x", swapped, {passport.substr(2)}));
  }
  return records;
}

std::string TrueLabel(const std::string& id) { return id.substr(0, id.size() - 1); }

std::vector<std::string> Predicted(const std::vector<PersonRecord>& records, const Resolution& r) {
  std::vector<std::string> out;
  for (uint32_t i = 0; i < records.size(); ++i) out.push_back(std::to_string(r.clustering.cluster_of[i]));
  return out;
}

TEST(Resolve, FindsThePeopleOfASmallPopulation) {
  const std::vector<PersonRecord> records = Population();
  Result<Resolution> r = Resolve(records, {}, {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_LT(r->blocking.candidate_pairs, r->blocking.all_pairs);
  EXPECT_GT(r->blocking.reduction_ratio, 0.8);
  std::vector<std::string> truth;
  for (const PersonRecord& p : records) truth.push_back(TrueLabel(p.id));
  EvaluationScores s = Evaluate(Predicted(records, *r), truth);
  EXPECT_GE(s.pair_f1, 0.95) << s.pair_precision << " " << s.pair_recall << StatsJson(*r);
  EXPECT_GE(s.bcubed_f1, 0.95);
  EXPECT_EQ(CanonicalPersons(records, *r).size(), 40u);
}

TEST(Resolve, DifferentJudgementSplitsAndSurvivesRerunning) {
  const std::vector<PersonRecord> records = Population();
  Result<Resolution> before = Resolve(records, {}, {});
  ASSERT_TRUE(before.ok());
  // r0a and r0b are one person for the model.
  ASSERT_EQ(before->clustering.cluster_of[0], before->clustering.cluster_of[1]);
  Judgement different{"r0a", "r0b", Decision::kDifferent, "cli:test", "twins", 1};
  for (int run = 0; run < 2; ++run) {
    Result<Resolution> after = Resolve(records, {different}, {});
    ASSERT_TRUE(after.ok());
    EXPECT_NE(after->clustering.cluster_of[0], after->clustering.cluster_of[1]) << "run " << run;
    EXPECT_EQ(after->judgements_applied, 1u);
  }
  // "same" joins records the model keeps apart (two different people, 0 and 39).
  Judgement same{"r0a", "r39a", Decision::kSame, "cli:test", "alias", 2};
  Result<Resolution> joined = Resolve(records, {same}, {});
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined->clustering.cluster_of[0], joined->clustering.cluster_of[39 * 3]);
  // A judgement naming a record that is gone is counted, not applied.
  Judgement gone{"r0a", "zz", Decision::kSame, "cli:test", "x", 3};
  Result<Resolution> unknown = Resolve(records, {gone}, {});
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->judgements_unknown, 1u);
}

TEST(Resolve, TooFewRecords) {
  EXPECT_EQ(Resolve({Person("a", "x", "y", {1980, 1, 1})}, {}, {}).status().code(), StatusCode::kInvalidArgument);
}

TEST(Resolve, SameResultWithOneOrTwoThreads) {
  const std::vector<PersonRecord> records = Population();
  ResolveOptions one, two;
  one.threads = 1;
  two.threads = 2;
  Result<Resolution> a = Resolve(records, {}, one), b = Resolve(records, {}, two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->clustering.cluster_of, b->clustering.cluster_of);
}

// EM sees an even sample of the training pairs when there are many, each standing for the
// pairs it was drawn among: the same persons, nearly the same model.
TEST(Resolve, SampledTrainingPairsGiveTheSamePersons) {
  const std::vector<PersonRecord> records = Population();
  ResolveOptions all, sampled;
  Result<Resolution> a = Resolve(records, {}, all);
  ASSERT_TRUE(a.ok());
  ASSERT_GT(a->training_pairs, 60u);
  sampled.max_training_pairs = a->training_pairs / 3;
  Result<Resolution> b = Resolve(records, {}, sampled);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->training_pairs, a->training_pairs);
  EXPECT_EQ(a->clustering.cluster_of, b->clustering.cluster_of);
  EXPECT_NEAR(a->model.prior, b->model.prior, 0.05);
}

TEST(Blocking, KeysCoverPartialIdentifiersAndSwappedDates) {
  PersonRecord a = Person("a", "mehmet", "rombolaku", {1985, 3, 12}, {"AB1234567"});
  PersonRecord b = Person("b", "mehmet", "rombolaku", {1985, 12, 3}, {"1234567"});
  std::vector<std::string> ka = BlockingKeys(a), kb = BlockingKeys(b);
  auto shares = [&](const std::string& key) {
    return std::count(ka.begin(), ka.end(), key) && std::count(kb.begin(), kb.end(), key);
  };
  EXPECT_TRUE(shares("id:1234567"));
  EXPECT_TRUE(shares("date:me:19850312"));
}

TEST(Blocking, TrainingPairsAreASampleOfLooserBlocks) {
  // Six records with the same given name and year: each meets at most the next 2 of its block.
  std::vector<PersonRecord> records;
  for (int i = 0; i < 6; ++i) {
    records.push_back(Person("r" + std::to_string(i), "arben", "family" + std::string(1, char('a' + i)),
                             {1980, 1, static_cast<int8_t>(1 + i)}));
  }
  std::vector<uint64_t> pairs = TrainingPairs(records, 2);
  // The given-name block gives (0,1) (0,2) (1,2) (1,3) ... (4,5): 4 * 2 + 1 = 9 pairs; the
  // family names' skeletons differ only in their last letter, which a skeleton may keep.
  EXPECT_GE(pairs.size(), 9u);
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
  for (uint64_t p : pairs) EXPECT_LT(p >> 32, p & 0xffffffffu);
  EXPECT_TRUE(std::count(pairs.begin(), pairs.end(), uint64_t{0} << 32 | 2));
  EXPECT_FALSE(std::count(pairs.begin(), pairs.end(), uint64_t{0} << 32 | 3));
}

// What the index keeps for each Person: every field comes back; any cut, added byte or other
// format is damage, not a different record.
TEST(RecordCodec, RoundTripAndDamage) {
  PersonRecord r = Person("p-1", "mehmet", "rombolaku", {1985, 3, 0}, {"AB1234567", "123"});
  r.source = "border";
  r.record_key = "row 7";
  r.parts_known = true;
  r.birth_dates.push_back({-1, 0, 0});
  r.phones = {"+355691234567"};
  r.addresses = {"rruga e kavajes 12 tirane"};
  r.nationalities = {"al", "tr"};
  r.gender = 'm';
  r.given_sound = "mhmt";
  r.family_sound = "rmblk";
  r.identifiers.push_back(std::string(200, 'x'));  // a length over one byte
  const std::string bytes = EncodeRecord(r);
  auto back = DecodeRecord(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id, r.id);
  EXPECT_EQ(back->source, r.source);
  EXPECT_EQ(back->record_key, r.record_key);
  EXPECT_EQ(back->given, r.given);
  EXPECT_EQ(back->family, r.family);
  EXPECT_TRUE(back->parts_known);
  EXPECT_EQ(back->given_sound, "mhmt");
  EXPECT_EQ(back->family_sound, "rmblk");
  EXPECT_EQ(back->birth_dates, r.birth_dates);
  EXPECT_EQ(back->identifiers, r.identifiers);
  EXPECT_EQ(back->phones, r.phones);
  EXPECT_EQ(back->addresses, r.addresses);
  EXPECT_EQ(back->nationalities, r.nationalities);
  EXPECT_EQ(back->gender, 'm');
  EXPECT_EQ(EncodeRecord(PersonRecord{.id = "x"}), EncodeRecord(*DecodeRecord(EncodeRecord(PersonRecord{.id = "x"}))));
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    auto damaged = DecodeRecord(bytes.substr(0, cut));
    ASSERT_FALSE(damaged.ok()) << cut;
    EXPECT_EQ(damaged.status().code(), StatusCode::kDataLoss);
  }
  EXPECT_FALSE(DecodeRecord(bytes + "x").ok());
  EXPECT_FALSE(DecodeRecord("\x01" + bytes.substr(1)).ok());  // another format
  std::string huge = bytes.substr(0, 1) + "\xff\xff\xff\xff\x0f";  // a length far past the end
  EXPECT_FALSE(DecodeRecord(huge).ok());
}

TEST(Decisions, JudgementRoundTripAndOrder) {
  Judgement j{"z-id", "a-id", Decision::kDifferent, "cli:alice", "case 12/2024", 42};
  const std::string json = EncodeJudgement(j);
  EXPECT_EQ(json,
            R"({"a":"a-id","actor":"cli:alice","b":"z-id","decision":"different","reason":"case 12/2024","time_us":42,"v":1})");
  Result<Judgement> back = DecodeJudgement(json);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->a, "a-id");
  EXPECT_EQ(back->decision, Decision::kDifferent);
  EXPECT_FALSE(DecodeJudgement(R"({"a":"b","b":"a","v":1})").ok());
  EXPECT_FALSE(DecodeJudgement("not json").ok());
  EXPECT_FALSE(ParseDecision("maybe").ok());
}

TEST(Decisions, RunIsChunked) {
  RunSummary run;
  run.run_id = "run-1";
  for (int i = 0; i < 100; ++i) {
    run.persons.push_back({CanonicalId("id" + std::to_string(i)), {"id" + std::to_string(i), "x" + std::to_string(i)}});
  }
  std::vector<std::string> chunks = EncodeRun(run, 500);
  EXPECT_GT(chunks.size(), 1u);
  for (const std::string& c : chunks) EXPECT_LE(c.size(), 800u);
  EXPECT_EQ(CanonicalId("a").size(), 18u);
  EXPECT_EQ(CanonicalId("a"), CanonicalId("a"));
  EXPECT_NE(CanonicalId("a"), CanonicalId("b"));
}

TEST(Evaluate, HandComputed) {
  // Truth {1,2,3} {4,5}; predicted {1,2} {3,4,5}.
  // Pairs: true 3 + 1 = 4; predicted 1 + 3 = 4; correct: (1,2) and (4,5) = 2 -> P = R = 0.5.
  // B-cubed precision: records 1,2: 2/2; 3: 1/3; 4,5: 2/3 -> (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = 11/15.
  // B-cubed recall: 1,2: 2/3; 3: 1/3; 4,5: 2/2 -> (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15.
  EvaluationScores s = Evaluate({"a", "a", "b", "b", "b"}, {"x", "x", "x", "y", "y"});
  EXPECT_EQ(s.true_pairs, 4u);
  EXPECT_EQ(s.predicted_pairs, 4u);
  EXPECT_EQ(s.correct_pairs, 2u);
  EXPECT_DOUBLE_EQ(s.pair_f1, 0.5);
  EXPECT_NEAR(s.bcubed_precision, 11.0 / 15, 1e-12);
  EXPECT_NEAR(s.bcubed_recall, 11.0 / 15, 1e-12);
  EvaluationScores perfect = Evaluate({"a", "a", "b"}, {"x", "x", "y"});
  EXPECT_DOUBLE_EQ(perfect.pair_f1, 1.0);
  EXPECT_DOUBLE_EQ(perfect.bcubed_f1, 1.0);
}

}  // namespace
}  // namespace ura::resolve
