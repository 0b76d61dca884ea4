"""Community recall of the generator's planted groups (issue 8), and what money ties could add.

    URA_BIN=build/release/apps/ura python3 bench/community_recall.py [--persons N] [SEED ...]

For each seed (default 3 4 5 6: the e2e test's 3, 4, 5 and a fourth held out), generates N
persons (default 4,000), ingests every source, runs resolution, then takes the communities of
`ura graph communities` over the links between people (the e2e test's edge types, resolution
0.5) and scores them as tests/e2e/test_graph.py does: a group is recovered when one community
holds persons with Jaccard >= 0.8 of its members. Then it measures, on the same communities:

- oracle ceilings (they read the truth, so they bound any method; they are not methods): every
  member missing from the group's best community added back if the community they were put in
  has (a) any payment, (b) two or more payments, (c) payments on two occasions 30+ days apart,
  with the best community or with a person-less community (a front company's accounts) that has
  two such occasions with it;
- methods that read no truth, applied after community detection to "loose" communities (ones no
  link between people joins to any other: that is where every member missed sits), each moving
  such a community into a larger one (more nodes; for `significant`, more payments) it has money
  ties with:
  - `min2`: two or more payments with one community, more than with any other;
  - `min2+majority`: the same, and more than half of the community's payments;
  - `significant a=A`: ties counted as occasions (payments within 30 days of the previous one
    count once, so a laundering burst is one occasion), two or more, and fewer than chance
    would give: Poisson tail of the occasions given both sides' payment counts, times the number
    of communities it pays (Bonferroni), <= A; up to three rounds (a front company joins its
    group, then those who pay it);
  - `recurring pair`: two accounts that paid each other on two occasions 30+ days apart;
  for each, per-seed recall and the persons it moved: into their own group's community, into
  another group's, or into a community of no group (the generator's background payments are
  random, so those are chance ties).
Nothing here is part of Ura; it reads its command line output only.
"""
import argparse
import collections
import datetime
import json
import math
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import test_graph  # noqa: E402  (Store, PEOPLE_LINKS: the e2e test's data and edge types)

WINDOW = 30  # days: payments closer than this to the previous one are one occasion


def occasions(days):
    count, last = 0, None
    for d in sorted(days):
        if last is None or d - last > WINDOW:
            count, last = count + 1, d
    return count


def day_number(date):
    return datetime.date.fromisoformat(date[:10]).toordinal()


def poisson_tail(k, lam):  # P(X >= k)
    term, below = math.exp(-lam), 0.0
    for i in range(k):
        below += term
        term *= lam / (i + 1)
    return max(0.0, 1.0 - below)


class Seed:
    def __init__(self, tmp, seed):
        self.seed = seed
        s = test_graph.Store(tmp, seed)
        truth = {(src, rec): p for p, src, rec in s.truth_rows("persons.csv")}
        self.person_of = {}
        for line in s.ura("export", "--ftm", "--schema", "Person").stdout.splitlines():
            e = json.loads(line)
            for provenance in e["ura"]["p"].values():
                for src, rec, _ in provenance:
                    if (src, rec) in truth:
                        self.person_of[e["id"]] = truth[(src, rec)]
        self.groups = collections.defaultdict(set)
        for group, person, _ in s.truth_rows("groups.csv"):
            self.groups[group].add(person)
        self.group_of = {p: g for g, members in self.groups.items() for p in members}
        args = ("--type", test_graph.PEOPLE_LINKS, "--min-size", "1", "--limit", "1000000")
        self.community = {}
        for k, c in enumerate(s.json("graph", "communities", *args, "--resolution", "0.5")["groups"]):
            for m in c["members"]:
                self.community[m] = k
        # A community is loose when it is a whole connected component of the people links.
        component_sizes = collections.Counter()
        component_of = {}
        for k, c in enumerate(s.json("graph", "components", *args)["groups"]):
            component_sizes[k] = len(c["members"])
            for m in c["members"]:
                component_of[m] = k
        community_sizes = collections.Counter(self.community.values())
        self.loose = {c for n, c in self.community.items() if community_sizes[c] == component_sizes[component_of[n]]}
        self.payments = []  # (payer account, beneficiary account, day)
        for line in s.ura("export", "--ftm", "--schema", "Payment").stdout.splitlines():
            p = json.loads(line)["properties"]
            if "payerAccount" in p and "beneficiaryAccount" in p and "date" in p:
                self.payments.append((p["payerAccount"][0], p["beneficiaryAccount"][0], day_number(p["date"][0])))

    def persons(self, community):
        out = collections.defaultdict(set)
        for node, c in community.items():
            if node in self.person_of:
                out[c].add(self.person_of[node])
        return out

    def best(self, community):
        """Per group: (best Jaccard, best community)."""
        persons = self.persons(community)
        out = {}
        for g, members in self.groups.items():
            out[g] = max(((len(members & p) / len(members | p), c) for c, p in persons.items() if members & p),
                         default=(0.0, None))
        return out

    def ties(self, community):
        """Days of payments between communities, and each community's payment count."""
        days = collections.defaultdict(lambda: collections.defaultdict(list))
        strength = collections.Counter()
        for a, b, day in self.payments:
            ca, cb = community.get(a), community.get(b)
            if ca is None or cb is None:
                continue
            strength[ca] += 1
            strength[cb] += 1
            if ca != cb:
                days[ca][cb].append(day)
                days[cb][ca].append(day)
        return days, strength


