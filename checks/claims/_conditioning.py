"""Condition factors of the max-shifted softmax family, for tolerances (shared by the claim modules).

``exp(z_k - m)`` turns the rounding of ``z_k - m`` (at most ``u|z_k - m|``) into relative error
of that term. The normaliser ``sum_k exp(z_k - m)`` weighs each term by its share ``s_k``, so
its relative error is amplified by ``sum_k s_k |z_k - m|``: bounded (``s_k |z_k - m| <= 1/e``
once ``z_k - m < -1``), where the cruder ``max_k |z_k - m|`` grows without bound (and overflows).
"""
import jax.numpy as jnp

from derivations.softmax import softmax


def _gaps(z):
    d = jnp.abs(z - jnp.max(z, axis=-1, keepdims=True))
    return jnp.where(jnp.isfinite(d), d, 0)  # an overflowed gap has s_k = 0: it contributes nothing


def lse_condition(z):
    """``1 + sum_k s_k |z_k - m|``: the amplification of roundoff in ``log sum_k exp(z_k)``."""
    s = softmax(z)
    return 1 + jnp.sum(s * _gaps(z), axis=-1)


def softmax_condition(z):
    """Per component: ``1 + |z_i - m| + sum_k s_k |z_k - m|`` (its own exponent, then the normaliser)."""
    return _gaps(z) + lse_condition(z)[..., None]


def jacobian_condition(z):
    """Entry (i, j) of the softmax Jacobian ``s_i (delta_ij - s_j)``: the conditions of both factors add."""
    c = softmax_condition(z)
    return c[..., :, None] + c[..., None, :]
