r"""Softmax, log-sum-exp and the softmax Jacobian.

Sources: ``000_79e3617690f23793.txt`` ("Multi-class Logistic Regression",
"Numerically Stable Softmax"; formulas reconstructed from the prose),
``001_8459e59a248a07da.txt`` ("Logistic Regression as Probability Model;
Multi-Class Classification"), ``002_d52b67203b30a4ab.txt`` ("Generalizing to
multiple classes", "Numerical stability").

All functions act on the last axis (a vector of ``n >= 2`` logits). Ties for
the max are allowed everywhere.

Overflow and underflow thresholds quoted below are for the IEEE formats;
``exp(x)`` is ``inf`` from the first float above :math:`\log(\text{max})`
(88.72284 in float32, 709.7827128933841 in float64) and ``0`` below
:math:`\log(\text{tiny})` (-87.33655, -708.39642) on a backend that flushes
subnormals to zero (XLA on CPU), or below :math:`\log(\text{smallest subnormal}/2)`
(-103.97, -745.13) with gradual underflow.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp


def softmax_naive(z):
    r"""The definition exactly as written: :math:`\mathrm{softmax}(z)_i = e^{z_i} / \sum_k e^{z_k}`.

    The from-scratch forward definition that autodiff differentiates.

    Numerics, along the ray :math:`z = c\,\mathbf{1}_n` (certified by
    ``softmax.naive.thresholds``): right for :math:`\log(\text{tiny}) < c < c_1`;
    from :math:`c_1` to :math:`\log(\text{max})` it returns **zeros** (finite,
    silently wrong); above :math:`\log(\text{max})` it is ``inf/inf = nan``; once
    every :math:`e^{z_k}` underflows it is ``0/0 = nan``. :math:`c_1 = \log(\text{max}/n)`,
    where the sum overflows, on a backend that divides; XLA computes ``e / sum(e)``
    as ``e * (1 / sum(e))``, and with subnormals flushed ``1/S = 0`` once
    :math:`S > 1/\text{tiny}`: :math:`c_1 = \log(1/(n\,\text{tiny}))`, 86.64 in float32 for n = 2.
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
    :math:`[1, n]` and never underflows. Finite inputs never give a nan. The
    only loss is intrinsic: a probability :math:`e^{z_i - m}/\Sigma` below the
    underflow threshold is 0, and the rounding of :math:`z_i - m` (relative
    :math:`u`) becomes a relative error :math:`u\,|z_i - m|` of :math:`s_i`.

    >>> [round(float(p), 4) for p in softmax(jnp.array([1000.0, 1000.0]))]
    [0.5, 0.5]
    """
    m = jnp.max(z, axis=-1, keepdims=True)
    e = jnp.exp(z - m)  # exponents <= 0: no overflow; the max term is exactly 1
    return e / jnp.sum(e, axis=-1, keepdims=True)


def softmax_temperature(z, t):
    r""":math:`\mathrm{softmax}(z / T)`: the "soft" argmax at temperature :math:`T > 0`.

    With a unique maximiser :math:`a` and gap :math:`d = z_a - \max_{k \ne a} z_k`,

    .. math:: 1 - \mathrm{softmax}(z/T)_a = \frac{\sum_{k \ne a} e^{(z_k - z_a)/T}}{\sum_k e^{(z_k - z_a)/T}}
              \le (n - 1)\, e^{-d/T} \xrightarrow[T \to 0]{} 0,

    so :math:`\mathrm{softmax}(z/T) \to e_a` (the one-hot of the argmax), and
    :math:`\|\mathrm{softmax}(z/T) - e_a\|_1 = 2(1 - \mathrm{softmax}(z/T)_a)`.
    """
    return softmax(z / t)


def logsumexp_naive(z):
    r""":math:`\log \sum_k e^{z_k}` exactly as written (the from-scratch definition for autodiff).

    Numerics: ``inf`` once some :math:`z_k > \log(\text{max})`, ``-inf`` once every term underflows.
    """
    return jnp.log(jnp.sum(jnp.exp(z), axis=-1))


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

    Derivation: :math:`\sum_k e^{z_k} = e^m \sum_k e^{z_k - m} = e^m (1 + s)`: the max term
    contributes exactly 1.

    Its gradient is the softmax: :math:`\partial_{z_j} \log\sum_k e^{z_k} = e^{z_j} / \sum_k e^{z_k} = \mathrm{softmax}(z)_j`
    (also under autodiff, ties included: see :func:`_log1p_rest`).

    Numerics: every exponent is :math:`\le 0`, so nothing overflows and
    :math:`s \in [0, n - 1]`. Keeping the 1 out of the sum and using ``log1p`` keeps
    :math:`s` when it is below the rounding of 1 (``m + log(sum)`` returns exactly ``m``
    once :math:`s < \epsilon/2`, e.g. :math:`\log(1 + 2e^{-40}) = 0` in float64 instead of
    :math:`8.5 \times 10^{-18}`). The final :math:`m + \log(1 + s)` can still cancel where
    the result is near 0 with :math:`m < 0`: the error is bounded relative to
    :math:`|m| + \log(1 + s)`.

    >>> float(logsumexp(jnp.array([0.0, -40.0, -40.0]))) > 0  # 2e^{-40}: m + log(sum) gives 0
    True
    """
    m, s = _log1p_rest(z)
    return (m + jnp.log1p(s))[..., 0]


