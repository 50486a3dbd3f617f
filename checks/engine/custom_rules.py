r"""Certify a hand-written differentiation rule (``jax.custom_vjp`` / ``jax.custom_jvp``).

A custom rule replaces autodiff's derivative with yours: a numerically stable
form, a straight-through estimator, a clipped gradient. Nothing checks it by
default, and a wrong rule trains silently. Here the rule is the hand result
under test, and the oracles are the usual ones:

* the *hand* result is ``jax.jacrev`` of the function carrying the rule (so the
  rule itself, through the backward pass JAX builds from it);
* ``reverse`` / ``forward``: ``jax.jacrev`` / ``jax.jacfwd`` of the plain primal
  definition (the same function without the rule: autodiff's own derivative);
* ``rule forward-mode``: ``jax.jacfwd`` of the function carrying the rule, for a
  ``custom_jvp`` (its jvp rule in forward mode; ``jacrev`` used it transposed).
  A ``custom_vjp`` has no forward mode: ``jax.jacfwd`` raises ``TypeError: can't
  apply forward-mode autodiff (jvp) to a custom_vjp function`` (so does
  ``jax.test_util.check_grads(f, args, order=1, modes=("fwd",))``: use
  ``modes=("rev",)`` for one). That oracle is then skipped, with the reason in
  its evidence note, never a crash;
* ``referee`` (mpmath at 50 digits) and ``taylor``, as for any :class:`Derivative`.

Where autodiff of the primal is wrong (it often is: that is why the rule was
written) the referee decides, and the report counts it as autodiff's error.
The function may use the rule anywhere inside: a composed loss
``mean(f(z) * w)`` certifies the rule as the chain rule sees it.

Example (README-ready)::

    import jax, jax.numpy as jnp
    from mpmath import mp
    from checks.engine import Args, Logits, Real, Source, Tol
    from checks.engine.custom_rules import custom_gradient_claim

    def softplus_primal(z):            # log(1 + e^z) without overflow
        return jnp.maximum(z, 0) + jnp.log1p(jnp.exp(-jnp.abs(z)))

    softplus = jax.custom_vjp(softplus_primal)
    softplus.defvjp(lambda z: (softplus_primal(z), z),
                    lambda z, g: (g * jax.nn.sigmoid(z),))   # the rule: softplus' = sigmoid

    CLAIMS = [custom_gradient_claim(
        id="softplus.custom-vjp", statement=r"\frac{d}{dz}\log(1 + e^z) = \sigma(z)",
        sources=Source("my_notes.md", "Softplus", "its derivative is the sigmoid"),
        rule_fn=softplus, primal_fn=softplus_primal, domain=Real(),
        referee=lambda z: 1 / (1 + mp.exp(-z)), forward_mp=lambda z: mp.log(1 + mp.exp(z)),
        tol=Tol(7, "sigmoid <= 3u (exp, add, divide); autodiff of the primal <= 4u"))]
"""
from __future__ import annotations

import dataclasses
import functools
from typing import Callable

import numpy as np

from .checks import Derivative
from .claim import Claim, DeclarationError, Kind, Verdict

RULE_FORWARD = "rule forward-mode"
NO_FORWARD_MODE = ("skipped: the rule is a jax.custom_vjp, which has no forward mode (jax.jacfwd raises "
                   "TypeError: can't apply forward-mode autodiff (jvp) to a custom_vjp function); "
                   "certified in reverse mode only")


