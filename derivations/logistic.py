r"""Binary logistic regression: the Bernoulli model behind the sigmoid, its likelihood and its losses.

Sources: ``002_d52b67203b30a4ab.txt`` ("Properties in connection with gradient
descent", "What happens if we use a different loss function?"),
``001_8459e59a248a07da.txt`` ("Logistic Regression as Probability Model; Binary
Classification"), ``000_79e3617690f23793.txt`` ("Binary Logistic Regression";
formulas reconstructed from the prose).

Notation: ``z`` is the logit (the model output) and ``y`` in {0, 1} the label,
as in ``000_…`` and ``001_…``. ``002_…`` swaps the names (its ``y`` is the
logit, its ``z`` the label); the docstrings below use ``000``'s names.
Vectors of examples run along the last axis.
"""
from __future__ import annotations

import jax.numpy as jnp

from . import likelihood as _likelihood
from .information import xlogy
from .losses import binary_nll
from .sigmoid import sigmoid, sigmoid_grad, sigmoid_grad_as_written
from .softmax import softmax


# -- the naive probability: clipping -----------------------------------------------------------

def maxmin_probability(f):
    r""":math:`P(y = 1 \mid x) = \max(0, \min(1, f(x)))`: the naive way to read a probability off a real output."""
    return jnp.maximum(0, jnp.minimum(1, f))


def maxmin_probability_grad(f):
    r""":math:`\frac{d}{df}\max(0, \min(1, f)) = 1` on :math:`(0, 1)` and :math:`0` for :math:`f < 0` or :math:`f > 1`.

    Derivation: outside :math:`[0, 1]` the function is constant (0 below, 1 above),
    inside it is the identity. At :math:`f \in \{0, 1\}` it has a kink (no derivative).
    So no gradient flows from an example whose output left the band: ``002_…``'s
    objection to this model.
    """
    return jnp.where((f > 0) & (f < 1), jnp.ones_like(f), jnp.zeros_like(f))


# -- the Bernoulli model: from a linear unnormalised log-probability to the sigmoid ---------------

def affine_probability(a, b, z):
    r""":math:`P(y = 1 \mid x) = a + bz`: a model *linear in the probability* (the reading 000's prose allows).

    For :math:`b \ne 0` it leaves :math:`[0, 1]` at
    :math:`z^* = \operatorname{sign}(b)\,(|a| + 2)/|b|`, where
    :math:`a + bz^* = a + |a| + 2 \ge 2` (:func:`affine_probability_exit`): no non-constant
    affine function of the logit is a probability for every logit. The linear model that does
    work is for the *log* of the unnormalised probability, :math:`\log\tilde P(y) = yz`
    (:func:`unnormalised_log_prob`), whose normalised form :math:`\sigma((2y-1)z)` stays in
    :math:`(0, 1)`.

    >>> float(affine_probability(0.5, 0.25, affine_probability_exit(0.5, 0.25)))
    3.0
    """
    return a + b * z


def affine_probability_exit(a, b):
    r"""A logit :math:`z^* = \operatorname{sign}(b)(|a| + 2)/|b|` with :math:`a + bz^* = a + |a| + 2 \ge 2 > 1`."""
    return jnp.sign(b) * (jnp.abs(a) + 2) / jnp.abs(b)


def unnormalised_log_prob(z, y):
    r""":math:`\log\tilde P(y) = yz`: the modelling assumption (linear in label and logit).

    The :math:`y = 0` case is the constant 0 whatever :math:`z` is, so the one output
    :math:`z` controls both cases.
    """
    return y * z


def unnormalised_prob(z, y):
    r""":math:`\tilde P(y) = e^{yz}` (exponentiate both sides of :math:`\log\tilde P(y) = yz`).

    Numerics: overflows for :math:`yz > \log(\text{max})`.
    """
    return jnp.exp(y * z)


def normalised_prob(z, y):
    r""":math:`P(y) = \frac{e^{yz}}{\sum_{y^*=0}^{1} e^{y^* z}} = \frac{e^{yz}}{1 + e^{z}}`: normalise over both labels.

    Numerics: evaluated as the two-class softmax of the logits :math:`(0, z)`, which is
    the same quotient max-shifted (no overflow of :math:`e^{z}`).
    """
    p = softmax(jnp.stack([jnp.zeros_like(z), z], axis=-1))  # (P(0), P(1)): exp(y* z) for y* = 0, 1
    return jnp.where(y == 1, p[..., 1], p[..., 0])


