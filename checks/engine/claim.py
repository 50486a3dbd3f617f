"""A claim: one mathematical statement of a source document, declared once.

A declaration says *what* is claimed and *where*; the check attached to it says
*how* it is certified. Everything is validated when the claim is made, so a
malformed declaration fails at collection with a message naming the claim.
"""
from __future__ import annotations

import dataclasses
import enum
import re
from typing import Any


class DeclarationError(ValueError):
    """A claim is declared inconsistently (raised at import/collection time)."""


class Verdict(enum.Enum):
    """What the suite says of the document's statement.

    ``HOLDS``: true as the document writes it. ``ERRATUM``: wrong as written; the claim carries the
    document's form (``as_written``, ``as_written_check``, which must fail) and certifies the correction.
    ``IMPRECISE``: true only under a condition the document leaves out (``condition``), which is what is
    certified. ``BELIEF``: the author is unsure; the suite settles it with evidence. ``DEFINITION``: a
    definition or a conceptual sentence, recorded with no check.
    """

    HOLDS = "holds as written"
    ERRATUM = "erratum"          # wrong as written: as-written form must fail, correction must hold
    IMPRECISE = "imprecise"      # true only under a condition, which is what gets certified
    BELIEF = "belief resolved"   # the author is unsure; the suite settles it with evidence
    DEFINITION = "definition"    # a definition or conceptual sentence: recorded, nothing to check


class Kind(enum.Enum):
    """The kind of mathematical statement (a label of the report; the check says how it is certified).

    ``GRADIENT``, ``JACOBIAN``: a derivative (a :class:`~checks.engine.Derivative`). ``IDENTITY``: two
    expressions are equal. ``INEQUALITY``: a bound. ``LIMIT``: a limit or an asymptotic form.
    ``INVARIANCE``: a quantity unchanged by a transformation (a shift, a scale). ``STABILITY``: a form is
    evaluated without overflow or cancellation. ``EXISTENCE``: a counterexample or a witness exists.
    ``DYNAMICS``: the behaviour of an iteration (gradient descent). ``DEFINITION``: a definition.
    """

    GRADIENT = "gradient"
    JACOBIAN = "jacobian"
    IDENTITY = "identity"
    INEQUALITY = "inequality"
    LIMIT = "limit/asymptote"
    INVARIANCE = "invariance"
    STABILITY = "stability"
    EXISTENCE = "existence"
    DYNAMICS = "dynamics"
    DEFINITION = "definition"


@dataclasses.dataclass(frozen=True)
class Source:
    """Where a claim is made: document file name, section heading, short verbatim quote.

    Attributes:
      document: the document's file name (found in the claims module's ``DOCUMENTS`` folder, else
        ``$CERTIFY_DOCUMENTS`` or the ``certify_documents`` ini option).
      section: a heading's exact title, without its ``#``'s; the section runs to the next heading of the
        same or a higher level.
      quote: at most 300 characters that stand verbatim in the section's prose (whitespace aside; fenced
        code and HTML comments are not searched), checked on every run.
    """

    document: str
    section: str
    quote: str

    def __post_init__(self):
        for name in ("document", "section", "quote"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                raise DeclarationError(f"Source.{name} must be a non-empty string")
        if len(self.quote) > 300:
            raise DeclarationError("Source.quote must be short (<= 300 characters): cite, do not copy")


_ID = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")


@dataclasses.dataclass(frozen=True)
class Claim:
    """One claim of a source document.

    Attributes:
      id: stable identifier, lower-case dotted (``sigmoid.derivative``).
      statement: the statement certified, in LaTeX (for an erratum: the corrected one).
      sources: where the documents make it (one or more :class:`Source`).
      kind: the :class:`Kind` of mathematical statement.
      verdict: the :class:`Verdict` on the document.
      check: how the statement is certified (``None`` only for definitions).
      as_written: for an erratum, the LaTeX of the statement as the document writes it.
      as_written_check: for an erratum, a check of the as-written form; it must FAIL.
      condition: for an imprecise claim, the exact condition under which it holds.
      reconstructed: the document lost its formula; the statement was rebuilt from its prose.
      note: anything a reader should know (which step is wrong, what the evidence shows).
      derivation: the function in ``derivations/`` whose docstring holds the derivation.
      float_erratum: for an erratum of floating point (the as-written form right in the reals, wrong as computed:
        a library rule's rounding), the dtypes in which the as-written form fails; in the others it holds as
        written and is certified so (strictly: it must), and the proof oracle proving it is no objection. Empty
        (the default): an erratum of mathematics, failing in every dtype.
      own: the project's own numerical-truth claim (an accuracy bound, a measured threshold): its sources are
        the sentences that motivate it, which make no numerical statement, so it is no verdict on a document.
        It must hold as stated, and the reports count it apart from the documents' claims.
    """

    id: str
    statement: str
    sources: tuple[Source, ...]
    kind: Kind
    verdict: Verdict
    check: Any = None
    as_written: str | None = None
    as_written_check: Any = None
    condition: str | None = None
    reconstructed: bool = False
    note: str = ""
    derivation: Any = None
    own: bool = False
    float_erratum: tuple[str, ...] = ()

    def __post_init__(self):
        def fail(msg):
            raise DeclarationError(f"claim {self.id!r}: {msg}")

        if not isinstance(self.id, str) or not _ID.match(self.id):
            raise DeclarationError(f"claim id {self.id!r} must be lower-case words joined by '.', '_' or '-'")
        if not isinstance(self.statement, str) or not self.statement.strip():
            fail("statement (LaTeX) is missing")
        if isinstance(self.sources, Source):
            object.__setattr__(self, "sources", (self.sources,))
        object.__setattr__(self, "sources", tuple(self.sources))
        if not self.sources:
            fail("at least one source (document, section, quote) is required")
        if not all(isinstance(s, Source) for s in self.sources):
            fail("sources must be Source(document, section, quote) instances")
        if not isinstance(self.kind, Kind):
            fail(f"kind must be a Kind, got {self.kind!r}")
        if not isinstance(self.verdict, Verdict):
            fail(f"verdict must be a Verdict, got {self.verdict!r}")
        if self.verdict is Verdict.DEFINITION:
            if self.check is not None or self.as_written_check is not None:
                fail("a definition is recorded, not checked: give it no check")
        elif self.check is None:
            fail(f"verdict {self.verdict.value!r} needs a check")
        if self.verdict is Verdict.ERRATUM:
            if not self.as_written or self.as_written_check is None:
                fail("an erratum needs as_written (LaTeX) and as_written_check (which must fail)")
        elif self.as_written_check is not None:
            fail("as_written_check is only for errata")
        object.__setattr__(self, "float_erratum", tuple(self.float_erratum))
        if self.float_erratum and (self.verdict is not Verdict.ERRATUM
                                   or not set(self.float_erratum) <= {"float32", "float64"}):
            fail(f"float_erratum names the dtypes (float32, float64) of an erratum, got {self.float_erratum!r}")
        if self.verdict is Verdict.IMPRECISE and not self.condition:
            fail("an imprecise claim needs the exact condition under which it holds")
        if self.own and self.verdict is not Verdict.HOLDS:
            fail("a claim of the project's own (own=True) states what the project certifies: its verdict is HOLDS")
        for c in (self.check, self.as_written_check):
            if c is not None:
                validate = getattr(c, "validate", None)
                if validate is None:
                    fail(f"check {c!r} is not a check (no validate method)")
                try:
                    validate()
                except DeclarationError as e:
                    fail(str(e))

    @property
    def numerical(self) -> bool:
        return self.check is not None
