#include "config/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace ura::config {
namespace {

// Every setting, none at its default.
constexpr const char* kFull = R"([store]
data_dir = "/var/lib/ura"

[key]
passphrase_credential = "passphrase"

[server]
host = "0.0.0.0"
port = 9443

[tls]
cert_file = "/etc/ura/tls/ura.crt"
key_file = "/etc/ura/tls/ura.key"

[limits]
max_body_bytes = 4096
read_timeout_seconds = 20

[session]
idle_minutes = 15
lifetime_hours = 8
max_failures = 3
lockout_minutes = 30
totp_window = 0

[ingest]
mappings_dir = "/srv/ura/mappings"
max_upload_bytes = 1048576

[log]
file = "/var/log/ura/requests.log"

[web]
dir = "/usr/share/ura/web"

[integrity]
witnesses = ["0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"]
cosignatures_dir = "/srv/ura/cosignatures"
)";

ServeConfig ParseOk(std::string_view text) {
  auto c = ParseServeConfig(text, "ura.toml");
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? *c : ServeConfig{};
}

// The message of a config that must be refused (kInvalidArgument).
std::string ParseError(std::string_view text) {
  auto c = ParseServeConfig(text, "ura.toml");
  EXPECT_FALSE(c.ok()) << text;
  if (c.ok()) return "";
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  return c.status().message();
}

TEST(ServeConfigTest, EveryValueIsRead) {
  ServeConfig c = ParseOk(kFull);
  EXPECT_EQ(c.data_dir, "/var/lib/ura");
  EXPECT_EQ(c.key, (KeySource{KeySourceKind::kPassphraseCredential, "passphrase"}));
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.port, 9443);
  EXPECT_EQ(c.tls_cert_file, "/etc/ura/tls/ura.crt");
  EXPECT_EQ(c.tls_key_file, "/etc/ura/tls/ura.key");
  EXPECT_EQ(c.max_body_bytes, 4096);
  EXPECT_EQ(c.read_timeout_seconds, 20);
  EXPECT_EQ(c.idle_minutes, 15);
  EXPECT_EQ(c.lifetime_hours, 8);
  EXPECT_EQ(c.max_failures, 3);
  EXPECT_EQ(c.lockout_minutes, 30);
  EXPECT_EQ(c.totp_window, 0);
  EXPECT_EQ(c.mappings_dir, "/srv/ura/mappings");
  EXPECT_EQ(c.max_upload_bytes, 1048576);
  EXPECT_EQ(c.log_file, "/var/log/ura/requests.log");
  EXPECT_EQ(c.web_dir, "/usr/share/ura/web");
  EXPECT_EQ(c.witnesses, std::vector<std::string>{"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"});
  EXPECT_EQ(c.cosignatures_dir, "/srv/ura/cosignatures");
}

TEST(ServeConfigTest, WitnessesAreHexPublicKeys) {
  EXPECT_NE(ParseError("[integrity]\nwitnesses = \"abc\"\n").find("must be an array"), std::string::npos);
  const std::string short_key = ParseError("[integrity]\nwitnesses = [\"abcd\"]\n");
  EXPECT_NE(short_key.find("ura.toml:2:"), std::string::npos) << short_key;
  EXPECT_NE(short_key.find("64 hex digits"), std::string::npos) << short_key;
  EXPECT_NE(ParseError("[integrity]\nwitnesses = [1]\n").find("64 hex digits"), std::string::npos);
  EXPECT_NE(ParseError("[integrity]\ncosignatures_dir = \"cos\"\n").find("absolute"), std::string::npos);
}

TEST(ServeConfigTest, EmptyFileAndEmptySectionsGiveTheDefaults) {
  EXPECT_EQ(ParseOk(""), ServeConfig{});
  EXPECT_EQ(ParseOk("# nothing set\n[server]\n[session]\n"), ServeConfig{});
  // The defaults written out by hand (they are the server's and the session manager's).
  ServeConfig d;
  EXPECT_EQ(d.host, "127.0.0.1");
  EXPECT_EQ(d.port, 8443);
  EXPECT_EQ(d.max_body_bytes, 1048576);
  EXPECT_EQ(d.idle_minutes, 30);
  EXPECT_EQ(d.max_failures, 5);
  EXPECT_EQ(d.lockout_minutes, 10);
  EXPECT_EQ(d.key.kind, KeySourceKind::kNone);
}

