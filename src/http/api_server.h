// The HTTP API over cpp-httplib: health, metrics, log-in/log-out, search, entity and its
// history, audit, users, upload, verify, tree head and the OpenAPI document. Every request for police data needs a session token
// (`Authorization: Bearer ...`) and a justification (`X-Justification`); the user's role must
// allow consultation and their clearance must reach a record's classification, or the record
// is not there for them (search leaves it out, GET answers 404). Every consultation and
// log-on (also failed ones, and lockouts) is an audit record in the journal before the answer
// is sent. Errors are JSON {"code", "message"} with a 4xx status; never a 500 for bad input.
//
// This server holds the store: it owns the journal writer and the index (writes on one
// connection under one mutex; consultations on a pool of read connections, SetReaders). With a
// certificate it serves TLS only; without, it listens on loopback only.
// Who may do what is decided by access/policy.h through the services (service/consult.h for
// consultations): the handlers only decode requests and encode answers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <vector>
#include <optional>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>

#include "access/policy.h"
#include "access/sessions.h"
#include "access/users.h"
#include "audit/audit.h"
#include "base/clock.h"
#include "index/index.h"
#include "journal/journal.h"

#include <nlohmann/json_fwd.hpp>
namespace ura::graph {
class Graph;
class GraphState;
}

namespace httplib {
class Server;
struct Request;
struct Response;
}

namespace ura::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                        // 0: any free port
  size_t max_body_bytes = 1 << 20;     // larger requests get 413
  int read_timeout_seconds = 10;       // slow clients are cut off
  // PEM certificate chain and private key. With them the server speaks TLS (1.2 or later)
  // only, on any address; without them, plain HTTP on loopback only.
  std::string tls_cert;
  std::string tls_key;
  // Where POST /api/v1/ingest?mapping=NAME finds NAME.yml.
  std::string mappings_dir = "mappings";
  size_t max_upload_bytes = 256u << 20;  // source files uploaded to /api/v1/ingest, partners' packages and filters
  // The built web UI (web/dist): its files are served at /. Empty: no UI, the API only.
  std::string web_dir;
  // The witnesses a verification expects to have cosigned a head of this history (hex
  // Ed25519 public keys; recovery/witness.h), and where their cosignature files are (empty:
  // the store's cosignatures/ directory). Witnesses with files there are shown too.
  std::vector<std::string> witnesses;
  std::string cosignatures_dir;
};

class ApiServer {
 public:
  // The references must outlive the server. `log` (optional) receives one JSON line per
  // request: time, method, route (the template, never the query or an id), status,
  // milliseconds, client -- no police data, no secrets. `users` is read (and changed only through
  // `sessions`) under the server's lock.
  ApiServer(journal::Journal& journal, index::Index& index, access::UserDirectory& users,
            access::SessionManager& sessions, Clock& clock, ServerOptions options, std::ostream* log = nullptr);
  ~ApiServer();

  // Extra connections to the same index for consultations, so that requests read in parallel
  // (SQLite in WAL mode: readers see every committed write). Without them every read takes
  // the one connection given to the constructor in turn. Call before Serve().
  void SetReaders(std::vector<std::unique_ptr<index::Index>> readers);

  // Binds; returns the port. kInvalidArgument for a host that is not a loopback address
  // without TLS, or a certificate/key that does not load; kUnavailable if the port is taken.
  Result<int> Bind();
  // Serves until Stop() (from any thread or a signal-watching thread).
  Status Serve();
  void Stop();

 private:
  void Routes();
  void HistoryAndAuditRoutes();
  // Appends the audit record of a request (time, user, client address filled in), durably.
  Status AuditRequest(const std::string& user, const httplib::Request& req, audit::Record record);
  Status AuditRequest(const std::string& user, const httplib::Request& req, std::vector<audit::Record> records);  // one commit
  void AdminRoutes();
  void IngestAndVerifyRoutes();
  void BackupRoutes();  // pull backups (backup_routes.cc)
  void ExchangeRoutes();  // exchange_routes.cc
  void ResolveRoutes();   // resolve_routes.cc
  void GraphRoutes();  // graph_routes.cc
  // The link-analysis graph of the index as it is now: read from the index once, then brought
  // up to date from the journal entries the index has applied since (graph_routes.cc).
  Result<std::shared_ptr<const graph::Graph>> CurrentGraph(index::Index& index);
  std::mutex graph_mu_;
  std::shared_ptr<graph::GraphState> graph_state_;
  std::shared_ptr<const graph::Graph> graph_;
  uint64_t graph_size_ = 0;
  // The signed-in user of a request (a copy: users may change meanwhile), or nullopt with a
  // 401 reply set.
  std::optional<access::User> SignedIn(const httplib::Request& req, httplib::Response& res);
  // A signed-in user permitted `action`, or nullopt with the 401/403 reply set (a refusal is
  // audited). With `justification` set, the X-Justification header is required (400 without).
  std::optional<access::User> Permitted(const httplib::Request& req, httplib::Response& res, access::Action action,
                                        const std::string& audit_action, std::string* justification = nullptr);
  journal::Journal& journal_;
  index::Index& index_;
  access::UserDirectory& users_;
  access::SessionManager& sessions_;
  Clock& clock_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  static constexpr int kListenBacklog = 1024;
  int listen_socket_ = -1;  // set when bound
  std::string tls_problem_;  // why the certificate or key did not load, if they did not
  std::ostream* log_ = nullptr;
  // Prometheus counters (GET /metrics): requests by route and status, log-ons by outcome.
  std::mutex metrics_mu_;
  std::mutex log_mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, uint64_t> logins_;
  double search_seconds_ = 0;
  uint64_t searches_ = 0;
  std::string Metrics();
  // An index connection for one request: a reader from the pool if there is one, else the
  // main connection under store_mu_.
  class IndexLease {
   public:
    explicit IndexLease(ApiServer& server);
    ~IndexLease();
    index::Index& operator*() { return *index_; }
   private:
    ApiServer& server_;
    index::Index* index_ = nullptr;
    std::unique_lock<std::mutex> main_;
  };
  std::mutex store_mu_;   // the main index connection (writes; reads when there is no pool)
  std::vector<std::unique_ptr<index::Index>> readers_;
  std::vector<index::Index*> free_readers_;
  std::mutex readers_mu_;
  std::condition_variable reader_freed_;
  std::mutex ingest_mu_;  // one upload at a time
  std::mutex admin_mu_;   // one user change at a time
  std::mutex verify_mu_;  // one verification at a time
  std::mutex exchange_mu_;  // one package import at a time (replay check, then receipt)
  std::mutex verify_state_mu_;
  std::string last_verify_;  // JSON of the last verification, or empty
};

// The OpenAPI 3 document of the routes above (served at /api/v1/openapi.json).
std::string OpenApiDocument();
// A required JSON request body: an object of exactly `properties`, `required` among them.
nlohmann::json OpenApiJsonBody(nlohmann::json properties, nlohmann::json required);
// Entity resolution's review routes' part of it (resolve_routes.cc).
void AddResolvePaths(nlohmann::json& paths, const nlohmann::json& bearer, const nlohmann::json& justification,
                     const nlohmann::json& error);
// The exchange routes' part of it (exchange_routes.cc).
void AddExchangePaths(nlohmann::json& paths, const nlohmann::json& bearer, const nlohmann::json& justification,
                      const nlohmann::json& error);

}  // namespace ura::http
