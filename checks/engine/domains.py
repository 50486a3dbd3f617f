"""Inputs of a check: the regimes that matter, as a deterministic sweep and as Hypothesis strategies.

A domain is a tuple of argument *components* that share one shape bucket (the
vector length ``k`` of logits, probabilities and one-hot labels). Each bucket is
one compiled shape, so the number of compilations is bounded by the buckets.

``sweep(dtype, n, k)`` gives ``n`` points covering every magnitude of the dtype
(log-spaced from the smallest subnormal to the overflow threshold, both signs),
the special values (±0, ±1, the cancellation thresholds around ±log eps, the
exp overflow/underflow thresholds ±log(max), ±log(tiny)), and moderate values.
``strategy(dtype, k)`` draws one example for Hypothesis, from the same regimes.
"""
from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st

from .claim import DeclarationError
from .tolerance import finfo


def special_reals(dtype) -> np.ndarray:
    """The scalar inputs where formulas change regime, for this dtype."""
    fi = finfo(dtype)
    eps, tiny, big = float(fi.eps), float(fi.tiny), float(fi.max)
    base = [0.0, 1.0, 0.5, 2.0, np.log(2.0), eps, np.sqrt(eps), tiny, float(fi.smallest_subnormal),
            -np.log(eps), -np.log(eps) + 1, -np.log(eps / 2), -np.log(tiny), -np.log(fi.smallest_subnormal),
            np.log(big), np.log(big) + 1, 20.0, 30.0, 40.0, 100.0, 1e4, big]
    vals = np.array(base + [-v for v in base] + [-0.0], dtype=np.float64)
    with np.errstate(over="ignore"):
        return vals.astype(dtype)


def log_magnitudes(lo, hi, n) -> np.ndarray:
    """``n`` magnitudes log-spaced from ``lo`` to ``hi`` inclusive, in float64 (10**log10(max) may round past max)."""
    with np.errstate(over="ignore"):
        return np.minimum(np.logspace(np.log10(lo), np.log10(hi), n), hi)


def _random_magnitudes(dtype, n, rng) -> np.ndarray:
    fi = finfo(dtype)
    lo, hi = np.log10(float(fi.smallest_subnormal)), np.log10(float(fi.max))
    with np.errstate(over="ignore"):
        return np.minimum(10.0 ** rng.uniform(lo, hi, n), float(fi.max)).astype(dtype)


def _logspace_magnitudes(dtype, n) -> np.ndarray:
    fi = finfo(dtype)
    return log_magnitudes(float(fi.smallest_subnormal), float(fi.max), max(n, 2)).astype(dtype)


