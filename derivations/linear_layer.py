r"""The linear layer of multi-class logistic regression: :math:`z = w x + b`.

Source: ``001_8459e59a248a07da.txt`` ("Logistic Regression as Probability Model;
Multi-Class Classification"), which writes :math:`z_i = w^T x_i + b` with
:math:`w \in \mathbb{R}^{K \times d}`.
"""
from __future__ import annotations

import jax.numpy as jnp

from .losses import softmax_nll, softmax_nll_grad


def linear_layer(w, x, b):
    r"""The logits of one example: :math:`z = w x + b \in \mathbb{R}^K`, :math:`z_k = \sum_{j=1}^d w_{kj} x_j + b_k`.

    With :math:`w \in \mathbb{R}^{K \times d}` (one row of weights per class) and
    :math:`x \in \mathbb{R}^d`, the product :math:`w x` has shape :math:`(K,)`; the
    transpose belongs to the binary case, where :math:`w \in \mathbb{R}^d` is a vector
    and :math:`w^T x` a scalar (or to the convention :math:`w \in \mathbb{R}^{d \times K}`).

    >>> linear_layer(jnp.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]]), jnp.array([1.0, 1.0, 1.0]), jnp.zeros(2)).tolist()
    [6.0, 1.0]
    """
    return jnp.matmul(w, x) + b


def linear_layer_as_written(w, x, b):
    r"""001's form :math:`z_i = w^T x_i + b \in \mathbb{R}^K` with :math:`w \in \mathbb{R}^{K \times d}`: undefined unless :math:`K = d`.

    Source: ``001_8459e59a248a07da.txt``, "Logistic Regression as Probability Model; Multi-Class
    Classification". What is wrong: the transpose, carried over from the binary case where :math:`w` is a
    vector: :math:`w^T` is :math:`d \times K` and needs :math:`x \in \mathbb{R}^K`; for :math:`K = d`
    it is defined but gives :math:`\sum_j w_{jk} x_j`, the wrong weights unless :math:`w` is symmetric
    (:func:`linear_layer`).

    By hand: at :math:`w = \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}`, :math:`x = (1, 0)`, :math:`b = (1/2, 1/4)`:
    :math:`w^T x + b = (1 \cdot 1 + 3 \cdot 0 + 1/2, 2 \cdot 1 + 4 \cdot 0 + 1/4) = (3/2, 9/4)`, where
    :math:`w x + b = (3/2, 13/4)`; with :math:`K = 2`, :math:`d = 3` the product of the :math:`3 \times 2` matrix
    :math:`w^T` and a vector of length 3 has no value:

    >>> w, b = jnp.array([[1.0, 2.0], [3.0, 4.0]]), jnp.array([0.5, 0.25])
    >>> linear_layer_as_written(w, jnp.array([1.0, 0.0]), b).tolist()
    [1.5, 2.25]
    >>> linear_layer_as_written(jnp.ones((2, 3)), jnp.ones(3), jnp.zeros(2))  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    TypeError: dot_general requires contracting dimensions to have the same shape
    """
    return jnp.matmul(w.T, x) + b


def _last_layer_logits(theta, h1, h2, y):
    r"""Unpack :math:`\theta = (w_{:,1}, w_{:,2}, b) \in \mathbb{R}^{3K}` and a one-hot of length :math:`3K`.

    Returns :math:`z = W h + b` with :math:`W = [w_{:,1}\ w_{:,2}] \in \mathbb{R}^{K \times 2}`,
    :math:`h = (h_1, h_2)`, and the label folded to :math:`K` classes (entry :math:`j` of the
    long one-hot is class :math:`j \bmod K`), still one-hot.
    """
    k = theta.shape[-1] // 3
    w = jnp.stack([theta[:k], theta[k:2 * k]], axis=-1)
    return linear_layer(w, jnp.stack([h1, h2]), theta[2 * k:]), jnp.sum(y.reshape(3, k), axis=0)


def last_layer_nll(theta, h1, h2, y):
    r"""The cross-entropy of the last layer, :math:`L = -\sum_k y_k \log\mathrm{softmax}(W h + b)_k`, as a
    function of its parameters :math:`\theta = (\mathrm{vec}\,W, b)` (the from-scratch forward for autodiff).

    Source: ``001_8459e59a248a07da.txt`` ("Logistic Regression as Probability Model; Multi-Class
    Classification"): with backpropagation the last layer only needs its input :math:`h`.

    >>> float(last_layer_nll(jnp.zeros(6), 1.0, 2.0, jnp.eye(6)[0])) == float(jnp.log(2.0))
    True
    """
    z, yk = _last_layer_logits(theta, h1, h2, y)
    return softmax_nll(z, yk)


def last_layer_nll_grad(theta, h1, h2, y):
    r""":math:`\partial L/\partial W = (\hat y - y)\, h^T`, :math:`\partial L/\partial b = \hat y - y`, in the order of :math:`\theta`.

    Derivation (chain rule through :math:`z = W h + b`):

    1. :math:`\partial L/\partial z = \hat y - y` with :math:`\hat y = \mathrm{softmax}(z)`
       (:func:`derivations.losses.softmax_nll_grad`).
    2. :math:`z_k = \sum_j W_{kj} h_j + b_k`, so :math:`\partial z_k/\partial W_{kj} = h_j` and
       :math:`\partial z_k/\partial b_k = 1` (and 0 for another row :math:`k'`).
    3. :math:`\partial L/\partial W_{kj} = (\hat y_k - y_k) h_j`, i.e. :math:`(\hat y - y) h^T`;
       :math:`\partial L/\partial b = \hat y - y`.

    The layer's gradient needs only :math:`\partial L/\partial z` and its input :math:`h`.

    >>> last_layer_nll_grad(jnp.zeros(6), 1.0, 2.0, jnp.eye(6)[0]).tolist()
    [-0.5, 0.5, -1.0, 1.0, -0.5, 0.5]
    """
    z, yk = _last_layer_logits(theta, h1, h2, y)
    g = softmax_nll_grad(z, yk)  # the true class as -sum of the others: no cancellation
    return jnp.concatenate([g * h1, g * h2, g])


def binary_logit_term(w, x):
    r""":math:`w^T x` for :math:`w, x \in \mathbb{R}^d`: a scalar (shape ``()``), so :math:`z = w^T x + b \in \mathbb{R}`.

    >>> binary_logit_term(jnp.array([1.0, 2.0]), jnp.array([3.0, 4.0])).shape
    ()
    """
    return jnp.dot(w, x)
