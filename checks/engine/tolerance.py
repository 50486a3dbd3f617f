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

    ``absolute`` switches the floor of the scale from the dtype's smallest normal
    to 1: use it for quantities whose natural size is O(1) (probabilities, and
    sums of them), where relative error of a cancelled near-zero result means nothing.
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


def ulp_error(a, b, scale, dtype, floor) -> np.ndarray:
    """Elementwise ``|a - b| / max(scale, floor)`` in units of eps(dtype), host-side in float64.

    Equal values (including equal infinities) are error 0; a NaN on either side,
    or an infinity against a finite value, is error inf. A non-finite scale (terms
    that overflow) falls back to the floor: the comparison becomes strict, never vacuous.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = np.broadcast_to(np.abs(np.asarray(scale, dtype=np.float64)), a.shape)
    eps = float(finfo(dtype).eps)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - b)
        err = diff / np.maximum(np.where(np.isfinite(scale), scale, 0.0), floor) / eps
    same = (a == b)
    err = np.where(same, 0.0, err)
    err = np.where(np.isnan(a) | np.isnan(b), np.inf, err)
    return np.where(np.isnan(err), np.inf, err)


def conditioned(cond, value) -> np.ndarray:
    """``cond * |value|``: the scale of a conditioned comparison (an exact 0 stays 0, even at infinite cond)."""
    value = np.abs(np.asarray(value, np.float64))
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(value == 0, 0.0, np.asarray(cond, np.float64) * value)


def reduce_points(err: np.ndarray) -> np.ndarray:
    """Collapse the trailing (per-component) axes: one error per input point."""
    err = np.asarray(err)
    if err.ndim <= 1:
        return err
    return err.reshape(err.shape[0], -1).max(axis=1)
