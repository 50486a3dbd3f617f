"""An author's declared mpmath values, to be checked against the exact truth of the claim's own code.

mpmath at ``DPS`` decimal digits: the claim's declared derivative (``referee``), or mpmath's
high-precision numerical derivative of a declared mpmath forward (``forward_mp``), or an identity's
declared common value (``exact``). Values are rounded once to the dtype. The engine does not trust
them: :func:`checks.engine.runner._declared_disagreement` compares them with the exact oracle, and a
disagreement rejects the declaration.
"""
from __future__ import annotations

import mpmath
import numpy as np

from .raised import Raised, name, point, said

DPS = 50


def _py(a):
    """One example's argument as exact Python floats (or the exact balls' midpoints), nested as its shape."""
    a = np.asarray(a)
    return a.tolist() if a.dtype == object else np.asarray(a, dtype=np.float64).tolist()


def _to_mp(v):
    if isinstance(v, list):
        return [_to_mp(x) for x in v]
    if hasattr(v, "mid"):  # an exact point's ball (a normalised probability): its midpoint, exactly
        man, exp = v.mid().man_exp()
        return mpmath.mpf((int(man), int(exp)))
    return mpmath.mpf(v)


def _round(values, dtype):
    """Nested mpmath values to the dtype (overflow to inf, as the dtype would)."""
    arr = np.array(values, dtype=object)
    flat = np.array([float(mpmath.mpf(v)) if mpmath.isfinite(v) else float(v) for v in arr.ravel()], dtype=np.float64)
    with np.errstate(over="ignore"):
        return flat.reshape(arr.shape).astype(dtype).astype(np.float64)


def _numerical_derivative(f_mp, args, wrt):
    """d f / d args[wrt] by mpmath's high-precision finite differences (a full Jacobian for vectors)."""
    x = args[wrt]

    def at(value, j=None):
        a = list(args)
        if j is None:
            a[wrt] = value
        else:
            v = list(x)
            v[j] = value
            a[wrt] = v
        return f_mp(*a)

    def d(g, t):
        # a step relative to |t| (1 at t = 0), at |t| = 1e300 and 1e-300 alike; where |t| < 1 the differences
        # of O(1) values shrink with it, so the working precision grows by the digits of 1/|t|
        scale = abs(t) if t else mpmath.mpf(1)
        extra = max(0, -int(mpmath.floor(mpmath.log10(scale))))
        with mpmath.workdps(mpmath.mp.dps + extra):
            return mpmath.diff(g, t, h=mpmath.mpf(2) ** (-DPS) * scale)

    if not isinstance(x, list):
        fx = f_mp(*args)
        if isinstance(fx, list):
            return [d(lambda t, i=i: at(t)[i], x) for i in range(len(fx))]
        return d(at, x)
    fx = f_mp(*args)
    if isinstance(fx, list):
        return [[d(lambda t, i=i, j=j: at(t, j)[i], x[j]) for j in range(len(x))] for i in range(len(fx))]
    return [d(lambda t, j=j: at(t, j), x[j]) for j in range(len(x))]


def _declared(what, fn, args, dtype, value) -> np.ndarray:
    """``value(example)`` at each example of the batch ``args`` (its arguments in mpmath), rounded to ``dtype``;
    where it raises (or its result is no real number), :class:`~.raised.Raised` names ``what`` and the example."""
    out = []
    with mpmath.workdps(DPS):
        for i in range(len(args[0])):
            try:
                out.append(_round(value([_to_mp(_py(a[i])) for a in args]), dtype))
            except Exception as e:  # noqa: BLE001 - whatever the author's mpmath code raises, said in one line
                raise Raised(f"{name(what, fn)} raised at {point(args, i)}: {said(e)}") from None
    return np.stack(out)


def derivative_values(check, args, dtype) -> np.ndarray:
    """The exact derivative at each example of the batch ``args``, correctly rounded to ``dtype``."""
    if check.referee is not None:
        return _declared("the declared referee", check.referee, args, dtype, lambda ex: check.referee(*ex))

    def numerical(ex):
        with mpmath.workdps(2 * DPS):
            return _numerical_derivative(check.forward_mp, ex, check.wrt)

    return _declared("the declared forward_mp", check.forward_mp, args, dtype, numerical)


def identity_values(check, args, dtype) -> np.ndarray:
    """The exact common value of both sides of an identity, correctly rounded to ``dtype``."""
    return _declared("the declared exact value", check.exact, args, dtype, lambda ex: check.exact(*ex))
