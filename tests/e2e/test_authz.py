"""End-to-end authorisation and audit of `ura serve`, driven over HTTP.

The authorisation matrix: every endpoint x every role, and for the roles that consult police
data every clearance x every classification x every handling code x need-to-know (member of
the record's case or not), with the expected answers written out as tables below. A user must
see exactly what the tables allow -- in search results (and the same-name records folded into
them), by id, in the history and among a dossier's links -- and nothing else: 0 leaks.

Audit completeness: a scripted session produces exactly the expected audit records; failed
log-ons and a lockout are recorded. Administration and upload endpoints, and their bad input.
"""
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

from harness import PASSWORD, URA, run_cli
HANDLING = ["H0", "H1", "H2", "H3"]
CLASSIFICATIONS = ["unclassified", "restricted", "confidential", "secret"]  # in order
CASES = ["none", "OC-1", "OC-2"]  # the records' need-to-know; users are members of OC-1 or of nothing

# Endpoint x role: the status a request gets (for entity routes: an entity the user may see).
ENDPOINTS = ["search", "view", "history", "audit", "users", "head", "verify-status", "verify-run", "ingest"]
ROLE_TABLE = {
    #               search view history audit users head verify-status verify-run ingest
    "investigator": [200,   200, 200,    403,  403,  200, 200,          403,       403],
    "analyst":      [200,   200, 200,    403,  403,  200, 200,          403,       200],
    "liaison":      [200,   200, 200,    403,  403,  200, 200,          403,       403],
    "auditor":      [403,   403, 403,    200,  403,  200, 200,          200,       403],
    "admin":        [403,   403, 403,    403,  200,  200, 200,          200,       403],
    "service":      [403,   403, 403,    403,  403,  200, 200,          403,       200],
    "backup":       [403,   403, 403,    403,  403,  200, 200,          403,       403],
}
CONSULTING_ROLES = ["investigator", "analyst", "liaison"]

# Handling code x need-to-know state -> seen (for a user whose clearance reaches the record's
# classification). "member": the record names a case of the user; "other": only other cases.
RECORD_TABLE = {
    ("H0", "none"): True, ("H0", "member"): True, ("H0", "other"): False,
    ("H1", "none"): True, ("H1", "member"): True, ("H1", "other"): False,
    ("H2", "none"): True, ("H2", "member"): True, ("H2", "other"): False,
    ("H3", "none"): False, ("H3", "member"): True, ("H3", "other"): False,
}


def entity_id(h, c, k):
    return "p-%s-%s-%s" % (h, c, k.lower())


def may_see(clearance, member, h, c, k):
    if CLASSIFICATIONS.index(clearance) < CLASSIFICATIONS.index(c):
        return False
    state = "none" if k == "none" else ("member" if (k == "OC-1" and member) else "other")
    return RECORD_TABLE[(h, state)]


class AuthzTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ura-e2e-authz-")
        cls.store, cls.key = os.path.join(cls.tmp, "store"), os.path.join(cls.tmp, "key")
        cls.cli("init", "--new-key-file", cls.key, keyed=False)
        # 48 people of the same name, one per marking, and a hub person linked to each of them.
        path = os.path.join(cls.tmp, "people.ndjson")
        with open(path, "w") as f:
            f.write(json.dumps({"id": "hub", "schema": "Person", "properties": {"name": ["Hub Person"]},
                                "ura": {"marking": {"accuracy": 2, "classification": "unclassified",
                                                    "handling": "H0", "reliability": "B"}}}) + "\n")
            for h in HANDLING:
                for c in CLASSIFICATIONS:
                    for k in CASES:
                        marking = {"accuracy": 2, "classification": c, "handling": h, "reliability": "B"}
                        if k != "none":
                            marking["cases"] = [k]
                        pid = entity_id(h, c, k)
                        f.write(json.dumps({"id": pid, "schema": "Person",
                                            "properties": {"name": ["Arben Coci"]},
                                            "ura": {"marking": marking}}) + "\n")
                        f.write(json.dumps({"id": "fam-" + pid, "schema": "Family",
                                            "properties": {"person": ["hub"], "relative": [pid]},
                                            "ura": {"marking": {"accuracy": 2, "classification": "unclassified",
                                                                "handling": "H0", "reliability": "B"}}}) + "\n")
        cls.cli("ingest", "--ftm", path)
        cls.cli("user", "add", "root-admin", "--role", "admin", "--clearance", "secret")
        cls.mappings = os.path.join(cls.tmp, "mappings")
        os.mkdir(cls.mappings)
        with open(os.path.join(cls.mappings, "tips.yml"), "w") as f:
            f.write("source: {name: tips, format: csv}\n"
                    "defaults: {handling: H0, classification: restricted, reliability: C, accuracy: 3}\n"
                    "queries:\n  - entities:\n      person:\n        schema: Person\n        keys: [ref]\n"
                    "        need_to_know: case\n        properties:\n          name: {column: name}\n"
                    "          birthDate: {column: dob}\n")
        # The request log goes to a file: an undrained pipe would fill and stall the server.
        cls.log = open(os.path.join(cls.tmp, "server.log"), "w")
        cls.server = subprocess.Popen([URA, "--data", cls.store, "--key-file", cls.key, "serve", "--listen",
                                       "127.0.0.1:0", "--mappings", cls.mappings],
                                      stdout=subprocess.PIPE, stderr=cls.log, text=True)
        line = cls.server.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert m, line + open(cls.log.name).read()
        cls.host = "127.0.0.1:%s" % m.group(1)
        cls.admin = cls.login_as("root-admin")
        # Users through the API: each consulting role at each clearance, member of OC-1 or not;
        # one auditor, one administrator, one service account.
        cls.tokens = {}
        for role in CONSULTING_ROLES:
            for clearance in CLASSIFICATIONS:
                for member in (False, True):
                    name = "%s-%s-%s" % (role[:3], clearance[:3], "m" if member else "n")
                    cls.add_user(name, role, clearance)
                    if member:
                        status, body = cls.request("PUT", "/api/v1/users/%s/cases" % name, {"cases": ["OC-1"]},
                                                   token=cls.admin)
                        assert status == 200 and body["cases"] == ["OC-1"], body
                    cls.tokens[(role, clearance, member)] = cls.login_as(name)
        for role in ("auditor", "admin"):
            cls.add_user(role + "-1", role, "secret")
            cls.tokens[(role, "secret", True)] = cls.login_as(role + "-1")
        status, body = cls.request("POST", "/api/v1/users", {"name": "feed", "role": "service"}, token=cls.admin)
        assert status == 201 and body["api_token"].startswith("ura_"), body
        cls.tokens[("service", "restricted", False)] = body["api_token"]
        status, body = cls.request("POST", "/api/v1/users", {"name": "puller", "role": "backup"}, token=cls.admin)
        assert status == 201 and body["api_token"].startswith("ura_"), body
        cls.tokens[("backup", "restricted", False)] = body["api_token"]

    @classmethod
    def tearDownClass(cls):
        if cls.server.poll() is None:
            cls.server.terminate()
        cls.server.communicate(timeout=30)
        cls.log.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def cli(cls, *args, keyed=True):
        return run_cli(cls.store, cls.key, *args, keyed=keyed)

    @classmethod
    def request(cls, method, path, body=None, token=None, justification="case OC-1/2026", raw=None,
                content_type="application/json"):
        conn = http.client.HTTPConnection(cls.host, timeout=60)
        headers = {}
        if token:
            headers["Authorization"] = "Bearer " + token
        if justification:
            headers["X-Justification"] = justification
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        text = r.read()
        conn.close()
        return r.status, json.loads(text or b"null")

    @classmethod
    def login_as(cls, name):
        status, body = cls.request("POST", "/api/v1/login", {"user": name, "password": PASSWORD})
        assert status == 200, (name, body)
        return body["token"]

    @classmethod
    def add_user(cls, name, role, clearance):
        status, body = cls.request("POST", "/api/v1/users", {"name": name, "role": role, "clearance": clearance,
                                                             "password": PASSWORD}, token=cls.admin)
        assert status == 201, (name, body)

    def call_endpoint(self, endpoint, token):
        visible = entity_id("H0", "unclassified", "none")
        if endpoint == "search":
            return self.request("GET", "/api/v1/search?q=Arben%20Coci&limit=100", token=token)
        if endpoint == "view":
            return self.request("GET", "/api/v1/entities/" + visible, token=token)
        if endpoint == "history":
            return self.request("GET", "/api/v1/entities/%s/history" % visible, token=token)
        if endpoint == "audit":
            return self.request("GET", "/api/v1/audit?limit=1&action=nothing", token=token)
        if endpoint == "users":
            return self.request("GET", "/api/v1/users", token=token)
        if endpoint == "head":
            return self.request("GET", "/api/v1/head", token=token)
        if endpoint == "verify-status":
            return self.request("GET", "/api/v1/verify", token=token)
        if endpoint == "verify-run":
            return self.request("POST", "/api/v1/verify", token=token)
        if endpoint == "ingest":
            return self.request("POST", "/api/v1/ingest?mapping=tips", token=token,
                                raw=b"ref,name,dob,case\nT0,Vera Matrix,1990-01-02,\n", content_type="text/csv")
        raise AssertionError(endpoint)

    def test_every_endpoint_for_every_role(self):
        checked = 0
        for (role, clearance, member), token in sorted(self.tokens.items()):
            for endpoint, want in zip(ENDPOINTS, ROLE_TABLE[role]):
                status, body = self.call_endpoint(endpoint, token)
                self.assertEqual(status, want, (role, clearance, member, endpoint, body))
                if status >= 400:
                    self.assertEqual(set(body), {"code", "message"})
                checked += 1
        self.assertEqual(checked, len(self.tokens) * len(ENDPOINTS))

    def test_records_seen_are_exactly_what_the_tables_allow(self):
        leaks = misses = 0
        for role in CONSULTING_ROLES:
            for clearance in CLASSIFICATIONS:
                for member in (False, True):
                    token = self.tokens[(role, clearance, member)]
                    expected = {entity_id(h, c, k) for h in HANDLING for c in CLASSIFICATIONS for k in CASES
                                if may_see(clearance, member, h, c, k)}
                    status, body = self.request("GET", "/api/v1/search?q=Arben%20Coci&limit=100", token=token)
                    self.assertEqual(status, 200, body)
                    shown = {r["id"] for r in body["results"]} | {i for r in body["results"] for i in r["same_caption"]}
                    leaks += len(shown - expected)
                    misses += len(expected - shown)
                    self.assertEqual(shown, expected, (role, clearance, member))
                    # By id: the entity and its history; hidden ones answer exactly like missing ones.
                    for h in HANDLING:
                        for c in CLASSIFICATIONS:
                            for k in CASES:
                                pid = entity_id(h, c, k)
                                status, body = self.request("GET", "/api/v1/entities/" + pid, token=token)
                                self.assertEqual(status, 200 if pid in expected else 404, (role, clearance, member, pid))
                                if status == 404:
                                    self.assertEqual(body["message"], "no entity " + pid)
                                else:
                                    self.assertEqual(body["marking"]["handling"], h)
                                if role == "analyst":  # the history follows the same rule (one role: time)
                                    status, _ = self.request("GET", "/api/v1/entities/%s/history" % pid, token=token)
                                    self.assertEqual(status, 200 if pid in expected else 404, (clearance, member, pid))
                    # The hub's dossier links only to what the user may see.
                    status, hub = self.request("GET", "/api/v1/entities/hub", token=token)
                    self.assertEqual(status, 200)
                    linked = {l["other"]["id"] for l in hub["links"] if "other" in l}
                    self.assertEqual(linked, expected, (role, clearance, member))
        self.assertEqual((leaks, misses), (0, 0))
        missing = self.request("GET", "/api/v1/entities/p-nobody", token=self.tokens[("analyst", "secret", True)])
        self.assertEqual(missing, (404, {"code": "not_found", "message": "no entity p-nobody"}))

    def audit_records(self, **filters):
        status, body = self.request("GET", "/api/v1/audit?" + urllib.parse.urlencode(filters),
                                    token=self.tokens[("auditor", "secret", True)], justification="audit review 7")
        self.assertEqual(status, 200, body)
        return body["records"]

    def test_a_scripted_session_leaves_exactly_its_audit_records(self):
        self.add_user("scripted", "investigator", "confidential")
        token = self.login_as("scripted")
        status, found = self.request("GET", "/api/v1/search?q=Arben%20Coci&limit=5", token=token)
        self.assertEqual(status, 200)
        shown = sorted({r["id"] for r in found["results"]} | {i for r in found["results"] for i in r["same_caption"]})
        self.assertEqual(self.request("GET", "/api/v1/entities/p-H0-restricted-none", token=token)[0], 200)
        self.assertEqual(self.request("GET", "/api/v1/entities/p-H1-restricted-none/history", token=token)[0], 200)
        self.assertEqual(self.request("GET", "/api/v1/entities/p-H0-secret-none", token=token)[0], 404)  # hidden
        self.assertEqual(self.request("GET", "/api/v1/entities/p-nobody", token=token)[0], 404)  # missing
        self.assertEqual(self.request("GET", "/api/v1/audit", token=token)[0], 403)  # not an auditor
        self.assertEqual(self.request("GET", "/api/v1/search?q=Arben", token=token, justification=None)[0], 400)
        self.assertEqual(self.request("POST", "/api/v1/logout", token=token)[0], 200)
        records = self.audit_records(user="scripted")
        got = [(r["action"], r["outcome"], r["objects"], r["justification"]) for r in records]
        why = "case OC-1/2026"
        self.assertEqual(sorted(got[1][2]), shown)  # the search record lists exactly the ids shown
        got[1] = (got[1][0], got[1][1], "ids shown", got[1][3])
        self.assertEqual(got, [
            ("login", "ok", [], "log-on"),
            ("search", "ok", "ids shown", why),
            ("view", "ok", ["p-H0-restricted-none", "fam-p-H0-restricted-none", "hub"], why),
            ("history", "ok", ["p-H1-restricted-none", "fam-p-H1-restricted-none", "hub"], why),
            ("view", "denied", ["p-H0-secret-none"], why),
            ("view", "not-found", ["p-nobody"], why),
            ("audit-read", "denied", [], ""),
            ("logout", "ok", [], "log-off"),
        ])
        for r in records:
            self.assertEqual(r["user"], "scripted")
            self.assertEqual(r["client"], "127.0.0.1")
            self.assertGreater(r["time_us"], 1700000000000000)

    def test_failed_logons_and_a_lockout_are_recorded(self):
        self.add_user("target", "analyst", "restricted")
        for _ in range(5):
            self.assertEqual(self.request("POST", "/api/v1/login", {"user": "target", "password": "wrong guess 1"})[0], 401)
        self.assertEqual(self.request("POST", "/api/v1/login", {"user": "target", "password": PASSWORD})[0], 423)
        outcomes = [r["outcome"] for r in self.audit_records(user="target", action="login")]
        self.assertEqual(outcomes, ["bad-credentials"] * 5 + ["locked"])
        lockouts = self.audit_records(user="target", action="lockout")
        self.assertEqual([(r["outcome"], r["client"]) for r in lockouts], [("locked", "127.0.0.1")])
        self.assertIn("locked until", lockouts[0]["detail"])
        # An administrator lifts the lockout (audited), and the user logs on.
        self.assertEqual(self.request("POST", "/api/v1/users/target/unlock", token=self.admin)[0], 200)
        self.login_as("target")
        self.assertEqual([r["action"] for r in self.audit_records(action="user-unlock")], ["user-unlock"])

    def test_user_administration_and_its_bad_input(self):
        self.add_user("changing", "investigator", "restricted")
        token = self.login_as("changing")
        cases = [
            ("POST", "/api/v1/users", {"name": "x", "role": "investigator", "password": PASSWORD}, 400),
            ("POST", "/api/v1/users", {"name": "newbie", "role": "chief", "password": PASSWORD}, 400),
            ("POST", "/api/v1/users", {"name": "newbie", "role": "analyst", "password": "short"}, 400),
            ("POST", "/api/v1/users", {"name": "newbie", "role": "analyst", "password": PASSWORD, "root": True}, 400),
            ("POST", "/api/v1/users", {"name": 7, "role": "analyst", "password": PASSWORD}, 400),
            ("POST", "/api/v1/users", {"name": "changing", "role": "analyst", "password": PASSWORD}, 409),
            ("PUT", "/api/v1/users/changing/role", {"role": "analyst"}, 400),
            ("PUT", "/api/v1/users/changing/cases", {"cases": "OC-1"}, 400),
            ("PUT", "/api/v1/users/changing/cases", {"cases": ["bad\ncase"]}, 400),
            ("PUT", "/api/v1/users/nobody/cases", {"cases": []}, 404),
            ("PUT", "/api/v1/users/root-admin/role", {"role": "investigator", "clearance": "secret"}, 400),
            ("POST", "/api/v1/users/root-admin/disable", None, 400),
            ("POST", "/api/v1/users/..%2f..%2fetc/disable", None, 404),
        ]
        for method, path, body, want in cases:
            status, answer = self.request(method, path, body, token=self.admin)
            self.assertEqual(status, want, (path, body, answer))
            self.assertEqual(set(answer), {"code", "message"})
        status, _ = self.request("POST", "/api/v1/users", raw=b"{\"name\": \"a\xff\"}", token=self.admin)
        self.assertEqual(status, 400)
        # A role change takes effect on the next request; a new password ends the user's sessions.
        self.assertEqual(self.request("GET", "/api/v1/search?q=Arben", token=token)[0], 200)
        status, body = self.request("PUT", "/api/v1/users/changing/role", {"role": "auditor", "clearance": "secret"},
                                    token=self.admin)
        self.assertEqual((status, body["role"]), (200, "auditor"))
        self.assertEqual(self.request("GET", "/api/v1/search?q=Arben", token=token)[0], 403)
        self.assertEqual(self.request("PUT", "/api/v1/users/changing/password", {"password": "a whole new pass 9"},
                                      token=self.admin)[0], 200)
        self.assertEqual(self.request("GET", "/api/v1/head", token=token)[0], 401)
        self.assertEqual(self.request("POST", "/api/v1/users/changing/disable", token=self.admin)[0], 200)
        status, _ = self.request("POST", "/api/v1/login", {"user": "changing", "password": "a whole new pass 9"})
        self.assertEqual(status, 401)
        status, users = self.request("GET", "/api/v1/users", token=self.admin)
        mine = [u for u in users["users"] if u["name"] == "changing"][0]
        self.assertEqual((mine["role"], mine["disabled"]), ("auditor", True))
        self.assertNotIn("password_hash", json.dumps(users))
        # The changes are journal entries: they survive a restart (read back by the CLI).
        actions = [r["action"] for r in self.audit_records(action="user-role")]
        self.assertIn("user-role", actions)

    def test_upload_maps_stores_and_returns_rejects(self):
        token = self.tokens[("analyst", "secret", True)]
        csv = b"ref,name,dob,case\nT1,Teuta Berisha,1990-01-02,\nT2,Ilir Krasniqi,not a date,\nT3,Drita Gashi,1985-05-05,OC-2\n"
        status, body = self.request("POST", "/api/v1/ingest?mapping=tips", token=token, raw=csv,
                                    content_type="text/csv")
        self.assertEqual(status, 200, body)
        self.assertEqual((body["read"], body["written"], body["rejected"]), (3, 2, 1))
        self.assertEqual(body["rejects"][0]["row"], 2)
        self.assertIn("birthDate", json.dumps(body["rejects"]))
        status, found = self.request("GET", "/api/v1/search?q=Teuta%20Berisha", token=token)
        self.assertEqual([r["caption"] for r in found["results"]][:1], ["Teuta Berisha"])
        # T3 is need-to-know for OC-2: not even a secret-cleared OC-1 member finds her.
        status, found = self.request("GET", "/api/v1/search?q=Drita%20Gashi", token=token)
        self.assertNotIn("Drita Gashi", [r["caption"] for r in found["results"]])
        for query, want in [("mapping=..%2F..%2Fetc%2Fpasswd", 400), ("mapping=nothing", 404), ("", 400),
                            ("mapping=TIPS", 400)]:
            status, body = self.request("POST", "/api/v1/ingest?" + query, token=token, raw=csv, content_type="text/csv")
            self.assertEqual(status, want, (query, body))
        status, body = self.request("POST", "/api/v1/ingest?mapping=tips", token=token, raw=b"\xff\xfe\x00garbage",
                                    content_type="text/csv")
        self.assertIn(status, (400, 422), body)
        self.assertNotIn("/proc/", json.dumps(body))
        self.assertIn("the upload", json.dumps(body))
        uploads = self.audit_records(action="ingest")
        self.assertTrue(any("2 entity versions written, 1 records rejected" in r["detail"] for r in uploads), uploads)

    def test_verify_runs_and_reports(self):
        status, body = self.request("POST", "/api/v1/verify", token=self.tokens[("auditor", "secret", True)])
        self.assertEqual(status, 200, body)
        self.assertEqual(body["state"], "intact")
        self.assertGreater(body["tree_size"], 0)
        self.assertEqual(body["witnesses"], [])  # none expected, none found
        # Kept beside the store for the next server, so a restart does not forget it.
        with open(os.path.join(self.store, "last-verify.json")) as f:
            self.assertEqual(json.load(f)["tree_size"], body["tree_size"])
        status, last = self.request("GET", "/api/v1/verify", token=self.tokens[("investigator", "restricted", False)])
        self.assertEqual((status, last["state"]), (200, "intact"))
        self.assertEqual([r["outcome"] for r in self.audit_records(action="verify")][-1:], ["ok"])
        # A damaged cosignature file is reported, not skipped: the journal verifies, the
        # witness check does not.
        cosignatures = os.path.join(self.store, "cosignatures")
        os.makedirs(cosignatures, exist_ok=True)
        with open(os.path.join(cosignatures, "cut.json"), "w") as f:
            f.write('{"format": "ura-cosignature", "version": 1, "head": {')
        try:
            status, body = self.request("POST", "/api/v1/verify", token=self.tokens[("auditor", "secret", True)])
        finally:
            shutil.rmtree(cosignatures)
        self.assertEqual((status, body["state"]), (200, "witness"), body)
        self.assertIn("cut.json", body["problem"])
        self.assertFalse(body["witnesses"][0]["ok"])
        self.assertEqual([r["outcome"] for r in self.audit_records(action="verify")][-1:], ["failed"])


if __name__ == "__main__":
    unittest.main()
