r"""The logistic sigmoid, its derivative and its inverse (the logit).

Sources: ``002_d52b67203b30a4ab.txt`` ("Basic concepts and notation", "Numerical
stability"), ``001_8459e59a248a07da.txt`` ("Logistic Regression as Probability
Model; Binary Classification"), ``000_79e3617690f23793.txt`` ("Binary Logistic
Regression", formulas reconstructed from the prose).
"""
from __future__ import annotations

import jax.numpy as jnp

from .numerics import log1p


def sigmoid_naive(z):
    r"""The textbook definition, exactly as written: :math:`\sigma(z) = 1 / (1 + e^{-z})`.

    This is the *from-scratch* forward definition autodiff differentiates when a
    hand-derived derivative is checked (``jax.nn.sigmoid`` carries its own
    derivative rule, so checking against it would be a tautology).

    Numerics: for :math:`z < -\log(\text{max})` (about -88.7 in float32, -709.8 in
    float64) :math:`e^{-z}` overflows to inf and the value is 0, which is the
    right rounding; but its autodiff gradient is ``inf * 0 = nan`` there.

    >>> float(sigmoid_naive(0.0))
    0.5
    """
    return 1 / (1 + jnp.exp(-z))


def sigmoid_second_form(z):
    r"""The second form of the definition, exactly as written: :math:`\sigma(z) = e^{z} / (1 + e^{z})`.

    Derivation from the first form: multiply numerator and denominator of
    :math:`1/(1 + e^{-z})` by :math:`e^{z} > 0`.

    Numerics: :math:`e^{z}` overflows for :math:`z > \log(\text{max})` (largest finite
    case 88.72283 in float32, 709.782712893384 in float64) and the value is
    ``inf/inf = nan``. For :math:`z \ll 0` it is right down to the underflow of
    :math:`e^{z}`, where it returns the correctly rounded (subnormal, or flushed) value.

    >>> float(sigmoid_second_form(0.0))
    0.5
    """
    e = jnp.exp(z)  # overflows to inf past log(max): then inf/inf = nan
    return e / (1 + e)


def sigmoid(z):
    r"""The sigmoid in the form that is accurate for every input.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}} = \frac{e^{z}}{1 + e^{z}}

    Numerics: ``002_…`` ("Numerical stability") says the first form suits
    :math:`z \gg 0` and the second :math:`z \ll 0`. Both are evaluated with
    :math:`e^{-|z|} \le 1`, which never overflows, and the branch is chosen by sign.
    Relative error is a few ulps everywhere (``checks/claims`` certifies the bound).

    >>> float(sigmoid(-80.0)) > 0  # the second form: no overflow, no cancellation
    True
    """
    e = jnp.exp(-jnp.abs(z))  # in (0, 1]: no overflow on either side
    return jnp.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_as_softmax_pair(z):
    r"""The sigmoid as the first entry of a two-class softmax, with the max trick applied to the pair.

    .. math:: \sigma(z) = \frac{e^{z}}{e^{z} + e^{0}} = \mathrm{softmax}\big((z, 0)\big)_1
              = \frac{e^{z - m}}{e^{z - m} + e^{-m}}, \qquad m = \max(z, 0)

    Derivation: multiply numerator and denominator of the second form by :math:`e^{-m}`
    (the softmax's shift invariance, which :math:`\sigma` itself lacks: the constant
    1 of :math:`1 + e^{-z}` is the unexponentiated term, the exponentiated 0 of the pair).

    Numerics: for :math:`z \ge 0`, :math:`m = z` and it is :math:`1/(1 + e^{-z})`; for
    :math:`z < 0`, :math:`m = 0` and it is :math:`e^{z}/(e^{z} + 1)`: the two branches of
    :func:`sigmoid`, both with exponents :math:`\le 0` (source: ``002_…``, "Numerical stability").

    >>> float(sigmoid_as_softmax_pair(-1000.0)), float(sigmoid_as_softmax_pair(1000.0))
    (0.0, 1.0)
    """
    m = jnp.maximum(z, 0)
    top = jnp.exp(z - m)  # exactly 1 for z >= 0
    return top / (top + jnp.exp(-m))  # exp(-m) exactly 1 for z < 0


