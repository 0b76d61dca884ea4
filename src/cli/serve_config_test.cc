// `ura serve --config`: which value wins (flag, then config file, then environment, then the
// built-in default), and that the config module's defaults are the server's and the session
// manager's own, so a key left out of ura.toml changes nothing.
#include "cli/serve_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <utility>
#include <vector>

#include "http/api_server.h"
#include "journal/journal_testing.h"

namespace ura::cli {
namespace {

config::ServeConfig Parse(const char* text) {
  auto c = config::ParseServeConfig(text, "ura.toml");
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? *c : config::ServeConfig{};
}

TEST(ServeConfigResolveTest, DefaultsAgreeWithTheServerAndSessionManager) {
  const config::ServeConfig c;
  const http::ServerOptions server;
  const access::SessionPolicy policy;
  EXPECT_EQ(static_cast<size_t>(c.max_body_bytes), server.max_body_bytes);
  EXPECT_EQ(c.read_timeout_seconds, server.read_timeout_seconds);
  EXPECT_EQ(c.idle_minutes * 60LL * 1000000, policy.idle_us);
  EXPECT_EQ(c.lifetime_hours * 3600LL * 1000000, policy.lifetime_us);
  EXPECT_EQ(c.max_failures, policy.max_failures);
  EXPECT_EQ(c.lockout_minutes * 60LL * 1000000, policy.lockout_us);
  EXPECT_EQ(c.totp_window, policy.totp_window);

  // No config and an empty config give the same settings.
  Context without, with;
  without.fs = with.fs = &DefaultFileSystem();
  auto a = ResolveServeSettings({}, nullptr, {}, without);
  auto b = ResolveServeSettings({}, &c, {}, with);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->listen, "127.0.0.1:8443");
  EXPECT_EQ(b->listen, a->listen);
  EXPECT_EQ(b->max_body_bytes, server.max_body_bytes);
  EXPECT_EQ(a->max_body_bytes, server.max_body_bytes);
  EXPECT_EQ(b->read_timeout_seconds, a->read_timeout_seconds);
  EXPECT_EQ(b->session.idle_us, a->session.idle_us);
  EXPECT_EQ(b->session.lifetime_us, a->session.lifetime_us);
  EXPECT_EQ(b->session.lockout_us, a->session.lockout_us);
  EXPECT_EQ(b->max_upload_bytes, a->max_upload_bytes);
  EXPECT_EQ(static_cast<size_t>(c.max_upload_bytes), a->max_upload_bytes);
  EXPECT_TRUE(with.data_flag.empty() && with.passphrase_file.empty() && with.key_file.empty());
}

TEST(ServeConfigResolveTest, ConfigValuesAreUsed) {
  auto c = Parse(
      "[store]\ndata_dir = \"/srv/ura\"\n[key]\nkey_file = \"/etc/ura/store.key\"\n"
      "[server]\nhost = \"0.0.0.0\"\nport = 9443\n[tls]\ncert_file = \"/c.pem\"\nkey_file = "
      "\"/k.pem\"\n"
      "[limits]\nmax_body_bytes = 2048\nread_timeout_seconds = 7\n"
      "[session]\nidle_minutes = 15\nlifetime_hours = 2\nmax_failures = 3\nlockout_minutes = 20\n"
      "[ingest]\nmappings_dir = \"/srv/mappings\"\nmax_upload_bytes = 4096\n"
      "[log]\nfile = \"/var/log/ura/ura.log\"\n");
  Context ctx;
  ctx.fs = &DefaultFileSystem();
  auto s = ResolveServeSettings({}, &c, {}, ctx);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->listen, "0.0.0.0:9443");
  EXPECT_EQ(s->tls_cert, "/c.pem");
  EXPECT_EQ(s->tls_key, "/k.pem");
  EXPECT_EQ(s->max_body_bytes, 2048u);
  EXPECT_EQ(s->read_timeout_seconds, 7);
  EXPECT_EQ(s->session.idle_us, 15LL * 60 * 1000000);
  EXPECT_EQ(s->session.lifetime_us, 2LL * 3600 * 1000000);
  EXPECT_EQ(s->session.max_failures, 3);
  EXPECT_EQ(s->session.lockout_us, 20LL * 60 * 1000000);
  EXPECT_EQ(s->log_file, "/var/log/ura/ura.log");
  EXPECT_EQ(s->mappings_dir, "/srv/mappings");
  EXPECT_EQ(s->max_upload_bytes, 4096u);
  EXPECT_EQ(ctx.DataDir(), "/srv/ura");
  EXPECT_EQ(ctx.key_file, "/etc/ura/store.key");
  EXPECT_TRUE(ctx.passphrase_file.empty());
}

