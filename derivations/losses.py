r"""Losses on logits: binary and softmax cross-entropy, MSE through a sigmoid, and their gradients.

Sources: ``000_79e3617690f23793.txt`` ("Binary Logistic Regression",
"Multi-class Logistic Regression"; formulas reconstructed from the prose),
``001_8459e59a248a07da.txt`` (both "Logistic Regression as Probability Model"
sections), ``002_d52b67203b30a4ab.txt`` ("Properties in connection with
gradient descent", "What happens if we use a different loss function?").
"""
from __future__ import annotations

import jax.numpy as jnp

from .sigmoid import sigmoid, sigmoid_grad, sigmoid_naive
from .softmax import log_softmax, softmax
from .softplus import softplus


def binary_nll_naive(z, y):
    r"""Bernoulli negative log-likelihood as written: :math:`-[y \log\sigma(z) + (1-y)\log(1-\sigma(z))]`.

    The from-scratch definition for autodiff. Numerics: :math:`\log(1 - \sigma(z))`
    is :math:`\log 0 = -\infty` once :math:`\sigma(z)` rounds to 1 (z > 36.7 in float64).
    """
    s = sigmoid_naive(z)
    return -(y * jnp.log(s) + (1 - y) * jnp.log(1 - s))


def _times(w, v):
    """``w * v`` with ``0 * anything = 0`` (``0 * inf`` would be nan); a double ``where``, so the gradient is safe too."""
    return jnp.where(w == 0, 0, w * jnp.where(w == 0, 0, v))


def binary_nll(z, y):
    r"""Bernoulli NLL from the logit: :math:`y\,\zeta(-z) + (1 - y)\,\zeta(z)`, for any label :math:`y \in [0, 1]`.

    Derivation: :math:`-\log\sigma(z) = \zeta(-z)` and :math:`-\log(1-\sigma(z)) = -\log\sigma(-z) = \zeta(z)`
    (:func:`derivations.softplus.log_sigmoid`); for :math:`y \in \{0, 1\}` one term is left,
    :math:`\zeta((1 - 2y) z)`: the label picks the sign of the softplus argument.

    Numerics: two non-negative terms, each a stable :func:`~derivations.softplus.softplus`, so
    nothing overflows or cancels: for a confident right prediction the loss
    :math:`\zeta(-|z|) \approx e^{-|z|}` keeps full relative accuracy (``log1p``), while the
    equivalent :math:`\zeta(z) - yz` rounds :math:`z + e^{-z}` to :math:`z` first and gives 0
    for :math:`y = 1` and large :math:`z`. A zero weight contributes exactly 0, so
    :math:`z = \mp\infty` with the other label is 0, not ``0 * inf = nan``.

    >>> float(binary_nll(jnp.float32(40.0), jnp.float32(1.0))) > 0  # e^{-40}; softplus(z) - z gives 0
    True
    """
    return _times(y, softplus(-z)) + _times(1 - y, softplus(z))


def binary_nll_grad(z, y):
    r""":math:`\partial \mathrm{NLL} / \partial z = \sigma(z) - y = \hat y - y`.

    Derivation, step by step:

    1. :math:`\mathrm{NLL} = -y\log\sigma(z) - (1-y)\log(1 - \sigma(z))`.
    2. :math:`\frac{d}{dz}\log\sigma(z) = \frac{\sigma'(z)}{\sigma(z)} = 1 - \sigma(z)` and
       :math:`\frac{d}{dz}\log(1-\sigma(z)) = \frac{-\sigma'(z)}{1-\sigma(z)} = -\sigma(z)`  (using :math:`\sigma' = \sigma(1-\sigma)`).
    3. :math:`\partial_z \mathrm{NLL} = -y(1 - \sigma) + (1-y)\sigma = \sigma(z) - y`.

    Numerics: for a correct confident prediction the difference :math:`\sigma(z) - y`
    cancels (y = 1, z > 36.7 in float64 gives 0 instead of :math:`-e^{-z}`). Written as
    :math:`-\sigma(-z)` for y = 1 and :math:`\sigma(z)` for y = 0, which is exact.
    """
    return jnp.where(y == 1, -sigmoid(-z), sigmoid(z) - y)  # y = 1: sigma(z) - 1 = -sigma(-z), no cancellation


