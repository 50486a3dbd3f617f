"""Independent references where autodiff itself is not to be trusted.

* mpmath at ``DPS`` decimal digits: the claim's own exact derivative (``referee``),
  or mpmath's high-precision numerical derivative of the mpmath forward
  definition. Values are rounded once to the dtype, so "exact" means
  correctly rounded.
* the Taylor-remainder test: an eps-free finite-difference check of order.
"""
from __future__ import annotations

import mpmath
import numpy as np

DPS = 50


def _py(a):
    """One example's argument as an exact Python float or nested list of them."""
    return np.asarray(a, dtype=np.float64).tolist()


def _to_mp(v):
    return [_to_mp(x) for x in v] if isinstance(v, list) else mpmath.mpf(v)


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


def derivative_values(check, args, dtype) -> np.ndarray:
    """The exact derivative at each example of the batch ``args``, correctly rounded to ``dtype``."""
    out = []
    with mpmath.workdps(DPS):
        for i in range(len(args[0])):
            ex = [_to_mp(_py(a[i])) for a in args]
            if check.referee is not None:
                out.append(check.referee(*ex))
            else:
                with mpmath.workdps(2 * DPS):
                    out.append(_numerical_derivative(check.forward_mp, ex, check.wrt))
    return _round(out, dtype)


def identity_values(check, args, dtype) -> np.ndarray:
    """The exact common value of both sides of an identity, correctly rounded to ``dtype``."""
    with mpmath.workdps(DPS):
        out = [check.exact(*[_to_mp(_py(a[i])) for a in args]) for i in range(len(args[0]))]
    return _round(out, dtype)


STEPS = 4.0 ** -np.arange(2, 14)  # h = 1/16 ... 2^-26; a right derivative divides the remainder by 16 per step


def _taylor_points(check, args, max_points):
    x64 = [np.asarray(a, np.float64) for a in args]
    w = check.wrt
    size = np.abs(x64[w].reshape(len(x64[w]), -1)).max(axis=1)
    moderate = (size <= 20) & (size >= 1e-2)  # tiny inputs: the remainder is mostly roundoff there
    idx = np.flatnonzero(moderate)
    idx = idx[np.linspace(0, idx.size - 1, min(idx.size, max_points)).astype(int)] if idx.size else idx
    pts = [a[idx] for a in x64]
    v = np.random.default_rng(7).standard_normal(pts[w].shape)
    v /= np.sqrt((v.reshape(len(v), -1) ** 2).sum(axis=1)).reshape((-1,) + (1,) * (v.ndim - 1))
    # relative steps: the direction is scaled by the smallest non-zero |x_i| (at most 1), so a small
    # probability is not stepped out of its domain
    flat = np.abs(pts[w].reshape(len(v), -1))
    size = np.clip(np.min(np.where(flat > 0, flat, 1.0), axis=1), 2.0 ** -30, 1.0)
    v *= size.reshape((-1,) + (1,) * (v.ndim - 1))
    return pts, v, idx


def _order(rem, noise):
    """Median log2 ratio of successive remainders over the smallest steps still above roundoff."""
    ok = np.isfinite(rem) & (rem > 100 * noise)
    pairs = np.flatnonzero(ok[:-1] & ok[1:])
    if not pairs.size:
        return np.nan  # the remainder never rose above roundoff: nothing measured
    j = pairs[-3:]
    return float(np.median(np.log(rem[j] / rem[j + 1]) / np.log(STEPS[0] / STEPS[1])))


