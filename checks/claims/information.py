"""Claims about divergences, entropy, cross-entropy and the KL divergence, and their link to maximum likelihood."""
import jax.numpy as jnp
import numpy as np
from mpmath import mp

from derivations import information as it

from checks.engine import (Args, Claim, Custom, Derivative, Exists, Identity, Inequality, Kind, Logits, OneHot, Real,
                           Simplex, Source, Tol, Verdict)
from checks.engine.outcomes import evidence, outcome

from ._mp_information import Positive, monte_carlo
from ._sources import DOC000, DOC001, DOC002

DIV, KL, ENT, CE = "Divergence", "Kullback-Leibler Divergence", "Entropy", "Cross-Entropy"
L2 = "L2 norm and linear regression"
MLE000, MLE001 = "Maximum Likelihood", "Maximum Likelihood Estimation"

PAIR = Args(Simplex(), Simplex())
# every entry >= tiny: ratios p/q, q/p lie in [tiny, 1/tiny], normal numbers, so the ratio forms are
# evaluated as written
RATIO_PAIR = Args(Simplex(positive=True), Simplex(positive=True))
BASE = Real(lo=1.0, open_lo=True)  # a logarithm base b > 1
MODEL_PAIR = Args(Simplex(), Simplex(positive=True))  # data p may have zeros; the model q gives every outcome mass

# the sums behind H, H(p,q) and the literal KL lines: 2k terms p log p, p log q (k <= 7, the sizes (2, 7)) of <= 1.5 eps each and
# their sum, <= (1.5 + k) eps relative to the sum of |terms|; an identity between two such forms adds both sides.
# The accurate KL (derivations.information.kl_divergence) has k terms p log(p/q) of <= 3.5 eps each (an exact or
# once-rounded ratio, log or log1p with condition <= 1.44, the product) and their sum: <= (3.5 + k/2) eps of
# sum |p log(p/q)| <= the sum of |terms|, within the same bound
_SUM_EPS = 9  # (1.5 + k) = 8.5 eps for k <= 7; the accurate KL's (3.5 + k/2) = 7 eps is within it
_STEP = Tol(2 * _SUM_EPS, "each side <= (1.5 + k) = 8.5 eps of the sum of |terms| (k <= 7 outcomes); "
                          "lhs against rhs adds both")


def _magnitude_of_terms(p, q):
    """sum |p log p| + |p log q|: the scale the roundoff of H(p, q) = H(p) + D_KL(p || q) is relative to."""
    return jnp.sum(jnp.abs(it.xlogy(p, p)) + jnp.abs(it.xlogy(p, q)), axis=-1)


def _terms(p, q):
    # the magnitude roundoff is relative to: sum |p log p| + |p log q| + sum p. The last term: a ratio's rounding
    # (1/2 eps relative) is 1/2 eps absolute in its log; and p, q are probability vectors rounded to the dtype,
    # summing to 1 only within k/2 eps, which moves D_KL by as much (D_KL >= -log sum q)
    return _magnitude_of_terms(p, q) + jnp.sum(p, axis=-1)


def _finite(*v):
    return jnp.all(jnp.isfinite(jnp.stack(v)))


def _asymmetric(f):
    """Witness that f(p, q) != f(q, p), by a margin of 1% of the values (far above their roundoff)."""
    def witness(p, q):
        a, b = f(p, q), f(q, p)
        return _finite(a, b) & (jnp.abs(a - b) > 1e-2 * (a + b))
    return witness


def _triangle_fails(f):
    """Witness that f(p, r) > f(p, q) + f(q, r), by a margin of 1% (far above roundoff)."""
    def witness(p, q, r):
        direct, detour = f(p, r), f(p, q) + f(q, r)
        return _finite(direct, detour) & (direct > 1.01 * detour)
    return witness


def _point_mass(y):
    """|sum y - 1|, |H(y)| and -y: all <= 0 iff y is a probability vector with all its mass on one outcome."""
    return jnp.concatenate([jnp.abs(jnp.sum(y) - 1)[None], jnp.abs(it.entropy(y))[None], -y])


def _h2(p, q):
    return it.cross_entropy(p, q) / jnp.log(jnp.asarray(2, p.dtype))


def _kl2(p, q):
    return it.kl_divergence(p, q) / jnp.log(jnp.asarray(2, p.dtype))


def _total_bits(p, q):
    """[H_2(p,q), L, Kraft sum] <= [L, H_2(p,q) + 1, 1], L = E_p[l_q]: events from p, coded for q."""
    h, length = _h2(p, q), it.expected_code_length(p, q)
    one = jnp.ones((), p.dtype)
    return jnp.stack([h, length, it.kraft_sum(q)]), jnp.stack([length, h + 1, one])


def _extra_bits(p, q):
    """[KL_2 - 1, E_p[l_q - l_p]] <= [E_p[l_q - l_p], KL_2 + 1]: extra bits of p's events under q's code."""
    kl2, extra = _kl2(p, q), it.expected_code_length(p, q) - it.expected_code_length(p, p)
    return jnp.stack([kl2 - 1, extra]), jnp.stack([extra, kl2 + 1])


def _order(p, q, b, c):
    """-(H_b(p) - H_b(q)) (H_c(p) - H_c(q)) <= 0: the two bases order p and q alike."""
    return -(it.entropy_base(p, b) - it.entropy_base(q, b)) * (it.entropy_base(p, c) - it.entropy_base(q, c))


