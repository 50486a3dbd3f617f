"""The CI gate's outputs, from real runs of the worked example (``checks/_example_runs.py``) and of fixture claims.

JUnit XML (one testcase per claim x dtype, with claim/dtype/backend/status properties),
``claims.json`` against the documented schema (``report.SCHEMA``, validated without
dependencies), the badge (valid SVG), and the job summary (a row per claim). Every report says
what pytest's exit status says: a stale quote, a check that raises, Ctrl-C and a killed run are
red (or "in progress") in each of them.
"""
import copy
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from checks import _example_runs
from checks.engine import report

STATUSES = ("certified", "erratum confirmed", "FAILED", "recorded (definition)", "not run", "error", "stale",
            "interrupted")


@pytest.fixture(scope="module")
def ok_run(tmp_path_factory):
    run = _example_runs.runs(tmp_path_factory)["ok"]
    returncode, out = run.result()
    assert returncode == 0, out
    return run.dir


@pytest.fixture(scope="module")
def doc(ok_run):
    return json.loads((ok_run / "claims.json").read_text())


def test_junit_one_testcase_per_claim_and_dtype(ok_run, doc):
    root = ET.parse(ok_run / "junit.xml").getroot()
    cases = [tc for tc in root.iter("testcase") if tc.get("classname") == "checks.test_claims"]
    props = [{p.get("name"): p.get("value") for p in tc.iter("property")} for tc in cases]
    numerical = {c["id"] for c in doc["claims"] if c["verdict"] != "definition"}
    assert sorted((p["claim"], p["dtype"]) for p in props) == sorted(
        (cid, dt) for cid in numerical for dt in ("float32", "float64"))
    for tc, p in zip(cases, props):
        assert tc.get("name") == f"test_claim[{p['claim']}-{p['dtype']}]"
        assert p["backend"] == doc["environment"]["backend"] and p["status"] in STATUSES


def test_claims_json_matches_schema(doc):
    assert report.schema_errors(doc) == []
    assert doc["schema_version"] == report.SCHEMA_VERSION
    assert all(c["status"] in STATUSES or c["status"].startswith("skipped") for c in doc["claims"])


def test_schema_admits_a_custom_checks_context_but_not_a_missing_repro(doc):
    cex = {"args": [[1.0]], "dtype": "float32", "repro": "python -m checks run x --dtype float32",
           "names": ["x_T"], "values": {"x": 1.0}}
    assert report.schema_errors(cex, report.SCHEMA["claims"][0]["counterexample"]) == []
    del cex["repro"]
    assert report.schema_errors(cex, report.SCHEMA["claims"][0]["counterexample"]) == ["$: missing key 'repro'"]


def test_schema_validator_catches_departures(doc):
    bad = copy.deepcopy(doc)
    del bad["summary"]["claims"]
    bad["claims"][1]["evidence"][0]["points"] = "many"
    bad["claims"][1]["sources"][0]["page"] = 3
    assert report.schema_errors(bad) == [
        "$.summary: missing key 'claims'",
        "$.claims[1].sources[0]: unexpected key 'page'",
        "$.claims[1].evidence[0].points: expected int, got str",
    ]


def test_the_projects_own_claims_are_counted_apart_from_the_documents():
    """A claim with own=True (accuracy.*) is no verdict on the document it cites: not in by_document or
    by_verdict, counted as summary.own, listed in CLAIMS.md under its own heading (not under, nor counted
    as cited by, the documents it cites)."""
    from checks.engine import Claim, Custom, Kind, Source, Verdict, runner

    src, other = Source("notes.md", "Numerics", "exponentials can overflow"), Source("more.md", "Overflow", "q")
    check = Custom(run=lambda dtype, budget: None, description="unused: the outcomes are given")
    claims = [Claim(id=f"planted.{name}", statement="x", sources=(src, other), kind=Kind.STABILITY,
                    verdict=Verdict.HOLDS, check=check, own=own) for name, own in (("document", False), ("own", True))]
    outcomes = {(c.id, dt): runner.Outcome(c.id, dt) for c in claims for dt in ("float32", "float64")}
    doc = report.build(claims, ["float32", "float64"], outcomes, {}, profile="dev", budget=runner.BUDGETS["dev"],
                       environment=None, run_id="r", exit_status=0)
    assert report.schema_errors(doc) == []
    s = doc["summary"]
    assert (s["claims"], s["own"], s["by_document"], s["by_verdict"]) == (
        2, 1, {"notes.md": 1}, {"holds as written": 1})
    md = report.markdown(doc)
    head, own = md.split(f"## {report.OWN}")  # the own heading comes last
    more, notes = head.split("## `more.md`")[1].split("## `notes.md`")
    assert "Cited by 1 claims." in more and "Cited by 1 claims." in notes and "`planted.own`" not in more + notes
    assert "`planted.own` | $x$ | `notes.md`: Numerics<br>`more.md`: Overflow |" in own


