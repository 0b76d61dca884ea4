// Log-on and sessions: user name + password (+ TOTP code when enrolled) give an opaque session
// token; the token then identifies the user on every request until it is logged out, revoked,
// idle for too long (30 min) or too old (12 h by default). Service accounts use API tokens
// instead, which do not expire but stop working when the account is disabled.
//
// Defences (CJIS 5.5.3, 5.6.2; NIST SP 800-63B):
// - Tokens are 32 random bytes (base64url, 43 characters), returned once and kept only as their
//   SHA-256, so a memory dump does not give usable tokens.
// - A failed log-on says the same thing ("user name, password or code wrong") and costs about
//   the same time (an Argon2id verification against a dummy hash of the users' cost) whether
//   the user exists or not, is disabled, or which factor was wrong. The precise reason is
//   given separately (LoginFailure) for the audit journal only.
// - max_failures (5) failed log-ons within lockout_us lock the name for lockout_us (10 min):
//   while locked even the right password is refused. Names that do not exist lock the same
//   way, so locking does not reveal which users exist (well-formed names only, at most 100,000
//   of them tracked at once). An attempt finishing after the lock was set fails as locked, and
//   at most max_failures attempts per name are checked at once (more are refused as "too many
//   attempts at once"), so parallel guessing gets no more tries and no more Argon2id work.
// - A TOTP code is accepted once (the step of the last accepted code is remembered per user,
//   in memory: a restart forgets it, leaving at most the 30-90 s window of an already used
//   code).
//
// A SessionManager is safe for concurrent use from many threads (one mutex; the Argon2id
// verification runs outside it). It reads the UserDirectory given to the constructor, which
// must outlive it; while other threads may be calling the manager, change that directory only
// through ApplyUserEvent. Sessions and lockouts live in memory only: a restart logs everyone
// out and clears lockouts.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "access/password.h"
#include "access/users.h"
#include "base/clock.h"
#include "base/status.h"

namespace ura::access {

struct SessionPolicy {
  int64_t idle_us = 30LL * 60 * 1000000;
  int64_t lifetime_us = 12LL * 3600 * 1000000;
  int max_failures = 5;
  int64_t lockout_us = 10LL * 60 * 1000000;
  int totp_window = 1;  // TOTP steps accepted either side of now (clock drift)
};

struct Session {
  std::string user;
  std::string client;
  int64_t created_us = 0;
  int64_t last_seen_us = 0;
  bool api_token = false;  // authenticated by a service account's API token (no expiry)
};

enum class LoginFailure { kNone, kBadCredentials, kLocked, kDisabled, kTotpRequired };
std::string_view LoginFailureName(LoginFailure failure);  // "none", "bad-credentials", "locked", ...

// What every failed log-on says, whatever the reason (except a lockout).
inline constexpr std::string_view kLoginFailedMessage = "user name, password or code wrong";

class SessionManager {
 public:
  SessionManager(const UserDirectory& users, Clock& clock, SessionPolicy policy = {});
  SessionManager(const SessionManager&) = delete;
  SessionManager& operator=(const SessionManager&) = delete;

  // A new session token for the user, or kPermissionDenied: kLoginFailedMessage for unknown
  // user, wrong password, wrong/missing/replayed code, disabled account or service account; a
  // locked account says it is locked and until when. *failure (optional) gets the precise
  // reason for the audit journal (kNone on success). A user with a TOTP secret must give its
  // code (none: kTotpRequired, counted as a failed log-on); a user without one logs on with the
  // password alone (the caller should warn that MFA is not enrolled). If Argon2id cannot get
  // its memory the password counts as wrong.
  Result<std::string> Login(std::string_view user, std::string_view password, std::string_view totp_code,
                            std::string_view client, LoginFailure* failure = nullptr);

  // The session of a token, its idle time restarted; kPermissionDenied if the token is unknown,
  // the session idle for idle_us or older than lifetime_us, or its user now disabled (the
  // session is then removed). Also accepts a service account's API token (api_token set, no
  // expiry; refused while the account is disabled).
  Result<Session> Authenticate(std::string_view token);

  // Ends the session. kNotFound for an unknown token; kFailedPrecondition for an API token
  // (disable the service account to revoke it).
  Status Logout(std::string_view token);

  // Ends all of `user`'s sessions (e.g. after a password change); returns how many.
  size_t RevokeUser(std::string_view user);

  bool IsLocked(std::string_view user) const;
  // The lockout end for `user` (microseconds since the epoch), or 0.
  int64_t LockedUntil(std::string_view user) const;
  // Lifts a lockout and forgets failed log-ons (an administrator's release).
  void Unlock(std::string_view user);

  // Applies `event` to `users` -- which must be the directory given to the constructor, else
  // kInvalidArgument -- under this manager's lock: how a server changes users while others
  // log on. A new password or second factor ends the user's sessions. Errors are
  // UserDirectory::Apply's.
  Status ApplyUserEvent(UserDirectory& users, const UserEvent& event);

  // A copy of a user as the directory holds it now (nullopt if unknown), read under this
  // manager's lock so that it is consistent while ApplyUserEvent changes users.
  std::optional<User> FindUser(std::string_view name) const;
  std::vector<User> AllUsers() const;  // sorted by name
  // A copy of the directory, e.g. to check an event before it is journaled.
  UserDirectory DirectoryCopy() const;

  // Sessions held now, expired ones not yet removed included.
  size_t SessionCount() const;
  // Removes expired sessions and stale failure counts (Login also does it once a minute).
  void PruneExpired();

 private:
  struct Attempts {
    int failures = 0;              // failed log-ons since first_failure_us
    int64_t first_failure_us = 0;
    int64_t locked_until_us = 0;   // 0: not locked
    int in_flight = 0;             // log-ons between their first and second critical section
  };

  bool Expired(const Session& session, int64_t now) const;
  // Forgets failures whose window or lockout has passed.
  void RefreshAttempts(Attempts& attempts, int64_t now) const;
  // The entry for `name`, created if the name may be tracked; nullptr otherwise.
  Attempts* TrackAttempts(const std::string& name, int64_t now);
  void RecordFailure(const std::string& name, int64_t now);
  void PruneLocked(int64_t now);
  size_t RevokeUserLocked(std::string_view user);
  Status LockedStatus(int64_t until_us) const;
  // The costs of the hash an unknown user's password is checked against: those of a user's hash.
  PasswordCost ReferenceCostLocked() const;
  // A hash of a random password at `cost` (made once per cost). *made is set when this call
  // had to make it -- which took as long as a verification.
  std::string DummyHash(const PasswordCost& cost, bool* made);

  const UserDirectory& users_;
  Clock& clock_;
  const SessionPolicy policy_;

  mutable std::mutex mu_;
  std::map<std::string, Session, std::less<>> sessions_;  // by HashToken(token)
  std::map<std::string, Attempts, std::less<>> attempts_;  // by log-on name
  std::map<std::string, int64_t, std::less<>> totp_last_step_;  // by user name
  int64_t last_prune_us_ = 0;

  std::mutex dummy_mu_;
  std::map<std::pair<uint64_t, uint64_t>, std::string> dummy_hashes_;  // by (ops, memory)
};

}  // namespace ura::access