def _remainders_mp(check, pts, v, lin):
    """|f(x+hv) - f(x) - h lin| with f in mpmath: no roundoff in the forward at all."""
    w = check.wrt
    rem = np.empty((len(v), STEPS.size))
    with mpmath.workdps(DPS):
        for i in range(len(v)):
            ex = [_to_mp(_py(a[i])) for a in pts]
            f0 = check.forward_mp(*ex)
            for j, h in enumerate(STEPS):
                shifted = list(ex)
                shifted[w] = _shift(ex[w], _to_mp(_py(v[i])), mpmath.mpf(h))
                d = _sub(check.forward_mp(*shifted), f0, _scale(mpmath.mpf(h), _to_mp(_py(lin[i]))))
                terms = _flat(d)  # a step that leaves the real domain (log of a negative) has no remainder
                real = all(isinstance(t, mpmath.mpf) for t in terms)
                rem[i, j] = float(mpmath.sqrt(mpmath.fsum(t * t for t in terms))) if real else np.nan
    return rem


def _shift(x, v, h):
    return [a + h * b for a, b in zip(x, v)] if isinstance(x, list) else x + h * v


def _scale(h, lin):
    return [_scale(h, t) for t in lin] if isinstance(lin, list) else h * lin


def _sub(f1, f0, hl):
    if isinstance(f1, list):
        return [_sub(a, b, c) for a, b, c in zip(f1, f0, hl)]
    return f1 - f0 - hl


def _flat(x):
    return [t for e in x for t in _flat(e)] if isinstance(x, list) else [x]


_REMAINDERS = {}  # id(check) -> (check, its jitted float64 remainder kernel)


def taylor_orders(check, args, hand_at, max_points):
    """Observed order of ``|f(x+hv) - f(x) - h df(x)v|`` at moderate points.

    ``hand_at(idx)`` is the hand derivative at ``args``' points ``idx``, as evaluated in float64; the forward is in mpmath when the
    claim gives ``forward_mp`` (then no roundoff hides anything), else in float64
    above a roundoff floor. A correct derivative gives order 2, any error in it
    order 1 at the small steps. Returns (orders, the points where one was measured).
    """
    from .platform import configure

    jax = configure()
    jnp = jax.numpy
    pts, v, idx = _taylor_points(check, args, max_points)
    if not len(v):
        return np.zeros(0), pts
    w = check.wrt
    jac = np.asarray(hand_at(idx), np.float64)  # the hand derivative as the sweep evaluated it
    lin = np.einsum("n...j,nj->n...", jac.reshape(jac.shape[: jac.ndim - (v.ndim - 1)] + (-1,)), v.reshape(len(v), -1))
    # the hand derivative is a float64 value: its rounding (<= 8 eps |lin| for the few roundings
    # of a typical formula) adds h * 8 eps |lin| to the remainder, linear in h, at every step
    lin_size = np.sqrt((lin.reshape(len(lin), -1) ** 2).sum(axis=1))[:, None]
    hand_rounding = 8 * np.finfo(np.float64).eps * STEPS[None, :] * lin_size
    if check.forward_mp is not None:
        rem = _remainders_mp(check, pts, v, lin)
        noise = np.maximum(10.0 ** (-DPS // 2), hand_rounding)
    else:
        def remainders(v1, lin1, *a):
            f0 = check.forward(*a)

            def r(h):
                shifted = list(a)
                shifted[w] = a[w] + h * v1
                return jnp.sqrt(jnp.sum((check.forward(*shifted) - f0 - h * lin1) ** 2))

            # roundoff of the float64 forward is relative to its intermediates, taken as O(1)
            size = jnp.maximum(1.0, jnp.sqrt(jnp.sum(f0 ** 2)))
            return jax.vmap(r)(jnp.asarray(STEPS)), 64 * jnp.finfo(jnp.float64).eps * size

        fn = _REMAINDERS.get(id(check))
        if fn is None:  # one jit per check, kept with it: a re-run compiles nothing
            fn = _REMAINDERS[id(check)] = (check, jax.jit(jax.vmap(remainders)))
        rem, noise = fn[1](v, lin, *pts)
        rem, noise = np.asarray(rem), np.maximum(np.asarray(noise)[:, None], hand_rounding)
    orders = np.array([_order(rem[i], noise[i]) for i in range(len(v))])
    measured = ~np.isnan(orders)
    return orders[measured], [a[measured] for a in pts]
