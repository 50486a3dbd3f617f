"""Referees (mpmath) and shared pieces of the logarithm, distance and information claims.

* mpmath definitions of the quantities (the engine sets the working precision);
* ``Positive``: a positive-real domain whose ends depend on the dtype (normal numbers only);
* ``monte_carlo``: a Custom check that an expectation :math:`E_{X\\sim p}[g(X)]` equals its closed form.
"""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np
from hypothesis import strategies as st
from mpmath import mp

from checks.engine import Real
from checks.engine.domains import Args, special_reals
from checks.engine.outcomes import evidence, outcome
from checks.engine.tolerance import finfo

from . import _mp


# --- mpmath referees ------------------------------------------------------------------------------


def cross_entropy(p, q):
    return -mp.fsum(_mp.xlogy(a, b) for a, b in zip(p, q))


def euclidean(x, y):
    return mp.sqrt(mp.fsum((a - b) ** 2 for a, b in zip(x, y)))


# --- a positive domain with dtype-dependent ends --------------------------------------------------


def _inward(value, dtype, up):
    """``value`` rounded to the dtype, moved one ulp inward if rounding pushed it outside."""
    v = np.asarray(value, dtype=dtype)
    if (up and v < value) or (not up and v > value):
        v = np.nextafter(v, np.asarray(np.inf if up else -np.inf, dtype=dtype))
    return float(v)


@dataclasses.dataclass(frozen=True)
class Positive:
    """A real scalar in ``[lo(finfo), hi(finfo)]``, by default every positive normal number.

    The engine's :class:`~checks.engine.Real` takes fixed ends, shared by both
    dtypes; logarithms need ends that follow the dtype: subnormal inputs are read
    as 0 on backends that flush them (DAZ), and ``exp(log x)`` can overflow just
    below the largest float. ``not_one`` drops :math:`x = 1` (a logarithm base).
    """

    lo: Callable = lambda fi: fi.tiny
    hi: Callable = lambda fi: fi.max
    not_one: bool = False

    vector = False

    def validate(self):
        pass

    def symbolic(self, name, k, free=False):
        from checks.engine.proof import reals

        positive = self.lo(finfo("float64")) > 0
        return [reals(name, (), **({"positive": True} if positive else {}))], "positive" if positive else "real"

    def _real(self, dtype):
        fi = finfo(dtype)
        return Real(_inward(float(self.lo(fi)), dtype, up=True), _inward(float(self.hi(fi)), dtype, up=False))

    def sweep(self, dtype, n, k, rng):
        x = self._real(dtype).sweep(dtype, n, k, rng)
        # replaced, not dropped: every argument of a domain must keep the same number of points
        return np.where(x == 1, np.nextafter(x, np.asarray(2, dtype)), x) if self.not_one else x

    def strategy(self, dtype, k):
        real = self._real(dtype)
        floats = st.floats(min_value=real.lo, max_value=real.hi, width=np.dtype(dtype).itemsize * 8,
                           allow_subnormal=real.lo < float(finfo(dtype).tiny))
        specials = [v for v in special_reals(dtype).tolist() if real.admits(np.array([v]))[0]]
        s = st.one_of(st.sampled_from(specials), floats) if specials else floats
        s = s.filter(lambda v: v != 1) if self.not_one else s
        return s.map(lambda v: np.asarray(v, dtype=dtype))


# --- Custom checks --------------------------------------------------------------------------------


def _moments(counts, p, g, size):
    """Sample mean of g, its exact variance under p, and the roundoff scale (0 * inf := 0 where p(x) = 0)."""
    with np.errstate(invalid="ignore", over="ignore"):  # g = +-inf where p(x) = 0: masked
        n = counts.sum(axis=1)
        estimate = np.where(counts > 0, counts * g, 0.0).sum(axis=1) / n
        pg = np.where(p > 0, p * g, 0.0)
        mean = pg.sum(axis=1)
        var = np.maximum(np.where(p > 0, p * g ** 2, 0.0).sum(axis=1) - mean ** 2, 0.0)
    return estimate, var, np.abs(pg).sum(axis=1) if size is None else size


