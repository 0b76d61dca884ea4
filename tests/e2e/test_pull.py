"""Pull backups end to end (issue 6, point 2): a primary `ura serve` over TLS on a loopback port
and a backup host process (`ura backup --pull`) that has no store, no store key and only a
`backup` account's API token. The backup it makes is checked, keyless, and restored; the
primary holds nothing that could reach the backup host's directory. Wrong tokens, roles,
certificates and addresses are refused with a message that says what to fix."""
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import PASSWORD, URA, Server, people_file, run_cli  # noqa: E402


def ura(*args, cwd=None):
    return subprocess.run([URA, *args], capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
                          cwd=cwd)


class PullTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ura-e2e-pull-")
        cls.store = os.path.join(cls.tmp, "primary")
        cls.key = os.path.join(cls.tmp, "primary.key")
        run_cli(cls.store, cls.key, "init", "--new-key-file", cls.key, keyed=False)
        run_cli(cls.store, cls.key, "ingest", "--ftm", people_file(cls.tmp, 0, 300))
        # A certificate for 127.0.0.1, and a second CA the backup host must not accept.
        cls.cert, cls.tls_key = os.path.join(cls.tmp, "cert.pem"), os.path.join(cls.tmp, "tls.key")
        cls.other_ca = os.path.join(cls.tmp, "other.pem")
        for cert, key in ((cls.cert, cls.tls_key), (cls.other_ca, os.path.join(cls.tmp, "other.key"))):
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", key, "-out", cert], check=True, capture_output=True)
        out = run_cli(cls.store, cls.key, "user", "add", "puller", "--role", "backup").stdout
        cls.token_file = cls.secret_file("token", out.split("API token (shown once; store it where the service reads it): ")[1].strip())
        run_cli(cls.store, cls.key, "user", "add", "aud", "--role", "auditor")
        out = run_cli(cls.store, cls.key, "user", "add", "feed", "--role", "service").stdout
        cls.service_token = cls.secret_file("service-token", out.split("reads it): ")[1].strip())
        cls.server = Server(cls.store, cls.key, "--tls-cert", cls.cert, "--tls-key", cls.tls_key,
                            log_path=os.path.join(cls.tmp, "server.log"))
        assert cls.server.url.startswith("https://"), cls.server.url

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def secret_file(cls, name, text):
        path = os.path.join(cls.tmp, name)
        with open(path, "w") as f:
            f.write(text + "\n")
        os.chmod(path, 0o600)
        return path

    def pull(self, target, *extra, token=None, url=None):
        # The backup host: its own working directory, no --data, no key.
        return ura("backup", "--pull", url or self.server.url, target, "--token-file", token or self.token_file,
                   "--ca-file", self.cert, *extra, cwd=self.tmp)

    def test_pull_check_incremental_restore(self):
        target = os.path.join(self.tmp, "pulled")
        r = self.pull(target, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        first = json.loads(r.stdout)
        self.assertEqual(first["run"], 1)
        r = ura("backup", "--check", target, "--read-data")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("intact", r.stdout)
        # Run 2 copies only what the primary appended since: the audit records of run 1 (a pull is
        # audited on the primary, so its journal always grows by them) -- the open segment's last
        # chunk, not the store again. The same after more entries (here: log-ons and audit queries).
        again = json.loads(self.pull(target, "--json").stdout)
        self.assertEqual(again["run"], 2)
        self.assertLessEqual(again["objects_copied"], 2)
        for _ in range(3):
            self.audit("nobody")
        # A head saved off the primary now (any account may read it): the backup must not be older.
        status, trusted = self.request("GET", "/api/v1/head", self.token())
        self.assertEqual(status, 200, trusted)
        second = self.pull(target, "--json")
        self.assertEqual(second.returncode, 0, second.stderr)
        second = json.loads(second.stdout)
        self.assertEqual(second["run"], 3)
        self.assertLessEqual(second["objects_copied"], 2)
        check = json.loads(ura("backup", "--check", target, "--read-data", "--json").stdout)
        self.assertTrue(check["intact"], check)
        self.assertEqual(check["tree_size"], second["tree_size"])
        self.assertGreaterEqual(second["tree_size"], json.loads(trusted)["tree_size"])
        # The backup is the store: it restores with the primary's key, past the trusted head, to
        # the root the backup's signed head names.
        restored = os.path.join(self.tmp, "restored")
        r = ura("--key-file", self.key, "restore", target, "--to", restored, "--trusted-head",
                self.secret_file("trusted-head.json", trusted.decode()))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        head = json.loads(run_cli(restored, self.key, "head", "--json").stdout)
        self.assertEqual((head["tree_size"], head["root_hash"]), (check["tree_size"], check["root_hash"]))
        r = run_cli(restored, self.key, "get", "p299", "--json", "--reason", "restore check")
        self.assertIn("Arben Hoxha 299", r.stdout)
        # The pulls are in the primary's audit journal, under the backup account.
        actions = [r["action"] for r in self.audit("puller")]
        self.assertIn("backup-snapshot", actions)
        self.assertIn("backup-manifest", actions)
        # And the integrity page's last backups show them, newest first (GET /api/v1/backups).
        status, body = self.request("POST", "/api/v1/login", "", {"user": "aud", "password": PASSWORD})
        status, body = self.request("GET", "/api/v1/backups?limit=2", json.loads(body)["token"])
        self.assertEqual(status, 200, body)
        backups = json.loads(body)
        self.assertEqual(backups["problems"], [])
        self.assertEqual([(b["mode"], b["run"]) for b in backups["backups"]], [("pull", 3), ("pull", 2)])
        self.assertEqual(backups["backups"][0]["tree_size"], second["tree_size"])
        self.assertTrue(backups["backups"][0]["destination"].startswith("puller from 127.0.0.1"), backups)

    def token(self):
        with open(self.token_file) as f:
            return f.read().strip()

    def test_refusals_say_what_to_fix(self):
        target = os.path.join(self.tmp, "refused")
        bad = self.secret_file("bad-token", "ura_" + "0" * 64)
        cases = [
            (self.pull(target, token=bad), "check the token file"),
            (self.pull(target, token=self.service_token), "role backup"),
            (ura("backup", "--pull", self.server.url, target, "--token-file", self.token_file, "--ca-file",
                 self.other_ca, cwd=self.tmp), "--ca-file"),
            (ura("backup", "--pull", self.server.url, target, "--token-file", self.token_file, cwd=self.tmp),
             "--ca-file"),  # the system's CAs do not know a self-signed certificate
            (self.pull(target, url="http://192.0.2.1:8443"), "https://"),
            (self.pull(target, url=self.server.url + "/api"), "https://HOST[:PORT]"),
            (ura("backup", "--pull", self.server.url, target, cwd=self.tmp), "--token-file"),
            (self.pull(target, url="https://127.0.0.1:1"), "cannot reach"),
        ]
        for r, hint in cases:
            self.assertNotEqual(r.returncode, 0, hint)
            self.assertIn(hint, r.stderr)
            self.assertNotIn(self.token(), r.stderr + r.stdout)
        self.assertFalse(os.path.exists(os.path.join(target, "manifests", "0000000001.json")))
        # Refusals beyond one's role are audited on the primary.
        refused = [r for r in self.audit("feed") if r["action"] == "backup-snapshot"]
        self.assertTrue(refused and refused[0]["outcome"] == "denied", refused)

    def request(self, method, path, token, body=None):
        req = urllib.request.Request(self.server.url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + token, "X-Justification": "case 1",
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, context=ssl.create_default_context(cafile=self.cert), timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def audit(self, user):
        status, body = self.request("POST", "/api/v1/login", "", {"user": "aud", "password": PASSWORD})
        self.assertEqual(status, 200, body)
        status, body = self.request("GET", "/api/v1/audit?user=" + user + "&limit=1000", json.loads(body)["token"])
        self.assertEqual(status, 200, body)
        return json.loads(body)["records"]

    def test_the_backup_account_reads_nothing_else(self):
        token = self.token()

        def get(path):
            return self.request("GET", path, token)

        self.assertEqual(get("/api/v1/search?q=Arben")[0], 403)
        self.assertEqual(get("/api/v1/entities/p1")[0], 403)
        self.assertEqual(get("/api/v1/audit")[0], 403)
        for path in ("../../etc/passwd", "index/index.db", "keys/../store.json", "/etc/passwd"):
            status, _ = get("/api/v1/backup/file?path=%s&offset=0&length=10" % path)
            self.assertEqual(status, 400, path)
        self.assertEqual(get("/api/v1/backup/file?path=store.json&offset=0&length=99999999")[0], 400)
        status, body = get("/api/v1/backup/file?path=store.json&offset=0&length=100")
        self.assertEqual(status, 200)
        with open(os.path.join(self.store, "store.json"), "rb") as f:
            self.assertEqual(body, f.read()[:100])


if __name__ == "__main__":
    unittest.main()
