// Consultations of police data -- search, an entity's dossier, its history -- with the
// authorisation rules (access/policy.h) applied, for every front end: the HTTP API and the
// command line call these, never the search module directly, so both enforce the same rules.
//
// Each call returns what the principal may see and the audit record of the consultation
// (action, objects shown, outcome, the query). The caller fills in who/when/where/why, makes
// the record durable (audit::Append) and only then shows the answer.
//
// What a principal may not see is not there for them: a search leaves such records out (also
// among the same-name records folded into a result, and without counting them), a dossier
// leaves out links to them, a history leaves out versions whose marking hid them, and asking
// for one by id gives the same "not found" as an id that does not exist. Searches ask the
// index for a fixed multiple of the limit whoever asks, so the work done -- and the time it
// takes -- does not depend on how many hidden records matched. The audit record keeps the
// difference ("denied" against "not-found").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "audit/audit.h"
#include "index/index.h"
#include "journal/keys.h"
#include "search/dossier.h"
#include "search/search.h"

namespace ura::service {

// Whether the principal may see the entity with this id (false if it does not exist): the
// record-level rule (access::MaySee) on the entity's marking as the index holds it.
Result<bool> MaySeeEntity(index::Index& index, const access::Principal& who, const std::string& id);

// The audit record of a request the principal's role does not permit (outcome "denied").
audit::Record DeniedRecord(std::string action, const access::Decision& decision);

struct SearchAnswer {
  std::vector<search::SearchHit> hits;  // at most options.limit, visible records only
  audit::Record record;                 // action "search", the query, every id shown
};

// kPermissionDenied (with the reason) if the principal may not consult; kInvalidArgument for a
// bad query (search::Search's errors).
Result<SearchAnswer> Search(index::Index& index, const access::Principal& who, const std::string& query,
                            search::SearchOptions options);

struct ViewAnswer {
  std::optional<search::Dossier> dossier;  // nullopt: no such entity, or not for this principal
  audit::Record record;                    // action "view": the entity and every linked entity shown
};
Result<ViewAnswer> View(index::Index& index, const access::Principal& who, const std::string& id,
                        size_t link_limit = 200);

struct HistoryAnswer {
  std::optional<search::Dossier> dossier;  // as View
  std::vector<search::HistoricVersion> versions;  // the versions the principal may see, oldest first
  audit::Record record;                           // action "history"
};
Result<HistoryAnswer> History(index::Index& index, FileSystem& fs, const journal::StorePaths& paths,
                              const journal::Keyring& keyring, const access::Principal& who, const std::string& id);

}  // namespace ura::service
