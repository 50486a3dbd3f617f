"""Portability: dependency floors that are the ones `make lowest` certifies."""
import pathlib
import re
import subprocess
import sys
import tomllib

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.version import Version

from checks.engine import platform

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + [r for extra in ("compare", "parallel")
                                      for r in project["optional-dependencies"][extra]]
    return [Requirement(r) for r in reqs]


def _pins(lock):
    """{name: [(version, marker, has hashes)]} of a pip-compile style lock file."""
    pins = {}
    for block in re.split(r"\n(?=\S)", (ROOT / lock).read_text()):
        m = re.match(r"([A-Za-z0-9_.-]+)==(\S+)(?: ; ([^\\]+))?", block)
        if m:
            pins.setdefault(m[1].lower().replace("_", "-"), []).append((m[2], (m[3] or "").strip(),
                                                                        "--hash=sha256:" in block))
    return pins


def test_the_engines_minimum_versions_are_pyprojects_floors():
    floors = {r.name: min(s.version for s in r.specifier) for r in _requirements()}
    assert {name: floors[name] for name in platform.MINIMUM} == platform.MINIMUM


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-lowest.lock"])
def test_locks_pin_every_direct_dependency_with_hashes_within_pyproject(lock):
    pins = _pins(lock)
    for req in _requirements():
        assert req.name in pins, f"{lock} does not pin {req.name}"
        for version, _, hashed in pins[req.name]:
            assert hashed, f"{lock}: {req.name}=={version} has no hash"
            assert version in req.specifier, f"{lock}: {req.name}=={version} outside pyproject's {req.specifier}"
    assert all(h for entries in pins.values() for _, _, h in entries), f"{lock}: a pin without hashes"


def test_the_lowest_lock_is_exactly_the_floors():
    """`make lowest` certifies what pyproject declares: each direct dependency at its floor (on this Python)."""
    pins = _pins("requirements-lowest.lock")
    for req in _requirements():
        floor = Version(min(s.version for s in req.specifier))
        here = [Version(v) for v, marker, _ in pins[req.name] if not marker or Marker(marker).evaluate()]
        assert here == [floor], f"requirements-lowest.lock pins {req.name} {here} on this Python, the floor is {floor}"


def test_a_too_old_jax_or_hypothesis_is_said_in_one_line_at_start_up():
    """Not as a declaration error of the first claim that uses a newer function: one line, before collection."""
    fake = ("import importlib.metadata as m, sys, pytest\n"
            "real = m.version\n"
            "m.version = lambda n: {'jax': '0.4.30', 'hypothesis': '6.100.0'}.get(n) or real(n)\n"
            "sys.exit(pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', 'checks/test_claims.py']))\n")
    run = subprocess.run([sys.executable, "-c", fake], cwd=ROOT, capture_output=True, text=True, timeout=120)
    out = run.stdout + run.stderr
    assert run.returncode == 4, out  # pytest's usage error
    line = ("certify: too old for the engine: jax 0.4.30 (needs >= 0.10.2), hypothesis 6.100.0 (needs >= 6.131.9); "
            "`make` installs the locked versions (requirements.lock)")
    assert line in out and "Traceback" not in out and "declaration error" not in out, out
