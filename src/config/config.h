// The server's configuration file, `ura.toml` (docs/cli.md "ura serve --config"): where the
// store is, what unlocks it, where to listen, TLS files, request limits, session policy and
// where the request log goes and where uploads find their mapping files -- what an IT officer sets once in /etc/ura/ura.toml and the
// systemd unit passes with `ura serve --config`.
//
// Parsed with toml++ (never a home-made parser) and validated strictly, because a typo in a
// security setting must not silently fall back to a default: an unknown section or key, a
// wrong type, a value out of range, or a relative path is an error naming the file, line and
// column and saying what to write instead. A secret is never accepted in the file (it is read
// by administrators, copied into backups and pasted into tickets): a key such as `passphrase`
// or `password`, or a PEM block as a value, is refused with a message saying where the secret
// belongs (a file readable by the `ura` user only, or systemd's LoadCredential=).
//
// This module only turns text into a plain ServeConfig; it knows nothing of the server or the
// session manager, which the command line (src/cli/serve_command.cc) fills from it. The
// defaults below are the built-in ones of http::ServerOptions and access::SessionPolicy (a
// test in src/cli checks that they agree), so a key left out of the file changes nothing.
// Pure functions of their inputs: safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"

namespace ura::config {

// What unlocks the store, by reference only. The *Credential kinds name a systemd credential
// (LoadCredential=NAME:PATH in the unit), read from $CREDENTIALS_DIRECTORY/NAME at start.
enum class KeySourceKind {
  kNone,
  kPassphraseFile,
  kKeyFile,
  kPassphraseCredential,
  kKeyCredential
};

struct KeySource {
  KeySourceKind kind = KeySourceKind::kNone;  // kNone: the command line's rules apply unchanged
  std::string value;                          // an absolute path, or a credential name
  bool operator==(const KeySource&) const = default;
};

struct ServeConfig {
  // [store]
  std::string data_dir;  // absolute; empty: not set (--data, else $URA_DATA, else ./ura-data)
  // [key]
  KeySource key;
  // [server]
  std::string host = "127.0.0.1";
  int port = 8443;  // 0 picks a free port (tests)
  // [tls]: both or neither. Absolute paths.
  std::string tls_cert_file;
  std::string tls_key_file;
  // [limits]
  int64_t max_body_bytes = 1 << 20;
  int read_timeout_seconds = 10;
  // [session] (CJIS 5.5.3 / 5.5.5 bound the ranges: see kLimits in config.cc)
  int idle_minutes = 30;
  int lifetime_hours = 12;
  int max_failures = 5;
  int lockout_minutes = 10;
  int totp_window = 1;
  // [ingest]: uploads to POST /api/v1/ingest?mapping=NAME
  std::string mappings_dir;             // absolute; empty: the search in cli/serve_config.h
  int64_t max_upload_bytes = 256 << 20;  // http::ServerOptions' default
  // [web]: the built web UI served at /
  std::string web_dir;  // absolute; empty: the search in cli/serve_config.h
  // [log]
  std::string log_file;  // absolute; empty: standard error (the journal, under systemd)
  // [integrity]: the witnesses whose cosignatures the integrity check expects (hex Ed25519
  // public keys, lower case) and where the cosignature files are (absolute; empty: DATA/cosignatures)
  std::vector<std::string> witnesses;
  std::string cosignatures_dir;

  bool operator==(const ServeConfig&) const = default;
};

// Parses and validates `text`; `file_name` prefixes every message ("ura.toml:7:18: ...").
// kInvalidArgument for bad TOML or a setting that is not allowed. Never throws.
Result<ServeConfig> ParseServeConfig(std::string_view text, std::string_view file_name);

// Reads `path` (at most 1 MiB) and parses it; messages name `path`. kNotFound if it is missing.
Result<ServeConfig> LoadServeConfig(FileSystem& fs, const std::string& path);

// The config as TOML text that ParseServeConfig reads back to an equal ServeConfig: every
// setting written out (what the server will use), for `--config` round trips and tests.
std::string FormatServeConfig(const ServeConfig& config);

// The file that holds the key source's secret: the path itself, or for a credential
// `credentials_directory`/NAME ($CREDENTIALS_DIRECTORY, empty if unset).
// kFailedPrecondition for a credential without a credentials directory; kInvalidArgument for kNone.
Result<std::string> KeySourcePath(const KeySource& key, std::string_view credentials_directory);

}  // namespace ura::config
