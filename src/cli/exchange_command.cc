// `ura partner add|list|self` and `ura exchange export|import|permit|match-filter|match`: exchange with
// partner forces (issue 10, docs/exchange.md). Thin: the rules and formats are in src/exchange;
// this file opens the store, writes the audit records and the files.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/cli.h"
#include "cli/store_session.h"
#include "exchange/hit_no_hit.h"
#include "exchange/partners.h"
#include "exchange/transfer.h"
#include "service/consult.h"

namespace ura::cli {

namespace {

struct ExchangeFlags {
  std::string name, key;
  std::string to, select, handling = "H2", purpose, output, provenance = "none";
  std::vector<std::string> ids, cases;
  std::string file, reference;
  size_t limit = 100;
  int valid_days = 7;
};

Result<exchange::ExchangeState> LoadState(Context& ctx, StoreSession& session) {
  return exchange::LoadExchangeState(*ctx.fs, ctx.paths(), session.keyring());
}

// A file of at most `max` bytes, read whole: a larger one is refused before any of it is read.
Result<Bytes> ReadCapped(Context& ctx, const std::string& path, uint64_t max, const std::string& what) {
  URA_ASSIGN_OR_RETURN(std::unique_ptr<ReadableFile> file, ctx.fs->OpenReadable(path));
  if (file->Size() > max) {
    return InvalidArgument(path + " is " + std::to_string(file->Size()) + " bytes, more than the " +
                           std::to_string(max) + " a " + what + " may have: refused as oversized, nothing stored");
  }
  Bytes data(file->Size());
  size_t done = 0;
  while (done < data.size()) {
    URA_ASSIGN_OR_RETURN(size_t n, file->ReadAt(done, data.size() - done, data.data() + done));
    if (n == 0) break;  // the file shrank meanwhile: what was read is what there is
    done += n;
  }
  data.resize(done);
  return data;
}

// A partner key given as the token itself or as a file holding it.
Result<exchange::PublicBundle> ReadBundleArgument(Context& ctx, const std::string& key) {
  if (key.starts_with("ura-x1:")) return exchange::DecodeBundle(key);
  auto data = ReadCapped(ctx, key, 4096, "key file");
  if (!data.ok()) {
    return InvalidArgument("--key is neither a key token (ura-x1:...) nor a readable file: " +
                           data.status().message());
  }
  auto bundle = exchange::DecodeBundle(AsString(*data));
  if (!bundle.ok()) return InvalidArgument(key + ": " + bundle.status().message());
  return bundle;
}

int PartnerSelf(Context& ctx) {
  auto session = StoreSession::OpenForWrite(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  auto state = LoadState(ctx, **session);
  if (!state.ok()) return ReportError(ctx, state.status());
  const bool created = !state->identity.has_value();
  auto identity = exchange::EnsureIdentity(*state, *(*session)->journal(), ctx.clock->NowMicros());
  if (!identity.ok()) return ReportError(ctx, identity.status());
  const exchange::PublicBundle bundle = (*identity)->bundle();
  if (created) {
    audit::Record record;
    record.action = "exchange-keys";
    record.justification = ctx.reason.empty() ? "exchange keys created" : ctx.reason;
    record.detail = "this store's exchange keys created, fingerprint " + exchange::Fingerprint(bundle);
    if (Status a = (*session)->Audit(ctx, record); !a.ok()) return ReportError(ctx, a.WithContext("writing the audit record"));
  }
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"key", exchange::EncodeBundle(bundle)}, {"fingerprint", exchange::Fingerprint(bundle)}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << exchange::EncodeBundle(bundle) << "\n";
    *ctx.err << "this store's exchange key (fingerprint " << exchange::Fingerprint(bundle)
             << "): give it to a partner force for `ura partner add`; compare the fingerprint by another channel\n";
  }
  return kExitOk;
}

int PartnerAdd(Context& ctx, const ExchangeFlags& flags) {
  if (Status s = exchange::CheckPartnerName(flags.name); !s.ok()) return ReportError(ctx, s);
  auto bundle = ReadBundleArgument(ctx, flags.key);
  if (!bundle.ok()) return ReportError(ctx, bundle.status());
  auto session = StoreSession::OpenForWrite(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  auto state = LoadState(ctx, **session);
  if (!state.ok()) return ReportError(ctx, state.status());
  exchange::Partner partner{flags.name, *bundle, ctx.as_user.empty() ? CliUser() : ctx.as_user,
                            ctx.clock->NowMicros()};
  auto payload = exchange::EncodePartnerEntry(*state, partner);
  if (!payload.ok()) return ReportError(ctx, payload.status());
  audit::Record record;
  record.action = "partner-add";
  record.justification = ctx.reason.empty() ? "partner administration" : ctx.reason;
  record.detail = "partner " + flags.name + " (" + exchange::Fingerprint(*bundle) + ")";
  Status written = (*session)->AuditWith(ctx, record, {{exchange::kEntryTypePartner, AsBytes(*payload)}}).status();
  if (!written.ok()) return ReportError(ctx, written);
  *ctx.out << "added partner " << flags.name << " (fingerprint " << exchange::Fingerprint(*bundle) << ")\n";
  return kExitOk;
}

int PartnerList(Context& ctx) {
  auto session = StoreSession::OpenForWrite(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  auto state = LoadState(ctx, **session);
  if (!state.ok()) return ReportError(ctx, state.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, p] : state->partners) {
    uint64_t received = 0;
    for (const auto& [id, r] : state->received) received += r.partner == name ? 1 : 0;
    list.push_back({{"name", name},
                    {"fingerprint", exchange::Fingerprint(p.keys)},
                    {"key", exchange::EncodeBundle(p.keys)},
                    {"added_by", p.added_by},
                    {"added", FormatRfc3339(p.time_us)},
                    {"packages_received", received}});
  }
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"partners", list}}.dump(2) << "\n";
    return kExitOk;
  }
  if (list.empty()) *ctx.out << "no partners (add one with `ura partner add NAME --key KEY`)\n";
  for (const auto& p : list) {
    *ctx.out << std::left << std::setw(20) << p["name"].get<std::string>() << " " << p["fingerprint"].get<std::string>()
             << "  added " << p["added"].get<std::string>() << " by " << p["added_by"].get<std::string>() << ", "
             << p["packages_received"].get<uint64_t>() << " packages received\n";
  }
  return kExitOk;
}

