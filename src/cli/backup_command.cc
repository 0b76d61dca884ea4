// `ura backup TARGET`: an incremental, signed, never-overwriting copy of the store (the keyring
// stays wrapped); `ura backup --pull https://PRIMARY TARGET --token-file F`: the same copy
// pulled by a backup host from a primary's API (recovery/pull.h), with no store and no store
// key on the backup host; `ura backup --check TARGET [--read-data]`: a keyless check of a backup.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/recovery_commands.h"
#include "http/pull_client.h"
#include "recovery/backup.h"
#include "recovery/backup_log.h"
#include "recovery/pull.h"

namespace ura::cli {

Result<journal::SignedHead> ReadHeadFile(FileSystem& fs, const std::string& path, const std::string& option) {
  auto data = ReadWholeFile(fs, path);
  if (!data.ok()) return InvalidArgument("reading " + option + ": " + data.status().message());
  auto head = journal::ParseHeadJson(AsString(*data));
  if (!head.ok()) return InvalidArgument(path + ": " + head.status().message() + " (give a file from `ura head --json`)");
  if (!journal::VerifyHeadSignature(*head).ok()) {
    return InvalidArgument(path + ": the head's signature does not verify; it is not a head this store signed");
  }
  return head;
}

namespace {

struct BackupFlags {
  std::string target;
  bool check = false;
  bool read_data = false;
  bool reread = false;
  std::string trusted_head;
  int threads = 2;
  std::string pull;        // https://PRIMARY[:PORT]
  std::string token_file;  // the backup account's API token
  std::string ca_file;     // the CA of the primary's certificate
};

int ReportBackup(Context& ctx, const BackupFlags& f, const Result<recovery::BackupReport>& report) {
  if (!report.ok()) {
    int code = ReportError(ctx, report.status());
    return report.status().code() == StatusCode::kDataLoss ? kExitDamaged : code;
  }
  const recovery::BackupReport& r = *report;
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"target", f.target},         {"run", r.run},
                               {"nothing_new", r.nothing_new}, {"previous_run", r.previous_run},
                               {"files", r.files},           {"objects_copied", r.objects_copied}, {"files_reused", r.files_reused},
                               {"bytes_copied", r.bytes_copied}, {"bytes_read", r.bytes_read},
                               {"tree_size", r.head.tree_size}, {"root_hash", HexEncode(r.head.root)},
                               {"manifest", r.manifest_path}}
                    .dump(2)
             << "\n";
  } else if (r.nothing_new) {
    *ctx.out << "nothing new since backup run " << r.previous_run << " (tree size " << r.head.tree_size
             << "): nothing copied\n";
  } else {
    *ctx.out << "backup run " << r.run << " to " << f.target << ": " << r.files << " files, " << r.objects_copied
             << " new chunks copied (" << r.bytes_copied << " bytes; " << r.bytes_read << " bytes read, "
             << r.files_reused << " sealed segments already kept); tree size " << r.head.tree_size << ", root "
             << HexEncode(r.head.root) << "\nmanifest " << r.manifest_path << "\n";
  }
  return kExitOk;
}

int Backup(Context& ctx, const BackupFlags& f) {
  FileSystem& fs = *ctx.fs;
  auto secret = ObtainSecret(ctx);
  if (!secret.ok()) return ReportError(ctx, secret.status());
  // The key signs the manifest; the keyring itself is copied as it is on disk (wrapped).
  auto keyring = journal::Keyring::Unlock(fs, ctx.paths(), *secret);
  if (!keyring.ok()) return ReportError(ctx, keyring.status());
  recovery::LocalStoreSource source(fs, ctx.DataDir());
  recovery::Ed25519ManifestSigner signer((*keyring)->signer());
  recovery::BackupOptions options;
  options.reread_sealed = f.reread;
  auto report = recovery::RunBackup(source, fs, f.target, signer, *ctx.clock, options);
  if (report.ok()) {
    // The store's note of this run, for the integrity page (recovery/backup_log.h). The
    // backup is complete whether or not the note can be written.
    recovery::BackupNote note;
    note.time_us = ctx.clock->NowMicros();
    note.mode = "local";
    std::error_code error;
    const std::filesystem::path where = std::filesystem::absolute(f.target, error);
    note.destination = error ? f.target : where.lexically_normal().string();
    note.run = report->run;
    note.nothing_new = report->nothing_new;
    note.tree_size = report->head.tree_size;
    note.root = report->head.root;
    note.bytes_copied = report->bytes_copied;
    if (Status s = recovery::WriteBackupNote(fs, ctx.DataDir(), note); !s.ok()) {
      *ctx.err << "warning: the backup is complete, but the store's note of it (shown on the integrity page) could "
                  "not be written: "
               << s.message() << "\n";
    }
  }
  return ReportBackup(ctx, f, report);
}

// On the backup host: no store, no store key; the primary signs the manifest.
int Pull(Context& ctx, const BackupFlags& f) {
  FileSystem& fs = *ctx.fs;
  auto token = ReadSecretFile(fs, f.token_file, "--token-file");
  if (!token.ok()) return ReportError(ctx, token.status());
  auto transport = http::HttpsPullTransport::Connect(f.pull, std::move(*token), f.ca_file);
  if (!transport.ok()) return ReportError(ctx, transport.status());
  recovery::PullSource source(**transport);
  recovery::PrimaryManifestSigner signer(**transport, source);
  recovery::BackupOptions options;
  options.reread_sealed = f.reread;
  return ReportBackup(ctx, f, recovery::RunBackup(source, fs, f.target, signer, *ctx.clock, options));
}