def _order_scale(p, q, b, c):
    return (it.entropy_base(p, b) + it.entropy_base(q, b)) * (it.entropy_base(p, c) + it.entropy_base(q, c))


def _uniform(p):
    return jnp.full_like(p, 1 / p.shape[-1])


def _entropy_bounds(p):
    """[0, H(p), H(u), log n] <= [H(p), H(u), log n, H(u)]: 0 <= H(p) <= H(uniform) = log n."""
    h, hu, logn = it.entropy(p), it.entropy(_uniform(p)), jnp.log(jnp.asarray(p.shape[-1], p.dtype))
    return jnp.stack([jnp.zeros_like(h), h, hu, logn]), jnp.stack([h, hu, logn, hu])


def _kl_logits_cond(p, z):
    # softmax(z)_j carries <= eps (1 + k + |z_j - m|) relative error (rounded exponent, sum, divide) and p_j its
    # own rounding; s - p cancels: the error is relative to s(1 + k + |z - m|) + p, not to |s - p|. Capped at
    # 1/eps where s - p rounds to 0. s |z - m| <= 1/e, and min() keeps an overflowed z - m from giving 0 * inf.
    s = it.softmax(z)
    shift = jnp.minimum(jnp.abs(z - jnp.max(z)), 1 / jnp.finfo(z.dtype).eps)
    size = s * (1 + z.shape[-1] + shift) + p
    return size / jnp.maximum(jnp.abs(s - p), jnp.finfo(z.dtype).eps * size)


# --- maximum likelihood (000): Custom checks over sampled data sets ----------------------------------------


def _datasets(dtype, k, n, m, seed):
    """m data sets of n labels in {0..k-1}, drawn from random p, and m models q (every entry >= tiny)."""
    rng = np.random.default_rng([seed, k, n])
    p = rng.dirichlet(np.full(k, 0.5), m)
    labels = np.stack([rng.choice(k, n, p=pi) for pi in p])
    q = Simplex(positive=True).sweep(dtype, m, k, rng)
    return labels, q


def _nll_vs_cross_entropy(dtype, budget):
    import jax

    eps = float(np.finfo(dtype).eps)
    worst, points, refereed, cex = 0.0, 0, 0, None
    f = jax.jit(jax.vmap(lambda labels, q: jnp.stack([
        it.mean_nll(labels, q), it.cross_entropy(it.empirical_distribution(labels, q.shape[-1], q.dtype), q)])))
    for k in (2, 3, 10):
        for n in (1, 7, 100):
            labels, q = _datasets(dtype, k, n, 256, seed=5)
            out = np.asarray(f(labels, q), np.float64)
            scale = np.abs(np.log(np.take_along_axis(q.astype(np.float64), labels, axis=1))).mean(axis=1)
            # lhs: n logs (<= 1 eps) summed (<= n/2 eps) and a mean; rhs: counts/n (1/2 eps), k terms, their sum:
            # each side <= ((n + k)/2 + 4) eps relative to the mean |log q(x_i)|; the two sides differ by both
            tol = (n + k) / 2 + 4
            err = np.abs(out[:, 0] - out[:, 1]) / np.maximum(scale, np.finfo(dtype).tiny) / eps / (2 * tol)
            sub = np.arange(0, len(q), 16)  # mpmath on 16 of each 256: the exact value, referee of each side
            with mp.workdps(50):
                exact = np.array([float(-mp.fsum(mp.log(mp.mpf(float(q[i, j]))) for j in labels[i]) / n) for i in sub])
            err[sub] = np.maximum(err[sub], np.abs(out[sub] - exact[:, None]).max(axis=1)
                                  / np.maximum(scale[sub], np.finfo(dtype).tiny) / eps / tol)
            points, refereed = points + len(err), refereed + len(sub)
            i = int(np.argmax(err))
            worst = max(worst, float(err[i]))
            if err[i] > 1 and cex is None:
                cex = {"labels": labels[i].tolist(), "q": q[i].tolist(), "nll/n": out[i, 0], "H(p_hat, q)": out[i, 1]}
    ev = [evidence("NLL/n = H(p_hat, q)", dtype, points=points, max_error=worst, tolerance=1.0,
                   note=f"error in units of the roundoff bound ((n + k)/2 + 4) eps per side, n <= 100 labels, k <= 10 "
                        f"outcomes; {refereed} of the points also refereed side by side in mpmath")]
    return outcome(dtype, worst <= 1.0, ev, "" if worst <= 1 else "NLL/n and H(p_hat, q) differ beyond roundoff", cex)


