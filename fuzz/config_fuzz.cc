// libFuzzer target for ura.toml (src/config/config.h): any bytes as a config file. Properties:
// never crashes or throws; an error always names the file ("f.toml:"); a config that is
// accepted holds only values in range and absolute paths, and survives a round trip
// (FormatServeConfig, then ParseServeConfig gives an equal config).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = ura::config::ParseServeConfig(text, "f.toml");
  if (!c.ok()) {
    if (c.status().message().rfind("f.toml", 0) != 0) std::abort();
    return 0;
  }
  if (c->port < 0 || c->port > 65535 || c->max_body_bytes < 1024 || c->idle_minutes < 1 ||
      c->idle_minutes > 30 || c->max_failures < 1 || c->max_failures > 5 ||
      c->lockout_minutes < 10) {
    std::abort();
  }
  for (const std::string* path :
       {&c->data_dir, &c->tls_cert_file, &c->tls_key_file, &c->log_file}) {
    if (!path->empty() && path->front() != '/') std::abort();
  }
  if (c->tls_cert_file.empty() != c->tls_key_file.empty()) std::abort();
  auto again = ura::config::ParseServeConfig(ura::config::FormatServeConfig(*c), "f.toml");
  if (!again.ok() || !(*again == *c)) std::abort();
  return 0;
}
