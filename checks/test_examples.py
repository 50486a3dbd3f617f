"""A course author's workflow, end to end: their own claims module, run by pytest in a subprocess.

The worked example (``examples/hinge``, run by ``checks/_example_runs.py``) passes and its
certificate lists every claim; a copy with a sign flipped in a derivation and an edited document
fails, printing the counterexample, a ``python -m checks repro`` command that finds the author's
claim (and runs), and the stale quote.
Each run is small (the dev profile, the ``hinge`` claims only): a few seconds.
"""
import json
import shlex
import subprocess
import sys

import pytest

from checks import _example_runs

ROOT = _example_runs.ROOT


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return _example_runs.runs(tmp_path_factory)


def test_worked_example_passes_and_is_reported(runs):
    run = runs["ok"]
    returncode, out = run.result()
    reports = run.dir
    assert returncode == 0, out
    doc = json.loads((reports / "claims.json").read_text())
    status = {c["id"]: c["status"] for c in doc["claims"]}
    assert status == {
        "hinge.definition": "recorded (definition)",
        "hinge.upper-bounds-zero-one": "certified",
        "hinge.squared.grad": "erratum confirmed",
        "hinge.squared.grad-squared-is-4-loss": "certified",
    }
    for cid in status:
        assert cid in out  # the terminal certificate
    # the quotes were checked against the example's own document (DOCUMENTS = "."), not skipped
    assert "skipped" not in out.splitlines()[-1], out.splitlines()[-1]
    # progress: a line per claim x dtype with its rate (--certify-progress; on by default under thorough)
    progress = [line for line in out.splitlines() if line.startswith("[") and "points/s)" in line]
    assert len(progress) == 6 and progress[-1].startswith("[6/6] "), out
    # the job summary was appended for CI
    assert "hinge.squared.grad" in (reports / "step_summary.md").read_text()


def test_broken_claim_fails_with_counterexample_and_repro(runs):
    run = runs["broken"]
    returncode, out = run.result()
    tmp_path, reports = run.dir, run.dir / "reports"
    assert returncode == 1, out
    assert "FAILED checks/test_claims.py::test_claim[hinge.squared.grad-float32]" in out
    assert "counterexample: args=" in out
    repro = next(line.split("reproduce: ", 1)[1] for line in out.splitlines() if "reproduce: python -m checks" in line)
    assert repro.startswith(f"python -m checks --claims {tmp_path / 'claims.py'} repro hinge.squared.grad --dtype float32")
    # the identity g^2 = 4 l holds for either sign: it still passes; only the gradient claim fails
    assert "test_claim[hinge.squared.grad-squared-is-4-loss-float32]" not in out
    # the stale quote, naming document, section and quote
    assert "hinge_notes.md, section 'Its gradient': quote not in the section: " \
           "'the square of the gradient is four times the loss'" in out
    statuses = {c["id"]: c["status"] for c in json.loads((reports / "claims.json").read_text())["claims"]}
    assert statuses["hinge.squared.grad"] == "FAILED"
    assert statuses["hinge.squared.grad-squared-is-4-loss"] == "stale"  # its check passed, its quote is gone
    # the printed command replays the counterexample: every oracle's error at that point
    replay = subprocess.run(shlex.split(repro.replace("python", sys.executable, 1)), cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env=_example_runs._env())
    assert replay.returncode == 0, replay.stderr
    errors = json.loads(replay.stdout)["errors"]
    assert errors["floating point"] > 2 and errors["mathematics"] > 0.5, errors  # the flipped sign, exactly


def _claim_examples():
    """The claims modules a reader starts from: the template, and every ```python block of the README and
    docs/WORKFLOW.md that declares CLAIMS (its code, named by place)."""
    yield pytest.param((ROOT / "examples" / "template_claims.py").read_text(), id="examples/template_claims.py")
    for doc in ("README.md", "docs/WORKFLOW.md"):
        for n, block in enumerate((ROOT / doc).read_text().split("```python\n")[1:]):
            code = block[:block.index("\n```")]
            if "CLAIMS = [" in code:
                yield pytest.param(code, id=f"{doc}#{n}")


@pytest.mark.parametrize("code", list(_claim_examples()))
def test_claim_examples_certify(code, tmp_path):
    """The template and the claims the docs show certify as they stand, in both dtypes (a reader copies them)."""
    from checks.engine import registry, runner

    (tmp_path / "example_claims.py").write_text(code)
    ids = {c.id for c in registry.load()}
    claims = [c for c in registry.load([tmp_path / "example_claims.py"]) if c.id not in ids]
    assert claims
    for claim in claims:
        for dtype in ("float32", "float64"):
            out = runner.certify(claim, dtype, runner.BUDGETS["dev"])
            assert out.status == "certified", (claim.id, dtype, out.message)


def test_the_library_audit_declares_its_claims():
    """examples/library_audit (make audit certifies it; docs/library_audit.md): every claim declares and traces, its
    findings are errata whose as-written form is the library's own rule; the optax part only with optax installed."""
    import importlib.util

    from checks.engine import Verdict, registry
    from checks.engine.shapes import validate

    claims = [c for c in registry.load([ROOT / "examples" / "library_audit"]) if c.id.startswith("audit.")]
    for c in claims:
        validate(c, c.check)
        validate(c, c.as_written_check)
    ids = {c.id for c in claims}
    assert {"audit.jax.sigmoid", "audit.jax.softmax", "audit.jax.logsumexp"} <= ids
    assert any(i.startswith("audit.optax.") for i in ids) == (importlib.util.find_spec("optax") is not None)
    findings = [c for c in claims if c.verdict is Verdict.ERRATUM]
    assert findings and all(c.as_written_check.rule is c.check.rule for c in findings)
