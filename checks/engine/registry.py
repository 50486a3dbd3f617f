"""The claim registry: every module that declares ``CLAIMS = [Claim(...), ...]``.

The project's own claims live in ``checks.claims``; a course author adds
modules of their own (``--claims`` / the ``certify_claims`` ini option) without
touching this package. Ids are unique across all of them.
"""
from __future__ import annotations

import importlib
import importlib.util
import pathlib
import pkgutil
import sys

from . import notes
from .claim import Claim, DeclarationError


def _module_claims(module) -> list[Claim]:
    claims = getattr(module, "CLAIMS", None)
    if claims is None:
        return []
    claims = list(claims)
    for c in claims:
        if not isinstance(c, Claim):
            raise DeclarationError(f"{module.__name__}.CLAIMS holds {c!r}, which is not a Claim")
    return claims


def _import_path(path: pathlib.Path):
    name = "certify_user_claims." + "_".join(path.with_suffix("").parts[-3:])
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise DeclarationError(f"cannot import claims module {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


PACKAGE = "checks.claims"


def iter_modules(package=PACKAGE, extra_paths=()):
    """The project's claim modules, then the author's (``.py`` files or Markdown notes, or directories of ``*.py``)."""
    pkg = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{package}.{info.name}")
    for p in extra_paths:
        p = pathlib.Path(p)
        if not p.exists():
            raise DeclarationError(f"claims path {p} does not exist")
        files = sorted(p.glob("*.py")) if p.is_dir() else [p]
        for f in files:
            if not f.name.startswith("_"):
                yield _import_path(f) if not notes.is_note(f) else notes.load(f)  # a note: checks.engine.notes


_MODULES: dict[str, object] = {}  # claim id -> the module that declares it


def module_of(claim_id: str):
    """The module whose ``CLAIMS`` declares ``claim_id`` (after :func:`load`)."""
    return _MODULES.get(claim_id)


def origin(claim_id: str) -> pathlib.Path | None:
    """The author's claims file declaring ``claim_id`` (``None`` for the project's own claims)."""
    module = _MODULES.get(claim_id)
    if module is None or module.__name__.startswith(PACKAGE + "."):
        return None
    return pathlib.Path(module.__file__)


def register(module) -> list[Claim]:
    """Add the claims of one more module (a note that pytest collects) for :func:`module_of` and :func:`origin`."""
    claims = _module_claims(module)
    for c in claims:
        _MODULES[c.id] = module
    return claims


def load(extra_paths=(), package=PACKAGE, check_shapes=False) -> list[Claim]:
    """All declared claims, ids unique; a malformed declaration raises naming the claim.

    ``check_shapes`` also traces every check abstractly (``jax.eval_shape``) to catch shape and dtype errors.
    """
    seen: dict[str, str] = {}
    claims = []
    for module in iter_modules(package, extra_paths):
        for c in _module_claims(module):
            if c.id in seen:
                raise DeclarationError(f"duplicate claim id {c.id!r}: declared in {seen[c.id]} and {module.__name__}")
            seen[c.id] = module.__name__
            claims.append(c)
            _MODULES[c.id] = module
    if check_shapes:
        from .shapes import validate

        for c in claims:
            validate(c, c.check)
            validate(c, c.as_written_check)
    return claims
