"""End-to-end: entity resolution on generated data with ground truth. Ingests every source of
3,000 generated persons for two seeds, runs `ura resolve` and checks `ura resolve evaluate`
against the generator's truth (pairwise F1 and B-cubed F1 >= 0.95, as issue 7 asks at 100k);
then analysts' judgements: a "different" judgement splits a person and survives re-running,
"withdrawn" gives the pair back to the model, and bad input changes nothing."""
import json
import os
import shutil
import subprocess
import tempfile
import sys
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server  # noqa: E402

URA = os.environ.get("URA_BIN", "build/release/apps/ura")
ROOT = os.environ.get("URA_SOURCE_DIR", os.getcwd())
from sources import SOURCES

PERSONS = 3000
SEEDS = (11, 12)


class Store:
    def __init__(self, tmp, seed, sources=SOURCES):
        self.data = os.path.join(tmp, "data-%d" % seed)
        self.store = os.path.join(tmp, "store-%d" % seed)
        self.key = os.path.join(tmp, "key-%d" % seed)
        run([URA, "generate", "--out", self.data, "--persons", str(PERSONS), "--seed", str(seed)])
        run([URA, "--data", self.store, "init", "--new-key-file", self.key])
        for rel, mapping in sources:
            self.ingest(rel, mapping)

    def ingest(self, rel, mapping):
        # Exit 1: some planted bad rows were quarantined, the rest stored.
        return run([*self.base(), "ingest", "--mapping", os.path.join(ROOT, mapping), os.path.join(self.data, rel)],
                   ok=(0, 1))

    def base(self, reason="e2e resolve test"):
        return [URA, "--data", self.store, "--key-file", self.key] + (["--reason", reason] if reason else [])

    def ura(self, *args, ok=(0,), reason="e2e resolve test"):
        return run([*self.base(reason), *args], ok=ok)

    def ura_json(self, *args):
        return json.loads(self.ura("--json", *args).stdout)


def persons_of(store):
    """The persons of several records as they stand, each as the set of its record ids."""
    listed = store.ura_json("resolve", "persons", "--limit", "10000000")["persons"]
    return {frozenset(p["members"]) for p in listed}


