#include "access/sessions.h"

#include <algorithm>

#include "access/totp.h"

namespace ura::access {
namespace {

// Unknown (well-formed) names whose failures are counted; beyond it, stale entries are pruned
// and, if still full, further unknown names are not counted (existing users always are).
constexpr size_t kMaxTrackedNames = 100000;
constexpr int64_t kPruneIntervalUs = 60LL * 1000000;

}  // namespace

std::string_view LoginFailureName(LoginFailure failure) {
  switch (failure) {
    case LoginFailure::kNone: return "none";
    case LoginFailure::kBadCredentials: return "bad-credentials";
    case LoginFailure::kLocked: return "locked";
    case LoginFailure::kDisabled: return "disabled";
    case LoginFailure::kTotpRequired: return "totp-required";
  }
  return "unknown";
}

namespace {

SessionPolicy Sane(SessionPolicy policy) {
  policy.max_failures = std::max(policy.max_failures, 1);
  policy.lockout_us = std::max<int64_t>(policy.lockout_us, 0);
  policy.totp_window = std::max(policy.totp_window, 0);
  return policy;
}

}  // namespace

SessionManager::SessionManager(const UserDirectory& users, Clock& clock, SessionPolicy policy)
    : users_(users), clock_(clock), policy_(Sane(policy)) {}

bool SessionManager::Expired(const Session& session, int64_t now) const {
  return now - session.last_seen_us >= policy_.idle_us || now - session.created_us >= policy_.lifetime_us;
}

void SessionManager::RefreshAttempts(Attempts& a, int64_t now) const {
  if (a.locked_until_us != 0) {
    if (now < a.locked_until_us) return;
    a = Attempts{0, 0, 0, a.in_flight};  // the lockout is over: a fresh start
  } else if (a.failures > 0 && now - a.first_failure_us >= policy_.lockout_us) {
    a.failures = 0;
    a.first_failure_us = 0;
  }
}

SessionManager::Attempts* SessionManager::TrackAttempts(const std::string& name, int64_t now) {
  auto it = attempts_.find(name);
  if (it == attempts_.end()) {
    // A name that cannot exist is never anyone's: nothing to lock, nothing to reveal.
    if (!CheckUserName(name).ok()) return nullptr;
    if (attempts_.size() >= kMaxTrackedNames && now - last_prune_us_ >= kPruneIntervalUs) PruneLocked(now);
    if (attempts_.size() >= kMaxTrackedNames && users_.Find(name) == nullptr) return nullptr;
    it = attempts_.emplace(name, Attempts{}).first;
  }
  RefreshAttempts(it->second, now);
  return &it->second;
}

void SessionManager::RecordFailure(const std::string& name, int64_t now) {
  Attempts* a = TrackAttempts(name, now);
  if (a == nullptr) return;
  if (a->failures == 0) a->first_failure_us = now;
  ++a->failures;
  if (a->failures >= policy_.max_failures) a->locked_until_us = now + policy_.lockout_us;
}

Status SessionManager::LockedStatus(int64_t until_us) const {
  return PermissionDenied("this account is locked after too many failed log-ons until " + FormatRfc3339(until_us) +
                          "; try again then, or ask an administrator to unlock it");
}

PasswordCost SessionManager::ReferenceCostLocked() const {
  for (const User* user : users_.All()) {
    if (user->password_hash.empty()) continue;
    auto cost = PasswordHashCost(user->password_hash);
    if (cost.ok()) return *cost;
  }
  return kDefaultPasswordCost;
}

std::string SessionManager::DummyHash(const PasswordCost& cost, bool* made) {
  std::lock_guard lock(dummy_mu_);
  *made = false;
  const auto key = std::make_pair(cost.ops_limit, cost.mem_limit_bytes);
  auto it = dummy_hashes_.find(key);
  if (it != dummy_hashes_.end()) return it->second;
  auto hash = HashPassword(NewToken(), cost);
  if (!hash.ok()) return std::string();
  *made = true;
  dummy_hashes_.emplace(key, *hash);
  return *hash;
}

Result<std::string> SessionManager::Login(std::string_view user_name, std::string_view password,
                                          std::string_view totp_code, std::string_view client,
                                          LoginFailure* failure) {
  const std::string name(user_name);
  auto fail = [&](LoginFailure why, Status status) -> Result<std::string> {
    if (failure != nullptr) *failure = why;
    return status;
  };
  if (failure != nullptr) *failure = LoginFailure::kNone;

  // 1. Under the lock: lockout, reserve an attempt, take the hash to check against.
  std::string hash;
  bool known = false;  // `hash` is the user's own
  bool reserved = false;
  PasswordCost dummy_cost;
  {
    std::lock_guard lock(mu_);
    const int64_t now = clock_.NowMicros();
    if (now - last_prune_us_ >= kPruneIntervalUs) PruneLocked(now);
    if (Attempts* a = TrackAttempts(name, now)) {
      if (a->locked_until_us != 0) return fail(LoginFailure::kLocked, LockedStatus(a->locked_until_us));
      if (a->failures + a->in_flight >= policy_.max_failures) {
        return fail(LoginFailure::kLocked,
                    PermissionDenied("too many log-on attempts for this account at once; try again in a moment"));
      }
      ++a->in_flight;
      reserved = true;
    }
    const User* user = users_.Find(name);
    if (user != nullptr && !user->password_hash.empty()) {
      hash = user->password_hash;
      known = true;
    } else {
      dummy_cost = ReferenceCostLocked();
    }
  }

  // 2. Outside the lock: the slow part, the same for known and unknown users.
  bool password_ok = false;
  if (known) {
    password_ok = VerifyPassword(hash, password);
  } else {
    bool made = false;
    const std::string dummy = DummyHash(dummy_cost, &made);
    if (!made) VerifyPassword(dummy, password);  // making it took as long; the result is irrelevant
  }

  // 3. Under the lock again: the other checks, then count the failure or open the session.
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMicros();
  if (reserved) {
    auto it = attempts_.find(name);
    if (it != attempts_.end()) {
      --it->second.in_flight;
      RefreshAttempts(it->second, now);
      if (it->second.locked_until_us != 0) return fail(LoginFailure::kLocked, LockedStatus(it->second.locked_until_us));
    }
  }
  const User* user = users_.Find(name);
  LoginFailure why = LoginFailure::kNone;
  if (user == nullptr || !known || !password_ok || user->password_hash != hash) {
    why = LoginFailure::kBadCredentials;  // the hash changed meanwhile: check the new one next time
  } else if (user->disabled) {
    why = LoginFailure::kDisabled;
  } else if (!user->totp_secret.empty()) {
    if (totp_code.empty()) {
      why = LoginFailure::kTotpRequired;
    } else {
      auto last = totp_last_step_.find(name);
      int64_t last_step = last == totp_last_step_.end() ? -1 : last->second;
      if (CheckTotp(user->totp_secret, totp_code, now / 1000000, policy_.totp_window, &last_step)) {
        totp_last_step_[name] = last_step;
      } else {
        why = LoginFailure::kBadCredentials;
      }
    }
  }
  if (why != LoginFailure::kNone) {
    RecordFailure(name, now);
    return fail(why, PermissionDenied(std::string(kLoginFailedMessage)));
  }
  if (auto it = attempts_.find(name); it != attempts_.end()) {
    if (it->second.in_flight == 0) {
      attempts_.erase(it);
    } else {
      it->second.failures = 0;
      it->second.first_failure_us = 0;
    }
  }
  std::string token = NewToken();
  sessions_.emplace(HashToken(token), Session{name, std::string(client), now, now, false});
  return token;
}

Result<Session> SessionManager::Authenticate(std::string_view token) {
  const std::string token_hash = HashToken(token);
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMicros();
  const Status denied = PermissionDenied("not logged on, or the session has expired: log on again");
  auto it = sessions_.find(token_hash);
  if (it != sessions_.end()) {
    const User* user = users_.Find(it->second.user);
    if (user == nullptr || user->disabled || Expired(it->second, now)) {
      sessions_.erase(it);
      return denied;
    }
    it->second.last_seen_us = now;
    return it->second;
  }
  const User* service = users_.FindByApiTokenHash(token_hash);
  if (service != nullptr && IsMachineAccount(service->role) && !service->disabled) {
    return Session{service->name, std::string(), service->created_us, now, true};
  }
  return denied;
}

Status SessionManager::Logout(std::string_view token) {
  const std::string token_hash = HashToken(token);
  std::lock_guard lock(mu_);
  if (sessions_.erase(token_hash) != 0) return Status::Ok();
  if (users_.FindByApiTokenHash(token_hash) != nullptr) {
    return FailedPrecondition("this is an API token, not a session: disable the service account to revoke it");
  }
  return NotFound("no such session (logged out already, or expired)");
}

size_t SessionManager::RevokeUser(std::string_view user) {
  std::lock_guard lock(mu_);
  return RevokeUserLocked(user);
}

size_t SessionManager::RevokeUserLocked(std::string_view user) {
  return std::erase_if(sessions_, [&](const auto& entry) { return entry.second.user == user; });
}

bool SessionManager::IsLocked(std::string_view user) const { return LockedUntil(user) != 0; }

int64_t SessionManager::LockedUntil(std::string_view user) const {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMicros();
  auto it = attempts_.find(user);
  if (it == attempts_.end() || it->second.locked_until_us <= now) return 0;
  return it->second.locked_until_us;
}

void SessionManager::Unlock(std::string_view user) {
  std::lock_guard lock(mu_);
  auto it = attempts_.find(user);
  if (it == attempts_.end()) return;
  if (it->second.in_flight == 0) {
    attempts_.erase(it);
  } else {
    it->second = Attempts{0, 0, 0, it->second.in_flight};
  }
}

Status SessionManager::ApplyUserEvent(UserDirectory& users, const UserEvent& event) {
  if (&users != &users_) return InvalidArgument("ApplyUserEvent: not the directory this session manager reads");
  std::lock_guard lock(mu_);
  URA_RETURN_IF_ERROR(users.Apply(event));
  if (event.kind == UserEvent::Kind::kTotp) totp_last_step_.erase(event.user);
  if (event.kind == UserEvent::Kind::kTotp || event.kind == UserEvent::Kind::kPassword) {
    // Whoever holds a session opened with the old credentials loses it.
    RevokeUserLocked(event.user);
  }
  return Status::Ok();
}

std::optional<User> SessionManager::FindUser(std::string_view name) const {
  std::lock_guard lock(mu_);
  const User* user = users_.Find(name);
  return user == nullptr ? std::nullopt : std::optional<User>(*user);
}

std::vector<User> SessionManager::AllUsers() const {
  std::lock_guard lock(mu_);
  std::vector<User> out;
  for (const User* u : users_.All()) out.push_back(*u);
  return out;
}

UserDirectory SessionManager::DirectoryCopy() const {
  std::lock_guard lock(mu_);
  return users_;
}

size_t SessionManager::SessionCount() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

void SessionManager::PruneExpired() {
  std::lock_guard lock(mu_);
  PruneLocked(clock_.NowMicros());
}

void SessionManager::PruneLocked(int64_t now) {
  last_prune_us_ = now;
  std::erase_if(sessions_, [&](const auto& entry) { return Expired(entry.second, now); });
  for (auto it = attempts_.begin(); it != attempts_.end();) {
    RefreshAttempts(it->second, now);
    const Attempts& a = it->second;
    it = (a.failures == 0 && a.locked_until_us == 0 && a.in_flight == 0) ? attempts_.erase(it) : std::next(it);
  }
}

}  // namespace ura::access
