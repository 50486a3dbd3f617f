"""The pytest plugin (entry point ``pytest11: certify``): options, profiles, claim tests, the certificate.

Importing this module is light: no JAX import and no device query. JAX starts
when the first claim is certified; the claim modules (which import the
derivations) are imported when a test module asks for claim cases.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import os
import pathlib
import time
import uuid

import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument

from .claim import DeclarationError

# the folder that holds checks/ and derivations/: this repository's root (an editable install), or site-packages
PACKAGE_ROOT = pathlib.Path(__file__).resolve().parents[2]

PROFILES = {
    # dev: quick local iteration. "ci" is Hypothesis' own profile (derandomized, no database,
    # no deadline, print_blob), loaded by Hypothesis itself when CI is set: not redefined here.
    "dev": dict(deadline=None, max_examples=20, print_blob=True),
    "thorough": dict(deadline=None, max_examples=1000, print_blob=True),
}
for _name, _kw in PROFILES.items():
    settings.register_profile(_name, **_kw)


def _validates_shapes(config) -> bool:
    """Whether this process validates the claims' shapes when it reads the registry: not the xdist controller, whose
    workers validated every claim when they collected (it reads the registry only to report, after they ran: 4 s
    on one core with the other idle), unless the run failed (:meth:`Certification.finish`: to say why)."""
    return not config.pluginmanager.hasplugin("dsession")


def pytest_addoption(parser):
    g = parser.getgroup("certify", "certification of document claims")
    g.addoption("--jax-platform", default=None, help="JAX platform(s) to run on, e.g. cpu, cuda, tpu (sets JAX_PLATFORMS)")
    g.addoption("--require-backend", default=None, help="fail unless JAX's default backend is this one (cpu, gpu, tpu)")
    g.addoption("--claims", action="append", default=[], help="extra claims module or directory (repeatable)")
    g.addoption("--dtype", action="append", choices=("float32", "float64"), default=None, help="certify only these dtypes")
    g.addoption("--claim", action="append", default=None, help="certify only claims whose id starts with this")
    g.addoption("--package-claims", action="store_true", default=False,
                help="also certify the package's own claims (checks/claims); the default only where pytest's rootdir "
                     "is this package's source tree")
    g.addoption("--certify-report", default=None,
                help="directory for the reports, relative to the working directory ('' for none; default: reports/ "
                     "in pytest's rootdir, the repository)")
    g.addoption("--jax-cache-dir", default=os.environ.get("CERTIFY_JAX_CACHE"),
                help="JAX persistent compilation cache directory (default: $CERTIFY_JAX_CACHE, else none)")
    g.addoption("--certify-progress", action="store_true", default=None,
                help="a line per claim x dtype with points/s (default: on under the thorough profile)")
    parser.addini("certify_claims", "extra claims modules or directories", type="paths", default=[])
    parser.addini("certify_documents", "directories that may hold the source documents, for quote traceability "
                  "(the first that exists is used; default ../shared/seeds; env CERTIFY_DOCUMENTS overrides)",
                  type="paths", default=[])
    parser.addini("certify_notes", "Markdown / MyST notes whose claim blocks are certified when collected: patterns "
                  "of paths from the rootdir ('*' crosses folders: notes/*.md); a note named on the command line "
                  "always is", type="linelist", default=[])


def is_project(config) -> bool:
    """Whether pytest runs in this repository: its rootdir is the source tree the package is imported from."""
    return config.rootpath.resolve() == PACKAGE_ROOT and (PACKAGE_ROOT / "pyproject.toml").is_file()


def profile_name(config) -> str:
    explicit = config.getoption("hypothesis_profile", default=None)
    if explicit:
        return explicit
    return "ci" if os.environ.get("CI") else "dev"


def _registered(name):
    try:
        settings.get_profile(name)
    except InvalidArgument:
        return False
    return True


def _check_profile(config):
    """An unknown ``--hypothesis-profile`` is a usage error here, before Hypothesis' own plugin fails on it."""
    explicit = config.getoption("hypothesis_profile", default=None)
    if explicit and not _registered(explicit):
        known = [n for n in ("default", "ci", *PROFILES) if _registered(n)]
        raise pytest.UsageError(f"--hypothesis-profile {explicit!r}: no such Hypothesis profile "
                                f"(registered: {', '.join(known)})")


