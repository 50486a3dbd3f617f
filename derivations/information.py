r"""Entropy, cross-entropy and the Kullback-Leibler divergence of discrete distributions.

Sources: ``002_d52b67203b30a4ab.txt`` ("Divergence", "Kullback-Leibler
Divergence", "Entropy", "Cross-Entropy"), ``001_8459e59a248a07da.txt``
("Maximum Likelihood Estimation"), ``000_79e3617690f23793.txt`` ("Maximum
Likelihood"; formulas reconstructed from the prose).

Convention: :math:`0 \log 0 = 0` and :math:`0 \log(0/q) = 0` (the limits as
:math:`p \to 0^+`), so an outcome of probability zero under ``p`` contributes
nothing. All functions reduce over the last axis, in nats.
"""
from __future__ import annotations

import jax.numpy as jnp

from .logarithm import log_base
from .numerics import log1p
from .softmax import log_softmax, softmax


def xlogy(x, y):
    r""":math:`x \log y` with :math:`0 \log y = 0` for every :math:`y \ge 0` (``0 * -inf`` would be nan).

    The guard is a double ``where``: the unused branch is fed a safe value, so
    its gradient is not nan either.
    """
    safe_y = jnp.where(x == 0, jnp.ones_like(y), y)
    return jnp.where(x == 0, jnp.zeros_like(x), x * jnp.log(safe_y))


def entropy(p):
    r""":math:`H(p) = -\sum_x p(x) \log p(x)`, with :math:`0 \log 0 = 0`."""
    return -jnp.sum(xlogy(p, p), axis=-1)


def cross_entropy(p, q):
    r""":math:`H(p, q) = -\sum_x p(x) \log q(x)`.

    Infinite where :math:`q(x) = 0 < p(x)` (the model rules out an observed outcome).
    """
    return -jnp.sum(xlogy(p, q), axis=-1)


def cross_entropy_two_outcomes_as_written_001(p, q):
    r"""001's two-outcome cross-entropy as written: :math:`-\sum P(0)\log(Q(0)) + P(1)\log(Q(1))`, read as
    :math:`-P(0)\log Q(0) + P(1)\log Q(1)` (the stray :math:`\sum` has nothing left to sum over).

    Source: ``001_8459e59a248a07da.txt``, "Logistic Regression as Probability Model; Binary Classification".
    What is wrong: the minus sign must cover both terms, :math:`-[P(0)\log Q(0) + P(1)\log Q(1)]`
    (:func:`cross_entropy` over two outcomes); as written the second term enters with the wrong sign.

    By hand: at :math:`P = (1/2, 1/2)`, :math:`Q = (1/4, 3/4)`:
    :math:`-\tfrac12\log\tfrac14 + \tfrac12\log\tfrac34 = \tfrac12\log 3 = 0.5493061`, where
    :math:`H(P, Q) = \tfrac12\log\tfrac{16}{3} = 0.8369882`:

    >>> round(float(cross_entropy_two_outcomes_as_written_001(jnp.array([0.5, 0.5]), jnp.array([0.25, 0.75]))), 6)
    0.549306
    """
    return -xlogy(p[..., 0], q[..., 0]) + xlogy(p[..., 1], q[..., 1])


def kl_divergence(p, q):
    r""":math:`D_{KL}(p \| q) = \sum_x p(x) \log\frac{p(x)}{q(x)}`, with :math:`0 \log\frac{0}{q} = 0`.

    Numerics: each term is evaluated in the form that is accurate for its ratio :math:`r = p/q`:

    * :math:`1/2 \le r \le 2`: :math:`\log(1 + \frac{p - q}{q})` with ``log1p``; :math:`p - q`
      is exact there (Sterbenz), while :math:`\log r` would take the log of a rounded number
      near 1 and keep only its absolute accuracy;
    * :math:`r` outside the normal range (:math:`q` subnormal, or zero: the term is
      :math:`+\infty`): :math:`\log p - \log q`, which cannot overflow and, because
      :math:`|\log r| > |\log \text{tiny}|` (87.3 in float32, 708.4 in float64), does not cancel;
    * otherwise :math:`\log r`: one rounding of :math:`r` costs at most :math:`u/\log 2`
      relative.

    The literal :math:`\sum_x p(\log p - \log q)` (:func:`kl_divergence_log_difference`)
    cancels inside every term where :math:`p \approx q`. Across terms the sum still cancels
    as :math:`p \to q` (terms of size :math:`|p - q|`, a result of size :math:`|p-q|^2`): no
    ordering of the sum avoids that; the error is bounded relative to
    :math:`\sum_x |p \log\frac{p}{q}|`.

    >>> round(float(kl_divergence(jnp.array([1.0, 0.0]), jnp.array([0.5, 0.5]))), 6)  # log 2; p = 0 adds nothing
    0.693147
    """
    live = p > 0  # 0 log(0/q) = 0, whatever q
    ps, qs = jnp.where(live, p, 1), jnp.where(live, q, 1)
    r = ps / qs
    near = (r >= 0.5) & (r <= 2)
    far = ~jnp.isfinite(r) | (r < jnp.finfo(r.dtype).tiny)
    log_r = jnp.where(near, log1p((ps - qs) / jnp.where(near, qs, 1)),  # ps - qs exact here
                      jnp.where(far, jnp.log(ps) - jnp.log(qs), jnp.log(jnp.where(far, 1, r))))
    return jnp.sum(jnp.where(live, ps * log_r, 0), axis=-1)