@dataclasses.dataclass(frozen=True)
class Real:
    """A real scalar in [``lo``, ``hi``] (``None``: unbounded), finite unless ``inf``.

    ``open_lo``, ``open_hi``: exclude that end (``Real(0, open_lo=True)``: positive). ``inf``: the
    sweep adds ``+inf`` and ``-inf`` (where inside the bounds) and Hypothesis may draw them.
    """

    lo: float | None = None
    hi: float | None = None
    inf: bool = False
    open_lo: bool = False
    open_hi: bool = False

    vector = False

    def validate(self):
        if self.lo is not None and self.hi is not None and not self.lo < self.hi:
            raise DeclarationError(f"Real domain needs lo < hi, got [{self.lo}, {self.hi}]")

    def symbolic(self, name, k, free=False):
        """One real symbol, with the sign its bounds imply (:mod:`.proof`)."""
        from .proof import reals, sign_assumptions

        signs = sign_assumptions(self.lo, self.hi, self.open_lo, self.open_hi)
        return [reals(name, (), **signs)], "real" + "".join(f", {s}" for s in signs)

    def admits(self, x):
        """Which values of ``x`` (an array) the domain holds."""
        ok = np.isfinite(x) | (self.inf & ~np.isnan(x))
        if self.lo is not None:
            ok &= (x > self.lo) if self.open_lo else (x >= self.lo)
        if self.hi is not None:
            ok &= (x < self.hi) if self.open_hi else (x <= self.hi)
        return ok

    def _regimes(self, dtype, mags, rng, n):
        """Candidates: both signs of ``mags``, ``mags`` away from each finite end, and moderate values."""
        cands = [mags, -mags]
        for end in (self.lo, self.hi):
            if end is not None:
                with np.errstate(over="ignore"):
                    cands += [(end + mags.astype(np.float64)).astype(dtype), (end - mags.astype(np.float64)).astype(dtype)]
        cands.append(rng.uniform(*self._moderate(), n).astype(dtype))
        x = np.concatenate(cands)
        return x[self.admits(x)]

    def _moderate(self):
        """The window of moderate values: [-60, 60], or 120 wide at the end nearest 0 if the domain misses it."""
        lo = -np.inf if self.lo is None else self.lo
        hi = np.inf if self.hi is None else self.hi
        if max(lo, -60.0) < min(hi, 60.0):
            return max(lo, -60.0), min(hi, 60.0)
        c = min(max(0.0, lo), hi)
        return max(lo, c - 120.0), min(hi, c + 120.0)

    def sweep(self, dtype, n, k, rng, part=0):
        if part:  # a further part of a long sweep: random draws from the same regimes, in order
            x = self._regimes(dtype, _random_magnitudes(dtype, n, rng), rng, n)
            return np.sort(x[rng.integers(0, x.size, n)])
        # part 0: the specials, then the log-spaced grid thinned evenly to n points, in order
        x = np.concatenate([special_reals(dtype), self._regimes(dtype, _logspace_magnitudes(dtype, n), rng, n)])
        if self.inf:
            x = np.concatenate([x, np.array([np.inf, -np.inf], dtype=dtype)])
        x = np.unique(x[self.admits(x)])  # sorted; -0.0 and 0.0 collapse to one: put both back, in order
        if (x == 0).any():
            x = np.concatenate([x[x < 0], np.array([-0.0, 0.0], dtype=x.dtype), x[x > 0]])
        if x.size > n:  # keep the specials, thin the rest evenly
            keep = np.isin(x, special_reals(dtype))
            rest = np.flatnonzero(~keep)
            rest = rest[np.linspace(0, rest.size - 1, max(n - keep.sum(), 1)).astype(int)]
            x = x[np.sort(np.concatenate([np.flatnonzero(keep), rest]))]
        return x.astype(dtype)

    def _bounds_in(self, dtype):
        """The bounds as values of ``dtype``, rounded inward (Hypothesis needs representable bounds)."""
        def inward(v, toward):
            if v is None:
                return None
            r = np.asarray(v, dtype=dtype)
            if float(r) != v and (float(r) - v) * (toward - v) < 0:
                r = np.nextafter(r, np.asarray(toward, dtype=dtype))
            return float(r)

        return inward(self.lo, np.inf), inward(self.hi, -np.inf)

    def strategy(self, dtype, k):
        width = np.dtype(dtype).itemsize * 8
        lo, hi = self._bounds_in(dtype)
        tiny = float(finfo(dtype).tiny)
        has_subnormals = (lo is None or lo < tiny) and (hi is None or hi > -tiny)
        floats = st.floats(
            min_value=lo, max_value=hi, allow_nan=False, allow_infinity=self.inf,
            exclude_min=self.open_lo and lo is not None, exclude_max=self.open_hi and hi is not None,
            width=width, allow_subnormal=has_subnormals)
        specials = [v for v in special_reals(dtype).tolist() if self.admits(np.array([v]))[0]]
        strat = st.one_of(st.sampled_from(specials), floats) if specials else floats
        return strat.map(lambda v: np.asarray(v, dtype=dtype))


