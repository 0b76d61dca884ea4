#include "search/search.h"

#include <gtest/gtest.h>

#include <set>

#include "index/index_testing.h"
#include "search/dossier.h"

namespace ura::search {
namespace {

using index::testing::TestValue;
model::PropertyValue Val(const std::string& v) { return TestValue(v); }

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Person("p-border", "MEHMET ROMBOLAKU", {{"passportNumber", "AB1234567"}, {"phone", "+355691234567"}});
    Person("p-other", "Mehmet Hoxha", {});
    Person("p-other2", "Arben Rombolaku", {});
    Person("p-tr", "Şükrü Çelik", {});
    Person("p-sr", "Đorđe Petrović", {});
    Person("p-many", "Ali Bujar Hoxha", {});
    Person("p-ali", "Ali Hoxha", {});
    model::Entity v;
    v.id = "v1";
    v.schema = "Vehicle";
    v.properties["registrationNumber"].push_back(Val("AA123BC"));
    v.properties["name"].push_back(Val("Mercedes E220"));
    Add(v);
    model::Entity acct;
    acct.id = "a1";
    acct.schema = "BankAccount";
    acct.properties["iban"].push_back(Val("AL47212110090000000235698741"));
    Add(acct);
    model::Entity addr;
    addr.id = "addr1";
    addr.schema = "Address";
    addr.properties["full"].push_back(Val("Rruga e Kavajës 12, Tiranë"));
    Add(addr);
  }
  void Person(const std::string& id, const std::string& name, const std::map<std::string, std::string>& props) {
    model::Entity e;
    e.id = id;
    e.schema = "Person";
    e.properties["name"].push_back(Val(name));
    for (const auto& [k, val] : props) e.properties[k].push_back(Val(val));
    Add(e);
  }
  void Add(const model::Entity& e) { index_.Add(e); }
  std::vector<SearchHit> Find(const std::string& q, SearchOptions options = {}) {
    auto r = Search(*index_, q, options);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().ToString();
    return r.ok() ? *r : std::vector<SearchHit>{};
  }
  std::string Top(const std::string& q) {
    auto hits = Find(q);
    return hits.empty() ? "" : hits.front().id;
  }

  index::testing::ScratchIndex index_;
};

// Source and date filters: only records with a value from that system; only records dated
// (other than by birth or death) within the range.
TEST_F(SearchTest, SourceAndDateFilters) {
  model::Entity wanted;
  wanted.id = "w-1";
  wanted.schema = "Person";
  wanted.properties["name"].push_back({"Mehmet Rombolaku", {"wanted", "N-1", 1700000000000000}});
  wanted.properties["birthDate"].push_back({"1980-03-05", {"wanted", "N-1", 1700000000000000}});
  Add(wanted);
  for (const auto& [id, date] : {std::pair{"e-march", "2024-03-05"}, std::pair{"e-june", "2024-06-30"}}) {
    model::Entity e;
    e.id = id;
    e.schema = "Event";
    e.properties["name"].push_back(Val("Rombolaku meeting"));
    e.properties["date"].push_back(Val(date));
    Add(e);
  }
  auto ids = [&](SearchOptions o) {
    std::set<std::string> out;
    for (const SearchHit& h : Find("Rombolaku", o)) {
      out.insert(h.id);
      out.insert(h.same_caption_ids.begin(), h.same_caption_ids.end());
    }
    return out;
  };
  SearchOptions by_source;
  by_source.source = "wanted";
  EXPECT_EQ(ids(by_source), (std::set<std::string>{"w-1"}));
  SearchOptions march;
  march.from = "2024-03-01";
  march.to = "2024-03";  // to the end of March
  EXPECT_EQ(ids(march), (std::set<std::string>{"e-march"}));
  SearchOptions year;
  year.to = "2024";
  EXPECT_EQ(ids(year), (std::set<std::string>{"e-march", "e-june"}));  // a birth date is not a record's date
  SearchOptions from_june;
  from_june.from = "2024-06-30";
  EXPECT_EQ(ids(from_june), (std::set<std::string>{"e-june"}));
  for (auto [from, to] : {std::pair{"2024-13-01", ""}, std::pair{"yesterday", ""}, std::pair{"2024-06-01", "2024-05-01"}}) {
    SearchOptions bad;
    bad.from = from;
    bad.to = to;
    EXPECT_EQ(Search(*index_, "Rombolaku", bad).status().code(), StatusCode::kInvalidArgument) << from << " " << to;
  }
}

TEST_F(SearchTest, NameVariantsFindThePerson) {
  for (const char* q : {"MEHMET ROMBOLAKU", "Rombolaku Mehmet", "mehmet rombolakë", "Мехмет Ромболаку",
                        "Mehmet Rombolako", "Mehmet Rumbolako", "ROMBOLAKU, MEHMET", "Mehmed Rombolaku"}) {
    EXPECT_EQ(Top(q), "p-border") << q;
  }
  EXPECT_EQ(Top("Sukru Celik"), "p-tr");
  EXPECT_EQ(Top("ŞÜKRÜ ÇELİK"), "p-tr");
  EXPECT_EQ(Top("Ђорђе Петровић"), "p-sr");
  EXPECT_EQ(Top("Djordje Petrovic"), "p-sr");
}

TEST_F(SearchTest, ScoresAndMatchedField) {
  auto hits = Find("Rombolaku Mehmet");
  ASSERT_FALSE(hits.empty());
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
  EXPECT_EQ(hits[0].matched_property, "name");
  EXPECT_EQ(hits[0].matched_value, "mehmet rombolaku");
  // The other Rombolaku and the other Mehmet come after, lower.
  ASSERT_GE(hits.size(), 2u);
  EXPECT_LT(hits[1].score, hits[0].score);
  // An exact name before a longer one.
  auto ali = Find("Ali Hoxha");
  ASSERT_GE(ali.size(), 2u);
  EXPECT_EQ(ali[0].id, "p-ali");
  EXPECT_EQ(ali[1].id, "p-many");
}