def entropy_plus_kl(p, q):
    r""":math:`H(p) + D_{KL}(p\|q)`, the right-hand side of :math:`H(p, q) = H(p) + D_{KL}(p \| q)`.

    Derivation (``002_…``, "Cross-Entropy"), step by step:

    1. :math:`H(p) + D_{KL}(p\|q) = -\sum_x p \log p - \sum_x p \log\frac{q}{p}`  (definitions);
    2. :math:`= -\sum_x p \log p - \sum_x p \log q + \sum_x p \log p`  (:math:`\log\frac{q}{p} = \log q - \log p`);
    3. :math:`= -\sum_x p \log q = H(p, q)`  (the first and last sums cancel).

    Numerics: :math:`H(p)` and :math:`D_{KL}` can be large with opposite-signed
    pieces; the roundoff of the sum is relative to :math:`\sum_x |p \log p| + |p \log q|`,
    not to the result.
    """
    return entropy(p) + kl_divergence(p, q)


# --- the Kullback-Leibler divergence, line by line (002, "Kullback-Leibler Divergence") -----------------


def kl_divergence_ratio(p, q):
    r"""The definition as written: :math:`D_{KL}(p \| q) := \sum_x p(x) \log\frac{p(x)}{q(x)}`.

    Numerics: the ratio is formed first, so it must stay a normal number:
    :math:`\text{tiny} \le p/q \le 1/\text{tiny}` holds when every entry is at least
    ``tiny`` (a ratio of two probabilities is then at most :math:`1/\text{tiny} < \max`).
    :func:`kl_divergence` forms the ratio only where it is a normal number.
    """
    return jnp.sum(xlogy(p, p / q), axis=-1)


def kl_divergence_flipped(p, q):
    r"""The third term of the definition: :math:`-\sum_x p(x) \log\frac{q(x)}{p(x)}`.

    Equal to :func:`kl_divergence_ratio` because :math:`\log\frac{q}{p} = -\log\frac{p}{q}`:
    swapping numerator and denominator "takes out a minus sign". Same numerics.
    """
    return -jnp.sum(xlogy(p, q / p), axis=-1)


def kl_divergence_log_difference(p, q):
    r"""The second line of the definition: :math:`\sum_x p(x)\big(\log p(x) - \log q(x)\big)`, evaluated literally.

    Equal to :func:`kl_divergence_ratio` by the quotient rule of the log,
    :math:`\log\frac{p}{q} = \log p - \log q`. Numerics: no ratio, so nothing overflows, but the
    two logs cancel inside every term where :math:`p \approx q` (26 ULPs in float32 on
    :math:`p = (1/2, 1/2)`, :math:`q = (0.57, 0.43)`); :func:`kl_divergence` avoids that.
    """
    return jnp.sum(xlogy(p, p) - xlogy(p, q), axis=-1)


def log_difference(p, q):
    r"""The per-outcome quantity :math:`\log p(x) - \log q(x)` whose expectation under :math:`p` is the KL.

    .. math::
        D_{KL}(p\|q) = \sum_x p(x)\log\frac{p(x)}{q(x)} = \sum_x p(x)\big(\log p(x) - \log q(x)\big)
        = E_{X \sim p}\big[\log p(X) - \log q(X)\big]

    (quotient rule of the log, then the definition of the expectation of :math:`g(X)`).
    """
    return jnp.log(p) - jnp.log(q)


