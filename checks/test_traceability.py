"""Every claim's quote is verbatim in its document, inside the section it names (and the matcher's own tests).

The documents are not part of the package: without them each case is skipped, saying where
they were looked for (``certify_documents`` in pyproject.toml, ``$CERTIFY_DOCUMENTS``, or a
claims module's own ``DOCUMENTS = "path"``).
"""
import pathlib

import pytest

from checks.engine import trace


def test_quote_in_section(claim_source, record_property):
    claim, source, docs, looked_in = claim_source
    record_property("claim", claim.id)
    record_property("document", source.document)
    if docs is None:
        pytest.skip(f"source documents not found (looked in {looked_in}); "
                    "set certify_documents / $CERTIFY_DOCUMENTS to check quotes")
    path = pathlib.Path(docs, source.document)
    assert path.is_file(), f"claim {claim.id!r} cites {source.document!r}, which is not in {docs}"
    problem = trace.check_quote(path.read_text(encoding="utf-8"), source.document, source.section, source.quote)
    assert problem is None, f"claim {claim.id!r}: {problem}"


# --- the matcher ------------------------------------------------------------------------------

LINES = """\
# Losses
Intro text.
## Hinge
The hinge loss is $$\\max(0,
1 - yz)$$ for labels in {-1, 1}.
### Subgradient
At the kink any value in [-1, 0] is a subgradient.
## Squared hinge
It is differentiable everywhere.
```python
# Hinge  (a comment in a code block, not a heading)
```
"""

# one long line with inline headings, repeated (as 001 is)
INLINE = ("Title by someone. ## Hinge loss The hinge is $\\max(0, 1-yz)$ and convex. "
          "## Squared hinge It is smooth. ") * 2


def test_line_headings_and_sections():
    hs = trace.headings(LINES)
    assert [(h.level, h.title) for h in hs] == [(1, "Losses"), (2, "Hinge"), (3, "Subgradient"), (2, "Squared hinge")]
    # a section runs to the next heading of the same or higher level: it includes its subsections
    assert trace.check_quote(LINES, "d.md", "Hinge", "any value in [-1, 0] is a subgradient") is None
    assert trace.check_quote(LINES, "d.md", "Losses", "It is differentiable everywhere") is None


def test_whitespace_collapsed_latex_verbatim():
    assert trace.check_quote(LINES, "d.md", "Hinge", "The hinge loss is $$\\max(0, 1 - yz)$$") is None
    msg = trace.check_quote(LINES, "d.md", "Hinge", "The hinge loss is $$\\max(0,1 - yz)$$")
    assert msg and "quote not in the section" in msg


def test_changed_quote_is_caught_naming_document_section_quote(tmp_path):
    doc = tmp_path / "notes.md"
    doc.write_text(LINES)
    stale = "The hinge loss is $$\\min(0, 1 - yz)$$"  # the document was edited: max, not min
    msg = trace.check_quote(doc.read_text(), "notes.md", "Hinge", stale)
    assert msg.startswith("notes.md, section 'Hinge': quote not in the section")
    assert repr(stale) in msg and "stale?" in msg


def test_quote_in_another_section_says_which():
    msg = trace.check_quote(LINES, "d.md", "Squared hinge", "any value in [-1, 0]")
    assert "(it is in section 'Subgradient')" in msg


def test_missing_section_lists_headings():
    msg = trace.check_quote(LINES, "d.md", "Hinge loss", "hinge")
    assert "no section 'Hinge loss'" in msg and "'Squared hinge'" in msg


def test_code_block_comment_is_not_a_heading_and_code_is_not_quotable():
    assert trace.check_quote(LINES, "d.md", "Squared hinge", "It is differentiable everywhere") is None
    # a quote cites what the reader sees: code (a note's claim block, its derivations) and comments are not searched
    msg = trace.check_quote(LINES, "d.md", "Squared hinge", "a comment in a code block")
    assert msg.startswith("d.md, section 'Squared hinge': quote not in the section")


def test_math_blocks_are_quotable_comments_are_not():
    doc = "# A\n```{math}\n\\ell = \\max(0, 1 - yz)\n```\n<!-- hidden: the loss is convex -->\n"
    assert trace.check_quote(doc, "d.md", "A", "\\ell = \\max(0, 1 - yz)") is None
    assert "quote not in the section" in trace.check_quote(doc, "d.md", "A", "the loss is convex")


def test_inline_headings_in_one_long_line():
    assert [h.level for h in trace.headings(INLINE)] == [2, 2, 2, 2]
    assert trace.check_quote(INLINE, "d.txt", "Hinge loss", "The hinge is $\\max(0, 1-yz)$ and convex.") is None
    assert trace.check_quote(INLINE, "d.txt", "Squared hinge", "It is smooth.") is None
    # the title is a prefix of the text after the marker, on a word boundary
    assert "no section" in trace.check_quote(INLINE, "d.txt", "Hinge lo", "convex")
    assert "(it is in section 'Squared hinge It is smooth." in trace.check_quote(
        INLINE, "d.txt", "Hinge loss", "It is smooth.")
