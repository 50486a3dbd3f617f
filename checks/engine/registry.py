"""The claim registry: every module that declares ``CLAIMS = [Claim(...), ...]``.

The project's own claims live in ``checks.claims``; a course author adds
modules of their own (``--claims`` / the ``certify_claims`` ini option) without
touching this package. Ids are unique across all of them.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import pathlib
import pkgutil
import sys

from . import notes
from .claim import Claim, DeclarationError


def _claim_like(value) -> bool:
    return isinstance(value, Claim) or (isinstance(value, (list, tuple)) and any(isinstance(v, Claim) for v in value))


def _module_claims(module) -> list[Claim]:
    claims = getattr(module, "CLAIMS", None)
    if claims is None:
        # Claim objects under another public name would be collected as nothing, and the run be green
        named = sorted(k for k, v in vars(module).items() if not k.startswith("_") and _claim_like(v))
        if named:
            raise DeclarationError(f"claims module {module.__name__} ({_shown(module.__file__)}) holds Claim objects "
                                   f"in {', '.join(named)} but has no CLAIMS: the registry reads CLAIMS = [Claim(...), ...]")
        return []
    claims = list(claims)
    for c in claims:
        if not isinstance(c, Claim):
            raise DeclarationError(f"{module.__name__}.CLAIMS holds {c!r}, which is not a Claim")
    return claims


def _shown(path) -> str:
    """A path as the user would type it: relative to the working directory when it is under it."""
    path = pathlib.Path(path)
    try:
        return str(path.resolve().relative_to(pathlib.Path.cwd()))
    except ValueError:
        return str(path)


def _claim_at(path, line) -> str | None:
    """The id of the ``Claim(id="...", ...)`` call in ``path`` that spans ``line`` (None if there is none)."""
    try:
        tree = ast.parse(pathlib.Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    ids = [kw.value.value for node in ast.walk(tree)
           if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Claim"
           and node.lineno <= line <= node.end_lineno
           for kw in node.keywords if kw.arg == "id" and isinstance(kw.value, ast.Constant)]
    return ids[-1] if ids else None  # the innermost when calls nest


def claim_lines(path) -> dict[str, int]:
    """claim id -> the line of the call in ``path`` that declares it (``Claim(id="...")``, or a builder's
    ``id="..."``); a claim whose id is computed has none."""
    tree = ast.parse(pathlib.Path(path).read_text(encoding="utf-8"))
    return {kw.value.value: node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg == "id" and isinstance(kw.value, ast.Constant)}


def _declared(path, load):
    """``load()`` (which imports the claims module at ``path``); a declaration error it raises is said again
    naming the file, the line and the claim being declared there (a ``Source`` is made before its claim)."""
    try:
        return load()
    except DeclarationError as e:
        if getattr(e, "placed", False):
            raise
        tb, line = e.__traceback__, None
        while tb is not None:
            if pathlib.Path(tb.tb_frame.f_code.co_filename) == pathlib.Path(path):
                line = tb.tb_lineno
            tb = tb.tb_next
        claim = _claim_at(path, line) if line else None
        where = f"{_shown(path)}:{line}" if line else _shown(path)
        named = f"claim {claim!r}: " if claim and f"claim {claim!r}" not in str(e) else ""
        placed = DeclarationError(f"{where}: {named}{e}")
        placed.placed = True
        raise placed from None


def _import_path(path: pathlib.Path):
    name = "certify_user_claims." + "_".join(path.with_suffix("").parts[-3:])
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise DeclarationError(f"cannot import claims module {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    _declared(path, lambda: spec.loader.exec_module(module))
    return module


def _import_name(name: str):
    spec = importlib.util.find_spec(name)
    return _declared(spec.origin, lambda: importlib.import_module(name))


PACKAGE = "checks.claims"


def author_files(extra_paths=()) -> list[pathlib.Path]:
    """The author's claims files named by ``extra_paths`` (``.py`` files or Markdown notes, or directories of
    ``*.py``; a name starting with ``_`` is a helper), in order, as named."""
    found = []
    for p in extra_paths:
        p = pathlib.Path(p)
        if not p.exists():
            raise DeclarationError(f"claims path {p} does not exist")
        found += [f for f in (sorted(p.glob("*.py")) if p.is_dir() else [p]) if not f.name.startswith("_")]
    return found


def iter_modules(package=PACKAGE, extra_paths=()):
    """The project's claim modules (none if ``package`` is None), then the author's (:func:`author_files`)."""
    if package is not None:
        pkg = importlib.import_module(package)
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
            if not info.name.startswith("_"):
                yield _import_name(f"{package}.{info.name}")
    for f in author_files(extra_paths):
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
    """All declared claims (the project's, in ``package``, unless it is None; the author's, in ``extra_paths``),
    ids unique; a malformed declaration raises naming the claim.

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
        validate_shapes(claims)
    return claims


def validate_shapes(claims) -> None:
    """Trace every check (and as-written form) of ``claims`` abstractly; a shape or dtype error raises
    :class:`DeclarationError` naming the claim."""
    from .shapes import validate

    for c in claims:
        validate(c, c.check)
        validate(c, c.as_written_check)