TEST_F(SearchTest, IdentifiersExactAfterNormalisation) {
  EXPECT_EQ(Top("ab 123-4567"), "p-border");
  EXPECT_EQ(Top("069 123 4567"), "p-border");     // national phone, Albanian by default
  EXPECT_EQ(Top("+355 69 123 4567"), "p-border");
  EXPECT_EQ(Top("aa 123 bc"), "v1");
  EXPECT_EQ(Top("AL47 2121 1009 0000 0002 3569 8741"), "a1");
  auto hits = Find("AB1234567");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].matched_property, "passportNumber");
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
}

TEST_F(SearchTest, FreeText) {
  auto hits = Find("kavajes tirane");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, "addr1");
  EXPECT_EQ(hits[0].matched_property, "text");
}

TEST_F(SearchTest, SchemaFilterAndLimit) {
  SearchOptions vehicles;
  vehicles.schema = "Vehicle";
  EXPECT_TRUE(Find("Rombolaku", vehicles).empty());
  SearchOptions things;
  things.schema = "Thing";  // ancestors include their descendants
  EXPECT_FALSE(Find("Rombolaku", things).empty());
  SearchOptions one;
  one.limit = 1;
  EXPECT_EQ(Find("Rombolaku", one).size(), 1u);
  SearchOptions bad;
  bad.schema = "Persn";
  auto r = Search(*index_, "x", bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("did you mean 'Person'"), std::string::npos);
}

// FTS5 and SQL syntax in a query is only text: no error, no other rows, nothing changed.
TEST_F(SearchTest, InjectionStringsAreHarmless) {
  auto before = index_->ContentDigest();
  ASSERT_TRUE(before.ok());
  for (const char* q : {"\"", "\"\"\"", "mehmet\" OR \"hoxha", "NEAR(mehmet hoxha)", "mehmet*", "*", "name:mehmet",
                        "names:rombolaku", "(mehmet", "mehmet)", "mehmet AND hoxha", "mehmet NOT hoxha",
                        "'; DROP TABLE entities; --", "\") OR 1=1 --", "^mehmet", "mehmet + hoxha", "{names}: x",
                        "%", "_", "\\", "rombolaku\x1fnames", "-mehmet"}) {
    auto r = Search(*index_, q, {});
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << q;
      continue;
    }
    for (const SearchHit& h : *r) EXPECT_GE(h.score, 0.5) << q;
  }
  // Operators are words: "mehmet OR hoxha" does not find every Hoxha and every Mehmet as OR
  // would; "or" is just a missing word that lowers the score.
  auto hits = Find("mehmet OR hoxha");
  for (const SearchHit& h : hits) EXPECT_LT(h.score, 1.0);
  auto after = index_->ContentDigest();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*before, *after);
}

// The index's own matching takes folded words only: FTS5 syntax never reaches FTS5, even
// from a caller that skipped folding; a word that is an FTS5 keyword is just a word.
TEST_F(SearchTest, MatchNamesTakesOnlyFoldedWords) {
  for (const char* token : {"\"", "NEAR(mehmet", "mehmet*", "^mehmet", "names:mehmet", "a\" OR \"b", "(", "-", "",
                            "Mehmet", "mehmet rombolaku"}) {
    auto r = index_->MatchNames({{token}, {"mehmet"}}, {}, 10);
    ASSERT_FALSE(r.ok()) << token;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << token;
    auto t = index_->MatchText({token}, {}, 10);
    ASSERT_FALSE(t.ok()) << token;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << token;
  }
  for (const char* keyword : {"and", "or", "not", "near"}) {
    auto r = index_->MatchNames({{keyword}}, {}, 10);
    ASSERT_TRUE(r.ok()) << keyword << ": " << r.status().ToString();
    EXPECT_TRUE(r->empty()) << keyword;
  }
  auto exact = index_->MatchNames({{"mehmet"}, {"rombolaku"}}, {}, 10);
  ASSERT_TRUE(exact.ok());
  ASSERT_EQ(exact->size(), 1u);
  EXPECT_EQ(exact->front().id, "p-border");
}

TEST_F(SearchTest, EmptyQueryIsAnError) {
  auto r = Search(*index_, "  -- ", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SearchTest, DossierGroupsValuesAndLinks) {
  model::Entity own;
  own.id = "own1";
  own.schema = "Ownership";
  own.properties["owner"].push_back(Val("p-border"));
  own.properties["asset"].push_back(Val("v1"));
  Add(own);
  auto d = BuildDossier(*index_, "p-border");
  ASSERT_TRUE(d.ok() && d->has_value());
  const Dossier& dossier = **d;
  EXPECT_EQ(dossier.caption, "MEHMET ROMBOLAKU");
  bool saw_passport = false;
  for (const auto& p : dossier.properties) {
    if (p.name == "passportNumber") {
      saw_passport = true;
      ASSERT_EQ(p.values.size(), 1u);
      EXPECT_EQ(p.values[0].provenance.source, "test");
      EXPECT_EQ(p.values[0].provenance.record_key, "r1");
    }
  }
  EXPECT_TRUE(saw_passport);
  ASSERT_EQ(dossier.links.size(), 1u);
  EXPECT_FALSE(dossier.links[0].outgoing);
  EXPECT_EQ(dossier.links[0].via_schema, "Ownership");
  EXPECT_EQ(dossier.links[0].other_id, "v1");
  EXPECT_EQ(dossier.links[0].other_schema, "Vehicle");
  auto missing = BuildDossier(*index_, "nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

}  // namespace
}  // namespace ura::search
