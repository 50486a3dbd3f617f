r"""The softplus :math:`\zeta(x) = \log(1 + e^{x})`, the smooth ReLU, and its ties to the sigmoid.

Sources: ``002_d52b67203b30a4ab.txt`` ("Basic concepts and notation",
"Properties in connection with gradient descent"), ``000_79e3617690f23793.txt``
("Binary Logistic Regression": :math:`\int \sigma = \zeta`, formulas reconstructed
from the prose).
"""
from __future__ import annotations

import jax.numpy as jnp

from .sigmoid import sigmoid


def softplus_naive(x):
    r"""The definition exactly as written: :math:`\zeta(x) := \log(1 + e^{x})`.

    The from-scratch forward definition that autodiff differentiates.

    Numerics: :math:`e^{x}` overflows for :math:`x > \log(\text{max})` (88.7 in
    float32, 709.8 in float64) and the value is inf although :math:`\zeta(x) \approx x`;
    and :math:`1 + e^{x}` rounds to 1 for :math:`x < \log(\epsilon/2)` (-16.6 / -36.7),
    so the value is 0 although :math:`\zeta(x) \approx e^{x}` is representable.
    """
    return jnp.log(1 + jnp.exp(x))


def softplus(x):
    r"""The softplus in the form that is accurate for every input, and for autodiff.

    .. math:: \zeta(x) = \begin{cases} x + \log(1 + e^{-x}) & x > 0 \\ \log(1 + e^{x}) & x \le 0 \end{cases}

    Derivation: for :math:`x > 0`, :math:`\log(1 + e^{x}) = \log(e^{x}(e^{-x} + 1)) = x + \log(1 + e^{-x})`;
    for :math:`x \le 0` the definition already has :math:`e^{x} \le 1`.

    Numerics: both branches exponentiate a non-positive number, so nothing overflows
    (:func:`softplus_naive` is inf for :math:`x > 88.7` in float32), ``log1p`` keeps
    a tiny :math:`e^{-|x|}` (the naive form rounds :math:`1 + e^{x}` to 1 for
    :math:`x < -16.6`), and :math:`x + \log(1 + e^{-x})` adds two positive numbers.

    Both branches are :math:`\max(x, 0) + \log(1 + e^{-|x|})`, one ``exp`` and one ``log1p``,
    but written with ``where``, not ``maximum`` and ``abs``: JAX differentiates those kinks
    at 0 by conventions that do not add up to :math:`\zeta'(0) = \sigma(0) = 1/2`, so
    ``jax.grad`` of the max/abs form returns 0 at :math:`x = 0` (and at every subnormal
    input on a backend that reads them as 0). Here :math:`-|x|` is ``where(x > 0, -x, x)``,
    whose slope at 0 is that of the branch in use, and autodiff gives :math:`\sigma(x)`.

    >>> float(softplus(1000.0))
    1000.0
    >>> float(softplus(-30.0)) > 0
    True
    >>> import jax; float(jax.grad(softplus)(0.0))  # sigma(0); the max/abs form gives 0 here
    0.5
    """
    pos = x > 0
    # -|x| with the slope of the branch in use (exp of it <= 1: no overflow); adding the 0 of the
    # other branch is exact, so the values are those of the two-branch form bit for bit
    return jnp.where(pos, x, 0) + jnp.log1p(jnp.exp(jnp.where(pos, -x, x)))


def relu_gap(x):
    r""":math:`\zeta(x) - x^{+}` evaluated literally (the difference the documents describe as "softer").

    Numerics: for large :math:`x` the difference cancels (it is 0 once
    :math:`\zeta(x)` rounds to :math:`x`, :math:`x > 36.7` in float64); :func:`relu_gap_exact`
    is the same quantity without the subtraction.
    """
    return softplus(x) - jnp.maximum(x, 0)


