"""Collection-time validation of a check's shapes and dtypes, by abstract evaluation (no computation).

A derivative whose shape is not ``f.shape + x.shape``, two sides of an identity
of different shapes, or an integer output are declaration errors, reported
naming the claim before anything runs.
"""
from __future__ import annotations

import numpy as np

from .checks import Custom, Derivative, Exists, Identity, Inequality
from .claim import DeclarationError


def _abstract_example(domain, dtype, k):
    import jax

    return [jax.ShapeDtypeStruct(np.shape(a[0]), a.dtype) for a in domain.sweep(dtype, 64, k)]


def _float_outputs(claim_id, what, tree):
    import jax

    for leaf in jax.tree_util.tree_leaves(tree):
        if not np.issubdtype(leaf.dtype, np.floating) and leaf.dtype != np.bool_:
            raise DeclarationError(f"claim {claim_id!r}: {what} returns {leaf.dtype}, not a floating dtype")


def validate(claim, check, dtype="float32"):
    """Raise :class:`DeclarationError` naming the claim if the check's functions disagree in shape."""
    import jax

    if check is None or isinstance(check, Custom):
        return
    for k in check.domain.buckets:
        ex = _abstract_example(check.domain, dtype, k)
        try:
            if isinstance(check, Derivative):
                f = jax.eval_shape(check.forward, *ex)
                d = jax.eval_shape(check.derivative, *ex)
                if not np.issubdtype(f.dtype, np.floating):  # else autodiff fails inside JAX, at run time
                    raise DeclarationError(f"claim {claim.id!r}: the forward returns {f.dtype}: autodiff needs a "
                                           "floating dtype")
                _float_outputs(claim.id, "the derivative", d)
                want = tuple(f.shape) + tuple(ex[check.wrt].shape)
                if tuple(d.shape) != want:
                    raise DeclarationError(
                        f"claim {claim.id!r}: derivative has shape {tuple(d.shape)}, but d forward / d arg{check.wrt} "
                        f"has shape {want} (forward {tuple(f.shape)} by argument {tuple(ex[check.wrt].shape)}), k={k}")
            elif isinstance(check, (Identity, Inequality)):
                a, b = (check.lhs, check.rhs) if isinstance(check, Identity) else (check.lower, check.upper)
                sa, sb = jax.eval_shape(a, *ex), jax.eval_shape(b, *ex)
                _float_outputs(claim.id, "a side", (sa, sb))
                if tuple(sa.shape) != tuple(sb.shape):
                    raise DeclarationError(f"claim {claim.id!r}: the two sides have shapes {tuple(sa.shape)} and "
                                           f"{tuple(sb.shape)}, k={k}")
            elif isinstance(check, Exists):
                w = jax.eval_shape(check.witness, *ex)
                if w.dtype != np.bool_:
                    raise DeclarationError(f"claim {claim.id!r}: the witness must return booleans, got {w.dtype}")
        except DeclarationError:
            raise
        except Exception as e:  # a trace error inside the declared functions
            raise DeclarationError(f"claim {claim.id!r}: its functions fail on inputs of shape "
                                   f"{[tuple(x.shape) for x in ex]}: {type(e).__name__}: {e}") from e
