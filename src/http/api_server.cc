#include "http/api_server.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <httplib.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "http/graph_routes.h"
#include "http/replies.h"
#include "http/requests.h"
#include "journal/tree_head.h"
#include "search/dossier.h"
#include "search/search.h"
#include "service/consult.h"

namespace ura::http {

namespace {

using nlohmann::json;

bool IsLoopback(const std::string& host) {
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return host == "localhost";
}

// The `limit` query parameter: `fallback` when absent; nullopt with a 400 reply set when it is
// not a number from 1 to `max`.
std::optional<size_t> LimitParam(const httplib::Request& req, httplib::Response& res, size_t fallback, size_t max) {
  if (!req.has_param("limit")) return fallback;
  return NumberParam(req, res, "limit", 1, max);
}

// The route template of a path, for logs and metrics: never an id or a query.
std::string RouteOf(const std::string& path) {
  static const char* const kRoutes[] = {"/healthz",        "/metrics",        "/api/v1/openapi.json", "/api/v1/login",
                                        "/api/v1/logout",  "/api/v1/head",    "/api/v1/me",    "/api/v1/search",       "/api/v1/audit",
                                        "/api/v1/users",   "/api/v1/ingest",  "/api/v1/verify",  "/api/v1/backups",
                                        "/api/v1/backup/snapshot", "/api/v1/backup/file",
                                        "/api/v1/backup/manifest-signature",
                                        "/api/v1/exchange/export", "/api/v1/exchange/import", "/api/v1/exchange/match",
                                        "/api/v1/resolve/review", "/api/v1/resolve/judgements"};
  for (const char* r : kRoutes) {
    if (path == r) return r;
  }
  if (std::string graph = GraphRouteOf(path); !graph.empty()) return graph;
  if (path.rfind("/api/v1/users/", 0) == 0) {
    const size_t slash = path.rfind('/');
    return slash > 13 ? "/api/v1/users/{name}/" + path.substr(slash + 1, 10) : "other";
  }
  if (path.rfind("/api/v1/entities/", 0) == 0) {
    const bool history = path.size() > 8 && path.compare(path.size() - 8, 8, "/history") == 0;
    return history ? "/api/v1/entities/{id}/history" : "/api/v1/entities/{id}";
  }
  return "other";
}

}  // namespace

ApiServer::ApiServer(journal::Journal& journal, index::Index& index, access::UserDirectory& users,
                     access::SessionManager& sessions, Clock& clock, ServerOptions options, std::ostream* log)
    : journal_(journal), index_(index), users_(users), sessions_(sessions), clock_(clock), options_(std::move(options)),
      log_(log) {
  if (options_.tls_cert.empty() && options_.tls_key.empty()) {
    server_ = std::make_unique<httplib::Server>();
  } else {
    server_ = std::make_unique<httplib::SSLServer>([this](SSL_CTX& ctx) {
      const bool loaded =
          SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) == 1 &&
          SSL_CTX_use_certificate_chain_file(&ctx, options_.tls_cert.c_str()) == 1 &&
          SSL_CTX_use_PrivateKey_file(&ctx, options_.tls_key.c_str(), SSL_FILETYPE_PEM) == 1 &&
          SSL_CTX_check_private_key(&ctx) == 1;
      if (!loaded) {
        tls_problem_ = "cannot use the TLS certificate " + options_.tls_cert + " with the key " + options_.tls_key +
                       " (both PEM, the key unencrypted and matching the certificate)";
      }
      return loaded;
    });
  }
  // Enough workers that idle keep-alive connections do not starve new ones (cpp-httplib gives
  // each connection a worker for as long as it stays open).
  server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
  server_->set_keep_alive_max_count(1000);
  server_->set_keep_alive_timeout(2);
  server_->set_tcp_nodelay(true);  // else Nagle and delayed ACKs add 40 ms to every keep-alive reply
  // The listening socket, so that Bind can give it a longer queue than cpp-httplib's 5.
  server_->set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_socket_ = sock;
  });
  // Bodies up to max_upload_bytes are read only for uploads and exchange packages; every other
  // route refuses more than max_body_bytes before reading any of it.
  server_->set_payload_max_length(std::max(options_.max_body_bytes, options_.max_upload_bytes));
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/api/v1/ingest") return httplib::Server::HandlerResponse::Unhandled;
    if (req.has_header("Transfer-Encoding")) {
      Error(res, 411, "length_required", "send the body with a Content-Length (chunked bodies only for uploads)");
      return httplib::Server::HandlerResponse::Handled;
    }
    const std::string length = req.get_header_value("Content-Length");
    if (length.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (length.size() > 12 || length.find_first_not_of("0123456789") != std::string::npos) {
      Error(res, 400, "bad_length", "Content-Length is not a number");
      return httplib::Server::HandlerResponse::Handled;
    }
    const uint64_t bytes = std::stoull(length);
    if (bytes <= options_.max_body_bytes) return httplib::Server::HandlerResponse::Unhandled;
    // A partner's package or filter may be as large as an upload, but only a signed-in user's:
    // such a body is read into memory before its handler runs, so the session is checked first.
    const bool package = req.path == "/api/v1/exchange/import" || req.path == "/api/v1/exchange/match";
    if (!package || bytes > options_.max_upload_bytes) {
      Error(res, 413, "too_large", "the request body is too large");
      return httplib::Server::HandlerResponse::Handled;
    }
    return SignedIn(req, res) ? httplib::Server::HandlerResponse::Unhandled : httplib::Server::HandlerResponse::Handled;
  });
  server_->set_read_timeout(options_.read_timeout_seconds, 0);
  server_->set_write_timeout(options_.read_timeout_seconds, 0);
  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413) return Error(res, 413, "too_large", "the request body is too large");
    if (res.status == 404) return Error(res, 404, "not_found", "no such route (see /api/v1/openapi.json)");
    Error(res, res.status, "error", "the request could not be served");
  });
  server_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    Error(res, 500, "internal", "internal error (reported in the server log)");
  });
  // On every response, API and UI alike: only this origin's own scripts, styles and images;
  // never framed; no MIME sniffing; no referrer (a URL can carry an entity id).
  server_->set_default_headers({
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
  });
  if (!options_.web_dir.empty()) server_->set_mount_point("/", options_.web_dir);
  server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const std::string route = RouteOf(req.path);
    {
      std::lock_guard lock(metrics_mu_);
      ++requests_[{route, res.status}];
    }
    if (log_ == nullptr) return;
    json line = {{"time", FormatRfc3339(clock_.NowMicros())}, {"method", req.method}, {"route", route},
                 {"status", res.status}, {"client", req.remote_addr}};
    // Its own lock: a slow log sink must not hold up the metrics (or searches counting time).
    std::lock_guard lock(log_mu_);
    *log_ << line.dump() << std::endl;
  });
  Routes();
}