// Opens the store for an exchange action of the principal: the justification is the purpose
// when --reason is not given.
Result<std::unique_ptr<StoreSession>> OpenForExchange(Context& ctx, const std::string& purpose) {
  if (ctx.reason.empty()) ctx.reason = purpose;
  return StoreSession::OpenForConsultation(ctx);
}

int Denied(Context& ctx, StoreSession& session, const std::string& action, const Status& status) {
  if (status.code() == StatusCode::kPermissionDenied) {
    session.Audit(ctx, service::DeniedRecord(action, {false, status.message()})).IgnoreError();
  }
  return ReportError(ctx, status);
}

// The store opened for an exchange action, with who acts and what the journal says of partners.
struct ExchangeSession {
  std::unique_ptr<StoreSession> session;
  access::Principal who;
  exchange::ExchangeState state;
};

Result<ExchangeSession> OpenExchangeSession(Context& ctx, const std::string& purpose) {
  ExchangeSession x;
  URA_ASSIGN_OR_RETURN(x.session, OpenForExchange(ctx, purpose));
  URA_ASSIGN_OR_RETURN(x.who, x.session->Consultant(ctx));
  URA_ASSIGN_OR_RETURN(x.state, LoadState(ctx, *x.session));
  return x;
}

int Export(Context& ctx, const ExchangeFlags& flags) {
  if (flags.output.empty()) return ReportError(ctx, InvalidArgument("give the package file with -o FILE"));
  auto handling = model::ParseHandlingCode(flags.handling);
  if (!handling.ok()) return ReportError(ctx, handling.status());
  auto provenance = exchange::ParseProvenanceLevel(flags.provenance);
  if (!provenance.ok()) return ReportError(ctx, provenance.status());
  if (flags.valid_days < 1 || flags.valid_days > 90) {
    return ReportError(ctx, InvalidArgument("--valid-days must be 1 to 90"));
  }
  exchange::ExportRequest request;
  request.partner = flags.to;
  request.query = flags.select;
  request.ids = flags.ids;
  request.limit = flags.limit;
  request.handling = *handling;
  request.purpose = flags.purpose;
  request.provenance = *provenance;
  request.valid_us = int64_t{flags.valid_days} * 24 * 3600 * 1000000;
  if (request.query.empty() == request.ids.empty()) {
    return ReportError(ctx, InvalidArgument("select what to send with either --select QUERY or --ids ID..."));
  }
  auto x = OpenExchangeSession(ctx, flags.purpose);
  if (!x.ok()) return ReportError(ctx, x.status());
  StoreSession& s = *x->session;
  Result<exchange::ExportResult> result = exchange::ExportResult();
  Status read = s.ReadIndex(ctx, [&](index::Index& idx) {
    result = exchange::Export(idx, x->who, x->state, request, ctx.clock->NowMicros());
    return result.status();
  });
  if (!read.ok()) return Denied(ctx, s, "disclose", read);
  // The disclosure is on record before the package exists.
  if (Status a = s.Audit(ctx, result->record); !a.ok()) {
    return ReportError(ctx, a.WithContext("writing the audit record (no package was written)"));
  }
  if (Status w = WriteFileAtomically(*ctx.fs, flags.output, result->package); !w.ok()) return ReportError(ctx, w);
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"package", result->body.id},
                               {"to", flags.to},
                               {"handling", model::HandlingCodeName(result->body.handling)},
                               {"entities", result->ids},
                               {"withheld", result->withheld},
                               {"bytes", result->package.size()},
                               {"expires", FormatRfc3339(result->body.expires_us)}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << "package " << result->body.id << " for " << flags.to << ": " << result->ids.size()
             << (result->ids.size() == 1 ? " entity, " : " entities, ")
             << model::HandlingCodeName(result->body.handling) << ", " << result->package.size() << " bytes, expires "
             << FormatRfc3339(result->body.expires_us) << "\n";
    if (result->withheld > 0) {
      *ctx.out << result->withheld << " matching entities withheld (handling code or need-to-know)\n";
    }
  }
  return kExitOk;
}

