"""Claims about multi-class logistic regression: the softmax likelihood, its NLL line by line, its behaviour."""
import jax
import jax.numpy as jnp
import numpy as np

from derivations import linear_layer as ll
from derivations import losses as ls
from derivations import multiclass as mc
from derivations import sigmoid as sg
from derivations import softmax as sm
from derivations import softplus as sp

from checks.engine import (Args, Binary, BinaryLabels, Claim, Custom, Derivative, Identity, Inequality, Kind, Logits,
                           OneHot, Real, Source, Tol, Verdict)
from checks.engine import exact
from checks.engine.platform import configure, flushes_subnormals
from checks.engine.outcomes import evidence, outcome
from checks.engine.tolerance import finfo, ulp_error

from ._conditioning import lse_condition, softmax_condition
from ._sources import DOC000, DOC001, DOC002
from .losses import _grad_condition
from .softmax import LITERAL

MC = "Multi-class Logistic Regression"
STABLE = "Numerically Stable Softmax"
GEN = "Generalizing to multiple classes"
MC001 = "Logistic Regression as Probability Model; Multi-Class Classification"
# 000's line 2 of the gradient divides the Jacobian row a_i a_y by a_y: with |z_k| <= 20 every a_k >= e^{-40}/10,
# so a_i a_y >= e^{-80}/100 = 1.8e-37 is a normal float32 (from |z| ~ 21 it goes subnormal and loses its digits)
JACOBIAN_ROW = 20.0
# Tolerance counts as in checks/claims/softmax.py: u = eps/2 per +, -, *, /; exp, log, log1p 2u; a k-term sum
# (k-1)u; a divide by a broadcast sum 2u; k <= 7 (the domains' sizes); s_i (k+3)u, 1 - s_i as the sum of the
# others (2k+1)u; the Tol is the count in eps: count / 2.


def _step(name):
    return lambda z, y: mc.nll_steps(z, y)[name]


def _zt(z, y):
    return jnp.sum(jnp.where(y == 1, z, 0))


def _nll(z, y):
    """-log softmax(z)_t through the max-shifted log-softmax, picking the true class with a where: the
    product y_k * log_softmax_k of derivations.losses.softmax_nll is 0 * -inf = nan where z_k - m overflows."""
    return -_zt(sm.log_softmax(z), y)


def _runner_up(z, y):
    """max_{k != t} z_k."""
    return jnp.max(jnp.where(y == 1, -jnp.inf, z))


def _argmax_label(z):
    return (jnp.arange(z.shape[-1]) == jnp.argmax(z)).astype(z.dtype)


def _terms(z, y):
    """1 + |z_t| + |log sum_k e^{z_k}|: the size of the terms of the split forms, which cancel."""
    return 1 + jnp.abs(_zt(z, y)) + jnp.abs(jnp.log(jnp.sum(jnp.exp(z))))


def _capped(cond, dtype):
    """A condition factor, capped at 1/eps: beyond it the relative error is unconstrained anyway (and it stays finite)."""
    return jnp.minimum(cond, 1 / jnp.finfo(dtype).eps)


def _gradient_signs(z, y):
    g = ls.softmax_nll_grad(z, y)
    return jnp.where(y == 1, -g, g)  # -(s_t - 1) for the true class, s_j for the others: all > 0


def _ordered_pairs(z, y):
    """For incorrect j, l with z_j >= z_l: (g_l, g_j), to be ordered g_l <= g_j."""
    g = ls.softmax_nll_grad(z, y)
    wrong = y != 1
    pair = (z[:, None] >= z[None, :]) & wrong[:, None] & wrong[None, :]
    return jnp.where(pair, g[None, :], 0), jnp.where(pair, g[:, None], 0)


def _no_saturation(z, y):
    r"""sigma(-d) <= 1 - s_t <= sigma(log(n-1) - d), d = z_t - max_{k != t} z_k; (lower, upper, scale)."""
    n = z.shape[-1]
    d = _zt(z, y) - _runner_up(z, y)
    g = -jnp.sum(jnp.where(y == 1, ls.softmax_nll_grad(z, y), 0))  # 1 - s_t, as the sum of the others
    lo = jnp.stack([sg.sigmoid(-d), g])
    up = jnp.stack([g, sg.sigmoid(jnp.log(n - 1.0).astype(z.dtype) - d)])
    # d is rounded (u|d|): relative error of the sigmoids; g = sum_{k != t} s_k carries the s_k's conditions
    # (softmax_condition) averaged with the weights s_k, which stays bounded where max|z - m| does not
    w = jnp.where(y == 1, 0, sm.softmax(z))
    total = jnp.sum(w)
    g_cond = jnp.where(total > 0, jnp.sum(w * softmax_condition(z)) / jnp.where(total > 0, total, 1), 1)
    cond = _capped(jnp.abs(d) + g_cond, z.dtype)
    return lo, up, jnp.maximum(lo, up) * cond


def _wrong_class(z, y):
    r"""For each wrong class j (zeros elsewhere): sigma(d_j - log(n-1)) <= s_j <= sigma(d_j), d_j = z_j - max_{k != j} z_k,
    and s_j <= 1/r where j is one of r logits tied at the max; (lower, upper, scale)."""
    n = z.shape[-1]
    g = ls.softmax_nll_grad(z, y)  # s_j for a wrong class
    d = z - jnp.max(jnp.where(jnp.eye(n, dtype=bool), -jnp.inf, z[None, :]), axis=-1)
    top = z == jnp.max(z)
    r = jnp.sum(top).astype(z.dtype)
    wrong = y != 1

    def keep(v, mask=wrong):
        return jnp.where(mask, v, 0)

    lo = jnp.stack([keep(sg.sigmoid(d - jnp.log(n - 1.0).astype(z.dtype))), keep(g), keep(g, wrong & top)])
    up = jnp.stack([keep(g), keep(sg.sigmoid(d)), keep(1 / r, wrong & top)])
    # as in _no_saturation: d_j rounded (u|d_j|), and s_j's own condition, relative to the values
    cond = _capped(jnp.abs(d) + softmax_condition(z), z.dtype)
    return lo, up, jnp.maximum(lo, up) * cond


def _lse_bounds(z):
    r"""max <= lse <= max + log n and lse - max <= (n-1) e^{-d}; (lower, upper, scale)."""
    n = z.shape[-1]
    m, lse, excess = jnp.max(z), sm.logsumexp(z), sm.logsumexp_excess(z)
    top2 = jnp.sort(z)[-2:]
    d = top2[1] - top2[0]
    log_n = jnp.log(jnp.asarray(n, z.dtype))
    bound = (n - 1) * jnp.exp(-d)
    lo, up = jnp.stack([m, lse, excess]), jnp.stack([lse, m + log_n, bound])
    # the first two against |m| + log n (m + log1p(s) rounds relative to it); the excess against its bound, which
    # it approaches for n = 2 as d grows, with the exponents' rounding u*d as relative error
    scale = jnp.stack([jnp.abs(m) + log_n, jnp.abs(m) + log_n, bound * _capped(1 + d, z.dtype)])
    return lo, up, scale


def _loss_sandwich(z, y):
    r"""(-d)^+ <= zeta(-d) <= -log s_t <= zeta(log(n-1) - d), d = z_t - max_{k != t} z_k; (lower, upper, scale)."""
    n = z.shape[-1]
    d = _zt(z, y) - _runner_up(z, y)
    loss = mc.nll(z, y)
    lo = jnp.stack([jnp.maximum(-d, 0), sp.softplus(-d), loss])
    up = jnp.stack([sp.softplus(-d), loss, sp.softplus(jnp.log(n - 1.0).astype(z.dtype) - d)])
    return lo, up, jnp.maximum(lo, up) * _capped(1 + jnp.abs(d), z.dtype)


