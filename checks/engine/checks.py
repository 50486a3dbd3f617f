"""The kinds of check a claim can carry, declared as data (OpInfo-style).

Each check knows its inputs (a domain), the functions to compare and its
tolerance. ``kernel()`` returns the per-example JAX function that the runner
batches with ``jit(vmap(...))``; ``compare()`` turns its outputs into
per-oracle errors (inside the compiled kernel with ``xp=jax.numpy``; on the host with numpy). Nothing here runs JAX at import time.

Functions take one example (unbatched arrays) and are written in ``jax.numpy``.

Every check also knows its truth: ``exact(args)`` evaluates the claim's own functions exactly
(:mod:`.exact`: ball arithmetic on the traced programs), and ``judge_exactly`` turns those balls
into two verdicts per point, each an error in eps: **mathematics** (do the exact values satisfy the
claim: the hand derivative equal the true derivative of the forward, the identity hold, the bound
hold; allowed only a deliberate float cutoff below half an ulp) and **floating point** (the float
result against the exact value, judged by the declared ``Tol``).
"""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

from .claim import DeclarationError
from .domains import Args, as_args
from .exact import compare
from .tolerance import Tol, conditioned, reduce_points, ulp_error


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


def _rounded(exact, dtype):
    """Exact values as the dtype would hold them, correctly rounded (beyond its range: inf, as it would overflow)."""
    with np.errstate(over="ignore"):
        return np.asarray(exact, np.float64).astype(dtype).astype(np.float64)


def _exact_scale(scale, a, b):
    """The scale a comparison of exact values is judged against: the larger of the check's own (computed in
    floats: the size of the terms, say) and the exact sides' magnitude (which a float scale may have lost to
    rounding, underflow or overflow)."""
    size = np.maximum(np.abs(a.floats()), np.abs(b.floats()))
    scale = np.abs(np.broadcast_to(np.asarray(scale, np.float64), size.shape))
    return np.fmax(np.where(np.isfinite(scale), scale, 0.0), size)


def _both(a, b):
    """The exact results of two sides, judged where both are: the first side's status, the second's where it is worse."""
    from .exact import OK

    worse = (a.status == OK) & (b.status != OK)
    a.status = np.where(worse, b.status, a.status)
    a.reason = [rb if w else ra for ra, rb, w in zip(a.reason, b.reason, worse)]
    return a


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


# A float32 derivative is also computed in float64 (the same hand formula, traced for float64): where the two
# disagree beyond the tolerance the float32 result may be off in a narrow window that neither autodiff mode sees
# (a library rule used by both), so those points go to the exact oracle. A sieve, never a verdict of its own.
SHADOW = "float64 shadow"


