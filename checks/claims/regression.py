"""Claims about least-squares linear regression: the derivation of the gradient line by line, the normal
equations, uniqueness of the minimiser, and the conditioning of solving them.

Inputs: ``Design`` matrices X of k rows and m = k // 2 columns (n > m, the document's case),
``Vector``s of length k (targets y) or m (coefficients beta). Roundoff of every quantity built
from X, beta and y is judged against the same quantity built from their absolute values
(|X||beta| + |y|): that is what a dot product's error is relative to, and near the minimiser
the objective and the gradient are cancelled differences.
"""
from __future__ import annotations

import dataclasses

import jax.numpy as jnp
from jax.scipy.linalg import lu
import numpy as np
from hypothesis import strategies as st
from mpmath import mp

from derivations import regression as rg

from checks.engine import Args, Claim, Custom, Derivative, Identity, Inequality, Kind, Real, Source, Tol, Verdict
from checks.engine.platform import configure
from checks.engine.outcomes import evidence, outcome

from . import _mp_likelihood as mpl
from ._sources import DOC002

# Tolerance counts: u = eps per operation (a correctly rounded +, -, *, / errs by at most eps/2, XLA's exp and log
# by about an ulp: one eps covers both); a Tol is the count, unless a count says it uses u = eps/2.
SECTION = "L2 norm and linear regression"
ROWS = (3, 8)  # n; m = n // 2 = 1 and 4 columns (two compiled shapes)