@dataclasses.dataclass(frozen=True)
class Logits:
    """A vector of ``k`` real logits with entries of magnitude at most ``bound``.

    The sweep covers every magnitude, ties for the max, one dominant entry, and a
    moderate vector shifted by a large constant (the regime of the stable softmax).

    ``masked``: some entries are ``-inf`` (masked out, as attention and padded classes do), never
    all of them: a third of the sweep, down to one finite entry, and Hypothesis draws them too. The
    exact oracle takes ``-inf`` at its real limit (``exp(-inf) = 0``) and holds it fixed when
    differentiating: the derivative with respect to a masked entry is 0.
    """

    bound: float | None = None
    masked: bool = False

    vector = True

    def validate(self):
        if self.bound is not None and not self.bound > 0:
            raise DeclarationError("Logits.bound must be positive")

    def symbolic(self, name, k, free=False):
        from .proof import reals

        return [reals(name, (k,))], f"{k} reals"

    def admits(self, x):
        """Which entries of ``x`` (an array) the domain holds: finite within the bound, or ``-inf`` where masked."""
        ok = np.isfinite(x) & (np.abs(x) <= (np.inf if self.bound is None else self.bound))
        return ok | (self.masked & (x == -np.inf))

    def _bound(self, dtype):
        """The bound as a value of the dtype, rounded down (Hypothesis needs representable bounds)."""
        b = float(finfo(dtype).max) if self.bound is None else min(self.bound, float(finfo(dtype).max))
        r = np.asarray(b, dtype=dtype)
        return float(np.nextafter(r, np.asarray(0, dtype=dtype)) if float(r) > b else r)

    def sweep(self, dtype, n, k, rng):
        b = self._bound(dtype)
        m = n // 5
        mags = log_magnitudes(float(finfo(dtype).smallest_subnormal), b, m)
        d = rng.standard_normal((m, k))
        d /= np.abs(d).max(axis=1, keepdims=True)
        scaled = d * mags[:, None]
        ties = np.repeat(np.where(rng.random(m) < 0.5, -1, 1)[:, None] * mags[:, None], k, axis=1)
        with np.errstate(over="ignore"):  # near -max the runner-up overflows to -inf; clipped to -bound below
            ties[:, 0] -= 0.5 * np.abs(ties[:, 0]) * rng.integers(0, 2, m)
        dominant = np.zeros((m, k))
        dominant[np.arange(m), rng.integers(0, k, m)] = mags * np.where(rng.random(m) < 0.5, -1, 1)
        moderate = rng.normal(0, 5, (m, k))
        shift = np.clip(moderate + rng.choice([-1, 1], (m, 1)) * log_magnitudes(1.0, b / 2, m)[:, None], -b, b)
        rest = rng.normal(0, 3, (n - 4 * m, k))
        x = np.concatenate([scaled, ties, dominant, shift, rest])
        with np.errstate(over="ignore"):
            x = np.clip(x, -b, b).astype(dtype)
        if self.masked:  # every third point: entries masked at a rate spread over [0, 1), one kept finite
            drop = rng.random((n, k)) < rng.random((n, 1))
            drop[np.arange(n), rng.integers(0, k, n)] = False
            drop[np.arange(n) % 3 != 0] = False
            x[drop] = -np.inf
        return x

    def strategy(self, dtype, k):
        b = self._bound(dtype)
        width = np.dtype(dtype).itemsize * 8
        moderate = st.floats(-min(30.0, b), min(30.0, b), width=width)
        wide = st.floats(-b, b, width=width, allow_subnormal=True)
        entry = st.one_of(moderate, wide, st.sampled_from([0.0, min(1.0, b), -min(1.0, b)]))
        vec = st.lists(entry, min_size=k, max_size=k)
        tie = st.tuples(entry, st.integers(1, k)).map(lambda t: [t[0]] * t[1] + [0.0] * (k - t[1]))
        logits = st.one_of(vec, tie).map(lambda v: np.asarray(v, dtype=dtype))
        if not self.masked:
            return logits

        def mask(pair):  # the first entry stays finite: never every one masked
            v, drop = pair
            return np.where(np.asarray([False] + drop), np.asarray(-np.inf, dtype), v)

        return st.tuples(logits, st.lists(st.booleans(), min_size=k - 1, max_size=k - 1)).map(mask)


