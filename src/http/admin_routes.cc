// The API's administrative and operational routes: users (administrators), upload of a
// source file (analysts and service accounts), verification (auditors and administrators
// start one; everyone signed in reads the last result). Every change is a journal entry with
// its audit record, written before the answer.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <regex>

#include "access/password.h"
#include "crypto/sha256.h"
#include "http/api_server.h"
#include "http/replies.h"
#include "http/requests.h"
#include "ingest/ingester.h"
#include "ingest/mapping.h"
#include "journal/verify.h"
#include "recovery/witness.h"
#include "service/resolution.h"
#include "service/store_writer.h"
#include "service/user_admin.h"

namespace ura::http {

namespace {

using nlohmann::json;

constexpr const char* kLastVerifyFile = "last-verify.json";  // in the store directory

// The verdict on every witness expected (`options.witnesses`) or found in the cosignatures
// directory, as JSON, and what is wrong if anything is ("" if nothing).
Result<std::pair<json, std::string>> WitnessVerdicts(FileSystem& fs, const ServerOptions& options,
                                                     const journal::StorePaths& paths, const journal::StoreMeta& meta) {
  const std::string dir =
      options.cosignatures_dir.empty() ? JoinPath(paths.dir, "cosignatures") : options.cosignatures_dir;
  URA_ASSIGN_OR_RETURN(std::vector<std::string> found, recovery::WitnessesIn(fs, dir, meta));
  std::vector<std::string> keys = options.witnesses;
  for (const std::string& k : found) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  // The head frames (a second, structural read of the journal) only when there is a witness
  // to check them against; damaged cosignature files are reported without them.
  std::vector<recovery::HeadFrame> heads;
  if (!keys.empty()) {
    URA_ASSIGN_OR_RETURN(heads, recovery::ListHeadFrames(fs, paths.journal_dir));
  }
  URA_ASSIGN_OR_RETURN(auto verdicts, recovery::CheckWitnesses(fs, dir, keys, meta, heads));
  json out = json::array();
  std::string problem;
  for (const recovery::WitnessVerdict& v : verdicts) {
    const bool expected =
        std::find(options.witnesses.begin(), options.witnesses.end(), v.witness) != options.witnesses.end();
    out.push_back({{"public_key", v.witness},
                   {"expected", expected},
                   {"ok", v.ok},
                   {"cosigned_size", v.cosigned_size},
                   {"cosigned", v.cosigned_us ? FormatRfc3339(v.cosigned_us) : ""},
                   {"problem", v.problem}});
    if (!v.ok && problem.empty()) {
      problem = v.witness.empty() ? v.problem : "witness " + v.witness.substr(0, 16) + "...: " + v.problem;
    }
  }
  return std::make_pair(std::move(out), std::move(problem));
}

json UserJson(const access::User& u) {
  return {{"name", u.name},
          {"role", access::RoleName(u.role)},
          {"clearance", model::ClassificationName(u.clearance)},
          {"mfa", !u.totp_secret.empty()},
          {"disabled", u.disabled},
          {"cases", u.cases},
          {"created", FormatRfc3339(u.created_us)}};
}

// An in-memory file (memfd): uploads are police data and never touch the disk unencrypted.
class MemoryFile {
 public:
  explicit MemoryFile(const char* name) : fd_(::memfd_create(name, MFD_CLOEXEC)) {}
  ~MemoryFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }
  bool Append(const char* data, size_t size) {
    while (size > 0) {
      ssize_t n = ::write(fd_, data, size);
      if (n <= 0) return false;
      data += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }
  // The first `limit` bytes.
  std::string Head(size_t limit) const {
    std::string out(limit, '\0');
    ssize_t n = ::pread(fd_, out.data(), limit, 0);
    out.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return out;
  }

 private:
  int fd_;
};

}  // namespace

void ApiServer::AdminRoutes() {
  server_->Get("/api/v1/users", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<access::User> admin = Permitted(req, res, access::Action::kAdministerUsers, "user-list");
    if (!admin) return;
    json users = json::array();
    for (const access::User& u : sessions_.AllUsers()) users.push_back(UserJson(u));
    Reply(res, 200, json{{"users", users}});
  });

