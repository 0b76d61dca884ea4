"""End-to-end: exchange with partner forces (issue 10). Three stores with their own keys: force A
sends a signed, encrypted package to force B, which sees exactly the selected, allowed entities,
marked with the package's handling code (so H2 blocks onward export); a flipped byte, a package
for another recipient and a replay are each refused with the store unchanged; both sides audit.
Then hit/no-hit on generated data split into two forces: B's hits against A's filter compared
with the true overlap (recall and false-positive rate printed), and the filter is useless to a
third force."""
import csv
import json
import os
import shutil
import subprocess
import tempfile
import unittest

URA = os.environ.get("URA_BIN", "build/release/apps/ura")
ROOT = os.environ.get("URA_SOURCE_DIR", os.getcwd())

PERSONS = int(os.environ.get("URA_MATCH_PERSONS", "1500"))
# The two forces' sources: A has the border, case and wanted systems; B the vehicle registry and
# financial intelligence.
FORCE_A_SOURCES = [("border/crossings.csv", "mappings/border.yml"), ("cases/cases.json", "mappings/cases.yml"),
                   ("wanted/wanted.ndjson", "mappings/wanted.yml")]
FORCE_B_SOURCES = [("vehicles/registry.csv", "mappings/vehicles.yml"), ("fiu/accounts.csv", "mappings/fiu-accounts.yml")]


