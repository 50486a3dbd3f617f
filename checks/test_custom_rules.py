"""Certifying hand-written custom_vjp / custom_jvp rules: right rules pass, wrong ones are rejected."""
import jax
import jax.numpy as jnp
import jax.test_util
import numpy as np
import pytest

from checks.engine import Args, Logits, Real, Source, Tol, report, runner
from checks.engine.custom_rules import NO_FORWARD_MODE, RULE_FORWARD, custom_gradient_claim

BUDGET = runner.Budget(points=2000, examples=5, batch=2048)  # small: these test the machinery, not the claims
SRC = Source("notes.md", "Softplus", "its derivative is the sigmoid")


def softplus_primal(z):
    """log(1 + e^z) without overflow: max(z, 0) + log1p(e^{-|z|})."""
    return jnp.maximum(z, 0) + jnp.log1p(jnp.exp(-jnp.abs(z)))


def _sigmoid(z):
    e = jnp.exp(-jnp.abs(z))
    return jnp.where(z >= 0, 1 / (1 + e), e / (1 + e))


def with_vjp(rule):
    f = jax.custom_vjp(softplus_primal)
    f.defvjp(lambda z: (softplus_primal(z), z), lambda z, g: (g * rule(z),))
    return f


def with_jvp(rule):
    f = jax.custom_jvp(softplus_primal)
    f.defjvp(lambda primals, tangents: (softplus_primal(primals[0]), rule(primals[0]) * tangents[0]))
    return f


RIGHT, WRONG = _sigmoid, lambda z: _sigmoid(-z)  # the wrong one: a sign slip, sigma(-z) = 1 - sigma(z)


def scalar_claim(fn, cid="softplus.rule"):
    return custom_gradient_claim(
        id=cid, statement=r"\frac{d}{dz}\log(1 + e^z) = \sigma(z)", sources=SRC,
        rule_fn=fn, primal_fn=softplus_primal, domain=Real(),
        # the rule: exp, add, divide (<= 3u); autodiff of the primal: the same sigmoid-like quotient
        # through log1p's derivative and the max/abs branches (<= 4u)
        tol=Tol(7, "rule's sigmoid <= 3u; autodiff of max(z,0) + log1p(e^-|z|) <= 4u"))


def composed_claim(fn):
    """The rule inside a weighted mean: d/dz_i mean(f(z) * w) = sigma(z_i) w_i / n."""
    return custom_gradient_claim(
        id="softplus.rule-in-loss", statement=r"\partial_{z_i} \tfrac1n\sum_j w_j \log(1 + e^{z_j}) = w_i\sigma(z_i)/n",
        sources=SRC, rule_fn=lambda z, w: jnp.mean(fn(z) * w), primal_fn=lambda z, w: jnp.mean(softplus_primal(z) * w),
        domain=Args(Logits(), Logits(bound=1e3), sizes=(3,)),
        # the above, then times w_i (1u) and the mean's 1/n (1u; exact for n a power of two)
        tol=Tol(11, "rule's sigmoid 3u, x w_i and /n 2u: 5u; autodiff of the primal 4u, x w_i and /n 2u: 6u"))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("make", [with_vjp, with_jvp], ids=["custom_vjp", "custom_jvp"])
def test_right_rule_is_certified(make, dtype):
    claim = scalar_claim(make(RIGHT))
    out = runner.certify(claim, dtype, BUDGET)
    assert out.status == "certified", report.failure_message(claim, out)
    ev = {e.oracle: e for e in out.evidence}
    assert ev["reverse"].points and ev["forward"].points and ev["floating point"].points
    entry = report.claim_entry(claim, [out])
    rule_fwd = next(e for e in entry["evidence"] if e["oracle"] == RULE_FORWARD)
    # autodiff of the primal is 0 at z = 0 (max's 1/2 and |z|'s sign(0) choice cancel), the rule's
    # sigma(0) = 1/2 is right: the exact derivative counts it against autodiff, a finding, not a failure
    assert any(f["input"] in ([0.0], [-0.0]) and f["autodiff"] == 0 and f["hand"] == 0.5 for f in out.findings)
    if make is with_vjp:  # skipped, saying why, not a crash
        assert rule_fwd["points"] == 0 and rule_fwd["note"] == NO_FORWARD_MODE
    else:  # the jvp rule checked in forward mode too
        assert rule_fwd["points"] > 0 and rule_fwd["note"] == ""