def softmax_nll_naive(z, y):
    r"""Categorical NLL as written: :math:`-\sum_k y_k \log \mathrm{softmax}(z)_k` with the naive softmax.

    The from-scratch definition for autodiff (a one-hot ``y`` picks the true class).
    """
    e = jnp.exp(z)
    return -jnp.sum(y * jnp.log(e / jnp.sum(e, axis=-1, keepdims=True)), axis=-1)


def softmax_nll(z, y):
    r""":math:`-\sum_k y_k \log\mathrm{softmax}(z)_k = \log\sum_j e^{z_j} - \sum_k y_k z_k` for a one-hot (or any summing-to-one) ``y``.

    Numerics: through :func:`derivations.softmax.log_softmax` (max-shifted, ``log1p``):
    finite for every finite ``z`` and accurate near a zero loss (a confident right
    prediction). Classes with :math:`y_k = 0` contribute exactly 0, since their
    log-probability may be :math:`-\infty` (a masked logit, or :math:`z_k - \max z`
    overflowing) and :math:`0 \cdot (-\infty)` would be nan.

    >>> float(softmax_nll(jnp.array([40.0, 0.0, 0.0]), jnp.array([1.0, 0.0, 0.0]))) > 0
    True
    """
    return -jnp.sum(_times(y, log_softmax(z)), axis=-1)  # 0 log 0 = 0


def softmax_nll_grad(z, y):
    r""":math:`\partial \mathrm{NLL} / \partial z_j = \hat y_j - y_j` with :math:`\hat y = \mathrm{softmax}(z)`.

    Derivation, step by step (``y`` sums to 1):

    1. :math:`\mathrm{NLL} = -\sum_k y_k z_k + (\sum_k y_k) \log\sum_i e^{z_i}`.
    2. :math:`\partial_{z_j} \left(-\sum_k y_k z_k\right) = -y_j`.
    3. :math:`\partial_{z_j} \log\sum_i e^{z_i} = e^{z_j} / \sum_i e^{z_i} = \hat y_j`.
    4. With :math:`\sum_k y_k = 1`: :math:`\partial_{z_j}\mathrm{NLL} = \hat y_j - y_j`.

    The same form as the binary case, component by component.

    Numerics: for the true class of a one-hot ``y``, :math:`\hat y_t - 1` cancels
    as :math:`\hat y_t \to 1`; it equals :math:`-\sum_{k \ne t} \hat y_k`, which is
    evaluated instead and keeps full relative accuracy.
    """
    s = softmax(z)
    rest = jnp.sum(s * (1 - y), axis=-1, keepdims=True)  # sum over k != t of s_k, for one-hot y
    return jnp.where(y == 1, -rest, s - y)  # s_t - 1 = -rest: no cancellation


def mse_through_sigmoid(z, y):
    r"""Squared error of a sigmoid prediction: :math:`(y - \sigma(z))^2` (the from-scratch definition)."""
    return (y - sigmoid_naive(z)) ** 2