def ceiling(s, rule):
    community = s.community
    days, _ = s.ties(community)
    persons = s.persons(community)
    scores = []
    for g, (j, bc) in s.best(community).items():
        members = s.groups[g]
        kept = persons[bc] if bc is not None else set()
        hubs = {d for d, dl in days[bc].items() if not persons[d] and occasions(dl) >= 2}
        gained = set()
        for p in members - kept:
            for c in {c for c, ps in persons.items() if p in ps}:
                dl = days[c][bc] + [x for h in hubs for x in days[c][h]]
                if rule(dl):
                    gained.add(p)
        scores.append(len(members & (kept | gained)) / len(members | kept | gained))
    return scores


def move(community, moves):
    moves = {c: d for c, d in moves.items() if d not in moves}  # a target does not move itself
    return {n: moves.get(c, c) for n, c in community.items()}, bool(moves)


def attach_counted(s, min_payments, majority):
    days, strength = s.ties(s.community)
    size = collections.Counter(s.community.values())
    moves = {}
    for c, per in days.items():
        if c not in s.loose:
            continue
        ranked = sorted(((len(dl), d) for d, dl in per.items()), reverse=True) + [(0, None)]
        (k, d), (k2, _) = ranked[0], ranked[1]
        if k >= min_payments and k > k2 and size[d] > size[c] and (not majority or 2 * k > strength[c]):
            moves[c] = d
    return move(s.community, moves)[0]


def attach_significant(s, alpha, rounds=3):
    community = dict(s.community)
    loose = set(s.loose)
    for _ in range(rounds):
        days, strength = s.ties(community)
        total = sum(strength.values())
        moves = {}
        for c, per in days.items():
            if c not in loose:
                continue
            best = None
            for d, dl in per.items():
                k = occasions(dl)
                if k < 2 or strength[d] <= strength[c]:
                    continue
                p = poisson_tail(k, strength[c] * strength[d] / total) * len(per)
                if p <= alpha and (best is None or p < best[0]):
                    best = (p, d)
            if best:
                moves[c] = best[1]
        community, moved = move(community, moves)
        if not moved:
            break
    return community


def attach_recurring_pair(s):
    pairs = collections.defaultdict(list)
    for a, b, day in s.payments:
        pairs[(min(a, b), max(a, b))].append(day)
    size = collections.Counter(s.community.values())
    votes = collections.defaultdict(collections.Counter)
    for (a, b), dl in pairs.items():
        ca, cb = s.community.get(a), s.community.get(b)
        if ca is not None and cb is not None and ca != cb and occasions(dl) >= 2:
            votes[ca][cb] += 1
            votes[cb][ca] += 1
    moves = {}
    for c, v in votes.items():
        ranked = v.most_common(2) + [(None, 0)]
        (d, k), (_, k2) = ranked[0], ranked[1]
        if c in s.loose and k > k2 and size[d] > size[c]:
            moves[c] = d
    return move(s.community, moves)[0]


def moved_persons(s, after):
    """Persons moved: (into their own group's community, into another group's, into no group's)."""
    before_persons, after_persons = s.persons(s.community), s.persons(after)
    own, other, none = set(), set(), set()
    for node, c in s.community.items():
        if node not in s.person_of or after[node] == c:
            continue
        p = s.person_of[node]
        joined = collections.Counter(s.group_of.get(q) for q in after_persons[after[node]] - before_persons[c])
        target = joined.most_common(1)[0][0] if joined else None
        (own if target and target == s.group_of.get(p) else other if target else none).add(p)
    return len(own), len(other), len(none)


def line(name, per_seed, moved=None):
    total = [x for scores in per_seed.values() for x in scores]
    cells = " ".join("%d:%d/%d" % (seed, sum(x >= 0.8 for x in sc), len(sc)) for seed, sc in per_seed.items())
    extra = "" if moved is None else "  moved persons: own group %d, other group %d, no group %d" % moved
    print("%-22s %s  all %.3f%s" % (name, cells, sum(x >= 0.8 for x in total) / len(total), extra))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=test_graph.PERSONS)
    parser.add_argument("seeds", nargs="*", type=int, default=[3, 4, 5, 6])
    a = parser.parse_args()
    test_graph.PERSONS = a.persons
    with tempfile.TemporaryDirectory(prefix="ura-community-recall-") as tmp:
        seeds = [Seed(tmp, seed) for seed in a.seeds]
    line("people links (today)", {s.seed: [j for j, _ in s.best(s.community).values()] for s in seeds})
    line("ceiling: any payment", {s.seed: ceiling(s, lambda dl: len(dl) >= 1) for s in seeds})
    line("ceiling: 2+ payments", {s.seed: ceiling(s, lambda dl: len(dl) >= 2) for s in seeds})
    line("ceiling: 2+ occasions", {s.seed: ceiling(s, lambda dl: occasions(dl) >= 2) for s in seeds})
    methods = [("min2", lambda s: attach_counted(s, 2, False)),
               ("min2+majority", lambda s: attach_counted(s, 2, True)),
               ("significant a=0.001", lambda s: attach_significant(s, 0.001)),
               ("significant a=0.01", lambda s: attach_significant(s, 0.01)),
               ("recurring pair", attach_recurring_pair)]
    for name, method in methods:
        after = {s.seed: method(s) for s in seeds}
        moved = [moved_persons(s, after[s.seed]) for s in seeds]
        line(name, {s.seed: [j for j, _ in s.best(after[s.seed]).values()] for s in seeds},
             tuple(sum(m[i] for m in moved) for i in range(3)))


if __name__ == "__main__":
    main()
