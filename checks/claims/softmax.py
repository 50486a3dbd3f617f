"""Claims about the softmax: definition, soft argmax, Jacobian, shift invariance and the stable form."""
import jax.numpy as jnp
import numpy as np
from mpmath import mp

from derivations import sigmoid as sg
from derivations import softmax as sm

from checks.engine import (Args, Claim, Custom, Derivative, Identity, Inequality, Kind, Logits, Real, Simplex, Source,
                           Tol, Verdict)
from checks.engine.platform import configure, flushes_subnormals
from checks.engine.outcomes import evidence, judged, outcome
from checks.engine.tolerance import finfo

from ._conditioning import jacobian_condition, softmax_condition
from ._shapes import shape_check
from ._sources import DOC000, DOC001, DOC002

MC = "Multi-class Logistic Regression"
STABLE = "Numerically Stable Softmax"
GEN = "Generalizing to multiple classes"
NUM = "Numerical stability"
MC001 = "Logistic Regression as Probability Model; Multi-Class Classification"

# The literal definition e^{z_i} / sum_k e^{z_k} is representable in both dtypes for |z_k| <= 40: e^{40}
# times 10 terms is far below float32's max (e^{88.7}), and the smallest ratio e^{-80}/10 stays a normal
# float32 (tiny = e^{-87.3}). Claims about the literal form are checked there; the stable forms everywhere.
LITERAL = 40.0

# Tolerance counts (every Tol below): u = eps/2 per correctly rounded +, -, *, /; exp and log 2u (within an ulp);
# a k-term sum (k - 1)u; a divide by a broadcast sum 2u (XLA: a reciprocal, then a multiply); k <= 7 (the domains'
# sizes (2, 7)). Building blocks: s_i = e_i / S is (k+3)u, 1 - s_i as the sum of the others (2k+1)u; the rounding
# of an exponent is the condition factor (cond or scale), and a normaliser's exponents weigh in by at most
# u sum_k s_k |z_k - m| <= u log k < 2u. The Tol is the count in eps: count / 2.


def _shift(z):
    """Condition of the max-shifted exponents: exp(z_i - m) turns the rounding u|z_i - m| into relative error."""
    return 1 + jnp.max(jnp.abs(z - jnp.max(z)))


def _shift_cond(z, c):
    # rounding z_i + c moves each exponent by <= u(|z_i| + |c|) absolutely, and max-shifting by
    # <= u|z_i - m|: the softmax's relative error is amplified by the sum of these magnitudes
    return 1 + jnp.abs(z) + jnp.abs(c) + jnp.max(jnp.abs(z)) + jnp.abs(z - jnp.max(z))


def _offdiag(a):
    return jnp.where(jnp.eye(a.shape[-1], dtype=bool), 0, a)


def _scaled(v, cond):
    """v * cond, with 0 where v is 0 (cond may overflow to inf where an exponent difference does)."""
    return jnp.where(v == 0, 0, jnp.abs(v) * cond)


def _log_odds_cond(z):
    r"""Condition of J_ii both ways: u|z_i - m| (the max-shifted softmax) and u|m_i|, m_i = max_{k != i}(z_k - z_i):
    the rounded differences whose log-sum-exp is x_i (smaller terms carry weight e^{z_k - z_i - m_i} and do not count)."""
    m_i = jnp.max(jnp.where(jnp.eye(z.shape[-1], dtype=bool), -jnp.inf, z[None, :] - z[:, None]), axis=-1)
    return 1 + jnp.abs(z - jnp.max(z)) + jnp.abs(m_i)


def _top_gap(z):
    """d = largest minus second-largest logit (0 for a tie)."""
    top2 = jnp.sort(z)[-2:]
    return top2[1] - top2[0]


def _saturation(z):
    r"""e^{-d}/n^2 <= max_ij |J_ij| <= (n-1) e^{-d}, stacked as (lower, upper, scale)."""
    n = z.shape[-1]
    d = _top_gap(z)
    jmax = jnp.max(jnp.abs(sm.softmax_jacobian(z)))
    lower, upper = jnp.stack([jnp.exp(-d) / n ** 2, jmax]), jnp.stack([jmax, (n - 1) * jnp.exp(-d)])
    return lower, upper, jnp.maximum(lower, upper) * (1 + d)  # exp(-d) and the s_k carry u * d relative


def _soft_argmax(z, log2_t):
    r"""1 - softmax(z/T)_a (as the sum of the others) against (n - 1) e^{-d/T}, T = 2^{log2_t}."""
    t = jnp.exp2(log2_t)
    s = sm.softmax_temperature(z, t)
    a = jnp.argmax(z)
    rest = jnp.sum(jnp.where(jnp.arange(z.shape[-1]) == a, 0, s))
    upper = (z.shape[-1] - 1) * jnp.exp(-_top_gap(z) / t)
    # z/T rounds each entry by u|z_k|/T before the max is subtracted: that absolute error in the exponent
    # is the relative error of every e^{(z_k - m)/T}, and of e^{-d/T}
    return rest, upper, jnp.maximum(rest, upper) * (1 + 2 * jnp.max(jnp.abs(z)) / t)


def _smooth_maximum(z, log2_t):
    r"""max z <= T lse(z/T) <= max z + T log n, T = 2^{log2_t}: (lower, upper, scale)."""
    t = jnp.exp2(log2_t)
    m = jnp.max(z)
    smooth = t * sm.logsumexp(z / t)
    spread = t * jnp.log(jnp.asarray(z.shape[-1], z.dtype))
    return jnp.stack([m, smooth]), jnp.stack([smooth, m + spread]), jnp.full(2, jnp.max(jnp.abs(z)) + spread)


def _probability_vector(z):
    s = sm.softmax(z)
    others = jnp.sum(jnp.where(jnp.eye(z.shape[-1], dtype=bool), 0, s[None, :]), axis=-1)  # 1 - s_i, exactly
    return jnp.concatenate([s, others])


def _stable_outputs(z):
    """|sum s - 1|, s - 1 and -s: all <= 0 (up to roundoff) iff s is a finite probability vector."""
    s = sm.softmax(z)
    return jnp.concatenate([jnp.abs(jnp.sum(s) - 1)[None], s - 1, -s])


def _open(p):
    """p moved into the open simplex: entries raised to 4 tiny and renormalised, a margin that keeps them normal
    through the round trip log -> softmax (Simplex(positive=True) floors at tiny itself, with no margin)."""
    q = jnp.maximum(p, 4 * jnp.finfo(p.dtype).tiny)
    return q / jnp.sum(q)


def _exp_c(z, c):
    """002's second line: exp(y_i) exp(c) / sum_k exp(y_k) exp(c), evaluated literally."""
    e = jnp.exp(z) * jnp.exp(c)
    return e / jnp.sum(e)


# -- the naive softmax's failure thresholds (a Custom check) ---------------------------------------