def run(cmd, ok=(0,)):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    if r.returncode not in ok:
        raise AssertionError("%s -> %d\n%s\n%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


class Store:
    def __init__(self, tmp, name):
        self.name = name
        self.dir = os.path.join(tmp, "store-" + name)
        self.key = os.path.join(tmp, "key-" + name)
        run([URA, "--data", self.dir, "init", "--new-key-file", self.key])
        self.token = self.ura("partner", "self").stdout.strip()

    def ura(self, *args, ok=(0,), reason="e2e exchange test"):
        return run([URA, "--data", self.dir, "--key-file", self.key, "--reason", reason, *args], ok=ok)

    def ura_json(self, *args):
        return json.loads(self.ura("--json", *args).stdout)

    def size(self):
        return self.ura_json("head")["tree_size"]

    def entity_ids(self):
        out = os.path.join(os.path.dirname(self.dir), self.name + "-export.ndjson")
        self.ura("export", "--ftm", "-o", out)
        with open(out) as f:
            return {json.loads(line)["id"]: json.loads(line) for line in f if line.strip()}

    def audit(self, action):
        return self.ura_json("audit", "--action", action)


def person(pid, name, birth, id_number, handling="H0", classification="restricted"):
    return {"id": pid, "schema": "Person",
            "properties": {"name": [name], "birthDate": [birth], "idNumber": [id_number]},
            "ura": {"marking": {"handling": handling, "classification": classification, "reliability": "B",
                                "accuracy": 2}}}


class ExchangeEndToEndTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ura-e2e-exchange-")
        cls.a, cls.b, cls.c = (Store(cls.tmp, n) for n in ("a", "b", "c"))
        cls.a.ura("partner", "add", "force-b", "--key", cls.b.token)
        key_file = os.path.join(cls.tmp, "a.key")
        with open(key_file, "w") as f:
            f.write(cls.a.token + "\n")
        cls.b.ura("partner", "add", "force-a", "--key", key_file)  # a key from a file works too
        cls.b.ura("partner", "add", "force-c", "--key", cls.c.token)
        cls.c.ura("partner", "add", "force-a", "--key", cls.a.token)
        people = [person("p-open", "Arben Coci", "1985-02-14", "J12345678A"),
                  person("p-h1", "Besnik Hoxha", "1979-11-02", "K98765432B", handling="H1"),
                  person("p-h2", "Arben Coci", "1990-01-01", "L11111111C", handling="H2"),
                  person("p-other", "Drita Leka", "1992-03-04", "M22222222D")]
        ftm = os.path.join(cls.tmp, "a.ndjson")
        with open(ftm, "w") as f:
            for p in people:
                f.write(json.dumps(p) + "\n")
        cls.a.ura("ingest", "--ftm", "--source", "registry", ftm)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def export(self, *args, ok=(0,)):
        return self.a.ura("exchange", "export", "--to", "force-b", "--purpose", "joint operation OC-2026-7", *args, ok=ok)

    def test_partners_are_listed_and_bad_keys_refused(self):
        partners = self.b.ura_json("partner", "list")["partners"]
        self.assertEqual([p["name"] for p in partners], ["force-a", "force-c"])
        self.assertEqual(partners[0]["key"], self.a.token)
        r = self.b.ura("partner", "add", "force-x", "--key", self.a.token[:-1] + ("0" if self.a.token[-1] != "0" else "1"),
                       ok=(2,))
        self.assertIn("check digits", r.stderr)
        r = self.b.ura("partner", "add", "other-name", "--key", self.a.token, ok=(1, 2))
        self.assertIn("registered already", r.stderr)
        self.assertEqual(self.b.ura("partner", "self").stdout.strip(), self.b.token)  # stable
        created = self.b.audit("exchange-keys")["records"]
        self.assertEqual(len(created), 1)  # created once, on first use
        self.assertIn("fingerprint", created[0]["detail"])
        added = [r["detail"] for r in self.b.audit("partner-add")["records"]]
        self.assertEqual(len(added), 2)

    def test_export_import_exactly_the_selected_allowed_entities(self):
        pkg = os.path.join(self.tmp, "first.urax")
        sent = json.loads(self.export("--json", "--ids", "p-open", "p-h1", "--handling", "H2", "-o", pkg).stdout)
        self.assertEqual(sorted(sent["entities"]), ["p-h1", "p-open"])
        with open(pkg, "rb") as f:
            raw = f.read()
        self.assertNotIn(b"Coci", raw)
        self.assertNotIn(b"J12345678A", raw)
        # An H2 record of A may not leave; by query it is withheld and counted.
        r = self.export("--ids", "p-h2", "-o", os.path.join(self.tmp, "no.urax"), ok=(1,))
        self.assertIn("may not be disclosed", r.stderr)
        by_query = json.loads(self.export("--json", "--select", "Arben Coci", "-o",
                                          os.path.join(self.tmp, "q.urax")).stdout)
        self.assertEqual(by_query["entities"], ["p-open"])
        self.assertEqual(by_query["withheld"], 1)

        before = self.b.size()
        got = json.loads(self.b.ura("--json", "exchange", "import", pkg).stdout)
        self.assertEqual(got["from"], "force-a")
        self.assertGreater(self.b.size(), before)
        seen = {k: v for k, v in self.b.entity_ids().items() if k.startswith("force-a:")}
        self.assertEqual(sorted(seen), ["force-a:p-h1", "force-a:p-open"])
        for e in seen.values():
            self.assertEqual(e["ura"]["marking"]["handling"], "H2")
            self.assertEqual(e["ura"]["marking"]["reliability"], "B")
            for values in e["ura"]["p"].values():
                for source, record, _ in values:
                    self.assertEqual(source, "partner:force-a")
        # Provenance stripped by default: A's source name did not travel.
        self.assertNotIn("registry", json.dumps(seen))

        # H2: B may not pass them on.
        r = self.b.ura("exchange", "export", "--to", "force-c", "--purpose", "onward", "--ids", "force-a:p-open",
                       "-o", os.path.join(self.tmp, "onward.urax"), ok=(1,))
        self.assertIn("may not be disclosed", r.stderr)

        # ... unless the originator's permission is recorded, for that partner only.
        r = self.b.ura("exchange", "permit", "--to", "force-c", "--ids", "force-a:p-h1", "--reference", "x", ok=(2,))
        self.assertIn("3 to 500", r.stderr)
        self.b.ura("exchange", "permit", "--to", "force-c", "--ids", "force-a:p-open",
                   "--reference", "force A message 2026/0042")
        onward = json.loads(self.b.ura("--json", "exchange", "export", "--to", "force-c", "--purpose", "onward",
                                       "--ids", "force-a:p-open", "-o", os.path.join(self.tmp, "onward.urax")).stdout)
        self.assertEqual(onward["entities"], ["force-a:p-open"])
        r = self.b.ura("exchange", "export", "--to", "force-c", "--purpose", "onward", "--ids", "force-a:p-h1",
                       "-o", os.path.join(self.tmp, "onward2.urax"), ok=(1,))
        self.assertIn("no permission", r.stderr)
        permits = self.b.audit("exchange-permit")["records"]
        self.assertEqual(permits[-1]["objects"], ["force-a:p-open"])
        disclosures = self.b.audit("disclose")["records"]
        self.assertIn("2026/0042", [r for r in disclosures if r["outcome"] == "ok"][-1]["detail"])
        self.assertEqual(disclosures[-1]["outcome"], "denied")  # the refused one is on record too

        # Replay: refused, store unchanged.
        size = self.b.size()
        r = self.b.ura("exchange", "import", pkg, ok=(1,))
        self.assertIn("replay", r.stderr)
        self.assertEqual(self.b.size(), size)

        # Audit on both sides.
        disclosed = [r for r in self.a.audit("disclose")["records"] if sent["package"] in r["detail"]]
        self.assertEqual(len(disclosed), 1)
        self.assertEqual(sorted(disclosed[0]["objects"]), ["p-h1", "p-open"])
        self.assertIn("force-b", disclosed[0]["detail"])
        imported = [r for r in self.b.audit("exchange-import")["records"] if sent["package"] in r["detail"]]
        self.assertEqual(len(imported), 1)
        self.assertEqual(sorted(imported[0]["objects"]), ["force-a:p-h1", "force-a:p-open"])

    def test_flipped_byte_wrong_recipient_and_unknown_sender_are_refused(self):
        pkg = os.path.join(self.tmp, "second.urax")
        self.export("--ids", "p-other", "--handling", "H0", "-o", pkg)
        with open(pkg, "rb") as f:
            raw = bytearray(f.read())
        for where, reason in ((len(raw) // 2, "tampered"), (3, "malformed"), (10, "wrong recipient")):
            bad = bytearray(raw)
            bad[where] ^= 0x01
            path = os.path.join(self.tmp, "bad-%d.urax" % where)
            with open(path, "wb") as f:
                f.write(bad)
            size = self.b.size()
            r = self.b.ura("exchange", "import", path, ok=(1, 2))
            self.assertIn(reason, r.stderr)
            self.assertIn("nothing stored", r.stderr)
            self.assertEqual(self.b.size(), size)
        # Oversized: refused before it is read.
        huge = os.path.join(self.tmp, "huge.urax")
        with open(huge, "wb") as f:
            f.write(raw[:16])
            f.truncate(65 << 20)
        r = self.b.ura("exchange", "import", huge, ok=(1, 2))
        self.assertIn("oversized", r.stderr)
        # C is not the recipient.
        size = self.c.size()
        r = self.c.ura("exchange", "import", pkg, ok=(1, 2))
        self.assertIn("wrong recipient", r.stderr)
        self.assertEqual(self.c.size(), size)
        # A package from C, whom A does not know.
        ftm = os.path.join(self.tmp, "c.ndjson")
        with open(ftm, "w") as f:
            f.write(json.dumps(person("c-1", "Ilir Kola", "1980-05-05", "N33333333E")) + "\n")
        self.c.ura("ingest", "--ftm", ftm)
        from_c = os.path.join(self.tmp, "from-c.urax")
        self.c.ura("exchange", "export", "--to", "force-a", "--purpose", "test", "--ids", "c-1", "-o", from_c)
        size = self.a.size()
        # A has no partner C: B's key is the only one registered.
        r = self.a.ura("exchange", "import", from_c, ok=(1, 2))
        self.assertIn("unknown sender", r.stderr)
        self.assertEqual(self.a.size(), size)
        # The intact package still imports.
        self.b.ura("exchange", "import", pkg)
        self.assertIn("force-a:p-other", self.b.entity_ids())


class MatchEndToEndTest(unittest.TestCase):
    """Hit/no-hit on generated data: A builds a filter for B, B matches its own persons."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ura-e2e-match-")
        cls.data = os.path.join(cls.tmp, "generated")
        run([URA, "generate", "--out", cls.data, "--persons", str(PERSONS), "--seed", "7"])
        cls.a, cls.b, cls.c = (Store(cls.tmp, n) for n in ("a", "b", "c"))
        cls.a.ura("partner", "add", "force-b", "--key", cls.b.token)
        cls.a.ura("partner", "add", "force-c", "--key", cls.c.token)
        cls.b.ura("partner", "add", "force-a", "--key", cls.a.token)
        cls.c.ura("partner", "add", "force-a", "--key", cls.a.token)
        for store, sources in ((cls.a, FORCE_A_SOURCES), (cls.b, FORCE_B_SOURCES)):
            for rel, mapping in sources:
                store.ura("ingest", "--mapping", os.path.join(ROOT, mapping), os.path.join(cls.data, rel), ok=(0, 1))
        cls.truth = {}
        with open(os.path.join(cls.data, "truth", "persons.csv")) as f:
            for row in csv.DictReader(f):
                cls.truth[(row["source"], row["source_record_key"])] = row["true_person_id"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def true_persons(self, store, disclosable_only=False):
        """True person id of every Person entity of a store (via its provenance); with
        disclosable_only, only of records a filter may hold (handling H0 or H1)."""
        out = {}
        for eid, e in store.entity_ids().items():
            if e["schema"] != "Person":
                continue
            if disclosable_only and e["ura"]["marking"]["handling"] not in ("H0", "H1"):
                continue
            for values in e.get("ura", {}).get("p", {}).values():
                for source, record, _ in values:
                    t = self.truth.get((source, record))
                    if t:
                        out[eid] = t
        return out

    def test_hits_against_the_true_overlap(self):
        filt = os.path.join(self.tmp, "a-for-b.urmf")
        made = json.loads(self.a.ura("--json", "exchange", "match-filter", "--to", "force-b", "-o", filt).stdout)
        self.assertEqual(made["bytes"], os.path.getsize(filt))
        result = json.loads(self.b.ura("--json", "exchange", "match", filt).stdout)
        # What A may put in a filter: its H0/H1 records (the wanted notices are H2 and stay out).
        a_truth = set(self.true_persons(self.a, disclosable_only=True).values())
        a_all = set(self.true_persons(self.a).values())
        b_persons = self.true_persons(self.b)
        overlap = {t for t in b_persons.values() if t in a_truth}
        overlap_all = {t for t in b_persons.values() if t in a_all}
        hit_ids = {h["id"] for h in result["hits"]}
        hit_truth = {b_persons[i] for i in hit_ids if i in b_persons}
        true_hits = {i for i in hit_ids if b_persons.get(i) in a_truth}
        # A hit on a person A knows only from H2 records would be a leak: it counts as false.
        false_hits = hit_ids - true_hits
        b_not_in_a = [i for i, t in b_persons.items() if t not in a_truth]
        recall = len(hit_truth & overlap) / max(1, len(overlap))
        fpr = len(false_hits) / max(1, len(b_not_in_a))
        print("\nhit/no-hit: %d persons in B's records; true overlap with A's disclosable records %d persons "
              "(%d with any of A's records); hits %d records (%d persons); recall %.3f, false-positive rate %.4f "
              "(%d false hits among %d records of persons A may not disclose or does not know)"
              % (len(set(b_persons.values())), len(overlap), len(overlap_all), len(hit_ids), len(hit_truth), recall,
                 fpr, len(false_hits), len(b_not_in_a)))
        self.assertGreater(len(overlap), 50)
        self.assertGreaterEqual(recall, 0.95)
        self.assertLessEqual(fpr, 0.01)
        # Audit on both sides.
        self.assertTrue(any("force-b" in r["detail"] for r in self.a.audit("match-filter")["records"]))
        matched = [r for r in self.b.audit("match")["records"] if "force-a" in r["detail"]]
        self.assertEqual(sorted(matched[-1]["objects"]), sorted(hit_ids)[:1000])

    def test_a_filter_is_useless_without_the_key(self):
        for_b = os.path.join(self.tmp, "for-b.urmf")
        for_c = os.path.join(self.tmp, "for-c.urmf")
        self.a.ura("exchange", "match-filter", "--to", "force-b", "-o", for_b)
        self.a.ura("exchange", "match-filter", "--to", "force-c", "-o", for_c)
        # C holds A's public keys but not B's secret: B's filter cannot be run there.
        r = self.c.ura("exchange", "match", for_b, ok=(1, 2))
        self.assertIn("addressed to another store", r.stderr)
        # The same data hashed for two partners shares no tag: nothing to compare or look up.
        def tags(path):
            with open(path, "rb") as f:
                raw = f.read()
            # "URAXMF01", two key bundles, nonce, created_us, then the count and the tags.
            n = int.from_bytes(raw[160:164], "little")
            self.assertEqual(len(raw), 164 + 8 * n + 64)
            return {raw[164 + 8 * i:172 + 8 * i] for i in range(n)}
        self.assertFalse(tags(for_b) & tags(for_c))
        # Unkeyed hashes of B's own identifiers are not in the filter.
        import hashlib
        b_ids = [v for e in self.b.entity_ids().values() if e["schema"] == "Person"
                 for v in e["properties"].get("idNumber", [])]
        guesses = {hashlib.sha256(("i:" + v).encode()).digest()[:8] for v in b_ids}
        self.assertTrue(b_ids)
        self.assertFalse(guesses & tags(for_b))
        # A flipped byte breaks the filter's signature.
        with open(for_b, "rb") as f:
            raw = bytearray(f.read())
        raw[200] ^= 1
        bad = os.path.join(self.tmp, "bad.urmf")
        with open(bad, "wb") as f:
            f.write(raw)
        r = self.b.ura("exchange", "match", bad, ok=(1, 2))
        self.assertIn("signature", r.stderr)


class ApiEndToEndTest(unittest.TestCase):
    """POST /api/v1/exchange/{export,import,match} on two running servers, for liaison officers only."""

    @classmethod
    def setUpClass(cls):
        import sys
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from harness import PASSWORD, Server, run_cli
        cls.password = PASSWORD
        cls.tmp = tempfile.mkdtemp(prefix="ura-e2e-exchange-api-")
        cls.a, cls.b = Store(cls.tmp, "a"), Store(cls.tmp, "b")
        cls.a.ura("partner", "add", "force-b", "--key", cls.b.token)
        cls.b.ura("partner", "add", "force-a", "--key", cls.a.token)
        ftm = os.path.join(cls.tmp, "a.ndjson")
        with open(ftm, "w") as f:
            f.write(json.dumps(person("p-1", "Arben Coci", "1985-02-14", "J12345678A")) + "\n")
            f.write(json.dumps(person("p-2", "Drita Leka", "1992-03-04", "M22222222D", handling="H2")) + "\n")
        cls.a.ura("ingest", "--ftm", ftm)
        with open(os.path.join(cls.tmp, "b.ndjson"), "w") as f:
            f.write(json.dumps(person("b-1", "Arben Çoci", "1985-02-14", "X0000001")) + "\n")
        cls.b.ura("ingest", "--ftm", os.path.join(cls.tmp, "b.ndjson"))
        cls.filter = os.path.join(cls.tmp, "a-for-b.urmf")
        cls.a.ura("exchange", "match-filter", "--to", "force-b", "-o", cls.filter)
        for store in (cls.a, cls.b):
            run_cli(store.dir, store.key, "user", "add", "lena", "--role", "liaison", "--clearance", "confidential")
            run_cli(store.dir, store.key, "user", "add", "ivan", "--role", "investigator", "--clearance", "secret")
        cls.servers = [Server(s.dir, s.key, log_path=os.path.join(cls.tmp, s.name + ".log")) for s in (cls.a, cls.b)]

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            s.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def call(self, server, method, path, body=None, token=None, raw=False, justification="OC-2026-7"):
        import http.client
        conn = http.client.HTTPConnection(server.host, timeout=30)
        headers = {}
        if token:
            headers["Authorization"] = "Bearer " + token
        if justification:
            headers["X-Justification"] = justification
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        payload = r.read()
        conn.close()
        if raw and r.status == 200:
            return r.status, payload, dict(r.getheaders())
        return r.status, json.loads(payload or b"{}"), dict(r.getheaders())

    def login(self, server, user):
        status, body, _ = self.call(server, "POST", "/api/v1/login", {"user": user, "password": self.password})
        self.assertEqual(status, 200, body)
        return body["token"]

    def test_export_import_and_match_over_http(self):
        a, b = self.servers
        lena_a, ivan_a = self.login(a, "lena"), self.login(a, "ivan")
        request = {"to": "force-b", "ids": ["p-1"], "handling": "H2", "purpose": "joint operation"}
        self.assertEqual(self.call(a, "POST", "/api/v1/exchange/export", request, token=ivan_a)[0], 403)
        self.assertEqual(self.call(a, "POST", "/api/v1/exchange/export", request)[0], 401)
        self.assertEqual(self.call(a, "POST", "/api/v1/exchange/export", request, token=lena_a,
                                   justification=None)[0], 400)
        self.assertEqual(self.call(a, "POST", "/api/v1/exchange/export", dict(request, extra=1), token=lena_a)[0], 400)
        status, body, _ = self.call(a, "POST", "/api/v1/exchange/export", dict(request, ids=["p-2"]), token=lena_a)
        self.assertEqual(status, 403, body)  # H2 at home
        status, package, headers = self.call(a, "POST", "/api/v1/exchange/export", request, token=lena_a, raw=True)
        self.assertEqual(status, 200, package)
        self.assertEqual(package[:8], b"URAXPKG1")
        self.assertEqual(headers.get("X-Ura-Entities"), "1")

        lena_b, ivan_b = self.login(b, "lena"), self.login(b, "ivan")
        self.assertEqual(self.call(b, "POST", "/api/v1/exchange/import", package, token=ivan_b)[0], 403)
        bad = bytearray(package)
        bad[len(bad) // 2] ^= 1
        status, body, _ = self.call(b, "POST", "/api/v1/exchange/import", bytes(bad), token=lena_b)
        self.assertEqual(status, 400, body)
        self.assertIn("tampered", body["message"])
        status, body, _ = self.call(b, "POST", "/api/v1/exchange/import", package, token=lena_b)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["ids"], ["force-a:p-1"])
        status, body, _ = self.call(b, "POST", "/api/v1/exchange/import", package, token=lena_b)
        self.assertEqual(status, 409, body)
        self.assertIn("replay", body["message"])

        with open(self.filter, "rb") as f:
            filt = f.read()
        self.assertEqual(self.call(b, "POST", "/api/v1/exchange/match", filt, token=ivan_b)[0], 403)
        status, body, _ = self.call(b, "POST", "/api/v1/exchange/match", filt, token=lena_b)
        self.assertEqual(status, 200, body)
        # B's own b-1 (Çoci = Coci after folding, same birth date) and the imported copy of p-1.
        self.assertEqual(sorted(h["id"] for h in body["hits"]), ["b-1", "force-a:p-1"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
