#include "service/resolution.h"

#include "model/canonical_persons.h"
#include "resolve/incremental.h"

namespace ura::service {

Result<IncrementalOutcome> ResolveIngested(journal::Journal& journal, index::Index& index,
                                           const std::vector<std::string>& ids, audit::Record record, int64_t now_us,
                                           size_t max_records, std::mutex* index_mu) {
  IncrementalOutcome out;
  std::unique_lock<std::mutex> lock;
  if (index_mu != nullptr) lock = std::unique_lock(*index_mu);
  URA_ASSIGN_OR_RETURN(std::optional<resolve::IncrementalModel> model, resolve::LoadIncrementalModel(index));
  if (!model) {
    out.no_run = true;
    out.skipped = "no resolution run yet (`ura resolve`)";
    return out;
  }
  if (ids.size() > max_records) {
    out.skipped = std::to_string(ids.size()) + " records written: more than " + std::to_string(max_records) +
                  " are matched faster by a full run (`ura resolve`)";
    return out;
  }
  URA_ASSIGN_OR_RETURN(resolve::IncrementalReport report,
                       resolve::MatchNewRecords(index, model::SchemaRegistry::Builtin(), ids, *model, now_us));
  out.ran = true;
  out.records = report.records;
  out.compared = report.candidates;
  out.joined = report.joined;
  out.persons_changed = report.update.persons.size();
  if (report.update.persons.empty()) return out;
  const std::string payload = model::EncodeUpdate(report.update);
  record.action = "resolve-incremental";
  record.objects_total = report.joined;
  record.detail = std::to_string(report.joined) + " of " + std::to_string(report.records) +
                  " new Person records joined persons of " + model->run_id;
  for (const model::CanonicalPerson& p : report.update.persons) record.AddObject(p.id);
  const std::string audit_payload = audit::EncodeRecord(record);
  const journal::EntryInput entries[] = {{model::kEntryTypeResolutionUpdate, AsBytes(payload)},
                                         {audit::kEntryTypeAudit, AsBytes(audit_payload)}};
  URA_ASSIGN_OR_RETURN(journal::AppendResult r, journal.Append(entries));
  const uint64_t applied_size = r.first_sequence + r.count;
  const ByteView root = r.head.tree_size == applied_size ? ByteView(r.head.root) : ByteView();
  Status indexed = index.Apply({}, {{r.first_sequence, nullptr, &report.update}}, applied_size, root);
  if (!indexed.ok()) {
    return indexed.WithContext("the journal holds the resolution update, but updating the index failed (it catches "
                               "up on the next open)");
  }
  return out;
}

}  // namespace ura::service
