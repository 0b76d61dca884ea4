#include "cli/serve_config.h"

namespace ura::cli {

namespace {

constexpr int64_t kMicrosPerMinute = 60LL * 1000000;

}  // namespace

Result<ServeSettings> ResolveServeSettings(const ServeFlags& flags,
                                           const config::ServeConfig* config,
                                           const char* credentials_directory, Context& ctx) {
  ServeSettings settings;
  if (config != nullptr) {
    const config::ServeConfig& c = *config;
    // A bare IPv6 address needs its brackets back before ":PORT" (ParseListen removes them).
    const bool ipv6 = c.host.find(':') != std::string::npos;
    settings.listen = (ipv6 ? "[" + c.host + "]" : c.host) + ":" + std::to_string(c.port);
    settings.tls_cert = c.tls_cert_file;
    settings.tls_key = c.tls_key_file;
    settings.max_body_bytes = static_cast<size_t>(c.max_body_bytes);
    settings.read_timeout_seconds = c.read_timeout_seconds;
    settings.session.idle_us = c.idle_minutes * kMicrosPerMinute;
    settings.session.lifetime_us = c.lifetime_hours * 60 * kMicrosPerMinute;
    settings.session.max_failures = c.max_failures;
    settings.session.lockout_us = c.lockout_minutes * kMicrosPerMinute;
    settings.session.totp_window = c.totp_window;
    settings.log_file = c.log_file;
    if (ctx.data_flag.empty())
      ctx.data_flag = c.data_dir;  // empty stays empty: $URA_DATA, ./ura-data
    if (ctx.passphrase_file.empty() && ctx.key_file.empty() &&
        c.key.kind != config::KeySourceKind::kNone) {
      URA_ASSIGN_OR_RETURN(std::string path, config::KeySourcePath(c.key, credentials_directory));
      const bool passphrase = c.key.kind == config::KeySourceKind::kPassphraseFile ||
                              c.key.kind == config::KeySourceKind::kPassphraseCredential;
      (passphrase ? ctx.passphrase_file : ctx.key_file) = path;
    }
  }
  if (!flags.listen.empty()) settings.listen = flags.listen;
  if (!flags.tls_cert.empty() || !flags.tls_key.empty()) {
    settings.tls_cert = flags.tls_cert;
    settings.tls_key = flags.tls_key;
  }
  return settings;
}

}  // namespace ura::cli
