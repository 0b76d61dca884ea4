"""End-to-end tests of backup, restore, witnesses and the drill with the real `ura` binary
(path in $URA_BIN): what an operator sees -- outputs, exit codes, files in the backup target."""
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import URA, people_file  # noqa: E402

PASSPHRASE = "e2e passphrase that is long enough"


def run(*args, passphrase=PASSPHRASE, timeout=300):
    env = {k: v for k, v in os.environ.items() if k not in ("URA_PASSPHRASE", "URA_DATA")}
    if passphrase is not None:
        env["URA_PASSPHRASE"] = passphrase
    return subprocess.run([URA, *args], capture_output=True, text=True, env=env, timeout=timeout)


def files_under(d):
    out = []
    for root, _, names in os.walk(d):
        out += [os.path.join(root, n) for n in names]
    return sorted(out)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def flip(path, offset):
    os.chmod(path, 0o600)
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0x01]))


class RecoveryTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ura-e2e-recovery-")
        self.store = os.path.join(self.tmp, "store")
        self.target = os.path.join(self.tmp, "backup")
        self.ok("--data", self.store, "init", "--kdf-memory-mib", "8", "--kdf-ops", "1")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def ok(self, *args, **kw):
        r = run(*args, **kw)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r

    def ura(self, *args, **kw):
        return self.ok("--data", self.store, *args, **kw)

    def ingest(self, first, count):
        self.ura("ingest", "--ftm", people_file(self.tmp, first, count))

    def append(self, n, size=60):
        lines = "".join(json.dumps({"n": i, "pad": "x" * size}) + "\n" for i in range(n))
        r = subprocess.run([URA, "--data", self.store, "journal", "append"], input=lines, capture_output=True,
                           text=True, env={**os.environ, "URA_PASSPHRASE": PASSPHRASE}, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)

    def head(self, store=None):
        return json.loads(self.ok("--data", store or self.store, "head", "--json").stdout)

    def test_backup_check_restore(self):
        self.ingest(0, 50)
        self.append(20)
        first = json.loads(self.ura("--json", "backup", self.target).stdout)
        self.assertEqual(first["run"], 1)
        self.assertGreaterEqual(first["objects_copied"], 3)
        # Nothing new: nothing copied, no file added to the target.
        before = files_under(self.target)
        again = self.ura("backup", self.target)
        self.assertIn("nothing new", again.stdout)
        self.assertEqual(files_under(self.target), before)
        reread = json.loads(self.ura("--json", "backup", "--reread", self.target).stdout)
        self.assertTrue(reread["nothing_new"])
        self.assertEqual(reread["files_reused"], 0)
        # Keyless check, no primary needed.
        check = run("backup", "--check", "--read-data", self.target, passphrase=None)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertIn("intact", check.stdout)
        head = self.head()
        to = os.path.join(self.tmp, "restored")
        r = json.loads(self.ok("--json", "restore", self.target, "--to", to).stdout)
        self.assertEqual(r["tree_size"], head["tree_size"])
        self.assertEqual(r["root_hash"], head["root_hash"])
        self.assertEqual(r["entities"], 50)
        self.assertTrue(r["index_checked"])
        self.ok("--data", to, "verify", "--deep")
        fast = json.loads(self.ok("--json", "restore", self.target, "--to", to + "-fast", "--no-index-check").stdout)
        self.assertEqual(fast["root_hash"], head["root_hash"])
        self.assertFalse(fast["index_checked"])
        self.ok("--data", to + "-fast", "verify", "--deep")  # the index the rebuild made is right
        got = json.loads(self.ok("--data", to, "--json", "get", "p7", "--reason", "e2e restore").stdout)
        self.assertIn("Arben Hoxha 7", json.dumps(got, ensure_ascii=False))
        # The keyring in the backup is the wrapped one, byte for byte.
        keyring = read_bytes(os.path.join(self.store, "keys", "keyring.json"))
        self.assertTrue(any(read_bytes(p) == keyring for p in files_under(os.path.join(self.target, "objects"))))
        # Restoring into a non-empty directory is refused; nothing changes there.
        busy = run("restore", self.target, "--to", to)
        self.assertNotEqual(busy.returncode, 0)
        self.assertIn("not empty", busy.stderr)

    def test_incremental_runs_and_a_flipped_byte_in_any_backup_file(self):
        self.append(200)
        self.ura("backup", self.target)
        self.append(50)
        second = json.loads(self.ura("--json", "backup", self.target).stdout)
        self.assertEqual(second["run"], 2)
        files = [p for p in files_under(self.target) if not p.endswith("backup.lock")]
        self.assertGreater(len(files), 4)
        for path in files:
            offset = os.path.getsize(path) // 2
            flip(path, offset)
            r = run("backup", "--check", self.target, passphrase=None)
            self.assertEqual(r.returncode, 3, path + "\n" + r.stdout)
            self.assertIn(path, r.stdout)
            flip(path, offset)
        self.assertEqual(run("backup", "--check", "--read-data", self.target, passphrase=None).returncode, 0)

    def test_point_in_time_restore_has_the_original_root(self):
        self.append(5)
        self.append(9)
        self.append(4)
        self.ura("backup", self.target)
        size = self.head()["tree_size"]
        for n in [0, 1, 5, 7, 14, size - 1, size]:
            # The root at n from an independent path: the consistency proof's old root.
            expected = self.head()["root_hash"] if n in (0, size) else \
                json.loads(self.ura("proof", "consistency", str(n)).stdout)["old_root"]
            if n == 0:
                expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # SHA-256("")
            to = os.path.join(self.tmp, "at-%d" % n)
            r = json.loads(self.ok("--json", "restore", self.target, "--to", to, "--tree-size", str(n)).stdout)
            self.assertEqual(r["tree_size"], n)
            self.assertEqual(r["root_hash"], expected, n)
            self.assertEqual(self.head(to)["tree_size"], n)

    def test_rollback_and_forged_backups_are_refused(self):
        self.append(10)
        self.ura("backup", self.target)
        old = os.path.join(self.tmp, "old")
        shutil.copytree(self.store, old)
        self.append(3)
        trusted = os.path.join(self.tmp, "trusted.json")
        with open(trusted, "w") as f:
            f.write(json.dumps(self.head()))
        to = os.path.join(self.tmp, "restored")
        r = run("restore", self.target, "--to", to, "--trusted-head", trusted)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("rollback", r.stderr)
        self.assertFalse(os.path.exists(to))
        # A backup of another store offered against this store's trusted head.
        other = os.path.join(self.tmp, "other")
        self.ok("--data", other, "init", "--kdf-memory-mib", "8", "--kdf-ops", "1")
        forged = os.path.join(self.tmp, "forged")
        self.ok("--data", other, "backup", forged)
        r = run("restore", forged, "--to", to, "--trusted-head", trusted)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("forged", r.stderr)
        self.assertFalse(os.path.exists(to))
        # The primary rolled back to an older copy: backup refuses it.
        self.ura("backup", self.target)
        r = run("--data", old, "backup", self.target)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("rollback", r.stderr)

    def test_backup_killed_at_random_points_is_resumed(self):
        self.append(20000, size=400)
        self.ura("backup", self.target)
        self.append(20000, size=400)
        # How long a whole run takes, on a throwaway copy of the target.
        scratch = os.path.join(self.tmp, "scratch-target")
        shutil.copytree(self.target, scratch)
        start = time.monotonic()
        self.ura("backup", scratch)
        full = time.monotonic() - start
        rng = random.Random(os.environ.get("URA_E2E_SEED", "6"))
        killed = 0
        for _ in range(6):
            env = {**os.environ, "URA_PASSPHRASE": PASSPHRASE}
            p = subprocess.Popen([URA, "--data", self.store, "backup", self.target], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, full))
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                killed += 1
            p.wait()
            # Whatever the kill left, the backup checks intact (a run that did not finish is no backup).
            c = run("backup", "--check", self.target, passphrase=None)
            self.assertEqual(c.returncode, 0, c.stdout)
        self.ura("backup", self.target)
        c = run("backup", "--check", "--read-data", self.target, passphrase=None)
        self.assertEqual(c.returncode, 0, c.stdout)
        head = self.head()
        to = os.path.join(self.tmp, "restored")
        r = json.loads(self.ok("--json", "restore", self.target, "--to", to).stdout)
        self.assertEqual(r["root_hash"], head["root_hash"])
        print("kill -9 landed during %d of 6 runs (a full run took %.2f s)" % (killed, full))

    def test_witness_cosigns_and_verify_checks_cosignatures(self):
        wkey = os.path.join(self.tmp, "witness.key")
        pub = json.loads(self.ok("--json", "witness", "keygen", "--out", wkey).stdout)["public_key"]
        state = os.path.join(self.tmp, "witness-state")
        cos = os.path.join(self.store, "cosignatures")
        os.makedirs(cos)
        self.append(4)
        h1 = os.path.join(self.tmp, "h1.json")
        with open(h1, "w") as f:
            f.write(self.ura("head", "--json").stdout)
        self.ok("witness", "cosign", h1, "--key", wkey, "--state", state, "-o", os.path.join(cos, "1.json"))
        self.append(3)
        h2 = os.path.join(self.tmp, "h2.json")
        with open(h2, "w") as f:
            f.write(self.ura("head", "--json").stdout)
        # Without a consistency proof the witness refuses the larger head.
        r = run("witness", "cosign", h2, "--key", wkey, "--state", state)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("consistency proof", r.stderr)
        proof = os.path.join(self.tmp, "proof.json")
        with open(proof, "w") as f:
            f.write(self.ura("proof", "consistency", "4").stdout)
        self.ok("witness", "cosign", h2, "--key", wkey, "--state", state, "--proof", proof,
                "-o", os.path.join(cos, "2.json"))
        # The older head again: rollback.
        r = run("witness", "cosign", h1, "--key", wkey, "--state", state)
        self.assertEqual(r.returncode, 3)
        self.assertIn("rollback", r.stderr)
        v = run("--data", self.store, "verify", "--witness", pub, passphrase=None)
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        self.assertIn("cosigned tree size 7", v.stdout)
        other = json.loads(self.ok("--json", "witness", "keygen", "--out", os.path.join(self.tmp, "w2.key")).stdout)
        v = run("--data", self.store, "verify", "--witness", pub, other["public_key"], passphrase=None)
        self.assertEqual(v.returncode, 3, v.stdout)
        self.assertIn("no cosignature", v.stdout)

    def test_drill_detects_and_recovers_every_attack(self):
        r = run("drill", "--size", "300", "--json", passphrase=None)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        d = json.loads(r.stdout)
        self.assertTrue(d["ok"])
        self.assertEqual(len(d["scenarios"]), 7)
        for s in d["scenarios"]:
            self.assertTrue(s["detected"], s)
            self.assertTrue(s["recovered"], s)
            self.assertEqual(s["entries_lost"], 0, s)


if __name__ == "__main__":
    unittest.main()
