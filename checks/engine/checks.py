"""The kinds of check a claim can carry, declared as data (OpInfo-style).

Each check knows its inputs (a domain), the functions to compare and its
tolerance. ``kernel()`` returns the per-example JAX function that the runner
batches with ``jit(vmap(...))``; ``compare()`` turns its outputs into
per-oracle errors (inside the compiled kernel with ``xp=jax.numpy``; on the host with numpy). Nothing here runs JAX at import time.

Functions take one example (unbatched arrays) and are written in ``jax.numpy``.
Referees take the same example as Python lists/floats and compute with
``mpmath`` at high precision.
"""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

from .claim import DeclarationError
from .domains import Args, as_args
from .tolerance import Tol, conditioned, ulp_error


def _callable(obj, name, what):
    if not callable(obj):
        raise DeclarationError(f"{what}.{name} must be callable, got {obj!r}")


def _validate_two_sided(check, a, b):
    """Shared by Identity and Inequality: two callables, a domain, a Tol."""
    what = type(check).__name__
    _callable(getattr(check, a), a, what)
    _callable(getattr(check, b), b, what)
    object.__setattr__(check, "domain", as_args(check.domain))
    check.domain.validate()
    if not isinstance(check.tol, Tol):
        raise DeclarationError(f"{what}.tol must be a Tol(ulps, reason)")


def _larger(a, b):
    import jax.numpy as jnp

    return jnp.maximum(jnp.abs(a), jnp.abs(b))


def _two_sided_kernel(f, g, scale, names):
    """Both sides and the scale their difference is judged against (default: the larger side)."""
    import jax.numpy as jnp

    def k(*args):
        a, b = f(*args), g(*args)
        sc = scale(*args) if scale else _larger(a, b)  # a constant scale would be a weak-typed float64
        return {names[0]: a, names[1]: b, "scale": jnp.broadcast_to(jnp.asarray(sc, jnp.result_type(a)), jnp.shape(a))}

    return k


