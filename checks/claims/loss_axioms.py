"""Claims about the three intuitive properties of a loss (002, "Intuitive properties of cross-entropy").

The properties are statements about real numbers. They are certified twice: in the dtype on a
large sweep (where rounding can only merge values, so orderings are checked non-strictly and
every merge is counted), and exactly in mpmath at 5000 bits on the hardest triples of the
sweep (adjacent floats, underflowed squares), where the strict forms must hold.
"""
from __future__ import annotations

import marshal

import jax.numpy as jnp
import numpy as np
from mpmath import mp

from derivations import loss_axioms as la

from checks.engine import Args, Claim, Custom, Inequality, Kind, Real, Source, Tol, Verdict
from checks.engine.exact import cache
from checks.engine.platform import configure
from checks.engine.outcomes import evidence, outcome

from ._sources import DOC002

SECTION = "Intuitive properties of cross-entropy"
EXACT_POINTS = 160  # triples refereed in mpmath per dtype


def _triples(dtype, n, lo, hi, target, rng):
    """(x_T, x1, x2): x_T fixed or swept; x2 random, adjacent to x1 (away from x_T), or x1's mirror image."""
    sweep = Real(lo=lo, hi=hi, open_lo=lo == 0.0).sweep
    x1 = rng.permutation(sweep(dtype, n, 1, rng))
    m = x1.size
    xt = np.full(m, target, dtype) if target is not None else rng.permutation(Real().sweep(dtype, m, 1, rng))[:m]
    if xt.size < m:
        xt = np.resize(xt, m)
    with np.errstate(over="ignore"):  # steps past the largest float become inf: dropped below
        away = np.nextafter(x1, np.where(x1 >= xt, np.array(np.inf, dtype), np.array(-np.inf, dtype)))
        mirror = (2 * xt.astype(np.float64) - x1).astype(dtype)
    x2 = np.where(np.arange(m) % 3 == 0, rng.permutation(x1), np.where(np.arange(m) % 3 == 1, away, mirror))
    keep = (x2 >= (lo if lo is not None else -np.inf)) & (x2 <= (hi if hi is not None else np.inf)) & np.isfinite(x2)
    return xt[keep], x1[keep], x2[keep]


def _violations(loss_mp, xt, x1, x2):
    """The triples (positions) at which ``loss_mp`` breaks a strict property 1-3, in mpmath."""
    bad = []
    with mp.workprec(5000):  # exact for differences and squares of any two binary64 floats
        for j, triple in enumerate(zip(xt, x1, x2)):
            t, a, b = (mp.mpf(float(v)) for v in triple)
            ok1 = loss_mp(t, t) == 0
            ok2 = a == t or loss_mp(a, t) > 0
            ok3 = not abs(b - t) > abs(a - t) or loss_mp(b, t) > loss_mp(a, t)
            if not (ok1 and ok2 and ok3):
                bad.append(j)
    return bad


