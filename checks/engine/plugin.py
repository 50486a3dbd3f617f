"""The pytest plugin (entry point ``pytest11: certify``): options, profiles, claim tests, the certificate.

Importing this module is light: no JAX import and no device query. JAX starts
when the first claim is certified; the claim modules (which import the
derivations) are imported when a test module asks for claim cases.
"""
from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import time

import pytest
from hypothesis import settings

from .claim import DeclarationError

PROFILES = {
    # dev: quick local iteration. "ci" is Hypothesis' own profile (derandomized, no database,
    # no deadline, print_blob), loaded by Hypothesis itself when CI is set: not redefined here.
    "dev": dict(deadline=None, max_examples=20, print_blob=True),
    "thorough": dict(deadline=None, max_examples=1000, print_blob=True),
}
for _name, _kw in PROFILES.items():
    settings.register_profile(_name, **_kw)


def pytest_addoption(parser):
    g = parser.getgroup("certify", "certification of document claims")
    g.addoption("--jax-platform", default=None, help="JAX platform(s) to run on, e.g. cpu, cuda, tpu (sets JAX_PLATFORMS)")
    g.addoption("--require-backend", default=None, help="fail unless JAX's default backend is this one (cpu, gpu, tpu)")
    g.addoption("--claims", action="append", default=[], help="extra claims module or directory (repeatable)")
    g.addoption("--dtype", action="append", choices=("float32", "float64"), default=None, help="certify only these dtypes")
    g.addoption("--claim", action="append", default=None, help="certify only claims whose id starts with this")
    g.addoption("--certify-report", default="reports", help="directory for claims.json and CLAIMS.md ('' for none)")
    g.addoption("--jax-cache-dir", default=os.environ.get("CERTIFY_JAX_CACHE"),
                help="JAX persistent compilation cache directory (default: $CERTIFY_JAX_CACHE, else none)")
    g.addoption("--certify-progress", action="store_true", default=None,
                help="a line per claim x dtype with points/s (default: on under the thorough profile)")
    parser.addini("certify_claims", "extra claims modules or directories", type="paths", default=[])
    parser.addini("certify_documents", "directories that may hold the source documents, for quote traceability "
                  "(the first that exists is used; default ../shared/seeds; env CERTIFY_DOCUMENTS overrides)",
                  type="paths", default=[])


def profile_name(config) -> str:
    explicit = config.getoption("hypothesis_profile", default=None)
    if explicit:
        return explicit
    return "ci" if os.environ.get("CI") else "dev"


@pytest.hookimpl(tryfirst=True)  # before Hypothesis' own plugin loads a profile an old Hypothesis lacks
def pytest_configure(config):
    from . import platform

    if platform.too_old():
        raise pytest.UsageError(platform.too_old())
    try:
        platform.select_platform(config.getoption("jax_platform"))
    except platform.PlatformError as e:
        raise pytest.UsageError(str(e)) from None
    name = profile_name(config)
    if not config.getoption("hypothesis_profile", default=None) and name == "dev":
        settings.load_profile("dev")  # under CI Hypothesis has already loaded its own "ci" profile
    config._certify = Certification(config, name)
    config.pluginmanager.register(config._certify, "certify-session")
    config.addinivalue_line("markers", "claim(id): a test certifying a registered claim")
    # `make certify` writes xunit2 JUnit with claim/dtype/backend/status properties per testcase: pytest
    # writes them in every family and warns that the strict xunit2 XSD has no testcase properties;
    # CI consumers (GitHub, GitLab, Jenkins) read them, so the warning is noise on every claim
    config.addinivalue_line("filterwarnings", "ignore:record_property is incompatible with junit_family")


class Certification:
    """Session state: the claims, their outcomes, and the report written at the end."""

    def __init__(self, config, profile):
        self.config = config
        self.profile = profile
        self.outcomes = {}  # (claim id, dtype) -> Outcome
        self.progress = {}  # node id -> progress line not yet printed
        self._claims = None

    def pytest_runtest_logfinish(self, nodeid, location):
        """Print a test's progress line after its own mark (outside output capture)."""
        line = self.progress.pop(nodeid, None)
        tr = self.config.pluginmanager.get_plugin("terminalreporter")
        if line and tr is not None:
            if tr._tw.width_of_current_line:  # after the test's mark ('.' or 'PASSED [ 50%]')
                tr._tw.line()
            tr._tw.line(line)

    @property
    def claims(self):
        if self._claims is None:
            extra = [*self.config.getini("certify_claims"), *self.config.getoption("claims")]
            from . import registry

            try:
                self._claims = registry.load(extra, check_shapes=True)
            except DeclarationError as e:
                raise pytest.UsageError(f"claim declaration error: {e}") from None
        return self._claims

    def selected(self):
        prefixes = self.config.getoption("claim")
        return [c for c in self.claims if not prefixes or any(c.id.startswith(p) for p in prefixes)]

    def documents_dir(self, claim):
        """(directory holding the claim's source documents or None, where it was looked for).

        A claims module may name its own (``DOCUMENTS = "path"``, relative to the module's file);
        otherwise ``$CERTIFY_DOCUMENTS``, else the first existing ``certify_documents`` entry
        (default ``../shared/seeds`` relative to the rootdir).
        """
        from .registry import module_of

        module = module_of(claim.id)
        own = getattr(module, "DOCUMENTS", None)
        if own is not None:
            candidates = [pathlib.Path(module.__file__).parent / own]
        elif os.environ.get("CERTIFY_DOCUMENTS"):
            candidates = [pathlib.Path(os.environ["CERTIFY_DOCUMENTS"])]
        else:
            candidates = self.config.getini("certify_documents") or [self.config.rootpath / ".." / "shared" / "seeds"]
        found = next((p.resolve() for p in candidates if pathlib.Path(p).is_dir()), None)
        return found, [str(p) for p in candidates]

    def dtypes(self):
        return self.config.getoption("dtype") or ["float32", "float64"]

    def budget(self):
        from .runner import BUDGETS

        return BUDGETS.get(self.profile, BUDGETS["ci"])

    def start_jax(self):
        from . import platform

        cache = self.config.getoption("jax_cache_dir")
        try:
            platform.configure(cache)
            wanted = self.config.getoption("require_backend")
            if wanted:
                platform.require_backend(wanted)
        except platform.PlatformError as e:
            pytest.exit(f"certify: {e}", returncode=3)


