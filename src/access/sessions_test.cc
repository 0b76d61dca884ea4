#include "access/sessions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <thread>
#include <vector>

#include "access/password.h"
#include "access/totp.h"

namespace ura::access {
namespace {

using Kind = UserEvent::Kind;

constexpr int64_t kStart = 1764417600000000;  // 2025-11-29T12:00:00Z
constexpr int64_t kMinute = 60LL * 1000000;
constexpr char kPassword[] = "a good pass phrase 1";
const Bytes kTotpSecret(20, 0x5a);

class SessionTest : public ::testing::Test {
 protected:
  SessionTest() : clock_(kStart) {
    AddPerson("j.smith", kPassword);
    AddPerson("k.lee", "another pass phrase 2");
    AddPerson("a.jones", "third pass phrase 3");
    UserEvent totp = Event(Kind::kTotp, "a.jones");
    totp.totp_secret = kTotpSecret;
    Apply(totp);
    UserEvent bot = Event(Kind::kAdd, "bot");
    bot.role = Role::kService;
    Apply(bot);
    api_token_ = NewToken();
    UserEvent token = Event(Kind::kApiToken, "bot");
    token.api_token_hash = HashToken(api_token_);
    Apply(token);
  }

  static UserEvent Event(Kind kind, std::string user) {
    UserEvent e;
    e.kind = kind;
    e.user = std::move(user);
    e.actor = "cli:root";
    e.time_us = kStart;
    return e;
  }
  void Apply(const UserEvent& e) { ASSERT_TRUE(users_.Apply(e).ok()) << e.user; }
  void AddPerson(std::string name, std::string_view password) {
    UserEvent e = Event(Kind::kAdd, std::move(name));
    e.password_hash = *HashPassword(password, kMinimumPasswordCost);
    Apply(e);
  }
  SessionManager& Manager(SessionPolicy policy = {}) {
    if (!manager_) manager_ = std::make_unique<SessionManager>(users_, clock_, policy);
    return *manager_;
  }
  std::string CurrentCode() { return TotpCode(kTotpSecret, clock_.NowMicros() / 1000000); }
  // Logs on with the wrong password; expects the generic failure.
  void FailOnce(std::string_view user) {
    LoginFailure why = LoginFailure::kNone;
    auto r = Manager().Login(user, "wrong pass phrase 9", "", "test", &why);
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(why, LoginFailure::kBadCredentials) << LoginFailureName(why);
  }

