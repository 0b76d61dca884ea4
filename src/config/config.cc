#include "config/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <sstream>

namespace ura::config {

namespace {

constexpr size_t kMaxConfigBytes = 1 << 20;

// Ranges of the numeric settings, with the reason a bound exists where it is not obvious.
struct IntRange {
  int64_t min;
  int64_t max;
  const char* why;  // appended to the error; "" if the range says it all
};
constexpr IntRange kPort{0, 65535, "0 picks a free port"};
constexpr IntRange kMaxBody{1024, int64_t{1} << 30, "larger requests are answered 413"};
constexpr IntRange kMaxUpload{1024, int64_t{16} << 30, "larger uploads are answered 413"};
constexpr IntRange kReadTimeout{1, 3600, "slow clients are cut off after it"};
constexpr IntRange kIdle{1, 30, "CJIS 5.5.5: a session locks after at most 30 minutes idle"};
constexpr IntRange kLifetime{1, 24, "a session never outlives a working day"};
constexpr IntRange kMaxFailures{1, 5, "CJIS 5.5.3: at most 5 failed log-ons before a lockout"};
constexpr IntRange kLockout{10, 1440, "CJIS 5.5.3: a lockout lasts at least 10 minutes"};
constexpr IntRange kTotpWindow{0, 2, "30-second steps accepted either side of now"};

constexpr const char* kSecretAdvice =
    "secrets are never written in ura.toml (administrators read it, backups copy it); put the "
    "secret in a "
    "file readable by the ura user only and name that file with [key] passphrase_file or key_file, "
    "or hand "
    "it over with systemd's LoadCredential= and [key] passphrase_credential or key_credential";

// The settings of [key]: each names where the secret that unlocks the store is.
struct KeySourceSetting {
  const char* key;
  KeySourceKind kind;
  bool is_path;  // else a systemd credential name
};
constexpr std::array<KeySourceSetting, 4> kKeySources = {{
    {"passphrase_file", KeySourceKind::kPassphraseFile, true},
    {"key_file", KeySourceKind::kKeyFile, true},
    {"passphrase_credential", KeySourceKind::kPassphraseCredential, false},
    {"key_credential", KeySourceKind::kKeyCredential, false},
}};

// The keys of [key] that name where a secret is, not the secret: the only ones allowed to
// mention one.
bool IsSecretReference(std::string_view section, std::string_view key) {
  return section == "key" && std::any_of(kKeySources.begin(), kKeySources.end(),
                                         [&](const KeySourceSetting& s) { return key == s.key; });
}

bool LooksLikeSecretName(std::string_view key) {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (std::string_view word : {"passphrase", "password", "passwd", "secret", "token", "private"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

// A key or value as it may be shown in a message: printable ASCII only, at most 60 characters
// (the file may hold anything, and a message must not carry control characters to a terminal).
std::string Shown(std::string_view text) {
  std::string out;
  for (unsigned char c : text.substr(0, 60))
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  if (text.size() > 60) out += "...";
  return out;
}

// A string setting and where it is in the file (for errors about it and its neighbours).
struct Located {
  std::string value;
  toml::source_region where;
};

// Validates one parsed document. Holds the file name for messages; one per parse.
class Validator {
 public:
  explicit Validator(std::string file) : file_(std::move(file)) {}

  // "file:line:column" for a region (just "file" when toml++ knows no position).
  std::string At(const toml::source_region& region) const {
    if (region.begin.line == 0) return file_;
    return file_ + ":" + std::to_string(region.begin.line) + ":" +
           std::to_string(region.begin.column);
  }
  Status Error(const toml::source_region& region, const std::string& message) const {
    return InvalidArgument(At(region) + ": " + message);
  }

  // Refuses a secret anywhere in the document, before anything else: a `passphrase = "..."`
  // must be reported as a secret in the wrong place, not as an unknown key.
  Status RejectSecrets(const toml::table& table, std::string_view section) const {
    for (const auto& [key, node] : table) {
      const std::string name = section.empty()
                                   ? std::string(key.str())
                                   : std::string(section) + "." + std::string(key.str());
      if (LooksLikeSecretName(key.str()) && !IsSecretReference(section, key.str())) {
        return Error(key.source(), "'" + Shown(name) + "' looks like a secret: " + kSecretAdvice);
      }
      URA_RETURN_IF_ERROR(RejectSecretValues(node, name, section.empty() ? key.str() : section));
    }
    return Status();
  }

  // Every section present must be known, and every key in it.
  Status CheckKeys(const toml::table& root) const {
    static const std::map<std::string, std::vector<std::string>, std::less<>> kKnown = {
        {"store", {"data_dir"}},
        {"key", {"passphrase_file", "key_file", "passphrase_credential", "key_credential"}},
        {"server", {"host", "port"}},
        {"tls", {"cert_file", "key_file"}},
        {"limits", {"max_body_bytes", "read_timeout_seconds"}},
        {"session",
         {"idle_minutes", "lifetime_hours", "max_failures", "lockout_minutes", "totp_window"}},
        {"ingest", {"mappings_dir", "max_upload_bytes"}},
        {"log", {"file"}},
        {"web", {"dir"}},
        {"integrity", {"witnesses", "cosignatures_dir"}},
    };
    for (const auto& [key, node] : root) {
      auto known = kKnown.find(key.str());
      if (known == kKnown.end()) {
        return Error(key.source(), "unknown section '" + Shown(key.str()) +
                                       "' (known: store, key, server, tls, limits, session, "
                                       "ingest, log, web, integrity; see docs/cli.md)");
      }
      const toml::table* section = node.as_table();
      if (section == nullptr) {
        return Error(node.source(), "'" + Shown(key.str()) + "' must be a section ([" +
                                        known->first + "]), not " + TypeName(node));
      }
      for (const auto& [name, value] : *section) {
        const auto& allowed = known->second;
        if (std::find(allowed.begin(), allowed.end(), name.str()) == allowed.end()) {
          std::string list;
          for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
          return Error(name.source(), "unknown setting '" + Shown(name.str()) + "' in [" +
                                          known->first + "] (known: " + list + ")");
        }
      }
    }
    return Status();
  }

  // The node at section.key, or nullptr if absent.
  static const toml::node* Find(const toml::table& root, std::string_view section,
                                std::string_view key) {
    const toml::table* table = root[section].as_table();
    return table == nullptr ? nullptr : table->get(key);
  }

  // The integer at section.key; nullopt if absent.
  Result<std::optional<int64_t>> Int(const toml::table& root, std::string_view section,
                                     std::string_view key, const IntRange& range) const {
    const toml::node* node = Find(root, section, key);
    if (node == nullptr) return std::optional<int64_t>();
    const std::string name = std::string(section) + "." + std::string(key);
    const auto* value = node->as_integer();
    if (value == nullptr) {
      return Error(node->source(), name + " must be an integer, not " + TypeName(*node) +
                                       " (no quotes, no decimal point)");
    }
    const int64_t v = value->get();
    if (v < range.min || v > range.max) {
      std::string message = name + " must be between " + std::to_string(range.min) + " and " +
                            std::to_string(range.max) + ", not " + std::to_string(v);
      if (*range.why != '\0') message += std::string(" (") + range.why + ")";
      return Error(node->source(), message);
    }
    return std::optional<int64_t>(v);
  }

  // The non-empty string of printable characters at section.key; nullopt if absent.
  Result<std::optional<Located>> String(const toml::table& root, std::string_view section,
                                        std::string_view key) const {
    const toml::node* node = Find(root, section, key);
    if (node == nullptr) return std::optional<Located>();
    const std::string name = std::string(section) + "." + std::string(key);
    const auto* value = node->as_string();
    if (value == nullptr) {
      return Error(node->source(), name + " must be a string (in quotes), not " + TypeName(*node));
    }
    const std::string& v = value->get();
    if (v.empty()) {
      return Error(node->source(), name + " is empty: give a value or leave the line out");
    }
    if (std::any_of(v.begin(), v.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
      return Error(node->source(), name + " contains a control character");
    }
    return std::optional<Located>(Located{v, node->source()});
  }

  // An absolute path at section.key: the service's working directory is not something to
  // depend on. nullopt if absent.
  Result<std::optional<Located>> Path(const toml::table& root, std::string_view section,
                                      std::string_view key) const {
    URA_ASSIGN_OR_RETURN(std::optional<Located> path, String(root, section, key));
    if (!path) return path;
    const std::string name = std::string(section) + "." + std::string(key);
    if (path->value.front() != '/') {
      return Error(path->where, name + " must be an absolute path (starting with /), not '" +
                                    Shown(path->value) +
                                    "': the service does not run from a directory you can rely on");
    }
    if (path->value.size() > 4095)
      return Error(path->where, name + " is longer than a path may be");
    return path;
  }

  // An array of Ed25519 public keys (64 hex digits each) at section.key; empty if absent.
  Result<std::vector<std::string>> PublicKeys(const toml::table& root, std::string_view section,
                                              std::string_view key) const {
    std::vector<std::string> out;
    const toml::node* node = Find(root, section, key);
    if (node == nullptr) return out;
    const std::string name = std::string(section) + "." + std::string(key);
    const auto* array = node->as_array();
    if (array == nullptr) {
      return Error(node->source(), name + " must be an array of public keys ([\"hex\", ...]), not " + TypeName(*node));
    }
    for (const toml::node& element : *array) {
      const auto* value = element.as_string();
      const bool hex = value != nullptr && value->get().size() == 64 &&
                       std::all_of(value->get().begin(), value->get().end(),
                                   [](unsigned char c) { return std::isxdigit(c) != 0; });
      if (!hex) {
        return Error(element.source(), name + ": each entry is a witness public key of 64 hex digits " +
                                           "(as `ura witness keygen` prints it)");
      }
      std::string lower = value->get();
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      out.push_back(std::move(lower));
    }
    return out;
  }

 private:
  // Strings that are secrets whatever their key is called: PEM blocks (a private key pasted
  // in). Descends into tables and arrays.
  Status RejectSecretValues(const toml::node& node, const std::string& name,
                            std::string_view section) const {
    if (const auto* s = node.as_string();
        s != nullptr && s->get().find("-----BEGIN") != std::string::npos) {
      return Error(
          node.source(),
          "'" + Shown(name) + "' holds a PEM block: " + kSecretAdvice +
              " (a TLS certificate and key go in files named by [tls] cert_file and key_file)");
    }
    if (const auto* table = node.as_table(); table != nullptr)
      return RejectSecrets(*table, section);
    if (const auto* array = node.as_array(); array != nullptr) {
      for (const auto& element : *array)
        URA_RETURN_IF_ERROR(RejectSecretValues(element, name, section));
    }
    return Status();
  }

  std::string file_;
};

bool IsCredentialName(std::string_view name) {
  // systemd credential names: a file name in $CREDENTIALS_DIRECTORY.
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == '@';
  });
}

Result<ServeConfig> Validate(const toml::table& root, const Validator& v) {
  URA_RETURN_IF_ERROR(v.RejectSecrets(root, ""));
  URA_RETURN_IF_ERROR(v.CheckKeys(root));
  ServeConfig config;

  URA_ASSIGN_OR_RETURN(std::optional<Located> data_dir, v.Path(root, "store", "data_dir"));
  if (data_dir) config.data_dir = data_dir->value;

  // [key]: at most one source.
  const char* first_source = nullptr;
  for (const KeySourceSetting& c : kKeySources) {
    URA_ASSIGN_OR_RETURN(std::optional<Located> source,
                         c.is_path ? v.Path(root, "key", c.key) : v.String(root, "key", c.key));
    if (!source) continue;
    if (!c.is_path && !IsCredentialName(source->value)) {
      return v.Error(source->where,
                     std::string("key.") + c.key +
                         " is the name of a systemd credential (letters, digits, "
                         "'_', '-', '.'), as in the unit's LoadCredential=NAME:PATH, not '" +
                         Shown(source->value) + "'");
    }
    if (first_source != nullptr) {
      return v.Error(source->where, std::string("key.") + c.key + " and key." + first_source +
                                        " both say what unlocks the store: keep one");
    }
    first_source = c.key;
    config.key = KeySource{c.kind, source->value};
  }

  URA_ASSIGN_OR_RETURN(std::optional<Located> host, v.String(root, "server", "host"));
  if (host) {
    // "[::1]" as in a URL is accepted and kept as "::1", the form the server binds.
    std::string name = host->value;
    if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
      name = name.substr(1, name.size() - 2);
    }
    // One colon is a port appended ("127.0.0.1:8443"); an IPv6 address has at least two.
    if (name.size() > 253 || name.find_first_of(" /[]") != std::string::npos ||
        std::count(name.begin(), name.end(), ':') == 1) {
      return v.Error(
          host->where,
          "server.host must be a host name or IP address (e.g. \"127.0.0.1\", \"0.0.0.0\" or "
          "\"::1\"), without a port: the port is server.port");
    }
    config.host = name;
  }

  URA_ASSIGN_OR_RETURN(std::optional<Located> cert, v.Path(root, "tls", "cert_file"));
  URA_ASSIGN_OR_RETURN(std::optional<Located> key, v.Path(root, "tls", "key_file"));
  if (cert.has_value() != key.has_value()) {
    return v.Error(cert ? cert->where : key->where,
                   std::string("[tls] needs both cert_file and key_file (only ") +
                       (cert ? "cert_file" : "key_file") + " is given)");
  }
  if (cert) {
    config.tls_cert_file = cert->value;
    config.tls_key_file = key->value;
  }

  URA_ASSIGN_OR_RETURN(std::optional<int64_t> max_body_bytes,
                       v.Int(root, "limits", "max_body_bytes", kMaxBody));
  config.max_body_bytes = max_body_bytes.value_or(config.max_body_bytes);
  // The int settings (each range fits an int).
  struct IntSetting {
    const char* section;
    const char* key;
    const IntRange* range;
    int ServeConfig::*field;
  };
  constexpr IntSetting kIntSettings[] = {
      {"server", "port", &kPort, &ServeConfig::port},
      {"limits", "read_timeout_seconds", &kReadTimeout, &ServeConfig::read_timeout_seconds},
      {"session", "idle_minutes", &kIdle, &ServeConfig::idle_minutes},
      {"session", "lifetime_hours", &kLifetime, &ServeConfig::lifetime_hours},
      {"session", "max_failures", &kMaxFailures, &ServeConfig::max_failures},
      {"session", "lockout_minutes", &kLockout, &ServeConfig::lockout_minutes},
      {"session", "totp_window", &kTotpWindow, &ServeConfig::totp_window},
  };
  for (const IntSetting& setting : kIntSettings) {
    URA_ASSIGN_OR_RETURN(std::optional<int64_t> value,
                         v.Int(root, setting.section, setting.key, *setting.range));
    if (value) config.*setting.field = static_cast<int>(*value);
  }

  URA_ASSIGN_OR_RETURN(std::optional<Located> mappings_dir, v.Path(root, "ingest", "mappings_dir"));
  if (mappings_dir) config.mappings_dir = mappings_dir->value;
  URA_ASSIGN_OR_RETURN(std::optional<int64_t> max_upload_bytes,
                       v.Int(root, "ingest", "max_upload_bytes", kMaxUpload));
  config.max_upload_bytes = max_upload_bytes.value_or(config.max_upload_bytes);

  URA_ASSIGN_OR_RETURN(std::optional<Located> web_dir, v.Path(root, "web", "dir"));
  if (web_dir) config.web_dir = web_dir->value;
  URA_ASSIGN_OR_RETURN(std::optional<Located> log_file, v.Path(root, "log", "file"));
  if (log_file) config.log_file = log_file->value;
  URA_ASSIGN_OR_RETURN(config.witnesses, v.PublicKeys(root, "integrity", "witnesses"));
  URA_ASSIGN_OR_RETURN(std::optional<Located> cosignatures, v.Path(root, "integrity", "cosignatures_dir"));
  if (cosignatures) config.cosignatures_dir = cosignatures->value;
  return config;
}

}  // namespace

Result<ServeConfig> ParseServeConfig(std::string_view text, std::string_view file_name) {
  Validator validator{std::string(file_name)};
  toml::table root;
  // toml++ reports syntax errors by exception (its default build, Debian's too): caught here,
  // at the edge, and turned into a Status.
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    return validator.Error(
        e.source(), "not valid TOML: " + Shown(e.description()) +
                        " (TOML: https://toml.io; the settings: /usr/share/doc/ura/docs/cli.md)");
  }
  return Validate(root, validator);
}

Result<ServeConfig> LoadServeConfig(FileSystem& fs, const std::string& path) {
  auto data = ReadWholeFile(fs, path);
  if (!data.ok()) return data.status().WithContext("reading the config file");
  if (data->size() > kMaxConfigBytes) {
    return InvalidArgument(path + ": " + std::to_string(data->size()) +
                           " bytes is too large for a config file (at most 1 MiB)");
  }
  return ParseServeConfig(AsString(*data), path);
}

std::string FormatServeConfig(const ServeConfig& c) {
  toml::table root;
  if (!c.data_dir.empty()) root.insert("store", toml::table{{"data_dir", c.data_dir}});
  for (const KeySourceSetting& source : kKeySources) {
    if (source.kind == c.key.kind) root.insert("key", toml::table{{source.key, c.key.value}});
  }
  root.insert("server", toml::table{{"host", c.host}, {"port", c.port}});
  if (!c.tls_cert_file.empty()) {
    root.insert("tls", toml::table{{"cert_file", c.tls_cert_file}, {"key_file", c.tls_key_file}});
  }
  root.insert("limits", toml::table{{"max_body_bytes", c.max_body_bytes},
                                    {"read_timeout_seconds", c.read_timeout_seconds}});
  root.insert("session", toml::table{{"idle_minutes", c.idle_minutes},
                                     {"lifetime_hours", c.lifetime_hours},
                                     {"max_failures", c.max_failures},
                                     {"lockout_minutes", c.lockout_minutes},
                                     {"totp_window", c.totp_window}});
  toml::table ingest{{"max_upload_bytes", c.max_upload_bytes}};
  if (!c.mappings_dir.empty()) ingest.insert("mappings_dir", c.mappings_dir);
  root.insert("ingest", std::move(ingest));
  if (!c.log_file.empty()) root.insert("log", toml::table{{"file", c.log_file}});
  if (!c.web_dir.empty()) root.insert("web", toml::table{{"dir", c.web_dir}});
  if (!c.witnesses.empty() || !c.cosignatures_dir.empty()) {
    toml::table integrity;
    if (!c.witnesses.empty()) {
      toml::array keys;
      for (const std::string& k : c.witnesses) keys.push_back(k);
      integrity.insert("witnesses", std::move(keys));
    }
    if (!c.cosignatures_dir.empty()) integrity.insert("cosignatures_dir", c.cosignatures_dir);
    root.insert("integrity", std::move(integrity));
  }
  std::ostringstream out;
  out << toml::toml_formatter(root) << "\n";
  return out.str();
}

Result<std::string> KeySourcePath(const KeySource& key, std::string_view credentials_directory) {
  switch (key.kind) {
    case KeySourceKind::kNone:
      return InvalidArgument("the config names no key source");
    case KeySourceKind::kPassphraseFile:
    case KeySourceKind::kKeyFile:
      return key.value;
    case KeySourceKind::kPassphraseCredential:
    case KeySourceKind::kKeyCredential:
      if (credentials_directory.empty()) {
        return FailedPrecondition(
            "the config names the systemd credential '" + key.value +
            "' but $CREDENTIALS_DIRECTORY is not set: run under the unit (LoadCredential=" +
            key.value + ":PATH), or use [key] passphrase_file or key_file");
      }
      return std::string(credentials_directory) + "/" + key.value;
  }
  return InvalidArgument("unknown key source");
}

}  // namespace ura::config
