// `ura serve [--config ura.toml] [--listen HOST:PORT]`: the HTTP API (src/http). Holds the store
// (its lock, the journal writer, the index) until SIGTERM or SIGINT, then stops cleanly.
// Without TLS it listens on loopback only and says so. Flags override the config file
// (cli/serve_config.h).
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "access/sessions.h"
#include "cli/cli.h"
#include "cli/serve_config.h"
#include "cli/store_session.h"
#include "http/api_server.h"
#include "index/sqlite/sqlite_index.h"
#include "resolve/incremental.h"

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

int Serve(Context& ctx, const ServeSettings& settings) {
  auto options = ParseListen(settings.listen);
  if (!options.ok()) return ReportError(ctx, options.status());
  const std::string& tls_cert = settings.tls_cert;
  options->tls_cert = tls_cert;
  options->tls_key = settings.tls_key;
  options->max_body_bytes = settings.max_body_bytes;
  options->read_timeout_seconds = settings.read_timeout_seconds;
  options->mappings_dir = settings.mappings_dir;
  options->max_upload_bytes = settings.max_upload_bytes;
  options->web_dir = settings.web_dir;
  options->witnesses = settings.witnesses;
  options->cosignatures_dir = settings.cosignatures_dir;
  if (!settings.web_dir.empty() && !ctx.fs->Exists(settings.web_dir + "/index.html")) {
    return ReportError(ctx, InvalidArgument("--web " + settings.web_dir +
                                            ": no index.html there (build the UI: cd web && npm ci && npm run build)"));
  }
  // The request log: standard error (the journal under systemd) or an append-only file.
  std::ofstream log_file;
  if (!settings.log_file.empty()) {
    log_file.open(settings.log_file, std::ios::app);
    if (!log_file) return ReportError(ctx, InvalidArgument("cannot open the log file " + settings.log_file));
  }
  std::ostream* log = settings.log_file.empty() ? ctx.err : &log_file;
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
  access::SessionManager sessions(*users, *ctx.clock, settings.session);
  http::ApiServer server(*(*session)->journal(), (*session)->index(), *users, sessions, *ctx.clock, *options, log);
  // Read-only work (searches, dossiers) on connections of its own, a few per core.
  {
    std::vector<std::unique_ptr<index::Index>> readers;
    const unsigned count = std::clamp(2 * std::thread::hardware_concurrency(), 2u, 16u);
    for (unsigned i = 0; i < count; ++i) {
      auto reader = (*session)->OpenIndexReader(ctx);
      if (!reader.ok()) return ReportError(ctx, reader.status());
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
  *ctx.out << (options->web_dir.empty() ? std::string("web UI: none found (API only; build it with `make web` or give --web DIR)")
                                        : "web UI: at / (from " + options->web_dir + ")")
           << std::endl;
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

// --config: the file's values are defaults that the flags override (cli/serve_config.h).
int ServeWithConfig(Context& ctx, const ServeFlags& flags) {
  std::optional<config::ServeConfig> file;
  if (!flags.config.empty()) {
    auto loaded = LoadServeConfigFile(*ctx.fs, flags.config);
    if (!loaded.ok()) return ReportError(ctx, loaded.status());
    file = std::move(*loaded);
  }
  auto settings = ResolveServeSettings(flags, file ? &*file : nullptr, ProcessServeEnvironment(), ctx);
  if (!settings.ok()) return ReportError(ctx, settings.status());
  return Serve(ctx, *settings);
}

}  // namespace

void RegisterServeCommand(CLI::App& app, Context& ctx, int& exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP API (TLS with a certificate; else loopback only)");
  cmd->add_option("--config", flags->config,
                  "ura.toml with the store, key source, listen address, TLS, limits, session policy and log "
                  "(flags given here override it)");
  cmd->add_option("--listen", flags->listen, "HOST:PORT to listen on (default 127.0.0.1:8443; port 0 picks a free one)");
  cmd->add_option("--tls-cert", flags->tls_cert, "PEM certificate chain: serve TLS only, on any address");
  cmd->add_option("--tls-key", flags->tls_key, "PEM private key of the certificate (unencrypted; keep it readable by Ura only)");
  cmd->add_option("--mappings", flags->mappings,
                  "Directory of the mappings that uploads name (else [ingest] mappings_dir, else the installed ones)");
  cmd->add_option("--web", flags->web,
                  "Directory of the built web UI, served at / (else $URA_SHARE/web, ../share/ura/web, web/dist)");
  cmd->add_option("--witness", flags->witnesses,
                  "A witness public key (64 hex digits) whose cosignature the integrity check expects; repeat for "
                  "more (else [integrity] witnesses)")
      ->check([](const std::string& key) -> std::string {
        const bool hex = key.size() == 64 && std::all_of(key.begin(), key.end(), [](unsigned char c) {
                           return std::isdigit(c) || (c >= 'a' && c <= 'f');
                         });
        return hex ? "" : "a witness public key is 64 lower-case hex digits, as `ura witness keygen` prints it";
      });
  cmd->callback([&ctx, &exit_code, flags] { exit_code = ServeWithConfig(ctx, *flags); });
}

}  // namespace ura::cli