def _first_float_at_or_above(x, dtype):
    f = np.asarray(float(x), np.float64).astype(dtype)
    while mp.mpf(float(f)) < x:
        f = np.nextafter(f, np.asarray(np.inf, dtype))
    return f


def _window(center, dtype, half=48):
    out, up, down = [center], center, center
    for _ in range(half):
        up, down = np.nextafter(up, np.asarray(np.inf, dtype)), np.nextafter(down, np.asarray(-np.inf, dtype))
        out += [up, down]
    return np.array(out, dtype)


def _divides_by_reciprocal(dtype):
    """Does the compiled ``v / sum(v)`` multiply by a rounded reciprocal (XLA's rewrite of a divide by a broadcast)?

    Integer entries make every sum exact, so a true division agrees with numpy's correctly rounded one."""
    jax = configure()
    v = np.arange(1, 2001, dtype=dtype).reshape(-1, 2)
    got = np.asarray(jax.jit(lambda v: v / jnp.sum(v, axis=-1, keepdims=True))(v))
    return bool(np.any(got != v / v.sum(axis=1, keepdims=True)))


def _naive_thresholds(dtype, budget):
    r"""Where softmax_naive(c 1_n) stops being right, against the thresholds predicted from the format and backend."""
    jax = configure()
    fi = finfo(dtype)
    big, tiny = float(fi.max), float(fi.tiny)
    ftz, recip = flushes_subnormals(dtype), _divides_by_reciprocal(dtype)
    down, up = np.asarray(-np.inf, dtype), np.asarray(np.inf, dtype)
    with mp.workdps(50):
        to_inf = mp.log(mp.mpf(big) * (1 + mp.mpf(float(fi.eps)) / 4))  # exp rounds to inf past max + ulp/2
        under = mp.log(mp.mpf(tiny)) if ftz else mp.log(mp.mpf(float(fi.smallest_subnormal)) / 2)
        t_inf = _first_float_at_or_above(to_inf, dtype)  # first c with exp(c) = inf
        t_zero = np.nextafter(_first_float_at_or_above(under, dtype), down)  # last c with exp(c) = 0
    rows, cex, notes = [], None, []
    with np.errstate(over="ignore"):  # logspace may round its end past max (to inf in its power): clipped
        grid = np.minimum(np.logspace(-3, np.log10(big), 1500), big)
    for n in (2, 3, 10):
        with mp.workdps(50):
            # zeros from the first c where e/S is 0 with e finite: S = n e^c overflows, or, where the divide is a
            # multiply by 1/S and subnormals flush, 1/S < tiny; with gradual underflow 1/S overflows for tiny S
            zeros_at = min(to_inf, -mp.log(mp.mpf(tiny))) - mp.log(n) if (recip and ftz) else to_inf - mp.log(n)
            t_sum = _first_float_at_or_above(zeros_at, dtype)
            t_rinf = (_first_float_at_or_above(-to_inf - mp.log(n), dtype) if recip and not ftz
                      else np.nextafter(t_zero, up))  # below it: e * (1/S) = e * inf
        thresholds = np.array([t_zero, t_rinf, t_sum, t_inf], np.float64)
        c = np.concatenate([grid, -grid, [0.0], *(_window(t, dtype) for t in thresholds.astype(dtype))]).astype(dtype)
        ones = np.ones((c.size, n), dtype)
        naive = np.asarray(jax.jit(sm.softmax_naive)(c[:, None] * ones), np.float64)
        stable = np.asarray(jax.jit(sm.softmax)(c[:, None] * ones), np.float64)
        c64 = c.astype(np.float64)
        right = np.all(np.abs(naive - 1 / n) <= 2 * float(fi.eps) / n, axis=1)
        observed = np.select([np.all(np.isnan(naive), 1), np.all(naive == 0, 1), np.all(np.isposinf(naive), 1), right],
                             ["nan", "zeros", "inf", "right"], "other")
        predicted = np.select([c64 <= t_zero, c64 < t_rinf, c64 < t_sum, c64 < t_inf], ["nan", "inf", "right", "zeros"], "nan")
        # distance, in floats of the dtype, from each misclassified c to the nearest predicted threshold
        spacing = np.spacing(np.abs(thresholds).astype(dtype)).astype(np.float64)
        with np.errstate(over="ignore"):  # from c = +-max the distance in floats may exceed float64: inf, far either way
            dist = np.min(np.abs(c64[:, None] - thresholds[None, :]) / spacing[None, :], axis=1)
        wrong = observed != predicted
        max_dist = float(dist[wrong].max(initial=0.0))
        stable_err = float(np.max(np.abs(stable - 1 / n)) / (float(fi.eps) / n))
        regimes = (f"nan for c <= {float(t_zero)!r}" + (f", inf below {float(t_rinf)!r}" if t_rinf > np.nextafter(t_zero, up) else "")
                   + f", right below {float(t_sum)!r}, zeros below {float(t_inf)!r}, nan from there")
        rows += [
            evidence(f"naive regimes n={n}", dtype, c.size, max_dist, 2.0,
                     note=regimes + ". Error: floats between a point in the wrong regime and the nearest threshold"),
            evidence(f"stable = 1/n, n={n}", dtype, c.size, stable_err, float(n + 2),
                     note="max |s - 1/n| in units of eps/n over the same c, every finite c"),
        ]
        notes.append(f"n={n}: {regimes}")
        if not (max_dist <= 2 and stable_err <= n + 2) and cex is None:  # a nan error fails too
            i = int(np.argmax(np.where(wrong, dist, -1)))
            cex = {"args": [(c[i] * ones[0]).tolist()], "dtype": dtype,
                   "what": f"observed {observed[i]}, predicted {predicted[i]}"}
    return outcome(dtype, cex is None, rows, counterexample=cex,
                   message=f"flush-to-zero={ftz}, divide-as-reciprocal-multiply={recip}; " + "; ".join(notes))


