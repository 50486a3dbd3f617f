"""Counterexamples a reader believes: a failing point made simple while it keeps failing decisively.

Hypothesis shrinks a failure toward the smallest example that still fails, which for a check with a tolerance is
the tolerance's edge (8.5 ulps against 8: a rounding quarrel), and the sweep's simplest failure is its smallest in
magnitude (a subnormal). Neither is what a reader checks by hand. :func:`simplest` starts from the failure found
and tries, simplest first, points whose entries are 0, ±1, ±2, ±1/2, integers, or the entries rounded to 1, 2, 3
significant digits, one entry at a time and all at once; it keeps a candidate only where the failure is
*decisive*: the exact oracle judges the point, and the result is wrong by ``DECISIVE`` times the tolerance, or
by as much as at the failure found where that is less (proven in the reals by the balls for a failure of the
mathematics; measured against the exact value, or between two computed sides, for one of floating point).
Deterministic, and bounded by ``MAX_POINTS`` evaluations.

Only the entries of components that say which values they hold (``admits``: :class:`~.domains.Real`,
:class:`~.domains.Logits`) change; probabilities, labels and masks are kept as found, and a masked ``-inf`` too.
"""
from __future__ import annotations

import math

import numpy as np

from .checks import Derivative, Exists
from .exact.compare import CUTOFF

DECISIVE = 4  # times the tolerance: a failure no rounding of the dtype explains, far from the tolerance's edge
MAX_POINTS = 256  # candidate points evaluated per counterexample (compiled batches; the exact oracle on the few
EXACT_CHUNK = 8  # ...that fail in floats, simplest first, this many at a time, until one is decisive,
MAX_EXACT = 64  # and at most this many in all)
ROUNDS = 6  # rounds of "one entry simpler" after the first


def complexity(v, dtype) -> float:
    """How hard a value is to read: 0 is simplest, then short integers and halves; each significant digit and each
    decade away from 1 costs (a subnormal is far from simple); a minus sign a little."""
    v = float(v)
    if v == 0:
        return 0.0 if math.copysign(1.0, v) > 0 else 0.25
    if not math.isfinite(v):
        return 3.0
    mantissa = np.format_float_scientific(np.asarray(v, dtype), unique=True).split("e")[0]
    digits = len(mantissa.lstrip("-").replace(".", "").rstrip("0")) or 1
    return 2.0 * digits + abs(math.log10(abs(v))) / 4 + (0.25 if v < 0 else 0.0)


def _rounded(v, digits):
    return float(f"{v:.{digits - 1}e}")


def _simpler_values(v, dtype) -> list:
    """Values simpler than ``v`` (finite), simplest first."""
    if not math.isfinite(v):
        return []
    cands = [0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, float(np.round(v)), *(_rounded(v, d) for d in (1, 2, 3))]
    with np.errstate(over="ignore"):
        cands = [float(np.asarray(c, dtype)) for c in cands]
    own = complexity(v, dtype)
    return sorted({c for c in cands if complexity(c, dtype) < own}, key=lambda c: complexity(c, dtype))


def _simplifiable(check):
    """The indices of the arguments whose entries may change (their component says which values it holds)."""
    return [i for i, c in enumerate(check.domain.components) if hasattr(c, "admits")]


def _score(point, which, dtype):
    return sum(complexity(v, dtype) for i in which for v in np.ravel(point[i]))


def _whole(point, which, dtype):
    """Every simplifiable entry at once: all 0, their signs, integers, 1, 2 and 3 significant digits."""
    out = []
    for f in (lambda v: 0.0, np.sign, np.round, *(lambda v, d=d: _rounded(v, d) for d in (1, 2, 3))):
        cand = [np.array(a, copy=True) for a in point]
        for i in which:
            flat = cand[i].reshape(-1)
            for j, v in enumerate(flat.tolist()):
                if math.isfinite(v):
                    with np.errstate(over="ignore"):  # 2e308: inf, which the domain then refuses
                        flat[j] = float(f(v))
        out.append(cand)
    return out


def _one_entry(point, which, dtype):
    """One entry at a time made simpler."""
    out = []
    for i in which:
        for j, v in enumerate(np.ravel(point[i]).tolist()):
            for s in _simpler_values(v, dtype):
                cand = [np.array(a, copy=True) for a in point]
                cand[i].reshape(-1)[j] = s
                out.append(cand)
    return out


