"""Measure every column of a row in ULPs against the correctly rounded mpmath value.

Flush-to-zero (detected by ``checks.engine.platform.flushes_subnormals``, never
assumed) is handled the way the backend computes: a JAX column sees a subnormal
*input* as zero, so it is judged against the better of f(x) and f(flushed x),
and its *results* are compared in the backend's own number system (a subnormal
truth returned as 0 is exact to the backend's resolution). SciPy runs on the
host, which keeps subnormals: its columns are judged without either allowance.
"""
from __future__ import annotations

import dataclasses
import functools

import numpy as np

from checks.engine import platform
from checks.engine.tolerance import ulp_error

from . import bounds as bd
from . import exact as ex
from .implementations import BY_NAME, Function

DEFAULT_POINTS = 2000

# On a flushing backend every operation may lose an absolute tiny (the smallest normal): the
# underflow term eta of the standard error model fl(a op b) = (a op b)(1 + delta) + eta. An error
# of at most FLUSH_SLACK * tiny is exact to the backend's resolution (a sum of a few subnormal
# terms, each flushed before the sum, is the case that needs more than one).
FLUSH_SLACK = 4


@dataclasses.dataclass
class ColumnResult:
    column: str
    label: str
    errors: np.ndarray | None = None     # ULPs per point (max over a vector's components)
    values: np.ndarray | None = None
    missing: str | None = None           # why the column has no numbers ("scipy not installed")
    note: str = ""
    flush_limited: int = 0               # points counted exact because the error is below the flush resolution
    scaled: np.ndarray | None = None     # the row's certified measure: ULPs, or eps relative to the terms

    @property
    def max(self) -> float:
        return float(self.errors.max(initial=0.0))

    @property
    def scaled_max(self) -> float:
        return float(self.scaled.max(initial=0.0))

    @property
    def p99(self) -> float:
        return float(np.percentile(self.errors, 99, method="higher")) if self.errors.size else 0.0


@dataclasses.dataclass
class RowResult:
    function: Function
    dtype: str
    points: object
    exact: np.ndarray                    # correctly rounded truth at the points (float64 holding dtype values)
    exact_mp: list                       # the unrounded mpmath values (for reports)
    columns: dict
    bound: float                         # the stated bound of the stable form (the table's failure line)
    flush: bool
    flushed_inputs: int = 0              # points with a subnormal input that a flushing backend reads as 0
    flushed_results: int = 0             # points whose truth is subnormal (0 on a flushing backend)
    terms: np.ndarray | None = None      # the magnitude of the last sum's terms, where the row has one
    truth: object = None                 # the Truth (exact and as-seen values)

    def failing(self, column, bound=None):
        """Points where the column's error (in the row's measure: ULPs, or eps relative to the terms) exceeds the bound."""
        r = self.columns[column]
        return r.scaled > (self.bound if bound is None else bound)

    def first_failing(self, column, bound=None):
        """Index of the failing point of smallest key (the least extreme input that fails), or None."""
        bad = self.failing(column, bound)
        if not bad.any():
            return None
        idx = np.flatnonzero(bad)
        return int(idx[np.argmin(self.points.key[idx])])


@functools.lru_cache(maxsize=None)
def _compiled(fn):
    jax = platform.configure()
    return jax.jit(jax.vmap(fn))


def evaluate(column, args, dtype):
    """One column at all points: (values as float64, a note or "") or (None, why the column is missing)."""
    if column.host:
        try:
            with np.errstate(all="ignore"):
                out = np.asarray(column.fn(*[np.asarray(a, dtype) for a in args]))
        except ImportError:
            return None, "scipy not installed"
        note = f"returns {out.dtype} for {dtype} input: rounded to {dtype}" if str(out.dtype) != dtype else ""
        return out.astype(dtype).astype(np.float64), note
    out = np.asarray(_compiled(column.fn)(*args))
    if str(out.dtype) != dtype:
        raise TypeError(f"{column.label} returned {out.dtype} for {dtype} input")
    return out.astype(np.float64), ""


def _flushed(args, dtype):
    tiny = np.finfo(dtype).tiny
    return tuple(np.where(np.abs(a) < tiny, np.zeros_like(a) * np.sign(a), a) for a in args)


