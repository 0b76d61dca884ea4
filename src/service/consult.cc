#include "service/consult.h"

namespace ura::service {
namespace {

// Searches fetch this many times the limit before filtering, whoever asks.
constexpr size_t kOverFetch = 3;

Status CheckConsult(const access::Principal& who) { return access::Require(who, access::Action::kConsult); }

// The dossier of `id` as the principal may see it, and the record listing what it shows.
Result<std::optional<search::Dossier>> VisibleDossier(index::Index& index, const access::Principal& who,
                                                      const std::string& id, size_t link_limit, audit::Record& record) {
  URA_RETURN_IF_ERROR(CheckConsult(who));
  record.AddObject(id);
  URA_ASSIGN_OR_RETURN(std::optional<search::Dossier> dossier, search::BuildDossier(index, id, link_limit));
  if (!dossier) {
    record.outcome = "not-found";
    return dossier;
  }
  if (access::Decision d = access::MaySee(who, dossier->entity.marking); !d) {
    record.outcome = "denied";
    record.detail = d.reason;
    return std::optional<search::Dossier>();
  }
  std::vector<search::DossierLink> shown;
  for (search::DossierLink& l : dossier->links) {
    // The markings came with the link: no second read of each linked entity.
    const bool via_visible = l.via_id == id || access::MaySee(who, l.via_marking).allowed;
    // A reference to an entity not in the store is shown to the custodian only: to a user it
    // would look different from one to a hidden entity, which is dropped.
    const bool other_visible = l.other_id.empty() || who.custodian() ||
                               (l.other_found && access::MaySee(who, l.other_marking).allowed);
    if (!via_visible || !other_visible) continue;
    if (l.via_id != id) record.AddObject(l.via_id);
    if (!l.other_id.empty()) record.AddObject(l.other_id);
    shown.push_back(std::move(l));
  }
  dossier->links = std::move(shown);
  // The person's other records the principal may see; the others are not there for them.
  std::vector<search::PersonRecord> records;
  for (search::PersonRecord& r : dossier->person_records) {
    if (!who.custodian() && !access::MaySee(who, r.marking).allowed) continue;
    record.AddObject(r.id);
    records.push_back(std::move(r));
  }
  dossier->person_records = std::move(records);
  return dossier;
}

}  // namespace

Result<bool> MaySeeEntity(index::Index& index, const access::Principal& who, const std::string& id) {
  if (who.custodian()) return true;
  URA_ASSIGN_OR_RETURN(std::optional<model::Marking> marking, index.MarkingOf(id));
  return marking.has_value() && access::MaySee(who, *marking).allowed;
}

audit::Record DeniedRecord(std::string action, const access::Decision& decision) {
  audit::Record record;
  record.action = std::move(action);
  record.outcome = "denied";
  record.detail = decision.reason;
  return record;
}

Result<SearchAnswer> Search(index::Index& index, const access::Principal& who, const std::string& query,
                            search::SearchOptions options) {
  URA_RETURN_IF_ERROR(CheckConsult(who));
  const size_t wanted = options.limit;
  options.limit = wanted * kOverFetch;
  URA_ASSIGN_OR_RETURN(std::vector<search::SearchHit> hits, search::Search(index, query, options));
  SearchAnswer answer;
  answer.record.action = "search";
  answer.record.detail = query;
  for (search::SearchHit& h : hits) {
    if (answer.hits.size() == wanted) break;
    // The result and the same-name records folded into it, as far as the principal may see
    // them; if the result itself is hidden, the first visible one of the others takes its
    // place (they share the schema and caption, so the match is the same).
    std::vector<std::string> visible;
    URA_ASSIGN_OR_RETURN(bool head, MaySeeEntity(index, who, h.id));
    if (head) visible.push_back(h.id);
    for (std::string& other : h.same_caption_ids) {
      URA_ASSIGN_OR_RETURN(bool v, MaySeeEntity(index, who, other));
      if (v) visible.push_back(std::move(other));
    }
    if (visible.empty()) continue;
    const bool all_visible = visible.size() == h.same_caption_ids.size() + 1;
    h.id = std::move(visible.front());
    h.same_caption_ids.assign(std::make_move_iterator(visible.begin() + 1), std::make_move_iterator(visible.end()));
    // Beyond the listed ids, only a principal who saw every listed one learns how many more.
    if (!all_visible || !who.custodian()) h.same_caption_count = h.same_caption_ids.size();
    URA_ASSIGN_OR_RETURN(std::optional<index::PersonGroup> person, index.PersonOf(h.id, 0));
    if (person) h.person_id = person->person_id;
    answer.record.AddObject(h.id);
    for (const std::string& other : h.same_caption_ids) answer.record.AddObject(other);
    answer.hits.push_back(std::move(h));
  }
  return answer;
}

Result<ViewAnswer> View(index::Index& index, const access::Principal& who, const std::string& id, size_t link_limit) {
  ViewAnswer answer;
  answer.record.action = "view";
  URA_ASSIGN_OR_RETURN(answer.dossier, VisibleDossier(index, who, id, link_limit, answer.record));
  return answer;
}

Result<HistoryAnswer> History(index::Index& index, FileSystem& fs, const journal::StorePaths& paths,
                              const journal::Keyring& keyring, const access::Principal& who, const std::string& id) {
  HistoryAnswer answer;
  answer.record.action = "history";
  URA_ASSIGN_OR_RETURN(answer.dossier, VisibleDossier(index, who, id, 200, answer.record));
  if (!answer.dossier) return answer;
  URA_ASSIGN_OR_RETURN(std::vector<search::HistoricVersion> versions, search::History(index, fs, paths, keyring, id));
  for (search::HistoricVersion& v : versions) {
    // An earlier version may have been marked more strictly than the current one.
    if (access::MaySee(who, v.entity.marking)) answer.versions.push_back(std::move(v));
  }
  return answer;
}

}  // namespace ura::service
