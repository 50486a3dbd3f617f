"""Bad input gets one short message naming the problem and the option or the claim (and its file): never a
traceback from inside JAX, Hypothesis or pytest, and never a run that passes by collecting nothing."""
import dataclasses
import json

import jax
import jax.numpy as jnp
import mpmath
import pytest

from checks import _example_runs
from checks.__main__ import main
from checks.engine import (Claim, Custom, DeclarationError, Derivative, Identity, Kind, Real, Source, Tol, Verdict, registry,
                           runner, shapes)
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


SHAPE_ERROR = """import jax.numpy as jnp
from checks.engine import Claim, Identity, Kind, Real, Source, Tol, Verdict

CLAIMS = [
    Claim(id="fixture.two-shapes", statement="x", sources=Source("notes.md", "Intro", "q"), kind=Kind.IDENTITY,
          verdict=Verdict.HOLDS, check=Identity(lhs=lambda x: x, rhs=lambda x: jnp.stack([x, x]), domain=Real(-1.0, 1.0),
                                                tol=Tol(1, "planted"))),
]
"""


def test_a_shape_error_under_xdist_is_said_by_the_certificate(tmp_path):
    """Under pytest-xdist the workers validate shapes when they collect and the controller does not (it reads the
    registry after them, only to report); on a failed run it does, so that the certificate names the error."""
    (tmp_path / "notes_claims.py").write_text(SHAPE_ERROR)
    run = _example_runs.Run(tmp_path, "checks/test_claims.py", "-n", "2", "--claims", str(tmp_path / "notes_claims.py"),
                            "--claim", "fixture.", f"--certify-report={tmp_path / 'reports'}")
    returncode, out = run.result()
    said = "claim declaration error: claim 'fixture.two-shapes': the two sides have shapes () and (2,), k=1"
    assert returncode != 0 and f"certificate FAILED: pytest exit status {returncode}" in out, out
    assert "different tests were collected" not in out.lower(), out
    doc = json.loads((tmp_path / "reports" / "claims.json").read_text())
    assert doc["run"]["state"] == "FAILED" and said in doc["run"]["message"], doc["run"]


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


# -- a claim's own function that raises is named, with the input and the exception, in one line ----------------------

SMALL = runner.Budget(points=2000, examples=5, exact_points=8)


def _half_square(x):
    return x * x / 2


def _referee_to_one(x):
    if x > 1:
        raise ValueError("no referee above 1")
    return x


def _referee_overflowing(x):
    huge = mpmath.exp(mpmath.exp(mpmath.exp(1000 * x * x)))  # x itself, until the integer of its digits overflows
    return x * huge / huge


def _through_int64(x):
    return x + (x * 1e300).astype(jnp.int64).astype(x.dtype) * 0  # exactly: an integer beyond int64


def _callback_to_one(x):
    def host(v):
        if (v > 1).any():
            raise ValueError("no value above 1")
        return v

    return jax.pure_callback(host, jax.ShapeDtypeStruct(x.shape, x.dtype), x, vmap_method="sequential")


def _custom_broken(dtype, budget):
    raise RuntimeError("the check broke")


RAISING = {  # claim check -> (what its error message starts with, the exception said, inputs where it raises)
    "referee": (dataclasses.replace(_derivative(_half_square, lambda x: x), referee=_referee_to_one),
                "the declared referee (_referee_to_one) raised at ", "ValueError: no referee above 1", 1.0),
    "mpmath overflow": (dataclasses.replace(_derivative(_half_square, lambda x: x), referee=_referee_overflowing),
                        "the declared referee (_referee_overflowing) raised at ",
                        "OverflowError: too many digits in integer", 0.0),
    "exact interpreter": (Identity(lhs=_through_int64, rhs=lambda x: x, domain=Real(-5.0, 5.0), tol=Tol(1, "planted")),
                          "the exact oracle's evaluation of lhs (_through_int64) raised at ",
                          "OverflowError: Python int too large to convert to C long", 0.0),
    "jax callback": (Identity(lhs=_callback_to_one, rhs=lambda x: x, domain=Real(-5.0, 5.0), tol=Tol(1, "planted")),
                     "lhs (_callback_to_one) raised at ", "ValueError: no value above 1", 1.0),
}


@pytest.mark.parametrize("case", sorted(RAISING))
def test_a_function_that_raises_names_itself_the_input_and_the_exception(case, caplog):
    check, said, exception, beyond = RAISING[case]
    out = runner.certify(_claim(check), "float64", SMALL)
    assert out.status == "error" and out.message.startswith(said) and out.message.endswith(": " + exception), out.message
    point = json.loads(out.message[len(said):-len(exception) - 2])
    assert len(point) == 1 and abs(point[0]) > beyond, out.message  # where it raises
    assert failure_message(_claim(check), out) == f"claim 'fixture.planted' [float64]: error: {out.message}"
    assert "Traceback" not in caplog.text  # JAX logs a raising callback's traceback: not here


def test_a_custom_check_that_raises_is_named():
    check = Custom(run=_custom_broken, description="a planted check that raises")
    out = runner.certify(_claim(check), "float32", SMALL)
    assert (out.status, out.message) == ("error", "the custom check (_custom_broken) raised: RuntimeError: the check broke")


def test_a_referee_that_raises_is_an_error_in_the_reports_in_one_line(tmp_path):
    (tmp_path / "raising_claims.py").write_text(RAISING_CLAIMS)
    run = _example_runs.Run(tmp_path, "checks/test_claims.py", "-p", "no:xdist", "--dtype", "float64",
                            "--claims", str(tmp_path / "raising_claims.py"), "--claim", "fixture.",
                            f"--certify-report={tmp_path / 'reports'}")
    returncode, out = run.result()
    assert returncode == 1, out
    said = "the declared referee (to_one) raised at "
    assert f"claim 'fixture.raising' [float64]: error: {said}" in out, out
    assert "Traceback" not in out and "referee.py" not in out and "mpmath" not in out, out
    entry, = json.loads((tmp_path / "reports" / "claims.json").read_text())["claims"]
    assert entry["status"] == "error" and entry["message"].startswith(said), entry
    assert entry["message"].endswith(": ValueError: no referee above 1"), entry


RAISING_CLAIMS = '''from checks.engine import Claim, Derivative, Kind, Real, Source, Tol, Verdict


def to_one(x):
    if x > 1:
        raise ValueError("no referee above 1")
    return x


CLAIMS = [Claim(id="fixture.raising", statement="x", kind=Kind.GRADIENT, verdict=Verdict.HOLDS,
                sources=Source("notes.md", "Intro", "q"),
                check=Derivative(forward=lambda x: x * x / 2, derivative=lambda x: x, domain=Real(-5.0, 5.0),
                                 referee=to_one, tol=Tol(2, "x^2/2: one multiply, one divide")))]
'''
