"""Claims in the notes (``checks.engine.notes``): a block's source comes from where it stands; ``pytest note.md``
certifies the worked example (``examples/notes/log_cosh.md``), and a changed sentence or a broken derivation fails
naming the note's line.
"""
import json
import sys
import textwrap

import pytest

from checks import _example_runs
from checks.engine import Kind, Source, Verdict, notes, registry, trace
from checks.engine.claim import DeclarationError

NOTE = _example_runs.ROOT / "examples" / "notes" / "log_cosh.md"
IMPORTS = "```python\nfrom checks.engine import Custom, Derivative, Kind, Real, Tol\nimport jax.numpy as jnp\n```\n"
SQUARE = 'Derivative(lambda x: x * x, lambda x: 2 * x, Real(-1, 1), Tol(1, "exact"), referee=lambda x: 2 * x)'


def write(tmp_path, body, name="n.md"):
    path = tmp_path / name
    path.write_text(IMPORTS + textwrap.dedent(body))
    return path


@pytest.fixture(autouse=True)
def _sybil():
    pytest.importorskip("sybil", reason="Sybil is the optional 'notes' extra (pip install -e '.[notes]')")


def test_source_comes_from_where_the_block_stands(tmp_path):
    path = write(tmp_path, f"""
        # Squares
        ## The derivative
        Its derivative is $\\frac{{d}}{{dx}} x^2 = 2x$, and squares are never negative.
        ```python claim
        claim("sq.grad", r"\\frac{{d}}{{dx}} x^2 = 2x", {SQUARE})
        claim("sq.nonneg", r"x^2 \\ge 0", {SQUARE}, quote="squares are never negative", kind=Kind.INEQUALITY)
        ```
        ### Below
        ```python claim
        claim("sq.def", r"x^2 = x \\cdot x", quote="never negative")
        ```
        """)
    module = notes.load(path)
    grad, nonneg, definition = module.CLAIMS
    # the section is the innermost heading above the block; the quote is the statement unless one is named
    assert grad.sources[0] == Source("n.md", "The derivative", r"\frac{d}{dx} x^2 = 2x")
    assert nonneg.sources[0].quote == "squares are never negative" and nonneg.kind is Kind.INEQUALITY
    assert definition.sources[0].section == "Below" and definition.verdict is Verdict.DEFINITION
    assert (grad.kind, grad.verdict) == (Kind.GRADIENT, Verdict.HOLDS)
    assert module.LINES == {"sq.grad": 9, "sq.nonneg": 9, "sq.def": 14}
    assert module.DOCUMENTS == "." and module.__file__ == str(path)
    text = path.read_text()
    assert trace.check_quote(text, "n.md", "The derivative", grad.sources[0].quote) is None
    # the block's own copy of its quote is code, not prose: the section "Below" does not hold its quote
    assert "quote not in the section" in trace.check_quote(text, "n.md", "Below", "never negative")


def test_erratum_quotes_the_form_as_written(tmp_path):
    path = write(tmp_path, f"""
        # Squares
        The derivative of $x^2$ is $x$.
        ```python claim
        claim("sq.grad", r"(x^2)' = 2x", {SQUARE}, as_written=r"$x$",
              as_written_check={SQUARE.replace("2 * x, Real", "x, Real")})
        ```
        """)
    c, = notes.load(path).CLAIMS
    assert c.verdict is Verdict.ERRATUM and c.sources[0].quote == "$x$"
    assert c.as_written_check.derivative(3.0) == 3.0


def test_hidden_code_and_examples_run_in_the_notes_namespace(tmp_path):
    path = write(tmp_path, f"""
        # A
        <!-- invisible-code-block: python
        def double(x):
            return 2 * x
        -->
        ```python
        >>> double(2)
        4
        ```
        The derivative is $2x$.
        ```python claim
        claim("a.grad", r"2x", {SQUARE.replace("lambda x: 2 * x, Real", "double, Real")})
        ```
        """)
    c, = notes.load(path).CLAIMS
    assert c.check.derivative.__name__ == "double"
    assert registry.origin("a.grad") is None  # not registered until loaded through the registry...
    assert [x.id for x in registry.load([path]) if x.id == "a.grad"] and registry.origin("a.grad") == path


@pytest.mark.parametrize("body, message", [
    ("```python claim\nclaim('a.b', 'x')\n```\n", "n.md:5: a claim block stands under no heading"),
    ("# A\nx\n```python claim\nx = 1\n```\n", "n.md:7: the claim block declares no claim"),
    ("# A\nx\n```python\nclaim('a.b', 'x')\n```\n", "n.md:7: claim() declares a claim in a ```python claim block"),
    ("# A\nx\n```python claim\nclaim('a.b', 'x', Custom(lambda d, b: None, 'c'))\n```\n",
     "n.md:7: a Custom check says its kind="),
    ("# A\nx\n<!-- skip: next -->\n```python claim\nclaim('a.b', 'x')\n```\n",
     "n.md:8: a claim block was skipped: a claim is certified or removed, never skipped"),
    ("# A\nx\n```python\ndef f():\n    return 1 / 0\n\nf()\n```\n", "n.md:9: the block raised ZeroDivisionError"),
    ("# A\n```python\n>>> 1 + 1\n3\n```\n", "n.md:7: Expected:\n    3\nGot:\n    2"),
    ("# A\nx\n```python claim\nclaim('A b', 'x')\n```\n", "n.md:7: claim id 'A b' must be lower-case"),
])
def test_bad_notes_name_the_line_and_the_problem(tmp_path, body, message):
    with pytest.raises(DeclarationError) as e:
        notes.load(write(tmp_path, body))
    assert str(e.value).startswith(message), str(e.value)


