r"""Maximum likelihood: the likelihood of an i.i.d. sample, its logarithm, and the Gaussian NLL.

Sources: ``001_8459e59a248a07da.txt`` ("Maximum Likelihood Estimation"),
``002_d52b67203b30a4ab.txt`` ("Basic concepts and notation", bullet "Maximum
Likelihood Estimation"), ``000_79e3617690f23793.txt`` ("Maximum Likelihood", and
the last paragraph of "Multi-class Logistic Regression"; formulas reconstructed
from the prose).

Setting: a model assigns probability :math:`p_\theta(x)` to an outcome; the data
:math:`x_1, \dots, x_n` are drawn i.i.d., so the probability of the sample is
:math:`\prod_i p_\theta(x_i)`. Functions taking per-point probabilities ``p``
reduce over the last axis (the data points); a grid of parameters is a leading axis.

The maximum likelihood estimator is :math:`\hat\theta = \operatorname{argmax}_\theta \prod_i p_\theta(x_i)`.
Because :math:`\log` is strictly increasing on :math:`(0, \infty)`, and
:math:`\log \prod_i p_i = \sum_i \log p_i`, the same :math:`\hat\theta` maximises
:math:`\sum_i \log p_\theta(x_i)` and :math:`\frac1n \sum_i \log p_\theta(x_i) = \mathbb{E}_{x \sim \hat p_{data}} \log p_\theta(x)`,
and minimises the negative log-likelihood.
"""
from __future__ import annotations

import jax.numpy as jnp

from .numerics import literal, log1p
from .sigmoid import sigmoid_naive
from .softplus import softplus


def likelihood(p):
    r""":math:`L = \prod_{i=1}^n p_i`: the likelihood of an i.i.d. sample from its per-point probabilities.

    Numerics: the product of many probabilities underflows. ``n`` fair-coin flips
    give :math:`2^{-n}`, which rounds to 0 from :math:`n = 150` in float32 and
    :math:`n = 1075` in float64 (:math:`n = 127` / :math:`1023` where the backend
    flushes subnormals); the N(0, 1) densities of a standard-normal sample reach 0
    after 65-75 (float32) or 495-525 (float64) points. From there every parameter has likelihood 0 and an argmax
    of it is meaningless: use :func:`log_likelihood`.

    >>> float(likelihood(jnp.array([0.5, 0.5, 0.25])))
    0.0625
    """
    return jnp.prod(p, axis=-1)


def log_likelihood(p):
    r""":math:`\log L = \log \prod_{i=1}^n p_i = \sum_{i=1}^n \log p_i`.

    Derivation: :math:`\log(ab) = \log a + \log b` (``001_…``, "Key Log Rule");
    by induction on ``n`` the log of the product is the sum of the logs.

    Numerics: finite for every ``p_i`` down to the smallest subnormal (each term
    is at least :math:`\log 2^{-1074} \approx -744.4`), so it never underflows where
    :func:`likelihood` does. ``p_i = 0`` gives :math:`-\infty`, correctly.

    >>> round(float(log_likelihood(jnp.full(2000, 0.5))), 1)  # while likelihood() of it is 0.0
    -1386.3
    """
    return jnp.sum(jnp.log(p), axis=-1)


def mean_log_likelihood(p):
    r""":math:`\frac1n \sum_{i=1}^n \log p_i = \mathbb{E}_{x \sim \hat p_{data}} \log p(x)`, with :math:`\hat p_{data}` the empirical distribution.

    Scaling by :math:`\frac1n > 0` leaves the argmax unchanged; the mean is the
    expectation under :math:`\hat p_{data}`, which puts mass :math:`\frac1n` on
    each data point (see :func:`empirical_expectation`). It is *not* the
    expectation under the data-generating :math:`p_{data}`; it tends to it as
    :math:`n \to \infty` (law of large numbers).
    """
    return jnp.mean(jnp.log(p), axis=-1)


