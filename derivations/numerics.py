r"""Replacements for backend primitives where the backend's own is measurably inaccurate, and a guard
against the compiler rewriting a literal form.

Measured by ``python -m checks.accuracy`` (its "Backend primitives" table); each
function says which primitive, where, and what it evaluates instead.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp


def literal(x):
    r"""``x`` unchanged, opaque to XLA's algebraic simplifier.

    Why: XLA rewrites :math:`\log(e^{x})` to :math:`x` (it does not rewrite
    :math:`e^{\log x}`), so a derivation line that *evaluates* :math:`\log e^{z}` would
    otherwise be checked without its two roundings -- or, in a check of that very step,
    vacuously. Wrap the inner value: ``jnp.log(literal(jnp.exp(z)))``. Likewise it rewrites
    :math:`(a/b)/c` to :math:`a/(bc)`, whose product may overflow: ``literal(a / b) / c``.

    >>> z = jnp.linspace(-3, 3, 101, dtype=jnp.float32)
    >>> bool(jnp.all(jax.jit(lambda z: jnp.log(jnp.exp(z)))(z) == z))  # rewritten: no rounding at all
    True
    >>> bool(jnp.any(jax.jit(lambda z: jnp.log(literal(jnp.exp(z))))(z) != z))  # evaluated: its roundings show
    True
    """
    return jax.lax.optimization_barrier(x)


def log1p(x):
    r""":math:`\log(1 + x)`, accurate on every backend.

    Why: XLA's CPU ``log1p`` is off by up to 128 ULPs in float64 on about
    :math:`x \in [-0.45, -0.3]` (2 ULPs elsewhere). On :math:`[-1/2, -1/4]` :math:`\log(1 + x)` is used
    instead: :math:`1 + x \in [1/2, 3/4]` rounds once (:math:`\le u`), and
    :math:`|\log(1 + x)| > 0.28` turns that into at most :math:`3.6u` relative.
    Each branch is fed a harmless value where it is not used (``where`` on clamped
    copies), so the gradient is :math:`1/(1 + x)` on both.

    >>> round(float(log1p(jnp.float32(-0.4))), 6)  # log(0.6)
    -0.510826
    """
    mid = (x >= -0.5) & (x <= -0.25)
    return jnp.where(mid, jnp.log(1 + jnp.where(mid, x, 0)), jnp.log1p(jnp.where(mid, 0, x)))
