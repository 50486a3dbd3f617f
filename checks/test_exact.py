"""The exact interpreter: a claim's own JAX programs evaluated in ball arithmetic (checks/engine/exact)."""
import math

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest

from derivations import softmax as sm
from derivations.sigmoid import sigmoid
from checks.engine import exact, platform
from checks.engine.exact import cache

platform.configure()


def floats(result, i=0):
    assert all(result.status == exact.OK), list(zip(result.status, result.reason))
    return result.floats(i)


def test_values_are_the_real_numbers_of_the_program():
    x = np.array([-800.0, -40.0, 0.0, 3.0, 710.0])
    got = floats(exact.values(sigmoid, [x]))
    with mpmath.workdps(50):
        want = [float(1 / (1 + mpmath.exp(-mpmath.mpf(v)))) for v in x]
    assert got.tolist() == want  # correctly rounded, even where float64's own sigmoid underflows (-800)


def test_a_float_constant_is_the_binary_fraction_it_is():
    got = exact.values(lambda x: x + 0.1, [np.array([0.0])]).values[0][0]
    assert got == exact.values(lambda x: x, [np.array([0.1])]).values[0][0]  # 0.1 as a float64, exactly


def test_first_derivatives_by_power_series():
    x = np.array([-30.0, -1.0, 0.0, 2.0, 30.0])
    got = floats(exact.derivatives(sigmoid, [x]))
    with mpmath.workdps(50):
        want = [float(mpmath.exp(-mpmath.mpf(v)) / (1 + mpmath.exp(-mpmath.mpf(v))) ** 2) for v in x]
    assert got.tolist() == want


def test_a_jacobian_has_jacrev_layout():
    z = np.array([[1.0, 2.0, 3.0]])
    got = floats(exact.derivatives(sm.softmax, [z]))[0]
    np.testing.assert_allclose(got, np.asarray(jax.jacrev(sm.softmax)(z[0])), rtol=1e-14)


def test_second_derivatives_and_hessians():
    x = np.array([0.0, 1.0])
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(floats(exact.derivatives(sigmoid, [x], order=2)), s * (1 - s) * (1 - 2 * s),
                               rtol=1e-15, atol=1e-300)
    z = np.array([[0.5, -1.0, 2.0]])
    hess = floats(exact.derivatives(sm.logsumexp, [z], order=2))[0]
    p = np.asarray(sm.softmax(z[0]))
    np.testing.assert_allclose(hess, np.diag(p) - np.outer(p, p), rtol=1e-14)


def test_a_switch_that_joins_smoothly_has_a_derivative():
    """The stable sigmoid switches branches at 0 and uses |x|: the derivative from both sides is 1/4."""
    assert floats(exact.derivatives(sigmoid, [np.array([0.0])])).tolist() == [0.25]


def test_a_tie_of_the_max_in_a_smooth_formula():
    """logsumexp subtracts the max: at a tie the gradient is still 1/n (both sides of the tie agree)."""
    got = floats(exact.derivatives(sm.logsumexp, [np.zeros((1, 3))]))[0]
    assert np.allclose(got, 1 / 3, rtol=1e-15)


def test_a_kink_is_a_branch_point():
    def hinge(z):
        return jnp.maximum(0.0, 1.0 - z)

    got = exact.derivatives(hinge, [np.array([0.5, 1.0, 2.0])])
    assert got.status.tolist() == [exact.OK, exact.BRANCH, exact.OK]
    assert got.floats()[[0, 2]].tolist() == [-1.0, 0.0]


def test_custom_rules_are_not_used_the_primal_is():
    @jax.custom_jvp
    def f(x):
        return x ** 2

    f.defjvp(lambda p, t: (f(p[0]), 3 * p[0] * t[0]))  # a wrong rule: the truth ignores it
    assert floats(exact.derivatives(f, [np.array([2.0])])).tolist() == [4.0]


def test_infinite_inputs_follow_the_real_limits():
    got = floats(exact.values(lambda x: jnp.exp(x), [np.array([-np.inf, np.inf])]))
    assert got.tolist() == [0.0, np.inf]
    lse = floats(exact.values(sm.logsumexp, [np.array([[0.0, -np.inf, 0.0]])]))
    assert lse.tolist() == [math.log(2)]


def test_undefined_values_are_said():
    got = exact.values(jnp.log, [np.array([-1.0, 1.0])])
    assert got.status.tolist() == [exact.UNDEFINED, exact.OK]


def test_precision_grows_where_the_program_cancels():
    got = floats(exact.values(lambda x: jnp.log(jnp.exp(x)), [np.array([1e300, 1e-300])]))
    assert got.tolist() == [1e300, 1e-300]
    # log(1 - sigma(x)) = -x - log(1 + e^-x): exact, but the program's 1 - sigma(x) cancels 1.4e100 bits
    hopeless = exact.values(lambda x: jnp.log(1 - sigmoid(x)), [np.array([1e100])])
    assert hopeless.status.tolist() == [exact.UNDECIDED]


def test_a_linear_solve_is_exact():
    a = np.array([[[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]]])
    b = np.array([[1.0, 2.0, 3.0]])
    got = floats(exact.values(jnp.linalg.solve, [a, b]))[0]
    assert np.allclose(a[0] @ got, b[0], rtol=0, atol=1e-15)


def test_an_unsupported_primitive_names_itself():
    with pytest.raises(exact.Unsupported, match="'lgamma'"):
        exact.values(jax.lax.lgamma, [np.array([1.0])])


def test_the_cache_returns_what_was_computed(tmp_path, monkeypatch):
    monkeypatch.setenv("CERTIFY_EXACT_CACHE", str(tmp_path))
    x = np.array([[0.5, -1.0, 2.0]])
    first = exact.derivatives(sm.softmax, [x])
    assert list(tmp_path.rglob("*")), "nothing was stored"
    second = exact.derivatives(sm.softmax, [x])
    assert all(a.mid() == b.mid() and a.rad() == b.rad() for a, b in zip(first.values[0].ravel(), second.values[0].ravel()))
    program = cache.program(jax.make_jaxpr(jax.vmap(sm.softmax))(x))
    assert program == cache.program(jax.make_jaxpr(jax.vmap(sm.softmax))(x))  # no object address in it
    assert program != cache.program(jax.make_jaxpr(jax.vmap(sm.log_softmax))(x))
    assert cache.key(program, [x], ("values",)) != cache.key(program, [x + 1], ("values",))