TEST(ServeConfigTest, EachKeySourceKind) {
  EXPECT_EQ(ParseOk("[key]\npassphrase_file = \"/etc/ura/passphrase\"\n").key,
            (KeySource{KeySourceKind::kPassphraseFile, "/etc/ura/passphrase"}));
  EXPECT_EQ(ParseOk("[key]\nkey_file = \"/etc/ura/store.key\"\n").key,
            (KeySource{KeySourceKind::kKeyFile, "/etc/ura/store.key"}));
  EXPECT_EQ(ParseOk("[key]\nkey_credential = \"store-key\"\n").key,
            (KeySource{KeySourceKind::kKeyCredential, "store-key"}));
}

TEST(ServeConfigTest, BracketedIpv6HostIsKeptBare) {
  EXPECT_EQ(ParseOk("[server]\nhost = \"[::1]\"\n").host, "::1");
  EXPECT_EQ(ParseOk("[server]\nhost = \"::1\"\n").host, "::1");
}

// Positions are 1-based line:column as toml++ reports them; each expected one is counted by
// hand in the text of the test.
TEST(ServeConfigTest, UnknownSectionNamesFileLineAndColumn) {
  std::string m = ParseError("[server]\nport = 1\n\n[sever]\nhost = \"x\"\n");
  EXPECT_EQ(m.rfind("ura.toml:4:2:", 0), 0u) << m;  // the name, after "["
  EXPECT_NE(m.find("unknown section 'sever'"), std::string::npos) << m;
}

TEST(ServeConfigTest, UnknownKeyIsRefusedNotIgnored) {
  std::string m = ParseError("[session]\nidle_minute = 20\n");  // a typo must not leave 30 in force
  EXPECT_EQ(m.rfind("ura.toml:2:1: unknown setting 'idle_minute' in [session]", 0), 0u) << m;
  EXPECT_NE(m.find("idle_minutes"), std::string::npos) << m;  // the known ones are listed
}

TEST(ServeConfigTest, WrongTypes) {
  std::string m = ParseError("[server]\nport = \"8443\"\n");
  EXPECT_EQ(m.rfind("ura.toml:2:8: server.port must be an integer, not a string", 0), 0u) << m;
  m = ParseError("[limits]\nmax_body_bytes = 1.5e6\n");
  EXPECT_EQ(
      m.rfind(
          "ura.toml:2:18: limits.max_body_bytes must be an integer, not a floating-point number",
          0),
      0u)
      << m;
  m = ParseError("[store]\ndata_dir = 5\n");
  EXPECT_EQ(m.rfind("ura.toml:2:12: store.data_dir must be a string", 0), 0u) << m;
  m = ParseError("server = 1\n");
  EXPECT_EQ(m.rfind("ura.toml:1:10: 'server' must be a section ([server]), not an integer", 0), 0u)
      << m;
  m = ParseError("[server]\nhost = \"\"\n");
  EXPECT_NE(m.find("server.host is empty"), std::string::npos) << m;
}

