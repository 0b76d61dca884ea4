#include "access/users.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "access/password.h"

namespace ura::access {
namespace {

using nlohmann::json;

constexpr std::string_view kRoleNames[] = {"investigator", "analyst", "liaison", "auditor", "admin", "service",
                                            "backup"};
constexpr std::string_view kKindNames[] = {"add", "password", "disable", "enable", "totp", "role", "api-token", "cases"};
constexpr size_t kMinTotpSecretBytes = 16;  // RFC 4226 §4: at least 128 bits
constexpr size_t kMaxTotpSecretBytes = 64;

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool HasPassword(UserEvent::Kind kind, Role role) {
  return kind == UserEvent::Kind::kPassword || (kind == UserEvent::Kind::kAdd && !IsMachineAccount(role));
}

bool ValidClearance(model::Classification c) { return static_cast<int>(c) <= static_cast<int>(model::Classification::kSecret); }

Status Invalid(std::string_view what) { return InvalidArgument("user event: " + std::string(what)); }

}  // namespace

std::string_view RoleName(Role role) {
  const auto index = static_cast<size_t>(role);
  return index < std::size(kRoleNames) ? kRoleNames[index] : std::string_view("unknown");
}

Result<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < std::size(kRoleNames); ++i) {
    if (name == kRoleNames[i]) return static_cast<Role>(i);
  }
  return InvalidArgument("role '" + std::string(name) +
                         "' is not one of investigator, analyst, liaison, auditor, admin, service, backup");
}

std::string_view UserEventKindName(UserEvent::Kind kind) {
  const auto index = static_cast<size_t>(kind);
  return index < std::size(kKindNames) ? kKindNames[index] : std::string_view("unknown");
}

Status CheckUserName(std::string_view name) {
  bool ok = name.size() >= 2 && name.size() <= 64 && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) ok = false;
  }
  if (ok) return Status::Ok();
  return InvalidArgument(
      "a user name is 2 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter (e.g. 'j.smith')");
}