def _small_loss(z):
    r"""Truth = argmax: -log s_t <= log n and <= (n-1) e^{-d}; (lower, upper, scale)."""
    n = z.shape[-1]
    y = _argmax_label(z)
    d = _zt(z, y) - _runner_up(z, y)
    loss = mc.nll(z, y)
    log_n = jnp.log(jnp.asarray(n, z.dtype))
    bound = (n - 1) * jnp.exp(-d)
    return jnp.stack([loss, loss]), jnp.stack([log_n, bound]), jnp.stack([log_n, bound * _capped(1 + d, z.dtype)])


# -- Custom checks ------------------------------------------------------------------------------------


def _dataset_identity(lhs_key, rhs_key):
    r"""Datasets of N = 16 points, K in {2, 3, 10} classes, logits N(0, sigma^2), sigma in {0.1, 1, 4}: the two lines of
    :func:`derivations.multiclass.dataset_nll_steps` agree wherever the literal likelihood is a normal float, and
    it underflows exactly where -log L passes -log(tiny)."""

    def run(dtype, budget):
        jax = configure()
        
        fi = finfo(dtype)
        ftz = flushes_subnormals(dtype)
        # the product is 0 past -log(tiny) (flushed) or past -log(smallest subnormal / 2); between, it is subnormal
        normal_up_to = -np.log(float(fi.tiny))
        zero_from = normal_up_to if ftz else -np.log(float(fi.smallest_subnormal) / 2)
        f = jax.jit(jax.vmap(mc.dataset_nll_steps))
        rng = np.random.default_rng(2024)
        n_pts, batch = 16, 256
        # the product of N softmax values: N (k + 3) roundings, and the exponents' u|z_t - m| which sum to at most
        # u(-log L); the sum of cross-entropies likewise: (k + 5)u of N + |-log L|, k <= 10
        tol = 16.0
        agree = evidence("lhs=rhs", dtype, tolerance=tol)
        referee = evidence("exact", dtype, tolerance=tol)
        underflow = evidence("literal likelihood underflow", dtype, tolerance=0.0)
        n_under, worst = 0, None
        for k in (2, 3, 10):
            for sigma in (0.1, 1.0, 4.0):
                z = rng.normal(0, sigma, (batch, n_pts, k)).astype(dtype)
                y = np.eye(k, dtype=dtype)[rng.integers(0, k, (batch, n_pts))]
                out = f(z, y)
                lhs, rhs = np.asarray(out[lhs_key], np.float64), np.asarray(out[rhs_key], np.float64)
                value = np.maximum(np.where(np.isfinite(lhs), lhs, 0), np.where(np.isfinite(rhs), rhs, 0))
                normal = value < normal_up_to * (1 - 1e-4)  # the literal product is a normal float
                err = ulp_error(lhs, rhs, n_pts + value, dtype, 1.0)
                agree.add(normal.sum(), err[normal].max(initial=0.0))
                # the product underflows to 0 (-log L = inf) exactly past zero_from, up to its rounding
                zero = np.isposinf(lhs) | np.isposinf(rhs)
                wrong = (zero & (value < zero_from * (1 - 1e-4))) | (~zero & (value > zero_from * (1 + 1e-4)))
                underflow.add(batch, wrong.sum())
                n_under += int(zero.sum())
                bad = normal & (err > tol)
                if (bad.any() or wrong.any()) and worst is None:
                    i = int(np.argmax(bad | wrong))
                    worst = {"args": [z[i].tolist(), y[i].tolist()], "dtype": dtype, "error_ulps": float(err[i])}
                # each side against the exact -log L of a few datasets (the accurate form's own program, in balls)
                idx = np.flatnonzero(normal)[:4]
                truth = exact.values(lambda zs, ys: jnp.sum(mc.nll(zs, ys)), [z[idx], y[idx]])
                for i, t in zip(idx[truth.ok], truth.floats()[truth.ok]):
                    e = max(float(ulp_error(s, t, n_pts + t, dtype, 1.0)) for s in (lhs[i], rhs[i]))
                    referee.add(1, e)
                    if e > tol and worst is None:
                        worst = {"args": [z[i].tolist(), y[i].tolist()], "dtype": dtype, "error_ulps": e}
        underflow.note = (f"{n_under} of {underflow.points} literal likelihoods underflowed to 0; error = datasets where "
                          f"that disagrees with -log L > {zero_from:.5g} (flush-to-zero={ftz})")
        agree.note = "error in eps relative to N + |-log L|, on datasets whose likelihood is a normal float"
        ok = max(agree.max_error, referee.max_error) <= tol and underflow.max_error == 0
        return outcome(dtype, ok, evidence=[agree, referee, underflow],
                       counterexample=worst)

    return run


def _separable_data(dtype):
    """30 points of 3 classes in the plane, separated by the class-centre classifier with a positive margin."""
    rng = np.random.default_rng(7)
    angles = 2 * np.pi * np.arange(3) / 3
    centres = 3 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    labels = np.arange(30) % 3
    x = centres[labels] + rng.normal(0, 0.7, (30, 2))
    scores = x @ centres.T
    margin = scores[np.arange(30), labels] - np.max(np.where(np.eye(3, dtype=bool)[labels], -np.inf, scores), axis=1)
    assert margin.min() > 0, "the data must be linearly separable"
    return x.astype(dtype), np.eye(3, dtype=dtype)[labels]


def _overlapping_data(dtype):
    """The separable points plus each class centre labelled with all three classes: not separable in any direction.

    A point carrying every label forces any direction (W, b) along which no loss term grows to give it equal logits;
    three such points in general position force W x + b to be the same for every class everywhere, which the
    softmax ignores. So the loss is coercive up to that constant: a finite minimiser exists and GD's gaps converge.
    """
    x, onehot = _separable_data(dtype)
    angles = 2 * np.pi * np.arange(3) / 3
    centres = 3 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return (np.concatenate([x, np.repeat(centres, 3, axis=0)]).astype(dtype),
            np.concatenate([onehot, np.tile(np.eye(3), (3, 1))]).astype(dtype))


def _gradient_descent_belief(dtype, budget):
    """Gradient descent on softmax cross-entropy, separable data: do the logit gaps stay bounded?"""
    jax = configure()
    x, onehot = _separable_data(dtype)
    steps = 2 ** 17
    run = jax.jit(mc.margins_under_gradient_descent, static_argnums=(2, 3))
    margin, spread, loss = (np.asarray(v, np.float64) for v in run(x, onehot, 0.5, steps))
    at = 2 ** np.arange(7, 18) - 1  # after t = 2^7 ... 2^17 steps
    per_doubling = np.diff(margin[at])[-5:] / np.log(2)
    spread_doubling = np.diff(spread[at])[-5:] / np.log(2)
    loss_ratio = (loss[at][1:] / loss[at][:-1])[-5:]
    eps = float(finfo(dtype).eps)
    drops = int(np.sum(np.diff(margin) < -8 * eps * np.abs(margin[1:])))  # beyond roundoff of the margin itself
    finite = bool(np.all(np.isfinite(margin)) and np.all(np.isfinite(loss)))
    fmt = lambda v: ", ".join(f"{a:.3f}" for a in v)  # noqa: E731
    rows = [
        evidence("margin gain per doubling", dtype, 5, float(np.max(np.abs(per_doubling - 1))), 0.25,
                 note=f"(min margin(2t) - min margin(t)) / log 2 for t = 2^12..2^16: {fmt(per_doubling)}; "
                      f"margin {margin[at][0]:.3f} at t = 2^7 -> {margin[-1]:.3f} at 2^17: grows like log t"),
        evidence("margin decreases", dtype, steps, float(drops) + (0 if finite else np.inf), 0.0,
                 note="steps at which the smallest margin went down (beyond 8 eps of roundoff)"),
        evidence("logit spread gain per doubling", dtype, 5, float(max(0.0, 1 - spread_doubling.min())), 0.0,
                 note=f"(max spread(2t) - max spread(t)) / log 2: {fmt(spread_doubling)} (error: shortfall below 1); "
                      f"spread {spread[at][0]:.2f} -> {spread[-1]:.2f}"),
        evidence("loss halves per doubling", dtype, 5, float(np.max(np.abs(2 * loss_ratio - 1))), 0.2,
                 note=f"loss(2t)/loss(t): {fmt(loss_ratio)}; loss at 2^17 = {loss[-1]:.3g} (-> 0 like 1/t, no minimiser)"),
    ]
    # the other case: no separating direction, a finite minimiser; the spread settles to roundoff
    xo, oho = _overlapping_data(dtype)
    _, spread_o, loss_o = (np.asarray(v, np.float64) for v in run(xo, oho, 0.5, 2 ** 16))
    late = spread_o[2 ** 12:]
    settle = float(np.max(np.abs(late - spread_o[-1])) / (eps * abs(spread_o[-1])))
    rows.append(evidence("non-separable: spread settles", dtype, late.size, settle, 16.0,
                             note=f"max spread over all 2^16 steps {spread_o.max():.4f}, final {spread_o[-1]:.4f}; "
                                  f"after t = 2^12 it moves by at most {settle:.2g} eps of itself; loss -> "
                                  f"{loss_o[-1]:.4f} > 0 (a finite minimiser)"))
    ok = all(e.max_error <= e.tolerance for e in rows)
    return outcome(dtype, ok, rows, counterexample={"args": [x.tolist(), onehot.tolist()], "dtype": dtype},
                   message="separable data: the gaps grow without bound; non-separable: they settle")


