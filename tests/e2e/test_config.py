"""End-to-end: `ura serve --config ura.toml` as the systemd unit runs it. The file's values are
used (store, key, port, TLS, body limit -> 413, lockout threshold -> 423, request log file), flags
given on the command line override them, a key handed over as a systemd credential
($CREDENTIALS_DIRECTORY) unlocks the store, the request log holds JSON lines without secrets
or police data, and bad configs are refused with file:line:column before anything is opened."""
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.request

URA = os.environ.get("URA_BIN", "build/release/apps/ura")
PASSWORD = "correct horse battery 42"
SEARCHED_NAME = "Rombolaku"


class ConfigTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ura-e2e-config-")
        cls.store, cls.key = os.path.join(cls.tmp, "store"), os.path.join(cls.tmp, "key")
        cls.cli("init", "--new-key-file", cls.key, keyed=False)
        path = os.path.join(cls.tmp, "p.ndjson")
        with open(path, "w") as f:
            f.write(json.dumps({"id": "p0", "schema": "Person", "properties": {"name": ["Mehmet " + SEARCHED_NAME]}}))
        cls.cli("ingest", "--ftm", path)
        cls.cli("user", "add", "inv", "--role", "investigator", "--clearance", "confidential")
        cls.cli("user", "add", "victim", "--role", "investigator")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def cli(cls, *args, keyed=True):
        env = dict(os.environ, URA_USER_PASSWORD=PASSWORD)
        extra = ["--key-file", cls.key] if keyed else []
        r = subprocess.run([URA, "--data", cls.store, *extra, *args], capture_output=True, text=True, env=env,
                           timeout=120, stdin=subprocess.DEVNULL)
        assert r.returncode == 0, (args, r.stderr)
        return r

    def write_config(self, text, name="ura.toml"):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)  # whatever the umask: a config others may write is refused
        return path

    def store_and_key(self):
        """The [store] and [key] sections of a config for the test store."""
        return f'[store]\ndata_dir = "{self.store}"\n[key]\nkey_file = "{self.key}"\n'

    def start(self, args, env=None, listening=r"http://127\.0\.0\.1:(\d+)"):
        """Starts `ura ARGS` (no --data, no key flag: the config must say them) and returns
        (process, base URL), once its first line matches `listening`."""
        server = subprocess.Popen([URA, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=env or dict(os.environ, URA_DATA="", URA_PASSPHRASE=""),
                                  stdin=subprocess.DEVNULL)
        self.addCleanup(self.stop, server)
        line = server.stdout.readline()
        m = re.search(listening, line)
        self.assertTrue(m, line + (server.stderr.read() if server.poll() is not None else ""))
        return server, "%s://127.0.0.1:%s" % ("https" if "https" in listening else "http", m.group(1))

    @staticmethod
    def stop(server):
        """SIGTERM, as systemd stops the unit; safe to call twice."""
        if server.stdout.closed:
            return
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        server.communicate()

    @staticmethod
    def call(base, method, path, body=None, raw=None, token=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
            req.add_header("X-Justification", "case 2026/0142")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def test_config_values_are_used(self):
        log = os.path.join(self.tmp, "requests.log")
        config = self.write_config(self.store_and_key() + f"""
[server]
host = "127.0.0.1"
port = 0
[limits]
max_body_bytes = 2048
[session]
max_failures = 2
lockout_minutes = 10
[log]
file = "{log}"
""")
        server, base = self.start(["serve", "--config", config])
        # max_body_bytes: 2 KiB. A log-on of 4 KiB is refused; the default (1 MiB) would take it.
        status, body = self.call(base, "POST", "/api/v1/login", raw=json.dumps(
            {"user": "inv", "password": PASSWORD, "pad": "x" * 4096}).encode())
        self.assertEqual(status, 413, body)
        # max_failures: 2. Two wrong passwords lock the name; the default (5) would not.
        for _ in range(2):
            self.assertEqual(self.call(base, "POST", "/api/v1/login", {"user": "victim", "password": "wrong"})[0], 401)
        status, body = self.call(base, "POST", "/api/v1/login", {"user": "victim", "password": PASSWORD})
        self.assertEqual(status, 423, body)
        # The store and key of the config: a log-on and a search work.
        status, body = self.call(base, "POST", "/api/v1/login", {"user": "inv", "password": PASSWORD})
        self.assertEqual(status, 200, body)
        token = body["token"]
        status, body = self.call(base, "GET", "/api/v1/search?q=" + SEARCHED_NAME, token=token)
        self.assertEqual((status, [r["id"] for r in body["results"]]), (200, ["p0"]))
        # A partner's package above max_body_bytes: refused unread without a session (401), let
        # through to the route's own rules with one (an investigator may not import: 403).
        package = b"URAXPKG1" + b"\0" * 4096
        self.assertEqual(self.call(base, "POST", "/api/v1/exchange/import", raw=package)[0], 401)
        status, body = self.call(base, "POST", "/api/v1/exchange/import", raw=package, token=token)
        self.assertEqual(status, 403, body)
        self.assertEqual(self.call(base, "POST", "/api/v1/exchange/export", raw=package, token=token)[0], 413)
        self.stop(server)
        self.assertEqual(server.returncode, 0)
        # The request log went to the file: one JSON object per request, nothing secret or police.
        with open(log) as f:
            lines = f.read().splitlines()
        self.assertGreaterEqual(len(lines), 6)
        for line in lines:
            self.assertIsInstance(json.loads(line), dict)
            for forbidden in (PASSWORD, SEARCHED_NAME, "wrong", "p0", "Bearer"):
                self.assertNotIn(forbidden, line)

    def test_flags_override_the_config(self):
        # The config's port is taken by another socket: only --listen lets the server start.
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            config = self.write_config(f"""
[store]
data_dir = "/nonexistent/ura"
[key]
passphrase_file = "/nonexistent/passphrase"
[server]
port = {taken.getsockname()[1]}
[limits]
max_body_bytes = 1024
""", "override.toml")
            server, base = self.start(["--data", self.store, "--key-file", self.key, "serve", "--config", config,
                                       "--listen", "127.0.0.1:0"])
            self.assertEqual(self.call(base, "GET", "/healthz")[0], 200)
            # Not overridden: the config's limit stays.
            status, _ = self.call(base, "POST", "/api/v1/login", raw=b"{" + b" " * 2048 + b"}")
            self.assertEqual(status, 413)

    def test_tls_from_the_config(self):
        cert, pkey = os.path.join(self.tmp, "cert.pem"), os.path.join(self.tmp, "key.pem")
        r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                            "-keyout", pkey, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                            "-addext", "subjectAltName=IP:127.0.0.1"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        config = self.write_config(self.store_and_key() + f"""
[server]
host = "0.0.0.0"
port = 0
[tls]
cert_file = "{cert}"
key_file = "{pkey}"
""", "tls.toml")
        # Any address is allowed only because the config's [tls] is in force.
        _, base = self.start(["serve", "--config", config], listening=r"https://0\.0\.0\.0:(\d+) \(TLS only\)")
        with urllib.request.urlopen(base + "/healthz", context=ssl.create_default_context(cafile=cert),
                                    timeout=10) as reply:
            self.assertEqual(json.loads(reply.read()), {"status": "ok"})

    def test_key_from_a_systemd_credential(self):
        credentials = os.path.join(self.tmp, "credentials")
        os.makedirs(credentials, exist_ok=True)
        shutil.copy(self.key, os.path.join(credentials, "store-key"))
        config = self.write_config(f"""
[store]
data_dir = "{self.store}"
[key]
key_credential = "store-key"
[server]
port = 0
""", "credential.toml")
        env = dict(os.environ, URA_DATA="", CREDENTIALS_DIRECTORY=credentials)
        server, base = self.start(["serve", "--config", config], env=env)
        status, body = self.call(base, "POST", "/api/v1/login", {"user": "inv", "password": PASSWORD})
        self.assertEqual(status, 200, body)
        # Without the credentials directory: a clear error naming it, before the store is opened.
        env.pop("CREDENTIALS_DIRECTORY")
        self.stop(server)
        r = subprocess.run([URA, "serve", "--config", config], capture_output=True, text=True, env=env, timeout=60,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("CREDENTIALS_DIRECTORY", r.stderr)

    def test_bad_configs_are_refused_with_file_line_and_column(self):
        cases = [
            ("[server]\nport = 0\n[sesion]\nidle_minutes = 5\n", 3, 2, "unknown section 'sesion'"),
            ("[session]\nidle_minutes = 45\n", 2, 16, "between 1 and 30"),
            ("[server]\nport = \"8443\"\n", 2, 8, "must be an integer"),
            ("[store]\ndata_dir = \"ura-data\"\n", 2, 12, "absolute path"),
            ("[key]\npassphrase = \"s3cret-Passphrase!\"\n", 2, 1, "looks like a secret"),
            ("[server]\nhost = 127.0.0.1\n", 2, None, "not valid TOML"),
        ]
        # Line and column counted by hand (1-based; a section is located at its name, after "[").
        for text, line, column, message in cases:
            config = self.write_config(text, "bad.toml")
            r = subprocess.run([URA, "--data", self.store, "--key-file", self.key, "serve", "--config", config],
                               capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
            self.assertEqual(r.returncode, 2, (text, r.stderr))
            where = "%s:%d:" % (config, line) + ("%d:" % column if column else "")
            self.assertIn("ura: error: " + where, r.stderr)
            self.assertIn(message, r.stderr)
            self.assertNotIn("s3cret", r.stderr)  # a secret in the file is never echoed
            self.assertEqual(r.stdout, "")  # nothing was served
        # A config others may write is refused whatever it says (they would choose the key and store).
        config = self.write_config("[server]\nport = 0\n", "shared.toml")
        os.chmod(config, 0o666)
        r = subprocess.run([URA, "--data", self.store, "--key-file", self.key, "serve", "--config", config],
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("mode 0666", r.stderr)
        self.assertIn("chmod go-w " + config, r.stderr)
        r = subprocess.run([URA, "--data", self.store, "serve", "--config", os.path.join(self.tmp, "missing.toml")],
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("missing.toml", r.stderr)


if __name__ == "__main__":
    unittest.main()