ApiServer::~ApiServer() { Stop(); }

void ApiServer::SetReaders(std::vector<std::unique_ptr<index::Index>> readers) {
  std::lock_guard lock(readers_mu_);
  readers_ = std::move(readers);
  free_readers_.clear();
  for (auto& r : readers_) free_readers_.push_back(r.get());
}

ApiServer::IndexLease::IndexLease(ApiServer& server) : server_(server) {
  std::unique_lock lock(server.readers_mu_);
  if (server.readers_.empty()) {
    lock.unlock();
    main_ = std::unique_lock(server.store_mu_);
    index_ = &server.index_;
    return;
  }
  server.reader_freed_.wait(lock, [&] { return !server.free_readers_.empty(); });
  index_ = server.free_readers_.back();
  server.free_readers_.pop_back();
}

ApiServer::IndexLease::~IndexLease() {
  if (main_.owns_lock()) return;  // released with main_
  {
    std::lock_guard lock(server_.readers_mu_);
    server_.free_readers_.push_back(index_);
  }
  server_.reader_freed_.notify_one();
}

Result<int> ApiServer::Bind() {
  const bool tls = !options_.tls_cert.empty() || !options_.tls_key.empty();
  if (tls && (options_.tls_cert.empty() || options_.tls_key.empty())) {
    return InvalidArgument("give both --tls-cert and --tls-key");
  }
  if (tls && !server_->is_valid()) return InvalidArgument(tls_problem_.empty() ? "the TLS set-up failed" : tls_problem_);
  if (!tls && !IsLoopback(options_.host)) {
    return InvalidArgument("without TLS (--tls-cert, --tls-key) the server listens on loopback only (127.0.0.1 or ::1), not " +
                           options_.host);
  }
  int port = options_.port == 0 ? server_->bind_to_any_port(options_.host)
                                : (server_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port <= 0) return Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  // cpp-httplib listens with a queue of 5 connections: clients connecting together beyond that
  // (64 reconnecting ones in the benchmark: p99 over 1 s) have their SYNs dropped and retry
  // after a second. listen() again sets the queue of the listening socket.
  if (listen_socket_ >= 0 && ::listen(listen_socket_, kListenBacklog) != 0) {
    return Unavailable("cannot listen on " + options_.host + ":" + std::to_string(port) + ": " + std::strerror(errno));
  }
  return port;
}

