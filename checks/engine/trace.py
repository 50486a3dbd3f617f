"""Traceability: every claim's quote appears verbatim in its document, inside its section.

Pure functions on the document's text (no file access, no JAX). A *section* is
the text between its heading and the next heading of the same or a higher
level (so it includes its subsections). Headings are markdown ``#`` markers:

* on a line of their own (``### Binary Logistic Regression``): the title is the
  rest of the line;
* inline, inside one long line, where a web page lost its line breaks
  (``... with me. ## Maximum Likelihood Estimation Consider the set ...``): the
  title is not delimited, so a section matches when the text after the marker
  *starts with* its title.

Quotes are compared after collapsing runs of whitespace to one space and
nothing else: LaTeX (``$$\\sigma(z)$$``), punctuation and case must be verbatim.
A quote cites what a reader of the document sees: the text of fenced code
blocks (other than math blocks) and of HTML comments is not searched. A note's
claim blocks and its derivations' code (which may well repeat the formula a
claim quotes) then never match a quote that the prose no longer holds.
A document that repeats itself has several sections of one title; the quote
may be in any of them.
"""
from __future__ import annotations

import dataclasses
import difflib
import re

# a run of 1-6 '#' at the start of a line or after whitespace, then a space and a title
_MARKER = re.compile(r"(?:^|(?<=\s))(#{1,6})[ \t]+(?=\S)", re.M)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_MATH_FENCE = re.compile(r"(```|~~~)[ \t]*\{?math\b")  # a MyST/GitHub display-math block: prose
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def prose(text: str) -> str:
    """``text`` with fenced code (math blocks kept) and HTML comments blanked: same length, same line breaks.

    >>> prose("a\\n```python\\nx = 1\\n```\\nb <!-- c -->")
    'a\\n         \\n     \\n   \\nb           '
    """
    def blank(m):
        return m.group(0) if _MATH_FENCE.match(m.group(0)) else re.sub(r"[^\n]", " ", m.group(0))

    return _COMMENT.sub(blank, _FENCE.sub(blank, text))


def normalize(text: str) -> str:
    """Collapse whitespace (spaces, tabs, newlines) to single spaces; nothing else changes."""
    return " ".join(text.split())


@dataclasses.dataclass(frozen=True)
class Heading:
    level: int
    title: str | None  # None for an inline heading: its title's extent is unknown
    start: int         # offset of the '#' marker
    text_start: int    # offset where the title (line heading: the body) starts
    end: int = -1      # offset of the next heading of the same or a higher level (or the end)

    def label(self, text: str) -> str:
        return self.title if self.title is not None else " ".join(text[self.text_start:self.end].split()[:8]) + " ..."


def headings(text: str) -> list[Heading]:
    """The document's headings in order, each with the end offset of its section."""
    fenced = [m.span() for m in _FENCE.finditer(text)]
    found = []
    for m in _MARKER.finditer(text):
        if any(a <= m.start() < b for a, b in fenced):
            continue  # a comment inside a code block, not a heading
        at_line_start = m.start() == 0 or text[m.start() - 1] == "\n"
        if at_line_start:
            eol = text.find("\n", m.end())
            eol = len(text) if eol < 0 else eol
            title = normalize(text[m.end():eol].rstrip("# \t"))
            found.append(Heading(len(m.group(1)), title, m.start(), eol))
        else:
            found.append(Heading(len(m.group(1)), None, m.start(), m.end()))
    out = []
    for i, h in enumerate(found):
        end = next((g.start for g in found[i + 1:] if g.level <= h.level), len(text))
        out.append(dataclasses.replace(h, end=end))
    return out


def section_bodies(text: str, section: str) -> list[str]:
    """The normalized text of every section titled ``section`` (several if the document repeats itself)."""
    want = normalize(section)
    bodies = []
    for h in headings(text):
        if h.title is not None:
            if h.title == want:
                bodies.append(normalize(text[h.text_start:h.end]))
        else:
            rest = normalize(text[h.text_start:h.end])
            if rest == want or rest.startswith(want + " "):
                bodies.append(rest[len(want):].strip())
    return bodies


def _section_of(text: str, offset_in_normalized: int) -> str | None:
    """The innermost heading above a position given in the *normalized* text (for error messages)."""
    best = None
    for h in headings(text):
        if len(normalize(text[:h.start])) <= offset_in_normalized:
            best = h
    return None if best is None else best.label(text)


def check_quote(text: str, document: str, section: str, quote: str) -> str | None:
    """None if ``quote`` is inside ``section`` of ``text``; else a message saying what is wrong and where.

    >>> doc = "# A\\nthe sigmoid is\\nsmooth\\n# B\\nother"
    >>> check_quote(doc, "d.md", "A", "sigmoid is smooth") is None
    True
    >>> print(check_quote(doc, "d.md", "B", "sigmoid is smooth"))
    d.md, section 'B': quote not in the section: 'sigmoid is smooth' (it is in section 'A')
    """
    text = prose(text)
    bodies = section_bodies(text, section)
    q = normalize(quote)
    if not bodies:
        titles = [h.label(text) for h in headings(text)]
        return (f"{document}: no section {section!r} (a heading's exact title, without the #'s); "
                f"the document's headings: {titles}")
    if any(q in b for b in bodies):
        return None
    msg = f"{document}, section {section!r}: quote not in the section: {quote!r}"
    whole = normalize(text)
    at = whole.find(q)
    if at >= 0:
        return msg + f" (it is in section {_section_of(text, at)!r})"
    body = max(bodies, key=len)
    m = difflib.SequenceMatcher(None, body, q, autojunk=False).find_longest_match(0, len(body), 0, len(q))
    if m.size:
        at = max(0, m.a - m.b)  # where the quote would start if it were aligned on that part
        msg += (f" (stale? its longest part found there is {q[m.b:m.b + m.size]!r}; "
                f"the section reads: {body[max(0, at - 10):at + len(q) + 10]!r})")
    return msg