def test_badge_is_valid_svg_and_says_the_counts(ok_run, doc):
    svg = ET.parse(ok_run / "badge.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["claims", "2 certified, 1 errata"]
    assert 'fill="#4c1"' in (ok_run / "badge.svg").read_text()  # green


def test_badge_turns_red_with_failures(doc):
    failed = copy.deepcopy(doc)
    failed["summary"]["by_status"] = {"certified": 1, "erratum confirmed": 1, "FAILED": 1}
    svg = report.badge_svg(failed)
    root = ET.fromstring(svg)
    assert [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")] == ["claims", "1 certified, 1 errata, 1 failed"]
    assert 'fill="#e05d44"' in svg


def test_summary_has_a_row_per_claim(ok_run, doc):
    summary = (ok_run / "summary.md").read_text()
    rows = [line for line in summary.splitlines() if line.startswith("| `")]
    assert [r.split("`")[1] for r in rows] == [c["id"] for c in doc["claims"]]
    assert summary.startswith("## Claims certificate: passed")


def test_errata_counterexamples_are_in_the_terminal_and_the_summary(ok_run, doc):
    """A confirmed erratum's counterexample (the document's form failing) is shown, not only kept in claims.json;
    and the source column names the author's document in full."""
    erratum = next(c for c in doc["claims"] if c["status"] == "erratum confirmed")
    cex = erratum["counterexample"]
    shown = f"{json.dumps(cex['args'])} ({cex['dtype']}): {cex['oracle']} error {cex['error_ulps']:.3g} ulps"
    lines = report.table(doc)
    assert f"  {erratum['id']}: {shown}" in lines[lines.index("errata: the document's form fails at"):], lines
    row = next(line for line in lines if line.startswith(erratum["id"] + " "))
    assert f" {erratum['sources'][0]['document']} {erratum['sources'][0]['section'][:18]} " in row, row
    summary = (ok_run / "summary.md").read_text()
    assert f"- `{erratum['id']}`: as written ${erratum['as_written']}$ fails at `{shown}`<br>reproduce: " \
           f"`{cex['repro']}`" in summary.split("### Errata: where the document's form fails")[1], summary


def test_a_long_counterexample_is_cut_in_the_terminal_only(doc):
    long = copy.deepcopy(doc)
    erratum = next(c for c in long["claims"] if c["status"] == "erratum confirmed")
    erratum["counterexample"]["args"] = [[0.125] * 40]
    line = next(line for line in report.table(long) if line.startswith(f"  {erratum['id']}: "))
    assert f"  {erratum['id']}: " + json.dumps([[0.125] * 40])[:report.ARGS_SHOWN - 1] + "… (" in line
    assert json.dumps([[0.125] * 40]) in report.summary_markdown(long)


def test_summary_lists_failures_with_repro(doc):
    failed = copy.deepcopy(doc)
    c = next(c for c in failed["claims"] if c["id"] == "hinge.squared.grad")
    c["status"], c["message"] = "FAILED", "worst: reverse error 1e7 ulps > tolerance 2"
    c["counterexample"] = {"args": [0.0, 1.0], "dtype": "float32", "repro": "python -m checks repro hinge.squared.grad"}
    failed["summary"]["by_status"] = {"FAILED": 1}
    text = report.summary_markdown(failed)
    assert text.startswith("## Claims certificate: FAILED")
    assert "- `hinge.squared.grad` (FAILED): worst: reverse error 1e7 ulps > tolerance 2<br>reproduce: " \
           "`python -m checks repro hinge.squared.grad`" in text


def test_example_ci_workflow_runs_make_certify_and_uploads_reports():
    text = (_example_runs.ROOT / "examples" / "ci" / "certify.yml").read_text()
    assert "make certify" in text and "actions/upload-artifact" in text and "path: reports/" in text


def test_a_narrowed_run_leaves_claims_md_alone(tmp_path):
    """CLAIMS.md is the committed listing of a complete run: a -k selection writes claims.json only."""
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "checks/test_claims.py", "-k",
                          "sigmoid and derivative and float32", "--hypothesis-profile=dev", f"--certify-report={tmp_path}"],
                         cwd=_example_runs.ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "claims.json").exists() and not (tmp_path / "CLAIMS.md").exists()


