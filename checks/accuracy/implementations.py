"""The rows and columns of the accuracy table: each function, its points, its referee, its implementations.

Columns, side by side on the same points:

* ``ours``: the stable form in ``derivations/`` (for a derivative row: the hand-derived derivative);
* ``naive``: the textbook formula, literally;
* ``jax``: what a JAX user calls (``jax.nn`` / ``jax.scipy.special``, or the optax-style composition);
* ``scipy``: ``scipy.special`` (optional: imported lazily, evaluated on the host in the same dtype);
* ``grad(ours)``, ``grad(naive)``, ``grad(jax)`` (derivative rows): ``jax.grad`` of each forward form.

A column's function takes one example (unbatched) and is run as ``jit(vmap(fn))``; a scipy
column takes the whole batch as NumPy arrays.
"""
from __future__ import annotations

import dataclasses
from typing import Callable

import jax
import jax.numpy as jnp
import mpmath
import numpy as np

from derivations import information as it
from derivations import losses as ls
from derivations import sigmoid as sg
from derivations import softmax as sm
from derivations import softplus as splus

from checks.claims import _mp  # the referees

from . import points as pt

COLUMNS = ("ours", "naive", "jax", "scipy", "grad(ours)", "grad(naive)", "grad(jax)")


@dataclasses.dataclass(frozen=True)
class Column:
    fn: Callable
    label: str          # what exactly was evaluated, for the table's legend
    host: bool = False  # a NumPy/SciPy function of the whole batch (not jit(vmap))


@dataclasses.dataclass(frozen=True)
class Function:
    name: str
    points: Callable    # (dtype, n) -> Points
    referee: Callable   # mpmath, one example -> value or list
    columns: dict
    forward: str | None = None  # derivative rows: the forward row whose columns grad(...) differentiates
    note: str = ""
    # where the form ends in a sum that can cancel: the magnitude of its terms, (args, exact) -> array.
    # The row's bound is then on the error relative to the terms, in eps (see ``bounds.py``)
    terms: Callable | None = None

    @property
    def derivative(self) -> bool:
        return self.forward is not None


def _grad(f, label):
    return Column(jax.grad(f), f"jax.grad({label})")


def _scipy(expr: str, build: Callable):
    """A scipy.special column, built on first use (scipy is an optional dependency)."""
    def fn(*args):
        import scipy.special as sp  # ImportError -> "scipy not installed"
        return build(sp, *args)
    return Column(fn, f"scipy.special: {expr}", host=True)


# ---- forward forms a user writes with jax.nn (the optax compositions) -------------------------------
def jax_binary_nll(z, y):
    return -(y * jax.nn.log_sigmoid(z) + (1 - y) * jax.nn.log_sigmoid(-z))  # optax.sigmoid_binary_cross_entropy


def jax_softmax_nll(z, y):
    return -jnp.sum(y * jax.nn.log_softmax(z), axis=-1)  # optax.softmax_cross_entropy


def naive_log_sigmoid(x):
    return jnp.log(1 / (1 + jnp.exp(-x)))


def naive_logit(p):
    return jnp.log(p / (1 - p))


def naive_log_softmax(z):
    return jnp.log(sm.softmax_naive(z))


def naive_entropy(p):
    return -jnp.sum(p * jnp.log(p), axis=-1)


def naive_kl(p, q):
    return jnp.sum(p * jnp.log(p / q), axis=-1)


def _naive_binary_nll_grad(z, y):
    return sg.sigmoid_naive(z) - y


def _naive_softmax_nll_grad(z, y):
    return sm.softmax_naive(z) - y


def _sum_last(a):
    return a.sum(axis=-1)


def lse_terms(args, exact):
    """m + log1p(s): the magnitudes |m| + |lse - m| (they cancel where lse(z) ~ 0 with m < 0)."""
    m = np.max(np.asarray(args[0], np.float64), axis=-1)
    with np.errstate(all="ignore"):
        return np.where(np.isfinite(m), np.abs(m) + np.abs(exact - m), np.abs(exact))


def kl_terms(args, exact):
    """sum_x |p log(p/q)|: the terms have both signs and cancel as p -> q."""
    p, q = (np.asarray(a, np.float64) for a in args)
    with np.errstate(all="ignore"):
        r = p / q
        log_r = np.where((r >= .5) & (r <= 2), np.log1p((p - q) / q), np.log(p) - np.log(q))  # no cancellation
        terms = np.where(p > 0, np.abs(p * log_r), 0.0).sum(axis=-1)
    return np.where(np.isnan(terms), np.abs(exact), terms)


def _kl_columns():
    """The KL rows' columns (two rows: the same forms on different points)."""
    return {
        "ours": Column(it.kl_divergence, "derivations.information.kl_divergence"),
        "naive": Column(naive_kl, "sum(p log(p/q))"),
        "jax": Column(lambda p, q: jnp.sum(jax.scipy.special.rel_entr(p, q), axis=-1),
                      "sum(jax.scipy.special.rel_entr(p, q))"),
        "scipy": _scipy("rel_entr(p, q).sum(-1)", lambda sp, p, q: _sum_last(sp.rel_entr(p, q))),
    }


