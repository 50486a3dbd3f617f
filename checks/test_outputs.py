"""The CI gate's outputs, from a real run of the worked example (``checks/_example_runs.py``).

JUnit XML (one testcase per claim x dtype, with claim/dtype/backend/status properties),
``claims.json`` against the documented schema (``report.SCHEMA``, validated without
dependencies), the badge (valid SVG), and the job summary (a row per claim).
"""
import copy
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from checks import _example_runs
from checks.engine import report

STATUSES = ("certified", "erratum confirmed", "FAILED", "recorded (definition)", "not run")


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


def test_summary_lists_failures_with_repro(doc):
    failed = copy.deepcopy(doc)
    c = next(c for c in failed["claims"] if c["id"] == "hinge.squared.grad")
    c["status"], c["message"] = "FAILED", "worst: reverse error 1e7 ulps > tolerance 2"
    c["counterexample"] = {"args": [0.0, 1.0], "dtype": "float32", "repro": "python -m checks repro hinge.squared.grad"}
    failed["summary"]["by_status"] = {"FAILED": 1}
    text = report.summary_markdown(failed)
    assert text.startswith("## Claims certificate: FAILED")
    assert "- `hinge.squared.grad`: worst: reverse error 1e7 ulps > tolerance 2<br>reproduce: " \
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


def test_failure_message_of_a_custom_counterexample_without_args():
    """A custom check may name its failures instead of a point (the normal-equations claim does): its message
    says them (it raised KeyError: 'args'), and claims.json's schema admits it."""
    from checks.engine import Claim, Kind, Source, Verdict
    from checks.engine.runner import Outcome

    claim = Claim(id="c", statement="x", sources=Source("a.md", "A", "q"), kind=Kind.DEFINITION,
                  verdict=Verdict.DEFINITION)
    out = Outcome("c", "float64", status="FAILED", message="past kappa = eps^-1/2 QR lost digits",
                  counterexample={"dtype": "float64", "failures": ["QR lost digits"],
                                  "repro": "python -m checks run c --dtype float64"})
    text = report.failure_message(claim, out)
    assert 'counterexample: failures=["QR lost digits"]' in text
    assert "reproduce: python -m checks run c --dtype float64" in text
    assert report.schema_errors(out.counterexample, report.SCHEMA["claims"][0]["counterexample"]) == []
