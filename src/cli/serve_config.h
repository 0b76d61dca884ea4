// What `ura serve` runs with (docs/cli.md "ura serve --config"), highest first: a flag
// given on the command line wins; else the config file's value (`--config ura.toml`,
// src/config); else the environment ($URA_DATA, $URA_PASSPHRASE); else the built-in default.
// Settings that only make sense together are taken together: giving --tls-cert or --tls-key
// ignores the file's [tls], and giving --passphrase-file or --key-file ignores its [key].
//
// The mapping files that uploads name (POST /api/v1/ingest?mapping=NAME) are looked for in
// the config's [ingest] mappings_dir, else in the first of these that exists:
//   1. $URA_SHARE/mappings (set by hand: used whether it exists or not);
//   2. the binary's ../share/ura/mappings (the package: /usr/bin/ura -> /usr/share/ura/mappings);
//   3. the source tree the binary was built from, compiled in (a build run in place);
// else `mappings` in the working directory.
#pragma once

#include <string>
#include <vector>

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
  std::string mappings;  // --mappings DIR
  std::string web;       // --web DIR
  std::vector<std::string> witnesses;  // --witness KEY...
};

struct ServeSettings {
  std::string listen = "127.0.0.1:8443";  // HOST:PORT, as --listen takes it
  std::string tls_cert;
  std::string tls_key;
  size_t max_body_bytes = http::ServerOptions{}.max_body_bytes;
  int read_timeout_seconds = http::ServerOptions{}.read_timeout_seconds;
  access::SessionPolicy session;
  std::string log_file;  // empty: standard error
  std::string mappings_dir = "mappings";
  size_t max_upload_bytes = http::ServerOptions{}.max_upload_bytes;
  std::string web_dir;  // the built web UI; empty: none
  std::vector<std::string> witnesses;  // expected to have cosigned (hex public keys)
  std::string cosignatures_dir;        // empty: DATA/cosignatures
};

// What the settings depend on besides flags and file; tests pass their own.
struct ServeEnvironment {
  std::string credentials_directory;  // $CREDENTIALS_DIRECTORY (systemd), empty if unset
  std::string share_dir;              // $URA_SHARE, empty if unset
  std::string executable;             // this binary (/proc/self/exe), empty if unknown
  std::string source_dir;             // the source tree it was built from
};
// The running process's.
ServeEnvironment ProcessServeEnvironment();

// The mapping directory by the search above, without the config.
std::string FindMappingsDir(const ServeEnvironment& env, FileSystem& fs);

// The built web UI served at /: --web DIR, else the first that exists of $URA_SHARE/web, the
// binary's ../share/ura/web, the source tree's web/dist; else none (empty: the API only).
std::string FindWebDir(const ServeEnvironment& env, FileSystem& fs);

// Reads and checks the config file at `path` (config::LoadServeConfig), refusing one that its
// group or others may write (kInvalidArgument, like sshd's StrictModes): whoever can write it
// chooses the store, the key file and the log file the server uses.
Result<config::ServeConfig> LoadServeConfigFile(FileSystem& fs, const std::string& path);

// The settings for `flags` and `config` (nullptr: no --config). Fills the store directory and
// the key source into `ctx` where its global flags did not set them (the config's
// credentials resolve in env.credentials_directory). Errors are KeySourcePath's.
Result<ServeSettings> ResolveServeSettings(const ServeFlags& flags,
                                           const config::ServeConfig* config,
                                           const ServeEnvironment& env, Context& ctx);

}  // namespace ura::cli
