r"""Multi-class logistic regression: the softmax likelihood, its negative log and its behaviour.

Sources: ``000_79e3617690f23793.txt`` ("Multi-class Logistic Regression",
"Numerically Stable Softmax"; formulas reconstructed from the prose),
``001_8459e59a248a07da.txt`` ("Logistic Regression as Probability Model;
Multi-Class Classification"), ``002_d52b67203b30a4ab.txt`` ("Generalizing to
multiple classes").

Notation: logits :math:`z \in \mathbb{R}^n` (002 calls them :math:`y`), a
one-hot label ``y`` with true class :math:`t` (002: :math:`z` and :math:`i`),
:math:`s = \mathrm{softmax}(z)`, :math:`\zeta(x) = \log(1 + e^x)` the softplus,
:math:`x_t = \log\sum_{k \ne t} e^{z_k - z_t}` the log-odds against the true
class (:func:`derivations.softmax.log_odds_against`) and
:math:`d_t = z_t - \max_{k \ne t} z_k` its margin.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from .information import cross_entropy
from .numerics import literal
from .sigmoid import sigmoid
from .softmax import log_odds_against, logsumexp, softmax
from .softplus import softplus


def _true(v, y):
    """The true-class entry of ``v`` (``y`` one-hot), ignoring whatever the other entries hold (inf, nan)."""
    return jnp.sum(jnp.where(y == 1, v, 0), axis=-1)


# -- the negative log-likelihood, line by line ------------------------------------------------


def nll_steps(z, y):
    r"""The lines of the one-example NLL derivation, each evaluated literally (a dict, one entry per line).

    001 (per example; the data sum :math:`\sum_i` is :func:`dataset_nll_steps`):

    .. math::
        -\log \prod_k \hat y_k^{y_k}
        \overset{(a)}{=} -\sum_k \log\big(\hat y_k^{y_k}\big)
        \overset{(b)}{=} -\sum_k y_k \log\frac{e^{z_k}}{\sum_{j=1}^K e^{z_j}}
        \overset{(c)}{=} -\sum_k y_k \Big(\log e^{z_k} - \log\sum_{j=1}^K e^{z_j}\Big)
        = -\sum_k y_k \log \hat y_k = H(y, \hat y)

    002 (true class :math:`t`, indicator :math:`\mathbb{1}_{k = t}` = :math:`y_k`):

    .. math::
        -\sum_k \mathbb{1}_{k=t}\log s_k \overset{(p)}{=} -\log s_t
        \overset{(q)}{=} -\log\frac{e^{z_t}}{\sum_k e^{z_k}}
        \overset{(c)}{=} -\log e^{z_t} + \log\sum_k e^{z_k}
        \overset{(e)}{=} -z_t + \log\sum_k e^{z_k}

    (a) log of a product; (b) log of a power, :math:`\log p^{y} = y\log p` (with
    :math:`0 \cdot \log p = 0`), and the softmax substituted; (c) log of a quotient;
    (e) :math:`\log e^{z} = z`; (p) only the true class's term is non-zero; (q) the
    softmax substituted. 000's "plug the softmax into the NLL" is the last line.

    Numerics: these are the literal forms: the products and ratios of
    :math:`e^{z_k}` overflow past :math:`z_k = \log(\text{max})` and the log of an
    underflowed probability is ``-inf``; the checks use them where they are
    representable. :func:`nll` is the form that is accurate everywhere.
    """
    e = jnp.exp(z)
    total = jnp.sum(e, axis=-1, keepdims=True)
    p = e / total
    return {
        "log-product": -jnp.log(jnp.prod(p ** y, axis=-1)),             # -log prod_k p_k^{y_k}  (0^0 = 1)
        "sum-log-powers": -jnp.sum(jnp.log(p ** y), axis=-1),            # (a)
        "y-log-ratio": -jnp.sum(y * jnp.log(p), axis=-1),               # (b)
        # (c), with log e^{z_k} evaluated: XLA would rewrite it to z_k, skipping the step's roundings
        "log-difference": -jnp.sum(y * (jnp.log(literal(e)) - jnp.log(total)), axis=-1),
        "indicator-sum": -jnp.sum(jnp.where(y == 1, jnp.log(p), 0), axis=-1),    # 002's sum of 1_{k=t} log s_k
        "log-true": -jnp.log(_true(p, y)),                               # (p)
        "plugged-in": -_true(z, y) + jnp.log(total[..., 0]),            # (e)
    }


def nll(z, y):
    r"""The NLL accurately for every finite input: :math:`-\log s_t = \zeta(x_t)`, :math:`x_t = \log\sum_{k \ne t} e^{z_k - z_t}`.

    Derivation (the corrected form of 002's ":math:`\zeta(y_i) - y_i`"):

    1. :math:`-\log s_t = \log\sum_k e^{z_k} - z_t = \log\big(1 + \sum_{k \ne t} e^{z_k - z_t}\big)`
       (divide the sum by :math:`e^{z_t}`);
    2. :math:`= \log(1 + e^{x_t}) = \zeta(x_t)`.

    Only for :math:`n = 2` with the other logit 0 is :math:`x_t = -z_t`, and then
    :math:`\zeta(-z_t) = \zeta(z_t) - z_t` (002's form). Since
    :math:`-d_t \le x_t \le \log(n - 1) - d_t`:
    :math:`\zeta(-d_t) \le -\log s_t \le \zeta(\log(n-1) - d_t)`; when the true
    class has the largest logit (:math:`d_t \ge 0`) the loss is in
    :math:`(0, \log n]` and at most :math:`(n-1)e^{-d_t}`: close to 0 only when
    :math:`d_t \gg \log(n - 1)`.

    Numerics: a loss near 0 keeps its relative accuracy (``log1p`` inside
    :func:`~derivations.softplus.softplus`), which :math:`\log\sum_k e^{z_k - m}` cannot (it rounds the
    sum near 1).

    >>> z, y = jnp.array([30.0, 0.0]), jnp.array([1.0, 0.0])
    >>> float(nll(z, y)) > 0  # e^{-30} = 9.4e-14 survives (log1p); log(sum) would round to log(1) = 0 in float32
    True
    """
    return _true(softplus(log_odds_against(z)), y)


def nll_grad_true(z, y):
    r""":math:`-\partial \mathrm{NLL}/\partial z_t = 1 - s_t = \sigma(x_t)`, so :math:`\sigma(-d_t) \le 1 - s_t \le \sigma(\log(n-1) - d_t)`.

    Derivation: :math:`\partial_{z_t}\zeta(x_t) = \sigma(x_t)\,\partial_{z_t} x_t` and
    :math:`\partial_{z_t} x_t = -1` (every term of :math:`x_t` has :math:`-z_t`).
    It is :math:`\ge 1/2` whenever the true class is not strictly the largest
    (:math:`d_t \le 0`): the loss does not saturate on a wrong prediction; it
    vanishes only as the correct margin :math:`d_t \to \infty`.
    """
    return _true(sigmoid(log_odds_against(z)), y)


# -- what the documents wrote, as written ------------------------------------------------------


def nll_as_written_002(z, y):
    r"""002's loss when the true class :math:`t` has the largest logit, as written: :math:`-\log s_t = \zeta(z_t) - z_t`.

    Source: ``002_d52b67203b30a4ab.txt``, "Generalizing to multiple classes" ("then the loss simplifies to
    :math:`\zeta(y_i) - y_i`"). What is wrong: that is the binary loss :math:`\zeta(-z_t)`, the other logit fixed
    to 0; with ``n`` classes the others enter through :math:`\log\sum_{k \ne t} e^{z_k}` (:func:`nll`).

    By hand: at :math:`z = (1, 1)`, :math:`t = 1`: :math:`\zeta(1) - 1 = \log(1 + e) - 1 = 1.3132617 - 1 = 0.3132617`,
    where :math:`-\log s_1 = \log 2 = 0.6931472`:

    >>> round(float(nll_as_written_002(jnp.array([1.0, 1.0]), jnp.array([1.0, 0.0]))), 5)
    0.31326
    """
    zt = _true(z, y)
    return softplus(zt) - zt


def lse_approximation_as_written_002(z):
    r"""002's approximation of :math:`\log\sum_{k=1}^n \exp(y_k)` as written, :math:`\max_k(\exp(x_k))` (with :math:`x` read as :math:`y`).

    Source: ``002_d52b67203b30a4ab.txt``, "Generalizing to multiple classes". What is wrong: the exponential:
    :math:`\max_k z_k \le \log\sum_k e^{z_k} \le \max_k z_k + \log n`, so the approximation is :math:`\max_k z_k`
    (and :math:`x`, the model's input, should be :math:`y`).

    By hand: at :math:`z = (2, 0)`, :math:`\max(e^2, e^0) = e^2 = 7.3890561`, where
    :math:`\log(e^2 + 1) = 2.1269280`:

    >>> round(float(lse_approximation_as_written_002(jnp.array([2.0, 0.0]))), 4)
    7.3891
    """
    return jnp.max(jnp.exp(z), axis=-1)


def softmax_as_written_001(z):
    r"""001's :math:`\mathrm{softmax}(z_k) = \frac{e^{z_k}}{\sum_{j=1}^{k} e^{z_j}}` taken literally: the sum stops at the class index :math:`k`.

    Source: ``001_8459e59a248a07da.txt``, "Logistic Regression as Probability Model; Multi-Class
    Classification" (written so three times). What is wrong: the upper limit is :math:`K`, the number of
    classes; with :math:`k` the first class always gets 1 and the "probabilities" sum to more than 1.

    By hand: at :math:`z = (0, 0)`, :math:`(1/1, 1/(1 + 1)) = (1, 1/2)`, summing to 3/2; at :math:`z = (0, \log 3)`,
    :math:`(1/1, 3/(1 + 3)) = (1, 3/4)`, where the softmax is :math:`(1/4, 3/4)`:

    >>> [float(v) for v in softmax_as_written_001(jnp.zeros(2))]
    [1.0, 0.5]
    >>> [round(float(v), 6) for v in softmax_as_written_001(jnp.log(jnp.array([1.0, 3.0])))]
    [1.0, 0.75]
    """
    e = jnp.exp(z)
    return e / jnp.cumsum(e, axis=-1)


# -- over a data set ----------------------------------------------------------------------------


def dataset_nll_steps(z, y):
    r"""001's data-level lines for logits ``z`` and one-hot labels ``y`` of shape (data points, classes).

    .. math::
        -\log L = -\log\prod_{i=1}^N \prod_{k=1}^K \hat y_{ik}^{y_{ik}}
        \overset{(a)}{=} -\sum_{i=1}^N\sum_{k=1}^K \log \hat y_{ik}^{y_{ik}}
        = -\sum_{i=1}^N\sum_{k=1}^K y_{ik}\log\hat y_{ik} = \sum_{i=1}^N H(y_i, \hat y_i)

    Numerics: the literal likelihood is a product of :math:`N` probabilities and
    underflows to 0 (so :math:`-\log L = \infty`) once :math:`-\log L` exceeds
    :math:`-\log(\text{tiny})` (87.3 in float32, 708.4 in float64): the reason 001
    (and every implementation) takes logs first.
    """
    p = softmax(z)
    return {
        "log-likelihood-product": -jnp.log(jnp.prod(p ** y)),
        "sum-of-log-powers": -jnp.sum(jnp.log(p ** y)),
        "sum-of-cross-entropies": jnp.sum(cross_entropy(y, p)),
    }


# -- gradient descent: do the logit gaps stay bounded? --------------------------------------------


def margins_under_gradient_descent(x, onehot, lr, steps):
    r"""Full-batch gradient descent on the mean softmax cross-entropy of a linear model :math:`z = Wx + b`
    (inputs ``x``: (points, features), one-hot labels ``onehot``: (points, classes)).

    Returns, after each of the ``steps`` steps, the smallest margin
    :math:`\min_i (z_{i,y_i} - \max_{k \ne y_i} z_{ik})`, the largest logit spread
    :math:`\max_i (\max_k z_{ik} - \min_k z_{ik})` and the loss.

    Why the gaps grow: with respect to the logits the gradient is :math:`s - e_t`,
    and a step :math:`-\eta(s - e_t)` changes each gap :math:`z_t - z_j` by
    :math:`\eta\big((1 - s_t) + s_j\big) > 0`: never down. On separable data the
    loss has no minimiser; :math:`W` grows like :math:`\log t` along the max-margin
    direction (Soudry et al. 2018), and with it the margins.
    """
    def logits(params):
        w, b = params
        return x @ w.T + b

    def loss(params):
        z = logits(params)
        return jnp.mean(logsumexp(z) - jnp.sum(onehot * z, axis=-1))  # -log softmax(z)_t, max-shifted

    def step(params, _):
        value, g = jax.value_and_grad(loss)(params)
        params = jax.tree_util.tree_map(lambda p, d: p - lr * d, params, g)
        z = logits(params)
        runner_up = jnp.max(jnp.where(onehot == 1, -jnp.inf, z), axis=-1)
        margin = jnp.min(jnp.sum(onehot * z, axis=-1) - runner_up)
        spread = jnp.max(jnp.max(z, axis=-1) - jnp.min(z, axis=-1))
        return params, (margin, spread, value)

    params = (jnp.zeros((onehot.shape[1], x.shape[1]), x.dtype), jnp.zeros((onehot.shape[1],), x.dtype))
    return jax.lax.scan(step, params, None, length=steps)[1]


# -- 000's gradient of the NLL, line by line -----------------------------------------------------


def nll_grad_chain_rule(z, y):
    r"""Line 2 of 000's gradient: :math:`\frac{d}{dz_i}(-\log a_y) = -\frac{1}{a_y}\frac{\partial a_y}{\partial z_i}
    = -\frac{1}{a_y}\begin{cases} a_i(1 - a_i), & i = y \\ -a_i a_y, & i \ne y \end{cases}`.

    Derivation: the chain rule through :math:`\log` (:math:`d\log u = du/u`), then row :math:`y` of the softmax
    Jacobian (:func:`derivations.softmax.softmax_jacobian`). Dividing out :math:`a_y` gives line 3,
    :math:`a_i - 1` (:math:`i = y`) and :math:`a_i` (:math:`i \ne y`), i.e. :math:`a - y^{(hot)}`
    (:func:`derivations.losses.softmax_nll_grad`).

    Numerics: :math:`1 - a_y` is evaluated as :math:`\sum_{k \ne y} a_k` (no cancellation as :math:`a_y \to 1`).
    The row entry :math:`a_i a_y` is a product of two probabilities: it goes subnormal (and loses its digits) once
    it falls below the smallest normal, e.g. :math:`z = (0, \dots, -20, 34)`, :math:`y = 0` in float32, where
    :math:`a_i a_y \approx 6 \cdot 10^{-39}`; line 3 (:math:`a_i`) has no such product. Accurate for
    :math:`|z_k| \le 20` in float32 (:math:`a_i a_y \ge e^{-80}/n^2`).

    >>> [round(float(v), 4) for v in nll_grad_chain_rule(jnp.zeros(2), jnp.array([1.0, 0.0]))]
    [-0.5, 0.5]
    """
    a = softmax(z)
    a_y = _true(a, y)[..., None]
    rest = jnp.sum(jnp.where(y == 1, 0, a), axis=-1, keepdims=True)  # 1 - a_y, exactly
    jacobian_row = jnp.where(y == 1, a * rest, -a * a_y)  # d a_y / d z_i
    return -jacobian_row / a_y