class _Judge:
    """Whether candidate points fail decisively, as the session judges them (its kernel, its exact oracle).

    A failure of the mathematics beyond the tolerance stays one (not traded for a failure of floating point). A
    candidate must fail by ``DECISIVE`` tolerances, or by as many as the failure found where that is less (a
    formula off by 3 tolerances everywhere is shown at its simplest input, not kept at a subnormal)."""

    def __init__(self, session, start):
        self.s = session
        self.left, self.exact_left = MAX_POINTS, MAX_EXACT
        mathematics, floats = self.margins([start])
        self.mathematics = bool(mathematics[0] >= 1)
        found = (mathematics if self.mathematics else floats)[0]
        self.need = min(DECISIVE, found) if found > 1 else DECISIVE

    def margins(self, points):
        """Per point, by how many tolerances it fails (0 where the exact oracle cannot judge it): in the mathematics
        (the exact difference the balls prove at least), and in floating point (a float result against the exact
        value, or two computed sides against each other; not autodiff, which the exact oracle overrules)."""
        s, check = self.s, self.s.check
        args = [np.stack([p[i] for p in points]) for i in range(len(points[0]))]
        ev = s.evaluate(args, batch=s._hypothesis_batch())
        out = ev.at(np.arange(len(points)))
        ex = check.truth(s.as_seen(args))
        floats, truth = check.judge_exactly(out, ex, s.dtype, s.floor)
        proven = check.judge_exactly(out, ex, s.dtype, s.floor, proven=True)[0]["mathematics"]
        computed = {} if isinstance(check, Derivative) else ev.errors
        margin = np.zeros(len(points))
        for o, e in [*floats.items(), *computed.items()]:
            if o != "mathematics" and o in s.evidence and s.limit(o) is not None:
                margin = np.fmax(margin, np.asarray(e, np.float64) / max(s.limit(o), CUTOFF))
        ok = truth.ok
        return np.where(ok, proven / max(s.tol, CUTOFF), 0.0), np.where(ok, margin, 0.0)

    def decisive(self, points):
        mathematics, floats = self.margins(points)
        return (mathematics if self.mathematics else floats) >= self.need

    def simplest(self, cands):
        """The simplest decisive candidate (they come simplest first), or None; within the evaluations left.

        The compiled check sifts them first (one batch): only those failing in floats go to the exact oracle, by
        one tolerance less than needed for a failure of floating point (autodiff, a Derivative's sieve, may be off
        by one)."""
        cands = cands[:self.left]
        self.left -= len(cands)
        s = self.s
        args = [np.stack([p[i] for p in cands]) for i in range(len(cands[0]))]
        errors = s.evaluate(args, batch=s._hypothesis_batch()).errors
        sieve = s.tol if self.mathematics else max(self.need - 1, 1) * s.tol
        failing = np.logical_or.reduce([np.asarray(e) > sieve for e in errors.values()])
        cands = [c for c, f in zip(cands, failing) if f]
        for start in range(0, len(cands), EXACT_CHUNK):
            chunk = cands[start:start + EXACT_CHUNK][:self.exact_left]
            if not chunk:
                break
            self.exact_left -= len(chunk)
            hit = np.flatnonzero(self.decisive(chunk))
            if hit.size:
                return chunk[hit[0]]
        return None


def simplest(session, start):
    """``start`` (a failing point: one array per argument) or a simpler point where the check fails decisively."""
    check, dtype = session.check, session.dtype
    which = _simplifiable(check)
    if isinstance(check, Exists) or not which:
        return start
    judge = _Judge(session, start)
    current, score = start, _score(start, which, dtype)
    for rnd in range(ROUNDS + 1):
        cands = (_whole(current, which, dtype) if rnd == 0 else []) + _one_entry(current, which, dtype)
        scored = [(_score(c, which, dtype), k, c) for k, c in enumerate(cands) if _admitted(check, c)]
        ordered = [c for sc, _, c in sorted(scored, key=lambda t: t[:2]) if sc < score]
        found = judge.simplest(ordered) if ordered and judge.left else None
        if found is None:
            break
        current, score = found, _score(found, which, dtype)
    return current


def _admitted(check, point):
    return all(bool(np.all(c.admits(np.asarray(a, np.float64)))) for c, a in zip(check.domain.components, point)
               if hasattr(c, "admits"))
