#include "http/api_server.h"

#include <arpa/inet.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "journal/tree_head.h"
#include "search/dossier.h"
#include "search/search.h"

namespace ura::http {

namespace {

using nlohmann::json;

void Reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void Error(httplib::Response& res, int status, std::string_view code, std::string_view message) {
  Reply(res, status, json{{"code", code}, {"message", message}});
}

bool IsLoopback(const std::string& host) {
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return host == "localhost";
}

// Roles that consult police data. Administrators administer users and auditors read the audit
// journal; neither reads police data by virtue of that role.
bool MayConsult(access::Role role) {
  return role == access::Role::kInvestigator || role == access::Role::kAnalyst || role == access::Role::kLiaison;
}

// The route template of a path, for logs and metrics: never an id or a query.
std::string RouteOf(const std::string& path) {
  static const char* const kRoutes[] = {"/healthz", "/metrics", "/api/v1/openapi.json", "/api/v1/login",
                                        "/api/v1/logout", "/api/v1/head", "/api/v1/search", "/api/v1/audit"};
  for (const char* r : kRoutes) {
    if (path == r) return r;
  }
  if (path.rfind("/api/v1/entities/", 0) == 0) {
    const bool history = path.size() > 8 && path.compare(path.size() - 8, 8, "/history") == 0;
    return history ? "/api/v1/entities/{id}/history" : "/api/v1/entities/{id}";
  }
  return "other";
}

bool Cleared(const access::User& user, const model::Marking& marking) {
  return static_cast<int>(user.clearance) >= static_cast<int>(marking.classification);
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
  server_->set_payload_max_length(options_.max_body_bytes);
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
  server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const std::string route = RouteOf(req.path);
    {
      std::lock_guard lock(metrics_mu_);
      ++requests_[{route, res.status}];
    }
    if (log_ == nullptr) return;
    json line = {{"time", FormatRfc3339(clock_.NowMicros())}, {"method", req.method}, {"route", route},
                 {"status", res.status}, {"client", req.remote_addr}};
    std::lock_guard lock(metrics_mu_);
    *log_ << line.dump() << std::endl;
  });
  Routes();
}

ApiServer::~ApiServer() { Stop(); }

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
  record.time_us = clock_.NowMicros();
  record.user = user;
  record.client = req.remote_addr;
  return audit::Append(journal_, {record});
}

const access::User* ApiServer::SignedIn(const httplib::Request& req, httplib::Response& res) {
  const std::string header = req.get_header_value("Authorization");
  if (header.rfind("Bearer ", 0) != 0) {
    Error(res, 401, "unauthenticated", "log in (POST /api/v1/login) and send Authorization: Bearer TOKEN");
    return nullptr;
  }
  auto session = sessions_.Authenticate(header.substr(7));
  if (!session.ok()) {
    Error(res, 401, "unauthenticated", "the session is unknown or expired: log in again");
    return nullptr;
  }
  const access::User* user = users_.Find(session->user);
  if (user == nullptr) Error(res, 401, "unauthenticated", "the session's user no longer exists");
  return user;
}

const access::User* ApiServer::Consultant(const httplib::Request& req, httplib::Response& res,
                                          std::string* justification) {
  const access::User* user = SignedIn(req, res);
  if (user == nullptr) return nullptr;
  if (!MayConsult(user->role)) {
    Error(res, 403, "forbidden", "the role " + std::string(access::RoleName(user->role)) + " does not consult police data");
    return nullptr;
  }
  *justification = req.get_header_value("X-Justification");
  if (Status s = audit::CheckJustification(*justification); !s.ok()) {
    Error(res, 400, "justification_required",
          "send the case number or reason for this consultation in the X-Justification header (3-500 characters)");
    return nullptr;
  }
  return user;
}

