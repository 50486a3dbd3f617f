"""Deterministic evaluation points: every magnitude of a dtype, densest where the functions change.

Each row is evaluated on one or more *families*: a scalar parameter (log-spaced
over the dtype, both signs, ±0, subnormals, ±inf where defined) and a builder
that turns it into the function's arguments, rounded in the dtype as a user's
array would be. A family can rebuild the arguments from any parameter, which is
what the exact threshold search (``thresholds.py``) bisects over.

No randomness: the same ``n`` gives the same points on every machine, so
``Points.every(k)`` is a subset of what the ratchet was recorded on.
"""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np


@dataclasses.dataclass(frozen=True)
class Family:
    name: str
    build: Callable            # (param array in dtype) -> tuple of argument arrays in dtype
    key: Callable = np.abs     # (param as float64) -> how extreme; the first failing input has the smallest


@dataclasses.dataclass(frozen=True)
class Points:
    args: tuple
    param: np.ndarray
    key: np.ndarray
    family: np.ndarray         # the family name of each point

    def __len__(self):
        return len(self.param)

    def take(self, idx):
        return Points(tuple(a[idx] for a in self.args), self.param[idx], self.key[idx], self.family[idx])


def _geom(lo, hi, k):
    """``k`` points log-spaced over [lo, hi] (float64; the caller rounds to its dtype)."""
    if k <= 0:
        return np.zeros(0)
    with np.errstate(over="ignore"):  # the last point may round past max: clipped back
        return np.clip(np.exp2(np.linspace(np.log2(lo), np.log2(hi), k)), lo, hi)


def active_limit(dtype) -> float:
    """Above ~2 log(max) every function here is in its asymptotic regime: the dense range ends there."""
    return float(2.0 ** np.ceil(np.log2(2 * np.log(float(np.finfo(dtype).max)))))