  // Journals `event` with its audit record, then applies it; one change at a time so that
  // each is checked against the directory as the previous one left it.
  auto change = [this](const access::User& admin, const httplib::Request& req, httplib::Response& res,
                       access::UserEvent event, const std::string& action, const std::string& detail) -> bool {
    std::lock_guard lock(admin_mu_);
    event.actor = admin.name;
    event.time_us = clock_.NowMicros();
    audit::Record record;
    record.client = req.remote_addr;
    record.action = action;
    const std::string why = req.get_header_value("X-Justification");
    record.justification = audit::CheckJustification(why).ok() ? why : "user administration";
    record.detail = detail;
    Status s = service::JournalUserEvent(journal_, sessions_.DirectoryCopy(), event, record);
    if (s.ok()) s = sessions_.ApplyUserEvent(users_, event);
    if (s.ok()) return true;
    switch (s.code()) {
      case StatusCode::kNotFound: Error(res, 404, "not_found", s.message()); break;
      case StatusCode::kAlreadyExists: Error(res, 409, "exists", s.message()); break;
      case StatusCode::kInvalidArgument:
      case StatusCode::kFailedPrecondition: Error(res, 400, "bad_value", s.message()); break;
      default: Error(res, 503, "unavailable", "the change could not be journaled; nothing changed");
    }
    return false;
  };

  server_->Post("/api/v1/users", [this, change](const httplib::Request& req, httplib::Response& res) {
    std::optional<access::User> admin = Permitted(req, res, access::Action::kAdministerUsers, "user-add");
    if (!admin) return;
    Decoded<NewUserRequest> decoded = DecodeNewUser(req.body);
    if (auto* bad = std::get_if<BadRequest>(&decoded)) return Error(res, 400, bad->code, bad->message);
    NewUserRequest& r = std::get<NewUserRequest>(decoded);
    access::UserEvent add;
    add.kind = access::UserEvent::Kind::kAdd;
    add.user = r.name;
    add.role = r.role;
    add.clearance = r.clearance;
    if (!access::IsMachineAccount(r.role)) {
      if (Status q = access::CheckPasswordQuality(r.password, r.name); !q.ok()) {
        return Error(res, 400, "weak_password", q.message());
      }
      auto hash = access::HashPassword(r.password);
      std::fill(r.password.begin(), r.password.end(), '\0');
      if (!hash.ok()) return Error(res, 503, "unavailable", "the password could not be hashed now");
      add.password_hash = *hash;
    }
    const std::string detail = "user " + r.name + ", role " + std::string(access::RoleName(r.role)) + ", clearance " +
                               std::string(model::ClassificationName(r.clearance));
    if (!change(*admin, req, res, add, "user-add", detail)) return;
    json out = UserJson(*sessions_.FindUser(r.name));
    if (access::IsMachineAccount(r.role)) {
      const std::string token = "ura_" + HexEncode(crypto::RandomBytes(32));
      access::UserEvent grant;
      grant.kind = access::UserEvent::Kind::kApiToken;
      grant.user = r.name;
      grant.api_token_hash = HexEncode(crypto::Sha256(AsBytes(token)));
      if (!change(*admin, req, res, grant, "user-api-token", "user " + r.name)) return;
      out["api_token"] = token;  // shown once
    }
    Reply(res, 201, out);
  });