def axioms(loss, loss_mp, lo=None, hi=None, target=None):
    """A Custom check of properties 1-3 for ``loss(x, x_T)`` on x in [lo, hi] (x_T = ``target``, or swept)."""
    def run(dtype, budget):
        jax = configure()
        rng = np.random.default_rng(2)
        xt, x1, x2 = _triples(dtype, min(budget.points, 20_000), lo, hi, target, rng)

        def flags(t, a, b):
            lt, l1, l2 = loss(t, t), loss(a, t), loss(b, t)
            d1, d2 = jnp.abs(a - t), jnp.abs(b - t)
            return {"p1": lt == 0, "p2": (a == t) | (l1 >= 0), "p3": ~(d2 > d1) | (l2 >= l1),
                    "merged2": (a != t) & (l1 == 0), "merged3": (d2 > d1) & (l2 == l1)}

        f = {k: np.asarray(v) for k, v in jax.jit(jax.vmap(flags))(xt, x1, x2).items()}
        float_ok = f["p1"] & f["p2"] & f["p3"]
        # the exact check: every point where rounding merged two values, then an even spread of the rest
        hard = np.flatnonzero(f["merged2"] | f["merged3"])
        pick = np.unique(np.concatenate([hard[:EXACT_POINTS // 2],
                                         np.linspace(0, xt.size - 1, EXACT_POINTS // 2).astype(int)]))
        triples = [xt[pick], x1[pick], x2[pick]]
        exact_bad = [int(pick[j]) for j in cache.computed(loss_mp, triples, lambda: _violations(loss_mp, *triples),
                                                          "loss-axioms", marshal.dumps(_violations.__code__).hex())]
        ev = [evidence("float: properties 1-3 (orders non-strict)", dtype, points=xt.size,
                       max_error=float((~float_ok).sum()), tolerance=None,
                       note=f"rounding merged x != x_T to loss 0 at {int(f['merged2'].sum())} points and "
                            f"two ordered distances to one loss at {int(f['merged3'].sum())}"),
              evidence("mpmath 5000 bits: properties 1-3 strict", dtype, points=pick.size,
                       max_error=float(len(exact_bad)), tolerance=None,
                       note=f"{min(hard.size, EXACT_POINTS // 2)} of the refereed triples are rounding merges")]
        bad = np.concatenate([np.flatnonzero(~float_ok), np.asarray(exact_bad, int)])
        if bad.size:
            i = int(bad[0])
            return outcome(dtype, False, evidence=ev, message=f"{bad.size} triples violate a property",
                           counterexample={"args": [float(xt[i]), float(x1[i]), float(x2[i])], "dtype": dtype,
                                           "names": ["x_T", "x1", "x2"]})
        return outcome(dtype, True, evidence=ev)

    return run


def _as_written_property1(dtype, budget):
    """Property 1 for the printed losses l(x) = x and x^2: l(x_T) = 0 over a sweep of x_T; the document's x_T = 1 first."""
    jax = configure()
    xt = np.concatenate([np.ones(1, dtype), Real().sweep(dtype, min(budget.points, 20_000), 1, np.random.default_rng(3))])
    at_target = jax.jit(jax.vmap(lambda t: jnp.stack([la.linear_as_written(t, t), la.quadratic_as_written(t, t)])))
    vals = np.asarray(at_target(xt))
    bad = np.flatnonzero(np.any(vals != 0, axis=1))
    ev = evidence("l(x_T) = 0 for l(x) = x, x^2", dtype, points=xt.size, max_error=float(bad.size), tolerance=None,
                  note=f"violated at {bad.size} of {xt.size} targets; at x_T = 1: l(1) = {vals[0].tolist()}")
    if not bad.size:
        return outcome(dtype, True, evidence=[ev])
    return outcome(dtype, False, evidence=[ev], message="property 1 fails",
                   counterexample={"args": [float(xt[bad[0]])], "dtype": dtype, "names": ["x_T"],
                                   "values": {"x": float(vals[bad[0], 0]), "x^2": float(vals[bad[0], 1])}})


def _confident_wrong(x, m):
    r"""Lower and upper sides of |x - 1| <= 1, (x - 1)^2 <= 1 and M <= -log(x e^{-M}) for x in [0, 1], M >= 0."""
    return (jnp.stack([la.absolute_loss(x, 1.0), la.squared_loss(x, 1.0), m]),
            jnp.stack([jnp.ones_like(x), jnp.ones_like(x), la.neg_log_loss(x * jnp.exp(-m))]))


def _neg_log_at_zero(dtype, budget):
    """-log 0 = inf in the dtype; the largest finite loss; what inf does to a gradient and to 0 * log 0."""
    jax = configure()
    zero = jnp.zeros((), dtype)
    tiny = jnp.asarray(np.finfo(dtype).tiny, dtype)
    at_zero = float(jax.jit(la.neg_log_loss)(zero))
    largest = float(jax.jit(la.neg_log_loss)(tiny))
    grad0 = float(jax.jit(jax.grad(la.neg_log_loss))(zero))
    naive_zero_label = float(jax.jit(lambda p: -(0 * jnp.log(p)))(zero))
    ok = at_zero == np.inf and np.isfinite(largest) and grad0 == -np.inf and np.isnan(naive_zero_label)
    ev = [evidence("-log(0)", dtype, points=1, max_error=0.0 if at_zero == np.inf else np.inf, tolerance=None,
                   note=f"= {at_zero}: a true label 1 predicted 0 costs an infinite loss"),
          evidence("what the dtype does with it", dtype, points=3, max_error=0.0 if ok else np.inf, tolerance=None,
                   note=f"largest finite loss -log(tiny) = {largest:.6g}; d/dx(-log x) at 0 = {grad0}; "
                        f"naive -0*log(0) for a label 0 = {naive_zero_label}")]
    return outcome(dtype, ok, evidence=ev,
                   message="" if ok else "the dtype's -log at 0 is not +inf (or its consequences differ)")


def _stretched(x):
    """g(x) = x (x >= 0), 2x (x < 0): strictly increasing, so d(x, y) = |g(x) - g(y)| is a metric."""
    return jnp.where(x >= 0, x, 2 * x)


def _stretched_metric_loss(x, x_t):
    return jnp.abs(_stretched(x_t) - _stretched(x))


def _metric_losses(dtype, budget):
    """Properties 1-3 for d(x_T, x) = |x - x_T|; for the metric |g(x_T) - g(x)|, 1 and 2 hold but 3 fails."""
    jax = configure()
    good = axioms(la.absolute_loss, lambda x, t: abs(x - t))(dtype, budget)
    for e in good.evidence:
        e.oracle = f"d = |x - y|: {e.oracle}"
    grid = (np.arange(-128, 129) / 64).astype(dtype)  # exact in both dtypes: g and the distances are exact
    xt, x = (a.ravel() for a in np.meshgrid(grid, grid, indexing="ij"))
    at = jax.jit(jax.vmap(_stretched_metric_loss))
    loss = np.asarray(at(x, xt))
    p12_bad = int(((xt == x) & (loss != 0)).sum() + ((xt != x) & ~(loss > 0)).sum())
    # property 3 at x_T = 0: pairs (x1, x2) with |x2| > |x1| but l(x2) <= l(x1)
    l0 = np.asarray(at(grid, np.zeros_like(grid)))
    p3_bad = (np.abs(grid)[None, :] > np.abs(grid)[:, None]) & (l0[None, :] <= l0[:, None])
    doc = np.asarray(at(np.array([-0.6, 1.0], dtype), np.zeros(2, dtype)))
    ok = good.status == "certified" and p12_bad == 0 and p3_bad.any() and doc[0] > doc[1]
    ev = good.evidence + [
        evidence("d = |g(x) - g(y)|: properties 1-2 (x, x_T on a grid over [-2, 2])", dtype, points=x.size,
                 max_error=float(p12_bad), tolerance=None, note="violations: a count, must be 0"),
        evidence("witness: d = |g(x) - g(y)| breaks property 3 at x_T = 0", dtype, points=p3_bad.size,
                 max_error=float(p3_bad.sum()), tolerance=None,
                 note=f"ordered pairs violating it (must be > 0); l(-0.6) = {doc[0]:.6g} > l(1) = {doc[1]:.6g}, "
                      f"though |-0.6| < |1|")]
    msg = "" if ok else (good.message or "the stretched metric did not behave as claimed (1-2 hold, 3 fails)")
    return outcome(dtype, ok, evidence=ev, message=msg,
                   counterexample=good.counterexample)


CLAIMS = [
    Claim(
        id="loss-axioms.definition",
        statement=r"l_{x_T}(x_T) = 0;\quad x \ne x_T \Rightarrow l_{x_T}(x) > 0;\quad "
                  r"|x_2 - x_T| > |x_1 - x_T| \Rightarrow l_{x_T}(x_2) > l_{x_T}(x_1)",
        sources=(Source(DOC002, SECTION, "What kind of intuitive properties would we like our loss function to have?"),),
        kind=Kind.DEFINITION, verdict=Verdict.DEFINITION,
        note="The three properties asked of a loss; the following claims check candidate losses against them.",
    ),
    Claim(
        id="loss-axioms.linear-quadratic",
        statement=r"l_{x_T}(x) = |x - x_T| \text{ and } l_{x_T}(x) = (x - x_T)^2 \text{ satisfy properties 1-3}",
        sources=(Source(DOC002, SECTION,
                        "For example the linear $$ l_{x_T}(x)=x$$ or the quadratic $$ l_{x_T}(x) = x^2$$ loss do."),),
        kind=Kind.INEQUALITY, verdict=Verdict.ERRATUM,
        as_written=r"l_{x_T}(x) = x \text{ and } l_{x_T}(x) = x^2 \text{ satisfy properties 1-3}",
        as_written_check=Custom(run=_as_written_property1, description=(
            "property 1, l(x_T) = 0, for the printed l(x) = x and l(x) = x^2 at x_T = 1 and over a sweep of x_T")),
        check=Custom(
            run=lambda dtype, budget: _both_distance_losses(dtype, budget),  # defined below the registry
            description="properties 1-3 for |x - x_T| and (x - x_T)^2 on triples (x_T, x1, x2) over every magnitude: "
                        "in the dtype (orders non-strict, merges counted) and exactly in mpmath (strict)"),
        derivation=la.absolute_loss,
        note="As written, l(x) = x and x^2 do not depend on x_T: at x_T = 1 (the document's own plot) l(1) = 1, so "
             "property 1 fails (and x < 0 gives l < 0 for the linear one). Meant are the distances to the target, "
             "|x - x_T| and (x - x_T)^2, which satisfy all three. In the dtype a square may underflow to 0 for "
             "x != x_T and two distances may round to one loss: counted, and each such triple refereed exactly.",
    ),
    Claim(
        id="loss-axioms.neg-log",
        statement=r"l_1(x) = -\log x \text{ satisfies properties 1-3 for } x \in (0, 1],\ x_T = 1",
        sources=(
            Source(DOC002, SECTION, "This is where the $$-log(x)$$ function excels"),
            Source(DOC002, SECTION, "There are a lot of functions which satisfy these properties besides cross-entropy"),
        ),
        kind=Kind.INEQUALITY, verdict=Verdict.IMPRECISE,
        condition=r"x \in (0, 1] \text{ (a probability of the true class, } x_T = 1\text{): for } x > 1,\ -\log x < 0 "
                  r"\text{ breaks property 2, and } -\log \text{ is undefined for } x \le 0",
        check=Custom(
            run=axioms(lambda x, t: la.neg_log_loss(x), lambda x, t: -mp.log(x), lo=0.0, hi=1.0, target=1.0),
            description="properties 1-3 of -log x with x_T = 1 on pairs x1, x2 in (0, 1] over every magnitude (adjacent "
                        "floats included): in the dtype (orders non-strict, merges counted) and exactly in mpmath (strict)"),
        derivation=la.neg_log_loss,
        note="Cross-entropy with a one-hot target reduces to -log of the probability of the true class; the properties "
             "are asked of l: R -> [0, inf), which -log x is only on (0, 1].",
    ),
    Claim(
        id="loss-axioms.neg-log-zero",
        statement=r"-\log 0 = +\infty, \qquad \lim_{x \to 0^+} -\log x = +\infty",
        sources=(Source(DOC002, SECTION, "if you predict zero for a true label of one, your loss will be infinite"),),
        kind=Kind.LIMIT, verdict=Verdict.HOLDS,
        check=Custom(run=_neg_log_at_zero, description=(
            "in the dtype: -log(0) = +inf; -log(tiny) finite (the largest finite loss); the gradient -1/x at 0 is "
            "-inf and the naive label-0 term -0 * log 0 is nan")),
        derivation=la.neg_log_loss,
        note="'In reality our systems do not handle extremely large values well': the evidence shows it: the largest "
             "finite loss is -log(tiny) (87.3 in float32, 708.4 in float64 where subnormals are flushed), at 0 the "
             "loss is inf, its gradient -inf, and 0 * log 0 = nan (hence xlogy).",
    ),
    Claim(
        id="loss-axioms.confident-wrong",
        statement=r"x \in [0, 1]:\ |x - 1| \le 1,\ (x - 1)^2 \le 1, \text{ while } -\log x \ge M \text{ for } x \le e^{-M}\ (\forall M \ge 0)",
        sources=(Source(DOC002, SECTION, "we would like to strongly punish confident but wrong predictions"),),
        kind=Kind.LIMIT, verdict=Verdict.HOLDS,
        check=Inequality.of(_confident_wrong,
            domain=Args(Real(0.0, 1.0), Real(0.0, 87.0)),
            # e^{-M} and the product each round once; -log then misses M by <= 2u absolute (+ u M relative)
            tol=Tol(4, "exp and product round once each: -log(x e^-M) >= M - 2u - uM; floor 1", absolute=True),
        ),
        derivation=la.neg_log_loss,
        note="On the interval [0, 1] the distance losses are bounded by 1 while -log x exceeds every bound M once "
             "x <= e^{-M} (M <= 87 keeps e^{-M} a normal float32; x = 0 gives +inf). So a confident wrong "
             "prediction (x -> 0 for a true 1) costs without limit under -log, at most 1 under the others.",
    ),
    Claim(
        id="loss-axioms.metric-as-loss",
        statement=r"l_{x_T}(x) = d(x_T, x) \text{ for a metric } d \text{ satisfies properties 1 and 2; property 3 holds for "
                  r"} d(x, y) = |x - y| \text{ but not for every metric: } g(x) = x\ (x \ge 0),\ 2x\ (x < 0),\ "
                  r"d(x, y) = |g(x) - g(y)|,\ x_T = 0:\ l(-0.6) = 1.2 > l(1) = 1",
        sources=(Source(DOC002, SECTION, "Note that this is similar to a distance function where we fix one input to be"),),
        kind=Kind.INEQUALITY, verdict=Verdict.IMPRECISE,
        condition=r"Properties 1 and 2 are the metric axioms d(x, x) = 0 and d(x, y) > 0 for x \ne y. Property 3 "
                  r"(monotone in |x - x_T|) needs more: it holds when d(x, y) = h(|x - y|) with h strictly increasing "
                  r"(e.g. |x - y|; (x - y)^2, though not a metric, has the same form), not for a general metric on R.",
        check=Custom(run=_metric_losses, description=(
            "properties 1-3 of |x - x_T| on triples over every magnitude (dtype non-strict and mpmath strict); for the "
            "metric |g(x) - g(y)|, g(x) = x (x >= 0), 2x (x < 0): properties 1-2 on a grid of (x, x_T) in [-2, 2], "
            "and the ordered pairs at x_T = 0 that break property 3, with the example l(-0.6) = 1.2 > l(1) = 1")),
        derivation=la.absolute_loss,
        note="A metric is a pullback of |.| under any injective g; a strictly increasing g that stretches one side "
             "(slope 2 for x < 0) keeps d a metric but makes a nearer point on the stretched side cost more than a "
             "farther one on the other. 'Similar to a distance function' is thus right for properties 1-2 only.",
    ),
]


def _both_distance_losses(dtype, budget):
    """Properties 1-3 for |x - x_T| and for (x - x_T)^2: both must hold; evidence of both is kept."""
    outs = [axioms(loss, loss_mp)(dtype, budget) for loss, loss_mp in
            ((la.absolute_loss, lambda x, t: abs(x - t)), (la.squared_loss, lambda x, t: (x - t) ** 2))]
    for name, out in zip(("|x - x_T|", "(x - x_T)^2"), outs):
        for e in out.evidence:
            e.oracle = f"{name}: {e.oracle}"
    failed = [o for o in outs if o.status != "certified"]
    return outcome(dtype, not failed, evidence=[e for o in outs for e in o.evidence],
                   counterexample=failed[0].counterexample if failed else None,
                   message="; ".join(o.message for o in failed))
