"""Claims about the linear layer of multi-class logistic regression (001): the shape of w x + b."""
from __future__ import annotations

import math

import numpy as np

from derivations import linear_layer as ll

from checks.engine import Claim, Custom, Kind, Source, Verdict
from checks.engine.platform import configure
from checks.engine.outcomes import evidence, outcome

from ._shapes import shape_check
from ._sources import DOC001

MC001 = "Logistic Regression as Probability Model; Multi-Class Classification"
B001 = "Logistic Regression as Probability Model; Binary Classification"
# (K, d) pairs, smallest first: K >= 2 classes, d >= 1 features; K = d included (shapes agree, values do not)
SHAPES = sorted(((k, d) for k in range(2, 7) for d in range(1, 7)), key=lambda p: (p[0] + p[1], p[0]))


def _shape(f, k, d, dtype):
    """The output shape of f(w, x, b) for w (K, d), x (d,), b (K,) by abstract evaluation, or the error it raises."""
    jax = configure()
    spec = [jax.ShapeDtypeStruct(s, dtype) for s in ((k, d), (d,), (k,))]
    try:
        return tuple(jax.eval_shape(f, *spec).shape), ""
    except (TypeError, ValueError) as e:
        return None, str(e).splitlines()[0][:120]


def _per_class(w, x, b):
    """z_k = sum_j w_kj x_j + b_k, each an exactly rounded sum in float64 (math.fsum)."""
    return np.array([math.fsum([*(float(a) * float(c) for a, c in zip(row, x)), float(bk)]) for row, bk in zip(w, b)])


def _values(f, dtype, rng, k, d, draws=64):
    """Worst error of f(w, x, b) against the per-class dot products, in eps relative to sum_j |w_kj x_j| + |b_k|."""
    jax = configure()
    w, x, b = (rng.standard_normal((draws,) + s).astype(dtype) for s in ((k, d), (d,), (k,)))
    z = np.asarray(jax.jit(jax.vmap(f))(w, x, b), np.float64)
    ref = np.stack([_per_class(*a) for a in zip(w, x, b)])
    scale = np.abs(w.astype(np.float64) * x[:, None, :]).sum(-1) + np.abs(b)
    return float(np.max(np.abs(z - ref) / scale) / np.finfo(dtype).eps)


def _run(f):
    """Shapes over every (K, d) and values against the per-class dot products; certified iff all is right."""
    def run(dtype, budget):
        rng = np.random.default_rng(7)
        # d <= 6 products, d - 1 additions and + b: 2d roundings of 1/2 eps, relative to sum_j |w_kj x_j| + |b_k|
        tol = 6.0
        bad_shape, worst, valued = [], 0.0, 0
        for k, d in SHAPES:
            shape, err = _shape(f, k, d, dtype)
            if shape != (k,):
                bad_shape.append((k, d, shape, err))
                continue
            e = _values(f, dtype, rng, k, d)
            valued += 64
            worst = max(worst, e)
            if e > tol:
                bad_shape.append((k, d, shape, f"values off by {e:.3g} eps"))
        ev = [evidence("z has shape (K,) and the right values, for w (K, d), x (d,), b (K,)", dtype, points=len(SHAPES),
                       max_error=float(len(bad_shape)), tolerance=None,
                       note="(K, d) in [2, 6] x [1, 6]; failures counted (shape error, or values off)"),
              evidence("values against per-class dot products (math.fsum)", dtype, points=valued,
                       max_error=worst, tolerance=tol, note="where the shape was right; eps relative to the terms")]
        if not bad_shape:
            return outcome(dtype, True, evidence=ev)
        k, d, shape, err = bad_shape[0]
        return outcome(dtype, False, evidence=ev,
                       message=f"{len(bad_shape)} of {len(SHAPES)} (K, d) pairs fail; first K={k}, d={d}: {err or shape}",
                       counterexample={"args": [k, d], "names": ["K", "d"], "dtype": dtype, "shape": shape, "error": err})

    return run


CLAIMS = [
    Claim(
        id="multiclass.linear-layer-shape",
        statement=r"w \in \mathbb{R}^{K \times d},\ x_i \in \mathbb{R}^d,\ b \in \mathbb{R}^K:\quad "
                  r"z_i = w x_i + b \in \mathbb{R}^K,\ z_{ik} = \textstyle\sum_{j=1}^d w_{kj} x_{ij} + b_k",
        sources=(Source(DOC001, MC001, r"Output of Linear Layer: $z_i = w^Tx_i + b \in \mathbb{R}^K$"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.ERRATUM,
        as_written=r"z_i = w^T x_i + b \in \mathbb{R}^K \text{ with } w \in \mathbb{R}^{K \times d}",
        as_written_check=Custom(run=_run(ll.linear_layer_as_written), description=(
            "w^T x + b for w (K, d), x (d,), b (K,) over (K, d) in [2, 6] x [1, 6], smallest first: abstract "
            "evaluation (jax.eval_shape) raises a shape error for K != d; for K = d the values differ from the "
            "per-class dot products (w not symmetric)")),
        check=Custom(run=_run(ll.linear_layer), description=(
            "w x + b over the same (K, d): shape (K,) by jax.eval_shape, and values on 64 random (w, x, b) each "
            "against the per-class dot products sum_j w_kj x_j + b_k (math.fsum)")),
        derivation=ll.linear_layer,
        note="Transposed weight: with w in R^{K x d}, w^T x_i is undefined for K != d (shrunk counterexample K = 2, "
             "d = 1 in the smallest-first order; any K != d) and, for K = d, uses column k of w for class k. The "
             "document carries w^T over from the binary section, where w is a vector; the correction is z_i = w x_i + b "
             "(equivalently w^T x_i with w in R^{d x K}).",
    ),
    Claim(
        id="binary.linear-term-scalar",
        statement=r"w, x_i \in \mathbb{R}^d \Rightarrow w^T x_i = \textstyle\sum_{j=1}^d w_j x_{ij} \in \mathbb{R},\ "
                  r"\text{so } z_i = w^T x_i + b \in \mathbb{R}",
        sources=(Source(DOC001, B001, r"since we know that $w^Tx_i \in \mathbb{R}$"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=ll.binary_logit_term,
        check=Custom(run=shape_check(ll.binary_logit_term, [(d, ((d,), (d,)), ()) for d in range(1, 9)],
                                     "w^T x for w, x of shape (d,): a real scalar, shape ()"),
                     description="jax.eval_shape of w^T x for w, x in R^d, d = 1..8: shape () and the input's real dtype"),
        note="In the binary section w is a vector, so w^T x_i is an inner product, a scalar; the multi-class section "
             "reuses w^T with a matrix w (multiclass.linear-layer-shape).",
    ),
]
