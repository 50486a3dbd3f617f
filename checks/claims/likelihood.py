"""Claims about maximum likelihood: the product, its logarithm, the argmax, and the Gaussian NLL gradient.

Argmax claims are certified on the Bernoulli family over the grid theta = j / (4 n):
the maximiser s/n of a sample with s ones lies on the grid and beats its
neighbours by a relative margin >= 1e-2, far above roundoff, so every form of the
objective (product, sum of logs, mean, negated) must return s/n. The ``BinaryLabels``
domain enumerates every sample of the sizes used (3 and 8).
"""
from __future__ import annotations

import dataclasses
import functools

import jax.numpy as jnp
import numpy as np
from hypothesis import strategies as st
from mpmath import mp

from derivations import likelihood as lk

from checks.engine import (Args, BinaryLabels, Claim, Custom, Derivative, Identity, Kind, Real, Simplex, Source, Tol,
                           Verdict)
from checks.engine.exact import cache
from checks.engine.platform import configure, flushes_subnormals
from checks.engine.outcomes import evidence, outcome

from ._sources import DOC000, DOC001, DOC002

# Tolerance counts: u = eps per operation (a correctly rounded +, -, *, / errs by at most eps/2, XLA's exp and log
# by about an ulp: one eps covers both); a Tol is the count, unless a count says it uses u = eps/2.
SAMPLE_SIZES = (3, 8)  # every sample of these sizes is enumerated
EVEN_SAMPLE_SIZES = (2, 8)  # where (-1)^m = 1: the as-written cost of 000 is the likelihood itself
GRID_PER_POINT = 4  # the theta grid has 4 n + 1 points: s/n is on it for every s


