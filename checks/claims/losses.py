"""Claims about the losses on logits: their gradients and the saturation argument."""
import jax.numpy as jnp

from derivations import losses as ls
from derivations import softmax as sm

from checks.engine import Args, Binary, Claim, Derivative, Inequality, Kind, Logits, OneHot, Real, Source, Tol, Verdict

from ._conditioning import softmax_condition
from ._sources import DOC000, DOC002


# Tolerance counts: u = eps per operation (a correctly rounded +, -, *, / errs by at most eps/2, XLA's exp and log
# by about an ulp: one eps covers both); a Tol is the count, unless a count says it uses u = eps/2.
def _grad_condition(z, y):
    # s_j - y_j carries s_j's condition; the true class, -sum_{k != t} s_k, the largest of the others'
    cond = softmax_condition(z)
    others = jnp.max(jnp.where(y == 1, 0, cond), axis=-1, keepdims=True)
    return jnp.where(y == 1, others, cond)


def _confidently_wrong(t, y):
    r"""|MSE'| against its bound 2e^{-t}, and |CE' - (+-1)| against e^{-t}, at z = (1 - 2y) t (t >= 0: wrong side)."""
    z = (1 - 2 * y) * t
    mse = jnp.abs(ls.mse_through_sigmoid_grad(z, y))
    gap = jnp.abs(ls.binary_nll_grad(z, y) - (1 - 2 * y))
    bound = jnp.exp(-t)
    return jnp.stack([mse, gap]), jnp.stack([2 * bound, bound]), jnp.stack([2 * bound, jnp.ones_like(t)])


def _wrong_label(z, y):
    """y unless its class leads z; then the next class: a label the prediction gets wrong."""
    return jnp.where(jnp.sum(jnp.where(y == 1, z, -jnp.inf)) >= jnp.max(z), jnp.roll(y, 1), y)


def _off_leader_mass(z):
    """epsilon = sum_{k != a} s_k, a = argmax z: 1 - s_a without cancellation."""
    lead = jnp.arange(z.shape[-1]) == jnp.argmax(z)
    return jnp.sum(jnp.where(lead, 0, sm.softmax(z)))


def _softmax_saturation(z, y):
    r"""||MSE'||_1 <= 8 eps and ||CE' - (e_a - e_t)||_1 = 2 eps (both ways) for a wrong label t; (lower, upper, scale)."""
    y = _wrong_label(z, y)
    lead = (jnp.arange(z.shape[-1]) == jnp.argmax(z)).astype(z.dtype)
    eps = _off_leader_mass(z)
    mse = jnp.sum(jnp.abs(ls.mse_through_softmax_grad(z, y)))
    ce_gap = jnp.sum(jnp.abs(ls.softmax_nll_grad(z, y) - (lead - y)))
    cond = jnp.minimum(jnp.max(softmax_condition(z)), 1 / jnp.finfo(z.dtype).eps)
    # the MSE side is evaluated to relative accuracy (it approaches 8 eps for n = 2); the CE side is an O(1)
    # gradient minus its O(1) limit: its roundoff is absolute
    one = jnp.ones_like(eps)
    return (jnp.stack([mse, ce_gap, 2 * eps]), jnp.stack([8 * eps, 2 * eps, ce_gap]),
            jnp.stack([8 * eps * cond, one, one]))


def _mse_softmax_terms(z, y):
    """Per component: the size of the terms of 2 s_j (sum_i s_i (s_j - s_i) + s_t - y_j), what the hand form's
    roundoff is relative to. Where they cancel (the true class tied with the others, s_j tiny) it exceeds the value
    by any factor: the value then has no correct digits, and no bound relative to it holds."""
    s = sm.softmax(z)
    s_t, rest = jnp.sum(s * y), jnp.sum(s * (1 - y))
    return 2 * s * (jnp.sum(s[None, :] * jnp.abs(s[:, None] - s[None, :]), axis=-1) + jnp.where(y == 1, rest, s_t))


