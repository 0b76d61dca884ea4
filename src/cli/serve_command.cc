// `ura serve [--listen HOST:PORT]`: the HTTP API (src/http). Holds the store (its lock, the
// journal writer, the index) until SIGTERM or SIGINT, then stops cleanly. Without TLS it
// listens on loopback only and says so.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <thread>

#include "access/sessions.h"
#include "cli/cli.h"
#include "cli/store_session.h"
#include "http/api_server.h"
#include "index/sqlite/sqlite_index.h"

namespace ura::cli {

namespace {

Result<http::ServerOptions> ParseListen(const std::string& listen) {
  http::ServerOptions options;
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("--listen takes HOST:PORT, e.g. 127.0.0.1:8443");
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return InvalidArgument("--listen: '" + port + "' is not a port (0-65535; 0 picks a free one)");
  }
  options.port = std::stoi(port);
  return options;
}

int Serve(Context& ctx, const std::string& listen, const std::string& tls_cert, const std::string& tls_key,
          const std::string& mappings) {
  auto options = ParseListen(listen);
  if (!options.ok()) return ReportError(ctx, options.status());
  options->tls_cert = tls_cert;
  options->tls_key = tls_key;
  options->mappings_dir = mappings;
  // Signals go to the watcher thread only: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto session = StoreSession::OpenForWrite(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  if (Status s = (*session)->Finish(); !s.ok()) return ReportError(ctx, s);
  auto users = LoadUsers(*ctx.fs, ctx.paths(), (*session)->keyring());
  if (!users.ok()) return ReportError(ctx, users.status());
  if (users->All().empty()) *ctx.err << "ura: warning: no users yet: add one with `ura user add` (server stopped first)\n";
  access::SessionManager sessions(*users, *ctx.clock);
  http::ApiServer server(*(*session)->journal(), (*session)->index(), *users, sessions, *ctx.clock, *options, ctx.err);
  // Read-only work (searches, dossiers) on connections of its own, a few per core.
  {
    auto key = IndexKey((*session)->keyring());
    if (!key.ok()) return ReportError(ctx, key.status());
    std::vector<std::unique_ptr<index::Index>> readers;
    const unsigned count = std::clamp(2 * std::thread::hardware_concurrency(), 2u, 16u);
    for (unsigned i = 0; i < count; ++i) {
      auto reader = index::SqliteIndex::Open(index::IndexPath(ctx.paths()), key->view());
      if (!reader.ok()) return ReportError(ctx, reader.status().WithContext("opening a reader of the index"));
      readers.push_back(std::move(reader).value());
    }
    server.SetReaders(std::move(readers));
  }
  auto port = server.Bind();
  if (!port.ok()) return ReportError(ctx, port.status());
  if (tls_cert.empty()) {
    *ctx.out << "listening on http://" << options->host << ":" << *port
             << " (loopback only: no TLS configured); stop with SIGTERM or Ctrl-C" << std::endl;
  } else {
    *ctx.out << "listening on https://" << options->host << ":" << *port << " (TLS only); stop with SIGTERM or Ctrl-C"
             << std::endl;
  }
  std::thread watcher([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    server.Stop();
  });
  Status served = server.Serve();
  // Wake the watcher if the server stopped by itself.
  pthread_kill(watcher.native_handle(), SIGTERM);
  watcher.join();
  if (!served.ok()) return ReportError(ctx, served);
  *ctx.out << "stopped" << std::endl;
  return kExitOk;
}

}  // namespace

void RegisterServeCommand(CLI::App& app, Context& ctx, int& exit_code) {
  auto listen = std::make_shared<std::string>("127.0.0.1:8443");
  auto cert = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP API (TLS with a certificate; else loopback only)");
  cmd->add_option("--listen", *listen, "HOST:PORT to listen on (default 127.0.0.1:8443; port 0 picks a free one)");
  cmd->add_option("--tls-cert", *cert, "PEM certificate chain: serve TLS only, on any address");
  cmd->add_option("--tls-key", *key, "PEM private key of the certificate (unencrypted; keep it readable by Ura only)");
  auto mappings = std::make_shared<std::string>("mappings");
  cmd->add_option("--mappings", *mappings, "Directory of the mappings uploads name (default ./mappings)");
  cmd->callback([&ctx, &exit_code, listen, cert, key, mappings] {
    exit_code = Serve(ctx, *listen, *cert, *key, *mappings);
  });
}

}  // namespace ura::cli