FUNCTIONS = [
    Function("sigmoid", pt.scalar, _mp.sigmoid, {
        "ours": Column(sg.sigmoid, "derivations.sigmoid.sigmoid"),
        "naive": Column(sg.sigmoid_naive, "1/(1+exp(-x))"),
        "jax": Column(jax.nn.sigmoid, "jax.nn.sigmoid"),
        "scipy": _scipy("expit(x)", lambda sp, x: sp.expit(x)),
    }),
    Function("log_sigmoid", pt.scalar, _mp.log_sigmoid, {
        "ours": Column(splus.log_sigmoid, "derivations.softplus.log_sigmoid"),
        "naive": Column(naive_log_sigmoid, "log(1/(1+exp(-x)))"),
        "jax": Column(jax.nn.log_sigmoid, "jax.nn.log_sigmoid"),
        "scipy": _scipy("log_expit(x)", lambda sp, x: sp.log_expit(x)),
    }),
    Function("softplus", pt.scalar, _mp.softplus, {
        "ours": Column(splus.softplus, "derivations.softplus.softplus"),
        "naive": Column(splus.softplus_naive, "log(1+exp(x))"),
        "jax": Column(jax.nn.softplus, "jax.nn.softplus"),
        "scipy": _scipy("-log_expit(-x) (scipy.special has no softplus)", lambda sp, x: -sp.log_expit(-x)),
    }),
    Function("logit", pt.probabilities, _mp.logit, {
        "ours": Column(sg.logit, "derivations.sigmoid.logit"),
        "naive": Column(naive_logit, "log(p/(1-p))"),
        "jax": Column(jax.scipy.special.logit, "jax.scipy.special.logit"),
        "scipy": _scipy("logit(p)", lambda sp, p: sp.logit(p)),
    }),
    Function("softmax", pt.logits, _mp.softmax, {
        "ours": Column(sm.softmax, "derivations.softmax.softmax"),
        "naive": Column(sm.softmax_naive, "exp(z)/sum(exp(z))"),
        "jax": Column(jax.nn.softmax, "jax.nn.softmax"),
        "scipy": _scipy("softmax(z, axis=-1)", lambda sp, z: sp.softmax(z, axis=-1)),
    }),
    Function("log_softmax", pt.logits, _mp.log_softmax, {
        "ours": Column(sm.log_softmax, "derivations.softmax.log_softmax"),
        "naive": Column(naive_log_softmax, "log(exp(z)/sum(exp(z)))"),
        "jax": Column(jax.nn.log_softmax, "jax.nn.log_softmax"),
        "scipy": _scipy("log_softmax(z, axis=-1)", lambda sp, z: sp.log_softmax(z, axis=-1)),
    }),
    Function("logsumexp", pt.logits, _mp.logsumexp, {
        "ours": Column(sm.logsumexp, "derivations.softmax.logsumexp"),
        "naive": Column(sm.logsumexp_naive, "log(sum(exp(z)))"),
        "jax": Column(jax.nn.logsumexp, "jax.nn.logsumexp"),
        "scipy": _scipy("logsumexp(z, axis=-1)", lambda sp, z: sp.logsumexp(z, axis=-1)),
    }, terms=lse_terms, note="m + log(1 + s) cancels where lse(z) ~ 0 with max z < 0"),
    Function("binary_cross_entropy", pt.with_label, _mp.binary_nll, {
        "ours": Column(ls.binary_nll, "derivations.losses.binary_nll"),
        "naive": Column(ls.binary_nll_naive, "-(y log s + (1-y) log(1-s)), s = 1/(1+exp(-z))"),
        "jax": Column(jax_binary_nll, "-(y log_sigmoid(z) + (1-y) log_sigmoid(-z)) (optax)"),
        "scipy": _scipy("-(y log_expit(z) + (1-y) log_expit(-z))",
                        lambda sp, z, y: -(y * sp.log_expit(z) + (1 - y) * sp.log_expit(-z))),
    }, note="labels y in {0, 1}"),
    Function("softmax_cross_entropy", pt.logits_with_class, _mp.softmax_nll, {
        "ours": Column(ls.softmax_nll, "derivations.losses.softmax_nll"),
        "naive": Column(ls.softmax_nll_naive, "-sum(y log(exp(z)/sum(exp(z))))"),
        "jax": Column(jax_softmax_nll, "-sum(y * jax.nn.log_softmax(z)) (optax)"),
        "scipy": _scipy("-sum(y * log_softmax(z))", lambda sp, z, y: -(y * sp.log_softmax(z, axis=-1)).sum(-1)),
    }, note="one-hot labels"),
    Function("entropy", pt.distributions, _mp.entropy, {
        "ours": Column(it.entropy, "derivations.information.entropy"),
        "naive": Column(naive_entropy, "-sum(p log p)"),
        "jax": Column(lambda p: jnp.sum(jax.scipy.special.entr(p), axis=-1), "sum(jax.scipy.special.entr(p))"),
        "scipy": _scipy("entr(p).sum(-1)", lambda sp, p: _sum_last(sp.entr(p))),
    }, note="0 log 0 = 0"),
    Function("kl_divergence", pt.distribution_pairs, _mp.kl, _kl_columns(), terms=kl_terms,
             note="0 log(0/q) = 0; families away from p = q"),
    Function("kl_divergence_near_equal", pt.near_pairs, _mp.kl, _kl_columns(), terms=kl_terms,
             note="p -> q: terms of size |p - q| cancel to |p - q|^2"),
    # ---- derivatives: the hand derivation against jax.grad of each forward form ----------------------
    Function("sigmoid_grad", pt.scalar, _mp.sigmoid_grad, {
        "ours": Column(sg.sigmoid_grad, "derivations.sigmoid.sigmoid_grad: s(x) s(-x)"),
        "naive": Column(sg.sigmoid_grad_as_written, "s (1 - s) as written"),
        "grad(ours)": _grad(sg.sigmoid, "derivations.sigmoid.sigmoid"),
        "grad(naive)": _grad(sg.sigmoid_naive, "1/(1+exp(-x))"),
        "grad(jax)": _grad(jax.nn.sigmoid, "jax.nn.sigmoid"),
    }, forward="sigmoid"),
    Function("softplus_grad", pt.scalar, _mp.sigmoid, {
        "ours": Column(splus.softplus_grad, "derivations.softplus.softplus_grad (= sigmoid)"),
        "naive": Column(sg.sigmoid_second_form, "exp(x)/(1+exp(x)) as written (002)"),
        "grad(ours)": _grad(splus.softplus, "derivations.softplus.softplus"),
        "grad(naive)": _grad(splus.softplus_naive, "log(1+exp(x))"),
        "grad(jax)": _grad(jax.nn.softplus, "jax.nn.softplus"),
    }, forward="softplus"),
    Function("binary_nll_grad", pt.with_label, _mp.binary_nll_grad, {
        "ours": Column(ls.binary_nll_grad, "derivations.losses.binary_nll_grad"),
        "naive": Column(_naive_binary_nll_grad, "s - y, s = 1/(1+exp(-z))"),
        "grad(ours)": _grad(ls.binary_nll, "derivations.losses.binary_nll"),
        "grad(naive)": _grad(ls.binary_nll_naive, "derivations.losses.binary_nll_naive"),
        "grad(jax)": _grad(jax_binary_nll, "optax-style BCE"),
    }, forward="binary_cross_entropy", note="labels y in {0, 1}"),
    Function("softmax_nll_grad", pt.logits_with_class, _mp.softmax_nll_grad, {
        "ours": Column(ls.softmax_nll_grad, "derivations.losses.softmax_nll_grad"),
        "naive": Column(_naive_softmax_nll_grad, "exp(z)/sum(exp(z)) - y"),
        "grad(ours)": _grad(ls.softmax_nll, "derivations.losses.softmax_nll"),
        "grad(naive)": _grad(ls.softmax_nll_naive, "derivations.losses.softmax_nll_naive"),
        "grad(jax)": _grad(jax_softmax_nll, "optax-style softmax CE"),
    }, forward="softmax_cross_entropy", note="one-hot labels"),
]