def bernoulli_prob(z, y):
    r""":math:`P(y) = \sigma((2y - 1) z)`, the normalised Bernoulli probability of label :math:`y`.

    Derivation, step by step (``002_…``, "Properties in connection with gradient descent"):

    1. :math:`\log\tilde P(y) = yz`  (assumption);
    2. :math:`\tilde P(y) = e^{yz}`  (exponentiate);
    3. :math:`P(y) = e^{yz} / (e^{0\cdot z} + e^{1\cdot z}) = e^{yz}/(1 + e^{z})`  (normalise);
    4. :math:`y = 1`: :math:`\frac{e^{z}}{1 + e^{z}} = \sigma(z)`; :math:`y = 0`: :math:`\frac{1}{1 + e^{z}} = \sigma(-z)`;
       both are :math:`\sigma((2y-1)z)` since :math:`2y - 1 = \pm 1`.

    Limits: :math:`P(1) \to 1` and :math:`P(0) \to 0` as :math:`z \to \infty`, and the other
    way round as :math:`z \to -\infty`, each within :math:`e^{-|z|}`.

    >>> float(bernoulli_prob(0.0, 1.0))
    0.5
    """
    return sigmoid((2 * y - 1) * z)


def bernoulli_prob_complement(z, y):
    r""":math:`1 - P(y) = \frac{1}{1 + e^{(2y-1)z}}`, exactly (the first form of :math:`\sigma(-(2y-1)z)`).

    Numerics: no subtraction; :math:`1 + e^{a}` overflowing to inf gives the correct 0.
    """
    return 1 / (1 + jnp.exp((2 * y - 1) * z))


# -- per-example probability, likelihood, log-likelihood ----------------------------------------

def pmf_cases(z, y):
    r""":math:`p(y \mid x) = \sigma(z)` if :math:`y = 1` and :math:`1 - \sigma(z) = \sigma(-z)` if :math:`y = 0` (the definitions).

    Numerics: :math:`1 - \sigma(z)` is evaluated as :math:`\sigma(-z)`, without cancellation.
    """
    return jnp.where(y == 1, sigmoid(z), sigmoid(-z))


def pmf_power(z, y):
    r""":math:`p(y \mid x) = \sigma(z)^{y}(1 - \sigma(z))^{1 - y}`: both cases in one expression, evaluated literally.

    Derivation: :math:`y = 1` gives :math:`\sigma(z)^1(1-\sigma(z))^0 = \sigma(z)`, :math:`y = 0`
    gives :math:`\sigma(z)^0(1-\sigma(z))^1 = 1 - \sigma(z)` (with :math:`a^0 = 1`, also for :math:`a = 0`).

    Numerics: :math:`1 - \sigma(z)` cancels for :math:`z \gg 0`: its relative error is
    :math:`\epsilon\,(1 + e^{z})`, and it is 0 once :math:`\sigma(z)` rounds to 1.
    """
    s = sigmoid(z)
    return s ** y * (1 - s) ** (1 - y)  # the document's form; 1 - s cancels for z >> 0


def log_pmf(z, y):
    r""":math:`\log p(y \mid x) = y\log\sigma(z) + (1 - y)\log(1 - \sigma(z))`.

    Derivation: :math:`\log(a^{y} b^{1-y}) = y\log a + (1-y)\log b` (log of a product, log of a power).

    Numerics: :math:`0 \log 0 = 0` (:func:`~derivations.information.xlogy`: the term whose
    label weight is 0 contributes nothing even where its probability rounds to 0), and
    :math:`1 - \sigma(z)` evaluated as :math:`\sigma(-z)`.
    """
    return xlogy(y, sigmoid(z)) + xlogy(1 - y, sigmoid(-z))


def log_pmf_as_written(z, y):
    r""":math:`y\log\sigma(z) + (1 - y)\log(1 - \sigma(z))` with :math:`1 - \sigma(z)` computed literally (cancels for :math:`z \gg 0`)."""
    s = sigmoid(z)
    return xlogy(y, s) + xlogy(1 - y, 1 - s)


def likelihood(z, y):
    r""":math:`L = \prod_{i=1}^{n} p(y_i \mid x_i)` over the last axis (i.i.d. examples).

    This is :func:`derivations.likelihood.likelihood` (derived there, with its underflow note) of the
    probabilities :func:`pmf_cases`. Numerics: :math:`n` factors of :math:`10^{-4}` pass float32's
    smallest normal at :math:`n = 10`: the reason to take logs.
    """
    return _likelihood.likelihood(pmf_cases(z, y))


