#include "cli/serve_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace ura::cli {

namespace {

constexpr int64_t kMicrosPerMinute = 60LL * 1000000;

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

Result<config::ServeConfig> LoadServeConfigFile(FileSystem& fs, const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && (info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return InvalidArgument(path + ": writable by its group or by others (mode " + mode +
                           "): whoever can write it chooses the store, key and log the server "
                           "uses; make it writable by its owner only (chmod go-w " +
                           path + ")");
  }
  return config::LoadServeConfig(fs, path);
}

ServeEnvironment ProcessServeEnvironment() {
  ServeEnvironment env;
  env.credentials_directory = EnvOrEmpty("CREDENTIALS_DIRECTORY");
  env.share_dir = EnvOrEmpty("URA_SHARE");
  char path[4096];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n > 0) env.executable.assign(path, static_cast<size_t>(n));
  env.source_dir = URA_SOURCE_DIR;  // compile definition (src/cli/CMakeLists.txt)
  return env;
}

std::string FindMappingsDir(const ServeEnvironment& env, FileSystem& fs) {
  if (!env.share_dir.empty()) return env.share_dir + "/mappings";
  if (!env.executable.empty()) {
    const std::filesystem::path bin_dir = std::filesystem::path(env.executable).parent_path();
    const std::string installed = (bin_dir.parent_path() / "share/ura/mappings").string();
    if (fs.Exists(installed)) return installed;
  }
  if (!env.source_dir.empty() && fs.Exists(env.source_dir + "/mappings")) {
    return env.source_dir + "/mappings";
  }
  return "mappings";
}

std::string FindWebDir(const ServeEnvironment& env, FileSystem& fs) {
  if (!env.share_dir.empty() && fs.Exists(env.share_dir + "/web")) return env.share_dir + "/web";
  if (!env.executable.empty()) {
    const std::filesystem::path bin_dir = std::filesystem::path(env.executable).parent_path();
    const std::string installed = (bin_dir.parent_path() / "share/ura/web").string();
    if (fs.Exists(installed)) return installed;
  }
  if (!env.source_dir.empty() && fs.Exists(env.source_dir + "/web/dist/index.html")) return env.source_dir + "/web/dist";
  return "";
}

Result<ServeSettings> ResolveServeSettings(const ServeFlags& flags,
                                           const config::ServeConfig* config,
                                           const ServeEnvironment& env, Context& ctx) {
  ServeSettings settings;
  settings.mappings_dir = FindMappingsDir(env, *ctx.fs);
  settings.web_dir = FindWebDir(env, *ctx.fs);
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
    if (!c.mappings_dir.empty()) settings.mappings_dir = c.mappings_dir;
    if (!c.web_dir.empty()) settings.web_dir = c.web_dir;
    settings.witnesses = c.witnesses;
    settings.cosignatures_dir = c.cosignatures_dir;
    settings.max_upload_bytes = static_cast<size_t>(c.max_upload_bytes);
    if (ctx.data_flag.empty())
      ctx.data_flag = c.data_dir;  // empty stays empty: $URA_DATA, ./ura-data
    if (ctx.passphrase_file.empty() && ctx.key_file.empty() &&
        c.key.kind != config::KeySourceKind::kNone) {
      URA_ASSIGN_OR_RETURN(std::string path,
                           config::KeySourcePath(c.key, env.credentials_directory));
      const bool passphrase = c.key.kind == config::KeySourceKind::kPassphraseFile ||
                              c.key.kind == config::KeySourceKind::kPassphraseCredential;
      (passphrase ? ctx.passphrase_file : ctx.key_file) = path;
    }
  }
  if (!flags.listen.empty()) settings.listen = flags.listen;
  if (!flags.mappings.empty()) settings.mappings_dir = flags.mappings;
  if (!flags.web.empty()) settings.web_dir = flags.web;
  if (!flags.witnesses.empty()) settings.witnesses = flags.witnesses;
  if (!flags.tls_cert.empty() || !flags.tls_key.empty()) {
    settings.tls_cert = flags.tls_cert;
    settings.tls_key = flags.tls_key;
  }
  return settings;
}

}  // namespace ura::cli
