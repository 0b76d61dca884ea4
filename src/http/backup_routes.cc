// The primary's side of pull backups (recovery/pull.h): a `backup` service account reads the
// journal's files as they are on disk (encrypted) and has the run's manifest signed. A snapshot
// and a signed manifest are audit records; the ranged file reads between them are not (they
// carry only ciphertext, and a run makes hundreds of them), but they are counted in /metrics.
#include "access/policy.h"
#include "http/api_server.h"
#include "http/replies.h"
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
    Reply(res, 200, json{{"signature", HexEncode(*signature)}});
  });
}

}  // namespace ura::http