def empirical_expectation(values, labels):
    r""":math:`\mathbb{E}_{x \sim \hat p_{data}} f(x) = \sum_j \hat p_{data}(j) f(j)` with :math:`\hat p_{data}(j) = c_j / n`.

    ``values[j]`` is :math:`f(j)` for each of the ``k`` outcomes and ``labels`` the
    ``n`` observed outcomes (integers in ``[0, k)``); :math:`c_j` counts outcome ``j``.

    Derivation: grouping the terms of :math:`\frac1n \sum_{i=1}^n f(x_i)` by
    outcome, outcome ``j`` occurs :math:`c_j` times, so
    :math:`\frac1n \sum_i f(x_i) = \sum_j \frac{c_j}{n} f(j)`.

    Numerics: :math:`0 \cdot f(j)` is 0 for an unobserved outcome (``f(j)`` finite).

    >>> float(empirical_expectation(jnp.array([1.0, 10.0]), jnp.array([0, 0, 1, 0])))
    3.25
    """
    k = values.shape[-1]
    counts = jnp.sum(labels[..., :, None] == jnp.arange(k), axis=-2).astype(values.dtype)
    return jnp.sum(counts / labels.shape[-1] * values, axis=-1)


def bernoulli_pmf(theta, x):
    r""":math:`p_\theta(x) = \theta^x (1 - \theta)^{1-x}` for :math:`x \in \{0, 1\}`.

    Numerics: evaluated as a select, so :math:`0^0 = 1` at :math:`\theta \in \{0, 1\}`
    and no ``0 * log 0`` appears in its log.
    """
    return jnp.where(x == 1, theta, 1 - theta)


def bernoulli_mle(x):
    r"""The closed-form maximiser :math:`\hat\theta = \bar x = \frac1n\sum_i x_i` of :math:`\prod_i \theta^{x_i}(1-\theta)^{1-x_i}`.

    Derivation: with :math:`s = \sum_i x_i`, :math:`\log L(\theta) = s\log\theta + (n - s)\log(1 - \theta)`
    is strictly concave, and :math:`\frac{d}{d\theta}\log L = \frac{s}{\theta} - \frac{n-s}{1-\theta} = 0`
    at :math:`\theta = s/n` (at the end point 0 or 1 when :math:`s \in \{0, n\}`).
    """
    return jnp.mean(x, axis=-1)


def theta_grid(size, dtype):
    r"""The grid :math:`\theta_j = j / G`, :math:`j = 0, \dots, G`, in ``dtype``.

    With ``G`` a multiple of the sample size ``n`` the Bernoulli maximiser
    :math:`s/n` lies on the grid. Numerics: XLA may divide by the constant ``G`` as a
    product with its rounded reciprocal, so the grid point and ``s/n`` agree to 2
    roundings, not always bit for bit.
    """
    return jnp.arange(size + 1, dtype=dtype) / size


def bernoulli_objectives(x, grid):
    r"""Per-point probabilities of the sample ``x`` (shape ``(n,)``) under each :math:`\theta` of ``grid``: shape ``(G + 1, n)``."""
    return bernoulli_pmf(grid[:, None], x[None, :])


def logistic_prob(w, x, y):
    r""":math:`P(y \mid x; w) = \sigma(wx)^y (1 - \sigma(wx))^{1-y} = \sigma((2y - 1) w x)`: a conditional model.

    The textbook sigmoid, as the product :math:`\prod_i P(y_i \mid x_i; w)` would
    be evaluated.
    """
    return sigmoid_naive((2 * y - 1) * w * x)


def logistic_log_prob(w, x, y):
    r""":math:`\log P(y \mid x; w) = -\zeta(-(2y - 1) w x)` with :math:`\zeta` the softplus.

    Numerics: one stable :func:`~derivations.softplus.softplus`, finite for every finite
    ``w x``; for :math:`y \in \{0, 1\}` it is :math:`-` :func:`derivations.losses.binary_nll`
    of the logit :math:`z = wx` bit for bit (the sign flip is exact), at half the cost: that
    one evaluates both terms, as a soft label needs.
    """
    return -softplus(-(2 * y - 1) * w * x)


