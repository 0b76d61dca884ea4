#include "access/policy.h"

#include <gtest/gtest.h>

#include <array>

namespace ura::access {
namespace {

using model::Classification;
using model::HandlingCode;

constexpr std::array<Role, 7> kRoles = {Role::kInvestigator, Role::kAnalyst, Role::kLiaison, Role::kAuditor,
                                        Role::kAdmin,        Role::kService, Role::kBackup};
constexpr std::array<Action, 10> kActions = {Action::kConsult,   Action::kIngest,          Action::kDisclose,
                                            Action::kReadAudit, Action::kAdministerUsers, Action::kVerify,
                                            Action::kReadIntegrity, Action::kReadSealedFiles, Action::kResolve,
                                            Action::kReceive};

// Role x action, written out: 1 = permitted.
//                                   consult ingest disclose audit users verify integrity sealed-files resolve receive
constexpr int kRoleTable[7][10] = {/* investigator */ {1, 0, 0, 0, 0, 0, 1, 0, 0, 0},
                                   /* analyst      */ {1, 1, 0, 0, 0, 0, 1, 0, 1, 0},
                                   /* liaison      */ {1, 0, 1, 0, 0, 0, 1, 0, 0, 1},
                                   /* auditor      */ {0, 0, 0, 1, 0, 1, 1, 0, 0, 0},
                                   /* admin        */ {0, 0, 0, 0, 1, 1, 1, 0, 0, 0},
                                   /* service      */ {0, 1, 0, 0, 0, 0, 1, 0, 0, 0},
                                   /* backup       */ {0, 0, 0, 0, 0, 0, 1, 1, 0, 0}};

// Clearance (row) x classification (column): 1 = cleared.
//                                       unclassified restricted confidential secret
constexpr int kClearanceTable[4][4] = {/* unclassified */ {1, 0, 0, 0},
                                       /* restricted   */ {1, 1, 0, 0},
                                       /* confidential */ {1, 1, 1, 0},
                                       /* secret       */ {1, 1, 1, 1}};

// Handling code (row) x need-to-know state (column): {seen, disclosable} for a cleared liaison
// officer. Case states: the record names no case; it names a case of the user; it names only
// another case.
enum CaseState { kNoCase, kUsersCase, kOtherCase };
constexpr int kHandlingTable[4][3][2] = {
    /* H0 */ {{1, 1}, {1, 1}, {0, 0}},
    /* H1 */ {{1, 1}, {1, 1}, {0, 0}},
    /* H2 */ {{1, 0}, {1, 0}, {0, 0}},
    /* H3 */ {{0, 0}, {1, 0}, {0, 0}},
};

User MakeUser(Role role, Classification clearance, std::vector<std::string> cases = {"OC-2026-7"}) {
  User u;
  u.name = "u";
  u.role = role;
  u.clearance = clearance;
  u.cases = std::move(cases);
  return u;
}

model::Marking MakeMarking(HandlingCode h, Classification c, CaseState state) {
  model::Marking m;
  m.handling = h;
  m.classification = c;
  if (state == kUsersCase) m.cases = {"AL-2025-1", "OC-2026-7"};
  if (state == kOtherCase) m.cases = {"AL-2025-1"};
  return m;
}

TEST(PolicyTest, RolesPermitExactlyTheTable) {
  for (size_t r = 0; r < kRoles.size(); ++r) {
    for (size_t a = 0; a < kActions.size(); ++a) {
      User u = MakeUser(kRoles[r], Classification::kSecret);
      Decision d = Permits(u, kActions[a]);
      EXPECT_EQ(d.allowed, kRoleTable[r][a] == 1) << RoleName(kRoles[r]) << " / " << ActionName(kActions[a]);
      if (!d.allowed) {
        EXPECT_NE(d.reason.find(RoleName(kRoles[r])), std::string::npos) << d.reason;
      }
      u.disabled = true;
      EXPECT_FALSE(Permits(u, kActions[a]).allowed) << "disabled " << RoleName(kRoles[r]);
    }
  }
}

// Every role x clearance x classification x handling code x case state: seen iff the role
// consults, the clearance reaches the classification and the handling/case table says so;
// disclosable iff also liaison and the table says so.
TEST(PolicyTest, RecordVisibilityIsTheProductOfTheTables) {
  int seen = 0, hidden = 0;
  for (size_t r = 0; r < kRoles.size(); ++r) {
    for (int cl = 0; cl < 4; ++cl) {
      for (int c = 0; c < 4; ++c) {
        for (int h = 0; h < 4; ++h) {
          for (int s = 0; s < 3; ++s) {
            User u = MakeUser(kRoles[r], static_cast<Classification>(cl));
            Principal who{"u", &u};
            model::Marking m = MakeMarking(static_cast<HandlingCode>(h), static_cast<Classification>(c), CaseState(s));
            const bool expect_seen = kRoleTable[r][0] == 1 && kClearanceTable[cl][c] == 1 && kHandlingTable[h][s][0] == 1;
            const bool expect_disclose = expect_seen && kRoleTable[r][2] == 1 && kHandlingTable[h][s][1] == 1;
            Decision see = MaySee(who, m);
            EXPECT_EQ(see.allowed, expect_seen)
                << RoleName(kRoles[r]) << " clearance " << cl << " class " << c << " H" << h << " case " << s;
            EXPECT_EQ(see.allowed, see.reason.empty());
            EXPECT_EQ(MayDisclose(who, m).allowed, expect_disclose)
                << RoleName(kRoles[r]) << " clearance " << cl << " class " << c << " H" << h << " case " << s;
            (see ? seen : hidden)++;
          }
        }
      }
    }
  }
  EXPECT_GT(seen, 0);
  EXPECT_GT(hidden, seen);
}

TEST(PolicyTest, CaseMembershipIsAnyCaseInCommon) {
  User u = MakeUser(Role::kAnalyst, Classification::kSecret, {"A-1", "C-3", "E-5"});
  Principal who{"u", &u};
  model::Marking m;
  m.cases = {"B-2", "D-4", "E-5"};
  EXPECT_TRUE(MaySee(who, m).allowed);
  m.cases = {"B-2", "D-4"};
  EXPECT_FALSE(MaySee(who, m).allowed);
  u.cases.clear();
  m.cases = {"A-1"};
  EXPECT_FALSE(MaySee(who, m).allowed);
}

TEST(PolicyTest, TheCustodianSeesEverythingButHandlingCodesStillBindDisclosure) {
  Principal custodian{"cli:root", nullptr};
  ASSERT_TRUE(custodian.custodian());
  for (int h = 0; h < 4; ++h) {
    model::Marking m = MakeMarking(static_cast<HandlingCode>(h), Classification::kSecret, kOtherCase);
    EXPECT_TRUE(MaySee(custodian, m).allowed);
    EXPECT_EQ(MayDisclose(custodian, m).allowed, h < 2) << "H" << h;
  }
  for (Action a : kActions) EXPECT_TRUE(Permits(custodian, a).allowed);
}

}  // namespace
}  // namespace ura::access