CLAIMS = [
    Claim(
        id="binary-nll.grad-logit",
        statement=r"\frac{\partial}{\partial z}\Big[-y\log\sigma(z) - (1-y)\log(1-\sigma(z))\Big] = \sigma(z) - y = \hat y - y",
        sources=(
            Source(DOC000, "Binary Logistic Regression", "The derivative of the cost function with respect to are simply:"),
        ),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=ls.binary_nll_grad,
        check=Derivative(
            forward=ls.binary_nll_naive, derivative=ls.binary_nll_grad, domain=Args(Real(), Binary()), wrt=0,
            # -sigma(-z) for y = 1: no cancellation at 50 digits
            # hand: one sigmoid (<= 3u) and, for y = 0, nothing else; autodiff through log(sigma) and
            # log(1 - sigma): two quotients and a sum of two products (<= 6u)
            tol=Tol(9, "hand sigmoid <= 3u; autodiff's y(1-s)/s-style terms <= 6u"),
        ),
        note="000 lost the formula; the prose ('wonderfully simple', tends to -1 / +1 when very wrong) fixes it "
             "as sigma(z) - y. Evaluated without cancellation: -sigma(-z) for y = 1.",
    ),
    Claim(
        id="softmax-nll.grad-logits",
        statement=r"\frac{\partial}{\partial z_j}\Big[-\sum_k y_k \log\mathrm{softmax}(z)_k\Big] = \mathrm{softmax}(z)_j - y_j = \hat y_j - y_j",
        sources=(
            Source(DOC000, "Multi-class Logistic Regression",
                   "This is exactly the same as the gradient in the binary-case, but we have it over each item of the output vector"),
        ),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=ls.softmax_nll_grad,
        check=Derivative(
            forward=ls.softmax_nll_naive, derivative=ls.softmax_nll_grad, domain=Args(Logits(), OneHot()), wrt=0,
            # the true class as -sum_{k != t} s_k: s_t - 1 would cancel
            cond=_grad_condition,
            # softmax: exp 1u, 7-term sum 6u, divide 1u; the true class sums 6 more terms: <= 14u
            # (times the max-shift condition factor); autodiff of the naive form: same count again
            tol=Tol(28, "hand <= 14u (exp, 7-term sums, divide); autodiff of the naive softmax the same"),
        ),
        note="000 lost the formula; reconstructed from 'exactly the same as the gradient in the binary-case'.",
    ),
    Claim(
        id="saturation.mse-vs-cross-entropy",
        statement=r"y=1,\ z=-t \text{ or } y=0,\ z=t,\ t \ge 0:\quad "
                  r"\Big|\tfrac{\partial}{\partial z}(y-\sigma(z))^2\Big| \le 2e^{-t} \to 0, \qquad "
                  r"\Big|\tfrac{\partial}{\partial z}\mathrm{NLL} - (1 - 2y)\Big| \le e^{-t} \text{, so } \tfrac{\partial\,\mathrm{NLL}}{\partial z} \to \mp 1",
        sources=(
            Source(DOC000, "Binary Logistic Regression", "Sigmoid activation combined with MSE has"),
            Source(DOC002, "What happens if we use a different loss function?",
                   "strongly wrong predictions will not be punished with a strong gradient"),
        ),
        kind=Kind.LIMIT,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=ls.mse_through_sigmoid_grad,
        check=Inequality.of(_confidently_wrong,
            domain=Args(Real(lo=0.0), Binary()),
            # |MSE'| = 2 sigma(t)^2 sigma(-t) is below 2e^{-t} by a relative margin that vanishes as t grows,
            # so the slack is its evaluation error (<= 10u relative); the CE gap is an O(1) quantity
            # minus 1 (<= 4u absolute)
            tol=Tol(12, "MSE' carries <= 10u relative error against a bound it approaches; CE' - (+-1) <= 4u absolute"),
        ),
        note="The MSE gradient vanishes like 2e^{-t} exactly where cross-entropy's stays at magnitude 1.",
    ),
    Claim(
        id="saturation.softmax-mse.gradient",
        statement=r"\frac{\partial}{\partial z_j}\lVert s - y\rVert^2 = 2 s_j\big(r_j - \langle r, s\rangle\big),\quad "
                  r"r = s - y,\ s = \mathrm{softmax}(z)",
        sources=(Source(DOC002, "Generalizing to multiple classes",
                        "This will lead to problems for all loss functions which do not invert the saturating property."),),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,
        derivation=ls.mse_through_softmax_grad,
        check=Derivative(
            forward=ls.mse_through_softmax, derivative=ls.mse_through_softmax_grad, domain=Args(Logits(), OneHot()),
            cond=lambda z, y: jnp.max(softmax_condition(z)), scale=_mse_softmax_terms,
            # u = eps/2 per rounding, exp 2u: s (k+3)u, r = s - y 1u, <r, s> k products and a k-term sum ku, the
            # difference and the product with 2 s_j 2u: (2k+6)u; autodiff of the naive form the same count (it
            # cancels as s_a -> 1: findings, refereed); relative to the size of the terms (scale) times the
            # max-shift condition of s (cond), k <= 7
            tol=Tol(20, "hand (2k+6)u + autodiff (2k+6)u = 40u for k <= 7 (u = eps/2), relative to the size of the terms"),
        ),
        note="The gradient of the squared error of a softmax prediction, used by saturation.softmax-mse-vs-cross-entropy. "
             "Autodiff of the naive form loses accuracy relative to the leader's small component (1 - s_a cancels); "
             "the hand form, sum_i s_i (s_j - s_i) + s_t - y_j, does not.",
    ),
    Claim(
        id="saturation.softmax-mse-vs-cross-entropy",
        statement=r"a = \operatorname{argmax}_k z_k \ne t,\ \varepsilon = \textstyle\sum_{k \ne a} s_k \le (n-1)e^{-d}:\quad "
                  r"\big\lVert \nabla_z \lVert e_t - s\rVert^2 \big\rVert_1 \le 8\varepsilon \to 0, \qquad "
                  r"\big\lVert \nabla_z \mathrm{CE} - (e_a - e_t)\big\rVert_1 = 2\varepsilon \text{, so } \lVert\nabla_z \mathrm{CE}\rVert_1 \to 2",
        sources=(Source(DOC002, "Generalizing to multiple classes",
                        "This will lead to problems for all loss functions which do not invert the saturating property."),),
        kind=Kind.LIMIT,
        verdict=Verdict.HOLDS,
        derivation=ls.mse_through_softmax_grad,
        check=Inequality.of(_softmax_saturation,
            domain=Args(Logits(), OneHot()),
            # ||MSE'||_1 approaches 8 eps (n = 2, eps -> 0): the slack is the evaluation error of both sides, (k+8)u
            # each relative to eps times the max-shift condition; the CE side is O(1) minus O(1): 4u absolute
            tol=Tol(30, "MSE' and eps (k+8) eps each, 2(k+8) = 30 for k <= 7, relative to 8 eps x the shift condition; "
                        "CE' - limit 4 eps absolute"),
        ),
        note="d is the lead of the wrong logit z_a over the runner-up. The bound 8 eps holds whatever the label "
             "(the MSE gradient vanishes with the softmax's saturation, right or wrong), and is attained as eps -> 0 "
             "for n = 2; the cross-entropy gradient tends to e_a - e_t, of 1-norm 2, exactly where the prediction is "
             "confidently wrong. The label is the sampled one, moved to the next class where it would lead. "
             "The multi-class form of saturation.mse-vs-cross-entropy.",
    ),
]
