"""End-to-end: `ura generate` writes five police systems' exports with ground truth; every
source is ingested with its shipped mapping; the store's entities and the quarantined rows
must match the generator's truth exactly, re-ingesting must write nothing, and an FtM
export -> ingest -> export round trip must be identical."""
import collections
import json
import os
import shutil
import subprocess
import tempfile
import unittest

URA = os.environ.get("URA_BIN", "build/release/apps/ura")
ROOT = os.environ.get("URA_SOURCE_DIR", os.getcwd())
from sources import SOURCES


def run(*args, check=True):
    r = subprocess.run([URA, *args], capture_output=True, text=True, timeout=600)
    if check and r.returncode not in (0, 1):
        raise AssertionError("ura %s -> %d\n%s\n%s" % (" ".join(args), r.returncode, r.stdout, r.stderr))
    return r


class IngestEndToEndTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ura-e2e-ingest-")
        cls.data = os.path.join(cls.tmp, "data")
        r = run("generate", "--out", cls.data, "--persons", "3000", "--seed", "11", "--bad-rate", "0.01")
        assert r.returncode == 0, r.stderr
        with open(os.path.join(cls.data, "truth", "summary.json")) as f:
            cls.truth = json.load(f)
        cls.key = os.path.join(cls.tmp, "key")
        cls.store = os.path.join(cls.tmp, "store")
        r = run("--data", cls.store, "init", "--new-key-file", cls.key)
        assert r.returncode == 0, r.stderr
        cls.results = {}
        for rel, mapping in SOURCES:
            r = run("--data", cls.store, "--key-file", cls.key, "--json", "ingest",
                    "--mapping", os.path.join(ROOT, mapping), os.path.join(cls.data, rel))
            cls.results[rel] = (r.returncode, json.loads(r.stdout)[0] if r.stdout.strip() else None, r.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def export(self, store, key):
        r = run("--data", store, "--key-file", key, "--reason", "e2e test", "export", "--ftm")
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_every_source_ingests_and_quarantines_exactly_the_bad_rows(self):
        for rel, _ in SOURCES:
            rc, summary, stderr = self.results[rel]
            self.assertIsNotNone(summary, rel + ": " + stderr)
            expected = self.truth["files"][rel]
            self.assertEqual(summary["read"], expected["rows"], rel)
            self.assertEqual(summary["rejected"], expected["bad_rows"], rel)
            self.assertEqual(rc, 1 if expected["bad_rows"] else 0, rel)
            if expected["bad_rows"]:
                with open(summary["rejects_file"]) as f:
                    rows = sorted(json.loads(l)["row"] for l in f)
                truth_rows = []
                with open(os.path.join(self.data, "truth", "bad_rows.csv")) as f:
                    next(f)
                    for line in f:
                        source_file, row, _kind = line.rstrip("\n").split(",")
                        if source_file == rel:
                            truth_rows.append(int(row))
                self.assertEqual(rows, sorted(truth_rows), rel)

    def test_entity_counts_match_the_truth(self):
        counts = collections.Counter()
        for line in self.export(self.store, self.key).splitlines():
            e = json.loads(line)
            counts[(e["id"].split(".")[0], e["schema"])] += 1
        # Two mappings can share a source (the FIU's accounts and transactions): the truth
        # gives the distinct entities per source, which is what the store must hold.
        expected = collections.Counter()
        for source, schemas in self.truth["entities_by_source"].items():
            for schema, n in schemas.items():
                expected[(source, schema)] += n
        self.assertEqual(dict(counts), dict(expected))

    def test_reingest_writes_nothing(self):
        rel, mapping = SOURCES[0]
        r = run("--data", self.store, "--key-file", self.key, "--json", "ingest",
                "--mapping", os.path.join(ROOT, mapping), os.path.join(self.data, rel))
        summary = json.loads(r.stdout)[0]
        self.assertEqual(summary["written"], 0)
        self.assertGreater(summary["unchanged"], 0)

    def test_ftm_round_trip_is_identical(self):
        exported = self.export(self.store, self.key)
        path = os.path.join(self.tmp, "export.ndjson")
        with open(path, "w") as f:
            f.write(exported)
        store2, key2 = os.path.join(self.tmp, "store2"), os.path.join(self.tmp, "key2")
        self.assertEqual(run("--data", store2, "init", "--new-key-file", key2).returncode, 0)
        r = run("--data", store2, "--key-file", key2, "ingest", "--ftm", path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.export(store2, key2), exported)

    def test_kill_during_ingest_then_rerun_gives_the_same_store(self):
        import signal
        import time
        store, key = os.path.join(self.tmp, "killed"), os.path.join(self.tmp, "killed.key")
        self.assertEqual(run("--data", store, "init", "--new-key-file", key).returncode, 0)
        rel, mapping = SOURCES[0]
        args = [URA, "--data", store, "--key-file", key, "ingest", "--mapping", os.path.join(ROOT, mapping),
                os.path.join(self.data, rel)]
        for delay in (0.3, 0.8):
            p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            p.wait()
        self.assertEqual(run("--data", store, "verify").returncode, 0)
        # The sealed index survived the kills too: it matches the journal as far as it got.
        deep = run("--data", store, "--key-file", key, "verify", "--deep", check=False)
        self.assertEqual(deep.returncode, 0, deep.stdout + deep.stderr)
        r = run(*args[1:])
        self.assertIn(r.returncode, (0, 1), r.stderr)
        deep = run("--data", store, "--key-file", key, "verify", "--deep", check=False)
        self.assertEqual(deep.returncode, 0, deep.stdout + deep.stderr)
        self.assertIn("index: matches the journal", deep.stdout)
        counts = collections.Counter(json.loads(l)["schema"] for l in self.export(store, key).splitlines())
        self.assertEqual(dict(counts), self.truth["entities_by_source"]["border"])

    def test_reindex_and_a_deleted_index_give_the_same_entities(self):
        before = self.export(self.store, self.key)
        r = run("--data", self.store, "--key-file", self.key, "--json", "reindex")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["entities"], len(before.splitlines()))
        self.assertEqual(self.export(self.store, self.key), before)
        for name in os.listdir(os.path.join(self.store, "index")):
            os.remove(os.path.join(self.store, "index", name))
        self.assertEqual(self.export(self.store, self.key), before)  # caught up from the journal

    def test_store_verifies(self):
        r = run("--data", self.store, "verify")
        self.assertEqual(r.returncode, 0, r.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