def gaussian_nll(mu, y, sigma):
    r"""Negative log-likelihood of a Gaussian :math:`\mathcal N(y; \mu, \sigma^2)`: :math:`\frac12\log(2\pi\sigma^2) + \frac{(y - \mu)^2}{2\sigma^2}`.

    The from-scratch forward definition autodiff differentiates: a regression
    model whose output :math:`\hat y = \mu` is the mean of a Gaussian.
    """
    return 0.5 * jnp.log(2 * jnp.pi * sigma ** 2) + (y - mu) ** 2 / (2 * sigma ** 2)


def gaussian_nll_grad_mean(mu, y, sigma):
    r""":math:`\frac{\partial}{\partial\mu}\,\mathrm{NLL} = \frac{\mu - y}{\sigma^2} = \frac{\hat y - y}{\sigma^2}`.

    Derivation, step by step:

    1. :math:`\mathrm{NLL} = \frac12\log(2\pi\sigma^2) + \frac{(y - \mu)^2}{2\sigma^2}`; the first
       term does not depend on :math:`\mu`.
    2. Chain rule: :math:`\frac{\partial}{\partial\mu}(y - \mu)^2 = -2(y - \mu)`.
    3. So :math:`\frac{\partial}{\partial\mu}\mathrm{NLL} = \frac{-2(y - \mu)}{2\sigma^2} = \frac{\mu - y}{\sigma^2}`.

    This is of the form :math:`\hat y - y` (``000_…``, "Multi-class Logistic
    Regression") only for unit variance :math:`\sigma^2 = 1`; for any other fixed
    :math:`\sigma` it is :math:`\hat y - y` scaled by :math:`1/\sigma^2`.

    Numerics: divided by :math:`\sigma` twice, so :math:`\sigma^2` is never formed
    (it would overflow or underflow where the quotient is representable).

    >>> float(gaussian_nll_grad_mean(3.0, 1.0, 2.0))
    0.5
    """
    # XLA's simplifier rewrites (a / b) / c as a / (b * c), which forms sigma^2 again (0/0 = nan for sigma = 1e-20
    # in float32); literal keeps the two divisions
    return literal((mu - y) / sigma) / sigma


def squared_error_half(mu, y):
    r"""Unit-variance Gaussian NLL: :math:`\frac12(\hat y - y)^2 + \frac12\log 2\pi` (the forward definition)."""
    return 0.5 * (y - mu) ** 2 + 0.5 * jnp.log(2 * jnp.pi)


def squared_error_half_grad(mu, y):
    r""":math:`\frac{\partial}{\partial\hat y}\left[\frac12(\hat y - y)^2 + \frac12\log 2\pi\right] = \hat y - y`: :func:`gaussian_nll_grad_mean` at :math:`\sigma = 1`."""
    return mu - y


# -- what the documents wrote, as written ------------------------------------------------------


def cost_as_written_000(p):
    r"""000's step 5 as its original writes it: :math:`J = \prod_{i=1}^m \big(-p_i\big) = (-1)^m \prod_{i=1}^m p_i`.

    Source: ``000_79e3617690f23793.txt``, "Maximum Likelihood" (the formula is lost in its extraction; the
    author's public original of the same notes writes it). What is wrong: the minus sign sits inside the
    product, so it survives only for odd ``m``: for even ``m`` this is the likelihood itself, and its argmin
    is the *worst* parameter. The intended cost is :math:`-\prod_i p_i` (:func:`likelihood`, negated).

    By hand: at :math:`p = (1/2, 1/2)` (m = 2), :math:`(-1/2)(-1/2) = +1/4` where :math:`-\prod_i p_i = -1/4`;
    at :math:`p = (1/2, 1/2, 1/2)` (m = 3), :math:`(-1/2)^3 = -1/8`:

    >>> float(cost_as_written_000(jnp.array([0.5, 0.5]))), float(cost_as_written_000(jnp.array([0.5, 0.5, 0.5])))
    (0.25, -0.125)
    """
    return jnp.prod(-p, axis=-1)


