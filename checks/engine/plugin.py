"""The pytest plugin (entry point ``pytest11: certify``): options, profiles, claim tests, the certificate.

Importing this module is light: no JAX import and no device query. JAX starts
when the first claim is certified; the claim modules (which import the
derivations) are imported when a test module asks for claim cases.
"""
from __future__ import annotations

import os
import pathlib

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
    parser.addini("certify_claims", "extra claims modules or directories", type="paths", default=[])
    parser.addini("certify_documents", "directory holding the source documents, for quote traceability", default="")


def profile_name(config) -> str:
    explicit = config.getoption("hypothesis_profile", default=None)
    if explicit:
        return explicit
    return "ci" if os.environ.get("CI") else "dev"


def pytest_configure(config):
    from . import platform

    try:
        platform.select_platform(config.getoption("jax_platform"))
    except platform.PlatformError as e:
        raise pytest.UsageError(str(e)) from None
    name = profile_name(config)
    if not config.getoption("hypothesis_profile", default=None) and name == "dev":
        settings.load_profile("dev")  # under CI Hypothesis has already loaded its own "ci" profile
    config._certify = Certification(config, name)
    config.addinivalue_line("markers", "claim(id): a test certifying a registered claim")


class Certification:
    """Session state: the claims, their outcomes, and the report written at the end."""

    def __init__(self, config, profile):
        self.config = config
        self.profile = profile
        self.outcomes = {}  # (claim id, dtype) -> Outcome
        self._claims = None

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
    if "claim_case" not in metafunc.fixturenames:
        return
    cert = metafunc.config._certify
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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    cert = getattr(config, "_certify", None)
    if cert is None or not cert.outcomes:
        return
    from . import report

    doc = report.build(cert)
    terminalreporter.write_sep("=", "certificate")
    for line in report.table(doc):
        terminalreporter.write_line(line)
    out_dir = config.getoption("certify_report")
    if out_dir:
        paths = report.write(doc, pathlib.Path(config.rootpath, out_dir))
        terminalreporter.write_line("reports: " + ", ".join(str(p) for p in paths))
