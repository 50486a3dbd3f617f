"""Errors between exact results (balls) in the units the engine judges in: eps of the dtype, relative to a scale.

``difference(a, b, scale, dtype, floor)`` is the mathematics question: how far apart two exact results are,
as a proven upper bound. No float rounding enters it: both sides are balls of the real numbers the claim's
programs compute, accurate far below the dtype's resolution.
"""
from __future__ import annotations

import math

import numpy as np
from flint import arb

from . import scalars as S

# a deliberate cutoff of a float formula (a branch that returns 1 where sigma(x) is 1 to the last bit) is
# below half an ulp of the dtype; anything beyond it is a different number
CUTOFF = 0.5


def _entry_error(x, y, scale, floor, resolution, proven=False):
    """An upper bound of ``|x - y| / max(scale, |y|, floor)`` (0 within ``resolution``; inf where the two
    differ as extended reals or are undefined). In ball arithmetic: a magnitude beyond float64's range is kept.
    ``proven``: a lower bound instead (what the balls prove at least: > 0 only where they are disjoint)."""
    if isinstance(x, float) or isinstance(y, float):
        if isinstance(x, float) and isinstance(y, float) and x == y:
            return 0.0
        return math.inf
    d = abs(x - y)
    if not d.is_finite():
        return math.inf
    if d.upper() <= resolution:
        return 0.0
    size = max(floor, scale if math.isfinite(scale) else 0.0)
    ratio = d / max(abs(y).lower(), arb(size))
    return float(ratio.lower()) if proven else float(ratio.upper())


def difference(a, b, scale, dtype, floor, resolution=None, proven=False) -> np.ndarray:
    """Per point (leading axis), the largest entry of ``|a - b| / max(scale, |b|, floor)`` in eps (an upper bound).

    ``a``, ``b``: object arrays of balls (``Exact.values[i]``); ``scale``: float64, broadcastable to them;
    ``resolution`` (optional, likewise): an absolute difference an entry may have whatever its size (a
    check's declared resolution: a deliberate cutoff at that level), counted as no difference; ``proven``:
    the lower bound of the same (an erratum's disagreement, proven).
    """
    n = a.shape[0]
    eps = float(np.finfo(dtype).eps)
    scale = np.broadcast_to(np.abs(np.asarray(scale, np.float64)), a.shape).reshape(n, -1)
    res = np.broadcast_to(np.abs(np.asarray(0.0 if resolution is None else resolution, np.float64)),
                          a.shape).reshape(n, -1)
    out = np.zeros(n)
    for i, (row_a, row_b) in enumerate(zip(a.reshape(n, -1), b.reshape(n, -1))):
        out[i] = max((_entry_error(x, y, s, floor, r, proven)
                      for x, y, s, r in zip(row_a, row_b, scale[i], res[i])), default=0.0) / eps
    return out


def excess(lower, upper, scale, dtype, floor, strict, proven=False) -> np.ndarray:
    """Per point, how far ``lower`` may exceed ``upper`` (eps of the scale, an upper bound); 0 where it cannot.

    A strict inequality must be proven: equal values, or balls that overlap, are an excess of inf.
    """
    n = lower.shape[0]
    eps = float(np.finfo(dtype).eps)
    scale = np.broadcast_to(np.abs(np.asarray(scale, np.float64)), lower.shape).reshape(n, -1)
    out = np.zeros(n)
    for i, (lo_row, up_row) in enumerate(zip(lower.reshape(n, -1), upper.reshape(n, -1))):
        for x, y, s in zip(lo_row, up_row, scale[i]):
            c = S._cmp(x, y)
            if c == -1 or (c == 0 and not strict):
                continue
            if c == "nan" or (strict and c != 1) or isinstance(x, float) or isinstance(y, float):
                out[i] = math.inf
                continue
            d = (x - y).lower() if proven else (x - y).upper()  # an overlap's worst case, or its proven excess
            sc = s if math.isfinite(s) else 0.0
            out[i] = max(out[i], max(0.0, float(d)) / max(sc, floor) / eps)
    return out