def run(cmd, ok=(0,), env=None):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
    if r.returncode not in ok:
        raise AssertionError("%s -> %d\n%s\n%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


class ResolveEndToEndTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ura-e2e-resolve-")
        cls.stores = {seed: Store(cls.tmp, seed) for seed in SEEDS}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_f1_and_bcubed_against_ground_truth_on_two_seeds(self):
        for seed, s in self.stores.items():
            with self.subTest(seed=seed):
                stats = s.ura_json("resolve")
                self.assertGreater(stats["reduction_ratio"], 0.99)
                self.assertLess(stats["candidate_pairs"], stats["all_pairs"])
                scores = s.ura_json("resolve", "evaluate", "--truth", s.data)
                self.assertGreater(scores["records"], PERSONS)
                print("seed %d: pairwise P %.4f R %.4f F1 %.4f; B-cubed P %.4f R %.4f F1 %.4f" % (
                    seed, scores["pairwise"]["precision"], scores["pairwise"]["recall"], scores["pairwise"]["f1"],
                    scores["bcubed"]["precision"], scores["bcubed"]["recall"], scores["bcubed"]["f1"]))
                self.assertGreaterEqual(scores["pairwise"]["f1"], 0.95)
                self.assertGreaterEqual(scores["bcubed"]["f1"], 0.95)
                # The truth as a plain CSV of (source, record key, true id) scores the same.
                plain = os.path.join(self.tmp, "truth-%d.csv" % seed)
                with open(os.path.join(s.data, "truth", "persons.csv")) as f, open(plain, "w") as out:
                    next(f)
                    out.write("source,record_key,entity\n")
                    for line in f:
                        person, source, key = line.rstrip("\n").split(",", 2)
                        out.write("%s,%s,%s\n" % (source, key, person))
                again = s.ura_json("resolve", "evaluate", "--truth", plain)
                self.assertAlmostEqual(again["pairwise"]["f1"], scores["pairwise"]["f1"])

    def person_of(self, s, record):
        return s.ura_json("resolve", "person", record)

    def test_judgements_win_over_the_model_and_survive_rerunning(self):
        s = self.stores[SEEDS[0]]
        s.ura("resolve")
        # A person of several records: split one record off with a "different" judgement.
        review = s.ura_json("resolve", "review", "--limit", "5")
        self.assertIn("pairs", review)
        person = None
        for p in s.ura_json("resolve", "persons", "--limit", "50")["persons"]:
            if len(p["members"]) == 2:
                person = p
                break
        self.assertIsNotNone(person, "no person of two records")
        a, b = person["members"]
        s.ura("resolve", "judge", a, b, "different", reason="twins, checked the passports")
        for _ in range(2):  # survives re-running
            s.ura("resolve")
            self.assertNotIn(b, self.person_of(s, a)["members"])
        # Withdrawn: the model decides again and joins them.
        s.ura("resolve", "judge", a, b, "withdrawn", reason="mistake")
        s.ura("resolve")
        self.assertIn(b, self.person_of(s, a)["members"])
        # Every judgement is audited.
        audit = s.ura("--json", "audit", "--action", "resolve-judge").stdout
        self.assertEqual(audit.count('"resolve-judge"'), 2, audit)
        # Judgements and runs are journal entries like any other: the store verifies.
        s.ura("verify", "--deep", reason=None)

    def test_review_queue_and_judgements_over_the_api(self):
        s = self.stores[SEEDS[0]]
        s.ura("resolve")
        env = dict(os.environ, URA_USER_PASSWORD="correct horse battery 42")
        for name, role in (("ana-api", "analyst"), ("inv-api", "investigator")):
            run([*s.base(None), "user", "add", name, "--role", role, "--clearance", "secret"], env=env)
        server = Server(s.store, s.key, log_path=os.path.join(self.tmp, "server-review.log"))

        def call(method, path, token=None, body=None):
            req = urllib.request.Request("http://%s%s" % (server.host, path), method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Content-Type": "application/json", "X-Justification": "case 7/2026",
                                                  **({"Authorization": "Bearer " + token} if token else {})})
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    return r.status, json.loads(r.read())
            except urllib.error.HTTPError as e:
                return e.code, json.loads(e.read() or b"null")

        try:
            tokens = {n: call("POST", "/api/v1/login", body={"user": n, "password": "correct horse battery 42"})[1]["token"]
                      for n in ("ana-api", "inv-api")}
            status, review = call("GET", "/api/v1/resolve/review?limit=5", tokens["ana-api"])
            self.assertEqual(status, 200, review)
            self.assertTrue(review["pairs"], review)
            pair = review["pairs"][0]
            self.assertTrue(0.05 <= pair["probability"] <= 0.95)
            self.assertTrue(pair["contributions"] and pair["explanation"])
            self.assertEqual(pair["records"]["a"]["id"], pair["a"])
            self.assertEqual(call("GET", "/api/v1/resolve/review", tokens["inv-api"])[0], 403)
            self.assertEqual(call("POST", "/api/v1/resolve/judgements", tokens["ana-api"],
                                  {"a": pair["a"], "b": pair["b"], "decision": "maybe"})[0], 400)
            self.assertEqual(call("POST", "/api/v1/resolve/judgements", tokens["ana-api"],
                                  {"a": pair["a"], "b": "no-such-record", "decision": "same"})[0], 404)
            status, stored = call("POST", "/api/v1/resolve/judgements", tokens["ana-api"],
                                  {"a": pair["a"], "b": pair["b"], "decision": "different", "reason": "checked"})
            self.assertEqual(status, 201, stored)
            # A judged pair leaves the queue.
            status, again = call("GET", "/api/v1/resolve/review?limit=100", tokens["ana-api"])
            self.assertNotIn((pair["a"], pair["b"]), [(p["a"], p["b"]) for p in again["pairs"]])
        finally:
            server.stop()
        audit = s.ura_json("audit", "--user", "ana-api", "--action", "resolve-judge")
        self.assertEqual(len(audit["records"]), 1, audit)
        # The server put the judgement in its index as it stored it: the index matches the journal.
        s.ura("verify", "--deep", reason=None)

    def test_search_and_dossier_show_the_canonical_person(self):
        s = self.stores[SEEDS[1]]
        s.ura("resolve")
        persons = s.ura_json("resolve", "persons", "--limit", "200")["persons"]
        marking = {}

        def classification(record):
            if record not in marking:
                marking[record] = s.ura_json("get", record)["marking"]["classification"]
            return marking[record]

        # A person whose records are of more than one classification (a border crossing and a
        # case file, say), to see the access rules applied to the list.
        person = next(p for p in persons if len({classification(m) for m in p["members"][:6]}) > 1
                      and len(p["members"]) <= 6)
        members = person["members"]
        first = next(m for m in members if classification(m) == "restricted")
        dossier = s.ura_json("get", first)
        self.assertEqual(dossier["person"]["id"], person["id"])
        self.assertEqual(sorted(r["id"] for r in dossier["person"]["records"]), sorted(set(members) - {first}))
        self.assertTrue(all(r["sources"] for r in dossier["person"]["records"]))
        text = s.ura("get", first).stdout
        self.assertIn("The same person in other records", text)
        hits = s.ura_json("search", dossier["caption"], "--limit", "50")["results"]
        shown_members = [h for h in hits if h["id"] in members]
        self.assertTrue(shown_members, hits)
        self.assertEqual({h["person"] for h in shown_members}, {person["id"]})
        # An investigator cleared for restricted records sees only those of the person's records.
        env = dict(os.environ, URA_USER_PASSWORD="correct horse battery 42")
        subprocess.run([*s.base(None), "user", "add", "inv-r", "--role", "investigator", "--clearance", "restricted"],
                       check=True, capture_output=True, env=env)
        shown = json.loads(run([*s.base(), "--as", "inv-r", "--json", "get", first], env=env).stdout)["person"]["records"]
        self.assertEqual(sorted(r["id"] for r in shown),
                         sorted(m for m in members if m != first and classification(m) == "restricted"))
        # Resolution's own commands follow the same rules: an investigator may look at persons
        # (their visible members only) but not run resolution or judge; an analyst may.
        listed = json.loads(run([*s.base(), "--as", "inv-r", "--json", "resolve", "person", first], env=env).stdout)
        self.assertEqual(sorted(listed["members"]),
                         sorted(m for m in members if classification(m) == "restricted"))
        for p in json.loads(run([*s.base(), "--as", "inv-r", "--json", "resolve", "persons", "--limit", "30"],
                                env=env).stdout)["persons"]:
            self.assertGreaterEqual(len(p["members"]), 2)
            self.assertTrue(all(classification(m) == "restricted" for m in p["members"]), p)
        hidden = next(m for m in members if classification(m) != "restricted")
        r = run([*s.base(), "--as", "inv-r", "resolve", "person", hidden], ok=(2,), env=env)
        self.assertIn("no Person record", r.stderr)
        r = run([*s.base(), "--as", "inv-r", "resolve"], ok=(1,), env=env)
        self.assertIn("may not run entity resolution", r.stderr)
        r = run([*s.base(), "--as", "inv-r", "resolve", "judge", first, hidden, "same"], ok=(1,), env=env)
        subprocess.run([*s.base(None), "user", "add", "ana-r", "--role", "analyst", "--clearance", "restricted"],
                       check=True, capture_output=True, env=env)
        r = run([*s.base(), "--as", "ana-r", "resolve", "judge", first, hidden, "different"], ok=(2,), env=env)
        self.assertIn("no Person record with id '%s'" % hidden, r.stderr)  # hidden from this analyst
        review = json.loads(run([*s.base(), "--as", "ana-r", "--json", "resolve", "review", "--limit", "10"],
                                env=env).stdout)
        for pair in review["pairs"]:
            self.assertEqual({classification(pair["a"]), classification(pair["b"])}, {"restricted"})
        refused = s.ura_json("audit", "--user", "inv-r", "--action", "resolve")
        self.assertTrue(any(r["outcome"] == "denied" for r in refused["records"]), refused)
        # The index's canonical persons are checked against the journal like the rest.
        s.ura("verify", "--deep", reason=None)

    def test_records_ingested_after_a_run_are_matched_at_ingest(self):
        # Three systems first, resolved; then the other two arrive and are matched as they are
        # ingested, with the run's model, without a run.
        first, later = SOURCES[:3], SOURCES[3:]
        s = Store(self.tmp, 13, sources=first)
        s.ura("resolve")
        for rel, mapping in later:
            out = s.ingest(rel, mapping).stdout
            self.assertRegex(out, r"entity resolution: \d+ new Person records, \d+ joined a known person")
        incremental = s.ura_json("resolve", "evaluate", "--truth", s.data)
        incremental_persons = persons_of(s)
        # What the index shows is what the journal says: the updates are checked like the rest.
        s.ura("verify", "--deep", reason=None)
        s.ura("resolve")
        batch = s.ura_json("resolve", "evaluate", "--truth", s.data)
        batch_persons = persons_of(s)
        same = incremental_persons & batch_persons
        print("incremental: pairwise P %.4f R %.4f F1 %.4f; then a full run: P %.4f R %.4f F1 %.4f; "
              "%d of %d persons identical (%d of the run's)" % (
                  incremental["pairwise"]["precision"], incremental["pairwise"]["recall"],
                  incremental["pairwise"]["f1"], batch["pairwise"]["precision"], batch["pairwise"]["recall"],
                  batch["pairwise"]["f1"], len(same), len(incremental_persons), len(batch_persons)))
        # Incremental == batch, as far as it can be: the records arriving later are compared with
        # exactly the records a run compares them with (the index lists every record under its
        # blocking keys) and clustered as a run clusters (average linkage, bridging persons), but
        # with the first run's model, where the full run re-estimates m, u and the prior by EM on
        # all five systems, and the run clusters all pairs in one order of strength where
        # incremental matching takes the records in the order they arrive. Both can move a
        # borderline pair across the threshold, so identical persons cannot be promised; the
        # scores must agree within 0.01.
        for measure in ("precision", "recall"):
            self.assertLessEqual(abs(incremental["pairwise"][measure] - batch["pairwise"][measure]), 0.01, measure)
        self.assertLessEqual(abs(incremental["bcubed"]["f1"] - batch["bcubed"]["f1"]), 0.01)
        self.assertGreaterEqual(len(same), 0.99 * len(batch_persons))
        # An upload through the API is matched the same way: a known traveller crossing with
        # another document (same name and birth date) joins the person.
        with open(os.path.join(s.data, "border", "crossings.csv"), encoding="utf-8") as f:
            header, row = f.readline(), f.readline()
        env = dict(os.environ, URA_USER_PASSWORD="correct horse battery 42")
        out = run([*s.base(None), "user", "add", "feed", "--role", "service"], env=env).stdout
        token = out.split("reads it): ")[1].strip()
        cells = row.rstrip("\n").split(";")
        cells[0] += "9"    # another crossing,
        cells[10] += "9"   # with a document the store does not know: a new Person record
        server = Server(s.store, s.key, "--mappings", os.path.join(ROOT, "mappings"),
                        log_path=os.path.join(self.tmp, "server.log"))
        try:
            req = urllib.request.Request("http://%s/api/v1/ingest?mapping=border" % server.host,
                                         data=(header + ";".join(cells) + "\n").encode(), method="POST",
                                         headers={"Authorization": "Bearer " + token, "X-Justification": "case 1",
                                                  "Content-Type": "text/csv"})
            with urllib.request.urlopen(req, timeout=60) as r:
                answer = json.loads(r.read())
        finally:
            server.stop()
        self.assertEqual(answer["written"] > 0, True, answer)
        self.assertIn("resolution", answer, answer)
        self.assertGreaterEqual(answer["resolution"].get("joined", 0), 1, answer)

    def test_bad_input_is_refused_and_changes_nothing(self):
        s = self.stores[SEEDS[1]]
        before = s.ura_json("head")
        r = s.ura("resolve", "judge", "no-such-id", "other-id", "same", ok=(2,))
        self.assertIn("no Person record with id 'no-such-id'", r.stderr)
        r = s.ura("resolve", "judge", "a", "b", "maybe", ok=(2,))
        self.assertIn("not a decision", r.stderr)
        r = s.ura("resolve", "review", ok=(2,), reason=None)
        self.assertIn("reason", r.stderr)
        r = s.ura("resolve", "evaluate", "--truth", os.path.join(self.tmp, "nothing-here"), ok=(2,))
        self.assertIn("no ground truth", r.stderr)
        self.assertEqual(s.ura_json("head")["tree_size"], before["tree_size"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