@dataclasses.dataclass(frozen=True)
class Simplex:
    """A probability vector of length ``k`` (entries >= 0 summing to 1), zeros allowed unless ``positive``.

    ``positive``: every entry a normal number, at least about ``floor`` (default the dtype's
    ``tiny``). The floor at ``tiny`` comes after normalising, so no entry becomes subnormal
    (read as 0 where the backend flushes); the sum then exceeds 1 by at most ``k * tiny``.
    """

    positive: bool = False
    floor: float = 0.0

    vector = True

    def validate(self):
        if not 0 <= self.floor < 1 or (self.floor and not self.positive):
            raise DeclarationError(f"Simplex.floor must be in [0, 1) and needs positive=True, got {self.floor!r}")

    def _normalise(self, p, dtype):
        if self.positive:
            p = np.maximum(p, np.asarray(self.floor, dtype))
        p = p / p.sum(axis=-1, keepdims=True, dtype=dtype)
        return np.maximum(p, finfo(dtype).tiny) if self.positive else p

    def sweep(self, dtype, n, k, rng):
        # U^(1/alpha), alpha log-spaced over [1e-3, 1e3]: near one-hot (entries down to underflow, kept
        # at 1e-300 before the cast) through near uniform, the regimes of Dirichlet(alpha) draws, at a
        # third of the cost of numpy's gamma sampler
        p = rng.random((n, k)) ** (1 / np.logspace(-3, 3, n)[:, None]) + 1e-300
        if not self.positive:
            zero = rng.random((n, k)) < 0.3
            zero[np.arange(n), rng.integers(0, k, n)] = False
            p[zero] = 0.0
            p[: min(n, k)] = np.eye(k)[: min(n, k)]  # the one-hot corners
        p[min(n - 1, k)] = 1.0  # uniform
        return self._normalise((p / p.sum(axis=1, keepdims=True)).astype(dtype), dtype)

    def symbolic(self, name, k, free=False):
        """``p_i = u_i / sum(u)`` with k nonnegative (positive) ``u_i``: every point of the simplex, and SymPy knows
        both the signs and the sum; ``free``: k independent entries (a derivative is taken in every entry, as the
        engine's Jacobian is)."""
        from .proof import reals

        sign = "positive" if self.positive else "nonnegative"
        u = reals(name, (k,), **{sign: True})
        if free:
            return [u], f"{k} {sign} entries (independent: differentiated)"
        return [u / sum(u)], f"the simplex: u_i / sum(u), {k} {sign} u_i"

    @staticmethod
    def exact(p):
        """The point of the simplex a float vector stands for, exactly: ``p / sum(p)`` in ball arithmetic.

        A float probability vector sums to 1 only up to rounding, and a statement about distributions is
        about the simplex: the exact oracle judges it there (the float error of the input is the Tol's to count).
        """
        from .exact import Normalised

        return Normalised(p)

    def strategy(self, dtype, k):
        width = np.dtype(dtype).itemsize * 8
        lo = float(finfo(dtype).tiny) if self.positive else 0.0  # representable in the dtype
        entry = st.one_of(st.floats(lo, 1, width=width, allow_subnormal=not self.positive),
                          st.just(1.0 if self.positive else 0.0))

        def normalise(v):
            p = np.asarray(v, dtype=dtype)
            if not p.sum() > 0:  # all zero: the first outcome certain (a map, not a filter: no rejected draws)
                p[0] = 1
            return self._normalise(p, dtype)

        return st.lists(entry, min_size=k, max_size=k).map(normalise)


@dataclasses.dataclass(frozen=True)
class OneHot:
    """A one-hot label vector of length ``k``."""

    vector = True

    def validate(self):
        pass

    def symbolic(self, name, k, free=False):
        from .proof import numbers

        return [numbers(row) for row in np.eye(k)], f"each of the {k} one-hot vertices"

    def sweep(self, dtype, n, k, rng):
        return np.eye(k, dtype=dtype)[rng.integers(0, k, n)]

    def strategy(self, dtype, k):
        return st.integers(0, k - 1).map(lambda i: np.eye(k, dtype=dtype)[i])


@dataclasses.dataclass(frozen=True)
class Binary:
    """A binary label y in {0, 1}, as a float of the dtype."""

    vector = False

    def validate(self):
        pass

    def symbolic(self, name, k, free=False):
        from .proof import numbers

        return [numbers(0.0), numbers(1.0)], "each of 0 and 1"

    def sweep(self, dtype, n, k, rng):
        return (np.arange(n) % 2).astype(dtype)

    def strategy(self, dtype, k):
        return st.sampled_from([0.0, 1.0]).map(lambda v: np.asarray(v, dtype=dtype))


@dataclasses.dataclass(frozen=True)
class BinaryLabels:
    """``k`` binary labels in {0, 1} (the outcomes of ``k`` examples): every pattern when ``2**k <= n``,
    else random with success rates spread over [0, 1], all-zero and all-one first."""

    vector = True

    def validate(self):
        pass

    def symbolic(self, name, k, free=False):
        from .proof import numbers

        patterns = (np.arange(2 ** k)[:, None] >> np.arange(k)) & 1
        return [numbers(p) for p in patterns], f"each of the {2 ** k} label patterns"

    def sweep(self, dtype, n, k, rng):
        if 2 ** k <= n:
            patterns = (np.arange(2 ** k)[:, None] >> np.arange(k)) & 1
            return np.resize(patterns, (n, k)).astype(dtype)
        y = rng.random((n, k)) < rng.random((n, 1))
        y[: min(n, 2)] = np.arange(min(n, 2))[:, None]
        return y.astype(dtype)

    def strategy(self, dtype, k):
        return st.lists(st.sampled_from([0.0, 1.0]), min_size=k, max_size=k).map(lambda v: np.asarray(v, dtype))