# -- domains -------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Box:
    """k reals in [lo, hi]: uniform, plus the ends, 0 and tiny values (the engine's Real is one scalar, not k)."""

    lo: float
    hi: float

    vector = True

    def validate(self):
        assert self.lo < self.hi

    def symbolic(self, name, k, free=False):
        from checks.engine.proof import reals, sign_assumptions

        signs = sign_assumptions(self.lo, self.hi)
        return [reals(name, (k,), **signs)], f"{k} reals" + "".join(f", {s}" for s in signs)

    def sweep(self, dtype, n, k, rng):
        x = rng.uniform(self.lo, self.hi, (n, k))
        special = np.array([self.lo, self.hi, 0.0, 1e-30, -1e-30])
        x[: n // 4] = rng.choice(special, (n // 4, k))
        return np.clip(x, self.lo, self.hi).astype(dtype)

    def strategy(self, dtype, k):
        width = np.dtype(dtype).itemsize * 8
        return st.lists(st.floats(self.lo, self.hi, width=width), min_size=k, max_size=k).map(
            lambda v: np.asarray(v, dtype))


@dataclasses.dataclass(frozen=True)
class Probabilities:
    """k probabilities in (0, 1] whose product is a normal number of the dtype: entries >= 2 tiny^(1/k)."""

    vector = True

    def validate(self):
        pass

    def symbolic(self, name, k, free=False):
        from checks.engine.proof import reals

        return [reals(name, (k,), positive=True)], f"{k} positive reals"

    @staticmethod
    def floor(dtype, k):
        """2 tiny^(1/k), rounded into the dtype: a product of k such entries is >= 2^k tiny despite its roundoff."""
        return float(np.array(2 * float(np.finfo(dtype).tiny) ** (1.0 / k), dtype))

    def admits(self, p):
        """Which entries are such probabilities (against float32's floor, the higher: a counterexample made simple
        (:mod:`checks.engine.simplify`) stays in the domain of either dtype)."""
        return (p <= 1) & (p >= self.floor("float32", np.shape(p)[-1]))

    def sweep(self, dtype, n, k, rng):
        lo = np.log(self.floor(dtype, k))
        p = np.exp(rng.uniform(lo, 0.0, (n, k)) * rng.random((n, 1)) ** 2)  # all scales, many near 1
        p[: n // 8] = 1 - rng.random((n // 8, k)) * float(np.finfo(dtype).eps) * 4  # 1 - O(eps): log p ~ -eps
        p[n // 8: n // 4] = rng.choice([1.0, 0.5, 0.25, 1e-3], (n // 4 - n // 8, k))
        return np.maximum(p, self.floor(dtype, k)).astype(dtype)

    def strategy(self, dtype, k):
        width = np.dtype(dtype).itemsize * 8
        lo = self.floor(dtype, k)
        entry = st.one_of(st.floats(lo, 1.0, width=width), st.sampled_from([1.0, 0.5]))
        return st.lists(entry, min_size=k, max_size=k).map(lambda v: np.asarray(v, dtype))


@dataclasses.dataclass(frozen=True)
class Labels:
    """k observed outcomes in {0, ..., k-1} (a categorical sample), as floats of the dtype like every input."""

    vector = True

    def validate(self):
        pass

    def symbolic(self, name, k, free=False):
        from checks.engine.proof import numbers

        samples = np.indices((k,) * k).reshape(k, -1).T
        return [numbers(s) for s in samples], f"each of the {k ** k} samples"

    def sweep(self, dtype, n, k, rng):
        x = rng.integers(0, k, (n, k))
        x[: n // 8] = rng.integers(0, k, (n // 8, 1))  # a single outcome observed: the other counts are 0
        return x.astype(dtype)

    def strategy(self, dtype, k):
        return st.lists(st.integers(0, k - 1), min_size=k, max_size=k).map(lambda v: np.asarray(v, dtype))


# -- the Bernoulli argmax machinery --------------------------------------------------------------
def _grid(x):
    return lk.theta_grid(GRID_PER_POINT * x.shape[-1], x.dtype)


def _theta_at(select, objective):
    """theta of the grid chosen by ``select`` (argmax / argmin) of ``objective`` of the per-point probabilities."""
    def f(x):
        g = _grid(x)
        return g[select(objective(lk.bernoulli_objectives(x, g)))]
    return f


ARGMAX, ARGMIN = jnp.argmax, jnp.argmin
theta_max_product = _theta_at(ARGMAX, lk.likelihood)
theta_max_log = _theta_at(ARGMAX, lk.log_likelihood)
theta_max_mean = _theta_at(ARGMAX, lk.mean_log_likelihood)
theta_min_neg_product = _theta_at(ARGMIN, lambda p: -lk.likelihood(p))
theta_min_nll = _theta_at(ARGMIN, lambda p: -lk.log_likelihood(p))

# j/(4n) and s/n are the same rational; XLA divides by a constant as a product with its rounded reciprocal,
# so each side is within 2 roundings of it (neighbouring grid points are 1/(4n) away: far more)
EXACT_GRID = Tol(4, "grid point j/(4n) and mean s/n: the same rational, each side <= 2 roundings (reciprocal, product)")
BITS = Args(BinaryLabels(), sizes=SAMPLE_SIZES)


def _same_theta(*selectors):
    """Identity: every selector returns the closed-form maximiser s/n (stacked)."""
    return Identity(lhs=lambda x: jnp.stack([f(x) for f in selectors]),
                    rhs=lambda x: jnp.stack([lk.bernoulli_mle(x)] * len(selectors)),
                    domain=BITS, tol=EXACT_GRID)


# positive scales from 2^-100 to 2^100 (powers of 2 scale exactly; the others round, monotonically) and 1/n
POSITIVE_SCALES = (2.0 ** -100, 1e-3, 0.5, 3.0, 1e3, 2.0 ** 100)
NEGATIVE_SCALES = (-1.0, -0.125)


def _argmax_scaling(dtype, budget):
    """argmax_theta c log L(theta) over every Bernoulli sample of size 3 and 8: s/n for c > 0, moved for c < 0."""
    jax = configure()
    eps, tiny = float(np.finfo(dtype).eps), float(np.finfo(dtype).tiny)

    @jax.jit
    @functools.partial(jax.vmap, in_axes=(0, None))
    def theta(x, c):  # c = 0 stands for 1/n
        g = _grid(x)
        scale = jnp.where(c == 0, 1 / jnp.asarray(x.shape[-1], x.dtype), c)
        return g[jnp.argmax(scale * lk.log_likelihood(lk.bernoulli_objectives(x, g)))]

    worst, moved, first_moved, bad = 0.0, {c: 0 for c in NEGATIVE_SCALES}, {}, None
    total = 0
    for n in SAMPLE_SIZES:
        x = ((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1).astype(dtype)  # every sample
        mle = x.mean(axis=1, dtype=np.float64)
        total += x.shape[0]
        for c in (0.0,) + POSITIVE_SCALES + NEGATIVE_SCALES:
            t = np.asarray(theta(x, np.asarray(c, dtype)), np.float64)
            if c < 0:
                off = np.flatnonzero(np.abs(t - mle) > 1 / (8 * n))  # more than half a grid step away
                moved[c] += off.size
                if off.size and c not in first_moved:
                    first_moved[c] = {"sample": x[off[0]].tolist(), "argmax": t[off[0]], "mle": mle[off[0]]}
            else:
                err = np.abs(t - mle) / np.maximum(mle, tiny) / eps  # grid point and s/n: the same rational
                worst = max(worst, float(err.max()))
                if err.max() > EXACT_GRID.ulps and bad is None:
                    i = int(np.argmax(err))
                    bad = {"args": [x[i].tolist()], "scale": c or "1/n", "argmax": t[i], "mle": mle[i]}
    ev = [evidence("c > 0 (1/n and 2^-100 ... 2^100): argmax = s/n", dtype, points=total * (1 + len(POSITIVE_SCALES)),
                   max_error=worst, tolerance=EXACT_GRID.ulps, note=EXACT_GRID.reason)]
    ev += [evidence(f"witness: c = {c} moves the argmax", dtype, points=total, max_error=float(moved[c]),
                    tolerance=None, note=f"samples whose argmax left s/n (must be > 0; it becomes the argmin, a grid "
                                         f"end); first: {first_moved.get(c)}") for c in NEGATIVE_SCALES]
    ok = bad is None and all(moved.values())
    msg = "" if ok else (f"a positive scale moved the argmax: {bad}" if bad else "no negative scale moved the argmax")
    return outcome(dtype, ok, evidence=ev, message=msg,
                   counterexample={**bad, "dtype": dtype} if bad else None)


THETA_DATA = 0.3  # p_data = Bernoulli(0.3) for the as-written "expectation under p_data"


def _theta_max_population(x):
    """argmax over the grid of E_{x ~ Bernoulli(0.3)} log p_theta(x) = 0.3 log theta + 0.7 log(1 - theta)."""
    g = _grid(x)
    return g[jnp.argmax(lk.expected_log_likelihood_as_written(g, jnp.asarray(THETA_DATA, x.dtype)))]


def _interior_grid(x):
    g = _grid(x)
    return g[1:-1]  # theta in (0, 1): both sides finite


def _nll_sum_as_written(x):
    """000's original's left side: J(theta) = sum_i -log p_theta(x_i), no 1/m, at every interior grid theta."""
    return -lk.log_likelihood(lk.bernoulli_objectives(x, _interior_grid(x)))


def _population_nll(x):
    """Its right side: E_{x ~ p_data}[-log p_theta(x)] for p_data = Bernoulli(0.3), at the same thetas."""
    return -lk.expected_log_likelihood_as_written(_interior_grid(x), jnp.asarray(THETA_DATA, x.dtype))


# -- the conditional (logistic) model: argmax without a closed form -------------------------------
W_GRID = 101  # w in [-5, 5]: with |x| <= 1 every P(y|x;w) >= sigma(-5), so a product of <= 8 stays normal in float32


def _w_grid(x):
    return jnp.linspace(-5, 5, W_GRID, dtype=x.dtype)


def _conditional_tables(x, y):
    w = _w_grid(x)[:, None]
    return lk.likelihood(lk.logistic_prob(w, x, y)), lk.logistic_log_prob(w, x, y)


def _loglik_at_product_argmax(x, y):
    prod, logs = _conditional_tables(x, y)
    return jnp.sum(logs, axis=-1)[jnp.argmax(prod)]


def _max_loglik(x, y):
    _, logs = _conditional_tables(x, y)
    return jnp.max(jnp.sum(logs, axis=-1))


def _loglik_scale(x, y):
    _, logs = _conditional_tables(x, y)
    return jnp.sum(jnp.abs(logs), axis=-1)[jnp.argmax(jnp.sum(logs, axis=-1))]


# -- empirical expectation --------------------------------------------------------------------------
def _mean_log(q, labels):
    return lk.mean_log_likelihood(q[labels.astype(jnp.int32)])


def _expected_log(q, labels):
    return lk.empirical_expectation(jnp.log(q), labels)


EMPIRICAL = Identity(
    lhs=_mean_log, rhs=_expected_log,
    domain=Args(Simplex(positive=True), Labels(), sizes=SAMPLE_SIZES),
    # all terms log q <= 0 share a sign, so no cancellation: left, k <= 8 logs (<= 2 ulps each: faithful, not
    # correctly rounded), 7 additions and a divide <= 10u; right, c/n (1u), log (2u), product (1u), 7 additions <= 11u
    tol=Tol(21, "same-signed terms (u = eps): mean of k <= 8 logs <= 10u, sum of k weighted logs <= 11u: 21u"),
)


# -- Custom checks: underflow of the product ------------------------------------------------------------------------
def _first_zero(values):
    """1-based index of the first zero of a prefix sequence (0 if none)."""
    zero = np.flatnonzero(np.asarray(values) == 0)
    return int(zero[0]) + 1 if zero.size else 0


@functools.lru_cache(maxsize=None)
def _prefixes():
    """(product, sum of logs) of every prefix p[:n], n = 1..N: one jit(vmap), masked with the neutral element 1."""
    jax = configure()

    def both(p):
        idx = jnp.arange(p.shape[0])
        masked = jax.vmap(lambda n: jnp.where(idx < n, p, jnp.ones_like(p)))(idx + 1)
        return lk.likelihood(masked), lk.log_likelihood(masked)

    return jax.jit(both)


def _prefix(p):
    return [np.asarray(v) for v in _prefixes()(p)]


def _underflow(dtype, budget):
    """The product of n probabilities underflows to 0 at a modest n; the sum of logs stays finite and accurate."""
    fi = np.finfo(dtype)
    floor = float(fi.tiny if flushes_subnormals(dtype) else fi.smallest_subnormal)
    n_pred = int(round(-np.log2(floor))) + 1  # 2^-n is exact down to the floor; half of it rounds (ties-to-even) to 0
    ev, fails = [], []

    # fair coin: p_i = 1/2
    half = jnp.full(n_pred + 64, 0.5, dtype)
    prods, logs = _prefix(half)
    n_zero = _first_zero(prods)
    exact = -np.arange(1, half.shape[0] + 1) * np.log(2.0)
    # a pairwise sum of N equal terms: <= log2(N) + 1 roundings relative to N log 2
    err = np.max(np.abs(logs - exact) / np.abs(exact)) / fi.eps
    tol = np.log2(half.shape[0]) + 2
    ev.append(evidence("fair coin: first n with prod = 0", dtype, points=half.shape[0], max_error=abs(n_zero - n_pred),
                       tolerance=None, note=f"prod of n halves = 0 from n = {n_zero} (predicted {n_pred} = -log2({floor:.3g}) + 1)"))
    ev.append(evidence("fair coin: sum of logs vs -n log 2", dtype, points=half.shape[0], max_error=err, tolerance=tol,
                       note=f"finite: {logs[-1]:.6g} at n = {half.shape[0]}"))
    if n_zero != n_pred:
        fails.append(f"fair coin product first 0 at n = {n_zero}, predicted {n_pred}")
    if not (np.all(np.isfinite(logs)) and err <= tol):
        fails.append(f"sum of logs inaccurate: {err:.3g} ulps > {tol:.3g}")

    # standard-normal data under the standard-normal model: density phi(x_i) <= 0.4
    x = np.random.default_rng(0).standard_normal(n_pred + 64).astype(dtype)  # phi < 0.4: underflows well before
    dens = jnp.exp(-jnp.asarray(x) ** 2 / 2) / jnp.sqrt(jnp.asarray(2 * np.pi, dtype))
    prods, logs = _prefix(dens)
    n_zero = _first_zero(prods)
    with mp.workdps(30):
        exact = np.cumsum([float(-mp.mpf(float(v)) ** 2 / 2 - mp.log(2 * mp.pi) / 2) for v in x])
    # the partial products are >= the full one (every factor < 1), so it reaches 0 only once the exact
    # product is within a factor e (subnormal rounding, summed roundoff) of the floor
    near = n_zero > 0 and exact[n_zero - 1] < np.log(floor) + 1 and (n_zero == 1 or exact[n_zero - 2] > np.log(floor) - 1)
    scale = np.cumsum(np.abs(exact))  # same-signed terms: roundoff relative to the sum
    err = np.max(np.abs(logs - exact) / scale) / fi.eps
    tol = 4 + np.log2(len(x))  # exp, divide, log of each term (<= 4u) plus the pairwise sum's depth
    ev.append(evidence("N(0,1) sample: first n with prod = 0", dtype, points=len(x), max_error=0.0 if near else np.inf,
                       tolerance=None, note=f"prod of densities = 0 from n = {n_zero}; exact log-likelihood there "
                                         f"{exact[n_zero - 1]:.1f} vs log(floor) = {np.log(floor):.1f}"))
    ev.append(evidence("N(0,1) sample: sum of logs vs mpmath", dtype, points=len(x), max_error=err, tolerance=tol,
                       note=f"finite: {logs[-1]:.6g} at n = {len(x)}"))
    if not near:
        fails.append(f"N(0,1) product first 0 at n = {n_zero}, not where the exact product crosses the floor")
    if not (np.all(np.isfinite(logs)) and err <= tol):
        fails.append(f"N(0,1) sum of logs inaccurate: {err:.3g} ulps > {tol:.3g}")

    # consequence: past n_pred every theta has likelihood 0 and the argmax of the product is the first grid point
    sample = jnp.asarray(np.arange(2 * n_pred) % 2, dtype)  # s = n/2, maximiser 1/2
    g = _grid(sample)
    probs = lk.bernoulli_objectives(sample, g)
    by_product, by_log = float(g[jnp.argmax(lk.likelihood(probs))]), float(g[jnp.argmax(lk.log_likelihood(probs))])
    all_zero = bool(jnp.all(lk.likelihood(probs) == 0))
    ev.append(evidence("argmax at n = 2 n_pred", dtype, points=g.shape[0], max_error=abs(by_log - 0.5), tolerance=None,
                       note=f"product is 0 at every theta: {all_zero}; argmax of the product {by_product}, "
                            f"of the sum of logs {by_log} (true 0.5)"))
    if not (all_zero and by_log == 0.5):
        fails.append(f"at n = {2 * n_pred}: product all zero {all_zero}, log argmax {by_log}")
    return outcome(dtype, not fails, ev, "; ".join(fails), {"failures": fails})


# -- log is increasing only on (0, inf) --------------------------------------------------------------
def _log_increases(lo, hi):
    """Per pair, whether log hi > log lo, in mpmath."""
    with mp.workprec(2200):  # exact for any two binary64 floats: log of distinct floats differ at this precision
        return [bool(mp.log(mp.mpf(float(b))) > mp.log(mp.mpf(float(a)))) for a, b in zip(lo, hi)]


def _log_domain(dtype, budget):
    """Strictly increasing on (0, inf) in exact arithmetic (mpmath, adjacent floats included); undefined at x <= 0."""
    rng = np.random.default_rng(1)
    x = Real(lo=0.0, open_lo=True).sweep(dtype, 400, 1, rng)
    with np.errstate(over="ignore"):  # the largest floats step to inf: dropped below
        up = np.nextafter(x, np.array(np.inf, dtype))  # the hardest pairs: adjacent floats
        far = x * np.array(rng.uniform(1, 1e3, x.size), dtype)
    lo, hi = np.concatenate([x, x]), np.concatenate([up, far])
    keep = np.isfinite(hi) & (hi > lo)
    pairs = [lo[keep], hi[keep]]
    strict = cache.computed(_log_increases, pairs, lambda: _log_increases(*pairs))
    outside = np.asarray(jnp.log(jnp.asarray([0.0, -1.0, -np.inf], dtype)))
    undefined = outside[0] == -np.inf and np.isnan(outside[1]) and np.isnan(outside[2])
    ev = [evidence("mpmath: x2 > x1 > 0 => log x2 > log x1", dtype, points=len(strict),
                   max_error=float(len(strict) - sum(strict)), tolerance=None, note="strict, adjacent floats included"),
          evidence("float log at x <= 0", dtype, points=3, max_error=0.0 if undefined else np.inf, tolerance=None,
                   note=f"log(0), log(-1), log(-inf) = {outside.tolist()}: no order to compare for x <= 0")]
    ok = all(strict) and undefined
    return outcome(dtype, ok, evidence=ev,
                   message="" if ok else "strictness or the x <= 0 behaviour differs")


# -- the Gaussian NLL ---------------------------------------------------------------------------------
# mu, y: bounds exact in both dtypes, so that mu - y cannot overflow in float32 (max 3.4e38)
BOUNDED = Real(-2.0 ** 100, 2.0 ** 100)


# sigma > 0 and a normal float32: subnormals are read as 0 where the backend flushes them, and sigma = 0 is no Gaussian
SIGMA = Real(lo=float(np.finfo(np.float32).tiny))
# where (y - mu)^2 is finite in float32 too (2^61 squared is 2^122 < 3.4e38): an identity of values compares it
SQUARABLE = Real(-2.0 ** 60, 2.0 ** 60)

CLAIMS = [
    # ---------------------------------------------------------------- definitions
    Claim(
        id="likelihood.definition",
        statement=r"L(\theta) = p_{model}(Y \mid X; \theta)",
        sources=(Source(DOC000, "Maximum Likelihood", "We define the likelihood of the data as"),),
        kind=Kind.DEFINITION, verdict=Verdict.DEFINITION, reconstructed=True,
        note="000 lost the formula; the likelihood of the labels given the inputs under the model.",
    ),
    Claim(
        id="likelihood.iid-factorisation",
        statement=r"p(x_1, \dots, x_n; \theta) = \prod_{i=1}^n p(x_i; \theta) \quad \text{for independent } x_i",
        sources=(
            Source(DOC001, "Maximum Likelihood Estimation",
                   "Assume the data points $x_i$ independent so probability of dataset is the product of all probabilities"),
        ),
        kind=Kind.DEFINITION, verdict=Verdict.DEFINITION,
        note="The definition of independence; nothing to compute. 000's step (with its index range) is "
             "likelihood.iid-factorisation-index-range.",
    ),
    Claim(
        id="likelihood.iid-factorisation-index-range",
        statement=r"p_{model}(y_0, \dots, y_m \mid x_0, \dots, x_m;\theta) = \prod_{i=0}^m p_{model}(y_i \mid x_i;\theta)"
                  r"\quad (m + 1 \text{ independent labels, } m + 1 \text{ factors})",
        sources=(Source(DOC000, "Maximum Likelihood", "Assuming the data is i.i.d., we can factorise the joint distribution as"),),
        kind=Kind.IDENTITY, verdict=Verdict.ERRATUM, reconstructed=True,
        as_written=r"p_{model}(\textbf{y}_0, \dots \textbf{y}_m \mid \textbf{x}_0, \dots \textbf{x}_m ; \theta) = "
                   r"\Pi_{i=1}^m p_{model}(\textbf{y}_i \mid \textbf{x}_i ; \theta)",
        as_written_check=Identity(lhs=lk.independent_joint,
                                  rhs=lk.factorisation_as_written_000,
                                  domain=Args(Probabilities(), BinaryLabels(), sizes=(2, 3)),
                                  tol=Tol(5, "as for the correction")),
        derivation=lk.independent_joint,
        check=Identity(
            lhs=lk.independent_joint, rhs=lambda q, y: lk.likelihood(lk.bernoulli_pmf(q, y)),
            domain=Args(Probabilities(), BinaryLabels(), sizes=(2, 3)),
            # each side: m + 1 <= 3 factors, each q or 1 - q (<= 1 rounding), and m products: <= 2m + 1 = 5u
            tol=Tol(5, "m + 1 <= 3 factors (1 - q: 1 rounding each) and m products on each side: <= 5u"),
        ),
        note="The formula comes from the author's public original of the same notes (000's extraction lost it): the "
             "joint of y_0 ... y_m (m + 1 labels, as the likelihood's definition writes it) is factorised as "
             "Pi_{i=1}^m, m factors: p(y_0 | x_0) is dropped. With m = 1 the as-written right side is p(y_1 | x_1) "
             "alone, wrong unless p(y_0 | x_0) = 1. The later steps all use i = 1 ... m consistently, so the slip is "
             "only in the index range of this line (or of the definition before it). Checked on independent Bernoulli "
             "labels with p(y_i = 1 | x_i) = q_i: the joint read off the product-measure table against the product "
             "of the m + 1 marginals.",
    ),
    Claim(
        id="likelihood.ml-estimator",
        statement=r"\theta_{ML} = \operatorname{argmax}_\theta\, p_{model}(X; \theta)",
        sources=(
            Source(DOC000, "Maximum Likelihood",
                   "the \"best\" set of parameters should give the most probability to the training data"),
            Source(DOC001, "Maximum Likelihood Estimation", "The *Maximum Likelihood Estimator* for $\\theta$ is then defined as"),
        ),
        kind=Kind.DEFINITION, verdict=Verdict.DEFINITION,
        note="The maximum likelihood principle, as a definition of the estimator.",
    ),
    # ---------------------------------------------------------------- log of a product
    Claim(
        id="likelihood.log-of-product",
        statement=r"\log \prod_{i=1}^n p_i = \sum_{i=1}^n \log p_i \qquad (p_i > 0)",
        sources=(
            Source(DOC001, "Maximum Likelihood Estimation", "Key Log Rule used: $log(ab) = log(a) + log(b)$"),
            Source(DOC002, "Basic concepts and notation", "The log transformation has the additional benefit that the product becomes a sum"),
        ),
        kind=Kind.IDENTITY, verdict=Verdict.HOLDS,
        derivation=lk.log_likelihood,
        check=Identity(
            lhs=lambda p: jnp.log(lk.likelihood(p)), rhs=lk.log_likelihood,
            scale=lambda p: jnp.sum(jnp.abs(jnp.log(p))),
            domain=Args(Probabilities(), sizes=SAMPLE_SIZES),
            # left: k - 1 <= 7 products (relative) -> 7u absolute after the log, plus the log's 2 ulps of |log P|;
            # right: k logs (<= 2 ulps each) and 7 additions, relative to sum |log p_i|; the absolute floor 1
            # covers the product's error where sum |log p_i| < 1 (p_i near 1). 7 + 2 + 9 = 18u (u = eps)
            tol=Tol(18, "product 7u -> 7u absolute, its log 2u, k <= 8 logs 2u each and 7 additions 9u: 18u (u = eps), "
                        "relative to max(sum |log p|, 1)",
                    absolute=True),
        ),
        note="Checked where the product is a normal number (p_i >= tiny^(1/n)); where it is not, the left side is "
             "log 0 = -inf: that is likelihood.product-underflows.",
    ),
    Claim(
        id="likelihood.product-underflows",
        statement=r"\mathrm{fl}\Big(\prod_{i=1}^n \tfrac12\Big) = 0 \text{ for } n \ge 150 \text{ (float32)}, "
                  r"n \ge 1075 \text{ (float64)} \text{ (127 and 1023 where subnormals are flushed), while } "
                  r"\sum_{i=1}^n \log \tfrac12 = -n\log 2 \text{ is finite}",
        sources=(
            Source(DOC001, "Maximum Likelihood Estimation",
                   "To simplify the calculation and be mindful of underflow issues, especially as we multiply many fractions together"),
            Source(DOC000, "Maximum Likelihood",
                   "Long chains of multiplication can lead to problems such as numerical instability"),
            Source(DOC002, "Basic concepts and notation", "Which is beneficial when doing numerical optimization."),
        ),
        kind=Kind.STABILITY, verdict=Verdict.HOLDS, reconstructed=True,
        derivation=lk.likelihood,
        check=Custom(run=_underflow, description=(
            "prefix products of n fair-coin probabilities and of N(0,1) densities of a N(0,1) sample, in the dtype: "
            "first n where the product is 0 (predicted from the dtype's smallest subnormal, or smallest normal "
            "where the backend flushes), the sum of logs there finite and accurate against mpmath, and the argmax "
            "of the product degenerate (all zeros) past it while the argmax of the sum of logs is right")),
        note="Fair coin: 2^-n is 0 from n = 150 (float32) / 1075 (float64); 127 / 1023 with flush-to-zero. "
             "Standard-normal data: 66 (float32) / 495 (float64) points on a flush-to-zero CPU (the evidence gives "
             "the n of the backend at hand). "
             "Past it, the product's argmax is the first grid point whatever the data. This is the numerical "
             "benefit 002 names for the sum of logs ('beneficial when doing numerical optimization').",
    ),
    # ---------------------------------------------------------------- argmax invariances
    Claim(
        id="likelihood.argmax-log-invariance",
        statement=r"\operatorname{argmax}_\theta \prod_{i=1}^n p_\theta(x_i) = \operatorname{argmax}_\theta \sum_{i=1}^n \log p_\theta(x_i)",
        sources=(Source(DOC001, "Maximum Likelihood Estimation", "The *Maximum Log Likelihood Estimator* defined as"),),
        kind=Kind.INVARIANCE, verdict=Verdict.HOLDS,
        derivation=lk.log_likelihood,
        check=_same_theta(theta_max_product, theta_max_log),
        note="Bernoulli family, every sample of size 3 and 8, grid theta = j/(4n): both argmaxes equal the "
             "closed-form maximiser s/n exactly.",
    ),
    Claim(
        id="likelihood.argmax-scaling",
        statement=r"c > 0:\ \operatorname{argmax}_\theta\, c\sum_{i=1}^n \log p_\theta(x_i) = \operatorname{argmax}_\theta \sum_{i=1}^n \log p_\theta(x_i)"
                  r"\ \text{ (in particular } c = \tfrac1n\text{)}; \ c < 0: \operatorname{argmax}_\theta\, c \sum_i \log p_\theta(x_i) = "
                  r"\operatorname{argmin}_\theta \sum_i \log p_\theta(x_i)",
        sources=(Source(DOC001, "Maximum Likelihood Estimation",
                        "since the argmax does not change with respect to scaling, we are going to scale by"),),
        kind=Kind.INVARIANCE, verdict=Verdict.IMPRECISE,
        condition=r"The scale is positive, c > 0 (as 1/n is): a negative scale turns the argmax into the argmin, and "
                  r"c = 0 makes every \theta a maximiser.",
        derivation=lk.mean_log_likelihood,
        check=Custom(run=_argmax_scaling, description=(
            "every Bernoulli sample of size 3 and 8, grid theta = j/(4n): argmax_theta c log L(theta) equals the "
            "closed-form maximiser s/n for c = 1/n and c in {2^-100, 1e-3, 0.5, 3, 1e3, 2^100}; witnesses that "
            "c = -1 and c = -1/8 move it (to the argmin, a grid end)")),
        note="The document says the argmax does not change 'with respect to scaling' in general; that holds for a "
             "positive scale only, which 1/n is, so its use here is right. In floating point, scaling is monotone "
             "(rounding can merge near-ties, never reorder); on this grid the maximum beats its neighbours by far more.",
    ),
    Claim(
        id="likelihood.mean-is-empirical-expectation",
        statement=r"\frac1n\sum_{i=1}^n \log p_{model}(x_i;\theta) = \mathbb{E}_{x \sim \hat p_{data}} \log p_{model}(x;\theta)"
                  r"\ \text{ so }\ \operatorname{argmax}_\theta \tfrac1n\textstyle\sum_i \log p_{model}(x_i;\theta) = "
                  r"\operatorname{argmax}_\theta \mathbb{E}_{x \sim \hat p_{data}} \log p_{model}(x;\theta)",
        sources=(Source(DOC001, "Maximum Likelihood Estimation",
                        "to give us an expectation for the log-likelihood"),),
        kind=Kind.IDENTITY, verdict=Verdict.ERRATUM,
        as_written=r"\operatorname{argmax}_{\theta} \frac{1}{n}\sum_{i=1}^n \log p_{model}(x_i;\theta) = "
                   r"\operatorname{argmax}_{\theta} \mathbb{E}_{x \sim p_{data}} \log p_{model}(x;\theta)",
        as_written_check=Identity(lhs=theta_max_mean, rhs=_theta_max_population, domain=BITS,
                                  tol=Tol(1, "argmaxes on the same grid are equal or differ by a grid step")),
        derivation=lk.empirical_expectation,
        check=EMPIRICAL,
        note="The mean is the expectation under the empirical distribution p-hat_data (mass 1/n per point), not "
             "under the data-generating p_data: for a Bernoulli(0.3) p_data the right side's argmax is 0.3 while "
             "the left side's is the sample mean s/n (shrunk counterexample: any sample whose mean is not 0.3). "
             "They agree only as n -> infinity (law of large numbers, consistency of the MLE). The corrected "
             "identity is certified on categorical samples of k points over k outcomes.",
    ),
    Claim(
        id="likelihood.conditional-argmax",
        statement=r"\operatorname{argmax}_w \prod_{i=1}^n P(y_i \mid x_i; w) = \operatorname{argmax}_w \sum_{i=1}^n \log P(y_i \mid x_i; w)",
        sources=(Source(DOC001, "Maximum Likelihood Estimation",
                        "with an independent and identically distributed assumption"),),
        kind=Kind.INVARIANCE, verdict=Verdict.HOLDS,
        derivation=lk.logistic_log_prob,
        check=Identity(
            lhs=_loglik_at_product_argmax, rhs=_max_loglik, scale=_loglik_scale,
            domain=Args(Box(-1.0, 1.0), BinaryLabels(), sizes=SAMPLE_SIZES),
            # the product's argmax may differ from the log's only between points whose log-likelihoods are
            # within the product's roundoff (<= 31u absolute: 8 sigmoids of 3u and 7 products) plus each
            # sum of logs' (<= 10u relative: softplus 3u, 7 additions), twice: 62u + 20u
            tol=Tol(82, "a near-tie of the grid: 2 x 31u (product) + 2 x 10u (sum of logs), floor 1", absolute=True),
        ),
        note="Logistic model P(y|x;w) = sigma((2y-1)wx), x in [-1, 1], w on a 101-point grid over [-5, 5] (every "
             "product stays normal in float32). No closed form: the sum of logs at the product's argmax must be the "
             "maximum of the sum of logs, up to the roundoff that can reorder near-tied grid points. The product form "
             "itself is the assumption 001 names (i.i.d.): what it needs is that the y_i are conditionally "
             "independent given the x_i (the x_i need not be identically distributed); the step to the sum of logs "
             "needs only that log is increasing (likelihood.log-increasing).",
    ),
    Claim(
        id="likelihood.log-increasing",
        statement=r"x_1 > x_2 > 0 \Rightarrow \log x_1 > \log x_2",
        sources=(Source(DOC001, "Maximum Likelihood Estimation",
                        "Log is a monotonically increasing function, thus for $x_1 > x_2 \\rightarrow log(x_1) > "
                        "log(x_2)\\ \\forall x$"),),
        kind=Kind.INEQUALITY, verdict=Verdict.IMPRECISE,
        condition=r"x_1, x_2 > 0: \log is defined only on (0, \infty) (\log 0 = -\infty, \log x \text{ undefined for } x < 0), "
                  r"so ``\forall x'' must read ``\forall x_1, x_2 > 0''. Likelihoods are probabilities, so this is the case used.",
        check=Custom(run=_log_domain, description=(
            "exact (2200-bit mpmath) log of pairs x2 > x1 > 0 of the dtype, adjacent floats included: strictly "
            "ordered; and the dtype's log at 0, -1, -inf is -inf, nan, nan")),
        note="One claim for the whole sentence. The rule for every monotonicity the documents assert over all reals "
             "(here 'for all x'; 002's own definition of an increasing transformation is on R): where it holds only "
             "on part of R, the verdict is imprecise and the part the argument uses is the condition, so too for "
             "002's log (log.strictly-increasing) and its square (regression.square-increasing). For every x > 0 "
             "the implication holds, strictly, adjacent floats included; for x <= 0 there is nothing to compare.",
    ),
    # ---------------------------------------------------------------- 002's MLE bullet
    Claim(
        id="likelihood.mle-product-form",
        statement=r"\hat\theta = \operatorname{argmax}_\theta \prod_{i=1}^n p_\theta(x_i)",
        sources=(Source(DOC002, "Basic concepts and notation",
                        "we can estimate $$\\theta$$ by maximizing the probability over the data"),),
        kind=Kind.IDENTITY, verdict=Verdict.ERRATUM,
        as_written=r"\theta = \text{argmax}_{\theta} p_{\theta}(x) = \prod_{i=1}^n p_{\theta}(x_i)",
        as_written_check=Identity(
            lhs=theta_max_product, rhs=lk.mle_as_written_002,
            domain=BITS, tol=Tol(1, "a parameter against a likelihood value: any agreement would be a coincidence")),
        derivation=lk.likelihood,
        check=_same_theta(theta_max_product),
        note="As written the argmax (a parameter) is set equal to the product (the likelihood value at the "
             "maximiser): e.g. x = (0, 1) gives theta = 1/2 against a likelihood 1/4. The intended statement, "
             "theta = argmax of the product, is certified on the Bernoulli family (it returns the closed-form MLE s/n).",
    ),
    Claim(
        id="likelihood.mle-log-form",
        statement=r"\hat\theta = \operatorname{argmax}_\theta \sum_{i=1}^n \log p_\theta(x_i)",
        sources=(Source(DOC002, "Basic concepts and notation",
                        "Often it is more convenient to maximize the log likelihood instead"),),
        kind=Kind.IDENTITY, verdict=Verdict.ERRATUM,
        as_written=r"\theta = \text{argmax}_{\theta} \log(p_{\theta}(x)) = \sum_{i=1}^n \log(p_{\theta}(x_i))",
        as_written_check=Identity(
            lhs=theta_max_log, rhs=lk.mle_log_as_written_002,
            domain=BITS, tol=Tol(1, "a parameter against a log-likelihood value: any agreement would be a coincidence")),
        derivation=lk.log_likelihood,
        check=_same_theta(theta_max_log),
        note="As written the argmax equals the log-likelihood value (<= 0) rather than maximising it; e.g. x = (0, 1): "
             "theta = 1/2 against log(1/4). The corrected form is certified on the Bernoulli family.",
    ),
    # ---------------------------------------------------------------- 000's cost-function steps
    Claim(
        id="likelihood.negative-likelihood-cost",
        statement=r"J(\theta) = -\prod_{i=1}^m p_{model}(y_i \mid x_i;\theta):\quad "
                  r"\operatorname{argmin}_\theta J(\theta) = \operatorname{argmax}_\theta \prod_{i=1}^m p_{model}(y_i \mid x_i;\theta)",
        sources=(Source(DOC000, "Maximum Likelihood", "One form for which satisfies this is"),),
        kind=Kind.INVARIANCE, verdict=Verdict.ERRATUM, reconstructed=True,
        as_written=r"J(\theta) = \Pi_{i=1}^m {-p_{model}(\textbf{y}_i \mid \textbf{x}_i ; \theta)}",
        as_written_check=Identity(lhs=_theta_at(ARGMIN, lk.cost_as_written_000), rhs=lk.bernoulli_mle,
                                  domain=Args(BinaryLabels(), sizes=EVEN_SAMPLE_SIZES), tol=EXACT_GRID),
        derivation=lk.cost_as_written_000,
        check=_same_theta(theta_min_neg_product, theta_max_product),
        note="The formula comes from the author's public original of the same notes (000's extraction lost it): "
             "the minus sign is inside the product, Pi_i(-p_i) = (-1)^m Pi_i p_i, which is the likelihood itself for "
             "even m, so its argmin is the worst parameter: for the Bernoulli family and m = 2, x = (0, 0) gives "
             "theta = 1 against the MLE 0 (checked on every sample of sizes 2 and 8). The intended -Pi_i p_i "
             "(negation is exact in floating point) is certified: its argmin is the MLE s/n on every sample of "
             "sizes 3 and 8.",
    ),
    Claim(
        id="likelihood.log-space-argmin",
        statement=r"\operatorname{argmin}_\theta \Big(-\prod_i p_\theta(x_i)\Big) = \operatorname{argmin}_\theta \Big(-\sum_i \log p_\theta(x_i)\Big)",
        sources=(Source(DOC000, "Maximum Likelihood", "Moving into log space solves this problem without changing"),),
        kind=Kind.INVARIANCE, verdict=Verdict.HOLDS, reconstructed=True,
        derivation=lk.log_likelihood,
        check=_same_theta(theta_min_neg_product, theta_min_nll),
        note="000 lost the formula. 'Solves this problem' (the underflow of long products) is "
             "likelihood.product-underflows.",
    ),
    Claim(
        id="likelihood.nll-as-expectation",
        statement=r"-\frac1m\sum_{i=1}^m \log p_{model}(y_i \mid x_i;\theta) = -\mathbb{E}_{(x,y) \sim \hat p_{data}} \log p_{model}(y \mid x;\theta)",
        sources=(Source(DOC000, "Maximum Likelihood", "We can re-frame our formula for the NLL as an expectation"),),
        kind=Kind.IDENTITY, verdict=Verdict.ERRATUM, reconstructed=True,
        as_written=r"J(\theta) = \sum_{i=1}^m -\log p_{model}(\mathbf{y}_i \mid \mathbf{x}_i;\theta) = "
                   r"\mathbb{E}_{\mathbf{x}, \mathbf{y} \sim p_{data}}\left[-\log p_{model}(\mathbf{y} \mid \mathbf{x};\theta)\right]",
        as_written_check=Identity(lhs=_nll_sum_as_written, rhs=_population_nll, domain=BITS,
                                  tol=Tol(16, "k <= 8 logs and additions on each side; any real agreement is exact")),
        derivation=lk.empirical_expectation,
        check=dataclasses.replace(EMPIRICAL, lhs=lambda q, l: -_mean_log(q, l), rhs=lambda q, l: -_expected_log(q, l)),
        note="The formula comes from the author's public original of the same notes (000's extraction lost it). "
             "Two slips, the same as 001's (likelihood.mean-is-empirical-expectation): the J of the line before is "
             "the sum, without the 1/m that makes it a mean, and the expectation is taken under p_data where only the "
             "empirical p-hat_data (mass 1/m per example) makes it an identity. As written it fails at every theta "
             "(Bernoulli(0.3) as p_data, every sample of sizes 3 and 8, the sum of -log p_theta against the "
             "population expectation); even the argmins differ (s/m against 0.3) unless the sample mean is 0.3. "
             "The corrected identity is certified as the expected negative log-probability of a categorical model "
             "over k observations; the 1/m does not move the argmin.",
    ),
    # ---------------------------------------------------------------- Gaussian regression output
    Claim(
        id="gaussian-nll.grad-mean",
        statement=r"\frac{\partial}{\partial \hat y}\Big[\tfrac12\log(2\pi\sigma^2) + \frac{(y - \hat y)^2}{2\sigma^2}\Big] = \frac{\hat y - y}{\sigma^2}",
        sources=(Source(DOC000, "Multi-class Logistic Regression",
                        "if we create a regression model which outputs the mean of a Gaussian"),),
        kind=Kind.GRADIENT, verdict=Verdict.IMPRECISE, reconstructed=True,
        condition=r"\sigma^2 = 1: the gradient is \hat y - y only for unit variance; for any other fixed \sigma it is "
                  r"(\hat y - y)/\sigma^2, proportional to \hat y - y (the same direction, rescaled step size)",
        derivation=lk.gaussian_nll_grad_mean,
        check=Derivative(
            forward=lk.gaussian_nll, derivative=lk.gaussian_nll_grad_mean, wrt=0,
            domain=Args(BOUNDED, BOUNDED, SIGMA),
            # hand: a subtraction and two divides (3u); autodiff: y - mu, sigma^2, a divide (3u), the 2 and 1/2 exact
            tol=Tol(6, "hand (mu - y)/sigma/sigma: 3u; autodiff of the NLL: 3u"),
        ),
        note="000 lost the formula ('of the form [yhat - y]'); reconstructed as the Gaussian NLL with the mean as the "
             "output. mu, y in [-2^100, 2^100] so that mu - y cannot overflow in float32; sigma over every float >= the "
             "smallest normal float32 (below it the backend may flush sigma to 0).",
    ),
    Claim(
        id="gaussian-nll.grad-mean-unit-variance",
        statement=r"\frac{\partial}{\partial \hat y}\Big[\tfrac12\log 2\pi + \tfrac12(y - \hat y)^2\Big] = \hat y - y",
        sources=(Source(DOC000, "Multi-class Logistic Regression",
                        "it turns out that the partial derivatives at for the final layer are also of the form"),),
        kind=Kind.GRADIENT, verdict=Verdict.HOLDS, reconstructed=True,
        derivation=lk.squared_error_half_grad,
        check=Derivative(
            forward=lk.squared_error_half, derivative=lk.squared_error_half_grad, wrt=0,
            domain=Args(BOUNDED, BOUNDED),
            tol=Tol(3, "one subtraction on each side (the factors 2 and 1/2 are exact)"),
        ),
        note="The document's form yhat - y, under the condition of gaussian-nll.grad-mean (sigma = 1).",
    ),
    Claim(
        id="gaussian-nll.unit-variance",
        statement=r"-\log \mathcal N(y; \hat y, 1) = \tfrac12(y - \hat y)^2 + \tfrac12\log 2\pi",
        sources=(Source(DOC000, "Multi-class Logistic Regression",
                        "if we create a regression model which outputs the mean of a Gaussian"),),
        kind=Kind.IDENTITY, verdict=Verdict.HOLDS, reconstructed=True,
        derivation=lk.squared_error_half,
        check=Identity(
            lhs=lambda mu, y: lk.gaussian_nll(mu, y, 1.0), rhs=lk.squared_error_half,
            domain=Args(SQUARABLE, SQUARABLE),
            # both sides are sums of two non-negative terms (no cancellation): y - mu (1u), its square (1u), the
            # constant's log (2u, faithful) and the sum (1u) on each side; sigma^2 = 1 and the halvings are exact
            tol=Tol(10, "two non-negative terms on each side: difference, square, log of the constant, sum: <= 5u each"),
        ),
        note="The forward definition of gaussian-nll.grad-mean-unit-variance is the Gaussian NLL at sigma = 1, "
             "constant included: the derivative claims cannot see a wrong constant, this one does.",
    ),
    # ---------------------------------------------------------------- audit: definitions and conceptual sentences
    Claim(
        id="likelihood.cost-function-minimum",
        statement=r"J: \Theta \to \mathbb{R} \text{ (a scalar over the dataset)},\quad \theta^* = \operatorname{argmin}_{\theta \in \Theta} J(\theta)"
                  r"\ \text{ is the ``best'' model}",
        sources=(Source(DOC000, "Maximum Likelihood", "choose a cost function with a minimum point that represents the"),),
        kind=Kind.DEFINITION, verdict=Verdict.DEFINITION, reconstructed=True,
        note="What a cost function is for: a scalar whose minimiser is the best model. Which J achieves this for the "
             "maximum likelihood principle is likelihood.ml-estimator and the claims after it.",
    ),
    Claim(
        id="likelihood.parameter-space",
        statement=r"f(\,\cdot\,; \theta) \text{ of fixed form: } \min_{f} J(f) \ \text{ becomes } \ \min_{\theta \in \Theta} J(f(\,\cdot\,;\theta))",
        sources=(Source(DOC000, "Maximum Likelihood", "parameter space, rather than function space"),),
        kind=Kind.DEFINITION, verdict=Verdict.DEFINITION, reconstructed=True,
        note="Conceptual: fixing the model's functional form and learning its parameters turns the search over "
             "functions into an optimisation over a parameter vector; nothing to compute.",
    ),
    Claim(
        id="likelihood.model-estimates-pdata",
        statement=r"p_{model}(\,\cdot\,;\theta): x \mapsto p_{model}(x;\theta) \in [0, \infty),\ \text{an estimate of } p_{data}(x)",
        sources=(Source(DOC001, "Maximum Likelihood Estimation",
                        "maps any $x$ to a real number estimating the ground truth probability"),),
        kind=Kind.DEFINITION, verdict=Verdict.DEFINITION,
        note="A definition of the model family. For discrete x the value is a probability in [0, 1]; for continuous x "
             "it is a density, a non-negative real that may exceed 1, not a "
             "probability.",
    ),
    Claim(
        id="probability.unnormalised",
        statement=r"\hat P(z) \ge 0,\ \ \sum_z \hat P(z) = c > 0 \text{ arbitrary},\ \ P(z) = \hat P(z) / c",
        sources=(Source(DOC002, "Basic concepts and notation",
                        "An unnormalized probability distribution does not need to sum up to one."),),
        kind=Kind.DEFINITION, verdict=Verdict.DEFINITION,
        note="Notation: the hat marks an unnormalised distribution; dividing by its sum (the normaliser of softmax "
             "and sigmoid) gives the distribution P.",
    ),
]