@pytest.mark.parametrize("make", [with_vjp, with_jvp], ids=["custom_vjp", "custom_jvp"])
def test_wrong_rule_is_rejected_with_a_counterexample(make):
    claim = scalar_claim(make(WRONG))
    out = runner.certify(claim, "float64", BUDGET)
    assert out.status == "FAILED"
    assert out.counterexample and "python -m checks repro softplus.rule" in out.counterexample["repro"]
    # against the exact derivative the rule is off by far more than roundoff: the rule is what is wrong, in
    # the reals, and at the shrunk counterexample too
    ev = {e.oracle: e for e in out.evidence}
    assert ev["mathematics"].max_error > 1e6
    at = runner.explain(claim, claim.check, "float64", out.counterexample["args"])
    assert at["errors"]["floating point"] > at["tolerance_ulps"] and at["errors"]["mathematics"] > 0.5


def test_rule_inside_a_composed_loss():
    out = runner.certify(composed_claim(with_vjp(RIGHT)), "float64", BUDGET)
    assert out.status == "certified", out.message
    bad = runner.certify(composed_claim(with_vjp(WRONG)), "float64", BUDGET)
    assert bad.status == "FAILED" and bad.counterexample


def test_jax_has_no_forward_mode_for_custom_vjp():
    """Why the forward oracle is skipped: if JAX ever supports it, the skip can go."""
    f = with_vjp(RIGHT)
    with pytest.raises(TypeError, match="custom_vjp"):
        jax.jacfwd(f)(1.0)
    with pytest.raises(TypeError, match="custom_vjp"):
        jax.test_util.check_grads(f, (1.0,), order=1, modes=("fwd",))
    jax.test_util.check_grads(f, (1.0,), order=1, modes=("rev",))


def _readme_example():
    """The python block of docs/WORKFLOW.md that builds a custom-rule claim; it must equal the module's docstring."""
    import pathlib
    import re

    from checks.engine import custom_rules

    text = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "WORKFLOW.md").read_text()
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "custom_gradient_claim(" in b]
    doc = custom_rules.__doc__.split("Example (README-ready)::\n\n", 1)[1]
    assert block.strip() == "\n".join(line[4:] for line in doc.rstrip().splitlines()), "docstring and docs differ"
    return block


def test_readme_example_certifies():
    namespace = {}
    exec(compile(_readme_example(), "docs/WORKFLOW.md", "exec"), namespace)
    (claim,) = namespace["CLAIMS"]
    out = runner.certify(claim, "float32", BUDGET)
    assert out.status == "certified", report.failure_message(claim, out)


def test_a_rules_second_derivative_is_certified():
    """order=2: the rule differentiated again (softplus'' = sigma(1 - sigma)) against the exact second derivative
    of the primal; a rule right to first order but wrong to second (jvp of a wrong tangent) is rejected."""
    def second(rule):
        return custom_gradient_claim(
            id="softplus.rule-second", statement=r"\frac{d^2}{dz^2}\log(1 + e^z) = \sigma(z)\sigma(-z)", sources=SRC,
            rule_fn=with_jvp(rule), primal_fn=softplus_primal, domain=Real(-30.0, 30.0), order=2,
            tol=Tol(16, "autodiff of the rule's sigmoid (exp, add, divide and their derivatives) and of the primal's "
                        "log1p(e^-|z|) twice: <= 8u each"))

    assert runner.certify(second(RIGHT), "float64", BUDGET).status == "certified"
    first_order_only = lambda z: jax.lax.stop_gradient(_sigmoid(z))  # right values, no derivative of its own
    assert runner.certify(second(first_order_only), "float64", BUDGET).status == "FAILED"


