"""Bad input gets one short message naming the problem and the option or the claim (and its file): never a
traceback from inside JAX, Hypothesis or pytest, and never a run that passes by collecting nothing."""
import json

import jax
import jax.numpy as jnp
import pytest

from checks import _example_runs
from checks.__main__ import main
from checks.engine import Claim, DeclarationError, Derivative, Kind, Real, Source, Tol, Verdict, registry, runner, shapes
from checks.engine.report import failure_message

EMPTY_QUOTE = '''from checks.engine import Claim, Kind, Source, Verdict

CLAIMS = [
    Claim(id="fixture.fine", statement="x", kind=Kind.DEFINITION, verdict=Verdict.DEFINITION,
          sources=Source("notes.md", "Intro", "a quote")),
    Claim(id="fixture.empty-quote", statement="x", kind=Kind.DEFINITION, verdict=Verdict.DEFINITION,
          sources=Source("notes.md", "Intro",
                         "")),
]
'''


def _short(out):
    """The output without pytest's own summary lines, which name the error again in one line."""
    return [line for line in out.splitlines() if line.strip() and not line.startswith(("=", "_", "!", "bringing up"))]


def test_an_empty_quote_names_its_claim_and_file(tmp_path):
    (tmp_path / "notes_claims.py").write_text(EMPTY_QUOTE)
    with pytest.raises(DeclarationError) as e:
        registry.load([tmp_path / "notes_claims.py"])
    assert str(e.value) == (f"{tmp_path / 'notes_claims.py'}:7: claim 'fixture.empty-quote': "
                            "Source.quote must be a non-empty string")


def test_a_declaration_error_is_one_line_once_and_the_reports_say_so(tmp_path):
    (tmp_path / "notes_claims.py").write_text(EMPTY_QUOTE)
    run = _example_runs.Run(tmp_path, "checks/test_claims.py", "checks/test_traceability.py", "-p", "no:xdist",
                            "--claims", str(tmp_path / "notes_claims.py"), f"--certify-report={tmp_path / 'reports'}")
    returncode, out = run.result()
    assert returncode != 0, out
    said = "claim declaration error: " + str(tmp_path / "notes_claims.py") + ":7: claim 'fixture.empty-quote': " \
                                                                              "Source.quote must be a non-empty string"
    errors = [line for line in out.splitlines() if said in line]
    assert errors == [said, f"certificate FAILED: pytest exit status {returncode}; 1 failed tests outside the claims; "
                            f"{said}"], out
    assert "Traceback" not in out and "plugin.py" not in out and "INTERNALERROR" not in out, out
    doc = json.loads((tmp_path / "reports" / "claims.json").read_text())
    assert doc["run"]["state"] == "FAILED" and said in doc["run"]["message"]


def test_claims_under_another_name_than_CLAIMS_are_an_error(tmp_path):
    (tmp_path / "lower_case.py").write_text(EMPTY_QUOTE.replace('"")', '"q")').replace("CLAIMS =", "claims ="))
    with pytest.raises(DeclarationError, match=r"claims module \S*lower_case \(.*lower_case.py\) holds Claim objects "
                                               r"in claims but has no CLAIMS"):
        registry.load([tmp_path / "lower_case.py"])
    (tmp_path / "lower_case.py").write_text("from checks.claims.sigmoid import CLAIMS as _private\nHELPER = 1\n")
    assert [c.id for c in registry.load([tmp_path / "lower_case.py"])] == [c.id for c in registry.load()]


def _derivative(forward, derivative):
    return Derivative(forward=forward, derivative=derivative, domain=Real(-5.0, 5.0),
                      tol=Tol(4, "a planted check"))


def _claim(check):
    return Claim(id="fixture.planted", statement="x", sources=Source("notes.md", "Intro", "q"), kind=Kind.GRADIENT,
                 verdict=Verdict.HOLDS, check=check)


def test_an_integer_forward_is_caught_at_collection():
    check = _derivative(lambda x: jnp.round(x).astype(jnp.int32), lambda x: jnp.zeros_like(x))
    with pytest.raises(DeclarationError, match="claim 'fixture.planted': the forward returns int32: autodiff needs a "
                                               "floating dtype"):
        shapes.validate(_claim(check), check)


def test_a_nan_derivative_is_said_nan_not_inf_ulps():
    check = _derivative(lambda x: x * x / 2, lambda x: jnp.where(x > 1, jnp.nan, x))
    out = runner.certify(_claim(check), "float64", runner.Budget(points=2000, examples=5, exact_points=8))
    assert out.status == "FAILED"
    assert "NaN (hand is NaN at the counterexample)" in out.message and "inf ulps" not in out.message, out.message
    assert out.counterexample["nan"] == ["hand"] and out.counterexample["args"][0] > 1
    assert "error=NaN (hand is NaN)" in failure_message(_claim(check), out)


def _absent_platform():
    """A JAX platform this machine lacks: CUDA, unless it has an NVIDIA GPU (then ROCm)."""
    return "rocm" if jax.default_backend() == "gpu" else "cuda"


@pytest.mark.parametrize("option, said", [
    ("--hypothesis-profile=nosuch", "ERROR: --hypothesis-profile 'nosuch': no such Hypothesis profile (registered: "),
    (f"--jax-platform={_absent_platform()}", f"ERROR: --jax-platform {_absent_platform()}: JAX could not start "
                                             f"platform '{_absent_platform()}'"),
])
def test_a_bad_option_is_one_line_naming_it(option, said, tmp_path):
    run = _example_runs.Run(tmp_path, "checks/test_claims.py", "--claim", "sigmoid.derivative", option,
                            f"--certify-report={tmp_path}")
    returncode, out = run.result()
    assert returncode == 4, out  # pytest's usage error, not 406 errors or an INTERNALERROR
    assert len(_short(out)) == 1 and _short(out)[0].startswith(said), out


def test_the_command_line_says_a_declaration_error_in_one_line(tmp_path, capsys):
    (tmp_path / "notes_claims.py").write_text(EMPTY_QUOTE)
    with pytest.raises(SystemExit) as e:
        main(["--claims", str(tmp_path / "notes_claims.py"), "run", "fixture.fine"])
    assert str(e.value).startswith("claim declaration error: ") and str(e.value).endswith(
        "claim 'fixture.empty-quote': Source.quote must be a non-empty string")