TEST(ServeConfigResolveTest, FlagsOverrideTheConfig) {
  auto c = Parse(
      "[store]\ndata_dir = \"/srv/ura\"\n[key]\nkey_file = \"/etc/ura/store.key\"\n"
      "[server]\nport = 9443\n[tls]\ncert_file = \"/c.pem\"\nkey_file = \"/k.pem\"\n");
  Context ctx;
  ctx.fs = &DefaultFileSystem();
  ctx.data_flag = "/tmp/other";
  ctx.passphrase_file = "/tmp/pass";  // a key flag: the config's [key] is ignored entirely
  ServeFlags flags;
  flags.listen = "127.0.0.1:0";
  flags.tls_cert = "/flag-cert.pem";  // the pair goes together: the config's key file is not kept
  auto s = ResolveServeSettings(flags, &c, {}, ctx);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->listen, "127.0.0.1:0");
  EXPECT_EQ(s->tls_cert, "/flag-cert.pem");
  EXPECT_EQ(s->tls_key, "");
  EXPECT_EQ(ctx.DataDir(), "/tmp/other");
  EXPECT_EQ(ctx.passphrase_file, "/tmp/pass");
  EXPECT_TRUE(ctx.key_file.empty());
}

TEST(ServeConfigResolveTest, CredentialsAndIpv6) {
  auto c =
      Parse("[key]\npassphrase_credential = \"passphrase\"\n[server]\nhost = \"::1\"\nport = 0\n");
  Context ctx;
  ctx.fs = &DefaultFileSystem();
  ServeEnvironment env;
  env.credentials_directory = "/run/credentials/ura.service";
  auto s = ResolveServeSettings({}, &c, env, ctx);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->listen, "[::1]:0");
  EXPECT_EQ(ctx.passphrase_file, "/run/credentials/ura.service/passphrase");
  // Outside systemd the credential cannot be found: a clear error, not a prompt.
  Context outside;
  outside.fs = &DefaultFileSystem();
  auto missing = ResolveServeSettings({}, &c, {}, outside);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("CREDENTIALS_DIRECTORY"), std::string::npos);
}

