"""Exact failure thresholds: the first float at which a form loses every digit, found by bisection.

A form *fails catastrophically* at a point when its result has no correct digit:
a NaN or an infinity where the truth is neither, or a relative error of at least
1/2 (a 0 for a non-zero truth, a sum that overflowed, a 1 - sigma that cancelled
to nothing). On a flushing backend an error within the flush resolution is not a
failure (see ``measure.FLUSH_SLACK``).

Along a family's parameter, moving away from its least extreme value, the grid
brackets the first failure between a passing and a failing point; bisection over
the floats between them (in their integer order) narrows the bracket to two
adjacent floats. The threshold is exact for the form as the backend evaluates it.
"""
from __future__ import annotations

import dataclasses

import mpmath
import numpy as np

from checks.engine import platform

from . import exact as ex
from . import points as pt
from .measure import FLUSH_SLACK, Truth, _reduce, evaluate

ROUND = 17  # points per bisection round: 2^64 floats take 16 rounds of 17 (cheap mpmath)


def catastrophic(values, exact, dtype, flush):
    """Per point: does the result have no correct digit?"""
    v, e = np.asarray(values, np.float64), np.asarray(exact, np.float64)
    with np.errstate(all="ignore"):
        rel = np.abs(v - e) / np.abs(e)
        bad = (rel >= 0.5) & (v != e)
        bad |= np.isnan(v) & ~np.isnan(e)
        bad |= np.isinf(v) & (v != e)
        if flush:
            bad &= ~(np.abs(v - e) <= FLUSH_SLACK * np.finfo(dtype).tiny)
    return _reduce(bad)


def is_nan(values, exact, dtype, flush):
    return _reduce(np.isnan(np.asarray(values, np.float64)))


def is_zero(values, exact, dtype, flush):
    return _reduce((np.asarray(values) == 0) & (np.asarray(exact) != 0))


# ---- the floats in order ------------------------------------------------------------------------
_INT = {"float32": np.int32, "float64": np.int64}
_UINT = {"float32": np.uint32, "float64": np.uint64}


def _order(x, dtype):
    i = np.asarray(x, dtype).view(_INT[dtype]).astype(np.int64)
    return np.where(i < 0, -(i & np.iinfo(_INT[dtype]).max), i)


def _unorder(k, dtype):
    k = np.asarray(k, np.int64)
    u = _UINT[dtype]
    sign = u(1) << u(np.dtype(dtype).itemsize * 8 - 1)
    bits = np.where(k < 0, np.abs(k).astype(u) | sign, np.abs(k).astype(u))
    return bits.astype(u).view(dtype)


def first_float(fails, passing, failing, dtype):
    """(last passing, first failing): adjacent floats of ``dtype`` between a ``passing`` and a ``failing`` value,
    by bisection over the floats in order (one ``fails(x)`` call a step; ``fails`` flips once in between)."""
    a, b = int(_order(passing, dtype)), int(_order(failing, dtype))
    while abs(b - a) > 1:
        m = (a + b) // 2
        a, b = (a, m) if fails(_unorder(m, dtype)[()]) else (m, b)
    return _unorder(a, dtype)[()], _unorder(b, dtype)[()]


@dataclasses.dataclass
class Threshold:
    function: str
    column: str
    dtype: str
    family: str
    predicate: str
    first_failing: float       # the float nearest the passing side at which the form fails
    last_passing: float        # its neighbour, at which it does not
    value: object              # the form's result at first_failing
    exact: object              # the correctly rounded truth there
    beyond_all_fail: bool | None = None  # do all grid points further out fail too?

    def as_dict(self):
        d = dataclasses.asdict(self)
        d["value"], d["exact"] = _plain(self.value), _plain(self.exact)
        for k in ("first_failing", "last_passing"):  # and the shortest decimal that round-trips in the dtype
            d[k], d[k + "_str"] = _plain(getattr(self, k)), str(np.asarray(getattr(self, k), self.dtype)[()])
        return d


def _plain(v):
    return [x if np.isfinite(x) else str(x) for x in np.ravel(np.asarray(v, np.float64))] if np.ndim(v) \
        else (float(v) if np.isfinite(v) else str(float(v)))


def error_at(fn, column, family, param, dtype):
    """ULP error of one column at one parameter of a family (padded to the bisection's batch shape)."""
    from .measure import measure

    pts = pt.build(family, np.full(ROUND, param), dtype)
    return float(measure(fn, dtype, columns=[column], points=pts).columns[column].scaled[0])


class _Probe:
    """A column of a row evaluated at arbitrary parameters of one family (always ROUND of them: one compile)."""

    def __init__(self, fn, column, family, dtype, predicate):
        self.fn, self.col, self.family, self.dtype, self.predicate = fn, fn.columns[column], family, dtype, predicate
        self.flush = platform.flushes_subnormals(dtype) and not self.col.host

    def __call__(self, params):
        n = len(params)
        params = np.concatenate([params, np.repeat(params[-1:], ROUND - n)])  # a fixed shape
        pts = pt.build(self.family, params, self.dtype)
        values, _ = evaluate(self.col, pts.args, self.dtype)
        truth = Truth.at(self.fn, pts.take(np.arange(n)), self.dtype, self.flush)
        values = values[:n]
        bad = self.predicate(values, truth.exact, self.dtype, self.flush)
        if self.flush and truth.flushed_inputs:  # judged at the inputs as the backend reads them, too
            bad &= self.predicate(values, truth.seen, self.dtype, self.flush)
        return bad, values, truth.exact