def log_likelihood(z, y):
    r""":math:`\log L = \sum_{i=1}^{n} \left[y_i\log\sigma(z_i) + (1 - y_i)\log(1 - \sigma(z_i))\right]`.

    Derivation: :math:`\log\prod_i p_i = \sum_i \log p_i` (log of a product:
    :func:`derivations.likelihood.log_likelihood`), then each :math:`\log p_i` by :func:`log_pmf`
    (from the logit, not the log of a rounded probability).
    """
    return jnp.sum(log_pmf(z, y), axis=-1)


def mean_nll(z, y):
    r"""The average negative log-likelihood :math:`-\frac{1}{n}\log L = -\frac{1}{n}\sum_i [y_i\log\sigma(z_i) + (1-y_i)\log(1-\sigma(z_i))]`.

    ``001_…`` writes this as :math:`-\log L(w, b)`, reusing the name of the total: the
    mean is :math:`-\log L / n` (the same minimiser, a different value).
    """
    return -jnp.mean(log_pmf(z, y), axis=-1)


# -- the loss: cross-entropy of the true label, and its softplus form ---------------------------

def binary_cross_entropy(q1, q0, y):
    r""":math:`-[y\log q_1 + (1 - y)\log q_0]`: the cross-entropy of the label distribution :math:`(1 - y, y)` against :math:`(q_0, q_1)`.

    With :math:`q_1 = P(y{=}1) = \sigma(z)` and :math:`q_0 = P(y{=}0) = \sigma(-z)` it is the
    negative log-probability of the true label, :math:`-\log\sigma((2y-1)z)`. ``002_…``
    instead writes :math:`-z\log p - (1-z)\log(1-p)` with :math:`p = \sigma((2z-1)y)`, the
    probability of the *true* class: for label 0 that is the loss of the other label.
    """
    return -(xlogy(y, q1) + xlogy(1 - y, q0))


def nll_true_class(z, y):
    r""":math:`-\log p` with :math:`p = P(y) = \sigma((2y-1)z)`, the probability of the true label (the sigmoid evaluated stably)."""
    return -jnp.log(bernoulli_prob(z, y))


def nll_first_form(z, y):
    r""":math:`-\log\left(\frac{1}{1 + \exp(-(2y-1)z)}\right)`, evaluated literally.

    Numerics: overflows to :math:`-\log 0 = \infty` once :math:`e^{-(2y-1)z}` overflows, and
    returns 0 (not :math:`e^{-(2y-1)z}`) once :math:`1 + e^{-(2y-1)z}` rounds to 1.
    """
    return -jnp.log(1 / (1 + jnp.exp(-(2 * y - 1) * z)))


def nll_softplus(z, y):
    r"""The binary negative log-likelihood as a softplus: :math:`-\log P(y) = \zeta((1 - 2y) z)`.

    Derivation, step by step (``002_…``; ``000_…`` per case):

    1. :math:`l = -\log p`, :math:`p = P(y)` the probability of the true label;
    2. :math:`= -\log\sigma((2y-1)z)`  (:func:`bernoulli_prob`);
    3. :math:`= -\log\frac{1}{1 + \exp(-(2y-1)z)}`  (first form of the sigmoid);
    4. :math:`= \log(1 + \exp((1-2y)z)) = \zeta((1-2y)z)`  (:math:`-\log(1/a) = \log a`).

    Per case: :math:`\zeta(-z)` for :math:`y = 1` and :math:`\zeta(z)` for :math:`y = 0`.
    Since :math:`\zeta(x) \approx x^{+}` within :math:`e^{-|x|}`, the loss is about
    :math:`|z|` for a confidently wrong prediction and about 0 for a confidently right one.

    This is :func:`derivations.losses.binary_nll` (derived there for any label in :math:`[0, 1]`,
    with its numerics: stable softplus terms, no cancellation for a small loss) at a label in
    :math:`\{0, 1\}`, where one of its two terms is left.

    >>> round(float(nll_softplus(0.0, 1.0)), 6)
    0.693147
    """
    return binary_nll(z, y)