Status ApiServer::Serve() {
  if (!server_->listen_after_bind()) return Unavailable("the server stopped unexpectedly");
  return Status::Ok();
}

void ApiServer::Stop() {
  if (server_) server_->stop();
}

Status ApiServer::AuditRequest(const std::string& user, const httplib::Request& req, audit::Record record) {
  return AuditRequest(user, req, std::vector<audit::Record>{std::move(record)});
}

Status ApiServer::AuditRequest(const std::string& user, const httplib::Request& req,
                               std::vector<audit::Record> records) {
  const int64_t now = clock_.NowMicros();
  for (audit::Record& r : records) {
    r.time_us = now;
    r.user = user;
    r.client = req.remote_addr;
  }
  return audit::Append(journal_, records);
}

std::optional<access::User> ApiServer::SignedIn(const httplib::Request& req, httplib::Response& res) {
  const std::string header = req.get_header_value("Authorization");
  if (header.rfind("Bearer ", 0) != 0) {
    Error(res, 401, "unauthenticated", "log in (POST /api/v1/login) and send Authorization: Bearer TOKEN");
    return std::nullopt;
  }
  auto session = sessions_.Authenticate(header.substr(7));
  if (!session.ok()) {
    Error(res, 401, "unauthenticated", "the session is unknown or expired: log in again");
    return std::nullopt;
  }
  std::optional<access::User> user = sessions_.FindUser(session->user);
  if (!user) Error(res, 401, "unauthenticated", "the session's user no longer exists");
  return user;
}

std::optional<access::User> ApiServer::Permitted(const httplib::Request& req, httplib::Response& res,
                                                 access::Action action, const std::string& audit_action,
                                                 std::string* justification) {
  std::optional<access::User> user = SignedIn(req, res);
  if (!user) return std::nullopt;
  if (access::Decision d = access::Permits(*user, action); !d) {
    // Attempts beyond one's role are recorded: an auditor sees who tried what.
    if (!AuditRequest(user->name, req, service::DeniedRecord(audit_action, d)).ok()) {
      Error(res, 503, "audit_unavailable", "the request could not be recorded");
      return std::nullopt;
    }
    Error(res, 403, "forbidden", d.reason);
    return std::nullopt;
  }
  if (justification != nullptr) {
    *justification = req.get_header_value("X-Justification");
    if (Status s = audit::CheckJustification(*justification); !s.ok()) {
      Error(res, 400, "justification_required",
            "send the case number or reason for this request in the X-Justification header (3-500 characters)");
      return std::nullopt;
    }
  }
  return user;
}

namespace {

// A service error as an HTTP reply: 403 for a refusal, 400 for bad input, else 503.
void ServiceError(httplib::Response& res, const Status& s) {
  if (s.code() == StatusCode::kPermissionDenied) return Error(res, 403, "forbidden", s.message());
  if (s.code() == StatusCode::kInvalidArgument) return Error(res, 400, "bad_query", s.message());
  Error(res, 503, "unavailable", "the index cannot be read now");
}

}  // namespace