def logsumexp_excess(z):
    r""":math:`\log\sum_k e^{z_k} - \max_k z_k = \log\big(1 + \sum_{k \ne a} e^{z_k - z_a}\big) \in [0, \log n]`, :math:`a = \arg\max_k z_k`.

    Each term :math:`e^{z_k - z_a} \le e^{-d}` with :math:`d = z_a - \max_{k \ne a} z_k`, so
    the excess is also :math:`\le \log(1 + (n-1)e^{-d}) \le (n - 1) e^{-d}`.

    Numerics: ``log1p`` of the sum without the argmax term, so a tiny excess
    keeps its relative accuracy (``logsumexp(z) - max(z)`` would cancel).
    """
    m = jnp.max(z, axis=-1, keepdims=True)
    n = z.shape[-1]
    not_argmax = jnp.arange(n) != jnp.argmax(z, axis=-1)[..., None]
    return jnp.log1p(jnp.sum(jnp.where(not_argmax, jnp.exp(z - m), 0), axis=-1))


def log_softmax(z):
    r""":math:`\log \mathrm{softmax}(z)_i = z_i - \log\sum_k e^{z_k}`, computed as :math:`(z_i - m) - \log(1 + s)`.

    Same :math:`m`, :math:`s` as :func:`logsumexp`: :math:`z_i - \log\sum_k e^{z_k} = (z_i - m) - \log(1 + s)`.

    Numerics: subtracting the max first keeps :math:`z_i - m` exact when the
    entries are close, and it stays finite where :math:`\log(\mathrm{softmax}(z)_i)` is
    ``-inf`` (:math:`z_i - m` below the underflow threshold of ``exp``). Both terms are
    :math:`\le 0`, so the difference never cancels; for the largest logit the result is
    :math:`-\log(1 + s)`, kept to full relative accuracy by ``log1p`` (with the max term's 1
    inside the sum, :math:`\log\sum_k e^{z_k - m}` is 0 once :math:`s < \epsilon/2`).

    >>> float(log_softmax(jnp.array([40.0, 0.0, 0.0]))[0]) < 0
    True
    """
    m, s = _log1p_rest(z)
    return (z - m) - jnp.log1p(s)


def log_odds_against(z):
    r"""The log-odds against each class: :math:`x_i = \log \sum_{k \ne i} e^{z_k - z_i}`.

    The softmax is a sigmoid of it, class against the rest:

    .. math:: s_i = \frac{1}{1 + \sum_{k\ne i} e^{z_k - z_i}} = \sigma(-x_i), \qquad
              1 - s_i = \sigma(x_i), \qquad -\log s_i = \zeta(x_i),

    and with :math:`d_i = z_i - \max_{k \ne i} z_k`: :math:`-d_i \le x_i \le -d_i + \log(n - 1)`.
    For :math:`n = 2`, :math:`x_0 = z_1 - z_0`: :math:`\mathrm{softmax}([z, 0])_0 = \sigma(z)`.

    Numerics: the differences :math:`z_k - z_i` are formed first (no large
    intermediate such as :math:`\log\sum_{k \ne i} e^{z_k}` minus :math:`z_i`),
    then a max-shifted log-sum-exp over :math:`k \ne i`.

    >>> [float(x) for x in log_odds_against(jnp.array([2.0, 0.0]))]  # softmax([2, 0])_0 = sigma(2)
    [-2.0, 2.0]
    """
    n = z.shape[-1]
    eye = jnp.eye(n, dtype=bool)
    diff = jnp.where(eye, -jnp.inf, z[..., None, :] - z[..., :, None])  # row i: z_k - z_i, k != i
    m = jnp.max(diff, axis=-1, keepdims=True)
    safe_m = jnp.where(jnp.isfinite(m), m, 0)  # m = +inf only if a difference overflowed
    x = safe_m + jnp.log(jnp.sum(jnp.exp(diff - safe_m), axis=-1, keepdims=True))
    return jnp.where(jnp.isfinite(m), x, m)[..., 0]