@dataclasses.dataclass(frozen=True)
class Mask:
    """``k`` booleans (which entries take part): every pattern when ``2**k <= n``, else random at rates spread
    over [0, 1], all-False and all-True first. A boolean input, not a float of the dtype: a masked formula's
    edge cases (nothing selected) are swept like any other."""

    vector = True
    boolean = True

    def validate(self):
        pass

    @staticmethod
    def _patterns(k):
        return ((np.arange(2 ** k)[:, None] >> np.arange(k)) & 1).astype(bool)

    def symbolic(self, name, k, free=False):
        """Each of the ``2**k`` patterns, a case of its own (:mod:`.proof`)."""
        return [p.astype(object) for p in self._patterns(k)], f"each of the {2 ** k} mask patterns"

    def sweep(self, dtype, n, k, rng):
        if 2 ** k <= n:
            return np.resize(self._patterns(k), (n, k))
        m = rng.random((n, k)) < rng.random((n, 1))
        m[: min(n, 2)] = np.arange(min(n, 2))[:, None].astype(bool)
        return m

    def strategy(self, dtype, k):
        return st.lists(st.booleans(), min_size=k, max_size=k).map(lambda v: np.asarray(v, dtype=bool))


COMPONENTS = (Real, Logits, Simplex, OneHot, Binary, BinaryLabels, Mask)


@dataclasses.dataclass(frozen=True)
class Args:
    """The inputs of a check: argument components sharing the vector length ``k`` (one bucket each).

    ``Args(Logits(), OneHot(), sizes=(2, 3, 10))``: each argument of the check's functions is drawn
    from its component (``components``, in order). ``sizes``: the vector lengths ``k`` every vector component takes
    (each a compiled shape; the sweep's points are split among them); ignored when all components
    are scalars. The default (2, 7) is the binary case and a general one.
    """

    components: tuple
    sizes: tuple = (2, 7)

    def __init__(self, *components, sizes=(2, 7)):  # the binary case and a general one: two compiled shapes
        object.__setattr__(self, "components", tuple(components))
        object.__setattr__(self, "sizes", tuple(sizes))

    def validate(self):
        if not self.components:
            raise DeclarationError("a domain needs at least one argument")
        for c in self.components:
            if not hasattr(c, "sweep") or not hasattr(c, "strategy"):
                raise DeclarationError(f"domain component {c!r} has no sweep/strategy")
            c.validate()
        if self.vector and (not self.sizes or not all(isinstance(k, int) and k >= 2 for k in self.sizes)):
            raise DeclarationError(f"vector sizes must be integers >= 2, got {self.sizes!r}")

    @property
    def vector(self) -> bool:
        return any(c.vector for c in self.components)

    @property
    def buckets(self) -> tuple:
        return self.sizes if self.vector else (1,)

    def sweep(self, dtype, n, k, seed=0):
        """``n`` points; ``seed`` > 0 gives further, different parts of a long sweep."""
        def one(i, c):
            rng = np.random.default_rng([seed, i, k])
            return (c.sweep(dtype, n, k, rng, part=seed) if isinstance(c, Real) else c.sweep(dtype, n, k, rng))[:n]

        return tuple(one(i, c) for i, c in enumerate(self.components))

    def strategy(self, dtype, k):
        return st.tuples(*(c.strategy(dtype, k) for c in self.components))

    def exact(self, args):
        """The exact points the float arguments stand for (per component: balls, or None where the float is it)."""
        return [c.exact(a) if hasattr(c, "exact") else None for c, a in zip(self.components, args)]


def as_args(domain) -> Args:
    """Accept a bare component where a one-argument domain is meant."""
    if isinstance(domain, Args):
        return domain
    if isinstance(domain, COMPONENTS) or (hasattr(domain, "sweep") and hasattr(domain, "strategy")):
        return Args(domain)
    raise DeclarationError(f"{domain!r} is not a domain (Args of components such as Real(), Logits())")