def _start_jax(cache_dir):
    """JAX started, or a one-line reason why it cannot start (JAX itself may fail with a bare AssertionError)."""
    from . import platform

    try:
        return platform.configure(cache_dir)
    except Exception as e:  # noqa: BLE001 - whatever JAX raises, the user needs one line naming the platform
        detail = str(e) if isinstance(e, platform.PlatformError) else (
            f"JAX could not start platform {os.environ.get('JAX_PLATFORMS') or '(default)'!r} "
            f"({type(e).__name__}{': ' + str(e) if str(e) else ''}): no such device on this machine, or no JAX plugin for it")
        raise platform.PlatformError(detail) from None


@pytest.hookimpl(tryfirst=True)  # before Hypothesis' own plugin loads a profile an old Hypothesis lacks
def pytest_configure(config):
    from . import platform

    if platform.too_old():
        raise pytest.UsageError(platform.too_old())
    _check_profile(config)
    wanted = config.getoption("jax_platform")
    try:
        platform.select_platform(wanted)
        if wanted and not hasattr(config, "workerinput"):  # said once, here, not once per test
            _start_jax(config.getoption("jax_cache_dir"))
    except platform.PlatformError as e:
        raise pytest.UsageError(f"--jax-platform {wanted}: {e}") from None
    name = profile_name(config)
    if not config.getoption("hypothesis_profile", default=None) and name == "dev":
        settings.load_profile("dev")  # under CI Hypothesis has already loaded its own "ci" profile
    config._certify = Certification(config, name)
    config.pluginmanager.register(config._certify, "certify-session")
    out = config._certify.out_dir()
    if out is not None and not config._certify.project and config.option.xmlpath is None:
        # an author's gate: JUnit beside the other reports, unasked (this project's `make certify` names its own);
        # dropped again if the run certifies nothing (pytest_runtestloop)
        config.option.xmlpath = config._certify.default_junit = str(out / "junit.xml")
    from .note_tests import Notes

    config.pluginmanager.register(Notes(config), "certify-notes")  # claims in Markdown notes: checks.engine.notes
    config.addinivalue_line("markers", "claim(id): a test certifying a registered claim")
    # `make certify` writes xunit2 JUnit with claim/dtype/backend/status properties per testcase: pytest
    # writes them in every family and warns that the strict xunit2 XSD has no testcase properties;
    # CI consumers (GitHub, GitLab, Jenkins) read them, so the warning is noise on every claim
    config.addinivalue_line("filterwarnings", "ignore:record_property is incompatible with junit_family")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist: every worker marks its reports with the controller's run id."""
    node.workerinput["certify_run"] = node.config._certify.run_id


