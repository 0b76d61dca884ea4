// Who may do what: the authorisation rules of Ura, in one place, for every front end (HTTP
// API, command line, later the exchange). Pure decisions, no I/O: callers ask before they act
// and record the decision in the audit journal.
//
// Two levels:
// - Permits(user, action): may the user's role do this kind of thing at all? A disabled user
//   may do nothing. Administrators administer users but do not read police data; auditors read
//   the audit journal and nothing else; service accounts (source-system feeds) load data but
//   do not read it back; backup accounts read the journal's encrypted files and nothing else.
// - MaySee / MayDisclose(principal, marking): may this principal see (or send to a partner
//   force) this record? Clearance must reach the record's classification; a record restricted
//   to cases (need-to-know, Marking::cases) is seen only by users assigned to one of them; an
//   H3 record ("other restrictions" set by its originator) is always need-to-know: without a
//   case in common nobody sees it. Disclosure also needs the liaison role and a handling code
//   that allows onward dissemination (H0, H1); H2 and H3 need the originator's permission,
//   which Ura does not grant on its own.
//
// A Principal is a user, or the store's custodian: the operating-system account holding the
// store's key on the command line of a store that has no users yet. The custodian can decrypt
// the journal anyway, so the rules cannot bind it; its consultations are still audited, and
// once a store has users the command line consults as one of them (--user).
#pragma once

#include <string>
#include <string_view>

#include "access/users.h"
#include "model/entity.h"

namespace ura::access {

enum class Action {
  kConsult,          // search, view an entity, its history
  kIngest,           // load a source file
  kDisclose,         // export to a partner force
  kReadAudit,        // read the audit journal
  kAdministerUsers,  // add, disable, enable users; roles, cases, passwords, second factors
  kVerify,           // start a verification of the journal
  kReadIntegrity,    // the signed tree head and the last verification's result
  kReadSealedFiles,  // read the journal's encrypted files for a pull backup (no plaintext)
  kResolve,          // run entity resolution, review its uncertain pairs, record judgements
  kReceive,          // import a partner force's package, run a partner's hit/no-hit filter
};
std::string_view ActionName(Action action);  // "consult", "ingest", ...

struct Decision {
  bool allowed = false;
  std::string reason;  // why not, in words fit for the user and the audit record
  explicit operator bool() const { return allowed; }
};

struct Principal {
  std::string audit_name;      // "alice", or "cli:root" for the custodian
  const User* user = nullptr;  // nullptr: the custodian
  bool custodian() const { return user == nullptr; }
};

// Role level. The custodian is permitted everything on the command line.
Decision Permits(const Principal& who, Action action);
Decision Permits(const User& user, Action action);
// As Permits, as a Status for callers that return one: OK, or kPermissionDenied with the reason.
Status Require(const Principal& who, Action action);

// Record level (includes Permits(kConsult)).
Decision MaySee(const Principal& who, const model::Marking& marking);
// Includes MaySee and Permits(kDisclose).
Decision MayDisclose(const Principal& who, const model::Marking& marking);

}  // namespace ura::access
