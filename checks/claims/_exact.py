"""A Custom check of values that must come out exactly (constants such as sigma(0) = 1/2)."""
from __future__ import annotations

import numpy as np

from checks.engine.outcomes import evidence, outcome


def exact_values(cases):
    """Custom check: each ``(label, fn(dtype) -> value(s), expected)`` comes out exactly ``expected``, every value."""
    def run(dtype, budget):
        rows, bad = [], None
        for label, fn, expected in cases:
            got = np.atleast_1d(np.asarray(fn(dtype), np.float64))
            ulps = np.abs(got - expected) / float(np.spacing(np.asarray(expected, dtype)))  # ulps of the dtype
            rows.append(evidence(label, dtype, got.size, ulps.max(), 0.0,
                                 note=f"computed {got.tolist()}, expected {expected!r} exactly (error in ulps: must be 0)"))
            if np.any(got != expected) and bad is None:
                bad = {"case": label, "computed": got.tolist(), "expected": expected}
        return outcome(dtype, bad is None, rows, "" if bad is None else f"{bad['case']}: not exact", bad)

    return run
