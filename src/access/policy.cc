#include "access/policy.h"

#include <algorithm>

namespace ura::access {
namespace {

Decision Allow() { return Decision{true, ""}; }
Decision Deny(std::string reason) { return Decision{false, std::move(reason)}; }

bool RolePermits(Role role, Action action) {
  switch (action) {
    case Action::kConsult:
      return role == Role::kInvestigator || role == Role::kAnalyst || role == Role::kLiaison;
    case Action::kIngest:
      return role == Role::kAnalyst || role == Role::kService;
    case Action::kDisclose:
      return role == Role::kLiaison;
    case Action::kReadAudit:
      return role == Role::kAuditor;
    case Action::kAdministerUsers:
      return role == Role::kAdmin;
    case Action::kVerify:
      return role == Role::kAuditor || role == Role::kAdmin;
    case Action::kReadIntegrity:
      return true;
    case Action::kReadSealedFiles:
      return role == Role::kBackup;
    case Action::kResolve:
      return role == Role::kAnalyst;
    case Action::kReceive:
      return role == Role::kLiaison;
  }
  return false;
}

bool SharesCase(const User& user, const model::Marking& marking) {
  // Both sorted (Marking and User keep their cases normalised).
  auto u = user.cases.begin();
  auto m = marking.cases.begin();
  while (u != user.cases.end() && m != marking.cases.end()) {
    if (*u == *m) return true;
    if (*u < *m) ++u; else ++m;
  }
  return false;
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kConsult: return "consult";
    case Action::kIngest: return "ingest";
    case Action::kDisclose: return "disclose";
    case Action::kReadAudit: return "read the audit journal";
    case Action::kAdministerUsers: return "administer users";
    case Action::kVerify: return "verify";
    case Action::kReadIntegrity: return "read integrity status";
    case Action::kReadSealedFiles: return "read the journal's files for a backup";
    case Action::kResolve: return "run entity resolution";
    case Action::kReceive: return "receive from a partner force";
  }
  return "unknown";
}

Decision Permits(const User& user, Action action) {
  if (user.disabled) return Deny("the account is disabled");
  if (!RolePermits(user.role, action)) {
    return Deny("the role " + std::string(RoleName(user.role)) + " may not " + std::string(ActionName(action)));
  }
  return Allow();
}

Decision Permits(const Principal& who, Action action) {
  return who.custodian() ? Allow() : Permits(*who.user, action);
}

Status Require(const Principal& who, Action action) {
  Decision d = Permits(who, action);
  return d ? Status::Ok() : PermissionDenied(d.reason);
}

Decision MaySee(const Principal& who, const model::Marking& marking) {
  if (who.custodian()) return Allow();
  const User& user = *who.user;
  if (Decision d = Permits(user, Action::kConsult); !d) return d;
  if (static_cast<int>(user.clearance) < static_cast<int>(marking.classification)) {
    return Deny("clearance " + std::string(model::ClassificationName(user.clearance)) + " below the record's " +
                std::string(model::ClassificationName(marking.classification)));
  }
  const bool need_to_know = !marking.cases.empty() || marking.handling == model::HandlingCode::kH3;
  if (need_to_know && !SharesCase(user, marking)) {
    return Deny(marking.cases.empty() ? "H3 record with no case: need-to-know for no one"
                                      : "need-to-know: not assigned to the record's case");
  }
  return Allow();
}

Decision MayDisclose(const Principal& who, const model::Marking& marking) {
  if (Decision d = MaySee(who, marking); !d) return d;
  if (Decision d = Permits(who, Action::kDisclose); !d) return d;
  if (marking.handling == model::HandlingCode::kH2 || marking.handling == model::HandlingCode::kH3) {
    return Deny(std::string(model::HandlingCodeName(marking.handling)) +
                ": no onward dissemination without the originator's permission");
  }
  return Allow();
}

}  // namespace ura::access