def softmax_jacobian(z):
    r"""The Jacobian of the softmax: :math:`\partial s_i / \partial z_j = s_i(\delta_{ij} - s_j)`.

    Derivation by the quotient rule, with :math:`s_i = e^{z_i}/\Sigma`, :math:`\Sigma = \sum_k e^{z_k}`:

    1. :math:`\frac{\partial s_i}{\partial z_j} = \frac{\delta_{ij} e^{z_i}\,\Sigma - e^{z_i} e^{z_j}}{\Sigma^2}`
       (the numerator's derivative is :math:`\delta_{ij}e^{z_i}`, the denominator's :math:`e^{z_j}`)
       -- :func:`softmax_jacobian_quotient_rule`.
    2. Case :math:`i = j`: :math:`\frac{e^{z_i}}{\Sigma} - \frac{e^{z_i}}{\Sigma}\frac{e^{z_i}}{\Sigma} = s_i(1 - s_i)`
       -- :func:`softmax_jacobian_diagonal`; it is the sigmoid's :math:`\sigma'(-x_i)` of the
       log-odds against class :math:`i` (:func:`log_odds_against`), and for
       :math:`z = [t, 0]` exactly :math:`\sigma'(t)` ("for the first case it's the same").
    3. Case :math:`i \ne j`: :math:`-\frac{e^{z_i}}{\Sigma}\frac{e^{z_j}}{\Sigma} = -s_i s_j`.
    4. Together: :math:`J = \mathrm{diag}(s) - s s^\top`.

    With :math:`d` the gap between the largest and second largest logit,
    :math:`e^{-d}/n^2 \le \max_{ij} |J_{ij}| \le (n-1)e^{-d}`: the softmax saturates
    exactly when the top gap grows.

    Numerics: :math:`s_i(1 - s_i)` cancels as :math:`s_i \to 1`; the diagonal is
    evaluated as :math:`s_i \sum_{k \ne i} s_k`, which has no subtraction.
    """
    s = softmax(z)
    n = z.shape[-1]
    eye = jnp.eye(n, dtype=z.dtype)
    return eye * softmax_jacobian_diagonal(z)[..., :, None] - (1 - eye) * s[..., :, None] * s[..., None, :]


def softmax_jacobian_quotient_rule(z):
    r"""Step 1 of :func:`softmax_jacobian`, the quotient rule's :math:`(\delta_{ij} e^{z_i}\Sigma - e^{z_i}e^{z_j})/\Sigma^2`.

    Numerics: numerator and denominator scaled by :math:`e^{-2m}` (``e`` below
    is :math:`e^{z - m}`); the diagonal numerator :math:`e^{z_i}(\Sigma - e^{z_i})`
    is evaluated as :math:`e^{z_i}\sum_{k \ne i} e^{z_k}`, the same number without the subtraction.
    """
    e = jnp.exp(z - jnp.max(z, axis=-1, keepdims=True))
    total = jnp.sum(e, axis=-1)[..., None, None]
    n = z.shape[-1]
    eye = jnp.eye(n, dtype=bool)
    others = jnp.sum(jnp.where(eye, 0, e[..., None, :]), axis=-1)  # Sigma - e_i, exactly
    numerator = e[..., :, None] * jnp.where(eye, others[..., :, None], -e[..., None, :])
    return numerator / total / total  # two divides: Sigma^2 could overflow for huge n, not here


def softmax_jacobian_diagonal(z):
    r"""Step 2 of :func:`softmax_jacobian`: :math:`s_i(1 - s_i)`, as :math:`s_i \sum_{k \ne i} s_k` (no cancellation)."""
    s = softmax(z)
    n = z.shape[-1]
    others = jnp.sum(jnp.where(jnp.eye(n, dtype=bool), 0, s[..., None, :]), axis=-1)  # 1 - s_i, exactly
    return s * others


def softmax_jacobian_quotient_rule_as_written_000(z):
    r"""000's quotient-rule line as its original writes it: :math:`\frac{\partial a_i}{\partial z_j} = \frac{\delta_{ij} e^{z_i}\Sigma - e^{z_i}e^{z_j}}{\Sigma}`, :math:`\Sigma = \sum_{k=1}^n e^{z_k}`.

    Source: ``000_79e3617690f23793.txt``, "Multi-class Logistic Regression" (the formula is lost in its
    extraction; the author's public original writes it). What is wrong: the denominator lost its square, so
    this is :math:`\Sigma\,\partial s_i/\partial z_j`, wrong by the factor :math:`\Sigma` (not even shift
    invariant). The next expressions of the original, :math:`a_i(1 - a_i)` and :math:`-a_i a_j`, are right
    (:func:`softmax_jacobian`): the error is in the middle step only.
    Literal exponentials, as written (representable for :math:`|z_k| \le 40`).

    By hand, row :math:`i = 0`: at :math:`z = (0, 0)`, :math:`\Sigma = 2`: :math:`((1 \cdot 2 - 1)/2, (0 - 1)/2) = (1/2, -1/2)`,
    twice the Jacobian's :math:`(1/4, -1/4)`; at :math:`z = (\log 3, 0)`, :math:`e = (3, 1)`, :math:`\Sigma = 4`:
    :math:`((3 \cdot 4 - 3 \cdot 3)/4, (0 - 3 \cdot 1)/4) = (3/4, -3/4)`, four times the Jacobian's :math:`(3/16, -3/16)`:

    >>> [round(float(v), 6) for v in softmax_jacobian_quotient_rule_as_written_000(jnp.zeros(2))[0]]
    [0.5, -0.5]
    >>> [round(float(v), 6) for v in softmax_jacobian_quotient_rule_as_written_000(jnp.log(jnp.array([3.0, 1.0])))[0]]
    [0.75, -0.75]
    """
    e = jnp.exp(z)
    total = jnp.sum(e, axis=-1)[..., None, None]
    eye = jnp.eye(z.shape[-1], dtype=z.dtype)
    return (eye * e[..., :, None] * total - e[..., :, None] * e[..., None, :]) / total
