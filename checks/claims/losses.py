"""Claims about the losses on logits: their gradients and the saturation argument."""
import jax.numpy as jnp
from mpmath import mp

from derivations import losses as ls

from checks.engine import Args, Binary, Claim, Derivative, Inequality, Kind, Logits, OneHot, Real, Source, Tol, Verdict

from . import _mp
from ._conditioning import softmax_condition
from ._sources import DOC000, DOC002


def _grad_condition(z, y):
    # s_j - y_j carries s_j's condition; the true class, -sum_{k != t} s_k, the largest of the others'
    cond = softmax_condition(z)
    others = jnp.max(jnp.where(y == 1, 0, cond), axis=-1, keepdims=True)
    return jnp.where(y == 1, others, cond)


def _softmax_nll_grad_mp(z, y):
    # s_j - 1 cancels even at 50 digits once s_j > 1 - 1e-50; -sum_{k != j} s_k is exact
    s = _mp.softmax(z)
    return [-mp.fsum(s[:j] + s[j + 1:]) if t == 1 else p - t for j, (p, t) in enumerate(zip(s, y))]


def _confidently_wrong(t, y):
    r"""|MSE'| against its bound 2e^{-t}, and |CE' - (+-1)| against e^{-t}, at z = (1 - 2y) t (t >= 0: wrong side)."""
    z = (1 - 2 * y) * t
    mse = jnp.abs(ls.mse_through_sigmoid_grad(z, y))
    gap = jnp.abs(ls.binary_nll_grad(z, y) - (1 - 2 * y))
    bound = jnp.exp(-t)
    return jnp.stack([mse, gap]), jnp.stack([2 * bound, bound]), jnp.stack([2 * bound, jnp.ones_like(t)])


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
            referee=lambda z, y: -_mp.sigmoid(-z) if y == 1 else _mp.sigmoid(z) - y,  # no cancellation at 50 digits
            forward_mp=lambda z, y: -(y * mp.log(_mp.sigmoid(z)) + (1 - y) * mp.log(1 - _mp.sigmoid(z))),
            # hand: one sigmoid (<= 3u) and, for y = 0, nothing else; autodiff through log(sigma) and
            # log(1 - sigma): two quotients and a sum of two products (<= 6u)
            tol=Tol(10, "hand sigmoid <= 3u; autodiff's y(1-s)/s-style terms <= 6u; sum rounded up"),
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
            referee=_softmax_nll_grad_mp,
            forward_mp=lambda z, y: -mp.fsum(t * mp.log(p) for p, t in zip(_mp.softmax(z), y) if t),
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
        check=Inequality(
            lower=lambda t, y: _confidently_wrong(t, y)[0],
            upper=lambda t, y: _confidently_wrong(t, y)[1],
            scale=lambda t, y: _confidently_wrong(t, y)[2],
            domain=Args(Real(lo=0.0), Binary()),
            # |MSE'| = 2 sigma(t)^2 sigma(-t) is below 2e^{-t} by a relative margin that vanishes as t grows,
            # so the slack is its evaluation error (<= 10u relative); the CE gap is an O(1) quantity
            # minus 1 (<= 4u absolute)
            tol=Tol(12, "MSE' carries <= 10u relative error against a bound it approaches; CE' - (+-1) <= 4u absolute"),
        ),
        note="The MSE gradient vanishes like 2e^{-t} exactly where cross-entropy's stays at magnitude 1.",
    ),
]