int Import(Context& ctx, const ExchangeFlags& flags) {
  auto file = ReadCapped(ctx, flags.file, exchange::kMaxPackageBytes, "package");
  if (!file.ok()) return ReportError(ctx, file.status().WithContext("reading the package"));
  auto x = OpenExchangeSession(ctx, "import of a partner package");
  if (!x.ok()) return ReportError(ctx, x.status());
  StoreSession& s = *x->session;
  Result<exchange::ImportPlan> plan = exchange::ImportPlan();
  Status read = s.ReadIndex(ctx, [&](index::Index& idx) {
    plan = exchange::PrepareImport(*file, idx, x->who, x->state, flags.cases, model::SchemaRegistry::Builtin(),
                                   ctx.clock->NowMicros());
    return plan.status();
  });
  if (!read.ok()) {
    if (read.code() == StatusCode::kPermissionDenied) {
      return Denied(ctx, s, "exchange-import", read);
    }
    return ReportError(ctx, read.WithContext(flags.file + " refused, nothing stored"));
  }
  if (!plan->versions.empty()) {
    if (Status w = s.Write(plan->versions); !w.ok()) return ReportError(ctx, w);
  }
  Status recorded =
      s.AuditWith(ctx, plan->record, {{exchange::kEntryTypeReceived, AsBytes(plan->receipt)}}).status();
  if (!recorded.ok()) return ReportError(ctx, recorded);
  if (Status f = s.Finish(); !f.ok()) *ctx.err << "ura: warning: the index will catch up on the next run: " << f.message() << "\n";
  const exchange::PackageBody& body = plan->package.body;
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"package", body.id},
                               {"from", plan->partner->name},
                               {"handling", model::HandlingCodeName(body.handling)},
                               {"purpose", body.purpose},
                               {"entities", plan->entities},
                               {"new_versions", plan->versions.size()},
                               {"ids", plan->record.objects}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << "imported package " << body.id << " from " << plan->partner->name << ": " << plan->entities
             << (plan->entities == 1 ? " entity (" : " entities (") << plan->versions.size()
             << (plan->versions.size() == 1 ? " new version), " : " new versions), ")
             << model::HandlingCodeName(body.handling) << ", purpose: " << body.purpose << "\n";
  }
  return kExitOk;
}