TEST(ServeConfigTest, OutOfRangeSaysTheRangeAndWhy) {
  std::string m = ParseError("[session]\nidle_minutes = 45\n");
  EXPECT_EQ(m.rfind("ura.toml:2:16: session.idle_minutes must be between 1 and 30, not 45", 0), 0u)
      << m;
  EXPECT_NE(m.find("CJIS"), std::string::npos) << m;
  EXPECT_NE(ParseError("[session]\nmax_failures = 6\n").find("between 1 and 5"), std::string::npos);
  EXPECT_NE(ParseError("[session]\nlockout_minutes = 5\n").find("between 10 and 1440"),
            std::string::npos);
  EXPECT_NE(ParseError("[server]\nport = 65536\n").find("between 0 and 65535"), std::string::npos);
  EXPECT_NE(ParseError("[server]\nport = -1\n").find("between 0 and 65535"), std::string::npos);
  EXPECT_NE(ParseError("[limits]\nmax_body_bytes = 100\n").find("between 1024 and"),
            std::string::npos);
  EXPECT_NE(
      ParseError("[ingest]\nmax_upload_bytes = 17179869185\n").find("between 1024 and 17179869184"),
      std::string::npos);
  EXPECT_NE(ParseError("[limits]\nread_timeout_seconds = 0\n").find("between 1 and 3600"),
            std::string::npos);
  // Past int64: toml++ itself refuses it.
  EXPECT_NE(ParseError("[limits]\nmax_body_bytes = 99999999999999999999\n").find("ura.toml:2:"),
            std::string::npos);
}

TEST(ServeConfigTest, RelativePathsAreRefused) {
  std::string m = ParseError("[store]\ndata_dir = \"var/lib/ura\"\n");
  EXPECT_EQ(m.rfind("ura.toml:2:12: store.data_dir must be an absolute path", 0), 0u) << m;
  EXPECT_NE(ParseError("[tls]\ncert_file = \"c.pem\"\nkey_file = \"/k.pem\"\n")
                .find("tls.cert_file must be an absolute"),
            std::string::npos);
  EXPECT_NE(ParseError("[ingest]\nmappings_dir = \"mappings\"\n")
                .find("ingest.mappings_dir must be an absolute"),
            std::string::npos);
  EXPECT_NE(ParseError("[log]\nfile = \"./ura.log\"\n").find("log.file must be an absolute"),
            std::string::npos);
  EXPECT_NE(ParseError("[key]\npassphrase_file = \"~/pass\"\n").find("absolute"),
            std::string::npos);
}

TEST(ServeConfigTest, SecretsAreRefusedWithoutBeingRepeated) {
  for (const char* text :
       {"[key]\npassphrase = \"hunter2 hunter2\"\n", "password = \"hunter2 hunter2\"\n",
        "[server]\nadmin_password = \"hunter2 hunter2\"\n",
        "[tls]\nprivate_key = \"hunter2 hunter2\"\n",
        "[key]\nsecret = { value = \"hunter2 hunter2\" }\n"}) {
    std::string m = ParseError(text);
    EXPECT_NE(m.find("looks like a secret"), std::string::npos) << m;
    EXPECT_NE(m.find("passphrase_file"), std::string::npos) << m;  // where it belongs instead
    EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;          // never echoed
  }
  EXPECT_EQ(ParseError("[key]\npassphrase = \"x\"\n").rfind("ura.toml:2:1:", 0), 0u);
  // A PEM block under any name, even one nested in an array.
  std::string m = ParseError("[tls]\ncert_file = \"-----BEGIN PRIVATE KEY-----\\nMIIE\"\n");
  EXPECT_NE(m.find("PEM block"), std::string::npos) << m;
  EXPECT_EQ(m.find("MIIE"), std::string::npos) << m;
  EXPECT_NE(ParseError("[log]\nx = [[\"-----BEGIN RSA PRIVATE KEY-----\"]]\n").find("PEM block"),
            std::string::npos);
}

TEST(ServeConfigTest, TlsNeedsBothFiles) {
  std::string m = ParseError("[tls]\ncert_file = \"/etc/ura/c.pem\"\n");
  EXPECT_EQ(
      m.rfind("ura.toml:2:13: [tls] needs both cert_file and key_file (only cert_file is given)",
              0),
      0u)
      << m;
  EXPECT_NE(ParseError("[tls]\nkey_file = \"/etc/ura/k.pem\"\n").find("only key_file"),
            std::string::npos);
}

