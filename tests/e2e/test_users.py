"""End-to-end: `ura user ...` -- users of the server as journaled, audited events. Passwords
never on the command line, weak ones refused, TOTP enrolment prints an otpauth URI, a
service account gets an API token shown once, and every change is in the audit journal."""
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import time
import unittest

URA = os.environ.get("URA_BIN", "build/release/apps/ura")
GOOD = "correct horse battery 42"


class UsersTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ura-e2e-users-")
        self.store = os.path.join(self.tmp, "store")
        self.key = os.path.join(self.tmp, "key")
        r = subprocess.run([URA, "--data", self.store, "init", "--new-key-file", self.key], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def ura(self, *args, password=GOOD, **extra_env):
        env = {k: v for k, v in os.environ.items() if k not in ("URA_USER_PASSWORD", "URA_TOTP")}
        env.update(extra_env)
        if password is not None:
            env["URA_USER_PASSWORD"] = password
        return subprocess.run([URA, "--data", self.store, "--key-file", self.key, *args], capture_output=True,
                              text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)

    def users(self):
        r = self.ura("--json", "user", "list")
        self.assertEqual(r.returncode, 0, r.stderr)
        return {u["name"]: u for u in json.loads(r.stdout)}

    def test_add_list_disable_and_audit(self):
        r = self.ura("user", "add", "arta.hoxha", "--role", "investigator", "--clearance", "confidential")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(GOOD, r.stdout + r.stderr)
        u = self.users()["arta.hoxha"]
        self.assertEqual((u["role"], u["clearance"], u["mfa"], u["disabled"]),
                         ("investigator", "confidential", False, False))
        self.assertEqual(self.ura("user", "disable", "arta.hoxha").returncode, 0)
        self.assertTrue(self.users()["arta.hoxha"]["disabled"])
        self.assertEqual(self.ura("user", "enable", "arta.hoxha").returncode, 0)
        self.assertFalse(self.users()["arta.hoxha"]["disabled"])
        audit = json.loads(self.ura("--reason", "audit review", "--json", "audit").stdout)["records"]
        actions = [(x["action"], x["detail"]) for x in audit if x["action"].startswith("user-")]
        self.assertEqual([a for a, _ in actions], ["user-add", "user-disable", "user-enable"])
        self.assertIn("arta.hoxha", actions[0][1])
        # Nothing secret in the journal's readable parts: the audit journal holds no hash.
        self.assertNotIn("argon2", json.dumps(audit))
        self.assertEqual(self.ura("verify").returncode, 0)

    def test_bad_input_is_refused_and_changes_nothing(self):
        self.assertEqual(self.ura("user", "add", "arta", "--role", "investigator").returncode, 0)
        cases = [
            (["user", "add", "arta", "--role", "investigator"], GOOD, "exists"),          # duplicate
            (["user", "add", "Bad Name", "--role", "investigator"], GOOD, "a-z"),         # name rule
            (["user", "add", "besa", "--role", "chief"], GOOD, "investigator"),           # unknown role
            (["user", "add", "besa", "--role", "analyst", "--clearance", "top"], GOOD, "secret"),
            (["user", "add", "besa", "--role", "analyst"], "short", "12"),                # weak password
            (["user", "add", "besa", "--role", "analyst"], None, "URA_USER_PASSWORD"),    # no password at all
            (["user", "passwd", "nobody"], GOOD, "no user"),
            (["user", "disable", "nobody"], GOOD, "no user"),
        ]
        for args, password, hint in cases:
            r = self.ura(*args, password=password)
            self.assertNotEqual(r.returncode, 0, args)
            self.assertIn(hint.lower(), r.stderr.lower(), (args, r.stderr))
            if password:
                self.assertNotIn(password, r.stderr)
        self.assertEqual(sorted(self.users()), ["arta"])
        # A password is never an argument.
        r = self.ura("user", "add", "besa", "--role", "analyst", "--password", GOOD)
        self.assertEqual(r.returncode, 2)

    def test_totp_enrolment_prints_an_otpauth_uri(self):
        self.assertEqual(self.ura("user", "add", "arta", "--role", "analyst").returncode, 0)
        r = self.ura("user", "totp", "arta")
        self.assertEqual(r.returncode, 0, r.stderr)
        m = re.search(r"otpauth://totp/Ura:arta\?secret=([A-Z2-7]+)&issuer=Ura", r.stdout)
        self.assertIsNotNone(m, r.stdout)
        self.assertEqual(len(m.group(1)), 32)  # 20 bytes in base32
        self.assertTrue(self.users()["arta"]["mfa"])

    def test_service_account_gets_a_token_once(self):
        r = self.ura("user", "add", "backup-puller", "--role", "service", password=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        tokens = re.findall(r"ura_[0-9a-f]{64}", r.stdout)
        self.assertEqual(len(tokens), 1)
        listing = self.ura("user", "list")
        self.assertNotIn(tokens[0], listing.stdout)
        cat = self.ura("--reason", "e2e check", "--json", "journal", "cat")
        self.assertNotIn(tokens[0], cat.stdout)  # only its hash is stored

    def totp(self, secret_b32):
        key = base64.b32decode(secret_b32)
        digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
        offset = digest[-1] & 0x0F
        return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)

    def test_consulting_as_a_user_applies_their_rules(self):
        path = os.path.join(self.tmp, "p.ndjson")
        with open(path, "w") as f:
            for pid, marking in [("open", {}), ("secret", {"classification": "secret"}), ("case9", {"cases": ["OC-9"]}),
                                 ("h3", {"handling": "H3"})]:
                m = dict({"accuracy": 2, "classification": "restricted", "handling": "H0", "reliability": "B"}, **marking)
                f.write(json.dumps({"id": pid, "schema": "Person", "properties": {"name": ["Teuta Berisha"]},
                                    "ura": {"marking": m}}) + "\n")
        self.assertEqual(self.ura("ingest", "--ftm", path).returncode, 0)
        self.assertEqual(self.ura("user", "add", "arta", "--role", "investigator", "--clearance", "confidential").returncode, 0)
        self.assertEqual(self.ura("user", "add", "boss", "--role", "admin", "--clearance", "secret").returncode, 0)

        def found(*who, password=GOOD, env_totp=None):
            env = {"URA_TOTP": env_totp} if env_totp else {}
            r = self.ura(*who, "--reason", "case OC-9", "--json", "search", "Teuta Berisha", password=password, **env)
            if r.returncode != 0:
                return r.returncode, r.stderr
            results = json.loads(r.stdout)["results"]
            return 0, {x["id"] for x in results} | {i for x in results for i in x["same_caption"]["ids"]}

        self.assertEqual(found(), (0, {"open", "secret", "case9", "h3"}))  # the custodian, audited
        self.assertEqual(found("--as", "arta"), (0, {"open"}))
        self.assertEqual(self.ura("user", "cases", "arta", "OC-9").returncode, 0)
        self.assertEqual(self.users()["arta"]["cases"], ["OC-9"])
        self.assertEqual(found("--as", "arta"), (0, {"open", "case9"}))  # need-to-know; H3 still needs a case
        code, err = found("--as", "arta", password="not her password")
        self.assertNotEqual(code, 0)
        self.assertIn("user name, password or code wrong", err)
        code, err = found("--as", "boss")
        self.assertNotEqual(code, 0)
        self.assertIn("may not consult", err)
        r = self.ura("--as", "arta", "--reason", "case OC-9", "get", "secret")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no entity with id 'secret'", r.stderr)
        # With a second factor enrolled the code is needed too.
        secret = re.search(r"secret=([A-Z2-7]+)", self.ura("user", "totp", "arta").stdout).group(1)
        code, err = found("--as", "arta")
        self.assertIn("no TOTP code", err)
        self.assertEqual(found("--as", "arta", env_totp=self.totp(secret)), (0, {"open", "case9"}))
        audit = json.loads(self.ura("--reason", "audit review", "--json", "audit").stdout)["records"]
        logons = [(x["user"], x["outcome"]) for x in audit if x["action"] == "login"]
        self.assertEqual(logons, [("arta", "ok"), ("arta", "ok"), ("arta", "bad-credentials"), ("boss", "ok"),
                                  ("arta", "ok"), ("arta", "ok")])
        searches = [x for x in audit if x["action"] == "search" and x["user"] == "arta"]
        self.assertTrue(all(x["client"].startswith("local:cli:") for x in searches))
        self.assertEqual(sorted(searches[-1]["objects"]), ["case9", "open"])
        denied = [x for x in audit if x["action"] == "view" and x["user"] == "arta"]
        self.assertEqual([x["outcome"] for x in denied], ["denied"])


if __name__ == "__main__":
    unittest.main()
