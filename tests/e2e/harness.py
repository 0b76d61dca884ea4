"""What the end-to-end tests of the server share: running the `ura` binary on a test store."""
import os
import subprocess

URA = os.environ.get("URA_BIN", "build/release/apps/ura")
PASSWORD = "correct horse battery 42"


def run_cli(store, key, *args, keyed=True):
    """Runs `ura --data STORE [--key-file KEY] ARGS...` (new users get PASSWORD); asserts success."""
    env = dict(os.environ, URA_USER_PASSWORD=PASSWORD)
    extra = ["--key-file", key] if keyed else []
    r = subprocess.run([URA, "--data", store, *extra, *args], capture_output=True, text=True, env=env,
                       timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, (args, r.stderr)
    return r