def test_without_sybil_the_error_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sybil", None)  # import fails as if not installed
    with pytest.raises(DeclarationError, match=r"pip install 'certified-derivations\[notes\]'"):
        notes.load(write(tmp_path, "# A\n"))


# --- the worked example, by pytest in subprocesses -----------------------------------------------

def test_a_claims_modules_declaration_error_is_said_once_beside_a_note(tmp_path):
    """The note asks for the registry first: it says the error (as a claims test module would), and the test
    module after it collects nothing more."""
    (tmp_path / "bad_claims.py").write_text(
        "from checks.engine import Claim, Kind, Source, Verdict\n"
        "CLAIMS = [Claim(id='fixture.empty-quote', statement='x', kind=Kind.DEFINITION, verdict=Verdict.DEFINITION,\n"
        "                sources=Source('n.md', 'A', ''))]\n")
    run = _example_runs.Run(tmp_path, str(NOTE), "checks/test_claims.py", "-p", "no:xdist", "--claims",
                            str(tmp_path / "bad_claims.py"), f"--certify-report={tmp_path / 'reports'}")
    returncode, out = run.result()
    assert returncode == 2, out  # pytest's "interrupted" by a collection error
    said = f"claim declaration error: {tmp_path / 'bad_claims.py'}:3: claim 'fixture.empty-quote': " \
           "Source.quote must be a non-empty string"
    assert [line for line in out.splitlines() if "Source.quote" in line] == [
        said, f"certificate FAILED: pytest exit status 2; 1 failed tests outside the claims; {said}"], out
    assert json.loads((tmp_path / "reports" / "claims.json").read_text())["run"]["failed_tests"] == [
        f"{NOTE.relative_to(_example_runs.ROOT)} (collection)"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The note collected through the ``certify_notes`` pattern (both dtypes), and a broken copy named on the
    command line (float32): a changed sentence and a flipped sign. Started at once."""
    ok, broken = tmp_path_factory.mktemp("note_ok"), tmp_path_factory.mktemp("note_broken")
    text = NOTE.read_text()
    edited = text.replace("so the gradient never exceeds one in magnitude: an", "so the gradient stays below one: an")
    edited = edited.replace("return jnp.sign(x) * -m / (2 + m)", "return jnp.sign(x) * m / (2 + m)")
    assert edited.count("\n") == text.count("\n") and edited != text, "the example changed: update this test"
    (broken / NOTE.name).write_text(edited)
    return {"ok": _example_runs.Run(ok, str(NOTE.parent), "-o", "certify_notes=examples/notes/*.md",
                                    f"--certify-report={ok}", f"--junitxml={ok / 'junit.xml'}"),
            "broken": _example_runs.Run(broken, str(broken / NOTE.name), "--dtype", "float32",
                                        f"--certify-report={broken}")}


def test_worked_example_is_certified_in_its_note(runs):
    returncode, out = runs["ok"].result()
    assert returncode == 0, out
    assert "10 passed" in out  # 4 quotes, 3 numerical claims x 2 dtypes
    doc = json.loads((runs["ok"].dir / "claims.json").read_text())
    claims = {c["id"]: c for c in doc["claims"] if c["id"].startswith("logcosh.")}
    assert {k: c["status"] for k, c in claims.items()} == {
        "logcosh.definition": "recorded (definition)", "logcosh.grad": "certified",
        "logcosh.grad-bounded": "certified", "logcosh.grad-is-sigmoid": "erratum confirmed"}
    assert claims["logcosh.grad-is-sigmoid"]["sources"] == [
        {"document": "log_cosh.md", "section": "As a sigmoid", "quote": r"\tanh x = 2\sigma(x) - 1",
         "trace": "found", "trace_message": ""}]  # the note's quote item traced it
    assert claims["logcosh.grad-is-sigmoid"]["as_written"] == r"\tanh x = 2\sigma(x) - 1"
    junit = (runs["ok"].dir / "junit.xml").read_text()
    assert 'name="logcosh.grad[float64]"' in junit and '<property name="status" value="certified" />' in junit


def test_changed_sentence_and_broken_derivation_fail_at_the_notes_line(runs):
    returncode, out = runs["broken"].result()
    assert returncode == 1, out
    line = notes.load(NOTE).LINES["logcosh.grad"]  # the block of logcosh.grad and logcosh.grad-bounded
    assert f"log_cosh.md:{line}: claim 'logcosh.grad-bounded': log_cosh.md, section 'Its gradient': quote not " \
           "in the section: 'the gradient never exceeds one in magnitude' (stale?" in out, out
    assert f"log_cosh.md:{line}: claim 'logcosh.grad' [float32]: FAILED" in out
    assert f"reproduce: python -m checks --claims {runs['broken'].dir / NOTE.name} repro logcosh.grad" in out
    statuses = {c["id"]: c["status"] for c in json.loads((runs["broken"].dir / "claims.json").read_text())["claims"]}
    # its check passed, its quote is gone: stale, as a claims module's claim
    assert statuses["logcosh.grad"] == "FAILED" and statuses["logcosh.grad-bounded"] == "stale"

