#include "access/users.h"

#include <gtest/gtest.h>

#include "access/password.h"

namespace ura::access {
namespace {

using Kind = UserEvent::Kind;
using model::Classification;

const std::string& TestHash() {
  static const std::string hash = *HashPassword("a good pass phrase 1", kMinimumPasswordCost);
  return hash;
}

UserEvent Event(Kind kind, std::string user) {
  UserEvent e;
  e.kind = kind;
  e.user = std::move(user);
  e.actor = "cli:root";
  e.time_us = 1764417600000000;
  return e;
}

UserEvent AddPerson(std::string user, Role role = Role::kInvestigator,
                    Classification clearance = Classification::kConfidential) {
  UserEvent e = Event(Kind::kAdd, std::move(user));
  e.role = role;
  e.clearance = clearance;
  e.password_hash = TestHash();
  return e;
}

UserEvent AddService(std::string user) {
  UserEvent e = Event(Kind::kAdd, std::move(user));
  e.role = Role::kService;
  e.clearance = Classification::kRestricted;
  return e;
}

// One event of every kind, with every field its kind has set to something not the default.
std::vector<UserEvent> OneOfEach() {
  std::vector<UserEvent> events;
  events.push_back(AddPerson("j.smith", Role::kAnalyst, Classification::kSecret));
  events.push_back(AddService("ingest-bot"));
  UserEvent password = Event(Kind::kPassword, "j.smith");
  password.password_hash = TestHash();
  events.push_back(password);
  events.push_back(Event(Kind::kDisable, "j.smith"));
  events.push_back(Event(Kind::kEnable, "j.smith"));
  UserEvent totp = Event(Kind::kTotp, "j.smith");
  totp.totp_secret = Bytes(20, 0xab);
  events.push_back(totp);
  UserEvent role = Event(Kind::kRole, "j.smith");
  role.role = Role::kAuditor;
  role.clearance = Classification::kUnclassified;
  events.push_back(role);
  UserEvent token = Event(Kind::kApiToken, "ingest-bot");
  token.api_token_hash = HashToken("token");
  events.push_back(token);
  UserEvent cases = Event(Kind::kCases, "j.smith");
  cases.cases = {"AL-2025-1", "OC-2026-7"};
  events.push_back(cases);
  return events;
}

TEST(RoleTest, NamesRoundTrip) {
  const char* kNames[] = {"investigator", "analyst", "liaison", "auditor", "admin", "service", "backup"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(RoleName(static_cast<Role>(i)), kNames[i]);
    auto parsed = ParseRole(kNames[i]);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, static_cast<Role>(i));
  }
  auto bad = ParseRole("Admin");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("investigator, analyst, liaison, auditor, admin, service, backup"), std::string::npos);
}

TEST(UserNameTest, Rule) {
  for (const std::string& good : {std::string("ab"), std::string("j.smith"), std::string("a-b_c.9"),
                                  std::string("x1"), std::string(64, 'a')}) {
    EXPECT_TRUE(CheckUserName(good).ok()) << good;
  }
  for (const std::string& bad : {std::string(""), std::string("a"), std::string(65, 'a'), std::string("1abc"),
                                 std::string(".abc"), std::string("J.Smith"), std::string("j smith"),
                                 std::string("j@smith"), std::string("jürgen"), std::string("ab\n")}) {
    Status s = CheckUserName(bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("2 to 64 characters"), std::string::npos);
  }
}