def nll_common_form(z, y):
    r""":math:`-[y\log\sigma(z) + (1 - y)\log(1 - \sigma(z))]`, "the more common form" (``000_…``), evaluated literally.

    Numerics: for :math:`y = 0` the literal :math:`1 - \sigma(z)` has relative error
    :math:`\epsilon(1 + e^{z})` and is 0 once :math:`\sigma(z)` rounds to 1 (:math:`z > 16.6`
    in float32): the loss is then inf although it is about :math:`z`. :func:`nll_softplus`
    is the same function without that failure.
    """
    return -log_pmf_as_written(z, y)


# -- squared error through a sigmoid (002, "What happens if we use a different loss function?") --

def mse_residual(x, y):
    r""":math:`y - \sigma(x)` for a label :math:`y \in \{0, 1\}`.

    Numerics: for :math:`y = 1` evaluated as :math:`\sigma(-x)` (:math:`1 - \sigma(x)` cancels for :math:`x \gg 0`).
    """
    return jnp.where(y == 1, sigmoid(-x), y - sigmoid(x))


def mse_residual_grad(x):
    r""":math:`\frac{\partial}{\partial x}(y - \sigma(x)) = -\sigma'(x) = -\sigma(x)(1 - \sigma(x))`.

    ``002_…`` writes :math:`2\frac{\partial(z - \sigma(x))}{\partial x} = 2\frac{\partial\sigma(x)}{\partial x}`,
    dropping this minus sign.
    """
    return -sigmoid_grad(x)


def mse_outer_step(u, du):
    r"""The outer chain-rule step :math:`\frac{\partial u^2}{\partial x} = 2u\,\frac{\partial u}{\partial x}`.

    The full derivation of :math:`\partial_x (y - \sigma(x))^2` (see
    :func:`~derivations.losses.mse_through_sigmoid_grad` for the result):

    1. :math:`\frac{\partial (y-\sigma(x))^2}{\partial x} = 2(y - \sigma(x))\,\frac{\partial(y - \sigma(x))}{\partial x}`
       (outer step: this function). ``002_…`` writes :math:`2\frac{\partial(z-\sigma(x))}{\partial x}`,
       dropping the factor :math:`(z - \sigma(x))`;
    2. :math:`= -2(y - \sigma(x))\,\sigma'(x)`  (:func:`mse_residual_grad`; ``002_…`` drops the sign);
    3. :math:`= -2(y - \sigma(x))\,\sigma(x)(1 - \sigma(x))`  (``sigmoid.derivative``).
       ``002_…`` ends with :math:`2\sigma(x)(1-\sigma(x))`, which is not the derivative of
       :math:`(z - \sigma(x))^2`; its conclusion (saturation) survives because the missing
       factor :math:`|z - \sigma(x)| \le 1` only shrinks the gradient further.
    """
    return 2 * u * du



# -- what the documents wrote, as written (in 000's names: z the logit, y the label) ------------

def bce_as_written_002(z, y):
    r"""002's loss as written: :math:`-y\log p - (1 - y)\log(1 - p)` with :math:`p = \sigma((2y - 1)z)`, the true label's probability.

    Source: ``002_d52b67203b30a4ab.txt``, "Properties in connection with gradient descent"
    (:math:`l_z(p) = -z\log(p) - (1-z)\log(1-p)` with :math:`p = \sigma((2z-1)y)` in its names). What is
    wrong: the Bernoulli cross-entropy needs :math:`p = P(y{=}1) = \sigma(z)`; with the true label's
    probability it is right for :math:`y = 1` only, and for :math:`y = 0` it is :math:`-\log(1 - P(0)) = -\log P(1)`,
    the loss of the other label (:func:`binary_cross_entropy` of :math:`\sigma(\pm z)` is the right one).

    By hand: at :math:`z = \log 3`, :math:`y = 0`: :math:`p = \sigma(-\log 3) = 1/(1 + 3) = 1/4`, so the loss is
    :math:`-\log(1 - 1/4) = \log(4/3) = 0.2876821`, where the loss of label 0 is :math:`-\log(1/4) = 1.3862944`:

    >>> round(float(bce_as_written_002(jnp.log(3.0), 0.0)), 6)
    0.287682
    """
    # 1 - p as the probability of the other label, sigma(-(2y-1)z): the same number without cancellation
    return binary_cross_entropy(bernoulli_prob(z, y), bernoulli_prob(z, 1 - y), y)


