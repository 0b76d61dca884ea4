// `ura aml scan [--since DATE] [--config FILE]` (detect the laundering typologies of src/aml
// in the stored payments and store new alerts in the journal) and `ura aml alerts` (list the
// stored alerts the consultant may see). The scan reads every payment, so it runs as the
// store's custodian (like `ura resolve`); alerts carry the strictest marking of their payments
// and a user sees only those it allows.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <set>

#include "aml/aml.h"
#include "cli/cli.h"
#include "cli/store_session.h"
#include "model/dates.h"
#include "service/consult.h"

namespace ura::cli {

namespace {

struct AmlFlags {
  std::string since;
  std::string config;
  std::string typology;
  size_t limit = 50;
};

Result<aml::Options> LoadOptions(Context& ctx, const std::string& path) {
  if (path.empty()) return aml::Options();
  Result<Bytes> text = ReadWholeFile(*ctx.fs, path);
  if (!text.ok()) return text.status().WithContext("reading the AML thresholds file (--config)");
  return aml::ParseOptions(AsString(*text), path);
}

std::string Date(int32_t day) { return model::DateOfDay(day); }

Result<int32_t> SinceDay(const std::string& since) {
  if (since.empty()) return aml::kNoSince;
  const int32_t day = model::DayOfDate(since);
  if (day == model::kNoDay || since.size() != 10) {
    return InvalidArgument("--since '" + since + "' is not a date: write YYYY-MM-DD");
  }
  return day;
}

int Scan(Context& ctx, const AmlFlags& flags) {
  if (!ctx.as_user.empty()) {
    return ReportError(
        ctx, PermissionDenied("ura aml scan reads every payment and runs as the store's custodian "
                              "(without --as); users list the alerts with `ura aml alerts`"));
  }
  Result<aml::Options> options = LoadOptions(ctx, flags.config);
  if (!options.ok()) return ReportError(ctx, options.status());
  Result<int32_t> since = SinceDay(flags.since);
  if (!since.ok()) return ReportError(ctx, since.status());
  auto session = StoreSession::OpenForWrite(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  StoreSession& s = **session;
  Result<aml::Transactions> payments = aml::Transactions();
  Status read = s.ReadIndex(ctx, [&](index::Index& idx) {
    payments = aml::LoadTransactions(idx, model::SchemaRegistry::Builtin(), *options);
    return payments.status();
  });
  if (!read.ok()) return ReportError(ctx, read);
  Result<std::vector<aml::Alert>> stored = aml::LoadAlerts(*ctx.fs, ctx.paths(), s.keyring());
  if (!stored.ok()) return ReportError(ctx, stored.status());
  std::set<std::string> known;
  for (const aml::Alert& a : *stored) known.insert(a.id);
  std::vector<aml::Alert> alerts =
      aml::Scan(payments->payments, *options, *since, payments->holders);
  std::vector<aml::Alert> fresh;
  std::vector<std::string> payloads;
  const int64_t now = ctx.clock->NowMicros();
  for (aml::Alert& a : alerts) {
    if (known.contains(a.id)) continue;
    a.time_us = now;
    payloads.push_back(aml::EncodeAlert(a));
    fresh.push_back(a);
  }
  // The new alerts and the record of the scan in one commit.
  audit::Record record;
  record.action = "aml-scan";
  record.time_us = now;
  record.user = CliUser();
  record.client = "local";
  record.justification = ctx.reason;
  record.objects_total = payments->payments.size();
  record.detail = std::to_string(payments->payments.size()) + " payments" +
                  (flags.since.empty() ? "" : " since " + flags.since) + ": " +
                  std::to_string(alerts.size()) + " alerts, " + std::to_string(fresh.size()) +
                  " new";
  const std::string audit_payload = audit::EncodeRecord(record);
  std::vector<journal::EntryInput> entries;
  for (const std::string& p : payloads) entries.push_back({aml::kEntryTypeAlert, AsBytes(p)});
  entries.push_back({audit::kEntryTypeAudit, AsBytes(audit_payload)});
  if (auto appended = s.journal()->Append(entries); !appended.ok()) {
    return ReportError(ctx, appended.status().WithContext("storing the alerts"));
  }
  std::map<std::string, uint64_t> by_typology;
  for (const aml::Alert& a : alerts) ++by_typology[a.typology];
  if (ctx.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const aml::Alert& a : fresh) list.push_back(aml::AlertJson(a));
    *ctx.out << nlohmann::json{{"payments", payments->payments.size()},
                               {"skipped", payments->skipped},
                               {"alerts", alerts.size()},
                               {"new", fresh.size()},
                               {"by_typology", by_typology},
                               {"new_alerts", list}}
                    .dump(2)
             << "\n";
    return kExitOk;
  }
  *ctx.out << payments->payments.size() << " payments scanned (" << payments->skipped
           << " skipped: no date, amount, known currency or two accounts); " << alerts.size()
           << " alerts, " << fresh.size() << " new\n";
  for (const auto& [typology, count] : by_typology)
    *ctx.out << "  " << std::left << std::setw(16) << typology << count << "\n";
  return kExitOk;
}

int Alerts(Context& ctx, const AmlFlags& flags) {
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  StoreSession& s = **session;
  auto who = s.Authorise(ctx, access::Action::kConsult, "aml-alerts");
  if (!who.ok()) return ReportError(ctx, who.status());
  Result<aml::AlertsAnswer> answer =
      aml::ListAlerts(*ctx.fs, ctx.paths(), s.keyring(), *who, flags.typology, flags.limit);
  if (!answer.ok()) return ReportError(ctx, answer.status());
  if (Status written = s.Audit(ctx, answer->record); !written.ok()) {
    return ReportError(ctx, written.WithContext("writing the audit record (nothing was shown)"));
  }
  if (ctx.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const aml::Alert& a : answer->alerts) list.push_back(aml::AlertJson(a));
    *ctx.out << nlohmann::json{{"alerts", list}}.dump(2) << "\n";
    return kExitOk;
  }
  for (const aml::Alert& a : answer->alerts) {
    *ctx.out << a.id << "  " << a.typology << "  score " << std::fixed << std::setprecision(2)
             << a.score << "  " << Date(a.first_day) << ".." << Date(a.last_day) << "  "
             << a.transactions.size() << " payments, " << static_cast<double>(a.total_cents) / 100.0
             << " EUR\n    " << a.explanation << "\n";
  }
  *ctx.out << answer->alerts.size() << " alerts shown\n";
  return kExitOk;
}

}  // namespace

void RegisterAmlCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto flags = std::make_shared<AmlFlags>();
  auto* aml_cmd =
      app.add_subcommand("aml", "Money-laundering typologies in the stored payments: scan, alerts");
  aml_cmd->require_subcommand(1);
  auto* scan = aml_cmd->add_subcommand("scan",
                                       "Detect fan-in/out, cycles, scatter-gather, gather-scatter, "
                                       "bipartite, stack and structuring; store new alerts");
  scan->add_option("--since", flags->since, "Only alerts with a payment on or after YYYY-MM-DD");
  scan->add_option("--config", flags->config,
                   "Thresholds file (TOML, table [aml]; see docs/cli.md)");
  scan->callback([&ctx, &exit_code, flags] { exit_code = Scan(ctx, *flags); });
  auto* alerts =
      aml_cmd->add_subcommand("alerts", "List stored alerts, oldest first (needs --reason)");
  alerts->add_option("--typology", flags->typology,
                     "Only this typology (fan_out, cycle, structuring ...)");
  alerts->add_option("--limit", flags->limit, "Most alerts to show (default 50)")
      ->check(CLI::Range(1, 1000000));
  alerts->callback([&ctx, &exit_code, flags] { exit_code = Alerts(ctx, *flags); });
}

}  // namespace ura::cli
