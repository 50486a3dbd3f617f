r"""Entropy, cross-entropy and the Kullback-Leibler divergence of discrete distributions.

Sources: ``002_d52b67203b30a4ab.txt`` ("Entropy", "Cross-Entropy",
"Kullback-Leibler Divergence"), ``001_8459e59a248a07da.txt`` ("Maximum
Likelihood Estimation"), ``000_79e3617690f23793.txt`` ("Maximum Likelihood";
formulas reconstructed from the prose).

Convention: :math:`0 \log 0 = 0` and :math:`0 \log(0/q) = 0` (the limits as
:math:`p \to 0^+`), so an outcome of probability zero under ``p`` contributes
nothing. All functions reduce over the last axis, in nats.
"""
from __future__ import annotations

import jax.numpy as jnp


def xlogy(x, y):
    r""":math:`x \log y` with :math:`0 \log y = 0` for every :math:`y \ge 0` (``0 * -inf`` would be nan).

    The guard is a double ``where``: the unused branch is fed a safe value, so
    its gradient is not nan either.
    """
    safe_y = jnp.where(x == 0, jnp.ones_like(y), y)
    return jnp.where(x == 0, jnp.zeros_like(x), x * jnp.log(safe_y))


def entropy(p):
    r""":math:`H(p) = -\sum_x p(x) \log p(x)`, with :math:`0 \log 0 = 0`."""
    return -jnp.sum(xlogy(p, p), axis=-1)


def cross_entropy(p, q):
    r""":math:`H(p, q) = -\sum_x p(x) \log q(x)`.

    Infinite where :math:`q(x) = 0 < p(x)` (the model rules out an observed outcome).
    """
    return -jnp.sum(xlogy(p, q), axis=-1)


def kl_divergence(p, q):
    r""":math:`D_{KL}(p \| q) = \sum_x p(x) \log \frac{p(x)}{q(x)}`.

    Numerics: evaluated as :math:`\sum_x p(x)(\log p(x) - \log q(x))`; the ratio
    :math:`p/q` would overflow for :math:`q` near the underflow threshold.
    """
    return jnp.sum(xlogy(p, p) - xlogy(p, q), axis=-1)


def entropy_plus_kl(p, q):
    r""":math:`H(p) + D_{KL}(p\|q)`, the right-hand side of :math:`H(p, q) = H(p) + D_{KL}(p \| q)`.

    Derivation (``002_…``, "Cross-Entropy"), step by step:

    1. :math:`H(p) + D_{KL}(p\|q) = -\sum_x p \log p - \sum_x p \log\frac{q}{p}`  (definitions);
    2. :math:`= -\sum_x p \log p - \sum_x p \log q + \sum_x p \log p`  (:math:`\log\frac{q}{p} = \log q - \log p`);
    3. :math:`= -\sum_x p \log q = H(p, q)`  (the first and last sums cancel).

    Numerics: :math:`H(p)` and :math:`D_{KL}` can be large with opposite-signed
    pieces; the roundoff of the sum is relative to :math:`\sum_x |p \log p| + |p \log q|`,
    not to the result.
    """
    return entropy(p) + kl_divergence(p, q)


def magnitude_of_terms(p, q):
    r""":math:`\sum_x |p(x)\log p(x)| + |p(x) \log q(x)|`: the scale the roundoff of the identity is relative to."""
    return jnp.sum(jnp.abs(xlogy(p, p)) + jnp.abs(xlogy(p, q)), axis=-1)