def factorisation_as_written_000(q, y):
    r"""000's factorisation as its original writes it: :math:`p(y_0, \dots, y_m \mid x_0, \dots, x_m) = \prod_{i=1}^m p(y_i \mid x_i)`.

    ``q[i]`` is :math:`p(y_i = 1 \mid x_i)` for the ``m + 1`` independent binary labels :math:`y_0, \dots, y_m`.
    Source: ``000_79e3617690f23793.txt``, "Maximum Likelihood" (the formula is lost in its extraction; the
    author's public original writes it). What is wrong: the product starts at :math:`i = 1`, m factors for
    m + 1 labels, so :math:`p(y_0 \mid x_0)` is dropped; the joint is :func:`independent_joint`, m + 1 factors.

    By hand: at :math:`q = (1/2, 1/4)`, :math:`y = (1, 0)` (m = 1) the product over :math:`i = 1` alone is
    :math:`p(y_1 = 0 \mid x_1) = 1 - 1/4 = 3/4`, where the joint is :math:`1/2 \cdot 3/4 = 3/8`:

    >>> float(factorisation_as_written_000(jnp.array([0.5, 0.25]), jnp.array([1.0, 0.0])))
    0.75
    """
    return likelihood(bernoulli_pmf(q, y)[..., 1:])


def _at_mle(x):
    r"""The per-point Bernoulli probabilities of the sample ``x`` at its maximiser :math:`\hat\theta = s/n`."""
    return bernoulli_pmf(bernoulli_mle(x)[..., None], x)


def mle_as_written_002(x):
    r"""002's estimator as written, :math:`\theta = \operatorname{argmax}_\theta p_\theta(x) = \prod_{i=1}^n p_\theta(x_i)`,
    for the Bernoulli family: the estimate set equal to the likelihood at the maximiser,
    :math:`\prod_i p_{\hat\theta}(x_i)` with :math:`\hat\theta = s/n`.

    Source: ``002_d52b67203b30a4ab.txt``, "Basic concepts and notation" (bullet "Maximum Likelihood
    Estimation"). What is wrong: the second "=" equates the parameter with a likelihood value; meant is
    :math:`\theta = \operatorname{argmax}_\theta \prod_i p_\theta(x_i)`, which is :math:`\hat\theta` itself.

    By hand: at :math:`x = (0, 1)`, :math:`\hat\theta = 1/2` and :math:`\prod_i = (1 - 1/2) \cdot 1/2 = 1/4`; at
    :math:`x = (1, 1, 1, 0)`, :math:`\hat\theta = 3/4` and :math:`\prod_i = (3/4)^3 (1/4) = 27/256 = 0.10546875`:

    >>> float(mle_as_written_002(jnp.array([0.0, 1.0]))), float(mle_as_written_002(jnp.array([1.0, 1.0, 1.0, 0.0])))
    (0.25, 0.10546875)
    """
    return likelihood(_at_mle(x))