def mse_through_sigmoid_grad(z, y):
    r""":math:`\partial_z (y - \sigma(z))^2 = -2 (y - \sigma(z))\,\sigma(z)(1 - \sigma(z))`.

    Derivation, step by step:

    1. Outer: :math:`\partial_u u^2 = 2u` with :math:`u = y - \sigma(z)`.
    2. Inner: :math:`\partial_z (y - \sigma(z)) = -\sigma'(z) = -\sigma(z)(1-\sigma(z))`.
    3. Product: :math:`-2(y - \sigma(z))\sigma(z)(1-\sigma(z))`.

    For a confidently wrong prediction (y = 1, z → −∞, or y = 0, z → +∞) the factor
    :math:`\sigma'(z) \to 0` makes the whole gradient vanish like :math:`2e^{-|z|}`:
    saturation. Compare :func:`binary_nll_grad`, which tends to ∓1 there.

    Numerics: :math:`y - \sigma(z)` as :math:`\sigma(-z)` for y = 1, and the sigmoid
    derivative in the non-cancelling form :math:`\sigma(z)\sigma(-z)`.
    """
    residual = jnp.where(y == 1, sigmoid(-z), y - sigmoid(z))  # y = 1: 1 - sigma(z) = sigma(-z), exact
    return -2 * residual * sigmoid_grad(z)


def mse_through_softmax(z, y):
    r"""Squared error of a softmax prediction: :math:`\lVert y - \mathrm{softmax}(z)\rVert^2` (from scratch).

    Source: ``002_…`` ("Generalizing to multiple classes"): a loss that does not take
    the log of the softmax, so nothing undoes its saturation.
    """
    e = jnp.exp(z)
    return jnp.sum((y - e / jnp.sum(e, axis=-1, keepdims=True)) ** 2, axis=-1)


def mse_through_softmax_grad(z, y):
    r""":math:`\partial_{z_j} \lVert s - y\rVert^2 = 2 s_j\,(r_j - \langle r, s\rangle)`, :math:`r = s - y`, :math:`s = \mathrm{softmax}(z)`.

    Derivation, step by step:

    1. Chain rule: :math:`\partial_{z_j} \sum_i r_i^2 = \sum_i 2 r_i\, \partial_{z_j} s_i`.
    2. Softmax Jacobian: :math:`\partial_{z_j} s_i = s_i(\delta_{ij} - s_j)`.
    3. Sum: :math:`2 r_j s_j - 2 s_j \sum_i r_i s_i = 2 s_j (r_j - \langle r, s\rangle)`.
    4. The components sum to :math:`2\langle r, s\rangle(1 - \sum_j s_j) = 0`.

    Saturation: with :math:`a = \operatorname{argmax} z` and :math:`\varepsilon = \sum_{k \ne a} s_k`,
    :math:`|r_j - \langle r, s\rangle| \le 2`, so :math:`\sum_{j \ne a} |g_j| \le 4\varepsilon` and, by
    step 4, :math:`|g_a| \le 4\varepsilon`: :math:`\lVert g\rVert_1 \le 8\varepsilon`, whatever the label.

    Numerics: for a one-hot ``y`` with true class ``t``, :math:`\sum_i s_i = 1` gives
    :math:`r_j - \langle r, s\rangle = \sum_i s_i (s_j - s_i) + s_t - y_j`, evaluated in that form
    (with :math:`s_t - 1 = -\sum_{k \ne t} s_k`): the leader's factor, :math:`r_a - \langle r, s\rangle`, would
    cancel as :math:`s_a \to 1` but is here a sum of non-negative terms, and tied logits give
    exactly equal :math:`s_j`, so a gradient that vanishes by symmetry comes out exactly 0.

    >>> import jax
    >>> z, y = jnp.array([0.5, -1.0, 2.0]), jnp.array([1.0, 0.0, 0.0])
    >>> bool(jnp.allclose(mse_through_softmax_grad(z, y), jax.grad(mse_through_softmax)(z, y), atol=1e-6))
    True
    """
    s = softmax(z)
    s_t = jnp.sum(s * y, axis=-1, keepdims=True)
    rest = jnp.sum(s * (1 - y), axis=-1, keepdims=True)  # 1 - s_t, without cancellation
    spread = jnp.sum(s[..., None, :] * (s[..., :, None] - s[..., None, :]), axis=-1)  # sum_i s_i (s_j - s_i)
    return 2 * s * (spread + jnp.where(y == 1, -rest, s_t))