def test_xdist_workers_report_through_the_controller(tmp_path):
    """Under pytest-xdist (optional extra ``parallel``) the certificate holds every worker's claims."""
    pytest.importorskip("xdist", reason="pytest-xdist is the optional extra 'parallel'")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-n", "2",
                          "checks/test_claims.py", "--claim", "sigmoid.derivative", "--claim", "softmax.shift",
                          "--claim", "likelihood.product-underflows",  # its witness holds numpy scalars
                          "--hypothesis-profile=dev", f"--certify-report={tmp_path}"],
                         cwd=_example_runs.ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
    ids = {c["id"] for c in json.loads((tmp_path / "claims.json").read_text())["claims"]}
    assert ids == {"sigmoid.derivative", "softmax.shift-invariance", "softmax.shift-invariance.exp-of-sum",
                   "softmax.shift-invariance.cancel-constant", "likelihood.product-underflows"}


# -- every report tells the truth --------------------------------------------------------------------

def _badge(path):
    text = path.read_text()
    return [t.text for t in ET.fromstring(text).iter("{http://www.w3.org/2000/svg}text")][1], text


def test_a_stale_quote_and_a_failure_are_red_in_every_report(tmp_path_factory):
    """The broken example: one claim fails, another's check passes but its quote is no longer in the document."""
    run = _example_runs.runs(tmp_path_factory)["broken"]
    returncode, out = run.result()
    assert returncode == 1, out
    doc = json.loads((run.dir / "reports" / "claims.json").read_text())
    stale = next(c for c in doc["claims"] if c["id"] == "hinge.squared.grad-squared-is-4-loss")
    assert stale["status"] == "stale" and stale["status_by_dtype"] == {"float32": "stale"}
    assert stale["sources"][0]["trace"] == "stale" and "quote not in the section" in stale["message"]
    assert {e["oracle"] for e in stale["evidence"]} >= {"lhs=rhs"}  # its evidence is kept
    assert doc["run"]["state"] == "FAILED" and doc["run"]["exit_status"] == 1
    assert report.schema_errors(doc) == []
    summary = (run.dir / "reports" / "summary.md").read_text()
    assert summary.startswith("## Claims certificate: FAILED") and "❌ stale" in summary
    value, svg = _badge(run.dir / "reports" / "badge.svg")
    assert value == "0 certified, 0 errata, 1 failed, 1 stale" and 'fill="#e05d44"' in svg
    assert "certificate FAILED: pytest exit status 1" in out  # the terminal's certificate


FIXTURE_CLAIMS = '''
"""Fixture claims for checks/test_outputs.py: custom checks that pass, raise, or signal their own process."""
import os
import signal
import time

from checks.engine import Claim, Custom, Kind, Source, Verdict, evidence, outcome

PLAN = {plan!r}


def behaves(how):
    def run(dtype, budget):
        if how == "raises":
            raise RuntimeError("the referee exploded")
        if how in ("SIGINT", "SIGKILL"):  # Ctrl-C, or the runner killed, while this check runs
            os.kill(os.getpid(), getattr(signal, how))
            time.sleep(60)
        return outcome(dtype, True, [evidence("nothing to it", dtype, points=1, max_error=0.0, tolerance=1.0)])
    return Custom(run=run, description=how)


CLAIMS = [Claim(id=f"fixture.{{name}}", statement="x", sources=Source("fixture.md", "Fixture", "a fixture"),
                kind=Kind.IDENTITY, verdict=Verdict.HOLDS, check=behaves(how)) for name, how in PLAN]
'''