@dataclasses.dataclass(frozen=True)
class Derivative:
    """A hand-derived derivative (gradient or Jacobian) against its oracles.

    Oracles, each reported on its own:
      * ``reverse``: ``jax.jacrev`` of ``forward`` (the from-scratch definition,
        never a library function whose derivative rule is the formula under test);
      * ``forward``: ``jax.jacfwd`` of the same;
      * ``referee``: ``referee(*args)`` in mpmath (>= 50 digits), or, without one,
        mpmath's own high-precision numerical derivative of ``forward_mp``;
      * ``taylor``: the Taylor remainder ``|f(x+hv) - f(x) - h <df(x), v>|``
        must shrink as ``h^2`` (an eps-free finite-difference sanity check, float64).

    Where autodiff disagrees with the hand result, the referee decides which side
    is wrong: autodiff's errors are findings, the hand result's are failures.

    Attributes:
      forward: the function differentiated, from scratch in ``jax.numpy`` (one example, unbatched arrays).
      derivative: the hand-derived result, same arguments: its shape is the derivative's (a scalar, a
        gradient, a Jacobian with a row per output).
      domain: the inputs (:class:`Args`, or one component).
      tol: the error bound (:class:`Tol`), for every oracle.
      wrt: the index of the argument differentiated (the others are held fixed).
      referee: the exact derivative in mpmath, called with one example's arguments at 50 digits: a
        scalar as an ``mpf``, a vector as a list of ``mpf`` (a matrix: a list of rows); it returns the
        derivative in the hand result's layout (a number, a list, a list of rows: row ``i`` is output ``i``).
      forward_mp: ``forward`` in mpmath, same arguments: the Taylor test's function, and the referee
        (mpmath's numerical derivative at 100 digits) where no ``referee`` is given.

    ``cond(*args)`` (broadcastable to the derivative's shape) is the condition
    factor of the evaluation: the error bound is ``tol.ulps * cond`` eps relative
    to the value. Use it where roundoff of an intermediate is amplified, e.g.
    ``exp(z_i - m)`` whose relative error grows with ``|z_i - m|``.

    ``resolution(*args)`` (broadcastable likewise, in the value's units): the absolute
    error an entry may carry whatever its size, counted as one eps of the bound. Use it
    where an intermediate underflows and is then scaled up: a softmax entry below the
    smallest normal is resolved to ``tiny`` at best (the backend's ``exp`` may return 0
    there), and times ``h`` it is resolved to ``tiny |h|``.

    ``bitwise``: the hand result may equal both autodiff modes bit for bit by
    construction (the exact derivative of a quadratic, say): their zero error is
    then not flagged as vacuous (see :class:`Identity`).

    In all, an entry's error may be ``tol.ulps * max(eps * cond * |value|, resolution, eps * floor)``, where
    ``value`` is the larger of the two results compared and the floor is the smallest normal number
    (``tiny / eps`` where the backend flushes subnormals; 1 with ``Tol(absolute=True)``).
    """

    forward: Callable
    derivative: Callable
    domain: Args
    tol: Tol
    wrt: int = 0
    referee: Callable | None = None
    forward_mp: Callable | None = None
    cond: Callable | None = None
    resolution: Callable | None = None
    bitwise: bool = False

    def validate(self):
        _callable(self.forward, "forward", "Derivative")
        _callable(self.derivative, "derivative", "Derivative")
        object.__setattr__(self, "domain", as_args(self.domain))
        self.domain.validate()
        if not isinstance(self.tol, Tol):
            raise DeclarationError("Derivative.tol must be a Tol(ulps, reason)")
        if not 0 <= self.wrt < len(self.domain.components):
            raise DeclarationError(f"Derivative.wrt={self.wrt} but the domain has {len(self.domain.components)} argument(s)")
        if self.referee is None and self.forward_mp is None:
            raise DeclarationError("Derivative needs a referee (mpmath derivative) or forward_mp (mpmath forward)")

    oracles = ("reverse", "forward", "referee", "taylor")

    def kernel(self):
        import jax

        def k(*args):
            hand = self.derivative(*args)

            def entrywise(f, default):
                return jax.numpy.broadcast_to(jax.numpy.asarray(f(*args) if f else default, hand.dtype), hand.shape)

            out = {
                "hand": hand,
                "reverse": jax.jacrev(self.forward, argnums=self.wrt)(*args),
                "forward": jax.jacfwd(self.forward, argnums=self.wrt)(*args),
                "cond": entrywise(self.cond, 1),
            }
            if self.resolution:
                out["resolution"] = entrywise(self.resolution, 0)
            return out

        return k

    @staticmethod
    def scale(out, value, dtype, xp=np, work=np.float64):
        """What an entry's error is relative to: ``cond |value|``, but no less than ``resolution / eps``."""
        sc = conditioned(out["cond"], value, xp, work)
        if "resolution" in out:
            sc = xp.maximum(sc, xp.asarray(out["resolution"], dtype=work) / float(np.finfo(dtype).eps))
        return sc

    def compare(self, out, dtype, floor, xp=np, work=np.float64):
        """Per oracle, each entry's error in eps (host-side with numpy, or on the device with ``xp=jax.numpy``)."""
        return {name: self._against(out, name, dtype, floor, xp, work) for name in ("reverse", "forward")}

    def _against(self, out, name, dtype, floor, xp, work):
        hand, other = out["hand"], out[name]
        scale = self.scale(out, xp.maximum(xp.abs(hand), xp.abs(other)), dtype, xp, work)
        return ulp_error(hand, other, scale, dtype, floor, xp, work)

    def subject(self, out):
        return out["hand"]


@dataclasses.dataclass(frozen=True)
class Identity:
    """``lhs(*args) == rhs(*args)`` up to roundoff: ``lhs``, ``rhs`` in ``jax.numpy``, on ``domain``, within ``tol``.

    ``scale(*args)`` is the magnitude the error is judged against (default
    ``max(|lhs|, |rhs|)``): for an identity whose sides are sums that cancel,
    give the size of the terms, since that is what the roundoff is relative to.
    ``exact`` (mpmath, the arguments as for :class:`Derivative`'s ``referee``) is the true value of both
    sides: it referees each side on its own, so a failure says which side.
    ``bitwise``: the two sides may well be equal bit for bit by construction (the
    same rounded operations, selections of the same element). Without it, a check
    whose tolerance allows roundoff but that sees none at any point fails as
    vacuous: the compiler rewrote one side into the other, or one side is the other.
    """

    lhs: Callable
    rhs: Callable
    domain: Args
    tol: Tol
    scale: Callable | None = None
    exact: Callable | None = None
    bitwise: bool = False

    def validate(self):
        _validate_two_sided(self, "lhs", "rhs")

    oracles = ("lhs=rhs", "referee")

    def kernel(self):
        return _two_sided_kernel(self.lhs, self.rhs, self.scale, ("lhs", "rhs"))

    def compare(self, out, dtype, floor, xp=np, work=np.float64):
        return {"lhs=rhs": ulp_error(out["lhs"], out["rhs"], out["scale"], dtype, floor, xp, work)}

    def subject(self, out):
        return out["lhs"]


