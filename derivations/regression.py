r"""Linear regression by least squares: the objective, its gradient line by line, and the normal equations.

Source: ``002_d52b67203b30a4ab.txt``, "L2 norm and linear regression". Data
:math:`X \in \mathbb{R}^{n \times m}` (``n`` rows of ``m`` variables), targets
:math:`y \in \mathbb{R}^n`, coefficients :math:`\beta \in \mathbb{R}^m`; minimise

.. math:: f(\beta) = d_E(X\beta, y)^2 = \|X\beta - y\|_2^2 .

The document's derivation, corrected (each line is a claim in ``checks/claims/regression.py``):

1. :math:`\frac{\partial f}{\partial\beta} = \frac{\partial}{\partial\beta}(X\beta - y)^T(X\beta - y)`
   (the document writes :math:`(X\beta y)^T`: a minus sign is missing);
2. :math:`= \frac{\partial}{\partial\beta}(\beta^TX^TX\beta - \beta^TX^Ty - y^TX\beta + y^Ty)`
   (the document writes :math:`- y^Ty`; the constant does not change the derivative);
3. :math:`= 2X^TX\beta - X^Ty - (y^TX)^T - 0` (the document writes :math:`y^TX`, a row vector,
   next to the column vectors);
4. :math:`= 2X^TX\beta - 2X^Ty`.

Setting it to zero gives the normal equations :math:`X^TX\beta = X^Ty`, solved by
:math:`\beta = (X^TX)^{-1}X^Ty` when :math:`X^TX` is invertible, i.e. when ``X`` has
full column rank (which needs :math:`n \ge m`); then the minimiser is unique.

Numerics: :math:`\kappa(X^TX) = \kappa(X)^2`, so solving the normal equations in
floating point loses twice the digits that a QR factorisation of ``X`` loses
(:func:`normal_equations_solve` versus :func:`qr_solve`).
"""
from __future__ import annotations

import jax.numpy as jnp
import jax.scipy.linalg as jsl


def residual(beta, X, y):
    r""":math:`r = X\beta - y`."""
    return X @ beta - y


def squared_distance(beta, X, y):
    r""":math:`f(\beta) = d_E(X\beta, y)^2 = \sum_i (X\beta - y)_i^2`: the from-scratch objective autodiff differentiates.

    >>> float(squared_distance(jnp.array([1.0]), jnp.array([[1.0], [2.0]]), jnp.array([0.0, 0.0])))
    5.0
    """
    r = residual(beta, X, y)
    return jnp.sum(r * r)


def distance_squared_via_sqrt(beta, X, y):
    r""":math:`d_E(X\beta, y)^2` with :math:`d_E(a, b) = \sqrt{\sum_i (a_i - b_i)^2}` evaluated first, then squared."""
    return jnp.sqrt(squared_distance(beta, X, y)) ** 2


def quadratic_form(beta, X, y):
    r"""Line 1, corrected: :math:`(X\beta - y)^T(X\beta - y)`."""
    r = residual(beta, X, y)
    return r @ r


def line1_as_written(beta, X, y):
    r"""Line 1 as printed, :math:`(X\beta\ y)^T(X\beta - y)`, read with the missing operator as ``+``.

    Source: ``002_d52b67203b30a4ab.txt``, "L2 norm and linear regression". What is wrong: the first factor
    lost its minus sign; :math:`(X\beta + y)^T(X\beta - y) = \|X\beta\|^2 - \|y\|^2` is a different function
    (any reading other than ``-`` is), not :math:`\|X\beta - y\|^2` (:func:`quadratic_form`).

    By hand: at :math:`\beta = (1)`, :math:`X = (1, 2)^T`, :math:`y = (1, 1)`: :math:`X\beta = (1, 2)`,
    :math:`(2, 3) \cdot (0, 1) = 3 = 5 - 2`, where :math:`\|X\beta - y\|^2 = 0^2 + 1^2 = 1`:

    >>> float(line1_as_written(jnp.array([1.0]), jnp.array([[1.0], [2.0]]), jnp.array([1.0, 1.0])))
    3.0
    """
    return (X @ beta + y) @ residual(beta, X, y)


def expansion(beta, X, y):
    r"""Line 2, corrected: :math:`\beta^TX^TX\beta - \beta^TX^Ty - y^TX\beta + y^Ty`.

    Derivation: distribute :math:`(X\beta - y)^T(X\beta - y) = (\beta^TX^T - y^T)(X\beta - y)`;
    the last product is :math:`(-y^T)(-y) = +y^Ty`.

    Numerics: the four terms cancel near the minimum; their roundoff is relative to
    :math:`\|\,|X||\beta| + |y|\,\|^2`, not to the result.
    """
    Xb = X @ beta
    return Xb @ Xb - beta @ (X.T @ y) - y @ Xb + y @ y


def expansion_as_written(beta, X, y):
    r"""Line 2 as printed: :math:`\beta^TX^TX\beta - \beta^TX^Ty - y^TX\beta - y^Ty`.

    Source: ``002_d52b67203b30a4ab.txt``, "L2 norm and linear regression". What is wrong: the sign of
    :math:`y^Ty`: :math:`(-y^T)(-y) = +y^Ty` (:func:`expansion`).

    By hand: at :math:`\beta = (1)`, :math:`X = (1, 2)^T`, :math:`y = (1, 1)`: :math:`\beta^TX^TX\beta = 1 + 4 = 5`,
    :math:`\beta^TX^Ty = y^TX\beta = 1 + 2 = 3`, :math:`y^Ty = 2`: :math:`5 - 3 - 3 - 2 = -3`, where
    :math:`5 - 3 - 3 + 2 = 1 = \|X\beta - y\|^2`:

    >>> float(expansion_as_written(jnp.array([1.0]), jnp.array([[1.0], [2.0]]), jnp.array([1.0, 1.0])))
    -3.0
    """
    Xb = X @ beta
    return Xb @ Xb - beta @ (X.T @ y) - y @ Xb - y @ y