@dataclasses.dataclass(frozen=True)
class CustomRuleDerivative(Derivative):
    """A :class:`Derivative` whose hand result is ``jacrev(rule)``; adds the rule's forward mode where it has one.

    Build it with :func:`certify_custom_rule`. ``forward`` is the plain primal (what autodiff
    differentiates), ``derivative`` is ``jacrev`` of ``rule`` (the function carrying the custom rule);
    every other option is the :class:`~checks.engine.Derivative`'s.
    """

    rule: Callable | None = None

    def validate(self):
        super().validate()
        if not callable(self.rule):
            raise DeclarationError(f"CustomRuleDerivative.rule must be callable, got {self.rule!r}")

    @functools.cached_property
    def rule_has_forward_mode(self) -> bool:
        """Whether ``jax.jacfwd`` can trace the rule (not a custom_vjp anywhere inside): checked abstractly."""
        import jax

        ex = [jax.ShapeDtypeStruct(a.shape[1:], a.dtype)
              for a in self.domain.sweep("float32", 1, self.domain.buckets[0])]
        try:
            jax.eval_shape(jax.jacfwd(self.rule, argnums=self.wrt), *ex)
        except TypeError as e:
            if "custom_vjp" not in str(e):
                raise
            return False
        return True

    @property
    def oracles(self):
        return ("reverse", "forward", RULE_FORWARD, "referee", "taylor")

    @property
    def oracle_notes(self):
        """Why an oracle gave no evidence (the runner writes it into that oracle's evidence note)."""
        return {} if self.rule_has_forward_mode else {RULE_FORWARD: NO_FORWARD_MODE}

    def kernel(self):
        import jax

        base = super().kernel()
        forward_mode = self.rule_has_forward_mode

        def k(*args):
            out = base(*args)
            if forward_mode:
                out[RULE_FORWARD] = jax.jacfwd(self.rule, argnums=self.wrt)(*args)
            return out

        return k

    def compare(self, out, dtype, floor, xp=np, work=np.float64):
        errors = super().compare(out, dtype, floor, xp, work)
        if RULE_FORWARD in out:
            errors[RULE_FORWARD] = self._against(out, RULE_FORWARD, dtype, floor, xp, work)
        return errors


def certify_custom_rule(rule_fn, primal_fn, domain, tol, referee=None, forward_mp=None, *, wrt=0, cond=None):
    """The check certifying ``rule_fn``'s custom derivative against autodiff of ``primal_fn`` and mpmath.

    Args:
      rule_fn: the function using a ``jax.custom_vjp`` / ``jax.custom_jvp`` (directly, or inside a
        composed loss such as ``lambda z, w: jnp.mean(f(z) * w)``).
      primal_fn: the same function without the rule (the plain primal: autodiff differentiates it).
      domain, tol, referee, forward_mp, wrt, cond: as for :class:`~checks.engine.checks.Derivative`.
    """
    import jax

    def derivative(*args):
        return jax.jacrev(rule_fn, argnums=wrt)(*args)

    derivative.__name__ = derivative.__qualname__ = f"jacrev({getattr(rule_fn, '__name__', 'rule')})"
    return CustomRuleDerivative(forward=primal_fn, derivative=derivative, domain=domain, tol=tol, wrt=wrt,
                                referee=referee, forward_mp=forward_mp, cond=cond, rule=rule_fn)


def custom_gradient_claim(id, statement, sources, rule_fn, primal_fn, domain, tol, referee=None, forward_mp=None,
                          *, wrt=0, cond=None, kind=Kind.GRADIENT, verdict=Verdict.HOLDS, note="", **claim_kw):
    """A :class:`Claim` that ``rule_fn``'s custom derivative is the derivative of ``primal_fn`` (see the module doc).

    Args:
      id, statement, sources, kind, verdict, note: as for :class:`Claim` (a gradient that holds, by default).
      rule_fn, primal_fn, domain, tol, referee, forward_mp, wrt, cond: as for :func:`certify_custom_rule`.
      claim_kw: any other :class:`Claim` option (``derivation`` defaults to ``rule_fn``).
    """
    check = certify_custom_rule(rule_fn, primal_fn, domain, tol, referee, forward_mp, wrt=wrt, cond=cond)
    return Claim(id=id, statement=statement, sources=sources, kind=kind, verdict=verdict, check=check,
                 derivation=claim_kw.pop("derivation", rule_fn), note=note, **claim_kw)