def _three_motivations(dtype, budget):
    """Over a grid of theta, the likelihood's argmax, and the argmins of H(p_hat, q_theta) and KL(p_hat || q_theta)
    are each optimal for the other two criteria (up to roundoff at near-ties)."""
    import jax

    eps = float(np.finfo(dtype).eps)
    k, n = 4, 8
    theta = jnp.linspace(-2, 2, 801, dtype=dtype)  # q_theta(x) >= e^{-6}/4: a product of 8 stays a normal float32

    def family(t):
        return it.softmax(t * jnp.arange(k, dtype=dtype))  # q_theta(x) proportional to e^{theta x}

    def criteria(labels):
        q = jax.vmap(family)(theta)
        p_hat = it.empirical_distribution(labels, k, dtype)
        like = jnp.prod(q[:, labels], axis=1)  # the likelihood itself, a product (the ML principle as stated)
        ce = jax.vmap(lambda qt: it.cross_entropy(p_hat, qt))(q)
        kl = jax.vmap(lambda qt: it.kl_divergence(p_hat, qt))(q)
        objectives = jnp.stack([-like / jnp.max(like), ce, kl])  # all minimised; the likelihood relative to its max
        chosen = jnp.argmin(objectives, axis=1)
        regret = objectives[:, chosen] - jnp.min(objectives, axis=1)[:, None]  # [criterion, chooser]
        return regret, jnp.stack([jnp.ones((), dtype), ce.min(), ce.min() + kl.min()])

    labels, _ = _datasets(dtype, k, n, 400, seed=9)
    regret, size = (np.asarray(v, np.float64) for v in jax.jit(jax.vmap(criteria))(labels))
    # each objective within (k/2 + 4) eps (CE, KL: k-term sums; the likelihood: n products) of its value, n = 8:
    # another criterion's choice may look worse by at most twice that
    tol = 2 * (max(k, n) / 2 + 4) * eps
    err = (regret / np.maximum(size[:, :, None], np.finfo(dtype).tiny)).max(axis=(1, 2)) / tol
    i = int(np.argmax(err))
    ev = [evidence("argmax L = argmin H(p_hat, q) = argmin KL(p_hat||q)", dtype, points=len(err),
                   max_error=float(err[i]), tolerance=1.0,
                   note="worst regret of one criterion's choice under another, in units of 2 (max(k,n)/2 + 4) eps")]
    cex = None if err[i] <= 1 else {"labels": labels[i].tolist(), "regret": regret[i].tolist()}
    return outcome(dtype, err[i] <= 1, ev, "" if err[i] <= 1 else "the criteria choose differently", cex)


