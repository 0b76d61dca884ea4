"""End-to-end: the web UI in a browser against the real server.

Builds a small store (generated sources plus planted people: one to find by variant spellings,
with a relative, a hostile value and a restricted marking; one secret), adds an investigator
with TOTP, an auditor and an administrator, starts `ura serve --web web/dist` on port 0 and runs
web/e2e/ui.mjs (playwright-core driving Debian's Chromium, headless). Checks the security
headers here; the browser script checks the pages (see its steps) and prints the measured
search render times, which this test reports (not asserts).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

from harness import PASSWORD, URA, Server, run_cli
from sources import SOURCES

ROOT = os.environ.get("URA_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
WEB = os.path.join(ROOT, "web")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def marking(classification="unclassified", handling="H0"):
    return {"accuracy": 2, "classification": classification, "handling": handling, "reliability": "B"}


class WebTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for need, why in [(os.path.join(WEB, "dist", "index.html"), "build the UI: scripts/build-web"),
                          (os.path.join(WEB, "node_modules", "playwright-core"), "cd web && npm ci"),
                          (CHROMIUM, "apt-get install chromium (scripts/install-deps)")]:
            assert os.path.exists(need), "missing %s: %s" % (need, why)
        cls.tmp = tempfile.mkdtemp(prefix="ura-e2e-web-")
        cls.store, cls.key = os.path.join(cls.tmp, "store"), os.path.join(cls.tmp, "key")
        cls.cli("init", "--new-key-file", cls.key, keyed=False)
        data = os.path.join(cls.tmp, "data")  # URA_WEB_PERSONS=20000: the demo's size, for the timing
        subprocess.run([URA, "generate", "--out", data, "--persons", os.environ.get("URA_WEB_PERSONS", "300"), "--seed", "9", "--bad-rate", "0"],
                       check=True, capture_output=True, timeout=300)
        for rel, mapping in SOURCES:
            cls.cli("ingest", "--mapping", os.path.join(ROOT, mapping), os.path.join(data, rel))
        planted = os.path.join(cls.tmp, "planted.ndjson")
        with open(planted, "w") as f:
            for e in [
                {"id": "p-plant", "schema": "Person",
                 "properties": {"name": ["Arbën Krasniqi"], "birthDate": ["1984-03-12"], "nationality": ["al"],
                                "idNumber": ["J84312055K"], "notes": ["<img src=x onerror=alert(1)>"]},
                 "ura": {"marking": marking("restricted", "H1")}},
                {"id": "p-sister", "schema": "Person", "properties": {"name": ["Drita Krasniqi"]},
                 "ura": {"marking": marking()}},
                {"id": "fam-plant", "schema": "Family", "properties": {"person": ["p-plant"], "relative": ["p-sister"],
                                                                       "relationship": ["sister"]},
                 "ura": {"marking": marking()}},
                {"id": "p-secret", "schema": "Person", "properties": {"name": ["Leka Dukagjini"]},
                 "ura": {"marking": marking("secret", "H2")}},
                # The planted person's events for the timeline, written out of date order: an
                # arrest, a crossing, and a payment from the account he holds to his sister's.
                {"id": "arrest-plant", "schema": "Arrest", "properties": {"person": ["p-plant"], "date": ["2025-06-10"],
                                                                          "authority": ["Policia e Shtetit"]},
                 "ura": {"marking": marking()}},
                {"id": "cross-plant", "schema": "BorderCrossing",
                 "properties": {"person": ["p-plant"], "date": ["2025-03-02"], "crossingPoint": ["Morinë"],
                                "direction": ["exit"]},
                 "ura": {"marking": marking()}},
                {"id": "acc-plant", "schema": "BankAccount", "properties": {"holder": ["p-plant"],
                                                                            "iban": ["AL47212110090000000235698741"]},
                 "ura": {"marking": marking()}},
                {"id": "acc-sister", "schema": "BankAccount", "properties": {"holder": ["p-sister"],
                                                                             "iban": ["AL35202111090000000001234567"]},
                 "ura": {"marking": marking()}},
                {"id": "pay-plant", "schema": "Payment",
                 "properties": {"payerAccount": ["acc-plant"], "beneficiaryAccount": ["acc-sister"],
                                "date": ["2024-11-20"], "amount": ["5000"], "currency": ["EUR"]},
                 "ura": {"marking": marking()}},
            ]:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")
        cls.cli("ingest", "--ftm", planted, "--source", "planted-records")
        # A second version of the planted person, for the history.
        with open(planted, "w") as f:
            f.write(json.dumps({"id": "p-plant", "schema": "Person",
                                "properties": {"name": ["Arbën Krasniqi"], "birthDate": ["1984-03-12"],
                                               "nationality": ["al"], "idNumber": ["J84312055K"],
                                               "phone": ["+355691234567"],
                                               "notes": ["<img src=x onerror=alert(1)>"]},
                                "ura": {"marking": marking("restricted", "H1")}}, ensure_ascii=False) + "\n")
        cls.cli("ingest", "--ftm", planted, "--source", "planted-records")
        # The same man as the border system wrote him: entity resolution groups the two.
        with open(planted, "w") as f:
            f.write(json.dumps({"id": "p-plant-border", "schema": "Person",
                                "properties": {"name": ["KRASNIQI ARBEN"], "birthDate": ["1984-03-12"],
                                               "idNumber": ["J84312055K"]},
                                "ura": {"marking": marking("restricted", "H1")}}) + "\n")
        cls.cli("ingest", "--ftm", planted, "--source", "planted-border")
        cls.cli("resolve")
        # Money-laundering alerts on the generated FIU payments (they hold each typology).
        scan = cls.cli("aml", "scan")
        assert re.search(r"[1-9]\d* alerts", scan.stdout), scan.stdout
        cls.cli("user", "add", "inv", "--role", "investigator", "--clearance", "restricted")
        enrol = cls.cli("user", "totp", "inv")
        cls.totp_secret = re.search(r"secret=([A-Z2-7]+)", enrol.stdout).group(1)
        cls.cli("user", "add", "top", "--role", "analyst", "--clearance", "secret")
        cls.cli("user", "add", "aud", "--role", "auditor", "--clearance", "secret")
        cls.cli("user", "add", "adm", "--role", "admin", "--clearance", "secret")
        cls.cli("user", "add", "liz", "--role", "liaison", "--clearance", "restricted")
        cls.exchange_files = cls.partner_force()
        # For the integrity page: a witness that cosigned the head, and a local backup.
        witness_key = os.path.join(cls.tmp, "witness.key")
        witness = json.loads(cls.cli("--json", "witness", "keygen", "--out", witness_key, keyed=False).stdout)
        head = os.path.join(cls.tmp, "head.json")
        with open(head, "w") as f:
            f.write(cls.cli("head", "--json", keyed=False).stdout)
        os.makedirs(os.path.join(cls.store, "cosignatures"))
        cls.cli("witness", "cosign", head, "--key", witness_key, "--state", os.path.join(cls.tmp, "witness-state"),
                "-o", os.path.join(cls.store, "cosignatures", "w1.json"), keyed=False)
        cls.backup_target = os.path.join(cls.tmp, "backup")
        cls.cli("backup", cls.backup_target)
        cls.server = Server(cls.store, cls.key, "--web", os.path.join(WEB, "dist"),
                            "--witness", witness["public_key"], log_path=os.path.join(cls.tmp, "server.log"))
        cls.url = "http://%s/" % cls.server.host

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def partner_force(cls):
        """A second store, force B, partner of this one: a package it sent and a hit/no-hit filter
        it made for this store, both holding a namesake of the planted person."""
        b_store, b_key = os.path.join(cls.tmp, "force-b"), os.path.join(cls.tmp, "force-b.key")
        run_cli(b_store, b_key, "init", "--new-key-file", b_key, keyed=False)
        mine = cls.cli("partner", "self").stdout.strip()
        theirs = run_cli(b_store, b_key, "partner", "self").stdout.strip()
        cls.cli("partner", "add", "force-b", "--key", theirs)
        run_cli(b_store, b_key, "partner", "add", "force-a", "--key", mine)
        person = os.path.join(cls.tmp, "force-b.ndjson")
        with open(person, "w") as f:
            f.write(json.dumps({"id": "b-1", "schema": "Person",
                                "properties": {"name": ["Arben Krasniqi"], "birthDate": ["1984-03-12"]},
                                "ura": {"marking": marking("restricted", "H0")}}) + "\n")
        run_cli(b_store, b_key, "ingest", "--ftm", person)
        package, filt = os.path.join(cls.tmp, "from-b.urax"), os.path.join(cls.tmp, "from-b.urmf")
        run_cli(b_store, b_key, "--reason", "web test", "exchange", "export", "--to", "force-a", "--ids", "b-1",
                "--handling", "H1", "--purpose", "joint investigation team OC-7", "-o", package)
        run_cli(b_store, b_key, "--reason", "web test", "exchange", "match-filter", "--to", "force-a", "-o", filt)
        return {"URA_EXCHANGE_PACKAGE": package, "URA_EXCHANGE_FILTER": filt}

    @classmethod
    def cli(cls, *args, keyed=True):
        return run_cli(cls.store, cls.key, *args, keyed=keyed)

    def test_security_headers_on_pages_and_api(self):
        for path in ["", "api/v1/openapi.json", "no-such-file"]:
            try:
                r = urllib.request.urlopen(self.url + path, timeout=30)
            except urllib.error.HTTPError as e:
                r = e
            h = r.headers
            self.assertIn("default-src 'self'", h["Content-Security-Policy"], path)
            self.assertIn("frame-ancestors 'none'", h["Content-Security-Policy"], path)
            self.assertEqual(h["X-Content-Type-Options"], "nosniff", path)
            self.assertEqual(h["Referrer-Policy"], "no-referrer", path)
            self.assertEqual(h["X-Frame-Options"], "DENY", path)
        page = urllib.request.urlopen(self.url, timeout=30).read().decode()
        self.assertIn('<div id="app">', page)
        self.assertNotRegex(page, r"<script>(?!</script>)", "no inline script (the CSP would block it)")

    def test_the_ui_in_a_browser(self):
        env = dict(os.environ, URA_URL=self.url, URA_PASSWORD=PASSWORD, URA_TOTP_SECRET=self.totp_secret,
                   CHROMIUM=CHROMIUM, URA_BACKUP_TARGET=self.backup_target, **self.exchange_files)
        env.setdefault("URA_SCREENSHOT_DIR", os.path.join(self.tmp, "screenshots"))
        r = subprocess.run(["node", os.path.join(WEB, "e2e", "ui.mjs")], capture_output=True, text=True,
                           env=env, timeout=300)
        sys.stderr.write(r.stderr)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        measures = json.loads(r.stdout.strip().splitlines()[-1])
        for m in measures["search"]:
            print("search %-20r results on screen %4d ms after the last key (in page, from the keystroke: %d ms)"
                  % (m["query"], m["after_last_key_ms"], m["in_page_ms"]))


if __name__ == "__main__":
    unittest.main()
