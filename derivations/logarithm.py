r"""The logarithm, expectation, increasing transformations and the equality sign: the notation the documents build on.

Source: ``002_d52b67203b30a4ab.txt`` ("Basic concepts and notation");
``001_8459e59a248a07da.txt`` ("Maximum Likelihood Estimation") uses the same
log rules. The natural logarithm :math:`\log = \log_e` unless a base is given.
"""
from __future__ import annotations

import jax.numpy as jnp


def log_base(x, b, k=jnp.e):
    r"""Change of base: :math:`\log_b x = \frac{\log_k x}{\log_k b}` for bases :math:`b, k > 0`, :math:`\ne 1`.

    Derivation: let :math:`y = \log_b x`, i.e. :math:`b^y = x`. Taking
    :math:`\log_k` of both sides, :math:`y \log_k b = \log_k x` (the power rule
    :math:`\log_k b^y = y \log_k b`), and dividing by :math:`\log_k b \ne 0` gives
    the formula. Here :math:`\log_k t := \log t / \log k`.

    >>> float(log_base(8.0, 2.0))
    3.0
    """
    ln_k = jnp.log(jnp.asarray(k, dtype=jnp.result_type(x)))
    return (jnp.log(x) / ln_k) / (jnp.log(b) / ln_k)


def log_base_scaled(x, b, k=jnp.e):
    r""":math:`\log_b x = C \cdot \log_k x` with the constant :math:`C = 1 / \log_k b` (independent of :math:`x`).

    >>> round(float(log_base_scaled(100.0, 10.0, 2.0)), 12)
    2.0
    """
    ln_k = jnp.log(jnp.asarray(k, dtype=jnp.result_type(x)))
    c = 1 / (jnp.log(b) / ln_k)  # depends on the bases only: a change of base rescales every log by c
    return c * (jnp.log(x) / ln_k)


def binary_log_bounds(x):
    r"""Bounds of :math:`\log x` from the binary exponent: :math:`(e - 1)\log 2 \le \log x < e \log 2`.

    Write :math:`x = m\, 2^{e}` with :math:`m \in [\tfrac12, 1)` and integer :math:`e`
    (``frexp``, exact). Then :math:`\log x = \log m + e \log 2` with
    :math:`\log m \in [-\log 2, 0)`. Hence :math:`\log x < -M` as soon as
    :math:`x < 2^{-\lceil M/\log 2 \rceil}`, and :math:`\log x > M` as soon as
    :math:`x \ge 2^{\lceil M/\log 2 \rceil + 1}`: explicit :math:`\delta`'s for
    :math:`\lim_{x\to 0^+}\log x = -\infty` and :math:`\lim_{x\to\infty}\log x = \infty`.

    Numerics: ``frexp`` is exact for normal numbers only; a backend that flushes
    subnormal inputs to zero (DAZ) reports every subnormal as :math:`0.5 \cdot 2^{e_{min}}`.

    >>> [float(v) for v in binary_log_bounds(1.0)] == [0.0, float(jnp.log(2.0))]
    True
    """
    _, e = jnp.frexp(x)
    ln2 = jnp.log(jnp.asarray(2, dtype=jnp.result_type(x)))
    e = e.astype(ln2.dtype)  # |e| <= 1074: exact in float32 and float64
    return (e - 1) * ln2, e * ln2


def expectation(p, values):
    r""":math:`E(X) := \sum_{x} p(x)\, x`: the probability-weighted average of the outcomes.

    Applied to :math:`g(X)` it is :math:`\sum_x p(x) g(x)` (the law of the
    unconscious statistician). Reduces over the last axis.

    The coin example: :math:`E(X) = 0 \cdot \tfrac12 + 1 \cdot \tfrac12 = \tfrac12`.

    >>> float(expectation(jnp.array([0.5, 0.5]), jnp.array([0.0, 1.0])))
    0.5
    """
    return jnp.sum(p * values, axis=-1)


def equals_as_written_002(v):
    r"""002's reading of :math:`a = b` as written: ":math:`=` means that the left side implies the right and the right
    side the left", :math:`(a \Rightarrow b) \wedge (b \Rightarrow a)`, for the pair ``v`` :math:`= (a, b)`; 1 for true, 0 for false.

    To let a number imply anything it is read as a statement, true iff non-zero (as programming languages
    do). Source: ``002_d52b67203b30a4ab.txt``, "Basic concepts and notation". What is wrong: implication
    relates statements, so this defines the equivalence :math:`\Leftrightarrow` (on truth values it is
    equality), not the equality of two terms: every reading of numbers as statements merges distinct numbers.

    By hand: at :math:`(a, b) = (1, 2)` both are true and :math:`(T \Rightarrow T) \wedge (T \Rightarrow T)` is true,
    although :math:`1 \ne 2`; at :math:`(0, 1)`, :math:`T \Rightarrow F` is false; at :math:`(0, 0)`,
    :math:`(F \Rightarrow F) \wedge (F \Rightarrow F)` is true:

    >>> [float(equals_as_written_002(jnp.array(v))) for v in ([1.0, 2.0], [0.0, 1.0], [0.0, 0.0])]
    [1.0, 0.0, 1.0]
    """
    t = v != 0
    return ((~t[..., 0] | t[..., 1]) & (~t[..., 1] | t[..., 0])).astype(v.dtype)