def _gap_directions(dtype, budget):
    r"""z = (0, -g): log of the stable softmax against the log-softmax, for gaps g either side of the underflow band.

    Below g_lo = -log(tiny) - 1, e^{-g} is a normal number however exp rounds and whether or not subnormals flush;
    above g_hi = -log(smallest subnormal) + 1 it is below half the smallest subnormal, 0 in any case. The band
    between (where the flush and the backend's exp decide) is not asked about."""
    jax = configure()
    fi = finfo(dtype)
    g_lo, g_hi = -np.log(float(fi.tiny)) - 1, -np.log(float(fi.smallest_subnormal)) + 1
    witness = float(np.ceil(g_hi / 10) * 10)  # 110 (float32), 750 (float64)
    safe = np.concatenate([np.linspace(0, g_lo, 400), np.geomspace(1e-3, g_lo, 100)]).astype(dtype)
    beyond = np.concatenate([[witness], g_hi * np.geomspace(1, 100, 60)]).astype(dtype)
    gaps = np.concatenate([safe, beyond])
    z = np.stack([np.zeros_like(gaps), -gaps], axis=1)
    of_softmax = np.asarray(jax.jit(lambda z: jnp.log(sm.softmax(z)))(z), np.float64)
    log_space = np.asarray(jax.jit(sm.log_softmax)(z), np.float64)
    with mp.workdps(30):  # log softmax(0, -g) = (0, -g) - log1p(e^{-g}), at the rounded g
        tail = [mp.log1p(mp.exp(-mp.mpf(float(g)))) for g in gaps]
        exact = np.array([[-float(t), -float(float(g) + t)] for g, t in zip(gaps, tail)])
    # eps of 1 + g (inf where a value is not finite)
    err = np.abs(of_softmax - exact).max(axis=1) / (float(fi.eps) * (1 + gaps.astype(np.float64)))
    err_log = np.abs(log_space - exact).max(axis=1) / (float(fi.eps) * (1 + gaps.astype(np.float64)))
    n = safe.size
    # z_i - m is exact here (0 or -g); the stable softmax entry: exp 2u, 1 + e 1u, the divide by a broadcast 2u;
    # its log 2u |log s| <= 2u(1 + g): 7u of 1 + g. The log-softmax: exp 2u, log1p 2u, the difference u(1 + g): 5u
    tol = 3.5
    finite_beyond = np.flatnonzero(of_softmax[n:, 1] != -np.inf) + n
    failing = [np.flatnonzero(~(err[:n] <= tol)), finite_beyond, np.flatnonzero(~(err_log <= tol))]
    rows = [(evidence("log of the stable softmax, g <= -log(tiny) - 1", dtype, n, err[:n].max(), tol,
                      f"finite and accurate up to g = {float(safe.max()):.6g}; eps of 1 + g"), not failing[0].size),
            (evidence("witness: log of the stable softmax is -inf for g >= -log(smallest subnormal) + 1", dtype,
                      beyond.size, float(finite_beyond.size), None,
                      f"g from {float(beyond.min()):.6g}: points where it is not -inf (must be 0); "
                      f"log softmax(0, -{witness:g})_2 = {of_softmax[n, 1]}, true {exact[n, 1]:.6g}"),
             not finite_beyond.size),
            (evidence("log-softmax (z_i - m) - log1p(s), every g", dtype, gaps.size, err_log.max(), tol,
                      "finite and accurate at every gap; eps of 1 + g"), not failing[2].size)]
    first = next((f for f in failing if f.size), None)
    cex = None if first is None else {"args": [z[first[0]].tolist()], "dtype": dtype}
    return judged(dtype, rows, counterexample=cex)