class Certification:
    """Session state: the claims, their outcomes and quote traces, and the reports written at start and end."""

    def __init__(self, config, profile):
        self.config = config
        self.profile = profile
        self.outcomes = {}  # (claim id, dtype) -> Outcome
        self.traces = {}  # (claim id, source index) -> (trace status, message)
        self.failed_tests = []  # node ids of failed tests that certify no claim (the controller's)
        self.reported = False  # a claim test or quote trace has reported (to the controller)
        self.collection_failed = False
        self.progress = {}  # node id -> progress line not yet printed
        self.doc = None  # the final certificate, once built
        self.paths = None  # and the files it was written to
        self.run_id = getattr(config, "workerinput", {}).get("certify_run") or uuid.uuid4().hex
        self.project = is_project(config)  # else an author's repository: the author's header, JUnit unasked
        # the package's own claims are certified in this repository (or asked for); an author's, its own only
        self.package_claims = self.project or config.getoption("package_claims")
        self.default_junit = None  # the JUnit file this plugin asked pytest for, if it did
        self._claims = None
        self._environment = None  # the environment being computed (start_environment), a Future
        self.notes = {}  # path of a collected note -> its claims (certified by the note's own tests)
        self.declaration_error = None
        self._declaration_said = False

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
        """Every registered claim; a malformed declaration raises :class:`DeclarationError` (every time)."""
        if self.declaration_error is not None:
            raise self.declaration_error
        if self._claims is None:
            from . import registry

            try:
                package = registry.PACKAGE if self.package_claims else None
                self._claims = registry.load(self.claims_paths(), package=package, check_shapes=_validates_shapes(self.config))
            except DeclarationError as e:
                self.declaration_error = e
                raise
        return self._claims

    def claims_paths(self):
        """The author's claims modules and notes: the ``certify_claims`` ini option's, then ``--claims``'."""
        return [*self.config.getini("certify_claims"), *self.config.getoption("claims")]

    def selected(self, notes=True):
        """The claims to certify (``--claim``), the collected notes' too unless ``notes=False``."""
        prefixes = self.config.getoption("claim")
        claims = [*self.claims, *(c for claims in self.notes.values() for c in claims)] if notes else self.claims
        return [c for c in claims if not prefixes or any(c.id.startswith(p) for p in prefixes)]

    def selected_for_collection(self):
        """The selected claims of the claims modules (a note collects its own); a declaration error is reported
        once, in one line, as a collection error of the first test module or note that asks (the others then
        collect nothing, and the run fails on that error)."""
        try:
            return self.selected(notes=False)
        except DeclarationError as e:
            if self._declaration_said:
                return []
            self._declaration_said = True
            self.mark_in_progress()  # the old reports must not outlive a run that could not certify
            raise pytest.Collector.CollectError(f"claim declaration error: {e}") from None

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

        try:
            _start_jax(self.config.getoption("jax_cache_dir"))
            wanted = self.config.getoption("require_backend")
            if wanted:
                platform.require_backend(wanted)
        except platform.PlatformError as e:
            pytest.exit(f"certify: {e}", returncode=3)

    # -- the reports -------------------------------------------------------------------------------
    def out_dir(self):
        """Where the reports go: ``--certify-report`` (relative to the working directory, as ``--junitxml``), else
        ``reports/`` in pytest's rootdir (the repository, where its pytest.ini or pyproject.toml is). Never into
        the installed package: pytest run on its files there (its rootdir inside them) reports to the working
        directory."""
        out = self.config.getoption("certify_report")
        if out is not None:
            return pathlib.Path(self.config.invocation_params.dir, out) if out else None
        root = self.config.rootpath.resolve()
        if any(root.is_relative_to(PACKAGE_ROOT / p) for p in ("checks", "derivations")) or (
                root == PACKAGE_ROOT and not self.project):  # site-packages
            root = pathlib.Path(self.config.invocation_params.dir)
        return root / "reports"

    def build(self, exit_status=None, environment=None, interrupted=False):
        from . import report

        try:
            claims, problem = self.selected(), ""
        except DeclarationError as e:
            claims, problem = [], f"claim declaration error: {e}"
        return report.build(claims, self.dtypes(), self.outcomes, self.traces, profile=self.profile,
                            budget=self.budget(), environment=environment, run_id=self.run_id,
                            generated_by=report.PROJECT if self.project else report.AUTHOR,
                            exit_status=exit_status, interrupted=interrupted, failed_tests=self.failed_tests,
                            problem=problem)

    def whole(self):
        """Not narrowed to some claims or dtypes by option (``-k`` and ``-x`` are seen in what ran)."""
        return not self.config.getoption("claim") and not self.config.getoption("dtype")

    def mark_in_progress(self, whole=False):
        """At the start of a certifying run: the reports say "in progress" (so a killed run leaves none that
        look current); a ``whole`` run (every claim and dtype) also puts that on CLAIMS.md, which it replaces."""
        from . import report

        out = self.out_dir()
        if out is None:
            return
        report.write(self.build(), out, complete=False)
        if whole:
            report.mark_claims_md(out / "CLAIMS.md", self.run_id, "A certification started and has not finished: "
                                  "the statuses below are those of the previous complete run.")

    def wrote_in_progress(self):
        """Whether this run (in this process or an xdist worker) put its in-progress reports in place."""
        out = self.out_dir()
        try:
            return out is not None and json.loads((out / "claims.json").read_text())["run"]["id"] == self.run_id
        except (OSError, ValueError, KeyError, TypeError):  # none, or another run's (or an older schema's)
            return False

    def _validate_shapes(self):
        from . import registry

        try:
            registry.validate_shapes(self.claims)
        except DeclarationError as e:
            self.declaration_error = e

    def start_environment(self):
        """The certificate header's environment, computed in a thread while the workers run: starting JAX in the
        controller takes 2 s, which after the workers would be 2 s with one core idle."""
        from . import platform

        pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="certify-environment")
        self._environment = pool.submit(platform.environment)
        pool.shutdown(wait=False)

    def finish(self, exit_status):
        """The final reports: every selected claim x dtype with its status, the run's state, atomically."""
        from . import platform, report

        if not (self.reported or self.wrote_in_progress()):
            return None
        if exit_status != 0 and self.declaration_error is None and not _validates_shapes(self.config):
            self._validate_shapes()  # the workers' collection may have failed on a shape: the reports say which
        try:  # the controller of an xdist run started JAX beside its workers (start_environment); one that cannot start is said
            environment = self._environment.result() if self._environment is not None else platform.environment()
        except Exception:  # noqa: BLE001 - the run's own error already says why JAX is missing
            environment = None
        # pytest exits "interrupted" (2) after Ctrl-C, and also when collection failed: that is a failure
        ctrl_c = exit_status == 2 and not self.collection_failed and self.declaration_error is None
        self.doc = self.build(int(exit_status), environment, interrupted=ctrl_c)
        out = self.out_dir()
        if out is None:
            return []
        # every claim in every dtype ran, the collected notes' too (they are in the certificate)
        complete = bool(self.doc["claims"]) and self.whole() and all(
            (c.id, dt) in self.outcomes for c in self.selected() if c.numerical for dt in self.dtypes())
        paths = report.write(self.doc, out, complete=complete)
        if not complete:
            report.mark_claims_md(out / "CLAIMS.md", self.run_id, f"The last certification did not complete "
                                  f"({self.doc['run']['state']}): the statuses below are those of the previous "
                                  "complete run.", only_own=True)
        return paths