  // POST /api/v1/users/{name}/disable|enable|unlock; PUT .../role|cases|password.
  const std::string name_re = "/api/v1/users/([a-z][a-z0-9._-]{1,63})/";
  for (const char* verb : {"disable", "enable", "unlock"}) {
    const std::string what = verb;
    server_->Post(name_re + what, [this, change, what](const httplib::Request& req, httplib::Response& res) {
      std::optional<access::User> admin = Permitted(req, res, access::Action::kAdministerUsers, "user-" + what);
      if (!admin) return;
      const std::string name = req.matches[1];
      if (what == "unlock") {
        if (!sessions_.FindUser(name)) return Error(res, 404, "not_found", "no user '" + name + "'");
        audit::Record record;
        record.action = "user-unlock";
        record.justification = "user administration";
        record.detail = "user " + name;
        if (!AuditRequest(admin->name, req, record).ok()) return Error(res, 503, "audit_unavailable", "not recorded");
        sessions_.Unlock(name);
        return Reply(res, 200, UserJson(*sessions_.FindUser(name)));
      }
      access::UserEvent event;
      event.kind = what == "disable" ? access::UserEvent::Kind::kDisable : access::UserEvent::Kind::kEnable;
      event.user = name;
      if (what == "disable" && name == admin->name) {
        return Error(res, 400, "bad_value", "administrators do not disable themselves (ask another administrator)");
      }
      if (!change(*admin, req, res, event, "user-" + what, "user " + name)) return;
      Reply(res, 200, UserJson(*sessions_.FindUser(name)));
    });
  }
  server_->Put(name_re + "role", [this, change](const httplib::Request& req, httplib::Response& res) {
    std::optional<access::User> admin = Permitted(req, res, access::Action::kAdministerUsers, "user-role");
    if (!admin) return;
    Decoded<RoleRequest> decoded = DecodeRole(req.body);
    if (auto* bad = std::get_if<BadRequest>(&decoded)) return Error(res, 400, bad->code, bad->message);
    const std::string name = req.matches[1];
    if (name == admin->name) {
      return Error(res, 400, "bad_value", "administrators do not change their own role (ask another administrator)");
    }
    access::UserEvent event;
    event.kind = access::UserEvent::Kind::kRole;
    event.user = name;
    event.role = std::get<RoleRequest>(decoded).role;
    event.clearance = std::get<RoleRequest>(decoded).clearance;
    const std::string detail = "user " + name + ", role " + std::string(access::RoleName(event.role)) +
                               ", clearance " + std::string(model::ClassificationName(event.clearance));
    if (!change(*admin, req, res, event, "user-role", detail)) return;
    Reply(res, 200, UserJson(*sessions_.FindUser(name)));
  });
  server_->Put(name_re + "cases", [this, change](const httplib::Request& req, httplib::Response& res) {
    std::optional<access::User> admin = Permitted(req, res, access::Action::kAdministerUsers, "user-cases");
    if (!admin) return;
    Decoded<CasesRequest> decoded = DecodeCases(req.body);
    if (auto* bad = std::get_if<BadRequest>(&decoded)) return Error(res, 400, bad->code, bad->message);
    access::UserEvent event;
    event.kind = access::UserEvent::Kind::kCases;
    event.user = req.matches[1];
    event.cases = std::get<CasesRequest>(decoded).cases;
    std::string list;
    for (const std::string& c : event.cases) list += (list.empty() ? "" : ", ") + c;
    if (!change(*admin, req, res, event, "user-cases", "user " + event.user + ", cases: " + list)) return;
    Reply(res, 200, UserJson(*sessions_.FindUser(event.user)));
  });
  server_->Put(name_re + "password", [this, change](const httplib::Request& req, httplib::Response& res) {
    std::optional<access::User> admin = Permitted(req, res, access::Action::kAdministerUsers, "user-password");
    if (!admin) return;
    Decoded<PasswordRequest> decoded = DecodePassword(req.body);
    if (auto* bad = std::get_if<BadRequest>(&decoded)) return Error(res, 400, bad->code, bad->message);
    std::string& password = std::get<PasswordRequest>(decoded).password;
    const std::string name = req.matches[1];
    if (Status q = access::CheckPasswordQuality(password, name); !q.ok()) return Error(res, 400, "weak_password", q.message());
    auto hash = access::HashPassword(password);
    std::fill(password.begin(), password.end(), '\0');
    if (!hash.ok()) return Error(res, 503, "unavailable", "the password could not be hashed now");
    access::UserEvent event;
    event.kind = access::UserEvent::Kind::kPassword;
    event.user = name;
    event.password_hash = *hash;
    if (!change(*admin, req, res, event, "user-password", "user " + name)) return;
    Reply(res, 200, UserJson(*sessions_.FindUser(name)));
  });
}