void ApiServer::Routes() {
  HistoryAndAuditRoutes();
  auto audit = [this](const std::string& user, const httplib::Request& req, audit::Record record) {
    return AuditRequest(user, req, std::move(record));
  };
  auto signed_in = [this](const httplib::Request& req, httplib::Response& res) { return SignedIn(req, res); };
  auto consultant = [this](const httplib::Request& req, httplib::Response& res, std::string* justification) {
    return Consultant(req, res, justification);
  };

  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) { Reply(res, 200, json{{"status", "ok"}}); });
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(Metrics(), "text/plain; version=0.0.4");
  });
  server_->Get("/api/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(OpenApiDocument(), "application/json");
  });

  server_->Post("/api/v1/login", [this, audit](const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) return Error(res, 400, "bad_json", "the body is not a JSON object");
    for (const auto& [key, value] : body.items()) {
      if (key != "user" && key != "password" && key != "totp") {
        return Error(res, 400, "unknown_field", "unknown field '" + key.substr(0, 40) + "' (user, password, totp)");
      }
      if (!value.is_string()) return Error(res, 400, "wrong_type", "'" + key + "' must be a string");
    }
    if (!body.contains("user") || !body.contains("password")) {
      return Error(res, 400, "missing_field", "give user and password (and totp once enrolled)");
    }
    const std::string user = body["user"].get<std::string>();
    access::LoginFailure failure = access::LoginFailure::kNone;
    auto token = sessions_.Login(user, body["password"].get<std::string>(), body.value("totp", std::string()),
                                 req.remote_addr, &failure);
    audit::Record record;
    record.action = "login";
    record.justification = "log-on";
    record.outcome = token.ok() ? "ok" : std::string(access::LoginFailureName(failure));
    {
      std::lock_guard metrics_lock(metrics_mu_);
      ++logins_[record.outcome];
    }
    // The journal is safe for concurrent appends (group commit): no store lock for log-ons.
    if (Status s = audit(user.substr(0, 64), req, record); !s.ok()) {
      if (token.ok()) sessions_.Logout(*token).IgnoreError();
      return Error(res, 503, "audit_unavailable", "the log-on could not be recorded; try again");
    }
    if (!token.ok()) {
      return Error(res, failure == access::LoginFailure::kLocked ? 423 : 401, "login_failed", token.status().message());
    }
    Reply(res, 200, json{{"token", *token}});
  });

  server_->Post("/api/v1/logout", [this, signed_in](const httplib::Request& req, httplib::Response& res) {
    if (signed_in(req, res) == nullptr) return;
    sessions_.Logout(req.get_header_value("Authorization").substr(7)).IgnoreError();
    Reply(res, 200, json{{"status", "logged out"}});
  });

  server_->Get("/api/v1/head", [this, signed_in](const httplib::Request& req, httplib::Response& res) {
    if (signed_in(req, res) == nullptr) return;
    std::lock_guard lock(store_mu_);
    res.set_content(journal::HeadToJson(journal_.head()), "application/json");
  });

  server_->Get("/api/v1/search", [this, consultant, audit](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    const access::User* user = consultant(req, res, &justification);
    if (user == nullptr) return;
    const std::string query = req.get_param_value("q");
    search::SearchOptions options;
    options.schema = req.get_param_value("schema");
    options.limit = 20;
    if (req.has_param("limit")) {
      const std::string text = req.get_param_value("limit");
      if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(text) < 1 || std::stoul(text) > 100) {
        return Error(res, 400, "bad_limit", "limit must be a number from 1 to 100");
      }
      options.limit = std::stoul(text);
    }
    const size_t wanted = options.limit;
    // The same amount of work whatever the user may see: take 3x, filter, cut.
    options.limit = wanted * 3;
    std::unique_lock lock(store_mu_);  // the index is one SQLite connection
    const auto started = std::chrono::steady_clock::now();
    auto hits = search::Search(index_, query, options);
    {
      std::lock_guard metrics_lock(metrics_mu_);
      search_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      ++searches_;
    }
    if (!hits.ok()) {
      if (hits.status().code() == StatusCode::kInvalidArgument) return Error(res, 400, "bad_query", hits.status().message());
      return Error(res, 503, "unavailable", "the index cannot be read now");
    }
    auto visible = [&](const std::string& id) {
      auto e = index_.Get(id);
      return e.ok() && e->has_value() && Cleared(*user, (*e)->marking);
    };
    json results = json::array();
    audit::Record record;
    record.action = "search";
    record.detail = query;
    record.justification = justification;
    for (const search::SearchHit& h : *hits) {
      if (results.size() == wanted) break;
      if (!visible(h.id)) continue;
      json same = json::array();
      for (size_t i = 0; i < h.same_caption_ids.size() && same.size() < 20; ++i) {
        if (visible(h.same_caption_ids[i])) {
          same.push_back(h.same_caption_ids[i]);
          record.AddObject(h.same_caption_ids[i]);
        }
      }
      record.AddObject(h.id);
      results.push_back({{"id", h.id},
                         {"schema", h.schema},
                         {"score", h.score},
                         {"caption", h.caption},
                         {"matched", {{"property", h.matched_property}, {"value", h.matched_value}}},
                         {"same_caption", same}});
    }
    lock.unlock();  // concurrent requests' audit records share one commit
    if (Status s = audit(user->name, req, record); !s.ok()) {
      return Error(res, 503, "audit_unavailable", "the consultation could not be recorded, so nothing is shown");
    }
    Reply(res, 200, json{{"query", query}, {"results", results}});
  });

  server_->Get(R"(/api/v1/entities/([A-Za-z0-9._:-]{1,200}))",
               [this, consultant, audit](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    const access::User* user = consultant(req, res, &justification);
    if (user == nullptr) return;
    const std::string id = req.matches[1];
    std::unique_lock lock(store_mu_);  // the index is one SQLite connection
    auto dossier = search::BuildDossier(index_, id);
    if (!dossier.ok()) return Error(res, 503, "unavailable", "the index cannot be read now");
    audit::Record record;
    record.action = "view";
    record.justification = justification;
    record.AddObject(id);
    const bool shown = dossier->has_value() && Cleared(*user, (*dossier)->entity.marking);
    if (!shown) {
      // Not there, or not for this user: the same answer, so a hidden record's existence does
      // not show; the audit journal keeps the difference.
      record.outcome = dossier->has_value() ? "denied" : "not-found";
      lock.unlock();
      if (Status s = audit(user->name, req, record); !s.ok()) {
        return Error(res, 503, "audit_unavailable", "the consultation could not be recorded");
      }
      return Error(res, 404, "not_found", "no entity " + id);
    }
    const search::Dossier& d = **dossier;
    json props = json::object();
    for (const search::DossierProperty& p : d.properties) {
      json values = json::array();
      for (const model::PropertyValue& v : p.values) {
        values.push_back({{"value", v.value},
                          {"source", v.provenance.source},
                          {"record", v.provenance.record_key},
                          {"ingested_us", v.provenance.ingested_us}});
      }
      props[p.name] = {{"label", p.label}, {"type", p.type}, {"values", values}};
    }
    json links = json::array();
    for (const search::DossierLink& l : d.links) {
      auto cleared = [&](const std::string& other) {
        if (other.empty() || other == d.entity.id) return true;
        auto e = index_.Get(other);
        return e.ok() && e->has_value() && Cleared(*user, (*e)->marking);
      };
      if (!cleared(l.via_id) || !cleared(l.other_id)) continue;
      json link = {{"direction", l.outgoing ? "out" : "in"},
                   {"property", l.property},
                   {"via", {{"id", l.via_id}, {"schema", l.via_schema}, {"caption", l.via_caption}}}};
      if (!l.other_id.empty()) link["other"] = {{"id", l.other_id}, {"schema", l.other_schema}, {"caption", l.other_caption}};
      if (l.via_id != d.entity.id) record.AddObject(l.via_id);
      if (!l.other_id.empty()) record.AddObject(l.other_id);
      links.push_back(std::move(link));
    }
    lock.unlock();  // concurrent requests' audit records share one commit
    if (Status s = audit(user->name, req, record); !s.ok()) {
      return Error(res, 503, "audit_unavailable", "the consultation could not be recorded, so nothing is shown");
    }
    const model::Marking& m = d.entity.marking;
    Reply(res, 200,
          json{{"id", d.entity.id},
               {"schema", d.entity.schema},
               {"caption", d.caption},
               {"marking", model::MarkingToJson(m)},
               {"versions", d.versions},
               {"properties", props},
               {"links", links}});
  });
}