TEST(ServeConfigResolveTest, ConfigWritableByOthersIsRefused) {
  journal::testing::TempDir tmp;
  const std::string path = tmp.Sub("ura.toml");
  ASSERT_TRUE(WriteFileAtomically(DefaultFileSystem(), path, AsBytes("[server]\nport = 0\n")).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  EXPECT_TRUE(LoadServeConfigFile(DefaultFileSystem(), path).ok());
  for (mode_t mode : {0660, 0646, 0666}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto c = LoadServeConfigFile(DefaultFileSystem(), path);
    ASSERT_FALSE(c.ok()) << mode;
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(c.status().message().find("chmod go-w " + path), std::string::npos)
        << c.status().message();
  }
}

// The search order of cli/serve_config.h, each step shown by making the earlier ones fail.
TEST(ServeConfigResolveTest, MappingsSearchOrder) {
  journal::testing::TempDir tmp;
  FileSystem& fs = DefaultFileSystem();
  // An installed layout: PREFIX/bin/ura and PREFIX/share/ura/mappings.
  const std::string prefix = tmp.Sub("usr");
  ASSERT_TRUE(fs.CreateDir(prefix).ok() && fs.CreateDir(prefix + "/bin").ok() &&
              fs.CreateDir(prefix + "/share").ok() && fs.CreateDir(prefix + "/share/ura").ok() &&
              fs.CreateDir(prefix + "/share/ura/mappings").ok());
  const std::string source = tmp.Sub("src");
  ASSERT_TRUE(fs.CreateDir(source).ok() && fs.CreateDir(source + "/mappings").ok());

  ServeEnvironment env;
  env.share_dir = "/opt/ura-share";  // 1: explicit, whether it exists or not
  env.executable = prefix + "/bin/ura";
  env.source_dir = source;
  EXPECT_EQ(FindMappingsDir(env, fs), "/opt/ura-share/mappings");
  env.share_dir.clear();  // 2: next to the binary
  EXPECT_EQ(FindMappingsDir(env, fs), prefix + "/share/ura/mappings");
  env.executable = tmp.Sub("elsewhere/ura");  // 3: the source tree
  EXPECT_EQ(FindMappingsDir(env, fs), source + "/mappings");
  env.source_dir = tmp.Sub("gone");  // 4: the working directory
  EXPECT_EQ(FindMappingsDir(env, fs), "mappings");

  // The config's [ingest] mappings_dir comes before all of them.
  Context ctx;
  ctx.fs = &fs;
  env.executable = prefix + "/bin/ura";
  auto c = Parse("[ingest]\nmappings_dir = \"/srv/mappings\"\n");
  EXPECT_EQ(ResolveServeSettings({}, &c, env, ctx)->mappings_dir, "/srv/mappings");
  EXPECT_EQ(ResolveServeSettings({}, nullptr, env, ctx)->mappings_dir,
            prefix + "/share/ura/mappings");
}

// The web UI's search order: like the mappings', but a candidate must exist, and none found
// means no UI. The config's [web] dir comes before them, and --web before that.
TEST(ServeConfigResolveTest, WebSearchOrder) {
  journal::testing::TempDir tmp;
  FileSystem& fs = DefaultFileSystem();
  const std::string share = tmp.Sub("share");
  const std::string prefix = tmp.Sub("usr");
  const std::string source = tmp.Sub("src");
  for (const std::string& dir : {share, share + "/web", prefix, prefix + "/bin", prefix + "/share",
                                 prefix + "/share/ura", prefix + "/share/ura/web", source,
                                 source + "/web", source + "/web/dist"}) {
    ASSERT_TRUE(fs.CreateDir(dir).ok()) << dir;
  }
  ASSERT_TRUE(WriteFileAtomically(fs, source + "/web/dist/index.html", AsBytes("<!doctype html>")).ok());

  const std::string exe = prefix + "/bin/ura";
  const std::string elsewhere = tmp.Sub("elsewhere/ura");
  // {credentials, $URA_SHARE, the binary, the source tree} -> the UI found; each row takes
  // away the place that the row before it found.
  const std::vector<std::pair<ServeEnvironment, std::string>> rows = {
      {{"", share, exe, source}, share + "/web"},
      {{"", tmp.Sub("no-share"), exe, source}, prefix + "/share/ura/web"},
      {{"", "", elsewhere, source}, source + "/web/dist"},
      {{"", "", elsewhere, tmp.Sub("gone")}, ""},
  };
  for (const auto& [row_env, expected] : rows) EXPECT_EQ(FindWebDir(row_env, fs), expected) << row_env.executable;

  ServeEnvironment env = rows[1].first;
  Context ctx;
  ctx.fs = &fs;
  auto c = Parse("[web]\ndir = \"/srv/web\"\n");
  EXPECT_EQ(ResolveServeSettings({}, &c, env, ctx)->web_dir, "/srv/web");
  ServeFlags flags;
  flags.web = "/flag/web";
  EXPECT_EQ(ResolveServeSettings(flags, &c, env, ctx)->web_dir, "/flag/web");
  EXPECT_EQ(ResolveServeSettings({}, nullptr, env, ctx)->web_dir, prefix + "/share/ura/web");
}

TEST(ServeSettingsTest, WitnessFlagsReplaceTheConfigsList) {
  Context ctx;
  ctx.fs = &DefaultFileSystem();
  const std::string a(64, 'a'), b(64, 'b');
  const std::string text = "[integrity]\nwitnesses = [\"" + a + "\"]\ncosignatures_dir = \"/srv/cos\"\n";
  auto c = Parse(text.c_str());
  auto from_file = ResolveServeSettings({}, &c, {}, ctx);
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(from_file->witnesses, std::vector<std::string>{a});
  EXPECT_EQ(from_file->cosignatures_dir, "/srv/cos");
  ServeFlags flags;
  flags.witnesses = {b};
  EXPECT_EQ(ResolveServeSettings(flags, &c, {}, ctx)->witnesses, std::vector<std::string>{b});
  EXPECT_TRUE(ResolveServeSettings({}, nullptr, {}, ctx)->witnesses.empty());
}

}  // namespace
}  // namespace ura::cli