@dataclasses.dataclass(frozen=True)
class Derivative:
    """A hand-derived derivative (gradient, Jacobian, or of order 2: a second derivative, a Hessian)
    against its oracles.

    Oracles, each reported on its own:
      * ``reverse``: ``jax.jacrev`` of ``forward`` (the from-scratch definition,
        never a library function whose derivative rule is the formula under test), nested for order 2;
      * ``forward``: ``jax.jacfwd`` of the same;
      * ``mathematics``: the hand derivative's exact value against the exact derivative of ``forward``
        (both from the programs themselves, in ball arithmetic: no float rounding, no JAX derivative rule);
      * ``floating point``: the hand result as computed against that exact derivative, in eps.

    Where autodiff disagrees with the hand result, the exact derivative decides which side
    is wrong: autodiff's errors are findings, the hand result's are failures. A point where
    the forward has no derivative (a kink: the one-sided derivatives differ) is a branch point:
    counted, and judged by no one.

    ``referee`` (an mpmath derivative) and ``forward_mp`` (an mpmath forward) are optional: where an
    author gives one, it is checked against the exact derivative of ``forward``, and a disagreement
    rejects the declaration (a wrong referee is found, not trusted).

    Attributes:
      forward: the function differentiated, from scratch in ``jax.numpy`` (one example, unbatched arrays).
      derivative: the hand-derived result, same arguments: its shape is the derivative's (a scalar, a
        gradient, a Jacobian with a row per output).
      domain: the inputs (:class:`Args`, or one component).
      tol: the error bound (:class:`Tol`), for every oracle.
      wrt: the index of the argument differentiated (the others are held fixed).
      order: 1 (a gradient or Jacobian: output axes, then the argument's) or 2 (a second derivative or a
        Hessian: output axes, then the argument's axes twice); autodiff nests ``jacrev`` / ``jacfwd``.
      referee: optional, checked: the derivative in mpmath, called with one example's arguments at 50
        digits: a scalar as an ``mpf``, a vector as a list of ``mpf`` (a matrix: a list of rows); it returns
        the derivative in the hand result's layout (a number, a list, a list of rows: row ``i`` is output ``i``).
      forward_mp: optional, checked: ``forward`` in mpmath, same arguments (mpmath's numerical derivative at
        100 digits stands for the referee where no ``referee`` is given).

    ``cond(*args)`` (broadcastable to the derivative's shape) is the condition
    factor of the evaluation: the error bound is ``tol.ulps * cond`` eps relative
    to the value. Use it where roundoff of an intermediate is amplified, e.g.
    ``exp(z_i - m)`` whose relative error grows with ``|z_i - m|``.

    ``scale(*args)`` (broadcastable likewise, in the value's units): what the roundoff is relative to where
    that is not the value itself, e.g. the size of the terms of a sum that cancels (the sum of their absolute
    values, never less than the value). It depends on the inputs only, not on the result judged: a bound
    computed from an inaccurate result would shrink with the error it should allow.

    ``resolution(*args)`` (broadcastable likewise, in the value's units): the absolute
    error an entry may carry whatever its size, counted as one eps of the bound (and, in the
    exact comparison, a deliberate cutoff at that level: no difference). Use it
    where an intermediate underflows and is then scaled up: a softmax entry below the
    smallest normal is resolved to ``tiny`` at best (the backend's ``exp`` may return 0
    there), and times ``h`` it is resolved to ``tiny |h|``.

    In all, an entry's error may be ``tol.ulps * max(eps * cond * scale, resolution, eps * floor)``, where
    ``scale`` is ``scale(*args)`` or else ``|value|``, ``value`` the larger of the two results compared (the
    exact one, against the truth), and the floor is the smallest normal number
    (``tiny / eps`` where the backend flushes subnormals; 1 with ``Tol(absolute=True)``).
    """

    forward: Callable
    derivative: Callable
    domain: Args
    tol: Tol
    wrt: int = 0
    order: int = 1
    referee: Callable | None = None
    forward_mp: Callable | None = None
    cond: Callable | None = None
    scale: Callable | None = None
    resolution: Callable | None = None

    def validate(self):
        _callable(self.forward, "forward", "Derivative")
        _callable(self.derivative, "derivative", "Derivative")
        object.__setattr__(self, "domain", as_args(self.domain))
        self.domain.validate()
        if not isinstance(self.tol, Tol):
            raise DeclarationError("Derivative.tol must be a Tol(ulps, reason)")
        if not 0 <= self.wrt < len(self.domain.components):
            raise DeclarationError(f"Derivative.wrt={self.wrt} but the domain has {len(self.domain.components)} argument(s)")
        if self.order not in (1, 2):
            raise DeclarationError(f"Derivative.order must be 1 or 2, got {self.order!r}")

    oracles = ("reverse", "forward", "mathematics", "floating point")

    def _autodiff(self, mode):
        f = self.forward
        for _ in range(self.order):
            f = mode(f, argnums=self.wrt)
        return f

    def kernel(self):
        import jax

        def k(*args):
            hand = self.derivative(*args)

            def entrywise(f, default):
                return jax.numpy.broadcast_to(jax.numpy.asarray(f(*args) if f else default, hand.dtype), hand.shape)

            out = {
                "hand": hand,
                "reverse": self._autodiff(jax.jacrev)(*args),
                "forward": self._autodiff(jax.jacfwd)(*args),
                "cond": entrywise(self.cond, 1),
            }
            if hand.dtype == jax.numpy.float32 and jax.config.jax_enable_x64:
                out[SHADOW] = self.derivative(*[a.astype(jax.numpy.float64) if a.dtype == hand.dtype else a
                                                for a in args])
            if self.scale:
                out["scale"] = entrywise(self.scale, 0)
            if self.resolution:
                out["resolution"] = entrywise(self.resolution, 0)
            return out

        return k

    @staticmethod
    def _relative_to(out, value, dtype, xp=np, work=np.float64):
        """What an entry's error is relative to: ``cond * scale`` (``|value|`` by default), but no less than
        ``resolution / eps``."""
        sc = conditioned(out["cond"], out["scale"] if "scale" in out else value, xp, work)
        if "resolution" in out:
            sc = xp.maximum(sc, xp.asarray(out["resolution"], dtype=work) / float(np.finfo(dtype).eps))
        return sc

    def compare(self, out, dtype, floor, xp=np, work=np.float64):
        """Per oracle, each entry's error in eps (host-side with numpy, or on the device with ``xp=jax.numpy``);
        in float32 also against the hand formula evaluated in float64 (:data:`SHADOW`)."""
        return {name: self._against(out, name, dtype, floor, xp, work)
                for name in ("reverse", "forward", SHADOW) if name in out}

    def _against(self, out, name, dtype, floor, xp, work):
        hand, other = out["hand"], out[name]
        scale = self._relative_to(out, xp.maximum(xp.abs(hand), xp.abs(other)), dtype, xp, work)
        return ulp_error(hand, other, scale, dtype, floor, xp, work)

    def subject(self, out):
        return out["hand"]

    def truth(self, args) -> dict:
        """The truth at a batch of points: the exact derivative of ``forward``, and the hand derivative's exact value."""
        from . import exact

        points = self.domain.exact(args)
        return {"truth": exact.derivatives(self.forward, args, self.wrt, self.order, points),
                "hand": exact.values(self.derivative, args, points)}

    def judge_exactly(self, out, ex, dtype, floor, proven=False):
        """Per point: the mathematics and floating-point errors (eps), and the points the truth cannot judge.

        The mathematics error is an upper bound (what agreement needs), or with ``proven`` a lower bound (what a
        disagreement needs: the balls are that far apart at least)."""
        truth, hand = ex["truth"], ex["hand"]
        t = truth.floats()
        math = compare.difference(hand.values[0], truth.values[0], np.abs(t), dtype, floor, out.get("resolution"),
                                  proven)
        math = np.where(hand.ok, math, np.inf)  # the hand formula undefined where the derivative exists
        t = _rounded(t, dtype)
        fp = reduce_points(ulp_error(out["hand"], t, self._relative_to(out, t, dtype), dtype, floor))
        return {"mathematics": math, "floating point": fp}, truth