def _cols(k):
    return max(1, k // 2)


def _orthonormal(rng, k, m, count):
    """``count`` k x m matrices with orthonormal columns, as an (m, k, count) array (column j is ``[j]``,
    the batch axis last so each step is one contiguous vector operation: numpy's batched QR and matmul
    loop over millions of tiny matrices). Gram-Schmidt on Gaussian columns, each projection done twice:
    one pass loses orthogonality in proportion to the columns' conditioning, two restore it to roundoff."""
    q = rng.standard_normal((m, k, count))
    for j in range(m):
        for _ in range(2):
            for i in range(j):
                q[j] -= np.einsum("k...,k...->...", q[i], q[j]) * q[i]
        q[j] /= np.sqrt(np.einsum("k...,k...->...", q[j], q[j]))
    return q


def conditioned_matrices(rng, count, k, m, kappa):
    """``count`` matrices U diag(s) V^T (k x m) with singular values from 1 down to 1/kappa (one kappa per matrix)."""
    s = np.asarray(kappa)[None, :] ** -np.linspace(0, 1, m)[:, None]  # (m, count)
    u, v = _orthonormal(rng, k, m, count), _orthonormal(rng, m, m, count)
    x = sum(u[i][:, None] * (s[i] * v[i])[None] for i in range(m))  # sum_i s_i u_i v_i^T: (k, m, count)
    return np.moveaxis(x, -1, 0)


@dataclasses.dataclass(frozen=True)
class Design:
    """X in R^{k x m}, m = k // 2, entries scaled by 10^[-2, 2].

    A third have a prescribed condition number, log-uniform up to 0.1 / sqrt(k eps), so X^T X
    formed in the dtype is safely invertible (kappa^2 < 0.01 / (k eps)); the rest are Gaussian
    (kappa ~ 10). Unless ``full_rank``, also integer matrices, zero rows and (m > 1) a
    duplicated column: rank-deficient X.
    """

    full_rank: bool = False

    vector = True

    def validate(self):
        pass

    @staticmethod
    def kappa_max(dtype, k):
        return 0.1 / np.sqrt(k * float(np.finfo(dtype).eps))

    def sweep(self, dtype, n, k, rng):
        m = _cols(k)
        j, q = n // 3, (0 if self.full_rank else n // 12)
        X = np.empty((n, k, m))  # each block drawn once: normals are most of the sweep's cost
        X[:j] = conditioned_matrices(rng, j, k, m, 10 ** rng.uniform(0, np.log10(self.kappa_max(dtype, k)), j))
        X[j:j + q] = rng.integers(-3, 4, (q, k, m))
        X[j + q:] = rng.standard_normal((n - j - q, k, m))
        if not self.full_rank:
            X[j + q:j + 2 * q, 0] = 0.0  # a zero row
            if m > 1:
                X[j + 2 * q:j + 3 * q, :, 1] = X[j + 2 * q:j + 3 * q, :, 0]  # collinear columns
        return (X * 10 ** rng.uniform(-2, 2, (n, 1, 1))).astype(dtype)

    def strategy(self, dtype, k):
        m = _cols(k)
        if self.full_rank:  # a random orthogonal basis is no shrinkable structure: draw it from a seed
            return st.tuples(st.integers(0, 2 ** 32 - 1), st.floats(0, 1)).map(
                lambda t: conditioned_matrices(np.random.default_rng(t[0]), 1, k, m,
                                               [self.kappa_max(dtype, k) ** t[1]])[0].astype(dtype))
        width = np.dtype(dtype).itemsize * 8
        entry = st.one_of(st.floats(-100, 100, width=width), st.sampled_from([0.0, 1.0, -1.0]))
        return st.lists(entry, min_size=k * m, max_size=k * m).map(lambda v: np.asarray(v, dtype).reshape(k, m))


@dataclasses.dataclass(frozen=True)
class Vector:
    """A vector of length k (``rows``: targets y) or k // 2 (coefficients beta): Gaussian times 10^[-2, 2], some zeros."""

    rows: bool = True

    vector = True

    def validate(self):
        pass

    def sweep(self, dtype, n, k, rng):
        size = k if self.rows else _cols(k)
        v = rng.standard_normal((n, size)) * 10 ** rng.uniform(-2, 2, (n, 1))
        v[: n // 16] = 0.0
        v[n // 16: n // 8] = rng.integers(-3, 4, (n // 8 - n // 16, size))
        return v.astype(dtype)

    def strategy(self, dtype, k):
        size = k if self.rows else _cols(k)
        width = np.dtype(dtype).itemsize * 8
        entry = st.one_of(st.floats(-100, 100, width=width), st.sampled_from([0.0, 1.0, -1.0]))
        return st.lists(entry, min_size=size, max_size=size).map(lambda v: np.asarray(v, dtype))


BETA_X_Y = Args(Vector(rows=False), Design(), Vector(), sizes=ROWS)


def _abs_size(beta, X, y):
    """|| |X||beta| + |y| ||^2: the scale of the objective's roundoff."""
    a = jnp.abs(X) @ jnp.abs(beta) + jnp.abs(y)
    return a @ a



def _gradient_scale(beta, X, y):
    """2 |X|^T (|X| |beta| + |y|): the magnitude the roundoff of the gradient 2 X^T (X beta - y) is relative to."""
    return 2 * (jnp.abs(X).T @ (jnp.abs(X) @ jnp.abs(beta) + jnp.abs(y)))

def _gradient_cond(hand):
    """Condition factor for a gradient that cancels: its error is relative to _gradient_scale, not to itself."""
    def cond(beta, X, y):
        s = _gradient_scale(beta, X, y)
        return s / jnp.maximum(jnp.abs(hand(beta, X, y)), jnp.finfo(s.dtype).eps * s)
    return cond


# -- the normal equations, solved ------------------------------------------------------------------
def _normal_lhs(X, y):
    return X.T @ (X @ rg.normal_equations_solve(X, y))


def _normal_scale(X, y):
    # the solve's backward error is <= 3m u |L||U| (the computed LU factors of X^T X, rows permuted back):
    # componentwise |L||U| <= c|X^T X| has no small c in general, so the factors themselves bound it
    b = rg.normal_equations_solve(X, y)
    p, lo, up = lu(X.T @ X)
    return jnp.abs(X).T @ (jnp.abs(X) @ jnp.abs(b) + jnp.abs(y)) + p @ (jnp.abs(lo) @ (jnp.abs(up) @ jnp.abs(b)))


# -- uniqueness: f(b + d) - f(b) = ||X d||^2 at the minimiser b --------------------------------------
def _pythagoras_sides(X, y, d):
    b = rg.normal_equations_solve(X, y)
    return rg.squared_distance(b + d, X, y) - rg.squared_distance(b, X, y), jnp.sum((X @ d) ** 2)


def _pythagoras_scale(X, y, d):
    b = rg.normal_equations_solve(X, y)
    return (_abs_size(b + d, X, y) + _abs_size(b, X, y) + _abs_size(d, X, jnp.zeros_like(y))
            + 2 * jnp.abs(d) @ _normal_scale(X, y))


# -- Custom checks ----------------------------------------------------------------------------------
def _generic_overdetermined(dtype, budget):
    """For Gaussian (X, y) with n > m: X has full column rank (unique least-squares minimiser) and y = X beta has no
    exact solution (the least-squares residual is far above its roundoff)."""
    jax = configure()
    eps = float(np.finfo(dtype).eps)
    rng = np.random.default_rng(5)
    ev, fails = [], []
    for k in ROWS:
        m = _cols(k)
        count = 1024
        X = rng.standard_normal((count, k, m)).astype(dtype)
        y = rng.standard_normal((count, k)).astype(dtype)
        sv = np.asarray(jax.jit(jax.vmap(lambda a: jnp.linalg.svd(a, compute_uv=False)))(X), np.float64)
        b = jax.jit(jax.vmap(rg.qr_solve))(X, y)
        r = np.asarray(jax.jit(jax.vmap(rg.residual))(b, X, y), np.float64)
        ratio = np.linalg.norm(r, axis=1) / np.linalg.norm(y.astype(np.float64), axis=1)
        kappa = sv[:, 0] / sv[:, -1]
        noise = 10 * k * eps * kappa  # the least-squares residual's roundoff, relative to ||y||
        rank_margin = sv[:, -1] / (k * eps * sv[:, 0])  # > 1: numerically full column rank
        ev.append(evidence(f"n={k}, m={m}: residual / roundoff", dtype, points=count,
                           max_error=float(1 / np.min(ratio / noise)), tolerance=1.0,
                           note=f"min ||y - X b|| / ||y|| = {np.min(ratio):.3g} (no exact solution)"))
        ev.append(evidence(f"n={k}, m={m}: sigma_min / (n eps sigma_max)", dtype, points=count,
                           max_error=float(1 / np.min(rank_margin)), tolerance=1.0,
                           note=f"min sigma_min/sigma_max = {np.min(sv[:, -1] / sv[:, 0]):.3g} (full column rank: unique)"))
        if np.any(ratio <= noise) or np.any(rank_margin <= 1):
            fails.append(f"n={k}: an exact solution or a rank-deficient X among {count} Gaussian draws")
    return outcome(dtype, not fails, evidence=ev, message="; ".join(fails),
                   counterexample={"failures": fails})


def _slope(kappa, err, lo, hi):
    """Least-squares slope of log err against log kappa over the points with lo < err < hi (None if < 3 points)."""
    use = np.isfinite(err) & (err > lo) & (err < hi)
    if use.sum() < 3:
        return None
    return float(np.polyfit(np.log(kappa[use]), np.log(err[use]), 1)[0])


def lauchli(dtype):
    """Läuchli's witness: X with rows (1, 1), (d, 0), (0, d), d the largest power of two with d^2 <= eps/4, and the
    targets y = X b, y' = X b' of b = (2, 0), b' = (0, 2). Returns (X, y, y', b, b', kappa(X)).

    Why the normal equations lose every digit, whatever the rounding (any order of the sums, fused or not):
    X^T X = [[1 + d^2, 1], [1, 1 + d^2]] and 1 + d^2 rounds to 1 (d^2 <= eps/4 < eps/2), so the computed
    X^T X is [[1, 1], [1, 1]], exactly singular; X^T y = (2 + 2d^2, 2) and X^T y' = (2, 2 + 2d^2) both round to
    (2, 2) (2d^2 <= eps/2 < eps, half an ulp of 2). Two systems whose solutions are sqrt(2) ||b|| apart become one
    computed system: any solver returns one answer for both, off by at least ||b - b'|| / 2 = ||b|| / sqrt(2) for
    one of them. kappa(X) = sqrt(2 + d^2) / d: 1.2e4 (float32), 1.9e8 (float64), 4 and 2.8 eps^-1/2.
    """
    eps = float(np.finfo(dtype).eps)
    d = 2.0 ** np.floor(np.log2(eps / 4) / 2)
    X = np.array([[1.0, 1.0], [d, 0.0], [0.0, d]])
    b, b2 = np.array([2.0, 0.0]), np.array([0.0, 2.0])
    return X.astype(dtype), (X @ b).astype(dtype), (X @ b2).astype(dtype), b, b2, float(np.sqrt(2 + d * d) / d)


def _lauchli_evidence(dtype):
    """(evidence rows, failures) of the witness: the normal equations of two systems coincide in floats (the
    premise, checked as computed), so their solutions have no correct digit for one; QR is within its bound."""
    jax = configure()
    X, y, y2, b, b2, kappa = lauchli(dtype)
    eps = float(np.finfo(dtype).eps)
    normal = jax.jit(lambda X, y: (X.T @ X, X.T @ y))
    (g, c), (g2, c2) = normal(X, y), normal(X, y2)
    same = (np.array_equal(g, g2) and np.array_equal(c, c2) and np.linalg.matrix_rank(np.asarray(g, np.float64)) < 2)
    rel = lambda got, want: float(np.linalg.norm(np.asarray(got, np.float64) - want) / np.linalg.norm(want))
    ne = [np.asarray(jax.jit(rg.normal_equations_solve)(X, t)) for t in (y, y2)]
    qr = [np.asarray(jax.jit(rg.qr_solve)(X, t)) for t in (y, y2)]
    err_ne = [rel(s, t) for s, t in zip(ne, (b, b2))]
    err_ne = [e if np.isfinite(e) else np.inf for e in err_ne]
    err_qr = max(rel(s, t) for s, t in zip(qr, (b, b2)))
    bound_qr = X.size * kappa * eps  # gamma_mn kappa, m n = 6
    lost = max(err_ne) >= 1 / np.sqrt(2)  # no correct digit (relative error >= 1/2) for one of the two
    rows = [
        evidence("witness: fl(X^T X), fl(X^T y) of the two systems identical, X^T X singular", dtype, points=2,
                 max_error=0.0 if same else np.inf, tolerance=0.0,
                 note=f"Läuchli X, d = {float(X[1, 0])!r}, kappa(X) = {kappa:.3g} = {kappa * eps ** 0.5:.2g} eps^-1/2; "
                      f"computed X^T X = {np.asarray(g).tolist()}, X^T y = {np.asarray(c).tolist()}, "
                      f"X^T y' = {np.asarray(c2).tolist()}"),
        evidence("witness: normal equations, max relative error of the two", dtype, points=2, max_error=max(err_ne),
                 tolerance=None, note=f"solutions {[s.tolist() for s in ne]} for b = {b.tolist()}, b' = {b2.tolist()}: "
                                      f"no correct digit (>= 1/sqrt 2 for one of them) by construction"),
        evidence("witness: QR, relative error / (kappa eps)", dtype, points=2, max_error=err_qr / (kappa * eps),
                 tolerance=X.size, note=f"QR solutions {[s.tolist() for s in qr]}"),
    ]
    fails = []
    if not same:
        fails.append("the witness's computed normal equations differ (the rounding argument does not hold here)")
    if not lost:
        fails.append("the normal equations kept a digit on the witness")
    if err_qr > bound_qr:
        fails.append("QR above gamma_mn kappa on the witness")
    return rows, fails


def _conditioning(dtype, budget):
    """Relative error of beta from the normal equations against QR: the two bounds on consistent systems of
    prescribed kappa(X), and Läuchli's witness for the loss of every digit past kappa ~ eps^-1/2."""
    jax = configure()
    eps = float(np.finfo(dtype).eps)
    n, m, draws = 12, 4, 3
    kappas = np.repeat(np.logspace(0, np.log10(0.3 / eps), 13), draws)
    rng = np.random.default_rng(11)
    X64 = conditioned_matrices(rng, kappas.size, n, m, kappas)
    X = X64.astype(dtype)
    y = np.einsum("bij,bj->bi", X64, rng.standard_normal((kappas.size, m))).astype(dtype)  # consistent: zero residual
    with mp.workdps(40 + int(2 * np.log10(kappas.max()))):  # the exact least-squares solution of the stored data
        ref = np.array([[float(v) for v in mpl.lstsq(X[i].astype(np.float64).tolist(), y[i].astype(np.float64).tolist())]
                        for i in range(kappas.size)])
    rel = lambda b: np.linalg.norm(np.asarray(b, np.float64) - ref, axis=1) / np.linalg.norm(ref, axis=1)
    with np.errstate(invalid="ignore"):
        err_ne = rel(jax.jit(jax.vmap(rg.normal_equations_solve))(X, y))
        err_qr = rel(jax.jit(jax.vmap(rg.qr_solve))(X, y))
    bound = n * m  # the first-order bounds gamma_{mn} kappa (QR) and gamma_{mn} kappa^2 (normal equations)
    usable = kappas ** 2 * eps < 0.1  # where the normal equations' bound still promises digits
    ne_ratio = np.where(usable, err_ne / (kappas ** 2 * eps), 0.0)
    qr_ratio = err_qr / (kappas * eps)
    # the growth exponents of these draws describe them, they bound nothing: reported, not judged
    slope_ne = _slope(kappas, np.where(usable, err_ne, np.nan), 10 * eps, 0.1)
    slope_qr = _slope(kappas, err_qr, 10 * eps, 0.1)
    beyond = ~usable
    table = ", ".join(f"kappa={k:.0e}: NE {e1:.1e} QR {e2:.1e}" for k, e1, e2 in
                      zip(kappas[::draws * 3], err_ne[::draws * 3], err_qr[::draws * 3]))
    witness, fails = _lauchli_evidence(dtype)
    ev = [
        evidence("QR: err / (kappa eps)", dtype, points=kappas.size, max_error=float(np.max(qr_ratio)), tolerance=bound,
                 note=f"slope of log err vs log kappa on these draws: {slope_qr}"),
        evidence("normal eqs: err / (kappa^2 eps), kappa^2 eps < 0.1", dtype, points=int(usable.sum()),
                 max_error=float(np.max(ne_ratio)), tolerance=bound,
                 note=f"slope of log err vs log kappa on these draws: {slope_ne}; {table}"),
        evidence("normal eqs past kappa^2 eps = 0.1 (no bound: informative)", dtype, points=int(beyond.sum()),
                 max_error=float(np.nanmax(np.where(np.isfinite(err_ne[beyond]), err_ne[beyond], np.inf))),
                 tolerance=None, note=f"NE errors {np.array2string(err_ne[beyond], precision=2)}"),
        *witness,
    ]
    if np.max(qr_ratio) > bound:
        fails.append("QR error above gamma_mn kappa")
    if np.max(ne_ratio) > bound:
        fails.append("normal-equations error above gamma_mn kappa^2")
    return outcome(dtype, not fails, evidence=ev, message="; ".join(fails),
                   counterexample={"failures": fails})


# ----------------------------------------------------------------------------------------------------
GRAD_TOL = Tol(28, "each gradient: products with X and X^T (n + m <= 12 roundings for m <= 4, n <= 8) and 2 "
                   "subtractions, relative to 2|X|^T(|X||beta| + |y|); hand and autodiff each <= 14u: 28u")

CLAIMS = [
    Claim(
        id="regression.overdetermined",
        statement=r"n > m:\ X\beta = y \text{ has in general no solution; } \min_\beta \|X\beta - y\|^2 "
                  r"\text{ has the unique minimiser } (X^TX)^{-1}X^Ty \iff \operatorname{rank} X = m",
        sources=(Source(DOC002, SECTION,
                        "However once we have $$n > m$$, or more data than variables, there is no unique solution anymore"),),
        kind=Kind.EXISTENCE, verdict=Verdict.ERRATUM,
        as_written=r"n > m \Rightarrow y = X\beta \text{ has no unique solution}",
        as_written_check=Inequality(
            lower=rg.smallest_singular_value, upper=lambda X: jnp.zeros((), X.dtype),
            domain=Args(Design(full_rank=True), sizes=ROWS),
            tol=Tol(4, "a singular value is computed to a few ulps of sigma_max; any positive margin beyond is real")),
        check=Custom(run=_generic_overdetermined, description=(
            "1024 Gaussian (X, y) per shape (n, m) = (3, 1), (8, 4) in the dtype: sigma_min(X) > n eps "
            "sigma_max (full column rank, so the least-squares minimiser is unique) and ||y - X b_QR|| above its "
            "roundoff 10 n eps kappa ||y|| (no exact solution)")),
        derivation=rg.normal_equations_solve,
        note="As written it says uniqueness is lost; for n > m the issue is existence: y is generically outside the "
             "m-dimensional column space. A solution, when it exists, is unique iff X has full column rank: the "
             "as-written check (sigma_min(X) = 0, i.e. non-uniqueness) fails on every full-rank X, e.g. with "
             "y = X beta_0 the unique solution is beta_0.",
    ),
    Claim(
        id="regression.square-increasing",
        statement=r"0 \le a \le b \Rightarrow a^2 \le b^2 \text{ (strictly for } a < b\text{), so } "
                  r"\operatorname{argmin}_\beta d_E(X\beta, y)^2 = \operatorname{argmin}_\beta d_E(X\beta, y)",
        sources=(Source(DOC002, SECTION,
                        "this will not change the minimization result because it is a strictly increasing transformation"),),
        kind=Kind.INEQUALITY, verdict=Verdict.IMPRECISE,
        condition=r"t \mapsto t^2 \text{ is strictly increasing on } [0, \infty) \text{ only (where distances live), "
                  r"not on } \mathbb{R}\text{: } (-2)^2 > 1^2",
        check=Inequality(
            lower=lambda a, b: jnp.minimum(a, b) ** 2, upper=lambda a, b: jnp.maximum(a, b) ** 2,
            domain=Args(Real(lo=0.0), Real(lo=0.0)),
            tol=Tol(1, "rounding is monotone, so fl(a^2) <= fl(b^2) for a <= b exactly; one ulp is no real slack"),
        ),
        note="The document's own definition of a strictly increasing transformation is on all of R, where squaring is "
             "not one; it is on the range [0, inf) of a distance, which is what the argument needs. The same rule "
             "rates 002's log, strictly increasing on (0, inf) only (log.strictly-increasing): imprecise too.",
    ),
    Claim(
        id="regression.line1-quadratic-form",
        statement=r"\frac{\partial d_E(X\beta, y)^2}{\partial\beta} = \frac{\partial\big((X\beta - y)^T(X\beta - y)\big)}{\partial\beta}"
                  r"\quad\text{since}\quad d_E(X\beta, y)^2 = (X\beta - y)^T(X\beta - y)",
        sources=(Source(DOC002, SECTION, r"\partial((X\beta y)^T(X\beta -y))"),),
        kind=Kind.IDENTITY, verdict=Verdict.ERRATUM,
        as_written=r"\frac{\partial((X\beta y)^T(X\beta -y))}{\partial \beta}",
        as_written_check=Identity(
            lhs=rg.distance_squared_via_sqrt, rhs=rg.line1_as_written, scale=_abs_size,
            domain=BETA_X_Y, tol=Tol(39, "as for the corrected line")),
        check=Identity(
            lhs=rg.distance_squared_via_sqrt, rhs=rg.quadratic_form, scale=_abs_size,
            domain=BETA_X_Y,
            # A = || |X||beta| + |y| ||^2, m <= 4 columns, n <= 8 rows. r = X beta - y errs by <= (m + 1)u a_i per
            # entry; r . r adds 2(m + 1)u A for r's errors and nu A for its own n products and sums: (2m + n + 2)u A
            # = 18u A. The other side takes its sqrt (half the relative error, plus 1u) and squares it (doubled,
            # plus 1u): 18u + 3u = 21u. The two sides: 39u
            tol=Tol(39, "r . r (2m + n + 2)u = 18u of || |X||b| + |y| ||^2, via sqrt and square 21u: 39u for m <= 4, "
                        "n <= 8"),
        ),
        derivation=rg.quadratic_form,
        note="A typo: the minus sign in (X beta - y)^T is missing. Read with '+' (any operator but '-'), the first "
             "factor gives ||X beta||^2 - ||y||^2, another function with another gradient (2 X^T X beta).",
    ),
    Claim(
        id="regression.line2-expansion",
        statement=r"(X\beta - y)^T(X\beta - y) = \beta^TX^TX\beta - \beta^TX^Ty - y^TX\beta + y^Ty",
        sources=(Source(DOC002, SECTION, r"\beta^TX^TX\beta - \beta^TX^Ty-y^TX\beta -y^Ty"),),
        kind=Kind.IDENTITY, verdict=Verdict.ERRATUM,
        as_written=r"\beta^TX^TX\beta - \beta^TX^Ty-y^TX\beta -y^Ty",
        as_written_check=Identity(
            lhs=rg.quadratic_form, rhs=rg.expansion_as_written, scale=_abs_size,
            domain=BETA_X_Y, tol=Tol(69, "as for the corrected line")),
        check=Identity(
            lhs=rg.quadratic_form, rhs=rg.expansion, scale=_abs_size,
            domain=BETA_X_Y,
            # relative to A = || |X||beta| + |y| ||^2, m <= 4, n <= 8: v = X beta errs by <= mu (|X||beta|)_i; v . v
            # (2m + n)u A, beta . (X^T y) and y . v (m + n)u A each, y . y nu A, three additions 3u A: (4m + 4n + 3)u
            # = 51u; the quadratic form (2m + n + 2)u = 18u (line 1). The two sides: 69u
            tol=Tol(69, "four cancelling terms (4m + 4n)u and 3 additions of || |X||b| + |y| ||^2: 51u; the quadratic "
                        "form 18u: 69u for m <= 4, n <= 8"),
        ),
        derivation=rg.expansion,
        note="The constant is +y^T y, not -y^T y. The derivative of the line is unaffected (a constant), so the "
             "next line is not wrong because of it, but the expression inside the derivative is.",
    ),
    Claim(
        id="regression.line3-term-gradients",
        statement=r"\frac{\partial}{\partial\beta}\big(\beta^TX^TX\beta - \beta^TX^Ty - y^TX\beta + y^Ty\big) = "
                  r"2X^TX\beta - X^Ty - (y^TX)^T - 0",
        sources=(Source(DOC002, SECTION, r"2X^TX\beta -X^Ty  -y^TX - 0"),),
        kind=Kind.GRADIENT, verdict=Verdict.ERRATUM,
        as_written=r"2X^TX\beta -X^Ty  -y^TX - 0",
        as_written_check=Identity(
            lhs=rg.line3_as_written,
            rhs=lambda b, X, y: jnp.broadcast_to(rg.gradient(b, X, y)[:, None], (b.shape[0], b.shape[0])),
            scale=lambda b, X, y: jnp.broadcast_to(_gradient_scale(b, X, y)[:, None], (b.shape[0], b.shape[0])),
            domain=BETA_X_Y, tol=GRAD_TOL),
        check=Derivative(
            forward=rg.expansion, derivative=rg.line3, domain=BETA_X_Y, wrt=0,
            cond=_gradient_cond(rg.line3), tol=GRAD_TOL,
        ),
        derivation=rg.line3,
        note="y^T X is a 1 x m row next to the m x 1 columns 2X^TX beta and X^T y: the sum has no shape (array "
             "broadcasting makes it an m x m matrix, which is what the as-written check evaluates; it agrees with the "
             "gradient only for m = 1). In numerator layout the gradient of y^T X beta is y^T X, in the denominator "
             "layout used for the other terms it is (y^T X)^T = X^T y.",
    ),
    Claim(
        id="regression.gradient",
        statement=r"\frac{\partial}{\partial\beta}\|X\beta - y\|_2^2 = 2X^TX\beta - 2X^Ty",
        sources=(Source(DOC002, SECTION, r"&= 2X^TX\beta -2X^Ty"),),
        kind=Kind.GRADIENT, verdict=Verdict.HOLDS,
        check=Derivative(
            forward=rg.squared_distance, derivative=rg.gradient, domain=BETA_X_Y, wrt=0,
            cond=_gradient_cond(rg.gradient), tol=GRAD_TOL,
        ),
        derivation=rg.gradient,
        note="The final line is right (line 3 with (y^T X)^T = X^T y). Autodiff differentiates the from-scratch "
             "sum of squared residuals; errors are judged against 2|X|^T(|X||beta| + |y|) because the gradient "
             "cancels near the minimiser.",
    ),
    Claim(
        id="regression.normal-equations",
        statement=r"\nabla_\beta \|X\beta - y\|^2 = 0 \iff X^TX\beta = X^Ty \iff \beta = (X^TX)^{-1}X^Ty "
                  r"\quad (X^TX \text{ invertible})",
        sources=(
            Source(DOC002, SECTION, "To find the optimal we set the derivative with respect to"),
            Source(DOC002, SECTION, r"(X^TX)^{-1}X^Ty &= \beta"),
        ),
        kind=Kind.IDENTITY, verdict=Verdict.HOLDS,
        condition=r"X^TX \text{ invertible} \iff \operatorname{rank} X = m \text{ (needs } n \ge m\text{)}",
        check=Identity(
            lhs=_normal_lhs, rhs=lambda X, y: X.T @ y, scale=_normal_scale,
            domain=Args(Design(full_rank=True), Vector(), sizes=ROWS),
            # u = eps, m <= 4, n <= 8 (ROWS). An LU solve is backward stable: (A + E) b = c with |E| <= 3m u |L||U|
            # (12u of |L||U||b|, in the scale); forming A = X^TX and c = X^Ty n u each: 16u; the check's own
            # X^T(X b): (n + m)u = 12u; both of |X|^T(|X||b| + |y|)
            tol=Tol(40, "solve 3m u of |L||U||b|, forming X^TX and X^Ty n u each, the check's X^T X b (n + m)u: 40u for "
                        "m <= 4, n <= 8 (u = eps), relative to |X|^T(|X||b| + |y|) + |L||U||b|"),
        ),
        derivation=rg.normal_equations_solve,
        note="Certified as the gradient vanishing at the closed form, for X of full column rank with kappa(X) up to "
             "0.1/sqrt(n eps) (so X^T X formed in the dtype is safely invertible). The inverse is never formed. "
             "For rank-deficient X, X^T X is singular and the last step does not exist.",
    ),
    Claim(
        id="regression.unique-minimiser",
        statement=r"\hat\beta = (X^TX)^{-1}X^Ty:\ \|X(\hat\beta + \delta) - y\|^2 - \|X\hat\beta - y\|^2 = \|X\delta\|^2 > 0 "
                  r"\ \forall \delta \ne 0 \iff \operatorname{rank} X = m",
        sources=(Source(DOC002, SECTION, "Where the last line gives us a unique solution for"),),
        kind=Kind.IDENTITY, verdict=Verdict.IMPRECISE,
        condition=r"\operatorname{rank} X = m \text{ (no column a combination of the others; needs } n \ge m\text{): then "
                  r"} \|X\delta\| > 0 \text{ for } \delta \ne 0\text{; otherwise every } \hat\beta + \delta,\ \delta \in \ker X\text{, is a minimiser}",
        check=Identity(
            lhs=lambda X, y, d: _pythagoras_sides(X, y, d)[0], rhs=lambda X, y, d: _pythagoras_sides(X, y, d)[1],
            scale=_pythagoras_scale,
            domain=Args(Design(full_rank=True), Vector(), Vector(rows=False), sizes=ROWS),
            # two objectives of <= (2m + n + 2)u each (22u), ||X d||^2 (2m + n)u = 20u, and the cross term
            # 2 d^T X^T(X b - y) that the solve leaves, <= 64u of 2|d|^T |X|^T(|X||b| + |y|): <= 128u in all
            tol=Tol(128, "two objectives 22u each, ||Xd||^2 20u, the solve's residual cross term 64u; relative to their magnitudes"),
        ),
        derivation=rg.normal_equations_solve,
        note="The document leaves the condition to 'the assumptions of linear regression'; the one that matters is "
             "full column rank. At the minimiser the objective grows by exactly ||X delta||^2 in any direction: "
             "strictly unless X delta = 0.",
    ),
    Claim(
        id="regression.normal-equations-conditioning",
        statement=r"\frac{\|\hat\beta_{NE} - \hat\beta\|}{\|\hat\beta\|} \lesssim mn\,\kappa(X)^2\varepsilon \text{ vs. } "
                  r"\frac{\|\hat\beta_{QR} - \hat\beta\|}{\|\hat\beta\|} \lesssim mn\,\kappa(X)\,\varepsilon, "
                  r"\quad \kappa(X^TX) = \kappa(X)^2",
        sources=(Source(DOC002, SECTION,
                        "This distance measure has the advantage that we can easily calculate the optimal values for"),),
        kind=Kind.STABILITY, verdict=Verdict.IMPRECISE,
        condition=r"\kappa(X)^2 \varepsilon \ll 1\text{, i.e. } \kappa(X) \ll \varepsilon^{-1/2} \approx 2.9\cdot 10^3 "
                  r"\text{ (float32)}, 6.7\cdot 10^7 \text{ (float64)}; \text{beyond, the normal equations' bound promises "
                  r"no digit, and they can lose every one: for L\"auchli's } X = (1, 1; \delta, 0; 0, \delta),\ "
                  r"\delta^2 \le \varepsilon/4,\ \kappa(X) \approx \sqrt{2}/\delta \text{ the computed } X^TX "
                  r"\text{ is exactly singular, while QR's bound } mn\,\kappa(X)\,\varepsilon \text{ still promises digits "
                  r"up to } \kappa(X) \approx (mn\varepsilon)^{-1}",
        check=Custom(run=_conditioning, description=(
            "consistent systems y = X beta_0 (12 x 4) with kappa(X) from 1 to 0.3/eps, 3 draws each, solved in the "
            "dtype by the normal equations and by QR, against the exact least-squares solution of the stored data "
            "(mpmath): errors within mn kappa eps (QR) and, where kappa^2 eps < 0.1, mn kappa^2 eps (normal "
            "equations); and Läuchli's witness, two systems whose computed normal equations are identical, so that "
            "one of them has no correct digit, while QR solves both within mn kappa eps")),
        derivation=rg.normal_equations_solve,
        note="'Easily calculate' holds on paper; in floating point forming X^T X squares the condition number. "
             "Both error bounds are upper bounds: a random system past kappa = eps^-1/2 may keep digits (a float64 "
             "draw at kappa^2 eps > 10 kept 7e-3 on an AVX-512 CPU), so the loss is shown on a constructed witness whose loss "
             "follows from the rounding of 1 + delta^2 alone (checks.claims.regression.lauchli). The evidence lists the errors per "
             "kappa and their fitted growth exponents (near 2 and 1 on these draws: a description, not a bound).",
    ),
]