@dataclasses.dataclass(frozen=True)
class Inequality:
    """``lower(*args) <= upper(*args)`` (``<`` if ``strict``) on ``domain``, with roundoff slack.

    ``lower``, ``upper``: the two sides, in ``jax.numpy``, one example at a time.

    The slack is ``tol`` relative to ``scale(*args)`` (default ``max(|lower|, |upper|)``).
    A strict inequality allows no slack: it is checked exactly as computed.
    """

    lower: Callable
    upper: Callable
    domain: Args
    tol: Tol
    strict: bool = False
    scale: Callable | None = None

    @classmethod
    def of(cls, bounds, **kw):
        """From one function ``bounds(*args)`` returning ``(lower, upper)`` or ``(lower, upper, scale)``, for bounds that
        share their work (traced once per side, computed once: XLA merges the common subexpressions).
        ``kw``: the other options (``domain``, ``tol``, ...); a ``scale=`` keyword overrides the default
        ``max(|lower|, |upper|)`` of a pair."""
        def part(i):
            return lambda *args: bounds(*args)[i]

        def scale(*args):
            b = bounds(*args)
            return b[2] if len(b) > 2 else _larger(b[0], b[1])

        return cls(lower=part(0), upper=part(1), **{"scale": scale, **kw})

    def validate(self):
        _validate_two_sided(self, "lower", "upper")

    oracles = ("inequality",)

    def kernel(self):
        return _two_sided_kernel(self.lower, self.upper, self.scale, ("lower", "upper"))

    def compare(self, out, dtype, floor, xp=np, work=np.float64):
        lo = xp.asarray(out["lower"], dtype=work)
        up = xp.asarray(out["upper"], dtype=work)
        if self.strict:
            err = xp.where(lo < up, 0.0, np.inf)
        else:
            excess = xp.where(lo <= up, 0.0, lo - up)
            err = ulp_error(excess, xp.zeros_like(excess), out["scale"], dtype, floor, xp, work)
        err = xp.where(xp.isnan(lo) | xp.isnan(up), np.inf, err)
        return {"inequality": err}

    def subject(self, out):
        return out["lower"]


@dataclasses.dataclass(frozen=True)
class Exists:
    """Some input of ``domain`` satisfies ``witness(*args)`` (a boolean): the claim is a counterexample's existence.

    Used where a document says a property *fails* in general (KL is not symmetric):
    the suite exhibits the shrunk witness.
    """

    witness: Callable
    domain: Args

    def validate(self):
        _callable(self.witness, "witness", "Exists")
        object.__setattr__(self, "domain", as_args(self.domain))
        self.domain.validate()

    oracles = ("witness",)
    tol = None

    def kernel(self):
        def k(*args):
            return {"witness": self.witness(*args)}

        return k


@dataclasses.dataclass(frozen=True)
class Custom:
    """A hand-written check attached to a claim: ``run(dtype, budget) -> Outcome``.

    For claims no generic check fits (gradient-descent dynamics, argmax
    invariance over a parameter grid). It must return evidence and can fail.

    Attributes:
      run: called with the dtype's name (``"float32"``, ``"float64"``) and the profile's budget
        (``budget.points``, ``budget.examples``: scale the work to them); returns :func:`outcome` or
        :func:`judged`, built from :func:`evidence` rows.
      description: what the check does, in a sentence (the report shows it).
    """

    run: Callable
    description: str

    def validate(self):
        _callable(self.run, "run", "Custom")
        if not self.description:
            raise DeclarationError("Custom check needs a description")

    oracles = ("custom",)
