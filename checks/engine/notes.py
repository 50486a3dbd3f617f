r"""Claims in the notes: a Markdown / MyST note declares its claims in ``python claim`` blocks, where they stand.

A note is a claims module written as a document:

.. code-block:: markdown

    ### Its gradient

    Its derivative is $\ell'(x) = \tanh x$, bounded by one.

    ```python claim
    claim("logcosh.grad", r"\ell'(x) = \tanh x",
          Derivative(log_cosh, tanh, Real(-80, 80), Tol(7, "...")))
    ```

Its ``python`` code blocks (the derivations, shared domains and tolerances; hidden ones too,
``<!-- invisible-code-block: python -->``) run in order in one namespace, the note's, and so do its
``>>>`` examples. In a ``python claim`` block, ``claim(id, statement, check, **options)`` declares a
:class:`~checks.engine.Claim` whose source comes from where the block stands:

* document: the note's file name (its folder is where the quote is looked up);
* section: the innermost heading above the block;
* quote: ``quote="..."`` (words of the section), or else the formula the claim certifies *as the note
  writes it*: ``as_written`` for an erratum, ``statement`` otherwise. Like every quote it must stand
  verbatim in the section's prose (code blocks are not prose: the block's own copy does not count),
  checked on every run: a changed sentence fails, saying what the section reads now.

The kind follows from the check unless given (:class:`~checks.engine.Derivative`: gradient,
:class:`~checks.engine.Identity`, :class:`~checks.engine.Inequality`, :class:`~checks.engine.Exists`;
a :class:`~checks.engine.Custom` check names its ``kind=``; no check: a definition), and so does the
verdict (``as_written``: erratum, ``condition``: imprecise, no check: definition, else holds as written;
``verdict=Verdict.BELIEF`` is said). Every other option is the :class:`~checks.engine.Claim`'s own.

Parsing and evaluation are Sybil's (its MyST parsers, which read plain Markdown as well): fenced and
hidden code blocks, ``>>>`` examples, ``<!-- skip: next -->`` before an illustrative code block. A
claim block cannot be skipped: a claim is certified or removed. Sybil is the optional ``notes`` extra.
"""
from __future__ import annotations

import builtins
import pathlib
import re
import sys
import traceback
import types

from . import trace
from .checks import Derivative, Exists, Identity, Inequality
from .claim import Claim, DeclarationError, Kind, Source, Verdict

SUFFIXES = (".md", ".markdown")
CLAIM_BLOCK = "python claim"  # the fence's info string: GitHub, MyST and Jupyter Book show it as Python
_KINDS = ((Derivative, Kind.GRADIENT), (Identity, Kind.IDENTITY), (Inequality, Kind.INEQUALITY),
          (Exists, Kind.EXISTENCE))


def is_note(path) -> bool:
    return pathlib.Path(path).suffix.lower() in SUFFIXES


def _kind(check):
    if check is None:
        return Kind.DEFINITION
    kind = next((k for cls, k in _KINDS if isinstance(check, cls)), None)
    if kind is None:
        raise DeclarationError(f"a {type(check).__name__} check says its kind= (a Kind)")
    return kind


def _verdict(check, options):
    if check is None:
        return Verdict.DEFINITION
    if "as_written" in options or "as_written_check" in options:
        return Verdict.ERRATUM
    return Verdict.IMPRECISE if "condition" in options else Verdict.HOLDS


def _section(headings, offset) -> str | None:
    """The title of the innermost line heading whose section holds ``offset``."""
    around = [h for h in headings if h.title is not None and h.start < offset < h.end]
    return max(around, key=lambda h: h.start).title if around else None


def _outside_block(*args, **kwargs):
    raise DeclarationError("claim() declares a claim in a ```python claim block, which gives it its section "
                           "and quote")


def load(path) -> types.ModuleType:
    """The note at ``path`` as a claims module: ``CLAIMS``, ``DOCUMENTS`` (its folder), ``LINES`` (claim id -> line).

    Raises :class:`~checks.engine.DeclarationError` naming the note and line where a block fails or
    declares a claim badly.
    """
    try:
        from sybil import Document
        from sybil.evaluators.python import PythonEvaluator
        from sybil.example import SybilFailure
        from sybil.parsers.myst import CodeBlockParser, PythonCodeBlockParser, SkipParser
    except ImportError:
        raise DeclarationError(f"{path}: claims in notes need Sybil: pip install 'certified-derivations[notes]'") \
            from None
    path = pathlib.Path(path).resolve()
    name = "certify_notes." + re.sub(r"\W", "_", "_".join(path.with_suffix("").parts[-3:]))  # as registry's
    module = types.ModuleType(name)
    module.__file__ = str(path)
    module.DOCUMENTS, module.CLAIMS, module.LINES = ".", [], {}
    module.claim = _outside_block
    run_python = PythonEvaluator()
    claim_blocks = {}  # example start -> whether it was evaluated

    def evaluate_claim_block(example):
        section = _section(headings, example.start)
        if section is None:
            raise DeclarationError("a claim block stands under no heading: its section is the heading above it")

        def claim(id, statement, check=None, *, quote=None, **options):
            verdict = options.pop("verdict", None) or _verdict(check, options)
            kind = options.pop("kind", None) or _kind(check)
            written = options.get("as_written") if verdict is Verdict.ERRATUM else None
            c = Claim(id=id, statement=statement, sources=Source(path.name, section, quote or written or statement),
                      kind=kind, verdict=verdict, check=check, **options)
            module.CLAIMS.append(c)
            module.LINES[c.id] = example.line
            return c

        before = len(module.CLAIMS)
        module.claim = claim
        try:
            run_python(example)
        finally:
            module.claim = _outside_block
        if len(module.CLAIMS) == before:
            raise DeclarationError("the claim block declares no claim (call claim(id, statement, check, ...))")
        claim_blocks[example.start] = True

    document = Document.parse(str(path), PythonCodeBlockParser(), CodeBlockParser(CLAIM_BLOCK, evaluate_claim_block),
                              SkipParser())
    document.namespace = module.__dict__  # the note's code defines the module's names
    headings = trace.headings(document.text)
    for example in document.examples():
        if example.region.evaluator is evaluate_claim_block:
            claim_blocks.setdefault(example.start, False)
        try:
            example.evaluate()
        except DeclarationError as e:
            raise DeclarationError(f"{path.name}:{example.line}: {e}") from None
        except SybilFailure as e:  # a >>> example printed something else
            raise DeclarationError(f"{path.name}:{example.line}: {e.result.strip()}") from None
        except Exception as e:
            raise DeclarationError(f"{path.name}:{_line(e, path, example.line)}: the block raised "
                                   f"{type(e).__name__}: {e}") from e
    skipped = [document.text.count("\n", 0, start) + 1 for start, done in claim_blocks.items() if not done]
    if skipped:
        raise DeclarationError(f"{path.name}:{skipped[0]}: a claim block was skipped: a claim is certified or "
                               "removed, never skipped")
    # Sybil removes the __builtins__ that exec adds; a module keeps them: C code that imports while the note's
    # function is the innermost frame (JAX's first use, under jit) reads them from its globals
    module.__builtins__ = builtins
    sys.modules[name] = module
    return module


def _line(error, path, default):
    """The note's line where ``error`` was raised (its innermost frame in the note), else the block's."""
    lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == str(path)]
    return lines[-1] if lines else default