def relu_gap_exact(x):
    r"""The gap between softplus and ReLU: :math:`\zeta(x) - x^{+} = \zeta(-|x|) = \log(1 + e^{-|x|})`.

    Derivation: for :math:`x \ge 0`, :math:`\zeta(x) - x = \log(e^{-x}(1 + e^{x})) = \log(1 + e^{-x})`;
    for :math:`x < 0`, :math:`\zeta(x) - 0 = \log(1 + e^{-|x|})`. Since :math:`0 < e^{-|x|} \le 1`
    and :math:`\log(1 + t)` is increasing, the gap lies in :math:`(0, \log 2]` (the maximum at
    :math:`x = 0`), and :math:`\log(1 + t) \le t` bounds it by :math:`e^{-|x|} \to 0`.

    >>> round(float(relu_gap_exact(0.0)), 6)
    0.693147
    """
    return jnp.log1p(jnp.exp(-jnp.abs(x)))  # log(1 + t), t = e^{-|x|} in (0, 1]: no cancellation


def log_sigmoid(x):
    r""":math:`\log \sigma(x) = -\zeta(-x)`, equivalently :math:`-\log\sigma(x) = \zeta(-x)`.

    Derivation, step by step:

    1. :math:`\log\sigma(x) = \log\frac{1}{1 + e^{-x}}`  (definition);
    2. :math:`= -\log(1 + e^{-x})`  (:math:`\log(1/a) = -\log a`);
    3. :math:`= -\zeta(-x)`  (definition of :math:`\zeta` at :math:`-x`).

    ``002_…`` ("Basic concepts and notation") writes :math:`-\log(\sigma(x)) = -\zeta(-x)`:
    a sign erratum (the left side is positive, the right negative).

    Numerics: through the stable :func:`softplus`, so neither the log of a sigmoid that
    rounded to 1 (value 0 instead of :math:`-e^{-x}`) nor of one that underflowed (-inf).

    >>> float(log_sigmoid(jnp.float32(-100.0)))
    -100.0
    """
    return -softplus(-x)


def neg_log_sigmoid_as_written_002(x):
    r"""002's "the log sigmoid is softplus", as written: :math:`-\log(\sigma(x)) = -\zeta(-x)`; this is its right
    side, :math:`-\zeta(-x)`, which is :math:`\log\sigma(x)` (:func:`log_sigmoid`).

    Source: ``002_d52b67203b30a4ab.txt``, "Basic concepts and notation". What is wrong: the sign:
    :math:`-\log\sigma(x) > 0` while :math:`-\zeta(-x) < 0`; it is :math:`-\log\sigma(x) = \zeta(-x)`.

    By hand: at :math:`x = 0`, :math:`-\log(1 + e^{0}) = -\log 2 = -0.6931472`; at :math:`x = \log 3`,
    :math:`-\log(1 + 1/3) = -\log\tfrac43 = -0.2876821`, where :math:`-\log\sigma(\log 3) = -\log\tfrac34 = +0.2876821`:

    >>> round(float(neg_log_sigmoid_as_written_002(0.0)), 6), round(float(neg_log_sigmoid_as_written_002(jnp.log(3.0))), 6)
    (-0.693147, -0.287682)
    """
    return log_sigmoid(x)


def softplus_grad(x):
    r"""The derivative of the softplus: :math:`\zeta'(x) = \frac{e^{x}}{1 + e^{x}} = \sigma(x)`.

    Derivation, step by step:

    1. Chain rule on :math:`\log(1 + e^{x})`: :math:`\zeta'(x) = \frac{1}{1 + e^{x}}\cdot e^{x} = \frac{e^{x}}{1 + e^{x}}`.
    2. Divide numerator and denominator by :math:`e^{x}`: :math:`\frac{1}{e^{-x} + 1} = \sigma(x)`.

    ``000_…`` states the same fact as an integral, :math:`\int \sigma(z)\,dz = \zeta(z)`;
    with the lower limit :math:`-\infty` the constant is 0, since :math:`\zeta(z) \to 0`
    as :math:`z \to -\infty`: :math:`\int_{-\infty}^{x}\sigma(t)\,dt = \zeta(x)`.

    Numerics: the middle form :math:`e^{x}/(1 + e^{x})` is ``inf/inf = nan`` for
    :math:`x > \log(\text{max})`; the value is computed by the stable :func:`sigmoid`.

    >>> float(softplus_grad(0.0))
    0.5
    """
    return sigmoid(x)  # not exp(x) / (1 + exp(x)): nan for x > 88.7 (float32)
