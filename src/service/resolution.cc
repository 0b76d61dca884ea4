#include "service/resolution.h"

#include <algorithm>
#include <set>

#include "model/canonical_persons.h"
#include "service/consult.h"
#include "resolve/incremental.h"

namespace ura::service {

Result<IncrementalOutcome> ResolveIngested(journal::Journal& journal, index::Index& index, const WrittenIds& written,
                                           audit::Record record, int64_t now_us, std::mutex* index_mu) {
  IncrementalOutcome out;
  std::unique_lock<std::mutex> lock;
  if (index_mu != nullptr) lock = std::unique_lock(*index_mu);
  URA_ASSIGN_OR_RETURN(std::optional<resolve::IncrementalModel> model, resolve::LoadIncrementalModel(index));
  if (!model) {
    out.no_run = true;
    out.skipped = "no resolution run yet (`ura resolve`)";
    return out;
  }
  if (written.total > kMaxMatchedAtIngest || written.ids.size() < written.total) {
    out.skipped = std::to_string(written.total) + " records written: more than " + std::to_string(kMaxMatchedAtIngest) +
                  " are matched faster by a full run (`ura resolve`)";
    return out;
  }
  URA_ASSIGN_OR_RETURN(resolve::IncrementalReport report,
                       resolve::MatchNewRecords(index, written.ids, *model, now_us));
  out.ran = true;
  out.records = report.records;
  out.compared = report.candidates;
  out.joined = report.joined;
  out.bridged = report.bridged;
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

Result<ReviewAnswer> Review(index::Index& index, const access::Principal& who, size_t limit,
                            const resolve::ResolveOptions& options) {
  URA_RETURN_IF_ERROR(access::Require(who, access::Action::kResolve));
  URA_ASSIGN_OR_RETURN(std::vector<resolve::PersonRecord> records, resolve::LoadPersons(index));
  std::vector<resolve::Judgement> judgements;
  std::set<std::pair<std::string, std::string>> judged;
  URA_RETURN_IF_ERROR(index.ForEachJudgement([&](const resolve::Judgement& j) {
    judgements.push_back(j);
    judged.emplace(j.a, j.b);
    return Status::Ok();
  }));
  URA_ASSIGN_OR_RETURN(resolve::Resolution r, resolve::Resolve(records, judgements, options));
  std::vector<const resolve::ResolvedPair*> uncertain;
  for (const resolve::ResolvedPair& p : r.pairs) {
    const double probability = r.patterns[p.pattern].probability;
    if (probability < 0.05 || probability > 0.95) continue;
    const std::string& a = records[p.a].id;
    const std::string& b = records[p.b].id;
    if (judged.count({std::min(a, b), std::max(a, b)})) continue;
    uncertain.push_back(&p);
  }
  std::stable_sort(uncertain.begin(), uncertain.end(), [&](const auto* x, const auto* y) {
    return std::abs(r.patterns[x->pattern].probability - 0.5) < std::abs(r.patterns[y->pattern].probability - 0.5);
  });
  ReviewAnswer answer;
  answer.record.action = "resolve-review";
  for (const resolve::ResolvedPair* p : uncertain) {
    if (answer.pairs.size() == limit) break;
    URA_ASSIGN_OR_RETURN(bool a_visible, MaySeeEntity(index, who, records[p->a].id));
    if (!a_visible) continue;
    URA_ASSIGN_OR_RETURN(bool b_visible, MaySeeEntity(index, who, records[p->b].id));
    if (!b_visible) continue;
    const resolve::Pattern& pattern = r.patterns[p->pattern];
    answer.pairs.push_back({records[p->a], records[p->b], pattern.probability, pattern.weight,
                            pattern.vector.names_swapped, resolve::Explain(r.model, pattern.vector),
                            resolve::ExplanationText(r.model, pattern.vector)});
    answer.record.AddObject(records[p->a].id);
    answer.record.AddObject(records[p->b].id);
  }
  // Beyond those shown, only the custodian learns how many there are.
  answer.uncertain = who.custodian() ? uncertain.size() : answer.pairs.size();
  answer.record.detail = std::to_string(answer.uncertain) + " uncertain pairs, " +
                         std::to_string(answer.pairs.size()) + " shown";
  return answer;
}

namespace {

nlohmann::json RecordJson(const resolve::PersonRecord& r) {
  nlohmann::json dates = nlohmann::json::array();
  for (const resolve::PartialDate& d : r.birth_dates) {
    char text[32];  // room for any int year: no truncation to reason about
    if (d.day) {
      std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
    } else if (d.month) {
      std::snprintf(text, sizeof text, "%04d-%02d", d.year, d.month);
    } else {
      std::snprintf(text, sizeof text, "%04d", d.year);
    }
    dates.push_back(text);
  }
  return {{"id", r.id},           {"given", r.given},     {"family", r.family},         {"birth_dates", dates},
          {"identifiers", r.identifiers}, {"source", r.source}, {"record", r.record_key}};
}

}  // namespace

nlohmann::json ReviewJson(const ReviewAnswer& answer) {
  nlohmann::json pairs = nlohmann::json::array();
  for (const ReviewPair& p : answer.pairs) {
    nlohmann::json contributions = nlohmann::json::array();
    for (const resolve::Contribution& c : p.contributions) {
      contributions.push_back({{"field", resolve::FieldName(c.field)},
                               {"level", c.level == resolve::kMissing ? "missing" : resolve::LevelName(c.field, c.level)},
                               {"weight", c.weight}});
    }
    pairs.push_back({{"a", p.a.id},
                     {"b", p.b.id},
                     {"probability", p.probability},
                     {"weight", p.weight},
                     {"names_swapped", p.names_swapped},
                     {"contributions", contributions},
                     {"explanation", p.explanation},
                     {"records", {{"a", RecordJson(p.a)}, {"b", RecordJson(p.b)}}}});
  }
  return {{"uncertain", answer.uncertain}, {"pairs", pairs}};
}

Result<std::string> JudgementPayload(index::Index& index, const access::Principal& who, const std::string& a,
                                     const std::string& b, resolve::Decision decision, const std::string& reason,
                                     int64_t now_us, audit::Record& record) {
  URA_RETURN_IF_ERROR(access::Require(who, access::Action::kResolve));
  if (a == b) return InvalidArgument("a judgement needs two different record ids, not '" + a + "' twice");
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  // Both must be Person records the analyst may see: a typo must not leave a judgement about
  // nothing, and a hidden record is not there for them.
  for (const std::string& id : {a, b}) {
    URA_ASSIGN_OR_RETURN(std::optional<model::Entity> e, index.Get(id));
    if (e && !access::MaySee(who, e->marking)) e.reset();
    const model::Schema* schema = e ? registry.Find(e->schema) : nullptr;
    if (schema == nullptr || !schema->IsA("Person")) {
      return NotFound("no Person record with id '" + id + "' (find ids with `ura search` or `ura resolve review`)");
    }
  }
  record.action = "resolve-judge";
  record.AddObject(a);
  record.AddObject(b);
  record.detail = std::string(resolve::DecisionName(decision));
  return resolve::EncodeJudgement({a, b, decision, who.audit_name, reason, now_us});
}

}  // namespace ura::service
