"""The engine's own tests: planted wrong derivations are rejected, right ones accepted, declarations validated."""
import dataclasses
import importlib

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from derivations import softmax as sm
from derivations.sigmoid import sigmoid, sigmoid_grad, sigmoid_naive
from checks.claims import _mp
from checks.engine import (Args, Claim, DeclarationError, Derivative, Exists, Identity, Inequality, Kind, Logits, Mask,
                           Real, Simplex, Source, Tol, Verdict, platform, registry, runner, shapes, simplify)
from checks.engine.tolerance import ulp_error

SRC = Source("engine-test.txt", "Planted", "a planted derivation")
QUICK = runner.Budget(points=4000, examples=10, exact_points=48)
TOL = Tol(12, "as sigmoid.derivative: hand <= 7u plus autodiff <= 5u")


def claim(check, verdict=Verdict.HOLDS, **kw):
    return Claim(id="planted.claim", statement="x", sources=(SRC,), kind=Kind.GRADIENT, verdict=verdict, check=check, **kw)


def sigmoid_check(derivative, **kw):
    return Derivative(forward=sigmoid_naive, derivative=derivative, domain=Real(), tol=TOL, **kw)


def softmax_jacobian_check(jacobian):
    return Derivative(forward=sm.softmax_naive, derivative=jacobian, domain=Args(Logits(bound=50.0), sizes=(3,)),
                      cond=lambda z: 1 + jnp.max(jnp.abs(z - jnp.max(z))),
                      tol=Tol(40, "softmax entries: exp, 3-term sum, divide; squared in products; both sides"))


def certify(check, dtype, **kw):
    return runner.certify(claim(check, **kw), dtype, QUICK)


# -- right derivations are accepted --------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_right_derivations_are_certified(dtype):
    assert certify(sigmoid_check(sigmoid_grad), dtype).status == "certified"
    assert certify(softmax_jacobian_check(sm.softmax_jacobian), dtype).status == "certified"


# -- planted errors are rejected, each by an oracle that can say so ---------------------------------