void ApiServer::Routes() {
  HistoryAndAuditRoutes();
  AdminRoutes();
  IngestAndVerifyRoutes();
  BackupRoutes();
  ExchangeRoutes();
  ResolveRoutes();
  GraphRoutes();

  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) { Reply(res, 200, json{{"status", "ok"}}); });
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(Metrics(), "text/plain; version=0.0.4");
  });
  server_->Get("/api/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(OpenApiDocument(), "application/json");
  });

  server_->Post("/api/v1/login", [this](const httplib::Request& req, httplib::Response& res) {
    Decoded<LoginRequest> decoded = DecodeLogin(req.body);
    if (auto* bad = std::get_if<BadRequest>(&decoded)) return Error(res, 400, bad->code, bad->message);
    const LoginRequest& login = std::get<LoginRequest>(decoded);
    access::LoginFailure failure = access::LoginFailure::kNone;
    const bool was_locked = sessions_.IsLocked(login.user);
    auto token = sessions_.Login(login.user, login.password, login.totp, req.remote_addr, &failure);
    audit::Record record;
    record.action = "login";
    record.justification = "log-on";
    record.outcome = token.ok() ? "ok" : std::string(access::LoginFailureName(failure));
    {
      std::lock_guard metrics_lock(metrics_mu_);
      ++logins_[record.outcome];
    }
    std::string name = login.user.substr(0, 64);
    if (!IsValidUtf8(name)) name = "(not UTF-8)";
    std::vector<audit::Record> records = {record};
    if (!token.ok() && !was_locked && sessions_.IsLocked(login.user)) {
      // This failure locked the account: a record of its own, for the auditor's eye.
      audit::Record lockout = record;
      lockout.action = "lockout";
      lockout.outcome = "locked";
      lockout.detail = "locked until " + FormatRfc3339(sessions_.LockedUntil(login.user));
      records.push_back(std::move(lockout));
    }
    // The journal is safe for concurrent appends (group commit): no store lock for log-ons.
    if (Status s = AuditRequest(name, req, std::move(records)); !s.ok()) {
      if (token.ok()) sessions_.Logout(*token).IgnoreError();
      return Error(res, 503, "audit_unavailable", "the log-on could not be recorded; try again");
    }
    if (!token.ok()) {
      return Error(res, failure == access::LoginFailure::kLocked ? 423 : 401, "login_failed", token.status().message());
    }
    Reply(res, 200, json{{"token", *token}});
  });

  // Who the session belongs to: the web UI shows each role its own pages.
  server_->Get("/api/v1/me", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<access::User> user = SignedIn(req, res);
    if (!user) return;
    Reply(res, 200, json{{"name", user->name},
                         {"role", access::RoleName(user->role)},
                         {"clearance", model::ClassificationName(user->clearance)},
                         {"cases", user->cases}});
  });

  server_->Post("/api/v1/logout", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<access::User> user = SignedIn(req, res);
    if (!user) return;
    sessions_.Logout(req.get_header_value("Authorization").substr(7)).IgnoreError();
    audit::Record record;
    record.action = "logout";
    record.justification = "log-off";
    AuditRequest(user->name, req, record).IgnoreError();  // the session is over either way
    Reply(res, 200, json{{"status", "logged out"}});
  });

  server_->Get("/api/v1/head", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Permitted(req, res, access::Action::kReadIntegrity, "head")) return;
    res.set_content(journal::HeadToJson(journal_.head()), "application/json");
  });

  server_->Get("/api/v1/search", [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user = Permitted(req, res, access::Action::kConsult, "search", &justification);
    if (!user) return;
    const std::string query = req.get_param_value("q");
    search::SearchOptions options;
    options.schema = req.get_param_value("schema");
    options.source = req.get_param_value("source");
    options.from = req.get_param_value("from");
    options.to = req.get_param_value("to");
    const std::optional<size_t> limit = LimitParam(req, res, 20, 100);
    if (!limit) return;
    options.limit = *limit;
    const auto started = std::chrono::steady_clock::now();
    Result<service::SearchAnswer> answer = Internal("not run");
    {
      IndexLease index(*this);
      answer = service::Search(*index, {user->name, &*user}, query, options);
    }  // the connection is free again before the audit record is written
    {
      std::lock_guard metrics_lock(metrics_mu_);
      search_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      ++searches_;
    }
    if (!answer.ok()) return ServiceError(res, answer.status());
    answer->record.justification = justification;
    if (Status s = AuditRequest(user->name, req, answer->record); !s.ok()) {
      return Error(res, 503, "audit_unavailable", "the consultation could not be recorded, so nothing is shown");
    }
    json results = json::array();
    for (const search::SearchHit& h : answer->hits) {
      results.push_back({{"id", h.id},
                         {"schema", h.schema},
                         {"score", h.score},
                         {"caption", h.caption},
                         {"matched", {{"property", h.matched_property}, {"value", h.matched_value}}},
                         {"same_caption", h.same_caption_ids},
                         {"person", h.person_id.empty() ? json(nullptr) : json(h.person_id)}});
    }
    Reply(res, 200, json{{"query", query}, {"results", results}});
  });

  server_->Get(R"(/api/v1/entities/([A-Za-z0-9._:-]{1,200}))",
               [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user = Permitted(req, res, access::Action::kConsult, "view", &justification);
    if (!user) return;
    const std::string id = req.matches[1];
    Result<service::ViewAnswer> answer = Internal("not run");
    {
      IndexLease index(*this);
      answer = service::View(*index, {user->name, &*user}, id);
    }
    if (!answer.ok()) return ServiceError(res, answer.status());
    answer->record.justification = justification;
    if (Status s = AuditRequest(user->name, req, answer->record); !s.ok()) {
      return Error(res, 503, "audit_unavailable", "the consultation could not be recorded, so nothing is shown");
    }
    // Not there, or not for this user: the same answer, so a hidden record's existence does
    // not show; the audit journal keeps the difference.
    if (!answer->dossier) return Error(res, 404, "not_found", "no entity " + id);
    Reply(res, 200, search::DossierJson(*answer->dossier));
  });
}

