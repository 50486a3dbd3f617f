"""Custom checks of the sigmoid, softplus and logistic claims, and the mpmath forms they evaluate point by point.

The mpmath forms are written without catastrophic subtraction, so 50 digits mean 50
correct digits (``-sigmoid(-z)`` rather than ``sigmoid(z) - 1``).
"""
from __future__ import annotations

import functools

import numpy as np
from mpmath import mp

from checks.engine.outcomes import evidence, judged
from checks.engine.platform import configure, flushes_subnormals
from checks.engine.tolerance import Tol, finfo, ulp_error

from . import _mp

# -- referees (precision set by the engine) ---------------------------------------------------


def relu_gap(x):
    return mp.log1p(mp.exp(-abs(x)))


# -- custom checks ------------------------------------------------------------------------------


def _exact(f, xs, dtype, dps=50):
    """mpmath ``f`` at each point, rounded once to float64 and then to ``dtype`` (overflow to inf)."""
    with mp.workdps(dps):
        vals = np.array([float(f(mp.mpf(float(x)))) for x in np.asarray(xs, np.float64)], np.float64)
    with np.errstate(over="ignore"):
        return vals.astype(dtype)


_INT = {"float32": np.int32, "float64": np.int64}  # T > 0: consecutive floats have consecutive bit patterns


def jit_vmap(fn):
    jax = configure()
    return jax.jit(jax.vmap(fn))


def _floor(dtype, backend=True):
    """The scale floor of relative errors: the smallest normal, or tiny/eps where subnormals are flushed."""
    return Tol(1, "floor only").floor(dtype, flushes_subnormals(dtype) if backend else False)


@functools.lru_cache(maxsize=None)
def exp_overflow_threshold(dtype: str, exp=None) -> float:
    """The largest float x of ``dtype`` whose ``exp(x)`` is finite (default: ``jnp.exp`` on this backend)."""
    if exp is None:
        jax = configure()
        exp = jax.jit(jax.numpy.exp)
    c = np.asarray(np.log(float(finfo(dtype).max)), dtype)
    up, down = [c], [c]
    for _ in range(2000):  # a window of 4000 consecutive floats around log(max)
        up.append(np.nextafter(up[-1], np.asarray(np.inf, dtype)))
        down.append(np.nextafter(down[-1], np.asarray(-np.inf, dtype)))
    grid = np.unique(np.array(up + down, dtype))
    with np.errstate(over="ignore"):
        finite = np.isfinite(np.asarray(exp(grid)))
    assert finite[0] and not finite[-1] and np.all(np.diff(finite.astype(int)) <= 0), "exp is not monotone here"
    return float(grid[finite].max())


def exp_overflow_model(dtype: str) -> float:
    """The largest float x of ``dtype`` whose correctly rounded exp is finite: exp(x) below max + ulp(max)/2."""
    fi = finfo(dtype)
    with mp.workdps(60):
        top = mp.mpf(float(fi.max))
        ulp = top - mp.mpf(float(np.nextafter(fi.max, np.asarray(0, dtype))))  # max and its neighbour: one binade
        limit = mp.log(top + ulp / 2)
        x = np.asarray(float(limit), dtype)  # within a float of the limit: step to the largest float below it
        while mp.mpf(float(x)) >= limit:
            x = np.nextafter(x, np.asarray(-np.inf, dtype))
        while mp.mpf(float(np.nextafter(x, np.asarray(np.inf, dtype)))) < limit:
            x = np.nextafter(x, np.asarray(np.inf, dtype))
    return float(x)


def subnormal_band_start(dtype: str) -> float:
    """log(smallest subnormal / 2): below it the correctly rounded sigmoid is 0 (IEEE gradual underflow)."""
    with mp.workdps(50):
        return float(mp.log(mp.mpf(float(finfo(dtype).smallest_subnormal)) / 2))


def _sweep(component, dtype, n, seed=0):
    return component.sweep(dtype, n, 1, np.random.default_rng(seed))


