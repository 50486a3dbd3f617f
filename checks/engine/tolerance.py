"""Tolerances in units of the dtype's machine epsilon, each with its reason.

An error is measured as ``|a - b| / max(scale, tiny) / eps``: units of roundoff
relative to the magnitude the error should be judged against (by default the
reference value; for identities with cancellation, the size of the terms).
Because the bound is in eps units it carries from float32 to float64 unchanged:
the reason (how many roundings, what amplifies them) is the same for both.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .claim import DeclarationError

DTYPES = ("float32", "float64")


def finfo(dtype) -> np.finfo:
    return np.finfo(np.dtype(dtype))


@dataclasses.dataclass(frozen=True)
class Tol:
    """An error bound of ``ulps`` machine epsilons, and why it is that large.

    ``ulps``: the count of roundings (positive; the same bound serves float32 and float64).
    ``reason``: the count, said (which operations, what amplifies them); never empty.
    ``absolute`` switches the floor of the scale from the dtype's smallest normal
    to 1: use it for quantities whose natural size is O(1) (probabilities, and
    sums of them), where relative error of a cancelled near-zero result means nothing.
    ``Tol(4, "1 - sigma(x): 4u", absolute=True)`` bounds ``|a - b| <= 4 eps`` wherever ``|a|, |b| <= 1``.

    What the error is relative to is the check's: by default the larger value; ``cond=`` and
    ``resolution=`` of a :class:`~checks.engine.Derivative`, ``scale=`` of an
    :class:`~checks.engine.Identity` or :class:`~checks.engine.Inequality`.
    """

    ulps: float
    reason: str
    absolute: bool = False

    def __post_init__(self):
        if not (np.isfinite(self.ulps) and self.ulps > 0):
            raise DeclarationError(f"Tol.ulps must be a positive finite number, got {self.ulps!r}")
        if not self.reason or not self.reason.strip():
            raise DeclarationError("every tolerance states its reason")

    def floor(self, dtype, flushes_subnormals=False) -> float:
        """The smallest scale errors are judged against.

        Normally the smallest normal number. Where the backend flushes subnormal
        results to zero (detected by ``platform.flushes_subnormals``), a true
        value below it may legitimately come out as 0, so the absolute
        resolution is the smallest normal itself: the floor is ``tiny / eps``.
        """
        if self.absolute:
            return 1.0
        fi = finfo(dtype)
        return float(fi.tiny / fi.eps) if flushes_subnormals else float(fi.tiny)


def ulp_error(a, b, scale, dtype, floor, xp=np, work=np.float64):
    """Elementwise ``|a - b| / max(scale, floor)`` in units of eps(dtype), computed in ``work`` precision.

    One formula for both sides of the engine: host-side with numpy (the referee's comparisons) and
    on the device with ``xp=jax.numpy`` inside the check kernel (the sweep's), in float64 wherever
    the backend has it, so that both give the same error for the same values.

    Equal values (including equal infinities) are error 0; a NaN on either side,
    or an infinity against a finite value, is error inf. A non-finite scale (terms
    that overflow) falls back to the floor: the comparison becomes strict, never vacuous.
    """
    a = xp.asarray(a, dtype=work)
    b = xp.asarray(b, dtype=work)
    scale = xp.broadcast_to(xp.abs(xp.asarray(scale, dtype=work)), a.shape)
    eps = float(finfo(dtype).eps)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = xp.abs(a - b)
        err = diff / xp.maximum(xp.where(xp.isfinite(scale), scale, 0.0), floor) / eps
        err = xp.where(a == b, 0.0, err)  # a NaN equals nothing: its err is NaN, made inf below
        return xp.where(xp.isnan(err), np.inf, err)


def conditioned(cond, value, xp=np, work=np.float64):
    """``cond * |value|``: the scale of a conditioned comparison (an exact 0 stays 0, even at infinite cond)."""
    value = xp.abs(xp.asarray(value, dtype=work))
    with np.errstate(invalid="ignore", over="ignore"):
        return xp.where(value == 0, 0.0, xp.asarray(cond, dtype=work) * value)


def reduce_points(err, xp=np):
    """Collapse the trailing (per-component) axes: one error per input point."""
    err = xp.asarray(err)
    if err.ndim <= 1:
        return err
    return err.reshape(err.shape[0], -1).max(axis=1)