def bisect(probe, passing, failing):
    """Adjacent floats (last passing, first failing) between a passing and a failing parameter, and the
    form's value and the truth at the first failing one."""
    a, b = (int(_order(v, probe.dtype)) for v in (passing, failing))
    value = exact = None
    while True:
        ks = np.array(sorted({a + (b - a) * i // (ROUND - 1) for i in range(ROUND)}, key=lambda k: abs(k - a)),
                      np.int64)  # exact integer steps from a towards b
        bad, values, truth = probe(_unorder(ks, probe.dtype))
        first = int(np.argmax(bad)) if bad.any() else len(ks) - 1
        a, b, value, exact = int(ks[max(first - 1, 0)]), int(ks[first]), values[first], truth[first]
        if abs(b - a) <= 1 or first == 0:  # adjacent, or the passing end failed on re-evaluation
            break
    return _unorder(a, probe.dtype)[()], _unorder(b, probe.dtype)[()], value, exact


def _direction(family, param):
    """Points of a family split by the side they leave the least extreme value on."""
    p = np.asarray(param, np.float64)
    if family == "p":
        return np.sign(p - 0.5)
    if family.startswith("p="):  # a mass t: one direction, t -> 0
        return np.zeros_like(p)
    return np.where(np.signbit(p), -1.0, 1.0)


def find(row, column, predicate=catastrophic, name="no correct digit"):
    """Every exact threshold of ``column`` in a measured row: one per family and direction that fails."""
    fn, dtype = row.function, row.dtype
    col = row.columns.get(column)
    if col is None or col.missing:
        return []
    flush = row.flush and not fn.columns[column].host
    bad = predicate(col.values, row.truth.exact, dtype, flush)
    if flush and row.truth.flushed_inputs:
        bad &= predicate(col.values, row.truth.seen, dtype, flush)
    out = []
    for family in dict.fromkeys(row.points.family):
        in_fam = row.points.family == family
        side = _direction(family, row.points.param)
        for d in np.unique(side[in_fam]):
            idx = np.flatnonzero(in_fam & (side == d))
            idx = idx[np.argsort(row.points.key[idx], kind="stable")]
            if not bad[idx].any():
                continue
            i = int(np.argmax(bad[idx]))
            if i == 0:  # even the least extreme point fails: no passing side to bisect from
                fail = pass_ = row.points.param[idx[0]]
                value, exact = col.values[idx[0]], row.exact[idx[0]]
            else:
                probe = _Probe(fn, column, family, dtype, predicate)
                pass_, fail, value, exact = bisect(probe, row.points.param[idx[i - 1]], row.points.param[idx[i]])
            out.append(Threshold(fn.name, column, dtype, family, name, float(fail), float(pass_),
                                 value, exact, bool(bad[idx[i:]].all())))
    return out


# ---- the thresholds the documents' warnings are about, each with a model that predicts it -------------
class _Model:
    """The naive form's operations in mpmath, each correctly rounded to the dtype (and flushed where the
    backend flushes): if the backend's threshold equals the model's, the failure is exactly explained."""

    def __init__(self, dtype, flush):
        self.dtype, self.flush = dtype, flush
        self.tiny = mpmath.mpf(float(np.finfo(dtype).tiny))

    def __call__(self, v):
        if self.flush and mpmath.isfinite(v) and abs(v) < self.tiny:
            return mpmath.mpf(0)
        r = ex.round_to(v, self.dtype)
        return mpmath.mpf(r)

    def mul(self, a, b):
        return mpmath.nan if (a == 0 and mpmath.isinf(b)) or (b == 0 and mpmath.isinf(a)) else self(a * b)


def _softmax_naive_model(r, z):
    """XLA's lowering of exp(z) / sum(exp(z)): e * (1 / sum), the sum left to right."""
    e = [r(mpmath.exp(v)) for v in z]
    total = r(r(e[0] + e[1]) + e[2])
    inv = r(1 / total) if total else mpmath.inf
    return [r.mul(v, inv) for v in e]


def _sigma_one_minus_sigma_model(r, x):
    s = r(1 / r(1 + r(mpmath.exp(-x))))  # the stable sigmoid's branch for x >= 0
    return r.mul(s, r(1 - s))


def _naive_sigmoid_grad_model(r, x):
    """jax.grad of 1/(1 + e^{-x}): e^{-x} * (1 / (u * u)), u = 1 + e^{-x} (the JVP of a reciprocal); inf/inf = NaN
    once e^{-x} overflows, and 0 once u * u passes 1/tiny and its reciprocal is flushed."""
    e = r(mpmath.exp(-x))
    if mpmath.isinf(e):
        return mpmath.nan
    u = r(1 + e)
    return r.mul(r(1 / r(u * u)), e)


@dataclasses.dataclass(frozen=True)
class Named:
    id: str
    function: str
    column: str
    family: str
    side: float                # +1: towards +inf, -1: towards -inf
    predicate: object
    what: str
    model: object              # (rounder, *example) -> value(s) of the naive evaluation
    start: float               # a passing parameter
    stop: dict                 # a failing parameter per dtype


NAMED = [
    Named("softmax.naive.overflow", "softmax", "naive", "(x, x-1, x-2)", 1, catastrophic,
          "exp(z)/sum(exp(z)) loses every digit as the logits grow",
          _softmax_naive_model, 1.0, {"float32": 100.0, "float64": 800.0}),
    Named("softmax.naive.nan", "softmax", "naive", "(x, x-1, x-2)", 1, is_nan,
          "exp(z)/sum(exp(z)) is NaN (exp(z) = inf)", _softmax_naive_model, 1.0, {"float32": 100.0, "float64": 800.0}),
    Named("softmax.naive.underflow", "softmax", "naive", "(x, x-1, x-2)", -1, catastrophic,
          "exp(z)/sum(exp(z)) loses every digit as the logits fall", _softmax_naive_model, -1.0,
          {"float32": -120.0, "float64": -800.0}),
    Named("sigmoid-grad.as-written.zero", "sigmoid_grad", "naive", "x", 1, is_zero,
          "sigma(x)(1 - sigma(x)) is exactly 0 (sigma(x) rounded to 1)", _sigma_one_minus_sigma_model, 1.0,
          {"float32": 60.0, "float64": 100.0}),
    Named("sigmoid-grad.as-written.no-digit", "sigmoid_grad", "naive", "x", 1, catastrophic,
          "sigma(x)(1 - sigma(x)) has no correct digit", _sigma_one_minus_sigma_model, 1.0,
          {"float32": 60.0, "float64": 100.0}),
    Named("sigmoid.naive.nan-gradient", "sigmoid_grad", "grad(naive)", "x", -1, is_nan,
          "jax.grad of 1/(1+exp(-x)) is NaN", _naive_sigmoid_grad_model, -1.0,
          {"float32": -100.0, "float64": -800.0}),
    Named("sigmoid.naive.no-digit-gradient", "sigmoid_grad", "grad(naive)", "x", -1, catastrophic,
          "jax.grad of 1/(1+exp(-x)) has no correct digit", _naive_sigmoid_grad_model, -1.0,
          {"float32": -100.0, "float64": -800.0}),
]

# How far a backend's threshold may lie from the model's, in floats. The model rounds each operation correctly;
# a backend's exp or log may err by k ulps, a relative error of about k eps that moves a threshold in x by about
# k eps (d log e^x = dx), under one float spacing of x wherever |x| >= 16 (spacing >= 16 eps) for any k < 16:
# the backend's threshold is the model's or one of its neighbours (XLA CPU without AVX2 overflows float32 exp
# one float later). Wider would not be a threshold of the formula any more.
WINDOW = 1


def _model_threshold(named, dtype, flush):
    """The same threshold for the correctly rounded model, by bisection over the floats."""
    from .implementations import BY_NAME

    fn = BY_NAME[named.function]
    r = _Model(dtype, flush)

    def fails(x):
        pts = pt.build(named.family, np.array([x], dtype), dtype)
        ex_args = [mpmath.mpf(float(v)) for v in np.asarray(pts.args[0][0], np.float64).ravel()]
        with mpmath.workdps(ex.DPS):
            value = named.model(r, ex_args if len(ex_args) > 1 else ex_args[0])
            truth = fn.referee(*[(list(ex_args) if len(ex_args) > 1 else ex_args[0])])
        v = np.array([[float(t) for t in value]] if isinstance(value, list) else [float(value)])
        e = ex.round_all([truth], dtype)
        return bool(named.predicate(v, e, dtype, False)[0])

    if fails(named.start) or not fails(named.stop[dtype]):
        return None
    return float(first_float(fails, named.start, named.stop[dtype], dtype)[1])


def named(row, spec: Named):
    """Observed (exact, on this backend) and modelled threshold of one documented failure."""
    dtype = row.dtype
    flush = row.flush and not row.function.columns[spec.column].host
    found = [t for t in find(row, spec.column, spec.predicate, spec.what)
             if t.family == spec.family and np.sign(t.first_failing or spec.side) == spec.side]
    observed = found[0] if found else None
    predicted = _model_threshold(spec, dtype, flush)
    gap = None
    if observed is not None and predicted is not None:
        gap = int(abs(int(_order(observed.first_failing, dtype)) - int(_order(predicted, dtype))))
    return {"id": spec.id, "what": spec.what, "function": spec.function, "column": spec.column,
            "family": spec.family, "dtype": dtype, "observed": observed.as_dict() if observed else None,
            "model": None if predicted is None else _plain(predicted), "model_str": None if predicted is None else str(np.asarray(predicted, dtype)[()]),
            "floats_apart": gap}