def pinsker_bound(p, q):
    r"""Pinsker's inequality, the lower bound :math:`D_{KL}(p\|q) \ge \tfrac12 \|p - q\|_1^2` (nats).

    Positive whenever :math:`p \ne q`, so it certifies :math:`D_{KL}(p \| q) > 0` for
    :math:`p \ne q`; with :math:`D_{KL}(p\|p) = \sum p(\log p - \log p) = 0` this is the
    divergence axiom :math:`D(p\|q) = 0 \Leftrightarrow p = q`.
    """
    return 0.5 * jnp.sum(jnp.abs(p - q), axis=-1) ** 2


# --- entropy (002, "Entropy") ----------------------------------------------------------------------


def self_information(p):
    r""":math:`I(x) = -\log p(x)` (nats), elementwise: the information of an event of probability :math:`p(x)`."""
    return -jnp.log(p)


def entropy_base(p, b):
    r""":math:`H_b(p) := -\sum_x p(x) \log_b p(x)`; :math:`b = 2` gives bits, :math:`b = e` nats.

    Each term is changed to base :math:`b` on its own (:func:`derivations.logarithm.log_base`),
    so that :math:`H_b = H_e / \log b` (a rescaling by one positive constant for
    :math:`b > 1`, which keeps the order of distributions) is a statement to check,
    not the way it is computed. :math:`0 \log_b 0 = 0`.
    """
    safe = jnp.where(p == 0, jnp.ones_like(p), p)
    return -jnp.sum(jnp.where(p == 0, jnp.zeros_like(p), p * log_base(safe, b)), axis=-1)


# --- cross-entropy, line by line (002, "Cross-Entropy"; the derivation is in entropy_plus_kl) -----------


def cross_entropy_line2(p, q):
    r"""Line 2: :math:`-\sum_x p \log p - \sum_x p \log\frac{q}{p}` (the KL in its flipped form).

    Numerics: the ratio :math:`q/p` as in :func:`kl_divergence_flipped`.
    """
    return entropy(p) + kl_divergence_flipped(p, q)


def cross_entropy_line3(p, q):
    r"""Line 3: :math:`-\sum_x p \log p - \sum_x p \log q + \sum_x p \log p` (:math:`\log\frac{q}{p} = \log q - \log p`)."""
    return -jnp.sum(xlogy(p, p), axis=-1) - jnp.sum(xlogy(p, q), axis=-1) + jnp.sum(xlogy(p, p), axis=-1)


def cross_entropy_grad_q(p, q):
    r"""The gradient of the cross-entropy in :math:`q`: :math:`\frac{\partial}{\partial q(x)} H(p, q) = -\frac{p(x)}{q(x)}`.

    Only :math:`-\sum_x p \log q` depends on :math:`q`; :math:`H(p)` does not. Since
    :math:`D_{KL}(p\|q) = H(p, q) - H(p)`, the KL has this same gradient, so
    gradient descent on either follows the same path and has the same minimisers.
    (:math:`q` is treated as a free positive vector; on the simplex both gain the
    same Lagrange term :math:`\lambda \mathbf 1`.) Zero where :math:`p(x) = 0`.
    """
    return jnp.where(p == 0, jnp.zeros_like(p), -p / jnp.where(p == 0, jnp.ones_like(q), q))


def kl_of_logits(p, z):
    r""":math:`D_{KL}(p \| \mathrm{softmax}(z)) = \sum_x p \log p - \sum_x p \log\mathrm{softmax}(z)`.

    The model distribution parameterised by free logits :math:`z`, so that a
    gradient can vanish: the forward definition autodiff differentiates (from
    scratch: :func:`derivations.softmax.log_softmax` is plain jax.numpy).
    """
    return jnp.sum(xlogy(p, p), axis=-1) - jnp.sum(jnp.where(p == 0, jnp.zeros_like(p), p * log_softmax(z)), axis=-1)