TEST(UserEventCodecTest, EveryKindRoundTrips) {
  for (const UserEvent& e : OneOfEach()) {
    const std::string json = EncodeUserEvent(e);
    auto back = DecodeUserEvent(json);
    ASSERT_TRUE(back.ok()) << json << ": " << back.status().ToString();
    EXPECT_EQ(EncodeUserEvent(*back), json);
    EXPECT_EQ(back->kind, e.kind);
    EXPECT_EQ(back->user, e.user);
    EXPECT_EQ(back->actor, e.actor);
    EXPECT_EQ(back->time_us, e.time_us);
    EXPECT_EQ(back->role, e.role);
    EXPECT_EQ(back->clearance, e.clearance);
    EXPECT_EQ(back->password_hash, e.password_hash);
    EXPECT_EQ(back->totp_secret, e.totp_secret);
    EXPECT_EQ(back->api_token_hash, e.api_token_hash);
    EXPECT_EQ(back->cases, e.cases);
  }
}

TEST(UserDirectoryTest, BackupAccountsAreMachinesLikeServiceAccounts) {
  UserDirectory d;
  UserEvent add = AddService("puller");
  add.role = Role::kBackup;
  ASSERT_TRUE(d.Apply(add).ok());
  UserEvent token = Event(Kind::kApiToken, "puller");
  token.api_token_hash = HashToken("backup token");
  ASSERT_TRUE(d.Apply(token).ok());
  EXPECT_EQ(d.FindByApiTokenHash(token.api_token_hash)->name, "puller");
  UserEvent password = Event(Kind::kPassword, "puller");
  password.password_hash = TestHash();
  EXPECT_EQ(d.Apply(password).code(), StatusCode::kFailedPrecondition);
  UserEvent person = AddPerson("someone", Role::kBackup);  // a backup account with a password
  EXPECT_EQ(d.Apply(person).code(), StatusCode::kInvalidArgument);
  UserEvent to_person = Event(Kind::kRole, "puller");
  to_person.role = Role::kInvestigator;
  EXPECT_EQ(d.Apply(to_person).code(), StatusCode::kFailedPrecondition);
  UserEvent to_service = Event(Kind::kRole, "puller");
  to_service.role = Role::kService;
  EXPECT_TRUE(d.Apply(to_service).ok());
}

TEST(UserDirectoryTest, CaseAssignmentsReplaceAndMustBeNormalised) {
  UserDirectory d;
  ASSERT_TRUE(d.Apply(AddPerson("j.smith")).ok());
  UserEvent cases = Event(Kind::kCases, "j.smith");
  cases.cases = {"AL-2025-1", "OC-2026-7"};
  ASSERT_TRUE(d.Apply(cases).ok());
  EXPECT_EQ(d.Find("j.smith")->cases, cases.cases);
  cases.cases = {"OC-2026-7", "AL-2025-1"};  // not sorted: replay would not give the same bytes
  EXPECT_EQ(d.Apply(cases).code(), StatusCode::kInvalidArgument);
  cases.cases = {"bad\ncase"};
  EXPECT_EQ(d.Apply(cases).code(), StatusCode::kInvalidArgument);
  cases.cases.clear();  // all assignments withdrawn
  ASSERT_TRUE(d.Apply(cases).ok());
  EXPECT_TRUE(d.Find("j.smith")->cases.empty());
}

TEST(UserEventCodecTest, CanonicalForm) {
  // Written by hand from the format: keys sorted, no white space, only the kind's fields.
  EXPECT_EQ(EncodeUserEvent(Event(Kind::kDisable, "j.smith")),
            R"({"actor":"cli:root","kind":"disable","time_us":1764417600000000,"user":"j.smith","v":1})");
  UserEvent role = Event(Kind::kRole, "j.smith");
  role.role = Role::kLiaison;
  role.clearance = Classification::kSecret;
  role.password_hash = "ignored";
  EXPECT_EQ(EncodeUserEvent(role),
            R"({"actor":"cli:root","clearance":"secret","kind":"role","role":"liaison",)"
            R"("time_us":1764417600000000,"user":"j.smith","v":1})");
  UserEvent totp = Event(Kind::kTotp, "j.smith");
  totp.totp_secret = {0x01, 0xab};
  EXPECT_EQ(EncodeUserEvent(totp),
            R"({"actor":"cli:root","kind":"totp","time_us":1764417600000000,"totp_secret":"01ab","user":"j.smith","v":1})");
}

