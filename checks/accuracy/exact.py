"""The truth: mpmath at 60 digits, correctly rounded to the dtype, and distances in ULPs.

The referees are the claims' (``checks/claims/_mp.py``), written so that they do
not cancel even at 60 digits. Values are rounded *once*, directly to the dtype's precision
and exponent range (subnormals included), so "exact" means correctly rounded
and a correctly rounded implementation scores 0 ULP.
"""
from __future__ import annotations

import mpmath
import numpy as np

from checks.engine.exact import cache

DPS = 60  # >= 50 digits, as the issue asks; 60 leaves 10 digits of headroom over every cancellation left


# ---- rounding --------------------------------------------------------------------------------------
def round_to(value, dtype) -> float:
    """One mpmath value correctly rounded (to nearest, ties to even) to ``dtype``, as a Python float."""
    fi = np.finfo(dtype)
    if not mpmath.isfinite(value):
        return float(value)
    if value == 0:
        return 0.0
    p, emin = fi.nmant + 1, fi.minexp
    if abs(value) < mpmath.ldexp(1, emin):  # subnormal range: a fixed grid of 2^(emin - p + 1)
        q = mpmath.ldexp(1, emin - p + 1)
        r = mpmath.nint(value / q) * q   # nint rounds half to even
    else:
        with mpmath.workprec(p):
            r = +value                    # unary plus rounds to the working precision (to nearest, even)
    r = float(r)                          # exact: r has at most p <= 53 bits
    return float(np.copysign(np.inf, r)) if abs(r) > float(fi.max) else r


def round_all(values, dtype) -> np.ndarray:
    """A list (of points) of mpmath scalars or lists of them, rounded to ``dtype`` (kept as float64)."""
    return np.array([[round_to(v, dtype) for v in row] if isinstance(row, (list, tuple)) else round_to(row, dtype)
                     for row in values], dtype=np.float64)


def evaluate(referee, args) -> list:
    """``referee(*example)`` at every point, the example given as exact mpmath numbers."""
    def mp_of(a):
        a = np.asarray(a, np.float64)
        return [mpmath.mpf(float(v)) for v in a] if a.ndim else mpmath.mpf(float(a))

    with mpmath.workdps(DPS):
        return [referee(*(mp_of(a[i]) for a in args)) for i in range(len(args[0]))]


def truth(referee, args, dtype) -> tuple[list, np.ndarray]:
    """:func:`evaluate` and its :func:`round_all` to ``dtype``, from the exact cache where they were computed before
    (:func:`checks.engine.exact.cache.computed`: the referees call mpmath and each other only)."""
    def compute():
        values = evaluate(referee, args)
        return values, round_all(values, dtype)

    return cache.computed(referee, args, compute, "accuracy-truth", DPS, np.dtype(dtype))


# ---- ULP distance ----------------------------------------------------------------------------------
_INT = {"float32": (np.int32, np.uint32), "float64": (np.int64, np.uint64)}


def _ordinal(x, dtype, flush):
    """Position of each value in the ordered set of the dtype's numbers (+0 and -0 both at 0).

    ``flush``: the backend's own number system when it flushes subnormals to zero: subnormals
    read as 0 and the smallest normal is the first step after 0, so a result that a flushing
    backend returns as 0 (or as the smallest normal) for a subnormal truth counts as exact to
    the backend's resolution, not as 2^52 ULPs off.
    """
    sint, _ = _INT[str(np.dtype(dtype))]
    x = np.asarray(x, dtype)
    mag = (x.view(sint).astype(np.int64) & np.iinfo(sint).max).astype(np.int64)
    if flush:
        tiny = np.asarray(np.finfo(dtype).tiny, dtype).view(sint).astype(np.int64)
        mag = np.where(mag < tiny, 0, mag - tiny + 1)
    return mag, np.signbit(x) & (mag != 0)


def ulp_distance(computed, exact, dtype, flush=False) -> np.ndarray:
    """How many of the dtype's numbers lie between ``computed`` and the correctly rounded ``exact``.

    0 for equal values (equal infinities included); inf for a NaN result where the truth is a
    number, and for an infinity where the truth is finite (an overflow is a failure, not one step).
    Elementwise over any shape; float64 result.
    """
    c = np.asarray(computed, np.float64).astype(dtype)
    e = np.asarray(exact, np.float64).astype(dtype)
    mc, sc = _ordinal(c, dtype, flush)
    me, se = _ordinal(e, dtype, flush)
    same_side = sc == se
    d = np.where(same_side, np.abs(mc - me).astype(np.float64), mc.astype(np.float64) + me.astype(np.float64))
    d = np.where(np.isinf(c) != np.isinf(e), np.inf, d)
    d = np.where(np.isnan(c) != np.isnan(e), np.inf, d)
    return np.where(np.isnan(c) & np.isnan(e), 0.0, d)