int Permit(Context& ctx, const ExchangeFlags& flags) {
  auto x = OpenExchangeSession(ctx, "permission to pass records on, " + flags.reference);
  if (!x.ok()) return ReportError(ctx, x.status());
  StoreSession& s = *x->session;
  exchange::Permit permit{flags.ids, flags.to, flags.reference, x->who.audit_name, ctx.clock->NowMicros()};
  Result<exchange::PermitPlan> plan = exchange::PermitPlan();
  Status read = s.ReadIndex(ctx, [&](index::Index& idx) {
    plan = exchange::PreparePermit(idx, x->who, x->state, permit);
    return plan.status();
  });
  if (!read.ok()) return Denied(ctx, s, "exchange-permit", read);
  Status written = s.AuditWith(ctx, plan->record, {{exchange::kEntryTypePermit, AsBytes(plan->payload)}}).status();
  if (!written.ok()) return ReportError(ctx, written);
  *ctx.out << "recorded: " << flags.ids.size() << " H2 record" << (flags.ids.size() == 1 ? "" : "s")
           << " may be passed on to " << flags.to << " (" << flags.reference << ")\n";
  return kExitOk;
}

int MatchFilter(Context& ctx, const ExchangeFlags& flags) {
  if (flags.output.empty()) return ReportError(ctx, InvalidArgument("give the filter file with -o FILE"));
  auto x = OpenExchangeSession(ctx, "hit/no-hit filter for partner " + flags.to);
  if (!x.ok()) return ReportError(ctx, x.status());
  StoreSession& s = *x->session;
  Result<exchange::FilterResult> made = exchange::FilterResult();
  Status read = s.ReadIndex(ctx, [&](index::Index& idx) {
    made = exchange::MakeMatchFilter(idx, x->who, x->state, flags.to, ctx.clock->NowMicros());
    return made.status();
  });
  if (!read.ok()) return Denied(ctx, s, "match-filter", read);
  if (Status a = s.Audit(ctx, made->record); !a.ok()) return ReportError(ctx, a.WithContext("writing the audit record"));
  if (Status w = WriteFileAtomically(*ctx.fs, flags.output, made->filter); !w.ok()) return ReportError(ctx, w);
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"to", flags.to}, {"persons", made->persons}, {"keys", made->keys},
                               {"bytes", made->filter.size()}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << "filter for " << flags.to << ": " << made->keys << " keys of " << made->persons << " persons, "
             << made->filter.size() << " bytes\n";
  }
  return kExitOk;
}

