// `ura search QUERY [--schema S] [--limit N] [--json]` and `ura get ID [--history] [--json]`:
// find entities by name, identifier, phone, plate or text; read one entity's dossier.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/cli.h"
#include "cli/store_session.h"
#include "search/dossier.h"
#include "search/search.h"
#include "service/consult.h"

namespace ura::cli {

namespace {

// Source data printed on a terminal: control characters (C0, DEL, C1 -- escape sequences that
// could rewrite the screen) become U+FFFD. JSON output escapes them itself.
std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool c1 = c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9f;
    if (c < 0x20 || c == 0x7f || c1) {
      out += "\xEF\xBF\xBD";
      if (c1) ++i;
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

Status WriteAudit(Context& ctx, StoreSession& session, const audit::Record& record) {
  Status written = session.Audit(ctx, record);
  return written.ok() ? written : written.WithContext("writing the audit record (nothing was shown)");
}

nlohmann::json HitsJson(const std::vector<search::SearchHit>& hits) {
  nlohmann::json results = nlohmann::json::array();
  for (const search::SearchHit& h : hits) {
    results.push_back({{"id", h.id},
                       {"schema", h.schema},
                       {"score", h.score},
                       {"matched", {{"property", h.matched_property}, {"value", h.matched_value}}},
                       {"caption", h.caption},
                       {"same_caption", {{"count", h.same_caption_count}, {"ids", h.same_caption_ids}}},
                       {"person", h.person_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.person_id)}});
  }
  return results;
}

// One query per line of `file` ("-": stdin); one JSON line per query, in order. A query that
// fails (e.g. no letters) gets {"query", "error"} and the exit status becomes 1.
int SearchBatch(Context& ctx, const std::string& file, const search::SearchOptions& options) {
  std::ifstream in;
  std::istream* input = &std::cin;
  if (file != "-") {
    in.open(file);
    if (!in) return ReportError(ctx, NotFound("cannot read the query file " + file));
    input = &in;
  }
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  auto who = (*session)->Consultant(ctx);
  if (!who.ok()) return ReportError(ctx, who.status());
  int exit = kExitOk;
  std::string line;
  uint64_t line_number = 0;
  // Every query's results are audited (one commit for the batch) before any is printed.
  std::vector<audit::Record> records;
  std::vector<std::string> lines_out;
  while (std::getline(*input, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    Result<service::SearchAnswer> answer = service::SearchAnswer();
    Status read = (*session)->ReadIndex(ctx, [&](index::Index& idx) {
      answer = service::Search(idx, *who, line, options);
      return answer.ok() || answer.status().code() == StatusCode::kInvalidArgument ? Status::Ok() : answer.status();
    });
    if (!read.ok()) return ReportError(ctx, read);
    if (!answer.ok()) {
      if (answer.status().code() != StatusCode::kInvalidArgument) return ReportError(ctx, answer.status());
      lines_out.push_back(
          nlohmann::json{{"query", line}, {"line", line_number}, {"error", answer.status().message()}}.dump());
      exit = kExitFailed;
      continue;
    }
    records.push_back(answer->record);
    lines_out.push_back(
        nlohmann::json{{"query", line}, {"line", line_number}, {"results", HitsJson(answer->hits)}}.dump());
  }
  if (Status s = (*session)->Audit(ctx, std::move(records)); !s.ok()) {
    return ReportError(ctx, s.WithContext("writing the audit records (no result was shown)"));
  }
  for (const std::string& out : lines_out) *ctx.out << out << "\n";
  return exit;
}

int Search(Context& ctx, const std::string& query, const std::string& batch, const search::SearchOptions& options) {
  if (query.empty() == batch.empty()) return ReportError(ctx, InvalidArgument("give either a QUERY or --batch FILE"));
  if (!batch.empty()) return SearchBatch(ctx, batch, options);
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  auto who = (*session)->Consultant(ctx);
  if (!who.ok()) return ReportError(ctx, who.status());
  Result<service::SearchAnswer> answer = service::SearchAnswer();
  Status read = (*session)->ReadIndex(ctx, [&](index::Index& idx) {
    answer = service::Search(idx, *who, query, options);
    return answer.status();
  });
  if (!read.ok()) {
    if (read.code() == StatusCode::kPermissionDenied) {
      (*session)->Audit(ctx, service::DeniedRecord("search", {false, read.message()})).IgnoreError();
    }
    return ReportError(ctx, read);
  }
  if (Status s = (*session)->Audit(ctx, answer->record); !s.ok()) {
    return ReportError(ctx, s.WithContext("writing the audit record (no result was shown)"));
  }
  const std::vector<search::SearchHit>* hits = &answer->hits;
  std::ostream& out = *ctx.out;
  if (ctx.json) {
    out << nlohmann::json{{"query", query}, {"results", HitsJson(*hits)}}.dump(2) << "\n";
    return kExitOk;
  }
  if (hits->empty()) {
    out << "no matches for \"" << query << "\"\n";
    return kExitOk;
  }
  for (const search::SearchHit& h : *hits) {
    out << std::fixed << std::setprecision(3) << h.score << "  " << std::left << std::setw(15) << h.schema << " "
        << Printable(h.caption) << "\n       " << Printable(h.id) << "  (" << h.matched_property << ": "
        << Printable(h.matched_value) << ")";
    if (h.same_caption_count > 0) {
      out << "  +" << h.same_caption_count << " more " << h.schema << " record"
          << (h.same_caption_count == 1 ? "" : "s") << " named so";
    }
    if (!h.person_id.empty()) out << "  person " << Printable(h.person_id);
    out << "\n";
  }
  return kExitOk;
}

void PrintDossier(std::ostream& out, const search::Dossier& d) {
  const model::Marking& m = d.entity.marking;
  out << d.entity.schema << "  " << Printable(d.caption) << "\n"
      << "  id          " << Printable(d.entity.id) << "\n"
      << "  handling    " << model::HandlingCodeName(m.handling) << "   classification "
      << model::ClassificationName(m.classification) << "   source reliability " << m.reliability
      << "   information accuracy " << static_cast<int>(m.accuracy) << "\n"
      << "  version     journal entry " << d.sequence << " (" << d.versions
      << (d.versions == 1 ? " version" : " versions") << ")\n\n";
  for (const search::DossierProperty& p : d.properties) {
    out << p.label << "\n";
    for (const model::PropertyValue& v : p.values) {
      out << "  " << std::left << std::setw(34) << Printable(v.value) << "  " << Printable(v.provenance.source) << " "
          << Printable(v.provenance.record_key) << "  " << FormatRfc3339(v.provenance.ingested_us) << "\n";
    }
  }
  if (!d.links.empty()) {
    out << "\nLinks\n";
    for (const search::DossierLink& l : d.links) {
      if (l.outgoing) {
        out << "  -> " << l.property << ": " << l.other_schema << " \"" << Printable(l.other_caption) << "\"  "
            << Printable(l.other_id) << "\n";
      } else {
        out << "  <- " << l.via_schema << " \"" << Printable(l.via_caption) << "\" (" << l.property << ")  "
            << Printable(l.via_id) << "\n";
        if (!l.other_id.empty()) {
          out << "       -> " << l.other_schema << " \"" << Printable(l.other_caption) << "\"  " << Printable(l.other_id)
              << "\n";
        }
      }
    }
    if (d.links_truncated) out << "  ... more links not shown\n";
  }
  if (!d.person_id.empty()) {
    out << "\nThe same person in other records (entity resolution, " << Printable(d.person_run) << ": "
        << Printable(d.person_id) << ")\n";
    for (const search::PersonRecord& r : d.person_records) {
      std::string sources;
      for (const std::string& src : r.sources) sources += (sources.empty() ? "" : ", ") + src;
      out << "  " << r.schema << " \"" << Printable(r.caption) << "\"  " << Printable(r.id) << "  (" << Printable(sources)
          << ")\n";
    }
    if (d.person_records.empty()) out << "  (none you may see)\n";
    if (d.person_truncated) out << "  ... more records not shown (`ura resolve person " << Printable(d.person_id) << "`)\n";
  }
}

int Get(Context& ctx, const std::string& id, bool history) {
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  StoreSession& s = **session;
  auto who = s.Consultant(ctx);
  if (!who.ok()) return ReportError(ctx, who.status());
  // The entity and every linked entity whose caption the dossier shows are consulted; what
  // the consultant may not see is not there for them.
  Result<service::HistoryAnswer> answer = service::HistoryAnswer();
  Status read = s.ReadIndex(ctx, [&](index::Index& idx) -> Status {
    if (history) {
      answer = service::History(idx, *ctx.fs, ctx.paths(), s.keyring(), *who, id);
      return answer.status();
    }
    auto view = service::View(idx, *who, id);
    if (!view.ok()) return view.status();
    answer = service::HistoryAnswer{std::move(view->dossier), {}, std::move(view->record)};
    return Status::Ok();
  });
  if (!read.ok()) {
    if (read.code() == StatusCode::kPermissionDenied) {
      s.Audit(ctx, service::DeniedRecord(history ? "history" : "view", {false, read.message()})).IgnoreError();
    }
    return ReportError(ctx, read);
  }
  if (Status written = WriteAudit(ctx, s, answer->record); !written.ok()) return ReportError(ctx, written);
  if (!answer->dossier) {
    return ReportError(ctx, NotFound("no entity with id '" + id + "' (find ids with `ura search`)"));
  }
  const search::Dossier& d = *answer->dossier;
  const std::vector<search::HistoricVersion>& versions = answer->versions;
  std::ostream& out = *ctx.out;
  if (ctx.json) {
    nlohmann::json j = search::DossierJson(d);
    if (history) {
      nlohmann::json h = nlohmann::json::array();
      for (const search::HistoricVersion& v : versions) {
        h.push_back({{"sequence", v.sequence},
                     {"written", FormatRfc3339(v.written_us)},
                     {"entity", nlohmann::json::parse(model::CanonicalJson(v.entity))}});
      }
      j["history"] = h;
    }
    out << j.dump(2) << "\n";
    return kExitOk;
  }
  PrintDossier(out, d);
  if (history) {
    out << "\nHistory (" << versions.size() << " versions, oldest first)\n";
    const search::HistoricVersion* previous = nullptr;
    for (const search::HistoricVersion& v : versions) {
      out << "  journal entry " << v.sequence << "  written " << FormatRfc3339(v.written_us) << "\n";
      for (const auto& [name, values] : v.entity.properties) {
        std::vector<std::string> now = v.entity.Values(name);
        std::vector<std::string> before = previous ? previous->entity.Values(name) : std::vector<std::string>();
        if (now == before) continue;
        out << "    " << name << ": ";
        for (size_t i = 0; i < now.size(); ++i) out << (i ? " | " : "") << Printable(now[i]);
        out << "\n";
      }
      if (previous) {
        for (const auto& [name, values] : previous->entity.properties) {
          if (!v.entity.properties.count(name)) out << "    " << name << ": (removed)\n";
        }
      }
      previous = &v;
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterSearchCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto query = std::make_shared<std::string>();
  auto options = std::make_shared<search::SearchOptions>();
  auto* search_cmd = app.add_subcommand(
      "search", "Find entities by name (any spelling or script, typos forgiven), document number, phone, plate or text");
  auto batch = std::make_shared<std::string>();
  search_cmd->add_option("QUERY", *query, "What to look for");
  search_cmd->add_option("--batch", *batch, "Run one query per line of FILE (- for stdin); JSON lines out");
  search_cmd->add_option("--schema", options->schema, "Only this schema and its descendants (e.g. Person)");
  search_cmd->add_option("--source", options->source, "Only records with a value from this source system (e.g. border)");
  search_cmd->add_option("--from", options->from,
                         "Only records dated on or after this day (YYYY-MM-DD): a crossing's, payment's, event's date");
  search_cmd->add_option("--to", options->to, "Only records dated on or before this day (YYYY-MM-DD, YYYY-MM or YYYY)");
  search_cmd->add_option("--limit", options->limit, "Most results to show (default 20)")->check(CLI::Range(1, 1000));
  search_cmd->callback(
      [&ctx, &exit_code, query, batch, options] { exit_code = Search(ctx, *query, *batch, *options); });

  auto id = std::make_shared<std::string>();
  auto history = std::make_shared<bool>(false);
  auto* get = app.add_subcommand("get", "Show an entity's dossier: every value with its source, and its links");
  get->add_option("ID", *id, "Entity id (from `ura search`)")->required();
  get->add_flag("--history", *history, "Also show every version from the journal");
  get->callback([&ctx, &exit_code, id, history] { exit_code = Get(ctx, *id, *history); });
}

}  // namespace ura::cli