def test_every_option_of_a_derivative_passes_through():
    from checks.engine import DeclarationError

    claim = custom_gradient_claim(
        id="softplus.rule-options", statement="x", sources=SRC, rule_fn=with_vjp(RIGHT), primal_fn=softplus_primal,
        domain=Real(-20.0, 20.0), tol=Tol(7, "as above"), resolution=lambda z: jnp.zeros_like(z),
        cond=lambda z: jnp.ones_like(z), reconstructed=True)
    assert claim.reconstructed and claim.check.resolution is not None and claim.check.cond is not None
    with pytest.raises(DeclarationError, match="unknown option.*bitwise"):
        custom_gradient_claim(id="softplus.rule-options", statement="x", sources=SRC, rule_fn=with_vjp(RIGHT),
                              primal_fn=softplus_primal, domain=Real(), tol=Tol(7, "as above"), bitwise=True)


def test_a_float32_rule_off_in_a_narrow_window_is_rejected():
    """A rule 100 eps off in float32 on z in (2, 2.05) only, which the forward uses too (so both autodiff modes
    agree with it): the float64 shadow flags the window, and the exact derivative of the primal convicts it."""
    def off(z):
        window = (z > 2.0) & (z < 2.05)
        return jnp.where(window, _sigmoid(z) * (1 + 100 * jnp.finfo(z.dtype).eps), _sigmoid(z))

    rule = with_jvp(off)
    claim = custom_gradient_claim(
        id="softplus.rule-window", statement="x", sources=SRC, rule_fn=rule, primal_fn=rule, domain=Real(-4.0, 4.0),
        tol=Tol(7, "rule's sigmoid <= 3u; autodiff of the primal <= 4u"))
    out = runner.certify(claim, "float32", BUDGET)
    assert out.status == "FAILED", out
    assert 2.0 < out.counterexample["args"][0] < 2.05


def test_a_rules_forward_mode_is_judged_against_the_truth():
    """The rule's forward mode is the rule too: wrong there alone (its reverse mode right), the floating-point verdict
    convicts it, where comparing it with the reverse mode only would blame autodiff."""
    from checks.engine.runner import _floor

    check = scalar_claim(with_jvp(RIGHT)).check
    args = [np.array([-3.0, 0.5, 2.0])]
    out = {k: np.asarray(v) for k, v in jax.jit(jax.vmap(check.kernel()))(*args).items()}
    floor = _floor(check, "float64")
    right, truth = check.judge_exactly(out, check.truth(args), "float64", floor)
    assert (right["floating point"] <= check.tol.ulps).all(), right
    out[RULE_FORWARD] = out[RULE_FORWARD] * (1 + 1e-9)
    wrong, _ = check.judge_exactly(out, check.truth(args), "float64", floor)
    assert (wrong["floating point"] > 1e6).all(), wrong


def test_an_erratum_of_floating_point_in_one_dtype():
    """A rule right in the reals that cancels in float32 only (1 - sigma(-z): a library's float32 path, say): pinned
    as an erratum of floating point in float32 (float_erratum), certified as written in float64; naming float64 too,
    the erratum is not reproduced there and the claim fails (strict both ways)."""
    from checks.engine import DeclarationError, Verdict
    from checks.engine.custom_rules import certify_custom_rule

    def cancels(z):
        return 1 - _sigmoid(-z) if z.dtype == jnp.float32 else _sigmoid(z)

    rule, domain = with_jvp(cancels), Real(-4.0, 4.0)

    def pinned(dtypes):
        return custom_gradient_claim(
            id="softplus.rule-float32", statement="within 7 eps absolutely", sources=SRC, rule_fn=rule,
            primal_fn=softplus_primal, domain=domain, tol=Tol(7, "1 - sigma(-z): 3u and 1u; autodiff 4u", absolute=True),
            verdict=Verdict.ERRATUM, as_written="within 7 eps", float_erratum=dtypes,
            as_written_check=certify_custom_rule(rule, softplus_primal, domain=domain, tol=Tol(7, "as above")))

    claim = pinned(("float32",))
    f32, f64 = (runner.certify(claim, dt, BUDGET) for dt in ("float32", "float64"))
    assert f32.status == "erratum confirmed" and f32.counterexample["args"][0] < 0, f32
    assert f64.status == "certified" and "holds in float64" in f64.message, f64
    # right in the reals: the proof oracle proving the as-written form is no objection to an erratum of floating point
    assert runner.prove(claim, f32).status == "erratum confirmed"
    assert runner.certify(pinned(("float32", "float64")), "float64", BUDGET).status == "FAILED"
    with pytest.raises(DeclarationError, match="float_erratum"):
        pinned(("float16",))