TEST(ServeConfigTest, OneKeySourceOnly) {
  std::string m = ParseError("[key]\npassphrase_file = \"/etc/ura/p\"\nkey_credential = \"k\"\n");
  EXPECT_EQ(m.rfind("ura.toml:3:18: key.key_credential and key.passphrase_file both say", 0), 0u)
      << m;
  m = ParseError("[key]\npassphrase_credential = \"../etc/shadow\"\n");
  EXPECT_NE(m.find("name of a systemd credential"), std::string::npos) << m;
  EXPECT_NE(ParseError("[key]\nkey_credential = \"..\"\n").find("systemd credential"),
            std::string::npos);
}

TEST(ServeConfigTest, HostWithPortIsRefused) {
  std::string m = ParseError("[server]\nhost = \"127.0.0.1:8443\"\n");
  // One colon means a port was appended; an IPv6 address has at least two.
  EXPECT_NE(m.find("without a port"), std::string::npos) << m;
  EXPECT_NE(ParseError("[server]\nhost = \"localhost:80\"\n").find("without a port"),
            std::string::npos);
  EXPECT_NE(ParseError("[server]\nhost = \"a b\"\n").find("without a port"), std::string::npos);
}

TEST(ServeConfigTest, SyntaxErrorsNameThePosition) {
  std::string m = ParseError("[server]\nport = 8443\nhost = 127.0.0.1\n");
  EXPECT_EQ(m.rfind("ura.toml:3:", 0), 0u) << m;
  EXPECT_NE(m.find("not valid TOML"), std::string::npos) << m;
  m = ParseError("[server]\n[server]\n");  // a table defined twice
  EXPECT_EQ(m.rfind("ura.toml:2:", 0), 0u) << m;
  m = ParseError("[server]\nhost = \"\xff\"\n");  // not UTF-8
  EXPECT_EQ(m.rfind("ura.toml:2:", 0), 0u) << m;
  EXPECT_NE(ParseError("[log]\nfile = \"/a\\u0001b\"\n").find("control character"),
            std::string::npos);
}

TEST(ServeConfigTest, FormatRoundTrips) {
  for (const char* text :
       {kFull, "", "[key]\nkey_file = \"/k\"\n[server]\nhost = \"::1\"\nport = 0\n"}) {
    ServeConfig c = ParseOk(text);
    std::string formatted = FormatServeConfig(c);
    auto again = ParseServeConfig(formatted, "formatted.toml");
    ASSERT_TRUE(again.ok()) << again.status().message() << "\n" << formatted;
    EXPECT_EQ(*again, c) << formatted;
  }
  // And what it writes is the file an officer would write.
  EXPECT_NE(FormatServeConfig(ParseOk(kFull)).find("idle_minutes = 15"), std::string::npos);
}

TEST(ServeConfigTest, KeySourcePath) {
  EXPECT_EQ(*KeySourcePath({KeySourceKind::kPassphraseFile, "/etc/ura/p"}, ""), "/etc/ura/p");
  EXPECT_EQ(
      *KeySourcePath({KeySourceKind::kKeyCredential, "store-key"}, "/run/credentials/ura.service"),
      "/run/credentials/ura.service/store-key");
  auto missing = KeySourcePath({KeySourceKind::kPassphraseCredential, "passphrase"}, "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.status().message().find("CREDENTIALS_DIRECTORY"), std::string::npos);
  EXPECT_FALSE(KeySourcePath({KeySourceKind::kPassphraseCredential, "p"}, "").ok());
  EXPECT_FALSE(KeySourcePath({}, "/run").ok());
}

TEST(ServeConfigTest, LoadNamesThePathAndRefusesHugeFiles) {
  char dir[] = "/tmp/ura-config-test-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/ura.toml";
  { std::ofstream(path) << "[server]\nport = \"x\"\n"; }
  auto c = LoadServeConfig(DefaultFileSystem(), path);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind(path + ":2:8: server.port", 0), 0u) << c.status().message();
  { std::ofstream(path) << "# " << std::string(2 << 20, 'x') << "\n"; }
  c = LoadServeConfig(DefaultFileSystem(), path);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("too large"), std::string::npos);
  std::remove(path.c_str());
  c = LoadServeConfig(DefaultFileSystem(), path);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound) << c.status().message();
  ::rmdir(dir);
}

}  // namespace
}  // namespace ura::config
