// `ura init`: create a store (keys, journal, signed head of the empty tree).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/cli.h"
#include "journal/journal.h"

namespace ura::cli {

void RegisterInitCommand(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("init", "Create a new store; refuses to touch an existing one");
  struct Flags {
    std::string new_key_file;
    uint64_t kdf_memory_mib = 64;
    uint64_t kdf_ops = 3;
  };
  auto flags = std::make_shared<Flags>();
  cmd->add_option("--new-key-file", flags->new_key_file,
                  "Lock the store with a new random key file written here (instead of a passphrase)");
  cmd->add_option("--kdf-memory-mib", flags->kdf_memory_mib, "Argon2id memory in MiB (default 64)")
      ->check(CLI::Range(8, 4096));
  cmd->add_option("--kdf-ops", flags->kdf_ops, "Argon2id passes (default 3)")->check(CLI::Range(1, 20));
  cmd->callback([&ctx, &exit_code, flags] {
    FileSystem& fs = *ctx.fs;
    std::string dir = ctx.DataDir();
    if (fs.Exists(journal::StorePaths(dir).meta)) {
      exit_code = ReportError(ctx, AlreadyExists("a store already exists at " + dir +
                                                 "; `ura init` never touches an existing store"));
      return;
    }
    Result<journal::KeySecret> secret = InvalidArgument("no secret");
    if (!flags->new_key_file.empty()) {
      secret = journal::CreateKeyFile(fs, flags->new_key_file);
    } else {
      secret = ObtainSecret(ctx, /*confirm_new=*/true);
    }
    if (!secret.ok()) {
      exit_code = ReportError(ctx, secret.status());
      return;
    }
    crypto::Argon2Params kdf{flags->kdf_ops, flags->kdf_memory_mib << 20};
    journal::JournalOptions options;
    options.fs = &fs;
    options.clock = ctx.clock;
    auto meta = journal::Journal::Create(dir, *secret, kdf, options);
    if (!meta.ok()) {
      exit_code = ReportError(ctx, meta.status());
      return;
    }
    std::ostream& out = *ctx.out;
    if (ctx.json) {
      nlohmann::json j = {{"data_dir", dir},
                          {"store_id", HexEncode(meta->store_id)},
                          {"signing_public_key", HexEncode(meta->signing_public_key)},
                          {"locked_with", meta->kek_kind == journal::KekKind::kPassphrase ? "passphrase" : "key-file"}};
      out << j.dump(2) << "\n";
    } else {
      out << "Created a Ura store in " << dir << "\n"
          << "  store id            " << HexEncode(meta->store_id) << "\n"
          << "  signing public key  " << HexEncode(meta->signing_public_key) << "\n"
          << "Keep the " << (flags->new_key_file.empty() ? "passphrase" : "key file " + flags->new_key_file)
          << " safe: without it nothing in the store can be read or written.\n"
          << "Save the output of `ura head --json` somewhere off this server: `ura verify "
             "--trusted-head` uses it to detect rollback.\n";
    }
  });
}

}  // namespace ura::cli
