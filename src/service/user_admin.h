// Changing users, for every front end (`ura user ...`, the API's /users): the change is
// checked against a copy of the directory first -- exactly as replaying the journal will
// check it -- and then written with its audit record in one journal commit. The caller then
// applies it to the directory it serves from; nothing is applied that is not durable.
#pragma once

#include "access/users.h"
#include "audit/audit.h"
#include "journal/journal.h"

namespace ura::service {

// `record` gets the event's actor and time. Errors: UserDirectory::Apply's, or the journal's.
Status JournalUserEvent(journal::Journal& journal, access::UserDirectory directory_copy, const access::UserEvent& event,
                        audit::Record record);

}  // namespace ura::service