def loss_approximation_as_written_002(z):
    r"""002's ":math:`\zeta(-y) \approx y` if :math:`y \ll 0`" (label 1, its logit :math:`y`): the approximation of :math:`\zeta(-z)` as written, :math:`z`.

    Source: ``002_d52b67203b30a4ab.txt``, "Properties in connection with gradient descent". What is wrong:
    the sign. :math:`\zeta(-z) = -z + \zeta(z) \approx -z = |z|` for :math:`z \ll 0`, a large loss (as the
    sentence goes on to say); :math:`z < 0` is not even a value a loss can take.

    By hand: at :math:`z = -3` the as-written approximation is :math:`-3`, where
    :math:`\zeta(3) = 3 + \log(1 + e^{-3}) = 3.0485874`:

    >>> float(loss_approximation_as_written_002(-3.0))
    -3.0
    """
    return z


def mse_as_written_002(z, y):
    r"""002's squared error as written: :math:`(y - p)^2` with :math:`p = \sigma((2y - 1)z)`, the true label's probability.

    Source: ``002_d52b67203b30a4ab.txt``, "What happens if we use a different loss function?"
    (:math:`l_z(p) = (z-p)^2 = \big(z - \sigma((2z-1)y)\big)^2` in its names). What is wrong: the same mix-up
    as :func:`bce_as_written_002`: for :math:`y = 0` it is :math:`P(0)^2`, minimised by predicting label 1;
    the squared error of :math:`P(y{=}1)` is :math:`(y - \sigma(z))^2` (:func:`derivations.losses.mse_through_sigmoid`).

    By hand: at :math:`z = \log 3`, :math:`y = 0`: :math:`p = \sigma(-\log 3) = 1/4` and :math:`(0 - 1/4)^2 = 1/16`,
    where :math:`(0 - \sigma(\log 3))^2 = (3/4)^2 = 9/16`:

    >>> round(float(mse_as_written_002(jnp.log(3.0), 0.0)), 6)
    0.0625
    """
    return (y - bernoulli_prob(z, y)) ** 2


def mse_outer_step_as_written_002(u, du):
    r"""002's outer chain-rule step as written: :math:`\frac{\partial u^2}{\partial x} = 2\frac{\partial u}{\partial x}` for :math:`u = y - \sigma(x)`.

    Source: ``002_d52b67203b30a4ab.txt``, "What happens if we use a different loss function?"
    (:math:`\frac{\partial (z-\sigma(x))^2}{\partial x} = 2 \frac{\partial (z-\sigma(x))}{\partial x}`). What is
    wrong: the factor :math:`u` is dropped: :math:`\partial u^2 = 2u\,\partial u` (:func:`mse_outer_step`).

    By hand: at :math:`u = 1/2`, :math:`\partial u/\partial x = -1/4`: :math:`2 \cdot (-1/4) = -1/2`, where
    :math:`2u\,\partial u/\partial x = 2 \cdot 1/2 \cdot (-1/4) = -1/4`:

    >>> float(mse_outer_step_as_written_002(0.5, -0.25))
    -0.5
    """
    return 2 * du


def mse_residual_grad_as_written_002(x):
    r"""002's inner derivative as written: :math:`\frac{\partial (y - \sigma(x))}{\partial x} = \frac{\partial\sigma(x)}{\partial x} = \sigma(x)(1 - \sigma(x))`.

    Source: ``002_d52b67203b30a4ab.txt``, "What happens if we use a different loss function?"
    (:math:`2 \frac{\partial (z-\sigma(x))}{\partial x} = 2 \frac{\partial \sigma(x)}{\partial x}`). What is
    wrong: the minus sign: the label is a constant, so it is :math:`-\sigma'(x)` (:func:`mse_residual_grad`).

    By hand: at :math:`x = 0`, :math:`\sigma'(0) = 1/2 \cdot 1/2 = 1/4`; at :math:`x = \log 3`, :math:`\sigma = 3/4` and
    :math:`\sigma' = 3/4 \cdot 1/4 = 3/16`, where the derivative is :math:`-3/16`:

    >>> float(mse_residual_grad_as_written_002(0.0)), round(float(mse_residual_grad_as_written_002(jnp.log(3.0))), 6)
    (0.25, 0.1875)
    """
    return sigmoid_grad(x)