  UserDirectory users_;
  ManualClock clock_;
  std::unique_ptr<SessionManager> manager_;
  std::string api_token_;
};

TEST_F(SessionTest, LoginGivesAToken) {
  LoginFailure why = LoginFailure::kBadCredentials;
  auto token = Manager().Login("j.smith", kPassword, "", "10.0.0.7", &why);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(why, LoginFailure::kNone);
  EXPECT_EQ(token->size(), 43u);
  auto session = Manager().Authenticate(*token);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->user, "j.smith");
  EXPECT_EQ(session->client, "10.0.0.7");
  EXPECT_EQ(session->created_us, kStart);
  EXPECT_FALSE(session->api_token);
  // A second log-on gives another token; both work.
  auto second = Manager().Login("j.smith", kPassword, "", "10.0.0.8");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, *token);
  EXPECT_TRUE(Manager().Authenticate(*second).ok());
  EXPECT_TRUE(Manager().Authenticate(*token).ok());
  EXPECT_EQ(Manager().SessionCount(), 2u);
  // A made-up or altered token is refused.
  EXPECT_EQ(Manager().Authenticate(NewToken()).status().code(), StatusCode::kPermissionDenied);
  std::string altered = *token;
  altered[0] = altered[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Manager().Authenticate(altered).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Manager().Authenticate("").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(SessionTest, FailuresAllSayTheSameThing) {
  struct Attempt {
    std::string user, password, code;
    LoginFailure expected;
  };
  UserEvent disable = Event(Kind::kDisable, "k.lee");
  ASSERT_TRUE(Manager().ApplyUserEvent(users_, disable).ok());
  const Attempt kAttempts[] = {
      {"j.smith", "wrong pass phrase 9", "", LoginFailure::kBadCredentials},
      {"nobody", kPassword, "", LoginFailure::kBadCredentials},
      {"Not A Valid Name", kPassword, "", LoginFailure::kBadCredentials},
      {"bot", "", "", LoginFailure::kBadCredentials},
      {"bot", kPassword, "", LoginFailure::kBadCredentials},
      {"k.lee", "another pass phrase 2", "", LoginFailure::kDisabled},
      {"a.jones", "third pass phrase 3", "", LoginFailure::kTotpRequired},
      {"a.jones", "third pass phrase 3", "000000", LoginFailure::kBadCredentials},
      {"a.jones", "wrong", CurrentCode(), LoginFailure::kBadCredentials},
  };
  for (const Attempt& a : kAttempts) {
    LoginFailure why = LoginFailure::kNone;
    auto r = Manager().Login(a.user, a.password, a.code, "test", &why);
    ASSERT_FALSE(r.ok()) << a.user;
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(r.status().message(), kLoginFailedMessage) << a.user;
    EXPECT_EQ(why, a.expected) << a.user << " " << LoginFailureName(why);
  }
  EXPECT_EQ(Manager().SessionCount(), 0u);
}

TEST_F(SessionTest, FiveFailuresLockForTenMinutes) {
  for (int i = 0; i < 4; ++i) {
    FailOnce("j.smith");
    clock_.Advance(kMinute);
  }
  EXPECT_FALSE(Manager().IsLocked("j.smith"));
  FailOnce("j.smith");
  const int64_t until = kStart + 4 * kMinute + 10 * kMinute;
  EXPECT_TRUE(Manager().IsLocked("j.smith"));
  EXPECT_EQ(Manager().LockedUntil("j.smith"), until);
  EXPECT_FALSE(Manager().IsLocked("k.lee"));
  EXPECT_EQ(Manager().LockedUntil("k.lee"), 0);

  // Locked: even the right password is refused, and says until when.
  LoginFailure why = LoginFailure::kNone;
  auto r = Manager().Login("j.smith", kPassword, "", "test", &why);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(why, LoginFailure::kLocked);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(r.status().message().find("locked"), std::string::npos);
  EXPECT_NE(r.status().message().find(FormatRfc3339(until)), std::string::npos) << r.status().message();
  clock_.Set(until - 1);
  EXPECT_EQ(Manager().Login("j.smith", kPassword, "", "test", &why).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(why, LoginFailure::kLocked);
  // Other users are not affected.
  EXPECT_TRUE(Manager().Login("k.lee", "another pass phrase 2", "", "test").ok());

  clock_.Set(until);
  EXPECT_FALSE(Manager().IsLocked("j.smith"));
  EXPECT_TRUE(Manager().Login("j.smith", kPassword, "", "test", &why).ok());
  EXPECT_EQ(why, LoginFailure::kNone);
}

TEST_F(SessionTest, UnknownNamesLockTheSameWay) {
  // Otherwise "locked" after five tries would tell which names exist.
  for (int i = 0; i < 5; ++i) FailOnce("nobody");
  auto nobody = Manager().Login("nobody", kPassword, "", "test");
  for (int i = 0; i < 5; ++i) FailOnce("j.smith");
  auto smith = Manager().Login("j.smith", kPassword, "", "test");
  ASSERT_FALSE(nobody.ok());
  ASSERT_FALSE(smith.ok());
  EXPECT_EQ(nobody.status().message(), smith.status().message());
  EXPECT_TRUE(Manager().IsLocked("nobody"));
}

TEST_F(SessionTest, SuccessResetsTheCount) {
  for (int i = 0; i < 4; ++i) FailOnce("j.smith");
  ASSERT_TRUE(Manager().Login("j.smith", kPassword, "", "test").ok());
  for (int i = 0; i < 4; ++i) FailOnce("j.smith");
  EXPECT_FALSE(Manager().IsLocked("j.smith"));
  ASSERT_TRUE(Manager().Login("j.smith", kPassword, "", "test").ok());
  for (int i = 0; i < 5; ++i) FailOnce("j.smith");
  EXPECT_TRUE(Manager().IsLocked("j.smith"));
}

TEST_F(SessionTest, FailuresOutsideTheWindowAreForgotten) {
  for (int i = 0; i < 4; ++i) FailOnce("j.smith");
  clock_.Advance(10 * kMinute);  // the window of the first failure is over
  FailOnce("j.smith");
  EXPECT_FALSE(Manager().IsLocked("j.smith"));
  for (int i = 0; i < 3; ++i) FailOnce("j.smith");
  EXPECT_FALSE(Manager().IsLocked("j.smith"));
  FailOnce("j.smith");
  EXPECT_TRUE(Manager().IsLocked("j.smith"));
}

TEST_F(SessionTest, AnAdministratorCanUnlock) {
  for (int i = 0; i < 5; ++i) FailOnce("j.smith");
  ASSERT_TRUE(Manager().IsLocked("j.smith"));
  Manager().Unlock("j.smith");
  EXPECT_FALSE(Manager().IsLocked("j.smith"));
  EXPECT_TRUE(Manager().Login("j.smith", kPassword, "", "test").ok());
}

TEST_F(SessionTest, IdleSessionsExpireAndUseKeepsThemAlive) {
  auto token = Manager().Login("j.smith", kPassword, "", "test");
  ASSERT_TRUE(token.ok());
  clock_.Advance(29 * kMinute);
  ASSERT_TRUE(Manager().Authenticate(*token).ok());
  clock_.Advance(29 * kMinute);  // 58 minutes after log-on, 29 after last use
  auto session = Manager().Authenticate(*token);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->last_seen_us, kStart + 58 * kMinute);
  clock_.Advance(30 * kMinute);  // idle for exactly 30 minutes
  EXPECT_EQ(Manager().Authenticate(*token).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Manager().SessionCount(), 0u);
  clock_.Set(kStart + 58 * kMinute);  // the clock going back does not revive it
  EXPECT_FALSE(Manager().Authenticate(*token).ok());
}

TEST_F(SessionTest, SessionsEndAtTheirLifetimeHoweverActive) {
  SessionPolicy policy;
  policy.lifetime_us = 60 * kMinute;
  SessionManager& manager = Manager(policy);
  auto token = manager.Login("j.smith", kPassword, "", "test");
  ASSERT_TRUE(token.ok());
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(10 * kMinute);
    ASSERT_TRUE(manager.Authenticate(*token).ok()) << i;
  }
  clock_.Advance(10 * kMinute - 1);
  EXPECT_TRUE(manager.Authenticate(*token).ok());
  clock_.Advance(1);
  EXPECT_EQ(manager.Authenticate(*token).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(SessionTest, DefaultLifetimeIsTwelveHours) {
  auto token = Manager().Login("j.smith", kPassword, "", "test");
  ASSERT_TRUE(token.ok());
  for (int i = 0; i < 12 * 4 - 1; ++i) {
    clock_.Advance(15 * kMinute);
    ASSERT_TRUE(Manager().Authenticate(*token).ok()) << i;
  }
  clock_.Advance(15 * kMinute);
  EXPECT_FALSE(Manager().Authenticate(*token).ok());
}

TEST_F(SessionTest, PruneRemovesExpiredSessions) {
  ASSERT_TRUE(Manager().Login("j.smith", kPassword, "", "test").ok());
  ASSERT_TRUE(Manager().Login("k.lee", "another pass phrase 2", "", "test").ok());
  clock_.Advance(20 * kMinute);
  auto fresh = Manager().Login("k.lee", "another pass phrase 2", "", "test");
  ASSERT_TRUE(fresh.ok());
  clock_.Advance(15 * kMinute);
  Manager().PruneExpired();
  EXPECT_EQ(Manager().SessionCount(), 1u);
  EXPECT_TRUE(Manager().Authenticate(*fresh).ok());
}

TEST_F(SessionTest, LogoutRevokes) {
  auto token = Manager().Login("j.smith", kPassword, "", "test");
  ASSERT_TRUE(token.ok());
  auto other = Manager().Login("j.smith", kPassword, "", "test");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(Manager().Logout(*token).ok());
  EXPECT_EQ(Manager().Authenticate(*token).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Manager().Logout(*token).code(), StatusCode::kNotFound);
  EXPECT_EQ(Manager().Logout("not-a-token").code(), StatusCode::kNotFound);
  EXPECT_TRUE(Manager().Authenticate(*other).ok());  // only that session ended
}

TEST_F(SessionTest, RevokeUserEndsAllTheirSessions) {
  std::vector<std::string> smith;
  for (int i = 0; i < 3; ++i) smith.push_back(*Manager().Login("j.smith", kPassword, "", "test"));
  auto lee = Manager().Login("k.lee", "another pass phrase 2", "", "test");
  ASSERT_TRUE(lee.ok());
  EXPECT_EQ(Manager().RevokeUser("j.smith"), 3u);
  for (const std::string& t : smith) EXPECT_FALSE(Manager().Authenticate(t).ok());
  EXPECT_TRUE(Manager().Authenticate(*lee).ok());
  EXPECT_EQ(Manager().RevokeUser("j.smith"), 0u);
  EXPECT_EQ(Manager().RevokeUser("nobody"), 0u);
}

TEST_F(SessionTest, DisabledUsersAreRefusedAndTheirSessionsDie) {
  auto token = Manager().Login("j.smith", kPassword, "", "test");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(Manager().ApplyUserEvent(users_, Event(Kind::kDisable, "j.smith")).ok());
  EXPECT_EQ(Manager().Authenticate(*token).status().code(), StatusCode::kPermissionDenied);
  LoginFailure why = LoginFailure::kNone;
  auto r = Manager().Login("j.smith", kPassword, "", "test", &why);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(why, LoginFailure::kDisabled);
  EXPECT_EQ(r.status().message(), kLoginFailedMessage);
  // Enabled again: the old session stays dead, a new log-on works.
  ASSERT_TRUE(Manager().ApplyUserEvent(users_, Event(Kind::kEnable, "j.smith")).ok());
  EXPECT_FALSE(Manager().Authenticate(*token).ok());
  EXPECT_TRUE(Manager().Login("j.smith", kPassword, "", "test").ok());
}

TEST_F(SessionTest, PasswordChangeTakesEffect) {
  auto before = Manager().Login("j.smith", kPassword, "", "test");
  auto lee = Manager().Login("k.lee", "another pass phrase 2", "", "test");
  ASSERT_TRUE(before.ok() && lee.ok());
  UserEvent change = Event(Kind::kPassword, "j.smith");
  change.password_hash = *HashPassword("a new pass phrase 7", kMinimumPasswordCost);
  ASSERT_TRUE(Manager().ApplyUserEvent(users_, change).ok());
  EXPECT_FALSE(Manager().Authenticate(*before).ok());  // sessions of the old password end
  EXPECT_TRUE(Manager().Authenticate(*lee).ok());
  EXPECT_EQ(Manager().FindUser("j.smith")->password_hash, change.password_hash);
  EXPECT_FALSE(Manager().FindUser("nobody").has_value());
  EXPECT_EQ(Manager().AllUsers().size(), Manager().DirectoryCopy().size());
  EXPECT_FALSE(Manager().Login("j.smith", kPassword, "", "test").ok());
  EXPECT_TRUE(Manager().Login("j.smith", "a new pass phrase 7", "", "test").ok());
  UserDirectory other;
  EXPECT_EQ(Manager().ApplyUserEvent(other, change).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Manager().ApplyUserEvent(users_, Event(Kind::kDisable, "nobody")).code(), StatusCode::kNotFound);
}

TEST_F(SessionTest, TotpIsRequiredWhenEnrolled) {
  LoginFailure why = LoginFailure::kNone;
  auto r = Manager().Login("a.jones", "third pass phrase 3", "", "test", &why);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(why, LoginFailure::kTotpRequired);
  const std::string code = CurrentCode();
  auto token = Manager().Login("a.jones", "third pass phrase 3", code, "test", &why);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(why, LoginFailure::kNone);
  EXPECT_TRUE(Manager().Authenticate(*token).ok());
  // The same code again is a replay.
  EXPECT_FALSE(Manager().Login("a.jones", "third pass phrase 3", code, "test", &why).ok());
  EXPECT_EQ(why, LoginFailure::kBadCredentials);
  // The next step's code works; a step before it not.
  clock_.Advance(30 * 1000000);
  const std::string next = CurrentCode();
  ASSERT_NE(next, code);
  EXPECT_TRUE(Manager().Login("a.jones", "third pass phrase 3", next, "test").ok());
  clock_.Advance(30 * 1000000);
  EXPECT_FALSE(Manager().Login("a.jones", "third pass phrase 3", code, "test").ok());
  // A right code does not help a wrong password (and is not used up by it).
  const std::string third = CurrentCode();
  EXPECT_FALSE(Manager().Login("a.jones", "wrong pass phrase", third, "test").ok());
  EXPECT_TRUE(Manager().Login("a.jones", "third pass phrase 3", third, "test").ok());
}

TEST_F(SessionTest, MissingCodesCountAsFailures) {
  for (int i = 0; i < 5; ++i) {
    LoginFailure why = LoginFailure::kNone;
    ASSERT_FALSE(Manager().Login("a.jones", "third pass phrase 3", "", "test", &why).ok());
    ASSERT_EQ(why, LoginFailure::kTotpRequired);
  }
  EXPECT_TRUE(Manager().IsLocked("a.jones"));
  LoginFailure why = LoginFailure::kNone;
  EXPECT_FALSE(Manager().Login("a.jones", "third pass phrase 3", CurrentCode(), "test", &why).ok());
  EXPECT_EQ(why, LoginFailure::kLocked);
}

TEST_F(SessionTest, UsersWithoutTotpLogOnWithThePasswordAlone) {
  // A code given anyway is ignored.
  EXPECT_TRUE(Manager().Login("j.smith", kPassword, "123456", "test").ok());
}

TEST_F(SessionTest, ServiceAccountsUseApiTokens) {
  auto session = Manager().Authenticate(api_token_);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->user, "bot");
  EXPECT_TRUE(session->api_token);
  clock_.Advance(400LL * 24 * 60 * kMinute);  // no expiry
  EXPECT_TRUE(Manager().Authenticate(api_token_).ok());
  EXPECT_EQ(Manager().Logout(api_token_).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Manager().Authenticate(api_token_).ok());
  // A second token works too; disabling the account stops both.
  const std::string second = NewToken();
  UserEvent issue = Event(Kind::kApiToken, "bot");
  issue.api_token_hash = HashToken(second);
  ASSERT_TRUE(Manager().ApplyUserEvent(users_, issue).ok());
  EXPECT_TRUE(Manager().Authenticate(second).ok());
  ASSERT_TRUE(Manager().ApplyUserEvent(users_, Event(Kind::kDisable, "bot")).ok());
  EXPECT_EQ(Manager().Authenticate(api_token_).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Manager().Authenticate(second).status().code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(Manager().ApplyUserEvent(users_, Event(Kind::kEnable, "bot")).ok());
  EXPECT_TRUE(Manager().Authenticate(api_token_).ok());
}

TEST(SessionTimingTest, UnknownUsersCostAboutAsMuchAsKnownOnes) {
  // A cost high enough (~10-30 ms) that a skipped verification would stand out clearly.
  const PasswordCost cost{2, 16u << 20};
  UserDirectory users;
  UserEvent add;
  add.user = "j.smith";
  add.actor = "cli:root";
  add.password_hash = *HashPassword(kPassword, cost);
  ASSERT_TRUE(users.Apply(add).ok());
  UserEvent bot = add;
  bot.user = "bot";
  bot.role = Role::kService;
  bot.password_hash.clear();
  ASSERT_TRUE(users.Apply(bot).ok());
  ManualClock clock(kStart);
  SessionPolicy policy;
  policy.max_failures = 1000;  // no lockout while measuring
  SessionManager manager(users, clock, policy);
  manager.Login("warm-up", "x", "", "test").status().IgnoreError();  // makes the dummy hash
  auto time_login = [&](const char* user) {
    const auto start = std::chrono::steady_clock::now();
    manager.Login(user, "wrong", "", "t").status().IgnoreError();
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
  };
  // Interleaved, so a burst of load on the machine hits all three alike; medians of 7.
  std::vector<int64_t> known_times, unknown_times, service_times;
  for (int i = 0; i < 7; ++i) {
    known_times.push_back(time_login("j.smith"));
    unknown_times.push_back(time_login("nobody"));
    service_times.push_back(time_login("bot"));
  }
  auto median = [](std::vector<int64_t> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const int64_t known = median(known_times), unknown = median(unknown_times), service = median(service_times);
  EXPECT_GT(known, 2000) << "the cost is too low to measure";
  // Without the dummy verification an unknown user costs microseconds.
  EXPECT_GT(unknown * 2, known) << "known " << known << " us, unknown " << unknown << " us";
  EXPECT_GT(service * 2, known);
  EXPECT_LT(unknown, known * 2);
}

TEST(SessionConcurrencyTest, ParallelGuessesGetNoMoreThanFiveTries) {
  UserDirectory users;
  UserEvent add;
  add.user = "target";
  add.actor = "cli:root";
  // Slow enough (some ms) that the threads' verifications overlap.
  add.password_hash = *HashPassword(kPassword, PasswordCost{2, 8u << 20});
  ASSERT_TRUE(users.Apply(add).ok());
  ManualClock clock(kStart);
  SessionManager manager(users, clock);
  std::atomic<int> evaluated{0}, locked{0};
  std::vector<std::thread> threads;
  std::latch start(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < 4; ++i) {
        LoginFailure why = LoginFailure::kNone;
        auto r = manager.Login("target", "guess", "", "attacker", &why);
        if (why == LoginFailure::kBadCredentials) ++evaluated;
        if (why == LoginFailure::kLocked) ++locked;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(evaluated.load(), 5);
  EXPECT_EQ(locked.load(), 32 - 5);
  EXPECT_TRUE(manager.IsLocked("target"));
  LoginFailure why = LoginFailure::kNone;
  EXPECT_FALSE(manager.Login("target", kPassword, "", "owner", &why).ok());
  EXPECT_EQ(why, LoginFailure::kLocked);
}

TEST(SessionConcurrencyTest, ManyThreadsLogOnAuthenticateAndChangeUsers) {
  UserDirectory users;
  const std::string hash = *HashPassword(kPassword, kMinimumPasswordCost);
  constexpr int kThreads = 8;
  for (int t = 0; t < kThreads; ++t) {
    UserEvent add;
    add.user = "user" + std::to_string(t);
    add.actor = "cli:root";
    add.password_hash = hash;
    ASSERT_TRUE(users.Apply(add).ok());
  }
  ManualClock clock(kStart);
  SessionManager manager(users, clock);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string me = "user" + std::to_string(t);
      for (int i = 0; i < 25; ++i) {
        auto token = manager.Login(me, kPassword, "", "thread");
        if (!token.ok()) {
          ++failures;
          continue;
        }
        for (int k = 0; k < 5; ++k) {
          auto s = manager.Authenticate(*token);
          if (!s.ok() || s->user != me) ++failures;
        }
        if (i % 3 == 0) {
          if (!manager.Logout(*token).ok()) ++failures;
        }
        clock.Advance(1000);
        manager.Login("nobody" + std::to_string(t), "x", "", "thread").status().IgnoreError();
        manager.IsLocked(me);
      }
    });
  }
  // Meanwhile users are added and one is disabled and enabled again.
  threads.emplace_back([&] {
    for (int i = 0; i < 50; ++i) {
      UserEvent add;
      add.user = "extra" + std::to_string(i);
      add.actor = "cli:root";
      add.password_hash = hash;
      if (!manager.ApplyUserEvent(users, add).ok()) ++failures;
    }
    manager.PruneExpired();
  });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(users.size(), static_cast<size_t>(kThreads + 50));
  EXPECT_EQ(manager.SessionCount(), static_cast<size_t>(kThreads * (25 - 9)));
}

}  // namespace
}  // namespace ura::access
