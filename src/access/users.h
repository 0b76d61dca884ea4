// Ura's users: who may log on, with which role and up to which classification (clearance).
//
// Users are not a table that is edited: every change -- a user added, a password set, an
// account disabled or enabled, TOTP enrolled, a role or clearance changed, an API token issued
// -- is a UserEvent, written by the caller to the store's journal (entry type
// kEntryTypeUserEvent, payload EncodeUserEvent) and applied to a UserDirectory. Replaying the
// journal's user events in order rebuilds the directory, so who changed whom and when is part
// of the tamper-evident history. Password hashes and TOTP secrets travel in these events; the
// journal is encrypted, and a password itself is never written anywhere.
//
// Roles: investigator, analyst, liaison, auditor, admin for people; service (source-system
// feeds) and backup (a backup host pulling the sealed journal) for machine accounts, which have
// no password and log on only with API tokens. What each role may do is
// decided by the services that call this module.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "access/password.h"  // HashPassword, CheckPasswordQuality: how a User's password_hash is made
#include "base/bytes.h"
#include "base/status.h"
#include "model/entity.h"

namespace ura::access {

enum class Role { kInvestigator, kAnalyst, kLiaison, kAuditor, kAdmin, kService, kBackup };
std::string_view RoleName(Role role);  // "investigator" ... "service", "backup"
// Service and backup accounts are machines: no password and no second factor; they log on
// with API tokens only.
inline bool IsMachineAccount(Role role) { return role == Role::kService || role == Role::kBackup; }
// kInvalidArgument listing the valid names.
Result<Role> ParseRole(std::string_view name);

struct User {
  std::string name;
  Role role = Role::kInvestigator;
  model::Classification clearance = model::Classification::kRestricted;
  std::string password_hash;  // libsodium crypto_pwhash_str (Argon2id) string; empty for service accounts
  Bytes totp_secret;          // empty until enrolled
  bool disabled = false;
  int64_t created_us = 0;
  std::vector<std::string> api_token_hashes;  // hex SHA-256 of service-account API tokens
  // The cases the user is assigned to (need-to-know): they see records restricted to these
  // cases (model::Marking::cases). Sorted, without duplicates.
  std::vector<std::string> cases;
};

// User and role changes: journal entries of this type (payload: EncodeUserEvent).
inline constexpr uint32_t kEntryTypeUserEvent = 48;

struct UserEvent {
  enum class Kind { kAdd, kPassword, kDisable, kEnable, kTotp, kRole, kApiToken, kCases };
  Kind kind = Kind::kAdd;
  std::string user;   // the user changed
  std::string actor;  // who did it (e.g. "cli:root")
  int64_t time_us = 0;
  Role role = Role::kInvestigator;                                       // kAdd, kRole
  model::Classification clearance = model::Classification::kRestricted;  // kAdd, kRole
  std::string password_hash;  // kAdd (non-service), kPassword
  Bytes totp_secret;          // kTotp (empty: enrolment removed, e.g. a lost phone)
  std::string api_token_hash;  // kApiToken (hex SHA-256 of the token)
  std::vector<std::string> cases;  // kCases: the user's cases from now on (normalised, see model::NormaliseCases)
};

std::string_view UserEventKindName(UserEvent::Kind kind);  // "add", "password", ... "api-token", "cases"

// Canonical JSON: keys sorted, no white space, version "v":1, and only the fields of the
// event's kind (the others are not written, so they do not survive a round trip). The TOTP
// secret is hex.
std::string EncodeUserEvent(const UserEvent& event);
// kInvalidArgument naming the problem for anything EncodeUserEvent would not write (missing,
// extra or mistyped fields, unknown kind/role/clearance, non-canonical form).
Result<UserEvent> DecodeUserEvent(std::string_view json);

// The users as the events say, in order.
//
// Apply validates the event against the directory and changes nothing if it fails:
//   kInvalidArgument    a bad user name (kAdd), no actor, a password hash that is not Argon2id,
//                       a password for a service account or none for a person, a TOTP secret
//                       shorter than 16 or longer than 64 bytes, an API token hash that is not
//                       64 lower-case hex digits
//   kAlreadyExists      kAdd of an existing user; an API token hash the user already has
//   kNotFound           any other kind for an unknown user
//   kFailedPrecondition kPassword or kTotp for a service account, kApiToken for a person, kRole
//                       turning a person into a service account or back
// Disable and enable are idempotent. A disabled user keeps everything else.
//
// A plain value: copyable, not thread-safe (while a SessionManager reads it, change it only
// through SessionManager::ApplyUserEvent).
class UserDirectory {
 public:
  Status Apply(const UserEvent& event);

  const User* Find(std::string_view name) const;  // nullptr if unknown
  std::vector<const User*> All() const;           // sorted by name
  size_t size() const { return users_.size(); }

  // The service account holding the API token with this hex SHA-256, or nullptr.
  const User* FindByApiTokenHash(std::string_view token_hash) const;

 private:
  std::map<std::string, User, std::less<>> users_;
  std::map<std::string, std::string, std::less<>> api_token_owner_;  // token hash -> user name
};

// OK for 2-64 characters of [a-z0-9._-] starting with a letter; kInvalidArgument stating
// that rule otherwise.
Status CheckUserName(std::string_view name);

}  // namespace ura::access