TEST(UserEventCodecTest, MalformedEventsAreRefused) {
  const std::string disable = R"({"actor":"cli:root","kind":"disable","time_us":5,"user":"j.smith","v":1})";
  ASSERT_TRUE(DecodeUserEvent(disable).ok());
  const std::string kBad[] = {
      "",
      "[]",
      "{}",
      disable.substr(0, disable.size() - 1),
      R"({"actor":"cli:root","kind":"disable","time_us":5,"user":"j.smith","v":2})",
      R"({"actor":"cli:root","kind":"disable","time_us":5,"user":"j.smith","v":"1"})",
      R"({"actor":"cli:root","kind":"delete","time_us":5,"user":"j.smith","v":1})",
      R"({"actor":"cli:root","kind":"disable","time_us":"5","user":"j.smith","v":1})",
      R"({"actor":"cli:root","kind":"disable","time_us":5.5,"user":"j.smith","v":1})",
      R"({"actor":"cli:root","kind":"disable","time_us":18446744073709551615,"user":"j.smith","v":1})",
      R"({"actor":"cli:root","kind":"disable","time_us":5,"v":1})",
      R"({"actor":7,"kind":"disable","time_us":5,"user":"j.smith","v":1})",
      // A field the kind does not have.
      R"({"actor":"cli:root","kind":"disable","password_hash":"x","time_us":5,"user":"j.smith","v":1})",
      // Role/clearance missing or unknown.
      R"({"actor":"cli:root","kind":"role","time_us":5,"user":"j.smith","v":1})",
      R"({"actor":"cli:root","clearance":"top-secret","kind":"role","role":"admin","time_us":5,"user":"j.smith","v":1})",
      R"({"actor":"cli:root","clearance":"secret","kind":"role","role":"root","time_us":5,"user":"j.smith","v":1})",
      // A person's kAdd without password_hash; a service kAdd with one.
      R"({"actor":"cli:root","clearance":"secret","kind":"add","role":"admin","time_us":5,"user":"j.smith","v":1})",
      R"({"actor":"cli:root","clearance":"secret","kind":"add","password_hash":"","role":"service","time_us":5,"user":"bot","v":1})",
      // TOTP secret not hex, or upper-case hex (Encode writes lower case).
      R"({"actor":"cli:root","kind":"totp","time_us":5,"totp_secret":"xyz0","user":"j.smith","v":1})",
      R"({"actor":"cli:root","kind":"totp","time_us":5,"totp_secret":"01AB","user":"j.smith","v":1})",
      // Not canonical: white space, key order, escapes.
      R"({"actor": "cli:root","kind":"disable","time_us":5,"user":"j.smith","v":1})",
      R"({"kind":"disable","actor":"cli:root","time_us":5,"user":"j.smith","v":1})",
      R"({"actor":"cli:root","kind":"disable","time_us":5,"user":"j.smit\u0068","v":1})",
      // Invalid UTF-8.
      "{\"actor\":\"cli:\xff\",\"kind\":\"disable\",\"time_us\":5,\"user\":\"j.smith\",\"v\":1}",
  };
  for (const std::string& bad : kBad) {
    auto e = DecodeUserEvent(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(UserDirectoryTest, AppliesEveryKind) {
  UserDirectory users;
  for (const UserEvent& e : OneOfEach()) {
    Status s = users.Apply(e);
    ASSERT_TRUE(s.ok()) << UserEventKindName(e.kind) << ": " << s.ToString();
  }
  const User* smith = users.Find("j.smith");
  ASSERT_NE(smith, nullptr);
  EXPECT_EQ(smith->role, Role::kAuditor);
  EXPECT_EQ(smith->clearance, Classification::kUnclassified);
  EXPECT_EQ(smith->password_hash, TestHash());
  EXPECT_EQ(smith->totp_secret, Bytes(20, 0xab));
  EXPECT_FALSE(smith->disabled);
  EXPECT_EQ(smith->created_us, 1764417600000000);
  const User* bot = users.Find("ingest-bot");
  ASSERT_NE(bot, nullptr);
  EXPECT_EQ(bot->role, Role::kService);
  EXPECT_TRUE(bot->password_hash.empty());
  EXPECT_EQ(bot->api_token_hashes, std::vector<std::string>{HashToken("token")});
  EXPECT_EQ(users.FindByApiTokenHash(HashToken("token")), bot);
  EXPECT_EQ(users.FindByApiTokenHash(HashToken("other")), nullptr);
  EXPECT_EQ(users.Find("nobody"), nullptr);
  auto all = users.All();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->name, "ingest-bot");
  EXPECT_EQ(all[1]->name, "j.smith");
}

TEST(UserDirectoryTest, DisableEnable) {
  UserDirectory users;
  ASSERT_TRUE(users.Apply(AddPerson("j.smith")).ok());
  ASSERT_TRUE(users.Apply(Event(Kind::kDisable, "j.smith")).ok());
  EXPECT_TRUE(users.Find("j.smith")->disabled);
  ASSERT_TRUE(users.Apply(Event(Kind::kDisable, "j.smith")).ok());  // idempotent
  ASSERT_TRUE(users.Apply(Event(Kind::kEnable, "j.smith")).ok());
  EXPECT_FALSE(users.Find("j.smith")->disabled);
}

TEST(UserDirectoryTest, RulesAreEnforcedAndFailuresChangeNothing) {
  UserDirectory users;
  ASSERT_TRUE(users.Apply(AddPerson("j.smith")).ok());
  ASSERT_TRUE(users.Apply(AddService("bot")).ok());

  auto code_of = [&](const UserEvent& e) { return users.Apply(e).code(); };
  // Duplicate add.
  EXPECT_EQ(code_of(AddPerson("j.smith")), StatusCode::kAlreadyExists);
  EXPECT_EQ(code_of(AddService("j.smith")), StatusCode::kAlreadyExists);
  // Unknown user, for every kind but add.
  for (const UserEvent& e : OneOfEach()) {
    if (e.kind == Kind::kAdd) continue;
    UserEvent unknown = e;
    unknown.user = "nobody";
    EXPECT_EQ(code_of(unknown), StatusCode::kNotFound) << UserEventKindName(e.kind);
  }
  // Bad names, no actor.
  EXPECT_EQ(code_of(AddPerson("J.Smith")), StatusCode::kInvalidArgument);
  UserEvent no_actor = AddPerson("a.jones");
  no_actor.actor.clear();
  EXPECT_EQ(code_of(no_actor), StatusCode::kInvalidArgument);
  // A service account gets no password; a person must have one, and it must be Argon2id.
  UserEvent service_with_password = AddService("bot2");
  service_with_password.password_hash = TestHash();
  EXPECT_EQ(code_of(service_with_password), StatusCode::kInvalidArgument);
  UserEvent person_without = AddPerson("a.jones");
  person_without.password_hash.clear();
  EXPECT_EQ(code_of(person_without), StatusCode::kInvalidArgument);
  UserEvent person_plain = AddPerson("a.jones");
  person_plain.password_hash = "secret123456";
  EXPECT_EQ(code_of(person_plain), StatusCode::kInvalidArgument);
  UserEvent set_password = Event(Kind::kPassword, "bot");
  set_password.password_hash = TestHash();
  EXPECT_EQ(code_of(set_password), StatusCode::kFailedPrecondition);
  set_password.user = "j.smith";
  set_password.password_hash.clear();
  EXPECT_EQ(code_of(set_password), StatusCode::kInvalidArgument);
  // TOTP: people only, 16-64 bytes (empty removes it).
  UserEvent totp = Event(Kind::kTotp, "bot");
  totp.totp_secret = Bytes(20, 1);
  EXPECT_EQ(code_of(totp), StatusCode::kFailedPrecondition);
  totp.user = "j.smith";
  totp.totp_secret = Bytes(15, 1);
  EXPECT_EQ(code_of(totp), StatusCode::kInvalidArgument);
  totp.totp_secret = Bytes(65, 1);
  EXPECT_EQ(code_of(totp), StatusCode::kInvalidArgument);
  // Role changes never cross between people and service accounts.
  UserEvent role = Event(Kind::kRole, "j.smith");
  role.role = Role::kService;
  EXPECT_EQ(code_of(role), StatusCode::kFailedPrecondition);
  role.user = "bot";
  role.role = Role::kAdmin;
  EXPECT_EQ(code_of(role), StatusCode::kFailedPrecondition);
  role.role = static_cast<Role>(17);
  EXPECT_EQ(code_of(role), StatusCode::kInvalidArgument);
  // API tokens: service accounts only, well-formed, once.
  UserEvent token = Event(Kind::kApiToken, "j.smith");
  token.api_token_hash = HashToken("t1");
  EXPECT_EQ(code_of(token), StatusCode::kFailedPrecondition);
  token.user = "bot";
  token.api_token_hash = "ABC";
  EXPECT_EQ(code_of(token), StatusCode::kInvalidArgument);
  std::string upper = HashToken("t1");
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  token.api_token_hash = upper;
  EXPECT_EQ(code_of(token), StatusCode::kInvalidArgument);
  token.api_token_hash = HashToken("t1");
  EXPECT_EQ(code_of(token), StatusCode::kOk);
  EXPECT_EQ(code_of(token), StatusCode::kAlreadyExists);

  // Nothing of the refused events stuck.
  EXPECT_EQ(users.size(), 2u);
  const User* smith = users.Find("j.smith");
  EXPECT_EQ(smith->role, Role::kInvestigator);
  EXPECT_EQ(smith->password_hash, TestHash());
  EXPECT_TRUE(smith->totp_secret.empty());
  EXPECT_EQ(users.Find("bot")->api_token_hashes.size(), 1u);
  EXPECT_EQ(users.Find("bot")->role, Role::kService);
}

TEST(UserDirectoryTest, TotpCanBeRemoved) {
  UserDirectory users;
  ASSERT_TRUE(users.Apply(AddPerson("j.smith")).ok());
  UserEvent totp = Event(Kind::kTotp, "j.smith");
  totp.totp_secret = Bytes(20, 1);
  ASSERT_TRUE(users.Apply(totp).ok());
  EXPECT_FALSE(users.Find("j.smith")->totp_secret.empty());
  totp.totp_secret.clear();
  ASSERT_TRUE(users.Apply(totp).ok());
  EXPECT_TRUE(users.Find("j.smith")->totp_secret.empty());
}

TEST(UserDirectoryTest, ReplayOfEncodedEventsRebuildsTheDirectory) {
  UserDirectory direct, replayed;
  for (const UserEvent& e : OneOfEach()) {
    ASSERT_TRUE(direct.Apply(e).ok());
    auto decoded = DecodeUserEvent(EncodeUserEvent(e));
    ASSERT_TRUE(decoded.ok());
    ASSERT_TRUE(replayed.Apply(*decoded).ok());
  }
  ASSERT_EQ(direct.size(), replayed.size());
  for (const User* u : direct.All()) {
    const User* r = replayed.Find(u->name);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->role, u->role);
    EXPECT_EQ(r->clearance, u->clearance);
    EXPECT_EQ(r->password_hash, u->password_hash);
    EXPECT_EQ(r->totp_secret, u->totp_secret);
    EXPECT_EQ(r->disabled, u->disabled);
    EXPECT_EQ(r->api_token_hashes, u->api_token_hashes);
  }
}

}  // namespace
}  // namespace ura::access