CLAIMS = [
    # --- labels as distributions (002, "L2 norm and linear regression") --------------------------------------
    Claim(
        id="probability.one-hot-point-mass",
        statement=r"y = e_t \in \{0, 1\}^n:\quad y_k \ge 0,\ \textstyle\sum_k y_k = 1,\ H(y) = 0 "
                  r"\text{ (a probability distribution, all its mass on class } t\text{)}",
        sources=(Source(DOC002, L2, "Note that a one-hot encoded vector is just a probability distribution where the "
                                    "mass is concentrated in a single class."),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.entropy,
        check=Inequality(
            lower=_point_mass,
            upper=lambda y: jnp.zeros(y.shape[-1] + 2, y.dtype),
            # exact: a sum of zeros and one 1 is 1, and H sums 0 log 0 = 0 and 1 log 1 = 0 (xlogy), no rounding
            scale=lambda y: jnp.zeros(y.shape[-1] + 2, y.dtype),
            domain=Args(OneHot()),
            tol=Tol(1, "exact (scale 0): every entry, the sum and the entropy are computed without rounding"),
        ),
        note="A point mass: entropy 0, so against a model q the cross-entropy is the KL divergence, "
             "H(y, q) = H(y) + D_KL(y||q) = -log q_t (cross-entropy.entropy-plus-kl, "
             "multiclass.nll.indicator-picks-true-class): what lets the document compare labels with predictions "
             "as distributions.",
    ),
    # --- divergences (002, "Divergence") ---------------------------------------------------------------------
    Claim(
        id="divergence.axioms",
        statement=r"D: S \times S \to \mathbb{R},\ D(p\|q) \ge 0,\ D(p\|q) = 0 \Leftrightarrow p = q",
        sources=(Source(DOC002, DIV, "then a divergence on $$S$$ is a function"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
    ),
    Claim(
        id="kl.not-symmetric",
        statement=r"\exists p, q:\ D_{KL}(p\|q) \ne D_{KL}(q\|p)",
        sources=(Source(DOC002, DIV, "This means that in general a divergence will not be symmetric"),),
        kind=Kind.EXISTENCE,
        verdict=Verdict.HOLDS,
        derivation=it.kl_divergence,
        check=Exists(witness=_asymmetric(it.kl_divergence), domain=RATIO_PAIR),
        note="KL is a divergence that fails the distance axiom of symmetry (axiom 3).",
    ),
    Claim(
        id="kl.triangle-fails",
        statement=r"\exists p, q, r:\ D_{KL}(p\|r) > D_{KL}(p\|q) + D_{KL}(q\|r)",
        sources=(Source(DOC002, DIV, "and the triangle inequality will not hold"),),
        kind=Kind.EXISTENCE,
        verdict=Verdict.HOLDS,
        derivation=it.kl_divergence,
        check=Exists(witness=_triangle_fails(it.kl_divergence),
                     domain=Args(Simplex(positive=True), Simplex(positive=True), Simplex(positive=True))),
        note="KL fails the distance axiom 4 (triangle inequality); a margin of 1%, far above roundoff.",
    ),
    # --- KL (002, "Kullback-Leibler Divergence"; 001) --------------------------------------------------------
    Claim(
        id="kl.definition",
        statement=r"D_{KL}(p\|q) := \sum_{x \in X} p(x) \log\frac{p(x)}{q(x)}",
        sources=(Source(DOC002, KL, "The KL-divergence of two probability distributions"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        derivation=it.kl_divergence_ratio,
        note="With 0 log(0/q) = 0; +inf where q(x) = 0 < p(x).",
    ),
    Claim(
        id="kl.flipped-form",
        statement=r"\sum_{x} p(x) \log\frac{p(x)}{q(x)} = -\sum_{x} p(x) \log\frac{q(x)}{p(x)}",
        sources=(Source(DOC002, KL, "In the third term we simply switched the order of"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.kl_divergence_flipped,
        check=Identity(
            lhs=it.kl_divergence_ratio, rhs=it.kl_divergence_flipped, scale=_terms, 
            domain=RATIO_PAIR,
            tol=Tol(16, "each side: the ratio (1/2 eps, absolute in its log), log 1 eps, product 1/2 eps, a k-term "
                        "sum (k/2 eps): <= (2 + k/2) eps = 7 eps of the terms; both sides"),
        ),
        note="'The third term' counts D_KL(p||q) itself as the first: the swap log(q/p) = -log(p/q) is right.",
    ),
    Claim(
        id="kl.log-difference-form",
        statement=r"\sum_{x} p(x) \log\frac{p(x)}{q(x)} = \sum_{x} p(x) \big(\log p(x) - \log q(x)\big)",
        sources=(Source(DOC002, KL, "&= \\sum_{x \\in X} p(x) (\\log(p(x)) - \\log(q(x)) \\\\"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.log_difference,
        check=Identity(
            lhs=it.kl_divergence_ratio, rhs=it.kl_divergence_log_difference, scale=_terms, 
            domain=RATIO_PAIR, tol=_STEP,
        ),
        note="Line 1 -> 2 of the expectation derivation (quotient rule of the log). The document's line 2 has an "
             "unbalanced parenthesis, '(\\log(p(x)) - \\log(q(x))' — a typo; the meaning is clear.",
    ),
    Claim(
        id="kl.expectation-form",
        statement=r"\sum_{x} p(x) \big(\log p(x) - \log q(x)\big) = E_{X \sim p}\big[\log p(X) - \log q(X)\big]",
        sources=(
            Source(DOC002, KL, "Note that we can view the KL-divergence as the expectation of the logarithmic difference"),
            Source(DOC001, MLE001, "Recall from [KL-Divergence and Cross Entropy blog post]"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.log_difference,
        check=Custom(
            run=monte_carlo(it.kl_divergence, it.log_difference, MODEL_PAIR,
                            wrong=lambda p, q: it.kl_divergence(q, p), scale=_magnitude_of_terms),
            description="Monte Carlo: the mean of log p(X) - log q(X) over 65536 draws X ~ p is within 6 sigma of "
                        "the sum; the misreading with X ~ q (the reverse KL) is rejected"),
        note="Line 2 -> 3: the expectation of g(X) = log p(X) - log q(X) under X ~ p. 001 states the same "
             "definition, D_KL(P||Q) = E_{x~P}[log P(x) - log Q(x)].",
    ),
    Claim(
        id="kl.gibbs-nonnegative",
        statement=r"D_{KL}(p\|q) \ge 0",
        sources=(
            Source(DOC002, KL, "The Kullback-Leibler divergence or KL-divergence is often used to compare two probability distributions"),
            Source(DOC002, DIV, "Let us have a look at a concrete example of a divergence"),
        ),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=it.kl_divergence,
        check=Inequality(
            lower=lambda p, q: jnp.zeros((), p.dtype), upper=it.kl_divergence, scale=_terms,
            domain=PAIR,
            tol=Tol(_SUM_EPS, "the KL's k terms and their sum: <= (3.5 + k/2) eps of the sum of |terms|; the inputs' "
                              "normalisation, sum q = 1 within k/2 eps absolute"),
        ),
        note="Gibbs' inequality: divergence axiom 1 for KL. It needs sum q = 1: for vectors rounded to the dtype "
             "(float32 q = (1, 1.2e-8) sums to 1 + 1.2e-8 exactly) the true KL of the inputs can be -1e-8; the slack "
             "is that absolute normalisation error.",
    ),
    Claim(
        id="kl.zero-at-equal",
        statement=r"D_{KL}(p\|p) = 0",
        sources=(Source(DOC002, DIV, "Let us have a look at a concrete example of a divergence"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.kl_divergence,
        check=Identity(
            lhs=lambda p: it.kl_divergence(p, p), rhs=lambda p: jnp.zeros((), p.dtype), 
            domain=Simplex(),
            tol=Tol(1, "every term takes the r = 1 branch: log1p((p - p)/p) = log1p(0) = 0 exactly", absolute=True),
        ),
        note="The direction p = q => D = 0 of divergence axiom 2.",
    ),
    Claim(
        id="kl.positive-when-different",
        statement=r"D_{KL}(p\|q) \ge \tfrac12 \|p - q\|_1^2 > 0 \text{ for } p \ne q \quad \text{(Pinsker)}",
        sources=(Source(DOC002, DIV, "Let us have a look at a concrete example of a divergence"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=it.pinsker_bound,
        check=Inequality(
            lower=it.pinsker_bound, upper=it.kl_divergence,
            scale=lambda p, q: _terms(p, q) + it.pinsker_bound(p, q),
            domain=PAIR,
            tol=Tol(_SUM_EPS + 2, "the KL <= (3.5 + k/2) eps of the sum of |terms|, and the inputs' normalisation "
                                  "(k/2 eps absolute); the bound's k-term sum and square 2 eps"),
        ),
        note="The direction D = 0 => p = q of divergence axiom 2, made quantitative: certified wherever "
             "||p - q||_1^2 exceeds the roundoff of the KL's terms and of the inputs' normalisation (a few eps).",
    ),
    Claim(
        id="probability.fair-dice",
        statement=r"p(x) = \tfrac16,\ x \in \{1, \dots, 6\}",
        sources=(Source(DOC002, KL, "in the example of a fair dice we would have"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        note="No KL value is computed for the dice in the document.",
    ),
    # --- entropy (002, "Entropy") ----------------------------------------------------------------------------
    Claim(
        id="entropy.self-information",
        statement=r"I(x) = -\log p(x)",
        sources=(Source(DOC002, ENT, "The self-information of an event"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        derivation=it.self_information,
    ),
    Claim(
        id="entropy.definition",
        statement=r"H_b(p) := -\sum_{x} p(x) \log_b p(x)",
        sources=(Source(DOC002, ENT, "where $$b$$ is the base of the logarithm which is used to choose the units of information"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        derivation=it.entropy_base,
        note="b = 2: bits, b = e: nats.",
    ),
    Claim(
        id="entropy.expected-information",
        statement=r"H_b(p) = \frac{E_{X\sim p}[I(X)]}{\log b} = E_{X \sim p}[-\log_b p(X)]",
        sources=(Source(DOC002, ENT, "The term on the right hand side shows an interpretation of the entropy"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.IMPRECISE,
        condition=r"b = e, or the self-information taken in the same base, I_b(x) = -\log_b p(x): "
                  r"H_b(p) = E[I_b(X)] = E[I(X)] / \log b",
        derivation=it.entropy_base,
        check=Custom(
            run=monte_carlo(lambda p, b: it.entropy_base(p, b) * jnp.log(b), lambda p, b: it.self_information(p),
                            Args(Simplex(), BASE),
                            wrong=lambda p, b: it.entropy_base(p, b)),
            description="Monte Carlo: the mean of I(X) = -log p(X) over 65536 draws X ~ p equals H_b(p) log b; "
                        "the as-written H_b(p) = E[I(X)] is rejected for bases b != e"),
        note="The document defines I(x) = -log p(x) with the natural log, then writes H_b(p) = E(I(X)) for any base "
             "b: right for b = e only (for b = 2 the sides differ by the factor ln 2).",
    ),
    Claim(
        id="entropy.change-of-base-rescales",
        statement=r"H_b(p) = \frac{H_e(p)}{\log b} \quad (b > 0,\ b \ne 1)",
        sources=(Source(DOC002, ENT, "However changing the base will only rescale entropy"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.entropy_base,
        check=Identity(
            lhs=it.entropy_base, rhs=lambda p, b: it.entropy(p) / jnp.log(b),
            domain=Args(Simplex(), Positive(not_one=True)),
            tol=Tol(16, "each side: k logs (1 eps), the base's log and a division (1.5 eps), products and a k-term "
                        "sum of same-signed terms: <= (3 + k/2) eps = 8 eps; lhs against rhs adds both"),
        ),
    ),
    Claim(
        id="entropy.base-preserves-order",
        statement=r"b, c > 1:\ \big(H_b(p) - H_b(q)\big)\big(H_c(p) - H_c(q)\big) \ge 0,\ "
                  r"\text{so } H_2(p) > H_2(q) \Rightarrow H_e(p) > H_e(q)",
        sources=(Source(DOC002, ENT, "it will not change the order of different distributions"),),
        kind=Kind.INVARIANCE,
        verdict=Verdict.HOLDS,
        derivation=it.entropy_base,
        check=Inequality(
            lower=_order, upper=lambda p, q, b, c: jnp.zeros((), p.dtype), scale=_order_scale,
            domain=Args(Simplex(), Simplex(), BASE, BASE),
            tol=Tol(20, "each entropy within 8 eps: a difference within 8 eps of the sum of the two entropies; the "
                        "product of two such differences within 16 eps of the product of the sums, plus 1/2 eps"),
        ),
        note="Strictness follows from H_c = H_b log b / log c with log b / log c > 0; for bases below 1 the order "
             "reverses (log b < 0), which the document's 'bits' and 'nats' do not meet.",
    ),
    Claim(
        id="entropy.maximal-at-uniform",
        statement=r"0 \le H(p) \le H(u_n) = \log n, \quad u_n = (\tfrac1n, \dots, \tfrac1n)",
        sources=(Source(DOC002, ENT, "The entropy is maximal for a uniform distribution"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=it.entropy,
        check=Inequality.of(_entropy_bounds,
            domain=Simplex(),
            tol=Tol(_SUM_EPS + 2, "H(p), H(u): k-term sums of same-signed terms, <= (1.5 + k/2) eps each; log n 1 eps"),
        ),
    ),
    # --- cross-entropy (002, "Cross-Entropy") ----------------------------------------------------------------
    Claim(
        id="cross-entropy.definition",
        statement=r"H(p, q) := H(p) + D_{KL}(p\|q)",
        sources=(Source(DOC002, CE, "This tells us cross-entropy is the sum of the entropy of the target variable"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        derivation=it.entropy_plus_kl,
        note="The usual definition is H(p, q) = -sum p log q; the document defines it through the KL and derives "
             "that form (cross-entropy.entropy-plus-kl and its steps).",
    ),
    Claim(
        id="cross-entropy.entropy-plus-kl",
        statement=r"H(p, q) = H(p) + D_{KL}(p \,\|\, q) = -\sum_x p(x)\log q(x)",
        sources=(
            Source(DOC002, "Cross-Entropy", "The cross-entropy between two probability distributions"),
            Source(DOC002, "Cross-Entropy", "The terms can be simplified"),
            Source(DOC000, "Maximum Likelihood", "as the KL is simply and the entropy term here is irrelevant for the optimisation"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.entropy_plus_kl,
        check=Identity(
            lhs=it.cross_entropy, rhs=it.entropy_plus_kl, scale=_magnitude_of_terms,
            domain=Args(Simplex(), Simplex()),
            # the right side (k <= 7): H(p), k terms of 2 roundings and their sum, (2 + k)u of sum |p log p|; the KL,
            # k terms of <= 7u (the ratio, log or log1p, product) and their sum, (7 + k)u of sum |p log(p/q)|
            # <= the sum of |terms|; the final add 1u: (10 + 2k)u = 24u relative to the sum of |terms|
            tol=Tol(24, "H(p) (2 + k)u and the KL (7 + k)u of the sum of |terms|, the add 1u: (10 + 2k)u, k <= 7"),
        ),
        note="0 log 0 = 0 throughout; where q(x) = 0 < p(x) both sides are +inf.",
    ),
    Claim(
        id="cross-entropy.step-flipped-kl",
        statement=r"H(p) + D_{KL}(p\|q) = -\sum_x p \log p - \sum_x p \log\frac{q}{p}",
        sources=(Source(DOC002, CE, "&= -\\sum_{x \\in X} p(x) \\log(p(x)) - \\sum_{x \\in X} p(x) \\log\\bigg(\\frac{q(x)}{p(x)}\\bigg)"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.cross_entropy_line2,
        check=Identity(lhs=it.entropy_plus_kl, rhs=it.cross_entropy_line2, scale=_terms, 
                       domain=RATIO_PAIR, tol=_STEP),
        note="Line 1 -> 2: the KL in its flipped form -sum p log(q/p) (kl.flipped-form), with the sign right.",
    ),
    Claim(
        id="cross-entropy.step-expand-log",
        statement=r"-\sum_x p \log p - \sum_x p \log\frac{q}{p} = -\sum_x p \log p - \sum_x p \log q + \sum_x p \log p",
        sources=(Source(DOC002, CE, "- \\sum_{x \\in X} p(x) \\log(q(x))  + \\sum_{x \\in X} p(x)\\log(p(x))"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.cross_entropy_line3,
        check=Identity(lhs=it.cross_entropy_line2, rhs=it.cross_entropy_line3, scale=_terms, 
                       domain=RATIO_PAIR, tol=_STEP),
        note="Line 2 -> 3: log(q/p) = log q - log p inside the second sum.",
    ),
    Claim(
        id="cross-entropy.step-cancel",
        statement=r"-\sum_x p \log p - \sum_x p \log q + \sum_x p \log p = -\sum_x p(x) \log q(x)",
        sources=(Source(DOC002, CE, "&= - \\sum_{x \\in X} p(x) \\log(q(x))"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.entropy_plus_kl,
        check=Identity(lhs=it.cross_entropy_line3, rhs=it.cross_entropy, scale=_terms, 
                       domain=PAIR, tol=_STEP),
        note="Line 3 -> 4: the first and last sums cancel.",
    ),
    Claim(
        id="cross-entropy.information-weighted",
        statement=r"H(p, q) = E_{X \sim p}\big[-\log q(X)\big] = \sum_x p(x)\, I_q(x)",
        sources=(Source(DOC002, CE, "In words it is the information of events by $$q$$ weighted by distribution $$p$$"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.cross_entropy,
        check=Custom(
            run=monte_carlo(it.cross_entropy, lambda p, q: it.self_information(q), MODEL_PAIR,
                            wrong=lambda p, q: it.cross_entropy(q, p), scale=_magnitude_of_terms),
            description="Monte Carlo: the mean of -log q(X) over 65536 draws X ~ p is within 6 sigma of H(p, q); "
                        "the roles swapped (X ~ q, information under p) are rejected"),
    ),
    Claim(
        id="cross-entropy.total-bits",
        statement=r"\ell_q(x) = \lceil -\log_2 q(x) \rceil:\quad \sum_x 2^{-\ell_q(x)} \le 1,\quad "
                  r"H_2(p, q) \le E_{X \sim p}[\ell_q(X)] < H_2(p, q) + 1",
        sources=(Source(DOC002, CE, "Cross-Entropy: Average number of total bits to represent an event from $$q$$ instead of $$p$$."),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=it.shannon_code_lengths,
        check=Inequality.of(_total_bits,
            domain=MODEL_PAIR,
            tol=Tol(2 * _SUM_EPS, "H_2: the cross-entropy's sum (<= (1.5 + k) eps) and a division by log 2; the code "
                                  "lengths are exact integers, their p-weighted sum <= k/2 eps; the Kraft sum of powers of two <= k/2 eps"),
        ),
        note="Read as the line before it says ('the information of events by q weighted by distribution p'): events "
             "of p, represented with q's code instead of p's. That is H(p, q) in bits: exactly, with the ideal lengths "
             "-log2 q(x); within one bit with a real prefix code, Shannon's ceil(-log2 q) (certified, its Kraft sum "
             "<= 1). 'Instead of p' names the code replaced, since the events have one source. Events drawn from q, "
             "the other grammatical reading, would give about H(q, p), which differs (cross-entropy.not-symmetric); "
             "the context rules it out, so it is no erratum.",
    ),
    Claim(
        id="kl.extra-bits",
        statement=r"D_{KL,2}(p\|q) - 1 < E_{X \sim p}\big[\ell_q(X) - \ell_p(X)\big] < D_{KL,2}(p\|q) + 1",
        sources=(Source(DOC002, CE, "Relative-Entropy: Average number of extra bits to represent an event from $$q$$ instead of $$p$$."),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=it.shannon_code_lengths,
        check=Inequality.of(_extra_bits,
            domain=MODEL_PAIR,
            tol=Tol(2 * _SUM_EPS, "KL_2: the KL's sum (<= (1.5 + k) eps of its terms) and a division by log 2; the "
                                  "expected code lengths <= k/2 eps each"),
        ),
        note="Read as cross-entropy.total-bits: the extra bits of coding p's events with q's code instead of p's are "
             "D_KL(p||q), exactly for ideal lengths, within one bit for Shannon codes (certified). Events drawn from "
             "q would give about D_KL(q||p) (kl.not-symmetric), a reading the context rules out.",
    ),
    Claim(
        id="cross-entropy.grad-equals-kl-grad",
        statement=r"\nabla_q D_{KL}(p\|q) = \nabla_q H(p, q) = -\frac{p}{q}",
        sources=(
            Source(DOC002, CE, "only the KL-divergence depends on $$q$$, thus minimizing cross-entropy with respect to $$q$$ is equivalent to minimizing the KL-divergence"),
            Source(DOC001, MLE001, "we showed it was equal to the cross entropy's gradient"),
            Source(DOC000, MLE000, "the entropy term here is irrelevant for the optimisation"),
        ),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,
        derivation=it.cross_entropy_grad_q,
        check=Derivative(
            # q >= 2^-20: the Taylor test steps q by h v, h >= 2^-27 (the engine's smallest step); for q_x << h,
            # log q_x is nowhere near linear over the step and no order can be measured.
            # The forward is the from-scratch definition (002's line 2, sum p (log p - log q)), not the accurate
            # kl_divergence: its branches put x = (p - q)/q and 1 + x on the autodiff path, where the two parts of
            # d/dq (p - q)/q cancel up to 3x for p/q near 1/2 (observed 2.9 eps in forward mode)
            forward=it.kl_divergence_log_difference, derivative=it.cross_entropy_grad_q,
            domain=Args(Simplex(), Simplex(positive=True, floor=2.0 ** -20)), wrt=1,
            tol=Tol(3, "hand -p/q: one division (1/2 eps); autodiff of p log q: p * (1/q), 1 eps"),
        ),
        note="Autodiff differentiates the KL (as sum p (log p - log q)); the hand result is the cross-entropy's gradient -p/q: equal "
             "gradients, so the same descent paths and minimisers. (000's 'minimising the KL' and 001's "
             "gradient equality are the same statement.) Model entries q >= 2^-20 (about 1e-6): below, the "
             "engine's Taylor steps are larger than q itself.",
    ),
    Claim(
        id="kl.stationary-point-on-simplex",
        statement=r"\nabla_z D_{KL}\big(p\,\|\,\mathrm{softmax}(z)\big) = \mathrm{softmax}(z) - p = 0 \iff \mathrm{softmax}(z) = p",
        sources=(Source(DOC001, MLE001, "by setting $\\nabla_{p_{model}} D_{KL}(p_{data}||p_{model})$ to zero"),),
        kind=Kind.GRADIENT,
        verdict=Verdict.IMPRECISE,
        condition=r"the gradient is taken along the probability simplex (here through logits, q = softmax(z); or with a "
                  r"Lagrange multiplier for \sum q = 1). The unconstrained \nabla_q D_{KL} = -p/q is never zero where p > 0.",
        derivation=it.kl_grad_logits,
        check=Derivative(
            forward=it.kl_of_logits, derivative=it.kl_grad_logits, domain=Args(Simplex(), Logits()), wrt=1,
            cond=_kl_logits_cond,
            tol=Tol(8, "hand and autodiff: softmax within (1.5 + k/2 + |z_j - m|) eps of s_j, the difference 1/2 eps, "
                       "and for autodiff the factor sum p = 1 within k/2 eps: together <= 2 eps of the condition's size "
                       "s (1 + k + |z - m|) + p; the rest for exp's and log's own few ulps"),
        ),
        note="001: 'setting grad_{p_model} D_KL to zero' has no solution for the gradient in q itself (-p/q), "
             "only within the simplex: there the stationary point is q = p, the minimum.",
    ),
    Claim(
        id="cross-entropy.nonnegative",
        statement=r"H(p, q) \ge 0",
        sources=(Source(DOC002, CE, "How does cross-entropy compare to KL-divergence?"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=it.cross_entropy,
        check=Inequality(
            lower=lambda p, q: jnp.zeros((), p.dtype), upper=it.cross_entropy, domain=PAIR,
            tol=Tol(1, "every term -p log q is computed >= 0 (log q <= 0 for q <= 1): no slack is needed"),
        ),
        note="Distance axiom 1 holds for the cross-entropy; axioms 2, 3 and 4 fail (the next three claims).",
    ),
    Claim(
        id="cross-entropy.not-a-divergence",
        statement=r"\exists p:\ H(p, p) = H(p) > 0",
        sources=(Source(DOC002, CE, "How does cross-entropy compare to KL-divergence?"),),
        kind=Kind.EXISTENCE,
        verdict=Verdict.HOLDS,
        derivation=it.cross_entropy,
        check=Exists(witness=lambda p: it.cross_entropy(p, p) > 1e-3, domain=Simplex()),
        note="H(p, p) = H(p) != 0 for any p that is not one-hot: the cross-entropy violates D(p||p) = 0 (divergence "
             "axiom 2), so it is not a divergence, although it differs from the KL only by H(p), constant in q.",
    ),
    Claim(
        id="cross-entropy.not-symmetric",
        statement=r"\exists p, q:\ H(p, q) \ne H(q, p)",
        sources=(Source(DOC002, CE, "How does cross-entropy compare to KL-divergence?"),),
        kind=Kind.EXISTENCE,
        verdict=Verdict.HOLDS,
        derivation=it.cross_entropy,
        check=Exists(witness=_asymmetric(it.cross_entropy), domain=RATIO_PAIR),
        note="Distance axiom 3 fails for the cross-entropy.",
    ),
    Claim(
        id="cross-entropy.triangle-fails",
        statement=r"\exists p, q, r:\ H(p, r) > H(p, q) + H(q, r)",
        sources=(Source(DOC002, CE, "How does cross-entropy compare to KL-divergence?"),),
        kind=Kind.EXISTENCE,
        verdict=Verdict.HOLDS,
        derivation=it.cross_entropy,
        check=Exists(witness=_triangle_fails(it.cross_entropy), domain=Args(Simplex(), Simplex(), Simplex())),
        note="Distance axiom 4 fails too, e.g. p one-hot, q close to p, r putting little mass where p does.",
    ),
    # --- maximum likelihood (000, formulas reconstructed from the prose) ----------------------------------------
    Claim(
        id="nll.mean-equals-empirical-cross-entropy",
        statement=r"\frac1n \mathrm{NLL}(q) = -\frac1n \sum_{i=1}^n \log q(x_i) = -\sum_x \hat p(x) \log q(x) = H(\hat p, q),\quad "
                  r"\hat p(x) = \tfrac1n \#\{i: x_i = x\}",
        sources=(
            Source(DOC000, MLE000, "Minimising the NLL is the same as minimising the cross-entropy of the model's distribution relative to the data distribution."),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.IMPRECISE,
        condition=r"The data distribution is the empirical \hat p_{data} of the training sample: then NLL = n H(\hat p, q) "
                  r"exactly and the minimisers coincide. For the data-generating p_{data}, which the author's original "
                  r"writes, \operatorname{argmin} H(p_{data}, q_\theta) is the population optimum and the NLL's minimiser "
                  r"(the MLE) reaches it only as n \to \infty.",
        reconstructed=True,
        derivation=it.mean_nll,
        check=Custom(run=_nll_vs_cross_entropy,
                     description="2304 data sets (n = 1, 7, 100 labels of k = 2, 3, 10 outcomes) and models q: the "
                                 "mean NLL and H(p_hat, q), each against mpmath"),
        note="The author's public original of the same notes writes the expectation under p_data (and the NLL without "
             "1/n): that formula is the erratum likelihood.nll-as-expectation, as 001's likelihood.mean-is-empirical-"
             "expectation. The conclusion drawn from it holds exactly with the empirical distribution p_hat: the NLL is "
             "n H(p_hat, q), and scaling by n > 0 does not move the minimiser; that identity is certified. 'Cross-entropy "
             "of the model's distribution relative to the data distribution' is H(p_data, p_model).",
    ),
    Claim(
        id="mle.three-motivations",
        statement=r"\operatorname{argmax}_\theta \prod_i q_\theta(x_i) = \operatorname{argmin}_\theta H(\hat p, q_\theta) "
                  r"= \operatorname{argmin}_\theta D_{KL}(\hat p\,\|\,q_\theta)",
        sources=(
            Source(DOC000, MLE000, "This gives us three inter-related ways of motivating our decision to minimise the NLL"),
            Source(DOC001, "Maximum Likelihood Estimation",
                   "we can interpret the maximum log-likelihood estimation as minimizing the dissimilarity"),
        ),
        kind=Kind.INVARIANCE,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=it.mean_nll,
        check=Custom(run=_three_motivations,
                     description="400 data sets of 8 labels, a one-parameter family q_theta(x) ~ e^{theta x} on 4 outcomes, "
                                 "801 values of theta: the likelihood's argmax (the product itself) and the argmins of "
                                 "H(p_hat, q_theta) and KL(p_hat||q_theta) are optimal for all three criteria"),
        note="log L = -n H(p_hat, q) and D_KL(p_hat||q) = H(p_hat, q) - H(p_hat), H(p_hat) free of theta: the three "
             "criteria order the models alike. 'KL divergence from the model's distribution to the data distribution' "
             "is D_KL(p_data || p_model) in the usual 'from Q to P' reading of D_KL(P||Q). "
             "The equivalence is exact for the empirical distribution p_hat of the sample; 001 states it for the true "
             "p_data ('the dissimilarity between the ground truth distribution p_data and the model's'), which it "
             "reaches only as n -> infinity, when p_hat -> p_data (cf. likelihood.mean-is-empirical-expectation).",
    ),
]
