"""What the end-to-end tests of the server share: running the `ura` binary on a test store."""
import json
import os
import subprocess

URA = os.path.abspath(os.environ.get("URA_BIN", "build/release/apps/ura"))
PASSWORD = "correct horse battery 42"


def run_cli(store, key, *args, keyed=True):
    """Runs `ura --data STORE [--key-file KEY] ARGS...` (new users get PASSWORD); asserts success."""
    env = dict(os.environ, URA_USER_PASSWORD=PASSWORD)
    extra = ["--key-file", key] if keyed else []
    r = subprocess.run([URA, "--data", store, *extra, *args], capture_output=True, text=True, env=env,
                       timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, (args, r.stderr)
    return r


def people_file(directory, first, count):
    """Writes FtM persons p<first>..p<first+count-1> named "Arben Hoxha <i>"; returns the path."""
    path = os.path.join(directory, "people-%d.ndjson" % first)
    with open(path, "w") as f:
        for i in range(first, first + count):
            f.write(json.dumps({"id": "p%d" % i, "schema": "Person", "properties": {"name": ["Arben Hoxha %d" % i]}})
                    + "\n")
    return path


class Server:
    """`ura --data STORE --key-file KEY serve --listen 127.0.0.1:0 ARGS...`, its request log in a
    file (an undrained pipe would stall it); `host` is where it listens, `url` with the scheme
    (https:// with --tls-cert). stop() ends it."""

    def __init__(self, store, key, *args, log_path):
        import re
        self.log = open(log_path, "w")
        self.process = subprocess.Popen([URA, "--data", store, "--key-file", key, "serve", "--listen", "127.0.0.1:0",
                                         *args], stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        m = re.search(r"(https?)://(127\.0\.0\.1:\d+)", line)
        assert m, line + open(log_path).read()
        self.host = m.group(2)
        self.url = m.group(1) + "://" + self.host

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
        self.process.communicate(timeout=30)
        self.log.close()
