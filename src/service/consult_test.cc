#include "service/consult.h"

#include <gtest/gtest.h>

#include <deque>

#include "index/index_testing.h"

namespace ura::service {
namespace {

using access::Role;
using model::Classification;
using model::HandlingCode;

using index::testing::TestValue;

// Six people named alike with different markings, and a family link from the open one to
// each hidden one.
class ConsultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Person("open", {HandlingCode::kH0, Classification::kRestricted});
    Person("secret", {HandlingCode::kH0, Classification::kSecret});
    Person("case7", {HandlingCode::kH1, Classification::kRestricted, 'X', 4, {"OC-2026-7"}});
    Person("case9", {HandlingCode::kH1, Classification::kRestricted, 'X', 4, {"OC-2026-9"}});
    Person("h3", {HandlingCode::kH3, Classification::kRestricted});
    Person("h2", {HandlingCode::kH2, Classification::kRestricted});
    for (const char* other : {"secret", "case7", "case9", "h3", "h2"}) {
      model::Entity link;
      link.id = std::string("fam-") + other;
      link.schema = "Family";
      link.properties["person"].push_back(TestValue("open"));
      link.properties["relative"].push_back(TestValue(other));
      Add(link);
    }
  }
  void Person(const std::string& id, model::Marking marking) {
    model::Entity e;
    e.id = id;
    e.schema = "Person";
    e.marking = std::move(marking);
    e.properties["name"].push_back(TestValue("Arben Coci"));
    Add(e);
  }
  void Add(const model::Entity& e) { index_.Add(e); }
  // Ids a user finds searching for the name (the result and the same-name records folded in).
  std::set<std::string> Found(const access::Principal& who, size_t limit = 20) {
    search::SearchOptions options;
    options.limit = limit;
    options.schema = "Person";
    auto answer = Search(*index_, who, "Arben Coci", options);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    std::set<std::string> ids;
    if (!answer.ok()) return ids;
    for (const auto& h : answer->hits) {
      ids.insert(h.id);
      ids.insert(h.same_caption_ids.begin(), h.same_caption_ids.end());
      EXPECT_EQ(h.same_caption_count, h.same_caption_ids.size());
    }
    std::set<std::string> audited(answer->record.objects.begin(), answer->record.objects.end());
    EXPECT_EQ(audited, ids);  // what was shown is what was recorded
    return ids;
  }
  access::User MakeUser(Role role, Classification clearance, std::vector<std::string> cases = {}) {
    access::User u;
    u.name = "u";
    u.role = role;
    u.clearance = clearance;
    u.cases = std::move(cases);
    return u;
  }

  index::testing::ScratchIndex index_;
};

TEST_F(ConsultTest, SearchShowsOnlyWhatThePrincipalMaySee) {
  access::User restricted = MakeUser(Role::kInvestigator, Classification::kRestricted);
  EXPECT_EQ(Found({"u", &restricted}), (std::set<std::string>{"open", "h2"}));
  access::User member = MakeUser(Role::kAnalyst, Classification::kSecret, {"OC-2026-7"});
  EXPECT_EQ(Found({"u", &member}), (std::set<std::string>{"open", "h2", "secret", "case7"}));
  access::User h3member = MakeUser(Role::kLiaison, Classification::kRestricted, {"OC-2026-9"});
  EXPECT_EQ(Found({"u", &h3member}), (std::set<std::string>{"open", "h2", "case9"}));
  EXPECT_EQ(Found({"cli:root", nullptr}), (std::set<std::string>{"open", "secret", "case7", "case9", "h3", "h2"}));
  EXPECT_EQ(Found({"u", &restricted}, 1).size(), 2u);  // one result with its same-name record
}

TEST_F(ConsultTest, RolesThatDoNotConsultAreRefused) {
  for (Role role : {Role::kAuditor, Role::kAdmin, Role::kService}) {
    access::User u = MakeUser(role, Classification::kSecret);
    auto s = Search(*index_, {"u", &u}, "Arben Coci", {});
    EXPECT_EQ(s.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(View(*index_, {"u", &u}, "open").status().code(), StatusCode::kPermissionDenied);
  }
  access::User disabled = MakeUser(Role::kInvestigator, Classification::kSecret);
  disabled.disabled = true;
  EXPECT_EQ(View(*index_, {"u", &disabled}, "open").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(ConsultTest, HiddenAndMissingLookTheSameAndTheRecordKeepsTheDifference) {
  access::User u = MakeUser(Role::kInvestigator, Classification::kConfidential);
  auto hidden = View(*index_, {"u", &u}, "secret");
  ASSERT_TRUE(hidden.ok());
  EXPECT_FALSE(hidden->dossier.has_value());
  EXPECT_EQ(hidden->record.outcome, "denied");
  auto missing = View(*index_, {"u", &u}, "nobody");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->dossier.has_value());
  EXPECT_EQ(missing->record.outcome, "not-found");
}

TEST_F(ConsultTest, DossierLinksToHiddenRecordsAreLeftOut) {
  auto linked = [&](const access::Principal& who) {
    auto answer = View(*index_, who, "open");
    EXPECT_TRUE(answer.ok() && answer->dossier.has_value());
    std::set<std::string> ids;
    if (!answer.ok() || !answer->dossier) return ids;
    for (const auto& l : answer->dossier->links) ids.insert(l.other_id);
    for (const auto& id : ids) {
      EXPECT_NE(std::find(answer->record.objects.begin(), answer->record.objects.end(), id), answer->record.objects.end());
    }
    return ids;
  };
  access::User u = MakeUser(Role::kInvestigator, Classification::kRestricted, {"OC-2026-9"});
  EXPECT_EQ(linked({"u", &u}), (std::set<std::string>{"case9", "h2"}));
  EXPECT_EQ(linked({"cli:root", nullptr}).size(), 5u);
}

}  // namespace
}  // namespace ura::service
