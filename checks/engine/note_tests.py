"""pytest collection of notes (:mod:`checks.engine.notes`) and of an author's claims modules: each is a test file,
a test per claim x dtype and per quote.

A note is collected when it is named on the command line (``pytest notes.md``) or when pytest's collection
meets a file whose path from the rootdir matches a ``certify_notes`` pattern (ini; ``*`` crosses folders,
as in ``notes/*.md``). An author's claims module (``certify_claims``, ``--claims``) is collected when pytest's
collection meets it, so that plain ``pytest`` in the author's repository certifies it. Their tests are the very
ones that certify the registry
(``checks/test_claims.py::test_claim``, ``checks/test_traceability.py::test_quote_in_section``): the same
outcomes, recorded in the same certificate, under the note's own test ids
(``notes.md::logcosh.grad[float32]``, ``notes.md::logcosh.grad[quote]``), each reported at its block's line.
"""
from __future__ import annotations

import fnmatch
import pathlib

import pytest

from . import notes, registry
from .claim import DeclarationError


def note_claims(cert, path) -> list:
    """The claims of the note at ``path``, loaded once per session and registered for the certificate."""
    path = pathlib.Path(path).resolve()
    if path not in cert.notes:
        from .shapes import validate

        known = {c.id for c in cert.claims} | {c.id for claims in cert.notes.values() for c in claims}
        module = notes.load(path)
        for c in module.CLAIMS:
            try:
                if c.id in known:
                    raise DeclarationError(f"duplicate claim id {c.id!r}")
                validate(c, c.check)  # shapes and dtypes, traced abstractly, as for every claims module
                validate(c, c.as_written_check)
            except DeclarationError as e:
                raise DeclarationError(f"{path.name}:{module.LINES[c.id]}: {e}") from None
        registry.register(module)
        cert.notes[path] = module.CLAIMS
    return cert.notes[path]


def _named(config, path) -> bool:
    """Whether ``path`` was named on the command line."""
    here = pathlib.Path(config.invocation_params.dir)
    return any((here / arg.split("::")[0]).resolve() == path for arg in config.args)


class Notes:
    """The hooks (registered by the certification plugin): collect notes, and carry their path to the controller."""

    def __init__(self, config):
        self.config = config
        self._claims_files = None

    def claims_files(self) -> set:
        """The author's claims modules (and notes) that the registry loads, resolved; a path that does not exist
        is said by the registry, when it loads."""
        if self._claims_files is None:
            try:
                self._claims_files = {f.resolve() for f in registry.author_files(self.config._certify.claims_paths())}
            except DeclarationError:
                self._claims_files = set()
        return self._claims_files

    def pytest_collect_file(self, file_path, parent):
        path = file_path.resolve()
        if path in self.claims_files():
            return ClaimsFile.from_parent(parent, path=file_path)
        if not notes.is_note(file_path):
            return None
        relative = path.relative_to(self.config.rootpath).as_posix() if path.is_relative_to(self.config.rootpath) \
            else str(path)
        if _named(self.config, path) or any(fnmatch.fnmatch(relative, p) for p in self.config.getini("certify_notes")):
            return NoteFile.from_parent(parent, path=file_path)
        return None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item):
        result = yield
        if isinstance(item.parent, NoteFile):  # under pytest-xdist the controller loads the note to report its claims
            result.get_result().certify_note = str(item.path)

    def pytest_runtest_logreport(self, report):
        path = getattr(report, "certify_note", None)
        if path is not None and pathlib.Path(path) not in self.config._certify.notes:
            note_claims(self.config._certify, path)


class _ClaimsFile(pytest.File):
    """A file of claims: its ``claims()`` gives (its claims, claim id -> line)."""

    def collect(self):
        cert = self.config._certify
        cert.selected_for_collection()  # a claims module's declaration error: said once, by the first to ask
        if cert.declaration_error is not None:
            return
        try:
            claims, lines = self.claims()
        except DeclarationError as e:
            raise self.CollectError(str(e)) from None
        selected = {c.id for c in cert.selected()}
        for claim in claims:
            if claim.id not in selected:
                continue
            for source in claim.sources:
                yield QuoteItem.from_parent(self, name=f"{claim.id}[quote]", claim=claim, source=source,
                                            line=lines.get(claim.id, 1))
            if claim.numerical:
                for dtype in cert.dtypes():
                    yield ClaimItem.from_parent(self, name=f"{claim.id}[{dtype}]", claim=claim, dtype=dtype,
                                                line=lines.get(claim.id, 1))


class NoteFile(_ClaimsFile):
    def claims(self):
        claims = note_claims(self.config._certify, self.path)
        return claims, registry.module_of(claims[0].id).LINES if claims else {}


class ClaimsFile(_ClaimsFile):
    """An author's claims module (or a note that ``certify_claims`` names): the registry's claims it declares."""

    def claims(self):
        here = self.path.resolve()
        # the package's own claims have no origin: none of them is here
        claims = [c for c in self.config._certify.claims if (registry.origin(c.id) or here.parent).resolve() == here]
        note_lines = getattr(registry.module_of(claims[0].id), "LINES", None) if claims else {}
        return claims, note_lines if note_lines is not None else registry.claim_lines(here)


class _NoteItem(pytest.Item):
    def __init__(self, *, claim, line, **kwargs):
        super().__init__(**kwargs)
        self.claim, self.line = claim, line

    def record_property(self, name, value):
        self.user_properties.append((name, value))

    def reportinfo(self):
        return self.path, self.line - 1, f"{self.path.name}:{self.line}: {self.name}"

    def repr_failure(self, excinfo):
        if excinfo.errisinstance(AssertionError):  # the test's own message: claim, status, counterexample, repro
            return f"{self.path.name}:{self.line}: {excinfo.value}"
        return super().repr_failure(excinfo)


class ClaimItem(_NoteItem):
    """The claim certified in one dtype by ``checks/test_claims.py::test_claim``."""

    def __init__(self, *, dtype, **kwargs):
        super().__init__(**kwargs)
        self.claim_case = (self.claim, dtype)  # what the plugin reads to carry the outcome (as from test_claim's)

    def runtest(self):
        from checks.test_claims import test_claim

        cert = self.config._certify
        cert.start_jax()
        test_claim(self.claim_case, cert, self.record_property)


class QuoteItem(_NoteItem):
    """The claim's quote found in its section's prose, by ``checks/test_traceability.py::test_quote_in_section``."""

    def __init__(self, *, source, **kwargs):
        super().__init__(**kwargs)
        self.source = source
        self.claim_source = (self.claim, source)  # what the plugin reads to record the quote's trace

    def runtest(self):
        from checks.test_traceability import test_quote_in_section

        docs = self.config._certify.documents_dir(self.claim)
        test_quote_in_section((self.claim, self.source, *docs), self.record_property)