def line3(beta, X, y):
    r"""Line 3, corrected: :math:`2X^TX\beta - X^Ty - (y^TX)^T - 0`, the gradient of :func:`expansion` term by term.

    Derivation: :math:`\nabla_\beta \beta^TA\beta = (A + A^T)\beta = 2A\beta` for
    symmetric :math:`A = X^TX`; :math:`\nabla_\beta \beta^Tc = c` with :math:`c = X^Ty`;
    :math:`\nabla_\beta c^T\beta = c` written :math:`(y^TX)^T` for the third term;
    :math:`\nabla_\beta y^Ty = 0`.
    """
    return 2 * (X.T @ (X @ beta)) - X.T @ y - (y @ X).T


def line3_as_written(beta, X, y):
    r"""Line 3 as printed, with its shapes kept: column :math:`2X^TX\beta - X^Ty` (``m x 1``) minus row :math:`y^TX` (``1 x m``), minus 0.

    Source: ``002_d52b67203b30a4ab.txt``, "L2 norm and linear regression". What is wrong: :math:`y^TX` is a
    row next to columns; the gradient of :math:`y^TX\beta` in the layout of the other terms is
    :math:`(y^TX)^T = X^Ty` (:func:`line3`). The sum of a column and a row is undefined; array broadcasting
    turns it into an ``m x m`` matrix, which is what this returns (its diagonal is the gradient).

    By hand: at :math:`\beta = (1, 0)`, :math:`X = I_2`, :math:`y = (0, 1)`: the column is
    :math:`2(1, 0) - (0, 1) = (2, -1)`, the row :math:`y^TX = (0, 1)`, entry :math:`(i, j)` is
    :math:`c_i - r_j`: :math:`\begin{pmatrix} 2 - 0 & 2 - 1 \\ -1 - 0 & -1 - 1 \end{pmatrix}`, where the gradient
    is :math:`2(X\beta - y) = (2, -2)`:

    >>> line3_as_written(jnp.array([1.0, 0.0]), jnp.eye(2), jnp.array([0.0, 1.0])).tolist()
    [[2.0, 1.0], [-1.0, -2.0]]
    """
    column = (2 * (X.T @ (X @ beta)) - X.T @ y)[:, None]
    row = (y @ X)[None, :]
    return column - row - 0


def gradient(beta, X, y):
    r"""Line 4: :math:`\frac{\partial}{\partial\beta}\|X\beta - y\|^2 = 2X^TX\beta - 2X^Ty`.

    Line 3 becomes line 4 because :math:`(y^TX)^T = X^Ty`.

    Numerics: evaluated as :math:`2X^T(X\beta - y)`, one product fewer. Near the
    minimiser the gradient is a cancelled difference: its error is relative to
    :math:`|X|^T(|X||\beta| + |y|)`, not to itself.

    >>> [float(v) for v in gradient(jnp.array([1.0]), jnp.array([[1.0], [2.0]]), jnp.array([1.0, 0.0]))]
    [8.0]
    """
    return 2 * (X.T @ residual(beta, X, y))


def normal_equations_solve(X, y):
    r""":math:`\beta = (X^TX)^{-1}X^Ty`, solved from the normal equations :math:`X^TX\beta = X^Ty`.

    Derivation (setting line 4 to zero): :math:`0 = 2X^TX\beta - 2X^Ty \iff X^TX\beta = X^Ty
    \iff \beta = (X^TX)^{-1}X^Ty`, the last step only when :math:`X^TX` is invertible
    (``X`` of full column rank).

    Numerics: the inverse is never formed (an LU solve is backward stable, a product
    with a computed inverse is not). Still, :math:`\kappa(X^TX) = \kappa(X)^2`: the
    relative error of :math:`\beta` is bounded by a multiple of :math:`\kappa(X)^2 \varepsilon`, a
    bound that promises no digit once :math:`\kappa(X) \gtrsim \varepsilon^{-1/2}` (about
    :math:`3 \cdot 10^3` in float32, :math:`7 \cdot 10^7` in float64), and some matrices there lose
    every digit (Läuchli's: :math:`1 + \delta^2` rounds to 1 and the computed :math:`X^TX` is
    singular). Prefer :func:`qr_solve`.
    """
    return jnp.linalg.solve(X.T @ X, X.T @ y)


def qr_solve(X, y):
    r"""The least-squares :math:`\beta` from a QR factorisation :math:`X = QR`: :math:`R\beta = Q^Ty`.

    Numerics: works with ``X`` itself, so the relative error of :math:`\beta` grows like
    :math:`\kappa(X)\varepsilon` (for a small residual), not :math:`\kappa(X)^2\varepsilon`.
    """
    q, r = jnp.linalg.qr(X)
    return jsl.solve_triangular(r, q.T @ y, lower=False)


def smallest_singular_value(X):
    r""":math:`\sigma_{\min}(X)`: positive exactly when ``X`` has full column rank, i.e. :math:`X\beta = X\beta'` only for :math:`\beta = \beta'`."""
    return jnp.linalg.svd(X, compute_uv=False)[..., -1]