def sigmoid_forms_large_x(first, second, tol):
    """"The first form suits x >> 0": ``first`` accurate on [0, max]; ``second`` accurate up to the exp
    overflow threshold T and nan at every point above it."""
    from checks.engine import Real

    def run(dtype, budget):
        T = exp_overflow_threshold(dtype)
        big = float(finfo(dtype).max)
        with np.errstate(over="ignore"):  # 10**log10(max) may round past max: clipped back
            above = np.minimum(np.geomspace(T, big, 64), big).astype(dtype)
        xs = np.unique(np.concatenate([_sweep(Real(lo=0.0), dtype, budget.exact_points // 4), above, np.asarray([T], dtype),
                                       np.nextafter(np.asarray([T], dtype), np.asarray(np.inf, dtype))]))
        exact = _exact(_mp.sigmoid, xs, dtype)
        f1, f2 = np.asarray(jit_vmap(first)(xs)), np.asarray(jit_vmap(second)(xs))
        e1 = ulp_error(f1, exact, np.abs(exact), dtype, _floor(dtype))
        below = xs <= T
        e2 = ulp_error(f2[below], exact[below], np.abs(exact[below]), dtype, _floor(dtype))
        nan_above = np.isnan(f2[~below])
        worst = xs[np.argmax(np.where(below, 0, ~np.isnan(f2)))] if not nan_above.all() else xs[np.argmax(e1)]
        model = exp_overflow_model(dtype)
        apart = abs(int(np.asarray(T, dtype).view(_INT[dtype])) - int(np.asarray(model, dtype).view(_INT[dtype])))
        return judged(dtype, [
            (evidence("T: floats from the correctly rounded exp's", dtype, 1, apart, 1,
                      f"T = {T!r} on the backend, {model!r} for a correctly rounded exp"), apart <= 1),
            (evidence("first form 1/(1+e^-x), 0<=x<=max", dtype, xs.size, e1.max(), tol), bool(e1.max() <= tol)),
            (evidence(f"second form e^x/(1+e^x), 0<=x<={T!r}", dtype, below.sum(), e2.max(), tol),
             bool(e2.max() <= tol)),
            (evidence(f"second form nan for x > {T!r} (exp overflows)", dtype, (~below).sum(),
                       0.0 if nan_above.all() else np.inf, None,
                       f"nan at {nan_above.sum()} of {nan_above.size} points above T"), bool(nan_above.all())),
        ], message=f"exp overflow threshold T = {T!r}", counterexample={"args": [[float(worst)]], "dtype": dtype})

    return run


def sigmoid_forms_small_x(first, second, tol, grad_tol):
    """"The second form suits x << 0", settled on values and on gradients.

    Values: ``second`` is accurate on (-inf, 0]; ``first`` is accurate on [-T, 0] and exactly 0 below -T (T the
    evaluator's own exp overflow threshold: the backend's, and numpy's for IEEE gradual underflow), its only
    inaccurate points in the subnormal band (log(min_subnormal/2), -T). Gradients (jax.grad): ``second``'s is
    accurate on (-inf, 0]; ``first``'s is NaN below -T (inf/inf) and, on a flush-to-zero backend, has no correct
    digit wherever the true value is normal and x < log(tiny)/2, where (1 + e^-x)^2 passes 1/tiny and its
    reciprocal is flushed. That boundary is a property of the dtype (checked against the first form's gradient
    within ``GRADIENT_WINDOW`` floats of it, where an ulp of exp's rounding may fall either way)."""
    from checks.engine import Real

    numpy_forms = {  # the same two formulas in numpy: IEEE arithmetic with gradual underflow, for comparison
        "first": lambda x: 1 / (1 + np.exp(-x)),
        "second": lambda x: np.exp(x) / (1 + np.exp(x)),
    }

    def run(dtype, budget):
        jax = configure()
        L = subnormal_band_start(dtype)
        fi = finfo(dtype)
        with mp.workdps(50):
            Z = float(mp.log(mp.mpf(float(fi.tiny))) / 2)  # (1 + e^-x)^2 = 1/tiny, to within e^x relative
        xs = np.unique(np.concatenate([_sweep(Real(hi=0.0), dtype, budget.exact_points // 4),
                                       np.linspace(L - 5, -exp_overflow_threshold(dtype) + 5, 200).astype(dtype),
                                       np.linspace(2 * Z, Z / 2, 200).astype(dtype)]))
        exact = _exact(_mp.sigmoid, xs, dtype)
        rows = []
        for where, (f1, f2), floor, T in (
                ("backend", (np.asarray(jit_vmap(first)(xs)), np.asarray(jit_vmap(second)(xs))), _floor(dtype),
                 exp_overflow_threshold(dtype)),
                ("numpy IEEE", _numpy_eval(numpy_forms, xs), _floor(dtype, backend=False),
                 exp_overflow_threshold(dtype, np.exp))):
            band = (xs > L) & (xs < -T)
            e1 = ulp_error(f1, exact, np.abs(exact), dtype, floor)
            e2 = ulp_error(f2, exact, np.abs(exact), dtype, floor)
            inside = xs >= -T
            wrong1 = e1 > tol
            rows += [
                (evidence(f"{where}: second form, x<=0", dtype, xs.size, e2.max(), tol), bool(e2.max() <= tol)),
                (evidence(f"{where}: first form, -T<=x<=0", dtype, inside.sum(), e1[inside].max(), tol,
                          f"T = {T!r}, the largest float whose exp is finite here"), bool(e1[inside].max() <= tol)),
                (evidence(f"{where}: first form is 0 below -T", dtype, (~inside).sum(),
                           0.0 if np.all(f1[~inside] == 0) else np.inf, None), bool(np.all(f1[~inside] == 0))),
                (evidence(f"{where}: first form wrong only in (log(min_sub/2), -T)", dtype, wrong1.sum(),
                           e1[band].max(initial=0.0), tol,
                           f"wrong at {wrong1.sum()} points, {(wrong1 & band).sum()} of {band.sum()} band points "
                           f"of ({L:.6g}, {-T!r})"),
                 bool(np.all(band[wrong1]))),
            ]
            if where == "numpy IEEE":  # with gradual underflow the band is real: the first form loses values there
                rows.append((evidence("numpy IEEE: first form returns 0 for a nonzero subnormal in the band", dtype,
                                       (wrong1 & band).sum(), 0.0 if (wrong1 & band).any() else np.inf, None),
                             bool((wrong1 & band).any())))
        rows += _small_x_gradients(jax, first, second, xs, Z, dtype, grad_tol)
        return judged(dtype, rows, message=f"band ({L:.6g}, {-exp_overflow_threshold(dtype)!r}); gradient of the "
                                           f"first form wrong below {Z:.8g}",
                      counterexample={"args": [[float(xs[0])]], "dtype": dtype})

    return run


def _numpy_eval(forms, xs):
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return forms["first"](xs), forms["second"](xs)


GRADIENT_WINDOW = 2  # floats either side of log(tiny)/2 left unjudged: the exact boundary is within e^x of it


def _small_x_gradients(jax, first, second, xs, Z, dtype, grad_tol):
    """(evidence, ok) rows: jax.grad of both forms on x <= 0 against sigma(x)sigma(-x) (mpmath)."""
    T = exp_overflow_threshold(dtype)
    exact = _exact(_mp.sigmoid_grad, xs, dtype)
    floor = _floor(dtype)
    g1, g2 = (np.asarray(jit_vmap(jax.grad(f))(xs)) for f in (first, second))
    e1 = ulp_error(g1, exact, np.abs(exact), dtype, floor)
    e2 = ulp_error(g2, exact, np.abs(exact), dtype, floor)
    lo = hi = np.asarray(Z, dtype)
    for _ in range(GRADIENT_WINDOW):
        lo, hi = np.nextafter(lo, np.asarray(-np.inf, dtype)), np.nextafter(hi, np.asarray(np.inf, dtype))
    normal = np.abs(exact) >= float(finfo(dtype).tiny)
    above, below = xs > hi, (xs < lo) & (xs >= -T)
    flush = flushes_subnormals(dtype)
    lost = below & normal
    rows = [
        (evidence("backend: grad of the second form, x<=0", dtype, xs.size, e2.max(), grad_tol), bool(e2.max() <= grad_tol)),
        (evidence("backend: grad of the first form, log(tiny)/2 < x <= 0", dtype, above.sum(), e1[above].max(), grad_tol),
         bool(e1[above].max() <= grad_tol)),
        (evidence("backend: grad of the first form NaN below -T", dtype, (xs < -T).sum(),
                  0.0 if np.all(np.isnan(g1[xs < -T])) else np.inf, None), bool(np.all(np.isnan(g1[xs < -T])))),
    ]
    if flush:  # with gradual underflow 1/(1 + e^-x)^2 degrades through the subnormals instead: not stated
        rows.append((evidence("backend: grad of the first form 0 where the truth is normal, x < log(tiny)/2", dtype,
                              lost.sum(), 0.0 if np.all(g1[lost] == 0) else np.inf, None,
                              f"{lost.sum()} points in ({xs[lost].min(initial=0):.8g}, {Z:.8g}); flush-to-zero"),
                     bool(lost.any() and np.all(g1[lost] == 0))))
    return rows


ANTIDERIVATIVE_POINTS = (-100.0, -40.0, -20.0, -5.0, -2.0, -0.5, -0.125, 0.0, 0.125, 0.5, 2.0, 5.0, 20.0, 40.0, 100.0)


def _integral_of_sigmoid(x):
    """integral_{-inf}^x sigma(t) dt = integral_0^inf sigma(x - s) ds by quadrature (no use of softplus)."""
    if x <= 0:  # the integrand is ~e^x: integrate e^{-x} sigma(x - s) = e^{-s} / (1 + e^{x - s}), of size 1
        return mp.exp(x) * mp.quad(lambda s: mp.exp(-s) / (1 + mp.exp(x - s)), [0, 1, 4, 16, 64, mp.inf])
    nodes = sorted({mp.mpf(0), x} | {b for b in (x - 16, x - 4, x + 4, x + 16, x + 64) if b > 0})
    return mp.quad(lambda s: _mp.sigmoid(x - s), nodes + [mp.inf])  # breakpoints around the step at s = x


@functools.lru_cache(maxsize=None)
def _sigmoid_integrals(points):
    """(quadrature of sigma from -inf to x, softplus(x)) at 40 digits."""
    with mp.workdps(40):
        return [(_integral_of_sigmoid(mp.mpf(x)), _mp.softplus(mp.mpf(x))) for x in points]


def antiderivative(fn, tol):
    """A Custom run: integral_{-inf}^x sigma = softplus(x) by mpmath quadrature, and ``fn`` (the float
    softplus) against the integral."""

    def run(dtype, budget):
        pts = ANTIDERIVATIVE_POINTS
        vals = _sigmoid_integrals(pts)
        rel = max(float(abs(q - z) / z) for q, z in vals)
        xs = np.asarray(pts, dtype)
        with np.errstate(over="ignore", under="ignore"):
            exact = np.array([float(q) for q, _ in vals], np.float64).astype(dtype)
        got = np.asarray(jit_vmap(fn)(xs))
        err = ulp_error(got, exact, np.abs(exact), dtype, _floor(dtype))
        return judged(dtype, [
            (evidence("mpmath quad of sigma vs softplus (relative, 40 digits)", dtype, len(pts), rel, 1e-25),
             rel <= 1e-25),
            (evidence("float softplus vs the quadrature", dtype, len(pts), err.max(), tol), bool(err.max() <= tol)),
        ], counterexample={"args": [[float(xs[int(np.argmax(err))])]], "dtype": dtype})

    return run
