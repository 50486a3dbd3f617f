r"""Loss functions for a true value :math:`x_T`, and the three intuitive properties asked of them.

Source: ``002_d52b67203b30a4ab.txt``, "Intuitive properties of cross-entropy". A loss
:math:`l_{x_T}: \mathbb{R} \to [0, \infty)` should satisfy

1. :math:`l_{x_T}(x_T) = 0`;
2. :math:`x \ne x_T \Rightarrow l_{x_T}(x) > 0`;
3. :math:`|x_2 - x_T| > |x_1 - x_T| \Rightarrow l_{x_T}(x_2) > l_{x_T}(x_1)`.

The document offers :math:`l_{x_T}(x) = x` and :math:`x^2` as examples; at
:math:`x_T = 1` they give :math:`l(1) = 1 \ne 0`, so property 1 fails. The losses it
means, which satisfy all three, measure the distance to :math:`x_T`:
:math:`|x - x_T|` and :math:`(x - x_T)^2`. For a probability :math:`x \in (0, 1]` of the
true class (:math:`x_T = 1`), :math:`-\log x` satisfies them too, and unlike the
other two it is unbounded as :math:`x \to 0`: :math:`-\log 0 = \infty`.
"""
from __future__ import annotations

import jax.numpy as jnp


def linear_as_written(x, x_t):
    r""":math:`l_{x_T}(x) = x`, as printed (it does not depend on :math:`x_T`).

    Source: ``002_d52b67203b30a4ab.txt``, "Intuitive properties of cross-entropy" ("For example the linear
    ... loss do"). What is wrong: it is not measured from the target: property 1 fails (:math:`l(x_T) = x_T`),
    and :math:`l < 0` for :math:`x < 0`; meant is :math:`|x - x_T|` (:func:`absolute_loss`).

    By hand: at the document's :math:`x_T = 1`, :math:`l(1) = 1 \ne 0`; at :math:`x = -2`, :math:`l = -2`, where
    :math:`|x - x_T| = 3`:

    >>> float(linear_as_written(1.0, 1.0)), float(linear_as_written(-2.0, 1.0))
    (1.0, -2.0)
    """
    return x + 0 * x_t


def quadratic_as_written(x, x_t):
    r""":math:`l_{x_T}(x) = x^2`, as printed (it does not depend on :math:`x_T`).

    Source: ``002_d52b67203b30a4ab.txt``, "Intuitive properties of cross-entropy". What is wrong: as for
    :func:`linear_as_written`: property 1 fails (:math:`l(x_T) = x_T^2`); meant is :math:`(x - x_T)^2`
    (:func:`squared_loss`).

    By hand: at the document's :math:`x_T = 1`, :math:`l(1) = 1^2 = 1 \ne 0`; at :math:`x = -2`, :math:`(-2)^2 = 4`,
    where :math:`(x - x_T)^2 = 9`:

    >>> float(quadratic_as_written(1.0, 1.0)), float(quadratic_as_written(-2.0, 1.0))
    (1.0, 4.0)
    """
    return x * x + 0 * x_t


def absolute_loss(x, x_t):
    r""":math:`l_{x_T}(x) = |x - x_T|`: the linear loss, measured from the target.

    >>> float(absolute_loss(0.25, 1.0))
    0.75
    """
    return jnp.abs(x - x_t)


def squared_loss(x, x_t):
    r""":math:`l_{x_T}(x) = (x - x_T)^2`: the quadratic loss, measured from the target.

    Numerics: underflows to 0 for :math:`0 < |x - x_T| < \sqrt{2^{-149}}` (float32), where
    property 2 cannot be seen in floating point.
    """
    d = x - x_t
    return d * d


def neg_log_loss(x):
    r""":math:`l_1(x) = -\log x` for a predicted probability :math:`x \in [0, 1]` of the true class (:math:`x_T = 1`).

    Properties 1-3 hold on :math:`(0, 1]`: :math:`-\log 1 = 0`, :math:`-\log x > 0` for
    :math:`x < 1`, and :math:`|x - 1| = 1 - x` grows as :math:`x` falls while :math:`-\log x`
    strictly increases. It is unbounded: :math:`-\log x \ge M` once :math:`x \le e^{-M}`,
    and :math:`-\log 0 = +\infty` in IEEE arithmetic. (For :math:`x > 1` it is negative,
    so it is a loss on probabilities only.)

    >>> float(neg_log_loss(0.0))
    inf
    """
    return -jnp.log(x)
