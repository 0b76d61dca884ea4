// `ura key rotate` and `ura key list`: data-key epochs.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/cli.h"
#include "journal/journal.h"

namespace ura::cli {

void RegisterKeyCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* group = app.add_subcommand("key", "Data keys");
  group->require_subcommand(1);

  auto* rotate = group->add_subcommand("rotate", "Start a new data-key epoch; later entries use it");
  rotate->callback([&ctx, &exit_code] {
    auto secret = ObtainSecret(ctx);
    if (!secret.ok()) {
      exit_code = ReportError(ctx, secret.status());
      return;
    }
    journal::JournalOptions options;
    options.fs = ctx.fs;
    options.clock = ctx.clock;
    auto j = journal::Journal::OpenForWrite(ctx.DataDir(), *secret, options);
    if (!j.ok()) {
      exit_code = ReportError(ctx, j.status());
      return;
    }
    auto id = (*j)->RotateDataKey();
    if (!id.ok()) {
      exit_code = ReportError(ctx, id.status());
      return;
    }
    if (ctx.json) {
      *ctx.out << nlohmann::json{{"active_data_key", *id}}.dump() << "\n";
    } else {
      *ctx.out << "data key " << *id << " is now active; earlier entries keep their keys\n";
    }
  });

  auto* list = group->add_subcommand("list", "List data keys");
  list->callback([&ctx, &exit_code] {
    auto secret = ObtainSecret(ctx);
    if (!secret.ok()) {
      exit_code = ReportError(ctx, secret.status());
      return;
    }
    auto keyring = journal::Keyring::Unlock(*ctx.fs, ctx.paths(), *secret);
    if (!keyring.ok()) {
      exit_code = ReportError(ctx, keyring.status());
      return;
    }
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& k : (*keyring)->data_keys()) {
      bool active = k.id == (*keyring)->active_data_key_id();
      if (ctx.json) {
        keys.push_back({{"id", k.id}, {"created", FormatRfc3339(k.created_us)}, {"active", active}});
      } else {
        *ctx.out << "key " << k.id << "  created " << FormatRfc3339(k.created_us)
                 << (active ? "  (active)" : "") << "\n";
      }
    }
    if (ctx.json) *ctx.out << keys.dump(2) << "\n";
  });
}

}  // namespace ura::cli
