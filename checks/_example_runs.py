"""The worked example (``examples/hinge``) run by pytest in subprocesses, shared by the tests that read their output.

Started once per test session, both at once (each is mostly JAX start-up and compilation):

* ``ok``: the example as shipped, both dtypes, dev profile, with JUnit XML, the reports and a
  ``$GITHUB_STEP_SUMMARY`` file, and progress lines;
* ``broken``: a copy with a sign flipped in a derivation and the notes edited (float32 only).
"""
from __future__ import annotations

import atexit
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
HINGE = ROOT / "examples" / "hinge"
_RUNS: dict = {}


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "CERTIFY_DOCUMENTS")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


class Run:
    """``pytest`` started in a subprocess (dev profile); ``result()`` waits for it."""

    def __init__(self, out_dir, *args, **env):
        self.dir = out_dir
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--hypothesis-profile", "dev", "-q", *args]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(**env), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        atexit.register(self.stop)
        self.out = None

    def result(self):
        if self.out is None:
            self.out, _ = self.proc.communicate(timeout=300)
        return self.proc.returncode, self.out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def broken_copy(path: pathlib.Path):
    """The example as an author might break it: a sign flipped in the derivation, the notes edited."""
    src = (HINGE / "claims.py").read_text()
    wrong = src.replace("return -2 * label(b) * hinge(z, b)", "return 2 * label(b) * hinge(z, b)")
    notes = (HINGE / "hinge_notes.md").read_text()
    edited = notes.replace("four times the loss", "4 times the loss")
    assert wrong != src and edited != notes, "the example changed: update broken_copy"
    (path / "claims.py").write_text(wrong)
    (path / "hinge_notes.md").write_text(edited)


def runs(tmp_path_factory) -> dict:
    """{'ok': Run, 'broken': Run}, started on the first call of the session."""
    if not _RUNS:
        ok, broken = tmp_path_factory.mktemp("hinge_ok"), tmp_path_factory.mktemp("hinge_broken")
        broken_copy(broken)
        _RUNS["ok"] = Run(ok, "checks/test_claims.py", "checks/test_traceability.py", "--claims", str(HINGE),
                          "--claim", "hinge", f"--certify-report={ok}", f"--junitxml={ok / 'junit.xml'}",
                          "-o", "junit_family=xunit2", "--certify-progress",
                          GITHUB_STEP_SUMMARY=str(ok / "step_summary.md"))
        _RUNS["broken"] = Run(broken, "checks/test_claims.py", "checks/test_traceability.py::test_quote_in_section",
                              "--claims", str(broken), "--claim", "hinge.squared", "--dtype", "float32",
                              f"--certify-report={broken / 'reports'}")
    return _RUNS
