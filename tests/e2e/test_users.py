"""End-to-end: `ura user ...` -- users of the server as journaled, audited events. Passwords
never on the command line, weak ones refused, TOTP enrolment prints an otpauth URI, a
service account gets an API token shown once, and every change is in the audit journal."""
import json
import os
import re
import shutil
import subprocess
import tempfile
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

    def ura(self, *args, password=GOOD):
        env = {k: v for k, v in os.environ.items() if k != "URA_USER_PASSWORD"}
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


if __name__ == "__main__":
    unittest.main()
