r"""Stable forms measured to a few ULPs against mpmath (``python -m checks.accuracy``).

Sources: ``002_d52b67203b30a4ab.txt`` ("Basic concepts and notation": softplus
and the log sigmoid; "Numerical stability"), ``000_79e3617690f23793.txt``
("Numerically Stable Softmax": "wary of the exponential and log terms").

What this module adds, and why it is not elsewhere:

* ``softplus``, ``log_sigmoid``, ``logit``: no other module defines them.
* ``logsumexp``, ``log_softmax``, ``binary_nll``, ``softmax_nll``: *more accurate*
  versions of the functions of the same names in :mod:`derivations.softmax` and
  :mod:`derivations.losses`. Those lose the small term of :math:`\log(1 + s)`
  (:math:`m + \log\sum_k e^{z_k - m}` with the max term exactly 1) and of
  :math:`\zeta(z) - yz` (a confident correct prediction's loss rounds to 0
  instead of :math:`e^{-|z|}`); the accuracy table shows both. To be merged into
  those modules.

Every function here acts elementwise or on the last axis and keeps its input dtype.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp


def _log1p(x):
    r""":math:`\log(1 + x)`, accurate on every backend.

    XLA's CPU ``log1p`` is off by up to 128 ULPs in float64 for :math:`x \in [-1/2, -0.3]`
    (measured by ``python -m checks.accuracy``; 2 ULPs elsewhere). There :math:`\log(1 + x)`
    is used instead: :math:`1 + x \in [1/2, 3/4]` rounds once (:math:`\le u`), and
    :math:`|\log(1 + x)| > 0.28` turns that into at most :math:`3.6u` relative.
    """
    mid = (x >= -0.5) & (x <= -0.25)
    return jnp.where(mid, jnp.log(1 + jnp.where(mid, x, 0)), jnp.log1p(jnp.where(mid, 0, x)))


def softplus(x):
    r""":math:`\zeta(x) = \log(1 + e^x)`, evaluated as :math:`x + \log(1 + e^{-x})` for :math:`x > 0`.

    Derivation: for :math:`x > 0`, :math:`\log(1 + e^x) = \log(e^x(e^{-x} + 1)) = x + \log(1 + e^{-x})`.
    Numerics: both branches exponentiate a non-positive number, so nothing overflows
    (the naive :math:`\log(1 + e^x)` is inf for :math:`x > 88.7` in float32), ``log1p``
    keeps a tiny :math:`e^{-|x|}` (the naive form rounds :math:`1 + e^x` to 1 for
    :math:`x < -16.6`), and :math:`x + \log(1 + e^{-x})` adds two positive numbers.
    The branches are chosen with ``where`` on clamped copies of ``x``, not with
    ``max(x, 0)`` and ``|x|``: their derivatives at the kink 0 are both 0 in JAX,
    which makes ``jax.grad`` of that form return 0 at x = 0 instead of
    :math:`\sigma(0) = 1/2`.

    >>> float(softplus(jnp.float32(100.0)))
    100.0
    """
    pos = x > 0
    xp = jnp.where(pos, x, 0)  # the positive branch's input (a harmless 0 elsewhere)
    xn = jnp.where(pos, 0, x)  # the other branch's input: exp(xn) <= 1, no overflow
    return jnp.where(pos, xp + jnp.log1p(jnp.exp(-xp)), jnp.log1p(jnp.exp(xn)))


def log_sigmoid(x):
    r""":math:`\log\sigma(x) = -\zeta(-x)`.

    Derivation: :math:`\log\frac{1}{1 + e^{-x}} = -\log(1 + e^{-x}) = -\zeta(-x)`.
    (002 "Basic concepts and notation" writes :math:`-\log\sigma(x) = -\zeta(-x)`;
    the sign of the right side is off, and the form used here is the corrected one.)

    >>> float(log_sigmoid(jnp.float32(-100.0)))
    -100.0
    """
    return -softplus(-x)


def logit(p):
    r"""The inverse of the sigmoid: :math:`\mathrm{logit}(p) = \log\frac{p}{1 - p}`.

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
    return jnp.where(small, jnp.log(ps) - jnp.log1p(-ps), _log1p(d) - _log1p(-d))


def _log1p_rest(z):
    r"""The max :math:`m` and :math:`s = \sum_k e^{z_k - m} - 1` without the subtraction.

    The max term is written :math:`\mathrm{expm1}(z_{k^*} - m)`, which is exactly 0, and
    :math:`m` is held constant for autodiff (``stop_gradient``): the value is the sum of the
    other terms, and the derivative with respect to :math:`z_{k^*}` is still
    :math:`e^{z_{k^*} - m} = 1`, so ``jax.grad`` gives the softmax, ties included (differentiating
    through ``max`` splits a tie's gradient and a mask would drop the max term's).
    """
    m = jax.lax.stop_gradient(jnp.max(z, axis=-1, keepdims=True))
    d = z - m  # <= 0, and exactly 0 at the max
    first_max = jnp.arange(z.shape[-1]) == jnp.argmax(z, axis=-1)[..., None]
    return m, jnp.sum(jnp.where(first_max, jnp.expm1(d), jnp.exp(d)), axis=-1, keepdims=True)


