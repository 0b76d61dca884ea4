// `ura resolve` (run or re-run entity resolution and store the canonical persons),
// `ura resolve review` (uncertain pairs with their explanations), `ura resolve judge A B
// same|different|withdrawn` (an analyst's decision) and `ura resolve evaluate --truth PATH`
// (pairwise and B-cubed scores against ground truth), `ura resolve persons` and `ura resolve
// person ID` (the latest run's canonical persons). The work is in src/resolve.
//
// Access (access/policy.h): running resolution, reviewing and judging pairs and evaluating
// need the role that resolves (analysts; the custodian without --as); persons and person are
// consultations. Everyone sees only the records their clearance and cases allow: review shows
// pairs of two visible records, persons and person only visible members, and a judgement
// about a record one may not see is refused as about a missing one.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "access/policy.h"
#include "cli/cli.h"
#include "cli/store_session.h"
#include "ingest/csv_reader.h"
#include "resolve/evaluate.h"
#include "resolve/incremental.h"
#include "resolve/resolver.h"
#include "service/consult.h"
#include "service/resolution.h"

namespace ura::cli {

namespace {

struct ResolveFlags {
  double threshold = 0.5;
  size_t max_block = 1000;
  size_t limit = 20;
  std::string truth;
  std::vector<std::string> judge_args;  // A B DECISION
};

double PeakMegabytes() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

// Whether the principal may see the record `id` (false if it is not in the store).
Result<bool> MaySee(StoreSession& session, Context& ctx, const access::Principal& who, const std::string& id) {
  bool visible = false;
  URA_RETURN_IF_ERROR(session.ReadIndex(ctx, [&](index::Index& idx) -> Status {
    URA_ASSIGN_OR_RETURN(visible, service::MaySeeEntity(idx, who, id));
    return Status::Ok();
  }));
  return visible;
}

// The members of a person the principal may see.
Result<std::vector<std::string>> VisibleMembers(StoreSession& session, Context& ctx, const access::Principal& who,
                                                const std::vector<std::string>& members) {
  std::vector<std::string> out;
  for (const std::string& m : members) {
    URA_ASSIGN_OR_RETURN(bool visible, MaySee(session, ctx, who, m));
    if (visible) out.push_back(m);
  }
  return out;
}

// Loads the Person records and the judgements in force, and resolves.
struct Loaded {
  std::vector<resolve::PersonRecord> records;
  std::vector<resolve::Judgement> judgements;
  resolve::Resolution resolution;
  double seconds_index = 0;  // reading the records and the judgements
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Result<Loaded> LoadAndResolve(Context& ctx, StoreSession& session, const ResolveFlags& flags) {
  Loaded loaded;
  auto start = std::chrono::steady_clock::now();
  URA_RETURN_IF_ERROR(session.ReadIndex(ctx, [&](index::Index& idx) -> Status {
    URA_ASSIGN_OR_RETURN(loaded.records, resolve::LoadPersons(idx));
    loaded.judgements.clear();
    return idx.ForEachJudgement([&](const resolve::Judgement& j) {
      loaded.judgements.push_back(j);
      return Status::Ok();
    });
  }));
  loaded.seconds_index = SecondsSince(start);
  resolve::ResolveOptions options;
  options.threshold = flags.threshold;
  options.max_block = flags.max_block;
  URA_ASSIGN_OR_RETURN(loaded.resolution, resolve::Resolve(loaded.records, loaded.judgements, options));
  return loaded;
}

int Run(Context& ctx, const ResolveFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  auto session = StoreSession::OpenForWrite(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  if (auto who = (*session)->Authorise(ctx, access::Action::kResolve, "resolve"); !who.ok()) {
    return ReportError(ctx, who.status());
  }
  Result<Loaded> loaded = LoadAndResolve(ctx, **session, flags);
  if (!loaded.ok()) return ReportError(ctx, loaded.status());
  const resolve::Resolution& r = loaded->resolution;

  resolve::RunSummary run;
  run.time_us = ctx.clock->NowMicros();
  run.run_id = "run-" + std::to_string(run.time_us);
  {
    // What incremental matching needs besides the model: the run, its threshold and block limit.
    nlohmann::json stats = nlohmann::json::parse(resolve::StatsJson(r));
    stats["run"] = run.run_id;
    stats["threshold"] = flags.threshold;
    stats["max_block"] = flags.max_block;
    run.stats_json = stats.dump();
  }
  run.persons = resolve::CanonicalPersons(loaded->records, r);
  audit::Record record;
  record.action = "resolve";
  record.objects_total = loaded->records.size();
  record.detail = run.run_id + ": " + std::to_string(run.persons.size()) + " persons of several records";
  // The run and the audit record of who made it in one commit.
  const std::vector<std::string> chunks = resolve::EncodeRun(run);
  std::vector<journal::EntryInput> entries;
  for (const std::string& c : chunks) entries.push_back({resolve::kEntryTypeRun, AsBytes(c)});
  auto appended = (*session)->AuditWith(ctx, record, std::move(entries));
  if (!appended.ok()) return ReportError(ctx, appended.status().WithContext("storing the resolution run"));
  const double seconds = SecondsSince(start);

  std::ostream& out = *ctx.out;
  if (ctx.json) {
    nlohmann::json j = nlohmann::json::parse(run.stats_json);
    j["run"] = run.run_id;
    j["seconds"]["total"] = seconds;
    j["seconds"]["reading_index"] = loaded->seconds_index;
    j["peak_memory_mb"] = PeakMegabytes();
    out << j.dump(2) << "\n";
    return kExitOk;
  }
  const resolve::BlockingStats& b = r.blocking;
  const resolve::ClusterQuality& q = r.clustering.quality;
  out << std::fixed << "resolved " << b.records << " Person records (" << run.run_id << ")\n"
      << "  candidate pairs   " << b.candidate_pairs << " of " << b.all_pairs << " (reduction ratio "
      << std::setprecision(6) << b.reduction_ratio << ")\n    by key          ";
  for (const auto& [key, pairs] : b.pairs_by_key) out << key << " " << pairs << "  ";
  out << "\n    blocks skipped  " << b.blocks_skipped << " (over " << flags.max_block << " records)\n"
      << "  model             " << r.patterns.size() << " comparison patterns, EM " << r.model.iterations
      << " iterations" << (r.model.converged ? " (converged)" : " (not converged)") << " over the candidates and "
      << r.training_pairs << " training pairs, prior "
      << std::setprecision(4) << r.model.prior << "\n"
      << "  matched pairs     " << r.matched_pairs << " at probability >= " << std::setprecision(2) << flags.threshold
      << "\n"
      << "  persons           " << q.clusters << " of several records (" << q.clustered_records
      << " records), largest " << q.largest << "; " << (b.records - q.clustered_records) << " single records\n"
      << "  cluster quality   mean cohesion " << std::setprecision(3) << q.mean_cohesion << ", " << q.weak_clusters
      << " weak (cohesion < 0.8)\n"
      << "  refused merges    " << r.clustering.refused_chaining << " chaining, " << r.clustering.refused_by_judgement
      << " by a judgement\n"
      << "  judgements        " << r.judgements_applied << " applied, " << r.judgements_unknown
      << " naming records no longer there, " << r.clustering.judgement_conflicts << " conflicts\n"
      << "  time              " << std::setprecision(1) << seconds << " s (reading the index "
      << loaded->seconds_index << ", blocking " << r.seconds_blocking
      << ", comparing " << r.seconds_comparing << ", estimating " << r.seconds_estimating << ", clustering "
      << r.seconds_clustering << ")\n"
      << "  peak memory       " << std::setprecision(0) << PeakMegabytes() << " MB\n";
  return kExitOk;
}

std::string Describe(const resolve::PersonRecord& p) {
  std::ostringstream s;
  s << (p.given.empty() ? "?" : p.given) << " " << (p.family.empty() ? "?" : p.family);
  for (const resolve::PartialDate& d : p.birth_dates) {
    s << " " << d.year;
    if (d.month) s << "-" << std::setw(2) << std::setfill('0') << int(d.month);
    if (d.day) s << "-" << std::setw(2) << std::setfill('0') << int(d.day);
  }
  for (const std::string& id : p.identifiers) s << " " << id;
  s << "  [" << p.source << " " << p.record_key << "]";
  return s.str();
}

int Review(Context& ctx, const ResolveFlags& flags) {
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  auto who = (*session)->Authorise(ctx, access::Action::kResolve, "resolve-review");
  if (!who.ok()) return ReportError(ctx, who.status());
  resolve::ResolveOptions options;
  options.threshold = flags.threshold;
  options.max_block = flags.max_block;
  Result<service::ReviewAnswer> answer = Internal("not run");
  Status read = (*session)->ReadIndex(ctx, [&](index::Index& idx) -> Status {
    answer = service::Review(idx, *who, flags.limit, options);
    return answer.status();
  });
  if (!read.ok()) return ReportError(ctx, read);
  if (Status s = (*session)->Audit(ctx, answer->record); !s.ok()) {
    return ReportError(ctx, s.WithContext("writing the audit record (nothing was shown)"));
  }
  std::ostream& out = *ctx.out;
  if (ctx.json) {
    out << service::ReviewJson(*answer).dump(2) << "\n";
    return kExitOk;
  }
  for (const service::ReviewPair& p : answer->pairs) {
    out << std::fixed << std::setprecision(3) << p.probability << "  weight " << std::showpos << std::setprecision(1)
        << p.weight << std::noshowpos << "\n  A " << p.a.id << "  " << Describe(p.a) << "\n  B " << p.b.id << "  "
        << Describe(p.b) << "\n  " << p.explanation << "\n";
  }
  out << answer->uncertain << " uncertain pairs"
      << (answer->pairs.size() < answer->uncertain ? ", " + std::to_string(answer->pairs.size()) + " shown" : "")
      << "; decide with `ura resolve judge A B same|different --reason ...`\n";
  return kExitOk;
}

int Judge(Context& ctx, const ResolveFlags& flags) {
  const std::string& a = flags.judge_args[0];
  const std::string& b = flags.judge_args[1];
  Result<resolve::Decision> decision = resolve::ParseDecision(flags.judge_args[2]);
  if (!decision.ok()) return ReportError(ctx, decision.status());
  if (!ctx.reason.empty()) {
    if (Status s = audit::CheckJustification(ctx.reason); !s.ok()) return ReportError(ctx, s);
  }
  auto session = StoreSession::OpenForWrite(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  auto who = (*session)->Authorise(ctx, access::Action::kResolve, "resolve-judge");
  if (!who.ok()) return ReportError(ctx, who.status());
  audit::Record record;
  Result<std::string> payload = Internal("not run");
  Status found = (*session)->ReadIndex(ctx, [&](index::Index& idx) -> Status {
    payload = service::JudgementPayload(idx, *who, a, b, *decision, ctx.reason, ctx.clock->NowMicros(), record);
    return payload.status();
  });
  if (!found.ok()) return ReportError(ctx, found);
  auto appended = (*session)->AuditWith(ctx, record, {{resolve::kEntryTypeJudgement, AsBytes(*payload)}});
  if (!appended.ok()) return ReportError(ctx, appended.status().WithContext("storing the judgement"));
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"a", a}, {"b", b}, {"decision", resolve::DecisionName(*decision)},
                               {"sequence", appended->first_sequence}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << "recorded: " << a << " and " << b << " are " << resolve::DecisionName(*decision)
             << (*decision == resolve::Decision::kWithdrawn ? " (the model decides again)" : "")
             << " (journal entry " << appended->first_sequence << "); it applies from the next `ura resolve`\n";
  }
  return kExitOk;
}

// Ground truth: the generator's truth/persons.csv (true_person_id,source,source_record_key),
// found from its output or truth folder, or any CSV with the columns source, record key and
// true entity id in that order.
Result<std::map<std::pair<std::string, std::string>, std::string>> ReadTruth(Context& ctx, const std::string& path) {
  std::string file = path;
  for (const std::string& candidate : {path + "/persons.csv", path + "/truth/persons.csv"}) {
    if (ctx.fs->Exists(candidate)) file = candidate;
  }
  if (!ctx.fs->Exists(file)) return NotFound("no ground truth at " + path + " (give a CSV file or the generator's folder)");
  ingest::CsvOptions options;
  URA_ASSIGN_OR_RETURN(auto reader, ingest::OpenCsvReader(file, options));
  std::map<std::pair<std::string, std::string>, std::string> truth;
  while (true) {
    URA_ASSIGN_OR_RETURN(auto item, reader->Next());
    if (!item) break;
    if (item->bad) {
      return InvalidArgument(file + " row " + std::to_string(item->bad->row) + ": " + item->bad->reason +
                             " (fix the file: every row needs source, record key and true id)");
    }
    const ingest::Record& row = *item->record;
    if (row.fields.size() != 3) {
      return InvalidArgument(file + " row " + std::to_string(row.row) + ": expected 3 columns, found " +
                             std::to_string(row.fields.size()));
    }
    const bool generator = (*row.columns)[0] == "true_person_id";
    const std::string& id = generator ? row.fields[0] : row.fields[2];
    const std::string& source = generator ? row.fields[1] : row.fields[0];
    const std::string& key = generator ? row.fields[2] : row.fields[1];
    truth[{source, key}] = id;
  }
  if (truth.empty()) return InvalidArgument(file + " holds no ground truth rows");
  return truth;
}

int EvaluateCommand(Context& ctx, const ResolveFlags& flags) {
  auto truth = ReadTruth(ctx, flags.truth);
  if (!truth.ok()) return ReportError(ctx, truth.status());
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  // Scores only, no record shown: for those who run resolution.
  if (auto who = (*session)->Authorise(ctx, access::Action::kResolve, "resolve-evaluate"); !who.ok()) {
    return ReportError(ctx, who.status());
  }
  // The persons as they stand: the latest run and the incremental matches since (the index).
  std::vector<resolve::PersonRecord> records;
  std::map<std::string, std::string> person_of;
  std::string run_id;
  Status read = (*session)->ReadIndex(ctx, [&](index::Index& idx) -> Status {
    URA_ASSIGN_OR_RETURN(std::optional<resolve::IncrementalModel> run, resolve::LoadIncrementalModel(idx));
    if (!run) return FailedPrecondition("no resolution run in this store yet: run `ura resolve` first");
    run_id = run->run_id;
    URA_ASSIGN_OR_RETURN(records, resolve::LoadPersons(idx));
    for (const resolve::PersonRecord& r : records) {
      URA_ASSIGN_OR_RETURN(std::optional<index::PersonGroup> g, idx.PersonOf(r.id, 0));
      if (g) person_of[r.id] = g->person_id;
    }
    return Status::Ok();
  });
  if (!read.ok()) return ReportError(ctx, read);
  std::vector<std::string> predicted, expected;
  uint64_t without_truth = 0;
  for (const resolve::PersonRecord& r : records) {
    auto t = truth->find({r.source, r.record_key});
    if (t == truth->end()) {
      ++without_truth;
      continue;
    }
    auto p = person_of.find(r.id);
    predicted.push_back(p == person_of.end() ? r.id : p->second);  // not in a person: a person of its own
    expected.push_back(t->second);
  }
  audit::Record record;
  record.action = "resolve-evaluate";
  record.objects_total = predicted.size();
  record.detail = run_id + " against " + flags.truth;
  if (Status s = (*session)->Audit(ctx, record); !s.ok()) return ReportError(ctx, s);
  const resolve::EvaluationScores s = resolve::Evaluate(predicted, expected);
  std::ostream& out = *ctx.out;
  if (ctx.json) {
    out << nlohmann::json{{"run", run_id},
                          {"records", s.records},
                          {"records_without_truth", without_truth},
                          {"pairwise",
                           {{"precision", s.pair_precision},
                            {"recall", s.pair_recall},
                            {"f1", s.pair_f1},
                            {"true_pairs", s.true_pairs},
                            {"predicted_pairs", s.predicted_pairs},
                            {"correct_pairs", s.correct_pairs}}},
                          {"bcubed", {{"precision", s.bcubed_precision}, {"recall", s.bcubed_recall}, {"f1", s.bcubed_f1}}}}
               .dump(2)
        << "\n";
    return kExitOk;
  }
  out << std::fixed << std::setprecision(4) << "run " << run_id << ": " << s.records
      << " records scored (" << without_truth << " Person records without ground truth)\n"
      << "  pairwise   precision " << s.pair_precision << "  recall " << s.pair_recall << "  F1 " << s.pair_f1
      << "  (true pairs " << s.true_pairs << ", predicted " << s.predicted_pairs << ", correct " << s.correct_pairs
      << ")\n"
      << "  B-cubed    precision " << s.bcubed_precision << "  recall " << s.bcubed_recall << "  F1 " << s.bcubed_f1
      << "\n";
  return kExitOk;
}


// The latest run's persons, for `persons` and `person`.
// The persons as they stand (the latest run and the records matched at ingest since), as the
// index holds them, in order of person id.
Result<resolve::RunSummary> CurrentPersons(Context& ctx, StoreSession& session) {
  resolve::RunSummary run;
  URA_RETURN_IF_ERROR(session.ReadIndex(ctx, [&](index::Index& idx) -> Status {
    URA_ASSIGN_OR_RETURN(std::optional<resolve::IncrementalModel> model, resolve::LoadIncrementalModel(idx));
    if (!model) return FailedPrecondition("no resolution run in this store yet: run `ura resolve` first");
    run.run_id = model->run_id;
    run.persons.clear();
    return idx.ForEachPerson([&](const std::string& person, const std::vector<std::string>& members) {
      run.persons.push_back({person, members});
      return Status::Ok();
    });
  }));
  return run;
}

int Persons(Context& ctx, const ResolveFlags& flags) {
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  auto who = (*session)->Authorise(ctx, access::Action::kConsult, "resolve-persons");
  if (!who.ok()) return ReportError(ctx, who.status());
  auto run = CurrentPersons(ctx, **session);
  if (!run.ok()) return ReportError(ctx, run.status());
  // As far as the user may see: the members they may see, persons of at least two of them.
  // Only the custodian is told the total: counting the others would tell of records the user
  // may not see.
  const bool counted = who->custodian();
  const size_t total = run->persons.size();
  if (!counted) {
    std::vector<resolve::CanonicalPerson> visible;
    for (resolve::CanonicalPerson& p : run->persons) {
      if (visible.size() == flags.limit) break;
      auto members = VisibleMembers(**session, ctx, *who, p.members);
      if (!members.ok()) return ReportError(ctx, members.status());
      if (members->size() >= 2) visible.push_back({p.id, std::move(*members)});
    }
    run->persons = std::move(visible);
  }
  const size_t shown = std::min(run->persons.size(), flags.limit);
  audit::Record record;
  record.action = "resolve-persons";
  record.detail = run->run_id;
  for (size_t i = 0; i < shown; ++i) {
    for (const std::string& m : run->persons[i].members) record.AddObject(m);
  }
  if (Status s = (*session)->Audit(ctx, record); !s.ok()) {
    return ReportError(ctx, s.WithContext("writing the audit record (nothing was shown)"));
  }
  std::ostream& out = *ctx.out;
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = 0; i < shown; ++i) {
    const resolve::CanonicalPerson& p = run->persons[i];
    if (ctx.json) {
      list.push_back({{"id", p.id}, {"members", p.members}});
      continue;
    }
    out << p.id << "  " << p.members.size() << " records:";
    for (const std::string& m : p.members) out << " " << m;
    out << "\n";
  }
  if (ctx.json) {
    out << nlohmann::json{{"run", run->run_id}, {"total", counted ? nlohmann::json(total) : nlohmann::json(nullptr)},
                          {"persons", list}}
               .dump(2)
        << "\n";
  } else if (counted) {
    out << total << " persons of several records in " << run->run_id << "\n";
  } else {
    out << shown << " persons of several records you may see in " << run->run_id << "\n";
  }
  return kExitOk;
}

int Person(Context& ctx, const std::string& id) {
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  auto who = (*session)->Authorise(ctx, access::Action::kConsult, "resolve-person");
  if (!who.ok()) return ReportError(ctx, who.status());
  // As the index holds it: the latest run and the records matched at ingest since.
  resolve::CanonicalPerson person;
  std::string run_id;
  Status found = (*session)->ReadIndex(ctx, [&](index::Index& idx) -> Status {
    URA_ASSIGN_OR_RETURN(std::optional<resolve::IncrementalModel> run, resolve::LoadIncrementalModel(idx));
    if (!run) return FailedPrecondition("no resolution run in this store yet: run `ura resolve` first");
    run_id = run->run_id;
    URA_ASSIGN_OR_RETURN(std::optional<index::PersonGroup> g, idx.PersonOf(id, 10000));
    person = g ? resolve::CanonicalPerson{g->person_id, g->members} : resolve::CanonicalPerson{resolve::CanonicalId(id), {id}};
    return Status::Ok();
  });
  if (!found.ok()) return ReportError(ctx, found);
  // A record the user may not see is not there for them, as in `ura get`.
  auto visible = VisibleMembers(**session, ctx, *who, person.members);
  if (!visible.ok()) return ReportError(ctx, visible.status());
  if (visible->empty() || (person.id != id && !std::binary_search(visible->begin(), visible->end(), id))) {
    return ReportError(ctx, NotFound("no Person record or canonical person with id '" + id + "' (see `ura resolve persons`)"));
  }
  person.members = std::move(*visible);
  // Each member as resolution reads it; an id that is no Person record is an error.
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  std::vector<resolve::PersonRecord> members;
  Status read = (*session)->ReadIndex(ctx, [&](index::Index& idx) -> Status {
    members.clear();
    for (const std::string& m : person.members) {
      URA_ASSIGN_OR_RETURN(std::optional<model::Entity> e, idx.Get(m));
      if (!e) return NotFound("no Person record or canonical person with id '" + m + "' (see `ura resolve persons`)");
      members.push_back(resolve::RecordFromEntity(*e, registry));
    }
    return Status::Ok();
  });
  if (!read.ok()) return ReportError(ctx, read);
  audit::Record record;
  record.action = "resolve-person";
  record.detail = person.id + " in " + run_id;
  for (const std::string& m : person.members) record.AddObject(m);
  if (Status s = (*session)->Audit(ctx, record); !s.ok()) {
    return ReportError(ctx, s.WithContext("writing the audit record (nothing was shown)"));
  }
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"id", person.id}, {"run", run_id}, {"members", person.members}}.dump(2) << "\n";
    return kExitOk;
  }
  *ctx.out << person.id << "  " << members.size() << " records (" << run_id << ")\n";
  for (const resolve::PersonRecord& m : members) *ctx.out << "  " << m.id << "  " << Describe(m) << "\n";
  return kExitOk;
}

}  // namespace

void RegisterResolveCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto flags = std::make_shared<ResolveFlags>();
  auto* resolve = app.add_subcommand(
      "resolve", "Entity resolution: find the records of one person across sources (run, review, judge, evaluate)");
  resolve->add_option("--threshold", flags->threshold, "Match probability at which records are joined (default 0.5)")
      ->check(CLI::Range(0.01, 0.99));
  resolve->add_option("--max-block", flags->max_block, "Skip blocking keys shared by more records (default 1000)")
      ->check(CLI::Range(2, 100000));
  resolve->require_subcommand(0, 1);
  resolve->callback([&ctx, &exit_code, flags, resolve] {
    if (resolve->get_subcommands().empty()) exit_code = Run(ctx, *flags);
  });

  auto* review = resolve->add_subcommand("review", "List uncertain pairs with the weights behind them (needs --reason)");
  review->add_option("--limit", flags->limit, "Most pairs to show (default 20)")->check(CLI::Range(1, 10000));
  review->callback([&ctx, &exit_code, flags] { exit_code = Review(ctx, *flags); });

  auto* judge = resolve->add_subcommand(
      "judge", "Record an analyst's decision on two Person records: same, different, or withdrawn (back to the model)");
  judge->add_option("A B DECISION", flags->judge_args, "Two record ids and same|different|withdrawn")
      ->required()
      ->expected(3);
  judge->callback([&ctx, &exit_code, flags] { exit_code = Judge(ctx, *flags); });

  auto* evaluate = resolve->add_subcommand(
      "evaluate", "Score the latest run against ground truth: pairwise and B-cubed precision, recall, F1 (needs --reason)");
  evaluate->add_option("--truth", flags->truth,
                       "The generator's output or truth folder, or a CSV of source, record key, true id")
      ->required();
  evaluate->callback([&ctx, &exit_code, flags] { exit_code = EvaluateCommand(ctx, *flags); });
  auto* persons = resolve->add_subcommand("persons", "List the latest run's persons of several records (needs --reason)");
  persons->add_option("--limit", flags->limit, "Most persons to show (default 20)")->check(CLI::Range(1, 10000000));
  persons->callback([&ctx, &exit_code, flags] { exit_code = Persons(ctx, *flags); });

  auto person_id = std::make_shared<std::string>();
  auto* person = resolve->add_subcommand(
      "person", "Show a canonical person (by its P- id or any of its record ids) with every source record under it");
  person->add_option("ID", *person_id, "Canonical person id or Person record id")->required();
  person->callback([&ctx, &exit_code, person_id] { exit_code = Person(ctx, *person_id); });
}

}  // namespace ura::cli
