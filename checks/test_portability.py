"""Portability: the compilation cache keyed by the host, the certificate comparison across code paths, and
dependency floors that are the ones `make lowest` certifies."""
import json
import pathlib
import re
import subprocess
import sys
import tomllib

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.version import Version

from checks import portability
from checks.engine import platform

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + [r for extra in ("compare", "parallel", "notes", "proof")
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


def test_the_compilation_cache_is_keyed_by_the_cpu_and_the_xla_flags(monkeypatch):
    monkeypatch.setattr(platform, "cpu_info", lambda: ("Some CPU 9000", frozenset({"sse4_2", "avx", "avx2"})))
    monkeypatch.delenv("XLA_FLAGS", raising=False)
    plain = platform.host_key()
    assert plain.startswith(platform._host.machine().lower() + "-some-cpu-9000-")
    monkeypatch.setenv("XLA_FLAGS", "--xla_cpu_max_isa=SSE4_2")
    assert platform.host_key() != plain
    monkeypatch.delenv("XLA_FLAGS")
    monkeypatch.setattr(platform, "cpu_info", lambda: ("Some CPU 9000", frozenset({"sse4_2", "avx", "avx2", "avx512f"})))
    assert platform.host_key() != plain  # same model name, other features (a cloud VM's masked flags)


def test_jax_is_given_the_hosts_subdirectory_of_the_cache(tmp_path):
    code = ("from checks.engine import platform; jax = platform.configure(%r); "
            "print(jax.config.jax_compilation_cache_dir); print(platform.host_key())" % str(tmp_path))
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    used, key = run.stdout.split()
    assert used == str(tmp_path / key), run.stderr


def test_isas_from_cpu_flags():
    assert portability.isas({"sse4_2", "avx", "avx2", "fma"}) == (["SSE4_2", "AVX", "AVX2"], ["AVX512"])
    assert portability.isas(frozenset()) == ([], list(portability.ISAS))  # no /proc/cpuinfo: none run, said so


def _certificate(tmp_path, name, claims):
    d = tmp_path / name
    d.mkdir()
    (d / "claims.json").write_text(json.dumps({"claims": claims}))
    return portability.load(d)


def _claim(cid, status, max_error=1.0, note=""):
    return {"id": cid, "status_by_dtype": {"float32": status},
            "evidence": [{"oracle": "referee", "dtype": "float32", "points": 10, "max_error": max_error,
                          "tolerance": 4.0, "oracle_wrong": 0, "note": note}]}


def test_compare_names_status_and_evidence_moves(tmp_path):
    base = _certificate(tmp_path, "base", [_claim("a", "certified"), _claim("b", "certified"),
                                           _claim("c", "certified")])
    other = _certificate(tmp_path, "other", [_claim("a", "certified"), _claim("b", "FAILED"),
                                             _claim("c", "certified", 1.5, "T = 88.72284")])
    statuses, evidence = portability.compare(base, other)
    assert statuses == [("b", "float32", "certified", "FAILED")]
    assert evidence == {("c", "float32"): [(0, "max_error", 1.0, 1.5), (0, "note", "", "T = 88.72284")]}
    assert portability.compare(base, base) == ([], {})


def test_compare_fails_on_a_moved_status_and_on_a_claim_run_once(tmp_path, capsys):
    _certificate(tmp_path, "base", [_claim("a", "certified"), _claim("b", "certified")])
    _certificate(tmp_path, "same", [_claim("a", "certified"), _claim("b", "certified", 2.0)])
    _certificate(tmp_path, "fewer", [_claim("a", "certified")])
    assert portability.main(["compare", str(tmp_path / "base"), str(tmp_path / "same")]) == 0
    assert portability.main(["compare", "--evidence", str(tmp_path / "base"), str(tmp_path / "fewer")]) == 1
    out = capsys.readouterr().out
    assert "STATUS b [float32]: certified -> absent" in out
    with pytest.raises(SystemExit, match="no readable certificate"):
        portability.load(tmp_path / "nowhere")