def pytest_generate_tests(metafunc):
    cert = metafunc.config._certify
    if "claim_source" in metafunc.fixturenames:  # one case per (claim, source): quote traceability
        cases, ids = [], []
        for claim in cert.selected_for_collection():
            docs = cert.documents_dir(claim)
            for i, src in enumerate(claim.sources):
                cases.append((claim, src, *docs))
                ids.append(f"{claim.id}-{i}" if len(claim.sources) > 1 else claim.id)
        metafunc.parametrize("claim_source", cases, ids=ids)
    if "claim_case" not in metafunc.fixturenames:
        return
    cases, ids = [], []
    for claim in cert.selected_for_collection():
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
    case = _case(item, "claim_case")
    if case is None or not _progress_on(item.config):
        return
    claim, dtype = case
    cert = item.config._certify
    out = cert.outcomes.get((claim.id, dtype))
    if out is None:
        return
    dt = time.perf_counter() - t0
    points = max((e.points for e in out.evidence), default=0)
    total = sum(1 for c in cert.selected() if c.numerical) * len(cert.dtypes())
    cert.progress[item.nodeid] = (f"[{len(cert.outcomes)}/{total}] {claim.id} {dtype}: {out.status}, "
                                  f"{points} points in {dt:.1f}s ({points / max(dt, 1e-9):,.0f} points/s)")


def _case(item, name):
    """The item's claim case (or claim source), if it has one: ``test_claim``'s (``test_quote_in_section``'s)
    parameter, or a note's test's attribute of that name (an empty parametrization's NOTSET is none)."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    case = params.get(name, getattr(item, name, None))
    return case if isinstance(case, tuple) else None


def pytest_collection_finish(session):
    """A run that certifies claims (in the collecting process: each xdist worker, identically) marks the reports
    as in progress before the first claim runs; one that collected every claim in every dtype marks CLAIMS.md too."""
    cert = getattr(session.config, "_certify", None)
    # a declaration error marked the reports when it was found; --collect-only certifies nothing
    if cert is None or cert.declaration_error is not None or session.config.option.collectonly:
        return
    cases = {(case[0].id, case[1]) for case in (_case(item, "claim_case") for item in session.items) if case}
    if not (cases or any(_case(item, "claim_source") for item in session.items)):
        return
    every = {(c.id, dt) for c in cert.selected() if c.numerical for dt in cert.dtypes()}
    cert.mark_in_progress(whole=cert.whole() and cases >= every)


def _first_line(excinfo):
    """What a failed test raised, in one line (pytest appends its assertion rewrite after a newline)."""
    text = str(excinfo.value).split("\n")[0].strip()
    if isinstance(excinfo.value, AssertionError) and text:
        return text
    return f"{excinfo.typename}: {text}" if text else excinfo.typename


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach a claim test's outcome (or a quote's trace) to its report, so that under pytest-xdist it reaches the
    controller. A claim test that raised instead of certifying is an "error" outcome, with what it raised."""
    result = yield
    rep = result.get_result()
    cert = item.config._certify
    case, source = _case(item, "claim_case"), _case(item, "claim_source")
    if case is not None and (rep.when == "call" or (rep.when == "setup" and rep.failed)):
        from .runner import Outcome

        out = cert.outcomes.get((case[0].id, case[1]))
        if out is None and rep.failed:
            out = cert.outcomes[case[0].id, case[1]] = Outcome(case[0].id, case[1], status="error",
                                                                message=_first_line(call.excinfo))
        if out is not None:
            # plain JSON types: xdist's channel serialises only builtins (no numpy scalars)
            rep.certify_outcome = json.loads(json.dumps(dataclasses.asdict(out), default=_plain))
    if source is not None and (rep.when == "call" or (rep.when == "setup" and not rep.passed)):
        claim, src = source[0], source[1]
        if rep.passed:
            trace = ("found", "")
        elif rep.skipped:
            trace = ("skipped", str(rep.longrepr[2]) if isinstance(rep.longrepr, tuple) else "")
        else:
            trace = ("stale", _first_line(call.excinfo))
        cert.traces[claim.id, claim.sources.index(src)] = trace
        rep.certify_trace = [claim.id, claim.sources.index(src), *trace]


