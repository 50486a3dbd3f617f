r"""The Euclidean distance and the L2 norm.

Source: ``002_d52b67203b30a4ab.txt`` ("Distance", "Euclidean distance").
All functions reduce over the last axis.
"""
from __future__ import annotations

import jax.numpy as jnp


def _root_sum_squares(v):
    r""":math:`\sqrt{\sum_i v_i^2}`, evaluated as :math:`m \sqrt{\sum_i (v_i/m)^2}` with :math:`m = \max_i |v_i|`.

    Numerics: the literal :math:`\sqrt{\sum_i v_i^2}` overflows once some
    :math:`|v_i| > \sqrt{\max}` (1.8e19 in float32) and underflows to 0 once every
    :math:`|v_i| < \sqrt{\text{tiny}}` (1.5e-154 in float64), so it would give 0 for
    :math:`v \ne 0` and break the axiom :math:`d(x, y) = 0 \Rightarrow x = y`.
    Scaling by :math:`m` keeps every square in :math:`[0, 1]` and the result :math:`\ge m > 0`.
    """
    m = jnp.max(jnp.abs(v), axis=-1, keepdims=True)
    safe = jnp.where(m == 0, jnp.ones_like(m), m)  # v = 0: 0/0 would be nan; the result is 0 anyway
    return m[..., 0] * jnp.sqrt(jnp.sum((v / safe) ** 2, axis=-1))


def euclidean_distance(x, y):
    r""":math:`d_E(x, y) := \sqrt{\sum_{i=1}^n (x_i - y_i)^2}` for :math:`x, y \in \mathbb{R}^n`.

    It is a distance (``002_…``, "Distance"): non-negative (a square root),
    zero exactly when every :math:`x_i - y_i = 0`, symmetric because
    :math:`(x_i - y_i)^2 = (y_i - x_i)^2`, and it satisfies the triangle
    inequality by Minkowski's inequality :math:`\|u + v\|_2 \le \|u\|_2 + \|v\|_2`
    with :math:`u = x - z`, :math:`v = z - y`.

    Numerics: see :func:`_root_sum_squares`; :math:`x_i - y_i` itself must not
    overflow (:math:`|x_i|, |y_i| \le \max/2`).

    >>> float(euclidean_distance(jnp.array([0.0, 0.0]), jnp.array([3.0, 4.0])))
    5.0
    """
    return _root_sum_squares(x - y)


def hypotenuse(x, y):
    r"""The two-dimensional case: :math:`d_E(x, y) = \sqrt{(x_1 - y_1)^2 + (x_2 - y_2)^2}`.

    Written out with its two terms (not a sum over an axis), scaled as in
    :func:`_root_sum_squares` so that neither square over- or underflows.

    >>> float(hypotenuse(jnp.array([1.0, 1.0]), jnp.array([4.0, 5.0])))
    5.0
    """
    a, b = x[..., 0] - y[..., 0], x[..., 1] - y[..., 1]
    m = jnp.maximum(jnp.abs(a), jnp.abs(b))
    safe = jnp.where(m == 0, jnp.ones_like(m), m)
    return m * jnp.sqrt((a / safe) ** 2 + (b / safe) ** 2)


def l2_norm(v):
    r"""The L2 norm of one vector: :math:`\|v\|_2 = \sqrt{\sum_i v_i^2} = d_E(v, 0)`.

    A norm takes one vector; the Euclidean distance is the norm of the
    difference, :math:`d_E(x, y) = \|x - y\|_2`.

    >>> float(l2_norm(jnp.array([3.0, -4.0])))
    5.0
    """
    return _root_sum_squares(v)
