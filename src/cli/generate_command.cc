// `ura generate`: synthetic exports of five police source systems with ground truth
// (src/generate). Needs no store.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>

#include "cli/cli.h"
#include "generate/generate.h"

namespace ura::cli {

void RegisterGenerateCommand(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "generate",
      "Write synthetic exports of five source systems (border, cases, vehicles, wanted, FIU) "
      "with their ground truth in DIR/truth/");
  auto options = std::make_shared<generate::GenerateOptions>();
  cmd->add_option("--out", options->out_dir, "Output directory (new or empty)")->required();
  cmd->add_option("--persons", options->persons, "Number of real people behind the records")
      ->check(CLI::Range(generate::kMinPersons, generate::kMaxPersons))
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "Random seed: the same seed writes the same bytes")
      ->capture_default_str();
  cmd->add_option("--bad-rate", options->bad_rate,
                  "Share of deliberately broken rows in each file, for quarantine tests")
      ->check(CLI::Range(0.0, 0.5))
      ->capture_default_str();
  cmd->add_option("--reporting-threshold", options->reporting_threshold,
                  "Cash reporting threshold in EUR; structuring stays just below it")
      ->check(CLI::Range(100.0, 1e9))
      ->capture_default_str();
  cmd->callback([&ctx, &exit_code, options] {
    auto summary = generate::Generate(*ctx.fs, *options);
    if (!summary.ok()) {
      exit_code = ReportError(ctx, summary.status());
      return;
    }
    *ctx.out << (ctx.json ? generate::SummaryToJson(*summary) : generate::SummaryToText(*summary));
  });
}

}  // namespace ura::cli