def kl_grad_logits(p, z):
    r""":math:`\nabla_z D_{KL}(p \| \mathrm{softmax}(z)) = \mathrm{softmax}(z) - p`, zero exactly at :math:`q = p`.

    Derivation: :math:`\log\mathrm{softmax}(z)_x = z_x - \log\sum_k e^{z_k}`, so
    :math:`\partial_{z_j}\big[-\sum_x p_x \log\mathrm{softmax}(z)_x\big] = -p_j + \sum_x p_x\,\mathrm{softmax}(z)_j
    = \mathrm{softmax}(z)_j - p_j` (using :math:`\sum_x p_x = 1`); :math:`\sum_x p\log p` does not depend on :math:`z`.

    By contrast the gradient in :math:`q` itself, :math:`-p/q` (:func:`cross_entropy_grad_q`),
    never vanishes where :math:`p > 0`: "setting the gradient to zero" needs the simplex constraint.
    """
    return softmax(z) - p


# --- coding interpretation (002, "Cross-Entropy") ---------------------------------------------------


def shannon_code_lengths(q):
    r"""Shannon code lengths :math:`\ell_q(x) = \lceil -\log_2 q(x) \rceil` bits, for :math:`q(x) > 0`.

    They satisfy Kraft's inequality :math:`\sum_x 2^{-\ell_q(x)} \le \sum_x q(x) = 1`, so
    a prefix code with these lengths exists, and
    :math:`-\log_2 q(x) \le \ell_q(x) < -\log_2 q(x) + 1`. Averaged over events
    :math:`X \sim p`: :math:`H_2(p, q) \le E_p[\ell_q(X)] < H_2(p, q) + 1`, and the extra
    bits over :math:`p`'s own code, :math:`E_p[\ell_q - \ell_p]`, are within one bit of
    :math:`D_{KL,2}(p \| q)`.

    Numerics: with :math:`q = m\,2^e`, :math:`m \in [\tfrac12, 1)` (``frexp``, exact),
    :math:`-\log_2 q = -e - \log_2 m` and :math:`-\log_2 m \in (0, 1]`, so
    :math:`\ell_q = 1 - e` exactly: no rounded :math:`\log_2` can land just above an
    integer and add a spurious bit (:math:`q = 1/2` would otherwise risk
    :math:`\lceil 1 + \epsilon \rceil = 2`).

    >>> [int(v) for v in shannon_code_lengths(jnp.array([0.5, 0.3, 0.2]))]
    [1, 2, 3]
    """
    _, e = jnp.frexp(q)
    return (1 - e).astype(q.dtype)


def expected_code_length(p, q):
    r""":math:`E_{X \sim p}[\ell_q(X)] = \sum_x p(x) \lceil -\log_2 q(x) \rceil`: bits per event from :math:`p` coded for :math:`q`."""
    return jnp.sum(p * shannon_code_lengths(q), axis=-1)


def kraft_sum(q):
    r""":math:`\sum_x 2^{-\ell_q(x)}`, which is :math:`\le 1` (Kraft): the lengths are those of a prefix code."""
    return jnp.sum(jnp.ldexp(jnp.ones_like(q), -shannon_code_lengths(q).astype(jnp.int32)), axis=-1)


# --- maximum likelihood (000, "Maximum Likelihood"; reconstructed) -------------------------------------


def empirical_distribution(labels, k, dtype):
    r""":math:`\hat p(x) = \frac1n \#\{i : x_i = x\}`: the data distribution of a sample :math:`x_1, \dots, x_n` of :math:`\{0, \dots, k-1\}`.

    >>> [float(v) for v in empirical_distribution(jnp.array([0, 2, 2, 1]), 3, jnp.float32)]
    [0.25, 0.25, 0.5]
    """
    return jnp.mean((labels[..., :, None] == jnp.arange(k)).astype(dtype), axis=-2)


def mean_nll(labels, q):
    r"""The negative log-likelihood per example: :math:`\frac1n \mathrm{NLL} = -\frac1n \sum_{i=1}^n \log q(x_i)`.

    Derivation (000, "Maximum Likelihood": "re-frame our formula for the NLL as an expectation"):
    group the sum by outcome, :math:`-\frac1n\sum_i \log q(x_i) = -\sum_x \frac{\#\{i: x_i = x\}}{n} \log q(x)
    = -\sum_x \hat p(x) \log q(x) = H(\hat p, q)`. Scaling by :math:`1/n > 0` does not move the
    minimiser, so minimising the NLL is minimising :math:`H(\hat p, q)`, and, since
    :math:`H(\hat p)` does not depend on :math:`q`, minimising :math:`D_{KL}(\hat p \| q)`.
    """
    return -jnp.mean(jnp.log(jnp.take_along_axis(q, labels, axis=-1)), axis=-1)