def mle_log_as_written_002(x):
    r"""002's log form as written, :math:`\theta = \operatorname{argmax}_\theta \log(p_\theta(x)) = \sum_{i=1}^n \log(p_\theta(x_i))`,
    for the Bernoulli family: the estimate set equal to the log-likelihood at the maximiser,
    :math:`\sum_i \log p_{\hat\theta}(x_i)` with :math:`\hat\theta = s/n`.

    Source: ``002_d52b67203b30a4ab.txt``, "Basic concepts and notation" (bullet "Maximum Likelihood
    Estimation"). What is wrong: as in :func:`mle_as_written_002`, a parameter equated with a value
    (here :math:`\le 0`); meant is :math:`\theta = \operatorname{argmax}_\theta \sum_i \log p_\theta(x_i)`.

    By hand: at :math:`x = (0, 1)`, :math:`\hat\theta = 1/2` and :math:`\log(1/2) + \log(1/2) = -2\log 2 = -1.3862944`,
    against :math:`\hat\theta = 0.5`:

    >>> round(float(mle_log_as_written_002(jnp.array([0.0, 1.0]))), 5)
    -1.38629
    """
    return log_likelihood(_at_mle(x))


def expected_log_likelihood_as_written(theta, theta_data):
    r"""The expectation 001 and 000's original write for the mean (or sum) of the log-likelihood:
    :math:`\mathbb{E}_{x \sim p_{data}} \log p_\theta(x) = \theta_{data}\log\theta + (1 - \theta_{data})\log(1 - \theta)`
    for the Bernoulli model and :math:`p_{data} = \mathrm{Bernoulli}(\theta_{data})`.

    Sources: ``001_8459e59a248a07da.txt``, "Maximum Likelihood Estimation"
    (:math:`\operatorname{argmax}_\theta \frac1n\sum_i \log p_{model}(x_i;\theta) = \operatorname{argmax}_\theta
    \mathbb{E}_{x \sim p_{data}} \log p_{model}(x;\theta)`); ``000_79e3617690f23793.txt``, "Maximum Likelihood" (its
    original's :math:`\sum_{i=1}^m -\log p_{model}(y_i \mid x_i;\theta) = \mathbb{E}_{x, y \sim p_{data}}[-\log p_{model}]`).
    What is wrong: the sample mean is the expectation under the empirical :math:`\hat p_{data}`
    (:func:`empirical_expectation`), not under :math:`p_{data}`; the two agree only as :math:`n \to \infty`.

    By hand: at :math:`\theta = 1/4`, :math:`\theta_{data} = 3/4`:
    :math:`\tfrac34\log\tfrac14 + \tfrac14\log\tfrac34 = \tfrac14\log\tfrac{3}{256} = \tfrac14(1.0986123 - 5.5451774) = -1.1116413`,
    where the sample :math:`x = (0, 0)` has the mean :math:`\log\tfrac34 = -0.2876821`:

    >>> round(float(expected_log_likelihood_as_written(0.25, 0.75)), 5)
    -1.11164
    """
    return theta_data * jnp.log(theta) + (1 - theta_data) * log1p(-theta)


def independent_joint(q, y):
    r"""The joint probability of ``m + 1`` independent binary labels :math:`y_0, \dots, y_m`, read off the table of
    the product measure: :math:`P(Y = y) = T[y_0, \dots, y_m]` with :math:`T = \bigotimes_{i=0}^m (1 - q_i, q_i)`.

    ``q[i]`` is :math:`p(y_i = 1 \mid x_i)`. Independence *is* the statement that the joint table is the outer
    product of the marginals; the factorisation reads one entry of it:
    :math:`T[y_0, \dots, y_m] = \prod_{i=0}^{m} p(y_i \mid x_i)` -- ``m + 1`` factors, one per label (000's
    original writes :math:`\prod_{i=1}^m`, which drops :math:`p(y_0 \mid x_0)`: :func:`factorisation_as_written_000`).

    >>> float(independent_joint(jnp.array([0.5, 0.25]), jnp.array([1.0, 0.0])))
    0.375
    """
    table = jnp.ones((), q.dtype)
    for i in range(q.shape[-1]):  # static length: the table has 2^(m+1) entries
        table = jnp.multiply.outer(table, jnp.stack([1 - q[i], q[i]]))
    index = jnp.sum(y.astype(jnp.int32) * 2 ** jnp.arange(q.shape[-1] - 1, -1, -1))  # row-major flat index
    return table.reshape(-1)[index]
