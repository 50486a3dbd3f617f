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
* ``mathematics`` and ``floating point``, as for any :class:`Derivative`: the exact derivative of the
  plain primal (ball arithmetic on its own program) against the rule's result, exactly and as computed;
  the floating-point verdict judges the rule's forward mode too, where it has one.

Where autodiff of the primal is wrong (it often is: that is why the rule was
written) the exact derivative decides, and the report counts it as autodiff's error.
``order=2`` certifies the rule's second derivative (``jacrev`` of ``jacrev`` of the rule: the rule
differentiated again, as training with a Hessian or a meta-gradient would).
The function may use the rule anywhere inside: a composed loss
``mean(f(z) * w)`` certifies the rule as the chain rule sees it.

Example (README-ready)::

    import jax, jax.numpy as jnp
    from checks.engine import Real, Source, Tol
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
        return ("reverse", "forward", RULE_FORWARD, "mathematics", "floating point")

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
                out[RULE_FORWARD] = self._rule(jax.jacfwd)(*args)
            return out

        return k

    def _rule(self, mode):
        """The rule's derivative of ``order`` in this mode (reverse: the rule's backward pass, transposed again
        for order 2; forward: its jvp rule)."""
        f = self.rule
        for _ in range(self.order):
            f = mode(f, argnums=self.wrt)
        return f

    def compare(self, out, dtype, floor, xp=np, work=np.float64):
        errors = super().compare(out, dtype, floor, xp, work)
        if RULE_FORWARD in out:
            errors[RULE_FORWARD] = self._against(out, RULE_FORWARD, dtype, floor, xp, work)
        return errors

    def judge_exactly(self, out, ex, dtype, floor, proven=False):
        """As a :class:`Derivative`'s, and the floating-point verdict is the worse of the rule's two modes: its
        forward mode is the rule too (a library's jvp rule, say), judged against the exact derivative, not only
        compared with its reverse mode (where only they disagree, the truth says which mode is wrong)."""
        errors, truth = super().judge_exactly(out, ex, dtype, floor, proven)
        if RULE_FORWARD in out:
            errors["floating point"] = np.maximum(errors["floating point"],
                                                  self.float_error(out, RULE_FORWARD, truth, dtype, floor))
        return errors, truth


def certify_custom_rule(rule_fn, primal_fn, domain, tol, **options):
    """The check certifying ``rule_fn``'s custom derivative against the exact derivative of ``primal_fn``.

    Args:
      rule_fn: the function using a ``jax.custom_vjp`` / ``jax.custom_jvp`` (directly, or inside a
        composed loss such as ``lambda z, w: jnp.mean(f(z) * w)``).
      primal_fn: the same function without the rule (the plain primal: its exact derivative is the truth,
        and autodiff of it the two autodiff oracles).
      domain, tol: as for :class:`~checks.engine.checks.Derivative`.
      options: any other option of :class:`~checks.engine.checks.Derivative`: ``wrt``, ``order`` (2 for the
        rule's second derivative), ``cond``, ``resolution``, ``referee``, ``forward_mp``.
    """
    import jax

    known = {f.name for f in dataclasses.fields(Derivative)} - {"forward", "derivative", "domain", "tol"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise DeclarationError(f"certify_custom_rule: unknown option(s) {', '.join(unknown)}; "
                               f"the options of a Derivative are {', '.join(sorted(known))}")
    wrt, order = options.get("wrt", 0), options.get("order", 1)

    def derivative(*args):
        f = rule_fn
        for _ in range(order):
            f = jax.jacrev(f, argnums=wrt)
        return f(*args)

    derivative.__name__ = derivative.__qualname__ = f"jacrev({getattr(rule_fn, '__name__', 'rule')})"
    return CustomRuleDerivative(forward=primal_fn, derivative=derivative, domain=domain, tol=tol, rule=rule_fn,
                                **options)


def custom_gradient_claim(id, statement, sources, rule_fn, primal_fn, domain, tol, *, kind=Kind.GRADIENT,
                          verdict=Verdict.HOLDS, note="", derivation=None, **options):
    """A :class:`Claim` that ``rule_fn``'s custom derivative is the derivative of ``primal_fn`` (see the module doc).

    Args:
      id, statement, sources, kind, verdict, note: as for :class:`Claim` (a gradient that holds, by default).
      rule_fn, primal_fn, domain, tol: as for :func:`certify_custom_rule`.
      derivation: as for :class:`Claim` (default: ``rule_fn``).
      options: any option of :func:`certify_custom_rule` (``wrt``, ``order``, ``cond``, ``resolution``,
        ``referee``, ``forward_mp``) and any other :class:`Claim` option (``reconstructed``, ...).
    """
    claim_fields = {f.name for f in dataclasses.fields(Claim)}
    claim_kw = {k: options.pop(k) for k in list(options) if k in claim_fields}
    check = certify_custom_rule(rule_fn, primal_fn, domain, tol, **options)
    return Claim(id=id, statement=statement, sources=sources, kind=kind, verdict=verdict, check=check,
                 derivation=derivation or rule_fn, note=note, **claim_kw)
