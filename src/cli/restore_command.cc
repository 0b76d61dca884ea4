// `ura restore TARGET --to DIR [--tree-size N | --before TIME] [--trusted-head FILE]`:
// verify the backup, copy it, cut it at the point in time asked for, rebuild the index, verify
// deep, and report the time it took and the recovered tree size and root.
//
// "Verify deep" is what `ura verify --deep` checks, without reading the journal a third time:
// RestoreJournal verified the copied journal keylessly (every frame, the Merkle tree, every
// head's signature, the trusted head); the index rebuild reads every entry through
// journal::ReadEntries, which validates every segment again and decrypts and authenticates
// every entry (any failure stops it); then the rebuilt index is checked against the journal.
// That check (index::CheckAgainstJournal, as in `verify --deep`) re-derives every entity and
// takes minutes at a million entities (bench/RESULTS.md): `--no-index-check` skips it for the
// shortest time to a serving store whose journal is verified; the index is then only as right
// as the rebuild made it (`ura verify --deep` checks it later).
#include <CLI/CLI.hpp>
#include <chrono>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/recovery_commands.h"
#include "cli/store_session.h"
#include "recovery/restore.h"

namespace ura::cli {

namespace {

struct RestoreFlags {
  std::string target;
  std::string to;
  std::optional<uint64_t> tree_size;
  std::string before;
  std::string trusted_head;
  int threads = 2;
  bool no_index_check = false;
};

int Restore(Context& ctx, const RestoreFlags& f) {
  const auto start = std::chrono::steady_clock::now();
  FileSystem& fs = *ctx.fs;
  recovery::RestoreOptions options;
  options.tree_size = f.tree_size;
  options.threads = f.threads;
  if (!f.before.empty()) {
    auto before = recovery::ParseRfc3339(f.before);
    if (!before.ok()) return ReportError(ctx, before.status().WithContext("--before"));
    options.before_us = *before;
  }
  std::optional<journal::SignedHead> trusted;
  if (!f.trusted_head.empty()) {
    auto head = ReadHeadFile(fs, f.trusted_head, "--trusted-head");
    if (!head.ok()) return ReportError(ctx, head.status());
    trusted = *head;
    options.trusted_head = &*trusted;
  }
  auto secret = ObtainSecret(ctx);
  if (!secret.ok()) return ReportError(ctx, secret.status());
  options.secret = &*secret;

  auto restored = recovery::RestoreJournal(fs, f.target, f.to, options);
  if (!restored.ok()) {
    int code = ReportError(ctx, restored.status().WithContext("restore refused, nothing was changed"));
    return restored.status().code() == StatusCode::kDataLoss ? kExitDamaged : code;
  }
  const double journal_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // The index is a projection: rebuilt from the restored journal, then checked against it.
  Context store_ctx = ctx;
  store_ctx.data_flag = f.to;
  auto session = StoreSession::Open(store_ctx, *secret, StoreSession::IndexMode::kRebuild);
  if (!session.ok()) {
    return ReportError(ctx, session.status().WithContext("the journal was restored to " + f.to +
                                                         " but rebuilding its index failed (run `ura reindex` there)"));
  }
  if (Status s = (*session)->Finish(); !s.ok()) return ReportError(ctx, s);
  const double index_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() - journal_seconds;
  const journal::Keyring& keyring = (*session)->keyring();
  journal::StorePaths paths(f.to);
  const recovery::RestoreReport& r = *restored;
  index::Index& idx = (*session)->index();
  // The index records the root with the size when the size is a signed head's (not for 0).
  const Bytes& applied_root = idx.applied_root();
  if (idx.applied_size() != r.tree_size ||
      (!applied_root.empty() && (applied_root.size() != 32 || !std::equal(r.root.begin(), r.root.end(), applied_root.begin())))) {
    ReportError(ctx, Internal("the rebuilt index stops at tree size " + std::to_string(idx.applied_size()) +
                              " or at another root, not at the restored " + std::to_string(r.tree_size)));
    return kExitDamaged;
  }
  Result<index::IndexCheckReport> index_check = index::IndexCheckReport{};
  if (!f.no_index_check) {
    index_check = index::CheckAgainstJournal((*session)->index(), fs, paths, keyring);
    if (!index_check.ok()) {
      ReportError(ctx, index_check.status().WithContext("the rebuilt index does not match the restored journal"));
      return kExitDamaged;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"to", f.to},
                               {"run", r.run},
                               {"backup_tree_size", r.backup_tree_size},
                               {"tree_size", r.tree_size},
                               {"root_hash", HexEncode(r.root)},
                               {"signed_new_head", r.signed_new_head},
                               {"files", r.files},
                               {"bytes_copied", r.bytes_copied},
                               {"entries_authenticated", idx.applied_size()},
                               {"index_checked", !f.no_index_check},
                               {"entities", index_check->entities},
                               {"trusted_head_checked", r.trusted_head_checked},
                               {"seconds_journal", journal_seconds},
                               {"seconds_index", index_seconds},
                               {"seconds_index_check", seconds - journal_seconds - index_seconds},
                               {"seconds", seconds}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << "restored backup run " << r.run << " to " << f.to << ": tree size " << r.tree_size << " (of "
             << r.backup_tree_size << " in the backup)" << (r.signed_new_head ? ", new head signed at the cut" : "")
             << "\nroot " << HexEncode(r.root) << "\n"
             << "verified: Merkle tree and every signed head" << (r.trusted_head_checked ? ", extends the trusted head" : "")
             << "; " << idx.applied_size() << " entries decrypted and authenticated by the index rebuild; "
             << (f.no_index_check ? std::string("index not checked against the journal (--no-index-check)")
                                  : std::to_string(index_check->entities) + " entities in the index match the journal")
             << "\n"
             << std::fixed << std::setprecision(1) << "time: " << seconds << " s (journal copy and verify "
             << journal_seconds << " s, index rebuild " << index_seconds << " s, index check "
             << (seconds - journal_seconds - index_seconds) << " s)\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterRestoreCommand(CLI::App& app, Context& ctx, int& exit_code) {
  auto f = std::make_shared<RestoreFlags>();
  auto* cmd = app.add_subcommand("restore",
                                 "Verify a backup and restore it into a new directory, rebuild the index, verify deep");
  cmd->add_option("TARGET", f->target, "Backup directory written by `ura backup`")->required();
  cmd->add_option("--to", f->to, "New (or empty) directory for the restored store")->required();
  auto* size = cmd->add_option("--tree-size", f->tree_size, "Point in time: the first N journal entries");
  cmd->add_option("--before", f->before, "Point in time: the last signed head before this UTC time (2026-11-29T10:00:00Z)")
      ->excludes(size);
  cmd->add_option("--trusted-head", f->trusted_head,
                  "A head saved off-box with `ura head --json`: refuse a rollback past it or a forged history");
  cmd->add_option("--threads", f->threads, "Threads for verification (default 2)")->check(CLI::Range(1, 64));
  cmd->add_flag("--no-index-check", f->no_index_check,
                "Skip checking the rebuilt index against the journal (minutes at millions of entities); the journal is "
                "still verified and every entry authenticated");
  cmd->callback([&ctx, &exit_code, f] { exit_code = Restore(ctx, *f); });
}

}  // namespace ura::cli