def _plain(v):
    if hasattr(v, "tolist"):  # numpy scalars and arrays
        return v.tolist()
    raise TypeError(f"cannot serialise {type(v).__name__} in a claim outcome")


def pytest_runtest_logreport(report):
    """In the controller (of an xdist run, or the only process): collect the outcomes and traces the workers
    computed, and the failed tests that are not claims (they fail the run, and the reports say so)."""
    cert = _CONTROLLER.get("cert")
    if cert is None:
        return
    d = getattr(report, "certify_outcome", None)
    trace = getattr(report, "certify_trace", None)
    if d is not None or trace is not None:
        cert.reported = True
    elif report.failed and report.nodeid not in cert.failed_tests:
        cert.failed_tests.append(report.nodeid)
    if trace is not None:
        cert.traces[trace[0], trace[1]] = (trace[2], trace[3])
    if d is None or (d["claim"], d["dtype"]) in cert.outcomes:
        return
    from .runner import Evidence, Outcome

    cert.outcomes[d["claim"], d["dtype"]] = Outcome(**{**d, "evidence": [Evidence(**e) for e in d["evidence"]]})


def pytest_collectreport(report):
    cert = _CONTROLLER.get("cert")
    if cert is not None and report.failed:
        cert.collection_failed = True
        cert.failed_tests.append(f"{report.nodeid or '(collection)'} (collection)")


_CONTROLLER = {}  # this process's certification (the controller's, under xdist)


def pytest_sessionstart(session):
    cert = _CONTROLLER["cert"] = getattr(session.config, "_certify", None)
    if cert is not None and session.config.pluginmanager.hasplugin("dsession"):
        cert.start_environment()


def pytest_sessionfinish(session, exitstatus):
    """The controller writes the final reports (xdist workers' outcomes reached it with their reports)."""
    cert = getattr(session.config, "_certify", None)
    if cert is not None and not hasattr(session.config, "workerinput"):
        cert.paths = cert.finish(session.exitstatus)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtestloop(session):
    """After the tests (in the controller): a run that certified nothing (no claim, ``--collect-only``) writes no
    reports (``Certification.finish``), nor the JUnit file asked for by default: it would replace the last
    certification's."""
    yield
    cert = getattr(session.config, "_certify", None)
    if cert is not None and cert.default_junit and not (cert.reported or cert.wrote_in_progress()):
        from _pytest import junitxml  # pytest's JUnit plugin: its writer, under this key, writes at session finish

        writer = session.config.stash.get(junitxml.xml_key, None)
        if writer is not None:
            session.config.pluginmanager.unregister(writer)
            del session.config.stash[junitxml.xml_key]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    cert = getattr(config, "_certify", None)
    if cert is None or cert.doc is None:
        return
    from . import report

    terminalreporter.write_sep("=", "certificate")
    for line in report.table(cert.doc):
        terminalreporter.write_line(line)
    if cert.paths:
        terminalreporter.write_line("reports: " + ", ".join(str(p) for p in cert.paths))