def _reduce(err):
    return err.reshape(len(err), -1).max(axis=1) if err.ndim > 1 else err


@dataclasses.dataclass
class Truth:
    """The correctly rounded truth at a point set, and at the inputs as a flushing backend reads them."""

    exact: np.ndarray
    exact_mp: list
    seen: np.ndarray          # = exact where no input is subnormal (or the backend keeps subnormals)
    flushed_inputs: int

    @classmethod
    def at(cls, fn: Function, pts, dtype, flush):
        exact_mp, exact = ex.truth(fn.referee, pts.args, dtype)
        seen, moved = exact, np.zeros(len(pts), bool)
        if flush:
            flushed = _flushed(pts.args, dtype)
            for a, f in zip(pts.args, flushed):
                moved |= (a != f).reshape(len(pts), -1).any(axis=1)
            if moved.any():
                seen = exact.copy()
                seen[moved] = ex.truth(fn.referee, [f[moved] for f in flushed], dtype)[1]
        return cls(exact, exact_mp, seen, int(moved.sum()))

    def judge(self, values, dtype, flush, terms=None):
        """(ULPs per point, the row's measure per point, points exact only to the flush resolution).

        ``flush``: judged as the backend computes (a JAX column on a flushing backend): the better
        of the truth at x and at the flushed x, in the flushed number system, and an absolute error
        within FLUSH_SLACK * tiny counted as exact.
        """
        tiny = np.finfo(dtype).tiny
        truths = (self.seen, self.exact) if flush else (self.exact,)  # on a tie, the input as the backend reads it
        best = None
        for t in truths:
            err = ex.ulp_distance(values, t, dtype, flush=flush)
            within = np.zeros(err.shape, bool)
            if flush:  # Higham's underflow term eta: at most one tiny per operation
                with np.errstate(invalid="ignore"):
                    within = (err > 0) & (np.abs(values - t) <= FLUSH_SLACK * tiny)
                err = np.where(within, 0.0, err)
            err = _reduce(err)
            scaled = err
            if terms is not None:  # |computed - exact| / (eps |terms|): what a backward-stable sum promises
                scaled = np.where(err == 0, 0.0, _reduce(ulp_error(values, t, terms, dtype, tiny)))
            if best is None:
                best = [err, scaled, _reduce(within)]
            else:
                better = scaled < best[1]
                best = [np.where(better, err, best[0]), np.where(better, scaled, best[1]),
                        np.where(better, _reduce(within), best[2])]
        return best


def measure(fn: Function | str, dtype: str, n: int = DEFAULT_POINTS, columns=None, points=None,
            overrides=None) -> RowResult:
    """Every column (or the named ones) of ``fn`` at its points in ``dtype``.

    ``points`` replaces the row's default point set; ``overrides`` maps a column name to a
    replacement :class:`Column` (the ratchet test's deliberately worse form).
    """
    fn = BY_NAME[fn] if isinstance(fn, str) else fn
    platform.configure()
    pts = points if points is not None else fn.points(dtype, n)
    flush = platform.flushes_subnormals(dtype)
    truth = Truth.at(fn, pts, dtype, flush)
    tiny = np.finfo(dtype).tiny
    sub = (truth.exact != 0) & (np.abs(truth.exact) < tiny)
    terms = fn.terms(pts.args, truth.exact) if fn.terms else None
    row = RowResult(fn, dtype, pts, truth.exact, truth.exact_mp, {}, bd.bound(fn.name, dtype), flush,
                    truth.flushed_inputs, int(_reduce(sub).sum()), terms, truth)
    for name in columns or list(fn.columns):
        col = (overrides or {}).get(name, fn.columns.get(name))
        if col is None:
            continue
        values, note = evaluate(col, pts.args, dtype)
        if values is None:
            row.columns[name] = ColumnResult(name, col.label, missing=note)
            continue
        err, scaled, within = truth.judge(values, dtype, flush and not col.host, terms)
        row.columns[name] = ColumnResult(name, col.label, err, values, note=note,
                                         flush_limited=int(within.sum()), scaled=scaled)
    return row