std::string EncodeUserEvent(const UserEvent& e) {
  // nlohmann's object keeps keys sorted: the same event always gives the same bytes.
  json j = {{"actor", e.actor},
            {"kind", UserEventKindName(e.kind)},
            {"time_us", e.time_us},
            {"user", e.user},
            {"v", 1}};
  switch (e.kind) {
    case UserEvent::Kind::kAdd:
    case UserEvent::Kind::kRole:
      j["role"] = RoleName(e.role);
      j["clearance"] = model::ClassificationName(e.clearance);
      break;
    case UserEvent::Kind::kTotp:
      j["totp_secret"] = HexEncode(e.totp_secret);
      break;
    case UserEvent::Kind::kApiToken:
      j["api_token_hash"] = e.api_token_hash;
      break;
    case UserEvent::Kind::kCases:
      j["cases"] = e.cases;
      break;
    case UserEvent::Kind::kPassword:
    case UserEvent::Kind::kDisable:
    case UserEvent::Kind::kEnable:
      break;
  }
  if (HasPassword(e.kind, e.role)) j["password_hash"] = e.password_hash;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<UserEvent> DecodeUserEvent(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Invalid("not a JSON object");
  auto version = j.find("v");
  if (version == j.end() || !version->is_number_unsigned() || version->get<uint64_t>() != 1) {
    return Invalid("unknown version");
  }
  auto text_field = [&](const char* key, std::string& out) -> Status {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return Invalid(std::string("'") + key + "' missing or not a string");
    out = it->get<std::string>();
    return Status::Ok();
  };
  UserEvent e;
  std::string kind;
  URA_RETURN_IF_ERROR(text_field("kind", kind));
  const auto* kind_it = std::find(std::begin(kKindNames), std::end(kKindNames), kind);
  if (kind_it == std::end(kKindNames)) return Invalid("unknown kind '" + kind + "'");
  e.kind = static_cast<UserEvent::Kind>(kind_it - std::begin(kKindNames));
  URA_RETURN_IF_ERROR(text_field("user", e.user));
  URA_RETURN_IF_ERROR(text_field("actor", e.actor));
  auto time = j.find("time_us");
  if (time == j.end() || !time->is_number_integer()) return Invalid("'time_us' missing or not an integer");
  if (time->is_number_unsigned() && time->get<uint64_t>() > uint64_t(INT64_MAX)) return Invalid("'time_us' out of range");
  e.time_us = time->get<int64_t>();
  size_t expected_keys = 5;
  if (e.kind == UserEvent::Kind::kAdd || e.kind == UserEvent::Kind::kRole) {
    std::string role, clearance;
    URA_RETURN_IF_ERROR(text_field("role", role));
    URA_RETURN_IF_ERROR(text_field("clearance", clearance));
    auto parsed_role = ParseRole(role);
    if (!parsed_role.ok()) return Invalid(parsed_role.status().message());
    auto parsed_clearance = model::ParseClassification(clearance);
    if (!parsed_clearance.ok()) return Invalid(parsed_clearance.status().message());
    e.role = *parsed_role;
    e.clearance = *parsed_clearance;
    expected_keys += 2;
  }
  if (HasPassword(e.kind, e.role)) {
    URA_RETURN_IF_ERROR(text_field("password_hash", e.password_hash));
    ++expected_keys;
  }
  if (e.kind == UserEvent::Kind::kTotp) {
    std::string hex;
    URA_RETURN_IF_ERROR(text_field("totp_secret", hex));
    auto secret = HexDecode(hex);
    if (!secret.ok()) return Invalid("'totp_secret': " + secret.status().message());
    e.totp_secret = std::move(*secret);
    ++expected_keys;
  }
  if (e.kind == UserEvent::Kind::kApiToken) {
    URA_RETURN_IF_ERROR(text_field("api_token_hash", e.api_token_hash));
    ++expected_keys;
  }
  if (e.kind == UserEvent::Kind::kCases) {
    auto it = j.find("cases");
    if (it == j.end() || !it->is_array()) return Invalid("'cases' missing or not an array");
    for (const json& c : *it) {
      if (!c.is_string()) return Invalid("'cases' holds a value that is not a string");
      e.cases.push_back(c.get<std::string>());
    }
    ++expected_keys;
  }
  if (j.size() != expected_keys) return Invalid("fields that a '" + kind + "' event does not have");
  // Anything else Encode would not have written (upper-case hex, escapes, spaces, key order).
  if (EncodeUserEvent(e) != text) return Invalid("not in canonical form");
  return e;
}

Status UserDirectory::Apply(const UserEvent& e) {
  using Kind = UserEvent::Kind;
  if (e.actor.empty()) return Invalid("no actor (who made the change)");
  if (HasPassword(e.kind, e.role) && !IsPasswordHash(e.password_hash)) {
    return Invalid(e.password_hash.empty() ? "a password is required for '" + e.user + "'"
                                           : "the password hash is not an Argon2id string");
  }
  if (e.kind == Kind::kAdd) {
    URA_RETURN_IF_ERROR(CheckUserName(e.user));
    if (users_.count(e.user) != 0) return AlreadyExists("user '" + e.user + "' already exists");
    if (IsMachineAccount(e.role) && !e.password_hash.empty()) {
      return Invalid("a service account has no password (it logs on with API tokens)");
    }
    if (RoleName(e.role) == "unknown" || !ValidClearance(e.clearance)) return Invalid("unknown role or clearance");
    User user;
    user.name = e.user;
    user.role = e.role;
    user.clearance = e.clearance;
    user.password_hash = e.password_hash;
    user.created_us = e.time_us;
    users_.emplace(user.name, std::move(user));
    return Status::Ok();
  }
  auto it = users_.find(e.user);
  if (it == users_.end()) return NotFound("user '" + e.user + "' does not exist");
  User& user = it->second;
  switch (e.kind) {
    case Kind::kAdd:
      break;  // handled above
    case Kind::kPassword:
      if (IsMachineAccount(user.role)) {
        return FailedPrecondition("'" + e.user + "' is a service account: it has no password (it logs on with API tokens)");
      }
      user.password_hash = e.password_hash;
      break;
    case Kind::kDisable:
      user.disabled = true;
      break;
    case Kind::kEnable:
      user.disabled = false;
      break;
    case Kind::kTotp:
      if (IsMachineAccount(user.role)) {
        return FailedPrecondition("'" + e.user + "' is a service account: it logs on with API tokens, not TOTP");
      }
      if (!e.totp_secret.empty() &&
          (e.totp_secret.size() < kMinTotpSecretBytes || e.totp_secret.size() > kMaxTotpSecretBytes)) {
        return Invalid("a TOTP secret is 16 to 64 bytes");
      }
      user.totp_secret = e.totp_secret;
      break;
    case Kind::kRole:
      if (RoleName(e.role) == "unknown" || !ValidClearance(e.clearance)) return Invalid("unknown role or clearance");
      if (IsMachineAccount(e.role) != IsMachineAccount(user.role)) {
        return FailedPrecondition("'" + e.user + "' cannot become " +
                                  (IsMachineAccount(e.role) ? "a service account" : "a person's account") +
                                  ": add a new user instead");
      }
      user.role = e.role;
      user.clearance = e.clearance;
      break;
    case Kind::kApiToken:
      if (!IsMachineAccount(user.role)) {
        return FailedPrecondition("'" + e.user + "' is not a service account: only service accounts have API tokens");
      }
      if (e.api_token_hash.size() != 64 || !IsLowerHex(e.api_token_hash)) {
        return Invalid("an API token hash is 64 lower-case hex digits (SHA-256)");
      }
      if (api_token_owner_.count(e.api_token_hash) != 0) return AlreadyExists("this API token is already issued");
      user.api_token_hashes.push_back(e.api_token_hash);
      api_token_owner_.emplace(e.api_token_hash, user.name);
      break;
    case Kind::kCases: {
      auto cases = model::NormaliseCases(e.cases);
      if (!cases.ok()) return Invalid(cases.status().message());
      if (*cases != e.cases) return Invalid("case numbers must be trimmed, sorted and without duplicates");
      user.cases = std::move(cases).value();
      break;
    }
  }
  return Status::Ok();
}

const User* UserDirectory::Find(std::string_view name) const {
  auto it = users_.find(name);
  return it == users_.end() ? nullptr : &it->second;
}

std::vector<const User*> UserDirectory::All() const {
  std::vector<const User*> out;
  out.reserve(users_.size());
  for (const auto& [name, user] : users_) out.push_back(&user);
  return out;
}

const User* UserDirectory::FindByApiTokenHash(std::string_view token_hash) const {
  auto it = api_token_owner_.find(token_hash);
  return it == api_token_owner_.end() ? nullptr : Find(it->second);
}

}  // namespace ura::access