@dataclasses.dataclass(frozen=True)
class Identity:
    """``lhs(*args) == rhs(*args)`` up to roundoff: ``lhs``, ``rhs`` in ``jax.numpy``, on ``domain``, within ``tol``.

    ``scale(*args)`` is the magnitude the error is judged against (default
    ``max(|lhs|, |rhs|)``): for an identity whose sides are sums that cancel,
    give the size of the terms, since that is what the roundoff is relative to.

    Both sides are also evaluated exactly (ball arithmetic on their own programs): **mathematics** asks
    whether the exact sides are equal, **floating point** how far each computed side is from its exact
    value. ``exact`` (an optional mpmath value of both sides) is checked against that exact value.
    """

    lhs: Callable
    rhs: Callable
    domain: Args
    tol: Tol
    scale: Callable | None = None
    exact: Callable | None = None

    def validate(self):
        _validate_two_sided(self, "lhs", "rhs")

    oracles = ("lhs=rhs", "mathematics", "floating point")

    def kernel(self):
        return _two_sided_kernel(self.lhs, self.rhs, self.scale, ("lhs", "rhs"))

    def compare(self, out, dtype, floor, xp=np, work=np.float64):
        return {"lhs=rhs": ulp_error(out["lhs"], out["rhs"], out["scale"], dtype, floor, xp, work)}

    def subject(self, out):
        return out["lhs"]

    # the tolerance bounds the sides' difference, not each side's own error: that is shown, not judged
    informational = ("floating point",)

    def truth(self, args) -> dict:
        from . import exact

        points = self.domain.exact(args)
        return {"lhs": exact.values(self.lhs, args, points), "rhs": exact.values(self.rhs, args, points)}

    def judge_exactly(self, out, ex, dtype, floor, proven=False):
        lhs, rhs = ex["lhs"], ex["rhs"]
        scale = _exact_scale(out["scale"], lhs, rhs)
        math = compare.difference(lhs.values[0], rhs.values[0], scale, dtype, floor, proven=proven)
        fp = np.maximum(*(reduce_points(ulp_error(out[side], _rounded(ex[side].floats(), dtype), scale, dtype, floor))
                          for side in ("lhs", "rhs")))
        return {"mathematics": math, "floating point": fp}, _both(lhs, rhs)


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

    oracles = ("inequality", "mathematics")

    def kernel(self):
        return _two_sided_kernel(self.lower, self.upper, self.scale, ("lower", "upper"))

    def truth(self, args) -> dict:
        from . import exact

        points = self.domain.exact(args)
        return {"lower": exact.values(self.lower, args, points), "upper": exact.values(self.upper, args, points)}

    def judge_exactly(self, out, ex, dtype, floor, proven=False):
        lower, upper = ex["lower"], ex["upper"]
        scale = _exact_scale(out["scale"], lower, upper)
        math = compare.excess(lower.values[0], upper.values[0], scale, dtype, floor, self.strict, proven)
        return {"mathematics": math}, _both(lower, upper)

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

    oracles = ("witness", "mathematics")
    tol = None

    def kernel(self):
        def k(*args):
            return {"witness": self.witness(*args)}

        return k

    def truth(self, args) -> dict:
        from . import exact

        return {"witness": exact.values(self.witness, args, self.domain.exact(args))}

    def judge_exactly(self, out, ex, dtype, floor, proven=False):
        """A witness in floats must be one in the reals: its exact predicate is true (inf where it is not)."""
        w = ex["witness"]
        holds = np.array([all(v == 1 for v in np.ravel(w.values[0][j:j + 1])) for j in range(len(w.status))])
        return {"mathematics": np.where(holds, 0.0, np.inf)}, w


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
