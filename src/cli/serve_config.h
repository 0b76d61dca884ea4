// What `ura serve` runs with (docs/cli.md "ura serve --config"), highest first: a flag
// given on the command line wins; else the config file's value (`--config ura.toml`,
// src/config); else the environment ($URA_DATA, $URA_PASSPHRASE); else the built-in default.
// Settings that only make sense together are taken together: giving --tls-cert or --tls-key
// ignores the file's [tls], and giving --passphrase-file or --key-file ignores its [key].
#pragma once

#include <string>

#include "access/sessions.h"
#include "base/status.h"
#include "cli/cli.h"
#include "config/config.h"
#include "http/api_server.h"

namespace ura::cli {

// The command line of `ura serve`; an empty string is a flag that was not given.
struct ServeFlags {
  std::string config;
  std::string listen;  // HOST:PORT
  std::string tls_cert;
  std::string tls_key;
};

struct ServeSettings {
  std::string listen = "127.0.0.1:8443";  // HOST:PORT, as --listen takes it
  std::string tls_cert;
  std::string tls_key;
  size_t max_body_bytes = http::ServerOptions{}.max_body_bytes;
  int read_timeout_seconds = http::ServerOptions{}.read_timeout_seconds;
  access::SessionPolicy session;
  std::string log_file;  // empty: standard error
};

// The settings for `flags` and `config` (nullptr: no --config). Fills the store directory and
// the key source into `ctx` where its global flags did not set them (the config's
// credentials resolve in `credentials_directory`, $CREDENTIALS_DIRECTORY under systemd).
// Errors are KeySourcePath's.
Result<ServeSettings> ResolveServeSettings(const ServeFlags& flags,
                                           const config::ServeConfig* config,
                                           const char* credentials_directory, Context& ctx);

}  // namespace ura::cli