void ApiServer::HistoryAndAuditRoutes() {
  // Every version of an entity from the journal that the user may see.
  server_->Get(R"(/api/v1/entities/([A-Za-z0-9._:-]{1,200})/history)",
               [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user = Permitted(req, res, access::Action::kConsult, "history", &justification);
    if (!user) return;
    const std::string id = req.matches[1];
    Result<service::HistoryAnswer> answer = Internal("not run");
    {
      IndexLease index(*this);
      answer = service::History(*index, DefaultFileSystem(), journal_.paths(), journal_.keyring(),
                                {user->name, &*user}, id);
    }
    if (!answer.ok()) return ServiceError(res, answer.status());
    answer->record.justification = justification;
    if (Status s = AuditRequest(user->name, req, answer->record); !s.ok()) {
      return Error(res, 503, "audit_unavailable", "the consultation could not be recorded, so nothing is shown");
    }
    if (!answer->dossier) return Error(res, 404, "not_found", "no entity " + id);
    json out = json::array();
    for (const search::HistoricVersion& v : answer->versions) {
      out.push_back({{"sequence", v.sequence},
                     {"written", FormatRfc3339(v.written_us)},
                     {"entity", json::parse(model::CanonicalJson(v.entity))}});
    }
    Reply(res, 200, json{{"id", id}, {"versions", out}});
  });

  // The audit journal, for auditors only; reading it is itself recorded.
  server_->Get("/api/v1/audit", [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user = Permitted(req, res, access::Action::kReadAudit, "audit-read", &justification);
    if (!user) return;
    audit::Filter filter;
    filter.user = req.get_param_value("user");
    filter.entity = req.get_param_value("entity");
    filter.action = req.get_param_value("action");
    const std::optional<size_t> max_records = LimitParam(req, res, 1000, 10000);
    if (!max_records) return;
    const size_t limit = *max_records;
    audit::Record record;
    record.action = "audit-read";
    record.justification = justification;
    record.detail = "user=" + filter.user + " entity=" + filter.entity + " action=" + filter.action;
    if (!filter.entity.empty()) record.AddObject(filter.entity);
    if (Status s = AuditRequest(user->name, req, record); !s.ok()) {
      return Error(res, 503, "audit_unavailable", "the audit read could not be recorded, so nothing is shown");
    }
    json records = json::array();
    bool truncated = false;
    Status read = audit::ForEach(DefaultFileSystem(), journal_.paths(), journal_.keyring(), filter,
                                 [&](uint64_t sequence, const audit::Record& r) -> Status {
                                   if (records.size() == limit) {
                                     truncated = true;
                                     return Status::Ok();
                                   }
                                   json j = json::parse(audit::EncodeRecord(r));
                                   j["sequence"] = sequence;
                                   records.push_back(std::move(j));
                                   return Status::Ok();
                                 });
    if (!read.ok()) return Error(res, 503, "unavailable", "the journal cannot be read now");
    Reply(res, 200, json{{"records", records}, {"truncated", truncated}});
  });
}