def monte_carlo(closed_form, per_outcome, domain: Args, wrong=None, scale=None, samples=1 << 16, sigmas=6.0,
                roundoff=32):
    r"""Custom check: :math:`E_{X \sim p}[g(X)]`, estimated from ``samples`` draws of :math:`X \sim p`, equals ``closed_form``.

    ``per_outcome(*args)`` gives :math:`g(x)` for every outcome :math:`x` (the first
    argument is :math:`p`); ``closed_form(*args)`` the value the document states.
    The estimate is the multinomial sample mean :math:`\sum_x \frac{c_x}{N} g(x)`,
    accumulated in float64 from the dtype's :math:`g`. It must be within
    ``sigmas`` standard errors (:math:`\sqrt{\mathrm{Var}_p[g]/N}`, computed exactly
    from :math:`p`) plus ``roundoff`` eps relative to ``scale(*args)`` (default
    :math:`\sum_x p|g|`): the dtype's rounding of :math:`g`, of the closed form (a
    k-term sum, <= (1.5 + k) eps each, k <= 7: the domains' sizes (2, 7)) and of :math:`p` itself (its entries
    sum to 1 within k/2 eps; the sampler uses them renormalised). Seeds are fixed, so the
    check is reproducible; a true statement fails it with probability < 1e-8 per
    distribution (6 sigma).

    ``wrong`` (optional): a closed form that misreads the statement; the same
    samples must reject it somewhere, which shows the test has the power to fail.
    """
    def run(dtype, budget):
        import jax

        eps = float(finfo(dtype).eps)
        worst, rejected, checked, cex = 0.0, 0, 0, None
        for k in domain.buckets:
            args = domain.sweep(dtype, 64, k, seed=11)
            f = jax.jit(jax.vmap(lambda *a: (closed_form(*a), per_outcome(*a), scale(*a) if scale else closed_form(*a))
                                 + ((wrong(*a),) if wrong else ())))
            out = [np.asarray(o, np.float64) for o in f(*args)]
            closed, g, size = out[0], out[1], out[2]
            p = np.asarray(args[0], np.float64)
            p = p / p.sum(axis=1, keepdims=True)  # the dtype's rounding of the simplex, undone for sampling
            counts = np.random.default_rng([k, 7]).multinomial(samples, p)
            estimate, var, size = _moments(counts, p, g, size if scale else None)
            bound = sigmas * np.sqrt(var / samples) + roundoff * eps * size
            err = np.abs(estimate - closed) / np.maximum(bound, np.finfo(np.float64).tiny)
            err = np.where(estimate == closed, 0.0, err)
            checked += len(err)
            i = int(np.argmax(err))
            worst = max(worst, float(err[i]))
            if err[i] > 1 and cex is None:
                cex = {"args": [np.asarray(a[i]).tolist() for a in args], "estimate": float(estimate[i]),
                       "closed_form": float(closed[i]), "bound": float(bound[i])}
            if wrong:
                rejected += int((np.abs(estimate - out[3]) > bound).sum())
        ev = [evidence("monte-carlo", dtype, points=checked, max_error=worst, tolerance=1.0,
                       note=f"|mean of {samples} draws - closed form| in units of ({sigmas} sigma + {roundoff} eps)")]
        ok = worst <= 1.0
        msg = "" if ok else "the closed form is outside the Monte Carlo bound"
        if wrong:
            ev.append(evidence("power: misreading rejected", dtype, points=checked, max_error=float(rejected),
                               note="distributions on which the misread closed form is outside the same bound (must be > 0)"))
            if rejected == 0:
                ok, msg = False, "the misread closed form was never rejected: the test has no power"
        return outcome(dtype, ok, ev, msg, cex)

    return run