BY_NAME = {f.name: f for f in FUNCTIONS}


# ---- the backend's own primitives, measured the same way: the budget every bound above counts -------
def _positive(dtype, n):
    m = pt.magnitudes(dtype, n)
    return pt.build("x", np.concatenate([np.array([0.0, np.inf], dtype), m]), dtype)


def _above_minus_one(dtype, n):
    m = pt.magnitudes(dtype, n // 2)
    return pt.build("x", np.concatenate([m, -m[m < 1], np.array([-1.0, 0.0, np.inf], dtype)]), dtype)


def _primitive(name, points, referee, jfn, nfn):
    return Function(name, points, referee, {"jax": Column(jfn, f"jax.numpy.{name} (XLA)"),
                                            "numpy": Column(nfn, f"numpy.{name} (host libm)", host=True)})


PRIMITIVES = [
    _primitive("exp", pt.scalar, lambda x: mpmath.exp(x), jnp.exp, np.exp),
    _primitive("log", _positive, lambda x: mpmath.log(x), jnp.log, np.log),
    _primitive("log1p", _above_minus_one, lambda x: mpmath.log1p(x), jnp.log1p, np.log1p),
    _primitive("expm1", pt.scalar, lambda x: mpmath.expm1(x), jnp.expm1, np.expm1),
]