def fixture_run(tmp_path, plan, *args):
    """pytest on fixture claims (``plan``: (name, behaviour) pairs, run in that order), float32, reports in
    ``tmp_path / 'reports'``: (return code, output, the reports' directory)."""
    (tmp_path / "fixture_claims.py").write_text(FIXTURE_CLAIMS.format(plan=plan))
    reports = tmp_path / "reports"
    run = _example_runs.Run(reports, "checks/test_claims.py", "-p", "no:xdist", "--claims",
                            str(tmp_path / "fixture_claims.py"), "--claim", "fixture.", "--dtype", "float32",
                            f"--certify-report={reports}", *args)
    return (*run.result(), reports)


def test_a_check_that_raises_is_an_error_and_ctrl_c_is_partial_never_green(tmp_path):
    returncode, out, reports = fixture_run(
        tmp_path, [("a-passes", "passes"), ("b-raises", "raises"), ("c-ctrl-c", "SIGINT"), ("d-after", "passes")])
    assert returncode == 2, out  # pytest's "interrupted"
    doc = json.loads((reports / "claims.json").read_text())
    assert report.schema_errors(doc) == []
    status = {c["id"]: c["status"] for c in doc["claims"]}
    assert status == {"fixture.a-passes": "certified", "fixture.b-raises": "error",
                      "fixture.c-ctrl-c": "interrupted", "fixture.d-after": "interrupted"}
    error = next(c for c in doc["claims"] if c["id"] == "fixture.b-raises")
    said = "the custom check (behaves.<locals>.run) raised: RuntimeError: the referee exploded"
    assert error["message"] == said
    assert doc["run"]["state"] == "interrupted" and doc["run"]["partial"] and doc["run"]["exit_status"] == 2
    assert "2 of 4 claim x dtype ran" in doc["run"]["message"]
    summary = (reports / "summary.md").read_text()
    assert summary.startswith("## Claims certificate: interrupted (partial)")
    assert f"- `fixture.b-raises` (error): {said}" in summary
    value, svg = _badge(reports / "badge.svg")
    assert value == "1 certified, 0 errata, 1 error, 2 interrupted" and 'fill="#e05d44"' in svg


