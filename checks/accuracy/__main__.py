"""``python -m checks.accuracy``: the accuracy table, the exact thresholds, the findings, the ratchet.

    python -m checks.accuracy [--points N] [--out reports] [--only sigmoid softmax ...]
                              [--update-ratchet [--loosen]] [--no-thresholds]

Writes ``reports/accuracy.json`` and ``reports/ACCURACY.md``. Exit status 1 if a
stable form exceeds its stated bound or regresses beyond the ratchet.
``CHECKS_ACCURACY_POINTS`` sets the default number of points per function and dtype.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

from checks.engine import platform

from . import measure as ms
from . import ratchet as rt
from . import report
from . import thresholds as th
from .implementations import FUNCTIONS, PRIMITIVES

DTYPES = ("float32", "float64")


def run(n, only=(), with_thresholds=True, log=print):
    jax = platform.configure()
    dtypes = [d for d in DTYPES if platform.supports(d) is None]
    rows, t0 = [], time.time()
    for fn in FUNCTIONS:
        if not only or fn.name in only:
            rows += [ms.measure(fn, d, n) for d in dtypes]
    log(f"measured {len(rows)} rows in {time.time() - t0:.1f}s")
    primitives = [ms.measure(p, d, n) for p in PRIMITIVES for d in dtypes] if not only else []
    thresholds, named = [], []
    if with_thresholds:
        t0 = time.time()
        for r in rows:
            for name in r.columns:
                thresholds += th.find(r, name)
        by_key = {(r.function.name, r.dtype): r for r in rows}
        named = [th.named(by_key[s.function, d], s) for s in th.NAMED for d in dtypes if (s.function, d) in by_key]
        log(f"thresholds in {time.time() - t0:.1f}s")
    env = platform.environment()
    return rows, report.build(rows, thresholds, named, primitives, env, n), jax.default_backend()


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m checks.accuracy", description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=int(os.environ.get("CHECKS_ACCURACY_POINTS", ms.DEFAULT_POINTS)))
    ap.add_argument("--out", default="reports")
    ap.add_argument("--only", nargs="*", default=())
    ap.add_argument("--no-thresholds", action="store_true")
    ap.add_argument("--update-ratchet", action="store_true")
    ap.add_argument("--loosen", action="store_true", help="with --update-ratchet: also raise regressed entries")
    ns = ap.parse_args(argv)

    t0 = time.time()
    rows, data, backend = run(ns.points, ns.only, not ns.no_thresholds)
    out = pathlib.Path(ns.out)
    out.mkdir(parents=True, exist_ok=True)
    report.write_json(data, out / "accuracy.json")
    (out / "ACCURACY.md").write_text(report.markdown(data))

    failed = 0
    for r in rows:
        ours = r.columns.get("ours")
        if ours is not None and ours.scaled_max > r.bound:
            failed += 1
            print(f"BOUND EXCEEDED {r.function.name} [{r.dtype}]: max {ours.scaled_max:g} > {r.bound:g}")
    ratchet = rt.load()
    if ns.update_ratchet:
        if ns.points != ms.DEFAULT_POINTS or ns.only:
            sys.exit("--update-ratchet records the full default point set: drop --points/--only")
        left = rt.update(rows, ratchet, backend, ns.points, ns.loosen)
        rt.save(ratchet)
        print(f"ratchet updated for backend {backend!r}" + (f"; {len(left)} regressions kept (use --loosen)" if left else ""))
        failed += len(left)
    elif ns.points != ratchet.get("points_per_row", ms.DEFAULT_POINTS):  # another point set: not comparable
        print(f"ratchet not compared: it was recorded on {ratchet.get('points_per_row')} points per row, "
              f"this run measured {ns.points}")
    else:
        worse, better, new = rt.compare(rows, ratchet, backend)
        for c in worse:
            print(f"RATCHET REGRESSION {c}")
        for c in better:
            print(f"ratchet can tighten: {c}")
        if new:
            print(f"{len(new)} entries not in the ratchet for backend {backend!r}: --update-ratchet records them")
        failed += len(worse)
    print(f"wrote {out / 'accuracy.json'} and {out / 'ACCURACY.md'} in {time.time() - t0:.1f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
