#include "service/user_admin.h"

namespace ura::service {

Status JournalUserEvent(journal::Journal& journal, access::UserDirectory directory_copy, const access::UserEvent& event,
                        audit::Record record) {
  URA_RETURN_IF_ERROR(directory_copy.Apply(event));
  record.time_us = event.time_us;
  record.user = event.actor;
  const std::string payload = access::EncodeUserEvent(event);
  const std::string audit_payload = audit::EncodeRecord(record);
  std::vector<journal::EntryInput> entries = {{access::kEntryTypeUserEvent, AsBytes(payload)},
                                              {audit::kEntryTypeAudit, AsBytes(audit_payload)}};
  return journal.Append(entries).status();
}

}  // namespace ura::service