def mse_grad_as_written_002(x):
    r"""002's result as written: :math:`\frac{\partial (y - \sigma(x))^2}{\partial x} = 2\sigma(x)(1 - \sigma(x))`, whatever the label :math:`y`.

    Source: ``002_d52b67203b30a4ab.txt``, "What happens if we use a different loss function?". What is
    wrong: both slips before it (:func:`mse_outer_step_as_written_002`, :func:`mse_residual_grad_as_written_002`):
    the derivative is :math:`-2(y - \sigma(x))\,\sigma(x)(1 - \sigma(x))`
    (:func:`derivations.losses.mse_through_sigmoid_grad`). Evaluated literally, :math:`1 - \sigma(x)` and all.

    By hand: at :math:`x = 0`, :math:`2 \cdot 1/2 \cdot 1/2 = 1/2`; at :math:`x = \log 3`,
    :math:`2 \cdot 3/4 \cdot 1/4 = 3/8`, where for :math:`y = 1` the derivative is
    :math:`-2(1 - 3/4) \cdot 3/16 = -3/32`:

    >>> float(mse_grad_as_written_002(0.0)), round(float(mse_grad_as_written_002(jnp.log(3.0))), 6)
    (0.5, 0.375)
    """
    return 2 * sigmoid_grad_as_written(x)


def neg_log_likelihood_as_written_001(z, y):
    r"""The left side of 001's averaged line, :math:`-\log L(w, b) = -\frac1n \sum_{i=1}^n [\dots]`, evaluated as
    what its name denotes: :math:`-\log L = -\log\prod_{i=1}^n p(y_i \mid x_i)`, the total.

    Source: ``001_8459e59a248a07da.txt``, "Logistic Regression as Probability Model; Binary Classification"
    ("if we take the average of all the training points"). What is wrong: the name: the average is
    :math:`-\log L / n` (:func:`mean_nll`), ``n`` times smaller than the :math:`-\log L` of the line before.

    By hand: at :math:`z = (0, 0)`, :math:`y = (1, 1)`: :math:`L = \sigma(0)^2 = 1/4` and :math:`-\log(1/4) = 2\log 2 = 1.3862944`,
    where the average is :math:`\log 2 = 0.6931472`:

    >>> round(float(neg_log_likelihood_as_written_001(jnp.zeros(2), jnp.ones(2))), 5)
    1.38629
    """
    return -jnp.log(likelihood(z, y))


def smooth_relu_as_written_000(z):
    r"""000's "the above softmax function" (which "looks like a smooth version of the ReLU"), as written: the
    softmax of the two logits :math:`(0, z)`, :math:`\frac{e^{z}}{1 + e^{z}} = \sigma(z)`.

    Source: ``000_79e3617690f23793.txt``, "Binary Logistic Regression" (the formula above that prose is lost in
    its extraction). What is wrong: the word: the function above is the loss :math:`\zeta(\mp z)`, a softplus,
    which is a smooth ReLU (within :math:`\log 2` of :math:`z^+`); the softmax is bounded by 1 and is not.

    By hand: at :math:`z = 0`, :math:`1/(1 + 1) = 1/2` (the softplus: :math:`\log 2`); at :math:`z = \log 3`,
    :math:`3/(1 + 3) = 3/4` (the ReLU: :math:`\log 3 = 1.0986123`):

    >>> float(smooth_relu_as_written_000(0.0)), round(float(smooth_relu_as_written_000(jnp.log(3.0))), 6)
    (0.5, 0.75)
    """
    return normalised_prob(z, jnp.ones_like(z))


def log_prob_of_class_one_as_written_002(z):
    r"""002's ":math:`p = \log(\hat P(z = 1 \mid x))`" as written, with its :math:`p = \sigma((2y-1)z)` at label 1: :math:`\sigma(z)`.

    Source: ``002_d52b67203b30a4ab.txt``, "Generalizing to multiple classes". What is wrong: :math:`p` is a
    probability in :math:`(0, 1)`; the unnormalised log-probability of class one is the output :math:`z`
    itself (:func:`unnormalised_log_prob`, :math:`\log\tilde P(1) = z \cdot 1`).

    By hand: at :math:`z = 0`, :math:`p = \sigma(0) = 1/2` where :math:`\log\tilde P(1) = 0`; at :math:`z = \log 3`,
    :math:`p = 3/(3 + 1) = 3/4` where :math:`\log\tilde P(1) = \log 3 = 1.0986123`:

    >>> float(log_prob_of_class_one_as_written_002(0.0)), round(float(log_prob_of_class_one_as_written_002(jnp.log(3.0))), 6)
    (0.5, 0.75)
    """
    return bernoulli_prob(z, jnp.ones_like(z))
