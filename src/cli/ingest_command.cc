// `ura ingest --mapping M.yml FILE...`, `ura ingest --ftm FILE.ndjson`, `ura export --ftm`.
// Exit status of ingest: 0 every record stored; 1 finished, some records quarantined;
// 2 usage error or nothing could be ingested (bad mapping, unreadable file).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/store_session.h"
#include "service/resolution.h"
#include "journal/journal.h"
#include "ingest/mapping.h"

namespace ura::cli {

namespace {

struct IngestFlags {
  std::string mapping;
  bool ftm = false;
  std::string source = "ftm";
  std::vector<std::string> files;
};

int Ingest(Context& ctx, const IngestFlags& flags) {
  if (flags.ftm == !flags.mapping.empty()) {
    return ReportError(ctx, InvalidArgument("give either --mapping M.yml or --ftm"));
  }
  if (flags.files.empty()) return ReportError(ctx, InvalidArgument("no input files"));
  for (const auto& f : flags.files) {
    if (!ctx.fs->Exists(f)) return ReportError(ctx, InvalidArgument("input file " + f + " does not exist"));
  }
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  std::optional<ingest::Mapping> mapping;
  if (!flags.ftm) {
    auto m = ingest::LoadMapping(flags.mapping, registry);
    if (!m.ok()) return ReportError(ctx, m.status());
    mapping = std::move(m).value();
  }
  auto session = StoreSession::OpenForWrite(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  if (Status s = (*session)->StartPipeline(ctx); !s.ok()) return ReportError(ctx, s);

  nlohmann::json report = nlohmann::json::array();
  bool any_rejected = false, any_stored = false, any_failed = false;
  for (const auto& file : flags.files) {
    Progress progress(ctx, file);
    ingest::IngestOptions options;
    options.clock = ctx.clock;
    options.progress = [&](uint64_t b, uint64_t t, uint64_t r) { progress.Update(b, t, r); };
    Result<ingest::IngestSummary> summary = Internal("not run");
    if (mapping) {
      ingest::Ingester ingester(*mapping, registry, **session, **session, options);
      summary = ingester.IngestFile(file);
    } else {
      summary = ingest::IngestFtmFile(file, flags.source, model::Marking{}, registry, **session, **session, options);
    }
    progress.Done();
    if (!summary.ok()) {
      // Stop: the store holds what was written before the error, and nothing else.
      ReportError(ctx, summary.status().WithContext(file));
      return summary.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
    }
    const ingest::IngestSummary& s = *summary;
    audit::Record record;
    record.action = "ingest";
    record.objects_total = s.versions_written;
    record.justification = ctx.reason.empty() ? "ingest" : ctx.reason;
    record.detail = file + " with " + (flags.ftm ? std::string("--ftm") : flags.mapping) + ": " +
                    std::to_string(s.versions_written) + " entity versions written, " +
                    std::to_string(s.records_rejected) + " records rejected";
    if (Status a = (*session)->Audit(ctx, record); !a.ok()) {
      return ReportError(ctx, a.WithContext("writing the audit record of the ingest (what it wrote is stored)"));
    }
    if (s.records_rejected > 0) any_rejected = true;
    if (s.records_read > s.records_rejected) any_stored = true;
    if (!s.file_error.ok()) any_failed = true;
    nlohmann::json j = {{"file", file},
                        {"read", s.records_read},
                        {"written", s.versions_written},
                        {"unchanged", s.unchanged},
                        {"rejected", s.records_rejected},
                        {"filtered", s.records_filtered},
                        {"written_by_schema", s.written_by_schema},
                        {"seconds", s.seconds}};
    if (!s.rejects_file.empty()) j["rejects_file"] = s.rejects_file;
    if (!s.file_error.ok()) j["error"] = s.file_error.message();
    report.push_back(j);
    if (!ctx.json) {
      *ctx.out << file << ": read " << s.records_read << " records, wrote " << s.versions_written
               << " entity versions, " << s.unchanged << " unchanged, " << s.records_rejected << " rejected";
      if (s.records_filtered) *ctx.out << ", " << s.records_filtered << " filtered out";
      *ctx.out << " (" << static_cast<uint64_t>(s.seconds > 0 ? s.records_read / s.seconds : 0) << " records/s)\n";
      if (!s.rejects_file.empty()) *ctx.out << "  rejected records and reasons: " << s.rejects_file << "\n";
      if (!s.file_error.ok()) *ctx.out << "  stopped early: " << s.file_error.message() << "\n";
    }
  }
  // Entity resolution: the new Person records matched against those already there.
  {
    audit::Record record;
    StoreSession::Stamp(ctx, record);
    if (record.justification.empty()) record.justification = "ingest";
    auto matched = service::ResolveIngested(*(*session)->journal(), (*session)->index(), (*session)->written(),
                                            record, ctx.clock->NowMicros());
    if (!matched.ok()) {
      *ctx.err << "ura: warning: the new records were not matched with known persons (run `ura resolve`): "
               << matched.status().message() << "\n";
    } else if (!ctx.json && matched->ran) {
      *ctx.out << "entity resolution: " << matched->records << " new Person records, " << matched->joined
               << " joined a known person (" << matched->bridged << " of them merging two; " << matched->compared
               << " pairs compared)\n";
    } else if (!ctx.json && !matched->no_run) {
      *ctx.out << "entity resolution: not matched now: " << matched->skipped << "\n";
    }
  }
  if (Status s = (*session)->Finish(); !s.ok()) {
    *ctx.err << "ura: warning: the index will catch up on the next run: " << s.message() << "\n";
  }
  if (ctx.json) *ctx.out << report.dump(2) << "\n";
  if (Status health = (*session)->journal()->health(); !health.ok()) {
    *ctx.err << "ura: warning: " << health.message() << "\n";
  }
  if (!any_stored && (any_failed || any_rejected)) return kExitUsage;
  return any_rejected || any_failed ? kExitFailed : kExitOk;
}

int Export(Context& ctx, const std::string& schema, const std::string& output) {
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  if (!schema.empty() && registry.Find(schema) == nullptr) {
    return ReportError(ctx, InvalidArgument("unknown schema '" + schema + "'"));
  }
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  // The export is audited with the ids it discloses before any of them is written.
  audit::Record record;
  record.action = "export";
  record.detail = "FtM export" + (schema.empty() ? std::string() : " of " + schema) + " to " +
                  (output.empty() || output == "-" ? std::string("standard output") : output);
  Status listed = (*session)->index().ForEach(registry, schema, [&](const model::Entity& e) {
    record.AddObject(e.id);
    return Status::Ok();
  });
  if (!listed.ok()) return ReportError(ctx, listed);
  if (Status s = (*session)->Audit(ctx, record); !s.ok()) return ReportError(ctx, s.WithContext("writing the audit record"));
  std::ofstream file;
  std::ostream* out = ctx.out;
  if (!output.empty() && output != "-") {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) return ReportError(ctx, IoError("cannot write " + output));
    out = &file;
  }
  uint64_t n = 0;
  Status s = (*session)->index().ForEach(registry, schema, [&](const model::Entity& e) {
    *out << model::ToFtmJson(e) << "\n";
    ++n;
    return *out ? Status::Ok() : IoError("writing the export failed");
  });
  if (!s.ok()) return ReportError(ctx, s);
  if (out != ctx.out) *ctx.err << "exported " << n << " entities to " << output << "\n";
  return kExitOk;
}

// Drops the index and rebuilds it from the journal (the only source of truth).
int Reindex(Context& ctx) {
  auto start = std::chrono::steady_clock::now();
  // Opening for writing takes the store's lock: no ingest runs while the index is rebuilt.
  auto session = StoreSession::OpenForWrite(ctx, StoreSession::IndexMode::kRebuild);
  if (!session.ok()) return ReportError(ctx, session.status());
  if (Status s = (*session)->Finish(); !s.ok()) return ReportError(ctx, s);
  audit::Record record;
  record.action = "reindex";
  record.justification = ctx.reason.empty() ? "reindex" : ctx.reason;
  if (Status s = (*session)->Audit(ctx, record); !s.ok()) return ReportError(ctx, s.WithContext("writing the audit record"));
  index::Index& idx = (*session)->index();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto counts = idx.CountBySchema();
  if (!counts.ok()) return ReportError(ctx, counts.status());
  uint64_t total = 0;
  for (const auto& [schema, n] : *counts) total += n;
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"entities", total}, {"by_schema", *counts}, {"journal_entries", idx.applied_size()},
                               {"seconds", seconds}}.dump(2)
             << "\n";
  } else {
    *ctx.out << "rebuilt the index from " << idx.applied_size() << " journal entries: " << total
             << " entities in " << seconds << " s\n";
    for (const auto& [schema, n] : *counts) *ctx.out << "  " << schema << "  " << n << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterIngestCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto flags = std::make_shared<IngestFlags>();
  auto* ingest = app.add_subcommand("ingest", "Ingest source exports with a mapping, or FtM JSON lines");
  ingest->add_option("--mapping", flags->mapping, "Mapping file (mappings/*.yml)");
  ingest->add_flag("--ftm", flags->ftm, "Input is FollowTheMoney JSON lines");
  ingest->add_option("--source", flags->source, "With --ftm: source name for values without provenance");
  ingest->add_option("FILE", flags->files, "Input files")->required();
  ingest->callback([&ctx, &exit_code, flags] { exit_code = Ingest(ctx, *flags); });

  auto schema = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  auto ftm = std::make_shared<bool>(false);
  auto* exp = app.add_subcommand("export", "Export entities as FollowTheMoney JSON lines");
  exp->add_flag("--ftm", *ftm, "FtM JSON lines (the only format so far)");
  exp->add_option("--schema", *schema, "Only this schema and its descendants");
  exp->add_option("-o,--output", *output, "Output file (default: standard output)");
  exp->callback([&ctx, &exit_code, schema, output] { exit_code = Export(ctx, *schema, *output); });

  auto* reindex = app.add_subcommand("reindex", "Drop the index and rebuild it from the journal");
  reindex->callback([&ctx, &exit_code] { exit_code = Reindex(ctx); });
}

}  // namespace ura::cli
