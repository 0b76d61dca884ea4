"""End-to-end tests of the real `ura` binary (path in $URA_BIN): the command-line contract
of docs/cli.md -- outputs, exit codes, error messages -- as a user or script sees it."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

URA = os.environ.get("URA_BIN", "build/release/apps/ura")
PASSPHRASE = "e2e passphrase that is long enough"


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class Store:
    def __init__(self, root, name="store"):
        self.dir = os.path.join(root, name)

    def run(self, *args, stdin=None, env=None, passphrase=PASSPHRASE):
        e = {k: v for k, v in os.environ.items() if k not in ("URA_PASSPHRASE", "URA_DATA")}
        if passphrase is not None:
            e["URA_PASSPHRASE"] = passphrase
        e.update(env or {})
        return subprocess.run([URA, "--data", self.dir, *args], input=stdin, capture_output=True,
                              text=True, env=e, timeout=120)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ura-e2e-")
        self.store = Store(self.tmp)
        r = self.store.run("init", "--kdf-memory-mib", "8", "--kdf-ops", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("store id", r.stdout)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def append(self, lines):
        r = self.store.run("journal", "append", stdin="".join(l + "\n" for l in lines))
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def segments(self):
        d = os.path.join(self.store.dir, "journal")
        return [os.path.join(d, n) for n in sorted(os.listdir(d))]

    def test_append_cat_head_verify(self):
        r = self.append([json.dumps({"n": i, "name": "Çoci"}, ensure_ascii=False) for i in range(7)])
        self.assertIn("wrote 7 entries; tree size 7", r.stdout)
        cat = self.store.run("--json", "journal", "cat", "--reason", "e2e test")
        self.assertEqual(cat.returncode, 0, cat.stderr)
        rows = [json.loads(l) for l in cat.stdout.splitlines()]
        # Reading the journal is a consultation: its audit record (type 32) is written first.
        self.assertEqual([row["seq"] for row in rows], list(range(8)))
        self.assertEqual(rows[7]["type"], 32)
        self.assertEqual(json.loads(rows[7]["payload"])["action"], "journal-read")
        self.assertEqual(json.loads(rows[3]["payload"]), {"n": 3, "name": "Çoci"})
        head = json.loads(self.store.run("head", "--json").stdout)
        self.assertEqual(head["tree_size"], 8)
        self.assertEqual(len(head["root_hash"]), 64)
        v = self.store.run("verify", "--json", passphrase=None)  # keyless
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        report = json.loads(v.stdout)
        self.assertTrue(report["intact"])
        self.assertEqual(report["root_hash"], head["root_hash"])
        deep = self.store.run("verify", "--deep")
        self.assertEqual(deep.returncode, 0, deep.stdout + deep.stderr)
        self.assertIn("decrypted", deep.stdout)

    def test_init_refuses_existing_store(self):
        self.append(["a"])
        before = self.store.run("head", "--json").stdout
        r = self.store.run("init")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("already exists", r.stderr)
        self.assertEqual(self.store.run("head", "--json").stdout, before)

    def test_secrets_never_on_the_command_line_or_in_messages(self):
        r = self.store.run("journal", "cat", "--reason", "e2e test", passphrase="wrong passphrase 123")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("wrong passphrase or key file", r.stderr)
        self.assertNotIn("wrong passphrase 123", r.stderr + r.stdout)
        r = self.store.run("journal", "cat", "--reason", "e2e test", passphrase=None)
        self.assertEqual(r.returncode, 2)
        self.assertIn("URA_PASSPHRASE", r.stderr)
        r = self.store.run("--passphrase", "x", "journal", "cat", "--reason", "e2e test")
        self.assertEqual(r.returncode, 2)
        pf = os.path.join(self.tmp, "pass")
        with open(pf, "w") as f:
            f.write(PASSPHRASE + "\n")
        r = self.store.run("--passphrase-file", pf, "journal", "cat", "--reason", "e2e test", passphrase=None)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_key_file_store(self):
        other = Store(self.tmp, "keyfile-store")
        key = os.path.join(self.tmp, "store.key")
        r = other.run("init", "--new-key-file", key, passphrase=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(oct(os.stat(key).st_mode & 0o777), "0o600")
        r = other.run("--key-file", key, "journal", "append", stdin="x\ny\n", passphrase=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = other.run("journal", "cat", "--reason", "e2e test")  # a passphrase does not open a key-file store
        self.assertEqual(r.returncode, 1)
        self.assertIn("key file", r.stderr)

    def test_missing_store_and_usage_errors_exit_2(self):
        missing = Store(self.tmp, "nope")
        for args in (["head"], ["verify"], ["journal", "cat", "--reason", "e2e test"]):
            r = missing.run(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("no Ura store", r.stderr)
        self.assertEqual(self.store.run("frobnicate").returncode, 2)
        self.assertEqual(self.store.run("verify", "--threads", "0").returncode, 2)
        bad = os.path.join(self.tmp, "bad-head.json")
        with open(bad, "w") as f:
            f.write("{not json")
        r = self.store.run("verify", "--trusted-head", bad)
        self.assertEqual(r.returncode, 2)
        self.assertIn("bad-head.json", r.stderr)

    def test_tampering_is_detected_with_exit_3(self):
        self.append(["record %d" % i for i in range(30)])
        seg = self.segments()[0]
        data = bytearray(read_bytes(seg))
        os.chmod(seg, 0o600)
        # Sampled bytes across the whole file (the exhaustive version is a unit test).
        for offset in range(0, len(data), 37):
            damaged = bytearray(data)
            damaged[offset] ^= 0x10
            with open(seg, "wb") as f:
                f.write(damaged)
            r = self.store.run("verify", "--json", passphrase=None)
            self.assertEqual(r.returncode, 3, "byte %d: %s" % (offset, r.stdout))
            problem = json.loads(r.stdout)["problem"]
            self.assertIn("first_bad_sequence", problem)
            self.assertEqual(problem["file"], seg)
        with open(seg, "wb") as f:
            f.write(data)
        self.assertEqual(self.store.run("verify").returncode, 0)

    def test_rollback_and_fork_detected_with_trusted_head(self):
        self.append(["a", "b"])
        old = os.path.join(self.tmp, "old")
        shutil.copytree(self.store.dir, old)
        self.append(["c", "d"])
        head_file = os.path.join(self.tmp, "head.json")
        with open(head_file, "w") as f:
            f.write(self.store.run("head", "--json").stdout)
        self.assertEqual(self.store.run("verify", "--trusted-head", head_file).returncode, 0)
        rolled = Store(self.tmp, "old")
        r = rolled.run("verify", "--trusted-head", head_file)
        self.assertEqual(r.returncode, 3)
        self.assertIn("rollback", r.stdout)
        rolled.run("journal", "append", stdin="x\ny\nz\n")
        r = rolled.run("verify", "--trusted-head", head_file)
        self.assertEqual(r.returncode, 3)
        self.assertIn("fork", r.stdout)

    def test_proofs_check_against_a_head(self):
        self.append(["e%d" % i for i in range(11)])
        head_file = os.path.join(self.tmp, "head.json")
        with open(head_file, "w") as f:
            f.write(self.store.run("head", "--json").stdout)
        inc = os.path.join(self.tmp, "inc.json")
        r = self.store.run("proof", "inclusion", "4", passphrase=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(inc, "w") as f:
            f.write(r.stdout)
        doc = json.loads(r.stdout)
        self.assertEqual((doc["leaf_index"], doc["tree_size"]), (4, 11))
        r = subprocess.run([URA, "proof", "check", inc, "--head", head_file], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        con = os.path.join(self.tmp, "con.json")
        with open(con, "w") as f:
            f.write(self.store.run("proof", "consistency", "3", passphrase=None).stdout)
        r = subprocess.run([URA, "proof", "check", con, "--head", head_file], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        doc["audit_path"][1] = "00" * 32
        with open(inc, "w") as f:
            json.dump(doc, f)
        r = subprocess.run([URA, "proof", "check", inc], capture_output=True, text=True)
        self.assertEqual(r.returncode, 3, r.stdout)
        r = self.store.run("proof", "inclusion", "11", passphrase=None)
        self.assertEqual(r.returncode, 2)

    def test_key_rotation(self):
        self.append(["before"])
        r = self.store.run("key", "rotate")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("data key 2", r.stdout)
        self.append(["after"])
        rows = [json.loads(l) for l in self.store.run("--json", "journal", "cat", "--reason", "e2e test").stdout.splitlines()]
        # raw, the key rotation record, raw, the audit record of this read
        self.assertEqual([(r["type"], r["key_id"]) for r in rows], [(1, 1), (2, 2), (1, 2), (32, 2)])
        listing = self.store.run("key", "list", "--json")
        self.assertEqual([k["id"] for k in json.loads(listing.stdout)], [1, 2])

    def test_torn_tail_is_recovered_and_reported(self):
        self.append(["x"] * 3)
        seg = self.segments()[-1]
        os.chmod(seg, 0o600)
        with open(seg, "ab") as f:
            f.write(read_bytes(seg)[-60:-20])  # a partial frame
        v = self.store.run("verify", passphrase=None)
        self.assertEqual(v.returncode, 0)
        self.assertIn("never acknowledged", v.stdout)
        r = self.store.run("journal", "append", stdin="y\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("recovered after a crash", r.stderr)
        self.assertIn("tree size 4", r.stdout)

    def test_data_dir_from_environment(self):
        r = subprocess.run([URA, "head", "--json"], capture_output=True, text=True,
                           env={**os.environ, "URA_DATA": self.store.dir})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["tree_size"], 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