def magnitudes(dtype, n):
    """``n`` positive magnitudes: half log-spaced over the whole dtype (subnormals to max), half over
    [2^-8, ~2 log(max)] where exp, log1p and their thresholds live; plus the special values."""
    fi = np.finfo(dtype)
    full = _geom(float(fi.smallest_subnormal), float(fi.max), n // 2)
    active = _geom(2.0 ** -8, active_limit(dtype), n - n // 2)
    special = [float(fi.smallest_subnormal), float(fi.tiny), float(fi.eps), 1.0, float(fi.max)]
    return np.unique(np.concatenate([full, active, special]).astype(dtype))


def reals(dtype, n, infinities=True):
    """Signed magnitudes (``n`` in all), ±0 and, where the function is defined there, ±inf."""
    m = magnitudes(dtype, n // 2)
    extra = [np.inf, -np.inf] if infinities else []
    return np.unique(np.concatenate([-m, m, np.array([0.0, -0.0] + extra, dtype)]).astype(dtype))


def masses(dtype, n, hi):
    """0 and ``n - 1`` masses log-spaced from the smallest subnormal to ``hi``."""
    return np.concatenate([[0.0], _geom(float(np.finfo(dtype).smallest_subnormal), hi, n - 1)]).astype(dtype)


def _stack(*cols):
    n = max(np.shape(c)[0] for c in cols if np.ndim(c))
    return np.stack([np.broadcast_to(c, (n,)) for c in cols], -1)


def _like(x, *vals):
    """Constant columns in ``x``'s dtype (no float64 Python constants sneaking into a float32 array)."""
    return [np.full(x.shape, v, x.dtype) for v in vals]


def _mass_key(t):
    with np.errstate(divide="ignore"):
        return -np.log2(np.asarray(t, np.float64))  # t = 0 (the 0 log 0 case) is the most extreme


def _logit_key(p):
    p = np.asarray(p, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.abs(np.log(p) - np.log1p(-p))


def _label(y):
    return lambda x: (x, *_like(x, y))


def _onehot(build, true):
    def b(x):
        (z,) = build(x)
        y = np.zeros(z.shape, z.dtype)
        y[:, true] = 1
        return z, y
    return b


_LOGITS = {
    # one logit moves against two fixed ones: probabilities from 1 to 0 through every magnitude
    "(x, 0, 0)": lambda x: (_stack(x, *_like(x, 0, 0)),),
    # the max stays 0 and two logits move: sums 1 + tiny (log1p territory), and two-way ties
    "(0, x, x)": lambda x: (_stack(*_like(x, 0), x, x),),
    # a common level: the naive exp overflows / underflows while the differences stay fixed
    "(x, x-1, x-2)": lambda x: (_stack(x, x - x.dtype.type(1), x - x.dtype.type(2)),),
}

_KL = {
    # well conditioned: KL = log 4 - H(t) in [log 2, log 4]; the third outcome has p = 0 < q
    "p=(1-t, t, 0), q=(1/4, 1/4, 1/2)": lambda t: (_stack(1 - t, t, *_like(t, 0)), _stack(*_like(t, .25, .25, .5))),
    # q's small mass: KL = -log(1 - t) ~ t, and 0 log(0/0) in the last outcome
    "p=(1, 0, 0), q=(1-t, t, 0)": lambda t: (_stack(*_like(t, 1, 0, 0)), _stack(1 - t, t, *_like(t, 0))),
    # p puts mass where q has almost none: KL ~ log(1/t) / 2 grows without bound
    "p=(1/2, 1/2, 0), q=(1-t, t, 0)": lambda t: (_stack(*_like(t, .5, .5, 0)), _stack(1 - t, t, *_like(t, 0))),
}

# p close to q: a sum of terms of size |p - q| that cancel to |p - q|^2
_KL_NEAR = {"p=(1/2+t, 1/2-t, 0), q=(1/2, 1/2, 0)":
            lambda t: (_stack(.5 + t, .5 - t, *_like(t, 0)), _stack(*_like(t, .5, .5, 0)))}

FAMILIES = {f.name: f for f in [
    Family("x", lambda x: (x,)),
    Family("p", lambda p: (p,), _logit_key),
    *(Family(f"z, y={y}", _label(y)) for y in (0, 1)),
    *(Family(name, b) for name, b in _LOGITS.items()),
    *(Family(f"{name}, y=e{t}", _onehot(b, t)) for name, b in _LOGITS.items() for t in (0, 1)),
    Family("p=(1-t, t, 0)", lambda t: (_stack(1 - t, t, *_like(t, 0)),), _mass_key),
    Family("p=(1-2t, t, t)", lambda t: (_stack(1 - 2 * t, t, t),), _mass_key),
    *(Family(name, b, _mass_key) for name, b in {**_KL, **_KL_NEAR}.items()),
]}


def build(family: str, params, dtype) -> Points:
    fam = FAMILIES[family]
    x = np.asarray(params, dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        args = tuple(np.asarray(a, dtype) for a in fam.build(x))
    return Points(args, x, fam.key(x.astype(np.float64)), np.full(len(x), family))


def concat(parts):
    return Points(tuple(np.concatenate(c) for c in zip(*(p.args for p in parts))),
                  np.concatenate([p.param for p in parts]), np.concatenate([p.key for p in parts]),
                  np.concatenate([p.family for p in parts]))


# ---- the point set of each row: (dtype, n) -> Points -------------------------------------------
def scalar(dtype, n):
    """One real argument over the extended reals."""
    return build("x", reals(dtype, n), dtype)


def with_label(dtype, n):
    """(z, y) for binary cross-entropy: z over the extended reals, y in {0, 1}."""
    return concat([build(f"z, y={y}", reals(dtype, n // 2), dtype) for y in (0, 1)])


def probabilities(dtype, n):
    """p in [0, 1] for the logit: p = t near 0, p = 1 - t near 1, p = 1/2 ± t near 1/2, t log-spaced."""
    fi = np.finfo(dtype)
    k = n // 4
    small = _geom(float(fi.smallest_subnormal), 0.5, k)
    near1 = 1 - _geom(float(fi.epsneg) / 2, 0.5, k)       # 1 - t: down to the float just below 1
    half = _geom(float(fi.eps) / 4, 0.25, k // 2)
    p = np.unique(np.concatenate([small, near1, 0.5 - half, 0.5 + half, [0.0, 0.5, 1.0]]).astype(dtype))
    return build("p", p, dtype)


def _logit_params(name, dtype, n):
    x = reals(dtype, n, infinities=False)
    # -inf (a masked logit) keeps the vector defined, except when every logit is -inf;
    # +inf is not in the domain (softmax at +inf is a limit that depends on the direction)
    return np.concatenate([x, np.array([-np.inf], dtype)]) if name != "(x, x-1, x-2)" else x


def logits(dtype, n):
    """3-vectors of logits from the three families, ``n`` points in all."""
    return concat([build(name, _logit_params(name, dtype, n // len(_LOGITS)), dtype) for name in _LOGITS])


def logits_with_class(dtype, n):
    """(z, one-hot y) for softmax cross-entropy: each logit family with the moving logit's class
    true, and with a fixed logit's class true."""
    k = n // (2 * len(_LOGITS))
    return concat([build(f"{name}, y=e{t}", _logit_params(name, dtype, k), dtype)
                   for name in _LOGITS for t in (0, 1)])


def distributions(dtype, n):
    """p = (1 - t, t, 0) and (1 - 2t, t, t), t from 0 through subnormals to 1/2 (resp. 1/3)."""
    return concat([build("p=(1-t, t, 0)", masses(dtype, n // 2, 0.5), dtype),
                   build("p=(1-2t, t, t)", masses(dtype, n // 2, 1 / 3), dtype)])


def distribution_pairs(dtype, n):
    return concat([build(name, masses(dtype, n // len(_KL), 0.5), dtype) for name in _KL])


def near_pairs(dtype, n):
    return concat([build(name, masses(dtype, n, 0.25), dtype) for name in _KL_NEAR])
