"""``make prove`` (``python -m checks prove``): the proof oracle alone over the registry, as a table and a count.

Each claim's check (and an erratum's as-written form) is proved with :func:`.proof.prove` under the same time cap
and cache as ``make certify``; the table gives each outcome with its route or its reason, and the count the share of
the identity and derivative claims that are proved (the issue's measure; inequalities are counted apart).
"""
from __future__ import annotations

import collections
import time

from . import proof
from .checks import Derivative, Identity
from .platform import configure


def rows(claims, cap=None):
    """(claim id, which check, kind, outcome) for every check a proof applies to."""
    configure()
    out = []
    for c in claims:
        for which, check in (("claim", c.check), ("as written", c.as_written_check)):
            if check is not None and proof.applies(check):
                out.append((c.id, which, type(check).__name__, proof.prove(check, cap)))
    return out


def counts(found):
    """{kind group: Counter of statuses} over the claims' own checks (not the as-written forms)."""
    by = collections.defaultdict(collections.Counter)
    for _, which, kind, out in found:
        if which == "claim":
            by["identity and derivative" if kind in (Identity.__name__, Derivative.__name__) else "inequality"][
                out["status"]] += 1
    return by


def main(claims, cap=None) -> int:
    t0 = time.perf_counter()
    found = rows(claims, cap)
    print(f"{'claim':48s} {'check':10s} {'kind':11s} {'status':10s} route or reason")
    for cid, which, kind, out in found:
        why = out.get("route") if out["status"] == proof.PROVED else out.get("reason", "")
        sizes = f" [n = {', '.join(map(str, out['sizes']))}]" if out.get("sizes") else ""
        print(f"{cid[:48]:48s} {which:10s} {kind:11s} {out['status']:10s} {why}{sizes}")
        if out.get("residual") and which == "as written":
            print(f"{'':48s} {'':10s} {'':11s} {'':10s} {out['residual']}")
    print()
    for group, c in counts(found).items():
        total = sum(c.values())
        print(f"{group} claims: {total}: " + ", ".join(f"{n} {s}" for s, n in sorted(c.items()))
              + f"; proved: {c[proof.PROVED]}/{total} = {c[proof.PROVED] / max(total, 1):.0%}")
    aw = collections.Counter(out["status"] for _, which, _, out in found if which == "as written")
    print("errata, as written: " + ", ".join(f"{n} {s}" for s, n in sorted(aw.items())))
    bad = [cid for cid, which, _, out in found if which == "claim" and out["status"] == proof.DISPROVED]
    print(f"{time.perf_counter() - t0:.1f} s")
    if bad:
        print("DISPROVED claims (not as-written forms): " + ", ".join(bad))
    return 1 if bad else 0
