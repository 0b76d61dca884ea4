// `ura head`: the latest signed tree head. Needs no keys.
#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/cli.h"
#include "journal/journal_reader.h"

namespace ura::cli {

void RegisterHeadCommand(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("head", "Print the latest signed tree head (save it off-box with --json)");
  cmd->callback([&ctx, &exit_code] {
    journal::StorePaths paths = ctx.paths();
    auto meta = journal::LoadStoreMeta(*ctx.fs, paths);
    if (!meta.ok()) {
      exit_code = ReportError(ctx, meta.status());
      return;
    }
    auto head = journal::ReadLatestHead(*ctx.fs, paths, *meta);
    if (!head.ok()) {
      exit_code = ReportError(ctx, head.status());
      return;
    }
    std::ostream& out = *ctx.out;
    if (ctx.json) {
      out << journal::HeadToJson(*head) << "\n";
    } else {
      out << "store id    " << HexEncode(head->store_id) << "\n"
          << "tree size   " << head->tree_size << "\n"
          << "root hash   " << HexEncode(head->root) << "\n"
          << "timestamp   " << FormatRfc3339(head->timestamp_us) << "\n"
          << "key id      " << head->key_id << "\n"
          << "signature   " << HexEncode(head->signature) << "\n"
          << "public key  " << HexEncode(head->public_key) << "\n";
    }
  });
}

}  // namespace ura::cli