int Check(Context& ctx, const BackupFlags& f) {
  FileSystem& fs = *ctx.fs;
  std::optional<journal::SignedHead> trusted;
  if (!f.trusted_head.empty()) {
    auto head = ReadHeadFile(fs, f.trusted_head, "--trusted-head");
    if (!head.ok()) return ReportError(ctx, head.status());
    trusted = *head;
  }
  recovery::CheckOptions options;
  options.read_data = f.read_data;
  options.trusted_head = trusted ? &*trusted : nullptr;
  options.threads = f.threads;
  auto report = recovery::CheckBackup(fs, f.target, options);
  if (!report.ok()) return ReportError(ctx, report.status());
  const recovery::CheckReport& r = *report;
  if (ctx.json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : r.problems) {
      nlohmann::json j = {{"file", p.file}, {"message", p.message}};
      if (p.offset) j["offset"] = *p.offset;
      problems.push_back(j);
    }
    *ctx.out << nlohmann::json{{"intact", r.intact},         {"manifests", r.manifests}, {"objects", r.objects},
                               {"bytes", r.bytes},           {"latest_run", r.latest_run},
                               {"tree_size", r.latest_head.tree_size}, {"root_hash", HexEncode(r.latest_head.root)},
                               {"data_read", r.data_read},   {"problems", problems}, {"notes", r.notes}}
                    .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
             << "\n";
  } else {
    for (const auto& p : r.problems) {
      *ctx.out << "DAMAGED: " << p.file;
      if (p.offset) *ctx.out << " (byte offset " << *p.offset << ")";
      *ctx.out << ": " << p.message << "\n";
    }
    for (const auto& n : r.notes) *ctx.out << "note: " << n << "\n";
    if (r.intact) {
      *ctx.out << "intact: " << r.manifests << " signed manifests, " << r.objects << " files (" << r.bytes
               << " bytes) match their SHA-256; latest run " << r.latest_run << " at tree size "
               << r.latest_head.tree_size << ", root " << HexEncode(r.latest_head.root) << "\n"
               << (r.data_read ? "journal verified as `ura verify` does (keyless), every run's head in its history\n"
                               : "journal not read (add --read-data to verify it entry by entry)\n");
    } else {
      *ctx.out << "The backup is damaged: restore from another copy, and find out how this one was changed.\n";
    }
  }
  return r.intact ? kExitOk : kExitDamaged;
}

}  // namespace

void RegisterBackupCommand(CLI::App& app, Context& ctx, int& exit_code) {
  auto f = std::make_shared<BackupFlags>();
  auto* cmd = app.add_subcommand(
      "backup", "Copy what is new in the store to TARGET (signed manifest, never overwrites); --check verifies a backup "
                "without keys (exit 0 intact, 3 damaged)");
  cmd->add_option("TARGET", f->target, "Backup directory (local disk, WORM share, removable media)")->required();
  cmd->add_flag("--check", f->check, "Verify the backup instead of writing one (no keys, no primary needed)");
  cmd->add_flag("--reread", f->reread,
                "Re-read the sealed segments the last run kept and refuse if the primary's copy changed (reads the "
                "whole journal)");
  cmd->add_flag("--read-data", f->read_data, "With --check: also verify the journal in the backup entry by entry");
  cmd->add_option("--trusted-head", f->trusted_head, "With --check: a head saved earlier with `ura head --json`");
  cmd->add_option("--threads", f->threads, "Threads for --read-data (default 2)")->check(CLI::Range(1, 64));
  cmd->add_option("--pull", f->pull,
                  "On a backup host: pull from the primary's API at https://HOST[:PORT] (needs --token-file; no store "
                  "or store key here)");
  cmd->add_option("--token-file", f->token_file, "With --pull: file holding the API token of an account of role backup");
  cmd->add_option("--ca-file", f->ca_file, "With --pull: PEM CA certificate(s) to trust for the primary's certificate");
  cmd->callback([&ctx, &exit_code, f] {
    if (f->pull.empty() != f->token_file.empty()) {
      exit_code = ReportError(ctx, InvalidArgument("--pull and --token-file go together"));
      return;
    }
    if (f->pull.empty() && !f->ca_file.empty()) {
      exit_code = ReportError(ctx, InvalidArgument("--ca-file goes with --pull"));
      return;
    }
    if (!f->pull.empty() && f->check) {
      exit_code = ReportError(ctx, InvalidArgument("--check reads only the backup: drop --pull"));
      return;
    }
    if (!f->check && (f->read_data || !f->trusted_head.empty())) {
      exit_code = ReportError(ctx, InvalidArgument("--read-data and --trusted-head go with --check"));
      return;
    }
    if (f->check && f->reread) {
      exit_code = ReportError(ctx, InvalidArgument("--reread goes with a backup run, not with --check"));
      return;
    }
    exit_code = f->check ? Check(ctx, *f) : !f->pull.empty() ? Pull(ctx, *f) : Backup(ctx, *f);
  });
}

}  // namespace ura::cli
