"""Exact rules for the linear-algebra primitives a solve is made of: ``lu`` and ``triangular_solve``.

``jnp.linalg.solve`` traces to an LU factorisation with partial pivoting and two triangular solves (inside
``custom_linear_solve``). In exact arithmetic any non-zero pivot gives the same solution, so the pivot is the
entry of largest midpoint among those whose ball excludes 0; a column with none is ambiguous (or singular).
"""
from __future__ import annotations

import numpy as np
from flint import arb

from .numbers import S
from .scalars import Ambiguous


def _matrices(a):
    """Iterate the trailing two axes of a batched matrix: (index, 2-d object array)."""
    for pos in np.ndindex(*a.shape[:-2]):
        yield pos, a[pos]


def _factor(m):
    """Doolittle LU with partial pivoting of one square matrix: (packed L\\U, pivots, permutation)."""
    a = m.copy()
    n = a.shape[0]
    perm = list(range(n))
    pivots = np.arange(n, dtype=np.int32)
    for k in range(n):
        best, size = None, None
        for r in range(k, n):
            c = S._cmp(a[r, k], S.from_float(0.0))
            if c in (-1, 1):
                mag = abs(S.to_float(a[r, k]))
                if best is None or mag > size:
                    best, size = r, mag
        if best is None:
            if all(S._cmp(a[r, k], S.from_float(0.0)) == 0 for r in range(k, n)):
                continue  # an exactly zero column: singular, as the machine would find it
            raise Ambiguous("an LU pivot whose ball contains 0")
        if best != k:
            a[[k, best]] = a[[best, k]]
            perm[k], perm[best] = perm[best], perm[k]
        pivots[k] = best
        for r in range(k + 1, n):
            a[r, k] = S.div(a[r, k], a[k, k])
            for c in range(k + 1, n):
                a[r, c] = S.sub(a[r, c], S.mul(a[r, k], a[k, c]))
    return a, pivots, np.asarray(perm, dtype=np.int32)


def lu(eqn, operand, **_):
    lu_out = np.empty(operand.shape, dtype=object)
    pivots = np.empty(operand.shape[:-2] + (min(operand.shape[-2:]),), dtype=np.int32)
    perms = np.empty(operand.shape[:-1], dtype=np.int32)
    if operand.shape[-1] != operand.shape[-2]:
        raise S.Unsupported("lu of a non-square matrix")
    for pos, m in _matrices(operand):
        lu_out[pos], pivots[pos], perms[pos] = _factor(m)
    return [lu_out, pivots.astype(eqn.outvars[1].aval.dtype), perms.astype(eqn.outvars[2].aval.dtype)]


def _solve_lower(a, b, unit):
    """x with ``a x = b``, ``a`` lower triangular (n x n), ``b`` (n x k): forward substitution."""
    n = a.shape[0]
    x = b.copy()
    for i in range(n):
        for j in range(i):
            x[i] = [S.sub(xi, S.mul(a[i, j], xj)) for xi, xj in zip(x[i], x[j])]
        if not unit:
            x[i] = [S.div(xi, a[i, i]) for xi in x[i]]
    return x


def triangular_solve(eqn, a, b, left_side, lower, transpose_a, conjugate_a, unit_diagonal, **_):
    from .interpreter import _operand

    a, b = _operand(a), _operand(b)
    out = np.empty(b.shape, dtype=object)
    for pos, m in _matrices(a):
        rhs = b[pos]
        op = m.T if transpose_a else m
        is_lower = lower != bool(transpose_a)
        if not left_side:  # x op = rhs  <=>  op^T x^T = rhs^T
            op, rhs, is_lower = op.T, rhs.T, not is_lower
        if not is_lower:  # reverse the order of unknowns: an upper system becomes a lower one
            x = _solve_lower(op[::-1, ::-1], rhs[::-1], unit_diagonal)[::-1]
        else:
            x = _solve_lower(op, rhs, unit_diagonal)
        out[pos] = x if left_side else x.T
    return out


def svd(eqn, operand, full_matrices=False, compute_uv=True, **_):
    """Singular values only (``compute_uv=False``): the square roots of the eigenvalues of ``X^T X`` (or ``X X^T``,
    the smaller), in descending order, each enclosed by Arb's rigorous eigenvalue solver."""
    from flint import acb_mat, arb_mat

    from .interpreter import _operand

    if compute_uv:
        raise S.Unsupported("svd with singular vectors (compute_uv=True)")
    a = _operand(operand)
    m, n = a.shape[-2:]
    out = np.empty(a.shape[:-2] + (min(m, n),), dtype=object)
    for pos, mat in _matrices(a):
        if any(S.is_series(v) or isinstance(v, float) for v in mat.reshape(-1)):
            raise S.Unsupported("svd of a differentiated or infinite matrix")
        x = arb_mat(mat.tolist())
        gram = x.transpose() * x if n <= m else x * x.transpose()
        try:
            eig = acb_mat(gram).eig()
        except (ValueError, ZeroDivisionError) as e:
            raise Ambiguous(f"svd: eigenvalues not isolated ({e})") from None
        values = [v.real for v in eig]
        if not all(v.is_finite() for v in values):
            raise Ambiguous("svd: eigenvalues not isolated (repeated singular values)")
        values.sort(key=lambda v: float(v.mid()), reverse=True)
        out[pos] = [S.elementary("sqrt")(S.maximum(v, arb(0)) if v.lower() < 0 else v) for v in values]
    return [out] if eqn.primitive.multiple_results else out