std::string ApiServer::Metrics() {
  std::string out;
  uint64_t tree_size = 0;
  {
    std::lock_guard lock(store_mu_);
    tree_size = journal_.head().tree_size;
  }
  std::lock_guard lock(metrics_mu_);
  out += "# HELP ura_http_requests_total HTTP requests by route template and status.\n"
         "# TYPE ura_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += "ura_http_requests_total{route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"} " +
           std::to_string(n) + "\n";
  }
  out += "# HELP ura_logins_total Log-on attempts by outcome.\n# TYPE ura_logins_total counter\n";
  for (const auto& [outcome, n] : logins_) {
    out += "ura_logins_total{outcome=\"" + outcome + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP ura_search_seconds Time spent searching.\n# TYPE ura_search_seconds summary\n";
  out += "ura_search_seconds_sum " + std::to_string(search_seconds_) + "\n";
  out += "ura_search_seconds_count " + std::to_string(searches_) + "\n";
  out += "# HELP ura_sessions Open sessions.\n# TYPE ura_sessions gauge\n";
  out += "ura_sessions " + std::to_string(sessions_.SessionCount()) + "\n";
  out += "# HELP ura_journal_entries Entries in the journal (its signed tree size).\n# TYPE ura_journal_entries gauge\n";
  out += "ura_journal_entries " + std::to_string(tree_size) + "\n";
  return out;
}

nlohmann::json OpenApiJsonBody(nlohmann::json properties, nlohmann::json required) {
  return json{{"required", true},
              {"content",
               {{"application/json",
                 {{"schema",
                   {{"type", "object"}, {"additionalProperties", false}, {"required", required},
                    {"properties", properties}}}}}}}};
}

std::string OpenApiDocument() {
  json bearer = json::array({json{{"bearer", json::array()}}});
  json justification = {{"name", "X-Justification"}, {"in", "header"}, {"required", true},
                        {"schema", {{"type", "string"}, {"minLength", 3}, {"maxLength", 500}}},
                        {"description", "Case number or reason for this consultation (audited)"}};
  json error = {{"description", "error"},
                {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
  json doc = {
      {"openapi", "3.0.3"},
      {"info", {{"title", "Ura API"}, {"version", "1"}}},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", {"code", "message"}},
            {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}},
      {"paths",
       {{"/healthz", {{"get", {{"summary", "Liveness"}, {"responses", {{"200", {{"description", "ok"}}}}}}}}},
        {"/metrics",
         {{"get", {{"summary", "Prometheus metrics (counts only: no police data)"},
                   {"responses", {{"200", {{"description", "text exposition format"}}}}}}}}},
        {"/api/v1/openapi.json",
         {{"get", {{"summary", "This document"}, {"responses", {{"200", {{"description", "OpenAPI 3"}}}}}}}}},
        {"/api/v1/login",
         {{"post",
           {{"summary", "Log in with user, password and TOTP code; returns a session token"},
            {"requestBody",
             {{"required", true},
              {"content",
               {{"application/json",
                 {{"schema",
                   {{"type", "object"},
                    {"additionalProperties", false},
                    {"required", {"user", "password"}},
                    {"properties",
                     {{"user", {{"type", "string"}}},
                      {"password", {{"type", "string"}}},
                      {"totp", {{"type", "string"}}}}}}}}}}}}},
            {"responses", {{"200", {{"description", "{token}"}}}, {"400", error}, {"401", error}, {"423", error}}}}}}},
        {"/api/v1/logout",
         {{"post", {{"summary", "End the session"}, {"security", bearer},
                    {"responses", {{"200", {{"description", "ok"}}}, {"401", error}}}}}}},
        {"/api/v1/me",
         {{"get", {{"summary", "The signed-in user: name, role, clearance, cases"}, {"security", bearer},
                   {"responses", {{"200", {{"description", "user"}}}, {"401", error}}}}}}},
        {"/api/v1/head",
         {{"get", {{"summary", "The latest signed tree head"}, {"security", bearer},
                   {"responses", {{"200", {{"description", "signed head"}}}, {"401", error}}}}}}},
        {"/api/v1/search",
         {{"get",
           {{"summary", "Search names, identifiers, phones, plates and text"},
            {"security", bearer},
            {"parameters",
             {justification,
              {{"name", "q"}, {"in", "query"}, {"required", true}, {"schema", {{"type", "string"}}}},
              {{"name", "schema"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
              {{"name", "source"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
              {{"name", "from"}, {"in", "query"}, {"schema", {{"type", "string"}, {"format", "date"}}}},
              {{"name", "to"}, {"in", "query"}, {"schema", {{"type", "string"}, {"format", "date"}}}},
              {{"name", "limit"}, {"in", "query"}, {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}}}},
            {"responses", {{"200", {{"description", "results"}}}, {"400", error}, {"401", error}, {"403", error}}}}}}},
        {"/api/v1/entities/{id}/history",
         {{"get",
           {{"summary", "Every version of an entity from the journal"},
            {"security", bearer},
            {"parameters",
             {justification, {{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}}},
            {"responses",
             {{"200", {{"description", "versions"}}}, {"400", error}, {"401", error}, {"403", error}, {"404", error}}}}}}},
        {"/api/v1/audit",
         {{"get",
           {{"summary", "The audit journal (auditors only; the read is itself recorded)"},
            {"security", bearer},
            {"parameters",
             {justification,
              {{"name", "user"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
              {{"name", "entity"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
              {{"name", "action"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
              {{"name", "limit"}, {"in", "query"}, {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}}}}}},
            {"responses", {{"200", {{"description", "records"}}}, {"400", error}, {"401", error}, {"403", error}}}}}}},
        {"/api/v1/entities/{id}",
         {{"get",
           {{"summary", "An entity's dossier: every value with its source, and its links"},
            {"security", bearer},
            {"parameters",
             {justification, {{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}}},
            {"responses",
             {{"200", {{"description", "dossier"}}}, {"400", error}, {"401", error}, {"403", error}, {"404", error}}}}}}}}}};
  auto op = [&](const char* summary, json responses, json extra = json::object()) {
    json o = {{"summary", summary}, {"security", bearer}, {"responses", responses}};
    for (auto& [k, v] : extra.items()) o[k] = v;
    return o;
  };
  const auto body = OpenApiJsonBody;
  const json str = {{"type", "string"}};
  const json name_param = json::array({{{"name", "name"}, {"in", "path"}, {"required", true}, {"schema", str}}});
  const json changed = {{"200", {{"description", "the user as now"}}}, {"400", error}, {"401", error},
                        {"403", error}, {"404", error}};
  json& paths = doc["paths"];
  paths["/api/v1/users"] = {
      {"get", op("Users (administrators)", {{"200", {{"description", "users"}}}, {"401", error}, {"403", error}})},
      {"post", op("Add a user (administrators); a service account's API token is returned once",
                  {{"201", {{"description", "the user"}}}, {"400", error}, {"401", error}, {"403", error}, {"409", error}},
                  {{"requestBody", body({{"name", str}, {"role", str}, {"clearance", str}, {"password", str}},
                                        json::array({"name", "role"}))}})}};
  for (const char* verb : {"disable", "enable", "unlock"}) {
    paths[std::string("/api/v1/users/{name}/") + verb] = {
        {"post", op("Disable, enable or unlock (after failed log-ons) a user", changed, {{"parameters", name_param}})}};
  }
  paths["/api/v1/users/{name}/role"] = {
      {"put", op("Set a user's role and clearance", changed,
                 {{"parameters", name_param},
                  {"requestBody", body({{"role", str}, {"clearance", str}}, json::array({"role", "clearance"}))}})}};
  paths["/api/v1/users/{name}/cases"] = {
      {"put", op("Set the cases a user is assigned to (need-to-know)", changed,
                 {{"parameters", name_param},
                  {"requestBody", body({{"cases", {{"type", "array"}, {"items", str}}}}, json::array({"cases"}))}})}};
  paths["/api/v1/users/{name}/password"] = {
      {"put", op("Set a user's password (their sessions end)", changed,
                 {{"parameters", name_param}, {"requestBody", body({{"password", str}}, json::array({"password"}))}})}};
  paths["/api/v1/ingest"] = {
      {"post", op("Upload a source file, mapped with mappings/NAME.yml (analysts, service accounts)",
                  {{"200", {{"description", "summary and rejected records"}}}, {"400", error}, {"401", error},
                   {"403", error}, {"404", error}, {"413", error}, {"422", error}},
                  {{"parameters", json::array({{{"name", "mapping"}, {"in", "query"}, {"required", true}, {"schema", str}}})},
                   {"requestBody", {{"required", true}, {"content", {{"application/octet-stream", json::object()}}}}}})}};
  paths["/api/v1/verify"] = {
      {"get", op("The last verification's result", {{"200", {{"description", "state"}}}, {"401", error}})},
      {"post", op("Verify the journal now, keyless (auditors, administrators)",
                  {{"200", {{"description", "report"}}}, {"401", error}, {"403", error}, {"409", error}})}};
  paths["/api/v1/backups"] = {
      {"get", op("The latest backups the store has notes of (local runs and pull runs), newest first",
                 {{"200", {{"description", "backups and unreadable notes"}}}, {"400", error}, {"401", error},
                  {"403", error}},
                 {{"parameters", json::array({{{"name", "limit"}, {"in", "query"}, {"required", false},
                                               {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}}})}})}};
  // Pull backups (recovery/pull.h): for accounts of role backup only.
  paths["/api/v1/backup/snapshot"] = {
      {"get", op("The store's files to back up, as of its latest signed head",
                 {{"200", {{"description", "snapshot"}}}, {"401", error}, {"403", error}})}};
  json file_params = json::array();
  for (const char* name : {"path", "offset", "length"}) {
    file_params.push_back({{"name", name}, {"in", "query"}, {"required", true}, {"schema", {{"type", "string"}}}});
  }
  paths["/api/v1/backup/file"] = {
      {"get", op("Bytes of one store file as on disk (encrypted; at most 8 MiB per request)",
                 {{"200", {{"description", "application/octet-stream"}}}, {"400", error}, {"401", error},
                  {"403", error}, {"404", error}},
                 {{"parameters", file_params}})}};
  paths["/api/v1/backup/manifest-signature"] = {
      {"post", op("Check a pull backup's manifest against the store and sign it with the store key",
                  {{"200", {{"description", "signature"}}}, {"400", error}, {"401", error}, {"403", error},
                   {"409", error}})}};
  AddExchangePaths(paths, bearer, justification, error);
  AddResolvePaths(paths, bearer, justification, error);
  AddGraphPaths(paths, bearer, justification, error);
  return doc.dump(2);
}

}  // namespace ura::http
