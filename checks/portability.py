"""Portability of a certificate: the same statuses on every code path XLA may pick for this CPU.

XLA's CPU backend compiles for the host's instruction set (``XLA_FLAGS=--xla_cpu_max_isa=...`` caps it),
and the roundings of ``exp``, ``log`` and the vectorised reductions differ between code paths. A verdict
must not: ``compare`` puts certificates (``claims.json``) of the same registry side by side and names every
claim x dtype whose status moves (an error: the claim states one machine's rounding) and, on request,
every one whose evidence moves (expected: evidence is what this run measured, its bounds are the claim).

    python -m checks.portability isas                 the ISAs this CPU runs, of SSE4_2 AVX AVX2 AVX512
    python -m checks.portability compare BASE DIR...  exit 1 if a status differs from BASE's
                                     [--evidence]     and list the claims whose evidence moves
"""
from __future__ import annotations

import argparse
import json
import pathlib
import sys

from checks.engine import platform

# XLA's names for --xla_cpu_max_isa, each with the /proc/cpuinfo flag that says the CPU has it
ISAS = {"SSE4_2": "sse4_2", "AVX": "avx", "AVX2": "avx2", "AVX512": "avx512f"}


def isas(flags=None) -> tuple[list[str], list[str]]:
    """(the ISAs of ``ISAS`` this CPU runs, those it lacks or that cannot be told: no /proc/cpuinfo)."""
    flags = platform.cpu_info()[1] if flags is None else flags
    have = [isa for isa, flag in ISAS.items() if flag in flags]
    return have, [isa for isa in ISAS if isa not in have]


def load(directory) -> dict:
    """``{(claim id, dtype): (status, evidence rows of that dtype)}`` of the certificate in ``directory``."""
    path = pathlib.Path(directory) / "claims.json"
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise SystemExit(f"portability: no readable certificate at {path}: {e}") from None
    return {(c["id"], dt): (status, [e for e in c["evidence"] if e["dtype"] == dt])
            for c in doc["claims"] for dt, status in c["status_by_dtype"].items()}


def _row_moves(a, b):
    """The fields of two evidence rows (the same check, the same position) that differ: ``[(field, a, b)]``."""
    return [(k, a.get(k), b.get(k)) for k in ("oracle", "points", "max_error", "tolerance", "oracle_wrong", "note")
            if a.get(k) != b.get(k)]


def compare(base: dict, other: dict):
    """(status moves ``[(claim, dtype, base, other)]``, evidence moves ``{(claim, dtype): [(row, field, a, b)]}``).

    A claim x dtype certified in one run only is a status move (``"absent"`` on the other side).
    """
    statuses, evidence = [], {}
    for key in sorted(set(base) | set(other)):
        (sa, ea), (sb, eb) = base.get(key, ("absent", [])), other.get(key, ("absent", []))
        if sa != sb:
            statuses.append((*key, sa, sb))
        moves = [(i, *m) for i, (a, b) in enumerate(zip(ea, eb)) for m in _row_moves(a, b)]
        if len(ea) != len(eb):
            moves.append((min(len(ea), len(eb)), "rows", len(ea), len(eb)))
        if moves:
            evidence[key] = moves
    return statuses, evidence


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m checks.portability")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("isas", help="print the ISAs this CPU runs (of SSE4_2 AVX AVX2 AVX512); the others on stderr")
    cmp_ = sub.add_parser("compare", help="statuses (and evidence) of certificates against BASE's")
    cmp_.add_argument("base")
    cmp_.add_argument("others", nargs="*")
    cmp_.add_argument("--evidence", action="store_true", help="also list the claims whose evidence moves")
    ns = ap.parse_args(argv)

    if ns.cmd == "isas":
        have, lack = isas()
        if lack:
            print(f"this CPU lacks {', '.join(lack)}: not run", file=sys.stderr)
        print(" ".join(have))
        return 0

    base, moved = load(ns.base), 0
    if not ns.others:
        print(f"{ns.base}: no other certificate to compare with (no other code path on this CPU)")
    for directory in ns.others:
        statuses, evidence = compare(base, load(directory))
        moved += len(statuses)
        print(f"{directory} against {ns.base}: {len(statuses)} of {len(base)} claim x dtype change status, "
              f"{len(evidence)} change evidence")
        for cid, dtype, a, b in statuses:
            print(f"  STATUS {cid} [{dtype}]: {a} -> {b}")
        if ns.evidence:
            for (cid, dtype), moves in evidence.items():
                print(f"  evidence {cid} [{dtype}]: " + "; ".join(
                    f"row {i} {field}: {a!r} -> {b!r}" for i, field, a, b in moves[:3])
                    + (f"; and {len(moves) - 3} more" if len(moves) > 3 else ""))
    return 1 if moved else 0


if __name__ == "__main__":
    sys.exit(main())
