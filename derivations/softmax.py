r"""Softmax, log-sum-exp and the softmax Jacobian.

Sources: ``000_79e3617690f23793.txt`` ("Multi-class Logistic Regression",
"Numerically Stable Softmax"; formulas reconstructed from the prose),
``001_8459e59a248a07da.txt`` ("Logistic Regression as Probability Model;
Multi-Class Classification"), ``002_d52b67203b30a4ab.txt`` ("Generalizing to
multiple classes", "Numerical stability").

All functions act on the last axis.
"""
from __future__ import annotations

import jax.numpy as jnp


def softmax_naive(z):
    r"""The definition exactly as written: :math:`\mathrm{softmax}(z)_i = e^{z_i} / \sum_k e^{z_k}`.

    The from-scratch forward definition that autodiff differentiates.

    Numerics: overflows to ``inf/inf = nan`` once some :math:`z_k > \log(\text{max})`
    (88.7 in float32, 709.8 in float64), and gives ``0/0 = nan`` once every
    :math:`z_k < \log(\text{smallest subnormal})` (-103.3 in float32, -745.1 in float64).
    """
    e = jnp.exp(z)
    return e / jnp.sum(e, axis=-1, keepdims=True)


def softmax(z):
    r"""The numerically stable softmax.

    .. math:: \mathrm{softmax}(z)_i = \frac{e^{z_i - m}}{\sum_k e^{z_k - m}}, \qquad m = \max_k z_k

    Derivation: multiply numerator and denominator of the definition by
    :math:`e^{-m}` (shift invariance, certified as ``softmax.shift-invariance``).

    Numerics: every exponent is :math:`\le 0`, so nothing overflows, and the
    largest term is exactly :math:`e^0 = 1`, so the denominator is in
    :math:`[1, n]` and never underflows. Finite inputs never give a nan.

    >>> [round(float(p), 4) for p in softmax(jnp.array([1000.0, 1000.0]))]
    [0.5, 0.5]
    """
    m = jnp.max(z, axis=-1, keepdims=True)
    e = jnp.exp(z - m)  # exponents <= 0: no overflow; the max term is exactly 1
    return e / jnp.sum(e, axis=-1, keepdims=True)


def logsumexp(z):
    r""":math:`\log \sum_k e^{z_k} = m + \log \sum_k e^{z_k - m}` with :math:`m = \max_k z_k`.

    Numerics: the sum is in :math:`[1, n]`, so its log is in :math:`[0, \log n]`
    and neither overflows nor loses the small terms' contribution to rounding.
    """
    m = jnp.max(z, axis=-1, keepdims=True)
    return (m + jnp.log(jnp.sum(jnp.exp(z - m), axis=-1, keepdims=True)))[..., 0]


def log_softmax(z):
    r""":math:`\log \mathrm{softmax}(z)_i = z_i - \log\sum_k e^{z_k}`, computed as :math:`(z_i - m) - \log\sum_k e^{z_k - m}`.

    Numerics: subtracting the max first keeps :math:`z_i - m` exact when the
    entries are close, so a log-probability near 0 keeps its relative accuracy.
    """
    shifted = z - jnp.max(z, axis=-1, keepdims=True)
    return shifted - jnp.log(jnp.sum(jnp.exp(shifted), axis=-1, keepdims=True))


def softmax_jacobian(z):
    r"""The Jacobian of the softmax: :math:`\partial s_i / \partial z_j = s_i(\delta_{ij} - s_j)`.

    Derivation by the quotient rule, with :math:`s_i = e^{z_i}/\Sigma`, :math:`\Sigma = \sum_k e^{z_k}`:

    1. :math:`\frac{\partial s_i}{\partial z_j} = \frac{\delta_{ij} e^{z_i}\,\Sigma - e^{z_i} e^{z_j}}{\Sigma^2}`
       (the numerator's derivative is :math:`\delta_{ij}e^{z_i}`, the denominator's :math:`e^{z_j}`).
    2. Case :math:`i = j`: :math:`\frac{e^{z_i}}{\Sigma} - \frac{e^{z_i}}{\Sigma}\frac{e^{z_i}}{\Sigma} = s_i(1 - s_i)`,
       the same as the sigmoid's :math:`\sigma(1-\sigma)`.
    3. Case :math:`i \ne j`: :math:`-\frac{e^{z_i}}{\Sigma}\frac{e^{z_j}}{\Sigma} = -s_i s_j`.
    4. Together: :math:`J = \mathrm{diag}(s) - s s^\top`.

    Numerics: :math:`s_i(1 - s_i)` cancels as :math:`s_i \to 1`; the diagonal is
    evaluated as :math:`s_i \sum_{k \ne i} s_k`, which has no subtraction.
    """
    s = softmax(z)
    n = z.shape[-1]
    eye = jnp.eye(n, dtype=z.dtype)
    others = jnp.sum(s[..., None, :] * (1 - eye), axis=-1)  # exact: no 1 - s_i cancellation
    return eye * (s * others)[..., :, None] - (1 - eye) * s[..., :, None] * s[..., None, :]