def test_a_killed_run_leaves_reports_in_progress_not_the_previous_ones(tmp_path, ok_run):
    """SIGKILL gives no chance to write anything at the end: the reports said "in progress" from the start."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("claims.json", "summary.md", "badge.svg"):  # a previous, green run's reports
        (reports / name).write_text((ok_run / name).read_text())
    returncode, out, _ = fixture_run(tmp_path, [("a-passes", "passes"), ("k-killed", "SIGKILL")])
    assert returncode == -9, out
    doc = json.loads((reports / "claims.json").read_text())
    assert doc["run"]["state"] == "in progress" and doc["run"]["exit_status"] is None and doc["run"]["partial"]
    assert [c["status"] for c in doc["claims"]] == ["not run", "not run"]
    assert report.schema_errors(doc) == []
    assert (reports / "summary.md").read_text().startswith("## Claims certificate: in progress (not current)")
    value, svg = _badge(reports / "badge.svg")
    assert value == "in progress" and 'fill="#4c1"' not in svg
    assert sorted(p.name for p in reports.iterdir()) == ["badge.svg", "claims.json", "summary.md"]  # no temp files


def _claim(cid, *documents):
    from checks.engine import Claim, Kind, Source, Verdict

    return Claim(id=cid, statement="x", sources=tuple(Source(d, f"Section {i}", "q") for i, d in enumerate(documents)),
                 kind=Kind.DEFINITION, verdict=Verdict.DEFINITION)


def _doc(claims, exit_status=0, **kw):
    from checks.engine.runner import Budget

    return report.build(claims, ["float32"], {}, {}, profile="dev", budget=Budget(), environment=None, run_id="r",
                        exit_status=exit_status, **kw)


def test_a_failed_test_outside_the_claims_turns_every_report_red():
    doc = _doc([_claim("one.definition", "a.md")], exit_status=1, failed_tests=["checks/test_engine.py::test_x"])
    assert [c["status"] for c in doc["claims"]] == ["recorded (definition)"]  # every claim is fine...
    assert doc["run"]["state"] == "FAILED"  # ...the run is not
    assert report.summary_markdown(doc).startswith("## Claims certificate: FAILED")
    assert "- `checks/test_engine.py::test_x`" in report.summary_markdown(doc)
    svg = report.badge_svg(doc)
    assert "0 certified, 0 errata, run failed" in svg and 'fill="#e05d44"' in svg
    assert "**Certificate: FAILED: pytest exit status 1; 1 failed tests outside the claims**" in report.markdown(doc)
    assert report.markdown(_doc([_claim("one.definition", "a.md")])).count("**Certificate: passed: pytest exit status 0**") == 1


def test_a_declaration_error_fails_the_run():
    doc = _doc([], exit_status=1, problem="claim declaration error: x.py:3: Source.quote must be a non-empty string")
    assert doc["run"]["state"] == "FAILED" and "Source.quote" in doc["run"]["message"]
    assert report.schema_errors(doc) == []


def test_claims_md_lists_every_claim_under_every_document_it_cites():
    doc = _doc([_claim("both.documents", "b.md", "a.md"), _claim("only.b", "b.md")])
    text = report.markdown(doc)
    a, b = text.split("## `a.md`")[1].split("## `b.md`")
    assert "Cited by 1 claims." in a and "`both.documents`" in a and "also cites `b.md`" in a
    assert "Cited by 2 claims." in b and "`both.documents`" in b and "`only.b`" in b and "also cites `a.md`" in b


def test_reports_are_replaced_atomically(tmp_path, doc, monkeypatch):
    report.write(doc, tmp_path)
    before = {p.name: p.read_text() for p in tmp_path.iterdir()}

    def killed(src, dst):
        raise KeyboardInterrupt  # the moment between writing the new file and putting it in place

    monkeypatch.setattr(report.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        report.write(_doc([], exit_status=2), tmp_path)
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == before  # the old reports, whole; no temp files


def test_claims_md_banner_marks_a_run_that_did_not_complete(tmp_path):
    path = tmp_path / "CLAIMS.md"
    path.write_text("# Claims\n\nold statuses\n")
    assert report.mark_claims_md(path, "run-1", "in progress.")
    assert path.read_text().startswith("> **Not current.** in progress. <!-- run run-1 -->\n\n# Claims")
    assert not report.mark_claims_md(path, "run-2", "interrupted.", only_own=True)  # another run's banner
    assert report.mark_claims_md(path, "run-1", "interrupted.", only_own=True)
    assert path.read_text() == "> **Not current.** interrupted. <!-- run run-1 -->\n\n# Claims\n\nold statuses\n"


def test_failure_message_of_a_custom_counterexample_without_args():
    """A custom check may name its failures instead of a point (the normal-equations claim does): its message
    says them (it raised KeyError: 'args'), and claims.json's schema admits it."""
    from checks.engine.runner import Outcome

    out = Outcome("c", "float64", status="FAILED", message="past kappa = eps^-1/2 QR lost digits",
                  counterexample={"dtype": "float64", "failures": ["QR lost digits"],
                                  "repro": "python -m checks run c --dtype float64"})
    text = report.failure_message(_claim("c", "a.md"), out)
    assert 'counterexample: failures=["QR lost digits"]' in text
    assert "reproduce: python -m checks run c --dtype float64" in text
    assert report.schema_errors(out.counterexample, report.SCHEMA["claims"][0]["counterexample"]) == []
