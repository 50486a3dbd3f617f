"""``python -m checks``: certify claims from the command line, or replay a counterexample.

    python -m checks run [CLAIM_ID ...] [--dtype float32] [--profile dev]
    python -m checks repro CLAIM_ID --dtype float64 --args '[40.0]' [--as-written]
    python -m checks prove [CLAIM_ID ...] [--seconds 10]
"""
from __future__ import annotations

import argparse
import json
import sys

from checks.engine import registry, report, runner
from checks.engine.claim import DeclarationError


def _find(claims, claim_id):
    for c in claims:
        if c.id == claim_id:
            return c
    sys.exit(f"no claim {claim_id!r}; known ids start with: {', '.join(sorted({c.id.split('.')[0] for c in claims}))}")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m checks")
    ap.add_argument("--claims", action="append", default=[], help="extra claims module or directory")
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="certify claims and print the evidence")
    run.add_argument("ids", nargs="*")
    run.add_argument("--dtype", choices=("float32", "float64"), action="append")
    run.add_argument("--profile", choices=sorted(runner.BUDGETS), default="dev")
    rep = sub.add_parser("repro", help="evaluate every oracle of a claim at one point")
    rep.add_argument("id")
    rep.add_argument("--dtype", choices=("float32", "float64"), required=True)
    rep.add_argument("--args", required=True, help="JSON list: one entry per argument of the check")
    rep.add_argument("--as-written", action="store_true", help="the erratum's as-written form")
    pr = sub.add_parser("prove", help="the proof oracle alone: prove each claim over the reals (SymPy), print a summary")
    pr.add_argument("ids", nargs="*")
    pr.add_argument("--seconds", type=float, default=None, help="time cap per check (default $CERTIFY_PROOF_SECONDS or 10)")
    ns = ap.parse_args(argv)
    try:
        claims = registry.load(ns.claims)
    except DeclarationError as e:
        sys.exit(f"claim declaration error: {e}")

    if ns.cmd == "repro":
        claim = _find(claims, ns.id)
        check = claim.as_written_check if ns.as_written else claim.check
        if check is None:
            sys.exit(f"claim {claim.id!r} has no {'as-written ' if ns.as_written else ''}check")
        try:
            point = json.loads(ns.args)
            print(json.dumps(report.json_safe(runner.explain(claim, check, ns.dtype, point)), indent=2))
        except (json.JSONDecodeError, DeclarationError) as e:
            sys.exit(f"repro: {e}")
        return 0

    if ns.cmd == "prove":
        from checks.engine import proof_summary

        return proof_summary.main([_find(claims, i) for i in ns.ids] if ns.ids else claims, ns.seconds)

    failed = 0
    for claim in [_find(claims, i) for i in ns.ids] if ns.ids else claims:  # an unknown id is an error
        for dtype in ns.dtype or ("float32", "float64"):
            try:
                out = runner.certify(claim, dtype, runner.BUDGETS[ns.profile])
            except Exception as e:  # noqa: BLE001 - a check that raises is this claim's error, not the run's end
                out = runner.Outcome(claim.id, dtype, status="error", message=f"{type(e).__name__}: {e}")
            failed += not out.ok
            print(f"{claim.id} [{dtype}] {out.status} {out.message}")
            for e in out.evidence:
                extra = f" (autodiff wrong at {e.oracle_wrong} points: see findings)" if e.oracle_wrong else ""
                print(f"    {e.oracle:24s} points={e.points:<8d} max_error={e.max_error:<10.3g} tol={e.tolerance}{extra}")
            if out.counterexample:
                print(f"    counterexample: {json.dumps(out.counterexample)}")
            for f in out.findings[:2]:
                print(f"    finding: {json.dumps(f)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