# -- audit additions: what each probability depends on, the Multinoulli's parameters, one-hot labels --

def _offdiag_dependence(z):
    """(lower, upper) for |d a_i / d z_j| > 0 off the diagonal, by autodiff of the from-scratch softmax
    (the diagonal is compared as -1 < |J_ii|, trivially true: only the off-diagonal is the claim)."""
    jac = jnp.abs(jax.jacrev(sm.softmax)(z))
    eye = jnp.eye(z.shape[-1], dtype=bool)
    return jnp.where(eye, -1, 0).astype(z.dtype), jac


def _first_probability_after(z, w):
    """(a_0 of z, a_0 of w with w_0 set to z_0, their scale): equal for every z, w if a_0 were a function f(z_0)."""
    v = w.at[0].set(z[0])
    a, b = sm.softmax(z)[0], sm.softmax(v)[0]
    # each side's exponent z_0 - m is rounded by u|z_0 - m|, which e^{z_0 - m} turns into relative error
    return a, b, jnp.maximum(a, b) * (1 + jnp.abs(z[0] - jnp.max(z)) + jnp.abs(z[0] - jnp.max(v)))


def _null_directions(z):
    """(J 1, 1^T J) of the softmax Jacobian, and the sums of |J| they are rounded against."""
    jac = sm.softmax_jacobian(z)
    return (jnp.concatenate([jnp.sum(jac, axis=1), jnp.sum(jac, axis=0)]),
            jnp.concatenate([jnp.sum(jnp.abs(jac), axis=1), jnp.sum(jnp.abs(jac), axis=0)]))


def _nll_one_hot_index(z, y):
    """-log s_t with t = argmax y: the true class read off the one-hot vector as an index."""
    return -jnp.take(sm.log_softmax(z), jnp.argmax(y))


def _last_layer_resolution(theta, h1, h2, y):
    # a softmax entry below the smallest normal is resolved to tiny at best (float32 exp returns 0 there), and
    # the W entries multiply it by h_j: tiny |h_j| absolute, where the relative bound (cond) says nothing
    tiny = jnp.finfo(theta.dtype).tiny
    k = len(theta) // 3
    return jnp.concatenate([jnp.full(k, tiny * jnp.abs(h1)), jnp.full(k, tiny * jnp.abs(h2)), jnp.full(k, tiny)])


def _last_layer_condition(theta, h1, h2, y):
    # the softmax gradient's own condition (losses._grad_condition), plus the rounding of z = W h + b itself:
    # <= 3u T_k absolute per logit (T_k = |w_k1 h1| + |w_k2 h2| + |b_k|), which reaches yhat_j relatively as
    # <= 6u max_k T_k; the referee computes z exactly, autodiff and the hand result share the rounded z
    z, yk = ll._last_layer_logits(theta, h1, h2, y)
    k = z.shape[-1]
    terms = jnp.abs(theta[:k] * h1) + jnp.abs(theta[k:2 * k] * h2) + jnp.abs(theta[2 * k:])
    c = _grad_condition(z, yk) + jnp.max(terms)
    return jnp.concatenate([c, c, c])