def logsumexp(z):
    r""":math:`\log\sum_k e^{z_k} = m + \log(1 + s)`, :math:`m = \max_k z_k`, :math:`s = \sum_{k \ne k^*} e^{z_k - m}`.

    Derivation: :math:`\sum_k e^{z_k} = e^m (1 + s)`: the max term contributes exactly 1.
    Numerics: keeping the 1 out of the sum and using ``log1p`` keeps :math:`s` when it is
    below the rounding of 1 (``m + log(sum)`` returns exactly ``m`` once :math:`s < \epsilon/2`,
    e.g. :math:`\log(1 + 2e^{-40}) = 0` in float64 instead of :math:`8.5 \times 10^{-18}`).

    >>> float(logsumexp(jnp.array([0.0, -40.0, -40.0]))) > 0  # 2e^{-40}: m + log(sum) gives 0
    True
    """
    m, s = _log1p_rest(z)
    return (m + jnp.log1p(s))[..., 0]


def log_softmax(z):
    r""":math:`\log\mathrm{softmax}(z)_i = (z_i - m) - \log(1 + s)` (same :math:`m`, :math:`s` as :func:`logsumexp`).

    Numerics: both terms are :math:`\le 0`, so the difference never cancels; for the largest
    logit the result is :math:`-\log(1 + s)`, kept to full relative accuracy by ``log1p``.

    >>> float(log_softmax(jnp.array([40.0, 0.0, 0.0]))[0]) < 0
    True
    """
    m, s = _log1p_rest(z)
    return (z - m) - jnp.log1p(s)


def binary_nll(z, y):
    r"""Bernoulli NLL from the logit: :math:`y\,\zeta(-z) + (1 - y)\,\zeta(z)`.

    Derivation: :math:`-\log\sigma(z) = \zeta(-z)` and :math:`-\log(1 - \sigma(z)) = -\log\sigma(-z) = \zeta(z)`.
    Numerics: two non-negative terms, no subtraction (``softplus(z) - y z`` loses
    :math:`\zeta(-z) \approx e^{-z}` for :math:`y = 1` and large :math:`z`: it rounds
    :math:`z + e^{-z}` to :math:`z` first). A zero weight contributes exactly 0, so
    :math:`z = \mp\infty` with the other label is 0, not ``0 * inf = nan``.

    >>> float(binary_nll(jnp.float32(40.0), jnp.float32(1.0))) > 0  # e^{-40}; softplus(z) - z gives 0
    True
    """
    def times(w, v):  # w * v with 0 * anything = 0 (double where: the gradient is safe too)
        return jnp.where(w == 0, 0, w * jnp.where(w == 0, 0, v))

    return times(y, softplus(-z)) + times(1 - y, softplus(z))


def softmax_nll(z, y):
    r""":math:`-\sum_k y_k \log\mathrm{softmax}(z)_k` through :func:`log_softmax` (accurate near a zero loss).

    >>> float(softmax_nll(jnp.array([40.0, 0.0, 0.0]), jnp.array([1.0, 0.0, 0.0]))) > 0
    True
    """
    ls = log_softmax(z)
    return -jnp.sum(jnp.where(y == 0, 0, y * jnp.where(y == 0, 0, ls)), axis=-1)  # 0 * -inf = 0 for masked logits


def kl_divergence(p, q):
    r""":math:`D_{KL}(p \| q) = \sum_x p(x) \log\frac{p(x)}{q(x)}`, with :math:`0 \log\frac{0}{q} = 0`.

    Each term is evaluated in the form that is accurate for its ratio :math:`r = p/q`:

    * :math:`1/2 \le r \le 2`: :math:`\log(1 + \frac{p - q}{q})` with ``log1p``; :math:`p - q`
      is exact there (Sterbenz), while :math:`\log r` would take the log of a rounded number
      near 1 and keep only its absolute accuracy;
    * :math:`r` outside the normal range (:math:`q` subnormal, or zero: the term is
      :math:`+\infty`): :math:`\log p - \log q`, which cannot overflow and, because
      :math:`|\log r| > 700`, does not cancel;
    * otherwise :math:`\log r`: one rounding of :math:`r` costs at most :math:`u/\log 2`
      relative.

    :func:`derivations.information.kl_divergence` evaluates :math:`p\log p - p\log q`,
    which cancels inside every term where :math:`p \approx q` (26 ULPs in float32 on
    :math:`p = (1/2, 1/2)`, :math:`q = (0.57, 0.43)`). Across terms the sum still cancels
    as :math:`p \to q` (terms of size :math:`|p - q|`, a result of size :math:`|p-q|^2`):
    no ordering of the sum avoids that.

    >>> float(kl_divergence(jnp.array([1.0, 0.0]), jnp.array([0.5, 0.5]))) > 0
    True
    """
    live = p > 0  # 0 log(0/q) = 0, whatever q
    ps, qs = jnp.where(live, p, 1), jnp.where(live, q, 1)
    r = ps / qs
    near = (r >= 0.5) & (r <= 2)
    far = ~jnp.isfinite(r) | (r < jnp.finfo(r.dtype).tiny)
    log_r = jnp.where(near, _log1p((ps - qs) / jnp.where(near, qs, 1)),  # ps - qs exact here
                      jnp.where(far, jnp.log(ps) - jnp.log(qs), jnp.log(jnp.where(far, 1, r))))
    return jnp.sum(jnp.where(live, ps * log_r, 0), axis=-1)