int Match(Context& ctx, const ExchangeFlags& flags) {
  auto file = ReadCapped(ctx, flags.file, exchange::kMaxFilterBytes, "filter");
  if (!file.ok()) return ReportError(ctx, file.status().WithContext("reading the filter"));
  auto x = OpenExchangeSession(ctx, "hit/no-hit check of a partner filter");
  if (!x.ok()) return ReportError(ctx, x.status());
  StoreSession& s = *x->session;
  Result<exchange::MatchResult> matched = exchange::MatchResult();
  Status read = s.ReadIndex(ctx, [&](index::Index& idx) {
    matched = exchange::RunMatchFilter(*file, idx, x->who, x->state);
    return matched.status();
  });
  if (!read.ok()) {
    if (read.code() == StatusCode::kPermissionDenied) return Denied(ctx, s, "match", read);
    return ReportError(ctx, read.WithContext(flags.file + " refused"));
  }
  if (Status a = s.Audit(ctx, matched->record); !a.ok()) {
    return ReportError(ctx, a.WithContext("writing the audit record (no hit was shown)"));
  }
  const std::string& from = matched->partner->name;
  if (ctx.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const exchange::MatchHit& h : matched->hits) {
      nlohmann::json records = nlohmann::json::array();
      for (const auto& [source, key] : h.records) records.push_back({source, key});
      list.push_back({{"id", h.id}, {"caption", h.caption}, {"matched", h.matched}, {"records", records}});
    }
    *ctx.out << nlohmann::json{{"from", from}, {"persons", matched->persons}, {"hits", list}}.dump(2) << "\n";
  } else {
    *ctx.out << matched->hits.size() << " hits among " << matched->persons << " persons for the filter of " << from
             << "\n";
    for (const exchange::MatchHit& h : matched->hits) {
      *ctx.out << "  " << h.id << "  " << h.caption << "  (";
      for (size_t i = 0; i < h.matched.size(); ++i) *ctx.out << (i ? ", " : "") << h.matched[i];
      *ctx.out << ")\n";
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterExchangeCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto flags = std::make_shared<ExchangeFlags>();
  auto* partner = app.add_subcommand("partner", "Partner forces to exchange with: their keys, this store's key");
  partner->require_subcommand(1);
  auto* add = partner->add_subcommand("add", "Register a partner force's public key (journaled)");
  add->add_option("NAME", flags->name, "Partner name: lower-case letters, digits, '-'")->required();
  add->add_option("--key", flags->key, "The partner's key token (ura-x1:...) or a file holding it")->required();
  add->callback([&ctx, &exit_code, flags] { exit_code = PartnerAdd(ctx, *flags); });
  auto* list = partner->add_subcommand("list", "The registered partners");
  list->callback([&ctx, &exit_code] { exit_code = PartnerList(ctx); });
  auto* self = partner->add_subcommand("self", "This store's exchange key (created on first use)");
  self->callback([&ctx, &exit_code] { exit_code = PartnerSelf(ctx); });

  auto* exch = app.add_subcommand("exchange", "Signed, encrypted packages and hit/no-hit checks with partners");
  exch->require_subcommand(1);
  auto* exp = exch->add_subcommand("export", "Write a signed package of entities encrypted to a partner");
  exp->add_option("--to", flags->to, "Partner name")->required();
  exp->add_option("--select", flags->select, "A search query selecting the entities");
  exp->add_option("--ids", flags->ids, "Entity ids to send");
  exp->add_option("--limit", flags->limit, "With --select: at most this many search hits (default 100)");
  exp->add_option("--handling", flags->handling, "Handling code for the partner: H0, H1, H2 (default), H3");
  exp->add_option("--purpose", flags->purpose, "What the partner may use the data for")->required();
  exp->add_option("--provenance", flags->provenance, "What provenance leaves: none (default), source, full");
  exp->add_option("--valid-days", flags->valid_days, "Days before the package expires (default 7)");
  exp->add_option("-o,--output", flags->output, "Package file to write")->required();
  exp->callback([&ctx, &exit_code, flags] { exit_code = Export(ctx, *flags); });
  auto* imp = exch->add_subcommand("import", "Verify a partner's package and ingest its entities");
  imp->add_option("PACKAGE", flags->file, "Package file")->required();
  imp->add_option("--case", flags->cases, "Need-to-know case(s) the imported records belong to (required for H3)");
  imp->callback([&ctx, &exit_code, flags] { exit_code = Import(ctx, *flags); });
  auto* permit = exch->add_subcommand("permit", "Record the originator's permission to pass H2 records on to a partner");
  permit->add_option("--to", flags->to, "Partner name")->required();
  permit->add_option("--ids", flags->ids, "The H2 records")->required();
  permit->add_option("--reference", flags->reference, "Where the originator gave it (e.g. its message number)")
      ->required();
  permit->callback([&ctx, &exit_code, flags] { exit_code = Permit(ctx, *flags); });
  auto* mf = exch->add_subcommand("match-filter", "Write an anonymised hit/no-hit filter for a partner");
  mf->add_option("--to", flags->to, "Partner name")->required();
  mf->add_option("-o,--output", flags->output, "Filter file to write")->required();
  mf->callback([&ctx, &exit_code, flags] { exit_code = MatchFilter(ctx, *flags); });
  auto* match = exch->add_subcommand("match", "Run a partner's hit/no-hit filter against local persons");
  match->add_option("FILTER", flags->file, "Filter file")->required();
  match->callback([&ctx, &exit_code, flags] { exit_code = Match(ctx, *flags); });
}

}  // namespace ura::cli
