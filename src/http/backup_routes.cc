// The primary's side of pull backups (recovery/pull.h): a `backup` service account reads the
// journal's files as they are on disk (encrypted) and has the run's manifest signed. A snapshot
// and a signed manifest are audit records; the ranged file reads between them are not (they
// carry only ciphertext, and a run makes hundreds of them), but they are counted in /metrics.
// A signed manifest also leaves a backup note (recovery/backup_log.h), which GET
// /api/v1/backups lists with the local runs' notes for the integrity page.
#include "access/policy.h"
#include "http/api_server.h"
#include "http/replies.h"
#include "recovery/backup_log.h"
#include "recovery/pull.h"

namespace ura::http {

using nlohmann::json;

namespace {

void PullError(httplib::Response& res, const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument: return Error(res, 400, "bad_request", s.message());
    case StatusCode::kNotFound: return Error(res, 404, "not_found", s.message());
    case StatusCode::kFailedPrecondition: return Error(res, 409, "conflict", s.message());
    default: return Error(res, 503, "unavailable", "the store's files cannot be read: " + s.message());
  }
}

}  // namespace

void ApiServer::BackupRoutes() {
  auto primary = [this] {
    return recovery::PullPrimary(DefaultFileSystem(), journal_.paths().dir, journal_.keyring().signer());
  };

  server_->Get("/api/v1/backup/snapshot", [this, primary](const httplib::Request& req, httplib::Response& res) {
    std::optional<access::User> user = Permitted(req, res, access::Action::kReadSealedFiles, "backup-snapshot");
    if (!user) return;
    recovery::SourceSnapshot snapshot;
    auto text = primary().SnapshotJson(&snapshot);
    if (!text.ok()) return PullError(res, text.status());
    audit::Record record;
    record.action = "backup-snapshot";
    record.outcome = "ok";
    record.justification = "pull backup";
    record.detail = std::to_string(snapshot.files.size()) + " files at tree size " + std::to_string(snapshot.head.tree_size);
    if (!AuditRequest(user->name, req, record).ok()) {
      return Error(res, 503, "audit_unavailable", "the backup could not be recorded");
    }
    res.set_content(*text, "application/json");
  });

  server_->Get("/api/v1/backup/file", [this, primary](const httplib::Request& req, httplib::Response& res) {
    if (!Permitted(req, res, access::Action::kReadSealedFiles, "backup-read")) return;
    const std::optional<uint64_t> offset = NumberParam(req, res, "offset", 0, UINT64_MAX / 2);
    if (!offset) return;
    const std::optional<uint64_t> length = NumberParam(req, res, "length", 1, recovery::kMaxPullRead);
    if (!length) return;
    auto bytes = primary().Read(req.get_param_value("path"), *offset, *length);
    if (!bytes.ok()) return PullError(res, bytes.status());
    res.set_content(reinterpret_cast<const char*>(bytes->data()), bytes->size(), "application/octet-stream");
  });

  server_->Post("/api/v1/backup/manifest-signature", [this, primary](const httplib::Request& req, httplib::Response& res) {
    std::optional<access::User> user = Permitted(req, res, access::Action::kReadSealedFiles, "backup-manifest");
    if (!user) return;
    recovery::Manifest manifest;
    auto signature = primary().CheckAndSign(AsBytes(req.body), &manifest);
    audit::Record record;
    record.action = "backup-manifest";
    record.justification = "pull backup";
    record.outcome = signature.ok() ? "ok" : "refused";
    record.detail = signature.ok() ? "run " + std::to_string(manifest.run) + " at tree size " +
                                         std::to_string(manifest.head.tree_size)
                                   : signature.status().message();
    if (!AuditRequest(user->name, req, record).ok()) {
      return Error(res, 503, "audit_unavailable", "the backup could not be recorded");
    }
    if (!signature.ok()) return PullError(res, signature.status());
    recovery::BackupNote note;
    note.time_us = clock_.NowMicros();
    note.mode = "pull";
    note.destination = user->name + " from " + req.remote_addr;
    note.run = manifest.run;
    note.tree_size = manifest.head.tree_size;
    note.root = manifest.head.root;
    for (const recovery::ManifestFile& f : manifest.files) {
      if (!f.sealed) note.bytes_copied += f.size;  // what a run surely copies: the open tail
    }
    if (Status s = recovery::WriteBackupNote(DefaultFileSystem(), journal_.paths().dir, note); !s.ok() && log_) {
      std::lock_guard lock(log_mu_);
      *log_ << json{{"event", "backup_note_failed"}, {"problem", s.message()}}.dump() << "\n";
    }
    Reply(res, 200, json{{"signature", HexEncode(*signature)}});
  });

  // The latest backups the store knows of (its notes), newest first; GET ?limit=N (1-100, 10).
  server_->Get("/api/v1/backups", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Permitted(req, res, access::Action::kReadIntegrity, "backups")) return;
    std::optional<uint64_t> limit = 10;
    if (req.has_param("limit")) limit = NumberParam(req, res, "limit", 1, 100);
    if (!limit) return;
    auto notes = recovery::ReadBackupNotes(DefaultFileSystem(), journal_.paths().dir, *limit);
    if (!notes.ok()) return Error(res, 503, "unavailable", "the backup notes cannot be read: " + notes.status().message());
    json backups = json::array();
    for (const recovery::BackupNote& n : notes->latest) {
      backups.push_back({{"time", FormatRfc3339(n.time_us)},
                         {"mode", n.mode},
                         {"destination", n.destination},
                         {"run", n.run},
                         {"nothing_new", n.nothing_new},
                         {"tree_size", n.tree_size},
                         {"root", HexEncode(n.root)},
                         {"bytes_copied", n.bytes_copied}});
    }
    Reply(res, 200, json{{"backups", backups}, {"problems", notes->problems}});
  });
}

}  // namespace ura::http
