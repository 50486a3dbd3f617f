"""Certifying hand-written custom_vjp / custom_jvp rules: right rules pass, wrong ones are rejected."""
import jax
import jax.numpy as jnp
import jax.test_util
import pytest
from mpmath import mp

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


def _sigmoid_mp(z):
    return 1 / (1 + mp.exp(-z))


def scalar_claim(fn, cid="softplus.rule"):
    return custom_gradient_claim(
        id=cid, statement=r"\frac{d}{dz}\log(1 + e^z) = \sigma(z)", sources=SRC,
        rule_fn=fn, primal_fn=softplus_primal, domain=Real(),
        referee=_sigmoid_mp, forward_mp=lambda z: mp.log(1 + mp.exp(z)),
        # the rule: exp, add, divide (<= 3u); autodiff of the primal: the same sigmoid-like quotient
        # through log1p's derivative and the max/abs branches (<= 4u)
        tol=Tol(7, "rule's sigmoid <= 3u; autodiff of max(z,0) + log1p(e^-|z|) <= 4u"))


def composed_claim(fn):
    """The rule inside a weighted mean: d/dz_i mean(f(z) * w) = sigma(z_i) w_i / n."""
    return custom_gradient_claim(
        id="softplus.rule-in-loss", statement=r"\partial_{z_i} \tfrac1n\sum_j w_j \log(1 + e^{z_j}) = w_i\sigma(z_i)/n",
        sources=SRC, rule_fn=lambda z, w: jnp.mean(fn(z) * w), primal_fn=lambda z, w: jnp.mean(softplus_primal(z) * w),
        domain=Args(Logits(), Logits(bound=1e3), sizes=(3,)),
        referee=lambda z, w: [wi * _sigmoid_mp(zi) / len(z) for zi, wi in zip(z, w)],
        forward_mp=lambda z, w: mp.fsum(wi * mp.log(1 + mp.exp(zi)) for zi, wi in zip(z, w)) / len(z),
        # the above, then times w_i (1u) and the mean's 1/n (1u; exact for n a power of two)
        tol=Tol(11, "rule's sigmoid 3u, x w_i and /n 2u: 5u; autodiff of the primal 4u, x w_i and /n 2u: 6u"))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("make", [with_vjp, with_jvp], ids=["custom_vjp", "custom_jvp"])
def test_right_rule_is_certified(make, dtype):
    claim = scalar_claim(make(RIGHT))
    out = runner.certify(claim, dtype, BUDGET)
    assert out.status == "certified", report.failure_message(claim, out)
    ev = {e.oracle: e for e in out.evidence}
    assert ev["reverse"].points and ev["forward"].points and ev["referee"].points
    entry = report.claim_entry(claim, [out])
    rule_fwd = next(e for e in entry["evidence"] if e["oracle"] == RULE_FORWARD)
    # autodiff of the primal is 0 at z = 0 (max's 1/2 and |z|'s sign(0) choice cancel), the rule's
    # sigma(0) = 1/2 is right: the referee counts it against autodiff, a finding, not a failure
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
    # against mpmath the rule is off by far more than roundoff: the rule is what is wrong, and at the
    # shrunk counterexample too (the simplest failing point: just past the tolerance, not far)
    ev = {e.oracle: e for e in out.evidence}
    assert ev["referee"].max_error > 1e6
    at = runner.explain(claim, claim.check, "float64", out.counterexample["args"])
    assert at["errors"]["referee"] > at["tolerance_ulps"]


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