def sigmoid_grad(z):
    r"""The derivative of the sigmoid.

    .. math:: \sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = \sigma(z)\,\sigma(-z)

    Derivation, step by step:

    1. :math:`\sigma(z) = (1 + e^{-z})^{-1}`.
    2. Chain rule: :math:`\sigma'(z) = -(1 + e^{-z})^{-2} \cdot (-e^{-z}) = \frac{e^{-z}}{(1 + e^{-z})^2}`.
    3. Split: :math:`\frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}} = \sigma(z) \cdot (1 - \sigma(z))`,
       because :math:`\frac{e^{-z}}{1 + e^{-z}} = 1 - \frac{1}{1 + e^{-z}}`.
    4. Symmetry :math:`1 - \sigma(z) = \frac{e^{-z}}{1 + e^{-z}} = \frac{1}{e^{z} + 1} = \sigma(-z)`
       (multiply by :math:`e^{z}`) gives the form evaluated here.

    Numerics: the form :math:`\sigma(1 - \sigma)` is exact mathematics but cancels
    in floating point: for :math:`z > -\log(\epsilon/2)` (36.7 in float64, 16.6 in
    float32) :math:`\sigma(z)` rounds to 1 and the product to 0, while the true
    value (4.25e-18 at z = 40) is far above the underflow threshold.
    :math:`\sigma(z)\sigma(-z)` has no subtraction and keeps full relative accuracy.

    >>> float(sigmoid_grad(0.0))
    0.25
    """
    return sigmoid(z) * sigmoid(-z)  # not sigmoid(z) * (1 - sigmoid(z)): that cancels for z > 36.7 (f64)


def sigmoid_grad_as_written(z):
    r""":math:`\sigma(z)(1 - \sigma(z))` evaluated literally (the documents' form), kept to show where it fails."""
    s = sigmoid(z)
    return s * (1 - s)


def logit_of_sigmoid(z):
    r"""The logit (inverse sigmoid) of :math:`\sigma(z)`: :math:`\log\frac{\sigma(z)}{1 - \sigma(z)} = z`.

    Derivation: :math:`\frac{\sigma(z)}{1 - \sigma(z)} = \frac{1/(1+e^{-z})}{e^{-z}/(1+e^{-z})} = e^{z}`,
    whose log is :math:`z`: the pre-activation is the log-odds, which is why it is called the logit.

    Numerics: :math:`1 - \sigma(z)` is evaluated as :math:`\sigma(-z)` (no cancellation), and
    the quotient as a difference of logs, so neither side rounds to 0 or 1 before the log.
    Valid while :math:`\sigma(\pm z)` are normal numbers (:math:`|z| < 87.3` in float32).

    >>> round(float(logit_of_sigmoid(3.0)), 12)
    3.0
    """
    return jnp.log(sigmoid(z)) - jnp.log(sigmoid(-z))  # log(s / (1 - s)) with 1 - s = sigmoid(-z)


def logit(p):
    r"""The inverse of the sigmoid: :math:`\mathrm{logit}(p) = \log\frac{p}{1 - p}`.

    Source: ``000_…`` ("Binary Logistic Regression"), the value the sigmoid bounds "is
    sometimes called a" logit; :func:`logit_of_sigmoid` is the identity :math:`\mathrm{logit}(\sigma(z)) = z`.

    Two forms, each exact where the other is not:

    * :math:`p < 1/4`: :math:`\log p - \log(1 - p)` with ``log1p(-p)``; the
      first term dominates (:math:`|\log p| > 1.38 > 0.29 > |\log(1 - p)|`), so the
      difference does not cancel.
    * :math:`p \ge 1/4`: :math:`\log(1 + d) - \log(1 - d)` with :math:`d = 2p - 1`, because
      :math:`\frac{p}{1-p} = \frac{1 + d}{1 - d}`. Here :math:`2p - 1` is *exact*
      (Sterbenz: :math:`2p \in [1/2, 2]`) and the two logs have opposite signs, so their
      difference adds magnitudes: near :math:`p = 1/2`, where :math:`\log\frac{p}{1-p}`
      takes the log of a rounded ratio close to 1 and loses every digit, the result keeps
      its relative accuracy.

    >>> float(logit(jnp.float32(0.5)))
    0.0
    """
    small = p < 0.25
    ps = jnp.where(small, p, 0.125)  # each branch gets a harmless value where it is not used
    d = 2 * jnp.where(small, 0.5, p) - 1  # exact for p >= 1/4
    return jnp.where(small, jnp.log(ps) - jnp.log1p(-ps), log1p(d) - log1p(-d))