CLAIMS = [
    # -- definition: exponentiate and normalise ----------------------------------------------------
    Claim(
        id="softmax.model-log-probabilities",
        statement=r"\log \tilde P(y = i \mid x) = z_i \text{ (unnormalised log-probabilities, linear in the features)}",
        sources=(
            Source(DOC000, MC, "We begin with a linear model for the log probability at each output"),
            Source(DOC002, GEN, "assume that the $$i$$-th output predicts log probabilities"),
        ),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        reconstructed=True,
        note="The modelling assumption; 002 writes its first two lines log P^(z=i|x) = y_i and P^(z=i|x) = exp(y_i) "
             "(exponentiating both sides: nothing to check beyond the definition).",
    ),
    Claim(
        id="softmax.exp-normalise",
        statement=r"P(y=i) = \frac{e^{z_i}}{\sum_j e^{z_j}} = \mathrm{softmax}(z)_i \iff \log P(y=i) = z_i - \log\sum_j e^{z_j}",
        sources=(
            Source(DOC000, MC, "Exponentiating and normalising gives:"),
            Source(DOC002, GEN, "Then we exponentiate and normalize to arrive at softmax"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sm.softmax,
        check=Identity(
            lhs=lambda z: jnp.log(sm.softmax(z)),
            rhs=lambda z: z - sm.logsumexp(z),
            scale=lambda z: 1 + jnp.abs(z) + jnp.abs(sm.logsumexp(z)),
            domain=Logits(bound=LITERAL),
            # log(s): s (k+3)u, its exponent u|z_i - m| <= u(|z_i| + |lse| + log k), the normaliser's < 2u, the log
            # 2u|log s_i| <= 2u(|z_i| + |lse|); z - lse: lse = m + log1p(r) (k+4)u + 2u + u|lse|, the difference
            # u(|z_i| + |lse|): (k+7 + k+6)u + 5u(|z_i| + |lse|) <= 27u of 1 + |z_i| + |lse| for k <= 7
            tol=Tol(13.5, "log(s) (k+7)u and z - lse (k+6)u of 1 + |z_i| + |lse|: 27u for k <= 7"),
        ),
        note="Normalising the exponentiated log-probabilities only shifts them all by one constant, -log sum_j e^{z_j}: "
             "the model's relative log-probabilities are kept. 000 lost the formula; 002 writes it.",
    ),
    Claim(
        id="softmax.probability-vector",
        statement=r"0 < \mathrm{softmax}(z)_i < 1 \text{ for every } i \text{ (and } \textstyle\sum_i \mathrm{softmax}(z)_i = 1\text{)}",
        sources=(
            Source(DOC001, MC001, "each of the elements can be interpreted as a probability"),
            Source(DOC002, GEN, "represents a probability distribution as indicated by the"),
            Source(DOC000, MC, "make sure to normalise the output values so that they sum to 1"),
        ),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=sm.softmax,
        check=Inequality(
            lower=lambda z: jnp.zeros(2 * z.shape[-1], z.dtype),
            upper=_probability_vector,  # s_i and 1 - s_i = sum_{k != i} s_k, both strictly positive
            strict=True,
            domain=Logits(bound=LITERAL),
            tol=Tol(1, "strict: checked exactly as computed, no slack"),
        ),
        note="Checked for |z_k| <= 40, where s_i >= e^{-80}/10 is a normal float32; beyond, a true s_i > 0 rounds to 0 "
             "(softmax.stable.relative-values). The sum is certified by multiclass.softmax-normaliser (literal form) "
             "and softmax.stable.finite-normalised (every finite input).",
    ),
    Claim(
        id="softmax.soft-argmax",
        statement=r"a = \arg\max_k z_k \text{ unique},\ d = z_a - \max_{k\ne a} z_k:\quad "
                  r"\tfrac12\big\|\mathrm{softmax}(z/T) - e_a\big\|_1 = 1 - \mathrm{softmax}(z/T)_a \le (n-1)e^{-d/T} \xrightarrow[T\to 0^+]{} 0",
        sources=(Source(DOC000, MC, "We can think of this function as a \"soft\" version of the function"),),
        kind=Kind.LIMIT,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sm.softmax_temperature,
        check=Inequality.of(_soft_argmax,
            domain=Args(Logits(bound=30.0), Real(-7.0, 7.0)),  # log2 of the temperature
            # the bound is approached (n = 2, d/T large) with a vanishing relative margin: the slack is the
            # evaluation error: the k - 1 other s_k (k+3)u summed with (k-2)u more; e^{-d/T} (divide, exp, times
            # n - 1) 4u; relative to the exponents' condition 1 + 2 max|z|/T (z/T, z - m and d rounded)
            tol=Tol(9.5, "1 - s_a (2k+1)u and (n-1)e^{-d/T} 4u: 19u for k <= 7, relative to 1 + 2max|z|/T"),
        ),
        note="000 (in the author's public original): a soft version of the argmax, 'more properly named softargmax'. "
             "It is a smooth argmax, a one-hot in the limit T -> 0 whenever the max is unique; with a tie the limit "
             "shares the mass among the tied entries (the bound is then vacuous). The smooth *maximum* is log-sum-exp "
             "(softmax.soft-maximum, for 001's 'soft maximum'). |z| <= 30 and T = 2^tau, tau in [-7, 7], keep z/T "
             "finite in float32 (the temperature is drawn as its log: the engine's Real strategy rejects a positive "
             "lower bound in float32).",
    ),
    Claim(
        id="softmax.soft-maximum",
        statement=r"\max_k z_k \le T \log\sum_k e^{z_k/T} \le \max_k z_k + T\log n \xrightarrow[T\to 0^+]{} \max_k z_k"
                  r"\quad \text{(the soft maximum; its gradient is } \mathrm{softmax}(z/T)\text{)}",
        sources=(Source(DOC001, MC001, "Think of it as a \"soft\" maximum function, it's in the name"),),
        kind=Kind.LIMIT,
        verdict=Verdict.IMPRECISE,
        condition="A soft maximum in position, not in value: softmax(z/T) tends to the one-hot of the argmax as T -> 0 "
                  "(softmax.soft-argmax), and is the gradient of the smooth maximum of the values, T log sum_k "
                  "e^{z_k/T} (logsumexp.gradient at T = 1, the chain rule for T), which tends to max_k z_k (certified "
                  "here). The softmax's entries lie in (0, 1) and "
                  "approximate no maximum value: z = (0, 5) has maximum 5 and softmax (0.007, 0.993).",
        derivation=sm.logsumexp,
        check=Inequality.of(_smooth_maximum,
            domain=Args(Logits(bound=30.0), Real(-7.0, 7.0)),  # log2 of the temperature, as softmax.soft-argmax
            # lower row exact: T lse = T(m/T + log1p(s)) with log1p(s) >= 0, and rounding is monotone, up to the
            # roundings of z/T and m/T (u max|z| each after the product by T) and the product by T (u). Upper row:
            # s has relative error ku and the exponents' rounding adds (k-1)u/e absolutely, log1p(s) 2u log n, so
            # T lse is off by T u(k + (k-1)/e + 2 log n) + 4u max|z| + 2u T lse; the right side's log n, product
            # and sum 4u. With T u(k + (k-1)/e + 4 log n) <= 8.7u T log n for k <= 7: <= 17u of max|z| + T log n
            tol=Tol(8.5, "T lse(z/T): 8.7u of T log n plus 4u max|z| and 2u; max z + T log n 2u: 17u of "
                         "max|z| + T log n for k <= 7"),
        ),
        note="001: 'Think of it as a \"soft\" maximum function, it's in the name'. The name misleads, as the Deep "
             "Learning book both notes follow says and 000 repeats ('more properly named softargmax'): the output "
             "is a vector of probabilities, a softened one-hot of the maximum's position; the maximum's value is "
             "softened by log-sum-exp at temperature T, within T log n of it (multiclass.lse-max-approximation is "
             "T = 1). Read in position, as the sentence before it (a k-dimensional vector of probabilities) allows, "
             "it holds; hence imprecise, not an erratum.",
    ),
    Claim(
        id="softmax.sigmoid-generalisation",
        statement=r"\mathrm{softmax}([z, 0])_0 = \frac{e^z}{e^z + 1} = \sigma(z)",
        sources=(Source(DOC000, MC, "Softmax is the generalisation of the sigmoid over a vector"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sm.log_odds_against,
        check=Identity(
            lhs=lambda z: sm.softmax(jnp.stack([z, jnp.zeros_like(z)]))[0],
            rhs=sg.sigmoid,
            domain=Real(),
            # softmax of [z, 0]: exponents z - m and -m are exact (one of them is 0), exp 2u, 2-term sum 1u,
            # divide by the broadcast sum 2u; the stable sigmoid: exp 2u, add 1u, divide 1u
            tol=Tol(4.5, "softmax of [z, 0] 5u (exact exponents), sigmoid 4u: 9u"),
        ),
        note="In general softmax(z)_i = sigma(-x_i) with x_i = log sum_{k != i} e^{z_k - z_i} (class i against the rest; "
             "used in softmax.jacobian.diagonal-is-sigmoid-derivative).",
    ),
    # -- the Jacobian, by the quotient rule -------------------------------------------------------------
    Claim(
        id="softmax.jacobian.quotient-rule",
        statement=r"\frac{\partial s_i}{\partial z_j} = \frac{\delta_{ij} e^{z_i}\sum_k e^{z_k} - e^{z_i}e^{z_j}}{\big(\sum_k e^{z_k}\big)^2}",
        sources=(Source(DOC000, MC, "We find this using the quotient rule:"),),
        kind=Kind.JACOBIAN,
        verdict=Verdict.ERRATUM,
        reconstructed=True,
        as_written=r"\frac{da_i}{dz_j} = \frac{\delta_{ij} e^{z_i}\sum_{k=1}^ne^{z_k} - e^{z_i}e^{z_j}}{\sum_{k=1}^ne^{z_k}}",
        as_written_check=Derivative(
            forward=sm.softmax_naive, derivative=sm.softmax_jacobian_quotient_rule_as_written_000,
            domain=Logits(bound=LITERAL), cond=jacobian_condition,
            tol=Tol(26, "as for the correction")),
        derivation=sm.softmax_jacobian_quotient_rule,
        check=Derivative(
            forward=sm.softmax_naive, derivative=sm.softmax_jacobian_quotient_rule, domain=Logits(),
            cond=jacobian_condition,
            # hand (diagonal, the larger): e_i 2u, Sigma - e_i as a (k-1)-term sum ku, the product 1u, Sigma (k+1)u
            # twice, two divides by a broadcast 4u: (3k+9)u; autodiff of e/sum(e): s_i, s_j (k+3)u each, their
            # product and the difference 2u: (2k+8)u; times the condition c_i + c_j of the rounded exponents
            tol=Tol(26, "hand (3k+9)u + autodiff of e/sum(e) (2k+8)u = 52u for k <= 7, times the condition c_i + c_j"),
        ),
        note="Step 1 of the derivation. Final result right, middle step wrong: the formula comes from the author's "
             "public original of the same notes (000's extraction lost it), which divides by sum_k e^{z_k} instead of "
             "its square in both cases, i.e. writes Sigma times the Jacobian (z = 0, n = 2: 1/2 against 1/4); its end "
             "results a_i(1 - a_i) and -a_i a_j are right (softmax.jacobian, certified against this corrected line, "
             "which is certified against autodiff). Autodiff of the literal e^z / sum e^z overflows past z = log(max): "
             "those points are findings against autodiff, adjudicated by mpmath.",
    ),
    Claim(
        id="softmax.jacobian.diagonal",
        statement=r"i = j:\ \frac{e^{z_i}\Sigma - e^{z_i}e^{z_i}}{\Sigma^2} = s_i - s_i^2 = s_i(1 - s_i)",
        sources=(Source(DOC000, MC, "We find this using the quotient rule:"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.ERRATUM,
        reconstructed=True,
        as_written=r"\frac{e^{z_i}\sum_{k=1}^ne^{z_k} - e^{z_i}e^{z_j}}{\sum_{k=1}^ne^{z_k}} = "
                   r"\frac{e^{z_i}}{\sum_{k=1}^ne^{z_k}}\left(1-\frac{e^{z_i}}{\sum_{k=1}^ne^{z_k}}\right) = a_i(1-a_i) \quad (i = j)",
        as_written_check=Identity(
            lhs=lambda z: jnp.diagonal(sm.softmax_jacobian_quotient_rule_as_written_000(z)),
            rhs=sm.softmax_jacobian_diagonal, domain=Logits(bound=LITERAL),
            tol=Tol(28, "as for the correction")),
        derivation=sm.softmax_jacobian_diagonal,
        check=Identity(
            lhs=lambda z: jnp.diagonal(sm.softmax_jacobian_quotient_rule(z)),
            rhs=sm.softmax_jacobian_diagonal,
            scale=lambda z: sm.softmax_jacobian_diagonal(z) * 2 * softmax_condition(z),
            domain=Logits(),
            # quotient-rule diagonal (3k+9)u; s_i (1 - s_i): (k+3)u + (2k+1)u + the product 1u = (3k+5)u
            tol=Tol(28, "quotient rule (3k+9)u + s_i(1 - s_i) (3k+5)u = 56u for k <= 7, times the condition 2c_i"),
        ),
        note="Step 2. Final result right, middle step wrong: in the author's public original of the same notes (the "
             "formula 000's extraction lost) the quotient's denominator is sum_k e^{z_k}, not its square, so its first "
             "'=' fails by the factor Sigma (z = 0, n = 2: 1/2 against 1/4); the factored form and a_i(1 - a_i) after "
             "it are right. Both sides evaluated without the cancelling subtraction (1 - s_i as the sum of the others).",
    ),
    Claim(
        id="softmax.jacobian.off-diagonal",
        statement=r"i \ne j:\ \frac{0 \cdot \Sigma - e^{z_i}e^{z_j}}{\Sigma^2} = -s_i s_j",
        sources=(Source(DOC000, MC, "We find this using the quotient rule:"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.ERRATUM,
        reconstructed=True,
        as_written=r"\frac{0 - e^{z_i}e^{z_j}}{\sum_{k=1}^ne^{z_k}} = -\frac{e^{z_i}}{\sum_{k=1}^ne^{z_k}}\frac{e^{z_j}}{\sum_{k=1}^ne^{z_k}} = -a_i a_j \quad (i \ne j)",
        as_written_check=Identity(
            lhs=lambda z: _offdiag(sm.softmax_jacobian_quotient_rule_as_written_000(z)),
            rhs=lambda z: _offdiag(-sm.softmax(z)[:, None] * sm.softmax(z)[None, :]), domain=Logits(bound=LITERAL),
            tol=Tol(23, "as for the correction")),
        derivation=sm.softmax_jacobian,
        check=Identity(
            lhs=lambda z: _offdiag(sm.softmax_jacobian_quotient_rule(z)),
            rhs=lambda z: _offdiag(-sm.softmax(z)[:, None] * sm.softmax(z)[None, :]),
            scale=lambda z: jnp.abs(_offdiag(sm.softmax_jacobian(z))) * jacobian_condition(z),
            domain=Logits(),
            # quotient rule off the diagonal: e_i, e_j 4u, product 1u, Sigma twice (2k+2)u, two divides 4u:
            # (2k+11)u; -s_i s_j: (2k+7)u
            tol=Tol(23, "quotient rule (2k+11)u + s_i s_j (2k+7)u = 46u for k <= 7, times the condition c_i + c_j"),
        ),
        note="Step 3. Final result right, middle step wrong: the author's public original of the same notes (the "
             "formula 000's extraction lost) divides by sum_k e^{z_k} instead of its square, so its first '=' is off by "
             "the factor Sigma; -e^{z_i}/Sigma e^{z_j}/Sigma = -a_i a_j after it is right.",
    ),
    Claim(
        id="softmax.jacobian.diagonal-is-sigmoid-derivative",
        statement=r"\frac{\partial s_i}{\partial z_i} = s_i(1 - s_i) = \sigma'(-x_i),\ x_i = \log\sum_{k\ne i} e^{z_k - z_i};"
                  r"\quad z = [t, 0]:\ \frac{\partial s_0}{\partial z_0} = \sigma'(t)",
        sources=(Source(DOC000, MC, "It's derivative is also similar (in fact, for the first case it's the same)"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sm.log_odds_against,
        check=Identity(
            lhs=sm.softmax_jacobian_diagonal,
            rhs=lambda z: sg.sigmoid_grad(-sm.log_odds_against(z)),
            scale=lambda z: _scaled(sm.softmax_jacobian_diagonal(z), _log_odds_cond(z)),
            domain=Logits(),
            # s_i(1 - s_i) (3k+5)u; x_i = m_i + log(sum of k - 1 exps): the sum ku, the log 2u log k < 4u, the add
            # u|x_i| <= u(|m_i| + 2), so x_i is off by (k+6)u absolute (its differences' rounding in the condition),
            # which sigma'(-x) turns into relative error times |1 - 2 sigma| <= 1; sigma' itself 6u
            tol=Tol(22.5, "s_i(1 - s_i) (3k+5)u; log-odds (k+6)u then sigma' 6u: 45u for k <= 7, times the differences' condition"),
        ),
        note="'For the first case it's the same': the diagonal entry is the sigmoid derivative of the log-odds of "
             "class i against the rest (exactly sigma'(t) for two classes with logits [t, 0]); the off-diagonal "
             "entries -s_i s_j have no binary counterpart.",
    ),
    Claim(
        id="softmax.jacobian",
        statement=r"\frac{\partial s_i}{\partial z_j} = s_i(\delta_{ij} - s_j), \qquad J = \mathrm{diag}(s) - s s^\top",
        sources=(Source(DOC000, MC, "We find this using the quotient rule:"),),
        kind=Kind.JACOBIAN,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sm.softmax_jacobian,
        check=Identity(
            lhs=sm.softmax_jacobian_quotient_rule,
            rhs=sm.softmax_jacobian,
            scale=lambda z: jnp.abs(sm.softmax_jacobian(z)) * jacobian_condition(z),
            domain=Logits(),
            # the largest count is the diagonal's: quotient rule (3k+9)u, s_i(1 - s_i) (3k+5)u (off it 46u)
            tol=Tol(28, "diagonal: quotient rule (3k+9)u + s_i(1 - s_i) (3k+5)u = 56u for k <= 7, times the condition c_i + c_j"),
        ),
        note="Step 4: steps 2 and 3 together, equal entry by entry to the quotient-rule line, which is certified against "
             "autodiff (softmax.jacobian.quotient-rule). Autodiff of e^z / sum e^z forms the diagonal as s_i - s_i^2, "
             "which cancels as s_i -> 1: the engine records those points as findings against autodiff, mpmath siding "
             "with the hand result.",
    ),
    Claim(
        id="softmax.saturation",
        statement=r"d = z_{(1)} - z_{(2)} \text{ (top gap)}:\quad \frac{e^{-d}}{n^2} \le \max_{ij}\Big|\frac{\partial s_i}{\partial z_j}\Big| \le (n-1)e^{-d}",
        sources=(Source(DOC002, GEN, "the softmax function can saturate when the difference between the input values becomes large"),),
        kind=Kind.LIMIT,
        verdict=Verdict.IMPRECISE,
        condition="The Jacobian vanishes exactly when the gap d between the largest and the second-largest input grows "
                  "(it is squeezed between e^{-d}/n^2 and (n-1)e^{-d}); large differences elsewhere do not saturate it: "
                  "z = (100, 100, -100) has entries of size 1/4.",
        derivation=sm.softmax_jacobian,
        check=Inequality.of(_saturation,
            domain=Logits(),
            # the upper bound is approached for n = 2 as d grows, the lower for n = 2 at d = 0: the slack is the
            # evaluation error of J and of the bound. J's entries carry (3k+5)u = 26u (k <= 7) times their condition
            # c_i + c_j, which for n = 2 is 2 + d + 2 s_2 d <= 2(1 + d); e^{-d} and its factor 3u (d's rounding
            # is in the 1 + d): (52 + 3)u relative to max(side) (1 + d)
            tol=Tol(27.5, "J 26u times its condition <= 2(1 + d), the bound 3u: 55u of max(side)(1 + d), k <= 7"),
        ),
        note="Proof: for i not the argmax s_i <= e^{-d}, for the argmax 1 - s_a <= (n-1)e^{-d}, and |J_ij| <= min(s_i, s_j) "
             "off the diagonal; below, s_a(1 - s_a) >= s_a^2 e^{-d} >= e^{-d}/n^2.",
    ),
    Claim(
        id="logsumexp.gradient",
        statement=r"\frac{\partial}{\partial z_j}\log\sum_k e^{z_k} = \frac{e^{z_j}}{\sum_k e^{z_k}} = \mathrm{softmax}(z)_j",
        sources=(Source(DOC000, MC, "The second term also punishes the largest incorrect output the most"),),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sm.logsumexp,
        check=Derivative(
            forward=sm.logsumexp_naive, derivative=sm.softmax, domain=Logits(),
            cond=softmax_condition,
            # autodiff of log(sum(exp(z))): exp 2u, the sum (k-1)u, 1/sum and the product 2u: (k+3)u as the softmax
            tol=Tol(10, "hand softmax (k+3)u + autodiff of log(sum(exp)) (k+3)u = 20u for k <= 7, times the shift condition"),
        ),
        note="The 'second term' of -z_y + log sum_j e^{z_j} pushes each logit down in proportion to its probability "
             "(see multiclass.largest-wrong-punished-most).",
    ),
    Claim(
        id="softmax.overparameterised",
        statement=r"p \in \Delta^{n-1}_{>0},\ z_k = \log p_k - \log p_n:\quad z_n = 0,\ \mathrm{softmax}(z) = p",
        sources=(Source(DOC000, MC, "because of the probabilities summing to 1 we only really need parameters"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sm.softmax,
        check=Identity(
            lhs=lambda p: sm.softmax(jnp.log(_open(p)) - jnp.log(_open(p)[-1])),
            rhs=_open,
            # each exponent z_k - m: the logs 2u|log p| each, the difference u|z| and the shift u|z - m|, with
            # |z| <= 2M, M = max|log p|: 8uM absolute, in s_i's own exponent and (weighted) in the normaliser;
            # the rhs is the same _open(p) as inside the lhs, exactly
            scale=lambda p: _open(p) * (1 + jnp.max(jnp.abs(jnp.log(_open(p))))),
            domain=Simplex(),
            tol=Tol(8, "softmax (k+3)u + the exponents' 2 x 8uM: <= 16u (1 + M), M = max|log p|, k <= 7"),
        ),
        note="n logits for n - 1 free probabilities: every distribution is reached with the last logit fixed to 0, "
             "and adding a constant to all logits changes nothing (softmax.shift-invariance). The binary model "
             "is this with n = 2 (softmax.sigmoid-generalisation, multiclass.binary-special-case).",
    ),
    # -- shift invariance and the stable softmax --------------------------------------------------------
    Claim(
        id="softmax.shift-invariance",
        statement=r"\mathrm{softmax}(z + c)_i = \mathrm{softmax}(z)_i \quad \forall c \in \mathbb{R}",
        sources=(
            Source(DOC002, "Numerical stability", "An interesting property of the softmax is that is invariant to the addition of constants"),
            Source(DOC000, "Numerically Stable Softmax", "It can be easily shown that"),
        ),
        kind=Kind.INVARIANCE,
        verdict=Verdict.HOLDS,
        derivation=sm.softmax,
        check=Identity(
            lhs=lambda z, c: sm.softmax(z + c),
            rhs=lambda z, c: sm.softmax(z),
            scale=lambda z, c: sm.softmax(z) * _shift_cond(z, c),
            domain=Args(Logits(bound=1e4), Real(-1e4, 1e4)),
            # each side: exp 2u, a k-term sum (k-1)u, the divide 2u, times the condition factor above for the
            # rounded exponents: 2 (k+3)u = 20u for k <= 7
            tol=Tol(10, "per side softmax (k+3)u: 20u for k <= 7, times the exponents' condition"),
        ),
        note="Checked where the shift is representable (|z|, |c| <= 1e4); the condition factor grows with |z| + |c| "
             "because z + c is rounded. Finiteness over the full range is the stable softmax's claim. The lines of "
             "002's derivation are softmax.shift-invariance.exp-of-sum and .cancel-constant.",
    ),
    Claim(
        id="softmax.shift-invariance.exp-of-sum",
        statement=r"\frac{\exp(y_i + c)}{\sum_k \exp(y_k + c)} = \frac{\exp(y_i)\exp(c)}{\sum_k \exp(y_k)\exp(c)}",
        sources=(Source(DOC002, NUM, r"\frac{\exp(y_i)\exp(c)}{\sum_{k=1}^n \exp(y_k)\exp(c)}"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=sm.softmax,
        check=Identity(
            lhs=lambda z, c: sm.softmax_naive(z + c),
            rhs=_exp_c,
            scale=lambda z, c: sm.softmax_naive(z + c) * (1 + jnp.max(jnp.abs(z)) + jnp.abs(c)),
            domain=Args(Logits(bound=LITERAL / 2), Real(-LITERAL / 2, LITERAL / 2)),
            # lhs: softmax (k+3)u, y + c rounded u|y + c| in its own and the normaliser's exponent: 2u(max|y| + |c|);
            # rhs: exp(y), exp(c) 4u, their product 1u, the sum (k-1)u, the divide 2u: (k+6)u
            tol=Tol(11.5, "lhs (k+3)u + 2u(max|y| + |c|), rhs (k+6)u: 23u of s (1 + max|y| + |c|), k <= 7"),
        ),
        note="Step 1 -> 2 of 002's derivation (e^{a+b} = e^a e^b). |y|, |c| <= 20 keep every literal exponential "
             "and ratio a normal float32.",
    ),
    Claim(
        id="softmax.shift-invariance.cancel-constant",
        statement=r"\frac{\exp(y_i)\exp(c)}{\sum_k \exp(y_k)\exp(c)} = \frac{\exp(y_i)}{\sum_k \exp(y_k)}",
        sources=(Source(DOC002, NUM, r"\frac{\exp(y_i)}{\sum_{k=1}^n \exp(y_k)}"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=sm.softmax,
        check=Identity(
            lhs=_exp_c,
            rhs=lambda z, c: sm.softmax_naive(z),
            domain=Args(Logits(bound=LITERAL / 2), Real(-LITERAL / 2, LITERAL / 2)),
            tol=Tol(11.5, "exp(y)exp(c) form (k+6)u + literal softmax (k+3)u = 23u for k <= 7"),
        ),
        note="Step 2 -> 3: exp(c) factors out of the sum and cancels. Steps 0 -> 1 and 3 -> 4 apply the definition.",
    ),
    Claim(
        id="softmax.stable-form",
        statement=r"\mathrm{softmax}(y)_i = \mathrm{softmax}\big(y - \max_k y_k\big)_i",
        sources=(
            Source(DOC002, NUM, "where we subtract the largest value in vector"),
            Source(DOC000, STABLE, "From this we can derive our numerically stable variant of softmax"),
        ),
        kind=Kind.INVARIANCE,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sm.softmax,
        check=Identity(
            lhs=sm.softmax_naive,
            rhs=lambda z: sm.softmax_naive(z - jnp.max(z)),
            scale=lambda z: sm.softmax_naive(z) * _shift(z),
            domain=Logits(bound=LITERAL),
            # rhs: y - max rounds by u|y_k - m| in s_i's exponent and (weighted) the normaliser's: 2u max|y - m|
            tol=Tol(10, "each side (k+3)u, the rounded y - max 2u max|y - m|: 20u of s (1 + max|y - m|), k <= 7"),
        ),
        note="Shift invariance with c = -max_k y_k. Compared with the literal definition where that is representable "
             "(|y| <= 40); over the whole range see softmax.stable.finite-normalised.",
    ),
    Claim(
        id="softmax.stable.finite-normalised",
        statement=r"\forall z \in \mathbb{F}^n \text{ finite}:\ \hat s = \mathrm{fl}\Big(\frac{e^{z - m}}{\sum_k e^{z_k - m}}\Big) "
                  r"\in [0, 1]^n,\ \Big|\sum_i \hat s_i - 1\Big| \le (n + 1)\,\epsilon_{\mathrm{mach}}",
        sources=(
            Source(DOC000, STABLE, "if the scale of all the inputs becomes very large or negative, the computation will still be stable"),
            Source(DOC002, NUM, "This can be used to create a numerically stable version of the softmax"),
        ),
        kind=Kind.STABILITY,
        verdict=Verdict.HOLDS,
        derivation=sm.softmax,
        check=Inequality(
            lower=_stable_outputs,
            upper=lambda z: jnp.zeros(2 * z.shape[-1] + 1, z.dtype),
            # the stated bound itself: (n + 1) eps on |sum s - 1|, none on the entries. The rounded e_i cancel
            # (S is their sum): S's (n-1)u, the reciprocal and multiply 2u, the final sum (n-1)u: 2nu <= (n+1) eps.
            # The entries are in [0, 1] exactly: e_i <= 1 = e_max <= S, and rounding is monotone
            scale=lambda z: jnp.concatenate([jnp.full(1, z.shape[-1] + 1.0), jnp.zeros(2 * z.shape[-1])]),
            domain=Logits(),
            tol=Tol(1, "the statement's (n+1) eps on |sum s - 1| (the scale carries n + 1; the count is 2nu), "
                       "entries exact (scale 0)"),
        ),
        note="Any finite input, up to +-max of the dtype: no nan, no inf. Contrast softmax.naive.thresholds.",
    ),
    Claim(
        id="softmax.stable.relative-values",
        statement=r"\forall z \text{ finite}:\ |\hat s_i - s_i| \le c\,u\,(1 + |z_i - m|)\,s_i + (\text{underflow resolution}); "
                  r"\ \hat s_i = 0 \iff z_i - m < \log(\text{underflow threshold})",
        sources=(Source(DOC000, STABLE, "so long as the relative values are not extremely different across the inputs"),),
        kind=Kind.STABILITY,
        verdict=Verdict.IMPRECISE,
        reconstructed=True,
        condition="No condition is needed for stability: for every finite input the max-shifted softmax is finite, sums "
                  "to 1 and is accurate to c u (1 + |z_i - m|) relative (the factor is the conditioning of e^{z_i - m} "
                  "itself, not the algorithm's). Extreme relative values only make a tiny probability underflow to 0 "
                  "(z_i - m < -87.34 float32 / -708.40 float64 when subnormals are flushed, -103.97 / -745.13 otherwise) "
                  "and the literal log(softmax) -inf there; the max-shifted log-softmax stays finite "
                  "(softmax.log-softmax.stable).",
        derivation=sm.softmax,
        check=Identity(
            lhs=sm.softmax,
            rhs=lambda z: jnp.exp(sm.log_softmax(z)),
            scale=lambda z: jnp.maximum(sm.softmax(z), jnp.exp(sm.log_softmax(z))) * (1 + jnp.abs(z - jnp.max(z))),
            domain=Logits(),
            # lhs: softmax (k+3)u + its exponent u|z_i - m| + the normaliser's < 2u; rhs: log-softmax (z_i - m)
            # - log1p(r) is off by u|z_i - m| + (k+4)u (r's sum and exps ku, log1p 2u log k) + 2u (normaliser's
            # exponents) + u|log s_i| <= u(|z_i - m| + 2), then exp 2u: (k+10)u + 2u|z_i - m|
            tol=Tol(14.5, "softmax (k+5)u, exp of log-softmax (k+10)u, 3u|z_i - m|: 29u of s (1 + |z_i - m|), k <= 7"),
        ),
        note="Certified on the full range of each dtype against mpmath, each side on its own; where a probability is below "
             "the smallest normal the error is judged in absolute terms (the engine's floor).",
    ),
    Claim(
        id="softmax.log-softmax.stable",
        statement=r"\log\mathrm{softmax}(z)_i = (z_i - m) - \log\sum_k e^{z_k - m} \text{ is finite and accurate for every finite } z",
        sources=(Source(DOC000, STABLE, "We should instinctively be wary of the exponential and log terms in our softmax function"),),
        kind=Kind.STABILITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sm.log_softmax,
        check=Identity(
            lhs=sm.log_softmax,
            rhs=lambda z: z - sm.logsumexp(z),
            # 1 + max(|z_i|, |lse|), not the sum: the sum overflows for z near -+max
            scale=lambda z: 1 + jnp.maximum(jnp.abs(z), jnp.abs(sm.logsumexp(z))),
            domain=Logits(),
            # lhs (z_i - m) - log1p(r): (k+8)u + 2u|z_i - m| (as in softmax.stable.relative-values), with
            # |z_i - m| <= |z_i| + |lse| + log k <= 2 max + 2; rhs: lse (k+6)u + u|lse|, z - lse u|z_i - lse| <= 2u max
            tol=Tol(16, "lhs (k+12)u + 4u max, rhs (k+6)u + 3u max: 32u of 1 + max(|z_i|, |lse|) for k <= 7"),
        ),
        note="log(softmax(z)_i) = -inf once z_i - m < -87.34 (float32, flush-to-zero) while the true value is finite; "
             "the max-shifted form is -inf only where z_i - m itself overflows (e.g. z = (max, -max)), which is the "
             "correctly rounded value.",
    ),
    Claim(
        id="softmax.stable.all-directions",
        statement=r"z = (0, -g):\ \log\hat s_2 \text{ finite and accurate for } g \le -\log\mathrm{tiny} - 1,\ "
                  r"\log\hat s_2 = -\infty \text{ for } g \ge -\log(\text{smallest subnormal}) + 1;\ "
                  r"(z_i - m) - \log\textstyle\sum_k e^{z_k - m} \text{ finite and accurate for every } g",
        sources=(Source(DOC000, STABLE, "If this is the case, then we are protected against numerical instability from all directions."),),
        kind=Kind.STABILITY,
        verdict=Verdict.IMPRECISE,
        reconstructed=True,
        condition="'Too large' must mean a gap max_k z_k - z_i beyond -log(tiny) (87.34 float32, 708.40 float64 where "
                  "subnormals flush; -log of the smallest subnormal, 103.28 / 744.44, where they do not). The stable "
                  "softmax is protected in every direction that moves the logits together (finite and normalised for "
                  "every finite z: softmax.stable.finite-normalised); against their spread, the log-probability the "
                  "NLL takes of it stays finite only below that gap: beyond, the probability underflows to 0 and its "
                  "log is -inf (z = (0, 110) in float32, (0, 750) in float64). Computed as "
                  "(z_i - m) - log sum_k e^{z_k - m}, it is finite and accurate in every direction, with no premise.",
        derivation=sm.log_softmax,
        check=Custom(
            run=_gap_directions,
            description="z = (0, -g) for 500 gaps up to -log(tiny) - 1 and 61 from -log(smallest subnormal) + 1 on: "
                        "the log of the stable softmax within 3.5 eps of 1 + g of mpmath below, -inf beyond; the "
                        "log-softmax within the same bound at every gap",
        ),
        note="The sentence draws its conclusion from the author's belief that the softmax gradient keeps the logit "
             "gaps from growing, which the suite resolves as false on separable data (gradient descent grows them "
             "like log t) and true on non-separable data (multiclass.gradient-descent-gaps-grow). Read with the "
             "premise made quantitative (the gaps stay below the threshold of the condition), the conclusion holds "
             "for the stable softmax and its log (certified): imprecise, not an erratum. The thresholds come from "
             "the dtype's constants, a float away from the band where the backend's exp and flush decide.",
    ),
    Claim(
        id="softmax.naive.thresholds",
        statement=r"z = c\,\mathbf{1}_n:\ \tfrac{e^{z}}{\sum_k e^{z_k}} = \tfrac1n \text{ for } c_0 < c < c_1;\ "
                  r"= 0 \text{ for } c_1 \le c < \log\max;\ \text{nan for } c \ge \log\max \text{ or } c \le c_0;\ "
                  r"c_1 = \log\tfrac{\max}{n} \text{, or } \log\tfrac{1}{n\,\mathrm{tiny}} \text{ where } a/S \text{ is computed as } a \cdot \mathrm{fl}(1/S) \text{ and subnormals flush}",
        sources=(Source(DOC000, STABLE, "that will drive the exponentials to infinity or zero respectively"),),
        kind=Kind.STABILITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sm.softmax_naive,
        check=Custom(
            run=_naive_thresholds,
            description="naive softmax on c*1_n for ~3400 c per n (log grid of both signs plus 97 floats around each "
                        "predicted threshold): every c is in its predicted regime (nan / right / zeros / nan) except within "
                        "2 floats of a threshold; the stable softmax is 1/n at every c",
        ),
        note="c_0 = log(tiny) = -87.336544 (float32), -708.39642 (float64) where the backend flushes subnormals (XLA CPU), "
             "else log(smallest subnormal / 2) = -103.97, -745.13; log(max) = 88.72284, 709.78271. Found: XLA compiles "
             "e / sum(e) (a divide by a broadcast) as e * (1 / sum(e)), and with flush-to-zero 1/S is 0 once "
             "S > 1/tiny, so on CPU the naive softmax returns all zeros, without any nan, from c_1 = log(1/(n tiny)) "
             "= 86.64340, 86.23794, 85.03397 (float32, n = 2, 3, 10; 707.70327, 707.29781, 706.09383 in float64), "
             "about 1.4 below the overflow of the sum (log(max/n)). Both mechanisms are detected, not assumed: the "
             "flush by the engine's platform probe, the reciprocal by comparing v / sum(v) with numpy's division "
             "on integer vectors (exact sums). For a general z the first nan comes with max_k z_k >= log(max) (that "
             "entry is inf * 0 or inf / inf), and the zeros with sum_k e^{z_k} past 1/tiny (or max).",
    ),
    Claim(
        id="softmax.keeps-dimension",
        statement=r"\mathrm{softmax}: \mathbb{R}^n \to \mathbb{R}^n \ (\text{in fact into the simplex } \Delta^{n-1})",
        sources=(Source(DOC002, GEN, "Notice that the softmax function does not change the dimension of the vector"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=sm.softmax,
        check=Custom(run=shape_check(sm.softmax, [(n, ((n,),), (n,)) for n in range(1, 11)],
                                     "softmax of z in R^n: shape (n,)"),
                     description="jax.eval_shape of the stable softmax on z in R^n, n = 1..10: shape (n,), real dtype"),
        note="A shape statement; that the output is a probability vector is softmax.probability-vector.",
    ),
]