void ApiServer::HistoryAndAuditRoutes() {
  auto audit = [this](const std::string& user, const httplib::Request& req, audit::Record record) {
    return AuditRequest(user, req, std::move(record));
  };
  // Every version of an entity from the journal, for those who may see the entity.
  server_->Get(R"(/api/v1/entities/([A-Za-z0-9._:-]{1,200})/history)",
               [this, audit](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    const access::User* user = Consultant(req, res, &justification);
    if (user == nullptr) return;
    const std::string id = req.matches[1];
    std::unique_lock lock(store_mu_);
    auto current = index_.Get(id);
    if (!current.ok()) return Error(res, 503, "unavailable", "the index cannot be read now");
    audit::Record record;
    record.action = "history";
    record.justification = justification;
    record.AddObject(id);
    if (!current->has_value() || !Cleared(*user, (*current)->marking)) {
      record.outcome = current->has_value() ? "denied" : "not-found";
      lock.unlock();
      if (Status s = audit(user->name, req, record); !s.ok()) {
        return Error(res, 503, "audit_unavailable", "the consultation could not be recorded");
      }
      return Error(res, 404, "not_found", "no entity " + id);
    }
    auto versions = search::History(index_, DefaultFileSystem(), journal_.paths(), journal_.keyring(), id);
    lock.unlock();
    if (!versions.ok()) return Error(res, 503, "unavailable", "the history cannot be read now");
    if (Status s = audit(user->name, req, record); !s.ok()) {
      return Error(res, 503, "audit_unavailable", "the consultation could not be recorded, so nothing is shown");
    }
    json out = json::array();
    for (const search::HistoricVersion& v : *versions) {
      out.push_back({{"sequence", v.sequence},
                     {"written", FormatRfc3339(v.written_us)},
                     {"entity", json::parse(model::CanonicalJson(v.entity))}});
    }
    Reply(res, 200, json{{"id", id}, {"versions", out}});
  });

  // The audit journal, for auditors only; reading it is itself recorded.
  server_->Get("/api/v1/audit", [this, audit](const httplib::Request& req, httplib::Response& res) {
    const access::User* user = SignedIn(req, res);
    if (user == nullptr) return;
    if (user->role != access::Role::kAuditor) {
      return Error(res, 403, "forbidden", "only auditors read the audit journal");
    }
    const std::string justification = req.get_header_value("X-Justification");
    if (!audit::CheckJustification(justification).ok()) {
      return Error(res, 400, "justification_required", "send the reason for reading the audit journal in X-Justification");
    }
    audit::Filter filter;
    filter.user = req.get_param_value("user");
    filter.entity = req.get_param_value("entity");
    filter.action = req.get_param_value("action");
    size_t limit = 1000;
    if (req.has_param("limit")) {
      const std::string text = req.get_param_value("limit");
      if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(text) < 1 || std::stoul(text) > 10000) {
        return Error(res, 400, "bad_limit", "limit must be a number from 1 to 10000");
      }
      limit = std::stoul(text);
    }
    audit::Record record;
    record.action = "audit-read";
    record.justification = justification;
    record.detail = "user=" + filter.user + " entity=" + filter.entity + " action=" + filter.action;
    if (!filter.entity.empty()) record.AddObject(filter.entity);
    if (Status s = audit(user->name, req, record); !s.ok()) {
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
  return doc.dump(2);
}

}  // namespace ura::http
