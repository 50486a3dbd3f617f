"""Every repro command a run stores in ``claims.json`` reproduces what it records.

A small run (float64, dev profile): errata with an identity, a derivative and a custom as-written check,
an existence claim, and fixture claims that fail (a wrong derivative; a custom check that names its
failures but no point). With the worked example's runs (float32, an author's ``--claims`` file, an
erratum and a failure), each stored command is replayed through ``python -m checks``: a failure or an
erratum's as-written form shows its error beyond the tolerance (the one recorded), a witness its
witness, a custom check its recorded status.
"""
import json
import shlex

import numpy as np
import pytest

from checks import _example_runs
from checks.__main__ import main

FIXTURE_CLAIMS = '''
"""Fixture claims for checks/test_repro.py: two that fail."""
import jax.numpy as jnp
from mpmath import mp

from checks.engine import Claim, Custom, Derivative, Kind, Real, Source, Tol, Verdict, evidence, outcome


def drifts(dtype, budget):
    """Fails naming its failures, not a point (as a custom check may)."""
    return outcome(dtype, False, [evidence("drift", dtype, points=3, max_error=2.0, tolerance=1.0)], message="drifts",
                   counterexample={"failures": ["n=3: drift 2 > 1"]})


SOURCE = Source("fixture.md", "Fixture", "a fixture")
CLAIMS = [
    Claim(id="fixture.wrong-derivative", statement="(e^x)' = 2 e^x", sources=SOURCE, kind=Kind.GRADIENT,
          verdict=Verdict.HOLDS, check=Derivative(forward=jnp.exp, derivative=lambda x: 2 * jnp.exp(x),
                                                  domain=Real(-10.0, 10.0), referee=mp.exp, tol=Tol(4, "exp, a product"))),
    Claim(id="fixture.custom-fails", statement="x", sources=SOURCE, kind=Kind.DYNAMICS, verdict=Verdict.HOLDS,
          check=Custom(run=drifts, description="fails without a point")),
]
'''

PROJECT_CLAIMS = ("softplus.log-sigmoid",            # erratum: an identity
                  "logistic.mse.gradient",           # erratum: a derivative
                  "multiclass.linear-layer-shape",   # erratum: a custom as-written check
                  "sigmoid.not-shift-invariant")     # certified: a witness


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("repro_run")
    (tmp / "fixture_claims.py").write_text(FIXTURE_CLAIMS)
    run = _example_runs.Run(tmp, "checks/test_claims.py", "-p", "no:xdist", "--claims", str(tmp / "fixture_claims.py"),
                            *[a for c in (*PROJECT_CLAIMS, "fixture.") for a in ("--claim", c)], "--dtype", "float64",
                            f"--certify-report={tmp}")
    returncode, out = run.result()
    assert returncode == 1, out  # the two fixture failures
    return json.loads((tmp / "claims.json").read_text()), out


def _stored(doc):
    return [(c, c["counterexample"]) for c in doc["claims"] if c["counterexample"]]


def test_the_run_stores_a_repro_for_each_failure_and_erratum(small_run):
    doc, out = small_run
    stored = {c["id"]: c["status"] for c, _ in _stored(doc)}
    assert stored == {"softplus.log-sigmoid": "erratum confirmed", "logistic.mse.gradient": "erratum confirmed",
                      "multiclass.linear-layer-shape": "erratum confirmed", "sigmoid.not-shift-invariant": "certified",
                      "fixture.wrong-derivative": "FAILED", "fixture.custom-fails": "FAILED"}
    # the failure message of a custom counterexample without args (it raised KeyError: 'args')
    assert 'counterexample: failures=["n=3: drift 2 > 1"]' in out and "KeyError" not in out, out


def _replay(command, capsys):
    """Run a stored command through ``python -m checks`` (in this process); (exit code, stdout)."""
    argv = shlex.split(command)
    assert argv[:3] == ["python", "-m", "checks"], command
    code = main(argv[3:])
    return code, capsys.readouterr().out


def _check_replay(claim, cex, capsys):
    command = cex["repro"]
    dtype = cex["dtype"]
    replays_a_point = " repro " in command
    # an erratum's counterexample is its as-written form's; a failed correction's is the correction's
    assert ("--as-written" in command) == (claim["status_by_dtype"][dtype] == "erratum confirmed" and replays_a_point)
    code, out = _replay(command, capsys)
    if not replays_a_point:  # a custom check, rerun under the profile it ran with: the status it recorded
        assert f" --dtype {dtype} --profile dev" in command
        assert out.splitlines()[0].startswith(f"{claim['id']} [{dtype}] {claim['status_by_dtype'][dtype]}"), out
        assert code == (1 if claim["status_by_dtype"][dtype] == "FAILED" else 0)
        return
    assert code == 0
    seen = json.loads(out)
    if cex.get("oracle") is None:  # a witness: the claimed property holds at it
        assert seen["errors"] == {} and np.all(seen["values"]["witness"]), seen
        return
    err = seen["errors"][cex["oracle"]]
    if cex["error_ulps"] is None:
        assert err in ("inf", "nan"), seen
    else:  # the failure it records, the same at the same point
        assert err == pytest.approx(cex["error_ulps"]) and err > seen["tolerance_ulps"], (command, seen)


def test_every_stored_repro_of_a_small_run_reproduces(small_run, capsys):
    doc, _ = small_run
    for claim, cex in _stored(doc):
        _check_replay(claim, cex, capsys)


@pytest.mark.parametrize("name", ["ok", "broken"])
def test_every_stored_repro_of_the_worked_example_reproduces(name, tmp_path_factory, capsys):
    """An author's claims file (``--claims``), an erratum (ok) and a failure (broken), float32."""
    run = _example_runs.runs(tmp_path_factory)[name]
    run.result()
    reports = run.dir if name == "ok" else run.dir / "reports"
    stored = _stored(json.loads((reports / "claims.json").read_text()))
    assert [c["id"] for c, _ in stored] == ["hinge.squared.grad"]
    for claim, cex in stored:
        assert " --claims " in cex["repro"]
        _check_replay(claim, cex, capsys)