CLAIMS = [
    Claim(
        id="multiclass.model",
        statement=r"y \in \{1, \dots, K\} \sim \mathrm{Cat}(\hat y),\ \hat y = \mathrm{softmax}(z),\ z = Wx + b \in \mathbb{R}^K;"
                  r"\ \text{labels one-hot: } y_k = \mathbb{1}_{k = t}",
        sources=(
            Source(DOC000, MC, "we instead use a Multinoulli distribution"),
            Source(DOC001, MC001, "is a one hot vector where"),
            Source(DOC002, GEN, "multinomial distribution with only one trial"),
        ),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        note="001's notation, none of which changes the mathematics: 'softmax(z_k)', which 001 defines as "
             "e^{z_k} / sum_j e^{z_j}, is softmax(z)_k (the softmax of the scalar z_k alone would be 1; 000's "
             "softmax(z_{y_j}) is the same, multiclass.nll.plugged-in); inside prod_i the logits z_k lack their data "
             "index (z_ik); 'sum_i^K' lacks its lower limit; 'H(y, yhat)' means H(y_i, yhat_i); "
             "'log( ... )^{y_ik}' is the log of the power (multiclass.nll.log-of-power says why). 001 also uses "
             "lower-case k for the number of classes (y in {1,...,k}) next to K; the one place this changes the "
             "mathematics is the normaliser (multiclass.softmax-normaliser).",
    ),
    Claim(
        id="multiclass.softmax-normaliser",
        statement=r"\hat y_{ik} = \frac{e^{z_{ik}}}{\sum_{j=1}^{K} e^{z_{ij}}},\qquad \sum_{k=1}^{K}\hat y_{ik} = 1",
        sources=(Source(DOC001, MC001, r"softmax(z_k) = \frac{e^{z_k}}{\sum_{j=1}^ke^{z_j}}"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.ERRATUM,
        as_written=r"\mathrm{softmax}(z_k) = \frac{e^{z_k}}{\sum_{j=1}^{k} e^{z_j}}",
        derivation=mc.softmax_as_written_001,
        check=Identity(
            lhs=lambda z: jnp.sum(sm.softmax_naive(z)),
            rhs=lambda z: jnp.ones((), z.dtype),
            domain=Logits(bound=LITERAL),
            # the rounded e_i cancel (S is their sum): S's (k-1)u, the reciprocal and multiply 2u, the final sum (k-1)u
            tol=Tol(7, "S (k-1)u, reciprocal-multiply 2u, the sum of the ratios (k-1)u: 2ku = 14u absolute, k <= 7",
                    absolute=True),
        ),
        as_written_check=Identity(
            lhs=lambda z: jnp.sum(mc.softmax_as_written_001(z)),
            rhs=lambda z: jnp.ones((), z.dtype),
            domain=Logits(bound=LITERAL),
            tol=Tol(7, "the same bound as the corrected form", absolute=True),
        ),
        note="Written three times with the upper limit k, the class index itself (the bullet defining softmax, "
             "yhat_ik after 'Note that since', and the line after 'our expression simplifies to'); the two lines "
             "between use K. Taken literally, e^{z_k} / sum_{j<=k} e^{z_j} is not normalised: the first class always "
             "gets 1 and the 'probabilities' sum to more than 1 (z = (0, 0): 1 + 1/2). Lower-case k also names the "
             "number of classes in 001 (y in {1,...,k}), which is how the slip reads; the correction is K.",
    ),
    Claim(
        id="multiclass.likelihood-picks-true-class",
        statement=r"y \text{ one-hot with } y_t = 1:\quad \prod_{k=1}^K \hat y_k^{\,y_k} = \hat y_t",
        sources=(Source(DOC001, MC001, "just picks out the predicted probability assigned to the true class"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=mc.nll_steps,
        check=Identity(
            lhs=lambda z, y: jnp.prod(sm.softmax(z) ** y),
            rhs=lambda z, y: jnp.sum(y * sm.softmax(z)),
            domain=Args(Logits(), OneHot()),
            tol=Tol(1, "p^1 = p and p^0 = 1 exactly (IEEE pow; 0^0 = 1 too), a product of ones is exact: bit-equal"),
        ),
        note="Also where a wrong class's probability underflows to 0: 0^0 = 1.",
    ),
    Claim(
        id="multiclass.nll.log-of-product",
        statement=r"-\log\prod_{i=1}^N\prod_{k=1}^K \hat y_{ik}^{\,y_{ik}} = -\sum_{i=1}^N\sum_{k=1}^K \log\big(\hat y_{ik}^{\,y_{ik}}\big)",
        sources=(Source(DOC001, MC001, "Motivated by the previous section, we are going to take the negative log-likelihood"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=mc.dataset_nll_steps,
        check=Custom(
            run=_dataset_identity("log-likelihood-product", "sum-of-log-powers"),
            description="2304 random datasets (N = 16, K in {2, 3, 10}, logit scales 0.1, 1, 4): both sides agree "
                        "within 16 eps of N + |-log L| where the literal likelihood is a normal float, and it "
                        "underflows to 0 exactly where -log L passes -log(tiny); mpmath referee on 36 datasets",
        ),
        note="The literal product over the data underflows once -log L > 87.3 (float32) / 708.4 (float64): the reason "
             "to take logs first.",
    ),
    Claim(
        id="multiclass.nll.log-of-power",
        statement=r"\log\big(\hat y_k^{\,y_k}\big) = y_k \log \hat y_k \quad (y_k \in \{0, 1\},\ \hat y_k > 0)",
        sources=(
            Source(DOC001, MC001, r"log\left( \frac{e^{z_k}}{\sum_{j=1}^K e^{z_j}} \right)^{y_{ik}}"),
            Source(DOC001, MC001, r"y_{ik}\ log \left( \frac{e^{z_k}}{\sum_{j=1}^K e^{z_j}} \right)"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=mc.nll_steps,
        check=Identity(
            lhs=_step("sum-log-powers"), rhs=_step("y-log-ratio"),
            domain=Args(Logits(bound=LITERAL), OneHot()),
            # both are log p_t plus exact zeros, but log p_t is evaluated twice, in different XLA fusions (vectorised
            # or not), each within about 1 ulp of the exact value: observed 2 ulps apart in float32
            tol=Tol(4, "two separate evaluations of log p_t, each within ~1u of exact; all else exact"),
        ),
        note="001 writes the left side as log\\left( e^{z_k} / sum_j e^{z_j} \\right)^{y_ik}. Holds as written, "
             "read as the log of the power: the parentheses are the fraction's own, copied with their exponent from "
             "the factor of L(w, b) one line up, with log put in front, as log x^y = log(x^y); the next '=', to "
             "y_ik log(...), fixes that reading, and 001's binary case writes the power inside the log too "
             "(log(sigma(z_i)^{y_i} ...)). The other reading, (log ...)^{y_ik} as sin(x)^2 is read, would not be "
             "-log L: each wrong class (y_ik = 0) would add (log s)^0 = 1 instead of 0, and the 'loss' -log s_t - (K - 1) "
             "would be negative once s_t > e^{-(K-1)} (z = (0, 0), y = (1, 0): -(log(1/2) + 1) = log 2 - 1 < 0, "
             "against -log L = log 2). Checked with the literal softmax where it is representable.",
    ),
    Claim(
        id="multiclass.nll.log-of-quotient",
        statement=r"\log\frac{e^{z_k}}{\sum_{j=1}^K e^{z_j}} = \log e^{z_k} - \log\sum_{j=1}^K e^{z_j}",
        sources=(
            Source(DOC001, MC001, r"\left(log(e^{z_k}) - log\left(\sum_{j=1}^K e^{z_j}\right) \right)"),
            Source(DOC002, GEN, r"-\log(\exp(y_i)) + \log\Bigg(\sum_{k=1}^n \exp(y_k)\Bigg)"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=mc.nll_steps,
        check=Identity(
            lhs=_step("y-log-ratio"), rhs=_step("log-difference"),
            scale=_terms,
            domain=Args(Logits(bound=LITERAL), OneHot()),
            # lhs: the ratio (k+3)u, its log 2u|log ratio| <= 2u(|z_t| + |log S|); rhs: log e^{z_t} 2u + 2u|z_t|,
            # log S (k+1)u + 2u|log S|, the difference u(|z_t| + |log S|): (2k+6)u + 5u(|z_t| + |log S|)
            tol=Tol(10, "log of the ratio (k+3)u, log e^{z_t} - log S (k+3)u, 5u of the terms: 20u of them for k <= 7"),
        ),
        note="001's step (with the weights y_ik) and 002's third line (for the true class): the same rule.",
    ),
    Claim(
        id="multiclass.nll.indicator-picks-true-class",
        statement=r"-\sum_{k=1}^n \mathbb{1}_{k = t}\log s_k = -\log s_t",
        sources=(Source(DOC002, GEN, "only one term of the sum will be non-zero and influence the loss"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=mc.nll_steps,
        check=Identity(
            lhs=_step("indicator-sum"), rhs=_step("log-true"),
            domain=Args(Logits(bound=LITERAL), OneHot()),
            tol=Tol(4, "two separate evaluations of log s_t (different XLA fusions), each within ~1u; all else exact"),
        ),
        note="With an indicator, not the product y_k log s_k: the latter is 0 * (-inf) = nan once a wrong class's "
             "probability underflows (use xlogy-style 0 log 0 = 0).",
    ),
    Claim(
        id="multiclass.nll.substitute-softmax",
        statement=r"-\log\mathrm{softmax}(y)_i = -\log\frac{\exp(y_i)}{\sum_{k=1}^n \exp(y_k)}",
        sources=(Source(DOC002, GEN, r"-\log\Bigg(\frac{\exp(y_i)}{\sum_{k=1}^n \exp(y_k)}\Bigg)"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=sm.softmax,
        check=Identity(
            lhs=lambda z, y: -jnp.log(jnp.sum(y * sm.softmax(z))),
            rhs=_step("log-true"),
            scale=lambda z, y: 1 + jnp.max(jnp.abs(z - jnp.max(z))),
            domain=Args(Logits(bound=LITERAL), OneHot()),
            # lhs: stable s_t (k+3)u + u|z_t - m| + the normaliser's 2u, -log 2u|log s_t| <= 2u(|z_t - m| + log k);
            # rhs: literal ratio (k+3)u, the log the same 2u(|z_t - m| + log k)
            tol=Tol(15, "-log of stable s_t (k+9)u + 3u|z_t - m|, of the literal (k+7)u + 2u|z_t - m|: 30u of "
                        "1 + max|z - m|, k <= 7"),
        ),
        note="002's second line: the definition substituted (the stable softmax against the literal ratio).",
    ),
    Claim(
        id="multiclass.nll.log-exp",
        statement=r"-\log(\exp(y_i)) + \log\sum_{k=1}^n \exp(y_k) = -y_i + \log\sum_{k=1}^n \exp(y_k)",
        sources=(Source(DOC002, GEN, r"- y_i + \log\Bigg(\sum_{k=1}^n \exp(y_k)\Bigg)"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=mc.nll_steps,
        check=Identity(
            lhs=_step("log-difference"), rhs=_step("plugged-in"),
            scale=_terms,
            domain=Args(Logits(bound=LITERAL), OneHot()),
            tol=Tol(8, "log(exp(y_i)) = y_i within u(1 + |y_i|); the two differences round once each"),
        ),
        note="002's last line.",
    ),
    Claim(
        id="multiclass.nll.plugged-in",
        statement=r"-\log\mathrm{softmax}(z)_t = -z_t + \log\sum_{j} e^{z_j}",
        sources=(Source(DOC000, MC, "We can plug the softmax into the NLL to give:"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=mc.nll_steps,
        check=Identity(
            lhs=_nll,
            rhs=lambda z, y: -_zt(z, y) + sm.logsumexp(z),
            # -z_t + lse cancels for a small loss: judged against its terms (max, not sum: the sum overflows)
            scale=lambda z, y: 1 + jnp.maximum(jnp.abs(_zt(z, y)), jnp.abs(sm.logsumexp(z))),
            domain=Args(Logits(), OneHot()),
            # as softmax.log-softmax.stable: lhs (k+8)u + 2u|z_t - m| with |z_t - m| <= 2 max + 2; rhs lse (k+6)u + u|lse|,
            # the sum u|z_t - lse| <= 2u max
            tol=Tol(16, "log-softmax (k+12)u + 4u max, -z_t + lse (k+6)u + 3u max: 32u of 1 + max(|z_t|, |lse|), k <= 7"),
        ),
        note="000 lost the formula; the author's public original writes it in four lines, J = -sum_j log P(y = y_j|x) "
             "= -sum_j log a_{y_j} = -sum_j log softmax(z_{y_j}) = -sum_j [z_{y_j} - log sum_k e^{z_k}], and 'the "
             "second term' of the next paragraph fixes the last. Notation, the same as 001's softmax(z_k) "
             "(multiclass.model): 'softmax(z_{y_j})' is softmax(z)_{y_j}, the entry y_j of the softmax of the vector z, "
             "as the original's own definition writes it two formulas before (softmax(z)_i) and the lines around it "
             "(log a_{y_j}, then z_{y_j} - log sum_k e^{z_k}) read; the softmax of the scalar z_{y_j} alone would be "
             "1 and the line J = 0. The z of each term is example j's (z^{(j)}, unindexed, as in 001). Certified per "
             "example over the whole range with the max-shifted forms (derivations.softmax.log_softmax, logsumexp).",
    ),
    Claim(
        id="multiclass.nll.is-cross-entropy",
        statement=r"-\log L = -\log\prod_{i=1}^N\prod_{k=1}^K \hat y_{ik}^{\,y_{ik}} = \sum_{i=1}^N H(y_i, \hat y_i)"
                  r" = -\sum_{i=1}^N\sum_{k=1}^K y_{ik}\log \hat y_{ik}",
        sources=(
            Source(DOC001, MC001, "Thus we have shown that Cross Entropy Loss arises naturally through the classification task"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=mc.dataset_nll_steps,
        check=Custom(
            run=_dataset_identity("log-likelihood-product", "sum-of-cross-entropies"),
            description="the literal -log of the likelihood product against the sum of cross-entropies "
                        "(derivations.information.cross_entropy) on 2304 random datasets; mpmath referee on 36",
        ),
        note="The endpoints of 001's chain; the lines between are multiclass.nll.log-of-product, .log-of-power, "
             "and .log-of-quotient (and yhat = softmax(z), a definition).",
    ),
    Claim(
        id="multiclass.binary-special-case",
        statement=r"-\log\mathrm{softmax}([z, 0])_{1 - y} = \zeta((1 - 2y) z) = \text{binary NLL}(z, y),\quad y \in \{0, 1\}",
        sources=(
            Source(DOC000, MC, "We do this for the binary case, which makes the reasoning a little more complex"),
            Source(DOC000, MC, "shouldn't it be at least as complex?"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=mc.nll,
        check=Identity(
            lhs=lambda z, y: ls.softmax_nll(jnp.stack([z, jnp.zeros_like(z)]), jnp.stack([y, 1 - y])),
            rhs=ls.binary_nll,
            # both sides add non-negative terms (no cancellation); judged against 1 + |z|, which bounds the
            # loss (<= |z| + log 2)
            scale=lambda z, y: 1 + jnp.abs(z),
            domain=Args(Real(), Binary()),
            tol=Tol(8, "log-softmax of two entries 4u; one softplus 3u (the other label's term is exactly 0): of 1 + |z|"),
        ),
        note="The binary loss is the two-class softmax loss with one logit fixed to 0 (the n - 1 parametrisation, "
             "softmax.overparameterised): simpler-looking only because it keeps n logits.",
    ),
    Claim(
        id="multiclass.gradient-signs",
        statement=r"\frac{\partial L}{\partial z_t} = s_t - 1 < 0,\qquad \frac{\partial L}{\partial z_j} = s_j > 0\ (j \ne t)",
        sources=(
            Source(DOC000, MC, "incentivising the correct output to increase and the rest to decrease"),
            Source(DOC002, GEN, "will always try to grow and the right term will be minimized"),
        ),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=ls.softmax_nll_grad,
        check=Inequality(
            lower=lambda z, y: jnp.zeros_like(z),
            upper=_gradient_signs,
            strict=True,
            domain=Args(Logits(bound=LITERAL), OneHot()),
            tol=Tol(1, "strict: checked exactly as computed, no slack"),
        ),
        note="A gradient step therefore raises z_t and lowers every other logit. Checked for |z| <= 40, where every "
             "s_j >= e^{-80}/10 is a normal float32 (beyond, s_j > 0 rounds to 0). The gradient itself is "
             "softmax-nll.grad-logits.",
    ),
    Claim(
        id="multiclass.largest-wrong-punished-most",
        statement=r"j, l \ne t,\ z_j \ge z_l \implies \frac{\partial L}{\partial z_j} = s_j \ge s_l = \frac{\partial L}{\partial z_l}",
        sources=(Source(DOC000, MC, "The second term also punishes the largest incorrect output the most"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=ls.softmax_nll_grad,
        check=Inequality.of(_ordered_pairs,
            domain=Args(Logits(), OneHot()),
            tol=Tol(2, "exp is monotone up to its last-bit rounding; both share the same divisor"),
        ),
        note="The push down on a wrong logit is its probability e^{z_j}/sum_k e^{z_k} (logsumexp.gradient), "
             "increasing in z_j: the largest incorrect logit is pushed hardest.",
    ),
    Claim(
        id="multiclass.no-saturation",
        statement=r"d_t = z_t - \max_{k\ne t} z_k:\quad \sigma(-d_t) \le \Big|\frac{\partial L}{\partial z_t}\Big| = 1 - s_t \le \sigma(\log(n-1) - d_t)",
        sources=(Source(DOC002, GEN, "Hence the loss function can not saturate and our optimization can always proceed"),
                 Source(DOC000, MC, "Everything we deduced for that scenario works just the same here")),
        kind=Kind.LIMIT,
        verdict=Verdict.IMPRECISE,
        condition="It cannot saturate while the prediction is wrong: |dL/dz_t| = 1 - s_t >= sigma(-d_t) >= 1/2 whenever "
                  "the true class is not strictly the largest (d_t <= 0), -> 1 as it becomes confidently wrong. It does "
                  "vanish, like e^{-d_t} (at most sigma(log(n-1) - d_t)), as a correct prediction's margin d_t grows.",
        derivation=mc.nll_grad_true,
        check=Inequality.of(_no_saturation,
            domain=Args(Logits(), OneHot()),
            # both bounds are equalities for n = 2: the slack is the evaluation error of 1 - s_t ((2k+1)u) and of the
            # bounds: sigma(-d) 4u, sigma(log(n-1) - d) log 2u log 6 < 4u, the difference 1u, sigma 4u: 9u;
            # relative to the condition |d| + (s-weighted softmax_condition of the others)
            tol=Tol(12, "1 - s_t (2k+1)u and the upper bound 9u: 24u for k <= 7, relative to the exponents' condition"),
        ),
        note="1 - s_t = sigma(x_t) with x_t = log sum_{k != t} e^{z_k - z_t} in [-d_t, log(n-1) - d_t] "
             "(derivations.multiclass.nll_grad_true). 002 argues from 'the last term depends directly on y_i'; the "
             "gradient of that term is -1, but the log-sum-exp term cancels it as s_t -> 1. For 000's 'works just the "
             "same here' this is the true-class half, which does carry over from the binary case (gradient -> -1 "
             "when very wrong, -> 0 when right); the wrong-class half is multiclass.wrong-class-gradient.",
    ),
    Claim(
        id="multiclass.lse-max-approximation",
        statement=r"\max_k y_k \le \log\sum_{k=1}^n e^{y_k} \le \max_k y_k + \log n,\quad "
                  r"0 \le \log\sum_k e^{y_k} - \max_k y_k \le (n-1)e^{-d}",
        sources=(Source(DOC002, GEN, r"\log(\sum_{k=1}^n \exp(y_k)) \approx \max_k(\exp(x_k))"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.ERRATUM,
        as_written=r"\log\Big(\sum_{k=1}^n \exp(y_k)\Big) \approx \max_k(\exp(x_k))",
        derivation=sm.logsumexp_excess,
        check=Inequality.of(_lse_bounds,
            domain=Logits(),
            # lse = m + log1p(r): r (k - 1 exps, a (k-1)-term sum) ku relative, and r/(1+r) <= log1p(r) <= log n, so
            # ku log n; log1p 2u log n; the exponents' u sum s_k|z_k - m| <= u log n; the add u(|m| + log n):
            # (k+4)u of |m| + log n; m + log n 3u more. The excess log1p(r): (k+2)u relative (the exponents' u d in
            # the 1 + d), its bound (n-1)e^{-d} 3u
            tol=Tol(7, "lse (k+4)u and m + log n 3u of |m| + log n; the excess (k+2)u and its bound 3u relative to "
                       "1 + d: 14u for k <= 7"),
        ),
        as_written_check=Inequality(
            lower=lambda z: jnp.abs(sm.logsumexp(z) - mc.lse_approximation_as_written_002(z)),
            upper=lambda z: jnp.log(jnp.asarray(z.shape[-1], z.dtype)),
            domain=Logits(),
            tol=Tol(7, "the same slack as the corrected form"),
        ),
        note="Two slips: the right side should be max_k y_k, not max_k exp(.) (as written it is off by a whole "
             "exponential: y = (2, 0) gives 2.13 against 7.39), and x_k should be y_k (x is the model's input). "
             "The approximation error is lse - max in [0, log n], at most (n-1)e^{-d} with d the gap between the two "
             "largest logits: small only when d >> log(n-1). The as-written check asks for the same error bound log n.",
    ),
    Claim(
        id="multiclass.loss-softplus-form",
        statement=r"-\log s_i = \zeta\Big(\log\sum_{k\ne i} e^{y_k - y_i}\Big) = \zeta\Big(\log\sum_{k \ne i} e^{y_k} - y_i\Big)"
                  r"\quad (= \zeta(y_i) - y_i \text{ only if } \textstyle\sum_{k\ne i} e^{y_k} = 1)",
        sources=(Source(DOC002, GEN, "the same as the true class, then the loss simplifies to"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.ERRATUM,
        as_written=r"\exp(y_i) \text{ the biggest term} \implies -\log s_i = \zeta(y_i) - y_i",
        derivation=mc.nll,
        check=Identity(
            lhs=_nll,
            rhs=mc.nll,
            # log-softmax is accurate to u absolutely (log of a sum near 1), not relatively, for a loss near 0
            scale=lambda z, y: (1 + mc.nll(z, y)) * lse_condition(z),
            domain=Args(Logits(), OneHot()),
            # lhs -log-softmax: log1p part (k+4)u, z_t - m and the difference u|z_t - m| + u loss <= 2u loss; rhs
            # softplus(x_t): x_t = m_t + log(sum) (k+6)u absolute (as in softmax.jacobian.diagonal-is-sigmoid-derivative,
            # its differences' rounding weighed by s within (1 + loss) lse_condition), softplus 4u
            tol=Tol(14, "log-softmax (k+4)u + 2u loss, softplus form (k+10)u: 28u of (1 + loss) times the shift "
                        "condition, k <= 7"),
        ),
        as_written_check=Identity(
            lhs=lambda z: mc.nll(z, _argmax_label(z)),
            rhs=lambda z: mc.nll_as_written_002(z, _argmax_label(z)),
            scale=lambda z: (1 + mc.nll(z, _argmax_label(z))) * lse_condition(z),
            domain=Logits(),
            tol=Tol(14, "the same bound as the corrected form"),
        ),
        note="zeta(y_i) - y_i = zeta(-y_i) is the binary loss with the other logit fixed to 0; with n classes the "
             "other logits enter through log sum_{k != i} e^{y_k}. It fails even when y_i is the largest logit, 002's "
             "condition: y = (-5, -10, -10) has loss 0.0134 but zeta(-5) + 5 = 5.0067; y = (1, 1) has log 2 "
             "against 0.313. The form certified is the one derivations.multiclass.nll evaluates.",
    ),
    Claim(
        id="multiclass.loss-small-when-true-class-largest",
        statement=r"y_i = \max_k y_k,\ d = y_i - \max_{k\ne i} y_k \ge 0:\quad 0 < -\log s_i \le \min\big(\log n,\ (n-1)e^{-d}\big)",
        sources=(Source(DOC002, GEN, "our loss would be very close to zero"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.IMPRECISE,
        condition="Close to zero only when the true class leads by a margin d >> log(n - 1): the loss is at most "
                  "(n-1)e^{-d}, and at most log n in any case; with a tie (d = 0) it is log(number tied), e.g. "
                  "log 2 = 0.69 for two, not close to zero.",
        derivation=mc.nll,
        check=Inequality.of(_small_loss,
            domain=Logits(),
            # log n is attained at a full tie, (n-1)e^{-d} approached for n = 2 as d grows: the slack is the
            # evaluation error of the loss (the softplus form, (k+10)u) and of the bound (log n 2u; (n-1)e^{-d} 3u),
            # relative to the condition 1 + d
            tol=Tol(10, "loss (k+10)u and bound <= 3u: 20u for k <= 7, relative to the exponents' condition 1 + d"),
        ),
        note="The true class is the argmax of each swept logit vector. Lower bound: zeta(-d) > 0 "
             "(multiclass.loss-penalises-most-active-incorrect).",
    ),
    Claim(
        id="multiclass.loss-penalises-most-active-incorrect",
        statement=r"m = \max_{k \ne t} z_k:\quad (m - z_t)^+ \le \zeta(m - z_t) \le -\log s_t \le \zeta\big(m - z_t + \log(n-1)\big)",
        sources=(Source(DOC002, GEN, "the loss function will strongly penalize the most active incorrect prediction"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=mc.nll,
        check=Inequality.of(_loss_sandwich,
            domain=Args(Logits(), OneHot()),
            # the loss (k+10)u against zeta(log(n-1) - d): the log 2u log 6 < 4u, the difference 1u, softplus 4u
            tol=Tol(13, "loss (k+10)u and zeta(log(n-1) - d) 9u: 26u for k <= 7 (softplus vs (-d)^+ 4u), "
                        "relative to the condition 1 + |d|"),
        ),
        note="The loss is the softplus of the most active incorrect class's lead over the true class, up to a shift "
             "of at most log(n - 1): it grows linearly in that lead (the other incorrect classes matter only "
             "through the log(n - 1)).",
    ),
    Claim(
        id="multiclass.gradient-descent-gaps-grow",
        statement=r"\text{GD on softmax cross-entropy of a linear model: the logit gaps stay bounded iff no } (W, b) "
                  r"\text{ has } (Wx_i + b)_{y_i} \ge (Wx_i + b)_k\ \forall i, k \text{ with one inequality strict};"
                  r"\text{ separable data: } \min_i\big(z_{i,y_i} - \max_{k\ne y_i} z_{ik}\big)(t) = \log t + O(1) \to \infty",
        sources=(Source(DOC000, STABLE, "I believe that the gradient of the softmax should discourage these relative values getting too large"),),
        kind=Kind.DYNAMICS,
        verdict=Verdict.BELIEF,
        reconstructed=True,
        derivation=mc.margins_under_gradient_descent,
        check=Custom(
            run=_gradient_descent_belief,
            description="2^17 full-batch GD steps (lr 0.5) of a linear softmax classifier on 30 separable points: the "
                        "smallest margin gains log 2 per doubling of t (within 25%, last 5 doublings), never "
                        "decreases, the largest logit spread grows by more than log 2 per doubling, and the loss "
                        "halves per doubling (-> 0, no minimiser); 2^16 steps on the same points plus the three "
                        "class centres carrying every label (not separable): the spread settles within 16 eps",
        ),
        note="Settled: false in general, true only for non-separable data. Exact condition: the loss has a finite "
             "gap-minimiser (and GD's gaps converge) iff no direction (W, b) makes every example's true logit at least "
             "every other, one strictly (a direction of recession along which the loss decreases); separable data "
             "has one (the gaps then grow like log t, checked), and so does data separable only in part (the strict "
             "gaps grow; Ji & Telgarsky 2019 for the binary case). Certified on both sides: 30 separable points (gaps -> "
             "infinity) and the same points plus each class centre carrying all three labels (no such direction: the "
             "spread settles at 3.50, loss 0.564). In logit space the gradient s - e_t always widens every gap "
             "(multiclass.gradient-signs); on separable data the weights grow like log t along the max-margin "
             "direction (Soudry et al., 2018), so the relative values grow without bound. What bounds them in "
             "practice is weight decay, label smoothing or early stopping, not the softmax gradient. No instability "
             "follows, since the max-shifted softmax is finite for every finite input (softmax.stable.finite-normalised).",
    ),
    Claim(
        id="multiclass.grad.chain-rule",
        statement=r"\frac{d}{dz_i}\big(-\log a_y\big) = -\frac{1}{a_y}\frac{\partial a_y}{\partial z_i} = "
                  r"-\frac{1}{a_y}\begin{cases} a_i(1-a_i), & i = y \\ -a_i a_y, & i \ne y \end{cases}",
        sources=(Source(DOC000, MC, "We do this over a single label for a single :"),),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=mc.nll_grad_chain_rule,
        check=Derivative(
            forward=lambda z, y: -jnp.log(jnp.sum(jnp.where(y == 1, sm.softmax_naive(z), 0))),
            derivative=mc.nll_grad_chain_rule,
            domain=Args(Logits(bound=JACOBIAN_ROW), OneHot()),
            cond=_grad_condition,
            # hand: softmax (k+3)u, the Jacobian row's product 1u, the divide by a_y 1u; autodiff of
            # -log(e^z / sum e^z): the literal s (k+3)u, the products 2u, the divide by s_t 1u; times the condition
            tol=Tol(12.5, "hand (k+5)u + autodiff of the literal form (k+6)u = 25u for k <= 7, times the condition"),
        ),
        note="Line 2 of the gradient in the author's public original of the same notes (the formula 000's extraction "
             "lost): the chain rule d(-log u) = -du/u with row y of the softmax Jacobian (softmax.jacobian). "
             "Certified against autodiff of the literal -log(e^{z_y} / sum_k e^{z_k}) and mpmath.",
    ),
    Claim(
        id="multiclass.grad.case-split",
        statement=r"-\frac{1}{a_y}\begin{cases} a_i(1-a_i), & i = y \\ -a_i a_y, & i \ne y \end{cases} = "
                  r"\begin{cases} a_i - 1, & i = y \\ a_i, & i \ne y \end{cases} = a_i - y^{(hot)}_i",
        sources=(Source(DOC000, MC, "We do this over a single label for a single :"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=mc.nll_grad_chain_rule,
        check=Identity(
            lhs=mc.nll_grad_chain_rule, rhs=ls.softmax_nll_grad,
            scale=lambda z, y: jnp.abs(ls.softmax_nll_grad(z, y)) * _grad_condition(z, y),
            domain=Args(Logits(bound=JACOBIAN_ROW), OneHot()),
            # left (k+5)u (softmax, product, divide); right: s_j (k+3)u, for the true class the sum of the others (2k+1)u
            tol=Tol(13.5, "left (k+5)u + right (2k+1)u = 27u for k <= 7, times the condition"),
        ),
        note="Line 2 to line 3 of the original's gradient: a_y cancels (i = y: -(1 - a_y) = a_y - 1; i != y: "
             "a_i a_y / a_y = a_i). a_i - 1 is evaluated as -sum_{k != y} a_k on both sides. The result a - y^(hot) "
             "against autodiff is softmax-nll.grad-logits.",
    ),
    Claim(
        id="multiclass.wrong-class-gradient",
        statement=r"j \ne y:\ \frac{\partial J}{\partial z_j} = s_j,\quad \sigma\big(d_j - \log(n-1)\big) \le s_j \le \sigma(d_j),"
                  r"\ d_j = z_j - \max_{k \ne j} z_k;\quad s_j \le \tfrac1r \text{ if } z_j \text{ is one of } r "
                  r"\text{ logits tied at the max}",
        sources=(Source(DOC000, MC, "Everything we deduced for that scenario works just the same here"),),
        kind=Kind.LIMIT,
        verdict=Verdict.IMPRECISE,
        condition=r"For a wrong class j the binary deduction 'very wrong gives a gradient near 1' holds only when j alone "
                  r"dominates: s_j \to 1 iff d_j = z_j - \max_{k \ne j} z_k \to \infty (s_j \ge \sigma(d_j - \log(n-1))). "
                  r"When r wrong logits share the lead, each gets s_j \le 1/r however wrong the prediction "
                  r"(e.g. 1/2 for two tied wrong classes). 'Right gives a gradient near 0' carries over: s_j \le \sigma(d_j).",
        reconstructed=True,
        derivation=ls.softmax_nll_grad,
        check=Inequality.of(_wrong_class,
            domain=Args(Logits(), OneHot()),
            # as multiclass.no-saturation: s_j (k+3)u and sigma(d_j - log(n-1)) 9u (sigma(d_j) 4u) relative to
            # |d_j| + s_j's condition; 1/r is exact for r a power of two and 1u otherwise
            tol=Tol(9.5, "s_j (k+3)u and the lower bound 9u: 19u for k <= 7, relative to the exponents' condition"),
        ),
        note="s_j = sigma(-x_j) with x_j = log sum_{k != j} e^{z_k - z_j} in [-d_j, log(n-1) - d_j]. In the binary "
             "case there is one wrong class and the gradient tends to +-1; with n classes the wrong-class gradients "
             "share a total of 1 - s_t, so a very wrong prediction spread over r tied wrong classes gives each about "
             "1/r (z = (0, 10, 10), y = 0: 0.49999 each). The true-class half is multiclass.no-saturation.",
    ),
    Claim(
        id="multiclass.probability-depends-on-all-logits",
        statement=r"P(y = i \mid x) = a_i = f(z)_i = \mathrm{softmax}(z)_i:\quad \Big|\frac{\partial a_i}{\partial z_j}\Big| "
                  r"= a_i a_j > 0 \ (i \ne j)\text{: each } a_i \text{ depends on the whole vector } z",
        sources=(Source(DOC000, MC, "convert each of these into a probability distribution over the associated class"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.ERRATUM,
        reconstructed=True,
        as_written=r"P(y = i \mid x) = a_i = f(z_i)",
        as_written_check=Identity(
            lhs=lambda z, w: _first_probability_after(z, w)[0],
            rhs=lambda z, w: _first_probability_after(z, w)[1],
            scale=lambda z, w: _first_probability_after(z, w)[2],
            # logits in {0, 1}^k (every pattern is swept): the smallest inputs that show it
            domain=Args(BinaryLabels(), BinaryLabels(), sizes=(2, 3)),
            # were a_0 a function of z_0 alone, the sides would differ by their roundoff only: each a stable softmax
            # entry (k+3)u and its normaliser's exponents 2u, the exponent's rounding in the scale: (2k+10)u
            tol=Tol(8, "two stable softmax entries, (k+5)u each: 16u for k <= 3, of a_0 (1 + |z_0 - m| + |z_0 - m'|)"),
        ),
        derivation=sm.softmax_jacobian,
        check=Inequality.of(_offdiag_dependence,
            # |z_k| <= 20, n <= 7: a_i >= e^{-40}/7, so a_i a_j >= 3.6e-37 is a normal float32 (it would go subnormal,
            # then flush to 0, from |z| ~ 21 on: a zero there is underflow, not independence)
            domain=Logits(bound=JACOBIAN_ROW), strict=True,
            tol=Tol(1, "strict: checked exactly as computed, no slack"),
        ),
        note="Impossible as written. The author's public original (formula lost in 000's extraction) writes "
             "P(y=i|x) = a_i = f(z_i), one f applied to each output, and two sentences later asks that the outputs "
             "sum to 1. No f does both: sum_i f(z_i) = 1 for every z, with z_1 moved alone, forces f(z_1) to stay "
             "put, so f is the constant 1/n and the network's outputs are ignored. The as-written check takes the f "
             "the document arrives at, the softmax: a_0 changes when only the other logits do (z_0 kept). The softmax "
             "is f(z)_i, as the original's next formula writes it; certified by autodiff of the from-scratch softmax: "
             "every off-diagonal Jacobian entry is non-zero (its value -a_i a_j is softmax.jacobian.off-diagonal).",
    ),
    Claim(
        id="multiclass.multinoulli-free-parameters",
        statement=r"J = \frac{\partial\,\mathrm{softmax}(z)}{\partial z}:\ J\mathbf{1} = 0 \text{ and } \mathbf{1}^\top J = 0"
                  r"\quad(n \text{ parameters } p_i,\ \textstyle\sum_i p_i = 1:\ n - 1 \text{ free})",
        sources=(Source(DOC000, MC, "When we have output classes we instead use a Multinoulli distribution with parameters"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.IMPRECISE,
        condition=r"The n parameters p_1, \dots, p_n of a Multinoulli over n values are tied by \sum_i p_i = 1: "
                  r"n - 1 of them are free (as the document says later). The n logits have one redundant direction, "
                  r"\mathrm{softmax}(z + c\mathbf{1}) = \mathrm{softmax}(z).",
        reconstructed=True,
        derivation=sm.softmax_jacobian,
        check=Identity(
            lhs=lambda z: _null_directions(z)[0], rhs=lambda z: jnp.zeros(2 * z.shape[-1], z.dtype),
            scale=lambda z: _null_directions(z)[1], 
            domain=Logits(),
            # each entry of J is s_i s_j or s_i sum_{k != i} s_k from the same rounded s, so the sums are 0 up to
            # the entries' own roundings ((n-2)u for the inner sum, 1u the product) and the n-term sum ((n-1)u), n <= 7
            tol=Tol(6, "entries <= (n-1)u each and an n-term sum (n-1)u: 12u for n <= 7, relative to the sum of |entries|"),
        ),
        note="000 says 'a Multinoulli distribution with n parameters' (the original has the n; the extraction lost it) "
             "and later 'because of the probabilities summing to 1 we only really need n - 1 parameters' "
             "(softmax.overparameterised: every distribution is reached with one logit fixed to 0). Both directions "
             "of the redundancy are certified on the softmax Jacobian J = diag(s) - s s^T: 1^T J = 0 (the n outputs "
             "move only within sum = 1) and J 1 = 0 (adding c to every logit changes nothing, the infinitesimal "
             "softmax.shift-invariance). So J has rank at most n - 1: n numbers, n - 1 degrees of freedom.",
    ),
    Claim(
        id="multiclass.nll.one-hot-label",
        statement=r"z \in \{0,1\}^n \text{ one-hot}:\quad -\sum_{i=1}^n z_i \log s_i = -\log s_t,\ t = \operatorname{argmax}_i z_i",
        sources=(Source(DOC002, GEN, "Where $$z$$ is now a one-hot encoded vector with the true label being one"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.IMPRECISE,
        condition=r"With z a one-hot vector, the indicator \mathbb{1}_{i=z} (an index compared with a vector) must be "
                  r"read as z_i, the i-th entry of z; or z must be the index t of its one, as in "
                  r"multiclass.nll.indicator-picks-true-class. Either way the loss is -\log s_t.",
        derivation=ls.softmax_nll,
        check=Identity(
            lhs=ls.softmax_nll, rhs=_nll_one_hot_index,
            # log-softmax is accurate to u absolutely for a loss near 0 (log of a sum near 1), times the shift condition
            scale=lambda z, y: (1 + mc.nll(z, y)) * lse_condition(z),
            domain=Args(Logits(), OneHot()),
            # the sides are equal bit for bit: the bound is the referee's, which judges each side on its own
            tol=Tol(6.5, "each side the same log-softmax entry, (k+4)u + 2u loss = 13u for k <= 7 (u = eps/2), of "
                       "(1 + loss) times the shift condition"),
        ),
        note="002 writes the loss with 1_{i=z} and then calls z a one-hot vector; the two readings agree: the "
             "weights z_i select the true class's term exactly (classes with z_i = 0 contribute exactly 0, even "
             "where their log-probability is -inf). multiclass.nll.indicator-picks-true-class is the index reading.",
    ),
    Claim(
        id="multiclass.last-layer.gradient",
        statement=r"L = -\sum_k y_k \log\mathrm{softmax}(W h + b)_k:\quad \frac{\partial L}{\partial W} = (\hat y - y)\, h^T,"
                  r"\quad \frac{\partial L}{\partial b} = \hat y - y",
        sources=(Source(DOC001, MC001, "Since with the Calculus chain rule and backpropagation, we only care about the "
                                       "input from our subsequent layer"),),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,
        derivation=ll.last_layer_nll_grad,
        check=Derivative(
            forward=ll.last_layer_nll, derivative=ll.last_layer_nll_grad,
            # theta = (W[:, 0], W[:, 1], b) in R^{3K} and a one-hot of length 3K folded to K classes: K = 2, 3, d = 2.
            # |theta|, |h| <= 50: layer values of a trained network's scale; past that the condition max_k T_k
            # (z's own rounding, up to 2 50^2 + 50) makes the bound too loose to say anything
            domain=Args(Logits(bound=50.0), Real(-50.0, 50.0), Real(-50.0, 50.0), OneHot(), sizes=(6, 9)),
            cond=_last_layer_condition, resolution=_last_layer_resolution,
            # hand: the softmax gradient (2k+1)u (the true class) and the product with h_j 1u, K <= 3 here;
            # autodiff of the stable NLL the same count; z's rounding is in cond
            tol=Tol(8, "hand (2K+2)u = 8u for K <= 3 (sizes 6, 9 = 3K); autodiff the same: 16u; z's rounding in cond"),
        ),
        note="The last layer z = W h + b of a softmax classifier: the layer's gradient needs only dL/dz = yhat - y "
             "(softmax-nll.grad-logits) and its own input h (the chain rule through z_k = sum_j W_kj h_j + b_k), "
             "which is what makes 001's logistic-regression result apply to the last layer of any network. "
             "Checked on W in R^{K x 2}, K = 2, 3.",
    ),
    Claim(
        id="multiclass.logistic-regression-one-layer",
        statement=r"\hat y = \mathrm{softmax}(W x + b) \ (\text{or } \sigma(w^T x + b)):\ "
                  r"\text{one linear layer followed by the output nonlinearity}",
        sources=(Source(DOC001, MC001, "logistic regression is a *1 layer neural network*"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        note="A naming: logistic regression is a network with no hidden layer (one affine map and a sigmoid or "
             "softmax output).",
    ),
    Claim(
        id="multiclass.no-ordinal-assumption",
        statement=r"y \in \{1, \dots, n\} \text{ modelled by } n \text{ outputs } z_1, \dots, z_n \text{ (one per class), not by one "
                  r"real output whose nearby values mean nearby classes}",
        sources=(Source(DOC000, MC, "To avoid an implicit assumption about numerically close classes being more similar"),),
        kind=Kind.DEFINITION, verdict=Verdict.DEFINITION, reconstructed=True,
        note="A modelling remark: class labels are categorical, so the network gets one output per class (the "
             "Multinoulli parameters) rather than a single regression output on the label's number.",
    ),
]