void ApiServer::IngestAndVerifyRoutes() {
  // A source file in the body, mapped with mappings/NAME.yml.
  server_->Post("/api/v1/ingest", [this](const httplib::Request& req, httplib::Response& res,
                                         const httplib::ContentReader& content) {
    std::optional<access::User> user = Permitted(req, res, access::Action::kIngest, "ingest");
    if (!user) return;
    const std::string name = req.get_param_value("mapping");
    static const std::regex kName("[a-z0-9][a-z0-9_-]{0,63}");
    if (!std::regex_match(name, kName)) {
      return Error(res, 400, "bad_mapping", "give ?mapping=NAME: a mapping's name (letters, digits, - and _), e.g. border");
    }
    auto mapping = ingest::LoadMapping(options_.mappings_dir + "/" + name + ".yml", model::SchemaRegistry::Builtin());
    if (!mapping.ok()) {
      return Error(res, mapping.status().code() == StatusCode::kNotFound ? 404 : 400, "bad_mapping",
                   "mapping '" + name + "': " + mapping.status().message());
    }
    MemoryFile upload("ura-upload"), rejects("ura-rejects");
    if (!upload.ok() || !rejects.ok()) return Error(res, 503, "unavailable", "no memory for the upload now");
    bool written = true;
    content([&](const char* data, size_t size) { return written = upload.Append(data, size); });
    if (!written) return Error(res, 503, "unavailable", "no memory for the upload now");
    std::lock_guard ingest_lock(ingest_mu_);
    service::WrittenIds written_ids(service::kMaxMatchedAtIngest);
    service::StoreWriter writer(journal_, index_, &store_mu_, &written_ids);
    ingest::IngestOptions options;
    options.clock = &clock_;
    options.rejects_path = rejects.path();
    ingest::Ingester ingester(*mapping, model::SchemaRegistry::Builtin(), writer, writer, options);
    auto summary = ingester.IngestFile(upload.path());
    // Messages name the in-memory file by its /proc path: say "the upload" instead.
    auto plain = [&](std::string message) {
      for (size_t at; (at = message.find(upload.path())) != std::string::npos;) {
        message.replace(at, upload.path().size(), "the upload");
      }
      return message;
    };
    audit::Record record;
    record.action = "ingest";
    const std::string why = req.get_header_value("X-Justification");
    record.justification = audit::CheckJustification(why).ok() ? why : "ingest";
    if (!summary.ok()) {
      record.outcome = "failed";
      record.detail = "upload with mapping " + name + ": " + plain(summary.status().message());
      AuditRequest(user->name, req, record).IgnoreError();
      const int status = summary.status().code() == StatusCode::kInvalidArgument ? 400 : 503;
      return Error(res, status, "ingest_failed", plain(summary.status().message()) + " (what was written before is stored)");
    }
    const ingest::IngestSummary& s = *summary;
    record.objects_total = s.versions_written;
    record.detail = "upload with mapping " + name + ": " + std::to_string(s.versions_written) +
                    " entity versions written, " + std::to_string(s.records_rejected) + " records rejected";
    if (Status a = AuditRequest(user->name, req, record); !a.ok()) {
      return Error(res, 503, "audit_unavailable", "the ingest is stored but its audit record failed; tell the auditor");
    }
    json out = {{"mapping", name},
                {"read", s.records_read},
                {"written", s.versions_written},
                {"unchanged", s.unchanged},
                {"rejected", s.records_rejected},
                {"filtered", s.records_filtered},
                {"written_by_schema", s.written_by_schema}};
    if (!s.file_error.ok()) out["error"] = plain(s.file_error.message());
    // Entity resolution: the new Person records matched against those already there.
    audit::Record matched_record;
    matched_record.time_us = clock_.NowMicros();
    matched_record.user = user->name;
    matched_record.client = req.remote_addr;
    matched_record.justification = record.justification;
    auto matched =
        service::ResolveIngested(journal_, index_, written_ids, matched_record, clock_.NowMicros(), &store_mu_);
    if (matched.ok() && matched->ran) {
      out["resolution"] = {{"records", matched->records},
                           {"joined", matched->joined},
                           {"bridged", matched->bridged},
                           {"compared", matched->compared}};
    } else if (matched.ok() && !matched->no_run) {
      out["resolution"] = {{"skipped", matched->skipped}};
    } else if (!matched.ok()) {
      out["resolution"] = {{"error", "the new records were not matched with known persons: " + matched.status().message()}};
    }
    if (s.records_rejected > 0) {
      // The rejected records come back to the uploader (up to 1 MiB): they are theirs.
      constexpr size_t kMaxRejects = 1 << 20;
      std::string text = rejects.Head(kMaxRejects + 1);
      out["rejects_truncated"] = text.size() > kMaxRejects;
      if (text.size() > kMaxRejects) text.resize(text.rfind('\n', kMaxRejects) + 1);
      json lines = json::array();
      for (size_t at = 0; at < text.size();) {
        size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        json line = json::parse(text.substr(at, end - at), nullptr, false);
        if (!line.is_discarded()) lines.push_back(std::move(line));
        at = end + 1;
      }
      out["rejects"] = lines;
    }
    Reply(res, s.records_read > 0 && s.records_rejected == s.records_read ? 422 : 200, out);
  });

  server_->Get("/api/v1/verify", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Permitted(req, res, access::Action::kReadIntegrity, "verify-status")) return;
    std::lock_guard lock(verify_state_mu_);
    if (last_verify_.empty()) {
      // The last result a server wrote before this one started (kept beside the store).
      auto kept = ReadWholeFile(DefaultFileSystem(), JoinPath(journal_.paths().dir, kLastVerifyFile));
      if (kept.ok() && json::accept(AsString(*kept))) last_verify_ = std::string(AsString(*kept));
    }
    if (last_verify_.empty()) return Reply(res, 200, json{{"state", "never"}});
    res.set_content(last_verify_, "application/json");
  });

  // Keyless verification of the whole journal now (as `ura verify`): every frame, the
  // Merkle tree, every signed head.
  server_->Post("/api/v1/verify", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<access::User> user = Permitted(req, res, access::Action::kVerify, "verify");
    if (!user) return;
    std::unique_lock running(verify_mu_, std::try_to_lock);
    if (!running.owns_lock()) return Error(res, 409, "busy", "a verification is running; GET /api/v1/verify for its result");
    const auto started = std::chrono::steady_clock::now();
    const int64_t started_us = clock_.NowMicros();
    FileSystem& fs = DefaultFileSystem();
    auto meta = journal::LoadStoreMeta(fs, journal_.paths());
    if (!meta.ok()) return Error(res, 503, "unavailable", "the store's metadata cannot be read: " + meta.status().message());
    journal::VerifyOptions options;
    options.threads = 1;  // leave the other core to the requests
    auto report = journal::VerifyJournal(fs, journal_.paths(), *meta, options);
    if (!report.ok()) return Error(res, 503, "unavailable", report.status().message());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    json out = {{"state", report->intact ? "intact" : "damaged"},
                {"started", FormatRfc3339(started_us)},
                {"seconds", seconds},
                {"segments", report->segments},
                {"bytes", report->bytes},
                {"tree_size", report->tree_size},
                {"root", HexEncode(report->root)},
                {"heads_checked", report->heads_checked},
                {"by", user->name}};
    if (!report->intact) out["problem"] = report->problem.message();
    if (report->intact) {
      // The witnesses: each expected one, and every other found, must have cosigned a head of
      // this history (recovery/witness.h). The journal verifies; a fork or rollback a witness
      // reveals, or an expected witness's missing cosignature, is state "witness".
      auto witnesses = WitnessVerdicts(fs, options_, journal_.paths(), *meta);
      if (!witnesses.ok()) return Error(res, 503, "unavailable", witnesses.status().message());
      out["witnesses"] = witnesses->first;
      if (!witnesses->second.empty()) {
        out["state"] = "witness";
        out["problem"] = witnesses->second;
      }
    }
    audit::Record record;
    record.action = "verify";
    const bool intact = out["state"] == "intact";
    record.outcome = intact ? "ok" : "failed";
    record.justification = "integrity check";
    record.detail = intact ? "intact at tree size " + std::to_string(report->tree_size)
                           : out["state"].get<std::string>() + ": " + out["problem"].get<std::string>();
    if (!AuditRequest(user->name, req, record).ok()) {
      return Error(res, 503, "audit_unavailable", "the verification could not be recorded");
    }
    {
      std::lock_guard lock(verify_state_mu_);
      last_verify_ = out.dump();
      // Kept for the next server (a restart must not forget the last check); the verify audit
      // record above is the authoritative trace.
      if (Status s = WriteFileAtomically(fs, JoinPath(journal_.paths().dir, kLastVerifyFile), AsBytes(last_verify_));
          !s.ok() && log_) {
        std::lock_guard log_lock(log_mu_);
        *log_ << json{{"event", "verify_result_not_kept"}, {"problem", s.message()}}.dump() << "\n";
      }
    }
    Reply(res, 200, out);
  });
}

}  // namespace ura::http