def pytest_generate_tests(metafunc):
    cert = metafunc.config._certify
    if "claim_source" in metafunc.fixturenames:  # one case per (claim, source): quote traceability
        cases, ids = [], []
        for claim in cert.selected():
            docs = cert.documents_dir(claim)
            for i, src in enumerate(claim.sources):
                cases.append((claim, src, *docs))
                ids.append(f"{claim.id}-{i}" if len(claim.sources) > 1 else claim.id)
        metafunc.parametrize("claim_source", cases, ids=ids)
    if "claim_case" not in metafunc.fixturenames:
        return
    cases, ids = [], []
    for claim in cert.selected():
        if not claim.numerical:
            continue
        for dtype in cert.dtypes():
            cases.append((claim, dtype))
            ids.append(f"{claim.id}-{dtype}")
    metafunc.parametrize("claim_case", cases, ids=ids)


@pytest.fixture(scope="session")
def certification(request):
    cert = request.config._certify
    cert.start_jax()
    return cert


def _progress_on(config):
    flag = config.getoption("certify_progress")
    return flag if flag is not None else config._certify.profile == "thorough"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Under the thorough profile (or ``--certify-progress``): one line per claim x dtype, with points/s."""
    t0 = time.perf_counter()
    yield
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "claim_case" not in params or not _progress_on(item.config):
        return
    claim, dtype = params["claim_case"]
    cert = item.config._certify
    out = cert.outcomes.get((claim.id, dtype))
    if out is None:
        return
    dt = time.perf_counter() - t0
    points = max((e.points for e in out.evidence), default=0)
    total = sum(1 for c in cert.selected() if c.numerical) * len(cert.dtypes())
    cert.progress[item.nodeid] = (f"[{len(cert.outcomes)}/{total}] {claim.id} {dtype}: {out.status}, "
                                  f"{points} points in {dt:.1f}s ({points / max(dt, 1e-9):,.0f} points/s)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach a claim test's outcome to its report, so that under pytest-xdist it reaches the controller."""
    result = yield
    rep = result.get_result()
    case = getattr(item, "callspec", None) and item.callspec.params.get("claim_case")
    if rep.when == "call" and case is not None:
        out = item.config._certify.outcomes.get((case[0].id, case[1]))
        if out is not None:
            # plain JSON types: xdist's channel serialises only builtins (no numpy scalars)
            rep.certify_outcome = json.loads(json.dumps(dataclasses.asdict(out), default=_plain))


def _plain(v):
    if hasattr(v, "tolist"):  # numpy scalars and arrays
        return v.tolist()
    raise TypeError(f"cannot serialise {type(v).__name__} in a claim outcome")


def pytest_runtest_logreport(report):
    """In the controller of an xdist run, collect the outcomes the workers computed."""
    d = getattr(report, "certify_outcome", None)
    cert = _CONTROLLER.get("cert")
    if d is None or cert is None or (d["claim"], d["dtype"]) in cert.outcomes:
        return
    from .runner import Evidence, Outcome

    cert.outcomes[d["claim"], d["dtype"]] = Outcome(**{**d, "evidence": [Evidence(**e) for e in d["evidence"]]})


_CONTROLLER = {}  # this process's certification (the controller's, under xdist)


def pytest_sessionstart(session):
    _CONTROLLER["cert"] = getattr(session.config, "_certify", None)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    cert = getattr(config, "_certify", None)
    if cert is None or not cert.outcomes or hasattr(config, "workerinput"):  # xdist workers: the controller reports
        return
    from . import report

    doc = report.build(cert)
    terminalreporter.write_sep("=", "certificate")
    for line in report.table(doc):
        terminalreporter.write_line(line)
    out_dir = config.getoption("certify_report")
    if out_dir:
        # every claim in both dtypes ran (not narrowed by --claim, --dtype, -k, -x, ...): only then CLAIMS.md
        complete = not config.getoption("claim") and not config.getoption("dtype") and all(
            (c.id, dt) in cert.outcomes for c in cert.claims if c.numerical for dt in cert.dtypes())
        paths = report.write(doc, pathlib.Path(config.rootpath, out_dir), complete=complete)
        terminalreporter.write_line("reports: " + ", ".join(str(p) for p in paths))