PLANTED = {
    "dropped factor": lambda z: sigmoid(z),                                  # sigma instead of sigma(1 - sigma)
    "sign error": lambda z: -sigmoid_grad(z),
    "wrong only beyond |z| > 20": lambda z: jnp.where(jnp.abs(z) > 20, 2 * sigmoid_grad(z), sigmoid_grad(z)),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_errors_are_rejected(name, dtype):
    out = certify(sigmoid_check(PLANTED[name]), dtype)
    assert out.status == "FAILED", out
    assert out.counterexample and "python -m checks repro" in out.counterexample["repro"]
    if name.startswith("wrong only beyond"):
        assert abs(out.counterexample["args"][0]) > 20


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_failure_everywhere_shrinks_to_a_simple_input_failing_decisively(dtype):
    """Wrong at every z: the counterexample a reader checks by hand is z = 0, not where Hypothesis or the sweep
    stopped; and a derivative wrong by a little near the tolerance except at z = 0 shows z = 0 too."""
    out = certify(sigmoid_check(PLANTED["sign error"]), dtype)
    assert out.counterexample["args"] == [0.0], out.counterexample
    bump = certify(sigmoid_check(lambda z: sigmoid_grad(z) * (1 + 40 * jnp.finfo(z.dtype).eps)
                                 + jnp.where(z == 0, 1e-3, 0.0).astype(z.dtype)), dtype)
    assert bump.status == "FAILED" and bump.counterexample["args"] == [0.0], bump.counterexample
    for cex in (out.counterexample, bump.counterexample):
        assert cex["error_ulps"] >= simplify.DECISIVE * TOL.ulps
    # off by 40 ulps everywhere, under 4 tolerances: at its simplest input, by as much as where it was found
    off = certify(sigmoid_check(lambda z: sigmoid_grad(z) * (1 + 40 * jnp.finfo(z.dtype).eps)), dtype)
    assert off.counterexample["args"] == [0.0] and off.counterexample["error_ulps"] > TOL.ulps, off.counterexample


def test_a_simplified_counterexample_stays_in_the_domain():
    check = Derivative(forward=sigmoid_naive, derivative=PLANTED["sign error"], domain=Real(2.2, 30.0), tol=TOL)
    x, = certify(check, "float64").counterexample["args"]
    assert 2.2 <= x <= 30 and simplify.complexity(x, "float64") < simplify.complexity(2.25, "float64"), x


def test_the_simplest_values_come_first():
    order = sorted([-59.34626007080078, 5e-324, 0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 60.0, 59.3], key=lambda v:
                   simplify.complexity(v, "float64"))
    assert order == [0.0, -0.0, 1.0, 2.0, 0.5, -1.0, 60.0, 59.3, -59.34626007080078, 5e-324]


def test_relative_error_of_1e_3_only_in_float64_is_rejected_there():
    def slightly_off(z):  # right in float32, 1e-3 relative error in float64
        return sigmoid_grad(z) * (1 + 1e-3) if z.dtype == jnp.float64 else sigmoid_grad(z)

    assert certify(sigmoid_check(slightly_off), "float32").status == "certified"
    out = certify(sigmoid_check(slightly_off), "float64")
    assert out.status == "FAILED"
    errors = {e.oracle: e.max_error for e in out.evidence}
    assert errors["reverse"] > 1e10 and errors["mathematics"] > 1e10  # 1e-3 / eps64 = 4.5e12 ulps


def test_wrong_jacobian_off_diagonal_is_rejected():
    def wrong(z):  # +s_i s_j off the diagonal instead of -s_i s_j
        j, s = sm.softmax_jacobian(z), sm.softmax(z)
        off = 1 - jnp.eye(z.shape[-1], dtype=z.dtype)
        return j + 2 * off * s[:, None] * s[None, :]

    out = certify(softmax_jacobian_check(wrong), "float64")
    assert out.status == "FAILED"


def test_a_wrong_forward_is_rejected():
    """The truth is the exact derivative of the declared forward: a forward 1 % off cannot pass as autodiff's error."""
    check = Derivative(forward=lambda z: 1.01 * sigmoid_naive(z), derivative=sigmoid_grad, domain=Real(), tol=TOL)
    out = certify(check, "float64")
    assert out.status == "FAILED", out
    assert next(e for e in out.evidence if e.oracle == "mathematics").max_error > 1e12  # 1 % is 4.5e13 eps


def test_a_referee_sharing_the_hand_results_mistake_is_rejected():
    """Hand result and declared mpmath referee both drop a factor: the exact truth of the forward finds both wrong."""
    wrong = lambda z: 1.001 * sigmoid_grad(z)
    check = sigmoid_check(wrong, referee=lambda z: 1.001 * _mp.sigmoid_grad(z))
    out = certify(check, "float32")
    assert out.status == "FAILED" and "the declared referee disagrees with the exact value" in out.message, out


def test_a_wrong_second_derivative_is_rejected():
    def second(z):  # sigma'' = sigma' (1 - 2 sigma)
        return sigmoid_grad(z) * (1 - 2 * sigmoid(z))

    right = Derivative(forward=sigmoid, derivative=second, domain=Real(-30.0, 30.0), order=2,
                       tol=Tol(40, "sigma' (7u), 1 - 2 sigma cancels near 0: relative to |sigma'|; autodiff's nested rule"),
                       resolution=lambda z: jnp.finfo(z.dtype).eps * sigmoid_grad(z))  # 1 - 2 sigma: eps absolute
    assert certify(right, "float64").status == "certified"
    wrong = dataclasses.replace(right, derivative=lambda z: sigmoid_grad(z) * (1 - sigmoid(z)))
    assert certify(wrong, "float64").status == "FAILED"


def test_an_error_at_one_class_index_only_is_rejected():
    def wrong(z):  # the Jacobian right everywhere but its last row
        last = jnp.arange(z.shape[-1])[:, None] == z.shape[-1] - 1
        return sm.softmax_jacobian(z) * jnp.where(last, 1 + 1e-6, 1.0)

    assert certify(softmax_jacobian_check(wrong), "float64").status == "FAILED"


def test_nan_at_masked_logits_is_rejected():
    """The logsumexp's gradient is the softmax, 0 at a masked (-inf) logit: a rule that forms 0 * -inf there is
    NaN, and the exact derivative (the masked entry held at its limit) convicts it; the right rule passes."""
    masked = Args(Logits(bound=50.0, masked=True), sizes=(3,))
    right = Derivative(forward=sm.logsumexp, derivative=sm.softmax, domain=masked, cond=lambda z: 3 + jnp.zeros_like(z),
                       tol=Tol(12, "softmax (k+3)u, autodiff of the stable logsumexp (k+3)u, k = 3"))
    assert certify(right, "float64").status == "certified"
    nan_at_mask = dataclasses.replace(right, derivative=lambda z: sm.softmax(z) + 0 * z)
    out = certify(nan_at_mask, "float64")
    assert out.status == "FAILED" and np.isneginf(out.counterexample["args"][0]).any(), out


def test_a_result_wrong_only_when_the_mask_selects_nothing_is_rejected():
    """d/dz sum over the selected entries of z^2 is 2z there and 0 elsewhere, also when nothing is selected."""
    def forward(z, mask):
        return jnp.sum(jnp.where(mask, z * z, 0))

    right = Derivative(forward=forward, derivative=lambda z, m: jnp.where(m, 2 * z, 0), domain=Args(
        Logits(bound=1e3), Mask(), sizes=(3,)), tol=Tol(1, "2z is exact, the mask selects"))
    assert certify(right, "float32").status == "certified"
    wrong = dataclasses.replace(right, derivative=lambda z, m: jnp.where(jnp.any(m), jnp.where(m, 2 * z, 0), 1))
    out = certify(wrong, "float32")
    assert out.status == "FAILED" and not any(out.counterexample["args"][1]), out


def test_a_kink_is_a_branch_point_not_an_autodiff_error():
    """The hinge max(0, 1 - z) has no derivative at z = 1: the point is counted, and nobody is blamed."""
    check = Derivative(forward=lambda z: jnp.maximum(0.0, 1.0 - z), derivative=lambda z: jnp.where(z < 1, -1.0, 0.0),
                       domain=Real(-4.0, 4.0), tol=Tol(1, "exact: a constant"))
    out = certify(check, "float64")
    assert out.status == "certified", out
    assert not out.findings
    assert "branch point" in next(e for e in out.evidence if e.oracle == "mathematics").note


def test_an_exact_rule_is_certified_without_flags():
    """The derivative of x^2/2 is x exactly, as autodiff computes it too: agreement to the bit is no fault."""
    check = Derivative(forward=lambda x: x * x / 2, derivative=lambda x: x, domain=Real(-1e3, 1e3),
                       tol=Tol(2, "one product, one exact halving"))
    assert certify(check, "float64").status == "certified"


def test_the_kl_gradient_at_a_tiny_probability():
    """d/dp KL(p || q) = log(p/q) + 1 at p = (1, 4.8e-246): right, though a finite difference there is noise."""
    from derivations import information as it

    check = Derivative(forward=it.kl_divergence, derivative=lambda p, q: jnp.log(p / q) + 1,
                       domain=Args(Simplex(positive=True), Simplex(positive=True), sizes=(2,)),
                       tol=Tol(8, "log of a quotient and an add, relative to the larger of log(p/q) and 1"),
                       resolution=lambda p, q: jnp.ones_like(p))
    out = runner.explain(claim(check), check, "float64", [[1.0, 4.8e-246], [0.5, 0.5]])
    assert out["errors"]["mathematics"] == 0 and out["errors"]["floating point"] <= 8, out


def test_autodiff_wrong_is_a_finding_not_a_failure():
    """At z < -709.8 (float64) 1/(1+e^{-z}) has a nan gradient; the referee sides with the hand result."""
    out = certify(sigmoid_check(sigmoid_grad), "float64")
    assert out.status == "certified"
    assert any(f["oracle"] == "reverse" for f in out.findings)
    assert sum(e.oracle_wrong for e in out.evidence if e.oracle == "reverse") > 0


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_sweep_in_chunks_rejects_planted_errors(name, monkeypatch):
    """A sweep in several chunks (as thorough runs it; each chunk's values stay on the device until a
    disagreement reads them) still fails a planted error."""
    monkeypatch.setattr(runner, "SWEEP_CHUNK", 512)
    assert certify(sigmoid_check(PLANTED[name]), "float64").status == "FAILED"


def test_a_sweep_in_chunks_keeps_autodiff_wrong_as_findings(monkeypatch):
    monkeypatch.setattr(runner, "SWEEP_CHUNK", 512)
    out = certify(sigmoid_check(sigmoid_grad), "float64")
    assert out.status == "certified" and any(f["oracle"] == "reverse" for f in out.findings)


def test_resolution_bounds_an_underflowed_intermediate_scaled_up():
    """A hand result that drops a subnormal exp(x) and scales it by 2^40 into the normal range is wrong there
    (the exact derivative convicts it, autodiff keeps the subnormal); declared as its resolution, the same loss passes."""
    scale = 2.0 ** 40

    def hand(x):
        e = jnp.exp(x)
        return jnp.where(e < jnp.finfo(x.dtype).tiny, 0, e) * scale

    check = Derivative(forward=lambda x: jnp.exp(x) * scale, derivative=hand, domain=Real(-110.0, -80.0),
                       tol=Tol(4, "exp and a product"))
    out = certify(check, "float32")
    assert out.status == "FAILED", out  # wrong in the reals too (the cutoff is far above half an ulp)
    assert out.counterexample["args"][0] <= np.log(np.finfo(np.float32).tiny)  # e^x < tiny in the reals
    resolved = dataclasses.replace(check, resolution=lambda x: jnp.finfo(x.dtype).tiny * scale)
    assert certify(resolved, "float32").status == "certified"


# -- errata are strict -----------------------------------------------------------------------------

def test_erratum_confirmed_with_a_shrunk_counterexample():
    literal = Identity(lhs=lambda z: sigmoid(z) * (1 - sigmoid(z)), rhs=sigmoid_grad, domain=Real(),
                       tol=Tol(8, "two sigmoids and a product on each side"))
    fixed = dataclasses.replace(literal, lhs=lambda z: sigmoid(z) * sigmoid(-z))  # sigmoid_grad's own form
    out = certify(fixed, "float64", verdict=Verdict.ERRATUM, as_written="s(1-s)", as_written_check=literal)
    assert out.status == "erratum confirmed"
    assert out.counterexample["args"][0] > 1  # 1 - sigma(z) cancels for z > 0 only
    assert out.counterexample["mathematics_ulps"] <= 0.5  # right in the reals: an erratum of floating point


def test_erratum_that_passes_fails_the_suite():
    right = Identity(lhs=sigmoid, rhs=sigmoid_naive, domain=Real(-30, 30), tol=Tol(8, "two sigmoid forms"))
    out = certify(right, "float64", verdict=Verdict.ERRATUM, as_written="same", as_written_check=right)
    assert out.status == "FAILED" and "erratum not reproduced" in out.message


def test_exists_needs_a_witness():
    never = Exists(witness=lambda z: z != z, domain=Real())
    assert certify(never, "float32", verdict=Verdict.HOLDS).status == "FAILED"
    sometimes = Exists(witness=lambda z: sigmoid(z) > 0.99, domain=Real())
    out = certify(sometimes, "float32", verdict=Verdict.HOLDS)
    assert out.status == "certified" and sigmoid(np.float32(out.counterexample["args"][0])) > 0.99
    # sigma(z) = 1 holds in float32 from z = 16.6 on, and for no real z: a witness of rounding, not of the claim
    rounding = Exists(witness=lambda z: sigmoid(z) == 1, domain=Real())
    out = certify(rounding, "float32", verdict=Verdict.HOLDS)
    assert out.status == "FAILED" and "in the reals" in out.message


def test_inequality_rejects_a_violation_beyond_roundoff():
    ineq = Inequality(lower=lambda z: sigmoid(z), upper=lambda z: 0.9 * jnp.ones_like(z), domain=Real(),
                      tol=Tol(4, "one sigmoid"))
    assert certify(ineq, "float32").status == "FAILED"
    # the same from one function of both sides; with a third value, that is the scale
    pair = Inequality.of(lambda z: (sigmoid(z), 0.9 * jnp.ones_like(z)), domain=Real(), tol=Tol(4, "one sigmoid"))
    assert certify(pair, "float32").status == "FAILED"
    wide = Inequality.of(lambda z: (sigmoid(z), 0.9 * jnp.ones_like(z), 1e7 * jnp.ones_like(z)), domain=Real(),
                         tol=Tol(4, "a planted scale so large that a 0.1 excess is within 4 ulps of it"))
    assert certify(wide, "float32").status == "certified"


def test_a_declared_numerical_referee_resolves_tiny_inputs():
    """mpmath's finite differences step relative to |x| and add the digits of 1/|x|: at x = 1e-297 the derivative
    of x^2/2 is x, not the noise of a step of 1e-15; the declared forward_mp agrees with the exact truth."""
    def half_square(x):
        return x * x / 2

    check = Derivative(forward=half_square, derivative=lambda x: x, domain=Real(-1e3, 1e3), forward_mp=half_square,
                       tol=Tol(2, "exact: x"))
    assert certify(check, "float64").status == "certified"


def test_importing_the_plugin_and_the_api_is_light():
    """The pytest plugin loads in every pytest session where the package is installed: it must not start JAX,
    load mpmath, or import the runner (whose Hypothesis setting belongs to certification runs only)."""
    import subprocess
    import sys

    code = ("import sys, checks.engine.plugin, checks.engine; "
            "print(sorted(m for m in ('jax', 'mpmath', 'checks.engine.runner') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_hypothesis_draws_do_not_depend_on_the_modules_loaded(tmp_path, monkeypatch):
    """Derandomized runs are reproducible whatever a worker imported before: no local-constant pool."""
    from hypothesis.internal.conjecture import providers

    (tmp_path / "literals_for_hypothesis.py").write_text("A = 0.123456789\nB = -17.25\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("literals_for_hypothesis")  # a local module with float literals

    assert not providers._get_local_constants().floats


# -- the tolerance policy at its edges ---------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_ulp_error_edges(dtype):
    eps, tiny = np.finfo(dtype).eps, np.finfo(dtype).tiny
    one = np.ones(1, dtype)
    assert ulp_error(one, one + 4 * eps, one, dtype, tiny)[0] == pytest.approx(4)
    assert ulp_error(one, one, one, dtype, tiny)[0] == 0
    assert ulp_error(np.inf * one, np.inf * one, one, dtype, tiny)[0] == 0          # equal infinities
    assert ulp_error(np.inf * one, one, one, dtype, tiny)[0] == np.inf             # inf against finite
    assert ulp_error(np.nan * one, np.nan * one, one, dtype, tiny)[0] == np.inf    # nan is never right
    # below the floor, errors are absolute: a flushed subnormal is within 1 ulp of the floor tiny/eps
    assert ulp_error(np.zeros(1), np.array([tiny / 2]), np.array([tiny / 2]), dtype, tiny / eps)[0] <= 1
    assert ulp_error(np.zeros(1), np.array([tiny / 2]), np.array([tiny / 2]), dtype, tiny)[0] > 1e6


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_kernels_comparison_is_the_hosts(dtype):
    """The errors compiled into the kernel equal ``compare`` on the host for the same values, for every
    kind of check in the registry (each check's first bucket, its sweep's extremes included).

    Where the backend flushes subnormal results (detected; XLA's CPU backend does), a difference of
    normals that is subnormal is 0 on the device and not in numpy: the floor of the scale is then
    tiny/eps, so such a difference is below one ulp either way, and one ulp is the allowance."""
    atol = 1.0 if platform.flushes_subnormals(dtype) else 0.0
    seen = {}
    for c in registry.load():
        if c.numerical and isinstance(c.check, (Derivative, Identity, Inequality)) and seen.get(type(c.check), 0) < 3:
            seen[type(c.check)] = seen.get(type(c.check), 0) + 1
            s = runner._Session(c, c.check, dtype, QUICK, jax.default_backend())
            args = c.check.domain.sweep(dtype, 3000, c.check.domain.buckets[0])
            ev = s.evaluate(args)
            host = c.check.compare(ev.at(np.arange(len(args[0]))), dtype, s.floor)
            for oracle, err in host.items():
                np.testing.assert_allclose(ev.errors[oracle], runner.reduce_points(err), rtol=1e-13, atol=atol,
                                           err_msg=c.id)
    assert set(seen) == {Derivative, Identity, Inequality}


def test_tolerance_boundary_is_inclusive():
    """An error exactly at the tolerance passes, one ulp more fails (float64, the sigmoid check's 12 ulps)."""
    eps = np.finfo(np.float64).eps
    err = ulp_error(np.array([1.0]), np.array([1.0 + 12 * eps]), np.array([1.0]), "float64", 0.0)
    assert err[0] <= TOL.ulps
    assert ulp_error(np.array([1.0]), np.array([1.0 + 13 * eps]), np.array([1.0]), "float64", 0.0)[0] > TOL.ulps


# -- declarations fail early, naming the claim --------------------------------------------------------

def test_declaration_errors_name_the_claim():
    with pytest.raises(DeclarationError, match="planted.claim.*source"):
        Claim(id="planted.claim", statement="x", sources=(), kind=Kind.GRADIENT, verdict=Verdict.HOLDS,
              check=sigmoid_check(sigmoid_grad))
    with pytest.raises(DeclarationError, match="erratum needs"):
        claim(sigmoid_check(sigmoid_grad), verdict=Verdict.ERRATUM)
    with pytest.raises(DeclarationError, match="reason"):
        Tol(4, "")
    with pytest.raises(DeclarationError, match="order must be 1 or 2"):
        claim(Derivative(forward=sigmoid_naive, derivative=sigmoid_grad, domain=Real(), tol=TOL, order=3))
    with pytest.raises(DeclarationError, match="planted.claim.*project's own.*HOLDS"):
        claim(sigmoid_check(sigmoid_grad), verdict=Verdict.IMPRECISE, condition="z > 0", own=True)


def test_shape_and_dtype_errors_name_the_claim():
    wrong_shape = softmax_jacobian_check(lambda z: sm.softmax(z))  # a vector where a Jacobian is due
    with pytest.raises(DeclarationError, match=r"planted.claim.*shape \(3,\).*\(3, 3\)"):
        shapes.validate(claim(wrong_shape), wrong_shape)
    integer = sigmoid_check(lambda z: jnp.round(sigmoid_grad(z)).astype(jnp.int32))
    with pytest.raises(DeclarationError, match="planted.claim.*int32"):
        shapes.validate(claim(integer), integer)


def test_duplicate_ids_are_rejected(tmp_path):
    (tmp_path / "dup.py").write_text(
        "from checks.claims.sigmoid import CLAIMS as _c\nCLAIMS = [c for c in _c if c.id == 'sigmoid.derivative']\n")
    with pytest.raises(DeclarationError, match="duplicate claim id 'sigmoid.derivative'"):
        registry.load([tmp_path])


@pytest.mark.parametrize("k, m", [(8, 4), (4, 2), (3, 1)])
def test_conditioned_design_matrices_have_the_prescribed_singular_values(k, m):
    from checks.claims.regression import conditioned_matrices

    kappa = 10 ** np.random.default_rng(1).uniform(0, 7, 500)
    s = np.linalg.svd(conditioned_matrices(np.random.default_rng(2), 500, k, m, kappa), compute_uv=False)
    want = kappa[:, None] ** -np.linspace(0, 1, m)[None, :]  # 1 down to 1/kappa, as the sweep promises
    # absolute to s_max = 1: U, V orthonormal to ~4 eps each (Gram-Schmidt twice), m rounded terms, the SVD's own error
    np.testing.assert_allclose(s, want, rtol=0, atol=20 * np.finfo(np.float64).eps)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_lauchli_witness_loses_every_digit_of_the_normal_equations(dtype):
    from checks.claims import regression

    rows, fails = regression._lauchli_evidence(dtype)
    assert not fails, fails
    assert rows[1].max_error >= 1 / np.sqrt(2)  # no correct digit for one of the two systems


def test_the_lauchli_witness_fails_for_a_solver_that_keeps_digits(monkeypatch):
    """The witness can fail: a solver that never forms X^T X (QR in its place) keeps every digit."""
    from checks.claims import regression
    from derivations import regression as rg

    monkeypatch.setattr(rg, "normal_equations_solve", rg.qr_solve)
    _, fails = regression._lauchli_evidence("float64")
    assert fails == ["the normal equations kept a digit on the witness"]
