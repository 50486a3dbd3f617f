r"""The linear layer of multi-class logistic regression: :math:`z = w x + b`.

Source: ``001_8459e59a248a07da.txt`` ("Logistic Regression as Probability Model;
Multi-Class Classification"), which writes :math:`z_i = w^T x_i + b` with
:math:`w \in \mathbb{R}^{K \times d}`.
"""
from __future__ import annotations

import jax.numpy as jnp


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
    r"""001's form :math:`w^T x + b` with :math:`w \in \mathbb{R}^{K \times d}`: undefined unless :math:`K = d`.

    :math:`w^T` is :math:`d \times K` and needs :math:`x \in \mathbb{R}^K`; for :math:`K = d`
    it is defined but gives :math:`\sum_j w_{jk} x_j`, the wrong weights unless :math:`w` is symmetric.
    """
    return jnp.matmul(w.T, x) + b
