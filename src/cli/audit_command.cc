// `ura audit [--user U] [--entity ID] [--action A] [--since TIME] [--limit N] [--json]`: the
// audit journal -- who consulted, changed or exported what, when, why. Reading it is itself a
// consultation: it needs --reason and is audited first.
#include <CLI/CLI.hpp>
#include <ctime>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/cli.h"
#include "cli/store_session.h"

namespace ura::cli {

namespace {

// YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z], UTC, as microseconds since the epoch.
Result<int64_t> ParseSince(const std::string& text) {
  std::tm tm{};
  int second = 0;
  char tail = '\0';
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                            &tm.tm_hour, &tm.tm_min, &second, &tail);
  const bool date_only = n == 3 && text.size() == 10;
  const bool with_time = (n == 5 || n == 6 || (n == 7 && tail == 'Z'));
  if (!date_only && !with_time) {
    return InvalidArgument("--since '" + text + "' is not a date or time (use 2026-11-01 or 2026-11-01T08:00:00Z, UTC)");
  }
  tm.tm_sec = second;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31) {
    return InvalidArgument("--since '" + text + "' is not a valid date");
  }
  return static_cast<int64_t>(::timegm(&tm)) * 1000000;
}

struct AuditFlags {
  audit::Filter filter;
  std::string since;
  size_t limit = 1000;
};

int Audit(Context& ctx, AuditFlags flags) {
  if (!flags.since.empty()) {
    auto since = ParseSince(flags.since);
    if (!since.ok()) return ReportError(ctx, since.status());
    flags.filter.since_us = *since;
  }
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  audit::Record record;
  record.action = "audit-read";
  for (const auto& [name, value] : {std::pair<const char*, const std::string&>{"user", flags.filter.user},
                                    {"entity", flags.filter.entity},
                                    {"action", flags.filter.action},
                                    {"since", flags.since}}) {
    if (!value.empty()) record.detail += (record.detail.empty() ? "" : " ") + std::string(name) + "=" + value;
  }
  if (record.detail.empty()) record.detail = "all records";
  if (!flags.filter.entity.empty()) record.AddObject(flags.filter.entity);
  if (Status s = (*session)->Audit(ctx, record); !s.ok()) {
    return ReportError(ctx, s.WithContext("writing the audit record (nothing was shown)"));
  }
  std::ostream& out = *ctx.out;
  nlohmann::json all = nlohmann::json::array();
  size_t shown = 0;
  bool more = false;
  Status s = audit::ForEach(*ctx.fs, ctx.paths(), (*session)->keyring(), flags.filter,
                            [&](uint64_t sequence, const audit::Record& r) -> Status {
                              if (shown == flags.limit) {
                                more = true;
                                return Status::Ok();
                              }
                              ++shown;
                              if (ctx.json) {
                                nlohmann::json j = nlohmann::json::parse(audit::EncodeRecord(r));
                                j["sequence"] = sequence;
                                j["time"] = FormatRfc3339(r.time_us);
                                all.push_back(std::move(j));
                                return Status::Ok();
                              }
                              out << FormatRfc3339(r.time_us) << "  " << r.user << "  " << r.action << "  "
                                  << r.outcome << "  reason: " << r.justification;
                              if (!r.detail.empty()) out << "  (" << r.detail << ")";
                              if (r.objects_total > 0) {
                                out << "\n    " << r.objects_total << (r.objects_total == 1 ? " object" : " objects");
                                for (size_t i = 0; i < r.objects.size() && i < 5; ++i) {
                                  out << (i ? ", " : ": ") << r.objects[i];
                                }
                                if (r.objects_total > 5) out << ", ...";
                              }
                              out << "\n";
                              return out ? Status::Ok() : IoError("writing the output failed");
                            });
  if (!s.ok()) return ReportError(ctx, s);
  if (ctx.json) {
    out << nlohmann::json{{"records", all}, {"truncated", more}}.dump(2) << "\n";
  } else if (more) {
    out << "(more records match: narrow the filter or raise --limit)\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterAuditCommand(CLI::App& app, Context& ctx, int& exit_code) {
  auto flags = std::make_shared<AuditFlags>();
  auto* cmd = app.add_subcommand("audit", "Show the audit journal: who consulted, changed or exported what, and why");
  cmd->add_option("--user", flags->filter.user, "Only this user (e.g. cli:alice)");
  cmd->add_option("--entity", flags->filter.entity, "Only records naming this entity id");
  cmd->add_option("--action", flags->filter.action, "Only this action (search, view, history, export, ingest ...)");
  cmd->add_option("--since", flags->since, "Only records from this UTC date or time on (2026-11-01[T08:00:00Z])");
  cmd->add_option("--limit", flags->limit, "Most records to show (default 1000)")->check(CLI::Range(1, 1000000));
  cmd->callback([&ctx, &exit_code, flags] { exit_code = Audit(ctx, *flags); });
}

}  // namespace ura::cli
