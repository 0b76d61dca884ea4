// `ura user add|passwd|disable|enable|list|totp|token`: the users of the server (issue 5).
// Every change is a journal entry (type 48, access::UserEvent) and an audit record; the user
// list is the journal's events replayed. Passwords come from --password-file,
// $URA_USER_PASSWORD or a terminal prompt, never an argument, and are stored as Argon2id hashes.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>

#include "access/users.h"
#include "access/password.h"
#include "access/totp.h"
#include "cli/cli.h"
#include "cli/store_session.h"
#include "crypto/sha256.h"
#include "journal/journal.h"
#include "journal/journal_reader.h"
#include "audit/audit.h"
#include "service/user_admin.h"

namespace ura::cli {

namespace {

struct UserFlags {
  std::string name;
  std::string role = "investigator";
  std::string clearance = "restricted";
  std::string password_file;
};

// The store opened for an administrative change, with its users.
struct Admin {
  std::unique_ptr<journal::Journal> journal;
  access::UserDirectory users;
};

Result<Admin> OpenAdmin(Context& ctx) {
  URA_ASSIGN_OR_RETURN(journal::KeySecret secret, ObtainSecret(ctx));
  journal::JournalOptions options;
  options.fs = ctx.fs;
  options.clock = ctx.clock;
  Admin admin;
  URA_ASSIGN_OR_RETURN(admin.journal, journal::Journal::OpenForWrite(ctx.DataDir(), secret, options));
  URA_ASSIGN_OR_RETURN(admin.users, LoadUsers(*ctx.fs, ctx.paths(), admin.journal->keyring()));
  return admin;
}

// Checks `event` like replay will, writes it and its audit record in one commit, and applies it.
Status Commit(Context& ctx, Admin& admin, access::UserEvent event, const std::string& action, const std::string& detail) {
  event.actor = CliUser();
  event.time_us = ctx.clock->NowMicros();
  audit::Record record;
  record.client = "local";
  record.action = action;
  record.justification = ctx.reason.empty() ? "user administration" : ctx.reason;
  record.detail = detail;
  URA_RETURN_IF_ERROR(service::JournalUserEvent(*admin.journal, admin.users, event, record));
  return admin.users.Apply(event);
}

Result<std::string> NewPasswordHash(Context& ctx, const UserFlags& flags) {
  URA_ASSIGN_OR_RETURN(std::string password, ObtainUserPassword(ctx, flags.password_file, flags.name));
  Status quality = access::CheckPasswordQuality(password, flags.name);
  if (!quality.ok()) {
    std::fill(password.begin(), password.end(), '\0');
    return quality;
  }
  auto hash = access::HashPassword(password);
  std::fill(password.begin(), password.end(), '\0');
  return hash;
}

// A service account's API token: 32 random bytes, hex; only its SHA-256 is stored.
std::string NewApiToken() { return "ura_" + HexEncode(crypto::RandomBytes(32)); }

int Add(Context& ctx, const UserFlags& flags) {
  if (Status s = access::CheckUserName(flags.name); !s.ok()) return ReportError(ctx, s);
  auto role = access::ParseRole(flags.role);
  if (!role.ok()) return ReportError(ctx, role.status());
  auto clearance = model::ParseClassification(flags.clearance);
  if (!clearance.ok()) return ReportError(ctx, clearance.status());
  std::string hash;
  if (!access::IsMachineAccount(*role)) {
    auto h = NewPasswordHash(ctx, flags);
    if (!h.ok()) return ReportError(ctx, h.status());
    hash = *h;
  }
  auto admin = OpenAdmin(ctx);
  if (!admin.ok()) return ReportError(ctx, admin.status());
  access::UserEvent event;
  event.kind = access::UserEvent::Kind::kAdd;
  event.user = flags.name;
  event.role = *role;
  event.clearance = *clearance;
  event.password_hash = hash;
  const std::string detail = "user " + flags.name + ", role " + std::string(access::RoleName(*role)) + ", clearance " +
                             std::string(model::ClassificationName(*clearance));
  if (Status s = Commit(ctx, *admin, event, "user-add", detail); !s.ok()) return ReportError(ctx, s);
  *ctx.out << "added " << detail << "\n";
  if (access::IsMachineAccount(*role)) {
    const std::string token = NewApiToken();
    access::UserEvent grant;
    grant.kind = access::UserEvent::Kind::kApiToken;
    grant.user = flags.name;
    grant.api_token_hash = HexEncode(crypto::Sha256(AsBytes(token)));
    if (Status s = Commit(ctx, *admin, grant, "user-api-token", "user " + flags.name); !s.ok()) return ReportError(ctx, s);
    *ctx.out << "API token (shown once; store it where the service reads it): " << token << "\n";
  } else {
    *ctx.out << "enrol the second factor with `ura user totp " << flags.name << "`\n";
  }
  return kExitOk;
}

int Change(Context& ctx, const UserFlags& flags, access::UserEvent::Kind kind, const std::string& action) {
  access::UserEvent event;
  event.kind = kind;
  event.user = flags.name;
  if (kind == access::UserEvent::Kind::kPassword) {
    auto h = NewPasswordHash(ctx, flags);
    if (!h.ok()) return ReportError(ctx, h.status());
    event.password_hash = *h;
  }
  auto admin = OpenAdmin(ctx);
  if (!admin.ok()) return ReportError(ctx, admin.status());
  if (admin->users.Find(flags.name) == nullptr) {
    return ReportError(ctx, NotFound("no user '" + flags.name + "' (see `ura user list`)"));
  }
  if (kind == access::UserEvent::Kind::kTotp) event.totp_secret = access::NewTotpSecret();
  if (Status s = Commit(ctx, *admin, event, action, "user " + flags.name); !s.ok()) return ReportError(ctx, s);
  if (kind == access::UserEvent::Kind::kTotp) {
    *ctx.out << "add this to the authenticator app (it is the second factor: show it only to " << flags.name
             << "):\n" << access::TotpUri("Ura", flags.name, event.totp_secret) << "\n";
  } else {
    *ctx.out << action << ": " << flags.name << "\n";
  }
  return kExitOk;
}

// Sets the cases a user is assigned to (need-to-know); no case withdraws every assignment.
int Cases(Context& ctx, const std::string& name, const std::vector<std::string>& cases) {
  auto normalised = model::NormaliseCases(cases);
  if (!normalised.ok()) return ReportError(ctx, normalised.status());
  auto admin = OpenAdmin(ctx);
  if (!admin.ok()) return ReportError(ctx, admin.status());
  if (admin->users.Find(name) == nullptr) return ReportError(ctx, NotFound("no user '" + name + "' (see `ura user list`)"));
  access::UserEvent event;
  event.kind = access::UserEvent::Kind::kCases;
  event.user = name;
  event.cases = *normalised;
  std::string list;
  for (const std::string& c : event.cases) list += (list.empty() ? "" : ", ") + c;
  if (Status s = Commit(ctx, *admin, event, "user-cases", "user " + name + ", cases: " + list); !s.ok()) {
    return ReportError(ctx, s);
  }
  *ctx.out << name << (list.empty() ? " is assigned to no case\n" : " is assigned to " + list + "\n");
  return kExitOk;
}

int List(Context& ctx) {
  auto admin = OpenAdmin(ctx);
  if (!admin.ok()) return ReportError(ctx, admin.status());
  std::ostream& out = *ctx.out;
  nlohmann::json all = nlohmann::json::array();
  for (const access::User* u : admin->users.All()) {
    if (ctx.json) {
      all.push_back({{"name", u->name},
                     {"role", access::RoleName(u->role)},
                     {"clearance", model::ClassificationName(u->clearance)},
                     {"mfa", !u->totp_secret.empty()},
                     {"disabled", u->disabled},
                     {"cases", u->cases},
                     {"created", FormatRfc3339(u->created_us)}});
      continue;
    }
    out << std::left << std::setw(20) << u->name << std::setw(14) << access::RoleName(u->role) << std::setw(14)
        << model::ClassificationName(u->clearance) << (u->totp_secret.empty() && !access::IsMachineAccount(u->role)
                                                           ? "no second factor   "
                                                           : "                   ")
        << (u->disabled ? "DISABLED" : "") << "\n";
  }
  if (ctx.json) out << all.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void RegisterUserCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* user = app.add_subcommand("user", "Manage the users of the server (every change is journaled and audited)");
  user->require_subcommand(1);
  auto flags = std::make_shared<UserFlags>();
  auto* add = user->add_subcommand("add", "Add a user (password from --password-file, $URA_USER_PASSWORD or a prompt)");
  add->add_option("NAME", flags->name, "User name: 2-64 of a-z 0-9 . _ -")->required();
  add->add_option("--role", flags->role, "investigator, analyst, liaison, auditor, admin or service")->required();
  add->add_option("--clearance", flags->clearance, "unclassified, restricted (default), confidential or secret");
  add->add_option("--password-file", flags->password_file, "File holding the new password");
  add->callback([&ctx, &exit_code, flags] { exit_code = Add(ctx, *flags); });

  struct Simple {
    const char* name;
    const char* help;
    access::UserEvent::Kind kind;
    const char* action;
  };
  for (const Simple& s : {Simple{"passwd", "Set a user's password", access::UserEvent::Kind::kPassword, "user-password"},
                          Simple{"disable", "Disable a user (their sessions end)", access::UserEvent::Kind::kDisable,
                                 "user-disable"},
                          Simple{"enable", "Enable a disabled user", access::UserEvent::Kind::kEnable, "user-enable"},
                          Simple{"totp", "Enrol (or replace) a user's TOTP second factor; prints the otpauth URI",
                                 access::UserEvent::Kind::kTotp, "user-totp"}}) {
    auto* cmd = user->add_subcommand(s.name, s.help);
    auto f = std::make_shared<UserFlags>();
    cmd->add_option("NAME", f->name, "User name")->required();
    if (s.kind == access::UserEvent::Kind::kPassword) cmd->add_option("--password-file", f->password_file, "File holding the new password");
    const auto kind = s.kind;
    const std::string action = s.action;
    cmd->callback([&ctx, &exit_code, f, kind, action] { exit_code = Change(ctx, *f, kind, action); });
  }
  auto cases_name = std::make_shared<std::string>();
  auto cases = std::make_shared<std::vector<std::string>>();
  auto* cases_cmd = user->add_subcommand(
      "cases", "Set the cases a user is assigned to: they see records restricted to them (none: withdraw all)");
  cases_cmd->add_option("NAME", *cases_name, "User name")->required();
  cases_cmd->add_option("CASE", *cases, "Case numbers");
  cases_cmd->callback([&ctx, &exit_code, cases_name, cases] { exit_code = Cases(ctx, *cases_name, *cases); });
  auto* list = user->add_subcommand("list", "List the users, their roles, clearance and second factor");
  list->callback([&ctx, &exit_code] { exit_code = List(ctx); });
}

}  // namespace ura::cli
